/* test-sim.c: the built-in CRM simulator over real HTTP.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request goes through libsoup to the simulator on 127.0.0.1, and the
 * assertions check what a client depends on: status, headers, the JSON
 * fields and values that shared/reference/providers.md gives for the real
 * services.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rc-sim.h"
#include "rc-test-session.h"

#define SF_REDIRECT    "http://127.0.0.1:1717/OauthRedirect"
#define ENTRA_REDIRECT "http://127.0.0.1:49152/reconnect/entra"
#define VERIFIER       "dBjftJeZ4CVP-mJ92K9hh2Wr9t3Ou7nNcE3Xzz8ERvqa0Q_VTkK4p5dkx1YqL3aj"
#define CHALLENGE      "BbYigptcWZn82bgAwFTOxN4oaJ56exHApXUEuPu8V0c"  /* base64url (SHA-256 (VERIFIER)) */

typedef struct
{
  RcSim       *sim;
  SoupSession *session;
  char        *sf;     /* Salesforce base, ends with '/' */
  char        *entra;  /* Entra tenant base, ends with '/' */
} Fixture;

typedef struct
{
  guint               status;
  char               *body;
  SoupMessageHeaders *headers;
  GError             *error;
  JsonNode           *json;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_free (reply->body);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->json, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = rc_sim_new ();
  g_assert_true (rc_sim_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);
  fixture->session = soup_session_new_with_options ("timeout", 10, NULL);
  fixture->sf = rc_sim_get_salesforce_url (fixture->sim);
  fixture->entra = rc_sim_get_entra_url (fixture->sim);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Let both ends see their keep-alive connections close before checking
   * that nothing is left. */
  g_clear_object (&fixture->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fixture->sf);
  g_free (fixture->entra);
}

/* Sends one request and waits for the answer: the server runs in this
 * thread, so the main context must turn while the client waits. */
static void
request (Fixture    *fixture,
         Reply      *reply,
         const char *method,
         const char *url,
         const char *bearer,
         const char *first_field,
         ...)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (first_field != NULL)
    {
      g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
      va_list ap;

      va_start (ap, first_field);
      for (const char *key = first_field; key != NULL; key = va_arg (ap, const char *))
        g_hash_table_insert (form, (gpointer) key, va_arg (ap, char *));
      va_end (ap);
      msg = soup_message_new_from_encoded_form (method, url, soup_form_encode_hash (form));
    }
  else
    msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, 30);

  body = soup_session_send_and_read_finish (fixture->session, result, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (body != NULL)
    {
      reply->body = g_bytes_get_size (body) > 0
        ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body))
        : g_strdup ("");
      if (json_parser_load_from_data (parser, reply->body, -1, NULL) && json_parser_get_root (parser) != NULL)
        reply->json = json_node_copy (json_parser_get_root (parser));
    }
}

static JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

static const char *
member (Reply      *reply,
        const char *name)
{
  JsonObject *object = reply_object (reply);

  g_assert_true (json_object_has_member (object, name));
  return json_object_get_string_member (object, name);
}

static char *
url_join (const char *base,
          const char *path)
{
  return g_strconcat (base, path, NULL);
}

