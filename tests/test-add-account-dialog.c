/* test-add-account-dialog.c: the real Add Account dialog under Xvfb, adding
 * to a real account store on disk.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "rc-account-store.h"
#include "rc-add-account-dialog.h"

typedef struct
{
  char               *root;
  char               *config_dir;
  char               *sysconfig_dir;
  char               *state_dir;
  RcAccountStore     *store;
  RcAddAccountDialog *dialog;  /* weak: GTK owns the window */
  RcAccount          *added;
  guint               n_added;
} Fixture;

static void
on_account_added (RcAddAccountDialog *dialog,
                  RcAccount          *account,
                  Fixture            *fixture)
{
  g_assert_true (RC_IS_ACCOUNT (account));
  /* Added to the store before anyone hears of it. */
  g_assert_true (rc_account_store_lookup (fixture->store, rc_account_get_id (account)) == account);

  fixture->n_added++;
  g_set_object (&fixture->added, account);
}

static void
open_dialog (Fixture *fixture)
{
  fixture->dialog = rc_add_account_dialog_new (fixture->store);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  g_signal_connect (fixture->dialog, "account-added", G_CALLBACK (on_account_added), fixture);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->dialog));
}

static void
open_store (Fixture *fixture)
{
  fixture->store = rc_account_store_new (fixture->config_dir,
                                         (const char * const []) { fixture->sysconfig_dir, NULL },
                                         fixture->state_dir);
  rc_account_store_load (fixture->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("test-add-account-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->config_dir = g_build_filename (fixture->root, "config", NULL);
  fixture->sysconfig_dir = g_build_filename (fixture->root, "sysconfig", NULL);
  fixture->state_dir = g_build_filename (fixture->root, "state", NULL);

  open_store (fixture);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* The dialog has closed itself, or does now, and nothing keeps it alive. */
static void
wait_for_dialog_gone (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  guint tick = g_timeout_add (50, tick_cb, NULL);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* The tick wakes the loop up when the dialog would stay for ever. */
  while (fixture->dialog != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_null (fixture->dialog);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  wait_for_dialog_gone (fixture);

  g_clear_object (&fixture->added);
  g_assert_finalize_object (fixture->store);

  remove_tree (fixture->root);
  g_free (fixture->root);
  g_free (fixture->config_dir);
  g_free (fixture->sysconfig_dir);
  g_free (fixture->state_dir);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
named (Fixture    *fixture,
       const char *name)
{
  GtkWidget *widget = find_named (GTK_WIDGET (fixture->dialog), name);

  if (widget == NULL)
    g_error ("The dialog has no widget named “%s”", name);
  return widget;
}

static void
type (Fixture    *fixture,
      const char *name,
      const char *text)
{
  GtkWidget *row = named (fixture, name);

  g_assert_true (ADW_IS_ENTRY_ROW (row));
  g_assert_true (gtk_widget_is_visible (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
choose (Fixture    *fixture,
        const char *name,
        guint       position)
{
  GtkWidget *row = named (fixture, name);

  g_assert_true (ADW_IS_COMBO_ROW (row));
  g_assert_true (gtk_widget_is_visible (row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *action_name)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
can_add (Fixture *fixture)
{
  GtkWidget *button = find_button (GTK_WIDGET (fixture->dialog), "add-account.add");

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  return gtk_widget_is_sensitive (button);
}

static void
activate (Fixture    *fixture,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), action, NULL));
}

/* The message shown under the fields, or NULL when none is. */
static const char *
shown_message (Fixture *fixture)
{
  GtkWidget *label = named (fixture, "error-message");

  g_assert_true (GTK_IS_LABEL (label));
  if (!gtk_widget_is_visible (label))
    return NULL;

  g_assert_true (gtk_widget_has_css_class (label, "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), !=, "");
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
assert_message_contains (Fixture    *fixture,
                         const char *words)
{
  const char *message = shown_message (fixture);

  if (message == NULL || strstr (message, words) == NULL)
    g_error ("The dialog says “%s”, expected a message with “%s”", message ? message : "(nothing)", words);
}

/* @name is the one field marked wrong, and the message sits with it. */
static void
assert_wrong (Fixture    *fixture,
              const char *name)
{
  static const char * const rows[] = {
    "salesforce-my-domain", "salesforce-client-id", "entra-tenant", "entra-client-id",
    "entra-environment-url", "oidc-issuer", "oidc-client-id", "display-name", "redirect-uri",
  };
  GtkWidget *label = named (fixture, "error-message");

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *row = named (fixture, rows[i]);
      gboolean wrong = g_strcmp0 (rows[i], name) == 0;

      if (gtk_widget_has_css_class (row, "error") != wrong)
        g_error ("%s is %smarked wrong", rows[i], wrong ? "not " : "");
      if (wrong)
        {
          GtkAccessible *text = GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (row)));

          gtk_test_accessible_assert_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                            GTK_ACCESSIBLE_INVALID_TRUE);
          /* The text has the focus: it is what a screen reader reads. */
          gtk_test_accessible_assert_state (text, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
          gtk_test_accessible_assert_relation (text, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL);
          gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                               label, NULL);
          g_assert_true (gtk_widget_get_ancestor (label, ADW_TYPE_PREFERENCES_GROUP) ==
                         gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));
        }
      else
        g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID));
    }

  if (name != NULL)
    g_assert_nonnull (shown_message (fixture));
}

static char *
read_accounts_ini (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->config_dir, "accounts.ini", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* What a later run of Reconnect reads back. */
static RcAccount *
reload_only_account (Fixture *fixture)
{
  g_autoptr(RcAccountStore) store = NULL;

  store = rc_account_store_new (fixture->config_dir,
                                (const char * const []) { fixture->sysconfig_dir, NULL },
                                fixture->state_dir);
  rc_account_store_load (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  return g_list_model_get_item (G_LIST_MODEL (store), 0);
}

static void
assert_added_once (Fixture *fixture)
{
  g_autoptr(RcAccount) item = NULL;

  wait_for_dialog_gone (fixture);
  g_assert_cmpuint (fixture->n_added, ==, 1);
  g_assert_nonnull (fixture->added);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->store), 0);
  g_assert_true (item == fixture->added);
}

static void
test_starts_empty (Fixture       *fixture,
                   gconstpointer  user_data)
{
  open_dialog (fixture);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->dialog)), ==, "Add Account");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (fixture->dialog)));
  g_assert_true (rc_add_account_dialog_get_store (fixture->dialog) == fixture->store);

  /* Salesforce production is the common case: only the consumer key is
   * missing, and nobody is told off for a field they did not touch yet. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (named (fixture, "provider"))), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (named (fixture, "salesforce-environment"))), ==, 0);
  g_assert_false (can_add (fixture));
  g_assert_null (shown_message (fixture));
  assert_wrong (fixture, NULL);

  /* Add does nothing while it is disabled. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "add-account.add", NULL);
  g_assert_nonnull (fixture->dialog);
  g_assert_cmpuint (fixture->n_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);

  /* A field the user emptied again is worth a word. */
  type (fixture, "salesforce-client-id", "3MVG9");
  g_assert_true (can_add (fixture));
  type (fixture, "salesforce-client-id", "");
  g_assert_false (can_add (fixture));
  assert_message_contains (fixture, "consumer key");
  assert_wrong (fixture, "salesforce-client-id");
}

