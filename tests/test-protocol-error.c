/* test-protocol-error.c: what the classifier gets from a failed exchange.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bodies are the real ones from shared/reference/providers.md (§1.5,
 * §1.6, §2.2, §2.3), byte for byte; every body is handed over in a buffer of
 * exactly its size, with no terminating nul, so that the sanitizer run
 * catches any read past the end.
 */

#include "config.h"

#include <string.h>

#include "rc-json.h"
#include "rc-protocol-error.h"
#include "rc-protocol-error-private.h"

#define JSON_UTF8 "application/json;charset=UTF-8"

#define SF_EXPIRED "{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}"
#define SF_REST_401 "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"
#define ENTRA_INVALID_SCOPE \
  "{\n" \
  "  \"error\": \"invalid_scope\",\n" \
  "  \"error_description\": \"AADSTS70011: The provided value for the input parameter 'scope' isn't valid. ...\\r\\nTrace ID: ...\\r\\nCorrelation ID: ...\\r\\nTimestamp: 2016-01-09 02:02:12Z\",\n" \
  "  \"error_codes\": [70011],\n" \
  "  \"timestamp\": \"2016-01-09 02:02:12Z\",\n" \
  "  \"trace_id\": \"0000aaaa-11bb-cccc-dd33-eeeeee333333\",\n" \
  "  \"correlation_id\": \"aaaa0000-bb11-2222-33cc-444444dddddd\",\n" \
  "  \"error_uri\": \"https://login.microsoftonline.com/error?code=70011\"\n" \
  "}"
#define CA_CLAIMS "{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\"1f8b1fc4-0b5e-4c3c-9d5a-3b4a2e0b7e11\"]}}}"
#define ENTRA_MFA \
  "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000007-0000-0000-c000-000000000000'.\"," \
  "\"error_codes\":[50076],\"timestamp\":\"2026-01-12 09:14:03Z\",\"trace_id\":\"0000aaaa-11bb-cccc-dd33-eeeeee333333\"," \
  "\"correlation_id\":\"aaaa0000-bb11-2222-33cc-444444dddddd\",\"error_uri\":\"https://login.microsoftonline.com/error?code=50076\"," \
  "\"suberror\":\"basic_action\",\"claims\":\"{\\\"access_token\\\":{\\\"capolids\\\":{\\\"essential\\\":true,\\\"values\\\":[\\\"1f8b1fc4-0b5e-4c3c-9d5a-3b4a2e0b7e11\\\"]}}}\"}"
#define ENTRA_BAD_TOKEN \
  "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '2025-11-02T08:00:00Z' and the TokensValidFrom date (before which tokens are not valid) for this user is '2026-01-10T17:31:09Z'.\"," \
  "\"error_codes\":[50173],\"suberror\":\"bad_token\"}"
#define DATAVERSE_401 "{\"error\":{\"code\":\"0x8005F101\",\"message\":\"The requested resource requires authentication.\"}}"
#define HTML_503 \
  "<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>\n" \
  "<body><h1>Maintenance</h1><p>{\"error\":\"invalid_grant\"} Bad_OAuth_Token</p></body></html>\n"

/* A GBytes over a copy of @data with exactly @size bytes and no nul after. */
static GBytes *
exact_bytes (const char *data,
             gsize       size)
{
  return g_bytes_new_take (g_memdup2 (data, size), size);
}

static RcProtocolError *
from_body (guint       status,
           const char *content_type,
           const char *body)
{
  g_autoptr(GBytes) bytes = exact_bytes (body, strlen (body));

  return rc_protocol_error_new_from_response ("token", status, content_type, bytes, 0);
}

static void
assert_nothing_parsed (RcProtocolError *error)
{
  guint n_codes = 99;

  g_assert_null (rc_protocol_error_get_error (error));
  g_assert_null (rc_protocol_error_get_description (error));
  g_assert_null (rc_protocol_error_get_error_codes (error, &n_codes));
  g_assert_cmpuint (n_codes, ==, 0);
  g_assert_null (rc_protocol_error_get_suberror (error));
  g_assert_null (rc_protocol_error_get_claims (error));
  g_assert_null (rc_protocol_error_get_trace_id (error));
  g_assert_null (rc_protocol_error_get_correlation_id (error));
  g_assert_null (rc_protocol_error_get_api_error_code (error));
  g_assert_null (rc_protocol_error_get_api_message (error));
  g_assert_null (rc_protocol_error_get_transport_error (error));
}

