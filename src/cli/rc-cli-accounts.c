/* rc-cli-accounts.c: `reconnect list`, `check`, `add` and `sign-out`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same accounts, keyring items and state as the window: a check here
 * goes through RcMonitor, which saves what it finds where the window reads
 * it, and the other way round.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-cause.h"
#include "rc-cli-accounts.h"
#include "rc-cli-common.h"
#include "rc-http.h"
#include "rc-monitor.h"

#define SALESFORCE_PRODUCTION_URL "https://login.salesforce.com"
#define ENTRA_ANY_ORGANIZATION    "organizations"

/* ------------------------------------------------------------ output -- */

static RcTokenSet *
tokens_at (GPtrArray *tokens,
           guint      i)
{
  return tokens != NULL ? g_ptr_array_index (tokens, i) : NULL;
}

static void
print_accounts_json (GPtrArray  *accounts,
                     GPtrArray  *tokens,
                     const char *problem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    rc_cli_json_add_account (builder, g_ptr_array_index (accounts, i), tokens_at (tokens, i));
  json_builder_end_array (builder);
  if (problem != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, problem);
    }
  json_builder_end_object (builder);
  rc_cli_print_json (builder, TRUE);
}

static void
print_list_table (GPtrArray *accounts)
{
  g_autoptr(RcCliTable) table = rc_cli_table_new (_("ACCOUNT"), _("PROVIDER"), _("USER"), _("STATE"),
                                                  _("CAUSE"), _("LAST CHECK"), NULL);

  for (guint i = 0; i < accounts->len; i++)
    {
      RcAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *checked = rc_cli_format_local (rc_account_get_checked_at (account));

      rc_cli_table_add_row (table, rc_account_get_id (account), rc_account_get_provider (account),
                            rc_account_get_user (account),
                            rc_connection_state_to_string (rc_account_get_state (account)),
                            rc_account_get_cause (account), checked);
    }
  rc_cli_table_print (table);
}

/* Below the table, for each account that is not connected: why, in plain
 * words, and what to do first. */
static void
print_check_table (GPtrArray *accounts,
                   GPtrArray *tokens)
{
  g_autoptr(RcCliTable) table = rc_cli_table_new (_("ACCOUNT"), _("PROVIDER"), _("USER"), _("STATE"),
                                                  _("CAUSE"), _("EXPIRES"), NULL);

  for (guint i = 0; i < accounts->len; i++)
    {
      RcAccount *account = g_ptr_array_index (accounts, i);
      RcTokenSet *session = tokens_at (tokens, i);
      g_autofree char *expires = NULL;

      if (session != NULL && rc_account_get_state (account) == RC_CONNECTION_CONNECTED)
        expires = rc_cli_format_local (rc_token_set_get_expires_at (session));
      rc_cli_table_add_row (table, rc_account_get_id (account), rc_account_get_provider (account),
                            rc_account_get_user (account),
                            rc_connection_state_to_string (rc_account_get_state (account)),
                            rc_account_get_cause (account), expires);
    }
  rc_cli_table_print (table);

  for (guint i = 0; i < accounts->len; i++)
    {
      RcAccount *account = g_ptr_array_index (accounts, i);
      const char *cause = rc_account_get_cause (account);
      g_autofree char *step = rc_cli_dup_next_step (account);

      if (step == NULL)
        continue;
      g_print ("\n%s: %s\n", rc_account_get_id (account),
               cause ? rc_cause_get_summary (cause) : _("Not signed in."));
      g_print ("  %s\n", step);
    }
}

/* -------------------------------------------------------------- list -- */

/* What the keyring holds for each account, without a refresh or a request:
 * nothing at all when the keyring cannot answer. */
static GPtrArray *
load_tokens (GPtrArray *accounts)
{
  g_autoptr(RcSecretStore) secrets = NULL;
  g_autoptr(GError) error = NULL;

  if (!rc_cli_keyring_check (&error))
    g_debug ("No session details: %s", error->message);
  else
    secrets = rc_cli_secret_store_new ();

  return rc_cli_keyring_load_all (&secrets, accounts);
}

/**
 * rc_cli_list:
 * @argc: the arguments, "list" first
 * @argv: the arguments
 *
 * Lists the accounts as their last check left them.
 *
 * Returns: the exit status
 */
int
rc_cli_list (int    argc,
             char **argv)
{
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, as described in reconnect(1)"), NULL },
    { NULL }
  };

  status = rc_cli_parse_options ("list", "", _("List the accounts, each with its provider, user, state and "
                                               "cause as the last check found them. Nothing is checked: "
                                               "“reconnect check” does that."),
                                 entries, &argc, &argv, 0, 0);
  if (status != RC_CLI_EXIT_OK)
    return status;

  store = rc_cli_load_accounts ();
  accounts = rc_cli_select_accounts (store, NULL, NULL);

  if (json)
    {
      tokens = load_tokens (accounts);
      print_accounts_json (accounts, tokens, NULL);
    }
  else if (accounts->len == 0)
    g_print ("%s\n", _("No accounts. Add one with “reconnect add” or in the Reconnect window."));
  else
    print_list_table (accounts);

  return RC_CLI_EXIT_OK;
}

