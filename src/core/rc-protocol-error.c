/* rc-protocol-error.c: what came back from a server, for the classifier
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here comes from outside: every string is checked for UTF-8 and
 * cut to a bound, every member's type is checked before it is read, and a
 * body is read only up to its GBytes size.  Only the fields the classifier
 * reads are kept, so no token from a body or a redirect ever lands here.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "rc-json.h"
#include "rc-protocol-error.h"
#include "rc-protocol-error-private.h"

#define MAX_STRING_BYTES     1024
#define MAX_ERROR_CODES      16
#define MAX_TEXT_CODE_BYTES  64
#define MAX_RETRY_AFTER      (7 * 24 * 60 * 60)

struct _RcProtocolError
{
  gatomicrefcount  ref_count;

  char            *endpoint;
  guint            http_status;
  char            *error;
  char            *description;
  gint64          *error_codes;
  guint            n_error_codes;
  char            *suberror;
  char            *claims;
  char            *trace_id;
  char            *correlation_id;
  char            *api_error_code;
  char            *api_message;
  GError          *transport_error;
  gint64           server_date;
  gint64           retry_after;
  char            *media_type;
};

G_DEFINE_BOXED_TYPE (RcProtocolError, rc_protocol_error, rc_protocol_error_ref, rc_protocol_error_unref)

/* RC_OAUTH_ERROR is an extended domain: each GError carries a reference to
 * the RcProtocolError it was made from, and g_error_copy()/g_error_free()
 * take and drop that reference. */
typedef struct
{
  RcProtocolError *protocol_error;
} RcOAuthErrorPrivate;

static void
rc_oauth_error_private_init (RcOAuthErrorPrivate *priv)
{
  priv->protocol_error = NULL;
}

static void
rc_oauth_error_private_copy (const RcOAuthErrorPrivate *src,
                             RcOAuthErrorPrivate       *dest)
{
  dest->protocol_error = src->protocol_error ? rc_protocol_error_ref (src->protocol_error) : NULL;
}

static void
rc_oauth_error_private_clear (RcOAuthErrorPrivate *priv)
{
  g_clear_pointer (&priv->protocol_error, rc_protocol_error_unref);
}

G_DEFINE_EXTENDED_ERROR (RcOAuthError, rc_oauth_error)

static RcProtocolError *
protocol_error_new (const char *endpoint)
{
  RcProtocolError *self = g_new0 (RcProtocolError, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->endpoint = g_strdup (endpoint);

  return self;
}

/* A copy of @str that is valid UTF-8, not empty and at most
 * MAX_STRING_BYTES long, cut between two characters; or NULL. */
static char *
bounded_string (const char *str)
{
  gsize len;

  if (str == NULL || *str == '\0')
    return NULL;

  len = strlen (str);
  if (!g_utf8_validate (str, (gssize) len, NULL))
    return NULL;

  if (len > MAX_STRING_BYTES)
    {
      len = MAX_STRING_BYTES;
      while (len > 0 && ((guchar) str[len] & 0xc0) == 0x80)
        len--;
    }

  return g_strndup (str, len);
}

static char *
dup_rc_json_get_string (JsonObject *object,
                   const char *name)
{
  return bounded_string (rc_json_get_string (object, name));
}

/* Entra's error_codes: integers only; anything else in the array is skipped. */
static void
take_error_codes (RcProtocolError *self,
                  JsonObject      *object)
{
  JsonNode *node = json_object_get_member (object, "error_codes");
  JsonArray *array;
  guint length;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  for (guint i = 0; i < length && self->n_error_codes < MAX_ERROR_CODES; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_INT64)
        continue;

      if (self->error_codes == NULL)
        self->error_codes = g_new0 (gint64, MAX_ERROR_CODES);
      self->error_codes[self->n_error_codes++] = json_node_get_int (element);
    }
}

/* {"code":"…","message":"…"}: OData (Dataverse) inside "error", and each
 * element of a Salesforce REST error array. */
static void
take_api_error (RcProtocolError *self,
                JsonNode        *node,
                const char      *code_member)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  object = json_node_get_object (node);
  self->api_error_code = dup_rc_json_get_string (object, code_member);
  self->api_message = dup_rc_json_get_string (object, "message");
}

