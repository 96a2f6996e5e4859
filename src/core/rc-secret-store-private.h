/* rc-secret-store-private.h: hooks for tests
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-secret-store.h"

G_BEGIN_DECLS

void rc_secret_store_fail_next_saves (RcSecretStore *self,
                                      guint          count);

G_END_DECLS
