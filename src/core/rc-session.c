/* rc-session.c: one account's live credentials
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hands out a usable access token: the cached one while it is not about to
 * expire, else the result of one refresh shared by every caller waiting at
 * that moment (never two refreshes at once for an account: with rotation,
 * the second would present a retired refresh token and the provider would
 * revoke the grant).  A rotated refresh token reaches the keyring before any
 * caller gets the new access token.  If the keyring refuses, the new tokens
 * stay in memory, the write is retried, and the old refresh token is never
 * presented again.
 *
 * Across processes (the window, the monitor, every command), a renewal
 * holds the account's lock file from the keyring read before it to the
 * keyring write after it, so a second process reads the rotated token
 * instead of presenting the spent one.  Tokens are bound to the server and
 * client they came from: the keyring hands them to this session only if
 * they were stored for its provider.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-file-lock.h"
#include "rc-http.h"
#include "rc-session.h"

#define DEFAULT_RETRY_DELAY 30

struct _RcSession
{
  GObject        parent_instance;

  char          *account_id;  /* the account's keyring key */
  char          *server;      /* where the tokens may go: the issuer */
  char          *client_id;
  RcProvider    *provider;
  RcSecretStore *store;
  RcTokenSet    *tokens;
  gboolean       loaded;
  gboolean       saved;        /* the keyring holds what is in memory */

  GPtrArray     *waiters;      /* GTask: one refresh (or load) for all */
  gboolean       busy;
  gboolean       force;
  guint          retry_id;
  guint          retry_delay;
  RcFileLock    *lock;         /* held from the keyring read to the write */
};

G_DEFINE_FINAL_TYPE (RcSession, rc_session, G_TYPE_OBJECT)

static void start_work (RcSession *self);

static RcSecretBinding
binding_of (RcSession *self)
{
  return (RcSecretBinding) { .server = self->server, .client_id = self->client_id };
}

/* The next process may renew now: the keyring holds what we hold. */
static void
release_lock (RcSession *self)
{
  g_clear_pointer (&self->lock, rc_file_lock_release);
}
static void on_refreshed (GObject *source, GAsyncResult *result, gpointer user_data);

static void
complete_waiters (RcSession    *self,
                  const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->busy = FALSE;
  self->force = FALSE;

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, rc_token_set_ref (self->tokens), (GDestroyNotify) rc_token_set_unref);
    }
}

static void save_tokens (RcSession *self, gboolean then_complete);

static gboolean
on_retry (gpointer user_data)
{
  RcSession *self = user_data;

  self->retry_id = 0;
  if (!self->saved && self->tokens != NULL)
    save_tokens (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* One write of the tokens in memory.  It counts only if they are still the
 * ones in memory when it lands: an older write finishing late must not mark
 * newer tokens as kept. */
typedef struct
{
  RcSession  *self;
  RcTokenSet *tokens;
  gboolean    then_complete;
} Save;

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Save *save = user_data;
  RcSession *self = save->self;
  g_autoptr(GError) error = NULL;

  if (rc_secret_store_save_finish (RC_SECRET_STORE (source), result, &error))
    {
      if (save->tokens == self->tokens)
        {
          self->saved = TRUE;
          release_lock (self);
        }
    }
  else if (save->tokens == self->tokens)
    {
      /* The new tokens are the only good ones now: keep them, keep trying,
       * and keep the lock: another process would present the spent one. */
      g_debug ("Account %s: the keyring refused the renewed tokens, retrying: %s", self->account_id, error->message);
      if (self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (self->retry_delay, on_retry, self);
    }

  if (save->then_complete)
    complete_waiters (self, NULL);

  rc_token_set_unref (save->tokens);
  g_object_unref (save->self);
  g_free (save);
}

static void
save_tokens (RcSession *self,
             gboolean   then_complete)
{
  Save *save = g_new0 (Save, 1);

  save->self = g_object_ref (self);
  save->tokens = rc_token_set_ref (self->tokens);
  save->then_complete = then_complete;
  rc_secret_store_save_async (self->store, self->account_id, &(RcSecretBinding) { self->server, self->client_id },
                              self->tokens, NULL, on_saved, save);
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RcSession) self = user_data;
  g_autoptr(RcTokenSet) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gboolean rotated;

  fresh = rc_provider_refresh_finish (RC_PROVIDER (source), result, &error);
  if (fresh == NULL)
    {
      release_lock (self);
      complete_waiters (self, error);
      return;
    }

  rotated = g_strcmp0 (rc_token_set_get_refresh_token (fresh), rc_token_set_get_refresh_token (self->tokens)) != 0;
  g_clear_pointer (&self->tokens, rc_token_set_unref);
  self->tokens = g_steal_pointer (&fresh);
  self->saved = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);

  /* Write before use when the refresh token rotated; otherwise the keyring
   * catches up in the background (other processes share the access token). */
  save_tokens (self, rotated);
  if (!rotated)
    complete_waiters (self, NULL);
}

