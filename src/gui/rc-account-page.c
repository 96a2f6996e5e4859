/* rc-account-page.c: one account's details and what can be done
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an admin at the desk asks first: who is signed in, where, since
 * when, until when, with which permissions, and whether it works now.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-account-page.h"
#include "rc-cause.h"
#include "rc-format.h"

struct _RcAccountPage
{
  AdwBin        parent_instance;

  RcMonitor    *monitor;
  RcAccount    *account;
  guint         grace_days;

  AdwPreferencesGroup *status_group;
  AdwActionRow *status_row;
  GtkImage     *status_icon;
  AdwActionRow *grace_row;
  GtkWidget    *sign_in_button;
  GtkWidget    *check_button;
  GtkWidget    *sign_out_button;
  AdwActionRow *provider_row;
  AdwActionRow *user_row;
  AdwActionRow *org_row;
  AdwActionRow *instance_row;
  AdwActionRow *signed_in_row;
  AdwActionRow *refresh_row;
  AdwActionRow *expires_row;
  AdwActionRow *scopes_row;
  AdwActionRow *checked_row;
};

G_DEFINE_FINAL_TYPE (RcAccountPage, rc_account_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_GRACE_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
disconnect (RcAccountPage *self)
{
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->account);
  g_clear_object (&self->monitor);
}

static void
on_account_changed (RcAccountPage *self)
{
  rc_account_page_update (self);
}

static void
on_monitor_event (RcMonitor     *monitor,
                  RcAccount     *account,
                  RcAccountPage *self)
{
  if (account == self->account)
    rc_account_page_update (self);
}

static void
set_time_row (AdwActionRow *row,
              gint64        when,
              const char   *unknown,
              gint64        now)
{
  g_autofree char *date = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *text = NULL;

  if (when <= 0)
    {
      adw_action_row_set_subtitle (row, unknown);
      return;
    }
  date = rc_format_date (when);
  relative = when <= now ? rc_format_relative (when, now) : NULL;
  /* Translators: "22/11/26 14:03:10 (3 hours ago)" */
  text = relative ? g_strdup_printf (_("%s (%s)"), date, relative) : g_strdup (date);
  adw_action_row_set_subtitle (row, text);
}

static void
rc_account_page_dispose (GObject *object)
{
  RcAccountPage *self = RC_ACCOUNT_PAGE (object);

  disconnect (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RC_TYPE_ACCOUNT_PAGE);

  G_OBJECT_CLASS (rc_account_page_parent_class)->dispose (object);
}

static void
rc_account_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RcAccountPage *self = RC_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_GRACE_DAYS:
      g_value_set_uint (value, self->grace_days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_account_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RcAccountPage *self = RC_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_GRACE_DAYS:
      rc_account_page_set_grace_days (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_account_page_class_init (RcAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rc_account_page_dispose;
  object_class->get_property = rc_account_page_get_property;
  object_class->set_property = rc_account_page_set_property;

  /* The buffer window a CRM sync allows, in days. */
  properties[PROP_GRACE_DAYS] =
    g_param_spec_uint ("grace-days", NULL, NULL, 1, 365, 3,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/rc-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, grace_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, provider_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, org_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, instance_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, signed_in_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, refresh_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, expires_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, checked_row);
}

static void
rc_account_page_init (RcAccountPage *self)
{
  self->grace_days = 3;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * rc_account_page_set_account:
 * @self: a #RcAccountPage
 * @monitor: (nullable): the monitor that checks @account
 * @account: (nullable): the account to show
 */
void
rc_account_page_set_account (RcAccountPage *self,
                             RcMonitor     *monitor,
                             RcAccount     *account)
{
  g_return_if_fail (RC_IS_ACCOUNT_PAGE (self));

  if (self->account == account)
    return;
  disconnect (self);
  if (account == NULL)
    return;

  self->monitor = g_object_ref (monitor);
  self->account = g_object_ref (account);
  g_signal_connect_swapped (account, "notify", G_CALLBACK (on_account_changed), self);
  g_signal_connect (monitor, "check-started", G_CALLBACK (on_monitor_event), self);
  g_signal_connect (monitor, "checked", G_CALLBACK (on_monitor_event), self);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->sign_in_button), "s", rc_account_get_id (account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sign_in_button), "win.sign-in");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->check_button), "s", rc_account_get_id (account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->check_button), "win.check");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->sign_out_button), "s", rc_account_get_id (account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sign_out_button), "win.sign-out");

  rc_account_page_update (self);
}

RcAccount *
rc_account_page_get_account (RcAccountPage *self)
{
  g_return_val_if_fail (RC_IS_ACCOUNT_PAGE (self), NULL);

  return self->account;
}

void
rc_account_page_set_grace_days (RcAccountPage *self,
                                guint          days)
{
  g_return_if_fail (RC_IS_ACCOUNT_PAGE (self));

  if (self->grace_days == days)
    return;
  self->grace_days = days;
  rc_account_page_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRACE_DAYS]);
}