static char *
html_value (const char *html,
            const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("name=\"%s\" value=\"([^\"]*)\"", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, html, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static char *
location_param (Reply      *reply,
                const char *name)
{
  const char *location = soup_message_headers_get_one (reply->headers, "Location");
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (location);
  uri = g_uri_parse (location, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (uri);
  g_assert_nonnull (g_uri_get_query (uri));
  params = soup_form_decode (g_uri_get_query (uri));
  return g_strdup (g_hash_table_lookup (params, name));
}

/* Plays the user in the browser: the login page, then the consent page.
 * Returns the redirect the browser would follow. */
static void
browser_sign_in (Fixture    *fixture,
                 Reply      *redirect,
                 gboolean    entra,
                 const char *redirect_uri,
                 const char *decision)
{
  g_auto(Reply) login = { 0 };
  g_auto(Reply) consent = { 0 };
  g_autofree char *request_id = NULL;
  g_autofree char *authorize = NULL;
  g_autofree char *url = NULL;
  g_autofree char *escaped = g_uri_escape_string (redirect_uri, NULL, TRUE);

  authorize = url_join (entra ? fixture->entra : fixture->sf, entra ? "oauth2/v2.0/authorize" : "services/oauth2/authorize");
  url = g_strdup_printf ("%s?response_type=code&client_id=%s&redirect_uri=%s&scope=%s&state=st4te"
                         "&code_challenge=" CHALLENGE "&code_challenge_method=S256",
                         authorize, rc_sim_get_client_id (fixture->sim), escaped,
                         entra ? "openid%20offline_access" : "refresh_token%20api%20id");

  request (fixture, &login, "GET", url, NULL, NULL);
  g_assert_cmpuint (login.status, ==, 200);
  g_assert_nonnull (strstr (login.body, "Reconnect simulator"));
  g_assert_nonnull (strstr (login.body, "not a real CRM"));
  request_id = html_value (login.body, "request_id");
  g_assert_nonnull (request_id);

  request (fixture, &consent, "POST", authorize, NULL,
           "request_id", request_id, "step", "login",
           "username", "ada@reconnect.example", "password", "anything", NULL);
  g_assert_cmpuint (consent.status, ==, 200);
  g_assert_nonnull (strstr (consent.body, "Allow"));

  request (fixture, redirect, "POST", authorize, NULL,
           "request_id", request_id, "step", "consent", "decision", decision, NULL);
}

/* A full browser sign-in and code exchange; @tokens holds the token reply. */
static void
sign_in (Fixture  *fixture,
         Reply    *tokens,
         gboolean  entra)
{
  g_auto(Reply) redirect = { 0 };
  g_autofree char *code = NULL;
  g_autofree char *state = NULL;
  g_autofree char *token_url = url_join (entra ? fixture->entra : fixture->sf,
                                         entra ? "oauth2/v2.0/token" : "services/oauth2/token");
  const char *redirect_uri = entra ? ENTRA_REDIRECT : SF_REDIRECT;

  browser_sign_in (fixture, &redirect, entra, redirect_uri, "allow");
  g_assert_cmpuint (redirect.status, ==, 302);
  code = location_param (&redirect, "code");
  state = location_param (&redirect, "state");
  g_assert_nonnull (code);
  g_assert_cmpstr (state, ==, "st4te");

  request (fixture, tokens, "POST", token_url, NULL,
           "grant_type", "authorization_code", "code", code,
           "client_id", rc_sim_get_client_id (fixture->sim),
           "redirect_uri", redirect_uri, "code_verifier", VERIFIER, NULL);
  g_assert_cmpuint (tokens->status, ==, 200);
}

static void
refresh (Fixture    *fixture,
         Reply      *reply,
         gboolean    entra,
         const char *refresh_token)
{
  g_autofree char *token_url = url_join (entra ? fixture->entra : fixture->sf,
                                         entra ? "oauth2/v2.0/token" : "services/oauth2/token");

  request (fixture, reply, "POST", token_url, NULL,
           "grant_type", "refresh_token", "refresh_token", refresh_token,
           "client_id", rc_sim_get_client_id (fixture->sim), NULL);
}

static void
assert_salesforce_error (Reply      *reply,
                         guint       status,
                         const char *error,
                         const char *description)
{
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (member (reply, "error"), ==, error);
  g_assert_cmpstr (member (reply, "error_description"), ==, description);
  g_assert_cmpuint (json_object_get_size (reply_object (reply)), ==, 2);
}

static void
assert_entra_error (Reply      *reply,
                    guint       status,
                    const char *error,
                    gint64      aadsts,
                    const char *suberror)
{
  JsonObject *object = reply_object (reply);
  JsonArray *codes;
  g_autofree char *prefix = g_strdup_printf ("AADSTS%" G_GINT64_FORMAT ": ", aadsts);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (member (reply, "error"), ==, error);
  g_assert_true (g_str_has_prefix (member (reply, "error_description"), prefix));
  g_assert_nonnull (strstr (member (reply, "error_description"), "\r\nTrace ID: "));
  g_assert_nonnull (strstr (member (reply, "error_description"), "\r\nCorrelation ID: "));
  codes = json_object_get_array_member (object, "error_codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, 1);
  g_assert_cmpint (json_array_get_int_element (codes, 0), ==, aadsts);
  g_assert_true (g_uuid_string_is_valid (member (reply, "trace_id")));
  g_assert_true (g_uuid_string_is_valid (member (reply, "correlation_id")));
  g_assert_nonnull (member (reply, "timestamp"));
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "suberror", NULL), ==, suberror);
}

/* --------------------------------------------------------- Salesforce -- */

static void
test_salesforce_discovery (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_autofree char *url = url_join (fixture->sf, ".well-known/openid-configuration");
  g_autofree char *issuer = g_strndup (fixture->sf, strlen (fixture->sf) - 1);
  g_autofree char *token = url_join (fixture->sf, "services/oauth2/token");

  request (fixture, &reply, "GET", url, NULL, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (member (&reply, "issuer"), ==, issuer);
  g_assert_cmpstr (member (&reply, "token_endpoint"), ==, token);
  g_assert_true (g_str_has_suffix (member (&reply, "authorization_endpoint"), "/services/oauth2/authorize"));
  g_assert_true (g_str_has_suffix (member (&reply, "revocation_endpoint"), "/services/oauth2/revoke"));
  g_assert_true (g_str_has_suffix (member (&reply, "introspection_endpoint"), "/services/oauth2/introspect"));
  g_assert_true (g_str_has_suffix (member (&reply, "userinfo_endpoint"), "/services/oauth2/userinfo"));

  {
    g_auto(Reply) keys = { 0 };

    request (fixture, &keys, "GET", member (&reply, "jwks_uri"), NULL, NULL);
    g_assert_cmpuint (keys.status, ==, 200);
    g_assert_true (json_object_has_member (reply_object (&keys), "keys"));
  }
}

static void
test_salesforce_code_flow (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(Reply) tokens = { 0 };
  g_auto(Reply) userinfo = { 0 };
  g_auto(Reply) rest = { 0 };
  g_autofree char *userinfo_url = url_join (fixture->sf, "services/oauth2/userinfo");
  g_autofree char *rest_url = url_join (fixture->sf, "services/data/v60.0/");
  g_autofree char *instance = g_strndup (fixture->sf, strlen (fixture->sf) - 1);
  JsonObject *object;
  gint64 issued_at;

  sign_in (fixture, &tokens, FALSE);
  object = reply_object (&tokens);

  /* The token response of the web-server flow, field for field. */
  g_assert_true (g_str_has_prefix (member (&tokens, "access_token"), "00D"));
  g_assert_nonnull (member (&tokens, "refresh_token"));
  g_assert_nonnull (member (&tokens, "signature"));
  g_assert_cmpstr (member (&tokens, "instance_url"), ==, instance);
  g_assert_true (g_str_has_prefix (member (&tokens, "id"), instance));
  g_assert_nonnull (strstr (member (&tokens, "id"), "/id/00D"));
  g_assert_cmpstr (member (&tokens, "token_type"), ==, "Bearer");
  g_assert_cmpstr (member (&tokens, "scope"), ==, "refresh_token api id");
  g_assert_false (json_object_has_member (object, "expires_in"));
  g_assert_cmpstr (soup_message_headers_get_one (tokens.headers, "Cache-Control"), ==, "no-store");
  /* issued_at is milliseconds since the epoch, as a string */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "issued_at")), ==, G_TYPE_STRING);
  issued_at = g_ascii_strtoll (member (&tokens, "issued_at"), NULL, 10);
  g_assert_cmpint (ABS (issued_at - g_get_real_time () / 1000), <, 60 * 1000);

  request (fixture, &userinfo, "GET", userinfo_url, member (&tokens, "access_token"), NULL);
  g_assert_cmpuint (userinfo.status, ==, 200);
  g_assert_cmpstr (member (&userinfo, "preferred_username"), ==, "ada@reconnect.example");
  g_assert_cmpstr (member (&userinfo, "organization_id"), ==, "00D5g00000ReCoNEAA");

  request (fixture, &rest, "GET", rest_url, member (&tokens, "access_token"), NULL);
  g_assert_cmpuint (rest.status, ==, 200);
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 1);
}

static void
test_salesforce_pkce (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *token_url = url_join (fixture->sf, "services/oauth2/token");

  for (guint i = 0; i < 2; i++)
    {
      g_auto(Reply) redirect = { 0 };
      g_auto(Reply) reply = { 0 };
      g_autofree char *code = NULL;

      browser_sign_in (fixture, &redirect, FALSE, SF_REDIRECT, "allow");
      code = location_param (&redirect, "code");

      if (i == 0)
        {
          /* A wrong verifier is invalid_request... */
          request (fixture, &reply, "POST", token_url, NULL,
                   "grant_type", "authorization_code", "code", code,
                   "client_id", rc_sim_get_client_id (fixture->sim), "redirect_uri", SF_REDIRECT,
                   "code_verifier", VERIFIER "x", NULL);
          assert_salesforce_error (&reply, 400, "invalid_request", "invalid code verifier");
        }
      else
        {
          /* ...a missing one invalid_grant. */
          request (fixture, &reply, "POST", token_url, NULL,
                   "grant_type", "authorization_code", "code", code,
                   "client_id", rc_sim_get_client_id (fixture->sim), "redirect_uri", SF_REDIRECT, NULL);
          assert_salesforce_error (&reply, 400, "invalid_grant", "invalid code verifier");
        }
    }

  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 0);
}

static void
test_salesforce_redirect_mismatch (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_auto(Reply) other_port = { 0 };
  g_auto(Reply) scenario = { 0 };
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  /* Salesforce matches the callback exactly: another port is another URL,
   * and the answer is a page, never a redirect to the unknown address. */
  url = g_strdup_printf ("%sservices/oauth2/authorize?response_type=code&client_id=%s"
                         "&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A1718%%2FOauthRedirect",
                         fixture->sf, rc_sim_get_client_id (fixture->sim));
  request (fixture, &other_port, "GET", url, NULL, NULL);
  g_assert_cmpuint (other_port.status, ==, 400);
  g_assert_null (soup_message_headers_get_one (other_port.headers, "Location"));
  g_assert_nonnull (strstr (other_port.body, "redirect_uri_mismatch"));

  g_assert_true (rc_sim_set_scenario (fixture->sim, "redirect-mismatch", &error));
  g_free (url);
  url = g_strdup_printf ("%sservices/oauth2/authorize?response_type=code&client_id=%s"
                         "&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A1717%%2FOauthRedirect",
                         fixture->sf, rc_sim_get_client_id (fixture->sim));
  request (fixture, &scenario, "GET", url, NULL, NULL);
  g_assert_cmpuint (scenario.status, ==, 400);
  g_assert_nonnull (strstr (scenario.body, "redirect_uri_mismatch"));
}