static gboolean
needs_refresh (RcSession *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  return self->force || rc_token_set_expires_within (self->tokens, now, RC_SESSION_EXPIRY_MARGIN);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RcSession) self = user_data;
  g_autoptr(GError) error = NULL;
  RcTokenSet *tokens;

  tokens = rc_secret_store_load_finish (RC_SECRET_STORE (source), result, &error);
  if (error != NULL)
    {
      complete_waiters (self, error);
      return;
    }
  if (tokens == NULL)
    {
      g_autoptr(GError) none = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                    "This account is not signed in");

      complete_waiters (self, none);
      return;
    }

  self->tokens = tokens;
  self->loaded = TRUE;
  self->saved = TRUE;
  start_work (self);
}

static void
on_reloaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RcSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) stored = rc_secret_store_load_finish (RC_SECRET_STORE (source), result, &error);

  if (stored == NULL && error == NULL)
    {
      /* Signed out elsewhere: the grant is revoked, the tokens are gone. */
      g_autoptr(GError) none = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                    "This account is not signed in");

      g_clear_pointer (&self->tokens, rc_token_set_unref);
      self->loaded = FALSE;
      release_lock (self);
      complete_waiters (self, none);
      return;
    }

  if (stored != NULL &&
      g_strcmp0 (rc_token_set_get_access_token (stored), rc_token_set_get_access_token (self->tokens)) != 0)
    {
      /* Newer than ours: take them, and try their access token first. */
      g_debug ("Session %s: the keyring holds newer tokens", self->account_id);
      g_clear_pointer (&self->tokens, rc_token_set_unref);
      self->tokens = g_steal_pointer (&stored);
      self->force = FALSE;
      if (!needs_refresh (self))
        {
          release_lock (self);
          complete_waiters (self, NULL);
          return;
        }
    }
  else if (error != NULL)
    g_debug ("Session %s: could not look at the keyring before refreshing: %s", self->account_id, error->message);

  /* A keyring that does not answer now will not take the rotated token
   * either; the refresh still goes ahead, and its save is retried. */
  rc_provider_refresh_async (self->provider, self->tokens, NULL, on_refreshed, g_object_ref (self));
}

static void
on_locked (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RcSession) self = user_data;
  g_autoptr(GError) error = NULL;

  self->lock = rc_file_lock_acquire_finish (result, &error);
  if (self->lock == NULL)
    {
      /* Renewing without it could present a spent token: do not. */
      g_debug ("Session %s: no renewal lock: %s", self->account_id, error->message);
      complete_waiters (self, error);
      return;
    }
  start_work (self);
}

