/* rc-local-file.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The largest accounts.ini, accounts.d file or state.ini read: ten
 * thousand accounts fit many times over. */
#define RC_LOCAL_FILE_MAX_SETTINGS (16 * 1024 * 1024)

GInputStream *rc_local_file_open (const char  *path,
                                  GError     **error);
char         *rc_local_file_read (const char  *path,
                                  gsize        max_size,
                                  gsize       *length,
                                  GError     **error);

G_END_DECLS
