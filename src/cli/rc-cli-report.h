/* rc-cli-report.h: `reconnect report`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int   rc_cli_report     (int          argc,
                         char       **argv);
char *rc_cli_redact     (const char  *text,
                         GPtrArray   *secrets);

G_END_DECLS
