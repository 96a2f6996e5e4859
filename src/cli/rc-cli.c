/* rc-cli.c
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-cli.h"

/* Everything here runs without a display: GTK is never initialised, so an
 * admin can use it over SSH and a script can use it from cron. */

static gboolean
is_help (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0 || g_strcmp0 (arg, "help") == 0;
}

static gboolean
is_version (const char *arg)
{
  return g_strcmp0 (arg, "--version") == 0;
}

static void
print_help (void)
{
  g_print ("%s\n", _("Usage:"));
  g_print ("  reconnect               %s\n", _("Open the Reconnect window"));
  g_print ("  reconnect --help        %s\n", _("Show this help"));
  g_print ("  reconnect --version     %s\n", _("Show the version"));
  g_print ("\n");
  g_print ("%s\n", _("Reconnect keeps your CRM sign-in working: it watches your connections to "
                     "Salesforce, Microsoft Dynamics 365 and other OpenID Connect services, tells "
                     "you why a connection was lost and helps you sign in again."));
  g_print ("\n");
  g_print (_("Report problems at %s"), PACKAGE_BUGREPORT);
  g_print ("\n");
}

static void
print_version (void)
{
#if DEVELOPMENT_BUILD
  g_print ("reconnect %s (%s)\n", PACKAGE_VERSION, _("development build"));
#else
  g_print ("reconnect %s\n", PACKAGE_VERSION);
#endif
}

/**
 * rc_cli_handles:
 * @argc: the argument count from main()
 * @argv: the arguments from main()
 *
 * Whether the command line, rather than the window, answers these arguments.
 *
 * Returns: %TRUE if rc_cli_run() should handle them
 */
gboolean
rc_cli_handles (int    argc,
                char **argv)
{
  g_return_val_if_fail (argc >= 1, FALSE);
  g_return_val_if_fail (argv != NULL, FALSE);

  if (argc < 2)
    return FALSE;

  return is_help (argv[1]) || is_version (argv[1]);
}

/**
 * rc_cli_run:
 * @argc: the argument count from main()
 * @argv: the arguments from main()
 *
 * Runs the command line named by @argv.
 *
 * Returns: the process exit status, one of #RcCliExit
 */
int
rc_cli_run (int    argc,
            char **argv)
{
  g_return_val_if_fail (rc_cli_handles (argc, argv), RC_CLI_EXIT_USAGE);

  if (argc > 2)
    {
      g_printerr (_("%s takes no further arguments"), argv[1]);
      g_printerr ("\n");
      return RC_CLI_EXIT_USAGE;
    }

  if (is_version (argv[1]))
    print_version ();
  else
    print_help ();

  return RC_CLI_EXIT_OK;
}
