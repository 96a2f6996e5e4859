/* rc-account-store.c: where the accounts live
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of RcAccount.  The user's accounts are in
 * $XDG_CONFIG_HOME/reconnect/accounts.ini, written atomically (a new file
 * renamed over the old) with a format version; an administrator's, read
 * only, in the .ini files of $XDG_CONFIG_DIRS/reconnect/accounts.d; the run-time state
 * (last check, last success, first failure, cause) in
 * $XDG_STATE_HOME/reconnect/state.ini.  None of them holds a secret.  A file
 * that cannot be read is set aside under a new name, and said so.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rc-account-store.h"
#include "rc-file-lock.h"
#include "rc-http.h"
#include "rc-local-file.h"
#include "rc-protocol-error.h"
#include "rc-text.h"

#define GROUP_PREFIX "account "

/* A change to accounts.ini holds its lock only while it reads, merges and
 * writes the file: milliseconds, unless the disk stalls. */
#define LOCK_TIMEOUT_MS 10000

/* Outside input, bounded: see load_file(). */
#define MAX_ID_LENGTH 64
#define MAX_VALUE_LENGTH 8192

struct _RcAccountStore
{
  GObject    parent_instance;

  char      *config_dir;
  GStrv      system_dirs;
  char      *state_dir;
  GPtrArray *accounts;
  char      *problem;

  /* What this process last read or wrote, to tell another's writes from
   * its own when the files change. */
  char         *accounts_seen;
  char         *state_seen;
  GFileMonitor *accounts_monitor;
  GFileMonitor *state_monitor;
  guint         reread_id;
};

static void rc_account_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RcAccountStore, rc_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, rc_account_store_list_model_init))

static GType
rc_account_store_get_item_type (GListModel *model)
{
  return RC_TYPE_ACCOUNT;
}

static guint
rc_account_store_get_n_items (GListModel *model)
{
  return RC_ACCOUNT_STORE (model)->accounts->len;
}

static gpointer
rc_account_store_get_item (GListModel *model,
                           guint       position)
{
  RcAccountStore *self = RC_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
rc_account_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rc_account_store_get_item_type;
  iface->get_n_items = rc_account_store_get_n_items;
  iface->get_item = rc_account_store_get_item;
}

static char *
accounts_path (RcAccountStore *self)
{
  return g_build_filename (self->config_dir, "accounts.ini", NULL);
}

static char *
state_path (RcAccountStore *self)
{
  return g_build_filename (self->state_dir, "state.ini", NULL);
}

static void
add_problem (RcAccountStore *self,
             const char     *text)
{
  g_autofree char *old = g_steal_pointer (&self->problem);

  self->problem = old ? g_strconcat (old, "\n", text, NULL) : g_strdup (text);
}

/* Renames an unreadable file out of the way, so the next save starts
 * clean and the user (or support) still has the original. */
static void
set_aside (RcAccountStore *self,
           const char     *path,
           const char     *why)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *aside = g_strdup_printf ("%s.unreadable-%s", path, stamp);
  g_autofree char *text = NULL;

  /* Never over another file set aside the same second. */
  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.unreadable-%s-%u", path, stamp, n);
    }
  if (g_rename (path, aside) == 0)
    text = g_strdup_printf (_("Your saved accounts could not be read (%s), so Reconnect started without them. "
                              "The file was kept as %s."), why, aside);
  else
    text = g_strdup_printf (_("Your saved accounts could not be read (%s)."), why);
  g_message ("%s", text);
  add_problem (self, text);
}

/* Ids name keyfile groups and show in the command line: letters, digits
 * and a few marks, never a path or a control character. */
static gboolean
id_is_valid (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > MAX_ID_LENGTH || id[0] == '.' || id[0] == '-')
    return FALSE;
  return strspn (id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-@") == length;
}

/* A value longer than any address or name could be is an error in the
 * file, not something to keep in memory. */
