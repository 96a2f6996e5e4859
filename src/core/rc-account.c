/* rc-account.c: one CRM account, as Reconnect knows it
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here may be written to disk: no secret ever.  The tokens live
 * in the keyring (RcSecretStore), reached through RcSession.  Properties
 * notify, so the window binds to them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-account.h"
#include "rc-entra-provider.h"
#include "rc-http.h"
#include "rc-oidc-provider.h"
#include "rc-protocol-error.h"
#include "rc-salesforce-provider.h"

struct _RcAccount
{
  GObject            parent_instance;

  char              *id;
  char              *key;             /* the keyring item's, never reused */
  char              *provider;
  char              *endpoint;        /* login URL, tenant or issuer */
  char              *client_id;
  char              *redirect_uri;
  char              *environment_url;
  char              *authority;
  char              *display_name;
  char              *user;
  char              *cause;
  gboolean           provisioned;
  gboolean           forget_pending;  /* signed out, but the keyring still holds the item */
  RcConnectionState  state;
  gint64             checked_at;
  gint64             last_ok;
  gint64             first_failure;
  gint64             signed_in_at;
  gint64             last_refresh;
  GStrv              history;        /* the latest checks, newest last */
};

G_DEFINE_FINAL_TYPE (RcAccount, rc_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROVIDER,
  PROP_ENDPOINT,
  PROP_CLIENT_ID,
  PROP_REDIRECT_URI,
  PROP_ENVIRONMENT_URL,
  PROP_AUTHORITY,
  PROP_DISPLAY_NAME,
  PROP_USER,
  PROP_CAUSE,
  PROP_PROVISIONED,
  PROP_FORGET_PENDING,
  PROP_STATE,
  PROP_CHECKED_AT,
  PROP_LAST_OK,
  PROP_FIRST_FAILURE,
  PROP_SIGNED_IN_AT,
  PROP_LAST_REFRESH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *state_names[] = {
  "signed-out", "checking", "connected", "offline", "needs-sign-in", "needs-admin",
};

/**
 * rc_connection_state_to_string:
 * @state: a state
 *
 * Returns: the state's stable name, as the command line and reports use it
 */
const char *
rc_connection_state_to_string (RcConnectionState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);

  return state_names[state];
}

gboolean
rc_connection_state_from_string (const char        *text,
                                 RcConnectionState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (text, state_names[i]) == 0)
      {
        *state = i;
        return TRUE;
      }

  return FALSE;
}