static void
test_salesforce_invalid_grant (void)
{
  g_autoptr(GBytes) bytes = exact_bytes (SF_EXPIRED, strlen (SF_EXPIRED));
  g_autoptr(RcProtocolError) error = NULL;
  guint n_codes = 99;

  error = rc_protocol_error_new_from_response ("token", 400, JSON_UTF8, bytes, 1767225600);
  g_assert_cmpstr (rc_protocol_error_get_endpoint (error), ==, "token");
  g_assert_cmpuint (rc_protocol_error_get_http_status (error), ==, 400);
  g_assert_cmpint (rc_protocol_error_get_server_date (error), ==, 1767225600);
  g_assert_cmpint (rc_protocol_error_get_retry_after (error), ==, 0);
  g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "invalid_grant");
  g_assert_cmpstr (rc_protocol_error_get_description (error), ==, "expired access/refresh token");
  g_assert_null (rc_protocol_error_get_error_codes (error, &n_codes));
  g_assert_cmpuint (n_codes, ==, 0);
  g_assert_null (rc_protocol_error_get_suberror (error));
  g_assert_null (rc_protocol_error_get_api_error_code (error));
  g_assert_null (rc_protocol_error_get_transport_error (error));
}

static void
test_salesforce_rest_session (void)
{
  g_autoptr(RcProtocolError) error = from_body (401, JSON_UTF8, SF_REST_401);

  g_assert_cmpuint (rc_protocol_error_get_http_status (error), ==, 401);
  g_assert_cmpstr (rc_protocol_error_get_api_error_code (error), ==, "INVALID_SESSION_ID");
  g_assert_cmpstr (rc_protocol_error_get_api_message (error), ==, "Session expired or invalid");
  g_assert_null (rc_protocol_error_get_error (error));
  g_assert_null (rc_protocol_error_get_description (error));
}

static void
test_salesforce_identity_text (void)
{
  g_autoptr(RcProtocolError) bad = from_body (403, "text/plain;charset=UTF-8", "Bad_OAuth_Token");
  g_autoptr(RcProtocolError) missing = from_body (403, "text/plain", "Missing_OAuth_Token\r\n");
  g_autoptr(RcProtocolError) untyped = from_body (403, NULL, "Bad_OAuth_Token");
  g_autoptr(RcProtocolError) sentence = from_body (403, "text/plain", "Bad OAuth token");
  g_autoptr(RcProtocolError) html = from_body (403, "text/html", "Bad_OAuth_Token");
  g_autoptr(RcProtocolError) word = from_body (403, "text/plain", "Forbidden");

  g_assert_cmpstr (rc_protocol_error_get_api_error_code (bad), ==, "Bad_OAuth_Token");
  g_assert_null (rc_protocol_error_get_api_message (bad));
  g_assert_null (rc_protocol_error_get_error (bad));
  g_assert_cmpstr (rc_protocol_error_get_api_error_code (missing), ==, "Missing_OAuth_Token");
  g_assert_cmpstr (rc_protocol_error_get_api_error_code (untyped), ==, "Bad_OAuth_Token");
  assert_nothing_parsed (sentence);
  assert_nothing_parsed (html);
  assert_nothing_parsed (word);
}

