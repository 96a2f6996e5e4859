/* test-oauth.c: the OAuth engine against the simulator, over real HTTP.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The browser is played by a scripted launcher that fills in the
 * simulator's login and consent pages over HTTP and then follows the
 * redirect to Reconnect's loopback listener, as a browser would.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rc-authorization.h"
#include "rc-cause.h"
#include "rc-classifier.h"
#include "rc-http.h"
#include "rc-device-authorization.h"
#include "rc-entra-provider.h"
#include "rc-oidc-provider.h"
#include "rc-protocol-error.h"
#include "rc-salesforce-provider.h"
#include "rc-sim.h"
#include "rc-test-session.h"

#define TIMEOUT 30

typedef struct
{
  RcSim       *sim;
  SoupSession *browser;
  char        *sf_root;       /* http://127.0.0.1:P, no slash */
  char        *entra_root;    /* http://127.0.0.1:P */
  char        *sf_redirect;   /* a fixed loopback port registered for this run */
  GString     *log;           /* captured_log */
} Fixture;

/* What the scripted browser does, and what it saw. */
typedef struct
{
  Fixture    *fixture;
  const char *decision;       /* "allow" or "deny" */
  const char *tamper_state;   /* replaces the state in the redirect, first */
  const char *add_iss;        /* appended as iss= to the redirect */
  gboolean    repeat;         /* follow the redirect a second time */
  guint       first_status;   /* what the loopback listener answered */
  guint       tampered_status;
  guint       repeat_status;
  char       *first_body;
  char       *code;          /* the authorization code the browser carried */
  gboolean    done;
} Browser;

/* Everything logged, debug messages included: no token may be in it. */
static GString *captured_log;

static void
browser_clear (Browser *browser)
{
  g_clear_pointer (&browser->first_body, g_free);
  g_clear_pointer (&browser->code, g_free);
}

static GLogWriterOutput
capture_log (GLogLevelFlags   log_level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (captured_log, "%s\n", (const char *) fields[i].value);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, NULL);
  return G_LOG_WRITER_HANDLED;
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sf = NULL;

  g_string_truncate (captured_log, 0);
  fixture->log = captured_log;

  fixture->sim = rc_sim_new ();
  g_assert_true (rc_sim_listen (fixture->sim, 0, &error));
  rc_sim_set_device_interval (fixture->sim, 1);
  fixture->sf_redirect = g_strdup_printf ("http://127.0.0.1:%u/OauthRedirect", free_port ());
  rc_sim_add_redirect_uri (fixture->sim, fixture->sf_redirect);

  sf = rc_sim_get_salesforce_url (fixture->sim);
  fixture->sf_root = g_strndup (sf, strlen (sf) - 1);
  fixture->entra_root = g_strdup (fixture->sf_root);
  fixture->browser = soup_session_new_with_options ("timeout", 10, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->browser);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fixture->sf_root);
  g_free (fixture->entra_root);
  g_free (fixture->sf_redirect);
}

static RcProvider *
salesforce (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  RcProvider *provider = rc_salesforce_provider_new (fixture->sf_root, rc_sim_get_client_id (fixture->sim),
                                                     fixture->sf_redirect, &error);

  g_assert_no_error (error);
  return provider;
}

static RcProvider *
entra (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  RcProvider *provider = rc_entra_provider_new (fixture->entra_root, rc_sim_get_tenant (fixture->sim),
                                                rc_sim_get_client_id (fixture->sim), NULL,
                                                fixture->entra_root, &error);

  g_assert_no_error (error);
  return provider;
}

/* ---------------------------------------------------- scripted browser -- */

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

/* One blocking-looking request: the simulator and the listener live in
 * this thread, so the context turns while it waits. */
static guint
browse (Fixture     *fixture,
        const char  *method,
        const char  *url,
        GHashTable  *form,
        char       **body,
        char       **location)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  msg = form ? soup_message_new_from_encoded_form (method, url, soup_form_encode_hash (form))
             : soup_message_new (method, url);
  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (fixture->browser, msg, G_PRIORITY_DEFAULT, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  bytes = soup_session_send_and_read_finish (fixture->browser, result, &error);
  if (bytes == NULL)
    return 0;   /* nothing listens any more */

  if (body != NULL)
    *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (location != NULL)
    *location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"));
  return soup_message_get_status (msg);
}

static char *
with_param (const char *url,
            const char *name,
            const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = soup_form_decode (g_uri_get_query (uri));
  g_autofree char *query = NULL;
  g_autoptr(GUri) changed = NULL;
  /* soup_form_decode() tables own their keys, not their values. */
  g_autofree char *owned_value = g_strdup (value);

  g_hash_table_replace (params, g_strdup (name), owned_value);
  query = soup_form_encode_hash (params);
  changed = soup_uri_copy (uri, SOUP_URI_QUERY, query, SOUP_URI_NONE);
  return g_uri_to_string (changed);
}