static void
set_string (RcAccount   *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_time (RcAccount *self,
          gint64    *field,
          gint64     value,
          guint      prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
rc_account_finalize (GObject *object)
{
  RcAccount *self = RC_ACCOUNT (object);

  g_free (self->id);
  g_free (self->key);
  g_free (self->provider);
  g_free (self->endpoint);
  g_free (self->client_id);
  g_free (self->redirect_uri);
  g_free (self->environment_url);
  g_free (self->authority);
  g_strfreev (self->history);
  g_free (self->display_name);
  g_free (self->user);
  g_free (self->cause);

  G_OBJECT_CLASS (rc_account_parent_class)->finalize (object);
}

static void
rc_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RcAccount *self = RC_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_FORGET_PENDING: g_value_set_boolean (value, self->forget_pending); break;
    case PROP_PROVIDER: g_value_set_string (value, self->provider); break;
    case PROP_ENDPOINT: g_value_set_string (value, self->endpoint); break;
    case PROP_CLIENT_ID: g_value_set_string (value, self->client_id); break;
    case PROP_REDIRECT_URI: g_value_set_string (value, self->redirect_uri); break;
    case PROP_ENVIRONMENT_URL: g_value_set_string (value, self->environment_url); break;
    case PROP_AUTHORITY: g_value_set_string (value, self->authority); break;
    case PROP_DISPLAY_NAME: g_value_set_string (value, rc_account_get_display_name (self)); break;
    case PROP_USER: g_value_set_string (value, self->user); break;
    case PROP_CAUSE: g_value_set_string (value, self->cause); break;
    case PROP_PROVISIONED: g_value_set_boolean (value, self->provisioned); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_CHECKED_AT: g_value_set_int64 (value, self->checked_at); break;
    case PROP_LAST_OK: g_value_set_int64 (value, self->last_ok); break;
    case PROP_FIRST_FAILURE: g_value_set_int64 (value, self->first_failure); break;
    case PROP_SIGNED_IN_AT: g_value_set_int64 (value, self->signed_in_at); break;
    case PROP_LAST_REFRESH: g_value_set_int64 (value, self->last_refresh); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_account_class_init (RcAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = rc_account_finalize;
  object_class->get_property = rc_account_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, flags);
  properties[PROP_ENDPOINT] = g_param_spec_string ("endpoint", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, flags);
  properties[PROP_REDIRECT_URI] = g_param_spec_string ("redirect-uri", NULL, NULL, NULL, flags);
  properties[PROP_ENVIRONMENT_URL] = g_param_spec_string ("environment-url", NULL, NULL, NULL, flags);
  properties[PROP_AUTHORITY] = g_param_spec_string ("authority", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_CAUSE] = g_param_spec_string ("cause", NULL, NULL, NULL, flags);
  properties[PROP_PROVISIONED] = g_param_spec_boolean ("provisioned", NULL, NULL, FALSE, flags);
  properties[PROP_FORGET_PENDING] = g_param_spec_boolean ("forget-pending", NULL, NULL, FALSE, flags);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, RC_CONNECTION_SIGNED_OUT,
                                             RC_CONNECTION_NEEDS_ADMIN, RC_CONNECTION_SIGNED_OUT, flags);
  properties[PROP_CHECKED_AT] = g_param_spec_int64 ("checked-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LAST_OK] = g_param_spec_int64 ("last-ok", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FIRST_FAILURE] = g_param_spec_int64 ("first-failure", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SIGNED_IN_AT] = g_param_spec_int64 ("signed-in-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LAST_REFRESH] = g_param_spec_int64 ("last-refresh", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rc_account_init (RcAccount *self)
{
}

/**
 * rc_account_new:
 * @id: a stable id, unique among the accounts
 * @provider: `salesforce`, `entra` or `oidc`
 * @endpoint: the login URL, the tenant, or the issuer
 * @client_id: the client id
 *
 * Returns: (transfer full): a new account, signed out
 */
RcAccount *
rc_account_new (const char *id,
                const char *provider,
                const char *endpoint,
                const char *client_id)
{
  RcAccount *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  self = g_object_new (RC_TYPE_ACCOUNT, NULL);
  self->id = g_strdup (id);
  self->provider = g_strdup (provider);
  self->endpoint = g_strdup (endpoint);
  self->client_id = g_strdup (client_id);
  return self;
}

/**
 * rc_account_validate:
 * @provider: `salesforce`, `entra` or `oidc`
 * @endpoint: the login URL (Salesforce), the tenant (Entra) or the issuer
 * @client_id: the client id
 * @redirect_uri: (nullable): a registered loopback redirect
 * @error: return location for a #GError, in words a user understands
 *
 * Returns: %TRUE if an account with these settings can sign in
 */
gboolean
rc_account_validate (const char  *provider,
                     const char  *endpoint,
                     const char  *client_id,
                     const char  *redirect_uri,
                     GError     **error)
{
  if (g_strcmp0 (provider, "salesforce") != 0 && g_strcmp0 (provider, "entra") != 0 &&
      g_strcmp0 (provider, "oidc") != 0)
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                   _("Choose Salesforce, Microsoft Dynamics 365 or another OpenID Connect provider"));
      return FALSE;
    }

  if (client_id == NULL || client_id[strspn (client_id, " \t")] == '\0' || strpbrk (client_id, " \t\r\n") != NULL)
    {
      g_set_error_literal (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                           g_str_equal (provider, "salesforce")
                             ? _("Enter the consumer key of the connected app (your administrator has it)")
                             : _("Enter the application (client) ID your administrator registered for Reconnect"));
      return FALSE;
    }

  if (g_str_equal (provider, "entra"))
    {
      if (!rc_entra_tenant_is_valid (endpoint))
        {
          g_set_error_literal (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                               _("Enter the tenant: the directory ID, a domain such as contoso.onmicrosoft.com, or “organizations”"));
          return FALSE;
        }
    }
  else if (!rc_http_check_url (endpoint, error))
    return FALSE;

  if (redirect_uri != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 ||
          (g_strcmp0 (g_uri_get_host (uri), "127.0.0.1") != 0 && g_strcmp0 (g_uri_get_host (uri), "localhost") != 0))
        {
          g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                       _("The redirect address must be on this computer, such as http://127.0.0.1:1717/OauthRedirect"));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * rc_account_create_provider:
 * @self: a #RcAccount
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the provider this account signs in with
 */
RcProvider *
rc_account_create_provider (RcAccount  *self,
                            GError    **error)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);

  if (!rc_account_validate (self->provider, self->endpoint, self->client_id, self->redirect_uri, error))
    return NULL;

  if (g_str_equal (self->provider, "salesforce"))
    return rc_salesforce_provider_new (self->endpoint, self->client_id, self->redirect_uri, error);
  if (g_str_equal (self->provider, "entra"))
    return rc_entra_provider_new (self->authority, self->endpoint, self->client_id, self->redirect_uri,
                                  self->environment_url, error);
  return rc_oidc_provider_new (self->endpoint, self->client_id, self->redirect_uri, NULL, error);
}