static void
test_entra_error_codes (void)
{
  g_autoptr(RcProtocolError) error = from_body (400, "application/json; charset=utf-8", ENTRA_INVALID_SCOPE);
  const gint64 *codes;
  guint n_codes = 0;

  g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "invalid_scope");
  g_assert_true (g_str_has_prefix (rc_protocol_error_get_description (error), "AADSTS70011: "));
  g_assert_nonnull (strstr (rc_protocol_error_get_description (error), "...\r\nTrace ID: ...\r\n"));
  codes = rc_protocol_error_get_error_codes (error, &n_codes);
  g_assert_cmpuint (n_codes, ==, 1);
  g_assert_cmpint (codes[0], ==, 70011);
  g_assert_cmpstr (rc_protocol_error_get_trace_id (error), ==, "0000aaaa-11bb-cccc-dd33-eeeeee333333");
  g_assert_cmpstr (rc_protocol_error_get_correlation_id (error), ==, "aaaa0000-bb11-2222-33cc-444444dddddd");
  g_assert_null (rc_protocol_error_get_suberror (error));
  g_assert_null (rc_protocol_error_get_claims (error));
  g_assert_null (rc_protocol_error_get_api_error_code (error));
  /* a NULL n_codes is allowed */
  g_assert_true (rc_protocol_error_get_error_codes (error, NULL) == codes);
}

/* The claims challenge holds the literal "access_token": it is a string to
 * keep, never a token and never a reason to read anything else. */
static void
test_entra_claims (void)
{
  g_autoptr(RcProtocolError) error = from_body (400, "application/json; charset=utf-8", ENTRA_MFA);
  const gint64 *codes;
  guint n_codes = 0;

  g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "invalid_grant");
  g_assert_true (g_str_has_prefix (rc_protocol_error_get_description (error), "AADSTS50076: "));
  codes = rc_protocol_error_get_error_codes (error, &n_codes);
  g_assert_cmpuint (n_codes, ==, 1);
  g_assert_cmpint (codes[0], ==, 50076);
  g_assert_cmpstr (rc_protocol_error_get_suberror (error), ==, "basic_action");
  g_assert_cmpstr (rc_protocol_error_get_claims (error), ==, CA_CLAIMS);
  g_assert_cmpstr (rc_protocol_error_get_trace_id (error), ==, "0000aaaa-11bb-cccc-dd33-eeeeee333333");
  g_assert_cmpstr (rc_protocol_error_get_correlation_id (error), ==, "aaaa0000-bb11-2222-33cc-444444dddddd");
  g_assert_null (rc_protocol_error_get_api_error_code (error));
  g_assert_null (rc_protocol_error_get_api_message (error));
}

static void
test_entra_bad_token (void)
{
  g_autoptr(RcProtocolError) error = from_body (400, "application/json", ENTRA_BAD_TOKEN);
  guint n_codes = 0;

  g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "invalid_grant");
  g_assert_cmpstr (rc_protocol_error_get_suberror (error), ==, "bad_token");
  g_assert_cmpint (rc_protocol_error_get_error_codes (error, &n_codes)[0], ==, 50173);
  g_assert_cmpuint (n_codes, ==, 1);
  g_assert_nonnull (strstr (rc_protocol_error_get_description (error), "TokensValidFrom"));
}

static void
test_dataverse_odata (void)
{
  g_autoptr(RcProtocolError) error = from_body (401, "application/json; odata.metadata=minimal", DATAVERSE_401);

  g_assert_cmpstr (rc_protocol_error_get_api_error_code (error), ==, "0x8005F101");
  g_assert_cmpstr (rc_protocol_error_get_api_message (error), ==, "The requested resource requires authentication.");
  g_assert_null (rc_protocol_error_get_error (error));
  g_assert_null (rc_protocol_error_get_description (error));
}

static void
test_content_types (void)
{
  static const char * const json_types[] = {
    "application/json",
    "APPLICATION/JSON",
    "application/json;charset=UTF-8",
    "Application/Json ; Charset=\"utf-8\"",
    "  application/json  ",
    "application/problem+json",
    "application/vnd.api+json; charset=utf-8",
  };
  static const char * const other_types[] = {
    "text/html; charset=utf-8",
    "text/plain",
    "text/json",
    "application/jsonp",
    "application/json-seq",
    "application/xml",
    "+json",
    "/+json",
    "application/+json",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (json_types); i++)
    {
      g_autoptr(RcProtocolError) error = from_body (400, json_types[i], SF_EXPIRED);

      g_test_message ("content type “%s”", json_types[i]);
      g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "invalid_grant");
    }

  for (guint i = 0; i < G_N_ELEMENTS (other_types); i++)
    {
      g_autoptr(RcProtocolError) error = from_body (400, other_types[i], SF_EXPIRED);

      g_test_message ("content type “%s”", other_types[i]);
      assert_nothing_parsed (error);
    }

  {
    g_autoptr(RcProtocolError) untyped = from_body (400, NULL, SF_EXPIRED);

    assert_nothing_parsed (untyped);
  }
}