static gboolean
play_user (gpointer user_data)
{
  Browser *browser = user_data;
  Fixture *fixture = browser->fixture;
  g_autofree char *login = NULL;
  g_autofree char *consent = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  const char *authorize = g_object_get_data (G_OBJECT (fixture->sim), "authorize-uri");
  g_autoptr(GUri) authorize_uri = g_uri_parse (authorize, G_URI_FLAGS_NONE, NULL);

  g_assert_cmpuint (browse (fixture, "GET", authorize, NULL, &login, NULL), ==, 200);
  request_id = html_value (login, "request_id");
  g_assert_nonnull (request_id);
  action = g_uri_join (G_URI_FLAGS_NONE, "http", NULL, g_uri_get_host (authorize_uri),
                       g_uri_get_port (authorize_uri), g_uri_get_path (authorize_uri), NULL, NULL);

  g_hash_table_insert (form, "request_id", request_id);
  g_hash_table_insert (form, "step", "login");
  g_hash_table_insert (form, "username", "ada@reconnect.example");
  g_hash_table_insert (form, "password", "anything");
  g_assert_cmpuint (browse (fixture, "POST", action, form, &consent, NULL), ==, 200);

  g_hash_table_insert (form, "step", "consent");
  g_hash_table_insert (form, "decision", (gpointer) browser->decision);
  g_assert_cmpuint (browse (fixture, "POST", action, form, NULL, &redirect), ==, 302);
  g_assert_nonnull (redirect);

  if (browser->tamper_state != NULL)
    {
      g_autofree char *tampered = with_param (redirect, "state", browser->tamper_state);

      browser->tampered_status = browse (fixture, "GET", tampered, NULL, NULL, NULL);
    }
  if (browser->add_iss != NULL)
    {
      g_autofree char *with_iss = with_param (redirect, "iss", browser->add_iss);

      g_free (redirect);
      redirect = g_steal_pointer (&with_iss);
    }

  {
    g_autoptr(GUri) redirect_uri = g_uri_parse (redirect, G_URI_FLAGS_ENCODED_QUERY, NULL);
    g_autoptr(GHashTable) params = soup_form_decode (g_uri_get_query (redirect_uri));

    browser->code = g_strdup (g_hash_table_lookup (params, "code"));
  }
  browser->first_status = browse (fixture, "GET", redirect, NULL, &browser->first_body, NULL);
  if (browser->repeat)
    browser->repeat_status = browse (fixture, "GET", redirect, NULL, NULL, NULL);

  browser->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* The launcher must not block: the user starts once the sign-in waits. */
static void
launch (const char *uri,
        gpointer    user_data)
{
  Browser *browser = user_data;

  g_object_set_data_full (G_OBJECT (browser->fixture->sim), "authorize-uri", g_strdup (uri), g_free);
  g_idle_add (play_user, browser);
}

/* A user who never comes back: keeps the desktop's real browser out of it. */
static void
launch_nothing (const char *uri,
                gpointer    user_data)
{
}

static RcTokenSet *
browser_sign_in (Fixture     *fixture,
                 RcProvider  *provider,
                 Browser     *browser,
                 GError     **error)
{
  g_autoptr(RcAuthorization) authorization = rc_authorization_new (provider);
  g_autoptr(GAsyncResult) result = NULL;
  RcTokenSet *tokens;

  browser->fixture = fixture;
  if (browser->decision == NULL)
    browser->decision = "allow";
  rc_authorization_set_launcher (authorization, launch, browser, NULL);
  rc_authorization_run_async (authorization, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_authorization_run_finish (authorization, result, error);

  /* The browser may still be reading its page. */
  while (!browser->done)
    g_main_context_iteration (NULL, TRUE);
  return tokens;
}

static RcTokenSet *
refresh (RcProvider  *provider,
         RcTokenSet  *tokens,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rc_provider_refresh_async (provider, tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  return rc_provider_refresh_finish (provider, result, error);
}

static gboolean
probe (RcProvider  *provider,
       RcTokenSet  *tokens,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rc_provider_probe_async (provider, tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  return rc_provider_probe_finish (provider, result, error);
}

static RcTokenSet *
device_sign_in (Fixture     *fixture,
                RcProvider  *provider,
                GError     **error)
{
  g_autoptr(RcDeviceAuthorization) device = rc_device_authorization_new (provider);
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) approve_error = NULL;

  rc_device_authorization_start_async (device, NULL, rc_test_on_async_done, &started);
  rc_test_wait_for_result (&started, NULL, TIMEOUT);
  if (!rc_device_authorization_start_finish (device, started, error))
    return NULL;

  g_assert_nonnull (rc_device_authorization_get_user_code (device));
  g_assert_true (g_str_has_prefix (rc_device_authorization_get_verification_uri (device), "http://127.0.0.1:"));
  g_assert_cmpuint (rc_device_authorization_get_interval (device), ==, 1);
  rc_sim_approve_device (fixture->sim, rc_device_authorization_get_user_code (device),
                         "ada@reconnect.example", &approve_error);
  g_assert_no_error (approve_error);

  rc_device_authorization_wait_async (device, NULL, rc_test_on_async_done, &done);
  rc_test_wait_for_result (&done, NULL, TIMEOUT);
  return rc_device_authorization_wait_finish (device, done, error);
}

static void
assert_no_secret_logged (Fixture    *fixture,
                         RcTokenSet *tokens)
{
  g_assert_null (strstr (fixture->log->str, rc_token_set_get_access_token (tokens)));
  if (rc_token_set_get_refresh_token (tokens) != NULL)
    g_assert_null (strstr (fixture->log->str, rc_token_set_get_refresh_token (tokens)));
}

/* ----------------------------------------------------------- browser -- */

static void
test_salesforce_browser (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RcProvider) provider = salesforce (fixture);
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(RcTokenSet) renewed = NULL;
  g_autoptr(RcTokenSet) rotated = NULL;
  g_autoptr(GAsyncResult) userinfo_result = NULL;
  g_autoptr(GAsyncResult) revoke_result = NULL;
  g_autoptr(JsonObject) userinfo = NULL;
  g_autoptr(GError) error = NULL;
  Browser browser = { 0 };

  tokens = browser_sign_in (fixture, provider, &browser, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpuint (browser.first_status, ==, 200);
  g_assert_nonnull (strstr (browser.first_body, "You can close this tab and return to Reconnect"));
  g_assert_cmpstr (rc_token_set_get_instance_url (tokens), ==, fixture->sf_root);
  g_assert_nonnull (rc_token_set_get_refresh_token (tokens));
  g_assert_cmpint (rc_token_set_get_expires_at (tokens), ==, 0);   /* Salesforce does not say */

  g_assert_true (probe (provider, tokens, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "salesforce/services/data/v60.0/"), ==, 1);

  rc_provider_fetch_userinfo_async (provider, tokens, NULL, rc_test_on_async_done, &userinfo_result);
  rc_test_wait_for_result (&userinfo_result, NULL, TIMEOUT);
  userinfo = rc_provider_fetch_userinfo_finish (provider, userinfo_result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (userinfo, "preferred_username"), ==, "ada@reconnect.example");

  /* Without rotation the refresh answer has no refresh token: the old one stays. */
  renewed = refresh (provider, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rc_token_set_get_refresh_token (renewed), ==, rc_token_set_get_refresh_token (tokens));
  g_assert_cmpstr (rc_token_set_get_access_token (renewed), !=, rc_token_set_get_access_token (tokens));
  g_assert_cmpstr (rc_token_set_get_instance_url (renewed), ==, fixture->sf_root);

  rc_sim_set_rotation (fixture->sim, TRUE);
  rotated = refresh (provider, renewed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rc_token_set_get_refresh_token (rotated), !=, rc_token_set_get_refresh_token (renewed));

  rc_provider_revoke_async (provider, rotated, NULL, rc_test_on_async_done, &revoke_result);
  rc_test_wait_for_result (&revoke_result, NULL, TIMEOUT);
  g_assert_true (rc_provider_revoke_finish (provider, revoke_result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 0);

  assert_no_secret_logged (fixture, tokens);
  assert_no_secret_logged (fixture, rotated);
  g_assert_nonnull (browser.code);
  g_assert_null (strstr (fixture->log->str, browser.code));
  browser_clear (&browser);
}

static void
test_entra_browser (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RcProvider) provider = entra (fixture);
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(RcTokenSet) renewed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Browser browser = { 0 };

  tokens = browser_sign_in (fixture, provider, &browser, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rc_token_set_get_expires_at (tokens), >=, now + 3500);
  g_assert_true (probe (provider, tokens, &error));
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "entra/api/data/v9.2/WhoAmI"), ==, 1);

  renewed = refresh (provider, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rc_token_set_get_refresh_token (renewed), !=, rc_token_set_get_refresh_token (tokens));
  assert_no_secret_logged (fixture, tokens);
  browser_clear (&browser);
}

static void
test_browser_declined (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RcProvider) provider = entra (fixture);
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  Browser browser = { .decision = "deny" };
  RcProtocolError *protocol;

  tokens = browser_sign_in (fixture, provider, &browser, &error);
  g_assert_null (tokens);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_DENIED);
  protocol = rc_oauth_error_get_protocol_error (error);
  g_assert_nonnull (protocol);
  g_assert_cmpstr (rc_protocol_error_get_error (protocol), ==, "access_denied");
  g_assert_cmpstr (rc_protocol_error_get_suberror (protocol), ==, "cancel");
  browser_clear (&browser);
}

