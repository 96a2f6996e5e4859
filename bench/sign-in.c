/* sign-in.c: what a sign-in costs once the browser comes back, for bench/run
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-sign-in ROUNDS
 *
 * In one process, as the window does it: the built-in simulator at zero
 * latency, an Entra account, RcAuthorization with a scripted browser (the
 * tests' one), then RcMonitor adopting the tokens into the session's keyring
 * until the account is Connected.  Each round times two walks of the same
 * browser, in alternating order:
 *
 *   app    the launch of the browser until the account is Connected
 *   floor  the same pages walked, the redirect answered by a bare loopback
 *          server that does nothing
 *
 * The browser's pages cost the same in both, so app - floor is the time
 * from the redirect reaching Reconnect's receiver to the account showing
 * Connected.  One line per round: "app_ms=… floor_ms=…".
 */

#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>

#include "rc-authorization.h"
#include "rc-monitor.h"
#include "rc-sim.h"
#include "rc-test-browser.h"
#include "rc-test-session.h"

#define TIMEOUT 30

typedef struct
{
  RcSim          *sim;
  RcAccountStore *accounts;
  RcSecretStore  *secrets;
  RcMonitor      *monitor;
  RcAccount      *account;
  RcTestBrowser  *browser;
  SoupServer     *bare;        /* the floor's receiver */
  guint           bare_port;
  gint64          launched;    /* µs, monotonic */
  gint64          connected;
  gboolean        floor;       /* send the browser to the bare receiver */
} Bench;

static void
on_bare_request (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

/* The same authorization request, with its redirect on the bare receiver's
 * port: Entra, like RFC 8252, lets a loopback redirect take any port. */
static char *
to_bare_receiver (Bench      *bench,
                  const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = soup_form_decode (g_uri_get_query (parsed));
  g_autoptr(GUri) redirect = g_uri_parse (g_hash_table_lookup (params, "redirect_uri"), G_URI_FLAGS_NONE, NULL);
  g_autofree char *bare = g_uri_join (G_URI_FLAGS_NONE, "http", NULL, "127.0.0.1", (int) bench->bare_port,
                                      g_uri_get_path (redirect), NULL, NULL);
  g_autofree char *query = NULL;

  g_hash_table_replace (params, g_strdup ("redirect_uri"), g_strdup (bare));
  query = soup_form_encode_hash (params);
  return g_uri_join (G_URI_FLAGS_ENCODED_QUERY, g_uri_get_scheme (parsed), NULL, g_uri_get_host (parsed),
                     g_uri_get_port (parsed), g_uri_get_path (parsed), query, NULL);
}

static void
launch (const char *uri,
        gpointer    user_data)
{
  Bench *bench = user_data;

  bench->launched = g_get_monotonic_time ();
  if (bench->floor)
    {
      g_autofree char *bare = to_bare_receiver (bench, uri);

      rc_test_browser_launch (bare, bench->browser);
    }
  else
    rc_test_browser_launch (uri, bench->browser);
}

static void
on_state (RcAccount  *account,
          GParamSpec *pspec,
          Bench      *bench)
{
  if (rc_account_get_state (account) == RC_CONNECTION_CONNECTED && bench->connected == 0)
    bench->connected = g_get_monotonic_time ();
}

static void
iterate_until (gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;

  while (!*done)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the sign-in did not finish within %d s", TIMEOUT);
      g_main_context_iteration (NULL, TRUE);
    }
}

static RcAuthorization *
authorization_new (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  RcProvider *provider = rc_monitor_get_provider (bench->monitor, bench->account, &error);
  RcAuthorization *authorization;

  if (provider == NULL)
    g_error ("No provider: %s", error->message);
  authorization = rc_authorization_new (provider);
  rc_authorization_set_launcher (authorization, launch, bench, NULL);
  return authorization;
}