static void
test_enter_on_incomplete_form (Fixture       *fixture,
                               gconstpointer  user_data)
{
  open_dialog (fixture);
  choose (fixture, "provider", 1);
  type (fixture, "entra-tenant", "contoso.onmicrosoft.com");
  g_assert_null (shown_message (fixture));

  /* Enter before the form is complete says what is missing, and where. */
  g_signal_emit_by_name (named (fixture, "entra-tenant"), "entry-activated");
  g_assert_nonnull (fixture->dialog);
  g_assert_cmpuint (fixture->n_added, ==, 0);
  assert_message_contains (fixture, "application (client) ID");
  assert_wrong (fixture, "entra-client-id");
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (fixture->dialog)),
                                         named (fixture, "entra-client-id")) ||
                 gtk_window_get_focus (GTK_WINDOW (fixture->dialog)) == named (fixture, "entra-client-id"));

  type (fixture, "entra-client-id", "00000000-0000-0000-0000-000000000001");
  assert_message_contains (fixture, "Dynamics 365 environment");
  assert_wrong (fixture, "entra-environment-url");
  g_assert_false (can_add (fixture));
}

static void
test_provider_fields (Fixture       *fixture,
                      gconstpointer  user_data)
{
  static const struct { guint provider; const char *shown[4]; } cases[] = {
    { 0, { "salesforce-environment", "salesforce-client-id", NULL } },
    { 1, { "entra-tenant", "entra-client-id", "entra-environment-url" } },
    { 2, { "oidc-issuer", "oidc-client-id", NULL } },
  };
  static const char * const all[] = {
    "salesforce-environment", "salesforce-client-id", "entra-tenant", "entra-client-id",
    "entra-environment-url", "oidc-issuer", "oidc-client-id",
  };

  open_dialog (fixture);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      choose (fixture, "provider", cases[c].provider);
      for (guint i = 0; i < G_N_ELEMENTS (all); i++)
        {
          gboolean expected = g_strv_contains (cases[c].shown, all[i]);

          if (gtk_widget_is_visible (named (fixture, all[i])) != expected)
            g_error ("Provider %u: %s is %sshown", cases[c].provider, all[i], expected ? "not " : "");
        }
      /* Every provider may be given a name and a redirect URI. */
      g_assert_true (gtk_widget_is_visible (named (fixture, "display-name")));
      g_assert_true (gtk_widget_is_visible (named (fixture, "advanced")));
      g_assert_false (can_add (fixture));
    }

  /* The My Domain address is asked for only when it is needed. */
  choose (fixture, "provider", 0);
  g_assert_false (gtk_widget_is_visible (named (fixture, "salesforce-my-domain")));
  choose (fixture, "salesforce-environment", 1);
  g_assert_false (gtk_widget_is_visible (named (fixture, "salesforce-my-domain")));
  choose (fixture, "salesforce-environment", 2);
  g_assert_true (gtk_widget_is_visible (named (fixture, "salesforce-my-domain")));

  /* What was typed for one provider survives a look at another. */
  type (fixture, "salesforce-client-id", "3MVG9keep");
  choose (fixture, "provider", 2);
  choose (fixture, "provider", 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (fixture, "salesforce-client-id"))), ==, "3MVG9keep");
}