/* ---------------------------------------------------------- security -- */

static void
test_wrong_state_then_right (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RcProvider) provider = salesforce (fixture);
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  Browser browser = { .tamper_state = "forged", .repeat = TRUE };

  /* A forged state gets a refusal and changes nothing; the real redirect
   * then signs in, and a second one finds nobody listening for it. */
  tokens = browser_sign_in (fixture, provider, &browser, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpuint (browser.tampered_status, ==, 400);
  g_assert_cmpuint (browser.first_status, ==, 200);
  g_assert_true (browser.repeat_status == 0 || browser.repeat_status == 404);
  /* Debug output is captured (so the checks for secrets in it mean
   * something), and says what happened without the secrets. */
  g_assert_nonnull (strstr (fixture->log->str, "unknown state"));
  assert_no_secret_logged (fixture, tokens);
  g_assert_null (strstr (fixture->log->str, browser.code));
  browser_clear (&browser);
}

static void
test_wrong_issuer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RcProvider) provider = entra (fixture);
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  Browser browser = { .add_iss = "https://attacker.example/v2.0" };

  tokens = browser_sign_in (fixture, provider, &browser, &error);
  g_assert_null (tokens);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_ISSUER_MISMATCH);
  /* The browser was told, and the code was never spent. */
  g_assert_cmpuint (browser.first_status, ==, 400);
  g_assert_nonnull (strstr (browser.first_body, "Return to Reconnect"));
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "entra/oauth2/v2.0/token"), ==, 0);
  browser_clear (&browser);
}

static void
test_port_busy (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(RcProvider) provider = NULL;
  g_autoptr(RcAuthorization) authorization = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autofree char *redirect = NULL;

  g_assert_true (g_socket_listener_add_address (squatter, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, NULL));
  redirect = g_strdup_printf ("http://127.0.0.1:%u/OauthRedirect",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  provider = rc_salesforce_provider_new (fixture->sf_root, rc_sim_get_client_id (fixture->sim), redirect, NULL);
  authorization = rc_authorization_new (provider);
  rc_authorization_set_launcher (authorization, launch_nothing, NULL, NULL);
  rc_authorization_run_async (authorization, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_authorization_run_finish (authorization, result, &error);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_PORT_BUSY);
  /* The message names the way out. */
  g_assert_nonnull (strstr (error->message, "code instead"));
}

static void
test_loopback_only (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RcProvider) provider = entra (fixture);
  g_autoptr(RcAuthorization) authorization = rc_authorization_new (provider);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) redirect = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autolist(GInetAddress) addresses = NULL;
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  rc_authorization_set_launcher (authorization, launch_nothing, NULL, NULL);
  rc_authorization_run_async (authorization, cancellable, rc_test_on_async_done, &result);
  while (rc_authorization_get_redirect_uri (authorization) == NULL)
    g_main_context_iteration (NULL, TRUE);
  redirect = g_uri_parse (rc_authorization_get_redirect_uri (authorization), G_URI_FLAGS_NONE, NULL);
  g_assert_cmpstr (g_uri_get_host (redirect), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (redirect), >, 0);

  /* The listener is bound to 127.0.0.1: no other address of this machine reaches it. */
  addresses = g_resolver_lookup_by_name (resolver, g_get_host_name (), NULL, NULL);
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketAddress) target = NULL;
      g_autoptr(GSocketConnection) connection = NULL;

      if (g_inet_address_get_is_loopback (l->data))
        continue;
      target = g_inet_socket_address_new (l->data, g_uri_get_port (redirect));
      connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (target), NULL, NULL);
      g_assert_null (connection);
    }

  /* The authorize address carries PKCE S256 and a state of 256 random bits. */
  {
    g_autoptr(GUri) uri = g_uri_parse (rc_authorization_get_uri (authorization), G_URI_FLAGS_ENCODED_QUERY, NULL);
    g_autoptr(GHashTable) params = soup_form_decode (g_uri_get_query (uri));

    g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
    g_assert_cmpuint (strlen (g_hash_table_lookup (params, "code_challenge")), ==, 43);
    g_assert_cmpuint (strlen (g_hash_table_lookup (params, "state")), ==, 43);
    g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, rc_authorization_get_redirect_uri (authorization));
  }

  g_cancellable_cancel (cancellable);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_authorization_run_finish (authorization, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RcProvider) provider = entra (fixture);
  g_autoptr(RcAuthorization) authorization = rc_authorization_new (provider);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;

  rc_authorization_set_launcher (authorization, launch_nothing, NULL, NULL);
  rc_authorization_set_timeout (authorization, 1);
  rc_authorization_run_async (authorization, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_authorization_run_finish (authorization, result, &error);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_TIMED_OUT);
}

