/* test-status.c: the live status in the real window, against the demo's
 * simulator: sign in, lose the connection, see the banner, sign in again.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application runs as the demo does, in this process, registered on
 * the test session's bus.  The browser is a scripted one that fills in the
 * simulator's pages.  Notifications go over D-Bus to a notification server
 * this test plays (org.freedesktop.Notifications), so what is asserted is
 * what GLib really sent.
 */

#include "config.h"

#include <adwaita.h>

#include "rc-account-page.h"
#include "rc-account-row.h"
#include "rc-application.h"
#include "rc-sim.h"
#include "rc-test-browser.h"
#include "rc-test-session.h"
#include "rc-window.h"

#define TIMEOUT 30

static RcApplication *app;
static RcWindow *window;
static RcTestBrowser *browser;

/* ------------------------------------------------- notification server -- */

typedef struct
{
  char *id;
  char *title;
  char *body;
  char *default_action;
} Notification;

static GPtrArray *sent;     /* Notification, in order */
static GPtrArray *removed;  /* char *: ids */

static void
notification_free (Notification *notification)
{
  g_free (notification->id);
  g_free (notification->title);
  g_free (notification->body);
  g_free (notification->default_action);
  g_free (notification);
}

/* The freedesktop.org notification server, which GLib speaks to outside a
 * sandbox when GNOME Shell's own interface is not there. */
static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

/* The server's number for each notification: its index in sent, plus one. */
static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      Notification *notification = g_new0 (Notification, 1);
      g_autoptr(GVariant) actions = NULL;
      const char *app_name;
      guint32 replaces;

      g_variant_get (parameters, "(&su&sss@asa{sv}i)", &app_name, &replaces, NULL, &notification->title,
                     &notification->body, &actions, NULL, NULL);
      /* The account's notification carries the account in its actions. */
      for (gsize i = 0; i < g_variant_n_children (actions); i += 2)
        {
          const char *key;

          g_variant_get_child (actions, i, "&s", &key);
          if (g_str_equal (key, "default"))
            notification->default_action = g_strdup (key);
        }
      notification->id = g_strdup (strstr (notification->title, "Contoso") ? "account-demo-dynamics"
                                   : strstr (notification->title, "Acme") ? "account-demo-salesforce" : "other");
      g_ptr_array_add (sent, notification);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", sent->len));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      guint32 number;

      g_variant_get (parameters, "(u)", &number);
      g_assert_cmpuint (number, >=, 1);
      g_assert_cmpuint (number, <=, sent->len);
      g_ptr_array_add (removed, g_strdup (((Notification *) g_ptr_array_index (sent, number - 1))->id));
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
}

static void
serve_notifications (void)
{
  static const GDBusInterfaceVTable vtable = { .method_call = on_notification_call };
  /* Kept for the whole run: the name goes with the connection. */
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 owned;

  g_assert_nonnull (bus);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4 /* do not queue */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1 /* the primary owner */);
  sent = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  removed = g_ptr_array_new_with_free_func (g_free);
}

static guint
count_sent (const char *id)
{
  guint n = 0;

  for (guint i = 0; i < sent->len; i++)
    if (g_str_equal (((Notification *) g_ptr_array_index (sent, i))->id, id))
      n++;
  return n;
}

static guint
count_removed (const char *id)
{
  guint n = 0;

  for (guint i = 0; i < removed->len; i++)
    if (g_str_equal (g_ptr_array_index (removed, i), id))
      n++;
  return n;
}

/* ---------------------------------------------------------- helpers -- */

typedef gboolean (*Condition) (gpointer data);

static void wait_until (Condition condition, gpointer data, const char *what);

static gboolean
sent_to (gpointer id)
{
  guint n = 0;

  for (guint i = 0; i < sent->len; i++)
    if (g_str_equal (((Notification *) g_ptr_array_index (sent, i))->id, id))
      n++;
  return n > 0;
}

static gboolean
removed_for (gpointer id)
{
  for (guint i = 0; i < removed->len; i++)
    if (g_str_equal (g_ptr_array_index (removed, i), id))
      return TRUE;
  return FALSE;
}

typedef struct
{
  const char *id;
  guint       sent;
  guint       removed;
} Counts;

