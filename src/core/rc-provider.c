/* rc-provider.c: what Reconnect knows of one identity provider
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base class speaks standard OAuth 2.0 and OpenID Connect: discovery
 * (RFC 8414 / OIDC Discovery, the issuer checked), the code exchange with
 * PKCE (RFC 7636), refresh (RFC 6749 section 6), revocation (RFC 7009),
 * introspection (RFC 7662), the device grant (RFC 8628) and userinfo.
 * Subclasses give Salesforce's and Entra's endpoints and dialects.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-http.h"
#include "rc-json.h"
#include "rc-protocol-error.h"
#include "rc-provider.h"
#include "rc-text.h"

typedef struct
{
  char        *id;
  char        *issuer;
  char        *client_id;
  char        *redirect_uri;
  char        *scope;
  char        *authorization_endpoint;
  char        *token_endpoint;
  char        *device_endpoint;
  char        *revocation_endpoint;
  char        *userinfo_endpoint;
  char        *introspection_endpoint;
  gboolean     requires_iss;
  SoupSession *session;
} RcProviderPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (RcProvider, rc_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ISSUER,
  PROP_CLIENT_ID,
  PROP_REDIRECT_URI,
  PROP_SCOPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------ requests -- */

typedef struct
{
  char     *endpoint;
  gboolean  want_json;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->endpoint);
  g_free (data);
}

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(RcHttpReply) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  reply = rc_http_send_finish (result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (reply->status))
    {
      g_task_return_error (task, rc_http_reply_to_error (reply, data->endpoint));
      return;
    }

  if (!data->want_json && !rc_http_reply_check_not_page (reply, data->endpoint, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!data->want_json)
    {
      g_task_return_pointer (task, json_node_init_null (json_node_alloc ()), (GDestroyNotify) json_node_unref);
      return;
    }

  node = rc_http_reply_parse_json (reply, data->endpoint, &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&node), (GDestroyNotify) json_node_unref);
}

/* Sends @msg; the task's result is the JSON of a 2xx answer (a null node
 * when @want_json is FALSE), else an RC_OAUTH_ERROR. */
static void
request_json_async (RcProvider          *self,
                    SoupMessage         *msg,
                    const char          *endpoint,
                    gboolean             want_json,
                    GCancellable        *cancellable,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RequestData *data = g_new0 (RequestData, 1);
  g_autofree char *url = msg ? g_uri_to_string (soup_message_get_uri (msg)) : NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  data->endpoint = g_strdup (endpoint);
  data->want_json = want_json;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  if (msg == NULL || !rc_http_check_url (url, &error))
    {
      if (error == NULL)
        g_set_error (&error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                     _("This provider has no %s endpoint"), endpoint);
      g_task_return_error (task, error);
      return;
    }

  rc_http_send_async (priv->session, msg, endpoint, cancellable, on_request_done, g_steal_pointer (&task));
}

static SoupMessage *
bearer_get (const char *url,
            RcTokenSet *tokens)
{
  SoupMessage *msg = url ? soup_message_new ("GET", url) : NULL;
  g_autofree char *authorization = NULL;

  if (msg == NULL)
    return NULL;

  authorization = g_strconcat ("Bearer ", rc_token_set_get_access_token (tokens), NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  return msg;
}

static GHashTable *
form_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* --------------------------------------------------------------- resolve -- */

/* Providers whose discovery documents name endpoints on other hosts of
 * their own, as published in those documents: Google
 * (accounts.google.com/.well-known/openid-configuration: token and
 * userinfo on googleapis.com).  Entra is not discovered (see
 * rc-entra-provider.c) and Salesforce serves every endpoint itself. */
static const struct
{
  const char *issuer_host;
  const char *endpoint_domain;
} split_providers[] = {
  { "accounts.google.com", "googleapis.com" },
};

static gboolean
host_in_domain (const char *host,
                const char *domain)
{
  gsize host_length = strlen (host);
  gsize domain_length = strlen (domain);

  return g_ascii_strcasecmp (host, domain) == 0 ||
         (host_length > domain_length && host[host_length - domain_length - 1] == '.' &&
          g_ascii_strcasecmp (host + host_length - domain_length, domain) == 0);
}

/* Is @url a server of @issuer's: the same scheme, host and port, or a host
 * that the issuer is known to use (split_providers)? */
static gboolean
same_server (const char *issuer,
             const char *url)
{
  g_autoptr(GUri) a = g_uri_parse (issuer, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) b = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (a == NULL || b == NULL || g_uri_get_host (a) == NULL || g_uri_get_host (b) == NULL ||
      g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) != 0)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0)
    return g_uri_get_port (a) == g_uri_get_port (b);
  for (guint i = 0; i < G_N_ELEMENTS (split_providers); i++)
    if (g_ascii_strcasecmp (g_uri_get_host (a), split_providers[i].issuer_host) == 0 &&
        host_in_domain (g_uri_get_host (b), split_providers[i].endpoint_domain) &&
        g_ascii_strcasecmp (g_uri_get_scheme (b), "https") == 0)
      return TRUE;
  return FALSE;
}