static void
test_random_strings (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      char *verifier = rc_authorization_random_string (32);

      /* RFC 7636 4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~" */
      g_assert_cmpuint (strlen (verifier), ==, 43);
      for (const char *p = verifier; *p; p++)
        g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
      g_assert_false (g_hash_table_contains (seen, verifier));
      g_hash_table_add (seen, verifier);
    }
}

typedef struct
{
  Fixture    *fixture;
  RcTokenSet *tokens;
  GError     *error;
  gboolean    done;
} Parallel;

static void
on_parallel_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Parallel *run = user_data;

  run->tokens = rc_authorization_run_finish (RC_AUTHORIZATION (source), result, &run->error);
  run->done = TRUE;
}

static void
test_two_at_once (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RcProvider) provider = entra (fixture);
  g_autoptr(RcAuthorization) first = rc_authorization_new (provider);
  g_autoptr(RcAuthorization) second = rc_authorization_new (provider);
  Browser first_browser = { .fixture = fixture, .decision = "allow" };
  Parallel first_run = { fixture }, second_run = { fixture };

  /* The second sign-in starts while the first waits for its browser: each
   * listener gets its own port and state, and nothing crosses. */
  rc_authorization_set_launcher (first, launch_nothing, NULL, NULL);
  rc_authorization_set_launcher (second, launch_nothing, NULL, NULL);
  rc_authorization_run_async (first, NULL, on_parallel_done, &first_run);
  rc_authorization_run_async (second, NULL, on_parallel_done, &second_run);
  while (rc_authorization_get_uri (first) == NULL || rc_authorization_get_uri (second) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (rc_authorization_get_redirect_uri (first), !=, rc_authorization_get_redirect_uri (second));

  g_object_set_data_full (G_OBJECT (fixture->sim), "authorize-uri", g_strdup (rc_authorization_get_uri (first)), g_free);
  play_user (&first_browser);
  while (!first_run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (first_run.error);
  g_assert_false (second_run.done);

  {
    Browser second_browser = { .fixture = fixture, .decision = "allow" };

    g_object_set_data_full (G_OBJECT (fixture->sim), "authorize-uri", g_strdup (rc_authorization_get_uri (second)), g_free);
    play_user (&second_browser);
    while (!second_run.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (second_run.error);
    browser_clear (&second_browser);
  }

  g_assert_cmpstr (rc_token_set_get_access_token (first_run.tokens), !=, rc_token_set_get_access_token (second_run.tokens));
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 2);
  rc_token_set_unref (first_run.tokens);
  rc_token_set_unref (second_run.tokens);
  browser_clear (&first_browser);
}

/* ------------------------------------------------------------ device -- */

static void
test_device_flows (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RcProvider) sf = salesforce (fixture);
  g_autoptr(RcProvider) ms = entra (fixture);
  g_autoptr(RcTokenSet) sf_tokens = NULL;
  g_autoptr(RcTokenSet) ms_tokens = NULL;
  g_autoptr(GError) error = NULL;

  sf_tokens = device_sign_in (fixture, sf, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rc_token_set_get_instance_url (sf_tokens), ==, fixture->sf_root);
  /* Salesforce's dialect: both steps at the token endpoint. */
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "salesforce/services/oauth2/token"), >=, 2);

  ms_tokens = device_sign_in (fixture, ms, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "entra/oauth2/v2.0/devicecode"), ==, 1);
  assert_no_secret_logged (fixture, sf_tokens);
  assert_no_secret_logged (fixture, ms_tokens);
}

static void
test_device_slow_down (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RcProvider) provider = entra (fixture);
  g_autoptr(RcDeviceAuthorization) device = rc_device_authorization_new (provider);
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  rc_device_authorization_start_async (device, NULL, rc_test_on_async_done, &started);
  rc_test_wait_for_result (&started, NULL, TIMEOUT);
  g_assert_true (rc_device_authorization_start_finish (device, started, &error));
  rc_sim_approve_device (fixture->sim, rc_device_authorization_get_user_code (device), "ada@reconnect.example", NULL);

  /* One slow_down: the next poll comes five seconds later than before. */
  rc_sim_set_slow_downs (fixture->sim, 1);
  start = g_get_monotonic_time ();
  rc_device_authorization_wait_async (device, NULL, rc_test_on_async_done, &done);
  rc_test_wait_for_result (&done, NULL, TIMEOUT);
  tokens = rc_device_authorization_wait_finish (device, done, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_device_authorization_get_interval (device), ==, 6);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 5 * G_USEC_PER_SEC);   /* not 2 s */
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "entra/oauth2/v2.0/token"), ==, 2);
}

