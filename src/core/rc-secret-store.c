/* rc-secret-store.c: each account's tokens in the keyring, and only there
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only libsecret's secret_password_* calls, which work both with a Secret
 * Service on the session bus and through the Flatpak Secret portal.  One
 * item per account, keyed by account id and format generation, holding the
 * token bundle's JSON.  Reads go through search + retrieve: in libsecret
 * 0.20 secret_password_lookup() leaks each reply it decodes.
 *
 * Those calls share libsecret's default backend once one exists, but each
 * call that starts before then makes its own, with its own session (a
 * Diffie-Hellman exchange): a check of a hundred accounts made a hundred.
 * So the first call waits for the store to open the backend, session
 * included, and the calls that come meanwhile wait with it.  libsecret's
 * SecretService from secret_service_get() is no help: in 0.20.5 the
 * secret_password_* calls never use it, and in the sandbox it is not there.
 *
 * Every call has a time limit, because a keyring prompt that nobody answers
 * never returns.  Failures are RC_SECRET_ERROR with their own codes; there
 * is no fallback to a file, ever.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "rc-credentials-schema.h"
#include "rc-json.h"
#include "rc-secret-store-private.h"

typedef struct _Opening Opening;

struct _RcSecretStore
{
  GObject parent_instance;

  guint    timeout_seconds;
  int      generation;
  guint    failing_saves;

  gboolean opened;    /* libsecret's default backend exists, its session open */
  Opening *opening;   /* while it is being opened */
  GQueue   waiting;   /* GTask: the calls that start once it is */
};

G_DEFINE_FINAL_TYPE (RcSecretStore, rc_secret_store, G_TYPE_OBJECT)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (rc-secret-error-quark, rc_secret_error)

/* One keyring call: its own cancellable, cancelled by the caller's or by
 * the time limit, so the two can be told apart.  At the time limit the call
 * answers at once: libsecret 0.20.5 may never call back when a prompt it
 * waits on is cancelled, and a late answer is then dropped. */
typedef void (*CallStart) (RcSecretStore *self,
                           GTask         *task);

typedef struct
{
  GTask        *task;       /* unowned: the pending libsecret call, or the wait for it, owns it */
  CallStart     start;      /* makes the libsecret call, which takes the task */
  gboolean      answered;
  GCancellable *cancellable;
  GCancellable *caller;
  gulong        caller_id;
  guint         timeout_id;
  gboolean      timed_out;
  char         *key;
  char         *server;
  char         *client_id;
  int           generation;
  char         *secret;
  GList        *items;
} Call;

static void
call_free (Call *call)
{
  if (call->caller_id != 0)
    g_cancellable_disconnect (call->caller, call->caller_id);
  g_clear_object (&call->caller);
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_clear_object (&call->cancellable);
  g_free (call->key);
  g_free (call->server);
  g_free (call->client_id);
  rc_secret_free (call->secret);
  g_list_free_full (call->items, g_object_unref);
  g_free (call);
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static gboolean
on_call_timeout (gpointer user_data)
{
  Call *call = user_data;

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  if (!call->answered)
    {
      call->answered = TRUE;
      g_task_return_new_error (call->task, RC_SECRET_ERROR, RC_SECRET_ERROR_TIMED_OUT,
                               _("The keyring did not answer. If it asks for your password, enter it, then try again."));
    }
  return G_SOURCE_REMOVE;
}

static GTask *
call_new (RcSecretStore         *self,
          const char            *key,
          const RcSecretBinding *binding,
          GCancellable          *cancellable,
          gpointer             source_tag,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  call->task = task;
  call->key = g_strdup (key);
  if (binding != NULL)
    {
      call->server = g_strdup (binding->server);
      call->client_id = g_strdup (binding->client_id);
    }
  call->generation = self->generation;
  call->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      call->caller = g_object_ref (cancellable);
      call->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                               call->cancellable, NULL);
    }
  call->timeout_id = g_timeout_add_seconds (self->timeout_seconds, on_call_timeout, call);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  return task;
}

/* Whether the call already answered (at its time limit); then @error, the
 * late answer's, is dropped. */
static gboolean
call_is_answered (Call   *call,
                  GError *error)
{
  if (!call->answered)
    return FALSE;
  g_clear_error (&error);
  return TRUE;
}

/* The call answers now: the time limit can no longer. */
static void
call_settle (Call *call)
{
  call->answered = TRUE;
  g_clear_handle_id (&call->timeout_id, g_source_remove);
}

