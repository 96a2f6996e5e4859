/* rc-cli-common.c: what the subcommands share
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The subcommands work on the window's own accounts, keyring items and
 * state, through the same core objects; only the waiting differs: a
 * command iterates the main context until its one answer is in.
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "rc-cause.h"
#include "rc-classifier.h"
#include "rc-cli-common.h"
#include "rc-remedy.h"

#define SECRET_SERVICE "org.freedesktop.secrets"

/* ----------------------------------------------------------- options -- */

/**
 * rc_cli_usage_error:
 * @command: the subcommand
 * @message: what was wrong
 *
 * Returns: %RC_CLI_EXIT_USAGE, having said why and where help is
 */
int
rc_cli_usage_error (const char *command,
                    const char *message)
{
  g_printerr ("%s\n", message);
  g_printerr (_("Run “reconnect %s --help” to see its options."), command);
  g_printerr ("\n");
  return RC_CLI_EXIT_USAGE;
}

/**
 * rc_cli_parse_options:
 * @command: the subcommand, as typed
 * @parameters: what follows the options in the usage line, such as "ACCOUNT…"
 * @summary: one paragraph for --help
 * @entries: the options
 * @argc: (inout): the subcommand's arguments, @command first
 * @argv: (inout): the arguments; the options are taken out
 * @min_args: how many arguments must remain besides @command
 * @max_args: how many may, or -1 for any number
 *
 * Returns: %RC_CLI_EXIT_OK, or %RC_CLI_EXIT_USAGE having said why
 */
int
rc_cli_parse_options (const char          *command,
                      const char          *parameters,
                      const char          *summary,
                      const GOptionEntry  *entries,
                      int                 *argc,
                      char              ***argv,
                      int                  min_args,
                      int                  max_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("reconnect %s", command);
  g_autofree char *description = g_strdup_printf (_("Exit status: 0 all connected, 1 someone must sign in, "
                                                    "2 an administrator must act, 3 a provider could not be "
                                                    "reached, 4 a local problem such as the keyring, 64 usage.\n"
                                                    "See reconnect(1) for more."));

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    return rc_cli_usage_error (command, error->message);

  /* GOption leaves "--" in place; it only ends the options. */
  for (int i = 1; i < *argc; i++)
    if (g_strcmp0 ((*argv)[i], "--") == 0)
      {
        memmove (*argv + i, *argv + i + 1, (*argc - i) * sizeof (char *));
        (*argc)--;
        break;
      }

  if (*argc - 1 < min_args)
    {
      g_autofree char *text = g_strdup_printf (_("reconnect %s needs %s"), command, parameters);

      return rc_cli_usage_error (command, text);
    }
  if (max_args >= 0 && *argc - 1 > max_args)
    {
      g_autofree char *text = g_strdup_printf (_("Unexpected argument “%s”"), (*argv)[1 + max_args]);

      return rc_cli_usage_error (command, text);
    }
  return RC_CLI_EXIT_OK;
}

/* ---------------------------------------------------------- accounts -- */

/**
 * rc_cli_load_accounts:
 *
 * Returns: (transfer full): the window's accounts, loaded; a problem with
 *   the files is said on stderr, the way the window shows it
 */
RcAccountStore *
rc_cli_load_accounts (void)
{
  RcAccountStore *store = rc_account_store_new_default ();

  rc_account_store_load (store);
  if (rc_account_store_get_problem (store) != NULL)
    g_printerr ("%s\n", rc_account_store_get_problem (store));
  return store;
}

/**
 * rc_cli_select_accounts:
 * @store: the accounts
 * @ids: (nullable) (array zero-terminated=1): the ids asked for; none for all
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RcAccount): the accounts, or %NULL
 *   when an id is unknown
 */