static void
test_insecure_my_domain (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *ini = NULL;

  open_dialog (fixture);
  choose (fixture, "salesforce-environment", 2);
  type (fixture, "salesforce-client-id", "3MVG9abc");
  g_assert_false (can_add (fixture));

  type (fixture, "salesforce-my-domain", "http://example.com");
  assert_message_contains (fixture, "https");
  assert_wrong (fixture, "salesforce-my-domain");
  g_assert_false (can_add (fixture));
  gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "add-account.add", NULL);
  g_assert_cmpuint (fixture->n_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);

  /* People type the host alone as often as the whole address. */
  type (fixture, "salesforce-my-domain", "acme.my.salesforce.com");
  g_assert_null (shown_message (fixture));
  assert_wrong (fixture, NULL);
  g_assert_true (can_add (fixture));

  activate (fixture, "add-account.add");
  assert_added_once (fixture);
  g_assert_cmpstr (rc_account_get_provider (fixture->added), ==, "salesforce");
  g_assert_cmpstr (rc_account_get_endpoint (fixture->added), ==, "https://acme.my.salesforce.com");
  ini = read_accounts_ini (fixture);
  g_assert_nonnull (strstr (ini, "endpoint=https://acme.my.salesforce.com\n"));
}

static void
test_loopback_my_domain (Fixture       *fixture,
                         gconstpointer  user_data)
{
  open_dialog (fixture);
  choose (fixture, "salesforce-environment", 2);
  type (fixture, "salesforce-client-id", "3MVG9sim");

  /* The built-in simulator: plain http, but on this computer only. */
  type (fixture, "salesforce-my-domain", "http://127.0.0.1:41723");
  g_assert_null (shown_message (fixture));
  g_assert_true (can_add (fixture));

  activate (fixture, "add-account.add");
  assert_added_once (fixture);
  g_assert_cmpstr (rc_account_get_endpoint (fixture->added), ==, "http://127.0.0.1:41723");
}