static void
test_salesforce_access_denied (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(Reply) denied = { 0 };
  g_autofree char *error = NULL;
  g_autofree char *state = NULL;

  browser_sign_in (fixture, &denied, FALSE, SF_REDIRECT, "deny");
  g_assert_cmpuint (denied.status, ==, 302);
  error = location_param (&denied, "error");
  state = location_param (&denied, "state");
  g_assert_cmpstr (error, ==, "access_denied");
  g_assert_cmpstr (state, ==, "st4te");
}

static void
test_salesforce_rotation (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(Reply) tokens = { 0 };
  g_auto(Reply) first = { 0 };
  g_auto(Reply) reuse = { 0 };
  g_auto(Reply) newest = { 0 };

  rc_sim_set_rotation (fixture->sim, TRUE);
  sign_in (fixture, &tokens, FALSE);

  refresh (fixture, &first, FALSE, member (&tokens, "refresh_token"));
  g_assert_cmpuint (first.status, ==, 200);
  g_assert_cmpstr (member (&first, "refresh_token"), !=, member (&tokens, "refresh_token"));

  /* Reusing the retired token revokes the whole grant, the new token too. */
  refresh (fixture, &reuse, FALSE, member (&tokens, "refresh_token"));
  assert_salesforce_error (&reuse, 400, "invalid_grant", "expired access/refresh token");
  refresh (fixture, &newest, FALSE, member (&first, "refresh_token"));
  assert_salesforce_error (&newest, 400, "invalid_grant", "expired access/refresh token");
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 0);
}

static void
test_salesforce_no_rotation (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(Reply) tokens = { 0 };
  g_auto(Reply) first = { 0 };
  g_auto(Reply) second = { 0 };

  sign_in (fixture, &tokens, FALSE);
  refresh (fixture, &first, FALSE, member (&tokens, "refresh_token"));
  g_assert_cmpuint (first.status, ==, 200);
  /* Without rotation the refresh answer carries no refresh token: the client keeps its own. */
  g_assert_false (json_object_has_member (reply_object (&first), "refresh_token"));
  g_assert_false (json_object_has_member (reply_object (&first), "expires_in"));
  refresh (fixture, &second, FALSE, member (&tokens, "refresh_token"));
  g_assert_cmpuint (second.status, ==, 200);
}

static void
test_salesforce_session_timeout (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_auto(Reply) tokens = { 0 };
  g_auto(Reply) alive = { 0 };
  g_auto(Reply) expired = { 0 };
  g_auto(Reply) renewed = { 0 };
  g_auto(Reply) again = { 0 };
  g_autofree char *rest_url = url_join (fixture->sf, "services/data/v60.0/");

  sign_in (fixture, &tokens, FALSE);

  /* Use within the session timeout keeps the session alive... */
  rc_sim_advance_clock (fixture->sim, 90 * 60);
  request (fixture, &alive, "GET", rest_url, member (&tokens, "access_token"), NULL);
  g_assert_cmpuint (alive.status, ==, 200);

  /* ...two idle hours end it, with the exact body of the REST API. */
  rc_sim_advance_clock (fixture->sim, 2 * 60 * 60 + 1);
  request (fixture, &expired, "GET", rest_url, member (&tokens, "access_token"), NULL);
  g_assert_cmpuint (expired.status, ==, 401);
  g_assert_cmpstr (expired.body, ==, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");

  refresh (fixture, &renewed, FALSE, member (&tokens, "refresh_token"));
  g_assert_cmpuint (renewed.status, ==, 200);
  request (fixture, &again, "GET", rest_url, member (&renewed, "access_token"), NULL);
  g_assert_cmpuint (again.status, ==, 200);
}

typedef struct
{
  RcSimRefreshPolicy policy;
  gint64             seconds;
  gboolean           idle_limit;
  gint64             advance;
  gboolean           use_midway;  /* refresh once half-way through */
  gboolean           expect_ok;
} PolicyCase;

static void
test_salesforce_policies (Fixture       *fixture,
                          gconstpointer  data)
{
  const gint64 day = 24 * 60 * 60;
  const PolicyCase cases[] = {
    { RC_SIM_REFRESH_VALID_UNTIL_REVOKED, 0, FALSE, 400 * day, FALSE, TRUE },
    { RC_SIM_REFRESH_VALID_UNTIL_REVOKED, 0, TRUE, 29 * day, FALSE, TRUE },
    { RC_SIM_REFRESH_VALID_UNTIL_REVOKED, 0, TRUE, 31 * day, FALSE, FALSE },
    { RC_SIM_REFRESH_VALID_UNTIL_REVOKED, 0, TRUE, 50 * day, TRUE, TRUE },
    { RC_SIM_REFRESH_IMMEDIATELY_EXPIRE, 0, FALSE, 0, FALSE, FALSE },
    { RC_SIM_REFRESH_EXPIRE_IF_NOT_USED, day, FALSE, day - 60, FALSE, TRUE },
    { RC_SIM_REFRESH_EXPIRE_IF_NOT_USED, day, FALSE, day + 60, FALSE, FALSE },
    { RC_SIM_REFRESH_EXPIRE_IF_NOT_USED, day, FALSE, day + 60, TRUE, TRUE },
    { RC_SIM_REFRESH_EXPIRE_AFTER, day, FALSE, day + 60, TRUE, FALSE },
    { RC_SIM_REFRESH_EXPIRE_AFTER, day, FALSE, day - 60, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Reply) tokens = { 0 };
      g_auto(Reply) reply = { 0 };

      g_test_message ("policy case %u", i);
      rc_sim_set_refresh_policy (fixture->sim, cases[i].policy, cases[i].seconds);
      rc_sim_set_idle_limit (fixture->sim, cases[i].idle_limit);
      sign_in (fixture, &tokens, FALSE);

      if (cases[i].use_midway)
        {
          g_auto(Reply) midway = { 0 };

          rc_sim_advance_clock (fixture->sim, cases[i].advance / 2);
          refresh (fixture, &midway, FALSE, member (&tokens, "refresh_token"));
          g_assert_cmpuint (midway.status, ==, 200);
          rc_sim_advance_clock (fixture->sim, cases[i].advance - cases[i].advance / 2);
        }
      else
        rc_sim_advance_clock (fixture->sim, cases[i].advance);

      refresh (fixture, &reply, FALSE, member (&tokens, "refresh_token"));
      if (cases[i].expect_ok)
        g_assert_cmpuint (reply.status, ==, 200);
      else
        assert_salesforce_error (&reply, 400, "invalid_grant", "expired access/refresh token");
    }
}

static void
test_salesforce_approval_cap (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(Reply) first = { 0 };
  g_auto(Reply) reply = { 0 };

  sign_in (fixture, &first, FALSE);
  for (guint i = 0; i < 5; i++)
    {
      g_auto(Reply) more = { 0 };

      sign_in (fixture, &more, FALSE);
    }

  /* Five approvals per user: the sixth sign-in revoked the first. */
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 5);
  refresh (fixture, &reply, FALSE, member (&first, "refresh_token"));
  assert_salesforce_error (&reply, 400, "invalid_grant", "expired access/refresh token");
}

