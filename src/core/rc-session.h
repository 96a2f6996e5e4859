/* rc-session.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-account-store.h"
#include "rc-provider.h"
#include "rc-secret-store.h"

G_BEGIN_DECLS

/* Renew this long before the provider says the access token expires. */
#define RC_SESSION_EXPIRY_MARGIN 120

/* What a sign-out achieved.  A sign-out always signs out here; what may
 * fail is telling the provider, and removing the keyring item. */
typedef struct
{
  gboolean  had_sign_in;    /* there were tokens, and the provider was asked to end them */
  GError   *revoke_error;   /* the provider did not confirm (or could not be asked) */
  GError   *keyring_error;  /* the keyring item is still there: the account stays listed */
} RcSignOutReport;

void rc_sign_out_report_free (RcSignOutReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSignOutReport, rc_sign_out_report_free)

#define RC_TYPE_SESSION (rc_session_get_type ())

G_DECLARE_FINAL_TYPE (RcSession, rc_session, RC, SESSION, GObject)

RcSession  *rc_session_new                    (const char           *account_id,
                                               RcProvider           *provider,
                                               RcSecretStore        *store);
const char *rc_session_get_account_id         (RcSession            *self);
RcTokenSet *rc_session_get_tokens             (RcSession            *self);
gboolean    rc_session_get_saved              (RcSession            *self);
void        rc_session_set_retry_delay        (RcSession            *self,
                                               guint                 seconds);
void        rc_session_adopt_async            (RcSession            *self,
                                               RcTokenSet           *tokens,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    rc_session_adopt_finish           (RcSession            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void        rc_session_get_access_token_async (RcSession            *self,
                                               gboolean              force_refresh,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
RcTokenSet *rc_session_get_access_token_finish (RcSession           *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void        rc_session_sign_out_async          (RcSession           *self,
                                               RcAccountStore      *accounts,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
RcSignOutReport *rc_session_sign_out_finish    (RcSession           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