static void
test_html_503 (void)
{
  g_autoptr(RcProtocolError) error = from_body (503, "text/html; charset=iso-8859-1", HTML_503);
  g_autoptr(RcProtocolError) empty = rc_protocol_error_new_from_response ("token", 502, JSON_UTF8, NULL, 0);
  g_autoptr(GBytes) nothing = g_bytes_new (NULL, 0);
  g_autoptr(RcProtocolError) zero = rc_protocol_error_new_from_response ("token", 500, JSON_UTF8, nothing, 0);

  g_assert_cmpuint (rc_protocol_error_get_http_status (error), ==, 503);
  assert_nothing_parsed (error);
  g_assert_cmpuint (rc_protocol_error_get_http_status (empty), ==, 502);
  assert_nothing_parsed (empty);
  assert_nothing_parsed (zero);
}

/* Every prefix of every real body: a cut body is read as nothing, never
 * half-read, and never read past its end. */
static void
test_truncated (void)
{
  static const char * const bodies[] = {
    SF_EXPIRED, SF_REST_401, ENTRA_INVALID_SCOPE, ENTRA_MFA, DATAVERSE_401,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      gsize length = strlen (bodies[i]);

      for (gsize cut = 0; cut < length; cut++)
        {
          g_autoptr(GBytes) bytes = exact_bytes (bodies[i], cut);
          g_autoptr(RcProtocolError) error = rc_protocol_error_new_from_response ("token", 400, "application/json",
                                                                                  bytes, 0);

          assert_nothing_parsed (error);
        }

      /* and whole, it is read */
      {
        g_autoptr(RcProtocolError) whole = from_body (400, "application/json", bodies[i]);

        g_assert_true (rc_protocol_error_get_error (whole) != NULL ||
                       rc_protocol_error_get_api_error_code (whole) != NULL);
      }
    }
}

static void
test_wrong_types (void)
{
  static const char * const bodies[] = {
    ("{\"error\":42,\"error_description\":[\"expired\"],\"error_codes\":\"70011\",\"suberror\":{},"
     "\"claims\":{\"access_token\":{\"essential\":true}},\"trace_id\":null,\"correlation_id\":true}"),
    "{\"error\":{\"code\":5,\"message\":null}}",
    "{\"error\":[\"invalid_grant\"]}",
    "{\"error\":null,\"error_codes\":{\"0\":70011}}",
    "{\"error\":\"\",\"error_description\":\"\"}",
    "[42,{\"errorCode\":\"INVALID_SESSION_ID\"}]",
    "[{\"errorCode\":7,\"message\":[\"Session expired or invalid\"]}]",
    "[[{\"errorCode\":\"INVALID_SESSION_ID\"}]]",
    "[]",
    "{}",
    "\"invalid_grant\"",
    "42",
    "null",
    "true",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(RcProtocolError) error = from_body (400, "application/json", bodies[i]);

      g_test_message ("body %s", bodies[i]);
      assert_nothing_parsed (error);
    }

  {
    /* Integers are kept, anything else in the array is skipped. */
    g_autoptr(RcProtocolError) error = from_body (400, "application/json",
                                                  "{\"error\":\"invalid_grant\",\"error_codes\":[50076,\"50079\",1.5,null,[7],70008]}");
    const gint64 *codes;
    guint n_codes = 0;

    codes = rc_protocol_error_get_error_codes (error, &n_codes);
    g_assert_cmpuint (n_codes, ==, 2);
    g_assert_cmpint (codes[0], ==, 50076);
    g_assert_cmpint (codes[1], ==, 70008);
    g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "invalid_grant");
  }
}

