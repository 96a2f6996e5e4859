/* rc-test-session.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean  finished;  /* FALSE: it did not exit in time and was killed */
  int       status;
  char     *out;
  char     *err;
} RcTestRun;

gboolean     rc_test_session_require         (void);
gboolean     rc_test_session_require_keyring (void);

void         rc_test_on_async_done           (GObject           *source,
                                              GAsyncResult      *result,
                                              gpointer           user_data);
void         rc_test_wait_for_result         (GAsyncResult     **result,
                                              GCancellable      *cancellable,
                                              guint              timeout_seconds);

GSubprocess *rc_test_spawn_reconnect         (GSubprocessFlags   flags,
                                              const char * const *args);
void         rc_test_reap                    (GSubprocess       *process);
void         rc_test_run_reconnect           (RcTestRun         *run,
                                              guint              timeout_seconds,
                                              const char        *first_arg,
                                              ...) G_GNUC_NULL_TERMINATED;
void         rc_test_run_clear               (RcTestRun         *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RcTestRun, rc_test_run_clear)

G_END_DECLS
