/* rc-token-set.c: one account's tokens, immutable and ref-counted
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A token set comes from a token endpoint's answer or from the keyring, and
 * both are read as outside input: every member's type is checked, tokens
 * must be printable ASCII (RFC 6749 Appendix A: 1*VSCHAR, so no line break
 * can reach a header), URLs must be https (or http to loopback).  Errors
 * name the field and never quote a value, and the only form of a token
 * meant for logs is rc_token_set_dup_fingerprint().
 */

#include "config.h"

#include <errno.h>
#include <sys/prctl.h>

#include <math.h>
#include <string.h>

#include "rc-json.h"
#include "rc-protocol-error.h"
#include "rc-token-set.h"

#define STORED_VERSION 1

/* Longer than any real lifetime: an expires_in above it is not a lifetime. */
#define MAX_EXPIRES_IN G_MAXINT32

struct _RcTokenSet
{
  gatomicrefcount   ref_count;

  char             *access_token;
  char             *refresh_token;
  char             *id_token;
  gint64            issued_at;
  gint64            expires_at;
  char            **scopes;
  char             *instance_url;
  char             *identity_url;
};

G_DEFINE_BOXED_TYPE (RcTokenSet, rc_token_set, rc_token_set_ref, rc_token_set_unref)

/**
 * rc_secret_free:
 * @secret: (nullable): a string that holds a token, or a JSON text with one
 *
 * Overwrites @secret before its memory goes back to the allocator (the
 * volatile store keeps the compiler from dropping the writes), so a core
 * dump or a later allocation does not find it.
 */
void
rc_secret_free (char *secret)
{
  volatile char *p = secret;

  if (secret == NULL)
    return;

  while (*p != '\0')
    *p++ = '\0';

  g_free (secret);
}

/**
 * rc_secret_protect_process:
 *
 * For the processes that hold tokens (the window, every command): no core
 * dump and no ptrace attach by other processes of the same user, so a
 * crash report or a debugger does not carry the tokens in memory off.  The
 * kernel's prctl(PR_SET_DUMPABLE, 0) does both.  A developer who needs a
 * core file sets RECONNECT_DUMPABLE=1.
 */
void
rc_secret_protect_process (void)
{
  if (g_strcmp0 (g_getenv ("RECONNECT_DUMPABLE"), "1") == 0)
    return;
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_debug ("Could not make the process undumpable: %s", g_strerror (errno));
}

static char *
dup_nonempty (const char *str)
{
  return str != NULL && *str != '\0' ? g_strdup (str) : NULL;
}

static char **
dup_scopes (const char * const *scopes)
{
  GPtrArray *array = g_ptr_array_new ();

  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    {
      if (*scopes[i] != '\0')
        g_ptr_array_add (array, g_strdup (scopes[i]));
    }
  g_ptr_array_add (array, NULL);

  return (char **) g_ptr_array_free (array, FALSE);
}

static gboolean
is_token_value (const char *str)
{
  if (str == NULL || *str == '\0')
    return FALSE;

  for (const char *p = str; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_url (const char  *url,
           const char  *field,
           const char  *source,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (g_utf8_validate (url, -1, NULL))
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  host = uri ? g_uri_get_host (uri) : NULL;
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                   "%s: “%s” is not a URL", source, field);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1")))
    return TRUE;

  g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_INSECURE_URL,
               "%s: “%s” is not an https URL", source, field);
  return FALSE;
}

static void
set_malformed (GError     **error,
               const char  *source,
               const char  *field,
               const char  *what)
{
  g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED, "%s: “%s” %s", source, field, what);
}

/* The string member @field of @object, or NULL when it is absent or null;
 * FALSE when it is there but not a string. */
