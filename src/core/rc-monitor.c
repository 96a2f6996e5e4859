/* rc-monitor.c: keeps watch over every account
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One check per account at a time: a valid access token from RcSession
 * (refreshed if need be), then the provider's liveness probe.  A 401 from
 * the probe earns one forced refresh and one more probe, never a loop.  The
 * outcome becomes the account's state and cause; transport trouble is
 * "offline" and retried with backoff and jitter, never called expiry.
 *
 * Between checks nothing runs: each account has one timer, set for the
 * sooner of the check interval and just before its access token expires.
 */

#include "config.h"

#include "rc-cause.h"
#include "rc-classifier.h"
#include "rc-diagnosis.h"
#include "rc-http.h"
#include "rc-json.h"
#include "rc-monitor.h"
#include "rc-protocol-error.h"

#define OFFLINE_FIRST_RETRY   30   /* seconds; doubles per failure up to the interval */
#define NETWORK_DEBOUNCE_MS   2000
#define EXPIRY_LEAD           (RC_SESSION_EXPIRY_MARGIN - 30)

typedef struct
{
  RcMonitor    *monitor;      /* unowned: the monitor owns the entry */
  RcAccount    *account;
  RcProvider   *provider;
  RcSession    *session;
  gboolean      resolved;
  GCancellable *check;        /* non-NULL while a check is in flight */
  guint         timer_id;
  gint64        next_check;   /* unix seconds, 0 when none is planned */
  guint         failures;     /* transport failures in a row, for backoff */
  RcDiagnosis  *diagnosis;    /* why the last check failed; NULL after a success */
} Entry;

struct _RcMonitor
{
  GObject          parent_instance;

  RcAccountStore  *accounts;
  RcSecretStore   *secrets;
  SoupSession     *soup;
  GHashTable      *entries;   /* account id -> Entry */
  guint            interval;
  gboolean         started;
  GNetworkMonitor *network;
  gboolean         network_available;
  guint            network_debounce_id;
};

G_DEFINE_FINAL_TYPE (RcMonitor, rc_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHECK_STARTED,
  CHECKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void check_entry (Entry *entry);

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
entry_free (Entry *entry)
{
  if (entry->check != NULL)
    g_cancellable_cancel (entry->check);
  g_clear_object (&entry->check);
  g_clear_handle_id (&entry->timer_id, g_source_remove);
  g_clear_object (&entry->session);
  g_clear_object (&entry->provider);
  g_clear_object (&entry->account);
  g_clear_pointer (&entry->diagnosis, rc_diagnosis_unref);
  g_free (entry);
}

static Entry *
find_entry (RcMonitor *self,
            RcAccount *account)
{
  Entry *entry = g_hash_table_lookup (self->entries, rc_account_get_id (account));

  return entry != NULL && entry->account == account ? entry : NULL;
}

static Entry *
lookup_entry (RcMonitor *self,
              RcAccount *account)
{
  Entry *entry = g_hash_table_lookup (self->entries, rc_account_get_id (account));

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->monitor = self;
      entry->account = g_object_ref (account);
      g_hash_table_insert (self->entries, g_strdup (rc_account_get_id (account)), entry);
    }
  return entry;
}

static RcProvider *
entry_get_provider (Entry   *entry,
                    GError **error)
{
  if (entry->provider == NULL)
    {
      entry->provider = rc_account_create_provider (entry->account, error);
      if (entry->provider == NULL)
        return NULL;
      rc_provider_set_session (entry->provider, entry->monitor->soup);
    }
  return entry->provider;
}

static RcSession *
entry_get_session (Entry   *entry,
                   GError **error)
{
  if (entry->session == NULL)
    {
      RcProvider *provider = entry_get_provider (entry, error);

      if (provider == NULL)
        return NULL;
      entry->session = rc_session_new (rc_account_get_key (entry->account), provider,
                                       entry->monitor->secrets);
    }
  return entry->session;
}

static gboolean
on_timer (gpointer user_data)
{
  Entry *entry = user_data;

  entry->timer_id = 0;
  entry->next_check = 0;
  check_entry (entry);
  return G_SOURCE_REMOVE;
}

