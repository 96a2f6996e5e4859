/* rc-cli-explain.h: `reconnect explain`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int rc_cli_explain (int    argc,
                    char **argv);

G_END_DECLS