static void
start_work (RcSession *self)
{
  if (!self->loaded)
    {
      RcSecretBinding binding = binding_of (self);

      rc_secret_store_load_async (self->store, self->account_id, &binding, NULL, on_loaded, g_object_ref (self));
      return;
    }

  if (!needs_refresh (self))
    {
      complete_waiters (self, NULL);
      return;
    }

  if (self->lock == NULL)
    {
      g_autofree char *path = rc_file_lock_path_for_key (self->account_id);

      rc_file_lock_acquire_async (path, RC_FILE_LOCK_RENEWAL_TIMEOUT_SECONDS * 1000, NULL, on_locked,
                                  g_object_ref (self));
      return;
    }

  /* Another process (the command line, a second window) may have refreshed
   * since: its rotated refresh token is in the keyring, and ours may be
   * spent.  Look before refreshing, unless ours is the newer one. */
  if (self->saved)
    {
      RcSecretBinding binding = binding_of (self);

      rc_secret_store_load_async (self->store, self->account_id, &binding, NULL, on_reloaded, g_object_ref (self));
      return;
    }

  rc_provider_refresh_async (self->provider, self->tokens, NULL, on_refreshed, g_object_ref (self));
}

static void
rc_session_dispose (GObject *object)
{
  RcSession *self = RC_SESSION (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  release_lock (self);
  g_clear_object (&self->provider);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rc_session_parent_class)->dispose (object);
}

static void
rc_session_finalize (GObject *object)
{
  RcSession *self = RC_SESSION (object);

  g_free (self->account_id);
  g_free (self->server);
  g_free (self->client_id);
  g_clear_pointer (&self->tokens, rc_token_set_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (rc_session_parent_class)->finalize (object);
}

static void
rc_session_class_init (RcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rc_session_dispose;
  object_class->finalize = rc_session_finalize;
}

static void
rc_session_init (RcSession *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->retry_delay = DEFAULT_RETRY_DELAY;
}

/**
 * rc_session_new:
 * @account_id: the account's keyring key (rc_account_get_key())
 * @provider: its provider; the tokens are bound to its issuer and client
 * @store: the keyring
 *
 * Returns: (transfer full): a session; it reads the keyring on first use
 */
RcSession *
rc_session_new (const char    *account_id,
                RcProvider    *provider,
                RcSecretStore *store)
{
  RcSession *self;

  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (RC_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (RC_IS_SECRET_STORE (store), NULL);

  self = g_object_new (RC_TYPE_SESSION, NULL);
  self->account_id = g_strdup (account_id);
  self->server = rc_http_dup_without_slash (rc_provider_get_issuer (provider));
  self->client_id = g_strdup (rc_provider_get_client_id (provider));
  self->provider = g_object_ref (provider);
  self->store = g_object_ref (store);
  return self;
}

const char *
rc_session_get_account_id (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->account_id;
}

/**
 * rc_session_get_tokens:
 *
 * Returns: (transfer none) (nullable): the tokens in memory
 */
RcTokenSet *
rc_session_get_tokens (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->tokens;
}

/**
 * rc_session_get_saved:
 *
 * Returns: whether the keyring holds the tokens in memory
 */
gboolean
rc_session_get_saved (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), FALSE);
  return self->saved;
}

void
rc_session_set_retry_delay (RcSession *self,
                            guint      seconds)
{
  g_return_if_fail (RC_IS_SESSION (self));
  g_return_if_fail (seconds > 0);
  self->retry_delay = seconds;
}

static void
on_adopted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (rc_secret_store_save_finish (RC_SECRET_STORE (source), result, &error))
    {
      self->saved = TRUE;
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

/**
 * rc_session_adopt_async:
 * @self: a #RcSession
 * @tokens: the tokens of a new sign-in
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the keyring holds them
 * @user_data: data for @callback
 *
 * Takes the tokens of a sign-in: in memory at once, in the keyring when
 * this finishes.
 */
void
rc_session_adopt_async (RcSession           *self,
                        RcTokenSet          *tokens,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RC_IS_SESSION (self));
  g_return_if_fail (tokens != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_session_adopt_async);
  g_clear_pointer (&self->tokens, rc_token_set_unref);
  self->tokens = rc_token_set_ref (tokens);
  self->loaded = TRUE;
  self->saved = FALSE;
  rc_secret_store_save_async (self->store, self->account_id, &(RcSecretBinding) { self->server, self->client_id },
                              tokens, cancellable, on_adopted, task);
}

