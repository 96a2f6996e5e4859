/* rc-test-session.c: what every test that needs the private session shares.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

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

void
rc_test_on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the default main context until @result is set.  When the time is
 * up, @cancellable is cancelled and the call still runs to its end, so its
 * callback never writes to a frame that has gone: the caller then sees
 * G_IO_ERROR_CANCELLED and fails the test instead of hanging the suite. */
void
rc_test_wait_for_result (GAsyncResult **result,
                         GCancellable  *cancellable,
                         guint          timeout_seconds)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_seconds * 1000, on_wait_timeout, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out && cancellable == NULL)
    g_error ("an asynchronous call did not return within %u s", timeout_seconds);
  else if (timed_out)
    g_cancellable_cancel (cancellable);
  else
    g_source_remove (timeout_id);

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  /* A failed g_assert aborts the test and no cleanup runs: the kernel then
   * takes the simulator down too, so no server outlives its test. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != (pid_t) GPOINTER_TO_INT (user_data))
    _exit (127);
#endif
}

/* Spawns reconnect the way an admin does over SSH: no display, no session
 * bus.  A simulator that serves keeps the test's stderr, so anything it
 * complains about lands in the test log. */
GSubprocess *
rc_test_spawn_reconnect (GSubprocessFlags    flags,
                         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *binary = g_getenv ("RECONNECT_BIN");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER (getpid ()), NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Kills and reaps @process unless it is known to have exited. */
void
rc_test_reap (GSubprocess *process)
{
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
}

/* Runs a command that should end by itself.  One that starts serving
 * instead is killed after a while and the run counts as unfinished. */
void
rc_test_run_reconnect (RcTestRun  *run,
                       guint       timeout_seconds,
                       const char *first_arg,
               ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = rc_test_spawn_reconnect (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             (const char * const *) args->pdata);
  g_subprocess_communicate_utf8_async (process, NULL, cancellable, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, cancellable, timeout_seconds);

  if (!g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error))
    {
      g_test_message ("reconnect did not finish: %s", error->message);
      rc_test_reap (process);
      return;
    }

  /* Output ends when the process closes its pipes, which is not quite when
   * it exits: wait for that too. */
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->finished = TRUE;
}

void
rc_test_run_clear (RcTestRun *run)
{
  g_free (run->out);
  g_free (run->err);
}