static void
test_wrong_tenant (Fixture       *fixture,
                   gconstpointer  user_data)
{
  open_dialog (fixture);
  choose (fixture, "provider", 1);
  type (fixture, "entra-client-id", "00000000-0000-0000-0000-000000000001");
  type (fixture, "entra-environment-url", "https://contoso.crm.dynamics.com");

  type (fixture, "entra-tenant", "contoso corp");
  assert_message_contains (fixture, "tenant");
  assert_wrong (fixture, "entra-tenant");
  g_assert_false (can_add (fixture));

  type (fixture, "entra-tenant", "contoso.onmicrosoft.com");
  g_assert_null (shown_message (fixture));
  assert_wrong (fixture, NULL);
  g_assert_true (can_add (fixture));

  /* The environment must be https too. */
  type (fixture, "entra-environment-url", "http://contoso.crm.dynamics.com");
  assert_message_contains (fixture, "https");
  assert_wrong (fixture, "entra-environment-url");
  g_assert_false (can_add (fixture));
}

static void
test_add_salesforce (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(RcAccount) reloaded = NULL;
  g_autofree char *ini = NULL;

  open_dialog (fixture);
  /* A pasted key brings blanks along. */
  type (fixture, "salesforce-client-id", "  3MVG9abc.DEF_123 ");
  type (fixture, "display-name", "Work");
  g_assert_null (shown_message (fixture));
  g_assert_true (can_add (fixture));

  activate (fixture, "add-account.add");
  assert_added_once (fixture);

  g_assert_cmpstr (rc_account_get_id (fixture->added), ==, "salesforce-1");
  g_assert_cmpstr (rc_account_get_provider (fixture->added), ==, "salesforce");
  g_assert_cmpstr (rc_account_get_endpoint (fixture->added), ==, "https://login.salesforce.com");
  g_assert_cmpstr (rc_account_get_client_id (fixture->added), ==, "3MVG9abc.DEF_123");
  g_assert_cmpstr (rc_account_get_display_name (fixture->added), ==, "Work");
  g_assert_null (rc_account_get_redirect_uri (fixture->added));
  g_assert_null (rc_account_get_environment_url (fixture->added));
  g_assert_cmpint (rc_account_get_state (fixture->added), ==, RC_CONNECTION_SIGNED_OUT);

  ini = read_accounts_ini (fixture);
  g_assert_nonnull (strstr (ini, "[account salesforce-1]"));
  g_assert_nonnull (strstr (ini, "client-id=3MVG9abc.DEF_123\n"));
  reloaded = reload_only_account (fixture);
  g_assert_cmpstr (rc_account_get_id (reloaded), ==, "salesforce-1");
  g_assert_cmpstr (rc_account_get_provider (reloaded), ==, "salesforce");
  g_assert_cmpstr (rc_account_get_endpoint (reloaded), ==, "https://login.salesforce.com");
  g_assert_cmpstr (rc_account_get_client_id (reloaded), ==, "3MVG9abc.DEF_123");
  g_assert_cmpstr (rc_account_get_display_name (reloaded), ==, "Work");
}

static void
test_add_sandbox_second (Fixture       *fixture,
                         gconstpointer  user_data)
{
  /* A second account gets an id of its own. */
  open_dialog (fixture);
  type (fixture, "salesforce-client-id", "3MVG9one");
  activate (fixture, "add-account.add");
  assert_added_once (fixture);

  fixture->n_added = 0;
  open_dialog (fixture);
  choose (fixture, "salesforce-environment", 1);
  type (fixture, "salesforce-client-id", "3MVG9two");
  activate (fixture, "add-account.add");
  wait_for_dialog_gone (fixture);
  g_assert_cmpuint (fixture->n_added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 2);
  g_assert_cmpstr (rc_account_get_id (fixture->added), ==, "salesforce-2");
  g_assert_cmpstr (rc_account_get_endpoint (fixture->added), ==, "https://test.salesforce.com");
}