static gboolean
values_fit (GKeyFile    *file,
            const char  *group,
            GError     **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_value (file, group, keys[i], NULL);

      if (value != NULL && strlen (value) > MAX_VALUE_LENGTH)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       /* TRANSLATORS: a key of an accounts file */
                       _("the value of “%s” is too long"), keys[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static RcAccount *
account_from_group (GKeyFile    *file,
                    const char  *group,
                    gboolean     provisioned,
                    GError     **error)
{
  g_autofree char *provider = g_key_file_get_string (file, group, "provider", NULL);
  g_autofree char *endpoint = g_key_file_get_string (file, group, "endpoint", NULL);
  g_autofree char *client_id = g_key_file_get_string (file, group, "client-id", NULL);
  g_autofree char *redirect = g_key_file_get_string (file, group, "redirect-uri", NULL);
  g_autofree char *environment = g_key_file_get_string (file, group, "environment-url", NULL);
  g_autofree char *authority = g_key_file_get_string (file, group, "authority", NULL);
  g_autofree char *name = g_key_file_get_string (file, group, "name", NULL);
  g_autofree char *user = g_key_file_get_string (file, group, "user", NULL);
  const char *id = group + strlen (GROUP_PREFIX);
  RcAccount *account;

  if (!id_is_valid (id))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("its id may hold only letters, digits and “.”, “_”, “-”, “@”"));
      return NULL;
    }
  if (!values_fit (file, group, error) ||
      !rc_account_validate (provider, endpoint, client_id, redirect, error))
    return NULL;
  /* Another Entra cloud (or the simulator): https, or http on loopback. */
  if (authority != NULL && !rc_http_check_url (authority, error))
    return NULL;
  if (environment != NULL && !rc_http_check_url (environment, error))
    return NULL;

  account = rc_account_new (id, provider, endpoint, client_id);
  rc_account_set_redirect_uri (account, redirect);
  rc_account_set_environment_url (account, environment);
  rc_account_set_authority (account, authority);
  rc_account_set_display_name (account, name);
  rc_account_set_user (account, user);
  rc_account_set_provisioned (account, provisioned);
  {
    g_autofree char *key = g_key_file_get_string (file, group, "key", NULL);

    /* Only a user's accounts have keys of their own (see rc_account_get_key()). */
    if (key != NULL && *key != '\0' && !provisioned)
      rc_account_set_key (account, key);
    rc_account_set_forget_pending (account, g_key_file_get_boolean (file, group, "forget-pending", NULL));
  }
  return account;
}

/* Reads @path (at most %RC_LOCAL_FILE_MAX_SETTINGS, a regular file) into
 * @file; %NULL and no error if it is not there. */
static char *
read_settings (const char  *path,
               GKeyFile    *file,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  contents = rc_local_file_read (path, RC_LOCAL_FILE_MAX_SETTINGS, &length, &local_error);
  if (contents == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!g_key_file_load_from_data (file, contents, length, G_KEY_FILE_NONE, error))
    return NULL;
  return g_steal_pointer (&contents);
}

/* Adds the accounts of one file.  What is wrong with one account (an id
 * that could be a path, a value of megabytes, an http address) leaves that
 * account out and says so; the others still load.  Returns the text read,
 * for the user's file: what this process saw, to tell others' writes by. */
static char *
load_file (RcAccountStore *self,
           const char     *path,
           gboolean        provisioned)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;

  contents = read_settings (path, file, &error);
  if (contents == NULL)
    {
      if (error == NULL)
        return NULL;
      if (provisioned)
        {
          g_autofree char *text = g_strdup_printf (_("The accounts your administrator set up in %s could not be read: %s"),
                                                   path, error->message);
          add_problem (self, text);
        }
      else
        set_aside (self, path, error->message);
      return NULL;
    }

  if (!provisioned && g_key_file_get_integer (file, "reconnect", "format", NULL) != RC_ACCOUNT_STORE_FORMAT)
    {
      set_aside (self, path, _("it was written in a format this version does not know"));
      return NULL;
    }

  for (guint i = 0; i < self->accounts->len; i++)
    g_hash_table_add (seen, (gpointer) rc_account_get_id (g_ptr_array_index (self->accounts, i)));

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(RcAccount) account = NULL;
      g_autoptr(GError) account_error = NULL;
      const char *id = groups[i] + strlen (GROUP_PREFIX);

      if (!g_str_has_prefix (groups[i], GROUP_PREFIX))
        continue;
      /* An administrator's account wins over a user's with the same id. */
      if (g_hash_table_contains (seen, id))
        continue;

      account = account_from_group (file, groups[i], provisioned, &account_error);
      if (account == NULL)
        {
          g_autofree char *shown = rc_text_printable (id, MAX_ID_LENGTH, RC_TEXT_ONE_LINE);
          g_autofree char *text = g_strdup_printf (_("The account “%s” in %s was left out: %s."),
                                                   shown, path, account_error->message);
          add_problem (self, text);
          continue;
        }
      g_hash_table_add (seen, (gpointer) rc_account_get_id (account));
      g_ptr_array_add (self->accounts, g_steal_pointer (&account));
    }
  return provisioned ? NULL : g_steal_pointer (&contents);
}

