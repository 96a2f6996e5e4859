/* rc-authorization.c: one sign-in through the system browser
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 8252 (native apps), RFC 7636 (PKCE, S256 only), RFC 9207 (iss) and
 * RFC 9700 (security BCP): the browser comes back to a listener bound to
 * 127.0.0.1 only, on an ephemeral port or on the fixed port the provider
 * needs; the redirect must carry our CSPRNG state on our path for this
 * provider, and the issuer when the server names one.  The listener takes
 * one good redirect and stops accepting; anything else learns nothing.
 */

#include "config.h"

#include <errno.h>
#include <sys/random.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "rc-authorization.h"
#include "rc-protocol-error.h"
#include "rc-text.h"

struct _RcAuthorization
{
  GObject          parent_instance;

  RcProvider      *provider;
  RcUriLauncher    launcher;
  gpointer         launcher_data;
  GDestroyNotify   launcher_destroy;
  guint            timeout_seconds;

  /* One run at a time. */
  GTask           *task;
  SoupServer      *server;
  GSocketService  *service;
  char            *redirect_path;
  char            *redirect_uri;
  char            *uri;
  char            *state;
  char            *verifier;
  guint            timeout_id;
  GSource         *cancel_source;
  gboolean         redirected;
};

G_DEFINE_FINAL_TYPE (RcAuthorization, rc_authorization, G_TYPE_OBJECT)

static const char page_done[] =
  "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reconnect</title>"
  "<style>body{font-family:Cantarell,sans-serif;margin:4rem auto;max-width:30rem;text-align:center}"
  "@media (prefers-color-scheme:dark){body{background:#242424;color:#fff}}</style></head>"
  "<body><h1>%s</h1><p>%s</p></body></html>";

/**
 * rc_authorization_random_string:
 * @n_bytes: how many random bytes
 *
 * Random bytes from the kernel's CSPRNG, base64url without padding: for
 * the PKCE verifier (32 bytes give 43 characters) and the state.
 *
 * Returns: (transfer full): the string
 */
char *
rc_authorization_random_string (guint n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  gsize done = 0;
  char *encoded;

  while (done < n_bytes)
    {
      gssize got = getrandom (bytes + done, n_bytes - done, 0);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        g_error ("No random numbers from the kernel: %s", g_strerror (errno));
      done += got;
    }

  encoded = g_base64_encode (bytes, n_bytes);
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  if (strchr (encoded, '=') != NULL)
    *strchr (encoded, '=') = '\0';
  return encoded;
}

/**
 * rc_authorization_pkce_challenge:
 * @verifier: a PKCE code verifier
 *
 * Returns: (transfer full): the S256 code challenge of @verifier:
 *   base64url (SHA-256 (verifier)), unpadded (RFC 7636 section 4.2)
 */
char *
rc_authorization_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  char *encoded;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &len);
  encoded = g_base64_encode (digest, len);
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  if (strchr (encoded, '=') != NULL)
    *strchr (encoded, '=') = '\0';
  return encoded;
}

/* Compares without an early exit, so timing says nothing about the state. */
static gboolean
secure_equal (const char *a,
              const char *b)
{
  gsize len_a = a ? strlen (a) : 0;
  gsize len_b = b ? strlen (b) : 0;
  guint8 diff = len_a != len_b;

  if (a == NULL || b == NULL)
    return FALSE;
  for (gsize i = 0; i < len_a && i < len_b; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];
  return diff == 0;
}

static void
stop_listening (RcAuthorization *self)
{
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
}

static void
drop_server (RcAuthorization *self)
{
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
}

/* The listener stops taking connections at once; the server itself stays
 * until the next run or disposal, so the page it is sending the browser
 * ("You can close this tab", or what went wrong) arrives whole.  Requests
 * on a connection that is still open find no run and get a 404. */
static void
finish_run (RcAuthorization *self)
{
  stop_listening (self);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancel_source != NULL)
    g_source_destroy (self->cancel_source);
  g_clear_pointer (&self->cancel_source, g_source_unref);
  g_clear_pointer (&self->verifier, g_free);
  g_clear_pointer (&self->state, g_free);
}

static void
fail_run (RcAuthorization *self,
          GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  finish_run (self);
  if (task != NULL)
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

static void
on_exchanged (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RcAuthorization) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  RcTokenSet *tokens;
  GError *error = NULL;

  tokens = rc_provider_exchange_code_finish (RC_PROVIDER (source), result, &error);
  finish_run (self);
  if (task == NULL)
    g_clear_pointer (&tokens, rc_token_set_unref);
  else if (tokens == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) rc_token_set_unref);
}

