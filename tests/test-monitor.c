/* test-monitor.c: RcMonitor against the simulator and the real keyring.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"


#include "rc-cause.h"
#include "rc-monitor.h"
#include "rc-sim.h"
#include "rc-test-monitor.h"
#include "rc-test-session.h"

typedef struct
{
  RcTestMonitor *t;
  guint          checked;
  guint          started;
} Fixture;

static void
on_checked (RcMonitor *monitor,
            RcAccount *account,
            gpointer   user_data)
{
  Fixture *fixture = user_data;

  fixture->checked++;
}

static void
on_check_started (RcMonitor *monitor,
                  RcAccount *account,
                  gpointer   user_data)
{
  Fixture *fixture = user_data;

  fixture->started++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->t = rc_test_monitor_new ("monitor");
  g_signal_connect (fixture->t->monitor, "checked", G_CALLBACK (on_checked), fixture);
  g_signal_connect (fixture->t->monitor, "check-started", G_CALLBACK (on_check_started), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rc_test_monitor_free (fixture->t);
}

static RcAccount *
add_account (Fixture    *fixture,
             const char *provider)
{
  return rc_test_monitor_add_account (fixture->t, provider);
}

static void
sign_in (Fixture   *fixture,
         RcAccount *account)
{
  rc_test_monitor_sign_in (fixture->t, account);
}

static void
wait_checked (Fixture   *fixture,
              RcAccount *account)
{
  rc_test_monitor_wait_checked (fixture->t, account);
}

static void
check (Fixture   *fixture,
       RcAccount *account)
{
  guint before = fixture->checked;

  rc_test_monitor_check (fixture->t, account);
  g_assert_cmpuint (fixture->checked, ==, before + 1);
}

static void
set_scenario (Fixture    *fixture,
              const char *scenario)
{
  g_assert_true (rc_sim_set_scenario (fixture->t->sim, scenario, NULL));
}

/* Sign in, then the session dies early: one refresh, one more probe, and the
 * account stays connected. */
static void
test_session_expired_recovers (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RcAccount) account = NULL;
  guint tokens_before, probes_before;

  if (!rc_test_session_require ())
    return;

  account = add_account (fixture, "salesforce");
  check (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_SIGNED_OUT);

  sign_in (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
  g_assert_cmpstr (rc_account_get_user (account), ==, "ada@reconnect.example");
  g_assert_cmpint (rc_account_get_signed_in_at (account), >, 0);

  check (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
  g_assert_cmpint (rc_account_get_last_refresh (account), ==, 0);

  set_scenario (fixture, "session-expired");
  tokens_before = rc_sim_get_request_count (fixture->t->sim, "salesforce/services/oauth2/token");
  probes_before = rc_sim_get_request_count (fixture->t->sim, "salesforce/services/data/v60.0/");
  check (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
  g_assert_null (rc_account_get_cause (account));
  g_assert_cmpuint (rc_sim_get_request_count (fixture->t->sim, "salesforce/services/oauth2/token"), ==, tokens_before + 1);
  g_assert_cmpuint (rc_sim_get_request_count (fixture->t->sim, "salesforce/services/data/v60.0/"), ==, probes_before + 2);
  g_assert_cmpint (rc_account_get_last_refresh (account), >, 0);
  g_assert_cmpint (rc_account_get_first_failure (account), ==, 0);
}

/* A dead grant: needs sign-in, with its cause; the first failure stays put
 * across checks, and signing in clears it. */
static void
test_refresh_token_expired (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RcAccount) account = NULL;
  gint64 first;
  guint tokens_before;

  if (!rc_test_session_require ())
    return;

  account = add_account (fixture, "entra");
  sign_in (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);

  set_scenario (fixture, "refresh-token-expired");
  check (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_NEEDS_SIGN_IN);
  g_assert_cmpstr (rc_account_get_cause (account), ==, "refresh-token-expired");
  first = rc_account_get_first_failure (account);
  g_assert_cmpint (first, >, 0);

  /* Never a loop: one more check is one more refresh attempt, no more. */
  tokens_before = rc_sim_get_request_count (fixture->t->sim, "entra/oauth2/v2.0/token");
  g_usleep (G_USEC_PER_SEC);
  check (fixture, account);
  g_assert_cmpuint (rc_sim_get_request_count (fixture->t->sim, "entra/oauth2/v2.0/token"), <=, tokens_before + 1);
  g_assert_cmpint (rc_account_get_first_failure (account), ==, first);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_NEEDS_SIGN_IN);

  /* The state survives a restart, secrets excepted. */
  {
    g_autofree char *state_file = g_build_filename (fixture->t->dir, "state", "state.ini", NULL);
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (state_file, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "refresh-token-expired"));
    g_assert_nonnull (strstr (contents, "needs-sign-in"));
    g_assert_nonnull (strstr (contents, "history="));
  }

  /* The latest checks are kept, newest last, for support reports. */
  {
    const char * const *history = rc_account_get_history (account);
    guint n = g_strv_length ((char **) history);

    g_assert_cmpuint (n, >=, 2);
    g_assert_true (g_str_has_suffix (history[n - 1], " needs-sign-in refresh-token-expired"));
    g_assert_true (g_str_has_suffix (history[n - 2], " needs-sign-in refresh-token-expired"));
  }

  sign_in (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
  g_assert_null (rc_account_get_cause (account));
  g_assert_cmpint (rc_account_get_first_failure (account), ==, 0);
}

