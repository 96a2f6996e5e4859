/* rc-test-session.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean rc_test_session_require          (void);
gboolean rc_test_session_require_keyring  (void);
void     rc_test_wait_for_result          (GAsyncResult **result,
                                           guint          timeout_seconds);

G_END_DECLS