static void
schedule (Entry *entry,
          guint  seconds)
{
  g_clear_handle_id (&entry->timer_id, g_source_remove);
  if (!entry->monitor->started)
    return;

  seconds = MAX (seconds, 1);
  entry->next_check = now_seconds () + seconds;
  entry->timer_id = g_timeout_add_seconds (seconds, on_timer, entry);
}

/* The next regular check, or sooner when the access token would otherwise
 * expire between two checks. */
static guint
regular_delay (Entry *entry)
{
  RcTokenSet *tokens = entry->session ? rc_session_get_tokens (entry->session) : NULL;
  gint64 delay = entry->monitor->interval;

  if (tokens != NULL && rc_token_set_get_expires_at (tokens) > 0)
    {
      gint64 until_due = rc_token_set_get_expires_at (tokens) - EXPIRY_LEAD - now_seconds ();

      delay = CLAMP (until_due, 1, delay);
    }
  return delay;
}

/* Exponential backoff with jitter, so a room full of laptops coming back
 * from the same outage does not knock at the same second. */
static guint
offline_delay (Entry *entry)
{
  guint limit = MAX (entry->monitor->interval, OFFLINE_FIRST_RETRY);
  guint delay = OFFLINE_FIRST_RETRY;

  for (guint i = 1; i < entry->failures && delay < limit; i++)
    delay *= 2;
  delay = MIN (delay, limit);
  return delay - delay / 5 + g_random_int_range (0, delay / 5 * 2 + 1);
}

static void
save_state (RcMonitor *self)
{
  g_autoptr(GError) error = NULL;

  if (!rc_account_store_save_state (self->accounts, &error))
    g_warning ("Could not save the accounts’ state: %s", error->message);
}

static void
finish_check (Entry *entry)
{
  RcAccount *account = g_object_ref (entry->account);
  RcMonitor *self = entry->monitor;

  g_clear_object (&entry->check);
  rc_account_add_history (account, rc_account_get_checked_at (account));
  save_state (self);
  g_signal_emit (self, signals[CHECKED], 0, account);
  g_object_unref (account);
}

static void
check_succeeded (Entry *entry)
{
  gint64 now = now_seconds ();

  entry->failures = 0;
  g_clear_pointer (&entry->diagnosis, rc_diagnosis_unref);
  rc_account_set_checked_at (entry->account, now);
  rc_account_set_last_ok (entry->account, now);
  rc_account_set_first_failure (entry->account, 0);
  rc_account_set_cause (entry->account, NULL);
  rc_account_set_state (entry->account, RC_CONNECTION_CONNECTED);
  schedule (entry, regular_delay (entry));
  finish_check (entry);
}

static void
check_failed (Entry        *entry,
              const GError *error)
{
  RcAccount *account = entry->account;
  gint64 now = now_seconds ();
  RcClassifierContext context = {
    .provider = rc_account_get_provider (account),
    .now = now,
    .signed_in_at = rc_account_get_signed_in_at (account),
    .last_refresh_at = rc_account_get_last_refresh (account),
    .previous_cause = rc_account_get_cause (account),
  };
  const char *cause;
  RcConnectionState state;

  rc_account_set_checked_at (account, now);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      /* Nothing in the keyring: not a failure, just not signed in. */
      rc_account_set_first_failure (account, 0);
      rc_account_set_cause (account, NULL);
      rc_account_set_state (account, RC_CONNECTION_SIGNED_OUT);
      g_clear_handle_id (&entry->timer_id, g_source_remove);
      entry->next_check = 0;
      finish_check (entry);
      return;
    }

  g_clear_pointer (&entry->diagnosis, rc_diagnosis_unref);
  entry->diagnosis = rc_diagnosis_new_from_error (error, &context);
  cause = rc_diagnosis_get_cause (entry->diagnosis);
  state = rc_cause_get_state (cause);
  g_debug ("Check of %s failed (%s): %s", rc_account_get_id (account), cause, error->message);

  if (rc_account_get_first_failure (account) == 0)
    rc_account_set_first_failure (account, now);
  rc_account_set_cause (account, cause);
  rc_account_set_state (account, state);

  if (state == RC_CONNECTION_OFFLINE)
    {
      entry->failures++;
      schedule (entry, offline_delay (entry));
    }
  else
    {
      entry->failures = 0;
      schedule (entry, entry->monitor->interval);
    }
  finish_check (entry);
}

