/* test-diagnosis.c: RcDiagnosis from errors, pasted text and logs
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rc-classifier.h"
#include "rc-diagnosis.h"
#include "rc-secret-store.h"

#define NOW 1767225600  /* 2026-01-01T00:00:00Z */

static GError *
response_error (guint       status,
                const char *body,
                gint64      server_date)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(RcProtocolError) problem = rc_protocol_error_new_from_response ("token", status, "application/json",
                                                                            bytes, server_date);

  return rc_protocol_error_to_gerror (problem, RC_OAUTH_ERROR_REJECTED, "rejected");
}

/* The findings' causes, in order, joined with spaces. */
static char *
causes_of (RcDiagnosis *diagnosis)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rc_diagnosis_get_n_findings (diagnosis); i++)
    g_string_append_printf (text, "%s%s", i ? " " : "",
                            rc_finding_get_cause (rc_diagnosis_get_finding (diagnosis, i)));
  return g_string_free (text, FALSE);
}

static gboolean
evidence_contains (const RcFinding *finding,
                   const char      *needle)
{
  const char * const *evidence = rc_finding_get_evidence (finding);

  for (guint i = 0; evidence[i] != NULL; i++)
    if (strstr (evidence[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_no_secret (RcDiagnosis *diagnosis,
                  const char  *secret)
{
  for (guint i = 0; i < rc_diagnosis_get_n_findings (diagnosis); i++)
    g_assert_false (evidence_contains (rc_diagnosis_get_finding (diagnosis, i), secret));
}

#define SF_DEAD "{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}"

typedef struct
{
  const char *name;
  guint       status;
  const char *body;
  gint64      signed_in_ago;     /* 0: unknown */
  gint64      refreshed_ago;     /* 0: never */
  const char *policy;
  gint64      server_skew;
  const char *causes;            /* every finding, in order */
  RcConfidence confidence;       /* of the first */
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* Salesforce's one phrase: the context decides the order, all stay listed */
  { "sf-dead-no-context", 400, SF_DEAD, 0, 0, NULL, 0,
    "refresh-token-expired token-revoked refresh-token-policy-immediate", RC_CONFIDENCE_MEDIUM },
  { "sf-dead-minutes-after-sign-in", 400, SF_DEAD, 3 * 60, 0, NULL, 0,
    "refresh-token-policy-immediate refresh-token-expired token-revoked", RC_CONFIDENCE_MEDIUM },
  { "sf-dead-after-idle", 400, SF_DEAD, 60 * 86400, 40 * 86400, NULL, 0,
    "refresh-token-expired token-revoked refresh-token-policy-immediate", RC_CONFIDENCE_MEDIUM },
  { "sf-dead-after-recent-use", 400, SF_DEAD, 10 * 86400, 3600, NULL, 0,
    "token-revoked refresh-token-expired refresh-token-policy-immediate", RC_CONFIDENCE_MEDIUM },
  { "sf-dead-policy-known", 400, SF_DEAD, 10 * 86400, 3600, "immediately", 0,
    "refresh-token-policy-immediate refresh-token-expired token-revoked", RC_CONFIDENCE_HIGH },
  { "sf-dead-clock-skew", 400, SF_DEAD, 3 * 60, 0, NULL, 20 * 60, "clock-skew", RC_CONFIDENCE_MEDIUM },
  { "sf-ip", 400, "{\"error\":\"invalid_grant\",\"error_description\":\"IP restricted or invalid login hours\"}",
    0, 0, NULL, 0, "ip-restricted", RC_CONFIDENCE_HIGH },
  { "sf-auth-failure", 400, "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}",
    0, 0, NULL, 0, "password-changed user-deactivated token-revoked", RC_CONFIDENCE_MEDIUM },
  { "sf-inactive-user", 400, "{\"error\":\"inactive_user\",\"error_description\":\"User is inactive\"}",
    0, 0, NULL, 0, "user-deactivated", RC_CONFIDENCE_HIGH },
  { "sf-app-access", 400, "{\"error\":\"invalid_app_access\",\"error_description\":\"user is not admin approved to access this app\"}",
    0, 0, NULL, 0, "app-not-approved", RC_CONFIDENCE_HIGH },
  { "sf-invalid-client", 400, "{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}",
    0, 0, NULL, 0, "client-secret-expired client-invalid", RC_CONFIDENCE_MEDIUM },
  { "sf-rest-401", 401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]",
    0, 0, NULL, 0, "session-expired bad-token", RC_CONFIDENCE_HIGH },
  { "bare-401", 401, "", 0, 0, NULL, 0, "session-expired bad-token", RC_CONFIDENCE_MEDIUM },
  { "entra-700082", 400, "{\"error\":\"invalid_grant\",\"error_codes\":[700082],\"correlation_id\":\"aaaa0000-bb11-2222-33cc-444444dddddd\",\"trace_id\":\"0000aaaa-11bb-cccc-dd33-eeeeee333333\"}",
    0, 0, NULL, 0, "refresh-token-expired", RC_CONFIDENCE_HIGH },
  /* the claims challenge holds "access_token": parsed, it is not a cause */
  { "entra-mfa-claims", 400, "{\"error\":\"invalid_grant\",\"error_codes\":[50076],\"suberror\":\"basic_action\","
    "\"claims\":\"{\\\"access_token\\\":{\\\"capolids\\\":{\\\"essential\\\":true}}}\"}",
    0, 0, NULL, 0, "mfa-required", RC_CONFIDENCE_HIGH },
  { "entra-50173", 400, "{\"error\":\"invalid_grant\",\"error_codes\":[50173],\"suberror\":\"bad_token\"}",
    0, 0, NULL, 0, "password-changed bad-token token-revoked", RC_CONFIDENCE_HIGH },
  { "entra-53003", 400, "{\"error\":\"invalid_grant\",\"error_codes\":[53003],\"suberror\":\"message_only\"}",
    0, 0, NULL, 0, "conditional-access", RC_CONFIDENCE_HIGH },
  { "entra-7000222", 401, "{\"error\":\"invalid_client\",\"error_codes\":[7000222]}",
    0, 0, NULL, 0, "client-secret-expired client-invalid", RC_CONFIDENCE_HIGH },
  { "rate-limited", 429, "", 0, 0, NULL, 0, "rate-limited", RC_CONFIDENCE_HIGH },
  { "proxy", 407, "", 0, 0, NULL, 0, "proxy-auth-required", RC_CONFIDENCE_HIGH },
  { "unavailable", 503, "<html>Down for maintenance</html>", 0, 0, NULL, 0, "service-unavailable", RC_CONFIDENCE_HIGH },
  { "invalid-request", 400, "{\"error\":\"invalid_request\"}", 0, 0, NULL, 0, "unknown", RC_CONFIDENCE_LOW },
};

static void
test_from_error (gconstpointer data)
{
  const ErrorCase *test = data;
  g_autoptr(GError) error = response_error (test->status, test->body,
                                            test->server_skew ? NOW + test->server_skew : 0);
  RcClassifierContext context = {
    .provider = "salesforce",
    .now = NOW,
    .signed_in_at = test->signed_in_ago ? NOW - test->signed_in_ago : 0,
    .last_refresh_at = test->refreshed_ago ? NOW - test->refreshed_ago : 0,
    .refresh_token_policy = test->policy,
  };
  g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_error (error, &context);
  g_autofree char *causes = causes_of (diagnosis);
  const RcFinding *first = rc_diagnosis_get_finding (diagnosis, 0);

  g_assert_cmpstr (causes, ==, test->causes);
  g_assert_cmpint (rc_finding_get_confidence (first), ==, test->confidence);
  g_assert_cmpuint (rc_finding_get_count (first), ==, 1);
  g_assert_cmpint (g_date_time_to_unix (rc_finding_get_first_seen (first)), ==, NOW);
  /* the account shows what the check classified; the diagnosis agrees */
  g_assert_cmpstr (rc_diagnosis_get_cause (diagnosis), ==, rc_classifier_classify_error (error, &context));
  for (guint i = 1; i < rc_diagnosis_get_n_findings (diagnosis); i++)
    g_assert_cmpint (rc_finding_get_confidence (rc_diagnosis_get_finding (diagnosis, i)), <=,
                     rc_finding_get_confidence (first));
}

/* What an admin searches the sign-in logs by, and no token, ever. */
static void
test_from_error_evidence (void)
{
  g_autoptr(GError) error = response_error (400,
    "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity.\","
    "\"error_codes\":[700082],\"trace_id\":\"0000aaaa-11bb-cccc-dd33-eeeeee333333\","
    "\"correlation_id\":\"aaaa0000-bb11-2222-33cc-444444dddddd\",\"refresh_token\":\"0.ARoAv4j5cvGGr0GRqy180BHbR-SECRET\"}", 0);
  RcClassifierContext context = { .provider = "entra", .now = NOW, .signed_in_at = NOW - 100 * 86400 };
  g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_error (error, &context);
  const RcFinding *finding = rc_diagnosis_get_finding (diagnosis, 0);

  g_assert_true (evidence_contains (finding, "HTTP 400"));
  g_assert_true (evidence_contains (finding, "AADSTS: 700082"));
  g_assert_true (evidence_contains (finding, "error: invalid_grant"));
  g_assert_true (evidence_contains (finding, "Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd"));
  g_assert_true (evidence_contains (finding, "Trace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333"));
  g_assert_true (evidence_contains (finding, "Time: 2026-01-01T00:00:00Z"));
  g_assert_true (evidence_contains (finding, "Signed in: 2025-09-23"));
  g_assert_true (evidence_contains (finding, "Last successful refresh: never"));
  assert_no_secret (diagnosis, "SECRET");
  g_assert_cmpint (rc_diagnosis_get_audience (diagnosis), ==, RC_AUDIENCE_USER);
}

static void
test_from_local_errors (void)
{
  struct { GQuark domain; int code; const char *cause; } cases[] = {
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "tls-error" },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "network-offline" },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "network-offline" },
    { RC_SECRET_ERROR, RC_SECRET_ERROR_LOCKED, "keyring-unavailable" },
    { RC_OAUTH_ERROR, RC_OAUTH_ERROR_DENIED, "access-denied" },
    { G_FILE_ERROR, G_FILE_ERROR_NOENT, "unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new (cases[i].domain, cases[i].code, "Bearer sekr1tsekr1t failed");
      g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_error (error, NULL);

      g_assert_cmpstr (rc_diagnosis_get_cause (diagnosis), ==, cases[i].cause);
      assert_no_secret (diagnosis, "sekr1t");
    }
}

typedef struct
{
  const char *file;
  const char *cause;
  const char *also;   /* another cause that must be listed, or NULL */
  guint64     count;  /* of the first finding; 0: do not check */
} FileCase;

/* shared/DESIGN.md's four scenarios and providers.md's messages */
static const FileCase file_cases[] = {
  { "sfo-trace.log", "refresh-token-policy-immediate", "refresh-token-expired", 5 },
  { "sfo-addintrace.log", "refresh-token-policy-immediate", "refresh-token-expired", 1 },
  { "sfo-side-panel.txt", "refresh-token-policy-immediate", "refresh-token-expired", 1 },
  { "sales-app-outlook.txt", "session-expired", "bad-token", 2 },
  { "connector-expired.txt", "refresh-token-expired", "refresh-token-policy-immediate", 1 },
  { "salesnav-oops.txt", "refresh-token-expired", NULL, 1 },
  { "salesnav-mfa.txt", "mfa-required", NULL, 1 },
  { "salesnav-ca.txt", "conditional-access", NULL, 1 },
  { "salesnav-secret.txt", "client-secret-expired", NULL, 1 },
  { "salesnav-deactivated.txt", "user-deactivated", NULL, 1 },
  { "salesnav-password.txt", "password-changed", NULL, 1 },
  { "salesnav-device.txt", "device-not-registered", NULL, 1 },
  { "salesnav-subscription.txt", "org-inactive", NULL, 1 },
  { "entra-700082.json", "refresh-token-expired", NULL, 1 },
  { "entra-mfa-claims.json", "mfa-required", NULL, 1 },
  { "aadsts-lines.log", "conditional-access", "device-not-registered", 2 },
  { "salesforce-dead-grant.json", "refresh-token-expired", "token-revoked", 1 },
  { "salesforce-rest-401.json", "session-expired", NULL, 1 },
  { "redirect-denied.txt", "access-denied", NULL, 1 },
  { "sf-cli.txt", "refresh-token-expired", "refresh-token-policy-immediate", 1 },
  { "network.txt", "network-offline", NULL, 2 },
  { "tls.txt", "tls-error", NULL, 2 },
  { "keyring.txt", "keyring-unavailable", NULL, 1 },
  { "proxy.txt", "proxy-auth-required", NULL, 1 },
  { "rate-limit.txt", "rate-limited", NULL, 0 },
  { "maintenance.txt", "service-unavailable", NULL, 0 },
  { "ip-restricted.txt", "ip-restricted", NULL, 0 },
  { "app-not-approved.txt", "app-not-approved", NULL, 0 },
  { "utf16-trace.log", "refresh-token-policy-immediate", NULL, 1 },
  /* not errors */
  { "not-an-error.txt", "unknown", NULL, 0 },
  { "not-an-error.log", "unknown", NULL, 0 },
  { "token-response.json", "unknown", NULL, 0 },
};

static void
check_file_case (const FileCase *test,
                 RcDiagnosis    *diagnosis)
{
  g_autofree char *causes = causes_of (diagnosis);

  g_test_message ("%s: %s", test->file, causes);
  g_assert_cmpstr (rc_diagnosis_get_cause (diagnosis), ==, test->cause);
  if (g_str_equal (test->cause, "unknown"))
    {
      g_assert_cmpuint (rc_diagnosis_get_n_findings (diagnosis), ==, 0);
      return;
    }
  if (test->also != NULL)
    g_assert_nonnull (rc_diagnosis_lookup_finding (diagnosis, test->also));
  if (test->count != 0)
    g_assert_cmpuint (rc_finding_get_count (rc_diagnosis_get_finding (diagnosis, 0)), ==, test->count);
}

/* The same answer pasted as text, streamed from the file, and read async. */
static void
test_file (gconstpointer data)
{
  const FileCase *test = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "explain", test->file, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GFileInputStream) stream = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);

  if (!g_str_has_prefix (test->file, "utf16"))
    {
      g_autoptr(RcDiagnosis) pasted = rc_diagnosis_new_from_text (contents, (gssize) length);

      check_file_case (test, pasted);
    }

  stream = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RcDiagnosis) streamed = rc_diagnosis_new_from_stream (G_INPUT_STREAM (stream), NULL, &error);

    g_assert_no_error (error);
    check_file_case (test, streamed);
  }
}

