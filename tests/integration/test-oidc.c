/* test-oidc.c: the OAuth engine against a real OpenID Connect server.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * panva's oidc-provider (pinned in package-lock.json, installed by
 * build-aux/test with npm ci) runs on 127.0.0.1 for each test.  Its login,
 * consent and device pages are driven over HTTP, with cookies, as a
 * browser would.  If node or the package is missing, the tests fail.
 */

#include "config.h"

#include <signal.h>
#include <libsoup/soup.h>

#include "rc-authorization.h"
#include "rc-device-authorization.h"
#include "rc-oidc-provider.h"
#include "rc-protocol-error.h"
#include "rc-test-session.h"

#define TIMEOUT   30
#define CLIENT_ID "reconnect-test"
#define SCOPE     "openid offline_access"

typedef struct
{
  GSubprocess *server;
  char        *issuer;
  SoupSession *browser;
  RcProvider  *provider;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) resolved = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "integration", NULL);
  g_autofree char *script = g_build_filename (dir, "provider.mjs", NULL);
  g_autofree char *modules = g_build_filename (dir, "node_modules", "oidc-provider", NULL);
  g_autofree char *node = g_find_program_in_path ("node");
  g_autoptr(SoupCookieJar) jar = soup_cookie_jar_new ();

  if (node == NULL || !g_file_test (modules, G_FILE_TEST_IS_DIR))
    g_error ("The OpenID Connect server is missing (node: %s, %s): run build-aux/test, which installs it with npm ci",
             node ? node : "not found", modules);

  g_subprocess_launcher_set_cwd (launcher, dir);
  fixture->server = g_subprocess_launcher_spawn (launcher, &error, node, script, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->server));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, cancellable, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, cancellable, TIMEOUT);
  fixture->issuer = g_data_input_stream_read_line_finish (out, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->issuer);
  g_assert_true (g_str_has_prefix (fixture->issuer, "http://127.0.0.1:"));

  fixture->browser = soup_session_new_with_options ("timeout", 10, NULL);
  soup_session_add_feature (fixture->browser, SOUP_SESSION_FEATURE (jar));

  fixture->provider = rc_oidc_provider_new (fixture->issuer, CLIENT_ID, NULL, SCOPE, &error);
  g_assert_no_error (error);
  rc_provider_resolve_async (fixture->provider, NULL, rc_test_on_async_done, &resolved);
  rc_test_wait_for_result (&resolved, NULL, TIMEOUT);
  g_assert_true (rc_provider_resolve_finish (fixture->provider, resolved, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->provider);
  g_clear_object (&fixture->browser);
  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_subprocess_wait (fixture->server, NULL, NULL);
  g_clear_object (&fixture->server);
  g_free (fixture->issuer);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ----------------------------------------------------------- browser -- */

static guint
browse (Fixture     *fixture,
        const char  *method,
        const char  *url,
        GHashTable  *form,
        char       **body)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;

  msg = form ? soup_message_new_from_encoded_form (method, url, soup_form_encode_hash (form))
             : soup_message_new (method, url);
  g_assert_nonnull (msg);
  soup_session_send_and_read_async (fixture->browser, msg, G_PRIORITY_DEFAULT, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  bytes = soup_session_send_and_read_finish (fixture->browser, result, NULL);
  *body = bytes ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : g_strdup ("");
  return soup_message_get_status (msg);
}

/* Submits the page's first form, as a user would: its hidden fields, and a
 * login and any password where it asks for them.  FALSE when there is none. */
static gboolean
submit_form (Fixture  *fixture,
             char    **page)
{
  g_autoptr(GRegex) form_re = g_regex_new ("<form[^>]*action=\"([^\"]+)\"", 0, 0, NULL);
  g_autoptr(GRegex) hidden_re = g_regex_new ("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) form_match = NULL;
  g_autoptr(GMatchInfo) hidden = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *action = NULL;
  g_autofree char *next = NULL;

  if (!g_regex_match (form_re, *page, 0, &form_match))
    return FALSE;
  action = g_match_info_fetch (form_match, 1);

  g_regex_match (hidden_re, *page, 0, &hidden);
  while (g_match_info_matches (hidden))
    {
      g_hash_table_insert (fields, g_match_info_fetch (hidden, 1), g_match_info_fetch (hidden, 2));
      g_match_info_next (hidden, NULL);
    }
  if (strstr (*page, "name=\"login\"") != NULL)
    {
      g_hash_table_insert (fields, g_strdup ("login"), g_strdup ("ada"));
      g_hash_table_insert (fields, g_strdup ("password"), g_strdup ("anything"));
    }

  g_assert_cmpuint (browse (fixture, "POST", action, fields, &next), ==, 200);
  g_free (*page);
  *page = g_steal_pointer (&next);
  return TRUE;
}

/* From a start page to the end of the provider's pages. */
static char *
play_user (Fixture    *fixture,
           const char *start)
{
  char *page = NULL;

  g_assert_cmpuint (browse (fixture, "GET", start, NULL, &page), ==, 200);
  for (guint steps = 0; submit_form (fixture, &page); steps++)
    g_assert_cmpuint (steps, <, 8);
  return page;
}

typedef struct
{
  Fixture *fixture;
  char    *last_page;
} Browser;

static gboolean
on_launch_idle (gpointer user_data)
{
  Browser *browser = user_data;

  browser->last_page = play_user (browser->fixture, g_object_get_data (G_OBJECT (browser->fixture->provider), "uri"));
  return G_SOURCE_REMOVE;
}

static void
launch (const char *uri,
        gpointer    user_data)
{
  Browser *browser = user_data;

  g_object_set_data_full (G_OBJECT (browser->fixture->provider), "uri", g_strdup (uri), g_free);
  g_idle_add (on_launch_idle, browser);
}

static RcTokenSet *
sign_in (Fixture *fixture)
{
  g_autoptr(RcAuthorization) authorization = rc_authorization_new (fixture->provider);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Browser browser = { fixture, NULL };
  RcTokenSet *tokens;

  rc_authorization_set_launcher (authorization, launch, &browser, NULL);
  rc_authorization_run_async (authorization, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_authorization_run_finish (authorization, result, &error);
  g_assert_no_error (error);
  while (browser.last_page == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The browser ended on Reconnect's own page. */
  g_assert_nonnull (strstr (browser.last_page, "return to Reconnect"));
  g_free (browser.last_page);
  return tokens;
}

static RcTokenSet *
refresh (Fixture     *fixture,
         RcTokenSet  *tokens,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rc_provider_refresh_async (fixture->provider, tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  return rc_provider_refresh_finish (fixture->provider, result, error);
}

/* ------------------------------------------------------------- tests -- */

static void
test_code_flow (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) userinfo = NULL;
  g_autoptr(GError) error = NULL;

  /* The server names itself in the redirect (RFC 9207), so Reconnect insists. */
  g_assert_true (rc_provider_get_requires_iss (fixture->provider));

  tokens = sign_in (fixture);
  g_assert_nonnull (rc_token_set_get_access_token (tokens));
  g_assert_nonnull (rc_token_set_get_refresh_token (tokens));
  g_assert_nonnull (rc_token_set_get_id_token (tokens));
  g_assert_cmpint (rc_token_set_get_expires_at (tokens), >, g_get_real_time () / G_USEC_PER_SEC);

  rc_provider_fetch_userinfo_async (fixture->provider, tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  userinfo = rc_provider_fetch_userinfo_finish (fixture->provider, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (userinfo, "sub"), ==, "ada");
}

static void
test_rotation_reuse (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RcTokenSet) tokens = sign_in (fixture);
  g_autoptr(RcTokenSet) rotated = NULL;
  g_autoptr(RcTokenSet) reused = NULL;
  g_autoptr(RcTokenSet) after = NULL;
  g_autoptr(GError) error = NULL;

  rotated = refresh (fixture, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rc_token_set_get_refresh_token (rotated), !=, rc_token_set_get_refresh_token (tokens));

  /* Using the retired token again revokes the grant, the new token too. */
  reused = refresh (fixture, tokens, &error);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_REJECTED);
  g_assert_cmpstr (rc_protocol_error_get_error (rc_oauth_error_get_protocol_error (error)), ==, "invalid_grant");
  g_clear_error (&error);

  after = refresh (fixture, rotated, &error);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_REJECTED);
  g_assert_cmpuint (rc_protocol_error_get_http_status (rc_oauth_error_get_protocol_error (error)), ==, 400);
}

static void
test_revoke (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(RcTokenSet) tokens = sign_in (fixture);
  g_autoptr(RcTokenSet) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rc_provider_revoke_async (fixture->provider, tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  g_assert_true (rc_provider_revoke_finish (fixture->provider, result, &error));
  g_assert_no_error (error);

  after = refresh (fixture, tokens, &error);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_REJECTED);
  g_assert_cmpstr (rc_protocol_error_get_error (rc_oauth_error_get_protocol_error (error)), ==, "invalid_grant");
}

static void
test_device_flow (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RcDeviceAuthorization) device = rc_device_authorization_new (fixture->provider);
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;

  rc_device_authorization_start_async (device, NULL, rc_test_on_async_done, &started);
  rc_test_wait_for_result (&started, NULL, TIMEOUT);
  g_assert_true (rc_device_authorization_start_finish (device, started, &error));
  g_assert_no_error (error);
  /* No interval in the answer: the RFC's five seconds. */
  g_assert_cmpuint (rc_device_authorization_get_interval (device), ==, 5);
  g_assert_nonnull (rc_device_authorization_get_verification_uri_complete (device));

  last = play_user (fixture, rc_device_authorization_get_verification_uri_complete (device));
  g_assert_nonnull (strstr (last, "Sign-in Success"));

  rc_device_authorization_wait_async (device, NULL, rc_test_on_async_done, &done);
  rc_test_wait_for_result (&done, NULL, TIMEOUT);
  tokens = rc_device_authorization_wait_finish (device, done, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rc_token_set_get_refresh_token (tokens));
}

static void
test_wrong_issuer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *other = g_strconcat (fixture->issuer, "/.", NULL);
  g_autoptr(RcProvider) provider = rc_oidc_provider_new (other, CLIENT_ID, NULL, SCOPE, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* The same server under another name: its document names the real one. */
  rc_provider_resolve_async (provider, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  g_assert_false (rc_provider_resolve_finish (provider, result, &error));
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_ISSUER_MISMATCH);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/reconnect/oidc/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("code-flow", test_code_flow);
  ADD ("rotation-reuse", test_rotation_reuse);
  ADD ("revoke", test_revoke);
  ADD ("device-flow", test_device_flow);
  ADD ("wrong-issuer", test_wrong_issuer);
#undef ADD

  return g_test_run ();
}