static void
test_huge_strings (void)
{
  g_autoptr(GString) body = g_string_new ("{\"error\":\"invalid_grant\",\"error_description\":\"");
  g_autoptr(GString) description = g_string_new (NULL);
  g_autoptr(RcProtocolError) error = NULL;
  const char *kept;
  const gint64 *codes;
  guint n_codes = 0;

  /* 'a' then two-byte characters, so 1024 falls inside a character */
  g_string_append_c (description, 'a');
  for (guint i = 0; i < 100000; i++)
    g_string_append (description, "é");
  g_string_append (body, description->str);
  g_string_append (body, "\",\"error_codes\":[");
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (body, "%s%u", i ? "," : "", 50000 + i);
  g_string_append (body, "],\"trace_id\":\"");
  for (guint i = 0; i < 2000; i++)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}");

  error = from_body (400, "application/json", body->str);
  g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "invalid_grant");

  kept = rc_protocol_error_get_description (error);
  g_assert_cmpuint (strlen (kept), ==, 1023);
  g_assert_true (g_utf8_validate (kept, -1, NULL));
  g_assert_true (strncmp (kept, description->str, strlen (kept)) == 0);
  g_assert_cmpuint (strlen (rc_protocol_error_get_trace_id (error)), ==, 1024);

  codes = rc_protocol_error_get_error_codes (error, &n_codes);
  g_assert_cmpuint (n_codes, ==, 16);
  for (guint i = 0; i < n_codes; i++)
    g_assert_cmpint (codes[i], ==, 50000 + i);
}

static void
test_invalid_utf8 (void)
{
  /* A lone surrogate escape decodes to bytes that are not UTF-8: that one
   * string is dropped, the rest is kept. */
  g_autoptr(RcProtocolError) surrogate = from_body (400, "application/json",
                                                    "{\"error\":\"invalid_grant\",\"error_description\":\"bad \\ud800 half\","
                                                    "\"suberror\":\"basic_action\",\"trace_id\":\"\\ud800 x\"}");
  /* Raw bytes that are not UTF-8 make the whole body unreadable. */
  g_autoptr(RcProtocolError) raw = from_body (400, "application/json",
                                              "{\"error\":\"invalid_grant\",\"error_description\":\"bad \xff\xfe\"}");
  g_autoptr(RcProtocolError) nul = NULL;
  static const char with_nul[] = "{\"error\":\"invalid_grant\"}\0{\"error\":\"x\"}";
  g_autoptr(GBytes) bytes = exact_bytes (with_nul, sizeof with_nul - 1);
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RcProtocolError) redirect = NULL;

  g_assert_cmpstr (rc_protocol_error_get_error (surrogate), ==, "invalid_grant");
  g_assert_null (rc_protocol_error_get_description (surrogate));
  g_assert_null (rc_protocol_error_get_trace_id (surrogate));
  g_assert_cmpstr (rc_protocol_error_get_suberror (surrogate), ==, "basic_action");
  assert_nothing_parsed (raw);

  nul = rc_protocol_error_new_from_response ("token", 400, "application/json", bytes, 0);
  assert_nothing_parsed (nul);

  g_hash_table_insert (query, (char *) "error", (char *) "access_denied");
  g_hash_table_insert (query, (char *) "error_description", (char *) "bad \xc3");
  redirect = rc_protocol_error_new_from_redirect ("authorize", query);
  g_assert_cmpstr (rc_protocol_error_get_error (redirect), ==, "access_denied");
  g_assert_null (rc_protocol_error_get_description (redirect));
}