/* Every endpoint of a discovery document must be https (or loopback) and
 * on the issuer's own server: a document that sends the refresh token, or
 * the access token, elsewhere is refused, never half-used. */
static gboolean
check_endpoints (JsonObject  *object,
                 const char  *issuer,
                 GError     **error)
{
  static const char * const members[] = {
    "authorization_endpoint", "token_endpoint", "device_authorization_endpoint", "revocation_endpoint",
    "userinfo_endpoint", "introspection_endpoint",
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *url = rc_json_get_string (object, members[i]);
      g_autoptr(GError) unusable = NULL;
      g_autofree char *shown = NULL;

      if (url == NULL)
        continue;
      shown = rc_text_printable (url, 200, RC_TEXT_ONE_LINE);
      if (!rc_http_check_url (url, &unusable))
        {
          /* Plain http, or not an address at all. */
          g_set_error (error, RC_OAUTH_ERROR, unusable->code,
                       /* TRANSLATORS: a member of a configuration document, such as token_endpoint, then why */
                       _("The provider’s configuration document is refused: its %s: %s"), members[i],
                       unusable->message);
          return FALSE;
        }
      if (!same_server (issuer, url))
        {
          g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_ISSUER_MISMATCH,
                       _("The provider’s configuration document is refused: its %s (%s) is on another server "
                         "than the issuer %s"), members[i], shown, issuer);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * rc_provider_apply_discovery:
 * @self: a #RcProvider
 * @document: an OpenID Connect discovery document, as parsed
 * @error: return location for a #GError
 *
 * Checks @document against the issuer asked for (RFC 8414 section 3.3, and
 * every endpoint https on the issuer's own server) and takes its
 * endpoints.  A document that fails any check changes nothing.
 *
 * Returns: %TRUE if the endpoints were taken
 */
gboolean
rc_provider_apply_discovery (RcProvider  *self,
                             JsonNode    *document,
                             GError     **error)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autofree char *expected = rc_http_dup_without_slash (priv->issuer);
  g_autofree char *got = NULL;
  JsonObject *object;
  JsonNode *iss_node;

  g_return_val_if_fail (RC_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (document != NULL, FALSE);

  object = JSON_NODE_HOLDS_OBJECT (document) ? json_node_get_object (document) : NULL;
  if (object == NULL)
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                   _("The provider’s configuration document lacks its sign-in addresses"));
      return FALSE;
    }

  /* RFC 8414 section 3.3: the issuer in the document must be the one asked
   * for, or an impostor could hand out its own endpoints. */
  got = rc_http_dup_without_slash (rc_json_get_string (object, "issuer"));
  if (got == NULL || g_strcmp0 (got, expected) != 0)
    {
      g_autofree char *shown = rc_text_printable (got, 200, RC_TEXT_ONE_LINE);

      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_ISSUER_MISMATCH,
                   _("The provider says it is “%s”, not “%s” as configured"), shown, expected);
      return FALSE;
    }

  if (!check_endpoints (object, expected, error))
    return FALSE;
  if (rc_json_get_string (object, "token_endpoint") == NULL ||
      rc_json_get_string (object, "authorization_endpoint") == NULL)
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                   _("The provider’s configuration document lacks its sign-in addresses"));
      return FALSE;
    }

  /* RFC 9207: a server that says it sends `iss` must send it.  A member of
   * the wrong type is a malformed document, not a "no". */
  iss_node = json_object_get_member (object, "authorization_response_iss_parameter_supported");
  if (iss_node != NULL && !JSON_NODE_HOLDS_NULL (iss_node) &&
      (!JSON_NODE_HOLDS_VALUE (iss_node) || json_node_get_value_type (iss_node) != G_TYPE_BOOLEAN))
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                   _("The provider’s configuration document is malformed (%s is not true or false)"),
                   "authorization_response_iss_parameter_supported");
      return FALSE;
    }

  rc_provider_set_endpoints (self,
                             rc_json_get_string (object, "issuer"),
                             rc_json_get_string (object, "authorization_endpoint"),
                             rc_json_get_string (object, "token_endpoint"),
                             rc_json_get_string (object, "device_authorization_endpoint"),
                             rc_json_get_string (object, "revocation_endpoint"),
                             rc_json_get_string (object, "userinfo_endpoint"),
                             rc_json_get_string (object, "introspection_endpoint"));
  priv->requires_iss = iss_node != NULL && JSON_NODE_HOLDS_VALUE (iss_node) && json_node_get_boolean (iss_node);
  return TRUE;
}

