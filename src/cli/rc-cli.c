/* rc-cli.c
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <glib-unix.h>

#include "rc-cli.h"
#include "rc-cli-accounts.h"
#include "rc-cli-explain.h"
#include "rc-cli-report.h"
#include "rc-cli-sign-in.h"
#include "rc-text.h"
#include "rc-sim.h"

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
  g_print ("  reconnect --demo        %s\n", _("Try every flow with a simulated CRM, no account needed"));
  g_print ("  reconnect --help        %s\n", _("Show this help"));
  g_print ("  reconnect --version     %s\n", _("Show the version"));
  g_print ("\n%s\n", _("Commands:"));
  g_print ("  list [--json]           %s\n", _("List the accounts as their last check found them"));
  g_print ("  check [--json] [ACCOUNT…]\n");
  g_print ("                          %s\n", _("Check the accounts now; the exit status says who must act"));
  g_print ("  add --provider salesforce|entra|oidc …\n");
  g_print ("                          %s\n", _("Add an account and print its id"));
  g_print ("  sign-in [--device] [--json] ACCOUNT\n");
  g_print ("                          %s\n", _("Sign in, in the browser or with a code on another device"));
  g_print ("  sign-out ACCOUNT        %s\n", _("Revoke the sign-in, forget it and remove the account"));
  g_print ("  explain [--json] [TEXT | --file PATH | -]\n");
  g_print ("                          %s\n", _("Explain an error message or a log"));
  g_print ("  report [--json] [ACCOUNT]\n");
  g_print ("                          %s\n", _("Print a support report with every secret redacted"));
  g_print ("  simulate [--port N] [--scenario NAME]\n");
  g_print ("                          %s\n", _("Run the built-in CRM simulator until interrupted"));
  g_print ("\n%s\n", _("“reconnect COMMAND --help” shows a command’s options; reconnect(1) has the details."));
  g_print ("%s\n", _("Exit status: 0 all connected, 1 someone must sign in, 2 an administrator must act, "
                     "3 a provider could not be reached, 4 a local problem such as the keyring, 64 usage."));
  g_print ("\n");
  g_print ("%s\n", _("Reconnect keeps your CRM sign-in working: it watches your connections to "
                     "Salesforce, Microsoft Dynamics 365 and other OpenID Connect services, tells "
                     "you why a connection was lost and helps you sign in again."));
  g_print ("\n");
  g_print (_("Report problems at %s"), PACKAGE_BUGREPORT);
  g_print ("\n");
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
run_simulate (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(RcSim) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *ready = NULL;
  g_autofree char *scenarios = NULL;
  g_autofree char *description = NULL;
  int port = 0;
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Listen on this port of 127.0.0.1 (default: any free port)"), "N" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario, N_("Start in this scenario (default: healthy)"), "NAME" },
    { NULL }
  };

  g_set_prgname ("reconnect simulate");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Run the built-in CRM simulator: a Salesforce org and a Microsoft "
                                           "Entra tenant on 127.0.0.1, until interrupted. Once it listens, it "
                                           "prints one JSON line with its addresses."));
  scenarios = g_strjoinv (", ", (char **) rc_sim_list_scenarios ());
  description = g_strdup_printf (_("Scenarios: %s"), scenarios);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1)
    {
      g_printerr ("%s\n", error ? error->message : _("simulate takes no arguments besides its options"));
      return RC_CLI_EXIT_USAGE;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr (_("%d is not a port number"), port);
      g_printerr ("\n");
      return RC_CLI_EXIT_USAGE;
    }

  sim = rc_sim_new ();
  if (scenario != NULL && !rc_sim_set_scenario (sim, scenario, &error))
    {
      g_printerr ("%s\n", error->message);
      return RC_CLI_EXIT_USAGE;
    }
  if (!rc_sim_listen (sim, port, &error))
    {
      g_printerr (_("Could not listen on 127.0.0.1 port %d: %s"), port, error->message);
      g_printerr ("\n");
      return RC_CLI_EXIT_LOCAL;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);

  ready = rc_sim_get_ready_line (sim);
  g_print ("%s\n", ready);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  rc_sim_stop (sim);
  return RC_CLI_EXIT_OK;
}

typedef struct
{
  const char *name;
  int       (*run) (int    argc,
                    char **argv);
} Command;

static const Command commands[] = {
  { "list", rc_cli_list },
  { "check", rc_cli_check },
  { "add", rc_cli_add },
  { "sign-in", rc_cli_sign_in },
  { "sign-out", rc_cli_sign_out },
  { "explain", rc_cli_explain },
  { "report", rc_cli_report },
  { "simulate", run_simulate },
};

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
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

  return is_help (argv[1]) || is_version (argv[1]) || find_command (argv[1]) != NULL;
}

/* Everything printed passes here: a user name from a server, an id from
 * someone's accounts file or a line of a log may hold escape sequences
 * (colours, a fake prompt, OSC 52 writing the clipboard), and none reaches
 * the terminal. */
static void
print_to (FILE       *stream,
          const char *string)
{
  g_autofree char *safe = rc_text_printable (string, 0, RC_TEXT_KEEP_LINES);
  const char *charset;

  if (g_get_charset (&charset))
    fputs (safe, stream);
  else
    {
      g_autofree char *local = g_convert_with_fallback (safe, -1, charset, "UTF-8", "?", NULL, NULL, NULL);

      fputs (local != NULL ? local : safe, stream);
    }
}

static void
print_safely (const char *string)
{
  print_to (stdout, string);
}

static void
printerr_safely (const char *string)
{
  print_to (stderr, string);
  fflush (stderr);
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
  const Command *command;

  g_return_val_if_fail (rc_cli_handles (argc, argv), RC_CLI_EXIT_USAGE);

  g_set_print_handler (print_safely);
  g_set_printerr_handler (printerr_safely);

  command = find_command (argv[1]);
  if (command != NULL)
    return command->run (argc - 1, argv + 1);

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