GPtrArray *
rc_cli_select_accounts (RcAccountStore  *store,
                        char           **ids,
                        GError         **error)
{
  g_autoptr(GPtrArray) selected = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (ids == NULL || ids[0] == NULL)
    {
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (selected, g_list_model_get_item (G_LIST_MODEL (store), i));
      return g_steal_pointer (&selected);
    }

  for (guint i = 0; ids[i] != NULL; i++)
    {
      RcAccount *account = rc_account_store_lookup (store, ids[i]);

      if (account == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("There is no account “%s”. “reconnect list” shows the accounts."), ids[i]);
          return NULL;
        }
      if (!g_ptr_array_find (selected, account, NULL))
        g_ptr_array_add (selected, g_object_ref (account));
    }
  return g_steal_pointer (&selected);
}

/* ----------------------------------------------------------- keyring -- */

/* The check's connection, kept for the process: libsecret takes the same
 * shared one, which would otherwise close with the check's last reference
 * and be opened again, handshake and all, for the first keyring call. */
static GDBusConnection *session_bus;

static gboolean
in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static gboolean
bus_has_name (GDBusConnection *bus,
              const char      *method,
              const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) names = NULL;
  gboolean found = FALSE;

  if (g_str_equal (method, "NameHasOwner"))
    {
      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", method, g_variant_new ("(s)", name),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &found);
      return found;
    }

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", method, NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  names = g_variant_get_child_value (reply, 0);
  for (gsize i = 0; i < g_variant_n_children (names) && !found; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (names, i);

      found = g_str_equal (g_variant_get_string (child, NULL), name);
    }
  return found;
}

/**
 * rc_cli_keyring_check:
 * @error: return location for a #GError saying what is missing
 *
 * Whether a keyring can answer at all, found out at once rather than by a
 * keyring call that would wait for its time limit, or worse, make GDBus
 * start a bus of its own for a display nobody looks at.
 *
 * Returns: %TRUE if the Secret Service (or the Secret portal) can be asked
 */
gboolean
rc_cli_keyring_check (GError **error)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) bus_error = NULL;

  if (address == NULL || *address == '\0')
    {
      g_autofree char *user_bus = runtime_dir ? g_build_filename (runtime_dir, "bus", NULL) : NULL;

      if (user_bus == NULL || !g_file_test (user_bus, G_FILE_TEST_EXISTS))
        {
          g_set_error_literal (error, RC_SECRET_ERROR, RC_SECRET_ERROR_NO_SERVICE,
                               _("No keyring is available: there is no D-Bus session bus "
                                 "(DBUS_SESSION_BUS_ADDRESS is not set), so the Secret Service that keeps the "
                                 "sign-ins cannot be reached. Run the command in the user’s desktop session, "
                                 "or start a bus and unlock the keyring, for example with “dbus-run-session” "
                                 "and “gnome-keyring-daemon --unlock”."));
          return FALSE;
        }
    }

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &bus_error);
  if (bus == NULL)
    {
      g_set_error (error, RC_SECRET_ERROR, RC_SECRET_ERROR_NO_SERVICE,
                   _("No keyring is available: the D-Bus session bus cannot be reached (%s)."),
                   bus_error->message);
      return FALSE;
    }
  g_set_object (&session_bus, bus);

  /* In the sandbox the keyring is the Secret portal's business. */
  if (in_flatpak ())
    return TRUE;

  if (!bus_has_name (bus, "NameHasOwner", SECRET_SERVICE) &&
      !bus_has_name (bus, "ListActivatableNames", SECRET_SERVICE))
    {
      g_set_error_literal (error, RC_SECRET_ERROR, RC_SECRET_ERROR_NO_SERVICE,
                           _("No keyring is available: no Secret Service (such as GNOME Keyring) runs on the "
                             "session bus. Install or start one, then try again."));
      return FALSE;
    }
  return TRUE;
}

/**
 * rc_cli_secret_store_new:
 *
 * Returns: (transfer full): the keyring, with the command line's time limit
 */