static void
test_salesforce_revoke_introspect (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_auto(Reply) tokens = { 0 };
  g_auto(Reply) active = { 0 };
  g_auto(Reply) revoked = { 0 };
  g_auto(Reply) inactive = { 0 };
  g_auto(Reply) userinfo = { 0 };
  g_auto(Reply) after = { 0 };
  g_autofree char *revoke_url = url_join (fixture->sf, "services/oauth2/revoke");
  g_autofree char *introspect_url = url_join (fixture->sf, "services/oauth2/introspect");
  g_autofree char *userinfo_url = url_join (fixture->sf, "services/oauth2/userinfo");

  sign_in (fixture, &tokens, FALSE);

  request (fixture, &active, "POST", introspect_url, NULL, "token", member (&tokens, "access_token"),
           "client_id", rc_sim_get_client_id (fixture->sim), NULL);
  g_assert_cmpuint (active.status, ==, 200);
  g_assert_true (json_object_get_boolean_member (reply_object (&active), "active"));
  g_assert_cmpint (json_object_get_int_member (reply_object (&active), "exp"), >, g_get_real_time () / G_USEC_PER_SEC);

  /* Revoking the refresh token takes its access tokens with it. */
  request (fixture, &revoked, "POST", revoke_url, NULL, "token", member (&tokens, "refresh_token"), NULL);
  g_assert_cmpuint (revoked.status, ==, 200);

  request (fixture, &inactive, "POST", introspect_url, NULL, "token", member (&tokens, "access_token"),
           "client_id", rc_sim_get_client_id (fixture->sim), NULL);
  g_assert_cmpstr (inactive.body, ==, "{\"active\":false}");

  request (fixture, &userinfo, "GET", userinfo_url, member (&tokens, "access_token"), NULL);
  g_assert_cmpuint (userinfo.status, ==, 403);
  g_assert_cmpstr (userinfo.body, ==, "Bad_OAuth_Token");

  refresh (fixture, &after, FALSE, member (&tokens, "refresh_token"));
  assert_salesforce_error (&after, 400, "invalid_grant", "expired access/refresh token");
}

static void
test_salesforce_device_flow (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *token_url = url_join (fixture->sf, "services/oauth2/token");
  g_autofree char *connect_url = url_join (fixture->sf, "setup/connect");
  g_auto(Reply) start = { 0 };
  g_auto(Reply) pending = { 0 };
  g_auto(Reply) page = { 0 };
  g_auto(Reply) tokens = { 0 };
  JsonObject *object;

  request (fixture, &start, "POST", token_url, NULL, "response_type", "device_code",
           "client_id", rc_sim_get_client_id (fixture->sim), "scope", "refresh_token web api", NULL);
  g_assert_cmpuint (start.status, ==, 200);
  object = reply_object (&start);
  g_assert_cmpstr (member (&start, "verification_uri"), ==, connect_url);
  g_assert_cmpint (json_object_get_int_member (object, "interval"), ==, 5);
  g_assert_cmpuint (strlen (member (&start, "user_code")), ==, 8);
  g_assert_false (json_object_has_member (object, "expires_in"));
  g_assert_false (json_object_has_member (object, "verification_uri_complete"));

  request (fixture, &pending, "POST", token_url, NULL, "grant_type", "device",
           "code", member (&start, "device_code"), "client_id", rc_sim_get_client_id (fixture->sim), NULL);
  g_assert_cmpuint (pending.status, ==, 400);
  g_assert_cmpstr (member (&pending, "error"), ==, "authorization_pending");

  /* The user enters the code on the connect page. */
  request (fixture, &page, "POST", connect_url, NULL, "user_code", member (&start, "user_code"),
           "username", "grace@reconnect.example", "password", "x", NULL);
  g_assert_cmpuint (page.status, ==, 200);

  request (fixture, &tokens, "POST", token_url, NULL, "grant_type", "device",
           "code", member (&start, "device_code"), "client_id", rc_sim_get_client_id (fixture->sim), NULL);
  g_assert_cmpuint (tokens.status, ==, 200);
  g_assert_nonnull (member (&tokens, "refresh_token"));
  g_assert_nonnull (member (&tokens, "instance_url"));
  g_assert_cmpstr (member (&tokens, "scope"), ==, "refresh_token web api");
}

/* -------------------------------------------------------------- Entra -- */

