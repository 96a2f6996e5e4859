/* test-session.c: RcSession against the simulator and the real keyring.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "rc-device-authorization.h"
#include "rc-entra-provider.h"
#include "rc-salesforce-provider.h"
#include "rc-secret-store-private.h"
#include "rc-session.h"
#include "rc-sim.h"
#include "rc-test-monitor.h"
#include "rc-test-session.h"

#define TIMEOUT 30

typedef struct
{
  RcSim         *sim;
  RcSecretStore *store;
  char          *root;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *sf = NULL;

  fixture->sim = rc_sim_new ();
  g_assert_true (rc_sim_listen (fixture->sim, 0, NULL));
  rc_sim_set_device_interval (fixture->sim, 1);
  sf = rc_sim_get_salesforce_url (fixture->sim);
  fixture->root = g_strndup (sf, strlen (sf) - 1);
  fixture->store = rc_secret_store_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->sim);
  g_free (fixture->root);
}

static RcTokenSet *
device_sign_in (Fixture    *fixture,
                RcProvider *provider)
{
  return rc_test_device_sign_in (fixture->sim, provider);
}

static void
adopt (RcSession  *session,
       RcTokenSet *tokens)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rc_session_adopt_async (session, tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  g_assert_true (rc_session_adopt_finish (session, result, &error));
  g_assert_no_error (error);
}

static RcTokenSet *
stored (Fixture    *fixture,
        const char *account_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RcTokenSet *tokens;

  /* The simulator's Salesforce, as every session here signs in to it. */
  RcSecretBinding binding = { fixture->root, rc_sim_get_client_id (fixture->sim) };

  rc_secret_store_load_async (fixture->store, account_id, &binding, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_secret_store_load_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  return tokens;
}

static void
forget (Fixture    *fixture,
        const char *account_id)
{
  g_autoptr(GAsyncResult) result = NULL;

  rc_secret_store_delete_async (fixture->store, account_id, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  rc_secret_store_delete_finish (fixture->store, result, NULL);
}

typedef struct
{
  guint       done;
  RcTokenSet *first;
  gboolean    all_same;
  GError     *error;
} Crowd;

static void
on_token (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Crowd *crowd = user_data;
  g_autoptr(RcTokenSet) tokens = rc_session_get_access_token_finish (RC_SESSION (source), result, &crowd->error);

  crowd->done++;
  if (tokens == NULL)
    return;
  if (crowd->first == NULL)
    crowd->first = rc_token_set_ref (tokens);
  else if (g_strcmp0 (rc_token_set_get_access_token (tokens), rc_token_set_get_access_token (crowd->first)) != 0)
    crowd->all_same = FALSE;
}

static void
test_single_flight (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RcProvider) provider = rc_entra_provider_new (fixture->root, rc_sim_get_tenant (fixture->sim),
                                                          rc_sim_get_client_id (fixture->sim), NULL, fixture->root, NULL);
  g_autoptr(RcSession) session = rc_session_new ("account-crowd", provider, fixture->store);
  g_autoptr(RcTokenSet) signed_in = device_sign_in (fixture, provider);
  g_autoptr(RcTokenSet) expired = NULL;
  Crowd crowd = { .all_same = TRUE };
  guint before;

  if (!rc_test_session_require_keyring ())
    return;

  /* The access token expired ten seconds ago. */
  expired = rc_token_set_new (rc_token_set_get_access_token (signed_in), rc_token_set_get_refresh_token (signed_in),
                              NULL, g_get_real_time () / G_USEC_PER_SEC - 3600,
                              g_get_real_time () / G_USEC_PER_SEC - 10, NULL, NULL, NULL);
  adopt (session, expired);
  before = rc_sim_get_request_count (fixture->sim, "entra/oauth2/v2.0/token");

  for (guint i = 0; i < 50; i++)
    rc_session_get_access_token_async (session, FALSE, NULL, on_token, &crowd);
  while (crowd.done < 50)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (crowd.error);
  g_assert_true (crowd.all_same);
  g_assert_cmpstr (rc_token_set_get_access_token (crowd.first), !=, rc_token_set_get_access_token (expired));
  /* Fifty callers, one refresh at the provider. */
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "entra/oauth2/v2.0/token"), ==, before + 1);

  /* Still valid now: the next caller gets it without a request. */
  {
    Crowd again = { .all_same = TRUE };

    rc_session_get_access_token_async (session, FALSE, NULL, on_token, &again);
    while (again.done < 1)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "entra/oauth2/v2.0/token"), ==, before + 1);
    g_clear_pointer (&again.first, rc_token_set_unref);
  }

  rc_token_set_unref (crowd.first);
  forget (fixture, "account-crowd");
}