/* ------------------------------------------------------------- check -- */

typedef struct
{
  RcMonitor *monitor;
  GPtrArray *accounts;
} Checks;

static gboolean
any_checking (Checks *checks)
{
  for (guint i = 0; i < checks->accounts->len; i++)
    if (rc_monitor_is_checking (checks->monitor, g_ptr_array_index (checks->accounts, i)))
      return TRUE;
  return FALSE;
}

/* Each check goes through the monitor, as the window's would: a refresh if
 * the access token needs one, then the provider's liveness probe; the
 * monitor saves what it finds in the state the window reads. */
static GPtrArray *
run_checks (RcAccountStore *store,
            GPtrArray      *accounts)
{
  g_autoptr(RcSecretStore) secrets = rc_cli_secret_store_new ();
  g_autoptr(RcMonitor) monitor = rc_monitor_new (store, secrets);
  g_autoptr(GError) error = NULL;
  Checks checks = { monitor, accounts };
  GPtrArray *tokens = rc_cli_tokens_array_new ();

  for (guint i = 0; i < accounts->len; i++)
    rc_monitor_check (monitor, g_ptr_array_index (accounts, i));
  while (any_checking (&checks))
    g_main_context_iteration (NULL, TRUE);

  /* A check that could not start (a provisioned account with a bad
   * address, say) set the account's state without saving it. */
  if (!rc_account_store_save_state (store, &error))
    {
      g_printerr (_("Could not save the accounts’ state: %s"), error->message);
      g_printerr ("\n");
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      RcSession *session = rc_monitor_get_session (monitor, g_ptr_array_index (accounts, i), NULL);
      RcTokenSet *current = session ? rc_session_get_tokens (session) : NULL;

      g_ptr_array_add (tokens, current ? rc_token_set_ref (current) : NULL);
    }

  rc_monitor_stop (monitor);
  return tokens;
}

/* Without a keyring nothing can be checked: say so for each account, in
 * this output only.  The window's keyring may well be fine, so nothing is
 * saved. */
static void
mark_keyring_unavailable (GPtrArray *accounts)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < accounts->len; i++)
    {
      RcAccount *account = g_ptr_array_index (accounts, i);

      rc_account_set_cause (account, "keyring-unavailable");
      rc_account_set_state (account, rc_cause_get_state ("keyring-unavailable"));
      rc_account_set_checked_at (account, now);
    }
}

/**
 * rc_cli_check:
 * @argc: the arguments, "check" first
 * @argv: the arguments
 *
 * Checks the accounts now and says how each is.
 *
 * Returns: the exit status for the most urgent account
 */
int
rc_cli_check (int    argc,
              char **argv)
{
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  RcCliExit exit_status = RC_CLI_EXIT_OK;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, as described in reconnect(1)"), NULL },
    { NULL }
  };

  status = rc_cli_parse_options ("check", _("[ACCOUNT…]"),
                                 _("Check the accounts now (all of them, or the ones named): renew the "
                                   "sign-in if it needs it, then ask the provider whether the session lives. "
                                   "The window shows the same result."),
                                 entries, &argc, &argv, 0, -1);
  if (status != RC_CLI_EXIT_OK)
    return status;

  store = rc_cli_load_accounts ();
  accounts = rc_cli_select_accounts (store, argv + 1, &error);
  if (accounts == NULL)
    return rc_cli_usage_error ("check", error->message);

  if (accounts->len == 0)
    {
      /* Nobody is signed in, so someone must. */
      if (json)
        print_accounts_json (accounts, NULL, NULL);
      else
        g_print ("%s\n", _("No accounts. Add one with “reconnect add” or in the Reconnect window."));
      return RC_CLI_EXIT_NEEDS_SIGN_IN;
    }

  if (!rc_cli_keyring_check (&error))
    {
      g_printerr ("%s\n", error->message);
      mark_keyring_unavailable (accounts);
      if (json)
        print_accounts_json (accounts, NULL, error->message);
      return RC_CLI_EXIT_LOCAL;
    }

  tokens = run_checks (store, accounts);
  for (guint i = 0; i < accounts->len; i++)
    exit_status = rc_cli_exit_worse (exit_status, rc_cli_exit_for_account (g_ptr_array_index (accounts, i)));

  if (json)
    print_accounts_json (accounts, tokens, NULL);
  else
    print_check_table (accounts, tokens);
  return exit_status;
}

/* --------------------------------------------------------------- add -- */