static void
test_entra_discovery (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_autofree char *url = url_join (fixture->entra, "v2.0/.well-known/openid-configuration");
  g_autofree char *issuer = url_join (fixture->entra, "v2.0");

  request (fixture, &reply, "GET", url, NULL, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (member (&reply, "issuer"), ==, issuer);
  g_assert_true (g_str_has_suffix (member (&reply, "token_endpoint"), "/oauth2/v2.0/token"));
  g_assert_true (g_str_has_suffix (member (&reply, "device_authorization_endpoint"), "/oauth2/v2.0/devicecode"));
}

static void
test_entra_code_flow (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Reply) tokens = { 0 };
  g_auto(Reply) refreshed = { 0 };
  g_auto(Reply) old_again = { 0 };
  g_auto(Reply) whoami = { 0 };
  g_autofree char *whoami_url = NULL;

  /* The registered loopback redirect has no port: Entra ignores it. */
  sign_in (fixture, &tokens, TRUE);
  g_assert_cmpstr (member (&tokens, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (reply_object (&tokens), "expires_in"), ==, 3599);
  g_assert_nonnull (member (&tokens, "refresh_token"));

  /* Every refresh rotates; the old token is not revoked. */
  refresh (fixture, &refreshed, TRUE, member (&tokens, "refresh_token"));
  g_assert_cmpuint (refreshed.status, ==, 200);
  g_assert_cmpstr (member (&refreshed, "refresh_token"), !=, member (&tokens, "refresh_token"));
  refresh (fixture, &old_again, TRUE, member (&tokens, "refresh_token"));
  g_assert_cmpuint (old_again.status, ==, 200);

  whoami_url = g_strdup_printf ("http://127.0.0.1:%u/api/data/v9.2/WhoAmI", rc_sim_get_port (fixture->sim));
  request (fixture, &whoami, "GET", whoami_url, member (&refreshed, "access_token"), NULL);
  g_assert_cmpuint (whoami.status, ==, 200);
  g_assert_nonnull (member (&whoami, "UserId"));
  g_assert_nonnull (member (&whoami, "OrganizationId"));
}

static void
test_entra_pkce_and_idle (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(Reply) redirect = { 0 };
  g_auto(Reply) mismatch = { 0 };
  g_auto(Reply) tokens = { 0 };
  g_auto(Reply) idle = { 0 };
  g_autofree char *code = NULL;
  g_autofree char *token_url = url_join (fixture->entra, "oauth2/v2.0/token");

  browser_sign_in (fixture, &redirect, TRUE, ENTRA_REDIRECT, "allow");
  code = location_param (&redirect, "code");
  request (fixture, &mismatch, "POST", token_url, NULL,
           "grant_type", "authorization_code", "code", code,
           "client_id", rc_sim_get_client_id (fixture->sim), "redirect_uri", ENTRA_REDIRECT,
           "code_verifier", VERIFIER "x", NULL);
  assert_entra_error (&mismatch, 400, "invalid_grant", 501481, NULL);

  /* 90 days unused: the refresh token has expired due to inactivity. */
  sign_in (fixture, &tokens, TRUE);
  rc_sim_advance_clock (fixture->sim, 91 * 24 * 60 * 60);
  refresh (fixture, &idle, TRUE, member (&tokens, "refresh_token"));
  assert_entra_error (&idle, 400, "invalid_grant", 700082, NULL);
  g_assert_nonnull (strstr (member (&idle, "error_description"), "inactive for 90.00:00:00"));
}

static void
test_entra_device_flow (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *devicecode_url = url_join (fixture->entra, "oauth2/v2.0/devicecode");
  g_autofree char *token_url = url_join (fixture->entra, "oauth2/v2.0/token");
  g_auto(Reply) start = { 0 };
  g_auto(Reply) pending = { 0 };
  g_auto(Reply) tokens = { 0 };
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  request (fixture, &start, "POST", devicecode_url, NULL,
           "client_id", rc_sim_get_client_id (fixture->sim), "scope", "openid offline_access", NULL);
  g_assert_cmpuint (start.status, ==, 200);
  object = reply_object (&start);
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 900);
  g_assert_cmpint (json_object_get_int_member (object, "interval"), ==, 5);
  g_assert_nonnull (strstr (member (&start, "message"), member (&start, "user_code")));
  g_assert_false (json_object_has_member (object, "verification_uri_complete"));

  request (fixture, &pending, "POST", token_url, NULL,
           "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
           "device_code", member (&start, "device_code"), "client_id", rc_sim_get_client_id (fixture->sim), NULL);
  assert_entra_error (&pending, 400, "authorization_pending", 70016, NULL);

  g_assert_true (rc_sim_approve_device (fixture->sim, member (&start, "user_code"), "ada@reconnect.example", &error));
  g_assert_no_error (error);

  request (fixture, &tokens, "POST", token_url, NULL,
           "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
           "device_code", member (&start, "device_code"), "client_id", rc_sim_get_client_id (fixture->sim), NULL);
  g_assert_cmpuint (tokens.status, ==, 200);
  g_assert_nonnull (member (&tokens, "refresh_token"));
}

static void
test_entra_device_expiry (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *devicecode_url = url_join (fixture->entra, "oauth2/v2.0/devicecode");
  g_autofree char *token_url = url_join (fixture->entra, "oauth2/v2.0/token");
  g_auto(Reply) start = { 0 };
  g_auto(Reply) expired = { 0 };

  request (fixture, &start, "POST", devicecode_url, NULL,
           "client_id", rc_sim_get_client_id (fixture->sim), "scope", "openid", NULL);
  rc_sim_advance_clock (fixture->sim, 16 * 60);
  request (fixture, &expired, "POST", token_url, NULL,
           "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
           "device_code", member (&start, "device_code"), "client_id", rc_sim_get_client_id (fixture->sim), NULL);
  assert_entra_error (&expired, 400, "expired_token", 70019, NULL);
}

static void
test_entra_redirect_and_consent (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_auto(Reply) other_host = { 0 };
  g_auto(Reply) denied = { 0 };
  g_autofree char *url = NULL;
  g_autofree char *error = NULL;
  g_autofree char *subcode = NULL;
  g_autofree char *description = NULL;

  /* The port is ignored for loopback, the host is not. */
  url = g_strdup_printf ("%soauth2/v2.0/authorize?response_type=code&client_id=%s"
                         "&redirect_uri=http%%3A%%2F%%2Fevil.example%%3A8080%%2Freconnect%%2Fentra",
                         fixture->entra, rc_sim_get_client_id (fixture->sim));
  request (fixture, &other_host, "GET", url, NULL, NULL);
  g_assert_cmpuint (other_host.status, ==, 400);
  g_assert_null (soup_message_headers_get_one (other_host.headers, "Location"));
  g_assert_nonnull (strstr (other_host.body, "AADSTS50011"));

  browser_sign_in (fixture, &denied, TRUE, ENTRA_REDIRECT, "deny");
  g_assert_cmpuint (denied.status, ==, 302);
  error = location_param (&denied, "error");
  subcode = location_param (&denied, "error_subcode");
  description = location_param (&denied, "error_description");
  g_assert_cmpstr (error, ==, "access_denied");
  g_assert_cmpstr (subcode, ==, "cancel");
  g_assert_true (g_str_has_prefix (description, "AADSTS65004:"));
}

static void
test_codes_bound_and_short_lived (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *token_url = url_join (fixture->sf, "services/oauth2/token");
  g_auto(Reply) late_redirect = { 0 };
  g_auto(Reply) late = { 0 };
  g_auto(Reply) other_redirect = { 0 };
  g_auto(Reply) other = { 0 };
  g_auto(Reply) reused = { 0 };
  g_autofree char *late_code = NULL;
  g_autofree char *other_code = NULL;

  /* An authorization code lives ten minutes... */
  browser_sign_in (fixture, &late_redirect, FALSE, SF_REDIRECT, "allow");
  late_code = location_param (&late_redirect, "code");
  rc_sim_advance_clock (fixture->sim, 11 * 60);
  request (fixture, &late, "POST", token_url, NULL,
           "grant_type", "authorization_code", "code", late_code,
           "client_id", rc_sim_get_client_id (fixture->sim), "redirect_uri", SF_REDIRECT,
           "code_verifier", VERIFIER, NULL);
  assert_salesforce_error (&late, 400, "invalid_grant", "invalid authorization code");

  /* ...belongs to the client that asked for it, and a misuse burns it. */
  rc_sim_add_client (fixture->sim, "another-client");
  browser_sign_in (fixture, &other_redirect, FALSE, SF_REDIRECT, "allow");
  other_code = location_param (&other_redirect, "code");
  request (fixture, &other, "POST", token_url, NULL,
           "grant_type", "authorization_code", "code", other_code,
           "client_id", "another-client", "redirect_uri", SF_REDIRECT,
           "code_verifier", VERIFIER, NULL);
  assert_salesforce_error (&other, 400, "invalid_grant", "invalid authorization code");
  request (fixture, &reused, "POST", token_url, NULL,
           "grant_type", "authorization_code", "code", other_code,
           "client_id", rc_sim_get_client_id (fixture->sim), "redirect_uri", SF_REDIRECT,
           "code_verifier", VERIFIER, NULL);
  assert_salesforce_error (&reused, 400, "invalid_grant", "invalid authorization code");

  /* The redirect_uri of the exchange must be the one the code was sent to. */
  {
    g_auto(Reply) sf_redirect = { 0 };
    g_auto(Reply) sf = { 0 };
    g_auto(Reply) entra_redirect = { 0 };
    g_auto(Reply) entra = { 0 };
    g_autofree char *sf_code = NULL;
    g_autofree char *entra_code = NULL;
    g_autofree char *entra_token = url_join (fixture->entra, "oauth2/v2.0/token");

    browser_sign_in (fixture, &sf_redirect, FALSE, SF_REDIRECT, "allow");
    sf_code = location_param (&sf_redirect, "code");
    request (fixture, &sf, "POST", token_url, NULL,
             "grant_type", "authorization_code", "code", sf_code,
             "client_id", rc_sim_get_client_id (fixture->sim), "redirect_uri", "http://localhost:1717/OauthRedirect",
             "code_verifier", VERIFIER, NULL);
    assert_salesforce_error (&sf, 400, "invalid_grant", "redirect_uri must match configuration");

    browser_sign_in (fixture, &entra_redirect, TRUE, ENTRA_REDIRECT, "allow");
    entra_code = location_param (&entra_redirect, "code");
    request (fixture, &entra, "POST", entra_token, NULL,
             "grant_type", "authorization_code", "code", entra_code,
             "client_id", rc_sim_get_client_id (fixture->sim), "redirect_uri", "http://127.0.0.1:1/other",
             "code_verifier", VERIFIER, NULL);
    assert_entra_error (&entra, 400, "invalid_grant", 50011, NULL);
  }

  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 0);
}

