/* test-background.c: with no window, Reconnect keeps watching
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "rc-test-session.h"

/* Started as the session starts it (D-Bus activation), with no window: it
 * keeps watching, where an application with nothing to show would quit,
 * until it is told to quit. */
static void
test_service (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) service = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *path = g_strdelimit (g_strconcat ("/", APP_ID, NULL), ".", '/');

  if (!rc_test_session_require ())
    return;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  /* The session's display and bus, as D-Bus activation gives them. */
  g_subprocess_launcher_setenv (launcher, "RECONNECT_REPORT_FIRST_FRAME", "1", TRUE);
  service = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RECONNECT_BIN"), "--gapplication-service",
                                         NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (service));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (g_strcmp0 (line, "reconnect: watching") != 0)
    g_subprocess_force_exit (service);
  g_assert_cmpstr (line, ==, "reconnect: watching");

  /* Still there, with nothing to show: its name on the bus answers. */
  g_usleep (3 * G_USEC_PER_SEC);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  {
    gboolean owned;

    g_variant_get (reply, "(b)", &owned);
    if (!owned)
      g_error ("Reconnect quit with no window, where it should keep watching");
  }
  g_clear_pointer (&reply, g_variant_unref);

  reply = g_dbus_connection_call_sync (bus, APP_ID, path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(s@ava{sv})", "quit",
                                                      g_variant_new_array (G_VARIANT_TYPE_VARIANT, NULL, 0), NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GAsyncResult) result = NULL;

    g_subprocess_wait_async (service, NULL, rc_test_on_async_done, &result);
    rc_test_wait_for_result (&result, NULL, 20);
    g_assert_true (g_subprocess_wait_finish (service, result, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_subprocess_get_if_exited (service));
  g_assert_cmpint (g_subprocess_get_exit_status (service), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reconnect/background/service", test_service);
  return g_test_run ();
}
