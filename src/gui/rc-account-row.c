/* rc-account-row.c: one account in the list
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A state icon, the account's name and one line of where it stands:
 * "Connected · checked 2 minutes ago".  Activating the row opens the
 * account's page.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-account-row.h"
#include "rc-format.h"

struct _RcAccountRow
{
  AdwActionRow  parent_instance;

  RcMonitor    *monitor;
  RcAccount    *account;
  GtkImage     *icon;
  GtkSpinner   *spinner;
  GtkWidget    *sign_in_button;
};

G_DEFINE_FINAL_TYPE (RcAccountRow, rc_account_row, ADW_TYPE_ACTION_ROW)

static const char *state_classes[] = { "signed-out", "checking", "connected", "offline", "needs-sign-in", "needs-admin" };

static void
on_account_changed (RcAccountRow *self)
{
  rc_account_row_update (self);
}

static void
on_monitor_event (RcMonitor    *monitor,
                  RcAccount    *account,
                  RcAccountRow *self)
{
  if (account == self->account)
    rc_account_row_update (self);
}

static void
rc_account_row_dispose (GObject *object)
{
  RcAccountRow *self = RC_ACCOUNT_ROW (object);

  g_clear_object (&self->account);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (rc_account_row_parent_class)->dispose (object);
}

static void
rc_account_row_class_init (RcAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rc_account_row_dispose;
}

static void
rc_account_row_init (RcAccountRow *self)
{
  GtkWidget *arrow;

  /* The name is the user's or an admin's, the subtitle may hold it: text,
   * never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);

  self->icon = GTK_IMAGE (gtk_image_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->icon), "rc-state-icon");
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), GTK_WIDGET (self->icon));

  /* A provisioned or new account only needs this. */
  self->sign_in_button = gtk_button_new_with_mnemonic (_("_Sign In"));
  gtk_widget_set_valign (self->sign_in_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->sign_in_button, "suggested-action");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->sign_in_button);

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->spinner), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Checking"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->spinner));

  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), arrow);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
}

/**
 * rc_account_row_new:
 * @monitor: the monitor that checks @account
 * @account: the account to show
 *
 * Returns: (transfer floating): a row that follows @account
 */
GtkWidget *
rc_account_row_new (RcMonitor *monitor,
                    RcAccount *account)
{
  RcAccountRow *self;

  g_return_val_if_fail (RC_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), NULL);

  self = g_object_new (RC_TYPE_ACCOUNT_ROW, NULL);
  self->monitor = g_object_ref (monitor);
  self->account = g_object_ref (account);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s", rc_account_get_id (account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), "win.show-account");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->sign_in_button), "s", rc_account_get_id (account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sign_in_button), "win.sign-in");

  g_signal_connect_object (account, "notify", G_CALLBACK (on_account_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "check-started", G_CALLBACK (on_monitor_event), self, 0);
  g_signal_connect_object (monitor, "checked", G_CALLBACK (on_monitor_event), self, 0);
  rc_account_row_update (self);
  return GTK_WIDGET (self);
}

RcAccount *
rc_account_row_get_account (RcAccountRow *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

/**
 * rc_account_row_update:
 * @self: a #RcAccountRow
 *
 * Says again where the account stands; relative times age, so the window
 * calls this now and then while it is shown.
 */
void
rc_account_row_update (RcAccountRow *self)
{
  RcConnectionState state;
  gboolean checking;
  g_autofree char *subtitle = NULL;
  const char *name;

  g_return_if_fail (RC_IS_ACCOUNT_ROW (self));

  state = rc_account_get_state (self->account);
  checking = rc_monitor_is_checking (self->monitor, self->account);
  subtitle = rc_format_account_subtitle (self->account, checking,
                                         rc_monitor_get_next_check (self->monitor, self->account),
                                         g_get_real_time () / G_USEC_PER_SEC);
  name = rc_account_get_display_name (self->account);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_image_set_from_icon_name (self->icon, rc_format_state_icon (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  rc_format_state_title (state), -1);
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    if (i == state)
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), state_classes[i]);
    else
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), state_classes[i]);

  /* An account signed out while the keyring kept its item is going. */
  gtk_widget_set_visible (self->sign_in_button, state == RC_CONNECTION_SIGNED_OUT && !checking &&
                                                !rc_account_get_forget_pending (self->account));
  gtk_spinner_set_spinning (self->spinner, checking);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), checking);
}