static void
test_device_declined_and_expired (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(RcProvider) provider = entra (fixture);
  g_autoptr(RcTokenSet) declined = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_sim_set_scenario (fixture->sim, "access-denied", NULL));
  declined = device_sign_in (fixture, provider, &error);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_DENIED);
  g_assert_cmpstr (rc_protocol_error_get_error (rc_oauth_error_get_protocol_error (error)), ==,
                   "authorization_declined");
  g_clear_error (&error);

  {
    g_autoptr(RcDeviceAuthorization) device = rc_device_authorization_new (provider);
    g_autoptr(GAsyncResult) started = NULL;
    g_autoptr(GAsyncResult) done = NULL;
    g_autoptr(RcTokenSet) tokens = NULL;

    rc_sim_set_scenario (fixture->sim, "healthy", NULL);
    rc_device_authorization_start_async (device, NULL, rc_test_on_async_done, &started);
    rc_test_wait_for_result (&started, NULL, TIMEOUT);
    g_assert_true (rc_device_authorization_start_finish (device, started, &error));
    g_assert_cmpuint (rc_device_authorization_get_expires_in (device), ==, 900);

    /* Nobody enters the code; the provider's clock runs out. */
    rc_sim_advance_clock (fixture->sim, 16 * 60);
    rc_device_authorization_wait_async (device, NULL, rc_test_on_async_done, &done);
    rc_test_wait_for_result (&done, NULL, TIMEOUT);
    tokens = rc_device_authorization_wait_finish (device, done, &error);
    g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_EXPIRED);
  }
}

/* --------------------------------------------------- error scenarios -- */

typedef struct
{
  const char *scenario;
  gboolean    entra;
  gint        code;          /* RcOAuthErrorEnum */
  guint       status;
  const char *error;
  gint64      aadsts;
  const char *suberror;
  const char *description;   /* Salesforce: exact */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "refresh-token-expired", FALSE, RC_OAUTH_ERROR_REJECTED, 400, "invalid_grant", 0, NULL, "expired access/refresh token" },
  { "refresh-token-expired", TRUE, RC_OAUTH_ERROR_REJECTED, 400, "invalid_grant", 700082, NULL, NULL },
  { "mfa-required", TRUE, RC_OAUTH_ERROR_REJECTED, 400, "invalid_grant", 50076, "basic_action", NULL },
  { "conditional-access", TRUE, RC_OAUTH_ERROR_REJECTED, 400, "invalid_grant", 53003, "message_only", NULL },
  { "device-not-registered", TRUE, RC_OAUTH_ERROR_REJECTED, 400, "invalid_grant", 700003, "device_authentication_failed", NULL },
  { "client-secret-expired", TRUE, RC_OAUTH_ERROR_REJECTED, 401, "invalid_client", 7000222, NULL, NULL },
  { "user-deactivated", FALSE, RC_OAUTH_ERROR_REJECTED, 400, "inactive_user", 0, NULL, "User is inactive" },
  { "ip-restricted", FALSE, RC_OAUTH_ERROR_REJECTED, 400, "invalid_grant", 0, NULL, "IP restricted or invalid login hours" },
  { "org-inactive", FALSE, RC_OAUTH_ERROR_REJECTED, 400, "inactive_org", 0, NULL, "Org is locked, closed, or suspended" },
  { "password-expired", TRUE, RC_OAUTH_ERROR_REJECTED, 400, "invalid_grant", 50055, "user_password_expired", NULL },
  { "service-unavailable", FALSE, RC_OAUTH_ERROR_HTTP, 503, NULL, 0, NULL, NULL },
  { "service-unavailable", TRUE, RC_OAUTH_ERROR_REJECTED, 503, "temporarily_unavailable", 90033, NULL, NULL },
  { "rate-limited", TRUE, RC_OAUTH_ERROR_REJECTED, 429, "temporarily_unavailable", 50196, NULL, NULL },
  { "proxy-auth-required", FALSE, RC_OAUTH_ERROR_HTTP, 407, NULL, 0, NULL, NULL },
  { "network-offline", FALSE, RC_OAUTH_ERROR_TRANSPORT, 0, NULL, 0, NULL, NULL },
  { "malformed-json", TRUE, RC_OAUTH_ERROR_MALFORMED, 200, NULL, 0, NULL, NULL },
};

static void
test_refresh_errors (Fixture       *fixture,
                     gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(RcProvider) provider = c->entra ? entra (fixture) : salesforce (fixture);
      g_autoptr(RcTokenSet) tokens = NULL;
      g_autoptr(RcTokenSet) renewed = NULL;
      g_autoptr(GError) error = NULL;
      RcProtocolError *protocol;

      g_test_message ("%s (%s)", c->scenario, c->entra ? "Entra" : "Salesforce");
      rc_sim_set_scenario (fixture->sim, "healthy", NULL);
      tokens = device_sign_in (fixture, provider, &error);
      g_assert_no_error (error);

      g_assert_true (rc_sim_set_scenario (fixture->sim, c->scenario, NULL));
      renewed = refresh (provider, tokens, &error);
      g_assert_null (renewed);
      g_assert_error (error, RC_OAUTH_ERROR, c->code);

      /* Never a token in what an error says. */
      g_assert_null (strstr (error->message, rc_token_set_get_refresh_token (tokens)));

      protocol = rc_oauth_error_get_protocol_error (error);
      g_assert_nonnull (protocol);
      g_assert_cmpstr (rc_protocol_error_get_endpoint (protocol), ==, "token");
      g_assert_cmpuint (rc_protocol_error_get_http_status (protocol), ==, c->status);
      g_assert_cmpstr (rc_protocol_error_get_error (protocol), ==, c->error);
      g_assert_cmpstr (rc_protocol_error_get_suberror (protocol), ==, c->suberror);
      if (c->description != NULL)
        g_assert_cmpstr (rc_protocol_error_get_description (protocol), ==, c->description);
      if (c->aadsts != 0)
        {
          guint n_codes;
          const gint64 *codes = rc_protocol_error_get_error_codes (protocol, &n_codes);

          g_assert_cmpuint (n_codes, ==, 1);
          g_assert_cmpint (codes[0], ==, c->aadsts);
          g_assert_true (g_uuid_string_is_valid (rc_protocol_error_get_trace_id (protocol)));
          g_assert_true (g_uuid_string_is_valid (rc_protocol_error_get_correlation_id (protocol)));
        }
      if (c->status == 503 || (c->status == 429 && c->entra))
        g_assert_cmpint (rc_protocol_error_get_retry_after (protocol), >, 0);
      if (c->code == RC_OAUTH_ERROR_TRANSPORT)
        g_assert_nonnull (rc_protocol_error_get_transport_error (protocol));
      else
        g_assert_cmpint (rc_protocol_error_get_server_date (protocol), >, 0);

      if (g_str_equal (c->scenario, "mfa-required"))
        g_assert_nonnull (rc_protocol_error_get_claims (protocol));
    }
}

