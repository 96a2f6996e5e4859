/* rc-add-account-dialog.c
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Add Account dialog: which service, the few details it needs, checked
 * as the user types.  The window connects to RcAddAccountDialog::account-added
 * and starts the sign-in for the new account.
 *
 * Widget names (GtkWidget:name, set in the template) for tests and for
 * anyone driving the dialog without walking its widget tree:
 *
 *   provider                AdwComboRow: 0 Salesforce, 1 Microsoft Dynamics 365,
 *                           2 Other OpenID Connect provider
 *   salesforce-environment  AdwComboRow: 0 Production, 1 Sandbox, 2 My Domain
 *   salesforce-my-domain    AdwEntryRow, shown for My Domain only
 *   salesforce-client-id    AdwEntryRow, the consumer key
 *   entra-tenant            AdwEntryRow
 *   entra-client-id         AdwEntryRow, the application (client) ID
 *   entra-environment-url   AdwEntryRow, the Dynamics 365 environment
 *   oidc-issuer             AdwEntryRow
 *   oidc-client-id          AdwEntryRow
 *   display-name            AdwEntryRow, optional, for every provider
 *   advanced                AdwExpanderRow holding redirect-uri
 *   redirect-uri            AdwEntryRow, optional, for every provider
 *   error-message           GtkLabel, what is wrong with the first wrong field
 *
 * Actions (gtk_widget_class_install_action):
 *
 *   add-account.add     adds the account, emits ::account-added, closes;
 *                       enabled only while the inputs are valid
 *   add-account.cancel  closes without adding anything (also Escape)
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-add-account-dialog.h"
#include "rc-http.h"

typedef enum
{
  PROVIDER_SALESFORCE,
  PROVIDER_ENTRA,
  PROVIDER_OIDC,
} Provider;

typedef enum
{
  SALESFORCE_PRODUCTION,
  SALESFORCE_SANDBOX,
  SALESFORCE_MY_DOMAIN,
} SalesforceEnvironment;

/* Indexed by Provider, in the order of the provider row's model. */
static const char * const provider_ids[] = { "salesforce", "entra", "oidc" };

/* A value rc_account_validate() accepts for each field, per Provider: it
 * checks the client id before the endpoint, and the user should hear about
 * the fields in the order they see them, so each field is checked alone
 * with the others set to these. */
static const char * const good_endpoints[] = { "https://login.salesforce.com", "organizations", "https://login.example.com" };
#define GOOD_CLIENT_ID "reconnect"

#define SALESFORCE_PRODUCTION_URL "https://login.salesforce.com"
#define SALESFORCE_SANDBOX_URL "https://test.salesforce.com"

struct _RcAddAccountDialog
{
  AdwWindow            parent_instance;

  RcAccountStore      *store;

  /* Template widgets */
  GtkScrolledWindow   *scroller;
  AdwPreferencesGroup *provider_group;
  AdwComboRow         *provider_row;
  AdwPreferencesGroup *salesforce_org_group;
  AdwComboRow         *salesforce_environment_row;
  AdwEntryRow         *salesforce_my_domain_row;
  AdwPreferencesGroup *salesforce_app_group;
  AdwEntryRow         *salesforce_client_id_row;
  AdwPreferencesGroup *entra_group;
  AdwEntryRow         *entra_tenant_row;
  AdwEntryRow         *entra_client_id_row;
  AdwPreferencesGroup *entra_environment_group;
  AdwEntryRow         *entra_environment_url_row;
  AdwPreferencesGroup *oidc_group;
  AdwEntryRow         *oidc_issuer_row;
  AdwEntryRow         *oidc_client_id_row;
  AdwPreferencesGroup *optional_group;
  AdwEntryRow         *display_name_row;
  AdwExpanderRow      *advanced_row;
  AdwEntryRow         *redirect_uri_row;
  GtkLabel            *error_label;

  /* The entry rows the user changed: an empty field nobody touched yet is
   * not an error to shout about. */
  GHashTable          *touched;
  /* Set once the user tried to add: then every problem is shown. */
  gboolean             show_all;
  gboolean             valid;
  AdwEntryRow         *wrong_row;
  /* Why the store refused the last Add, until the user changes something. */
  char                *save_error;
};

G_DEFINE_FINAL_TYPE (RcAddAccountDialog, rc_add_account_dialog, ADW_TYPE_WINDOW)

