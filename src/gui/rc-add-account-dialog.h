/* rc-add-account-dialog.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rc-account-store.h"

G_BEGIN_DECLS

#define RC_TYPE_ADD_ACCOUNT_DIALOG (rc_add_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RcAddAccountDialog, rc_add_account_dialog, RC, ADD_ACCOUNT_DIALOG, AdwWindow)

RcAddAccountDialog *rc_add_account_dialog_new       (RcAccountStore     *store);
RcAccountStore     *rc_add_account_dialog_get_store (RcAddAccountDialog *self);

G_END_DECLS
