/* test-token-set.c: token endpoint answers, the keyring form, refresh
 * merging, and what a log may see.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answers follow shared/reference/providers.md §1.4 (Salesforce: no
 * expires_in, issued_at in milliseconds as a string, instance_url and id)
 * and Entra's v2.0 token endpoint (expires_in 3599, no instance).
 */

#include "config.h"

#include <string.h>

#include "rc-json.h"
#include "rc-protocol-error.h"
#include "rc-token-set.h"

#define NOW G_GINT64_CONSTANT (1767225700)

#define SF_ACCESS  "00D5g000004XyZ1!AQ4AQFzL3tB8x0v_Vx5kTqYz9wq1mQnZb2sJ.rH8uK3pLmN7oP6qR5sT4uV3wX2yZ1aB0cD9eF8gH7iJ6kL5"
#define SF_REFRESH "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJ7hJXyuDmJF8GjsbhcJ7oVtYrC3dDy8xkbXjCXdQzTvqnA1bTp"
#define SF_ID_TOKEN "eyJraWQiOiIyNDYiLCJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdF9oYXNoIjoiWTFaMiJ9.c2lnbmF0dXJlLXNm"
#define SF_INSTANCE "https://acme.my.salesforce.com"
#define SF_IDENTITY "https://login.salesforce.com/id/00D5g000004XyZ1EAI/0055g00000A1b2cAAB"
#define SF_RESPONSE \
  "{\"access_token\":\"" SF_ACCESS "\"," \
  "\"refresh_token\":\"" SF_REFRESH "\"," \
  "\"signature\":\"m3hYbYc3fJd3o8qv0b6bJZ6f2iN0b3W3o0p9V8XzZkE=\"," \
  "\"scope\":\"refresh_token api id openid\"," \
  "\"id_token\":\"" SF_ID_TOKEN "\"," \
  "\"instance_url\":\"" SF_INSTANCE "\"," \
  "\"id\":\"" SF_IDENTITY "\"," \
  "\"token_type\":\"Bearer\"," \
  "\"issued_at\":\"1767225600123\"}"

#define ENTRA_ACCESS  "eyJ0eXAiOiJKV1QiLCJub25jZSI6IlpYaFRJa1pQIiwiYWxnIjoiUlMyNTYifQ.eyJhdWQiOiJodHRwczovL2FjbWUuY3JtLmR5bmFtaWNzLmNvbSJ9.ZW50cmEtc2ln"
#define ENTRA_REFRESH "1.AXoAqZ3mVbN7kUe9x0c2L4pTqWfGhJkLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPqRsTuVwXyZ_AbCdEfGhIjKl"
#define ENTRA_ID_TOKEN "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJvaWQiOiIwMDAwMDAwMC0wMDAwIn0.ZW50cmEtaWQ"
#define ENTRA_RESPONSE \
  "{\"token_type\":\"Bearer\"," \
  "\"scope\":\"https://acme.crm.dynamics.com/user_impersonation  https://acme.crm.dynamics.com/.default \"," \
  "\"expires_in\":3599,\"ext_expires_in\":3599," \
  "\"access_token\":\"" ENTRA_ACCESS "\"," \
  "\"refresh_token\":\"" ENTRA_REFRESH "\"," \
  "\"id_token\":\"" ENTRA_ID_TOKEN "\"}"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = rc_json_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  return node;
}

static RcTokenSet *
from_response (const char  *json,
               GError     **error)
{
  g_autoptr(JsonNode) node = parse (json);

  return rc_token_set_new_from_response (node, NOW, error);
}

static void
assert_scopes (RcTokenSet         *tokens,
               const char * const *expected)
{
  const char * const *scopes = rc_token_set_get_scopes (tokens);

  g_assert_nonnull (scopes);
  g_assert_cmpstrv (scopes, expected);
}

