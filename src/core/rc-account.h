/* rc-account.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-provider.h"

G_BEGIN_DECLS

/* How many of the latest checks an account remembers, for support reports. */
#define RC_ACCOUNT_HISTORY 10

typedef enum
{
  RC_CONNECTION_SIGNED_OUT,
  RC_CONNECTION_CHECKING,
  RC_CONNECTION_CONNECTED,
  RC_CONNECTION_OFFLINE,
  RC_CONNECTION_NEEDS_SIGN_IN,
  RC_CONNECTION_NEEDS_ADMIN,
} RcConnectionState;

#define RC_TYPE_ACCOUNT (rc_account_get_type ())

G_DECLARE_FINAL_TYPE (RcAccount, rc_account, RC, ACCOUNT, GObject)

const char        *rc_connection_state_to_string (RcConnectionState  state);
gboolean           rc_connection_state_from_string (const char       *text,
                                                    RcConnectionState *state);

RcAccount         *rc_account_new                (const char        *id,
                                                  const char        *provider,
                                                  const char        *endpoint,
                                                  const char        *client_id);
gboolean           rc_account_validate           (const char        *provider,
                                                  const char        *endpoint,
                                                  const char        *client_id,
                                                  const char        *redirect_uri,
                                                  GError           **error);
RcProvider        *rc_account_create_provider    (RcAccount         *self,
                                                  GError           **error);

const char        *rc_account_get_id             (RcAccount         *self);
const char        *rc_account_get_provider       (RcAccount         *self);
const char        *rc_account_get_endpoint       (RcAccount         *self);
const char        *rc_account_get_client_id      (RcAccount         *self);
const char        *rc_account_get_redirect_uri   (RcAccount         *self);
void               rc_account_set_redirect_uri   (RcAccount         *self,
                                                  const char        *redirect_uri);
const char        *rc_account_get_environment_url (RcAccount        *self);
void               rc_account_set_environment_url (RcAccount        *self,
                                                  const char        *environment_url);
const char        *rc_account_get_authority     (RcAccount         *self);
void               rc_account_set_authority     (RcAccount         *self,
                                                  const char        *authority);
const char        *rc_account_get_display_name   (RcAccount         *self);
void               rc_account_set_display_name   (RcAccount         *self,
                                                  const char        *display_name);
const char        *rc_account_get_user           (RcAccount         *self);
void               rc_account_set_user           (RcAccount         *self,
                                                  const char        *user);
gboolean           rc_account_get_provisioned    (RcAccount         *self);
void               rc_account_set_provisioned    (RcAccount         *self,
                                                  gboolean           provisioned);
gboolean           rc_account_get_forget_pending (RcAccount         *self);
void               rc_account_set_forget_pending (RcAccount         *self,
                                                  gboolean           forget_pending);
const char        *rc_account_get_key            (RcAccount         *self);
char              *rc_account_dup_server         (RcAccount         *self);
gboolean           rc_account_has_own_key        (RcAccount         *self);
void               rc_account_set_key            (RcAccount         *self,
                                                  const char        *key);
void               rc_account_set_id             (RcAccount         *self,
                                                  const char        *id);
RcConnectionState  rc_account_get_state          (RcAccount         *self);
void               rc_account_set_state          (RcAccount         *self,
                                                  RcConnectionState  state);
const char        *rc_account_get_cause          (RcAccount         *self);
void               rc_account_set_cause          (RcAccount         *self,
                                                  const char        *cause);
gint64             rc_account_get_checked_at     (RcAccount         *self);
void               rc_account_set_checked_at     (RcAccount         *self,
                                                  gint64             when);
gint64             rc_account_get_last_ok        (RcAccount         *self);
void               rc_account_set_last_ok        (RcAccount         *self,
                                                  gint64             when);
gint64             rc_account_get_first_failure  (RcAccount         *self);
void               rc_account_set_first_failure  (RcAccount         *self,
                                                  gint64             when);
const char * const *rc_account_get_history      (RcAccount         *self);
void               rc_account_set_history        (RcAccount         *self,
                                                  const char * const *history);
void               rc_account_add_history        (RcAccount         *self,
                                                  gint64             when);
gint64             rc_account_get_signed_in_at   (RcAccount         *self);
void               rc_account_set_signed_in_at   (RcAccount         *self,
                                                  gint64             when);
gint64             rc_account_get_last_refresh   (RcAccount         *self);
void               rc_account_set_last_refresh   (RcAccount         *self,
                                                  gint64             when);

G_END_DECLS
