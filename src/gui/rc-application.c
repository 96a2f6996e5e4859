/* rc-application.c
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application owns what outlives a window: the settings, the accounts,
 * the keyring store and the monitor, and in the demo the simulator.  It
 * also speaks for Reconnect when no window is looked at: one notification
 * per broken connection, withdrawn when it mends.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "rc-application.h"
#include "rc-cause.h"
#include "rc-sim.h"
#include "rc-window.h"

#define DEMO_SALESFORCE "demo-salesforce"
#define DEMO_DYNAMICS   "demo-dynamics"

struct _RcApplication
{
  AdwApplication  parent_instance;

  /* The one owner of the app's settings: windows get theirs bound here. */
  GSettings      *settings;
  gboolean        demo;
  RcAccountStore *accounts;
  RcSecretStore  *secrets;
  RcMonitor      *monitor;
  RcSim          *sim;
  GHashTable     *notified;   /* account id -> first failure it was told about */
  gboolean        background; /* held, so the monitor runs with no window */

  RcUriLauncher   launcher;
  gpointer        launcher_data;
  GDestroyNotify  launcher_destroy;
};

G_DEFINE_FINAL_TYPE (RcApplication, rc_application, ADW_TYPE_APPLICATION)

static RcWindow *
main_window (RcApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!RC_IS_WINDOW (window))
    {
      GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

      window = NULL;
      for (GList *l = windows; l != NULL && window == NULL; l = l->next)
        if (RC_IS_WINDOW (l->data))
          window = l->data;
    }
  if (window == NULL)
    window = GTK_WINDOW (rc_window_new (self));
  gtk_window_present (window);
  return RC_WINDOW (window);
}

/* ---------------------------------------------------- notifications -- */

static char *
notification_id (RcAccount *account)
{
  return g_strconcat ("account-", rc_account_get_id (account), NULL);
}

static void
notify_account (RcApplication *self,
                RcAccount     *account)
{
  RcConnectionState state = rc_account_get_state (account);
  const char *id = rc_account_get_id (account);
  g_autofree char *tag = notification_id (account);
  gpointer told;

  if (state == RC_CONNECTION_CONNECTED || state == RC_CONNECTION_SIGNED_OUT)
    {
      /* Mended: what the notification said is no longer true. */
      if (g_hash_table_remove (self->notified, id))
        g_application_withdraw_notification (G_APPLICATION (self), tag);
      return;
    }
  if (state != RC_CONNECTION_NEEDS_SIGN_IN && state != RC_CONNECTION_NEEDS_ADMIN)
    return;

  /* Once per failure: the same failure found again by a later check, or
   * turning from one cause to another, is not news. */
  told = g_hash_table_lookup (self->notified, id);
  if (told != NULL && *(gint64 *) told == rc_account_get_first_failure (account))
    return;

  if (g_settings_get_boolean (self->settings, "notifications"))
    {
      g_autoptr(GNotification) notification = NULL;
      g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID "-symbolic");
      g_autofree char *title = NULL;
      const char *cause = rc_account_get_cause (account);

      if (state == RC_CONNECTION_NEEDS_SIGN_IN)
        title = g_strdup_printf (_("Connection to %s lost"), rc_account_get_display_name (account));
      else
        title = g_strdup_printf (_("Sign-in to %s blocked"), rc_account_get_display_name (account));
      notification = g_notification_new (title);
      g_notification_set_body (notification, rc_cause_get_summary (cause));
      g_notification_set_icon (notification, icon);
      g_notification_set_default_action_and_target (notification, "app.show-account", "s", id);
      if (state == RC_CONNECTION_NEEDS_SIGN_IN && rc_cause_sign_in_helps (cause))
        g_notification_add_button_with_target (notification, _("Sign In Again"), "app.sign-in", "s", id);
      else if (state == RC_CONNECTION_NEEDS_ADMIN)
        g_notification_add_button_with_target (notification, _("What to Tell Your Admin"), "app.show-account",
                                               "s", id);
      g_application_send_notification (G_APPLICATION (self), tag, notification);
    }

  {
    gint64 *first = g_new (gint64, 1);

    *first = rc_account_get_first_failure (account);
    g_hash_table_insert (self->notified, g_strdup (id), first);
  }
}

static void
on_checked (RcMonitor     *monitor,
            RcAccount     *account,
            RcApplication *self)
{
  notify_account (self, account);
}

/* ------------------------------------------------------------- demo -- */

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, address, FALSE, NULL))
    return 0;
  bound = g_socket_get_local_address (socket, NULL);
  return bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
}