static gboolean
is_unauthorized (const GError *error)
{
  RcProtocolError *problem = rc_oauth_error_get_protocol_error (error);

  return problem != NULL && rc_protocol_error_get_http_status (problem) == SOUP_STATUS_UNAUTHORIZED;
}

/* One check in flight.  Its entry is only touched while its cancellable is
 * not cancelled: a cancelled check's entry may be gone. */
typedef struct
{
  Entry        *entry;
  GCancellable *cancellable;
  RcTokenSet   *before;
  gboolean      forced;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->cancellable);
  g_clear_pointer (&check->before, rc_token_set_unref);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Check, check_free)

static void get_token (Check *check);

#define CHECK_CANCELLED(check) g_cancellable_is_cancelled ((check)->cancellable)

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Check) check = user_data;
  g_autoptr(GError) error = NULL;

  gboolean alive = rc_provider_probe_finish (RC_PROVIDER (source), result, &error);

  if (CHECK_CANCELLED (check))
    return;
  if (alive)
    {
      check_succeeded (check->entry);
      return;
    }

  if (is_unauthorized (error) && !check->forced)
    {
      /* The session died before its time: one refresh, one more probe. */
      check->forced = TRUE;
      get_token (g_steal_pointer (&check));
      return;
    }
  check_failed (check->entry, error);
}

static void
on_token (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Check) check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  GCancellable *cancellable;
  Entry *entry;

  tokens = rc_session_get_access_token_finish (RC_SESSION (source), result, &error);
  if (CHECK_CANCELLED (check))
    return;

  entry = check->entry;
  if (tokens == NULL)
    {
      check_failed (entry, error);
      return;
    }

  if (check->before != NULL && tokens != check->before)
    rc_account_set_last_refresh (entry->account, now_seconds ());

  cancellable = check->cancellable;
  rc_provider_probe_async (entry->provider, tokens, cancellable, on_probed, g_steal_pointer (&check));
}

static void
get_token (Check *check)
{
  Entry *entry = check->entry;
  RcTokenSet *current = rc_session_get_tokens (entry->session);

  g_clear_pointer (&check->before, rc_token_set_unref);
  check->before = current ? rc_token_set_ref (current) : NULL;
  rc_session_get_access_token_async (entry->session, check->forced, check->cancellable, on_token, check);
}

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Check) check = user_data;
  g_autoptr(GError) error = NULL;

  gboolean resolved = rc_provider_resolve_finish (RC_PROVIDER (source), result, &error);

  if (CHECK_CANCELLED (check))
    return;
  if (!resolved)
    {
      check_failed (check->entry, error);
      return;
    }
  check->entry->resolved = TRUE;
  get_token (g_steal_pointer (&check));
}

/* A signed-out account whose keyring item could not be removed: each
 * check tries the sign-out again (the provider is told now if it could not
 * be before), until the item is gone and the account with it. */
typedef struct
{
  RcMonitor *monitor;
  RcAccount *account;
} Forget;