/* ---------------------------------------------------------- scenarios -- */

typedef struct
{
  const char *scenario;
  guint       sf_status;      /* 200: Salesforce has no such cause */
  const char *sf_error;
  const char *sf_description;
  guint       entra_status;   /* 200: Entra has no such cause */
  const char *entra_error;
  gint64      aadsts;
  const char *suberror;
  gboolean    sign_in_fixes;  /* a new interactive sign-in works again */
} ScenarioCase;

#define SF_EXPIRED 400, "invalid_grant", "expired access/refresh token"
#define SF_OK      200, NULL, NULL
#define ENTRA_OK   200, NULL, 0, NULL

static const ScenarioCase scenario_cases[] = {
  { "refresh-token-expired", SF_EXPIRED, 400, "invalid_grant", 700082, NULL, TRUE },
  { "refresh-token-policy-immediate", SF_EXPIRED, ENTRA_OK, FALSE },
  { "token-revoked", SF_EXPIRED, 400, "invalid_grant", 50173, "bad_token", TRUE },
  { "bad-token", SF_EXPIRED, 400, "invalid_grant", 70000, "bad_token", TRUE },
  { "mfa-required", SF_OK, 400, "invalid_grant", 50076, "basic_action", TRUE },
  { "conditional-access", SF_OK, 400, "invalid_grant", 53003, "message_only", FALSE },
  { "device-not-registered", SF_OK, 400, "invalid_grant", 700003, "device_authentication_failed", FALSE },
  { "client-secret-expired", 400, "invalid_client", "invalid client credentials",
    401, "invalid_client", 7000222, NULL, FALSE },
  { "app-not-approved", 400, "invalid_app_access", "user is not admin approved to access this app",
    400, "invalid_grant", 65001, "consent_required", FALSE },
  { "user-deactivated", 400, "inactive_user", "User is inactive", 400, "invalid_grant", 50057, NULL, FALSE },
  { "password-changed", 400, "invalid_grant", "authentication failure", 400, "invalid_grant", 50133, NULL, TRUE },
  { "password-expired", SF_OK, 400, "invalid_grant", 50055, "user_password_expired", TRUE },
  { "account-locked", 400, "invalid_grant", "invalid username, password, security token; or user locked out.",
    400, "invalid_grant", 50053, NULL, FALSE },
  { "ip-restricted", 400, "invalid_grant", "IP restricted or invalid login hours",
    400, "invalid_grant", 53003, "message_only", FALSE },
  { "org-inactive", 400, "inactive_org", "Org is locked, closed, or suspended",
    400, "invalid_grant", 650052, NULL, FALSE },
  { "client-invalid", 400, "invalid_client_id", "client identifier invalid",
    400, "unauthorized_client", 700016, NULL, FALSE },
};

static void
check_scenario_case (Fixture            *fixture,
                     const ScenarioCase *c)
{
  g_autoptr(GError) error = NULL;
  g_auto(Reply) sf_tokens = { 0 };
  g_auto(Reply) entra_tokens = { 0 };
  g_auto(Reply) sf = { 0 };
  g_auto(Reply) entra = { 0 };

  g_test_message ("scenario %s", c->scenario);
  g_assert_true (rc_sim_set_scenario (fixture->sim, "healthy", &error));
  sign_in (fixture, &sf_tokens, FALSE);
  sign_in (fixture, &entra_tokens, TRUE);

  g_assert_true (rc_sim_set_scenario (fixture->sim, c->scenario, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rc_sim_get_scenario (fixture->sim), ==, c->scenario);

  refresh (fixture, &sf, FALSE, member (&sf_tokens, "refresh_token"));
  if (c->sf_status == 200)
    g_assert_cmpuint (sf.status, ==, 200);
  else
    assert_salesforce_error (&sf, c->sf_status, c->sf_error, c->sf_description);

  refresh (fixture, &entra, TRUE, member (&entra_tokens, "refresh_token"));
  if (c->entra_status == 200)
    g_assert_cmpuint (entra.status, ==, 200);
  else
    assert_entra_error (&entra, c->entra_status, c->entra_error, c->aadsts, c->suberror);

  if (g_str_equal (c->scenario, "mfa-required"))
    {
      /* The claims challenge is JSON in a string, to be parsed, never matched. */
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *claims;

      g_assert_true (json_parser_load_from_data (parser, member (&entra, "claims"), -1, NULL));
      claims = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_has_member (json_object_get_object_member (claims, "access_token"), "capolids"));
    }

  if (c->sign_in_fixes)
    {
      g_auto(Reply) sf_again = { 0 };
      g_auto(Reply) entra_again = { 0 };
      g_auto(Reply) sf_refresh = { 0 };
      g_auto(Reply) entra_refresh = { 0 };

      sign_in (fixture, &sf_again, FALSE);
      sign_in (fixture, &entra_again, TRUE);
      refresh (fixture, &entra_refresh, TRUE, member (&entra_again, "refresh_token"));
      g_assert_cmpuint (entra_refresh.status, ==, 200);
      refresh (fixture, &sf_refresh, FALSE, member (&sf_again, "refresh_token"));
      /* Except where the policy itself is the cause, a new sign-in is enough. */
      g_assert_cmpuint (sf_refresh.status, ==, 200);
    }
}

static void
test_scenarios_token_answers (Fixture       *fixture,
                              gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenario_cases); i++)
    check_scenario_case (fixture, &scenario_cases[i]);
}

static void
test_scenarios_cover_causes (void)
{
  /* Every server-side cause id of shared/DESIGN.md has its scenario. */
  const char *causes[] = {
    "session-expired", "refresh-token-expired", "refresh-token-policy-immediate", "token-revoked",
    "bad-token", "mfa-required", "conditional-access", "device-not-registered", "client-secret-expired",
    "app-not-approved", "user-deactivated", "password-changed", "password-expired", "account-locked",
    "ip-restricted", "org-inactive", "client-invalid", "redirect-mismatch", "access-denied",
    "rate-limited", "service-unavailable", "network-offline", "captive-portal", "proxy-auth-required", "clock-skew",
  };
  const char * const *names = rc_sim_list_scenarios ();

  g_assert_true (g_strv_contains (names, "healthy"));
  for (guint i = 0; i < G_N_ELEMENTS (causes); i++)
    {
      g_test_message ("cause %s", causes[i]);
      g_assert_true (g_strv_contains (names, causes[i]));
    }
}

