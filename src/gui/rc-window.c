/* rc-window.c: the main window
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list of accounts, one page per account, and above them the banner:
 * the worst account decides what it says.  Needs sign-in: "Connection
 * lost" and Sign In Again.  Needs the admin: what is blocked and What to
 * Tell Your Admin.  Offline: it says so and waits; there is nothing to
 * press.  All is well: no banner.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "rc-account-page.h"
#include "rc-account-row.h"
#include "rc-add-account-dialog.h"
#include "rc-cause.h"
#include "rc-explain-window.h"
#include "rc-format.h"
#include "rc-sign-in-dialog.h"
#include "rc-window.h"

/* Relative times ("2 minutes ago") age by the minute; shown, they are said
 * again this often, and not more: an idle window should stay idle. */
#define REFRESH_SECONDS 60

struct _RcWindow
{
  AdwApplicationWindow  parent_instance;

  RcAccountStore       *accounts;
  RcMonitor            *monitor;
  RcAccount            *banner_account;
  gboolean              demo;
  guint                 refresh_id;

  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkWidget            *add_button;
  GtkMenuButton        *primary_menu_button;
  GMenu                *primary_menu;
  GMenuModel           *simulate_menu;
  GtkRevealer          *banner_revealer;
  GtkWidget            *banner;
  GtkLabel             *banner_title;
  GtkLabel             *banner_detail;
  GtkButton            *banner_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  GtkWidget            *empty_add_button;
  GtkWidget            *empty_demo_button;
  GtkLabel             *problem_label;
  GtkListBox           *account_list;
  RcAccountPage        *account_page;
};

G_DEFINE_FINAL_TYPE (RcWindow, rc_window, ADW_TYPE_APPLICATION_WINDOW)

static RcApplication *get_application (RcWindow *self);

static RcApplication *
get_application (RcWindow *self)
{
  return RC_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static RcAccount *
lookup_account (RcWindow   *self,
                GVariant   *parameter)
{
  return rc_account_store_lookup (self->accounts, g_variant_get_string (parameter, NULL));
}

/* @text is plain text: a toast's title is markup in libadwaita 1.2, and
 * what is toasted may carry an account's name or a server's words. */
static void
toast (RcWindow   *self,
       const char *text)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
}

/* ----------------------------------------------------------- banner -- */

static int
severity (RcConnectionState state)
{
  switch (state)
    {
    case RC_CONNECTION_NEEDS_SIGN_IN: return 3;
    case RC_CONNECTION_NEEDS_ADMIN:   return 2;
    case RC_CONNECTION_OFFLINE:       return 1;
    default:                          return 0;
    }
}

static void
update_banner (RcWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  g_autoptr(RcAccount) worst = NULL;
  guint others = 0;
  RcConnectionState state;
  const char *cause;
  g_autofree char *detail = NULL;
  g_autofree char *why = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RcAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      int level = severity (rc_account_get_state (account));

      if (level == 0)
        continue;
      if (worst == NULL || level > severity (rc_account_get_state (worst)))
        {
          if (worst != NULL)
            others++;
          g_set_object (&worst, account);
        }
      else
        others++;
    }

  g_set_object (&self->banner_account, worst);
  gtk_widget_remove_css_class (self->banner, "lost");
  gtk_widget_remove_css_class (self->banner, "blocked");
  gtk_widget_remove_css_class (self->banner, "offline");

  if (worst == NULL)
    {
      gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
      return;
    }

  state = rc_account_get_state (worst);
  cause = rc_account_get_cause (worst);
  why = g_strdup (cause ? rc_cause_get_summary (cause) : "");

  if (state == RC_CONNECTION_OFFLINE)
    {
      gint64 next = rc_monitor_get_next_check (self->monitor, worst);
      g_autofree char *when = next > now ? rc_format_duration (next - now) : NULL;
      g_autofree char *retry = when ? g_strdup_printf (_("Reconnect will try again in %s."), when)
                                    : g_strdup (_("Reconnect will try again on its own."));

      /* Translators: "Acme Sales: The service cannot be reached. Reconnect will try again in 1 minute." */
      detail = g_strdup_printf (_("%s: %s %s"), rc_account_get_display_name (worst), why, retry);
      gtk_label_set_text (self->banner_title, _("Offline"));
      gtk_widget_add_css_class (self->banner, "offline");
      gtk_widget_set_visible (GTK_WIDGET (self->banner_button), FALSE);
    }
  else
    {
      /* Translators: "Acme Sales: Your sign-in expired after a period without use." */
      detail = g_strdup_printf (_("%s: %s"), rc_account_get_display_name (worst), why);
      gtk_widget_set_visible (GTK_WIDGET (self->banner_button), TRUE);
      if (state == RC_CONNECTION_NEEDS_SIGN_IN)
        {
          gtk_label_set_text (self->banner_title, _("Connection lost"));
          gtk_widget_add_css_class (self->banner, "lost");
          gtk_button_set_label (self->banner_button, rc_cause_sign_in_helps (cause) ? _("_Sign In Again")
                                                                                    : _("_Try Again"));
        }
      else
        {
          gtk_label_set_text (self->banner_title, _("Sign-in blocked by your organization"));
          gtk_widget_add_css_class (self->banner, "blocked");
          gtk_button_set_label (self->banner_button, _("_What to Tell Your Admin"));
        }
    }

  if (others > 0)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (and %u more account)",
                                                            "%s (and %u more accounts)", others),
                                               detail, others);
      g_free (detail);
      detail = g_steal_pointer (&more);
    }
  gtk_label_set_text (self->banner_detail, detail);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

