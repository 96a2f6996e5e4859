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
#include "rc-diagnosis.h"
#include "rc-monitor.h"
#include "rc-remedy.h"
#include "rc-sim.h"
#include "rc-sim-scenario.h"
#include "rc-test-monitor.h"
#include "rc-test-session.h"

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
  { "captive-portal", "salesforce", 0, 0, "captive-portal" },
  { "captive-portal", "entra", 0, 0, "captive-portal" },
};

/* Scenarios a check does not meet: they act on interactive sign-in only
 * (tested through the classifier with what the sign-in returns, in
 * test-diagnosis), change nothing a check fails on, or are not causes. */
static const char * const not_server_side[] = {
  "healthy", "redirect-mismatch", "access-denied", "clock-skew", "slow", "malformed-json", NULL,
};

typedef struct
{
  RcTestMonitor *t;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->t = rc_test_monitor_new ("scenarios");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rc_test_monitor_free (fixture->t);
}

static RcAccount *
add_signed_in_account (Fixture    *fixture,
                       const char *provider)
{
  RcAccount *account = rc_test_monitor_add_account (fixture->t, provider);

  rc_test_monitor_sign_in (fixture->t, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
  return account;
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

  g_assert_true (rc_sim_set_scenario (fixture->t->sim, test->scenario, NULL));
  rc_test_monitor_check (fixture->t, account);
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
