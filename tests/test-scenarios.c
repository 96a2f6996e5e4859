/* test-scenarios.c: every server-side simulator scenario, end to end through
 * RcMonitor and the real keyring, ends in its own cause.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rc-cause.h"
#include "rc-device-authorization.h"
#include "rc-diagnosis.h"
#include "rc-monitor.h"
#include "rc-remedy.h"
#include "rc-sim.h"
#include "rc-sim-scenario.h"
#include "rc-test-session.h"

#define TIMEOUT 30
#define DAY     (24 * 60 * 60)

typedef struct
{
  const char *scenario;
  const char *provider;
  /* How long ago the account signed in and last refreshed (0: leave what
   * the sign-in set): Salesforce says the same for every dead grant, and
   * these decide between them. */
  gint64      signed_in_ago;
  gint64      refreshed_ago;
  const char *cause;   /* NULL: the monitor recovers on its own */
} Case;

static const Case cases[] = {
  { "session-expired", "salesforce", 0, 0, NULL },
  { "session-expired", "entra", 0, 0, NULL },
  { "refresh-token-expired", "entra", 0, 0, "refresh-token-expired" },
  { "refresh-token-expired", "salesforce", 60 * DAY, 40 * DAY, "refresh-token-expired" },
  { "refresh-token-policy-immediate", "salesforce", 0, 0, "refresh-token-policy-immediate" },
  { "token-revoked", "salesforce", 10 * DAY, 60 * 60, "token-revoked" },
  { "bad-token", "entra", 0, 0, "bad-token" },
  { "mfa-required", "entra", 0, 0, "mfa-required" },
  { "conditional-access", "entra", 0, 0, "conditional-access" },
  { "device-not-registered", "entra", 0, 0, "device-not-registered" },
  { "client-secret-expired", "entra", 0, 0, "client-secret-expired" },
  { "client-secret-expired", "salesforce", 0, 0, "client-secret-expired" },
  { "app-not-approved", "entra", 0, 0, "app-not-approved" },
  { "app-not-approved", "salesforce", 0, 0, "app-not-approved" },
  { "user-deactivated", "entra", 0, 0, "user-deactivated" },
  { "user-deactivated", "salesforce", 0, 0, "user-deactivated" },
  { "password-changed", "entra", 0, 0, "password-changed" },
  { "password-changed", "salesforce", 0, 0, "password-changed" },
  { "password-expired", "entra", 0, 0, "password-expired" },
  { "account-locked", "entra", 0, 0, "account-locked" },
  { "account-locked", "salesforce", 0, 0, "account-locked" },
  { "ip-restricted", "salesforce", 0, 0, "ip-restricted" },
  { "org-inactive", "entra", 0, 0, "org-inactive" },
  { "org-inactive", "salesforce", 0, 0, "org-inactive" },
  { "client-invalid", "entra", 0, 0, "client-invalid" },
  { "client-invalid", "salesforce", 0, 0, "client-invalid" },
  { "rate-limited", "salesforce", 0, 0, "rate-limited" },
  { "rate-limited", "entra", 0, 0, "rate-limited" },
  { "service-unavailable", "salesforce", 0, 0, "service-unavailable" },
  { "service-unavailable", "entra", 0, 0, "service-unavailable" },
  { "network-offline", "salesforce", 0, 0, "network-offline" },
  { "proxy-auth-required", "salesforce", 0, 0, "proxy-auth-required" },
  { "proxy-auth-required", "entra", 0, 0, "proxy-auth-required" },
};

/* Scenarios a check does not meet: they act on interactive sign-in only
 * (tested through the classifier with what the sign-in returns, in
 * test-diagnosis), change nothing a check fails on, or are not causes. */
static const char * const not_server_side[] = {
  "healthy", "redirect-mismatch", "access-denied", "clock-skew", "slow", "malformed-json", NULL,
};