static void
on_forget_retried (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Forget *forget = user_data;
  g_autoptr(RcSignOutReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry;

  report = rc_session_sign_out_finish (RC_SESSION (source), result, &error);
  if (report == NULL)
    g_debug ("Account %s: the sign-out could not be finished: %s", rc_account_get_id (forget->account),
             error->message);
  else if (report->keyring_error != NULL)
    g_debug ("Account %s: its keyring item is still there: %s", rc_account_get_id (forget->account),
             report->keyring_error->message);

  rc_account_set_checked_at (forget->account, now_seconds ());
  entry = g_hash_table_lookup (forget->monitor->entries, rc_account_get_id (forget->account));
  if (entry != NULL && entry->account == forget->account)
    {
      /* Still listed: try again later, on the regular interval. */
      finish_check (entry);
      schedule (entry, regular_delay (entry));
    }
  else
    save_state (forget->monitor);

  g_object_unref (forget->account);
  g_object_unref (forget->monitor);
  g_free (forget);
}

static void
retry_forget (Entry     *entry,
              RcSession *session)
{
  Forget *forget = g_new0 (Forget, 1);

  forget->monitor = g_object_ref (entry->monitor);
  forget->account = g_object_ref (entry->account);
  entry->check = g_cancellable_new ();
  g_signal_emit (entry->monitor, signals[CHECK_STARTED], 0, entry->account);
  rc_session_sign_out_async (session, entry->monitor->accounts, entry->check, on_forget_retried, forget);
}

static void
check_entry (Entry *entry)
{
  g_autoptr(GError) error = NULL;
  RcSession *session;
  Check *check;

  if (entry->check != NULL)
    return;   /* one at a time */

  g_clear_handle_id (&entry->timer_id, g_source_remove);
  entry->next_check = 0;

  session = entry_get_session (entry, &error);
  if (session != NULL && rc_account_get_forget_pending (entry->account))
    {
      retry_forget (entry, session);
      return;
    }
  if (session == NULL)
    {
      /* Settings no provider can be made from (a provisioned file with a
       * bad URL, say) are the admin's to mend; it ends like any check. */
      g_debug ("Cannot check %s: %s", rc_account_get_id (entry->account), error->message);
      rc_account_set_checked_at (entry->account, now_seconds ());
      if (rc_account_get_first_failure (entry->account) == 0)
        rc_account_set_first_failure (entry->account, now_seconds ());
      rc_account_set_cause (entry->account, "client-invalid");
      rc_account_set_state (entry->account, RC_CONNECTION_NEEDS_ADMIN);
      finish_check (entry);
      return;
    }

  entry->check = g_cancellable_new ();
  g_signal_emit (entry->monitor, signals[CHECK_STARTED], 0, entry->account);

  check = g_new0 (Check, 1);
  check->entry = entry;
  check->cancellable = g_object_ref (entry->check);
  if (!entry->resolved)
    rc_provider_resolve_async (entry->provider, check->cancellable, on_resolved, check);
  else
    get_token (check);
}

static void
forget_removed_accounts (RcMonitor *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (rc_account_store_lookup (self->accounts, rc_account_get_id (entry->account)) != entry->account)
      g_hash_table_iter_remove (&iter);
}

static void
on_accounts_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  RcMonitor *self = user_data;

  if (removed > 0)
    forget_removed_accounts (self);

  if (!self->started)
    return;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(RcAccount) account = g_list_model_get_item (model, i);

      check_entry (lookup_entry (self, account));
    }
}

static gboolean
on_network_settled (gpointer user_data)
{
  RcMonitor *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  self->network_debounce_id = 0;
  /* Connected accounts are fine; the others may have been waiting for this. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RcAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      RcConnectionState state = rc_account_get_state (account);

      if (state != RC_CONNECTION_CONNECTED && state != RC_CONNECTION_SIGNED_OUT)
        rc_monitor_check (self, account);
    }
  return G_SOURCE_REMOVE;
}

static void
on_network_changed (GNetworkMonitor *network,
                    gboolean         available,
                    gpointer         user_data)
{
  RcMonitor *self = user_data;

  /* Networks flap while they come up: wait until it settles. */
  self->network_available = available;
  g_clear_handle_id (&self->network_debounce_id, g_source_remove);
  if (available && self->started)
    self->network_debounce_id = g_timeout_add (NETWORK_DEBOUNCE_MS, on_network_settled, self);
}

static void
rc_monitor_dispose (GObject *object)
{
  RcMonitor *self = RC_MONITOR (object);

  rc_monitor_stop (self);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_object (&self->accounts);
  g_clear_object (&self->secrets);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (rc_monitor_parent_class)->dispose (object);
}

static void
rc_monitor_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RcMonitor *self = RC_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_monitor_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RcMonitor *self = RC_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      rc_monitor_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_monitor_class_init (RcMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rc_monitor_dispose;
  object_class->get_property = rc_monitor_get_property;
  object_class->set_property = rc_monitor_set_property;

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, G_MAXUINT, RC_MONITOR_DEFAULT_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RcMonitor::check-started:
   * @account: the account being checked
   */
  signals[CHECK_STARTED] =
    g_signal_new ("check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, RC_TYPE_ACCOUNT);

  /**
   * RcMonitor::checked:
   * @account: the account whose state and cause are now current
   */
  signals[CHECKED] =
    g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, RC_TYPE_ACCOUNT);
}