static void
assert_same (RcTokenSet *a,
             RcTokenSet *b)
{
  g_assert_cmpstr (rc_token_set_get_access_token (a), ==, rc_token_set_get_access_token (b));
  g_assert_cmpstr (rc_token_set_get_refresh_token (a), ==, rc_token_set_get_refresh_token (b));
  g_assert_cmpstr (rc_token_set_get_id_token (a), ==, rc_token_set_get_id_token (b));
  g_assert_cmpint (rc_token_set_get_issued_at (a), ==, rc_token_set_get_issued_at (b));
  g_assert_cmpint (rc_token_set_get_expires_at (a), ==, rc_token_set_get_expires_at (b));
  g_assert_cmpstrv (rc_token_set_get_scopes (a), rc_token_set_get_scopes (b));
  g_assert_cmpstr (rc_token_set_get_instance_url (a), ==, rc_token_set_get_instance_url (b));
  g_assert_cmpstr (rc_token_set_get_identity_url (a), ==, rc_token_set_get_identity_url (b));
}

/* No window of @token long enough to mean anything shows up in @text. */
static void
assert_no_token_in (const char *text,
                    const char *token)
{
  gsize length = strlen (token);

  g_assert_nonnull (text);
  for (gsize i = 0; i + 6 <= length; i++)
    {
      g_autofree char *window = g_strndup (token + i, 6);

      if (strstr (text, window) != NULL)
        g_error ("“%s” contains “%s”, a part of a token", text, window);
    }
}

static void
test_salesforce (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) tokens = from_response (SF_RESPONSE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rc_token_set_get_access_token (tokens), ==, SF_ACCESS);
  g_assert_cmpstr (rc_token_set_get_refresh_token (tokens), ==, SF_REFRESH);
  g_assert_cmpstr (rc_token_set_get_id_token (tokens), ==, SF_ID_TOKEN);
  /* milliseconds as a string, to seconds; Salesforce gives no expiry */
  g_assert_cmpint (rc_token_set_get_issued_at (tokens), ==, 1767225600);
  g_assert_cmpint (rc_token_set_get_expires_at (tokens), ==, 0);
  g_assert_false (rc_token_set_expires_within (tokens, NOW, 365 * 24 * 3600));
  assert_scopes (tokens, (const char * const[]) { "refresh_token", "api", "id", "openid", NULL });
  g_assert_cmpstr (rc_token_set_get_instance_url (tokens), ==, SF_INSTANCE);
  g_assert_cmpstr (rc_token_set_get_identity_url (tokens), ==, SF_IDENTITY);
}

static void
test_entra (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) tokens = from_response (ENTRA_RESPONSE, &error);
  g_autoptr(RcTokenSet) as_string = NULL;
  g_autoptr(RcTokenSet) as_double = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (rc_token_set_get_access_token (tokens), ==, ENTRA_ACCESS);
  g_assert_cmpstr (rc_token_set_get_refresh_token (tokens), ==, ENTRA_REFRESH);
  g_assert_cmpstr (rc_token_set_get_id_token (tokens), ==, ENTRA_ID_TOKEN);
  g_assert_cmpint (rc_token_set_get_issued_at (tokens), ==, NOW);
  g_assert_cmpint (rc_token_set_get_expires_at (tokens), ==, NOW + 3599);
  assert_scopes (tokens, (const char * const[]) { "https://acme.crm.dynamics.com/user_impersonation",
                                                  "https://acme.crm.dynamics.com/.default", NULL });
  g_assert_null (rc_token_set_get_instance_url (tokens));
  g_assert_null (rc_token_set_get_identity_url (tokens));

  /* Some servers send expires_in as a string, or as a JSON number with a
   * fraction part of zero. */
  as_string = from_response ("{\"access_token\":\"" ENTRA_ACCESS "\",\"token_type\":\"bearer\",\"expires_in\":\"3599\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rc_token_set_get_expires_at (as_string), ==, NOW + 3599);
  assert_scopes (as_string, (const char * const[]) { NULL });
  as_double = from_response ("{\"access_token\":\"" ENTRA_ACCESS "\",\"token_type\":\"BEARER\",\"expires_in\":3599.0}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rc_token_set_get_expires_at (as_double), ==, NOW + 3599);
}

static void
test_expires_within (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) tokens = from_response (ENTRA_RESPONSE, &error);
  g_autoptr(RcTokenSet) unknown = rc_token_set_new (ENTRA_ACCESS, NULL, NULL, NOW, 0, NULL, NULL, NULL);

  g_assert_false (rc_token_set_expires_within (tokens, NOW, 60));
  g_assert_false (rc_token_set_expires_within (tokens, NOW, 3598));
  g_assert_true (rc_token_set_expires_within (tokens, NOW, 3599));
  g_assert_true (rc_token_set_expires_within (tokens, NOW + 3540, 60));
  g_assert_true (rc_token_set_expires_within (tokens, NOW + 3599, 0));
  g_assert_true (rc_token_set_expires_within (tokens, NOW + 7200, 0));
  g_assert_false (rc_token_set_expires_within (unknown, NOW, G_MAXINT64));
}

