/* rc-http.c: one HTTP exchange with a provider, bounded and classified
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every call is async and has two time limits: the session's on each read
 * and write, and a deadline on the whole exchange (a server that drips a
 * byte every few seconds never trips the first).  It reads at most
 * RC_HTTP_MAX_BODY bytes, follows no redirect (a redirect is an answer, to
 * be judged by the caller: each hop would otherwise need the https rule),
 * goes through the system proxy settings (the session's default resolver)
 * and verifies TLS (libsoup's default, never switched off).  Failures come
 * back as RC_OAUTH_ERROR carrying an RcProtocolError, so the classifier
 * sees every detail.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-http.h"
#include "rc-json.h"
#include "rc-protocol-error.h"
#include "rc-text.h"

#define CHUNK_SIZE 16384

#define DEADLINE_KEY "rc-http-deadline"

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  char         *endpoint;

  /* Cancelled by the caller's cancellable or by the deadline. */
  GCancellable *cancellable;
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *deadline;
  guint         deadline_seconds;
  gboolean      timed_out;
} SendData;

static void
send_data_free (SendData *data)
{
  if (data->deadline != NULL)
    {
      g_source_destroy (data->deadline);
      g_source_unref (data->deadline);
    }
  if (data->caller != NULL)
    {
      g_cancellable_disconnect (data->caller, data->caller_handler);
      g_object_unref (data->caller);
    }
  g_clear_object (&data->cancellable);
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
 * rc_http_session_set_deadline:
 * @session: a session from rc_http_session_new()
 * @seconds: the longest a whole exchange may take, 0 for
 *   %RC_HTTP_DEADLINE_SECONDS
 *
 * Sets the deadline of every later rc_http_send_async() on @session.
 */
void
rc_http_session_set_deadline (SoupSession *session,
                              guint        seconds)
{
  g_return_if_fail (SOUP_IS_SESSION (session));

  g_object_set_data (G_OBJECT (session), DEADLINE_KEY, GUINT_TO_POINTER (seconds));
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
      /* @url may come from a server: shown safe, and not at any length. */
      g_autofree char *shown = rc_text_printable (url, 200, RC_TEXT_ONE_LINE);

      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED, _("“%s” is not a web address"), shown);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") || g_str_equal (host, "[::1]")))
    return TRUE;

  {
    g_autofree char *shown = rc_text_printable (url, 200, RC_TEXT_ONE_LINE);

    g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_INSECURE_URL,
                 _("“%s” does not use a secure connection (https)"), shown);
  }
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
transport_error (SendData     *data,
                 const GError *error)
{
  g_autoptr(RcProtocolError) protocol = NULL;
  g_autoptr(GError) timed_out = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && data->timed_out)
    {
      timed_out = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               g_dngettext (GETTEXT_PACKAGE, "The server did not finish answering within %u second",
                                            "The server did not finish answering within %u seconds",
                                            data->deadline_seconds),
                               data->deadline_seconds);
      error = timed_out;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  protocol = rc_protocol_error_new_from_transport (data->endpoint, error);
  return rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_TRANSPORT, error->message);
}

static RcHttpReply *
reply_new (SendData *data,
           gboolean  truncated)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  RcHttpReply *reply = g_new0 (RcHttpReply, 1);
  GDateTime *date;

  reply->status = soup_message_get_status (data->msg);
  reply->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  reply->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));
  reply->truncated = truncated;
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  date = soup_message_headers_get_one (headers, "Date")
    ? soup_date_time_new_from_http_string (soup_message_headers_get_one (headers, "Date"))
    : NULL;
  if (date != NULL)
    {
      reply->server_date = g_date_time_to_unix (date);
      g_date_time_unref (date);
    }
  return reply;
}

static void on_read (GObject *source, GAsyncResult *result, gpointer user_data);

static void
read_more (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->cancellable, on_read, task);
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

  if (chunk == NULL)
    {
      g_task_return_error (task, transport_error (data, error));
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      gsize room = RC_HTTP_MAX_BODY - data->buffer->len;
      gsize size = g_bytes_get_size (chunk);

      g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), MIN (size, room));
      /* Too long: the status and the start are answer enough (a 500
       * page of megabytes is still an outage). */
      if (size > room)
        {
          g_task_return_pointer (task, reply_new (data, TRUE), (GDestroyNotify) rc_http_reply_free);
          return;
        }
      read_more (g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, reply_new (data, FALSE), (GDestroyNotify) rc_http_reply_free);
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
      g_task_return_error (task, transport_error (data, error));
      return;
    }

  data->buffer = g_byte_array_new ();
  read_more (g_steal_pointer (&task));
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
on_deadline (gpointer user_data)
{
  SendData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  g_clear_pointer (&data->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
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
 * Sends @msg and reads its answer, whatever its status: a redirect is
 * not followed but returned.  The whole exchange ends within the session's
 * deadline (see rc_http_session_set_deadline()), as a
 * %RC_OAUTH_ERROR_TRANSPORT carrying %G_IO_ERROR_TIMED_OUT.
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
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                    data->cancellable, NULL);
    }
  data->deadline_seconds = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (session), DEADLINE_KEY));
  if (data->deadline_seconds == 0)
    data->deadline_seconds = RC_HTTP_DEADLINE_SECONDS;
  data->deadline = g_timeout_source_new_seconds (data->deadline_seconds);
  g_source_set_callback (data->deadline, on_deadline, data, NULL);
  g_source_set_static_name (data->deadline, "[reconnect] HTTP deadline");
  g_source_attach (data->deadline, g_task_get_context (task));

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, data->cancellable, on_sent, g_steal_pointer (&task));
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

/* The media type of @reply, lower case and without parameters; "" if it
 * gave none. */
static char *
reply_media_type (const RcHttpReply *reply)
{
  char *type = g_ascii_strdown (reply->content_type ? reply->content_type : "", -1);
  char *semicolon;

  if ((semicolon = strchr (type, ';')) != NULL)
    *semicolon = '\0';
  return g_strstrip (type);
}

gboolean
rc_http_reply_is_json (const RcHttpReply *reply)
{
  g_autofree char *type = reply_media_type (reply);

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
 * rc_http_reply_check_not_page:
 * @reply: a successful answer whose body is not read
 * @endpoint: the endpoint's short name
 * @error: return location for a #GError
 *
 * A probe or a revocation needs no body, but a web page in its place is
 * not the server's answer: a hotspot or a filter answered instead.
 *
 * Returns: %FALSE, with a %RC_OAUTH_ERROR_MALFORMED carrying the answer,
 *   if @reply is an HTML page
 */
gboolean
rc_http_reply_check_not_page (const RcHttpReply  *reply,
                              const char         *endpoint,
                              GError            **error)
{
  g_autofree char *type = reply_media_type (reply);

  if (!g_str_equal (type, "text/html"))
    return TRUE;

  g_propagate_error (error, malformed (reply, endpoint, _("A web page answered in place of the server")));
  return FALSE;
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

  if (reply->truncated)
    {
      g_autofree char *limit = g_format_size_full (RC_HTTP_MAX_BODY, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *what = g_strdup_printf (_("The server’s answer was larger than %s"), limit);

      g_propagate_error (error, malformed (reply, endpoint, what));
      return NULL;
    }
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

  if (SOUP_STATUS_IS_REDIRECTION (reply->status))
    message = g_strdup_printf (_("The server sent Reconnect to another address instead of answering "
                                 "(HTTP status %u)"), reply->status);
  else
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