static void
rc_monitor_init (RcMonitor *self)
{
  self->interval = RC_MONITOR_DEFAULT_INTERVAL;
  self->network_available = TRUE;
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  self->soup = rc_http_session_new ();
}

/**
 * rc_monitor_new:
 * @accounts: the accounts to watch
 * @secrets: where their tokens live
 *
 * Returns: (transfer full): a monitor; nothing is checked until
 *   rc_monitor_start()
 */
RcMonitor *
rc_monitor_new (RcAccountStore *accounts,
                RcSecretStore  *secrets)
{
  RcMonitor *self;

  g_return_val_if_fail (RC_IS_ACCOUNT_STORE (accounts), NULL);
  g_return_val_if_fail (RC_IS_SECRET_STORE (secrets), NULL);

  self = g_object_new (RC_TYPE_MONITOR, NULL);
  self->accounts = g_object_ref (accounts);
  self->secrets = g_object_ref (secrets);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (on_accounts_changed), self);
  return self;
}

RcAccountStore *
rc_monitor_get_accounts (RcMonitor *self)
{
  g_return_val_if_fail (RC_IS_MONITOR (self), NULL);

  return self->accounts;
}

RcSecretStore *
rc_monitor_get_secrets (RcMonitor *self)
{
  g_return_val_if_fail (RC_IS_MONITOR (self), NULL);

  return self->secrets;
}

guint
rc_monitor_get_interval (RcMonitor *self)
{
  g_return_val_if_fail (RC_IS_MONITOR (self), 0);

  return self->interval;
}

/**
 * rc_monitor_set_interval:
 * @self: a #RcMonitor
 * @seconds: the time between two regular checks of an account
 */
void
rc_monitor_set_interval (RcMonitor *self,
                         guint      seconds)
{
  GHashTableIter iter;
  Entry *entry;

  g_return_if_fail (RC_IS_MONITOR (self));
  g_return_if_fail (seconds > 0);

  if (self->interval == seconds)
    return;
  self->interval = seconds;

  /* Pull in checks that are now due sooner. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->timer_id != 0 && entry->next_check - now_seconds () > (gint64) seconds)
      schedule (entry, seconds);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

/**
 * rc_monitor_set_network_monitor:
 * @self: a #RcMonitor
 * @network: (nullable): the network monitor to follow; %NULL for none
 *
 * When @network says the network is back, accounts that were not
 * connected are checked again, after the network settles.
 */
void
rc_monitor_set_network_monitor (RcMonitor       *self,
                                GNetworkMonitor *network)
{
  g_return_if_fail (RC_IS_MONITOR (self));
  g_return_if_fail (network == NULL || G_IS_NETWORK_MONITOR (network));

  if (self->network == network)
    return;
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_set_object (&self->network, network);
  if (network != NULL)
    g_signal_connect (network, "network-changed", G_CALLBACK (on_network_changed), self);
}

/**
 * rc_monitor_start:
 * @self: a #RcMonitor
 *
 * Checks every account now, then keeps checking on its own.
 */
void
rc_monitor_start (RcMonitor *self)
{
  g_return_if_fail (RC_IS_MONITOR (self));

  if (self->started)
    return;
  self->started = TRUE;
  rc_monitor_check_all (self);
}

/**
 * rc_monitor_stop:
 * @self: a #RcMonitor
 *
 * Cancels the checks in flight and plans no more.
 */
void
rc_monitor_stop (RcMonitor *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_return_if_fail (RC_IS_MONITOR (self));

  self->started = FALSE;
  g_clear_handle_id (&self->network_debounce_id, g_source_remove);
  if (self->entries == NULL)
    return;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      g_clear_handle_id (&entry->timer_id, g_source_remove);
      entry->next_check = 0;
      if (entry->check != NULL)
        {
          g_cancellable_cancel (entry->check);
          g_clear_object (&entry->check);
        }
    }
}

/**
 * rc_monitor_check:
 * @self: a #RcMonitor
 * @account: an account of the monitor's store
 *
 * Checks @account now, unless a check of it is already under way.
 */