/* The launch until Connected, in ms. */
static double
run_app (Bench *bench)
{
  g_autoptr(RcAuthorization) authorization = authorization_new (bench);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) adopted = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done;

  bench->floor = FALSE;
  bench->connected = 0;
  bench->launched = 0;
  rc_account_set_state (bench->account, RC_CONNECTION_SIGNED_OUT);
  rc_authorization_run_async (authorization, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_authorization_run_finish (authorization, result, &error);
  if (tokens == NULL)
    g_error ("The sign-in failed: %s", error->message);
  rc_monitor_adopt_async (bench->monitor, bench->account, tokens, NULL, rc_test_on_async_done, &adopted);
  rc_test_wait_for_result (&adopted, NULL, TIMEOUT);
  if (!rc_monitor_adopt_finish (bench->monitor, adopted, &error))
    g_error ("The tokens were not kept: %s", error->message);
  done = bench->connected != 0;
  iterate_until (&done);

  /* The browser may still be reading the page that says it went well. */
  done = rc_test_browser_get_done (bench->browser);
  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      done = rc_test_browser_get_done (bench->browser);
    }
  return (bench->connected - bench->launched) / 1e3;
}

/* The same walk, to the bare receiver; Reconnect's own waits on. */
static double
run_floor (Bench *bench)
{
  g_autoptr(RcAuthorization) authorization = authorization_new (bench);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  gint64 finished;
  gboolean done = FALSE;

  bench->floor = TRUE;
  bench->launched = 0;
  rc_authorization_run_async (authorization, cancellable, rc_test_on_async_done, &result);
  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      done = bench->launched != 0 && rc_test_browser_get_done (bench->browser);
    }
  finished = g_get_monotonic_time ();
  if (rc_test_browser_get_redirect_status (bench->browser) != 200)
    g_error ("The bare receiver answered %u", rc_test_browser_get_redirect_status (bench->browser));

  g_cancellable_cancel (cancellable);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  return (finished - bench->launched) / 1e3;
}

static void
bench_set_up (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *tmp = g_dir_make_tmp ("bench-sign-in-XXXXXX", &error);
  g_autofree char *config = NULL;
  g_autofree char *system = NULL;
  g_autofree char *state = NULL;
  g_autofree char *entra = NULL;

  if (tmp == NULL)
    g_error ("%s", error->message);
  config = g_build_filename (tmp, "config", NULL);
  system = g_build_filename (tmp, "system", NULL);
  state = g_build_filename (tmp, "state", NULL);

  bench->sim = rc_sim_new ();
  if (!rc_sim_listen (bench->sim, 0, &error))
    g_error ("The simulator could not listen: %s", error->message);
  rc_sim_set_latency (bench->sim, 0);
  entra = rc_sim_get_salesforce_url (bench->sim);
  entra[strlen (entra) - 1] = '\0';

  bench->accounts = rc_account_store_new (config, (const char * const []) { system, NULL }, state);
  rc_account_store_load (bench->accounts);
  bench->account = rc_account_new ("entra-1", "entra", rc_sim_get_tenant (bench->sim), rc_sim_get_client_id (bench->sim));
  rc_account_set_authority (bench->account, entra);
  rc_account_set_environment_url (bench->account, entra);
  if (!rc_account_store_add (bench->accounts, bench->account, &error))
    g_error ("%s", error->message);
  g_signal_connect (bench->account, "notify::state", G_CALLBACK (on_state), bench);

  bench->secrets = rc_secret_store_new ();
  bench->monitor = rc_monitor_new (bench->accounts, bench->secrets);
  bench->browser = rc_test_browser_new ("ada@reconnect.example", "allow");

  bench->bare = soup_server_new (NULL, NULL);
  soup_server_add_handler (bench->bare, NULL, on_bare_request, NULL, NULL);
  if (!soup_server_listen_local (bench->bare, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The bare receiver could not listen: %s", error->message);
  uris = soup_server_get_uris (bench->bare);
  bench->bare_port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

int
main (int    argc,
      char **argv)
{
  Bench bench = { 0 };
  guint rounds = argc == 2 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 0;

  if (rounds == 0)
    {
      g_printerr ("usage: bench-sign-in ROUNDS\n");
      return 64;
    }
  bench_set_up (&bench);

  /* One of each first: the keyring item, the connections, the caches. */
  run_app (&bench);
  run_floor (&bench);

  for (guint i = 0; i < rounds; i++)
    {
      double app, floor;

      if (i % 2 == 0)
        {
          app = run_app (&bench);
          floor = run_floor (&bench);
        }
      else
        {
          floor = run_floor (&bench);
          app = run_app (&bench);
        }
      g_print ("app_ms=%.3f floor_ms=%.3f\n", app, floor);
    }
  return 0;
}
