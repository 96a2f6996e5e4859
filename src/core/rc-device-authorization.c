/* rc-device-authorization.c: sign in with a code on another device
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 8628 and its two dialects: Salesforce starts at the token endpoint and
 * polls with grant_type=device and code=; Entra adds authorization_declined
 * and a message.  Polling honours the interval, adds five seconds on
 * slow_down and stops on expired_token, access_denied and
 * authorization_declined, or when the code's lifetime is over.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-device-authorization.h"
#include "rc-http.h"
#include "rc-json.h"
#include "rc-protocol-error.h"

#define DEFAULT_INTERVAL   5
#define DEFAULT_EXPIRES_IN 600
#define MAX_EXPIRES_IN     (60 * 60)

struct _RcDeviceAuthorization
{
  GObject     parent_instance;

  RcProvider *provider;
  char       *device_code;
  char       *user_code;
  char       *verification_uri;
  char       *verification_uri_complete;
  guint       expires_in;
  guint       interval;
  gint64      deadline;   /* monotonic, microseconds */
};

G_DEFINE_FINAL_TYPE (RcDeviceAuthorization, rc_device_authorization, G_TYPE_OBJECT)

/* A non-empty string member in UTF-8 (a lone surrogate escape decodes to
 * bytes that are not), or NULL: the user code is shown and read aloud. */
static const char *
text_member (JsonObject *object,
             const char *name)
{
  const char *value = rc_json_get_string (object, name);

  return value != NULL && *value != '\0' && g_utf8_validate (value, -1, NULL) ? value : NULL;
}

static gint64
int_member (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  return node != NULL && rc_json_node_get_integer (node, 0, G_MAXINT32, &value) ? value : fallback;
}

/**
 * rc_device_authorization_apply_reply:
 * @self: a #RcDeviceAuthorization
 * @node: the device authorization endpoint's answer, as parsed
 * @error: return location for a #GError
 *
 * Takes the codes, the address (https, or loopback) and the times of
 * @reply (RFC 8628 section 3.2), the times bounded.
 *
 * Returns: %TRUE if @reply was a usable answer
 */