RcSecretStore *
rc_cli_secret_store_new (void)
{
  RcSecretStore *secrets = rc_secret_store_new ();

  rc_secret_store_set_timeout (secrets, RC_CLI_KEYRING_TIMEOUT);
  return secrets;
}

static void
tokens_unref (gpointer tokens)
{
  if (tokens != NULL)
    rc_token_set_unref (tokens);
}

/**
 * rc_cli_keyring_load:
 * @secrets: (inout) (nullable): the keyring; cleared when it cannot answer,
 *   so that the next accounts do not wait for it again
 * @account: an account
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the keyring holds for @account,
 *   without a refresh or a request; %NULL without an error for nothing
 */
RcTokenSet *
rc_cli_keyring_load (RcSecretStore **secrets,
                     RcAccount      *account,
                     GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  RcTokenSet *tokens;

  g_autofree char *server = NULL;

  if (*secrets == NULL || (server = rc_account_dup_server (account)) == NULL)
    return NULL;

  rc_secret_store_load_async (*secrets, rc_account_get_key (account),
                              &(RcSecretBinding) { server, rc_account_get_client_id (account) },
                              NULL, rc_cli_on_done, &result);
  rc_cli_wait (&result);
  tokens = rc_secret_store_load_finish (*secrets, result, &local_error);
  if (local_error != NULL)
    {
      g_debug ("No session details for %s: %s", rc_account_get_id (account), local_error->message);
      if (g_error_matches (local_error, RC_SECRET_ERROR, RC_SECRET_ERROR_TIMED_OUT) ||
          g_error_matches (local_error, RC_SECRET_ERROR, RC_SECRET_ERROR_LOCKED) ||
          g_error_matches (local_error, RC_SECRET_ERROR, RC_SECRET_ERROR_NO_SERVICE))
        g_clear_object (secrets);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return tokens;
}

typedef struct
{
  GPtrArray *tokens;    /* unowned: rc_cli_keyring_load_all() waits for every load */
  guint     *pending;
  guint      index;
  char      *account_id;
} Load;

static void
on_keyring_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  g_ptr_array_index (load->tokens, load->index) = rc_secret_store_load_finish (RC_SECRET_STORE (source), result,
                                                                               &error);
  if (error != NULL)
    g_debug ("No session details for %s: %s", load->account_id, error->message);
  (*load->pending)--;
  g_free (load->account_id);
  g_free (load);
}

/**
 * rc_cli_keyring_load_all:
 * @secrets: (inout) (nullable): the keyring, as for rc_cli_keyring_load()
 * @accounts: (element-type RcAccount): the accounts
 *
 * Reads what the keyring holds for each account, the first alone, then the
 * others all at once: a keyring that is locked or does not answer shows at
 * the first, which asks to unlock it once, rather than at every account.
 *
 * Returns: (transfer full): an array as from rc_cli_tokens_array_new(),
 *   one entry per account
 */
GPtrArray *
rc_cli_keyring_load_all (RcSecretStore **secrets,
                         GPtrArray      *accounts)
{
  GPtrArray *tokens = rc_cli_tokens_array_new ();
  guint pending = 0;

  g_ptr_array_set_size (tokens, accounts->len);
  if (accounts->len == 0)
    return tokens;

  g_ptr_array_index (tokens, 0) = rc_cli_keyring_load (secrets, g_ptr_array_index (accounts, 0), NULL);
  if (*secrets == NULL)
    return tokens;

  for (guint i = 1; i < accounts->len; i++)
    {
      RcAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *server = rc_account_dup_server (account);
      Load *load;

      if (server == NULL)
        continue;   /* no provider, so nothing it could be sent to */
      load = g_new0 (Load, 1);
      load->tokens = tokens;
      load->pending = &pending;
      load->index = i;
      load->account_id = g_strdup (rc_account_get_id (account));
      pending++;
      rc_secret_store_load_async (*secrets, rc_account_get_key (account),
                                  &(RcSecretBinding) { server, rc_account_get_client_id (account) },
                                  NULL, on_keyring_loaded, load);
    }
  /* Each load has the store's time limit, so this cannot wait forever. */
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  return tokens;
}