static void
test_probe_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RcProvider) sf = salesforce (fixture);
  g_autoptr(RcProvider) ms = entra (fixture);
  g_autoptr(RcTokenSet) sf_tokens = device_sign_in (fixture, sf, NULL);
  g_autoptr(RcTokenSet) ms_tokens = device_sign_in (fixture, ms, NULL);
  g_autoptr(GError) sf_error = NULL;
  g_autoptr(GError) ms_error = NULL;
  g_autoptr(GError) skew_error = NULL;
  RcProtocolError *protocol;

  g_assert_true (rc_sim_set_scenario (fixture->sim, "session-expired", NULL));

  g_assert_false (probe (sf, sf_tokens, &sf_error));
  g_assert_error (sf_error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_REJECTED);
  protocol = rc_oauth_error_get_protocol_error (sf_error);
  g_assert_cmpstr (rc_protocol_error_get_endpoint (protocol), ==, "probe");
  g_assert_cmpuint (rc_protocol_error_get_http_status (protocol), ==, 401);
  g_assert_cmpstr (rc_protocol_error_get_api_error_code (protocol), ==, "INVALID_SESSION_ID");
  g_assert_cmpstr (rc_protocol_error_get_api_message (protocol), ==, "Session expired or invalid");

  g_assert_false (probe (ms, ms_tokens, &ms_error));
  g_assert_error (ms_error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_HTTP);
  g_assert_cmpuint (rc_protocol_error_get_http_status (rc_oauth_error_get_protocol_error (ms_error)), ==, 401);

  /* The server's Date rides along, so a skewed clock can be told. */
  g_assert_true (rc_sim_set_scenario (fixture->sim, "clock-skew", NULL));
  g_assert_false (probe (sf, sf_tokens, &skew_error));
  protocol = rc_oauth_error_get_protocol_error (skew_error);
  g_assert_cmpint (rc_protocol_error_get_server_date (protocol) - g_get_real_time () / G_USEC_PER_SEC, >, 50 * 60);
}

/* ------------------------------------------------------- discovery -- */

static void
serve_discovery (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  const char *body = user_data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* The document in *@user_data, made once the port is known. */
static void
serve_discovery_later (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  serve_discovery (server, msg, path, query, *(char **) user_data);
}

static gboolean
hand_to_server (GSocketService    *service,
                GSocketConnection *connection,
                GObject           *source_object,
                gpointer           user_data)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  return soup_server_accept_iostream (user_data, G_IO_STREAM (connection), local, remote, NULL);
}

/* A discovery server on loopback that serves *@document, accepted by hand
 * as the simulator does (libsoup 3.2's listener leaks); stop it with
 * document_server_stop().  Returns its base URL. */
static char *
document_server_start (SoupServer      *server,
                       GSocketService  *service,
                       char           **document)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;

  soup_server_add_handler (server, NULL, serve_discovery_later, document, NULL);
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, NULL));
  g_signal_connect (service, "incoming", G_CALLBACK (hand_to_server), server);
  return g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static void
document_server_stop (SoupServer     *server,
                      GSocketService *service)
{
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  soup_server_disconnect (server);
}

