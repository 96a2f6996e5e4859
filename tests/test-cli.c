/* test-cli.c: the command line answers with no display and no GTK.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs reconnect the way an admin does over SSH: no X11, no Wayland, no
 * session bus.  Were GTK initialised, it would fail to open a display. */
static void
run_reconnect (Run        *run,
               const char *first_arg,
               ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("RECONNECT_BIN");
  va_list ap;

  g_assert_nonnull (binary);
  g_ptr_array_add (args, (gpointer) binary);
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static void
test_cli_version (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *expected = NULL;

#if DEVELOPMENT_BUILD
  expected = g_strdup_printf ("reconnect %s (development build)\n", PACKAGE_VERSION);
#else
  expected = g_strdup_printf ("reconnect %s\n", PACKAGE_VERSION);
#endif

  run_reconnect (&run, "--version", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_cli_help (void)
{
  g_auto(Run) run = { 0 };

  run_reconnect (&run, "--help", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "Usage:\n"));
  g_assert_nonnull (strstr (run.out, "reconnect --version"));
  g_assert_nonnull (strstr (run.out, "Open the Reconnect window"));
  g_assert_nonnull (strstr (run.out, PACKAGE_BUGREPORT));
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_cli_short_help (void)
{
  g_auto(Run) long_run = { 0 };
  g_auto(Run) short_run = { 0 };

  run_reconnect (&long_run, "--help", NULL);
  run_reconnect (&short_run, "-h", NULL);
  g_assert_cmpstr (short_run.out, ==, long_run.out);
  g_assert_cmpint (short_run.status, ==, 0);
}

static void
test_cli_extra_argument (void)
{
  g_auto(Run) run = { 0 };

  /* A script that passes junk learns so from the usage exit code. */
  run_reconnect (&run, "--version", "now", NULL);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "--version takes no further arguments"));
  g_assert_cmpint (run.status, ==, 64);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/cli/version", test_cli_version);
  g_test_add_func ("/reconnect/cli/help", test_cli_help);
  g_test_add_func ("/reconnect/cli/short-help", test_cli_short_help);
  g_test_add_func ("/reconnect/cli/extra-argument", test_cli_extra_argument);

  return g_test_run ();
}