void
rc_monitor_check (RcMonitor *self,
                  RcAccount *account)
{
  g_return_if_fail (RC_IS_MONITOR (self));
  g_return_if_fail (RC_IS_ACCOUNT (account));

  check_entry (lookup_entry (self, account));
}

/**
 * rc_monitor_check_all:
 * @self: a #RcMonitor
 */
void
rc_monitor_check_all (RcMonitor *self)
{
  guint n;

  g_return_if_fail (RC_IS_MONITOR (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RcAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      rc_monitor_check (self, account);
    }
}

gboolean
rc_monitor_is_checking (RcMonitor *self,
                        RcAccount *account)
{
  Entry *entry;

  g_return_val_if_fail (RC_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), FALSE);

  entry = g_hash_table_lookup (self->entries, rc_account_get_id (account));
  return entry != NULL && entry->check != NULL;
}

/**
 * rc_monitor_get_next_check:
 * @self: a #RcMonitor
 * @account: an account
 *
 * Returns: when @account is checked next, in unix seconds; 0 if no check is
 *   planned
 */
gint64
rc_monitor_get_next_check (RcMonitor *self,
                           RcAccount *account)
{
  Entry *entry;

  g_return_val_if_fail (RC_IS_MONITOR (self), 0);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), 0);

  entry = g_hash_table_lookup (self->entries, rc_account_get_id (account));
  return entry != NULL ? entry->next_check : 0;
}

/**
 * rc_monitor_get_diagnosis:
 * @self: a #RcMonitor
 * @account: an account
 *
 * Returns: (transfer none) (nullable): why the last check of @account
 *   failed, with its evidence; %NULL when it did not fail
 */
RcDiagnosis *
rc_monitor_get_diagnosis (RcMonitor *self,
                          RcAccount *account)
{
  Entry *entry;

  g_return_val_if_fail (RC_IS_MONITOR (self), NULL);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), NULL);

  entry = find_entry (self, account);
  return entry != NULL ? entry->diagnosis : NULL;
}

/**
 * rc_monitor_get_provider:
 * @self: a #RcMonitor
 * @account: an account
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the provider @account signs in with,
 *   sharing the monitor's HTTP session
 */
RcProvider *
rc_monitor_get_provider (RcMonitor  *self,
                         RcAccount  *account,
                         GError    **error)
{
  g_return_val_if_fail (RC_IS_MONITOR (self), NULL);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), NULL);

  return entry_get_provider (lookup_entry (self, account), error);
}

/**
 * rc_monitor_get_session:
 * @self: a #RcMonitor
 * @account: an account
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the live credentials of @account
 */
RcSession *
rc_monitor_get_session (RcMonitor  *self,
                        RcAccount  *account,
                        GError    **error)
{
  g_return_val_if_fail (RC_IS_MONITOR (self), NULL);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), NULL);

  return entry_get_session (lookup_entry (self, account), error);
}

/* ------------------------------------------------------------- adopt -- */

static void
adopt_done (GTask *task)
{
  RcMonitor *self = g_task_get_source_object (task);
  RcAccount *account = g_task_get_task_data (task);
  Entry *entry = find_entry (self, account);
  g_autoptr(GError) error = NULL;

  if (!rc_account_get_provisioned (account) &&
      rc_account_store_lookup (self->accounts, rc_account_get_id (account)) == account &&
      !rc_account_store_save (self->accounts, &error))
    g_warning ("Could not save the accounts: %s", error->message);

  if (entry != NULL)
    schedule (entry, regular_delay (entry));
  g_signal_emit (self, signals[CHECKED], 0, account);
  g_task_return_boolean (task, TRUE);
}

static void
on_adopt_userinfo (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = NULL;

  info = rc_provider_fetch_userinfo_finish (RC_PROVIDER (source), result, &error);
  if (info == NULL)
    g_debug ("No user details for %s: %s", rc_account_get_id (account), error->message);
  else
    {
      g_autofree char *user = rc_provider_dup_userinfo_user (info);

      if (user != NULL)
        rc_account_set_user (account, user);
    }

  adopt_done (task);
}