/* ------------------------------------------------------------ pages -- */

static void
update_view (RcWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  const char *page = gtk_stack_get_visible_child_name (self->main_stack);
  gboolean on_account = g_strcmp0 (page, "account") == 0;
  RcAccount *shown = rc_account_page_get_account (self->account_page);
  const char *problem = rc_account_store_get_problem (self->accounts);

  if (on_account && (shown == NULL || rc_account_store_lookup (self->accounts, rc_account_get_id (shown)) != shown))
    on_account = FALSE;   /* the account went away under its page */

  if (!on_account)
    {
      rc_account_page_set_account (self->account_page, NULL, NULL);
      gtk_stack_set_visible_child_name (self->main_stack, n == 0 && problem == NULL ? "empty" : "accounts");
      /* Translators: the window's subtitle while the demo runs */
      adw_window_title_set_subtitle (self->window_title, self->demo ? _("Demo") : NULL);
    }
  else
    adw_window_title_set_subtitle (self->window_title, rc_account_get_display_name (shown));

  gtk_widget_set_visible (self->back_button, on_account);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  if (problem != NULL)
    gtk_label_set_text (self->problem_label, problem);
  update_banner (self);
}

static void
refresh_rows (RcWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->account_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (RC_IS_ACCOUNT_ROW (child))
      rc_account_row_update (RC_ACCOUNT_ROW (child));
  rc_account_page_update (self->account_page);
  update_banner (self);
}

static gboolean
on_refresh (gpointer user_data)
{
  refresh_rows (user_data);
  return G_SOURCE_CONTINUE;
}

/* For bench/: RECONNECT_REPORT_FIRST_FRAME=1 prints one line on standard
 * output when the window has drawn its first frame. */
static void
on_first_frame (GdkFrameClock *clock,
                RcWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  g_print ("reconnect: first frame\n");
  fflush (stdout);
}

static void
on_realize (RcWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL && g_strcmp0 (g_getenv ("RECONNECT_REPORT_FIRST_FRAME"), "1") == 0)
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_frame), self);
}

/* Only while someone can see it: a hidden window does not tick. */
static void
on_mapped_changed (RcWindow *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh, self);
      refresh_rows (self);
    }
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  RcWindow *self = user_data;

  return rc_account_row_new (self->monitor, item);
}

static void
on_account_state (RcWindow *self)
{
  update_banner (self);
}

static void
on_checked (RcMonitor *monitor,
            RcAccount *account,
            RcWindow  *self)
{
  update_banner (self);
}

