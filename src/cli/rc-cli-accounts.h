/* rc-cli-accounts.h: `reconnect list`, `check`, `add` and `sign-out`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int rc_cli_list     (int    argc,
                     char **argv);
int rc_cli_check    (int    argc,
                     char **argv);
int rc_cli_add      (int    argc,
                     char **argv);
int rc_cli_sign_out (int    argc,
                     char **argv);

G_END_DECLS