/* json-glib recurses once per level; a hostile body must not reach it. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) shallow = g_string_new ("{\"error\":\"invalid_grant\",\"x\":");
  g_autoptr(RcProtocolError) refused = NULL;
  g_autoptr(RcProtocolError) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < 500000; i++)
    g_string_append (deep, "[{\"a\":");
  refused = from_body (400, "application/json", deep->str);
  assert_nothing_parsed (refused);

  for (guint i = 0; i < RC_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (shallow, '[');
  for (guint i = 0; i < RC_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (shallow, ']');
  g_string_append (shallow, ",\"brackets\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[\"}");
  kept = from_body (400, "application/json", shallow->str);
  g_assert_cmpstr (rc_protocol_error_get_error (kept), ==, "invalid_grant");

  /* json-glib's extensions hide brackets: not JSON, so refused */
  node = rc_json_parse ("{'a':'[[['}", strlen ("{'a':'[[['}"), &error);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_assert_null (node);
  g_clear_error (&error);
  node = rc_json_parse ("[/* ]]] */ 1]", strlen ("[/* ]]] */ 1]"), &error);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_assert_null (node);
}

/* One value per body: json-glib would read "{…} {…}" as its first value
 * and leak the second; a body like that is not one answer. */
static void
test_one_value (void)
{
  static const char * const refused[] = {
    (SF_EXPIRED " " SF_EXPIRED),
    (SF_EXPIRED SF_REST_401),
    ("[]" SF_EXPIRED),
    ("1" SF_EXPIRED),
    ("\"x\" " SF_EXPIRED),
    (SF_EXPIRED "]"),
    (SF_EXPIRED " 1"),
    ("]" SF_EXPIRED),
    /* what json-glib 1.6 leaks on when it fails part way (found by
     * fuzz-userinfo): an escape JSON lacks, a stray member, and the rest */
    ("{\"error\":\"invalid_grant\",\"upn\":\"eve\\uae\":Eve\"}{\"error\":\"x\"}"),
    ("{\"error\":\"invalid_grant\",\"a\":\"\\x41\"}"),
    ("{\"error\":\"invalid_grant\" \"a\":1}"),
    ("{\"error\":\"invalid_grant\",}"),
    ("{\"error\":\"invalid_grant\",\"a\":01}"),
    ("{\"error\":\"invalid_grant\",\"a\":tru}"),
    ("{\"error\":\"invalid_grant\",\"a\":[1,]}"),
    ("{\"error\":\"invalid_grant\",\"a\":\"tab\there\"}"),
    /* surrogate escapes that do not pair (json-glib leaks on these) */
    ("{\"error\":\"invalid_grant\",\"upn\":\"e\\uDDDe\\uDDDD\"}"),
    ("{\"error\":\"invalid_grant\",\"a\":\"\\ud800\\ud800\"}"),
  };
  static const char * const accepted[] = {
    (SF_EXPIRED "\r\n"),
    ("\n\t " SF_EXPIRED " "),
    ("\xef\xbb\xbf" SF_EXPIRED),
    ("{\"error\":\"invalid_grant\",\"n\":[-0.5e+3,0,1E9,true,false,null,{},[]],\"s\":\"\\u00e9\\n\\/\"}"),
    ("{\"error\":\"invalid_grant\",\"emoji\":\"\\ud83d\\ude00\"}"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(RcProtocolError) error = from_body (400, "application/json", refused[i]);

      g_test_message ("body %s", refused[i]);
      assert_nothing_parsed (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(RcProtocolError) error = from_body (400, "application/json", accepted[i]);

      g_test_message ("body %s", accepted[i]);
      g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "invalid_grant");
    }
}

static void
test_retry_after (void)
{
  static const struct {
    const char *header;
    gint64      server_date;
    gint64      expected;
  } cases[] = {
    { "120", 0, 120 },
    { " 30 ", 0, 30 },
    { "0", 0, 0 },
    { "99999999999999999999999", 0, 7 * 24 * 60 * 60 },
    { "Wed, 21 Oct 2015 07:28:00 GMT", 1445412420, 60 },   /* Date: 07:27:00 */
    { "Wed, 21 Oct 2015 07:28:00 GMT", 0, 0 },             /* no Date: cannot tell */
    { "Wed, 21 Oct 2015 07:28:00 GMT", 1445412540, 0 },    /* already past */
    { "-5", 0, 0 },
    { "12abc", 0, 0 },
    { "soon", 1445412420, 0 },
    { "", 0, 0 },
    { NULL, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = exact_bytes ("{}", 2);
      g_autoptr(RcProtocolError) error = NULL;

      g_test_message ("Retry-After: %s", cases[i].header ? cases[i].header : "(none)");
      error = rc_protocol_error_new_from_response_full ("token", 429, "application/json", bytes,
                                                        cases[i].server_date, cases[i].header);
      g_assert_cmpint (rc_protocol_error_get_retry_after (error), ==, cases[i].expected);
    }
}

static void
test_transport (void)
{
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                   "Could not connect to login.salesforce.com: Connection refused");
  g_autoptr(RcProtocolError) error = rc_protocol_error_new_from_transport ("token", refused);
  const GError *kept = rc_protocol_error_get_transport_error (error);

  g_assert_nonnull (kept);
  g_assert_true (kept != refused);
  g_assert_error (kept, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpstr (kept->message, ==, refused->message);
  g_assert_cmpuint (rc_protocol_error_get_http_status (error), ==, 0);
  g_assert_cmpstr (rc_protocol_error_get_endpoint (error), ==, "token");
  g_assert_null (rc_protocol_error_get_error (error));

  /* The copy outlives the original. */
  g_clear_error (&refused);
  g_assert_cmpstr (rc_protocol_error_get_transport_error (error)->message, ==,
                   "Could not connect to login.salesforce.com: Connection refused");
}

static void
test_redirect (void)
{
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RcProtocolError) error = NULL;
  g_autoptr(GHashTable) bare = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RcProtocolError) nothing = NULL;

  g_hash_table_insert (query, (char *) "error", (char *) "access_denied");
  g_hash_table_insert (query, (char *) "error_description", (char *) "AADSTS65004: User declined to consent to access the app.");
  g_hash_table_insert (query, (char *) "error_subcode", (char *) "cancel");
  g_hash_table_insert (query, (char *) "error_uri", (char *) "https://login.microsoftonline.com/error?code=65004");
  g_hash_table_insert (query, (char *) "state", (char *) "f0b6c3a2d1e4");
  g_hash_table_insert (query, (char *) "code", (char *) "0.AXoA-must-not-be-kept");

  error = rc_protocol_error_new_from_redirect ("authorize", query);
  g_assert_cmpstr (rc_protocol_error_get_endpoint (error), ==, "authorize");
  g_assert_cmpuint (rc_protocol_error_get_http_status (error), ==, 0);
  g_assert_cmpstr (rc_protocol_error_get_error (error), ==, "access_denied");
  g_assert_cmpstr (rc_protocol_error_get_description (error), ==,
                   "AADSTS65004: User declined to consent to access the app.");
  g_assert_cmpstr (rc_protocol_error_get_suberror (error), ==, "cancel");
  g_assert_null (rc_protocol_error_get_api_error_code (error));
  g_assert_null (rc_protocol_error_get_claims (error));

  nothing = rc_protocol_error_new_from_redirect ("authorize", bare);
  assert_nothing_parsed (nothing);
}