static void
test_scenario_session_expired (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(Reply) sf_tokens = { 0 };
  g_auto(Reply) entra_tokens = { 0 };
  g_auto(Reply) rest = { 0 };
  g_auto(Reply) whoami = { 0 };
  g_auto(Reply) renewed = { 0 };
  g_autofree char *rest_url = url_join (fixture->sf, "services/data/v60.0/");
  g_autofree char *whoami_url = g_strdup_printf ("http://127.0.0.1:%u/api/data/v9.2/WhoAmI", rc_sim_get_port (fixture->sim));
  g_autoptr(GError) error = NULL;

  sign_in (fixture, &sf_tokens, FALSE);
  sign_in (fixture, &entra_tokens, TRUE);
  g_assert_true (rc_sim_set_scenario (fixture->sim, "session-expired", &error));

  request (fixture, &rest, "GET", rest_url, member (&sf_tokens, "access_token"), NULL);
  g_assert_cmpuint (rest.status, ==, 401);
  g_assert_cmpstr (rest.body, ==, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");

  request (fixture, &whoami, "GET", whoami_url, member (&entra_tokens, "access_token"), NULL);
  g_assert_cmpuint (whoami.status, ==, 401);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (whoami.headers, "WWW-Authenticate"), "Bearer "));

  /* The refresh token still works: one refresh and the session is back. */
  refresh (fixture, &renewed, FALSE, member (&sf_tokens, "refresh_token"));
  g_assert_cmpuint (renewed.status, ==, 200);
}

static void
test_scenario_service_conditions (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *rest_url = url_join (fixture->sf, "services/data/v60.0/");
  g_autoptr(GError) error = NULL;

  {
    g_auto(Reply) sf = { 0 };
    g_auto(Reply) entra = { 0 };

    g_assert_true (rc_sim_set_scenario (fixture->sim, "service-unavailable", &error));
    refresh (fixture, &sf, FALSE, "whatever");
    g_assert_cmpuint (sf.status, ==, 503);
    g_assert_nonnull (soup_message_headers_get_one (sf.headers, "Retry-After"));
    refresh (fixture, &entra, TRUE, "whatever");
    assert_entra_error (&entra, 503, "temporarily_unavailable", 90033, NULL);
  }
  {
    g_auto(Reply) sf = { 0 };
    g_auto(Reply) rest = { 0 };
    g_auto(Reply) entra = { 0 };

    g_assert_true (rc_sim_set_scenario (fixture->sim, "rate-limited", &error));
    refresh (fixture, &sf, FALSE, "whatever");
    assert_salesforce_error (&sf, 400, "rate_limit_exceeded", "Number of logins exceeded");
    request (fixture, &rest, "GET", rest_url, "whatever", NULL);
    g_assert_cmpuint (rest.status, ==, 403);
    g_assert_nonnull (strstr (rest.body, "\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\""));
    refresh (fixture, &entra, TRUE, "whatever");
    g_assert_cmpuint (entra.status, ==, 429);
    g_assert_nonnull (soup_message_headers_get_one (entra.headers, "Retry-After"));
  }
  {
    g_auto(Reply) dropped = { 0 };

    g_assert_true (rc_sim_set_scenario (fixture->sim, "network-offline", &error));
    refresh (fixture, &dropped, FALSE, "whatever");
    g_assert_nonnull (dropped.error);
    g_assert_null (dropped.body);
  }
  {
    g_auto(Reply) proxy = { 0 };

    g_assert_true (rc_sim_set_scenario (fixture->sim, "proxy-auth-required", &error));
    refresh (fixture, &proxy, TRUE, "whatever");
    g_assert_cmpuint (proxy.status, ==, 407);
    g_assert_nonnull (soup_message_headers_get_one (proxy.headers, "Proxy-Authenticate"));
  }
  {
    g_auto(Reply) skewed = { 0 };
    g_autoptr(GDateTime) date = NULL;

    g_assert_true (rc_sim_set_scenario (fixture->sim, "clock-skew", &error));
    refresh (fixture, &skewed, FALSE, "whatever");
    g_assert_cmpuint (skewed.status, ==, 400);
    date = soup_date_time_new_from_http_string (soup_message_headers_get_one (skewed.headers, "Date"));
    g_assert_nonnull (date);
    g_assert_cmpint (g_date_time_to_unix (date) - g_get_real_time () / G_USEC_PER_SEC, >, 50 * 60);
  }
  {
    g_auto(Reply) tokens = { 0 };

    g_assert_true (rc_sim_set_scenario (fixture->sim, "malformed-json", &error));
    sign_in (fixture, &tokens, FALSE);
    g_assert_cmpuint (tokens.status, ==, 200);
    g_assert_null (tokens.json);
  }

  g_assert_false (rc_sim_set_scenario (fixture->sim, "no-such-scenario", &error));
  g_assert_error (error, RC_SIM_ERROR, RC_SIM_ERROR_UNKNOWN_SCENARIO);
}

static void
test_latency (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_autofree char *url = url_join (fixture->sf, ".well-known/openid-configuration");
  gint64 start;

  rc_sim_set_latency (fixture->sim, 300);
  start = g_get_monotonic_time ();
  request (fixture, &reply, "GET", url, NULL, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
}

static guint
post_json (Fixture    *fixture,
           const char *url,
           const char *json)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, 30);
  answer = soup_session_send_and_read_finish (fixture->session, result, NULL);
  return soup_message_get_status (msg);
}

