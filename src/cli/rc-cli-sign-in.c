/* rc-cli-sign-in.c: `reconnect sign-in`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The browser flow prints its address and tries to open it (without GTK:
 * GIO finds the browser); the device flow prints the code.  With --json a
 * script reads one line as soon as there is something to do, then one
 * line with the result.
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "rc-authorization.h"
#include "rc-cli-common.h"
#include "rc-cli-sign-in.h"
#include "rc-device-authorization.h"
#include "rc-monitor.h"

typedef struct
{
  RcAccount    *account;
  gboolean      json;
  gboolean      no_browser;
  GCancellable *cancellable;
} SignIn;

static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
print_json_line (const char *first_member,
                 ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  va_list ap;

  json_builder_begin_object (builder);
  va_start (ap, first_member);
  for (const char *member = first_member; member != NULL; member = va_arg (ap, const char *))
    {
      json_builder_set_member_name (builder, member);
      if (g_str_equal (member, "expires_in") || g_str_equal (member, "interval"))
        json_builder_add_int_value (builder, va_arg (ap, guint));
      else
        json_builder_add_string_value (builder, va_arg (ap, const char *));
    }
  va_end (ap);
  json_builder_end_object (builder);
  rc_cli_print_json (builder, FALSE);
}

/* ----------------------------------------------------------- browser -- */

static void
on_browser_launched (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_debug ("No browser could be opened: %s", error->message);
}

static void
on_launch (const char *uri,
           gpointer    user_data)
{
  SignIn *sign_in = user_data;

  if (sign_in->json)
    print_json_line ("authorization_uri", uri, NULL);
  else
    {
      g_print (_("Sign in to “%s” in your browser. If it does not open, open this address on this computer:"),
               rc_account_get_display_name (sign_in->account));
      g_print ("\n\n  %s\n\n%s\n", uri, _("Waiting for the sign-in to finish…"));
      fflush (stdout);
    }

  if (!sign_in->no_browser)
    g_app_info_launch_default_for_uri_async (uri, NULL, sign_in->cancellable, on_browser_launched, NULL);
}

static RcTokenSet *
browser_sign_in (SignIn      *sign_in,
                 RcProvider  *provider,
                 GError     **error)
{
  g_autoptr(RcAuthorization) authorization = rc_authorization_new (provider);
  g_autoptr(GAsyncResult) result = NULL;

  rc_authorization_set_launcher (authorization, on_launch, sign_in, NULL);
  rc_authorization_run_async (authorization, sign_in->cancellable, rc_cli_on_done, &result);
  rc_cli_wait (&result);
  return rc_authorization_run_finish (authorization, result, error);
}

/* ------------------------------------------------------------ device -- */

static RcTokenSet *
device_sign_in (SignIn      *sign_in,
                RcProvider  *provider,
                GError     **error)
{
  g_autoptr(RcDeviceAuthorization) device = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *uri, *complete, *code;
  guint expires_in;

  /* An OpenID Connect provider's device endpoint comes from discovery. */
  rc_provider_resolve_async (provider, sign_in->cancellable, rc_cli_on_done, &result);
  rc_cli_wait (&result);
  if (!rc_provider_resolve_finish (provider, result, error))
    return NULL;

  device = rc_device_authorization_new (provider);
  g_clear_object (&result);
  rc_device_authorization_start_async (device, sign_in->cancellable, rc_cli_on_done, &result);
  rc_cli_wait (&result);
  if (!rc_device_authorization_start_finish (device, result, error))
    return NULL;

  uri = rc_device_authorization_get_verification_uri (device);
  complete = rc_device_authorization_get_verification_uri_complete (device);
  code = rc_device_authorization_get_user_code (device);
  expires_in = rc_device_authorization_get_expires_in (device);
  if (sign_in->json && complete != NULL)
    print_json_line ("verification_uri", uri, "user_code", code, "expires_in", expires_in,
                     "interval", rc_device_authorization_get_interval (device),
                     "verification_uri_complete", complete, NULL);
  else if (sign_in->json)
    print_json_line ("verification_uri", uri, "user_code", code, "expires_in", expires_in,
                     "interval", rc_device_authorization_get_interval (device), NULL);
  else
    {
      g_print (_("To sign in to “%s”, open this address on any device:"),
               rc_account_get_display_name (sign_in->account));
      g_print ("\n\n  %s\n\n", uri);
      g_print (_("and enter the code  %s"), code);
      g_print ("\n\n");
      g_print (g_dngettext (GETTEXT_PACKAGE, "The code is valid for %u minute. Waiting for the sign-in…",
                            "The code is valid for %u minutes. Waiting for the sign-in…",
                            MAX (1, expires_in / 60)),
               MAX (1, expires_in / 60));
      g_print ("\n");
      fflush (stdout);
    }

  g_clear_object (&result);
  rc_device_authorization_wait_async (device, sign_in->cancellable, rc_cli_on_done, &result);
  rc_cli_wait (&result);
  return rc_device_authorization_wait_finish (device, result, error);
}

