/* rc-oidc-provider.c: any OpenID Connect provider, found by discovery
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything comes from {issuer}/.well-known/openid-configuration, read by
 * rc_provider_resolve_async(), which checks that the document names the
 * issuer that was asked for.
 */

#include "config.h"

#include "rc-http.h"
#include "rc-oidc-provider.h"

struct _RcOidcProvider
{
  RcProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (RcOidcProvider, rc_oidc_provider, RC_TYPE_PROVIDER)

static void
rc_oidc_provider_class_init (RcOidcProviderClass *klass)
{
}

static void
rc_oidc_provider_init (RcOidcProvider *self)
{
}

/**
 * rc_oidc_provider_new:
 * @issuer: the issuer URL
 * @client_id: the client id
 * @redirect_uri: (nullable): the registered loopback redirect, or %NULL for
 *   %RC_OIDC_DEFAULT_REDIRECT
 * @scope: (nullable): the scopes, or %NULL for %RC_OIDC_DEFAULT_SCOPE
 * @error: return location for a #GError
 *
 * The provider knows no endpoint until rc_provider_resolve_async().
 *
 * Returns: (transfer full) (nullable): the provider
 */
RcProvider *
rc_oidc_provider_new (const char  *issuer,
                      const char  *client_id,
                      const char  *redirect_uri,
                      const char  *scope,
                      GError     **error)
{
  g_return_val_if_fail (issuer != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  if (!rc_http_check_url (issuer, error))
    return NULL;

  return g_object_new (RC_TYPE_OIDC_PROVIDER,
                       "id", "oidc",
                       "issuer", issuer,
                       "client-id", client_id,
                       "redirect-uri", redirect_uri ? redirect_uri : RC_OIDC_DEFAULT_REDIRECT,
                       "scope", scope ? scope : RC_OIDC_DEFAULT_SCOPE,
                       NULL);
}