/* Turns what libsecret (or D-Bus beneath it) said into one of ours. */
static GError *
translate_error (Call   *call,
                 GError *error)
{
  GError *translated;

  /* libsecret sometimes fails a cancelled or dismissed call without saying why. */
  if (error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The keyring call ended without an answer");

  if (call->timed_out)
    translated = g_error_new (RC_SECRET_ERROR, RC_SECRET_ERROR_TIMED_OUT,
                              _("The keyring did not answer. If it asks for your password, enter it, then try again."));
  else if (call->caller != NULL && g_cancellable_is_cancelled (call->caller))
    return error;   /* the caller's own cancellation: hand it back as it is */
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
    translated = g_error_new (RC_SECRET_ERROR, RC_SECRET_ERROR_LOCKED,
                              _("The keyring is locked. Unlock it (it usually opens with your login password) and try again."));
  else if (error->domain == G_DBUS_ERROR ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    translated = g_error_new (RC_SECRET_ERROR, RC_SECRET_ERROR_NO_SERVICE,
                              _("No keyring is available, so Reconnect cannot keep your sign-in. Install or start "
                                "a keyring such as GNOME Keyring, then try again."));
  else
    translated = g_error_new (RC_SECRET_ERROR, RC_SECRET_ERROR_FAILED,
                              _("The keyring refused to keep the sign-in: %s"), error->message);

  g_debug ("Keyring error %s %d: %s", g_quark_to_string (error->domain), error->code, error->message);
  g_error_free (error);
  return translated;
}

/* ------------------------------------------------------------ opening -- */

/* The one opening of libsecret's default backend: a lookup that matches
 * nothing (no account has an empty id), which makes the backend and its
 * session and has no reply to decode. */
struct _Opening
{
  RcSecretStore *store;
  GCancellable  *cancellable;
  guint          timeout_id;
  gboolean       done;
};

static void
opening_free (Opening *opening)
{
  g_clear_handle_id (&opening->timeout_id, g_source_remove);
  g_clear_object (&opening->cancellable);
  g_clear_object (&opening->store);
  g_free (opening);
}

/* A call that waited may have answered meanwhile, at its time limit or its
 * caller's cancellation; the others make their libsecret call now. */
static void
call_run (RcSecretStore *self,
          GTask         *task)
{
  Call *call = g_task_get_task_data (task);

  if (call->answered)
    {
      g_object_unref (task);
      return;
    }
  if (call->caller != NULL && g_cancellable_is_cancelled (call->caller))
    {
      call_settle (call);
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
      return;
    }
  call->start (self, task);
}

/* Opened or not, the waiting calls go, all at once: if the backend could
 * not be opened, each call finds out why for itself, as it always did. */
static void
opening_finish (Opening  *opening,
                gboolean  opened)
{
  RcSecretStore *self = opening->store;
  GTask *task;

  opening->done = TRUE;
  g_clear_handle_id (&opening->timeout_id, g_source_remove);
  self->opening = NULL;
  self->opened = opened;
  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    call_run (self, task);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Opening *opening = user_data;
  g_autoptr(GError) error = NULL;
  char *nothing;

  nothing = secret_password_lookup_finish (result, &error);
  if (nothing != NULL)
    secret_password_free (nothing);
  if (error != NULL)
    g_debug ("The keyring could not be opened: %s %d: %s", g_quark_to_string (error->domain), error->code,
             error->message);
  if (!opening->done)
    opening_finish (opening, error == NULL);
  opening_free (opening);
}

/* The waiting calls must not wait longer than their own limit allows; the
 * lookup's late answer is then dropped, and the next call opens again. */
static gboolean
on_opening_timeout (gpointer user_data)
{
  Opening *opening = user_data;
  g_autoptr(GCancellable) cancellable = g_object_ref (opening->cancellable);

  opening->timeout_id = 0;
  opening_finish (opening, FALSE);
  g_cancellable_cancel (cancellable);   /* may free @opening */
  return G_SOURCE_REMOVE;
}

/* Starts @task's libsecret call, once libsecret's default backend is open. */
static void
call_start (RcSecretStore *self,
            GTask         *task)
{
  Opening *opening;

  if (self->opened)
    {
      call_run (self, task);
      return;
    }

  g_queue_push_tail (&self->waiting, task);
  if (self->opening != NULL)
    return;

  opening = g_new0 (Opening, 1);
  opening->store = g_object_ref (self);
  opening->cancellable = g_cancellable_new ();
  opening->timeout_id = g_timeout_add_seconds (self->timeout_seconds, on_opening_timeout, opening);
  self->opening = opening;
  secret_password_lookup (rc_credentials_schema_get (), opening->cancellable, on_opened, opening,
                          "account-id", "", "generation", self->generation, NULL);
}

/* -------------------------------------------------------------- calls -- */

/* The item's text: the binding beside the tokens, so that the check before
 * use does not rest on the attributes alone (anyone on the bus may set
 * those). */
static char *
wrap_secret (const char *server,
             const char *client_id,
             RcTokenSet *tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  char *inner = rc_token_set_to_json (tokens);
  gboolean parsed = json_parser_load_from_data (parser, inner, -1, NULL);

  rc_secret_free (inner);
  g_assert (parsed);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, server);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, client_id);
  json_builder_set_member_name (builder, "tokens");
  json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The tokens in @text if it is bound to the call's server and client;
 * %NULL, with @bound FALSE, if it belongs elsewhere. */
static RcTokenSet *
unwrap_secret (Call        *call,
               const char  *text,
               gboolean    *bound,
               GError     **error)
{
  g_autoptr(JsonNode) root = rc_json_parse (text, strlen (text), error);
  JsonObject *object = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *tokens = object ? json_object_get_member (object, "tokens") : NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(RcTokenSet) result = NULL;
  char *inner;

  *bound = TRUE;
  if (object == NULL || tokens == NULL || !JSON_NODE_HOLDS_OBJECT (tokens))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a bound token bundle");
      return NULL;
    }
  if (g_strcmp0 (rc_json_get_string (object, "server"), call->server) != 0 ||
      g_strcmp0 (rc_json_get_string (object, "client_id"), call->client_id) != 0)
    {
      *bound = FALSE;
      return NULL;
    }

  generator = json_generator_new ();
  json_generator_set_root (generator, tokens);
  inner = json_generator_to_data (generator, NULL);
  result = rc_token_set_new_from_json (inner, error);
  rc_secret_free (inner);
  return g_steal_pointer (&result);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcSecretStore *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean stored = secret_password_store_finish (result, &error);

  if (call_is_answered (call, error))
    return;
  call_settle (call);
  if (stored)
    {
      g_signal_emit (self, signals[SAVED], 0, call->key);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, translate_error (call, error));
}