static void
watch_account (RcWindow  *self,
               RcAccount *account)
{
  g_signal_connect_object (account, "notify::state", G_CALLBACK (on_account_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::cause", G_CALLBACK (on_account_state), self, G_CONNECT_SWAPPED);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  RcWindow   *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(RcAccount) account = g_list_model_get_item (model, i);

      watch_account (self, account);
    }
  update_view (self);
}

/* ---------------------------------------------------------- actions -- */

static void
show_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);

  rc_window_show_account (self, g_variant_get_string (parameter, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, "accounts");
  update_view (self);
}

static void
on_account_added (RcAddAccountDialog *dialog,
                  RcAccount          *account,
                  RcWindow           *self)
{
  rc_window_sign_in (self, account);
}

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);
  RcAddAccountDialog *dialog = rc_add_account_dialog_new (self->accounts);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "account-added", G_CALLBACK (on_account_added), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);
  RcAccount *account = lookup_account (self, parameter);

  if (account != NULL)
    rc_window_sign_in (self, account);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);
  RcAccount *account = lookup_account (self, parameter);

  if (account != NULL)
    rc_monitor_check (self->monitor, account);
}

static void
explain_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (rc_explain_window_new (GTK_WINDOW (self))));
}

static void
check_all_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);

  rc_monitor_check_all (self->monitor);
}

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RcWindow) self = user_data;
  g_autoptr(RcSignOutReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = rc_monitor_sign_out_finish (RC_MONITOR (source), result, &error);
  if (report == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not sign out: %s"), error->message);

      toast (self, text);
      return;
    }

  /* Say what was achieved, never more. */
  if (report->keyring_error != NULL)
    toast (self, _("Signed out. The saved sign-in is removed once the keyring is unlocked."));
  else if (report->revoke_error != NULL)
    toast (self, _("Signed out here. The provider could not be told to end the sign-in."));
  else
    toast (self, _("Signed out"));
  gtk_stack_set_visible_child_name (self->main_stack, "accounts");
  update_view (self);
}

static void
on_sign_out_response (AdwMessageDialog *dialog,
                      const char       *response,
                      RcWindow         *self)
{
  RcAccount *account = g_object_get_data (G_OBJECT (dialog), "account");

  if (g_strcmp0 (response, "sign-out") == 0 && account != NULL)
    rc_monitor_sign_out_async (self->monitor, account, NULL, on_signed_out, g_object_ref (self));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);
  RcAccount *account = lookup_account (self, parameter);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (account == NULL)
    return;

  heading = g_strdup_printf (_("Sign Out of %s?"), rc_account_get_display_name (account));
  body = g_strdup_printf (rc_account_get_provisioned (account)
                            ? _("Reconnect will revoke its access at %s and forget the saved sign-in on this computer. "
                                "The account stays in the list, set up by your administrator.")
                            : _("Reconnect will revoke its access at %s, forget the saved sign-in on this computer "
                                "and remove the account from the list."),
                          rc_format_provider_name (rc_account_get_provider (account)));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "sign-out", _("_Sign Out"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account", g_object_ref (account), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_out_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
banner_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RcWindow *self = RC_WINDOW (widget);
  g_autoptr(RcAccount) account = self->banner_account ? g_object_ref (self->banner_account) : NULL;

  if (account == NULL)
    return;

  if (rc_account_get_state (account) == RC_CONNECTION_NEEDS_SIGN_IN)
    {
      if (rc_cause_sign_in_helps (rc_account_get_cause (account)))
        rc_window_sign_in (self, account);
      else
        rc_monitor_check (self->monitor, account);
    }
  else
    rc_window_show_account (self, rc_account_get_id (account));
}

/* ---------------------------------------------------------- lifetime -- */

/* The application is only known once the window is made, not while. */
static void
setup (RcWindow      *self,
       RcApplication *app)
{
  guint n;

  self->accounts = g_object_ref (rc_application_get_accounts (app));
  self->monitor = g_object_ref (rc_application_get_monitor (app));

  gtk_list_box_bind_model (self->account_list, G_LIST_MODEL (self->accounts), create_row, self, NULL);
  g_signal_connect_object (self->accounts, "items-changed", G_CALLBACK (on_items_changed), self, 0);
  g_signal_connect_object (self->monitor, "checked", G_CALLBACK (on_checked), self, 0);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RcAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      watch_account (self, account);
    }
  g_settings_bind (rc_application_get_settings (app), "grace-days", self->account_page, "grace-days",
                   G_SETTINGS_BIND_GET);

  self->demo = rc_application_get_demo (app);
  if (self->demo)
    {
      g_menu_insert_submenu (self->primary_menu, 1, _("_Simulate a Problem"), self->simulate_menu);
    }

  update_view (self);
}