static gboolean
optional_string (JsonObject   *object,
                 const char   *field,
                 const char   *source,
                 const char  **out,
                 GError      **error)
{
  JsonNode *node = json_object_get_member (object, field);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_malformed (error, source, field, "is not a string");
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
optional_token (JsonObject   *object,
                const char   *field,
                const char   *source,
                const char  **out,
                GError      **error)
{
  if (!optional_string (object, field, source, out, error))
    return FALSE;

  if (*out != NULL && **out == '\0')
    *out = NULL;

  if (*out != NULL && !is_token_value (*out))
    {
      *out = NULL;
      set_malformed (error, source, field, "has characters a token cannot have");
      return FALSE;
    }

  return TRUE;
}

static gboolean
optional_url (JsonObject   *object,
              const char   *field,
              const char   *source,
              const char  **out,
              GError      **error)
{
  if (!optional_string (object, field, source, out, error))
    return FALSE;

  if (*out != NULL && **out == '\0')
    *out = NULL;

  if (*out != NULL && !check_url (*out, field, source, error))
    {
      *out = NULL;
      return FALSE;
    }

  return TRUE;
}


static char **
split_scope (const char *scope)
{
  g_auto(GStrv) parts = g_strsplit (scope ? scope : "", " ", -1);

  return dup_scopes ((const char * const *) parts);
}

static RcTokenSet *
token_set_new_take (char   *access_token,
                    char   *refresh_token,
                    char   *id_token,
                    gint64  issued_at,
                    gint64  expires_at,
                    char  **scopes,
                    char   *instance_url,
                    char   *identity_url)
{
  RcTokenSet *self = g_new0 (RcTokenSet, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->access_token = access_token;
  self->refresh_token = refresh_token;
  self->id_token = id_token;
  self->issued_at = issued_at;
  self->expires_at = expires_at;
  self->scopes = scopes;
  self->instance_url = instance_url;
  self->identity_url = identity_url;

  return self;
}

/**
 * rc_token_set_new:
 * @access_token: the access token
 * @refresh_token: (nullable): the refresh token
 * @id_token: (nullable): the OpenID Connect ID token
 * @issued_at: unix seconds, or 0 if unknown
 * @expires_at: unix seconds, or 0 if unknown
 * @scopes: (nullable) (array zero-terminated=1): the granted scopes
 * @instance_url: (nullable): where the API lives (Salesforce)
 * @identity_url: (nullable): the identity URL (Salesforce's `id`)
 *
 * Empty strings count as absent.
 *
 * Returns: (transfer full): a new #RcTokenSet
 */
RcTokenSet *
rc_token_set_new (const char         *access_token,
                  const char         *refresh_token,
                  const char         *id_token,
                  gint64              issued_at,
                  gint64              expires_at,
                  const char * const *scopes,
                  const char         *instance_url,
                  const char         *identity_url)
{
  g_return_val_if_fail (access_token != NULL && *access_token != '\0', NULL);
  g_return_val_if_fail (issued_at >= 0, NULL);
  g_return_val_if_fail (expires_at >= 0, NULL);

  return token_set_new_take (g_strdup (access_token),
                             dup_nonempty (refresh_token),
                             dup_nonempty (id_token),
                             issued_at, expires_at,
                             dup_scopes (scopes),
                             dup_nonempty (instance_url),
                             dup_nonempty (identity_url));
}

/**
 * rc_token_set_new_from_response:
 * @response: the JSON of a token endpoint's success answer
 * @now: the current time in unix seconds
 * @error: return location for a #GError in %RC_OAUTH_ERROR
 *
 * Reads RFC 6749 §5.1 and its dialects: `access_token` (required),
 * `token_type` (Bearer, if present), `expires_in` (seconds, as a number or a
 * string), `refresh_token`, `id_token`, `scope` (space-separated), and
 * Salesforce's `instance_url`, `id` (the identity URL) and `issued_at`
 * (milliseconds since the epoch, as a string).  Salesforce sends no
 * `expires_in`, so its expiry stays unknown (0).
 *
 * Returns: (transfer full): a new #RcTokenSet, or %NULL with
 *   %RC_OAUTH_ERROR_MALFORMED (or %RC_OAUTH_ERROR_INSECURE_URL for a URL
 *   that is not https) naming the field at fault
 */
RcTokenSet *
rc_token_set_new_from_response (JsonNode  *response,
                                gint64     now,
                                GError   **error)
{
  static const char source[] = "Token response";
  const char *access_token, *refresh_token, *id_token, *token_type, *scope;
  const char *instance_url, *identity_url;
  JsonObject *object;
  JsonNode *node;
  gint64 issued_at = now;
  gint64 expires_at = 0;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (now >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (response))
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED, "%s is not a JSON object", source);
      return NULL;
    }
  object = json_node_get_object (response);

  if (!optional_token (object, "access_token", source, &access_token, error) ||
      !optional_token (object, "refresh_token", source, &refresh_token, error) ||
      !optional_token (object, "id_token", source, &id_token, error) ||
      !optional_string (object, "token_type", source, &token_type, error) ||
      !optional_string (object, "scope", source, &scope, error) ||
      !optional_url (object, "instance_url", source, &instance_url, error) ||
      !optional_url (object, "id", source, &identity_url, error))
    return NULL;

  if (access_token == NULL)
    {
      set_malformed (error, source, "access_token", "is missing");
      return NULL;
    }

  if (token_type != NULL && g_ascii_strcasecmp (token_type, "Bearer") != 0)
    {
      set_malformed (error, source, "token_type", "is not Bearer");
      return NULL;
    }

  if (scope != NULL && !g_utf8_validate (scope, -1, NULL))
    {
      set_malformed (error, source, "scope", "is not UTF-8");
      return NULL;
    }

  if ((node = json_object_get_member (object, "expires_in")) != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      gint64 expires_in;

      if (!rc_json_node_get_integer (node, 1, MAX_EXPIRES_IN, &expires_in))
        {
          set_malformed (error, source, "expires_in", "is not a positive number of seconds");
          return NULL;
        }
      expires_at = now <= G_MAXINT64 - expires_in ? now + expires_in : G_MAXINT64;
    }

  if ((node = json_object_get_member (object, "issued_at")) != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      gint64 issued_at_ms;

      if (!rc_json_node_get_integer (node, 0, G_MAXINT64, &issued_at_ms))
        {
          set_malformed (error, source, "issued_at", "is not milliseconds since the epoch");
          return NULL;
        }
      if (issued_at_ms >= 1000)
        issued_at = issued_at_ms / 1000;
    }

  return token_set_new_take (g_strdup (access_token),
                             g_strdup (refresh_token),
                             g_strdup (id_token),
                             issued_at, expires_at,
                             split_scope (scope),
                             g_strdup (instance_url),
                             g_strdup (identity_url));
}

