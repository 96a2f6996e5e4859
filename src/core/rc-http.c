/* rc-http.c: one HTTP exchange with a provider, bounded and classified
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every call is async and has a time limit (the session's), reads at most
 * RC_HTTP_MAX_BODY bytes, goes through the system proxy settings (the
 * session's default resolver) and verifies TLS (libsoup's default, never
 * switched off).  Failures come back as RC_OAUTH_ERROR carrying an
 * RcProtocolError, so the classifier sees every detail.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-http.h"
#include "rc-json.h"
#include "rc-protocol-error.h"

#define CHUNK_SIZE 16384

typedef struct
{
  SoupMessage *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  char         *endpoint;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data->endpoint);
  g_free (data);
}

/**
 * rc_http_session_new:
 *
 * A session for talking to providers: the system proxy settings, TLS
 * verified against the system's trust store, a time limit on every read and
 * write, and a user agent that says who is asking.
 *
 * Returns: (transfer full): a new #SoupSession
 */
SoupSession *
rc_http_session_new (void)
{
  return soup_session_new_with_options ("timeout", RC_HTTP_TIMEOUT_SECONDS,
                                        "user-agent", "Reconnect/" PACKAGE_VERSION " ",
                                        NULL);
}

/**
 * rc_http_check_url:
 * @url: an endpoint
 * @error: return location for a #GError
 *
 * Plain http is accepted only for loopback hosts (the simulator and local
 * test servers); every other endpoint must be https.
 *
 * Returns: %TRUE if Reconnect may talk to @url
 */
gboolean
rc_http_check_url (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                   _("“%s” is not a web address"), url ? url : "");
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") || g_str_equal (host, "[::1]")))
    return TRUE;

  g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_INSECURE_URL,
               _("“%s” does not use a secure connection (https)"), url);
  return FALSE;
}

/**
 * rc_http_dup_without_slash:
 * @url: (nullable): an address
 *
 * Returns: (transfer full) (nullable): @url without one trailing slash, so
 *   paths can be appended to a base the user typed either way
 */
char *
rc_http_dup_without_slash (const char *url)
{
  gsize len = url ? strlen (url) : 0;

  return len > 0 && url[len - 1] == '/' ? g_strndup (url, len - 1) : g_strdup (url);
}

/**
 * rc_http_form_message:
 * @url: where to post
 * @form: (element-type utf8 utf8): the fields
 *
 * Returns: (transfer full): a POST of @form, asking for JSON back
 */
SoupMessage *
rc_http_form_message (const char *url,
                      GHashTable *form)
{
  SoupMessage *msg = soup_message_new_from_encoded_form ("POST", url, soup_form_encode_hash (form));

  if (msg != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  return msg;
}

static GError *
transport_error (const char   *endpoint,
                 const GError *error)
{
  g_autoptr(RcProtocolError) protocol = rc_protocol_error_new_from_transport (endpoint, error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  return rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_TRANSPORT, error->message);
}

static void on_read (GObject *source, GAsyncResult *result, gpointer user_data);

static void
read_more (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_read, task);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  RcHttpReply *reply;
  SoupMessageHeaders *headers;
  GDateTime *date;

  if (chunk == NULL)
    {
      g_task_return_error (task, transport_error (data->endpoint, error));
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (data->buffer->len + g_bytes_get_size (chunk) > RC_HTTP_MAX_BODY)
        {
          g_task_return_new_error (task, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                                   _("The server’s answer was larger than %u KiB"), RC_HTTP_MAX_BODY / 1024);
          return;
        }
      g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      read_more (g_steal_pointer (&task));
      return;
    }

  headers = soup_message_get_response_headers (data->msg);
  reply = g_new0 (RcHttpReply, 1);
  reply->status = soup_message_get_status (data->msg);
  reply->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  reply->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  date = soup_message_headers_get_one (headers, "Date")
    ? soup_date_time_new_from_http_string (soup_message_headers_get_one (headers, "Date"))
    : NULL;
  if (date != NULL)
    {
      reply->server_date = g_date_time_to_unix (date);
      g_date_time_unref (date);
    }

  g_task_return_pointer (task, reply, (GDestroyNotify) rc_http_reply_free);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      g_task_return_error (task, transport_error (data->endpoint, error));
      return;
    }

  data->buffer = g_byte_array_new ();
  read_more (g_steal_pointer (&task));
}