/* ----------------------------------------------------------- waiting -- */

void
rc_cli_on_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * rc_cli_wait:
 * @result: (inout): set by rc_cli_on_done()
 *
 * Iterates the default main context until the call is done.  Every core
 * call has its own time limit, so this cannot wait forever.
 */
void
rc_cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * rc_cli_tokens_array_new:
 *
 * Returns: (transfer full): an array of #RcTokenSet, where %NULL stands
 *   for an account without a session
 */
GPtrArray *
rc_cli_tokens_array_new (void)
{
  return g_ptr_array_new_with_free_func (tokens_unref);
}

/* -------------------------------------------------------------- time -- */

/**
 * rc_cli_format_iso8601:
 * @unix_time: seconds since the epoch; 0 for unknown
 *
 * Returns: (transfer full) (nullable): "2026-01-31T12:00:00Z", or %NULL
 */
char *
rc_cli_format_iso8601 (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0 || (time = g_date_time_new_from_unix_utc (unix_time)) == NULL)
    return NULL;
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * rc_cli_format_local:
 * @unix_time: seconds since the epoch; 0 for unknown
 *
 * Returns: (transfer full): the local time, or "-" for unknown
 */
char *
rc_cli_format_local (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0 || (time = g_date_time_new_from_unix_local (unix_time)) == NULL)
    return g_strdup ("-");
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/* -------------------------------------------------------------- JSON -- */

/**
 * rc_cli_json_add_string:
 * @builder: a builder inside an object
 * @member: the member name
 * @value: (nullable): the value; %NULL is null
 */