static void
test_oidc_discovery (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *issuer = g_strdup_printf ("%s/%s/v2.0", fixture->entra_root, rc_sim_get_tenant (fixture->sim));
  g_autoptr(RcProvider) provider = rc_oidc_provider_new (issuer, rc_sim_get_client_id (fixture->sim), NULL, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rc_provider_resolve_async (provider, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  g_assert_true (rc_provider_resolve_finish (provider, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (rc_provider_get_token_endpoint (provider), "/oauth2/v2.0/token"));
  g_assert_true (g_str_has_suffix (rc_provider_get_device_endpoint (provider), "/oauth2/v2.0/devicecode"));

  /* A document that names another issuer is an impostor's. */
  {
    g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
    g_autoptr(GSocketService) service = g_socket_service_new ();
    g_autoptr(GAsyncResult) wrong_result = NULL;
    g_autoptr(GError) wrong_error = NULL;
    g_autoptr(RcProvider) wrong = NULL;
    g_autofree char *base = NULL;
    g_autofree char *document =
      g_strdup ("{\"issuer\":\"https://evil.example\",\"authorization_endpoint\":\"https://evil.example/auth\","
                "\"token_endpoint\":\"https://evil.example/token\"}");

    base = document_server_start (server, service, &document);
    wrong = rc_oidc_provider_new (base, "client", NULL, NULL, NULL);
    rc_provider_resolve_async (wrong, NULL, rc_test_on_async_done, &wrong_result);
    rc_test_wait_for_result (&wrong_result, NULL, TIMEOUT);
    g_assert_false (rc_provider_resolve_finish (wrong, wrong_result, &wrong_error));
    g_assert_error (wrong_error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_ISSUER_MISMATCH);
    g_assert_null (rc_provider_get_token_endpoint (wrong));
    document_server_stop (server, service);
  }
}

/* Resolves a provider from a document of the right issuer with its sign-in
 * addresses and @extra, a member made by calling @make_extra with the base
 * URL; it must be refused and keep no endpoint.  Returns the error. */
static GError *
resolve_refused (char * (*make_extra) (const char *base, gconstpointer data),
                 gconstpointer data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RcProvider) provider = NULL;
  g_autofree char *document = NULL;
  g_autofree char *base = document_server_start (server, service, &document);
  g_autofree char *extra = make_extra (base, data);
  GError *error = NULL;

  document = g_strdup_printf ("{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/auth\","
                              "\"token_endpoint\":\"%s/token\",%s}", base, base, base, extra);
  g_test_message ("%s", document);
  provider = rc_oidc_provider_new (base, "client", NULL, NULL, NULL);
  rc_provider_resolve_async (provider, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  g_assert_false (rc_provider_resolve_finish (provider, result, &error));
  g_assert_nonnull (error);
  g_assert_null (rc_provider_get_token_endpoint (provider));
  document_server_stop (server, service);
  return error;
}

static char *
iss_member (const char    *base,
            gconstpointer  data)
{
  return g_strdup_printf ("\"authorization_response_iss_parameter_supported\":%s", (const char *) data);
}

/* A discovery member of the wrong type is a clear error, not a json-glib
 * critical (which G_DEBUG=fatal-warnings would turn into a crash here), and
 * never a quiet "no" to the RFC 9207 iss check. */
static void
test_oidc_discovery_wrong_types (void)
{
  static const char * const iss_values[] = { "\"yes\"", "1", "{}", "[true]" };

  for (guint i = 0; i < G_N_ELEMENTS (iss_values); i++)
    {
      g_autoptr(GError) error = resolve_refused (iss_member, iss_values[i]);

      g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "authorization_response_iss_parameter_supported"));
    }
}

typedef struct
{
  const char *member;
  const char *url;
  int         code;
} EndpointCase;

static char *
endpoint_member (const char    *base,
                 gconstpointer  data)
{
  const EndpointCase *c = data;

  return g_strdup_printf ("\"%s\":\"%s\"", c->member, c->url);
}

/* Mix-up: a document of the right issuer that sends a token elsewhere (to
 * another host, another port, plain http) is refused whole, with what and
 * where in the message; none of its endpoints is kept. */
static void
test_oidc_discovery_endpoints (void)
{
  static const EndpointCase cases[] = {
    { "token_endpoint", "https://evil.example/token", RC_OAUTH_ERROR_ISSUER_MISMATCH },
    { "revocation_endpoint", "http://evil.example/revoke", RC_OAUTH_ERROR_INSECURE_URL },
    { "userinfo_endpoint", "http://127.0.0.1:1/userinfo", RC_OAUTH_ERROR_ISSUER_MISMATCH },
    { "device_authorization_endpoint", "https://login.example.com.evil.example/device", RC_OAUTH_ERROR_ISSUER_MISMATCH },
    { "introspection_endpoint", "https://oauth2.googleapis.com/introspect", RC_OAUTH_ERROR_ISSUER_MISMATCH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = resolve_refused (endpoint_member, &cases[i]);

      g_assert_error (error, RC_OAUTH_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].member));
      g_assert_nonnull (strstr (error->message, cases[i].url));
    }
}

/* A server that answers the token endpoint in bad faith. */
static void
serve_hostile (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  const char *mode = *(const char **) user_data;

  soup_server_message_set_status (msg, 200, NULL);
  if (g_str_equal (mode, "portal"))
    {
      static const char page[] = "<html><body><form action=\"/login\">Welcome to Hotel Wi-Fi. Accept the terms"
                                 "</form></body></html>";

      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC, page, strlen (page));
    }
  else if (g_str_equal (mode, "redirect"))
    soup_server_message_set_redirect (msg, 302, "http://portal.invalid/login?continue=token");
  else if (g_str_equal (mode, "huge-500"))
    {
      gsize size = 3 * 1024 * 1024;
      char *body = g_malloc (size);

      memset (body, 'x', size);
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_TAKE, body, size);
    }
  else if (g_str_equal (mode, "huge"))
    {
      gsize size = 2 * 1024 * 1024;
      char *body = g_malloc (size);

      memset (body, ' ', size);
      body[0] = '{';
      body[size - 1] = '}';
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, size);
    }
  else if (g_str_equal (mode, "html"))
    {
      static const char page[] = "<html>{\"access_token\":\"x\"}</html>";

      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
    }
  else
    {
      GString *deep = g_string_new (NULL);

      for (guint i = 0; i < 100000; i++)
        g_string_append_c (deep, '[');
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, deep->str, deep->len);
      g_string_free (deep, TRUE);
    }
}

