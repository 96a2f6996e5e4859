/* rc-protocol-error-private.h: for tests only
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-protocol-error.h"

G_BEGIN_DECLS

/* Lets a test see that a GError copy holds a reference and its free drops it. */
guint rc_protocol_error_get_ref_count (const RcProtocolError *self);

G_END_DECLS