void
rc_cli_json_add_string (JsonBuilder *builder,
                        const char  *member,
                        const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * rc_cli_json_add_time:
 * @builder: a builder inside an object
 * @member: the member name
 * @unix_time: seconds since the epoch; 0 for unknown, which is null
 */
void
rc_cli_json_add_time (JsonBuilder *builder,
                      const char  *member,
                      gint64       unix_time)
{
  g_autofree char *text = rc_cli_format_iso8601 (unix_time);

  rc_cli_json_add_string (builder, member, text);
}

static void
add_session (JsonBuilder *builder,
             RcTokenSet  *tokens)
{
  const char * const *scopes;

  json_builder_set_member_name (builder, "session");
  if (tokens == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  rc_cli_json_add_time (builder, "issued_at", rc_token_set_get_issued_at (tokens));
  rc_cli_json_add_time (builder, "expires_at", rc_token_set_get_expires_at (tokens));
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  scopes = rc_token_set_get_scopes (tokens);
  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    json_builder_add_string_value (builder, scopes[i]);
  json_builder_end_array (builder);
  rc_cli_json_add_string (builder, "instance_url", rc_token_set_get_instance_url (tokens));
  json_builder_set_member_name (builder, "renewable");
  json_builder_add_boolean_value (builder, rc_token_set_get_refresh_token (tokens) != NULL);
  json_builder_end_object (builder);
}

/**
 * rc_cli_json_add_account:
 * @builder: a builder where a value goes
 * @account: the account
 * @tokens: (nullable): its session, when known
 *
 * Adds one account as shared/DESIGN.md's contract says, plus a few more
 * members; never a token.
 */
void
rc_cli_json_add_account (JsonBuilder *builder,
                         RcAccount   *account,
                         RcTokenSet  *tokens)
{
  json_builder_begin_object (builder);
  rc_cli_json_add_account_members (builder, account, tokens);
  json_builder_end_object (builder);
}

/**
 * rc_cli_json_add_account_members:
 * @builder: a builder inside an object
 * @account: the account
 * @tokens: (nullable): its session, when known
 *
 * Adds the members of rc_cli_json_add_account() to an object the caller
 * goes on with.
 */
void
rc_cli_json_add_account_members (JsonBuilder *builder,
                                 RcAccount   *account,
                                 RcTokenSet  *tokens)
{
  const char *cause = rc_account_get_cause (account);
  g_autofree char *next_step = rc_cli_dup_next_step (account);

  rc_cli_json_add_string (builder, "id", rc_account_get_id (account));
  rc_cli_json_add_string (builder, "provider", rc_account_get_provider (account));
  rc_cli_json_add_string (builder, "name", rc_account_get_display_name (account));
  rc_cli_json_add_string (builder, "user", rc_account_get_user (account));
  rc_cli_json_add_string (builder, "state", rc_connection_state_to_string (rc_account_get_state (account)));
  rc_cli_json_add_string (builder, "cause", cause);
  rc_cli_json_add_time (builder, "checked_at", rc_account_get_checked_at (account));
  add_session (builder, tokens);

  rc_cli_json_add_string (builder, "audience", cause ? rc_audience_to_string (rc_cause_get_audience (cause)) : NULL);
  rc_cli_json_add_string (builder, "summary", cause ? rc_cause_get_summary (cause) : NULL);
  rc_cli_json_add_string (builder, "remedy", rc_cli_get_remedy_title (account));
  rc_cli_json_add_string (builder, "next_step", next_step);
  rc_cli_json_add_string (builder, "endpoint", rc_account_get_endpoint (account));
  json_builder_set_member_name (builder, "provisioned");
  json_builder_add_boolean_value (builder, rc_account_get_provisioned (account));
  /* Signed out, but the keyring still holds its sign-in (it was locked or
   * gone at the sign-out); the next check removes it. */
  json_builder_set_member_name (builder, "forget_pending");
  json_builder_add_boolean_value (builder, rc_account_get_forget_pending (account));
  rc_cli_json_add_time (builder, "last_ok", rc_account_get_last_ok (account));
  rc_cli_json_add_time (builder, "first_failure", rc_account_get_first_failure (account));
  rc_cli_json_add_time (builder, "signed_in_at", rc_account_get_signed_in_at (account));
  rc_cli_json_add_time (builder, "last_refresh", rc_account_get_last_refresh (account));
}

/**
 * rc_cli_print_json:
 * @builder: a builder holding one complete value
 * @pretty: whether to indent it; otherwise it is one line
 */
void
rc_cli_print_json (JsonBuilder *builder,
                   gboolean     pretty)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, pretty);

  g_print ("%s\n", text);
  fflush (stdout);
}

/* ------------------------------------------------------ what to do -- */

static char *
dup_first_step (const RcRemedy *remedy,
                gboolean        admin,
                const char     *provider)
{
  g_auto(GStrv) steps = admin ? rc_remedy_dup_admin_steps (remedy, provider)
                              : rc_remedy_dup_user_steps (remedy, provider);

  return steps != NULL && steps[0] != NULL ? g_strdup (steps[0]) : NULL;
}

/* Without a remedy: a word on where to go from the state alone. */
static char *
dup_fallback_step (RcAccount *account)
{
  const char *id = rc_account_get_id (account);

  switch (rc_account_get_state (account))
    {
    case RC_CONNECTION_OFFLINE:
      return g_strdup (_("Check the network connection, then run reconnect check again."));
    case RC_CONNECTION_NEEDS_ADMIN:
      return g_strdup_printf (_("Ask your administrator; “reconnect report %s” gives them the details."), id);
    default:
      return g_strdup_printf (_("Sign in again: reconnect sign-in %s"), id);
    }
}

/**
 * rc_cli_dup_next_step:
 * @account: an account
 *
 * The first step of the remedy for the account's cause, as whoever must
 * act takes it from a command line: the administrator's first step when
 * only they can fix it, the sign-in command when signing in fixes it.
 *
 * Returns: (transfer full) (nullable): the step; %NULL when connected
 */