static void
on_file_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_file_async (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "explain", "sfo-trace.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/Trace.log");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) failed = NULL;
  g_autoptr(RcDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  const RcFinding *finding;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  rc_diagnosis_new_from_file_async (file, NULL, on_file_done, &result);
  rc_diagnosis_new_from_file_async (missing, NULL, on_file_done, &failed);
  while (result == NULL || failed == NULL)
    g_main_context_iteration (NULL, TRUE);

  diagnosis = rc_diagnosis_new_from_file_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rc_diagnosis_get_cause (diagnosis), ==, "refresh-token-policy-immediate");
  g_assert_cmpuint (rc_diagnosis_get_lines_read (diagnosis), ==, 7);
  finding = rc_diagnosis_get_finding (diagnosis, 0);
  first = g_date_time_format (rc_finding_get_first_seen (finding), "%F %T");
  last = g_date_time_format (rc_finding_get_last_seen (finding), "%F %T");
  g_assert_cmpstr (first, ==, "2015-04-24 15:17:11");
  g_assert_cmpstr (last, ==, "2015-04-24 15:40:12");
  g_assert_true (evidence_contains (finding, "token validity expired"));

  g_assert_null (rc_diagnosis_new_from_file_finish (failed, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Plain words that are not errors stay unknown: Reconnect does not guess. */
static void
test_not_errors (void)
{
  const char *texts[] = {
    "", "   \n\n", "Connected", "HTTP/1.1 200 OK", "Sync completed: 42 contacts, 0 errors",
    "Please sign in to Salesforce to see your dashboards.",
    "{\"access_token\":\"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NybS5keW5hbWljcy5jb20ifQ.c2ln\","
    "\"token_type\":\"Bearer\",\"expires_in\":3599}",
    "{\"error\":\"invalid_request\"", /* not JSON, and nothing else */
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_text (texts[i], -1);

      g_test_message ("%s", texts[i]);
      g_assert_cmpstr (rc_diagnosis_get_cause (diagnosis), ==, "unknown");
      g_assert_cmpint (rc_diagnosis_get_audience (diagnosis), ==, RC_AUDIENCE_NONE);
    }
}

/* An error line nothing explains is listed as unknown, with its words. */
static void
test_unknown_error_line (void)
{
  g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_text ("ERROR frobnicator failed with code 0x8005F999", -1);

  g_assert_cmpstr (rc_diagnosis_get_cause (diagnosis), ==, "unknown");
  g_assert_cmpuint (rc_diagnosis_get_n_findings (diagnosis), ==, 1);
  g_assert_cmpint (rc_finding_get_confidence (rc_diagnosis_get_finding (diagnosis, 0)), ==, RC_CONFIDENCE_LOW);
  g_assert_true (evidence_contains (rc_diagnosis_get_finding (diagnosis, 0), "frobnicator"));
}

/* JSON and query strings are parsed: the words inside a claims challenge or
 * a description do not count as structure. */
static void
test_structure_in_text (void)
{
  struct { const char *text; const char *cause; } cases[] = {
    { "2026-01-05 10:00:00 token call failed: {\"error\":\"inactive_org\",\"error_description\":\"Org is locked, closed, or suspended\"}",
      "org-inactive" },
    { "Response: [{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]", "session-expired" },
    { "redirect: https://127.0.0.1:8400/callback?error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match",
      "redirect-mismatch" },
    { "error=invalid_client_id&error_description=client%20identifier%20invalid", "client-invalid" },
    { "AADSTS7000222: The provided client secret keys for app 'x' are expired.", "client-secret-expired" },
    { "HTTP/1.1 429 Too Many Requests", "rate-limited" },
    { "HTTP/1.1 407 Proxy Authentication Required", "proxy-auth-required" },
    { "Error authenticating with the refresh token due to: expired access/refresh token", "refresh-token-expired" },
    { "(reconnect:123): Unacceptable TLS certificate", "tls-error" },
    { "Error calling StartServiceByName for org.freedesktop.secrets: The name org.freedesktop.secrets was not provided by any .service files",
      "keyring-unavailable" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_text (cases[i].text, -1);
      g_autofree char *causes = causes_of (diagnosis);

      g_test_message ("%s -> %s", cases[i].text, causes);
      g_assert_cmpstr (rc_diagnosis_get_cause (diagnosis), ==, cases[i].cause);
    }
}

static void
test_redaction (void)
{
  const char *text =
    "2026-01-05 10:00:00 ERROR refresh failed (invalid_grant) expired access/refresh token "
    "refresh_token=5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrqGy.I3pLrJAXxk9Yw3nJ5aqnsvI3tKVdZeBOpyAL "
    "Authorization: Bearer 00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxez "
    "id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl";
  g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_text (text, -1);
  g_autofree char *redacted = rc_diagnosis_redact ("see https://login.microsoftonline.com/error?code=700082 code=AbCdEf123456", -1);

  g_assert_cmpstr (rc_diagnosis_get_cause (diagnosis), ==, "refresh-token-expired");
  assert_no_secret (diagnosis, "5Aep861");
  assert_no_secret (diagnosis, "AR8AQJXg5oj8");
  assert_no_secret (diagnosis, "eyJzdWIiOiJhZGEifQ");
  g_assert_true (evidence_contains (rc_diagnosis_get_finding (diagnosis, 0), "[redacted]"));
  g_assert_cmpstr (redacted, ==, "see https://login.microsoftonline.com/error?code=700082 code=[redacted]");
}

/* Pasted text is read up to its limit, log lines up to theirs. */
static void
test_limits (void)
{
  gsize big = RC_DIAGNOSIS_MAX_TEXT + 4096;
  g_autofree char *text = g_malloc (big + 1);
  g_autoptr(RcDiagnosis) pasted = NULL;
  g_autoptr(RcDiagnosis) streamed = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  const char *tail = "\nConnection Expired\n";

  memset (text, 'a', big);
  text[big] = '\0';
  /* a line past the limit: the explanation at its end is not read */
  memcpy (text + big - strlen (tail), tail, strlen (tail));
  pasted = rc_diagnosis_new_from_text (text, -1);
  g_assert_true (rc_diagnosis_get_truncated (pasted));
  g_assert_cmpstr (rc_diagnosis_get_cause (pasted), ==, "unknown");

  /* one huge line, then a short one that is read */
  stream = g_memory_input_stream_new_from_data (g_strdup (text), big, g_free);
  streamed = rc_diagnosis_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rc_diagnosis_get_truncated (streamed));
  g_assert_cmpuint (rc_diagnosis_get_lines_read (streamed), ==, 2);
  g_assert_cmpstr (rc_diagnosis_get_cause (streamed), ==, "refresh-token-expired");
}

/* Thousands of lines through the stream: counts and times add up, and the
 * evidence stays a few lines.  (Peak memory is measured in bench/.) */
static void
test_stream_counts (void)
{
  const char *block =
    "2026-02-01 08:00:00,001 [7] INFO  sync     Synchronize: 42 contacts\r\n"
    "2026-02-01 08:00:01,002 [7] ERROR sfdcsession LogOn failed with exception - token validity expired\r\n"
    "2026-02-01 08:00:02,003 [7] DEBUG general  Not running Synchronize: Status:SalesforceNotConnected, SalesforceCredentialsInvalid\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (block, strlen (block));
  g_autoptr(GInputStream) stream = g_memory_input_stream_new ();
  g_autoptr(RcDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  const guint repeats = 4000;
  const RcFinding *finding;

  for (guint i = 0; i < repeats; i++)
    g_memory_input_stream_add_bytes (G_MEMORY_INPUT_STREAM (stream), bytes);
  g_memory_input_stream_add_data (G_MEMORY_INPUT_STREAM (stream),
                                  "2026-02-03 09:30:00 ERROR LogOn failed - token validity expired", -1, NULL);

  diagnosis = rc_diagnosis_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_diagnosis_get_lines_read (diagnosis), ==, 3 * repeats + 1);
  g_assert_false (rc_diagnosis_get_truncated (diagnosis));
  finding = rc_diagnosis_get_finding (diagnosis, 0);
  g_assert_cmpstr (rc_finding_get_cause (finding), ==, "refresh-token-policy-immediate");
  g_assert_cmpint (rc_finding_get_confidence (finding), ==, RC_CONFIDENCE_HIGH);
  g_assert_cmpuint (rc_finding_get_count (finding), ==, 2 * repeats + 1);
  g_assert_cmpuint (g_strv_length ((char **) rc_finding_get_evidence (finding)), <=, RC_DIAGNOSIS_MAX_EVIDENCE);
  {
    g_autofree char *last = g_date_time_format (rc_finding_get_last_seen (finding), "%F %T");

    g_assert_cmpstr (last, ==, "2026-02-03 09:30:00");
  }
}

/* The explainer fed by hand, as the window does for pasted lines. */
static void
test_explainer (void)
{
  g_autoptr(RcExplainer) explainer = rc_explainer_new ();
  g_autoptr(RcDiagnosis) first = NULL;
  g_autoptr(RcDiagnosis) second = NULL;
  const char *line = "2026-02-03T10:15:00+02:00 AADSTS50057: The user account is disabled.";

  rc_explainer_feed_line (explainer, line, strlen (line));
  rc_explainer_feed_line (explainer, "\xff\xfe garbage \x00 bytes", 18);
  first = rc_explainer_finish (explainer);
  g_assert_cmpstr (rc_diagnosis_get_cause (first), ==, "user-deactivated");
  g_assert_cmpint (g_date_time_to_unix (rc_finding_get_first_seen (rc_diagnosis_get_finding (first, 0))), ==,
                   1770106500);
  g_assert_cmpuint (rc_diagnosis_get_lines_read (first), ==, 2);

  second = rc_explainer_finish (explainer);
  g_assert_cmpuint (rc_diagnosis_get_n_findings (second), ==, 0);
  g_assert_cmpuint (rc_diagnosis_get_lines_read (second), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reconnect/diagnosis/from-error/%s", error_cases[i].name);

      g_test_add_data_func (path, &error_cases[i], test_from_error);
    }
  g_test_add_func ("/reconnect/diagnosis/from-error-evidence", test_from_error_evidence);
  g_test_add_func ("/reconnect/diagnosis/from-local-errors", test_from_local_errors);
  for (guint i = 0; i < G_N_ELEMENTS (file_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reconnect/diagnosis/file/%s", file_cases[i].file);

      g_test_add_data_func (path, &file_cases[i], test_file);
    }
  g_test_add_func ("/reconnect/diagnosis/file-async", test_file_async);
  g_test_add_func ("/reconnect/diagnosis/not-errors", test_not_errors);
  g_test_add_func ("/reconnect/diagnosis/unknown-error-line", test_unknown_error_line);
  g_test_add_func ("/reconnect/diagnosis/structure-in-text", test_structure_in_text);
  g_test_add_func ("/reconnect/diagnosis/redaction", test_redaction);
  g_test_add_func ("/reconnect/diagnosis/limits", test_limits);
  g_test_add_func ("/reconnect/diagnosis/stream-counts", test_stream_counts);
  g_test_add_func ("/reconnect/diagnosis/explainer", test_explainer);

  return g_test_run ();
}