/* A refresh that returns no refresh token keeps the old one (RFC 6749 §6),
 * and Salesforce's answer to a refresh has no id_token; what the fresh
 * answer does say wins. */
static void
test_refresh_without_refresh_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) signed_in = from_response (SF_RESPONSE, &error);
  g_autoptr(RcTokenSet) fresh = NULL;
  g_autoptr(RcTokenSet) merged = NULL;
  g_autoptr(RcTokenSet) rotated_answer = NULL;
  g_autoptr(RcTokenSet) rotated = NULL;

  g_assert_no_error (error);
  fresh = from_response ("{\"access_token\":\"00D5g000004XyZ1!AQ4AQNewAccessTokenAfterRefresh\","
                         "\"signature\":\"x\",\"instance_url\":\"https://acme-2.my.salesforce.com\","
                         "\"token_type\":\"Bearer\",\"issued_at\":\"1767229200456\"}", &error);
  g_assert_no_error (error);
  g_assert_null (rc_token_set_get_refresh_token (fresh));

  merged = rc_token_set_refreshed (signed_in, fresh);
  g_assert_true (merged != signed_in && merged != fresh);
  g_assert_cmpstr (rc_token_set_get_access_token (merged), ==, "00D5g000004XyZ1!AQ4AQNewAccessTokenAfterRefresh");
  g_assert_cmpstr (rc_token_set_get_refresh_token (merged), ==, SF_REFRESH);
  g_assert_cmpstr (rc_token_set_get_id_token (merged), ==, SF_ID_TOKEN);
  g_assert_cmpint (rc_token_set_get_issued_at (merged), ==, 1767229200);
  g_assert_cmpint (rc_token_set_get_expires_at (merged), ==, 0);
  assert_scopes (merged, (const char * const[]) { "refresh_token", "api", "id", "openid", NULL });
  g_assert_cmpstr (rc_token_set_get_instance_url (merged), ==, "https://acme-2.my.salesforce.com");
  g_assert_cmpstr (rc_token_set_get_identity_url (merged), ==, SF_IDENTITY);
  /* the sets themselves did not change */
  g_assert_cmpstr (rc_token_set_get_access_token (signed_in), ==, SF_ACCESS);
  g_assert_null (rc_token_set_get_refresh_token (fresh));

  /* With rotation the new refresh token replaces the old one. */
  rotated_answer = from_response ("{\"access_token\":\"AccessAfterRotation\",\"refresh_token\":\"RefreshAfterRotation\","
                                  "\"scope\":\"api\",\"token_type\":\"Bearer\",\"expires_in\":\"7200\"}", &error);
  g_assert_no_error (error);
  rotated = rc_token_set_refreshed (signed_in, rotated_answer);
  g_assert_cmpstr (rc_token_set_get_refresh_token (rotated), ==, "RefreshAfterRotation");
  g_assert_cmpint (rc_token_set_get_expires_at (rotated), ==, NOW + 7200);
  assert_scopes (rotated, (const char * const[]) { "api", NULL });
}