static void
test_add_entra (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(RcAccount) reloaded = NULL;

  open_dialog (fixture);
  choose (fixture, "provider", 1);
  type (fixture, "entra-tenant", "contoso.onmicrosoft.com");
  type (fixture, "entra-client-id", "51f81489-12ee-4a9e-aaae-a2591f45987d");
  g_assert_false (can_add (fixture));
  type (fixture, "entra-environment-url", "contoso.crm.dynamics.com");
  g_assert_null (shown_message (fixture));
  g_assert_true (can_add (fixture));

  activate (fixture, "add-account.add");
  assert_added_once (fixture);
  g_assert_cmpstr (rc_account_get_id (fixture->added), ==, "entra-1");
  g_assert_cmpstr (rc_account_get_provider (fixture->added), ==, "entra");
  g_assert_cmpstr (rc_account_get_endpoint (fixture->added), ==, "contoso.onmicrosoft.com");
  g_assert_cmpstr (rc_account_get_client_id (fixture->added), ==, "51f81489-12ee-4a9e-aaae-a2591f45987d");
  g_assert_cmpstr (rc_account_get_environment_url (fixture->added), ==, "https://contoso.crm.dynamics.com");

  reloaded = reload_only_account (fixture);
  g_assert_cmpstr (rc_account_get_environment_url (reloaded), ==, "https://contoso.crm.dynamics.com");
  g_assert_cmpstr (rc_account_get_endpoint (reloaded), ==, "contoso.onmicrosoft.com");
}

static void
test_add_oidc_with_enter (Fixture       *fixture,
                          gconstpointer  user_data)
{
  open_dialog (fixture);
  choose (fixture, "provider", 2);
  type (fixture, "oidc-issuer", "https://id.example.com/realms/sales");
  type (fixture, "oidc-client-id", "reconnect-desktop");

  /* Enter in the last field adds, as the Add button would. */
  g_signal_emit_by_name (named (fixture, "oidc-client-id"), "entry-activated");
  assert_added_once (fixture);
  g_assert_cmpstr (rc_account_get_provider (fixture->added), ==, "oidc");
  g_assert_cmpstr (rc_account_get_endpoint (fixture->added), ==, "https://id.example.com/realms/sales");
  g_assert_cmpstr (rc_account_get_client_id (fixture->added), ==, "reconnect-desktop");
}

static void
test_redirect_uri (Fixture       *fixture,
                   gconstpointer  user_data)
{
  open_dialog (fixture);
  type (fixture, "salesforce-client-id", "3MVG9abc");
  g_assert_true (can_add (fixture));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (named (fixture, "advanced")), TRUE);
  type (fixture, "redirect-uri", "https://example.com/callback");
  assert_message_contains (fixture, "on this computer");
  assert_wrong (fixture, "redirect-uri");
  g_assert_false (can_add (fixture));

  /* Emptied, it is not needed at all. */
  type (fixture, "redirect-uri", "");
  g_assert_null (shown_message (fixture));
  g_assert_true (can_add (fixture));

  type (fixture, "redirect-uri", "http://127.0.0.1:1717/OauthRedirect");
  g_assert_true (can_add (fixture));
  activate (fixture, "add-account.add");
  assert_added_once (fixture);
  g_assert_cmpstr (rc_account_get_redirect_uri (fixture->added), ==, "http://127.0.0.1:1717/OauthRedirect");
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->config_dir, "accounts.ini", NULL);
  g_autoptr(GListModel) controllers = NULL;
  gboolean escape_cancels = FALSE;

  open_dialog (fixture);

  /* Escape cancels, as in every dialog. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->dialog));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Escape &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0 &&
              GTK_IS_NAMED_ACTION (action) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "add-account.cancel") == 0)
            escape_cancels = TRUE;
        }
    }
  g_clear_object (&controllers);
  g_assert_true (escape_cancels);

  type (fixture, "salesforce-client-id", "3MVG9abc");
  g_assert_true (can_add (fixture));
  activate (fixture, "add-account.cancel");
  wait_for_dialog_gone (fixture);

  g_assert_cmpuint (fixture->n_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_save_fails (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* A file where the configuration folder should be: saving must fail. */
  g_file_set_contents (fixture->config_dir, "", 0, &error);
  g_assert_no_error (error);

  open_dialog (fixture);
  type (fixture, "salesforce-client-id", "3MVG9abc");
  type (fixture, "display-name", "Work");
  g_assert_true (can_add (fixture));

  activate (fixture, "add-account.add");
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* The dialog stays, says why, and keeps what the user typed. */
  g_assert_nonnull (fixture->dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->dialog)));
  g_assert_cmpuint (fixture->n_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  assert_message_contains (fixture, "The account was not saved");
  assert_message_contains (fixture, fixture->config_dir);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (fixture, "salesforce-client-id"))), ==, "3MVG9abc");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (fixture, "display-name"))), ==, "Work");
  g_assert_true (can_add (fixture));

  /* The next change clears the stale message. */
  type (fixture, "display-name", "Work org");
  g_assert_null (shown_message (fixture));
}