static void
on_discovery (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = g_task_propagate_pointer (G_TASK (result), &error);
  if (node == NULL || !rc_provider_apply_discovery (g_task_get_source_object (task), node, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
rc_provider_real_resolve_async (RcProvider          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *base = rc_http_dup_without_slash (priv->issuer);
  g_autofree char *url = g_strconcat (base, "/.well-known/openid-configuration", NULL);
  g_autoptr(SoupMessage) msg = NULL;

  g_task_set_source_tag (task, rc_provider_real_resolve_async);
  if (priv->token_endpoint != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  msg = soup_message_new ("GET", url);
  request_json_async (self, msg, "discovery", TRUE, cancellable, rc_provider_real_resolve_async,
                      on_discovery, g_steal_pointer (&task));
}

static gboolean
rc_provider_real_resolve_finish (RcProvider    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* RFC 8628: the device authorization endpoint, then the URN grant. */
static SoupMessage *
rc_provider_real_device_start_message (RcProvider *self)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autoptr(GHashTable) form = form_new ();

  if (priv->device_endpoint == NULL)
    return NULL;

  g_hash_table_insert (form, "client_id", g_strdup (priv->client_id));
  g_hash_table_insert (form, "scope", g_strdup (priv->scope));
  return rc_http_form_message (priv->device_endpoint, form);
}

static GHashTable *
rc_provider_real_device_poll_form (RcProvider *self,
                                   const char *device_code)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  GHashTable *form = form_new ();

  g_hash_table_insert (form, "grant_type", g_strdup ("urn:ietf:params:oauth:grant-type:device_code"));
  g_hash_table_insert (form, "device_code", g_strdup (device_code));
  g_hash_table_insert (form, "client_id", g_strdup (priv->client_id));
  return form;
}

static char *
rc_provider_real_dup_probe_url (RcProvider *self,
                                RcTokenSet *tokens)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);

  return g_strdup (priv->userinfo_endpoint);
}

/* ------------------------------------------------------------ GObject -- */

static void
rc_provider_finalize (GObject *object)
{
  RcProvider *self = RC_PROVIDER (object);
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);

  g_free (priv->id);
  g_free (priv->issuer);
  g_free (priv->client_id);
  g_free (priv->redirect_uri);
  g_free (priv->scope);
  g_free (priv->authorization_endpoint);
  g_free (priv->token_endpoint);
  g_free (priv->device_endpoint);
  g_free (priv->revocation_endpoint);
  g_free (priv->userinfo_endpoint);
  g_free (priv->introspection_endpoint);
  g_clear_object (&priv->session);

  G_OBJECT_CLASS (rc_provider_parent_class)->finalize (object);
}