/* The GError carries the protocol error: copies take a reference, frees
 * drop it, and the last one to go frees it. */
static void
test_gerror (void)
{
  RcProtocolError *protocol = from_body (400, JSON_UTF8, SF_EXPIRED);
  g_autoptr(GError) plain = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "no");
  g_autoptr(GError) bare = g_error_new_literal (RC_OAUTH_ERROR, RC_OAUTH_ERROR_STATE_MISMATCH, "state");
  g_autoptr(GError) bare_copy = NULL;
  GError *error;
  GError *copy;
  GError *propagated = NULL;

  g_assert_cmpuint (rc_protocol_error_get_ref_count (protocol), ==, 1);

  error = rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_REJECTED, "The server refused: invalid_grant");
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_REJECTED);
  g_assert_cmpstr (error->message, ==, "The server refused: invalid_grant");
  g_assert_true (rc_oauth_error_get_protocol_error (error) == protocol);
  g_assert_cmpuint (rc_protocol_error_get_ref_count (protocol), ==, 2);

  copy = g_error_copy (error);
  g_assert_error (copy, RC_OAUTH_ERROR, RC_OAUTH_ERROR_REJECTED);
  g_assert_true (rc_oauth_error_get_protocol_error (copy) == protocol);
  g_assert_cmpuint (rc_protocol_error_get_ref_count (protocol), ==, 3);

  /* the path errors take through GTask and g_propagate_error */
  g_propagate_prefixed_error (&propagated, error, "Refresh: ");
  g_assert_true (rc_oauth_error_get_protocol_error (propagated) == protocol);
  g_assert_cmpuint (rc_protocol_error_get_ref_count (protocol), ==, 3);

  g_error_free (propagated);
  g_assert_cmpuint (rc_protocol_error_get_ref_count (protocol), ==, 2);

  /* The copy alone keeps it alive. */
  rc_protocol_error_unref (protocol);
  g_assert_cmpstr (rc_protocol_error_get_error (rc_oauth_error_get_protocol_error (copy)), ==, "invalid_grant");
  g_assert_cmpuint (rc_protocol_error_get_ref_count (rc_oauth_error_get_protocol_error (copy)), ==, 1);
  g_error_free (copy);

  /* Not ours, or ours without a protocol error: NULL. */
  g_assert_null (rc_oauth_error_get_protocol_error (NULL));
  g_assert_null (rc_oauth_error_get_protocol_error (plain));
  g_assert_null (rc_oauth_error_get_protocol_error (bare));
  bare_copy = g_error_copy (bare);
  g_assert_null (rc_oauth_error_get_protocol_error (bare_copy));
}

