/* rc-application.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rc-monitor.h"
#include "rc-sign-in-dialog.h"

G_BEGIN_DECLS

#define RC_TYPE_APPLICATION (rc_application_get_type ())

G_DECLARE_FINAL_TYPE (RcApplication, rc_application, RC, APPLICATION, AdwApplication)

typedef struct _RcSim RcSim;

RcApplication  *rc_application_new              (void);
RcApplication  *rc_application_new_demo         (void);
GSettings      *rc_application_get_settings     (RcApplication  *self);
gboolean        rc_application_get_demo         (RcApplication  *self);
gboolean        rc_application_get_background   (RcApplication  *self);
RcAccountStore *rc_application_get_accounts     (RcApplication  *self);
RcMonitor      *rc_application_get_monitor      (RcApplication  *self);
RcSim          *rc_application_get_sim          (RcApplication  *self);
void            rc_application_set_uri_launcher (RcApplication  *self,
                                                 RcUriLauncher   launcher,
                                                 gpointer        user_data,
                                                 GDestroyNotify  destroy);
void            rc_application_prepare_sign_in  (RcApplication  *self,
                                                 RcSignInDialog *dialog);

G_END_DECLS