static guint count_sent (const char *id);
static guint count_removed (const char *id);

static gboolean
counts_reached (gpointer data)
{
  Counts *counts = data;

  return count_sent (counts->id) >= counts->sent && count_removed (counts->id) >= counts->removed;
}

static void
wait_for_counts (const char *id,
                 guint       n_sent,
                 guint       n_removed)
{
  Counts counts = { id, n_sent, n_removed };

  wait_until (counts_reached, &counts, "notifications");
  g_assert_cmpuint (count_sent (id), ==, n_sent);
  g_assert_cmpuint (count_removed (id), ==, n_removed);
}

static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;

  while (!condition (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!condition (data))
    g_error ("Timed out waiting for %s", what);
}

static RcAccount *
account (const char *id)
{
  RcAccount *found = rc_account_store_lookup (rc_application_get_accounts (app), id);

  g_assert_nonnull (found);
  return found;
}

typedef struct
{
  const char        *id;
  RcConnectionState  state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *wait = data;
  RcAccount *found = rc_account_store_lookup (rc_application_get_accounts (app), wait->id);

  return found != NULL && rc_account_get_state (found) == wait->state &&
         !rc_monitor_is_checking (rc_application_get_monitor (app), found);
}

static void
wait_for_state (const char        *id,
                RcConnectionState  state)
{
  StateWait wait = { id, state };

  wait_until (has_state, &wait, rc_connection_state_to_string (state));
}

static GtkWidget *
child (const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), RC_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static gboolean
banner_shown (void)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (child ("banner_revealer")));
}

static const char *
banner_title (void)
{
  return gtk_label_get_text (GTK_LABEL (child ("banner_title")));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
toplevel_gone (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

static void
activate (const char *action,
          const char *target)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, target ? "s" : NULL, target));
}

/* Signs in through the dialog the window opened, with the scripted browser
 * playing the user, and closes the dialog when it says Signed In. */
static void
on_finished (RcSignInDialog *dialog,
             gboolean        signed_in,
             int            *outcome)
{
  *outcome = signed_in ? 1 : 0;
}

static gboolean
is_finished (gpointer outcome)
{
  return *(int *) outcome >= 0;
}

static void
complete_sign_in (const char *id)
{
  GtkWindow *dialog;
  int outcome = -1;

  wait_until (toplevel_shown, GSIZE_TO_POINTER (RC_TYPE_SIGN_IN_DIALOG), "the sign-in dialog");
  dialog = find_toplevel (RC_TYPE_SIGN_IN_DIALOG);
  g_assert_true (rc_sign_in_dialog_get_account (RC_SIGN_IN_DIALOG (dialog)) == account (id));
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &outcome);
  wait_until (is_finished, &outcome, "the sign-in to finish");
  g_signal_handlers_disconnect_by_data (dialog, &outcome);
  g_assert_cmpint (outcome, ==, 1);
  wait_for_state (id, RC_CONNECTION_CONNECTED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.close", NULL));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (RC_TYPE_SIGN_IN_DIALOG), "the sign-in dialog to close");
}

static RcAccountRow *
row_for (const char *id)
{
  GtkWidget *list = child ("account_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (RC_IS_ACCOUNT_ROW (row) &&
        g_str_equal (rc_account_get_id (rc_account_row_get_account (RC_ACCOUNT_ROW (row))), id))
      return RC_ACCOUNT_ROW (row);
  return NULL;
}

static const char *
row_subtitle (const char *id)
{
  RcAccountRow *row = row_for (id);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
simulate (const char *scenario)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "simulate", g_variant_new_string (scenario));
}

/* ------------------------------------------------------------ tests -- */