static void
respond_page (SoupServerMessage *msg,
              guint              status,
              const char        *title,
              const char        *text)
{
  g_autofree char *title_html = g_markup_escape_text (title, -1);
  g_autofree char *text_html = g_markup_escape_text (text, -1);
  g_autofree char *page = g_strdup_printf (page_done, title_html, text_html);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Referrer-Policy", "no-referrer");
  soup_server_message_set_response (msg, "text/html;charset=utf-8", SOUP_MEMORY_COPY, page, strlen (page));
}

/**
 * rc_authorization_judge_redirect:
 * @expected: what the run under way expects
 * @path: the path of the request that reached the loopback listener
 * @method: its method
 * @query: (nullable) (element-type utf8 utf8): its decoded query
 * @code: (out) (transfer none): the authorization code, for %RC_REDIRECT_CODE
 * @error: return location for why the sign-in ended, for
 *   %RC_REDIRECT_WRONG_ISSUER and %RC_REDIRECT_ERROR
 *
 * Judges one request to the loopback listener (RFC 8252 section 7.3):
 * only a GET on the redirect path with the run's `state` (compared in
 * constant time) counts; then the issuer (RFC 9207 `iss`, required where
 * the server advertises it), then the error or the code.
 *
 * Returns: the verdict
 */
RcRedirectVerdict
rc_authorization_judge_redirect (const RcRedirectExpected  *expected,
                                 const char                *path,
                                 const char                *method,
                                 GHashTable                *query,
                                 const char               **code,
                                 GError                   **error)
{
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *iss = query ? g_hash_table_lookup (query, "iss") : NULL;
  const char *oauth_error = query ? g_hash_table_lookup (query, "error") : NULL;
  const char *found = query ? g_hash_table_lookup (query, "code") : NULL;

  *code = NULL;

  if (g_strcmp0 (path, expected->path) != 0 || g_strcmp0 (method, "GET") != 0)
    return RC_REDIRECT_NOT_OURS;
  if (!secure_equal (state, expected->state))
    return RC_REDIRECT_FOREIGN_STATE;

  if (iss != NULL ? g_strcmp0 (iss, expected->issuer) != 0 : expected->requires_iss)
    {
      /* From the browser's address bar: any bytes at all. */
      g_autofree char *shown = rc_text_printable (iss, 200, RC_TEXT_ONE_LINE);

      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_ISSUER_MISMATCH,
                   _("The sign-in answer came from “%s”, not from “%s”"), shown, expected->issuer);
      return RC_REDIRECT_WRONG_ISSUER;
    }

  if (oauth_error != NULL || found == NULL)
    {
      g_autoptr(RcProtocolError) protocol = rc_protocol_error_new_from_redirect ("authorize", query);
      gboolean denied = g_strcmp0 (oauth_error, "access_denied") == 0;

      g_propagate_error (error, rc_protocol_error_to_gerror (protocol,
                                                             denied ? RC_OAUTH_ERROR_DENIED : RC_OAUTH_ERROR_REJECTED,
                                                             denied ? _("The sign-in was declined")
                                                                    : _("The provider refused the sign-in")));
      return RC_REDIRECT_ERROR;
    }
  *code = found;
  return RC_REDIRECT_CODE;
}