static void
test_needs_admin (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RcAccount) account = NULL;

  if (!rc_test_session_require ())
    return;

  account = add_account (fixture, "entra");
  sign_in (fixture, account);
  set_scenario (fixture, "conditional-access");
  check (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_NEEDS_ADMIN);
  g_assert_cmpstr (rc_account_get_cause (account), ==, "conditional-access");
  g_assert_cmpint (rc_account_get_first_failure (account), >, 0);
}

/* Network trouble and outages are "offline", never expiry; the monitor
 * retries on its own, sooner than the regular interval. */
static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  const char *scenarios[] = { "network-offline", "service-unavailable", "rate-limited" };
  g_autoptr(RcAccount) account = NULL;

  if (!rc_test_session_require ())
    return;

  account = add_account (fixture, "salesforce");
  rc_monitor_start (fixture->t->monitor);
  wait_checked (fixture, account);
  sign_in (fixture, account);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      gint64 next;

      set_scenario (fixture, scenarios[i]);
      /* Expire the session too, so the refresh itself meets the outage. */
      check (fixture, account);
      g_test_message ("%s -> %s", scenarios[i], rc_account_get_cause (account));
      g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_OFFLINE);
      g_assert_cmpstr (rc_account_get_cause (account), ==, scenarios[i]);
      g_assert_cmpint (rc_account_get_first_failure (account), >, 0);
      next = rc_monitor_get_next_check (fixture->t->monitor, account);
      g_assert_cmpint (next, >, g_get_real_time () / G_USEC_PER_SEC);
      g_assert_cmpint (next, <, g_get_real_time () / G_USEC_PER_SEC + 2 * 60);

      set_scenario (fixture, "healthy");
      check (fixture, account);
      g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
      g_assert_cmpint (rc_account_get_first_failure (account), ==, 0);
    }
}

/* Fifty calls for a check while one runs make no second one. */
static void
test_one_check_at_a_time (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(RcAccount) account = NULL;
  guint started, probes;

  if (!rc_test_session_require ())
    return;

  account = add_account (fixture, "salesforce");
  sign_in (fixture, account);
  started = fixture->started;
  probes = rc_sim_get_request_count (fixture->t->sim, "salesforce/services/data/v60.0/");
  for (guint i = 0; i < 50; i++)
    rc_monitor_check (fixture->t->monitor, account);
  wait_checked (fixture, account);
  g_assert_cmpuint (fixture->started, ==, started + 1);
  g_assert_cmpuint (rc_sim_get_request_count (fixture->t->sim, "salesforce/services/data/v60.0/"), ==, probes + 1);
}

/* Started, the monitor checks each account at once and plans the next
 * check no later than the interval, and sooner than the token's expiry. */
static void
test_schedule (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RcAccount) account = NULL;
  g_autoptr(RcAccount) second = NULL;
  RcSession *session;
  RcTokenSet *tokens;
  gint64 now, next;

  if (!rc_test_session_require ())
    return;

  account = add_account (fixture, "salesforce");
  sign_in (fixture, account);
  rc_monitor_set_interval (fixture->t->monitor, 600);
  rc_monitor_start (fixture->t->monitor);
  g_assert_true (rc_monitor_is_checking (fixture->t->monitor, account));
  wait_checked (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);

  now = g_get_real_time () / G_USEC_PER_SEC;
  next = rc_monitor_get_next_check (fixture->t->monitor, account);
  g_assert_cmpint (next, >, now);
  g_assert_cmpint (next, <=, now + 600);
  session = rc_monitor_get_session (fixture->t->monitor, account, NULL);
  tokens = rc_session_get_tokens (session);
  if (rc_token_set_get_expires_at (tokens) > 0)
    g_assert_cmpint (next, <, rc_token_set_get_expires_at (tokens));

  /* A shorter interval pulls the next check in. */
  rc_monitor_set_interval (fixture->t->monitor, 5);
  g_assert_cmpint (rc_monitor_get_next_check (fixture->t->monitor, account), <=, now + 6);
  {
    guint before = fixture->checked;
    gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

    while (fixture->checked == before && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (fixture->checked, >, before);
  }

  /* An account added while running is checked straight away. */
  second = add_account (fixture, "salesforce");
  g_assert_true (rc_monitor_is_checking (fixture->t->monitor, second));
  wait_checked (fixture, second);
  g_assert_cmpint (rc_account_get_state (second), ==, RC_CONNECTION_SIGNED_OUT);
  g_assert_cmpint (rc_monitor_get_next_check (fixture->t->monitor, second), ==, 0);
}

