/* rc-cli-sign-in.h: `reconnect sign-in`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int rc_cli_sign_in (int    argc,
                    char **argv);

G_END_DECLS