typedef struct
{
  char *provider;
  char *login_url;
  char *tenant;
  char *issuer;
  char *client_id;
  char *redirect_uri;
  char *name;
  char *authority;
  char *environment_url;
} AddOptions;

static void
add_options_clear (AddOptions *options)
{
  g_free (options->provider);
  g_free (options->login_url);
  g_free (options->tenant);
  g_free (options->issuer);
  g_free (options->client_id);
  g_free (options->redirect_uri);
  g_free (options->name);
  g_free (options->authority);
  g_free (options->environment_url);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* The endpoint option of the provider, and no other provider's. */
static const char *
add_endpoint (AddOptions  *options,
              GError     **error)
{
  struct {
    const char *provider;
    const char *option;
    const char *value;
    const char *fallback;
  } endpoints[] = {
    { "salesforce", "--login-url", options->login_url, SALESFORCE_PRODUCTION_URL },
    { "entra", "--tenant", options->tenant, ENTRA_ANY_ORGANIZATION },
    { "oidc", "--issuer", options->issuer, NULL },
  };
  const char *endpoint = NULL;
  gboolean known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      if (g_strcmp0 (options->provider, endpoints[i].provider) == 0)
        {
          known = TRUE;
          endpoint = endpoints[i].value ? endpoints[i].value : endpoints[i].fallback;
          if (endpoint == NULL)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--provider %s needs %s"), endpoints[i].provider, endpoints[i].option);
              return NULL;
            }
        }
      else if (endpoints[i].value != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("%s is not an option of --provider %s"),
                       endpoints[i].option, options->provider ? options->provider : "?");
          return NULL;
        }
    }

  if (!known)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--provider must be salesforce, entra or oidc"));
      return NULL;
    }
  if ((options->authority != NULL || options->environment_url != NULL) && !g_str_equal (options->provider, "entra"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("%s is only for --provider entra"),
                   options->authority ? "--authority" : "--environment-url");
      return NULL;
    }
  return endpoint;
}

/**
 * rc_cli_add:
 * @argc: the arguments, "add" first
 * @argv: the arguments
 *
 * Adds an account, as the window's Add Account dialog does.
 *
 * Returns: the exit status; the new id is the last line printed
 */
int
rc_cli_add (int    argc,
            char **argv)
{
  g_auto(AddOptions) options = { 0 };
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(RcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *endpoint;
  int status;
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &options.provider, N_("salesforce, entra (Microsoft Dynamics 365) or oidc"), "PROVIDER" },
    { "login-url", 0, 0, G_OPTION_ARG_STRING, &options.login_url, N_("Salesforce: the login address (default https://login.salesforce.com)"), "URL" },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &options.tenant, N_("Entra: the tenant id or domain (default organizations)"), "TENANT" },
    { "issuer", 0, 0, G_OPTION_ARG_STRING, &options.issuer, N_("OpenID Connect: the issuer address"), "URL" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &options.client_id, N_("The client id (Salesforce: the consumer key)"), "ID" },
    { "redirect-uri", 0, 0, G_OPTION_ARG_STRING, &options.redirect_uri, N_("A fixed loopback redirect the app registration lists"), "URI" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &options.name, N_("The name the account is shown with"), "NAME" },
    { "authority", 0, 0, G_OPTION_ARG_STRING, &options.authority, N_("Entra: the authority host for another cloud (default https://login.microsoftonline.com)"), "URL" },
    { "environment-url", 0, 0, G_OPTION_ARG_STRING, &options.environment_url, N_("Entra: the Dynamics 365 environment address"), "URL" },
    { NULL }
  };

  status = rc_cli_parse_options ("add", "",
                                 _("Add an account, as the window’s Add Account dialog does, and print its id "
                                   "on the last line. Sign in to it with “reconnect sign-in ID”."),
                                 entries, &argc, &argv, 0, 0);
  if (status != RC_CLI_EXIT_OK)
    return status;

  if ((endpoint = add_endpoint (&options, &error)) == NULL)
    return rc_cli_usage_error ("add", error->message);
  if (!rc_account_validate (options.provider, endpoint, options.client_id, options.redirect_uri, &error))
    return rc_cli_usage_error ("add", error->message);
  for (guint i = 0; i < 2; i++)
    {
      const char *url = i == 0 ? options.authority : options.environment_url;

      if (url != NULL && !rc_http_check_url (url, &error))
        return rc_cli_usage_error ("add", error->message);
    }

  store = rc_cli_load_accounts ();
  id = rc_account_store_new_id (store, options.provider);
  account = rc_account_new (id, options.provider, endpoint, options.client_id);
  rc_account_set_display_name (account, options.name);
  rc_account_set_redirect_uri (account, options.redirect_uri);
  rc_account_set_authority (account, options.authority);
  rc_account_set_environment_url (account, options.environment_url);

  if (!rc_account_store_add (store, account, &error))
    {
      g_printerr (_("The account was not saved. %s"), error->message);
      g_printerr ("\n");
      return RC_CLI_EXIT_LOCAL;
    }

  /* The store may have given it another id, if a second command took this
   * one meanwhile. */
  g_print (_("Added “%s”. Sign in with: reconnect sign-in %s"), rc_account_get_display_name (account),
           rc_account_get_id (account));
  g_print ("\n%s\n", rc_account_get_id (account));
  return RC_CLI_EXIT_OK;
}