static void
test_token_type (void)
{
  static const char * const refused[] = { "mac", "MAC", "DPoP", "Bearer ", "" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"access_token\":\"%s\",\"token_type\":\"%s\",\"expires_in\":3599}",
                                               ENTRA_ACCESS, refused[i]);
      g_autoptr(RcTokenSet) tokens = from_response (json, &error);

      g_test_message ("token_type “%s”", refused[i]);
      g_assert_null (tokens);
      g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "token_type"));
      assert_no_token_in (error->message, ENTRA_ACCESS);
      g_clear_error (&error);
    }

  {
    /* absent is fine: Bearer is the only kind there is */
    g_autoptr(RcTokenSet) tokens = from_response ("{\"access_token\":\"" ENTRA_ACCESS "\"}", &error);

    g_assert_no_error (error);
    g_assert_nonnull (tokens);
  }
}

static void
test_malformed (void)
{
  static const struct {
    const char *json;
    const char *field;
  } cases[] = {
    { "[{\"access_token\":\"" SF_ACCESS "\"}]", "not a JSON object" },
    { "\"" SF_ACCESS "\"", "not a JSON object" },
    { "{\"refresh_token\":\"" SF_REFRESH "\"}", "access_token" },
    { "{\"access_token\":\"\",\"refresh_token\":\"" SF_REFRESH "\"}", "access_token" },
    { "{\"access_token\":null,\"refresh_token\":\"" SF_REFRESH "\"}", "access_token" },
    { "{\"access_token\":42}", "access_token" },
    { "{\"access_token\":[\"" SF_ACCESS "\"]}", "access_token" },
    { "{\"access_token\":\"" SF_ACCESS "\\r\\nX-Injected: 1\"}", "access_token" },
    { "{\"access_token\":\"" SF_ACCESS "\\u00e9\"}", "access_token" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"refresh_token\":{\"value\":\"" SF_REFRESH "\"}}", "refresh_token" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"refresh_token\":\"" SF_REFRESH "\\n\"}", "refresh_token" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"id_token\":7}", "id_token" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"token_type\":1}", "token_type" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":0}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":-3599}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":\"-3599\"}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":\"3599s\"}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":\" 3599\"}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":\"\"}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":1.5}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":1e999}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":99999999999999}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":true}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"expires_in\":[3599]}", "expires_in" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"issued_at\":\"yesterday\"}", "issued_at" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"issued_at\":\"-1767225600123\"}", "issued_at" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"issued_at\":\"99999999999999999999999\"}", "issued_at" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"issued_at\":{}}", "issued_at" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"scope\":[\"api\"]}", "scope" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"scope\":\"api \\ud800 id\"}", "scope" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"instance_url\":\"acme.my.salesforce.com\"}", "instance_url" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"instance_url\":5}", "instance_url" },
    { "{\"access_token\":\"" SF_ACCESS "\",\"id\":\"not a url\"}", "id" },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RcTokenSet) tokens = from_response (cases[i].json, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_null (tokens);
      g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, cases[i].field));
      assert_no_token_in (error->message, SF_ACCESS);
      assert_no_token_in (error->message, SF_REFRESH);
      g_clear_error (&error);
    }
}

/* Where the access token goes next must be https; plain http only to the
 * simulator on loopback. */