static void
test_demo_lists_accounts (void)
{
  GtkWidget *stack = child ("main_stack");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "accounts");
  g_assert_nonnull (row_for ("demo-salesforce"));
  g_assert_nonnull (row_for ("demo-dynamics"));
  wait_for_state ("demo-dynamics", RC_CONNECTION_SIGNED_OUT);
  g_assert_cmpstr (row_subtitle ("demo-dynamics"), ==, "Not signed in");
  g_assert_false (banner_shown ());
  /* The demo's own menu is there, and its problems are the simulator's. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "simulate"));
}

static void
test_sign_in (void)
{
  activate ("win.sign-in", "demo-dynamics");
  complete_sign_in ("demo-dynamics");
  g_assert_cmpuint (rc_test_browser_get_launches (browser), ==, 1);
  g_assert_cmpstr (rc_account_get_user (account ("demo-dynamics")), ==, "ada@reconnect.example");
  g_assert_true (g_str_has_prefix (row_subtitle ("demo-dynamics"), "Connected · checked "));
  g_assert_false (banner_shown ());
}

static void
test_connection_lost (void)
{
  RcAccount *dynamics = account ("demo-dynamics");
  GtkWidget *button = child ("banner_button");
  guint launches = rc_test_browser_get_launches (browser);
  gint64 first;

  g_assert_cmpint (rc_account_get_state (dynamics), ==, RC_CONNECTION_CONNECTED);
  simulate ("refresh-token-expired");
  wait_for_state ("demo-dynamics", RC_CONNECTION_NEEDS_SIGN_IN);
  g_assert_cmpstr (rc_account_get_cause (dynamics), ==, "refresh-token-expired");

  /* The banner says it the way CRM add-ins do, with the one fix. */
  g_assert_true (banner_shown ());
  g_assert_cmpstr (banner_title (), ==, "Connection lost");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child ("banner_detail"))), "Contoso Dynamics 365 (Demo)"));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Sign In Again");
  g_assert_true (g_str_has_prefix (row_subtitle ("demo-dynamics"), "Connection lost · "));

  /* The grace countdown starts at the first failure, and holds. */
  first = rc_account_get_first_failure (dynamics);
  g_assert_cmpint (first, >, 0);
  g_assert_cmpint (first, <=, g_get_real_time () / G_USEC_PER_SEC);

  /* One notification for this failure, however often it is found again. */
  wait_until (sent_to, "account-demo-dynamics", "a notification");
  g_assert_cmpuint (count_sent ("account-demo-dynamics"), ==, 1);
  {
    Notification *last = g_ptr_array_index (sent, sent->len - 1);

    g_assert_cmpstr (last->title, ==, "Connection to Contoso Dynamics 365 (Demo) lost");
    g_assert_nonnull (last->body);
    g_assert_cmpstr (last->default_action, ==, "default");
  }
  rc_monitor_check (rc_application_get_monitor (app), dynamics);
  wait_for_state ("demo-dynamics", RC_CONNECTION_NEEDS_SIGN_IN);
  g_assert_cmpuint (count_sent ("account-demo-dynamics"), ==, 1);
  g_assert_cmpint (rc_account_get_first_failure (dynamics), ==, first);

  /* One click: the banner's button signs in again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.banner-action", NULL));
  complete_sign_in ("demo-dynamics");
  g_assert_cmpuint (rc_test_browser_get_launches (browser), ==, launches + 1);
  g_assert_false (banner_shown ());
  g_assert_cmpint (rc_account_get_first_failure (dynamics), ==, 0);
  wait_until (removed_for, "account-demo-dynamics", "the notification to be withdrawn");
  g_assert_cmpuint (count_removed ("account-demo-dynamics"), ==, 1);
  simulate ("healthy");
  wait_for_state ("demo-dynamics", RC_CONNECTION_CONNECTED);
}

static void
test_offline (void)
{
  RcAccount *dynamics = account ("demo-dynamics");
  guint notifications = sent->len;

  simulate ("network-offline");
  wait_for_state ("demo-dynamics", RC_CONNECTION_OFFLINE);
  g_assert_cmpstr (rc_account_get_cause (dynamics), ==, "network-offline");
  g_assert_true (banner_shown ());
  g_assert_cmpstr (banner_title (), ==, "Offline");
  /* Nothing to press: it retries on its own, and says when. */
  g_assert_false (gtk_widget_get_visible (child ("banner_button")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child ("banner_detail"))), "try again"));
  g_assert_nonnull (strstr (row_subtitle ("demo-dynamics"), "will retry in"));
  g_assert_cmpint (rc_monitor_get_next_check (rc_application_get_monitor (app), dynamics), >, 0);
  /* Offline is not news worth a notification. */
  g_assert_cmpuint (sent->len, ==, notifications);

  simulate ("healthy");
  wait_for_state ("demo-dynamics", RC_CONNECTION_CONNECTED);
  g_assert_false (banner_shown ());
}

