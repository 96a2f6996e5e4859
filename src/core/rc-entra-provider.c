/* rc-entra-provider.c: Microsoft Entra ID, for Dynamics 365
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Endpoints are fixed paths under the tenant (an id, a domain, or
 * "organizations"), the device flow is RFC 8628 with Entra's extra errors,
 * there is no revocation endpoint, and the liveness probe is the Dataverse
 * environment's WhoAmI when there is one, else userinfo.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-entra-provider.h"
#include "rc-http.h"
#include "rc-protocol-error.h"

struct _RcEntraProvider
{
  RcProvider  parent_instance;

  char       *environment_url;
};

G_DEFINE_FINAL_TYPE (RcEntraProvider, rc_entra_provider, RC_TYPE_PROVIDER)

static char *
rc_entra_provider_dup_probe_url (RcProvider *provider,
                                 RcTokenSet *tokens)
{
  RcEntraProvider *self = RC_ENTRA_PROVIDER (provider);

  if (self->environment_url != NULL)
    return g_strconcat (self->environment_url, "/api/data/v9.2/WhoAmI", NULL);

  return g_strdup (rc_provider_get_userinfo_endpoint (provider));
}

static void
rc_entra_provider_finalize (GObject *object)
{
  RcEntraProvider *self = RC_ENTRA_PROVIDER (object);

  g_free (self->environment_url);

  G_OBJECT_CLASS (rc_entra_provider_parent_class)->finalize (object);
}

static void
rc_entra_provider_class_init (RcEntraProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_entra_provider_finalize;
  RC_PROVIDER_CLASS (klass)->dup_probe_url = rc_entra_provider_dup_probe_url;
}

static void
rc_entra_provider_init (RcEntraProvider *self)
{
}

/**
 * rc_entra_tenant_is_valid:
 * @tenant: what the user typed
 *
 * Returns: %TRUE for a directory id (a GUID), a domain name, or one of
 *   `organizations`, `common`
 */
gboolean
rc_entra_tenant_is_valid (const char *tenant)
{
  if (tenant == NULL || *tenant == '\0' || strlen (tenant) > 253)
    return FALSE;
  if (g_str_equal (tenant, "organizations") || g_str_equal (tenant, "common"))
    return TRUE;
  if (g_uuid_string_is_valid (tenant))
    return TRUE;

  /* A domain: labels of letters, digits and hyphens, at least one dot. */
  if (strchr (tenant, '.') == NULL || tenant[0] == '.' || tenant[strlen (tenant) - 1] == '.')
    return FALSE;
  for (const char *p = tenant; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return strstr (tenant, "..") == NULL;
}

/**
 * rc_entra_provider_new:
 * @authority: (nullable): the sign-in host, %NULL for %RC_ENTRA_AUTHORITY
 * @tenant: the directory: an id, a domain or `organizations`
 * @client_id: the application (client) id
 * @redirect_uri: (nullable): the registered redirect, %NULL for
 *   %RC_ENTRA_DEFAULT_REDIRECT
 * @environment_url: (nullable): the Dynamics 365 environment, such as
 *   https://contoso.crm.dynamics.com
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the provider
 */
RcProvider *
rc_entra_provider_new (const char  *authority,
                       const char  *tenant,
                       const char  *client_id,
                       const char  *redirect_uri,
                       const char  *environment_url,
                       GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *tenant_base = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *authorize = NULL;
  g_autofree char *token = NULL;
  g_autofree char *device = NULL;
  g_autofree char *userinfo = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *scope = NULL;
  g_autoptr(GUri) authority_uri = NULL;
  RcEntraProvider *self;

  g_return_val_if_fail (client_id != NULL, NULL);

  if (authority == NULL)
    authority = RC_ENTRA_AUTHORITY;
  if (!rc_http_check_url (authority, error))
    return NULL;
  if (!rc_entra_tenant_is_valid (tenant))
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                   _("“%s” is not a tenant: use the directory id, a domain such as contoso.onmicrosoft.com, or “organizations”"),
                   tenant ? tenant : "");
      return NULL;
    }
  if (environment_url != NULL)
    {
      if (!rc_http_check_url (environment_url, error))
        return NULL;
      environment = rc_http_dup_without_slash (environment_url);
    }

  base = rc_http_dup_without_slash (authority);
  tenant_base = g_strdup_printf ("%s/%s", base, tenant);
  issuer = g_strconcat (tenant_base, "/v2.0", NULL);
  authorize = g_strconcat (tenant_base, "/oauth2/v2.0/authorize", NULL);
  token = g_strconcat (tenant_base, "/oauth2/v2.0/token", NULL);
  device = g_strconcat (tenant_base, "/oauth2/v2.0/devicecode", NULL);

  /* Entra's own userinfo lives on Microsoft Graph; a local authority (the
   * simulator) serves it itself. */
  authority_uri = g_uri_parse (authority, G_URI_FLAGS_NONE, NULL);
  if (g_strcmp0 (g_uri_get_scheme (authority_uri), "http") == 0)
    userinfo = g_strconcat (base, "/oidc/userinfo", NULL);
  else
    userinfo = g_strdup ("https://graph.microsoft.com/oidc/userinfo");

  scope = environment
    ? g_strdup_printf ("%s/user_impersonation openid profile offline_access", environment)
    : g_strdup ("openid profile offline_access");

  self = g_object_new (RC_TYPE_ENTRA_PROVIDER,
                       "id", "entra",
                       "issuer", issuer,
                       "client-id", client_id,
                       "redirect-uri", redirect_uri ? redirect_uri : RC_ENTRA_DEFAULT_REDIRECT,
                       "scope", scope,
                       NULL);
  self->environment_url = g_steal_pointer (&environment);
  rc_provider_set_endpoints (RC_PROVIDER (self), NULL, authorize, token, device, NULL, userinfo, NULL);
  return RC_PROVIDER (self);
}
