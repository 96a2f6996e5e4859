/* main.c: `reconnect`, the command line, and the way to the window
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The subcommands answer from here, a program that links no GTK: it starts
 * in a few milliseconds, works over SSH and in scripts, and never touches a
 * display.  Anything else is the window's: this program hands its
 * arguments to reconnect-window, unchanged.
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "rc-token-set.h"
#include "rc-cli.h"

/* Beside this program in the build tree; in LIBEXECDIR once installed. */
static char *
window_program (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *sibling = g_build_filename (dir, "reconnect-window", NULL);

      if (g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&sibling);
    }
  return g_build_filename (LIBEXECDIR, "reconnect-window", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *window = NULL;

  rc_secret_protect_process ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (rc_cli_handles (argc, argv))
    return rc_cli_run (argc, argv);

  window = window_program ();
  execv (window, argv);
  g_printerr (_("Reconnect’s window could not start (%s: %s). Is Reconnect completely installed?\n"),
              window, g_strerror (errno));
  return RC_CLI_EXIT_LOCAL;
}