static void
rc_provider_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (RC_PROVIDER (object));

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;
    case PROP_ISSUER:
      g_value_set_string (value, priv->issuer);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, priv->client_id);
      break;
    case PROP_REDIRECT_URI:
      g_value_set_string (value, priv->redirect_uri);
      break;
    case PROP_SCOPE:
      g_value_set_string (value, priv->scope);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_provider_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (RC_PROVIDER (object));

  switch (prop_id)
    {
    case PROP_ID:
      priv->id = g_value_dup_string (value);
      break;
    case PROP_ISSUER:
      priv->issuer = g_value_dup_string (value);
      break;
    case PROP_CLIENT_ID:
      priv->client_id = g_value_dup_string (value);
      break;
    case PROP_REDIRECT_URI:
      priv->redirect_uri = g_value_dup_string (value);
      break;
    case PROP_SCOPE:
      priv->scope = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_provider_class_init (RcProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rc_provider_finalize;
  object_class->get_property = rc_provider_get_property;
  object_class->set_property = rc_provider_set_property;

  klass->resolve_async = rc_provider_real_resolve_async;
  klass->resolve_finish = rc_provider_real_resolve_finish;
  klass->device_start_message = rc_provider_real_device_start_message;
  klass->device_poll_form = rc_provider_real_device_poll_form;
  klass->dup_probe_url = rc_provider_real_dup_probe_url;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, "oidc",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDIRECT_URI] =
    g_param_spec_string ("redirect-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCOPE] =
    g_param_spec_string ("scope", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rc_provider_init (RcProvider *self)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);

  priv->session = rc_http_session_new ();
}

/* ------------------------------------------------------------- getters -- */

#define GETTER(name)                                                    \
  const char *                                                          \
  rc_provider_get_##name (RcProvider *self)                             \
  {                                                                     \
    RcProviderPrivate *priv;                                            \
                                                                        \
    g_return_val_if_fail (RC_IS_PROVIDER (self), NULL);                 \
    priv = rc_provider_get_instance_private (self);                     \
    return priv->name;                                                  \
  }

GETTER (id)
GETTER (issuer)
GETTER (client_id)
GETTER (redirect_uri)
GETTER (scope)
GETTER (authorization_endpoint)
GETTER (token_endpoint)
GETTER (device_endpoint)
GETTER (revocation_endpoint)
GETTER (userinfo_endpoint)
GETTER (introspection_endpoint)

#undef GETTER

gboolean
rc_provider_get_requires_iss (RcProvider *self)
{
  RcProviderPrivate *priv;

  g_return_val_if_fail (RC_IS_PROVIDER (self), FALSE);
  priv = rc_provider_get_instance_private (self);
  return priv->requires_iss;
}

SoupSession *
rc_provider_get_session (RcProvider *self)
{
  RcProviderPrivate *priv;

  g_return_val_if_fail (RC_IS_PROVIDER (self), NULL);
  priv = rc_provider_get_instance_private (self);
  return priv->session;
}

/**
 * rc_provider_set_session:
 * @self: a #RcProvider
 * @session: the session to share, e.g. among the accounts of one window
 */
void
rc_provider_set_session (RcProvider  *self,
                         SoupSession *session)
{
  RcProviderPrivate *priv;

  g_return_if_fail (RC_IS_PROVIDER (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  priv = rc_provider_get_instance_private (self);
  g_set_object (&priv->session, session);
}

static void
replace (char       **field,
         const char  *value)
{
  if (value != NULL)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

void
rc_provider_set_endpoints (RcProvider *self,
                           const char *issuer,
                           const char *authorization,
                           const char *token,
                           const char *device,
                           const char *revocation,
                           const char *userinfo,
                           const char *introspection)
{
  RcProviderPrivate *priv;

  g_return_if_fail (RC_IS_PROVIDER (self));
  priv = rc_provider_get_instance_private (self);

  replace (&priv->issuer, issuer);
  replace (&priv->authorization_endpoint, authorization);
  replace (&priv->token_endpoint, token);
  replace (&priv->device_endpoint, device);
  replace (&priv->revocation_endpoint, revocation);
  replace (&priv->userinfo_endpoint, userinfo);
  replace (&priv->introspection_endpoint, introspection);
}

/* ---------------------------------------------------------- public API -- */

void
rc_provider_resolve_async (RcProvider          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (RC_IS_PROVIDER (self));

  RC_PROVIDER_GET_CLASS (self)->resolve_async (self, cancellable, callback, user_data);
}

gboolean
rc_provider_resolve_finish (RcProvider    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (RC_IS_PROVIDER (self), FALSE);

  return RC_PROVIDER_GET_CLASS (self)->resolve_finish (self, result, error);
}

/**
 * rc_provider_post_form_async:
 * @self: a #RcProvider
 * @url: where to post
 * @endpoint: the endpoint's short name, for errors
 * @form: (element-type utf8 utf8): the fields
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the JSON answer or an error
 * @user_data: data for @callback
 *
 * Posts a form and expects JSON back.  For subclasses and flows.
 */
void
rc_provider_post_form_async (RcProvider          *self,
                             const char          *url,
                             const char          *endpoint,
                             GHashTable          *form,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (RC_IS_PROVIDER (self));

  msg = url ? rc_http_form_message (url, form) : NULL;
  request_json_async (self, msg, endpoint, TRUE, cancellable, rc_provider_post_form_async, callback, user_data);
}

/**
 * rc_provider_post_form_finish:
 *
 * Returns: (transfer full): the JSON answer
 */
JsonNode *
rc_provider_post_form_finish (RcProvider    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_tokens (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcTokenSet *previous = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(RcTokenSet) fresh = NULL;
  GError *error = NULL;

  node = rc_provider_post_form_finish (RC_PROVIDER (source), result, &error);
  if (node != NULL)
    fresh = rc_token_set_new_from_response (node, g_get_real_time () / G_USEC_PER_SEC, &error);

  if (fresh == NULL)
    g_task_return_error (task, error);
  else if (previous != NULL)
    g_task_return_pointer (task, rc_token_set_refreshed (previous, fresh), (GDestroyNotify) rc_token_set_unref);
  else
    g_task_return_pointer (task, g_steal_pointer (&fresh), (GDestroyNotify) rc_token_set_unref);
}

void
rc_provider_exchange_code_async (RcProvider          *self,
                                 const char          *code,
                                 const char          *redirect_uri,
                                 const char          *code_verifier,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) form = form_new ();

  g_return_if_fail (RC_IS_PROVIDER (self));
  g_return_if_fail (code != NULL && redirect_uri != NULL && code_verifier != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_provider_exchange_code_async);
  g_hash_table_insert (form, "grant_type", g_strdup ("authorization_code"));
  g_hash_table_insert (form, "code", g_strdup (code));
  g_hash_table_insert (form, "redirect_uri", g_strdup (redirect_uri));
  g_hash_table_insert (form, "client_id", g_strdup (priv->client_id));
  g_hash_table_insert (form, "code_verifier", g_strdup (code_verifier));
  rc_provider_post_form_async (self, priv->token_endpoint, "token", form, cancellable,
                               on_tokens, g_steal_pointer (&task));
}

/**
 * rc_provider_exchange_code_finish:
 *
 * Returns: (transfer full): the tokens
 */
RcTokenSet *
rc_provider_exchange_code_finish (RcProvider    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * rc_provider_refresh_async:
 * @self: a #RcProvider
 * @tokens: the tokens to refresh; they must hold a refresh token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Trades the refresh token for a new access token.  The result keeps the
 * old refresh token when the server sends no new one (RFC 6749 section 6);
 * a rotated one replaces it, and the caller must store it before use.
 */
void
rc_provider_refresh_async (RcProvider          *self,
                           RcTokenSet          *tokens,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) form = form_new ();

  g_return_if_fail (RC_IS_PROVIDER (self));
  g_return_if_fail (tokens != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_provider_refresh_async);
  g_task_set_task_data (task, rc_token_set_ref (tokens), (GDestroyNotify) rc_token_set_unref);

  if (rc_token_set_get_refresh_token (tokens) == NULL)
    {
      g_task_return_new_error (task, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                               _("There is no refresh token to renew this sign-in with"));
      return;
    }

  g_hash_table_insert (form, "grant_type", g_strdup ("refresh_token"));
  g_hash_table_insert (form, "refresh_token", g_strdup (rc_token_set_get_refresh_token (tokens)));
  g_hash_table_insert (form, "client_id", g_strdup (priv->client_id));
  rc_provider_post_form_async (self, priv->token_endpoint, "token", form, cancellable,
                               on_tokens, g_steal_pointer (&task));
}

/**
 * rc_provider_refresh_finish:
 *
 * Returns: (transfer full): the renewed tokens
 */
RcTokenSet *
rc_provider_refresh_finish (RcProvider    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_boolean_request (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = g_task_propagate_pointer (G_TASK (result), &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * rc_provider_revoke_async:
 * @self: a #RcProvider
 * @tokens: the tokens to revoke
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Revokes the refresh token (or else the access token) at the provider
 * (RFC 7009).  Whatever the answer, the caller forgets the tokens: the
 * result only says whether the provider confirmed.
 */
void
rc_provider_revoke_async (RcProvider          *self,
                          RcTokenSet          *tokens,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) form = form_new ();
  g_autoptr(SoupMessage) msg = NULL;
  gboolean refresh;

  g_return_if_fail (RC_IS_PROVIDER (self));
  g_return_if_fail (tokens != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_provider_revoke_async);

  if (priv->revocation_endpoint == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("This provider offers no way to end a sign-in from here; it was forgotten on this computer only"));
      return;
    }

  refresh = rc_token_set_get_refresh_token (tokens) != NULL;
  g_hash_table_insert (form, "token", g_strdup (refresh ? rc_token_set_get_refresh_token (tokens)
                                                        : rc_token_set_get_access_token (tokens)));
  g_hash_table_insert (form, "token_type_hint", g_strdup (refresh ? "refresh_token" : "access_token"));
  g_hash_table_insert (form, "client_id", g_strdup (priv->client_id));
  msg = rc_http_form_message (priv->revocation_endpoint, form);
  request_json_async (self, msg, "revocation", FALSE, cancellable, rc_provider_revoke_async,
                      on_boolean_request, g_steal_pointer (&task));
}

gboolean
rc_provider_revoke_finish (RcProvider    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_object_request (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = g_task_propagate_pointer (G_TASK (result), &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else if (!JSON_NODE_HOLDS_OBJECT (node))
    g_task_return_new_error (task, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                             _("The server did not answer in the expected format"));
  else
    g_task_return_pointer (task, json_object_ref (json_node_get_object (node)), (GDestroyNotify) json_object_unref);
}

void
rc_provider_fetch_userinfo_async (RcProvider          *self,
                                  RcTokenSet          *tokens,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (RC_IS_PROVIDER (self));
  g_return_if_fail (tokens != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_provider_fetch_userinfo_async);
  msg = bearer_get (priv->userinfo_endpoint, tokens);
  request_json_async (self, msg, "userinfo", TRUE, cancellable, rc_provider_fetch_userinfo_async,
                      on_object_request, g_steal_pointer (&task));
}

/**
 * rc_provider_dup_userinfo_user:
 * @info: a userinfo answer (or an ID token's claims)
 *
 * The name to show for the signed-in user: the first of
 * `preferred_username`, `email`, `upn` and `name` that is a non-empty
 * string, made safe to print (no control character, at most
 * %RC_PROVIDER_MAX_USER characters).
 *
 * Returns: (transfer full) (nullable): the name, or %NULL
 */
char *
rc_provider_dup_userinfo_user (JsonObject *info)
{
  static const char * const members[] = { "preferred_username", "email", "upn", "name" };

  g_return_val_if_fail (info != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = rc_json_get_string (info, members[i]);

      if (value != NULL && *value != '\0')
        return rc_text_printable (value, RC_PROVIDER_MAX_USER, RC_TEXT_ONE_LINE);
    }
  return NULL;
}

/**
 * rc_provider_fetch_userinfo_finish:
 *
 * Returns: (transfer full): the user's claims
 */
JsonObject *
rc_provider_fetch_userinfo_finish (RcProvider    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * rc_provider_probe_async:
 * @self: a #RcProvider
 * @tokens: the tokens to try
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * One cheap authenticated request that tells whether the session is alive:
 * a Salesforce REST call, the Dataverse WhoAmI, or userinfo.
 */
void
rc_provider_probe_async (RcProvider          *self,
                         RcTokenSet          *tokens,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (RC_IS_PROVIDER (self));
  g_return_if_fail (tokens != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_provider_probe_async);
  url = RC_PROVIDER_GET_CLASS (self)->dup_probe_url (self, tokens);
  msg = bearer_get (url, tokens);
  request_json_async (self, msg, "probe", FALSE, cancellable, rc_provider_probe_async,
                      on_boolean_request, g_steal_pointer (&task));
}

gboolean
rc_provider_probe_finish (RcProvider    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rc_provider_introspect_async (RcProvider          *self,
                              RcTokenSet          *tokens,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RcProviderPrivate *priv = rc_provider_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) form = form_new ();
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (RC_IS_PROVIDER (self));
  g_return_if_fail (tokens != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_provider_introspect_async);
  g_hash_table_insert (form, "token", g_strdup (rc_token_set_get_access_token (tokens)));
  g_hash_table_insert (form, "token_type_hint", g_strdup ("access_token"));
  g_hash_table_insert (form, "client_id", g_strdup (priv->client_id));
  msg = priv->introspection_endpoint ? rc_http_form_message (priv->introspection_endpoint, form) : NULL;
  request_json_async (self, msg, "introspection", TRUE, cancellable, rc_provider_introspect_async,
                      on_object_request, g_steal_pointer (&task));
}

/**
 * rc_provider_introspect_finish:
 *
 * Returns: (transfer full): the introspection answer (RFC 7662)
 */
JsonObject *
rc_provider_introspect_finish (RcProvider    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
