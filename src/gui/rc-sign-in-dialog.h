/* rc-sign-in-dialog.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rc-authorization.h"
#include "rc-monitor.h"

G_BEGIN_DECLS

#define RC_TYPE_SIGN_IN_DIALOG (rc_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RcSignInDialog, rc_sign_in_dialog, RC, SIGN_IN_DIALOG, AdwWindow)

RcSignInDialog *rc_sign_in_dialog_new          (RcMonitor      *monitor,
                                                RcAccount      *account);
RcMonitor      *rc_sign_in_dialog_get_monitor  (RcSignInDialog *self);
RcAccount      *rc_sign_in_dialog_get_account  (RcSignInDialog *self);
void            rc_sign_in_dialog_set_launcher (RcSignInDialog *self,
                                                RcUriLauncher   launcher,
                                                gpointer        user_data,
                                                GDestroyNotify  destroy);
void            rc_sign_in_dialog_start        (RcSignInDialog *self);

G_END_DECLS