/**
 * rc_account_page_update:
 * @self: a #RcAccountPage
 *
 * Shows the account as it is now.
 */
void
rc_account_page_update (RcAccountPage *self)
{
  RcAccount *account = self->account;
  RcSession *session;
  RcTokenSet *tokens;
  RcConnectionState state;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *subtitle = NULL;
  g_autofree char *grace = NULL;
  g_autofree char *scopes = NULL;
  const char *cause;
  const char *instance;
  gboolean checking;

  g_return_if_fail (RC_IS_ACCOUNT_PAGE (self));

  if (account == NULL)
    return;

  state = rc_account_get_state (account);
  cause = rc_account_get_cause (account);
  checking = rc_monitor_is_checking (self->monitor, account);
  session = rc_monitor_get_session (self->monitor, account, NULL);
  tokens = session != NULL ? rc_session_get_tokens (session) : NULL;

  adw_preferences_group_set_title (self->status_group, rc_account_get_display_name (account));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), rc_format_state_title (state));
  if (cause != NULL && state != RC_CONNECTION_CONNECTED)
    adw_action_row_set_subtitle (self->status_row, rc_cause_get_summary (cause));
  else if (state == RC_CONNECTION_SIGNED_OUT)
    adw_action_row_set_subtitle (self->status_row, _("Sign in to let Reconnect watch this connection."));
  else
    {
      subtitle = rc_format_account_subtitle (account, checking, rc_monitor_get_next_check (self->monitor, account), now);
      adw_action_row_set_subtitle (self->status_row, subtitle);
    }
  gtk_image_set_from_icon_name (self->status_icon, rc_format_state_icon (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  rc_format_state_title (state), -1);

  grace = rc_format_grace (account, self->grace_days, now);
  gtk_widget_set_visible (GTK_WIDGET (self->grace_row), grace != NULL);
  if (grace != NULL)
    adw_action_row_set_subtitle (self->grace_row, grace);

  gtk_button_set_label (GTK_BUTTON (self->sign_in_button),
                        state == RC_CONNECTION_SIGNED_OUT ? _("_Sign In") : _("_Sign In Again"));
  gtk_widget_set_visible (self->sign_in_button, state != RC_CONNECTION_CONNECTED);
  gtk_widget_set_sensitive (self->check_button, !checking && state != RC_CONNECTION_SIGNED_OUT);
  gtk_widget_set_visible (self->sign_out_button, state != RC_CONNECTION_SIGNED_OUT || !rc_account_get_provisioned (account));
  gtk_button_set_label (GTK_BUTTON (self->sign_out_button),
                        rc_account_get_provisioned (account) || state != RC_CONNECTION_SIGNED_OUT
                          ? _("Sign _Out…") : _("_Remove Account…"));

  adw_action_row_set_subtitle (self->provider_row, rc_format_provider_name (rc_account_get_provider (account)));
  adw_action_row_set_subtitle (self->user_row, rc_account_get_user (account) ? rc_account_get_user (account)
                                                                              : _("Not known until you sign in"));
  adw_action_row_set_subtitle (self->org_row, rc_account_get_endpoint (account));
  instance = tokens ? rc_token_set_get_instance_url (tokens) : NULL;
  if (instance == NULL)
    instance = rc_account_get_environment_url (account);
  gtk_widget_set_visible (GTK_WIDGET (self->instance_row), instance != NULL);
  if (instance != NULL)
    adw_action_row_set_subtitle (self->instance_row, instance);

  set_time_row (self->signed_in_row, rc_account_get_signed_in_at (account), _("Not signed in"), now);
  set_time_row (self->refresh_row, rc_account_get_last_refresh (account), _("Not yet"), now);
  if (tokens != NULL && rc_token_set_get_expires_at (tokens) > 0)
    set_time_row (self->expires_row, rc_token_set_get_expires_at (tokens), NULL, now);
  else if (tokens != NULL)
    /* Salesforce does not say: its session lasts until the org's timeout. */
    adw_action_row_set_subtitle (self->expires_row, _("When the session times out (the provider does not say)"));
  else
    adw_action_row_set_subtitle (self->expires_row, _("Not known until the first check"));
  gtk_widget_set_visible (GTK_WIDGET (self->expires_row), state != RC_CONNECTION_SIGNED_OUT);

  scopes = tokens && rc_token_set_get_scopes (tokens) ? g_strjoinv (" ", (char **) rc_token_set_get_scopes (tokens)) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->scopes_row), scopes != NULL && *scopes != '\0');
  if (scopes != NULL)
    adw_action_row_set_subtitle (self->scopes_row, scopes);

  set_time_row (self->checked_row, rc_account_get_checked_at (account), _("Never"), now);
}