typedef struct
{
  RcSim          *sim;
  char           *root;
  char           *dir;
  RcAccountStore *accounts;
  RcSecretStore  *secrets;
  RcMonitor      *monitor;
  char           *account_id;  /* its keyring item goes at the end */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *sf = NULL;
  g_autofree char *config = NULL;
  g_autofree char *system = NULL;
  g_autofree char *state = NULL;

  fixture->sim = rc_sim_new ();
  g_assert_true (rc_sim_listen (fixture->sim, 0, NULL));
  rc_sim_set_device_interval (fixture->sim, 1);
  sf = rc_sim_get_salesforce_url (fixture->sim);
  fixture->root = g_strndup (sf, strlen (sf) - 1);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  fixture->dir = g_build_filename (g_get_user_cache_dir (), "scenarios-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (fixture->dir));
  config = g_build_filename (fixture->dir, "config", NULL);
  system = g_build_filename (fixture->dir, "system", NULL);
  state = g_build_filename (fixture->dir, "state", NULL);
  fixture->accounts = rc_account_store_new (config, (const char *[]) { system, NULL }, state);
  rc_account_store_load (fixture->accounts);
  fixture->secrets = rc_secret_store_new ();
  fixture->monitor = rc_monitor_new (fixture->accounts, fixture->secrets);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", fixture->dir);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* the next test (this one's or another's) reuses the account ids */
  if (fixture->account_id != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      rc_secret_store_delete_async (fixture->secrets, fixture->account_id, NULL, rc_test_on_async_done, &result);
      rc_test_wait_for_result (&result, NULL, TIMEOUT);
      g_assert_true (rc_secret_store_delete_finish (fixture->secrets, result, &error));
      g_assert_no_error (error);
      g_free (fixture->account_id);
    }

  rc_monitor_stop (fixture->monitor);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->monitor);
  g_assert_finalize_object (fixture->accounts);
  /* libsecret lets go of its caller once its own calls wind down */
  g_object_add_weak_pointer (G_OBJECT (fixture->secrets), (gpointer *) &fixture->secrets);
  g_object_unref (fixture->secrets);
  while (fixture->secrets != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (fixture->secrets);
  g_assert_finalize_object (fixture->sim);
  g_assert_cmpint (system (rm), ==, 0);
  g_free (fixture->dir);
  g_free (fixture->root);
}

static RcAccount *
add_signed_in_account (Fixture    *fixture,
                       const char *provider)
{
  g_autofree char *id = rc_account_store_new_id (fixture->accounts, provider);
  g_autoptr(RcDeviceAuthorization) device = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GAsyncResult) adopted = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  RcAccount *account;

  if (g_str_equal (provider, "entra"))
    {
      account = rc_account_new (id, provider, rc_sim_get_tenant (fixture->sim), rc_sim_get_client_id (fixture->sim));
      rc_account_set_authority (account, fixture->root);
      rc_account_set_environment_url (account, fixture->root);
    }
  else
    account = rc_account_new (id, provider, fixture->root, rc_sim_get_client_id (fixture->sim));
  g_assert_true (rc_account_store_add (fixture->accounts, account, &error));
  g_assert_no_error (error);
  fixture->account_id = g_strdup (id);

  device = rc_device_authorization_new (rc_monitor_get_provider (fixture->monitor, account, NULL));
  rc_device_authorization_start_async (device, NULL, rc_test_on_async_done, &started);
  rc_test_wait_for_result (&started, NULL, TIMEOUT);
  g_assert_true (rc_device_authorization_start_finish (device, started, &error));
  g_assert_true (rc_sim_approve_device (fixture->sim, rc_device_authorization_get_user_code (device),
                                        "ada@reconnect.example", NULL));
  rc_device_authorization_wait_async (device, NULL, rc_test_on_async_done, &done);
  rc_test_wait_for_result (&done, NULL, TIMEOUT);
  tokens = rc_device_authorization_wait_finish (device, done, &error);
  g_assert_no_error (error);

  rc_monitor_adopt_async (fixture->monitor, account, tokens, NULL, rc_test_on_async_done, &adopted);
  rc_test_wait_for_result (&adopted, NULL, TIMEOUT);
  g_assert_true (rc_monitor_adopt_finish (fixture->monitor, adopted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
  return account;
}

static void
check (Fixture   *fixture,
       RcAccount *account)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;

  rc_monitor_check (fixture->monitor, account);
  while (rc_monitor_is_checking (fixture->monitor, account) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (rc_monitor_is_checking (fixture->monitor, account));
}

static void
test_scenario (Fixture       *fixture,
               gconstpointer  data)
{
  const Case *test = data;
  g_autoptr(RcAccount) account = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!rc_test_session_require ())
    return;

  account = add_signed_in_account (fixture, test->provider);
  if (test->signed_in_ago != 0)
    rc_account_set_signed_in_at (account, now - test->signed_in_ago);
  if (test->refreshed_ago != 0)
    rc_account_set_last_refresh (account, now - test->refreshed_ago);

  g_assert_true (rc_sim_set_scenario (fixture->sim, test->scenario, NULL));
  check (fixture, account);
  g_test_message ("%s on %s -> %s (%s)", test->scenario, test->provider,
                  rc_account_get_cause (account), rc_connection_state_to_string (rc_account_get_state (account)));

  if (test->cause == NULL)
    {
      g_assert_null (rc_account_get_cause (account));
      g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
      return;
    }
  g_assert_cmpstr (rc_account_get_cause (account), ==, test->cause);
  g_assert_cmpint (rc_account_get_state (account), ==, rc_cause_get_state (test->cause));

  /* what the window shows for it is there, filled for this account */
  {
    const RcRemedy *remedy = rc_remedy_lookup (test->cause);
    g_auto(GStrv) steps = rc_remedy_dup_admin_steps (remedy, test->provider);
    g_autofree char *message = rc_remedy_dup_admin_message (test->cause, account, NULL);

    g_assert_cmpstr (rc_remedy_get_cause (remedy), ==, test->cause);
    g_assert_nonnull (strstr (message, rc_account_get_endpoint (account)));
  }
}

/* A new scenario in the simulator needs a row here or a reason not to. */
static void
test_all_listed (void)
{
  const char * const *names = rc_sim_scenario_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean listed = g_strv_contains (not_server_side, names[i]);

      for (guint j = 0; j < G_N_ELEMENTS (cases) && !listed; j++)
        listed = g_str_equal (cases[j].scenario, names[i]);
      if (!listed)
        g_error ("simulator scenario %s is not tested", names[i]);
      if (!g_str_equal (names[i], "healthy") && !g_str_equal (names[i], "slow") &&
          !g_str_equal (names[i], "malformed-json"))
        g_assert_true (rc_cause_is_known (names[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/scenarios/all-listed", test_all_listed);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reconnect/scenarios/%s/%s", cases[i].scenario, cases[i].provider);

      g_test_add (path, Fixture, &cases[i], fixture_set_up, test_scenario, fixture_tear_down);
    }

  return g_test_run ();
}