static gboolean
stored_timestamp (JsonObject  *object,
                  const char  *field,
                  const char  *source,
                  gint64      *out,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  *out = 0;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    {
      set_malformed (error, source, field, "is not a time");
      return FALSE;
    }

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
stored_scopes (JsonObject   *object,
               const char   *source,
               char       ***out,
               GError      **error)
{
  JsonNode *node = json_object_get_member (object, "scopes");
  g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;
  guint length;

  *out = NULL;
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          set_malformed (error, source, "scopes", "is not a list");
          return FALSE;
        }

      array = json_node_get_array (node);
      length = json_array_get_length (array);
      for (guint i = 0; i < length; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *scope;

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
              (scope = json_node_get_string (element)) == NULL || *scope == '\0' ||
              !g_utf8_validate (scope, -1, NULL))
            {
              set_malformed (error, source, "scopes", "is not a list of scopes");
              return FALSE;
            }
          g_ptr_array_add (scopes, g_strdup (scope));
        }
    }

  g_ptr_array_add (scopes, NULL);
  *out = (char **) g_ptr_array_steal (scopes, NULL);
  return TRUE;
}

/**
 * rc_token_set_new_from_json:
 * @json: what rc_token_set_to_json() made, as stored in the keyring
 * @error: return location for a #GError in %RC_OAUTH_ERROR
 *
 * Returns: (transfer full): the token set, or %NULL with
 *   %RC_OAUTH_ERROR_MALFORMED if @json is damaged or of a version this
 *   build does not know
 */
RcTokenSet *
rc_token_set_new_from_json (const char  *json,
                            GError     **error)
{
  static const char source[] = "Stored tokens";
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) scopes = NULL;
  const char *access_token, *refresh_token, *id_token, *instance_url, *identity_url;
  JsonObject *object;
  JsonNode *version;
  gint64 issued_at, expires_at;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = rc_json_parse (json, strlen (json), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED, "%s are not a JSON object", source);
      return NULL;
    }
  object = json_node_get_object (root);

  version = json_object_get_member (object, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) != STORED_VERSION)
    {
      set_malformed (error, source, "version", "is not a version this build reads");
      return NULL;
    }

  if (!optional_token (object, "access_token", source, &access_token, error) ||
      !optional_token (object, "refresh_token", source, &refresh_token, error) ||
      !optional_token (object, "id_token", source, &id_token, error) ||
      !optional_url (object, "instance_url", source, &instance_url, error) ||
      !optional_url (object, "identity_url", source, &identity_url, error) ||
      !stored_timestamp (object, "issued_at", source, &issued_at, error) ||
      !stored_timestamp (object, "expires_at", source, &expires_at, error) ||
      !stored_scopes (object, source, &scopes, error))
    return NULL;

  if (access_token == NULL)
    {
      set_malformed (error, source, "access_token", "is missing");
      return NULL;
    }

  return token_set_new_take (g_strdup (access_token),
                             g_strdup (refresh_token),
                             g_strdup (id_token),
                             issued_at, expires_at,
                             g_steal_pointer (&scopes),
                             g_strdup (instance_url),
                             g_strdup (identity_url));
}

/**
 * rc_token_set_refreshed:
 * @self: the tokens a refresh started from
 * @fresh: what the refresh returned
 *
 * A refresh answer may leave out what did not change (RFC 6749 §6: no new
 * refresh token means the old one stays valid; §5.1: no scope means the
 * scope is unchanged), so the result takes @fresh's values and falls back
 * to @self's refresh token, ID token, scopes, instance and identity URLs.
 * The times are @fresh's: the old expiry says nothing about the new token.
 *
 * Returns: (transfer full): a new #RcTokenSet
 */