typedef struct
{
  GPtrArray *events;
} Order;

static void
on_saved (RcSecretStore *store,
          const char    *account_id,
          gpointer       user_data)
{
  g_ptr_array_add (user_data, (gpointer) "saved");
}

static void
on_handed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Crowd *crowd = user_data;

  g_ptr_array_add (g_object_get_data (source, "events"), (gpointer) "handed");
  on_token (source, result, crowd);
}

static void
test_rotation_written_first (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RcProvider) provider = rc_salesforce_provider_new (fixture->root, rc_sim_get_client_id (fixture->sim), NULL, NULL);
  g_autoptr(RcSession) session = rc_session_new ("account-rotation", provider, fixture->store);
  g_autoptr(RcTokenSet) signed_in = device_sign_in (fixture, provider);
  g_autoptr(RcTokenSet) in_keyring = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  Crowd crowd = { .all_same = TRUE };
  gulong handler;

  if (!rc_test_session_require_keyring ())
    return;

  adopt (session, signed_in);
  rc_sim_set_rotation (fixture->sim, TRUE);
  handler = g_signal_connect (fixture->store, "saved", G_CALLBACK (on_saved), events);
  g_object_set_data (G_OBJECT (session), "events", events);

  rc_session_get_access_token_async (session, TRUE, NULL, on_handed, &crowd);
  while (crowd.done < 1)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (fixture->store, handler);

  g_assert_no_error (crowd.error);
  /* The keyring had the rotated refresh token before anyone had the access token. */
  g_assert_cmpuint (events->len, >=, 2);
  g_assert_cmpstr (g_ptr_array_index (events, 0), ==, "saved");
  g_assert_cmpstr (g_ptr_array_index (events, 1), ==, "handed");
  in_keyring = stored (fixture, "account-rotation");
  g_assert_cmpstr (rc_token_set_get_refresh_token (in_keyring), ==, rc_token_set_get_refresh_token (crowd.first));
  g_assert_cmpstr (rc_token_set_get_refresh_token (in_keyring), !=, rc_token_set_get_refresh_token (signed_in));

  rc_token_set_unref (crowd.first);
  forget (fixture, "account-rotation");
}

static RcTokenSet *
token_now (RcSession *session,
           gboolean   force)
{
  Crowd crowd = { .all_same = TRUE };

  rc_session_get_access_token_async (session, force, NULL, on_token, &crowd);
  while (crowd.done < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (crowd.error);
  return crowd.first;
}

/* Two processes, one account: the window and the command line.  The one
 * that refreshed second must use the refresh token the first rotated in,
 * never the spent one (the provider would revoke the whole grant). */
static void
test_two_processes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RcProvider) provider = rc_salesforce_provider_new (fixture->root, rc_sim_get_client_id (fixture->sim), NULL, NULL);
  g_autoptr(RcSession) window = rc_session_new ("account-shared", provider, fixture->store);
  g_autoptr(RcSession) command_line = rc_session_new ("account-shared", provider, fixture->store);
  g_autoptr(RcTokenSet) signed_in = device_sign_in (fixture, provider);
  g_autoptr(RcTokenSet) window_first = NULL;
  g_autoptr(RcTokenSet) rotated = NULL;
  g_autoptr(RcTokenSet) window_after = NULL;
  g_autoptr(RcTokenSet) in_keyring = NULL;
  guint refreshes;

  if (!rc_test_session_require_keyring ())
    return;

  adopt (window, signed_in);
  rc_sim_set_rotation (fixture->sim, TRUE);
  window_first = token_now (window, FALSE);

  /* The command line refreshes, and rotates the refresh token. */
  rotated = token_now (command_line, TRUE);
  g_assert_cmpstr (rc_token_set_get_refresh_token (rotated), !=, rc_token_set_get_refresh_token (signed_in));

  /* The window's access token is refused: it looks in the keyring first,
   * finds the newer tokens, and needs no refresh of its own. */
  refreshes = rc_sim_get_request_count (fixture->sim, "salesforce/services/oauth2/token");
  window_after = token_now (window, TRUE);
  g_assert_cmpstr (rc_token_set_get_access_token (window_after), ==, rc_token_set_get_access_token (rotated));
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "salesforce/services/oauth2/token"), ==, refreshes);
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 1);

  /* Forced again, with its own tokens newest: a real refresh, still alive. */
  g_clear_pointer (&window_after, rc_token_set_unref);
  window_after = token_now (window, TRUE);
  g_assert_cmpuint (rc_sim_get_request_count (fixture->sim, "salesforce/services/oauth2/token"), ==, refreshes + 1);
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 1);
  in_keyring = stored (fixture, "account-shared");
  g_assert_cmpstr (rc_token_set_get_refresh_token (in_keyring), ==, rc_token_set_get_refresh_token (window_after));

  forget (fixture, "account-shared");
}