/* ------------------------------------------------------------ result -- */

static void
print_result (SignIn       *sign_in,
              RcMonitor    *monitor,
              const GError *error)
{
  RcAccount *account = sign_in->account;

  if (sign_in->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      RcSession *session = error ? NULL : rc_monitor_get_session (monitor, account, NULL);

      json_builder_begin_object (builder);
      rc_cli_json_add_account_members (builder, account, session ? rc_session_get_tokens (session) : NULL);
      json_builder_set_member_name (builder, "signed_in");
      json_builder_add_boolean_value (builder, error == NULL);
      json_builder_set_member_name (builder, "error");
      if (error != NULL)
        json_builder_add_string_value (builder, error->message);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      rc_cli_print_json (builder, FALSE);
    }

  if (error != NULL)
    {
      g_printerr (_("Could not sign in to “%s”: %s"), rc_account_get_display_name (account), error->message);
      g_printerr ("\n");
    }
  else if (!sign_in->json && rc_account_get_user (account) != NULL)
    {
      g_print (_("Signed in to “%s” as %s."), rc_account_get_display_name (account), rc_account_get_user (account));
      g_print ("\n");
    }
  else if (!sign_in->json)
    {
      g_print (_("Signed in to “%s”."), rc_account_get_display_name (account));
      g_print ("\n");
    }
}

static int
sign_in_and_adopt (SignIn    *sign_in,
                   RcMonitor *monitor,
                   gboolean   device)
{
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RcProvider *provider = rc_monitor_get_provider (monitor, sign_in->account, &error);

  if (provider == NULL)
    {
      print_result (sign_in, monitor, error);
      return RC_CLI_EXIT_NEEDS_ADMIN;   /* the account's settings are wrong */
    }

  tokens = device ? device_sign_in (sign_in, provider, &error) : browser_sign_in (sign_in, provider, &error);
  if (tokens == NULL)
    {
      print_result (sign_in, monitor, error);
      return rc_cli_exit_for_error (error, sign_in->account);
    }

  /* The keyring first, then the account is connected and saved. */
  rc_monitor_adopt_async (monitor, sign_in->account, tokens, NULL, rc_cli_on_done, &result);
  rc_cli_wait (&result);
  if (!rc_monitor_adopt_finish (monitor, result, &error))
    {
      print_result (sign_in, monitor, error);
      return rc_cli_exit_for_error (error, sign_in->account);
    }

  print_result (sign_in, monitor, NULL);
  return RC_CLI_EXIT_OK;
}

/**
 * rc_cli_sign_in:
 * @argc: the arguments, "sign-in" first
 * @argv: the arguments
 *
 * Signs in to an account in the browser, or with a code on another device.
 *
 * Returns: the exit status
 */
int
rc_cli_sign_in (int    argc,
                char **argv)
{
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(RcSecretStore) secrets = NULL;
  g_autoptr(RcMonitor) monitor = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;
  gboolean device = FALSE;
  SignIn sign_in = { 0 };
  guint sigint_id, sigterm_id;
  int status;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_NONE, &device, N_("Sign in with a code on another device (no browser needed here)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &sign_in.json, N_("Print JSON lines, as described in reconnect(1)"), NULL },
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &sign_in.no_browser, N_("Only print the sign-in address; do not open a browser"), NULL },
    { NULL }
  };

  status = rc_cli_parse_options ("sign-in", _("ACCOUNT"),
                                 _("Sign in to an account. The browser opens at the provider’s sign-in page "
                                   "(the address is printed too); with --device, a code is printed to enter "
                                   "on any device, which suits a computer reached over SSH."),
                                 entries, &argc, &argv, 1, 1);
  if (status != RC_CLI_EXIT_OK)
    return status;

  store = rc_cli_load_accounts ();
  sign_in.account = rc_account_store_lookup (store, argv[1]);
  if (sign_in.account == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("There is no account “%s”. “reconnect list” shows the accounts."),
                                               argv[1]);

      return rc_cli_usage_error ("sign-in", text);
    }

  /* No sign-in can be kept without a keyring: say so before the user
   * goes to the trouble. */
  if (!rc_cli_keyring_check (&error))
    {
      print_result (&sign_in, NULL, error);
      return RC_CLI_EXIT_LOCAL;
    }

  secrets = rc_cli_secret_store_new ();
  monitor = rc_monitor_new (store, secrets);
  cancellable = g_cancellable_new ();
  sign_in.cancellable = cancellable;
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, cancellable);

  status = sign_in_and_adopt (&sign_in, monitor, device);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return status;
}
