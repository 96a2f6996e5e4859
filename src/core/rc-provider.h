/* rc-provider.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "rc-token-set.h"

G_BEGIN_DECLS

/* The longest user name kept from a server (a display name or an e-mail
 * address is far shorter). */
#define RC_PROVIDER_MAX_USER 255

#define RC_TYPE_PROVIDER (rc_provider_get_type ())

G_DECLARE_DERIVABLE_TYPE (RcProvider, rc_provider, RC, PROVIDER, GObject)

struct _RcProviderClass
{
  GObjectClass parent_class;

  /* Fills in the endpoints; the base class reads OIDC discovery. */
  void         (*resolve_async)        (RcProvider          *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
  gboolean     (*resolve_finish)       (RcProvider          *self,
                                        GAsyncResult        *result,
                                        GError             **error);
  /* The device flow's first request and its poll (RFC 8628 by default). */
  SoupMessage *(*device_start_message) (RcProvider          *self);
  GHashTable  *(*device_poll_form)     (RcProvider          *self,
                                        const char          *device_code);
  /* Where a cheap authenticated GET tells whether the session lives. */
  char        *(*dup_probe_url)        (RcProvider          *self,
                                        RcTokenSet          *tokens);

  gpointer padding[8];
};

const char          *rc_provider_get_id                     (RcProvider          *self);
const char          *rc_provider_get_issuer                 (RcProvider          *self);
const char          *rc_provider_get_client_id              (RcProvider          *self);
const char          *rc_provider_get_redirect_uri           (RcProvider          *self);
const char          *rc_provider_get_scope                  (RcProvider          *self);
const char          *rc_provider_get_authorization_endpoint (RcProvider          *self);
const char          *rc_provider_get_token_endpoint         (RcProvider          *self);
const char          *rc_provider_get_device_endpoint        (RcProvider          *self);
const char          *rc_provider_get_revocation_endpoint    (RcProvider          *self);
const char          *rc_provider_get_userinfo_endpoint      (RcProvider          *self);
const char          *rc_provider_get_introspection_endpoint (RcProvider          *self);
gboolean             rc_provider_get_requires_iss           (RcProvider          *self);
SoupSession         *rc_provider_get_session                (RcProvider          *self);
void                 rc_provider_set_session                (RcProvider          *self,
                                                             SoupSession         *session);

void                 rc_provider_resolve_async              (RcProvider          *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             rc_provider_resolve_finish             (RcProvider          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 rc_provider_exchange_code_async        (RcProvider          *self,
                                                             const char          *code,
                                                             const char          *redirect_uri,
                                                             const char          *code_verifier,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
RcTokenSet          *rc_provider_exchange_code_finish       (RcProvider          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 rc_provider_refresh_async              (RcProvider          *self,
                                                             RcTokenSet          *tokens,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
RcTokenSet          *rc_provider_refresh_finish             (RcProvider          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 rc_provider_revoke_async               (RcProvider          *self,
                                                             RcTokenSet          *tokens,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             rc_provider_revoke_finish              (RcProvider          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 rc_provider_fetch_userinfo_async       (RcProvider          *self,
                                                             RcTokenSet          *tokens,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
JsonObject          *rc_provider_fetch_userinfo_finish      (RcProvider          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 rc_provider_probe_async                (RcProvider          *self,
                                                             RcTokenSet          *tokens,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             rc_provider_probe_finish               (RcProvider          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 rc_provider_introspect_async           (RcProvider          *self,
                                                             RcTokenSet          *tokens,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
JsonObject          *rc_provider_introspect_finish          (RcProvider          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* For subclasses. */
char                *rc_provider_dup_userinfo_user          (JsonObject          *info);
gboolean             rc_provider_apply_discovery            (RcProvider          *self,
                                                             JsonNode            *document,
                                                             GError             **error);
void                 rc_provider_set_endpoints              (RcProvider          *self,
                                                             const char          *issuer,
                                                             const char          *authorization,
                                                             const char          *token,
                                                             const char          *device,
                                                             const char          *revocation,
                                                             const char          *userinfo,
                                                             const char          *introspection);
void                 rc_provider_post_form_async            (RcProvider          *self,
                                                             const char          *url,
                                                             const char          *endpoint,
                                                             GHashTable          *form,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
JsonNode            *rc_provider_post_form_finish           (RcProvider          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