static void
test_keyring_refuses_rotation (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RcProvider) provider = rc_salesforce_provider_new (fixture->root, rc_sim_get_client_id (fixture->sim), NULL, NULL);
  g_autoptr(RcSession) session = rc_session_new ("account-refused", provider, fixture->store);
  g_autoptr(RcTokenSet) signed_in = device_sign_in (fixture, provider);
  g_autoptr(RcTokenSet) in_keyring = NULL;
  Crowd first = { .all_same = TRUE };
  Crowd second = { .all_same = TRUE };
  gint64 deadline;

  if (!rc_test_session_require_keyring ())
    return;

  adopt (session, signed_in);
  rc_sim_set_rotation (fixture->sim, TRUE);
  rc_session_set_retry_delay (session, 1);
  rc_secret_store_fail_next_saves (fixture->store, 1);

  /* The keyring refuses the rotated token: the caller still gets it... */
  rc_session_get_access_token_async (session, TRUE, NULL, on_token, &first);
  while (first.done < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (first.error);
  g_assert_false (rc_session_get_saved (session));
  g_assert_cmpstr (rc_token_set_get_refresh_token (rc_session_get_tokens (session)), !=,
                   rc_token_set_get_refresh_token (signed_in));

  /* ...the write is retried until it lands... */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!rc_session_get_saved (session) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (rc_session_get_saved (session));
  in_keyring = stored (fixture, "account-refused");
  g_assert_cmpstr (rc_token_set_get_refresh_token (in_keyring), ==, rc_token_set_get_refresh_token (first.first));

  /* ...and the old refresh token was never presented again: the simulator
   * would have revoked the grant for reuse, and the next refresh works. */
  rc_session_get_access_token_async (session, TRUE, NULL, on_token, &second);
  while (second.done < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (second.error);
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 1);

  rc_token_set_unref (first.first);
  rc_token_set_unref (second.first);
  forget (fixture, "account-refused");
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("reconnect-signout-XXXXXX", NULL);
  const char *none[] = { NULL };
  g_autoptr(RcAccountStore) accounts = rc_account_store_new (dir, none, dir);
  g_autoptr(RcAccount) account = rc_account_new ("salesforce-1", "salesforce", fixture->root,
                                                 rc_sim_get_client_id (fixture->sim));
  g_autoptr(RcProvider) provider = rc_salesforce_provider_new (fixture->root, rc_sim_get_client_id (fixture->sim), NULL, NULL);
  g_autoptr(RcSession) session = NULL;
  g_autoptr(RcSignOutReport) report = NULL;
  g_autoptr(RcTokenSet) signed_in = device_sign_in (fixture, provider);
  g_autoptr(RcTokenSet) left = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = g_build_filename (dir, "accounts.ini", NULL);
  g_autofree char *state = g_build_filename (dir, "state.ini", NULL);

  if (!rc_test_session_require_keyring ())
    return;

  g_assert_true (rc_account_store_add (accounts, account, &error));
  session = rc_session_new (rc_account_get_key (account), provider, fixture->store);
  adopt (session, signed_in);
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 1);

  rc_session_sign_out_async (session, accounts, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  report = rc_session_sign_out_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_true (report->had_sign_in);
  g_assert_no_error (report->revoke_error);
  g_assert_no_error (report->keyring_error);

  /* Revoked at the provider, gone from the keyring, gone from the list. */
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->sim), ==, 0);
  left = stored (fixture, rc_account_get_key (account));
  g_assert_null (left);
  g_assert_null (rc_account_store_lookup (accounts, "salesforce-1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 0);

  g_remove (ini);
  g_remove (state);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/reconnect/session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("single-flight", test_single_flight);
  ADD ("rotation-written-first", test_rotation_written_first);
  ADD ("two-processes", test_two_processes);
  ADD ("keyring-refuses-rotation", test_keyring_refuses_rotation);
  ADD ("sign-out", test_sign_out);
#undef ADD

  return g_test_run ();
}
