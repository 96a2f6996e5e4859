/* rc-test-session.c: what every test that needs the private session shares.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rc-test-session.h"

/**
 * rc_test_session_require:
 *
 * Fails the current test unless it runs inside build-aux/test-session, so a
 * plain `meson test` can never reach the developer's own keyring or settings.
 *
 * Returns: %TRUE if the test may go on
 */
gboolean
rc_test_session_require (void)
{
  if (g_strcmp0 (g_getenv ("RECONNECT_TEST_SESSION"), "1") == 0)
    return TRUE;

  g_test_fail_printf ("this test needs the private test session (its own HOME, D-Bus and keyring); "
                      "run it with build-aux/test or build-aux/test-session meson test -C _build");
  return FALSE;
}

/**
 * rc_test_session_require_keyring:
 *
 * Fails the current test unless a Secret Service owns its name on the
 * session bus.  Never skips: a missing keyring is a broken test set-up.
 *
 * Returns: %TRUE if the test may go on
 */
gboolean
rc_test_session_require_keyring (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  if (!rc_test_session_require ())
    return FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_test_fail_printf ("no session bus in the test session: %s", error->message);
      return FALSE;
    }

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, &error);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);

  if (!owned)
    {
      g_test_fail_printf ("no Secret Service (org.freedesktop.secrets) on the test session bus%s%s: "
                          "is gnome-keyring installed and did build-aux/test-session unlock it?",
                          error ? ": " : "", error ? error->message : "");
      return FALSE;
    }

  return TRUE;
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * rc_test_wait_for_result:
 * @result: (inout): where an async callback stores its #GAsyncResult
 * @timeout_seconds: how long to wait before failing the test
 *
 * Iterates the default main context until @result is set.  A call that
 * never returns (a keyring prompt nobody answers) aborts the test with a
 * message instead of hanging the suite.
 */
void
rc_test_wait_for_result (GAsyncResult **result,
                         guint          timeout_seconds)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  timeout_id = g_timeout_add_seconds (timeout_seconds, on_wait_timeout, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("an asynchronous call did not return within %u s", timeout_seconds);

  g_source_remove (timeout_id);
}