static void
test_urls (void)
{
  static const char * const insecure[] = {
    "http://acme.my.salesforce.com",
    "http://127.0.0.1.evil.example/",
    "http://localhost.evil.example:8080/",
    "ftp://acme.my.salesforce.com/",
    "javascript://acme.my.salesforce.com/",
  };
  static const char * const accepted[] = {
    "https://acme.my.salesforce.com",
    "HTTPS://acme.my.salesforce.com/",
    "http://127.0.0.1:41234",
    "http://[::1]:41234/",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (insecure); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"access_token\":\"%s\",\"instance_url\":\"%s\"}", SF_ACCESS, insecure[i]);
      g_autofree char *id = g_strdup_printf ("{\"access_token\":\"%s\",\"id\":\"%s/id/00D/005\"}", SF_ACCESS, insecure[i]);
      g_autoptr(RcTokenSet) tokens = from_response (json, &error);
      g_autoptr(RcTokenSet) by_id = NULL;

      g_test_message ("instance_url %s", insecure[i]);
      g_assert_null (tokens);
      g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_INSECURE_URL);
      g_assert_nonnull (strstr (error->message, "instance_url"));
      g_clear_error (&error);

      by_id = from_response (id, &error);
      g_assert_null (by_id);
      g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_INSECURE_URL);
      g_clear_error (&error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"access_token\":\"%s\",\"instance_url\":\"%s\"}", SF_ACCESS, accepted[i]);
      g_autoptr(RcTokenSet) tokens = from_response (json, &error);

      g_test_message ("instance_url %s", accepted[i]);
      g_assert_no_error (error);
      g_assert_cmpstr (rc_token_set_get_instance_url (tokens), ==, accepted[i]);
    }
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) salesforce = from_response (SF_RESPONSE, &error);
  g_autoptr(RcTokenSet) entra = from_response (ENTRA_RESPONSE, &error);
  g_autoptr(RcTokenSet) minimal = rc_token_set_new ("just-an-access-token", "", NULL, 0, 0, NULL, NULL, "");
  RcTokenSet *sets[] = { salesforce, entra, minimal };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      g_autofree char *json = rc_token_set_to_json (sets[i]);
      g_autoptr(RcTokenSet) back = rc_token_set_new_from_json (json, &error);
      g_autoptr(JsonNode) node = parse (json);
      JsonObject *object = json_node_get_object (node);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      assert_same (sets[i], back);
      /* versioned, and stable: the same set makes the same text */
      g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
      again = rc_token_set_to_json (back);
      g_assert_cmpstr (again, ==, json);
    }

  g_assert_null (rc_token_set_get_refresh_token (minimal));
  g_assert_null (rc_token_set_get_identity_url (minimal));
  g_assert_cmpint (g_strv_length ((char **) rc_token_set_get_scopes (minimal)), ==, 0);
}

static void
test_keyring_damaged (void)
{
  static const char * const damaged[] = {
    "",
    "not json",
    "{\"version\":1,\"access_token\":\"abc\"",
    "[1]",
    "{\"access_token\":\"abc\"}",
    "{\"version\":2,\"access_token\":\"abc\"}",
    "{\"version\":\"1\",\"access_token\":\"abc\"}",
    "{\"version\":1.0,\"access_token\":\"abc\"}",
    "{\"version\":1}",
    "{\"version\":1,\"access_token\":\"\"}",
    "{\"version\":1,\"access_token\":\"abc\",\"refresh_token\":5}",
    "{\"version\":1,\"access_token\":\"abc\",\"issued_at\":\"1767225600\"}",
    "{\"version\":1,\"access_token\":\"abc\",\"expires_at\":-1}",
    "{\"version\":1,\"access_token\":\"abc\",\"scopes\":\"api id\"}",
    "{\"version\":1,\"access_token\":\"abc\",\"scopes\":[\"api\",7]}",
    "{\"version\":1,\"access_token\":\"abc\",\"scopes\":[\"\"]}",
    "{\"version\":1,\"access_token\":\"abc\",\"instance_url\":\"http://evil.example\"}",
    "{\"version\":1,\"access_token\":\"abc\",\"identity_url\":[]}",
    "{'version':1,'access_token':'abc'}",
  };
  g_autoptr(GString) deep = g_string_new ("{\"version\":1,\"access_token\":\"abc\",\"x\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) deep_tokens = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autoptr(RcTokenSet) tokens = rc_token_set_new_from_json (damaged[i], &error);

      g_test_message ("%s", damaged[i]);
      g_assert_null (tokens);
      g_assert_nonnull (error);
      g_assert_true (error->domain == RC_OAUTH_ERROR);
      g_clear_error (&error);
    }

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  deep_tokens = rc_token_set_new_from_json (deep->str, &error);
  g_assert_null (deep_tokens);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED);
  g_clear_error (&error);

  {
    /* a later version-1 writer may add fields */
    g_autoptr(RcTokenSet) tokens = rc_token_set_new_from_json ("{\"version\":1,\"access_token\":\"abc\",\"added_later\":{}}", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (rc_token_set_get_access_token (tokens), ==, "abc");
  }
}

