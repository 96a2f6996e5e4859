/* fuzz-redact.c: the support report's redactor
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is split at its first NUL into a secret and a text that holds
 * it (somewhere, by the input's shape) and redacted.  Beyond "no crash",
 * it checks what a support report promises: the output is valid UTF-8
 * when the text was, and no start of the secret longer than 8 characters
 * survives (for secrets of letters and digits, the shape of real tokens).
 */

#include "config.h"

#include "fuzz-common.h"

#include "rc-cli-report.h"

static gboolean
is_token_shaped (const char *secret)
{
  if (strlen (secret) < 9)
    return FALSE;
  for (const char *p = secret; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

FUZZ_DEFINE_INITIALIZE

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  g_autofree char *secret = NULL;
  g_autofree char *text = NULL;
  g_autofree char *redacted = NULL;
  g_autoptr(GPtrArray) secrets = g_ptr_array_new ();

  if (nul == NULL)
    return 0;
  secret = g_strndup ((const char *) data, nul - data);
  text = g_strndup ((const char *) nul + 1, size - (nul - data) - 1);
  /* The report's text is UTF-8: it is made by the program. */
  if (!g_utf8_validate (text, -1, NULL))
    return 0;

  g_ptr_array_add (secrets, secret);
  redacted = rc_cli_redact (text, secrets);
  CHECK (redacted != NULL);
  CHECK (g_utf8_validate (redacted, -1, NULL));
  if (is_token_shaped (secret))
    {
      g_autofree char *start = g_strndup (secret, 9);

      CHECK (strstr (redacted, start) == NULL);
    }
  return 0;
}