static void
test_hostile_replies (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(RcProvider) provider = NULL;
  g_autoptr(RcTokenSet) tokens = rc_token_set_new ("access", "refresh", NULL, 0, 0, NULL, NULL, NULL);
  g_autofree char *base = NULL;
  const char *modes[] = { "huge", "html", "deep" };
  const char *mode = NULL;

  soup_server_add_handler (server, NULL, serve_hostile, &mode, NULL);
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, NULL));
  g_signal_connect (service, "incoming", G_CALLBACK (hand_to_server), server);
  base = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  provider = rc_salesforce_provider_new (base, "client", NULL, NULL);

  /* Too big, not JSON, nested past reason: each is a clear error, not a crash. */
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(RcTokenSet) renewed = NULL;
      g_autoptr(GError) error = NULL;

      mode = modes[i];
      g_test_message ("%s", mode);
      renewed = refresh (provider, tokens, &error);
      g_assert_null (renewed);
      g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED);
    }

  /* What stands in for the service is named for what it is: a hotspot's
   * page (a 200 web page, or a redirect, never followed) is the network's
   * sign-in, a 500 of megabytes an outage; neither is the user's sign-in. */
  {
    static const struct { const char *mode; int code; guint status; const char *cause; } cases[] = {
      { "portal", RC_OAUTH_ERROR_MALFORMED, 200, "captive-portal" },
      { "redirect", RC_OAUTH_ERROR_HTTP, 302, "captive-portal" },
      { "huge-500", RC_OAUTH_ERROR_HTTP, 500, "service-unavailable" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(RcTokenSet) renewed = NULL;
        g_autoptr(GError) error = NULL;
        RcProtocolError *problem;

        mode = cases[i].mode;
        g_test_message ("%s", mode);
        renewed = refresh (provider, tokens, &error);
        g_assert_null (renewed);
        g_assert_error (error, RC_OAUTH_ERROR, cases[i].code);
        problem = rc_oauth_error_get_protocol_error (error);
        g_assert_nonnull (problem);
        g_assert_cmpuint (rc_protocol_error_get_http_status (problem), ==, cases[i].status);
        g_assert_cmpstr (rc_classifier_classify_error (error, NULL), ==, cases[i].cause);
        g_assert_cmpint (rc_cause_get_state (cases[i].cause), ==, RC_CONNECTION_OFFLINE);
      }
  }

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  soup_server_disconnect (server);
}

/* A server that sends its headers, then one byte a second for ever. */
static void
drip (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data);

static gboolean
drip_again (gpointer user_data)
{
  GSocketConnection *connection = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all_async (out, " ", 1, G_PRIORITY_DEFAULT, NULL, drip, connection);
  return G_SOURCE_REMOVE;
}

static void
drip (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  GSocketConnection *connection = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      g_object_unref (connection);
      return;
    }
  g_timeout_add_seconds (1, drip_again, connection);
}

static gboolean
on_drip_incoming (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source_object,
                  gpointer           user_data)
{
  static const char headers[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all_async (out, headers, strlen (headers), G_PRIORITY_DEFAULT, NULL, drip,
                                   g_object_ref (connection));
  return TRUE;
}

/* libsoup's timeout measures only silence: a server that drips a byte a
 * second would hold a check for ever.  Every exchange has a deadline; here
 * the only thing that can end it (the drip never stops, nor falls silent
 * for the 30 s of the silence limit). */
static void
test_deadline (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SoupSession) session = rc_http_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RcHttpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const GError *transport;

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, NULL));
  g_signal_connect (service, "incoming", G_CALLBACK (on_drip_incoming), NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/token", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  rc_http_session_set_deadline (session, 3);
  msg = soup_message_new ("GET", url);
  rc_http_send_async (session, msg, "token", NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, RC_HTTP_TIMEOUT_SECONDS - 5);
  reply = rc_http_send_finish (result, &error);
  g_assert_null (reply);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_TRANSPORT);
  transport = rc_protocol_error_get_transport_error (rc_oauth_error_get_protocol_error (error));
  g_assert_error (transport, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "within 3 seconds"));

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_introspection (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RcProvider) provider = salesforce (fixture);
  g_autoptr(RcTokenSet) tokens = device_sign_in (fixture, provider, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  rc_provider_introspect_async (provider, tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  answer = rc_provider_introspect_finish (provider, result, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (answer, "active"));
  g_assert_cmpstr (json_object_get_string_member (answer, "username"), ==, "ada@reconnect.example");
}

static void
test_insecure_urls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcProvider) plain = rc_salesforce_provider_new ("http://login.salesforce.com", "id", NULL, &error);
  g_autoptr(RcProvider) tenant = NULL;

  g_assert_null (plain);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_INSECURE_URL);
  g_clear_error (&error);

  tenant = rc_entra_provider_new (NULL, "not a tenant!", "id", NULL, NULL, &error);
  g_assert_null (tenant);
  g_assert_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED);
  g_assert_true (rc_entra_tenant_is_valid ("organizations"));
  g_assert_true (rc_entra_tenant_is_valid ("contoso.onmicrosoft.com"));
  g_assert_true (rc_entra_tenant_is_valid ("3f1c2a9e-7b4d-4c8e-9a51-0d6e2b7c4f10"));
  g_assert_false (rc_entra_tenant_is_valid ("contoso"));
  g_assert_false (rc_entra_tenant_is_valid ("../evil"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  g_log_set_debug_enabled (TRUE);

#define ADD(path, func) g_test_add ("/reconnect/oauth/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("salesforce/browser", test_salesforce_browser);
  ADD ("entra/browser", test_entra_browser);
  ADD ("browser-declined", test_browser_declined);
  ADD ("security/wrong-state", test_wrong_state_then_right);
  ADD ("security/wrong-issuer", test_wrong_issuer);
  ADD ("security/port-busy", test_port_busy);
  ADD ("security/loopback-only", test_loopback_only);
  ADD ("security/two-at-once", test_two_at_once);
  ADD ("timeout", test_timeout);
  ADD ("device/flows", test_device_flows);
  ADD ("device/slow-down", test_device_slow_down);
  ADD ("device/declined-and-expired", test_device_declined_and_expired);
  ADD ("errors/refresh", test_refresh_errors);
  ADD ("errors/probe", test_probe_errors);
  ADD ("discovery", test_oidc_discovery);
  ADD ("hostile-replies", test_hostile_replies);
  ADD ("introspection", test_introspection);
#undef ADD
  g_test_add_func ("/reconnect/oauth/security/random-strings", test_random_strings);
  g_test_add_func ("/reconnect/oauth/insecure-urls", test_insecure_urls);
  g_test_add_func ("/reconnect/oauth/discovery-wrong-types", test_oidc_discovery_wrong_types);
  g_test_add_func ("/reconnect/oauth/deadline", test_deadline);
  g_test_add_func ("/reconnect/oauth/discovery-endpoints", test_oidc_discovery_endpoints);

  status = g_test_run ();
  g_string_free (captured_log, TRUE);
  return status;
}