static char *
demo_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "reconnect", "demo", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The demo plays a CRM with the simulator, with accounts of its own, in a
 * folder of its own: the user's real accounts are never shown or touched,
 * and its keyring items are gone when it quits. */
static void
setup_demo (RcApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = demo_dir ();
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *salesforce_url = NULL;
  g_autofree char *root = NULL;
  g_autofree char *redirect = NULL;
  g_autoptr(RcAccount) salesforce = NULL;
  g_autoptr(RcAccount) dynamics = NULL;

  self->sim = rc_sim_new ();
  if (!rc_sim_listen (self->sim, 0, &error))
    g_error ("The demo’s simulator could not start: %s", error->message);
  rc_sim_set_autopilot (self->sim, g_strcmp0 (g_getenv ("RECONNECT_DEMO_AUTOPILOT"), "1") == 0);

  salesforce_url = rc_sim_get_salesforce_url (self->sim);
  root = g_strndup (salesforce_url, strlen (salesforce_url) - 1);
  redirect = g_strdup_printf ("http://127.0.0.1:%u/OauthRedirect", free_port ());
  rc_sim_add_redirect_uri (self->sim, redirect);

  remove_tree (config);
  remove_tree (state);
  self->accounts = rc_account_store_new (config, (const char *[]) { config, NULL }, state);
  rc_account_store_load (self->accounts);

  salesforce = rc_account_new (DEMO_SALESFORCE, "salesforce", root, rc_sim_get_client_id (self->sim));
  rc_account_set_redirect_uri (salesforce, redirect);
  rc_account_set_display_name (salesforce, _("Acme Sales (Demo)"));
  dynamics = rc_account_new (DEMO_DYNAMICS, "entra", rc_sim_get_tenant (self->sim), rc_sim_get_client_id (self->sim));
  rc_account_set_authority (dynamics, root);
  rc_account_set_environment_url (dynamics, root);
  rc_account_set_display_name (dynamics, _("Contoso Dynamics 365 (Demo)"));
  /* Fixed keys, so that quitting finds their items (see forget_demo_items()). */
  rc_account_set_key (salesforce, DEMO_SALESFORCE);
  rc_account_set_key (dynamics, DEMO_DYNAMICS);
  if (!rc_account_store_add (self->accounts, salesforce, &error) ||
      !rc_account_store_add (self->accounts, dynamics, &error))
    g_warning ("The demo accounts could not be saved: %s", error->message);
}

static void
on_demo_item_deleted (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  guint *pending = user_data;

  rc_secret_store_delete_finish (RC_SECRET_STORE (source), result, NULL);
  (*pending)--;
}

static void
forget_demo_items (RcApplication *self)
{
  const char *ids[] = { DEMO_SALESFORCE, DEMO_DYNAMICS };
  guint pending = G_N_ELEMENTS (ids);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    rc_secret_store_delete_async (self->secrets, ids[i], NULL, on_demo_item_deleted, &pending);
  /* Quitting: nothing else is drawn any more, so wait here, briefly. */
  while (pending > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* ---------------------------------------------------------- actions -- */

static void
rc_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  RcApplication *self = user_data;
  static const char *developers[] = { "The Reconnect developers", NULL };
  GtkWindow *window;
  GtkWidget *about;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Reconnect"),
                        "developer-name", _("The Reconnect developers"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_URL,
                        "issue-url", PACKAGE_BUGREPORT,
                        "copyright", "© 2026 The Reconnect developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: Replace "translator-credits" with your name/username, and optionally an email or URL. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
rc_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
rc_application_show_account_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  rc_window_show_account (main_window (user_data), g_variant_get_string (parameter, NULL));
}

static void
rc_application_sign_in_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  RcApplication *self = user_data;
  RcAccount *account = rc_account_store_lookup (self->accounts, g_variant_get_string (parameter, NULL));
  RcWindow *window = main_window (self);

  if (account != NULL)
    rc_window_sign_in (window, account);
}

static void
rc_application_check_all_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  RcApplication *self = user_data;

  rc_monitor_check_all (self->monitor);
}

static void
rc_application_simulate_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  RcApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->sim == NULL)
    return;
  if (!rc_sim_set_scenario (self->sim, g_variant_get_string (parameter, NULL), &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  /* Let the problem show now rather than at the next regular check. */
  rc_monitor_check_all (self->monitor);
}

static void
rc_application_try_demo_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GSubprocess) demo = NULL;

  if (self_exe != NULL)
    demo = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_exe, "--demo", NULL);
  if (demo == NULL)
    g_warning ("The demo could not start: %s", error ? error->message : "no program path");
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = rc_application_about_action },
  { .name = "quit", .activate = rc_application_quit_action },
  { .name = "show-account", .activate = rc_application_show_account_action, .parameter_type = "s" },
  { .name = "sign-in", .activate = rc_application_sign_in_action, .parameter_type = "s" },
  { .name = "check-all", .activate = rc_application_check_all_action },
  { .name = "simulate", .activate = rc_application_simulate_action, .parameter_type = "s" },
  { .name = "try-demo", .activate = rc_application_try_demo_action },
};