#define STRING_ACCESSORS(name, PROP)                                            \
  const char *                                                                  \
  rc_account_get_##name (RcAccount *self)                                       \
  {                                                                             \
    g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);                          \
    return self->name;                                                          \
  }                                                                             \
                                                                                \
  void                                                                          \
  rc_account_set_##name (RcAccount  *self,                                      \
                         const char *value)                                     \
  {                                                                             \
    g_return_if_fail (RC_IS_ACCOUNT (self));                                    \
    set_string (self, &self->name, value, PROP);                                \
  }

#define TIME_ACCESSORS(name, PROP)                                              \
  gint64                                                                        \
  rc_account_get_##name (RcAccount *self)                                       \
  {                                                                             \
    g_return_val_if_fail (RC_IS_ACCOUNT (self), 0);                             \
    return self->name;                                                          \
  }                                                                             \
                                                                                \
  void                                                                          \
  rc_account_set_##name (RcAccount *self,                                       \
                         gint64     value)                                      \
  {                                                                             \
    g_return_if_fail (RC_IS_ACCOUNT (self));                                    \
    set_time (self, &self->name, value, PROP);                                  \
  }

STRING_ACCESSORS (redirect_uri, PROP_REDIRECT_URI)
STRING_ACCESSORS (environment_url, PROP_ENVIRONMENT_URL)
STRING_ACCESSORS (authority, PROP_AUTHORITY)
STRING_ACCESSORS (user, PROP_USER)
STRING_ACCESSORS (cause, PROP_CAUSE)
TIME_ACCESSORS (checked_at, PROP_CHECKED_AT)
TIME_ACCESSORS (last_ok, PROP_LAST_OK)
TIME_ACCESSORS (first_failure, PROP_FIRST_FAILURE)
/**
 * rc_account_get_history:
 * @self: a #RcAccount
 *
 * Returns: (transfer none) (nullable): the latest checks, newest last: one
 *   line each, "TIME STATE [CAUSE]", TIME in ISO 8601
 */
const char * const *
rc_account_get_history (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);

  return (const char * const *) self->history;
}

/**
 * rc_account_set_history:
 * @self: a #RcAccount
 * @history: (nullable): the latest checks, newest last
 */
void
rc_account_set_history (RcAccount          *self,
                        const char * const *history)
{
  guint n = history ? g_strv_length ((char **) history) : 0;

  g_return_if_fail (RC_IS_ACCOUNT (self));

  g_strfreev (self->history);
  self->history = n > 0 ? g_strdupv ((char **) history + (n > RC_ACCOUNT_HISTORY ? n - RC_ACCOUNT_HISTORY : 0))
                        : NULL;
}

/**
 * rc_account_add_history:
 * @self: a #RcAccount
 * @when: unix seconds
 *
 * Records the account's state and cause now as its latest check, keeping
 * the last %RC_ACCOUNT_HISTORY.
 */
void
rc_account_add_history (RcAccount *self,
                        gint64     when)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *time = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) history = NULL;
  guint n;

  g_return_if_fail (RC_IS_ACCOUNT (self));

  date = g_date_time_new_from_unix_utc (when);
  time = date ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("?");
  n = self->history ? g_strv_length (self->history) : 0;
  for (guint i = n >= RC_ACCOUNT_HISTORY ? n - RC_ACCOUNT_HISTORY + 1 : 0; i < n; i++)
    g_strv_builder_add (builder, self->history[i]);
  line = g_strjoin (" ", time, rc_connection_state_to_string (self->state), self->cause, NULL);
  g_strv_builder_add (builder, line);
  history = g_strv_builder_end (builder);
  g_strfreev (self->history);
  self->history = g_steal_pointer (&history);
}

TIME_ACCESSORS (signed_in_at, PROP_SIGNED_IN_AT)
TIME_ACCESSORS (last_refresh, PROP_LAST_REFRESH)