/* The network coming back re-checks the accounts that were not connected,
 * once, after it settles. */
static void
test_network_back (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RcAccount) account = NULL;
  GNetworkMonitor *network = g_network_monitor_get_default ();
  guint started;
  gint64 deadline;

  if (!rc_test_session_require ())
    return;

  account = add_account (fixture, "salesforce");
  sign_in (fixture, account);
  rc_monitor_set_network_monitor (fixture->t->monitor, network);
  rc_monitor_start (fixture->t->monitor);
  wait_checked (fixture, account);

  set_scenario (fixture, "network-offline");
  check (fixture, account);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_OFFLINE);
  set_scenario (fixture, "healthy");

  started = fixture->started;
  for (guint i = 0; i < 5; i++)
    g_signal_emit_by_name (network, "network-changed", TRUE);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (rc_account_get_state (account) != RC_CONNECTION_CONNECTED && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_CONNECTED);
  g_assert_cmpuint (fixture->started, ==, started + 1);
  rc_monitor_set_network_monitor (fixture->t->monitor, NULL);
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RcAccount) account = NULL;
  g_autoptr(RcSignOutReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!rc_test_session_require ())
    return;

  account = add_account (fixture, "salesforce");
  sign_in (fixture, account);
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->t->sim), ==, 1);

  rc_monitor_sign_out_async (fixture->t->monitor, account, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, RC_TEST_MONITOR_TIMEOUT);
  report = rc_monitor_sign_out_finish (fixture->t->monitor, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_true (report->had_sign_in);
  g_assert_no_error (report->revoke_error);
  g_assert_no_error (report->keyring_error);
  g_assert_cmpuint (rc_sim_get_live_grants (fixture->t->sim), ==, 0);
  g_assert_null (rc_account_store_lookup (fixture->t->accounts, rc_account_get_id (account)));
  g_assert_cmpint (rc_account_get_state (account), ==, RC_CONNECTION_SIGNED_OUT);
}

/* Every cause has a state an account can be in, and says why in words. */
static void
test_causes (void)
{
  const char * const *causes = rc_cause_list ();

  g_assert_cmpuint (g_strv_length ((char **) causes), ==, 28);
  for (guint i = 0; causes[i] != NULL; i++)
    {
      RcConnectionState state = rc_cause_get_state (causes[i]);

      g_assert_true (rc_cause_is_known (causes[i]));
      g_assert_true (state == RC_CONNECTION_OFFLINE || state == RC_CONNECTION_NEEDS_SIGN_IN ||
                     state == RC_CONNECTION_NEEDS_ADMIN);
      g_assert_cmpuint (strlen (rc_cause_get_summary (causes[i])), >, 10);
      if (rc_cause_get_audience (causes[i]) == RC_AUDIENCE_ADMIN)
        g_assert_cmpint (state, ==, RC_CONNECTION_NEEDS_ADMIN);
      if (rc_cause_get_audience (causes[i]) == RC_AUDIENCE_WAIT)
        g_assert_cmpint (state, ==, RC_CONNECTION_OFFLINE);
    }
  g_assert_false (rc_cause_is_known ("no-such-cause"));
  g_assert_cmpstr (rc_audience_to_string (rc_cause_get_audience ("mfa-required")), ==, "user");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/reconnect/monitor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("session-expired-recovers", test_session_expired_recovers);
  ADD ("refresh-token-expired", test_refresh_token_expired);
  ADD ("needs-admin", test_needs_admin);
  ADD ("offline", test_offline);
  ADD ("one-check-at-a-time", test_one_check_at_a_time);
  ADD ("schedule", test_schedule);
  ADD ("network-back", test_network_back);
  ADD ("sign-out", test_sign_out);
#undef ADD
  g_test_add_func ("/reconnect/monitor/causes", test_causes);

  return g_test_run ();
}