static void
start_store (RcSecretStore *self,
             GTask         *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GUri) uri = g_uri_parse (call->server, G_URI_FLAGS_NONE, NULL);
  g_autofree char *label = NULL;

  /* Translators: the name of the keyring item, as the keyring manager
   * shows it; %s is the server, such as login.salesforce.com. */
  label = g_strdup_printf (_("Reconnect sign-in at %s"),
                           uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : call->server);
  secret_password_store (rc_credentials_schema_get (), SECRET_COLLECTION_DEFAULT, label, call->secret,
                         call->cancellable, on_stored, task,
                         "account-id", call->key, "generation", call->generation,
                         "server", call->server, "client-id", call->client_id, NULL);
}

/**
 * rc_secret_store_save_async:
 * @self: a #RcSecretStore
 * @key: the account's keyring key (rc_account_get_key())
 * @binding: the server and client the tokens came from
 * @tokens: its tokens
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring has the tokens, or failed
 * @user_data: data for @callback
 *
 * Stores @tokens as the account's keyring item for @binding, replacing
 * the old one.
 */
void
rc_secret_store_save_async (RcSecretStore         *self,
                            const char            *key,
                            const RcSecretBinding *binding,
                            RcTokenSet            *tokens,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  GTask *task;
  Call *call;

  g_return_if_fail (RC_IS_SECRET_STORE (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (binding != NULL && binding->server != NULL && binding->client_id != NULL);
  g_return_if_fail (tokens != NULL);

  task = call_new (self, key, binding, cancellable, rc_secret_store_save_async, callback, user_data);
  call = g_task_get_task_data (task);

  if (self->failing_saves > 0)
    {
      self->failing_saves--;
      g_task_return_new_error (task, RC_SECRET_ERROR, RC_SECRET_ERROR_FAILED,
                               _("The keyring refused to keep the sign-in: %s"), "injected failure");
      g_object_unref (task);
      return;
    }

  call->secret = wrap_secret (call->server, call->client_id, tokens);
  call->start = start_store;
  call_start (self, task);
}

gboolean
rc_secret_store_save_finish (RcSecretStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_retrieved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) parse_error = NULL;
  GError *error = NULL;
  RcTokenSet *tokens = NULL;
  gboolean bound = TRUE;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (call_is_answered (call, error))
    return;
  call_settle (call);
  if (value == NULL && (error != NULL || call->timed_out))
    {
      g_task_return_error (task, translate_error (call, error));
      return;
    }

  if (value != NULL && secret_value_get_text (value) != NULL)
    tokens = unwrap_secret (call, secret_value_get_text (value), &bound, &parse_error);
  if (!bound)
    {
      /* Its attributes say one server, its text another: it is not used,
       * and not deleted either (it may be someone's working sign-in). */
      g_message ("Account %s: the saved sign-in belongs to another server or client; it is not used",
                 call->key);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (tokens == NULL)
    {
      g_debug ("Keyring item of account %s unreadable: %s", call->key,
               parse_error ? parse_error->message : "no text");
      g_task_return_new_error (task, RC_SECRET_ERROR, RC_SECRET_ERROR_CORRUPT,
                               _("The saved sign-in could not be read back. Sign in again to replace it."));
      return;
    }

  g_task_return_pointer (task, tokens, (GDestroyNotify) rc_token_set_unref);
}

static void
on_default_collection (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(SecretCollection) collection = NULL;
  GError *error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (call_is_answered (call, error))
    return;
  call_settle (call);
  if (collection != NULL && secret_collection_get_locked (collection))
    {
      g_clear_error (&error);
      g_task_return_error (task, translate_error (call, g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                                                             "The default keyring stays locked")));
      return;
    }
  g_clear_error (&error);
  /* A load found nothing; a delete had nothing left to remove. */
  if (g_task_get_source_tag (task) == rc_secret_store_delete_async)
    g_task_return_boolean (task, FALSE);
  else
    g_task_return_pointer (task, NULL, NULL);
}

/* Nothing found, or nothing unlocked: a keyring that stays locked must not
 * pass for an account with no sign-in, nor for one whose item is gone. */
static void
check_locked (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  secret_collection_for_alias (NULL, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, call->cancellable,
                               on_default_collection, task);
}

/* Whether @item was stored for the call's server and client. */
static gboolean
item_is_bound (Call              *call,
               SecretRetrievable *item)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);

  return attributes != NULL &&
         g_strcmp0 (g_hash_table_lookup (attributes, "server"), call->server) == 0 &&
         g_strcmp0 (g_hash_table_lookup (attributes, "client-id"), call->client_id) == 0;
}

