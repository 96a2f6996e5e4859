/* rc-window.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rc-account.h"
#include "rc-application.h"

G_BEGIN_DECLS

#define RC_TYPE_WINDOW (rc_window_get_type ())

G_DECLARE_FINAL_TYPE (RcWindow, rc_window, RC, WINDOW, AdwApplicationWindow)

RcWindow        *rc_window_new               (RcApplication *application);
void             rc_window_show_account      (RcWindow      *self,
                                              const char    *account_id);
GtkWindow       *rc_window_sign_in           (RcWindow      *self,
                                              RcAccount     *account);
AdwToastOverlay *rc_window_get_toast_overlay (RcWindow      *self);

G_END_DECLS
