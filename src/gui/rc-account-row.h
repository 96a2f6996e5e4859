/* rc-account-row.h: one account in the list
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rc-monitor.h"

G_BEGIN_DECLS

#define RC_TYPE_ACCOUNT_ROW (rc_account_row_get_type ())

G_DECLARE_FINAL_TYPE (RcAccountRow, rc_account_row, RC, ACCOUNT_ROW, AdwActionRow)

GtkWidget *rc_account_row_new     (RcMonitor    *monitor,
                                   RcAccount    *account);
RcAccount *rc_account_row_get_account (RcAccountRow *self);
void       rc_account_row_update  (RcAccountRow *self);

G_END_DECLS