/**
 * rc_http_send_async:
 * @session: the session
 * @msg: the request
 * @endpoint: a short name of the endpoint for errors ("token", "userinfo")
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the whole answer is in, or on failure
 * @user_data: data for @callback
 *
 * Sends @msg and reads its answer, whatever its status.
 */
void
rc_http_send_async (SoupSession         *session,
                    SoupMessage         *msg,
                    const char          *endpoint,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_http_send_async);
  data = g_new0 (SendData, 1);
  data->msg = g_object_ref (msg);
  data->endpoint = g_strdup (endpoint);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, cancellable, on_sent, g_steal_pointer (&task));
}

/**
 * rc_http_send_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the answer, or %NULL on a transport failure
 */
RcHttpReply *
rc_http_send_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rc_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
rc_http_reply_is_json (const RcHttpReply *reply)
{
  g_autofree char *type = NULL;
  char *semicolon;

  if (reply->content_type == NULL)
    return FALSE;

  type = g_ascii_strdown (reply->content_type, -1);
  if ((semicolon = strchr (type, ';')) != NULL)
    *semicolon = '\0';
  g_strstrip (type);
  return g_str_equal (type, "application/json") || g_str_has_suffix (type, "+json");
}

static GError *
malformed (const RcHttpReply *reply,
           const char        *endpoint,
           const char        *what)
{
  g_autoptr(RcProtocolError) protocol = rc_protocol_error_new_from_response_full (endpoint, reply->status,
                                                                                  reply->content_type,
                                                                                  reply->body, reply->server_date,
                                                                                  reply->retry_after);

  return rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_MALFORMED, what);
}

/**
 * rc_http_reply_parse_json:
 * @reply: a successful answer
 * @endpoint: the endpoint's short name
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the JSON of @reply, or %NULL if it is not JSON
 */
JsonNode *
rc_http_reply_parse_json (const RcHttpReply  *reply,
                          const char         *endpoint,
                          GError            **error)
{
  JsonNode *node;
  gsize size;
  const char *data;

  if (!rc_http_reply_is_json (reply))
    {
      g_propagate_error (error, malformed (reply, endpoint, _("The server did not answer in the expected format")));
      return NULL;
    }

  /* Depth-limited: the body is outside input. */
  data = g_bytes_get_data (reply->body, &size);
  node = size > 0 ? rc_json_parse (data, size, NULL) : NULL;
  if (node == NULL)
    {
      g_propagate_error (error, malformed (reply, endpoint, _("The server’s answer was cut short or garbled")));
      return NULL;
    }

  return node;
}

/**
 * rc_http_reply_to_error:
 * @reply: an answer that is not a success
 * @endpoint: the endpoint's short name
 *
 * Returns: (transfer full): an RC_OAUTH_ERROR carrying what the server said
 */
GError *
rc_http_reply_to_error (const RcHttpReply *reply,
                        const char        *endpoint)
{
  g_autoptr(RcProtocolError) protocol = rc_protocol_error_new_from_response_full (endpoint, reply->status,
                                                                                  reply->content_type,
                                                                                  reply->body, reply->server_date,
                                                                                  reply->retry_after);
  const char *what = rc_protocol_error_get_error (protocol);
  const char *api = rc_protocol_error_get_api_error_code (protocol);
  g_autofree char *message = NULL;

  if (what != NULL || api != NULL)
    {
      message = g_strdup_printf (_("The server refused: %s"), what ? what : api);
      return rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_REJECTED, message);
    }

  message = g_strdup_printf (_("The server answered with HTTP status %u"), reply->status);
  return rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_HTTP, message);
}

void
rc_http_reply_free (RcHttpReply *reply)
{
  if (reply == NULL)
    return;

  g_free (reply->content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply->retry_after);
  g_free (reply);
}