static const gsize entry_row_offsets[] = {
  G_STRUCT_OFFSET (RcAddAccountDialog, salesforce_my_domain_row),
  G_STRUCT_OFFSET (RcAddAccountDialog, salesforce_client_id_row),
  G_STRUCT_OFFSET (RcAddAccountDialog, entra_tenant_row),
  G_STRUCT_OFFSET (RcAddAccountDialog, entra_client_id_row),
  G_STRUCT_OFFSET (RcAddAccountDialog, entra_environment_url_row),
  G_STRUCT_OFFSET (RcAddAccountDialog, oidc_issuer_row),
  G_STRUCT_OFFSET (RcAddAccountDialog, oidc_client_id_row),
  G_STRUCT_OFFSET (RcAddAccountDialog, display_name_row),
  G_STRUCT_OFFSET (RcAddAccountDialog, redirect_uri_row),
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACCOUNT_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static Provider
get_provider (RcAddAccountDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->provider_row);

  return selected < G_N_ELEMENTS (provider_ids) ? (Provider) selected : PROVIDER_SALESFORCE;
}

static SalesforceEnvironment
get_salesforce_environment (RcAddAccountDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->salesforce_environment_row);

  return selected <= SALESFORCE_MY_DOMAIN ? (SalesforceEnvironment) selected : SALESFORCE_PRODUCTION;
}

/* What the user typed, without the blanks a paste brings along. */
static char *
dup_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* A web address; people type "acme.my.salesforce.com" as often as the
 * whole URL, so a missing scheme means https. */
static char *
dup_url (AdwEntryRow *row)
{
  g_autofree char *text = dup_text (row);

  if (*text != '\0' && strstr (text, "://") == NULL)
    return g_strconcat ("https://", text, NULL);
  return g_steal_pointer (&text);
}

static char *
dup_optional (AdwEntryRow *row)
{
  g_autofree char *text = dup_text (row);

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static char *
dup_endpoint (RcAddAccountDialog *self)
{
  switch (get_provider (self))
    {
    case PROVIDER_SALESFORCE:
      switch (get_salesforce_environment (self))
        {
        case SALESFORCE_PRODUCTION:
          return g_strdup (SALESFORCE_PRODUCTION_URL);
        case SALESFORCE_SANDBOX:
          return g_strdup (SALESFORCE_SANDBOX_URL);
        case SALESFORCE_MY_DOMAIN:
        default:
          return dup_url (self->salesforce_my_domain_row);
        }
    case PROVIDER_ENTRA:
      return dup_text (self->entra_tenant_row);
    case PROVIDER_OIDC:
    default:
      return dup_url (self->oidc_issuer_row);
    }
}

static AdwEntryRow *
get_client_id_row (RcAddAccountDialog *self)
{
  switch (get_provider (self))
    {
    case PROVIDER_SALESFORCE:
      return self->salesforce_client_id_row;
    case PROVIDER_ENTRA:
      return self->entra_client_id_row;
    case PROVIDER_OIDC:
    default:
      return self->oidc_client_id_row;
    }
}

static AdwEntryRow *
get_endpoint_row (RcAddAccountDialog *self)
{
  switch (get_provider (self))
    {
    case PROVIDER_SALESFORCE:
      return get_salesforce_environment (self) == SALESFORCE_MY_DOMAIN ? self->salesforce_my_domain_row : NULL;
    case PROVIDER_ENTRA:
      return self->entra_tenant_row;
    case PROVIDER_OIDC:
    default:
      return self->oidc_issuer_row;
    }
}

static gboolean
check_endpoint (RcAddAccountDialog  *self,
                GError             **error)
{
  Provider provider = get_provider (self);
  g_autofree char *endpoint = dup_endpoint (self);

  /* An empty address gets an example, not "“” is not a web address". */
  if (*endpoint == '\0' && provider == PROVIDER_SALESFORCE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter your My Domain address, such as https://acme.my.salesforce.com"));
      return FALSE;
    }
  if (*endpoint == '\0' && provider == PROVIDER_OIDC)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the issuer URL of your sign-in service, such as https://login.example.com"));
      return FALSE;
    }

  return rc_account_validate (provider_ids[provider], endpoint, GOOD_CLIENT_ID, NULL, error);
}