gboolean
rc_session_adopt_finish (RcSession     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rc_session_get_access_token_async:
 * @self: a #RcSession
 * @force_refresh: refresh even if the access token looks valid (after a
 *   401 from the provider)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tokens to use
 * @user_data: data for @callback
 *
 * Every caller waiting at the same time shares one keyring read and one
 * refresh.
 */
void
rc_session_get_access_token_async (RcSession           *self,
                                   gboolean             force_refresh,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RC_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_session_get_access_token_async);
  g_ptr_array_add (self->waiters, task);

  /* A forced refresh joins one under way: that one renews the token too. */
  if (self->busy)
    return;

  self->busy = TRUE;
  self->force = force_refresh;
  start_work (self);
}

/**
 * rc_session_get_access_token_finish:
 *
 * Returns: (transfer full): the tokens, with a usable access token
 */
RcTokenSet *
rc_session_get_access_token_finish (RcSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ----------------------------------------------------------- sign out -- */

/**
 * rc_sign_out_report_free:
 * @report: (nullable): a report
 */
void
rc_sign_out_report_free (RcSignOutReport *report)
{
  if (report == NULL)
    return;

  g_clear_error (&report->revoke_error);
  g_clear_error (&report->keyring_error);
  g_free (report);
}

typedef struct
{
  RcAccountStore  *accounts;
  RcSignOutReport *report;
  RcTokenSet      *tokens;
} SignOut;

static void
sign_out_free (SignOut *sign_out)
{
  g_clear_object (&sign_out->accounts);
  rc_sign_out_report_free (sign_out->report);
  g_clear_pointer (&sign_out->tokens, rc_token_set_unref);
  g_free (sign_out);
}

/* Last, the account itself: gone if the keyring no longer holds its
 * secret; else listed, signed out, until the item is really gone.  An
 * administrator's account stays either way.  Takes @owned. */
static void
sign_out_finish_account (GTask *owned)
{
  g_autoptr(GTask) task = owned;
  RcSession *self = g_task_get_source_object (task);
  SignOut *sign_out = g_task_get_task_data (task);
  RcAccount *account = NULL;
  gboolean forgotten = sign_out->report->keyring_error == NULL;
  GError *error = NULL;

  if (sign_out->accounts != NULL)
    for (guint i = 0; account == NULL && i < g_list_model_get_n_items (G_LIST_MODEL (sign_out->accounts)); i++)
      {
        g_autoptr(RcAccount) candidate = g_list_model_get_item (G_LIST_MODEL (sign_out->accounts), i);

        if (g_strcmp0 (rc_account_get_key (candidate), self->account_id) == 0)
          account = candidate;
      }

  if (account != NULL && (rc_account_get_provisioned (account) || !forgotten))
    {
      rc_account_set_state (account, RC_CONNECTION_SIGNED_OUT);
      rc_account_set_cause (account, NULL);
      rc_account_set_user (account, NULL);
      if (rc_account_get_forget_pending (account) != !forgotten)
        {
          rc_account_set_forget_pending (account, !forgotten);
          if (!rc_account_get_provisioned (account) && !rc_account_store_save (sign_out->accounts, &error))
            {
              g_task_return_error (task, error);
              return;
            }
        }
    }
  else if (account != NULL && !rc_account_store_remove (sign_out->accounts, rc_account_get_id (account), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&sign_out->report), (GDestroyNotify) rc_sign_out_report_free);
}

static void
on_signed_out_keyring (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcSession *self = g_task_get_source_object (task);
  SignOut *sign_out = g_task_get_task_data (task);
  GError *error = NULL;

  rc_secret_store_delete_finish (RC_SECRET_STORE (source), result, &error);
  if (error != NULL)
    {
      g_debug ("Account %s: the keyring item could not be removed: %s", self->account_id, error->message);
      sign_out->report->keyring_error = error;
    }
  else
    {
      g_clear_pointer (&self->tokens, rc_token_set_unref);
      self->loaded = FALSE;
      self->saved = FALSE;
    }
  sign_out_finish_account (g_steal_pointer (&task));
}

static void
sign_out_forget (GTask *task)
{
  RcSession *self = g_task_get_source_object (task);

  rc_secret_store_delete_async (self->store, self->account_id, g_task_get_cancellable (task),
                                on_signed_out_keyring, task);
}

static void
on_signed_out_provider (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcSession *self = g_task_get_source_object (task);
  SignOut *sign_out = g_task_get_task_data (task);
  GError *error = NULL;

  /* RFC 7009: forget the tokens here whatever the provider answered, and
   * say what it answered. */
  if (!rc_provider_revoke_finish (RC_PROVIDER (source), result, &error))
    {
      g_debug ("Account %s: the provider did not confirm the revocation: %s", self->account_id, error->message);
      sign_out->report->revoke_error = error;
    }
  sign_out_forget (g_steal_pointer (&task));
}

static void
on_sign_out_resolved (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignOut *sign_out = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!rc_provider_resolve_finish (RC_PROVIDER (source), result, &error))
    {
      sign_out->report->revoke_error = error;
      sign_out_forget (g_steal_pointer (&task));
      return;
    }

  rc_provider_revoke_async (RC_PROVIDER (source), sign_out->tokens, cancellable,
                            on_signed_out_provider, g_steal_pointer (&task));
}

