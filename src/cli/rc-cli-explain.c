/* rc-cli-explain.c: `reconnect explain`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-cli.h"
#include "rc-cli-explain.h"

/**
 * rc_cli_explain:
 * @argc: the arguments after "reconnect", "explain" first
 * @argv: the arguments
 *
 * Returns: the exit status
 */
int
rc_cli_explain (int    argc,
                char **argv)
{
  g_printerr ("%s\n", _("reconnect explain is not available yet"));
  return RC_CLI_EXIT_USAGE;
}