/* ------------------------------------------------------- background -- */

/* With no window, the monitor keeps watching and the notifications keep
 * telling: the application holds itself while the setting asks for it.
 * The demo never does; it ends with its window. */
static void
update_background (RcApplication *self)
{
  gboolean wanted = !self->demo && g_settings_get_boolean (self->settings, "run-in-background");

  if (wanted == self->background)
    return;
  self->background = wanted;
  if (wanted)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

/* ---------------------------------------------------------- lifetime -- */

static gboolean
minutes_to_seconds (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) * 60);
  return TRUE;
}

static void
rc_application_startup (GApplication *app)
{
  RcApplication *self = RC_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  g_autoptr(GAction) notifications = NULL;

  G_APPLICATION_CLASS (rc_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  notifications = g_settings_create_action (self->settings, "notifications");
  g_action_map_add_action (G_ACTION_MAP (self), notifications);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "simulate")),
                               self->demo);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "try-demo")),
                               !self->demo);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_window_set_default_icon_name (APP_ID);

  self->secrets = rc_secret_store_new ();
  if (self->demo)
    setup_demo (self);
  else
    {
      self->accounts = rc_account_store_new_default ();
      rc_account_store_load (self->accounts);
    }

  /* A check from the command line shows here at once. */
  rc_account_store_follow_changes (self->accounts);
  self->monitor = rc_monitor_new (self->accounts, self->secrets);
  rc_monitor_set_network_monitor (self->monitor, g_network_monitor_get_default ());
  g_settings_bind_with_mapping (self->settings, "check-interval", self->monitor, "interval", G_SETTINGS_BIND_GET,
                                minutes_to_seconds, NULL, NULL, NULL);
  g_signal_connect_object (self->monitor, "checked", G_CALLBACK (on_checked), self, 0);
  rc_monitor_start (self->monitor);

  g_signal_connect_object (self->settings, "changed::run-in-background", G_CALLBACK (update_background),
                           self, G_CONNECT_SWAPPED);
  update_background (self);
  if (g_strcmp0 (g_getenv ("RECONNECT_REPORT_FIRST_FRAME"), "1") == 0)
    {
      g_print ("reconnect: watching\n");
      fflush (stdout);
    }
}

static void
rc_application_shutdown (GApplication *app)
{
  RcApplication *self = RC_APPLICATION (app);

  if (self->monitor != NULL)
    rc_monitor_stop (self->monitor);
  if (self->demo && self->secrets != NULL)
    forget_demo_items (self);
  if (self->sim != NULL)
    rc_sim_stop (self->sim);

  G_APPLICATION_CLASS (rc_application_parent_class)->shutdown (app);
}

static void
rc_application_activate (GApplication *app)
{
  main_window (RC_APPLICATION (app));
}

static void
rc_application_window_added (GtkApplication *app,
                             GtkWindow      *window)
{
  RcApplication *self = RC_APPLICATION (app);

  GTK_APPLICATION_CLASS (rc_application_parent_class)->window_added (app, window);

  /* The main window keeps its size across runs.  Only the first one binds, so
   * two windows do not fight over the same keys. */
  if (RC_IS_WINDOW (window) && g_object_get_data (G_OBJECT (self->settings), "rc-window") == NULL)
    {
      g_object_set_data (G_OBJECT (self->settings), "rc-window", window);
      g_settings_bind (self->settings, "window-width", window, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", window, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", window, "maximized", G_SETTINGS_BIND_DEFAULT);
    }
}

static void
rc_application_window_removed (GtkApplication *app,
                               GtkWindow      *window)
{
  RcApplication *self = RC_APPLICATION (app);

  if (g_object_get_data (G_OBJECT (self->settings), "rc-window") == window)
    {
      g_settings_unbind (window, "default-width");
      g_settings_unbind (window, "default-height");
      g_settings_unbind (window, "maximized");
      g_object_set_data (G_OBJECT (self->settings), "rc-window", NULL);
    }

  GTK_APPLICATION_CLASS (rc_application_parent_class)->window_removed (app, window);
}

