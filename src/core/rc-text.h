/* rc-text.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RC_TEXT_ONE_LINE   = 0,
  RC_TEXT_KEEP_LINES = 1 << 0,
} RcTextFlags;

char *rc_text_printable (const char  *text,
                         gsize        max_chars,
                         RcTextFlags  flags);

G_END_DECLS