static void
on_redirect (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  RcAuthorization *self = user_data;
  RcRedirectExpected expected = {
    self->redirect_path, self->state, rc_provider_get_issuer (self->provider),
    rc_provider_get_requires_iss (self->provider),
  };
  g_autofree char *verifier = NULL;
  GError *error = NULL;
  const char *code;

  /* Only the one redirect, for the run under way. */
  if (self->task == NULL || self->redirected)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  switch (rc_authorization_judge_redirect (&expected, path, soup_server_message_get_method (msg), query,
                                           &code, &error))
    {
    case RC_REDIRECT_NOT_OURS:
      soup_server_message_set_status (msg, 404, NULL);
      return;

    case RC_REDIRECT_FOREIGN_STATE:
      g_debug ("Loopback redirect with an unknown state ignored");
      respond_page (msg, 400, _("This Sign-In Is Not Reconnect’s"),
                    _("This page did not come from the sign-in Reconnect started. You can close this tab."));
      return;

    case RC_REDIRECT_WRONG_ISSUER:
      self->redirected = TRUE;
      stop_listening (self);
      respond_page (msg, 400, _("Sign-In Stopped"),
                    _("The answer came from another server than the one you signed in to. Return to Reconnect."));
      fail_run (self, error);
      return;

    case RC_REDIRECT_ERROR:
      self->redirected = TRUE;
      stop_listening (self);
      respond_page (msg, 200, g_error_matches (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_DENIED)
                                ? _("Sign-In Cancelled") : _("Sign-In Failed"),
                    _("Return to Reconnect to see what happened and what to try next."));
      fail_run (self, error);
      return;

    case RC_REDIRECT_CODE:
      break;
    }

  self->redirected = TRUE;
  stop_listening (self);
  respond_page (msg, 200, _("You’re Signed In"), _("You can close this tab and return to Reconnect."));
  verifier = g_steal_pointer (&self->verifier);
  rc_provider_exchange_code_async (self->provider, code, self->redirect_uri, verifier,
                                   g_task_get_cancellable (self->task), on_exchanged, g_object_ref (self));
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  RcAuthorization *self = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  if (self->server != NULL)
    soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, NULL);
  return TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  RcAuthorization *self = user_data;

  self->timeout_id = 0;
  fail_run (self, g_error_new (RC_OAUTH_ERROR, RC_OAUTH_ERROR_TIMED_OUT,
                               _("The sign-in was not finished within %u minutes"),
                               MAX (1, self->timeout_seconds / 60)));
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  RcAuthorization *self = user_data;
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  fail_run (self, error);
  return G_SOURCE_REMOVE;
}

/* Binds the loopback listener: 127.0.0.1 only, on the redirect's port or an
 * ephemeral one when the redirect names none. */
static gboolean
listen_for_redirect (RcAuthorization  *self,
                     GError          **error)
{
  g_autoptr(GUri) configured = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *redirect = rc_provider_get_redirect_uri (self->provider);
  const char *host;
  int port;

  configured = redirect ? g_uri_parse (redirect, G_URI_FLAGS_NONE, NULL) : NULL;
  host = configured ? g_uri_get_host (configured) : NULL;
  if (configured == NULL || g_strcmp0 (g_uri_get_scheme (configured), "http") != 0 ||
      (g_strcmp0 (host, "127.0.0.1") != 0 && g_strcmp0 (host, "localhost") != 0))
    {
      g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                   _("The redirect address “%s” is not a loopback address such as http://127.0.0.1/callback"),
                   redirect ? redirect : "");
      return FALSE;
    }

  port = g_uri_get_port (configured);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port > 0 ? port : 0);
  self->service = g_socket_service_new ();
  g_signal_connect_object (self->service, "incoming", G_CALLBACK (on_incoming), self, 0);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, &local_error))
    {
      stop_listening (self);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_PORT_BUSY,
                     _("Another program uses port %d on this computer, so the browser cannot hand the "
                       "sign-in back to Reconnect. Close that program, or sign in with a code instead."),
                     port);
      else
        g_set_error (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_PORT_BUSY,
                     _("Reconnect could not wait for the browser on this computer: %s"), local_error->message);
      return FALSE;
    }

  g_free (self->redirect_path);
  self->redirect_path = g_strdup (*g_uri_get_path (configured) ? g_uri_get_path (configured) : "/");
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup_printf ("http://%s:%u%s", host,
                                        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                                        self->redirect_path);

  drop_server (self);
  self->server = soup_server_new ("server-header", "Reconnect", NULL);
  soup_server_add_handler (self->server, NULL, on_redirect, self, NULL);
  g_socket_service_start (self->service);
  return TRUE;
}

static char *
build_authorize_uri (RcAuthorization *self)
{
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *challenge = rc_authorization_pkce_challenge (self->verifier);
  g_autofree char *query = NULL;
  const char *endpoint = rc_provider_get_authorization_endpoint (self->provider);

  g_hash_table_insert (params, "response_type", "code");
  g_hash_table_insert (params, "client_id", (gpointer) rc_provider_get_client_id (self->provider));
  g_hash_table_insert (params, "redirect_uri", self->redirect_uri);
  g_hash_table_insert (params, "scope", (gpointer) rc_provider_get_scope (self->provider));
  g_hash_table_insert (params, "state", self->state);
  g_hash_table_insert (params, "code_challenge", challenge);
  g_hash_table_insert (params, "code_challenge_method", "S256");
  query = soup_form_encode_hash (params);

  return g_strconcat (endpoint, strchr (endpoint, '?') ? "&" : "?", query, NULL);
}

/* Without a launcher of the caller's, the desktop's default handler opens
 * the page (through the OpenURI portal in a sandbox).  If nothing can, the
 * caller still has the address (rc_authorization_get_uri) to offer. */