static void
sign_out_revoke (GTask *task)
{
  RcSession *self = g_task_get_source_object (task);
  SignOut *sign_out = g_task_get_task_data (task);

  sign_out->report->had_sign_in = TRUE;
  rc_provider_resolve_async (self->provider, g_task_get_cancellable (task), on_sign_out_resolved, task);
}

static void
on_sign_out_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignOut *sign_out = g_task_get_task_data (task);
  GError *error = NULL;

  sign_out->tokens = rc_secret_store_load_finish (RC_SECRET_STORE (source), result, &error);
  if (error != NULL)
    {
      /* Neither revoked nor forgotten: the account waits for the keyring. */
      sign_out->report->keyring_error = error;
      sign_out_finish_account (g_steal_pointer (&task));
      return;
    }
  if (sign_out->tokens == NULL)
    sign_out_forget (g_steal_pointer (&task));
  else
    sign_out_revoke (g_steal_pointer (&task));
}

/**
 * rc_session_sign_out_async:
 * @self: a #RcSession
 * @accounts: (nullable): the store to forget the account in
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Signs out: reads the tokens if they are not in memory, revokes the grant
 * at the provider, removes the keyring item, then the account (an
 * administrator's account stays, signed out).  If the keyring item cannot
 * be removed, the account stays too, signed out with
 * #RcAccount:forget-pending set, so the removal can be tried again.
 */
void
rc_session_sign_out_async (RcSession           *self,
                           RcAccountStore      *accounts,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  SignOut *sign_out;

  g_return_if_fail (RC_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_session_sign_out_async);
  sign_out = g_new0 (SignOut, 1);
  sign_out->accounts = accounts ? g_object_ref (accounts) : NULL;
  sign_out->report = g_new0 (RcSignOutReport, 1);
  g_task_set_task_data (task, sign_out, (GDestroyNotify) sign_out_free);

  if (self->tokens != NULL)
    {
      sign_out->tokens = rc_token_set_ref (self->tokens);
      sign_out_revoke (task);
    }
  else
    {
      RcSecretBinding binding = binding_of (self);

      rc_secret_store_load_async (self->store, self->account_id, &binding, cancellable, on_sign_out_loaded, task);
    }
}

/**
 * rc_session_sign_out_finish:
 *
 * Returns: (transfer full) (nullable): what was done, or %NULL with @error
 *   set if the account list could not be saved
 */
RcSignOutReport *
rc_session_sign_out_finish (RcSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