static void
test_boxed (void)
{
  g_autoptr(RcProtocolError) error = from_body (400, JSON_UTF8, SF_EXPIRED);
  RcProtocolError *copy;

  g_assert_true (G_TYPE_IS_BOXED (RC_TYPE_PROTOCOL_ERROR));
  copy = g_boxed_copy (RC_TYPE_PROTOCOL_ERROR, error);
  g_assert_true (copy == error);
  g_assert_cmpuint (rc_protocol_error_get_ref_count (error), ==, 2);
  g_boxed_free (RC_TYPE_PROTOCOL_ERROR, copy);
  g_assert_cmpuint (rc_protocol_error_get_ref_count (error), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/protocol-error/salesforce-invalid-grant", test_salesforce_invalid_grant);
  g_test_add_func ("/reconnect/protocol-error/salesforce-rest-session", test_salesforce_rest_session);
  g_test_add_func ("/reconnect/protocol-error/salesforce-identity-text", test_salesforce_identity_text);
  g_test_add_func ("/reconnect/protocol-error/entra-error-codes", test_entra_error_codes);
  g_test_add_func ("/reconnect/protocol-error/entra-claims", test_entra_claims);
  g_test_add_func ("/reconnect/protocol-error/entra-bad-token", test_entra_bad_token);
  g_test_add_func ("/reconnect/protocol-error/dataverse-odata", test_dataverse_odata);
  g_test_add_func ("/reconnect/protocol-error/content-types", test_content_types);
  g_test_add_func ("/reconnect/protocol-error/html-503", test_html_503);
  g_test_add_func ("/reconnect/protocol-error/truncated", test_truncated);
  g_test_add_func ("/reconnect/protocol-error/wrong-types", test_wrong_types);
  g_test_add_func ("/reconnect/protocol-error/huge-strings", test_huge_strings);
  g_test_add_func ("/reconnect/protocol-error/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/reconnect/protocol-error/deep-nesting", test_deep_nesting);
  g_test_add_func ("/reconnect/protocol-error/one-value", test_one_value);
  g_test_add_func ("/reconnect/protocol-error/retry-after", test_retry_after);
  g_test_add_func ("/reconnect/protocol-error/transport", test_transport);
  g_test_add_func ("/reconnect/protocol-error/redirect", test_redirect);
  g_test_add_func ("/reconnect/protocol-error/gerror", test_gerror);
  g_test_add_func ("/reconnect/protocol-error/boxed", test_boxed);

  return g_test_run ();
}
