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
#include "rc-remedy.h"

struct _RcAccountPage
{
  AdwBin        parent_instance;

  RcMonitor    *monitor;
  RcAccount    *account;
  guint         grace_days;

  GPtrArray    *panel_rows;   /* GtkWidget: rows the remedy panel added */
  char         *panel_cause;  /* the cause the panel shows */

  AdwPreferencesGroup *status_group;
  AdwPreferencesGroup *remedy_group;
  AdwPreferencesGroup *user_steps_group;
  AdwPreferencesGroup *admin_steps_group;
  AdwPreferencesGroup *evidence_group;
  AdwExpanderRow *evidence_row;
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

/* A group's title and description are markup in libadwaita 1.2, with no
 * switch to turn that off: plain @title and @description are escaped. */
static void
set_group_text (AdwPreferencesGroup *group,
                const char          *title,
                const char          *description)
{
  g_autofree char *title_markup = title ? g_markup_escape_text (title, -1) : NULL;
  g_autofree char *description_markup = description ? g_markup_escape_text (description, -1) : NULL;

  adw_preferences_group_set_title (group, title_markup);
  adw_preferences_group_set_description (group, description_markup);
}

/* ----------------------------------------------------- remedy panel -- */

static void
clear_panel (RcAccountPage *self)
{
  for (guint i = 0; i < self->panel_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->panel_rows, i);
      gpointer group = g_object_get_data (G_OBJECT (row), "rc-group");

      if (group != NULL)
        adw_preferences_group_remove (group, row);
      else
        adw_expander_row_remove (self->evidence_row, row);
    }
  g_ptr_array_set_size (self->panel_rows, 0);
  g_clear_pointer (&self->panel_cause, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->remedy_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->user_steps_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->admin_steps_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->evidence_group), FALSE);
}

static GtkWidget *
step_row (const char *text,
          guint       number)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *label = g_strdup_printf ("%u", number);
  GtkWidget *prefix = gtk_label_new (label);

  gtk_widget_add_css_class (prefix, "dim-label");
  gtk_widget_add_css_class (prefix, "numeric");
  gtk_accessible_update_state (GTK_ACCESSIBLE (prefix), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static void
on_link_activated (AdwActionRow *row)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (row));
  const char *uri = g_object_get_data (G_OBJECT (row), "rc-uri");

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static GtkWidget *
link_row (RcRemedyLink *link)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("adw-external-link-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), link->label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), link->uri);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "rc-uri", g_strdup (link->uri), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (on_link_activated), NULL);
  return row;
}

static void
add_row (RcAccountPage       *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  g_object_set_data (G_OBJECT (row), "rc-group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->panel_rows, row);
}

static void
add_steps (RcAccountPage       *self,
           AdwPreferencesGroup *group,
           char               **steps)
{
  for (guint i = 0; steps != NULL && steps[i] != NULL; i++)
    add_row (self, group, step_row (steps[i], i + 1));
  gtk_widget_set_visible (GTK_WIDGET (group), steps != NULL && steps[0] != NULL);
}

/* What happened, what the user can do, what the admin can do (with the
 * places to click), and the evidence: for the account's current cause. */
static void
update_panel (RcAccountPage *self)
{
  const char *cause = rc_account_get_cause (self->account);
  RcConnectionState state = rc_account_get_state (self->account);
  const RcRemedy *remedy;
  const char *provider = rc_account_get_provider (self->account);
  g_auto(GStrv) user_steps = NULL;
  g_auto(GStrv) admin_steps = NULL;
  g_autoptr(GPtrArray) links = NULL;
  RcDiagnosis *diagnosis;

  if (state == RC_CONNECTION_CONNECTED || state == RC_CONNECTION_SIGNED_OUT)
    cause = NULL;
  if (g_strcmp0 (cause, self->panel_cause) == 0 && self->panel_rows->len > 0)
    return;
  clear_panel (self);
  if (cause == NULL || (remedy = rc_remedy_lookup (cause)) == NULL)
    return;
  self->panel_cause = g_strdup (cause);

  set_group_text (self->remedy_group, rc_remedy_get_title (remedy), rc_remedy_get_what_happened (remedy));
  gtk_widget_set_visible (GTK_WIDGET (self->remedy_group), TRUE);

  user_steps = rc_remedy_dup_user_steps (remedy, provider);
  add_steps (self, self->user_steps_group, user_steps);
  admin_steps = rc_remedy_dup_admin_steps (remedy, provider);
  add_steps (self, self->admin_steps_group, admin_steps);
  links = rc_remedy_dup_links (remedy, self->account);
  for (guint i = 0; i < links->len; i++)
    add_row (self, self->admin_steps_group, link_row (g_ptr_array_index (links, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->admin_steps_group), admin_steps != NULL && admin_steps[0] != NULL);

  diagnosis = rc_monitor_get_diagnosis (self->monitor, self->account);
  if (diagnosis != NULL)
    {
      for (guint i = 0; i < rc_diagnosis_get_n_findings (diagnosis); i++)
        {
          const RcFinding *finding = rc_diagnosis_get_finding (diagnosis, i);
          const char * const *evidence = rc_finding_get_evidence (finding);

          for (guint j = 0; evidence != NULL && evidence[j] != NULL; j++)
            {
              GtkWidget *row = adw_action_row_new ();

              adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), evidence[j]);
              adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
              gtk_widget_add_css_class (row, "monospace");
              adw_expander_row_add_row (self->evidence_row, row);
              g_ptr_array_add (self->panel_rows, row);
            }
        }
      gtk_widget_set_visible (GTK_WIDGET (self->evidence_group), TRUE);
    }
}

static void
copy_admin_message_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  RcAccountPage *self = RC_ACCOUNT_PAGE (widget);
  g_autofree char *message = NULL;
  GtkWidget *overlay;

  if (self->account == NULL || self->panel_cause == NULL)
    return;
  message = rc_remedy_dup_admin_message (self->panel_cause, self->account,
                                         rc_monitor_get_diagnosis (self->monitor, self->account));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), message);
  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay),
                                 adw_toast_new (_("Message copied: paste it into a message to your admin")));
}

static void
rc_account_page_dispose (GObject *object)
{
  RcAccountPage *self = RC_ACCOUNT_PAGE (object);

  disconnect (self);
  g_clear_pointer (&self->panel_rows, g_ptr_array_unref);
  g_clear_pointer (&self->panel_cause, g_free);
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
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, remedy_group);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, user_steps_group);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, admin_steps_group);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, evidence_group);
  gtk_widget_class_bind_template_child (widget_class, RcAccountPage, evidence_row);
  gtk_widget_class_install_action (widget_class, "page.copy-admin-message", NULL, copy_admin_message_action);
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
  self->panel_rows = g_ptr_array_new ();
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
  clear_panel (self);
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

  set_group_text (self->status_group, rc_account_get_display_name (account), NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), rc_format_state_title (state));
  if (rc_account_get_forget_pending (account))
    adw_action_row_set_subtitle (self->status_row,
                                 _("Signed out here, but the saved sign-in could not be removed: the keyring was "
                                   "locked or not available. Reconnect removes it, and the account, when the "
                                   "keyring is back."));
  else if (cause != NULL && state != RC_CONNECTION_CONNECTED)
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
  gtk_widget_set_visible (self->sign_in_button,
                          state != RC_CONNECTION_CONNECTED && !rc_account_get_forget_pending (account));
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
  update_panel (self);
}