static gboolean
check_client_id (RcAddAccountDialog  *self,
                 GError             **error)
{
  Provider provider = get_provider (self);
  g_autofree char *client_id = dup_text (get_client_id_row (self));

  return rc_account_validate (provider_ids[provider], good_endpoints[provider], client_id, NULL, error);
}

static gboolean
check_environment_url (RcAddAccountDialog  *self,
                       GError             **error)
{
  g_autofree char *url = dup_url (self->entra_environment_url_row);

  if (*url == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the address of your Dynamics 365 environment, such as https://contoso.crm.dynamics.com"));
      return FALSE;
    }
  return rc_http_check_url (url, error);
}

static gboolean
check_redirect_uri (RcAddAccountDialog  *self,
                    GError             **error)
{
  Provider provider = get_provider (self);
  g_autofree char *redirect_uri = dup_optional (self->redirect_uri_row);

  return rc_account_validate (provider_ids[provider], good_endpoints[provider], GOOD_CLIENT_ID,
                              redirect_uri, error);
}

static gboolean
check_all (RcAddAccountDialog *self)
{
  Provider provider = get_provider (self);
  g_autofree char *endpoint = dup_endpoint (self);
  g_autofree char *client_id = dup_text (get_client_id_row (self));
  g_autofree char *redirect_uri = dup_optional (self->redirect_uri_row);
  g_autoptr(GError) error = NULL;

  if (!rc_account_validate (provider_ids[provider], endpoint, client_id, redirect_uri, &error))
    {
      g_debug ("Add Account: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  AdwEntryRow *row;
  gboolean   (*check) (RcAddAccountDialog  *self,
                       GError             **error);
} Field;

/* Checks the shown fields in the order they are shown.  Returns whether all
 * are fine; @wrong_row and @message tell about the first wrong field the
 * user should hear about now. */
static gboolean
check_fields (RcAddAccountDialog  *self,
              AdwEntryRow        **wrong_row,
              char               **message)
{
  Field fields[4];
  guint n_fields = 0;
  gboolean valid = TRUE;

  if (get_endpoint_row (self) != NULL)
    fields[n_fields++] = (Field) { get_endpoint_row (self), check_endpoint };
  fields[n_fields++] = (Field) { get_client_id_row (self), check_client_id };
  if (get_provider (self) == PROVIDER_ENTRA)
    fields[n_fields++] = (Field) { self->entra_environment_url_row, check_environment_url };
  fields[n_fields++] = (Field) { self->redirect_uri_row, check_redirect_uri };
  g_assert (n_fields <= G_N_ELEMENTS (fields));

  *wrong_row = NULL;
  *message = NULL;

  for (guint i = 0; i < n_fields; i++)
    {
      g_autoptr(GError) error = NULL;

      if (fields[i].check (self, &error))
        continue;

      valid = FALSE;
      if (self->show_all || g_hash_table_contains (self->touched, fields[i].row))
        {
          *wrong_row = fields[i].row;
          *message = g_strdup (error->message);
          break;
        }
    }

  /* The fields one by one are the whole story today; this keeps Add honest
   * should rc_account_validate() learn to check a combination. */
  return valid && check_all (self);
}

static void
mark_accessible (GtkAccessible *accessible,
                 gboolean       wrong,
                 GtkLabel      *error_label)
{
  if (wrong)
    {
      gtk_accessible_update_state (accessible,
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_relation (accessible,
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL,
                                      -1);
    }
  else
    {
      gtk_accessible_reset_state (accessible, GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (accessible, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
}

/* The row shows it; its text, which has the focus, tells a screen reader. */
static void
mark_row (AdwEntryRow *row,
          gboolean     wrong,
          GtkLabel    *error_label)
{
  if (wrong)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");

  mark_accessible (GTK_ACCESSIBLE (row), wrong, error_label);
  mark_accessible (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (row))), wrong, error_label);
}

/* The message goes right under the group of the field it is about, so it
 * is seen where the user is looking, even on a small screen. */
static void
show_message (RcAddAccountDialog *self,
              GtkWidget          *near,
              const char         *message)
{
  GtkWidget *label = GTK_WIDGET (self->error_label);
  GtkWidget *group;
  GtkWidget *old_group;

  if (message == NULL)
    {
      gtk_widget_set_visible (label, FALSE);
      gtk_label_set_text (self->error_label, "");
      return;
    }

  group = ADW_IS_PREFERENCES_GROUP (near) ? near : gtk_widget_get_ancestor (near, ADW_TYPE_PREFERENCES_GROUP);
  old_group = gtk_widget_get_ancestor (label, ADW_TYPE_PREFERENCES_GROUP);
  g_assert (group != NULL && old_group != NULL);

  if (group != old_group)
    {
      g_object_ref (label);
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (old_group), label);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), label);
      g_object_unref (label);
    }

  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (label, TRUE);
}

static void
update (RcAddAccountDialog *self)
{
  AdwEntryRow *wrong_row = NULL;
  g_autofree char *message = NULL;

  self->valid = check_fields (self, &wrong_row, &message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-account.add", self->valid);

  if (self->wrong_row != wrong_row)
    {
      if (self->wrong_row != NULL)
        mark_row (self->wrong_row, FALSE, self->error_label);
      if (wrong_row != NULL)
        mark_row (wrong_row, TRUE, self->error_label);
      self->wrong_row = wrong_row;
    }

  if (wrong_row == self->redirect_uri_row)
    adw_expander_row_set_expanded (self->advanced_row, TRUE);

  if (wrong_row != NULL)
    show_message (self, GTK_WIDGET (wrong_row), message);
  else if (self->save_error != NULL)
    show_message (self, GTK_WIDGET (self->provider_group), self->save_error);
  else
    show_message (self, NULL, NULL);
}

static void
on_entry_changed (GtkEditable        *editable,
                  RcAddAccountDialog *self)
{
  g_hash_table_add (self->touched, editable);
  g_clear_pointer (&self->save_error, g_free);
  update (self);
}

static void
on_entry_activated (AdwEntryRow        *row,
                    RcAddAccountDialog *self)
{
  if (self->valid)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "add-account.add", NULL);
      return;
    }

  /* Enter on an incomplete form: say what is missing, and go there. */
  self->show_all = TRUE;
  update (self);
  if (self->wrong_row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->wrong_row));
}

