/* rc-test-monitor.c: accounts, a monitor and the simulator, for tests
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rc-device-authorization.h"
#include "rc-test-monitor.h"
#include "rc-test-session.h"

/**
 * rc_test_monitor_new:
 * @name: a word for the folder the accounts live in
 *
 * Returns: (transfer full): the simulator listening, an empty account
 *   store and a monitor, not started
 */
RcTestMonitor *
rc_test_monitor_new (const char *name)
{
  RcTestMonitor *self = g_new0 (RcTestMonitor, 1);
  g_autofree char *sf = NULL;
  g_autofree char *config = NULL;
  g_autofree char *system = NULL;
  g_autofree char *state = NULL;
  g_autofree char *pattern = g_strconcat (name, "-XXXXXX", NULL);

  self->sim = rc_sim_new ();
  g_assert_true (rc_sim_listen (self->sim, 0, NULL));
  rc_sim_set_device_interval (self->sim, 1);
  sf = rc_sim_get_salesforce_url (self->sim);
  self->root = g_strndup (sf, strlen (sf) - 1);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  self->dir = g_build_filename (g_get_user_cache_dir (), pattern, NULL);
  g_assert_nonnull (g_mkdtemp (self->dir));
  config = g_build_filename (self->dir, "config", NULL);
  system = g_build_filename (self->dir, "system", NULL);
  state = g_build_filename (self->dir, "state", NULL);
  self->accounts = rc_account_store_new (config, (const char *[]) { system, NULL }, state);
  rc_account_store_load (self->accounts);
  self->secrets = rc_secret_store_new ();
  self->monitor = rc_monitor_new (self->accounts, self->secrets);
  self->account_ids = g_ptr_array_new_with_free_func (g_free);
  return self;
}

/**
 * rc_test_monitor_free:
 * @self: what rc_test_monitor_new() made
 *
 * Forgets the keyring items of the accounts it added, and checks that nothing outlives it.
 */
void
rc_test_monitor_free (RcTestMonitor *self)
{
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", self->dir);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  for (guint i = 0; i < self->account_ids->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      rc_secret_store_delete_async (self->secrets, g_ptr_array_index (self->account_ids, i), NULL,
                                    rc_test_on_async_done, &result);
      rc_test_wait_for_result (&result, NULL, RC_TEST_MONITOR_TIMEOUT);
      rc_secret_store_delete_finish (self->secrets, result, NULL);
    }

  rc_monitor_stop (self->monitor);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (self->monitor);
  g_assert_finalize_object (self->accounts);
  /* libsecret lets go of its caller once its own calls wind down. */
  g_object_add_weak_pointer (G_OBJECT (self->secrets), (gpointer *) &self->secrets);
  g_object_unref (self->secrets);
  while (self->secrets != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (self->secrets);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (self->sim);
  g_assert_cmpint (system (rm), ==, 0);
  g_ptr_array_unref (self->account_ids);
  g_free (self->dir);
  g_free (self->root);
  g_free (self);
}

/**
 * rc_test_monitor_add_account:
 * @self: a #RcTestMonitor
 * @provider: "salesforce" or "entra"
 *
 * Returns: (transfer full): a new account of the simulator's, in the store
 */
RcAccount *
rc_test_monitor_add_account (RcTestMonitor *self,
                             const char    *provider)
{
  g_autofree char *id = rc_account_store_new_id (self->accounts, provider);
  g_autoptr(GError) error = NULL;
  RcAccount *account;

  if (g_str_equal (provider, "entra"))
    {
      account = rc_account_new (id, provider, rc_sim_get_tenant (self->sim), rc_sim_get_client_id (self->sim));
      rc_account_set_authority (account, self->root);
      rc_account_set_environment_url (account, self->root);
    }
  else
    account = rc_account_new (id, provider, self->root, rc_sim_get_client_id (self->sim));

  g_assert_true (rc_account_store_add (self->accounts, account, &error));
  g_assert_no_error (error);
  g_ptr_array_add (self->account_ids, g_strdup (rc_account_get_key (account)));
  return account;
}

/**
 * rc_test_device_sign_in:
 * @sim: the simulator
 * @provider: one of its providers
 *
 * Signs ada in with the device flow, approving the code at the simulator.
 *
 * Returns: (transfer full): the tokens
 */
RcTokenSet *
rc_test_device_sign_in (RcSim      *sim,
                        RcProvider *provider)
{
  g_autoptr(RcDeviceAuthorization) device = rc_device_authorization_new (provider);
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  RcTokenSet *tokens;

  rc_device_authorization_start_async (device, NULL, rc_test_on_async_done, &started);
  rc_test_wait_for_result (&started, NULL, RC_TEST_MONITOR_TIMEOUT);
  g_assert_true (rc_device_authorization_start_finish (device, started, &error));
  g_assert_true (rc_sim_approve_device (sim, rc_device_authorization_get_user_code (device),
                                        "ada@reconnect.example", NULL));
  rc_device_authorization_wait_async (device, NULL, rc_test_on_async_done, &done);
  rc_test_wait_for_result (&done, NULL, RC_TEST_MONITOR_TIMEOUT);
  tokens = rc_device_authorization_wait_finish (device, done, &error);
  g_assert_no_error (error);
  return tokens;
}

/**
 * rc_test_monitor_sign_in:
 * @self: a #RcTestMonitor
 * @account: one of its accounts
 *
 * Signs @account in and hands the tokens to the monitor, as the window does.
 */
void
rc_test_monitor_sign_in (RcTestMonitor *self,
                         RcAccount     *account)
{
  RcProvider *provider = rc_monitor_get_provider (self->monitor, account, NULL);
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (provider);
  tokens = rc_test_device_sign_in (self->sim, provider);
  rc_monitor_adopt_async (self->monitor, account, tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, RC_TEST_MONITOR_TIMEOUT);
  g_assert_true (rc_monitor_adopt_finish (self->monitor, result, &error));
  g_assert_no_error (error);
}

/**
 * rc_test_monitor_wait_checked:
 * @self: a #RcTestMonitor
 * @account: one of its accounts
 *
 * Waits, bounded, until no check of @account is under way.
 */
void
rc_test_monitor_wait_checked (RcTestMonitor *self,
                              RcAccount     *account)
{
  gint64 deadline = g_get_monotonic_time () + RC_TEST_MONITOR_TIMEOUT * G_USEC_PER_SEC;

  while (rc_monitor_is_checking (self->monitor, account) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (rc_monitor_is_checking (self->monitor, account));
}

/**
 * rc_test_monitor_check:
 * @self: a #RcTestMonitor
 * @account: one of its accounts
 *
 * Checks @account now and waits for the outcome.
 */
void
rc_test_monitor_check (RcTestMonitor *self,
                       RcAccount     *account)
{
  rc_monitor_check (self->monitor, account);
  g_assert_true (rc_monitor_is_checking (self->monitor, account));
  rc_test_monitor_wait_checked (self, account);
}