/* Returns the text read, as load_file() does. */
static char *
load_state (RcAccountStore *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = state_path (self);
  g_autofree char *contents = read_settings (path, file, NULL);

  /* Run-time state is a cache: if it cannot be read, start fresh. */
  if (contents == NULL)
    return NULL;

  for (guint i = 0; i < self->accounts->len; i++)
    {
      RcAccount *account = g_ptr_array_index (self->accounts, i);
      const char *id = rc_account_get_id (account);
      g_autofree char *state = g_key_file_get_string (file, id, "state", NULL);
      g_autofree char *cause = g_key_file_get_string (file, id, "cause", NULL);
      RcConnectionState value;

      if (rc_connection_state_from_string (state, &value))
        rc_account_set_state (account, value);
      rc_account_set_cause (account, cause);
      rc_account_set_checked_at (account, MAX (0, g_key_file_get_int64 (file, id, "checked-at", NULL)));
      rc_account_set_last_ok (account, MAX (0, g_key_file_get_int64 (file, id, "last-ok", NULL)));
      rc_account_set_first_failure (account, MAX (0, g_key_file_get_int64 (file, id, "first-failure", NULL)));
      rc_account_set_signed_in_at (account, MAX (0, g_key_file_get_int64 (file, id, "signed-in-at", NULL)));
      rc_account_set_last_refresh (account, MAX (0, g_key_file_get_int64 (file, id, "last-refresh", NULL)));
      {
        g_auto(GStrv) history = g_key_file_get_string_list (file, id, "history", NULL, NULL);

        rc_account_set_history (account, (const char * const *) history);
      }
    }
  return g_steal_pointer (&contents);
}

static char *
read_seen (const char *path)
{
  return rc_local_file_read (path, RC_LOCAL_FILE_MAX_SETTINGS, NULL, NULL);
}

/* Reads every account into a new list; an account that @keep holds under
 * the same id keeps its object, so whoever watches it keeps watching. */
static void
load_all (RcAccountStore *self,
          GPtrArray      *keep)
{
  g_autofree char *path = NULL;

  g_clear_pointer (&self->problem, g_free);

  for (guint i = 0; self->system_dirs[i] != NULL; i++)
    {
      g_autofree char *dir_path = g_build_filename (self->system_dirs[i], "reconnect", "accounts.d", NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".ini"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint j = 0; j < names->len; j++)
        {
          g_autofree char *file = g_build_filename (dir_path, g_ptr_array_index (names, j), NULL);

          load_file (self, file, TRUE);
        }
    }

  path = accounts_path (self);
  g_free (self->accounts_seen);
  self->accounts_seen = load_file (self, path, FALSE);

  for (guint i = 0; keep != NULL && i < self->accounts->len; i++)
    for (guint j = 0; j < keep->len; j++)
      if (g_strcmp0 (rc_account_get_id (g_ptr_array_index (keep, j)),
                     rc_account_get_id (g_ptr_array_index (self->accounts, i))) == 0)
        {
          g_object_unref (g_ptr_array_index (self->accounts, i));
          g_ptr_array_index (self->accounts, i) = g_object_ref (g_ptr_array_index (keep, j));
        }

  g_free (self->state_seen);
  self->state_seen = load_state (self);
}

/**
 * rc_account_store_load:
 * @self: a #RcAccountStore
 *
 * (Re)reads every account: the administrator's first, then the user's,
 * then the run-time state.  Problems never fail the load: they are in
 * rc_account_store_get_problem().
 */
void
rc_account_store_load (RcAccountStore *self)
{
  guint removed;

  g_return_if_fail (RC_IS_ACCOUNT_STORE (self));

  removed = self->accounts->len;
  g_ptr_array_set_size (self->accounts, 0);
  load_all (self, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->accounts->len);
}