gboolean
rc_device_authorization_apply_reply (RcDeviceAuthorization  *self,
                                     JsonNode               *node,
                                     GError                **error)
{
  JsonObject *object;
  const char *uri;

  g_return_val_if_fail (RC_IS_DEVICE_AUTHORIZATION (self), FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  uri = object ? text_member (object, "verification_uri") : NULL;
  if (uri == NULL && object != NULL)
    uri = text_member (object, "verification_url");   /* an older draft's name, still in use */
  if (object == NULL || text_member (object, "device_code") == NULL ||
      text_member (object, "user_code") == NULL || uri == NULL || !rc_http_check_url (uri, NULL))
    {
      g_set_error_literal (error, RC_OAUTH_ERROR, RC_OAUTH_ERROR_MALFORMED,
                           _("The provider’s answer lacks the code or the address to enter it at"));
      return FALSE;
    }

  g_free (self->device_code);
  self->device_code = g_strdup (text_member (object, "device_code"));
  g_free (self->user_code);
  self->user_code = g_strdup (text_member (object, "user_code"));
  g_free (self->verification_uri);
  self->verification_uri = g_strdup (uri);
  g_free (self->verification_uri_complete);
  self->verification_uri_complete = g_strdup (text_member (object, "verification_uri_complete"));
  if (self->verification_uri_complete != NULL && !rc_http_check_url (self->verification_uri_complete, NULL))
    g_clear_pointer (&self->verification_uri_complete, g_free);
  self->expires_in = CLAMP (int_member (object, "expires_in", DEFAULT_EXPIRES_IN), 1, MAX_EXPIRES_IN);
  self->interval = CLAMP (int_member (object, "interval", DEFAULT_INTERVAL), 1, 60);
  self->deadline = g_get_monotonic_time () + (gint64) self->expires_in * G_USEC_PER_SEC;

  return TRUE;
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcDeviceAuthorization *self = g_task_get_source_object (task);
  g_autoptr(RcHttpReply) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  reply = rc_http_send_finish (result, &error);
  if (reply != NULL && !SOUP_STATUS_IS_SUCCESSFUL (reply->status))
    error = rc_http_reply_to_error (reply, "device");
  else if (reply != NULL)
    node = rc_http_reply_parse_json (reply, "device", &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!rc_device_authorization_apply_reply (self, node, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * rc_device_authorization_start_async:
 * @self: a #RcDeviceAuthorization
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the code is known
 * @user_data: data for @callback
 *
 * Asks the provider for a code.  Once it finishes, the user code and the
 * address to enter it at are known; then call
 * rc_device_authorization_wait_async().
 */
void
rc_device_authorization_start_async (RcDeviceAuthorization *self,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (RC_IS_DEVICE_AUTHORIZATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_device_authorization_start_async);

  msg = RC_PROVIDER_GET_CLASS (self->provider)->device_start_message (self->provider);
  if (msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("This provider does not offer sign-in with a code"));
      return;
    }

  rc_http_send_async (rc_provider_get_session (self->provider), msg, "device", cancellable,
                      on_started, g_steal_pointer (&task));
}

gboolean
rc_device_authorization_start_finish (RcDeviceAuthorization  *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void poll_later (GTask *task);

static void
on_polled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcDeviceAuthorization *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  RcProtocolError *protocol;
  const char *code;
  RcTokenSet *tokens;

  node = rc_provider_post_form_finish (RC_PROVIDER (source), result, &error);
  if (node != NULL)
    {
      tokens = rc_token_set_new_from_response (node, g_get_real_time () / G_USEC_PER_SEC, &error);
      if (tokens == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, tokens, (GDestroyNotify) rc_token_set_unref);
      return;
    }

  protocol = rc_oauth_error_get_protocol_error (error);
  code = protocol ? rc_protocol_error_get_error (protocol) : NULL;

  if (g_strcmp0 (code, "authorization_pending") == 0)
    poll_later (g_steal_pointer (&task));
  else if (g_strcmp0 (code, "slow_down") == 0)
    {
      self->interval += 5;
      poll_later (g_steal_pointer (&task));
    }
  else if (g_strcmp0 (code, "expired_token") == 0)
    g_task_return_error (task, rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_EXPIRED,
                                                            _("The code expired before it was entered")));
  else if (g_strcmp0 (code, "access_denied") == 0 || g_strcmp0 (code, "authorization_declined") == 0)
    g_task_return_error (task, rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_DENIED,
                                                            _("The sign-in was declined")));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
on_poll_time (gpointer user_data)
{
  GTask *task = user_data;
  RcDeviceAuthorization *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) form = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  if (g_get_monotonic_time () >= self->deadline)
    {
      g_task_return_new_error (task, RC_OAUTH_ERROR, RC_OAUTH_ERROR_EXPIRED,
                               _("The code expired before it was entered"));
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  form = RC_PROVIDER_GET_CLASS (self->provider)->device_poll_form (self->provider, self->device_code);
  rc_provider_post_form_async (self->provider, rc_provider_get_token_endpoint (self->provider), "token",
                               form, g_task_get_cancellable (task), on_polled, task);
  return G_SOURCE_REMOVE;
}

static void
poll_later (GTask *task)
{
  RcDeviceAuthorization *self = g_task_get_source_object (task);

  g_timeout_add_seconds (self->interval, on_poll_time, task);
}

/**
 * rc_device_authorization_wait_async:
 * @self: a started #RcDeviceAuthorization
 * @cancellable: (nullable): a #GCancellable, checked before each poll
 * @callback: called with the tokens or an error
 * @user_data: data for @callback
 *
 * Polls the token endpoint until the user has entered the code, declined,
 * or the code expired.
 */
void
rc_device_authorization_wait_async (RcDeviceAuthorization *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  GTask *task;

  g_return_if_fail (RC_IS_DEVICE_AUTHORIZATION (self));
  g_return_if_fail (self->device_code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_device_authorization_wait_async);
  poll_later (task);
}

/**
 * rc_device_authorization_wait_finish:
 *
 * Returns: (transfer full): the tokens of the new sign-in
 */
RcTokenSet *
rc_device_authorization_wait_finish (RcDeviceAuthorization  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rc_device_authorization_finalize (GObject *object)
{
  RcDeviceAuthorization *self = RC_DEVICE_AUTHORIZATION (object);

  g_clear_object (&self->provider);
  g_free (self->device_code);
  g_free (self->user_code);
  g_free (self->verification_uri);
  g_free (self->verification_uri_complete);

  G_OBJECT_CLASS (rc_device_authorization_parent_class)->finalize (object);
}

static void
rc_device_authorization_class_init (RcDeviceAuthorizationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_device_authorization_finalize;
}

static void
rc_device_authorization_init (RcDeviceAuthorization *self)
{
  self->interval = DEFAULT_INTERVAL;
}

RcDeviceAuthorization *
rc_device_authorization_new (RcProvider *provider)
{
  RcDeviceAuthorization *self;

  g_return_val_if_fail (RC_IS_PROVIDER (provider), NULL);

  self = g_object_new (RC_TYPE_DEVICE_AUTHORIZATION, NULL);
  self->provider = g_object_ref (provider);
  return self;
}

const char *
rc_device_authorization_get_user_code (RcDeviceAuthorization *self)
{
  g_return_val_if_fail (RC_IS_DEVICE_AUTHORIZATION (self), NULL);
  return self->user_code;
}

const char *
rc_device_authorization_get_verification_uri (RcDeviceAuthorization *self)
{
  g_return_val_if_fail (RC_IS_DEVICE_AUTHORIZATION (self), NULL);
  return self->verification_uri;
}

const char *
rc_device_authorization_get_verification_uri_complete (RcDeviceAuthorization *self)
{
  g_return_val_if_fail (RC_IS_DEVICE_AUTHORIZATION (self), NULL);
  return self->verification_uri_complete;
}

guint
rc_device_authorization_get_expires_in (RcDeviceAuthorization *self)
{
  g_return_val_if_fail (RC_IS_DEVICE_AUTHORIZATION (self), 0);
  return self->expires_in;
}

guint
rc_device_authorization_get_interval (RcDeviceAuthorization *self)
{
  g_return_val_if_fail (RC_IS_DEVICE_AUTHORIZATION (self), 0);
  return self->interval;
}