static void
rc_window_dispose (GObject *object)
{
  RcWindow *self = RC_WINDOW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->banner_account);
  g_clear_object (&self->accounts);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (rc_window_parent_class)->dispose (object);
}

static void
rc_window_class_init (RcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rc_window_dispose;

  g_type_ensure (RC_TYPE_ACCOUNT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/rc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RcWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, simulate_menu);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, banner_title);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, banner_detail);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, empty_demo_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, account_list);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, account_page);

  gtk_widget_class_install_action (widget_class, "win.add-account", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "win.show-account", "s", show_account_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in", "s", sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.check", "s", check_action);
  gtk_widget_class_install_action (widget_class, "win.check-all", NULL, check_all_action);
  gtk_widget_class_install_action (widget_class, "win.explain", NULL, explain_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", "s", sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.banner-action", NULL, banner_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-account", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.check-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.check-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.explain", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
}

static void
rc_window_init (RcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self, "map", G_CALLBACK (on_mapped_changed), self);
  g_signal_connect_swapped (self, "realize", G_CALLBACK (on_realize), self);
  g_signal_connect_swapped (self, "unmap", G_CALLBACK (on_mapped_changed), self);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

/**
 * rc_window_new:
 * @application: the #RcApplication the window belongs to
 *
 * Returns: (transfer full): a new main window
 */
RcWindow *
rc_window_new (RcApplication *application)
{
  RcWindow *self;

  g_return_val_if_fail (RC_IS_APPLICATION (application), NULL);

  self = g_object_new (RC_TYPE_WINDOW,
                       "application", application,
                       NULL);
  setup (self, application);
  return self;
}

/**
 * rc_window_show_account:
 * @self: a #RcWindow
 * @account_id: the account to show
 *
 * Shows the account's page; an unknown id shows the list.
 */
void
rc_window_show_account (RcWindow   *self,
                        const char *account_id)
{
  RcAccount *account;

  g_return_if_fail (RC_IS_WINDOW (self));

  account = rc_account_store_lookup (self->accounts, account_id);
  if (account == NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "accounts");
      update_view (self);
      return;
    }
  rc_account_page_set_account (self->account_page, self->monitor, account);
  gtk_stack_set_visible_child_name (self->main_stack, "account");
  update_view (self);
}

/* The dialog itself says Signed In, and the row and the banner follow the
 * account: no toast that would outlive what it says. */
static void
on_sign_in_finished (RcSignInDialog *dialog,
                     gboolean        signed_in,
                     RcWindow       *self)
{
  if (signed_in)
    update_view (self);
}

/**
 * rc_window_sign_in:
 * @self: a #RcWindow
 * @account: the account to sign in
 *
 * Opens the sign-in dialog for @account and starts the browser sign-in.
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
rc_window_sign_in (RcWindow  *self,
                   RcAccount *account)
{
  RcSignInDialog *dialog;

  g_return_val_if_fail (RC_IS_WINDOW (self), NULL);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), NULL);

  dialog = rc_sign_in_dialog_new (self->monitor, account);
  rc_application_prepare_sign_in (get_application (self), dialog);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "finished", G_CALLBACK (on_sign_in_finished), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  rc_sign_in_dialog_start (dialog);
  return GTK_WINDOW (dialog);
}

/**
 * rc_window_get_toast_overlay:
 * @self: a #RcWindow
 *
 * Returns: (transfer none): where the window shows its toasts
 */
AdwToastOverlay *
rc_window_get_toast_overlay (RcWindow *self)
{
  g_return_val_if_fail (RC_IS_WINDOW (self), NULL);

  return self->toast_overlay;
}