/* ---------------------------------------------------------- sign-out -- */

static void
print_keyring_pending (const char   *name,
                       const GError *error,
                       gboolean      revoked)
{
  g_printerr (_("Signed out of “%s” here, but could not remove the saved sign-in: %s"), name, error->message);
  g_printerr ("\n");
  if (!revoked)
    g_printerr (_("The provider was not told to end the sign-in either. Reconnect does both, and removes "
                  "the account, once the keyring is available again; “reconnect check” tries at once."));
  else
    g_printerr (_("Reconnect removes it, and the account, once the keyring is available again; "
                  "“reconnect check” tries at once."));
  g_printerr ("\n");
}

/**
 * rc_cli_sign_out:
 * @argc: the arguments, "sign-out" first
 * @argv: the arguments
 *
 * Revokes an account's sign-in, forgets its keyring item and the account
 * (an administrator's account stays, signed out).
 *
 * Returns: the exit status
 */
int
rc_cli_sign_out (int    argc,
                 char **argv)
{
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(RcSecretStore) secrets = NULL;
  g_autoptr(RcMonitor) monitor = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAccount) account = NULL;
  g_autoptr(RcSignOutReport) report = NULL;
  g_autofree char *name = NULL;
  gboolean provisioned;
  int status;

  status = rc_cli_parse_options ("sign-out", _("ACCOUNT"),
                                 _("Sign out of an account: revoke its sign-in at the provider, forget it in "
                                   "the keyring, then remove the account. An account your administrator set "
                                   "up stays, signed out."),
                                 NULL, &argc, &argv, 1, 1);
  if (status != RC_CLI_EXIT_OK)
    return status;

  store = rc_cli_load_accounts ();
  account = rc_account_store_lookup (store, argv[1]);
  if (account == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("There is no account “%s”. “reconnect list” shows the accounts."),
                                               argv[1]);

      return rc_cli_usage_error ("sign-out", text);
    }
  g_object_ref (account);
  name = g_strdup (rc_account_get_display_name (account));
  provisioned = rc_account_get_provisioned (account);

  if (!rc_cli_keyring_check (&error))
    {
      /* Signed out here all the same; the account stays listed until the
       * keyring can be reached and its item removed. */
      g_autoptr(GError) save_error = NULL;

      rc_account_set_state (account, RC_CONNECTION_SIGNED_OUT);
      rc_account_set_cause (account, NULL);
      rc_account_set_forget_pending (account, TRUE);
      if ((!provisioned && !rc_account_store_save (store, &save_error)) ||
          !rc_account_store_save_state (store, &save_error))
        g_debug ("Could not note the sign-out: %s", save_error->message);
      print_keyring_pending (name, error, FALSE);
      return RC_CLI_EXIT_LOCAL;
    }

  secrets = rc_cli_secret_store_new ();
  monitor = rc_monitor_new (store, secrets);
  rc_monitor_sign_out_async (monitor, account, NULL, rc_cli_on_done, &result);
  rc_cli_wait (&result);
  report = rc_monitor_sign_out_finish (monitor, result, &error);
  if (report == NULL)
    {
      g_printerr (_("Could not sign out of “%s”: %s"), name, error->message);
      g_printerr ("\n");
      return rc_cli_exit_for_error (error, account);
    }

  /* Each step says what it achieved, and nothing it did not. */
  if (report->keyring_error != NULL)
    {
      print_keyring_pending (name, report->keyring_error, report->had_sign_in);
      return RC_CLI_EXIT_LOCAL;
    }
  if (report->revoke_error != NULL)
    {
      g_autofree char *server = rc_account_dup_server (account);

      g_printerr (_("Signed out here, but could not tell %s to revoke the sign-in: %s"),
                  server ? server : name, report->revoke_error->message);
      g_printerr ("\n");
      g_printerr (_("It is forgotten on this computer. If it must end at the provider too, revoke it there "
                    "(or ask your administrator)."));
      g_printerr ("\n");
    }

  if (provisioned)
    g_print (_("Signed out of “%s”. Your administrator set it up, so it stays in the list."), name);
  else
    g_print (_("Signed out of “%s” and removed it."), name);
  g_print ("\n");
  return report->revoke_error != NULL ? RC_CLI_EXIT_UNREACHABLE : RC_CLI_EXIT_OK;
}