static void
on_choice_changed (RcAddAccountDialog *self)
{
  Provider provider = get_provider (self);
  SalesforceEnvironment environment = get_salesforce_environment (self);
  const char *environment_subtitle;

  gtk_widget_set_visible (GTK_WIDGET (self->salesforce_org_group), provider == PROVIDER_SALESFORCE);
  gtk_widget_set_visible (GTK_WIDGET (self->salesforce_app_group), provider == PROVIDER_SALESFORCE);
  gtk_widget_set_visible (GTK_WIDGET (self->entra_group), provider == PROVIDER_ENTRA);
  gtk_widget_set_visible (GTK_WIDGET (self->entra_environment_group), provider == PROVIDER_ENTRA);
  gtk_widget_set_visible (GTK_WIDGET (self->oidc_group), provider == PROVIDER_OIDC);

  gtk_widget_set_visible (GTK_WIDGET (self->salesforce_my_domain_row), environment == SALESFORCE_MY_DOMAIN);
  switch (environment)
    {
    case SALESFORCE_PRODUCTION:
      environment_subtitle = "login.salesforce.com";
      break;
    case SALESFORCE_SANDBOX:
      environment_subtitle = "test.salesforce.com";
      break;
    case SALESFORCE_MY_DOMAIN:
    default:
      environment_subtitle = _("Your company’s own address");
      break;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->salesforce_environment_row), environment_subtitle);

  g_clear_pointer (&self->save_error, g_free);
  update (self);
}