static void
assert_labelled (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

      if (title == NULL || *title == '\0')
        g_error ("A %s has no title", G_OBJECT_TYPE_NAME (widget));
      /* The text inside an entry row, which takes the focus, says the title too. */
      if (ADW_IS_ENTRY_ROW (widget))
        gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (widget))),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL, title);
    }
  else if (GTK_IS_BUTTON (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) != NULL)
    {
      const char *label = gtk_button_get_label (GTK_BUTTON (widget));

      if (label == NULL || *label == '\0')
        g_error ("The button for %s has no label", gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_labelled (child);
}

static void
test_narrow_dark_labelled (Fixture       *fixture,
                           gconstpointer  user_data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  int minimum;

  open_dialog (fixture);

  /* Usable on a phone-sized screen. */
  gtk_widget_measure (GTK_WIDGET (fixture->dialog), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (fixture->dialog), 360, 600);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->dialog));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->dialog)), <=, 360);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  choose (fixture, "provider", 1);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->dialog));
  g_assert_true (adw_style_manager_get_dark (style));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Every control a screen reader reaches has a name, for each provider. */
  for (guint provider = 0; provider < 3; provider++)
    {
      choose (fixture, "provider", provider);
      assert_labelled (GTK_WIDGET (fixture->dialog));
    }
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_button (GTK_WIDGET (fixture->dialog), "add-account.add"))), ==, "_Add");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_button (GTK_WIDGET (fixture->dialog), "add-account.cancel"))), ==, "_Cancel");
  g_assert_true (gtk_widget_has_css_class (find_button (GTK_WIDGET (fixture->dialog), "add-account.add"), "suggested-action"));
}

int
main (int   argc,
      char *argv[])
{
  if (g_strcmp0 (g_getenv ("RECONNECT_TEST_SESSION"), "1") != 0)
    {
      g_print ("Bail out! test-add-account-dialog needs the private test session: run build-aux/test\n");
      return 1;
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func, data) \
  g_test_add ("/reconnect/add-account-dialog/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("starts-empty", test_starts_empty, NULL);
  ADD ("enter-on-incomplete-form", test_enter_on_incomplete_form, NULL);
  ADD ("provider-fields", test_provider_fields, NULL);
  ADD ("insecure-my-domain", test_insecure_my_domain, NULL);
  ADD ("loopback-my-domain", test_loopback_my_domain, NULL);
  ADD ("wrong-tenant", test_wrong_tenant, NULL);
  ADD ("add-salesforce", test_add_salesforce, NULL);
  ADD ("add-sandbox-second", test_add_sandbox_second, NULL);
  ADD ("add-entra", test_add_entra, NULL);
  ADD ("add-oidc-with-enter", test_add_oidc_with_enter, NULL);
  ADD ("redirect-uri", test_redirect_uri, NULL);
  ADD ("cancel", test_cancel, NULL);
  ADD ("narrow-dark-labelled", test_narrow_dark_labelled, NULL);
  ADD ("save-fails", test_save_fails, NULL);

#undef ADD

  return g_test_run ();
}
