/* rc-secret-store.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rc-token-set.h"

G_BEGIN_DECLS

#define RC_SECRET_ERROR (rc_secret_error_quark ())

typedef enum
{
  RC_SECRET_ERROR_NO_SERVICE,  /* no Secret Service or Secret portal answers */
  RC_SECRET_ERROR_LOCKED,      /* the keyring is locked and was not unlocked */
  RC_SECRET_ERROR_TIMED_OUT,   /* the keyring did not answer in time (an unanswered prompt) */
  RC_SECRET_ERROR_CORRUPT,     /* the stored item cannot be read back */
  RC_SECRET_ERROR_FAILED,      /* the keyring refused for another reason */
} RcSecretError;

/* Bumped when the stored form changes: older items become invisible.
 * 2: the tokens are bound to the server and client they came from. */
#define RC_SECRET_STORE_GENERATION 2
#define RC_SECRET_STORE_DEFAULT_TIMEOUT 120

/* Where a secret came from, and so the only place it may go: the issuer
 * (without a trailing slash) and the client id it was issued to. */
typedef struct
{
  const char *server;
  const char *client_id;
} RcSecretBinding;

#define RC_TYPE_SECRET_STORE (rc_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (RcSecretStore, rc_secret_store, RC, SECRET_STORE, GObject)

GQuark         rc_secret_error_quark        (void);

RcSecretStore *rc_secret_store_new          (void);
void           rc_secret_store_set_timeout  (RcSecretStore        *self,
                                             guint                 seconds);
void           rc_secret_store_set_generation (RcSecretStore      *self,
                                             int                   generation);
void           rc_secret_store_save_async   (RcSecretStore        *self,
                                             const char           *key,
                                             const RcSecretBinding *binding,
                                             RcTokenSet           *tokens,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       rc_secret_store_save_finish  (RcSecretStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           rc_secret_store_load_async   (RcSecretStore        *self,
                                             const char           *key,
                                             const RcSecretBinding *binding,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
RcTokenSet    *rc_secret_store_load_finish  (RcSecretStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           rc_secret_store_delete_async (RcSecretStore        *self,
                                             const char           *key,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       rc_secret_store_delete_finish (RcSecretStore       *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