static void
rc_application_dispose (GObject *object)
{
  RcApplication *self = RC_APPLICATION (object);

  if (self->monitor != NULL)
    g_settings_unbind (self->monitor, "interval");
  g_clear_object (&self->monitor);
  g_clear_object (&self->accounts);
  g_clear_object (&self->secrets);
  g_clear_object (&self->sim);

  G_OBJECT_CLASS (rc_application_parent_class)->dispose (object);
}

static void
rc_application_finalize (GObject *object)
{
  RcApplication *self = RC_APPLICATION (object);

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  g_clear_pointer (&self->notified, g_hash_table_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rc_application_parent_class)->finalize (object);
}

static void
rc_application_class_init (RcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = rc_application_dispose;
  object_class->finalize = rc_application_finalize;

  app_class->startup = rc_application_startup;
  app_class->shutdown = rc_application_shutdown;
  app_class->activate = rc_application_activate;

  gtk_app_class->window_added = rc_application_window_added;
  gtk_app_class->window_removed = rc_application_window_removed;
}

static void
rc_application_init (RcApplication *self)
{
  static const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show the demo: a simulated CRM, so every flow can be tried without an account"), NULL },
    { NULL }
  };

  self->settings = g_settings_new (BASE_ID);
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/**
 * rc_application_new:
 *
 * Returns: (transfer full): the application, watching the user's accounts
 */
RcApplication *
rc_application_new (void)
{
  return g_object_new (RC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * rc_application_new_demo:
 *
 * The demo runs under an id of its own, beside the real application.
 *
 * Returns: (transfer full): the application, playing a CRM with the
 *   simulator
 */
RcApplication *
rc_application_new_demo (void)
{
  RcApplication *self = g_object_new (RC_TYPE_APPLICATION,
                                      "application-id", APP_ID ".Demo",
                                      "flags", G_APPLICATION_DEFAULT_FLAGS,
                                      "resource-base-path", RESOURCE_PATH,
                                      NULL);

  self->demo = TRUE;
  return self;
}

/**
 * rc_application_get_settings:
 * @self: a #RcApplication
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
rc_application_get_settings (RcApplication *self)
{
  g_return_val_if_fail (RC_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * rc_application_get_background:
 * @self: a #RcApplication
 *
 * Returns: whether the application keeps watching with no window
 */
gboolean
rc_application_get_background (RcApplication *self)
{
  g_return_val_if_fail (RC_IS_APPLICATION (self), FALSE);

  return self->background;
}

gboolean
rc_application_get_demo (RcApplication *self)
{
  g_return_val_if_fail (RC_IS_APPLICATION (self), FALSE);

  return self->demo;
}

/**
 * rc_application_get_accounts:
 * @self: a #RcApplication
 *
 * Returns: (transfer none): the accounts, once the application started up
 */
RcAccountStore *
rc_application_get_accounts (RcApplication *self)
{
  g_return_val_if_fail (RC_IS_APPLICATION (self), NULL);

  return self->accounts;
}

/**
 * rc_application_get_monitor:
 * @self: a #RcApplication
 *
 * Returns: (transfer none): the monitor, once the application started up
 */
RcMonitor *
rc_application_get_monitor (RcApplication *self)
{
  g_return_val_if_fail (RC_IS_APPLICATION (self), NULL);

  return self->monitor;
}

/**
 * rc_application_get_sim:
 * @self: a #RcApplication
 *
 * Returns: (transfer none) (nullable): the demo's simulator
 */
RcSim *
rc_application_get_sim (RcApplication *self)
{
  g_return_val_if_fail (RC_IS_APPLICATION (self), NULL);

  return self->sim;
}

/**
 * rc_application_set_uri_launcher:
 * @self: a #RcApplication
 * @launcher: (nullable): opens the sign-in page; %NULL for the desktop's
 *   browser
 * @user_data: data for @launcher
 * @destroy: (nullable): frees @user_data
 */
void
rc_application_set_uri_launcher (RcApplication  *self,
                                 RcUriLauncher   launcher,
                                 gpointer        user_data,
                                 GDestroyNotify  destroy)
{
  g_return_if_fail (RC_IS_APPLICATION (self));

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = launcher;
  self->launcher_data = user_data;
  self->launcher_destroy = destroy;
}

/**
 * rc_application_prepare_sign_in:
 * @self: a #RcApplication
 * @dialog: a sign-in dialog about to start
 *
 * Gives @dialog the application's way of opening the browser.
 */
void
rc_application_prepare_sign_in (RcApplication  *self,
                                RcSignInDialog *dialog)
{
  g_return_if_fail (RC_IS_APPLICATION (self));

  if (self->launcher != NULL)
    rc_sign_in_dialog_set_launcher (dialog, self->launcher, self->launcher_data, NULL);
}