static RcAccount *
create_account (RcAddAccountDialog *self)
{
  Provider provider = get_provider (self);
  g_autofree char *id = rc_account_store_new_id (self->store, provider_ids[provider]);
  g_autofree char *endpoint = dup_endpoint (self);
  g_autofree char *client_id = dup_text (get_client_id_row (self));
  g_autofree char *redirect_uri = dup_optional (self->redirect_uri_row);
  g_autofree char *display_name = dup_optional (self->display_name_row);
  g_autoptr(RcAccount) account = rc_account_new (id, provider_ids[provider], endpoint, client_id);

  rc_account_set_display_name (account, display_name);
  rc_account_set_redirect_uri (account, redirect_uri);
  if (provider == PROVIDER_ENTRA)
    {
      g_autofree char *environment_url = dup_url (self->entra_environment_url_row);

      rc_account_set_environment_url (account, environment_url);
    }

  return g_steal_pointer (&account);
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RcAddAccountDialog *self = RC_ADD_ACCOUNT_DIALOG (widget);
  g_autoptr(RcAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->valid)
    return;

  account = create_account (self);
  if (!rc_account_store_add (self->store, account, &error))
    {
      /* Keep everything the user typed: they may fix the cause and retry. */
      g_debug ("Could not add account %s: %s", rc_account_get_id (account), error->message);
      g_free (self->save_error);
      self->save_error = g_strdup_printf (_("The account was not saved. %s"), error->message);
      update (self);
      /* The message is at the top, where Add is: show it there. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
      return;
    }

  /* A handler may close the dialog itself. */
  g_object_ref (self);
  g_signal_emit (self, signals[ACCOUNT_ADDED], 0, account);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
rc_add_account_dialog_dispose (GObject *object)
{
  RcAddAccountDialog *self = RC_ADD_ACCOUNT_DIALOG (object);

  self->wrong_row = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), RC_TYPE_ADD_ACCOUNT_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rc_add_account_dialog_parent_class)->dispose (object);
}

static void
rc_add_account_dialog_finalize (GObject *object)
{
  RcAddAccountDialog *self = RC_ADD_ACCOUNT_DIALOG (object);

  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_pointer (&self->save_error, g_free);

  G_OBJECT_CLASS (rc_add_account_dialog_parent_class)->finalize (object);
}

static void
rc_add_account_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RcAddAccountDialog *self = RC_ADD_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_add_account_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RcAddAccountDialog *self = RC_ADD_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_add_account_dialog_class_init (RcAddAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rc_add_account_dialog_dispose;
  object_class->finalize = rc_add_account_dialog_finalize;
  object_class->get_property = rc_add_account_dialog_get_property;
  object_class->set_property = rc_add_account_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RC_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RcAddAccountDialog::account-added:
   * @self: the dialog
   * @account: the new account, already in the store and saved
   *
   * Emitted once, just before the dialog closes itself.
   */
  signals[ACCOUNT_ADDED] =
    g_signal_new ("account-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RC_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/rc-add-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, scroller);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, provider_group);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, provider_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, salesforce_org_group);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, salesforce_environment_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, salesforce_my_domain_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, salesforce_app_group);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, salesforce_client_id_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, entra_group);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, entra_tenant_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, entra_client_id_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, entra_environment_group);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, entra_environment_url_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, oidc_group);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, oidc_issuer_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, oidc_client_id_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, optional_group);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, redirect_uri_row);
  gtk_widget_class_bind_template_child (widget_class, RcAddAccountDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed);

  gtk_widget_class_install_action (widget_class, "add-account.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "add-account.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "add-account.cancel", NULL);
}

static void
rc_add_account_dialog_init (RcAddAccountDialog *self)
{
  self->touched = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* libadwaita 1.2 labels the row, but the focus goes to the text inside
   * it, which a screen reader would announce as a nameless "edit text". */
  for (guint i = 0; i < G_N_ELEMENTS (entry_row_offsets); i++)
    {
      AdwEntryRow *row = G_STRUCT_MEMBER (AdwEntryRow *, self, entry_row_offsets[i]);

      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (row))),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                      -1);
    }

  on_choice_changed (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->provider_row));
}

/**
 * rc_add_account_dialog_new:
 * @store: where the new account goes
 *
 * Returns: (transfer none): a new dialog, owned by GTK like every window;
 *   set its transient parent and present it
 */
RcAddAccountDialog *
rc_add_account_dialog_new (RcAccountStore *store)
{
  g_return_val_if_fail (RC_IS_ACCOUNT_STORE (store), NULL);

  return g_object_new (RC_TYPE_ADD_ACCOUNT_DIALOG, "store", store, NULL);
}

/**
 * rc_add_account_dialog_get_store:
 *
 * Returns: (transfer none): the store new accounts go to
 */
RcAccountStore *
rc_add_account_dialog_get_store (RcAddAccountDialog *self)
{
  g_return_val_if_fail (RC_IS_ADD_ACCOUNT_DIALOG (self), NULL);
  return self->store;
}