static void
take_json_body (RcProtocolError *self,
                const char      *data,
                gsize            size)
{
  g_autoptr(JsonNode) root = rc_json_parse (data, size, NULL);

  if (root == NULL)
    return;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *error = json_object_get_member (object, "error");

      if (error != NULL && JSON_NODE_HOLDS_OBJECT (error))
        take_api_error (self, error, "code");
      else
        self->error = dup_rc_json_get_string (object, "error");

      self->description = dup_rc_json_get_string (object, "error_description");
      self->suberror = dup_rc_json_get_string (object, "suberror");
      self->claims = dup_rc_json_get_string (object, "claims");
      self->trace_id = dup_rc_json_get_string (object, "trace_id");
      self->correlation_id = dup_rc_json_get_string (object, "correlation_id");
      take_error_codes (self, object);
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      if (json_array_get_length (array) > 0)
        take_api_error (self, json_array_get_element (array, 0), "errorCode");
    }
}

/* Salesforce's identity endpoints answer 403 text/plain "Bad_OAuth_Token":
 * one word of letters, digits and underscores, with at least one underscore
 * so that a plain-text sentence or page never reads as a code. */
static void
take_text_body (RcProtocolError *self,
                const char      *data,
                gsize            size)
{
  gsize start = 0;
  gsize end = size;
  gboolean underscore = FALSE;

  while (start < end && g_ascii_isspace (data[start]))
    start++;
  while (end > start && g_ascii_isspace (data[end - 1]))
    end--;

  if (end == start || end - start > MAX_TEXT_CODE_BYTES || !g_ascii_isalpha (data[start]))
    return;

  for (gsize i = start; i < end; i++)
    {
      if (data[i] == '_')
        underscore = TRUE;
      else if (!g_ascii_isalnum (data[i]))
        return;
    }

  if (underscore)
    self->api_error_code = g_strndup (data + start, end - start);
}

/* The media type of @content_type, lower case, without parameters. */
static char *
media_type (const char *content_type)
{
  g_autofree char *type = NULL;
  const char *semicolon;

  if (content_type == NULL)
    return g_strdup ("");

  semicolon = strchr (content_type, ';');
  type = semicolon ? g_strndup (content_type, semicolon - content_type) : g_strdup (content_type);

  return g_strstrip (g_ascii_strdown (type, -1));
}

static gboolean
media_type_is_json (const char *type)
{
  const char *slash = strchr (type, '/');
  const char *subtype;

  if (g_str_equal (type, "application/json"))
    return TRUE;

  /* application/problem+json and the like: a type, a subtype, "+json" */
  if (slash == NULL || slash == type)
    return FALSE;

  subtype = slash + 1;
  return strlen (subtype) > strlen ("+json") && g_str_has_suffix (subtype, "+json") &&
         strchr (subtype, '/') == NULL;
}

/* Retry-After is delta-seconds or an HTTP-date; a date is measured from the
 * server's own Date so that a wrong local clock does not matter. */
static gint64
parse_retry_after (const char *value,
                   gint64      server_date)
{
  g_autoptr(GDateTime) date = NULL;
  gint64 seconds = 0;
  const char *p;

  if (value == NULL)
    return 0;

  while (g_ascii_isspace (*value))
    value++;

  for (p = value; g_ascii_isdigit (*p); p++)
    seconds = MIN (seconds * 10 + (*p - '0'), MAX_RETRY_AFTER);

  if (p != value)
    {
      while (g_ascii_isspace (*p))
        p++;
      return *p == '\0' ? seconds : 0;
    }

  if (server_date <= 0 || strlen (value) > 64 || !g_utf8_validate (value, -1, NULL))
    return 0;

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return 0;

  return CLAMP (g_date_time_to_unix (date) - server_date, 0, MAX_RETRY_AFTER);
}

