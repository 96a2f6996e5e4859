/* rc-cli.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of the command line (shared/DESIGN.md, "Command line"). */
typedef enum
{
  RC_CLI_EXIT_OK = 0,
  RC_CLI_EXIT_NEEDS_SIGN_IN = 1,
  RC_CLI_EXIT_NEEDS_ADMIN = 2,
  RC_CLI_EXIT_UNREACHABLE = 3,
  RC_CLI_EXIT_LOCAL = 4,
  RC_CLI_EXIT_USAGE = 64,
} RcCliExit;

gboolean rc_cli_handles (int    argc,
                         char **argv);
int      rc_cli_run     (int    argc,
                         char **argv);

G_END_DECLS
