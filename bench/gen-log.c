/* gen-log.c: a large CRM add-in log for the explain benchmark
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   gen-log MEGABYTES MATCHES FILE
 *   gen-log --markers
 *
 * Writes about MEGABYTES MiB of what such logs hold: Salesforce for Outlook
 * trace lines, web access lines, JSON log records and stack frames, with
 * benign "error" words in them (retry counters, error thresholds, handled
 * exceptions), and MATCHES lines spread evenly through it that carry a real
 * sign-in failure (the four scenarios of shared/DESIGN.md).  The same
 * arguments always give the same file.  It prints the number of lines that
 * carry one of the markers below, which `grep -c -F` must find too; --markers
 * prints the markers, one a line, for grep -f.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every failure line holds one of these; no noise line holds any. */
static const char *markers[] = {
  "token validity expired", "SalesforceCredentialsInvalid", "invalid_grant", "AADSTS", "INVALID_SESSION_ID",
};

static const char *failures[] = {
  "ERROR [7] SalesforceConnector - LogOn failed with exception - token validity expired",
  "ERROR [7] SyncEngine - Sync stopped: SalesforceNotConnected, SalesforceCredentialsInvalid",
  "WARN  [12] OAuthClient - refresh failed: {\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}",
  "ERROR [3] MsalClient - AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'. Trace ID: 2b0e4c1a-7f7e-4b2a-9d10-3c6b8f5e1a00",
  "ERROR [3] MsalClient - AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
  "ERROR [9] RestClient - 401 Unauthorized [{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]",
  "ERROR [3] MsalClient - AADSTS700082: The refresh token has expired due to inactivity.",
};

static const char *components[] = {
  "SyncEngine", "ContactSync", "CalendarSync", "AddInHost", "RibbonLoader", "HttpPipeline", "TokenCache",
  "MailItemHandler", "SettingsStore", "Telemetry",
};

static const char *verbs[] = {
  "Syncing", "Loaded", "Queued", "Skipped", "Resolved", "Matched", "Flushed", "Cached", "Scanned", "Updated",
};

static const char *things[] = {
  "contacts", "events", "tasks", "mail items", "attachments", "leads", "opportunities", "accounts", "folders",
  "rules",
};

static const char *paths[] = {
  "/services/data/v60.0/sobjects/Contact", "/services/data/v60.0/query", "/api/data/v9.2/contacts",
  "/owa/service.svc", "/autodiscover/autodiscover.json", "/services/data/v60.0/limits", "/ews/exchange.asmx",
};

static unsigned long long state = 0x9e3779b97f4a7c15ULL;

static unsigned
next (unsigned n)
{
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (unsigned) (state % n);
}

#define PICK(array) (array[next (sizeof array / sizeof array[0])])

static void
timestamp (char *buf, size_t size, unsigned long long line)
{
  unsigned long long s = 9 * 3600 + line / 40;

  snprintf (buf, size, "2026-03-%02llu %02llu:%02llu:%02llu,%03u", 2 + s / 86400 % 27, s / 3600 % 24,
            s / 60 % 60, s % 60, next (1000));
}

static int
noise (FILE *out, const char *ts)
{
  switch (next (10))
    {
    case 0:
      return fprintf (out, "%s DEBUG [%u] HttpPipeline - Retry policy: maxRetries=%u errorThreshold=%u backoff=%ums\n",
                      ts, next (32), next (5), next (10), next (2000));
    case 1:
      return fprintf (out, "127.0.0.1 - - [02/Mar/2026:09:%02u:%02u +0000] \"GET %s?limit=%u HTTP/1.1\" %s %u\n",
                      next (60), next (60), PICK (paths), next (500), next (20) ? "200" : "304", next (90000));
    case 2:
      return fprintf (out, "{\"time\":\"%s\",\"level\":\"info\",\"component\":\"%s\",\"msg\":\"token cache hit\","
                      "\"elapsed_ms\":%u,\"errors\":0}\n", ts, PICK (components), next (40));
    case 3:
      return fprintf (out, "%s WARN  [%u] %s - Handled exception: System.IO.IOException: The process cannot access "
                      "the file because it is being used by another process (attempt %u of 3)\n",
                      ts, next (32), PICK (components), 1 + next (3));
    case 4:
      return fprintf (out, "   at Reconnect.Outlook.%s.Run(Int32 attempt) in C:\\build\\src\\%s.cs:line %u\n",
                      PICK (components), PICK (components), next (900));
    default:
      return fprintf (out, "%s INFO  [%u] %s - %s %u %s in %u ms (0 errors, %u warnings)\n", ts, next (32),
                      PICK (components), PICK (verbs), next (5000), PICK (things), next (3000), next (3));
    }
}

int
main (int    argc,
      char **argv)
{
  unsigned long long size, written = 0, line = 0, every, matches;
  unsigned long long placed = 0;
  static char buffer[1 << 20];
  char ts[64];
  FILE *out;

  if (argc == 2 && strcmp (argv[1], "--markers") == 0)
    {
      for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        puts (markers[i]);
      return 0;
    }
  if (argc != 4 || (size = strtoull (argv[1], NULL, 10) << 20) == 0)
    {
      fprintf (stderr, "usage: gen-log MEGABYTES MATCHES FILE\n");
      return 64;
    }
  matches = strtoull (argv[2], NULL, 10);
  if ((out = fopen (argv[3], "w")) == NULL)
    {
      perror (argv[3]);
      return 1;
    }
  setvbuf (out, buffer, _IOFBF, sizeof buffer);

  /* Lines average about 110 bytes: spread the failures over the file. */
  every = matches ? size / 110 / matches : 0;
  while (written < size)
    {
      timestamp (ts, sizeof ts, line);
      if (every && placed < matches && line % every == every / 2)
        {
          written += fprintf (out, "%s %s\n", ts, failures[placed % (sizeof failures / sizeof failures[0])]);
          placed++;
        }
      else
        written += noise (out, ts);
      line++;
    }
  if (fclose (out) != 0)
    {
      perror (argv[3]);
      return 1;
    }
  printf ("%llu\n", placed);
  return 0;
}
