/* rc-monitor.h: keeps watch over every account
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-account-store.h"
#include "rc-diagnosis.h"
#include "rc-secret-store.h"
#include "rc-session.h"

G_BEGIN_DECLS

#define RC_MONITOR_DEFAULT_INTERVAL (15 * 60)

#define RC_TYPE_MONITOR (rc_monitor_get_type ())

G_DECLARE_FINAL_TYPE (RcMonitor, rc_monitor, RC, MONITOR, GObject)

RcMonitor      *rc_monitor_new              (RcAccountStore       *accounts,
                                             RcSecretStore        *secrets);
RcAccountStore *rc_monitor_get_accounts     (RcMonitor            *self);
RcSecretStore  *rc_monitor_get_secrets      (RcMonitor            *self);
guint           rc_monitor_get_interval     (RcMonitor            *self);
void            rc_monitor_set_interval     (RcMonitor            *self,
                                             guint                 seconds);
void            rc_monitor_set_network_monitor (RcMonitor         *self,
                                             GNetworkMonitor      *network);
void            rc_monitor_start            (RcMonitor            *self);
void            rc_monitor_stop             (RcMonitor            *self);
void            rc_monitor_check            (RcMonitor            *self,
                                             RcAccount            *account);
void            rc_monitor_check_all        (RcMonitor            *self);
gboolean        rc_monitor_is_checking      (RcMonitor            *self,
                                             RcAccount            *account);
gint64          rc_monitor_get_next_check   (RcMonitor            *self,
                                             RcAccount            *account);
RcDiagnosis    *rc_monitor_get_diagnosis    (RcMonitor            *self,
                                             RcAccount            *account);
RcProvider     *rc_monitor_get_provider     (RcMonitor            *self,
                                             RcAccount            *account,
                                             GError              **error);
RcSession      *rc_monitor_get_session      (RcMonitor            *self,
                                             RcAccount            *account,
                                             GError              **error);
void            rc_monitor_adopt_async      (RcMonitor            *self,
                                             RcAccount            *account,
                                             RcTokenSet           *tokens,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean        rc_monitor_adopt_finish     (RcMonitor            *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void            rc_monitor_sign_out_async   (RcMonitor            *self,
                                             RcAccount            *account,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
RcSignOutReport *rc_monitor_sign_out_finish (RcMonitor            *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