char *
rc_cli_dup_next_step (RcAccount *account)
{
  const char *cause = rc_account_get_cause (account);
  const char *id = rc_account_get_id (account);
  const RcRemedy *remedy;
  char *step = NULL;

  switch (rc_account_get_state (account))
    {
    case RC_CONNECTION_CONNECTED:
    case RC_CONNECTION_CHECKING:
      return NULL;
    case RC_CONNECTION_SIGNED_OUT:
      if (cause == NULL)
        return g_strdup_printf (_("Sign in: reconnect sign-in %s"), id);
      break;
    case RC_CONNECTION_OFFLINE:
    case RC_CONNECTION_NEEDS_SIGN_IN:
    case RC_CONNECTION_NEEDS_ADMIN:
    default:
      break;
    }

  remedy = cause != NULL ? rc_remedy_lookup (cause) : NULL;
  if (remedy == NULL)
    return dup_fallback_step (account);

  /* The window's first user step is its Sign In Again button. */
  if (rc_cause_get_audience (cause) != RC_AUDIENCE_ADMIN && rc_cause_sign_in_helps (cause))
    return g_strdup_printf (_("Sign in again: reconnect sign-in %s"), id);

  step = dup_first_step (remedy, rc_cause_get_audience (cause) == RC_AUDIENCE_ADMIN,
                         rc_account_get_provider (account));
  return step != NULL ? step : dup_fallback_step (account);
}

/**
 * rc_cli_get_remedy_title:
 * @account: an account
 *
 * Returns: (nullable): the title of the remedy for the account's cause
 */
const char *
rc_cli_get_remedy_title (RcAccount *account)
{
  const char *cause = rc_account_get_cause (account);
  const RcRemedy *remedy = cause != NULL ? rc_remedy_lookup (cause) : NULL;

  return remedy != NULL ? rc_remedy_get_title (remedy) : NULL;
}

/* --------------------------------------------------------- exit code -- */

/* The window's banner speaks of the most urgent account: someone must sign
 * in, then an administrator must act, then the service is out of reach.  A
 * keyring that cannot answer comes first: nothing else could be told. */
static int
urgency (RcCliExit code)
{
  switch (code)
    {
    case RC_CLI_EXIT_LOCAL:          return 4;
    case RC_CLI_EXIT_NEEDS_SIGN_IN:  return 3;
    case RC_CLI_EXIT_NEEDS_ADMIN:    return 2;
    case RC_CLI_EXIT_UNREACHABLE:    return 1;
    case RC_CLI_EXIT_OK:
    case RC_CLI_EXIT_USAGE:
    default:                         return 0;
    }
}

RcCliExit
rc_cli_exit_worse (RcCliExit a,
                   RcCliExit b)
{
  return urgency (b) > urgency (a) ? b : a;
}

/**
 * rc_cli_exit_for_account:
 * @account: a checked account
 *
 * Returns: the exit status its state asks for
 */
RcCliExit
rc_cli_exit_for_account (RcAccount *account)
{
  if (g_strcmp0 (rc_account_get_cause (account), "keyring-unavailable") == 0)
    return RC_CLI_EXIT_LOCAL;

  switch (rc_account_get_state (account))
    {
    case RC_CONNECTION_CONNECTED:
      return RC_CLI_EXIT_OK;
    case RC_CONNECTION_OFFLINE:
      return RC_CLI_EXIT_UNREACHABLE;
    case RC_CONNECTION_NEEDS_ADMIN:
      return RC_CLI_EXIT_NEEDS_ADMIN;
    case RC_CONNECTION_CHECKING:
    case RC_CONNECTION_SIGNED_OUT:
    case RC_CONNECTION_NEEDS_SIGN_IN:
    default:
      return RC_CLI_EXIT_NEEDS_SIGN_IN;
    }
}

