/* rc-account-store.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rc-account.h"

G_BEGIN_DECLS

#define RC_ACCOUNT_STORE_FORMAT 1

#define RC_TYPE_ACCOUNT_STORE (rc_account_store_get_type ())

G_DECLARE_FINAL_TYPE (RcAccountStore, rc_account_store, RC, ACCOUNT_STORE, GObject)

RcAccountStore *rc_account_store_new          (const char          *config_dir,
                                               const char * const  *system_config_dirs,
                                               const char          *state_dir);
RcAccountStore *rc_account_store_new_default  (void);
void            rc_account_store_load         (RcAccountStore      *self);
void            rc_account_store_follow_changes (RcAccountStore    *self);
const char     *rc_account_store_get_problem  (RcAccountStore      *self);
RcAccount      *rc_account_store_lookup       (RcAccountStore      *self,
                                               const char          *id);
gboolean        rc_account_store_add          (RcAccountStore      *self,
                                               RcAccount           *account,
                                               GError             **error);
gboolean        rc_account_store_remove       (RcAccountStore      *self,
                                               const char          *id,
                                               GError             **error);
gboolean        rc_account_store_save         (RcAccountStore      *self,
                                               GError             **error);
gboolean        rc_account_store_save_state   (RcAccountStore      *self,
                                               GError             **error);
char           *rc_account_store_new_id       (RcAccountStore      *self,
                                               const char          *provider);

G_END_DECLS
