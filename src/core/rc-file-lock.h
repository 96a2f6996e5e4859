/* rc-file-lock.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long a renewal waits for another process's to end: longer than one
 * renewal can take (an HTTP exchange and a keyring write, each bounded). */
#define RC_FILE_LOCK_RENEWAL_TIMEOUT_SECONDS 300

typedef struct _RcFileLock RcFileLock;

RcFileLock *rc_file_lock_acquire        (const char           *path,
                                         guint                 timeout_ms,
                                         GCancellable         *cancellable,
                                         GError              **error);
void        rc_file_lock_acquire_async  (const char           *path,
                                         guint                 timeout_ms,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
RcFileLock *rc_file_lock_acquire_finish (GAsyncResult         *result,
                                         GError              **error);
void        rc_file_lock_release        (RcFileLock           *lock);
char       *rc_file_lock_path_for_key   (const char           *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcFileLock, rc_file_lock_release)

G_END_DECLS
