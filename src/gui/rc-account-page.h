/* rc-account-page.h: one account's details and what can be done
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rc-monitor.h"

G_BEGIN_DECLS

#define RC_TYPE_ACCOUNT_PAGE (rc_account_page_get_type ())

G_DECLARE_FINAL_TYPE (RcAccountPage, rc_account_page, RC, ACCOUNT_PAGE, AdwBin)

void       rc_account_page_set_account (RcAccountPage *self,
                                        RcMonitor     *monitor,
                                        RcAccount     *account);
RcAccount *rc_account_page_get_account (RcAccountPage *self);
void       rc_account_page_set_grace_days (RcAccountPage *self,
                                        guint          days);
void       rc_account_page_update      (RcAccountPage *self);

G_END_DECLS
