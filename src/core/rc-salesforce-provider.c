/* rc-salesforce-provider.c: Salesforce's endpoints and dialect
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The login host is production, a sandbox or a My Domain; every endpoint is
 * a fixed path on it.  The device flow is Salesforce's own: both steps go to
 * the token endpoint (response_type=device_code, then grant_type=device with
 * code=).  The liveness probe is a REST call on the instance, whose 401
 * INVALID_SESSION_ID is the documented sign of an expired session.
 */

#include "config.h"

#include "rc-http.h"
#include "rc-salesforce-provider.h"

#define REST_PROBE_PATH "/services/data/v60.0/"

struct _RcSalesforceProvider
{
  RcProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (RcSalesforceProvider, rc_salesforce_provider, RC_TYPE_PROVIDER)

static SoupMessage *
rc_salesforce_provider_device_start_message (RcProvider *provider)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (form, "response_type", "device_code");
  g_hash_table_insert (form, "client_id", (gpointer) rc_provider_get_client_id (provider));
  g_hash_table_insert (form, "scope", (gpointer) rc_provider_get_scope (provider));
  return rc_http_form_message (rc_provider_get_token_endpoint (provider), form);
}

static GHashTable *
rc_salesforce_provider_device_poll_form (RcProvider *provider,
                                         const char *device_code)
{
  GHashTable *form = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (form, "grant_type", g_strdup ("device"));
  g_hash_table_insert (form, "code", g_strdup (device_code));
  g_hash_table_insert (form, "client_id", g_strdup (rc_provider_get_client_id (provider)));
  return form;
}

static char *
rc_salesforce_provider_dup_probe_url (RcProvider *provider,
                                      RcTokenSet *tokens)
{
  const char *instance = rc_token_set_get_instance_url (tokens);
  g_autofree char *base = NULL;

  if (instance == NULL || !rc_http_check_url (instance, NULL))
    return g_strdup (rc_provider_get_userinfo_endpoint (provider));

  base = rc_http_dup_without_slash (instance);
  return g_strconcat (base, REST_PROBE_PATH, NULL);
}

static void
rc_salesforce_provider_class_init (RcSalesforceProviderClass *klass)
{
  RcProviderClass *provider_class = RC_PROVIDER_CLASS (klass);

  provider_class->device_start_message = rc_salesforce_provider_device_start_message;
  provider_class->device_poll_form = rc_salesforce_provider_device_poll_form;
  provider_class->dup_probe_url = rc_salesforce_provider_dup_probe_url;
}

static void
rc_salesforce_provider_init (RcSalesforceProvider *self)
{
}

/**
 * rc_salesforce_provider_new:
 * @login_url: the login host: production, a sandbox, a My Domain
 * @client_id: the connected app's consumer key
 * @redirect_uri: (nullable): the callback registered on the app, or %NULL for
 *   %RC_SALESFORCE_DEFAULT_REDIRECT
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL if
 *   @login_url may not be used
 */
RcProvider *
rc_salesforce_provider_new (const char  *login_url,
                            const char  *client_id,
                            const char  *redirect_uri,
                            GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *authorize = NULL;
  g_autofree char *token = NULL;
  g_autofree char *revoke = NULL;
  g_autofree char *userinfo = NULL;
  g_autofree char *introspect = NULL;
  RcProvider *self;

  g_return_val_if_fail (login_url != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  if (!rc_http_check_url (login_url, error))
    return NULL;

  base = rc_http_dup_without_slash (login_url);
  authorize = g_strconcat (base, "/services/oauth2/authorize", NULL);
  token = g_strconcat (base, "/services/oauth2/token", NULL);
  revoke = g_strconcat (base, "/services/oauth2/revoke", NULL);
  userinfo = g_strconcat (base, "/services/oauth2/userinfo", NULL);
  introspect = g_strconcat (base, "/services/oauth2/introspect", NULL);

  self = g_object_new (RC_TYPE_SALESFORCE_PROVIDER,
                       "id", "salesforce",
                       "issuer", base,
                       "client-id", client_id,
                       "redirect-uri", redirect_uri ? redirect_uri : RC_SALESFORCE_DEFAULT_REDIRECT,
                       "scope", "refresh_token api id",
                       NULL);
  /* The device flow starts at the token endpoint, so there is no other. */
  rc_provider_set_endpoints (self, NULL, authorize, token, NULL, revoke, userinfo, introspect);
  return self;
}