/**
 * rc_protocol_error_new_from_response:
 * @endpoint: the endpoint's short name ("token", "userinfo", …)
 * @http_status: the HTTP status
 * @content_type: (nullable): the Content-Type header
 * @body: (nullable): the body, limited in size by the caller
 * @server_date: the server's Date header in unix seconds, or 0 if unknown
 *
 * Same as rc_protocol_error_new_from_response_full() without a Retry-After.
 *
 * Returns: (transfer full): a new #RcProtocolError
 */
RcProtocolError *
rc_protocol_error_new_from_response (const char *endpoint,
                                     guint       http_status,
                                     const char *content_type,
                                     GBytes     *body,
                                     gint64      server_date)
{
  return rc_protocol_error_new_from_response_full (endpoint, http_status, content_type,
                                                   body, server_date, NULL);
}

/**
 * rc_protocol_error_new_from_response_full:
 * @endpoint: the endpoint's short name ("token", "userinfo", …)
 * @http_status: the HTTP status
 * @content_type: (nullable): the Content-Type header
 * @body: (nullable): the body, limited in size by the caller
 * @server_date: the server's Date header in unix seconds, or 0 if unknown
 * @retry_after: (nullable): the Retry-After header
 *
 * Reads an answer that was not a success.  A JSON body (`application/json`
 * or any `…+json` type) gives the OAuth fields (`error`,
 * `error_description`), Entra's (`error_codes`, `suberror`, `claims`,
 * `trace_id`, `correlation_id`), an OData error object (Dataverse) or the
 * first element of a Salesforce REST error array as the API error.  A
 * plain-text body such as Salesforce's `Bad_OAuth_Token` gives the API error
 * code.  Any other body is not read.
 *
 * Returns: (transfer full): a new #RcProtocolError
 */
RcProtocolError *
rc_protocol_error_new_from_response_full (const char *endpoint,
                                          guint       http_status,
                                          const char *content_type,
                                          GBytes     *body,
                                          gint64      server_date,
                                          const char *retry_after)
{
  RcProtocolError *self = protocol_error_new (endpoint);
  g_autofree char *type = media_type (content_type);
  const char *data = NULL;
  gsize size = 0;

  self->http_status = http_status;
  self->media_type = g_strndup (type, MAX_TEXT_CODE_BYTES);
  self->server_date = MAX (server_date, 0);
  self->retry_after = parse_retry_after (retry_after, server_date);

  if (body != NULL)
    data = g_bytes_get_data (body, &size);

  if (data == NULL || size == 0)
    return self;

  if (media_type_is_json (type))
    take_json_body (self, data, size);
  else if (*type == '\0' || g_str_equal (type, "text/plain"))
    take_text_body (self, data, size);

  return self;
}

/**
 * rc_protocol_error_new_from_transport:
 * @endpoint: the endpoint's short name
 * @error: why no answer came: DNS, refused, reset, TLS, timeout
 *
 * Returns: (transfer full): a new #RcProtocolError holding a copy of @error
 */
RcProtocolError *
rc_protocol_error_new_from_transport (const char   *endpoint,
                                      const GError *error)
{
  RcProtocolError *self;
  g_autofree char *message = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  self = protocol_error_new (endpoint);
  message = g_utf8_make_valid (error->message ? error->message : "", -1);
  /* Only domain, code and message: never the private data of an extended
   * domain, so one protocol error never holds another. */
  self->transport_error = g_error_new_literal (error->domain, error->code, message);

  return self;
}

/**
 * rc_protocol_error_new_from_redirect:
 * @endpoint: the endpoint's short name
 * @query: (element-type utf8 utf8): the decoded query of an OAuth redirect
 *
 * Reads `error`, `error_description` and Entra's `error_subcode` (kept as
 * the suberror) from a redirect that carries an error.
 *
 * Returns: (transfer full): a new #RcProtocolError
 */
RcProtocolError *
rc_protocol_error_new_from_redirect (const char *endpoint,
                                     GHashTable *query)
{
  RcProtocolError *self;

  g_return_val_if_fail (query != NULL, NULL);

  self = protocol_error_new (endpoint);
  self->error = bounded_string (g_hash_table_lookup (query, "error"));
  self->description = bounded_string (g_hash_table_lookup (query, "error_description"));
  self->suberror = bounded_string (g_hash_table_lookup (query, "error_subcode"));

  return self;
}