static void
on_adopted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcMonitor *self = g_task_get_source_object (task);
  RcAccount *account = g_task_get_task_data (task);
  RcSession *session = RC_SESSION (source);
  g_autoptr(GError) error = NULL;
  gint64 now = now_seconds ();
  Entry *entry;

  if (!rc_session_adopt_finish (session, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if ((entry = find_entry (self, account)) != NULL)
    {
      entry->failures = 0;
      g_clear_pointer (&entry->diagnosis, rc_diagnosis_unref);
    }
  rc_account_set_signed_in_at (account, now);
  rc_account_set_last_refresh (account, 0);
  rc_account_set_checked_at (account, now);
  rc_account_set_last_ok (account, now);
  rc_account_set_first_failure (account, 0);
  rc_account_set_cause (account, NULL);
  rc_account_set_state (account, RC_CONNECTION_CONNECTED);
  save_state (self);

  if (entry != NULL && rc_provider_get_userinfo_endpoint (entry->provider) != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      rc_provider_fetch_userinfo_async (entry->provider, rc_session_get_tokens (session),
                                        cancellable, on_adopt_userinfo, g_steal_pointer (&task));
    }
  else
    adopt_done (task);
}

/**
 * rc_monitor_adopt_async:
 * @self: a #RcMonitor
 * @account: the account that signed in
 * @tokens: what the sign-in gave
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the tokens are in the keyring
 * @user_data: data for @callback
 *
 * Makes @tokens the account's credentials: in the keyring first, then the
 * account is connected, its user filled in from the provider and saved.
 */
void
rc_monitor_adopt_async (RcMonitor           *self,
                        RcAccount           *account,
                        RcTokenSet          *tokens,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry;
  RcSession *session;

  g_return_if_fail (RC_IS_MONITOR (self));
  g_return_if_fail (RC_IS_ACCOUNT (account));
  g_return_if_fail (tokens != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_monitor_adopt_async);

  entry = lookup_entry (self, account);
  /* A check of the old credentials would only report what is now fixed. */
  if (entry->check != NULL)
    {
      g_cancellable_cancel (entry->check);
      g_clear_object (&entry->check);
    }
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  session = entry_get_session (entry, &error);
  if (session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  rc_session_adopt_async (session, tokens, cancellable, on_adopted, g_steal_pointer (&task));
}

gboolean
rc_monitor_adopt_finish (RcMonitor     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------- sign out -- */

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RcAccount *account = g_task_get_task_data (task);
  RcMonitor *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  RcSignOutReport *report;

  report = rc_session_sign_out_finish (RC_SESSION (source), result, &error);
  if (report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Signed out here in every case; an account that stays in the list (an
   * administrator's, or one whose keyring item is still there) says so. */
  rc_account_set_signed_in_at (account, 0);
  rc_account_set_last_refresh (account, 0);
  rc_account_set_first_failure (account, 0);
  rc_account_set_cause (account, NULL);
  rc_account_set_state (account, RC_CONNECTION_SIGNED_OUT);
  save_state (self);
  g_task_return_pointer (task, report, (GDestroyNotify) rc_sign_out_report_free);
}

/**
 * rc_monitor_sign_out_async:
 * @self: a #RcMonitor
 * @account: the account to sign out
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Revokes the grant at the provider, forgets the keyring item, then removes
 * the account (an administrator's account stays, signed out).
 */
void
rc_monitor_sign_out_async (RcMonitor           *self,
                           RcAccount           *account,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry;
  RcSession *session;

  g_return_if_fail (RC_IS_MONITOR (self));
  g_return_if_fail (RC_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_monitor_sign_out_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  entry = lookup_entry (self, account);
  if (entry->check != NULL)
    {
      g_cancellable_cancel (entry->check);
      g_clear_object (&entry->check);
    }
  g_clear_handle_id (&entry->timer_id, g_source_remove);
  entry->next_check = 0;

  session = entry_get_session (entry, &error);
  if (session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  rc_session_sign_out_async (session, self->accounts, cancellable, on_signed_out, g_steal_pointer (&task));
}

/**
 * rc_monitor_sign_out_finish:
 *
 * Returns: (transfer full) (nullable): what the sign-out achieved (see
 *   #RcSignOutReport), or %NULL with @error set
 */
RcSignOutReport *
rc_monitor_sign_out_finish (RcMonitor     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
