/* rc-device-authorization.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-provider.h"

G_BEGIN_DECLS

#define RC_TYPE_DEVICE_AUTHORIZATION (rc_device_authorization_get_type ())

G_DECLARE_FINAL_TYPE (RcDeviceAuthorization, rc_device_authorization, RC, DEVICE_AUTHORIZATION, GObject)

RcDeviceAuthorization *rc_device_authorization_new                  (RcProvider             *provider);
void                   rc_device_authorization_start_async          (RcDeviceAuthorization  *self,
                                                                     GCancellable           *cancellable,
                                                                     GAsyncReadyCallback     callback,
                                                                     gpointer                user_data);
gboolean               rc_device_authorization_start_finish         (RcDeviceAuthorization  *self,
                                                                     GAsyncResult           *result,
                                                                     GError                **error);
gboolean               rc_device_authorization_apply_reply          (RcDeviceAuthorization  *self,
                                                                    JsonNode               *node,
                                                                    GError                **error);
const char            *rc_device_authorization_get_user_code        (RcDeviceAuthorization  *self);
const char            *rc_device_authorization_get_verification_uri (RcDeviceAuthorization  *self);
const char            *rc_device_authorization_get_verification_uri_complete
                                                                    (RcDeviceAuthorization  *self);
guint                  rc_device_authorization_get_expires_in       (RcDeviceAuthorization  *self);
guint                  rc_device_authorization_get_interval         (RcDeviceAuthorization  *self);
void                   rc_device_authorization_wait_async           (RcDeviceAuthorization  *self,
                                                                     GCancellable           *cancellable,
                                                                     GAsyncReadyCallback     callback,
                                                                     gpointer                user_data);
RcTokenSet            *rc_device_authorization_wait_finish          (RcDeviceAuthorization  *self,
                                                                     GAsyncResult           *result,
                                                                     GError                **error);

G_END_DECLS
