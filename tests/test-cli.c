/* test-cli.c: the command line answers with no display and no GTK.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "rc-test-session.h"

#define TIMEOUT_SECONDS 10

/* Each run is the way an admin runs reconnect over SSH: no X11, no Wayland,
 * no session bus.  Were GTK initialised, it would fail to open a display. */
static void
run_reconnect (RcTestRun  *run,
               const char *arg,
               const char *second_arg)
{
  rc_test_run_reconnect (run, TIMEOUT_SECONDS, arg, second_arg, NULL);
  g_assert_true (run->finished);
}

static void
test_cli_version (void)
{
  g_auto(RcTestRun) run = { 0 };
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
  g_auto(RcTestRun) run = { 0 };

  run_reconnect (&run, "--help", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "Usage:\n"));
  g_assert_nonnull (strstr (run.out, "reconnect --version"));
  g_assert_nonnull (strstr (run.out, "Open the Reconnect window"));
  g_assert_nonnull (strstr (run.out, "reconnect --demo"));
  g_assert_nonnull (strstr (run.out, PACKAGE_BUGREPORT));
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_cli_short_help (void)
{
  g_auto(RcTestRun) long_run = { 0 };
  g_auto(RcTestRun) short_run = { 0 };

  run_reconnect (&long_run, "--help", NULL);
  run_reconnect (&short_run, "-h", NULL);
  g_assert_cmpstr (short_run.out, ==, long_run.out);
  g_assert_cmpint (short_run.status, ==, 0);
}

static void
test_cli_extra_argument (void)
{
  g_auto(RcTestRun) run = { 0 };

  /* A script that passes junk learns so from the usage exit code. */
  run_reconnect (&run, "--version", "now");
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "--version takes no further arguments"));
  g_assert_cmpint (run.status, ==, 64);
}

static void
test_cli_help_lists_commands (void)
{
  static const char * const commands[] = { "list", "check", "add", "sign-in", "sign-out", "explain", "report",
                                           "simulate", NULL };
  g_auto(RcTestRun) run = { 0 };

  run_reconnect (&run, "--help", NULL);
  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %s ", commands[i]);

      g_assert_nonnull (strstr (run.out, line));
    }
  g_assert_nonnull (strstr (run.out, "64 usage"));
}

/* Each admin command explains itself, without a bus, a display or a file. */
static void
test_cli_command_help (void)
{
  static const char * const commands[] = { "list", "check", "add", "sign-in", "sign-out", "report", NULL };

  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_auto(RcTestRun) run = { 0 };
      g_autofree char *usage = g_strdup_printf ("Usage:\n  reconnect %s ", commands[i]);

      run_reconnect (&run, commands[i], "--help");
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_true (g_str_has_prefix (run.out, usage));
      g_assert_nonnull (strstr (run.out, "Exit status:"));
    }
}

static void
test_cli_command_bad_option (void)
{
  static const char * const commands[] = { "list", "check", "add", "sign-in", "sign-out", "report", NULL };

  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_auto(RcTestRun) run = { 0 };
      g_autofree char *hint = g_strdup_printf ("reconnect %s --help", commands[i]);

      run_reconnect (&run, commands[i], "--no-such-option");
      g_assert_cmpint (run.status, ==, 64);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, "--no-such-option"));
      g_assert_nonnull (strstr (run.err, hint));
    }
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
  g_test_add_func ("/reconnect/cli/help-lists-commands", test_cli_help_lists_commands);
  g_test_add_func ("/reconnect/cli/command-help", test_cli_command_help);
  g_test_add_func ("/reconnect/cli/command-bad-option", test_cli_command_bad_option);

  return g_test_run ();
}