/* Another process (the command line, say) wrote one of the files. */
static gboolean
on_reread (gpointer user_data)
{
  RcAccountStore *self = user_data;
  g_autofree char *accounts_file = accounts_path (self);
  g_autofree char *state_file = state_path (self);
  g_autofree char *accounts = read_seen (accounts_file);
  g_autofree char *state = read_seen (state_file);

  self->reread_id = 0;

  if (g_strcmp0 (accounts, self->accounts_seen) != 0)
    {
      g_autoptr(GPtrArray) before = g_steal_pointer (&self->accounts);
      gboolean same = TRUE;

      g_debug ("accounts.ini changed on disk: reading it again");
      self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
      load_all (self, before);
      same = before->len == self->accounts->len;
      for (guint i = 0; same && i < before->len; i++)
        same = g_ptr_array_index (before, i) == g_ptr_array_index (self->accounts, i);
      if (!same)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, before->len, self->accounts->len);
    }
  else if (g_strcmp0 (state, self->state_seen) != 0)
    {
      g_debug ("state.ini changed on disk: reading it again");
      g_free (self->state_seen);
      self->state_seen = load_state (self);
    }
  return G_SOURCE_REMOVE;
}

static void
on_file_changed (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 RcAccountStore    *self)
{
  /* An atomic write is a burst of events: read once it is over. */
  g_clear_handle_id (&self->reread_id, g_source_remove);
  self->reread_id = g_timeout_add (200, on_reread, self);
}

static GFileMonitor *
monitor_path (RcAccountStore *self,
              const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);

  if (monitor == NULL)
    {
      g_debug ("Cannot follow %s: %s", path, error->message);
      return NULL;
    }
  g_signal_connect (monitor, "changed", G_CALLBACK (on_file_changed), self);
  return monitor;
}

/**
 * rc_account_store_follow_changes:
 * @self: a #RcAccountStore
 *
 * From now on, what other processes write to the accounts and their state
 * (the command line, a second window) shows here too.  Accounts keep their
 * objects across such a reload.
 */
void
rc_account_store_follow_changes (RcAccountStore *self)
{
  g_autofree char *accounts = NULL;
  g_autofree char *state = NULL;

  g_return_if_fail (RC_IS_ACCOUNT_STORE (self));

  if (self->accounts_monitor != NULL || self->state_monitor != NULL)
    return;
  accounts = accounts_path (self);
  state = state_path (self);
  self->accounts_monitor = monitor_path (self, accounts);
  self->state_monitor = monitor_path (self, state);
}

static gboolean
write_atomically (const char  *path,
                  const char  *contents,
                  gboolean     durable,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* g_file_set_contents_full writes a temporary file and renames it over
   * the old one: a crash leaves the old file or the new, never half.  Only
   * the accounts are worth a sync to the disk; the state is a cache written
   * after every check, on the window's main thread. */
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | (durable ? G_FILE_SET_CONTENTS_DURABLE : 0),
                                   0600, error);
}

static GKeyFile *
keyfile_from_accounts (RcAccountStore *self)
{
  GKeyFile *file = g_key_file_new ();

  g_key_file_set_integer (file, "reconnect", "format", RC_ACCOUNT_STORE_FORMAT);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      RcAccount *account = g_ptr_array_index (self->accounts, i);
      g_autofree char *group = g_strconcat (GROUP_PREFIX, rc_account_get_id (account), NULL);

      if (rc_account_get_provisioned (account))
        continue;

      g_key_file_set_string (file, group, "provider", rc_account_get_provider (account));
      g_key_file_set_string (file, group, "endpoint", rc_account_get_endpoint (account));
      g_key_file_set_string (file, group, "client-id", rc_account_get_client_id (account));
#define OPTIONAL(key, value) if ((value) != NULL) g_key_file_set_string (file, group, key, value)
      OPTIONAL ("redirect-uri", rc_account_get_redirect_uri (account));
      OPTIONAL ("environment-url", rc_account_get_environment_url (account));
      OPTIONAL ("authority", rc_account_get_authority (account));
      OPTIONAL ("user", rc_account_get_user (account));
#undef OPTIONAL
      if (g_strcmp0 (rc_account_get_display_name (account), rc_account_get_endpoint (account)) != 0 &&
          g_strcmp0 (rc_account_get_display_name (account), rc_account_get_user (account)) != 0)
        g_key_file_set_string (file, group, "name", rc_account_get_display_name (account));
      if (rc_account_has_own_key (account))
        g_key_file_set_string (file, group, "key", rc_account_get_key (account));
      if (rc_account_get_forget_pending (account))
        g_key_file_set_boolean (file, group, "forget-pending", TRUE);
    }
  return file;
}