/**
 * rc_cli_exit_for_error:
 * @error: what a sign-in or sign-out failed with
 * @account: the account
 *
 * Returns: the exit status for @error, by the cause the classifier finds
 */
RcCliExit
rc_cli_exit_for_error (const GError *error,
                       RcAccount    *account)
{
  RcClassifierContext context = {
    .provider = rc_account_get_provider (account),
    .now = g_get_real_time () / G_USEC_PER_SEC,
    .signed_in_at = rc_account_get_signed_in_at (account),
    .last_refresh_at = rc_account_get_last_refresh (account),
  };
  const char *cause;

  if (error->domain == RC_SECRET_ERROR)
    return RC_CLI_EXIT_LOCAL;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return RC_CLI_EXIT_NEEDS_SIGN_IN;

  cause = rc_classifier_classify_error (error, &context);
  switch (rc_cause_get_state (cause))
    {
    case RC_CONNECTION_OFFLINE:
      return RC_CLI_EXIT_UNREACHABLE;
    case RC_CONNECTION_NEEDS_ADMIN:
      return RC_CLI_EXIT_NEEDS_ADMIN;
    default:
      return RC_CLI_EXIT_NEEDS_SIGN_IN;
    }
}

/* ------------------------------------------------------------- table -- */

struct _RcCliTable
{
  guint      n_columns;
  GPtrArray *rows;   /* of GStrv, the headings first */
};

static GStrv
collect_row (guint       n_columns,
             const char *first,
             va_list     ap)
{
  GStrv row = g_new0 (char *, n_columns + 1);

  for (guint i = 0; i < n_columns; i++)
    {
      const char *value = i == 0 ? first : va_arg (ap, const char *);

      row[i] = g_strdup (value != NULL && *value != '\0' ? value : "-");
    }
  return row;
}

/**
 * rc_cli_table_new:
 * @first_heading: the first column's heading
 * @...: the other headings, then %NULL
 *
 * Returns: (transfer full): a table of plain aligned columns
 */
RcCliTable *
rc_cli_table_new (const char *first_heading,
                  ...)
{
  RcCliTable *table = g_new0 (RcCliTable, 1);
  va_list ap;

  va_start (ap, first_heading);
  for (const char *heading = first_heading; heading != NULL; heading = va_arg (ap, const char *))
    table->n_columns++;
  va_end (ap);

  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  va_start (ap, first_heading);
  g_ptr_array_add (table->rows, collect_row (table->n_columns, first_heading, ap));
  va_end (ap);
  return table;
}

/**
 * rc_cli_table_add_row:
 * @table: a table
 * @first_value: (nullable): the first cell; %NULL or empty shows "-"
 * @...: one value for each other column
 */
void
rc_cli_table_add_row (RcCliTable *table,
                      const char *first_value,
                      ...)
{
  va_list ap;

  va_start (ap, first_value);
  g_ptr_array_add (table->rows, collect_row (table->n_columns, first_value, ap));
  va_end (ap);
}

static gboolean
use_bold (void)
{
  return isatty (STDOUT_FILENO) && g_getenv ("NO_COLOR") == NULL && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
}

void
rc_cli_table_print (RcCliTable *table)
{
  g_autofree glong *widths = g_new0 (glong, table->n_columns);
  gboolean bold = use_bold ();

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < table->n_columns)
            for (glong pad = g_utf8_strlen (row[c], -1); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      /* Our own escape, written past the print handler that strips every
       * escape from what is printed (see rc_cli_run()). */
      if (r == 0 && bold)
        {
          fputs ("\033[1m", stdout);
          g_print ("%s", line->str);
          fputs ("\033[0m\n", stdout);
        }
      else
        g_print ("%s\n", line->str);
    }
}

void
rc_cli_table_free (RcCliTable *table)
{
  g_ptr_array_unref (table->rows);
  g_free (table);
}