static void
on_searched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;

  call->items = secret_password_search_finish (result, &error);
  if (call_is_answered (call, error))
    return;
  if (error != NULL || call->timed_out)
    {
      call_settle (call);
      g_task_return_error (task, translate_error (call, error));
      return;
    }
  if (call->items == NULL)
    {
      check_locked (g_steal_pointer (&task));
      return;
    }

  for (GList *l = call->items; l != NULL; l = l->next)
    if (item_is_bound (call, l->data))
      {
        secret_retrievable_retrieve_secret (l->data, call->cancellable, on_retrieved, g_steal_pointer (&task));
        return;
      }

  /* Under this key, but from another server or client: never sent there.
   * Logged with the key and the servers, never the tokens. */
  call_settle (call);
  {
    g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (call->items->data);

    g_message ("Account %s: the saved sign-in belongs to %s (client %s), not to %s (client %s); it is not used",
               call->key, attributes ? (const char *) g_hash_table_lookup (attributes, "server") : "?",
               attributes ? (const char *) g_hash_table_lookup (attributes, "client-id") : "?",
               call->server, call->client_id);
  }
  g_task_return_pointer (task, NULL, NULL);
}

static void
start_search (RcSecretStore *self,
              GTask         *task)
{
  Call *call = g_task_get_task_data (task);

  secret_password_search (rc_credentials_schema_get (), SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                          call->cancellable, on_searched, task,
                          "account-id", call->key, "generation", call->generation, NULL);
}

/**
 * rc_secret_store_load_async:
 * @self: a #RcSecretStore
 * @key: the account's keyring key (rc_account_get_key())
 * @binding: the server and client the caller will send the tokens to
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tokens, %NULL if there are none, or an error
 * @user_data: data for @callback
 *
 * Reads the account's tokens, unlocking the keyring if it must (which may
 * prompt the user).  Tokens stored for another server or client are never
 * handed out: the account reads as not signed in, and the item stays.
 */