static gboolean
has_account_group (GKeyFile   *file,
                   const char *id)
{
  g_autofree char *group = g_strconcat (GROUP_PREFIX, id, NULL);

  return g_key_file_has_group (file, group);
}

static guint
index_of (RcAccountStore *self,
          RcAccount      *account)
{
  guint index = G_MAXUINT;

  g_ptr_array_find (self->accounts, account, &index);
  return index;
}

/* What other processes did since this one last read or wrote the file
 * (@base) comes into memory: the accounts they added, the removal of those
 * they removed.  This process's own changes are in memory already. */
static void
merge_others (RcAccountStore *self,
              GKeyFile       *base,
              GKeyFile       *theirs)
{
  g_auto(GStrv) groups = g_key_file_get_groups (theirs, NULL);

  for (guint i = self->accounts->len; i > 0; i--)
    {
      RcAccount *account = g_ptr_array_index (self->accounts, i - 1);
      const char *id = rc_account_get_id (account);

      if (!rc_account_get_provisioned (account) && has_account_group (base, id) && !has_account_group (theirs, id))
        {
          g_debug ("Account %s was removed by another process", id);
          g_ptr_array_remove_index (self->accounts, i - 1);
          g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
        }
    }

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *id = groups[i] + strlen (GROUP_PREFIX);
      RcAccount *account;

      if (!g_str_has_prefix (groups[i], GROUP_PREFIX) || g_key_file_has_group (base, groups[i]) ||
          rc_account_store_lookup (self, id) != NULL)
        continue;
      account = account_from_group (theirs, groups[i], FALSE, NULL);
      if (account == NULL)
        continue;
      g_debug ("Account %s was added by another process", id);
      g_ptr_array_add (self->accounts, account);
      g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);
    }
}

typedef gboolean (*ChangeFunc) (RcAccountStore  *self,
                                gpointer         data,
                                GError         **error);

/* Every change to accounts.ini: lock it, read what is there now, merge it
 * with this process's accounts, make @change, write.  Ten processes adding
 * an account at once so keep all ten. */
static gboolean
change_locked (RcAccountStore  *self,
               ChangeFunc       change,
               gpointer         data,
               GError         **error)
{
  g_autofree char *path = accounts_path (self);
  g_autofree char *lock_path = g_build_filename (self->config_dir, "accounts.lock", NULL);
  g_autoptr(RcFileLock) lock = NULL;
  g_autoptr(GKeyFile) base = g_key_file_new ();
  g_autoptr(GKeyFile) theirs = g_key_file_new ();
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *on_disk = NULL;
  g_autofree char *data_out = NULL;

  lock = rc_file_lock_acquire (lock_path, LOCK_TIMEOUT_MS, NULL, error);
  if (lock == NULL)
    return FALSE;

  on_disk = read_seen (path);
  if (g_strcmp0 (on_disk, self->accounts_seen) != 0)
    {
      if (self->accounts_seen != NULL)
        g_key_file_load_from_data (base, self->accounts_seen, -1, G_KEY_FILE_NONE, NULL);
      if (on_disk != NULL)
        g_key_file_load_from_data (theirs, on_disk, -1, G_KEY_FILE_NONE, NULL);
      merge_others (self, base, theirs);
    }

  if (change != NULL && !change (self, data, error))
    return FALSE;

  file = keyfile_from_accounts (self);
  data_out = g_key_file_to_data (file, NULL, NULL);
  if (!write_atomically (path, data_out, TRUE, error))
    return FALSE;
  g_free (self->accounts_seen);
  self->accounts_seen = g_steal_pointer (&data_out);
  return TRUE;
}

/**
 * rc_account_store_save:
 * @self: a #RcAccountStore
 * @error: return location for a #GError
 *
 * Writes the user's accounts (not the administrator's), merged with what
 * other processes wrote meanwhile.
 *
 * Returns: %TRUE on success
 */
gboolean
rc_account_store_save (RcAccountStore  *self,
                       GError         **error)
{
  g_return_val_if_fail (RC_IS_ACCOUNT_STORE (self), FALSE);

  return change_locked (self, NULL, NULL, error);
}

/**
 * rc_account_store_save_state:
 * @self: a #RcAccountStore
 * @error: return location for a #GError
 *
 * Writes every account's run-time state.
 *
 * Returns: %TRUE on success
 */