#undef STRING_ACCESSORS
#undef TIME_ACCESSORS

const char *
rc_account_get_id (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);
  return self->id;
}

const char *
rc_account_get_provider (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);
  return self->provider;
}

const char *
rc_account_get_endpoint (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);
  return self->endpoint;
}

const char *
rc_account_get_client_id (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);
  return self->client_id;
}

/**
 * rc_account_get_display_name:
 *
 * Returns: the name the user gave, else the user once known, else the endpoint
 */
const char *
rc_account_get_display_name (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);

  if (self->display_name != NULL && *self->display_name != '\0')
    return self->display_name;
  return self->user ? self->user : self->endpoint;
}

void
rc_account_set_display_name (RcAccount  *self,
                             const char *display_name)
{
  g_return_if_fail (RC_IS_ACCOUNT (self));
  set_string (self, &self->display_name, display_name, PROP_DISPLAY_NAME);
}

gboolean
rc_account_get_provisioned (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), FALSE);
  return self->provisioned;
}

void
rc_account_set_provisioned (RcAccount *self,
                            gboolean   provisioned)
{
  g_return_if_fail (RC_IS_ACCOUNT (self));

  provisioned = !!provisioned;
  if (self->provisioned == provisioned)
    return;
  self->provisioned = provisioned;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVISIONED]);
}

/**
 * rc_account_dup_server:
 * @self: a #RcAccount
 *
 * The server the account's tokens are bound to (see #RcSecretBinding):
 * its provider's issuer, without a trailing slash, as RcSession uses it.
 *
 * Returns: (transfer full) (nullable): the server, or %NULL if no provider
 *   can be made from the account's settings
 */
char *
rc_account_dup_server (RcAccount *self)
{
  g_autoptr(RcProvider) provider = NULL;

  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);

  provider = rc_account_create_provider (self, NULL);
  return provider ? rc_http_dup_without_slash (rc_provider_get_issuer (provider)) : NULL;
}

/**
 * rc_account_get_forget_pending:
 *
 * Returns: whether the account was signed out but its keyring item could
 *   not be removed yet (the keyring was locked or gone); it stays listed
 *   until the item is really gone
 */
gboolean
rc_account_get_forget_pending (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), FALSE);
  return self->forget_pending;
}

void
rc_account_set_forget_pending (RcAccount *self,
                               gboolean   forget_pending)
{
  g_return_if_fail (RC_IS_ACCOUNT (self));

  forget_pending = !!forget_pending;
  if (self->forget_pending == forget_pending)
    return;
  self->forget_pending = forget_pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORGET_PENDING]);
}

/**
 * rc_account_get_key:
 *
 * The key of the account's keyring item.  A user's account gets a random
 * one when it is first stored, so a later account that happens to get the
 * same id never finds an earlier one's secret; an account from before keys
 * existed, or an administrator's, uses its id.
 *
 * Returns: (transfer none): the key
 */
const char *
rc_account_get_key (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), NULL);
  return self->key != NULL ? self->key : self->id;
}

gboolean
rc_account_has_own_key (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), FALSE);
  return self->key != NULL;
}

/**
 * rc_account_set_key:
 * @self: a #RcAccount
 * @key: (nullable): the keyring key, or %NULL for the id
 *
 * For RcAccountStore, before the account has ever been signed in.
 */
void
rc_account_set_key (RcAccount  *self,
                    const char *key)
{
  g_return_if_fail (RC_IS_ACCOUNT (self));

  g_free (self->key);
  self->key = g_strdup (key);
}

/**
 * rc_account_set_id:
 * @self: a #RcAccount
 * @id: a new id
 *
 * For RcAccountStore only, when another process took @self's id while it
 * was being added; nothing else may rename an account.
 */
void
rc_account_set_id (RcAccount  *self,
                   const char *id)
{
  g_return_if_fail (RC_IS_ACCOUNT (self));
  g_return_if_fail (id != NULL);

  set_string (self, &self->id, id, PROP_ID);
}

RcConnectionState
rc_account_get_state (RcAccount *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT (self), RC_CONNECTION_SIGNED_OUT);
  return self->state;
}

void
rc_account_set_state (RcAccount         *self,
                      RcConnectionState  state)
{
  g_return_if_fail (RC_IS_ACCOUNT (self));
  g_return_if_fail (state <= RC_CONNECTION_NEEDS_ADMIN);

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}