RcProtocolError *
rc_protocol_error_ref (RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
rc_protocol_error_unref (RcProtocolError *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->endpoint);
  g_free (self->error);
  g_free (self->description);
  g_free (self->error_codes);
  g_free (self->suberror);
  g_free (self->claims);
  g_free (self->trace_id);
  g_free (self->correlation_id);
  g_free (self->api_error_code);
  g_free (self->api_message);
  g_free (self->media_type);
  g_clear_error (&self->transport_error);
  g_free (self);
}

guint
rc_protocol_error_get_ref_count (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) g_atomic_int_get (&self->ref_count);
}

const char *
rc_protocol_error_get_endpoint (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->endpoint;
}

/**
 * rc_protocol_error_get_http_status:
 * @self: a #RcProtocolError
 *
 * Returns: the HTTP status, or 0 if no answer came
 */
guint
rc_protocol_error_get_http_status (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->http_status;
}

const char *
rc_protocol_error_get_error (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->error;
}

const char *
rc_protocol_error_get_description (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->description;
}

/**
 * rc_protocol_error_get_error_codes:
 * @self: a #RcProtocolError
 * @n_codes: (out) (optional): how many codes there are
 *
 * Returns: (array length=n_codes) (nullable): Entra's error codes, or %NULL
 */
const gint64 *
rc_protocol_error_get_error_codes (const RcProtocolError *self,
                                   guint                 *n_codes)
{
  if (n_codes != NULL)
    *n_codes = 0;

  g_return_val_if_fail (self != NULL, NULL);

  if (n_codes != NULL)
    *n_codes = self->n_error_codes;

  return self->error_codes;
}

const char *
rc_protocol_error_get_suberror (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->suberror;
}

const char *
rc_protocol_error_get_claims (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->claims;
}

const char *
rc_protocol_error_get_trace_id (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->trace_id;
}

const char *
rc_protocol_error_get_correlation_id (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->correlation_id;
}

const char *
rc_protocol_error_get_api_error_code (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->api_error_code;
}

const char *
rc_protocol_error_get_api_message (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->api_message;
}

/**
 * rc_protocol_error_get_transport_error:
 * @self: a #RcProtocolError
 *
 * Returns: (transfer none) (nullable): why no answer came, or %NULL
 */
const GError *
rc_protocol_error_get_transport_error (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->transport_error;
}

gint64
rc_protocol_error_get_server_date (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->server_date;
}

/**
 * rc_protocol_error_get_retry_after:
 * @self: a #RcProtocolError
 *
 * Returns: how many seconds the server asked to wait, or 0 if it did not say
 */
gint64
rc_protocol_error_get_retry_after (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->retry_after;
}

/**
 * rc_protocol_error_get_media_type:
 *
 * Returns: (nullable): the media type of the answer, lower case and without
 *   parameters ("text/html"), "" when it gave none, %NULL when no answer came
 */
const char *
rc_protocol_error_get_media_type (const RcProtocolError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->media_type;
}

/**
 * rc_protocol_error_to_gerror:
 * @self: a #RcProtocolError
 * @code: what went wrong, for the caller
 * @message: the error's message
 *
 * Returns: (transfer full): a new error in %RC_OAUTH_ERROR that carries a
 *   reference to @self; see rc_oauth_error_get_protocol_error()
 */
GError *
rc_protocol_error_to_gerror (RcProtocolError  *self,
                             RcOAuthErrorEnum  code,
                             const char       *message)
{
  GError *error;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  error = g_error_new_literal (RC_OAUTH_ERROR, code, message);
  rc_oauth_error_get_private (error)->protocol_error = rc_protocol_error_ref (self);

  return error;
}

/**
 * rc_oauth_error_get_protocol_error:
 * @error: (nullable): an error
 *
 * Returns: (transfer none) (nullable): what the server said, if @error is in
 *   %RC_OAUTH_ERROR and carries it
 */
RcProtocolError *
rc_oauth_error_get_protocol_error (const GError *error)
{
  if (error == NULL || error->domain != RC_OAUTH_ERROR)
    return NULL;

  return rc_oauth_error_get_private (error)->protocol_error;
}