static void
test_needs_admin (void)
{
  RcAccount *dynamics = account ("demo-dynamics");
  GtkWidget *button = child ("banner_button");

  simulate ("conditional-access");
  wait_for_state ("demo-dynamics", RC_CONNECTION_NEEDS_ADMIN);
  g_assert_cmpstr (rc_account_get_cause (dynamics), ==, "conditional-access");
  g_assert_true (banner_shown ());
  g_assert_cmpstr (banner_title (), ==, "Sign-in blocked by your organization");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_What to Tell Your Admin");
  wait_for_counts ("account-demo-dynamics", 2, 1);

  /* What to Tell Your Admin opens the account, with its cause. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.banner-action", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child ("main_stack"))), ==, "account");
  g_assert_true (gtk_widget_get_visible (child ("back_button")));

  simulate ("healthy");
  wait_for_state ("demo-dynamics", RC_CONNECTION_CONNECTED);
  g_assert_false (banner_shown ());
  wait_for_counts ("account-demo-dynamics", 2, 2);
  activate ("win.back", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child ("main_stack"))), ==, "accounts");
}

/* The worst account decides: a lost connection outranks one offline. */
static void
test_worst_decides (void)
{
  activate ("win.sign-in", "demo-salesforce");
  complete_sign_in ("demo-salesforce");

  simulate ("network-offline");
  wait_for_state ("demo-dynamics", RC_CONNECTION_OFFLINE);
  wait_for_state ("demo-salesforce", RC_CONNECTION_OFFLINE);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child ("banner_detail"))), "1 more account"));

  simulate ("healthy");
  wait_for_state ("demo-dynamics", RC_CONNECTION_CONNECTED);
  wait_for_state ("demo-salesforce", RC_CONNECTION_CONNECTED);
  simulate ("refresh-token-expired");
  wait_for_state ("demo-dynamics", RC_CONNECTION_NEEDS_SIGN_IN);
  g_assert_cmpstr (banner_title (), ==, "Connection lost");
  simulate ("healthy");
}

static void
test_notifications_setting (void)
{
  GSettings *settings = rc_application_get_settings (app);
  guint before;

  /* (The previous test left the Dynamics account needing a sign-in.) */
  activate ("win.sign-in", "demo-dynamics");
  complete_sign_in ("demo-dynamics");
  wait_for_counts ("account-demo-dynamics", 3, 3);
  before = count_sent ("account-demo-dynamics");

  g_settings_set_boolean (settings, "notifications", FALSE);
  simulate ("refresh-token-expired");
  wait_for_state ("demo-dynamics", RC_CONNECTION_NEEDS_SIGN_IN);
  g_assert_cmpuint (count_sent ("account-demo-dynamics"), ==, before);
  g_settings_set_boolean (settings, "notifications", TRUE);
  simulate ("healthy");
  activate ("win.sign-in", "demo-dynamics");
  complete_sign_in ("demo-dynamics");
}

static void
test_account_page (void)
{
  GObject *page;

  activate ("win.show-account", "demo-salesforce");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child ("main_stack"))), ==, "account");
  page = gtk_widget_get_template_child (child ("account_page"), RC_TYPE_ACCOUNT_PAGE, "user_row");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (page)), ==, "ada@reconnect.example");
  page = gtk_widget_get_template_child (child ("account_page"), RC_TYPE_ACCOUNT_PAGE, "expires_row");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (page)), !=, "");
  activate ("win.back", NULL);
}

/* Whether @root holds a shown button labelled @label. */
static gboolean
has_visible_button (GtkWidget  *root,
                    const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return gtk_widget_get_visible (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_visible_button (c, label))
      return TRUE;
  return FALSE;
}

/* Signed out while the keyring could not delete (see cli-admin's
 * secret-stays-home for how an account gets there): the list and the page
 * say so, and offer no sign-in on an account that is going. */
