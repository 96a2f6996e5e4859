/* main-window.c: the window's program, which `reconnect` runs when no
 * subcommand is given
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rc-application.h"
#include "rc-token-set.h"

static gboolean
demo_asked (int    argc,
            char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--demo") == 0)
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RcApplication) app = NULL;

  rc_secret_protect_process ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The demo runs beside the real app, under an id of its own. */
  app = demo_asked (argc, argv) ? rc_application_new_demo () : rc_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