void
rc_secret_store_load_async (RcSecretStore         *self,
                            const char            *key,
                            const RcSecretBinding *binding,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  GTask *task;
  Call *call;

  g_return_if_fail (RC_IS_SECRET_STORE (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (binding != NULL && binding->server != NULL && binding->client_id != NULL);

  task = call_new (self, key, binding, cancellable, rc_secret_store_load_async, callback, user_data);
  call = g_task_get_task_data (task);
  call->start = start_search;
  call_start (self, task);
}

/**
 * rc_secret_store_load_finish:
 *
 * Returns: (transfer full) (nullable): the tokens; %NULL without an error
 *   when the keyring holds none for the account and its server
 */
RcTokenSet *
rc_secret_store_load_finish (RcSecretStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (call_is_answered (call, error))
    return;
  if (error != NULL)
    {
      call_settle (call);
      g_task_return_error (task, translate_error (call, error));
      return;
    }
  if (!removed)
    {
      /* Nothing removed: nothing was there, or a locked keyring hid it. */
      check_locked (g_steal_pointer (&task));
      return;
    }
  call_settle (call);
  g_task_return_boolean (task, TRUE);
}

static void
start_clear (RcSecretStore *self,
             GTask         *task)
{
  Call *call = g_task_get_task_data (task);

  secret_password_clear (rc_credentials_schema_get (), call->cancellable, on_cleared, task,
                         "account-id", call->key, NULL);
}

/**
 * rc_secret_store_delete_async:
 * @self: a #RcSecretStore
 * @key: the account's keyring key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes the account's keyring items, of every generation and server.  A
 * keyring that is locked fails this with %RC_SECRET_ERROR_LOCKED rather
 * than pass for one that had nothing to remove.
 */
void
rc_secret_store_delete_async (RcSecretStore       *self,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Call *call;

  g_return_if_fail (RC_IS_SECRET_STORE (self));
  g_return_if_fail (key != NULL);

  task = call_new (self, key, NULL, cancellable, rc_secret_store_delete_async, callback, user_data);
  call = g_task_get_task_data (task);
  call->start = start_clear;
  call_start (self, task);
}

/**
 * rc_secret_store_delete_finish:
 *
 * Returns: %TRUE if an item was removed; %FALSE with no error if there was none
 */
gboolean
rc_secret_store_delete_finish (RcSecretStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rc_secret_store_finalize (GObject *object)
{
  RcSecretStore *self = RC_SECRET_STORE (object);

  /* Each waiting call and the opening hold the store. */
  g_assert (self->opening == NULL);
  g_assert (g_queue_is_empty (&self->waiting));

  G_OBJECT_CLASS (rc_secret_store_parent_class)->finalize (object);
}

static void
rc_secret_store_class_init (RcSecretStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rc_secret_store_finalize;

  /**
   * RcSecretStore::saved:
   * @key: the key of the account whose tokens the keyring now holds
   *
   * Emitted when a save has reached the keyring.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rc_secret_store_init (RcSecretStore *self)
{
  self->timeout_seconds = RC_SECRET_STORE_DEFAULT_TIMEOUT;
  self->generation = RC_SECRET_STORE_GENERATION;
}

RcSecretStore *
rc_secret_store_new (void)
{
  return g_object_new (RC_TYPE_SECRET_STORE, NULL);
}

/**
 * rc_secret_store_set_timeout:
 * @self: a #RcSecretStore
 * @seconds: how long one keyring call may take, prompt included
 */
void
rc_secret_store_set_timeout (RcSecretStore *self,
                             guint          seconds)
{
  g_return_if_fail (RC_IS_SECRET_STORE (self));
  g_return_if_fail (seconds > 0);

  self->timeout_seconds = seconds;
}

/**
 * rc_secret_store_set_generation:
 * @self: a #RcSecretStore
 * @generation: the stored form to read and write
 *
 * For migrations and tests: items of other generations are invisible.
 */
void
rc_secret_store_set_generation (RcSecretStore *self,
                                int            generation)
{
  g_return_if_fail (RC_IS_SECRET_STORE (self));

  self->generation = generation;
}

/**
 * rc_secret_store_fail_next_saves:
 * @self: a #RcSecretStore
 * @count: how many of the next saves fail with RC_SECRET_ERROR_FAILED
 *
 * For tests of what survives a keyring that refuses a write (see
 * rc-secret-store-private.h); never called by Reconnect itself.
 */
void
rc_secret_store_fail_next_saves (RcSecretStore *self,
                                 guint          count)
{
  g_return_if_fail (RC_IS_SECRET_STORE (self));

  self->failing_saves = count;
}