static void
test_forget_pending (void)
{
  RcAccount *account = rc_account_store_lookup (rc_application_get_accounts (app), "demo-dynamics");
  GtkWidget *page = child ("account_page");
  RcConnectionState state;
  GObject *status;

  g_assert_nonnull (account);
  state = rc_account_get_state (account);
  rc_account_set_state (account, RC_CONNECTION_SIGNED_OUT);
  g_assert_true (has_visible_button (GTK_WIDGET (row_for ("demo-dynamics")), "_Sign In"));
  rc_account_set_forget_pending (account, TRUE);
  g_assert_nonnull (strstr (row_subtitle ("demo-dynamics"), "not removed yet"));
  g_assert_false (has_visible_button (GTK_WIDGET (row_for ("demo-dynamics")), "_Sign In"));
  activate ("win.show-account", "demo-dynamics");
  status = gtk_widget_get_template_child (page, RC_TYPE_ACCOUNT_PAGE, "status_row");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), "could not be removed"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (page, RC_TYPE_ACCOUNT_PAGE,
                                                                                     "sign_in_button"))));
  rc_account_set_forget_pending (account, FALSE);
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), "could not be removed"));
  rc_account_set_state (account, state);
  activate ("win.back", NULL);
}

static gboolean
account_removed (gpointer id)
{
  return rc_account_store_lookup (rc_application_get_accounts (app), id) == NULL;
}

static void
test_sign_out (void)
{
  AdwMessageDialog *dialog;
  RcSim *sim = rc_application_get_sim (app);
  guint grants = rc_sim_get_live_grants (sim);

  activate ("win.sign-out", "demo-salesforce");
  wait_until (toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the confirmation");
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  /* It says what signing out does before it does it. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "revoke"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "sign-out");
  wait_until (account_removed, "demo-salesforce", "the account to go");
  g_assert_cmpuint (rc_sim_get_live_grants (sim), <, grants);
  g_assert_null (row_for ("demo-salesforce"));
}

static gboolean
is_narrow (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (window)) <= 360;
}

static void
test_narrow_and_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  int minimum;

  simulate ("refresh-token-expired");
  wait_for_state ("demo-dynamics", RC_CONNECTION_NEEDS_SIGN_IN);
  g_assert_true (banner_shown ());
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  wait_until (is_narrow, NULL, "the window to be 360 px wide");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  simulate ("healthy");
}

static void
run_tests (GApplication *application,
           int          *status)
{
  g_application_hold (application);
  window = rc_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  *status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_release (application);
  g_signal_stop_emission_by_name (application, "activate");
}

int
main (int   argc,
      char *argv[])
{
  int status = 1;

  if (g_strcmp0 (g_getenv ("RECONNECT_TEST_SESSION"), "1") != 0)
    {
      g_print ("Bail out! test-status needs the private test session: run build-aux/test\n");
      return 1;
    }

  gtk_test_init (&argc, &argv, NULL);
  serve_notifications ();

  g_test_add_func ("/reconnect/status/demo-lists-accounts", test_demo_lists_accounts);
  g_test_add_func ("/reconnect/status/sign-in", test_sign_in);
  g_test_add_func ("/reconnect/status/connection-lost", test_connection_lost);
  g_test_add_func ("/reconnect/status/offline", test_offline);
  g_test_add_func ("/reconnect/status/needs-admin", test_needs_admin);
  g_test_add_func ("/reconnect/status/worst-decides", test_worst_decides);
  g_test_add_func ("/reconnect/status/notifications-setting", test_notifications_setting);
  g_test_add_func ("/reconnect/status/account-page", test_account_page);
  g_test_add_func ("/reconnect/status/forget-pending", test_forget_pending);
  g_test_add_func ("/reconnect/status/sign-out", test_sign_out);
  g_test_add_func ("/reconnect/status/narrow-and-dark", test_narrow_and_dark);

  browser = rc_test_browser_new (NULL, "allow");
  app = rc_application_new_demo ();
  rc_application_set_uri_launcher (app, rc_test_browser_launch, browser, NULL);
  g_signal_connect (app, "activate", G_CALLBACK (run_tests), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);

  g_assert_finalize_object (app);
  rc_test_browser_free (browser);
  g_clear_pointer (&sent, g_ptr_array_unref);
  g_clear_pointer (&removed, g_ptr_array_unref);
  return status;
}