static void
test_fingerprint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) salesforce = from_response (SF_RESPONSE, &error);
  g_autoptr(RcTokenSet) other = rc_token_set_new (ENTRA_ACCESS, SF_REFRESH, NULL, NOW, 0, NULL, NULL, NULL);
  g_autofree char *fingerprint = rc_token_set_dup_fingerprint (salesforce);
  g_autofree char *again = rc_token_set_dup_fingerprint (salesforce);
  g_autofree char *other_fingerprint = rc_token_set_dup_fingerprint (other);
  g_autofree char *access = g_compute_checksum_for_string (G_CHECKSUM_SHA256, SF_ACCESS, -1);
  g_autofree char *refresh = g_compute_checksum_for_string (G_CHECKSUM_SHA256, SF_REFRESH, -1);
  g_autofree char *id = g_compute_checksum_for_string (G_CHECKSUM_SHA256, SF_ID_TOKEN, -1);
  g_autofree char *expected = g_strdup_printf ("access %.8s, refresh %.8s, id %.8s", access, refresh, id);
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (fingerprint, ==, expected);
  g_assert_cmpstr (again, ==, fingerprint);
  assert_no_token_in (fingerprint, SF_ACCESS);
  assert_no_token_in (fingerprint, SF_REFRESH);
  assert_no_token_in (fingerprint, SF_ID_TOKEN);

  /* same refresh token, same fingerprint; different access token, different */
  g_assert_true (g_str_has_suffix (other_fingerprint, ", id none"));
  g_assert_true (strncmp (other_fingerprint, fingerprint, strlen ("access 12345678")) != 0);
  {
    g_autofree char *refresh_part = g_strdup_printf ("refresh %.8s", refresh);

    g_assert_nonnull (strstr (other_fingerprint, refresh_part));
  }

  /* the keyring form, by contrast, has to hold them */
  json = rc_token_set_to_json (salesforce);
  g_assert_nonnull (strstr (json, SF_REFRESH));
}

static void
test_new_and_boxed (void)
{
  g_autoptr(RcTokenSet) tokens = rc_token_set_new ("access", NULL, NULL, 0, 0, NULL, NULL, NULL);
  const char * const scopes[] = { "api", "", "id", NULL };
  g_autoptr(RcTokenSet) scoped = rc_token_set_new ("access", "refresh", "id", 1, 2, scopes, "https://a.example", "https://b.example");
  RcTokenSet *copy;

  /* never NULL, empty when none; empty entries dropped */
  assert_scopes (tokens, (const char * const[]) { NULL });
  assert_scopes (scoped, (const char * const[]) { "api", "id", NULL });
  g_assert_cmpint (rc_token_set_get_issued_at (scoped), ==, 1);
  g_assert_cmpint (rc_token_set_get_expires_at (scoped), ==, 2);

  g_assert_true (G_TYPE_IS_BOXED (RC_TYPE_TOKEN_SET));
  copy = g_boxed_copy (RC_TYPE_TOKEN_SET, scoped);
  g_assert_true (copy == scoped);
  g_boxed_free (RC_TYPE_TOKEN_SET, copy);
  g_assert_cmpstr (rc_token_set_get_access_token (scoped), ==, "access");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/token-set/salesforce", test_salesforce);
  g_test_add_func ("/reconnect/token-set/entra", test_entra);
  g_test_add_func ("/reconnect/token-set/expires-within", test_expires_within);
  g_test_add_func ("/reconnect/token-set/refresh-without-refresh-token", test_refresh_without_refresh_token);
  g_test_add_func ("/reconnect/token-set/token-type", test_token_type);
  g_test_add_func ("/reconnect/token-set/malformed", test_malformed);
  g_test_add_func ("/reconnect/token-set/urls", test_urls);
  g_test_add_func ("/reconnect/token-set/keyring-round-trip", test_keyring_round_trip);
  g_test_add_func ("/reconnect/token-set/keyring-damaged", test_keyring_damaged);
  g_test_add_func ("/reconnect/token-set/fingerprint", test_fingerprint);
  g_test_add_func ("/reconnect/token-set/new-and-boxed", test_new_and_boxed);

  return g_test_run ();
}