gboolean
rc_account_store_save_state (RcAccountStore  *self,
                             GError         **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *data = NULL;
  g_autofree char *path = state_path (self);

  g_return_val_if_fail (RC_IS_ACCOUNT_STORE (self), FALSE);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      RcAccount *account = g_ptr_array_index (self->accounts, i);
      const char *id = rc_account_get_id (account);

      g_key_file_set_string (file, id, "state", rc_connection_state_to_string (rc_account_get_state (account)));
      if (rc_account_get_cause (account) != NULL)
        g_key_file_set_string (file, id, "cause", rc_account_get_cause (account));
      g_key_file_set_int64 (file, id, "checked-at", rc_account_get_checked_at (account));
      g_key_file_set_int64 (file, id, "last-ok", rc_account_get_last_ok (account));
      g_key_file_set_int64 (file, id, "first-failure", rc_account_get_first_failure (account));
      g_key_file_set_int64 (file, id, "signed-in-at", rc_account_get_signed_in_at (account));
      g_key_file_set_int64 (file, id, "last-refresh", rc_account_get_last_refresh (account));
      if (rc_account_get_history (account) != NULL)
        g_key_file_set_string_list (file, id, "history", rc_account_get_history (account),
                                    g_strv_length ((char **) rc_account_get_history (account)));
    }

  data = g_key_file_to_data (file, NULL, NULL);
  if (!write_atomically (path, data, FALSE, error))
    return FALSE;
  g_free (self->state_seen);
  self->state_seen = g_steal_pointer (&data);
  return TRUE;
}

/**
 * rc_account_store_lookup:
 *
 * Returns: (transfer none) (nullable): the account with @id
 */
RcAccount *
rc_account_store_lookup (RcAccountStore *self,
                         const char     *id)
{
  g_return_val_if_fail (RC_IS_ACCOUNT_STORE (self), NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    if (g_strcmp0 (rc_account_get_id (g_ptr_array_index (self->accounts, i)), id) == 0)
      return g_ptr_array_index (self->accounts, i);

  return NULL;
}

static gboolean
add_change (RcAccountStore  *self,
            gpointer         data,
            GError         **error)
{
  RcAccount *account = data;

  /* Another process took the id meanwhile: the next free one, then. */
  if (rc_account_store_lookup (self, rc_account_get_id (account)) != NULL)
    {
      g_autofree char *id = rc_account_store_new_id (self, rc_account_get_provider (account));

      g_debug ("Account id %s was taken meanwhile; using %s", rc_account_get_id (account), id);
      rc_account_set_id (account, id);
    }

  g_ptr_array_add (self->accounts, g_object_ref (account));
  return TRUE;
}

/**
 * rc_account_store_add:
 * @self: a #RcAccountStore
 * @account: a new account
 * @error: return location for a #GError
 *
 * Checks @account, gives it a keyring key of its own, adds it and saves.
 * If another process added an account with the same id since this store
 * last read the file, @account gets the next free id: read it back with
 * rc_account_get_id().
 *
 * Returns: %TRUE if it was added and saved
 */
gboolean
rc_account_store_add (RcAccountStore  *self,
                      RcAccount       *account,
                      GError         **error)
{
  g_return_val_if_fail (RC_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), FALSE);

  if (!rc_account_validate (rc_account_get_provider (account), rc_account_get_endpoint (account),
                            rc_account_get_client_id (account), rc_account_get_redirect_uri (account), error))
    return FALSE;
  if (rc_account_store_lookup (self, rc_account_get_id (account)) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("There is already an account “%s”"),
                   rc_account_get_id (account));
      return FALSE;
    }

  /* Random, so that no later account ever finds this one's secret, even
   * if it gets the same id once this one is gone. */
  if (!rc_account_has_own_key (account))
    {
      g_autofree char *uuid = g_uuid_string_random ();

      rc_account_set_key (account, uuid);
    }

  if (!change_locked (self, add_change, account, error))
    {
      g_ptr_array_remove (self->accounts, account);
      return FALSE;
    }
  g_list_model_items_changed (G_LIST_MODEL (self), index_of (self, account), 0, 1);
  return TRUE;
}

static gboolean
remove_change (RcAccountStore  *self,
               gpointer         data,
               GError         **error)
{
  RcAccount *account = data;
  guint index = index_of (self, account);

  if (index != G_MAXUINT)
    {
      g_ptr_array_remove_index (self->accounts, index);
      g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
    }
  return TRUE;
}