RcTokenSet *
rc_token_set_refreshed (RcTokenSet *self,
                        RcTokenSet *fresh)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (fresh != NULL, NULL);

  return token_set_new_take (g_strdup (fresh->access_token),
                             g_strdup (fresh->refresh_token ? fresh->refresh_token : self->refresh_token),
                             g_strdup (fresh->id_token ? fresh->id_token : self->id_token),
                             fresh->issued_at, fresh->expires_at,
                             g_strdupv (fresh->scopes[0] != NULL ? fresh->scopes : self->scopes),
                             g_strdup (fresh->instance_url ? fresh->instance_url : self->instance_url),
                             g_strdup (fresh->identity_url ? fresh->identity_url : self->identity_url));
}

RcTokenSet *
rc_token_set_ref (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
rc_token_set_unref (RcTokenSet *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  rc_secret_free (self->access_token);
  rc_secret_free (self->refresh_token);
  rc_secret_free (self->id_token);
  g_strfreev (self->scopes);
  g_free (self->instance_url);
  g_free (self->identity_url);
  g_free (self);
}

const char *
rc_token_set_get_access_token (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->access_token;
}

const char *
rc_token_set_get_refresh_token (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->refresh_token;
}

const char *
rc_token_set_get_id_token (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id_token;
}

/**
 * rc_token_set_get_issued_at:
 * @self: a #RcTokenSet
 *
 * Returns: when the tokens were issued, in unix seconds, or 0 if unknown
 */
gint64
rc_token_set_get_issued_at (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->issued_at;
}

/**
 * rc_token_set_get_expires_at:
 * @self: a #RcTokenSet
 *
 * Returns: when the access token expires, in unix seconds, or 0 if unknown
 */
gint64
rc_token_set_get_expires_at (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->expires_at;
}

/**
 * rc_token_set_get_scopes:
 * @self: a #RcTokenSet
 *
 * Returns: (transfer none) (array zero-terminated=1): the granted scopes,
 *   empty when the server did not say
 */
const char * const *
rc_token_set_get_scopes (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->scopes;
}

const char *
rc_token_set_get_instance_url (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->instance_url;
}

const char *
rc_token_set_get_identity_url (RcTokenSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->identity_url;
}

/**
 * rc_token_set_expires_within:
 * @self: a #RcTokenSet
 * @now: the current time in unix seconds
 * @seconds: how far ahead to look
 *
 * Returns: %TRUE if the access token is known to expire at most @seconds
 *   after @now (or has expired); %FALSE if it will not, or if its expiry is
 *   unknown
 */
gboolean
rc_token_set_expires_within (RcTokenSet *self,
                             gint64      now,
                             gint64      seconds)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (now >= 0, FALSE);

  if (self->expires_at == 0)
    return FALSE;

  if (self->expires_at <= now)
    return TRUE;

  return self->expires_at - now <= seconds;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/**
 * rc_token_set_to_json:
 * @self: a #RcTokenSet
 *
 * The form stored in the keyring, read back by rc_token_set_new_from_json():
 * `{"version":1,"access_token":…,"issued_at":…,"expires_at":…,"scopes":[…],…}`.
 * It holds the tokens: it belongs in the keyring and nowhere else.
 *
 * Returns: (transfer full): the JSON text
 */
char *
rc_token_set_to_json (RcTokenSet *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STORED_VERSION);
  add_string_member (builder, "access_token", self->access_token);
  add_string_member (builder, "refresh_token", self->refresh_token);
  add_string_member (builder, "id_token", self->id_token);
  json_builder_set_member_name (builder, "issued_at");
  json_builder_add_int_value (builder, self->issued_at);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, self->expires_at);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; self->scopes[i] != NULL; i++)
    json_builder_add_string_value (builder, self->scopes[i]);
  json_builder_end_array (builder);
  add_string_member (builder, "instance_url", self->instance_url);
  add_string_member (builder, "identity_url", self->identity_url);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static char *
token_fingerprint (const char *token)
{
  g_autofree char *digest = NULL;

  if (token == NULL)
    return g_strdup ("none");

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  return g_strndup (digest, 8);
}

/**
 * rc_token_set_dup_fingerprint:
 * @self: a #RcTokenSet
 *
 * What a log may say about these tokens: the first 8 hex digits of the
 * SHA-256 of each, enough to tell two apart and nothing of the token
 * itself, as in "access 1a2b3c4d, refresh 5e6f7a8b, id none".
 *
 * Returns: (transfer full): the fingerprint
 */
char *
rc_token_set_dup_fingerprint (RcTokenSet *self)
{
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  access = token_fingerprint (self->access_token);
  refresh = token_fingerprint (self->refresh_token);
  id = token_fingerprint (self->id_token);

  return g_strdup_printf ("access %s, refresh %s, id %s", access, refresh, id);
}