static void
on_default_launched (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_debug ("No browser could be opened for the sign-in: %s", error->message);
}

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RcAuthorization) self = user_data;
  GError *error = NULL;

  if (self->task == NULL)
    return;

  if (!rc_provider_resolve_finish (RC_PROVIDER (source), result, &error) ||
      !listen_for_redirect (self, &error))
    {
      fail_run (self, error);
      return;
    }

  self->verifier = rc_authorization_random_string (32);
  self->state = rc_authorization_random_string (32);
  g_free (self->uri);
  self->uri = build_authorize_uri (self);

  self->timeout_id = g_timeout_add_seconds (self->timeout_seconds, on_timeout, self);
  if (self->launcher != NULL)
    self->launcher (self->uri, self->launcher_data);
  else
    g_app_info_launch_default_for_uri_async (self->uri, NULL, NULL, on_default_launched, NULL);
}

static void
rc_authorization_dispose (GObject *object)
{
  RcAuthorization *self = RC_AUTHORIZATION (object);

  finish_run (self);
  drop_server (self);
  g_clear_object (&self->task);
  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = NULL;
  self->launcher_destroy = NULL;
  g_clear_object (&self->provider);

  G_OBJECT_CLASS (rc_authorization_parent_class)->dispose (object);
}

static void
rc_authorization_finalize (GObject *object)
{
  RcAuthorization *self = RC_AUTHORIZATION (object);

  g_free (self->redirect_path);
  g_free (self->redirect_uri);
  g_free (self->uri);

  G_OBJECT_CLASS (rc_authorization_parent_class)->finalize (object);
}

static void
rc_authorization_class_init (RcAuthorizationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rc_authorization_dispose;
  object_class->finalize = rc_authorization_finalize;
}

static void
rc_authorization_init (RcAuthorization *self)
{
  self->timeout_seconds = RC_AUTHORIZATION_DEFAULT_TIMEOUT;
}

/**
 * rc_authorization_new:
 * @provider: the provider to sign in to
 *
 * Returns: (transfer full): a new sign-in
 */
RcAuthorization *
rc_authorization_new (RcProvider *provider)
{
  RcAuthorization *self;

  g_return_val_if_fail (RC_IS_PROVIDER (provider), NULL);

  self = g_object_new (RC_TYPE_AUTHORIZATION, NULL);
  self->provider = g_object_ref (provider);
  return self;
}

void
rc_authorization_set_launcher (RcAuthorization *self,
                               RcUriLauncher    launcher,
                               gpointer         user_data,
                               GDestroyNotify   destroy)
{
  g_return_if_fail (RC_IS_AUTHORIZATION (self));

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = launcher;
  self->launcher_data = user_data;
  self->launcher_destroy = destroy;
}

void
rc_authorization_set_timeout (RcAuthorization *self,
                              guint            seconds)
{
  g_return_if_fail (RC_IS_AUTHORIZATION (self));
  g_return_if_fail (seconds > 0);

  self->timeout_seconds = seconds;
}

/**
 * rc_authorization_get_uri:
 * @self: a #RcAuthorization
 *
 * The address opened in the browser, once the run has started: for a
 * Copy Link button.  It holds no secret (the PKCE challenge is a hash).
 *
 * Returns: (nullable): the authorization address
 */
const char *
rc_authorization_get_uri (RcAuthorization *self)
{
  g_return_val_if_fail (RC_IS_AUTHORIZATION (self), NULL);

  return self->uri;
}

const char *
rc_authorization_get_redirect_uri (RcAuthorization *self)
{
  g_return_val_if_fail (RC_IS_AUTHORIZATION (self), NULL);

  return self->redirect_uri;
}

/**
 * rc_authorization_run_async:
 * @self: a #RcAuthorization
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tokens or an error
 * @user_data: data for @callback
 *
 * Listens on the loopback interface, opens the browser at the provider's
 * sign-in page, waits for the redirect (at most the timeout) and exchanges
 * the code.
 */
void
rc_authorization_run_async (RcAuthorization     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (RC_IS_AUTHORIZATION (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, rc_authorization_run_async);
  self->redirected = FALSE;

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_cancelled), self, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }

  rc_provider_resolve_async (self->provider, cancellable, on_resolved, g_object_ref (self));
}

/**
 * rc_authorization_run_finish:
 *
 * Returns: (transfer full): the tokens of the new sign-in
 */
RcTokenSet *
rc_authorization_run_finish (RcAuthorization  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