static void
test_control_api (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *control = rc_sim_get_control_url (fixture->sim);
  g_autofree char *scenario_url = url_join (control, "scenario");
  g_autofree char *clock_url = url_join (control, "clock");
  g_autofree char *state_url = url_join (control, "state");
  g_autofree char *approve_url = url_join (control, "approve");
  g_autofree char *devicecode_url = url_join (fixture->entra, "oauth2/v2.0/devicecode");
  g_auto(Reply) state = { 0 };
  g_auto(Reply) start = { 0 };
  gint64 before = rc_sim_get_now (fixture->sim);
  const char *bodies[][2] = {
    { scenario_url, "{\"name\":\"service-unavailable\"}" },
    { clock_url, "{\"advance_seconds\":86400}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    g_assert_cmpuint (post_json (fixture, bodies[i][0], bodies[i][1]), ==, 200);

  /* Bad input is a 400, never a crash or a silent success. */
  g_assert_cmpuint (post_json (fixture, clock_url, "{\"advance_seconds\":-5}"), ==, 400);
  g_assert_cmpuint (post_json (fixture, clock_url, "{\"advance_seconds\":\"x\"}"), ==, 400);
  g_assert_cmpuint (post_json (fixture, scenario_url, "{\"name\":5}"), ==, 400);
  g_assert_cmpuint (post_json (fixture, scenario_url, "not json"), ==, 400);

  g_assert_cmpstr (rc_sim_get_scenario (fixture->sim), ==, "service-unavailable");
  g_assert_cmpint (rc_sim_get_now (fixture->sim) - before, >=, 86400);

  /* The control API is out of the scenario's reach. */
  request (fixture, &state, "GET", state_url, NULL, NULL);
  g_assert_cmpuint (state.status, ==, 200);
  g_assert_cmpstr (member (&state, "scenario"), ==, "service-unavailable");
  g_assert_cmpint (json_object_get_int_member (reply_object (&state), "live_grants"), ==, 0);

  /* The device page's user, played through the control API. */
  rc_sim_set_scenario (fixture->sim, "healthy", NULL);
  request (fixture, &start, "POST", devicecode_url, NULL,
           "client_id", rc_sim_get_client_id (fixture->sim), "scope", "openid", NULL);
  {
    g_autofree char *json = g_strdup_printf ("{\"user_code\":\"%s\",\"user\":\"ada@reconnect.example\"}",
                                             member (&start, "user_code"));
    g_auto(Reply) tokens = { 0 };
    g_autofree char *token_url = url_join (fixture->entra, "oauth2/v2.0/token");

    g_assert_cmpuint (post_json (fixture, approve_url, json), ==, 200);

    request (fixture, &tokens, "POST", token_url, NULL,
             "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
             "device_code", member (&start, "device_code"), "client_id", rc_sim_get_client_id (fixture->sim), NULL);
    g_assert_cmpuint (tokens.status, ==, 200);
  }

  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "entra/oauth2/v2.0/token"), ==, 1);
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "entra/oauth2/v2.0/devicecode"), ==, 1);
}

/* Fetches the login page of a new Salesforce sign-in and, with @username,
 * the consent page that follows it. */
static void
fetch_sign_in_pages (Fixture    *fixture,
                     Reply      *login,
                     Reply      *consent,
                     const char *username)
{
  g_autofree char *authorize = url_join (fixture->sf, "services/oauth2/authorize");
  g_autofree char *escaped = g_uri_escape_string (SF_REDIRECT, NULL, TRUE);
  g_autofree char *url = g_strdup_printf ("%s?response_type=code&client_id=%s&redirect_uri=%s"
                                          "&scope=refresh_token%%20api%%20id&state=st4te"
                                          "&code_challenge=" CHALLENGE "&code_challenge_method=S256",
                                          authorize, rc_sim_get_client_id (fixture->sim), escaped);
  g_autofree char *request_id = NULL;

  request (fixture, login, "GET", url, NULL, NULL);
  g_assert_cmpuint (login->status, ==, 200);
  request_id = html_value (login->body, "request_id");
  g_assert_nonnull (request_id);

  request (fixture, consent, "POST", authorize, NULL,
           "request_id", request_id, "step", "login",
           "username", username, "password", "anything", NULL);
}

/* The demo's autopilot lets a real browser finish the sign-in by itself:
 * the pages it serves then press their own buttons, and only then. */
static void
test_autopilot (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Reply) login = { 0 };
  g_auto(Reply) consent = { 0 };
  g_auto(Reply) auto_login = { 0 };
  g_auto(Reply) auto_consent = { 0 };
  g_auto(Reply) refused = { 0 };
  g_auto(Reply) refused_consent = { 0 };
  g_auto(Reply) off_login = { 0 };
  g_auto(Reply) off_consent = { 0 };

  /* Without the autopilot the user presses the buttons; the known user's
   * name may be filled in, nothing else changes. */
  fetch_sign_in_pages (fixture, &login, &consent, "ada@reconnect.example");
  g_assert_cmpuint (consent.status, ==, 200);
  g_assert_null (strstr (login.body, "<script"));
  g_assert_null (strstr (consent.body, "<script"));
  g_assert_nonnull (strstr (consent.body, "value=\"allow\""));

  rc_sim_set_autopilot (fixture->sim, TRUE);
  fetch_sign_in_pages (fixture, &auto_login, &auto_consent, "ada@reconnect.example");
  g_assert_cmpuint (auto_consent.status, ==, 200);
  g_assert_nonnull (strstr (auto_login.body, "name=\"username\" value=\"ada@reconnect.example\""));
  g_assert_nonnull (strstr (auto_login.body, "<script>setTimeout("));
  g_assert_nonnull (strstr (auto_login.body, "button[type=submit]"));
  g_assert_nonnull (strstr (auto_consent.body, "<script>setTimeout("));
  g_assert_nonnull (strstr (auto_consent.body, "button[value=allow]"));
  g_assert_true (g_str_has_suffix (auto_consent.body, "</html>\n"));
  /* Inline only: the pages load nothing from anywhere. */
  g_assert_null (strstr (auto_login.body, "src="));
  g_assert_null (strstr (auto_consent.body, "src="));

  /* A refused login would only come back again: the autopilot stops. */
  fetch_sign_in_pages (fixture, &refused, &refused_consent, "nobody@reconnect.example");
  g_assert_cmpuint (refused_consent.status, ==, 401);
  g_assert_nonnull (strstr (refused_consent.body, "class=\"error\""));
  g_assert_null (strstr (refused_consent.body, "<script"));

  rc_sim_set_autopilot (fixture->sim, FALSE);
  fetch_sign_in_pages (fixture, &off_login, &off_consent, "ada@reconnect.example");
  g_assert_null (strstr (off_login.body, "<script"));
  g_assert_null (strstr (off_consent.body, "<script"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/reconnect/sim/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("salesforce/discovery", test_salesforce_discovery);
  ADD ("salesforce/code-flow", test_salesforce_code_flow);
  ADD ("salesforce/pkce", test_salesforce_pkce);
  ADD ("salesforce/redirect-mismatch", test_salesforce_redirect_mismatch);
  ADD ("salesforce/access-denied", test_salesforce_access_denied);
  ADD ("salesforce/rotation", test_salesforce_rotation);
  ADD ("salesforce/no-rotation", test_salesforce_no_rotation);
  ADD ("salesforce/session-timeout", test_salesforce_session_timeout);
  ADD ("salesforce/policies", test_salesforce_policies);
  ADD ("salesforce/approval-cap", test_salesforce_approval_cap);
  ADD ("salesforce/revoke-introspect", test_salesforce_revoke_introspect);
  ADD ("salesforce/device-flow", test_salesforce_device_flow);
  ADD ("entra/discovery", test_entra_discovery);
  ADD ("entra/code-flow", test_entra_code_flow);
  ADD ("entra/pkce-and-idle", test_entra_pkce_and_idle);
  ADD ("entra/device-flow", test_entra_device_flow);
  ADD ("entra/device-expiry", test_entra_device_expiry);
  ADD ("entra/redirect-and-consent", test_entra_redirect_and_consent);
  ADD ("codes-bound-and-short-lived", test_codes_bound_and_short_lived);
  ADD ("scenarios/token-answers", test_scenarios_token_answers);
  ADD ("scenarios/session-expired", test_scenario_session_expired);
  ADD ("scenarios/service-conditions", test_scenario_service_conditions);
  ADD ("latency", test_latency);
  ADD ("control-api", test_control_api);
  ADD ("autopilot", test_autopilot);
#undef ADD
  g_test_add_func ("/reconnect/sim/scenarios/cover-causes", test_scenarios_cover_causes);

  return g_test_run ();
}