/**
 * rc_account_store_remove:
 * @self: a #RcAccountStore
 * @id: the account
 * @error: return location for a #GError
 *
 * Forgets a user's account (its metadata; the keyring item is RcSession's
 * business).  An administrator's account cannot be removed.
 *
 * Returns: %TRUE if it was removed and the file saved
 */
gboolean
rc_account_store_remove (RcAccountStore  *self,
                         const char      *id,
                         GError         **error)
{
  g_autoptr(RcAccount) account = NULL;
  RcAccount *found;
  guint index;

  g_return_val_if_fail (RC_IS_ACCOUNT_STORE (self), FALSE);

  found = rc_account_store_lookup (self, id);
  if (found == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no account “%s”"), id);
      return FALSE;
    }
  if (rc_account_get_provisioned (found))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("Your administrator set up “%s”; only they can remove it"),
                   rc_account_get_display_name (found));
      return FALSE;
    }

  account = g_object_ref (found);
  index = index_of (self, account);
  if (!change_locked (self, remove_change, account, error))
    {
      /* Not written: put it back where it was, if the merge let it go. */
      if (index_of (self, account) == G_MAXUINT)
        {
          index = MIN (index, self->accounts->len);
          g_ptr_array_insert (self->accounts, index, g_object_ref (account));
          g_list_model_items_changed (G_LIST_MODEL (self), index, 0, 1);
        }
      return FALSE;
    }
  return TRUE;
}

/**
 * rc_account_store_new_id:
 *
 * Returns: (transfer full): an id no account has, such as "salesforce-2"
 */
char *
rc_account_store_new_id (RcAccountStore *self,
                         const char     *provider)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", provider, n);

      if (rc_account_store_lookup (self, id) == NULL)
        return g_steal_pointer (&id);
    }
}

const char *
rc_account_store_get_problem (RcAccountStore *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT_STORE (self), NULL);
  return self->problem;
}

static void
rc_account_store_dispose (GObject *object)
{
  RcAccountStore *self = RC_ACCOUNT_STORE (object);

  g_clear_handle_id (&self->reread_id, g_source_remove);
  if (self->accounts_monitor != NULL)
    g_file_monitor_cancel (self->accounts_monitor);
  if (self->state_monitor != NULL)
    g_file_monitor_cancel (self->state_monitor);
  g_clear_object (&self->accounts_monitor);
  g_clear_object (&self->state_monitor);

  G_OBJECT_CLASS (rc_account_store_parent_class)->dispose (object);
}

static void
rc_account_store_finalize (GObject *object)
{
  RcAccountStore *self = RC_ACCOUNT_STORE (object);

  g_free (self->accounts_seen);
  g_free (self->state_seen);
  g_free (self->config_dir);
  g_strfreev (self->system_dirs);
  g_free (self->state_dir);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_free (self->problem);

  G_OBJECT_CLASS (rc_account_store_parent_class)->finalize (object);
}

static void
rc_account_store_class_init (RcAccountStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rc_account_store_dispose;
  G_OBJECT_CLASS (klass)->finalize = rc_account_store_finalize;
}

static void
rc_account_store_init (RcAccountStore *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * rc_account_store_new:
 * @config_dir: the user's folder for accounts.ini
 * @system_config_dirs: where administrators' accounts.d folders may be
 * @state_dir: the folder for state.ini
 *
 * Returns: (transfer full): a store; call rc_account_store_load()
 */
RcAccountStore *
rc_account_store_new (const char         *config_dir,
                      const char * const *system_config_dirs,
                      const char         *state_dir)
{
  RcAccountStore *self = g_object_new (RC_TYPE_ACCOUNT_STORE, NULL);

  self->config_dir = g_strdup (config_dir);
  self->system_dirs = g_strdupv ((char **) system_config_dirs);
  self->state_dir = g_strdup (state_dir);
  return self;
}

/**
 * rc_account_store_new_default:
 *
 * Returns: (transfer full): the store in the XDG base directories
 */
RcAccountStore *
rc_account_store_new_default (void)
{
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "reconnect", NULL);
  g_autofree char *state = g_build_filename (g_get_user_state_dir (), "reconnect", NULL);

  return rc_account_store_new (config, g_get_system_config_dirs (), state);
}
