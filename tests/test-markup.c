/* test-markup.c: names from outside show as the text they are, in every
 * screen of the real window under Xvfb.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A display name, a user name from the server, an organization's address
 * or a pasted error may hold "&" and "<".  Where such a string reached
 * Pango markup, a label broke with a warning (the tests run with
 * fatal-warnings, so the warning alone fails them) or, worse, the server
 * could style the text or slip a link into it.  Each hostile name goes
 * through the account list, the account page and its remedy panel, the
 * banner, the window title, the sign-out confirmation, the sign-in dialog
 * (with the simulator handing the name out as the user), Explain an Error
 * and a toast; what each label shows (gtk_label_get_text: the text as
 * displayed, after any markup) must hold the name literally.
 *
 * With RC_TEST_SCREENSHOTS=DIR, the screens of the first two names are also
 * saved as DIR/markup-SCREEN-N.png, with ImageMagick's import, to look at.
 */

#include "config.h"

#include <adwaita.h>

#include "rc-account-page.h"
#include "rc-account-row.h"
#include "rc-application.h"
#include "rc-explain-window.h"
#include "rc-sign-in-dialog.h"
#include "rc-sim.h"
#include "rc-test-browser.h"
#include "rc-test-session.h"
#include "rc-window.h"

#define TIMEOUT 30

static const char * const hostile_names[] = {
  "R&D <Sales>",
  "<b>bold</b>",
  "<span foreground=\"red\">x</span>",
  "a & b",
  "<a href=\"https://evil.example\">link</a>",
  "<",
  "&amp;",
};

static RcApplication *app;
static RcWindow *window;
static RcTestBrowser *browser;

/* ---------------------------------------------------------- helpers -- */

typedef gboolean (*Condition) (gpointer data);

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

/* The label under @root whose shown text holds @text, or NULL. */
static GtkLabel *
find_label_showing (GtkWidget  *root,
                    const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_showing (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
dump_labels (GtkWidget *root,
             GString   *out)
{
  if (GTK_IS_LABEL (root))
    g_string_append_printf (out, "  [%s]\n", gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    dump_labels (child, out);
}

/* Asserts that some label of @widget shows @text, character for character:
 * markup in @text would have been parsed away, or would have warned. */
static void
assert_shows (GtkWidget  *widget,
              const char *text,
              const char *where)
{
  g_autoptr(GString) labels = NULL;

  if (find_label_showing (widget, text) != NULL)
    return;
  labels = g_string_new (NULL);
  dump_labels (widget, labels);
  g_error ("%s does not show “%s”; its labels show:\n%s", where, text, labels->str);
}

static GtkWidget *
child (const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), RC_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static GtkWidget *
page_child (const char *name)
{
  GObject *object = gtk_widget_get_template_child (child ("account_page"), RC_TYPE_ACCOUNT_PAGE, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
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

static RcAccount *
account (const char *id)
{
  RcAccount *found = rc_account_store_lookup (rc_application_get_accounts (app), id);

  g_assert_nonnull (found);
  return found;
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

static gboolean
has_row (gpointer id)
{
  return row_for (id) != NULL;
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

typedef struct
{
  GtkWidget  *root;
  const char *text;
} ShowWait;

static gboolean
is_shown (gpointer data)
{
  ShowWait *wait = data;

  return find_label_showing (wait->root, wait->text) != NULL;
}

static gboolean
keep_turning (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
screenshot (GtkWidget  *shown,
            const char *screen,
            guint       n)
{
  const char *dir = g_getenv ("RC_TEST_SCREENSHOTS");
  g_autofree char *file = NULL;
  g_autofree char *command = NULL;
  gint64 settle = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  guint tick;

  if (dir == NULL || n >= 2)
    return;
  file = g_strdup_printf ("%s/markup-%s-%u.png", dir, screen, n);
  command = g_strdup_printf ("import -window root %s", file);
  /* Let animations (a toast, a dialog) finish before the picture. */
  tick = g_timeout_add (50, keep_turning, NULL);
  gtk_test_widget_wait_for_draw (shown);
  while (g_get_monotonic_time () < settle)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

/* ------------------------------------------------------------ screens -- */

typedef struct
{
  RcAccount *expected;
  RcAccount *checked;
} Checked;

static void
on_checked (RcMonitor *monitor,
            RcAccount *checked_account,
            Checked   *checked)
{
  if (checked_account == checked->expected)
    checked->checked = checked_account;
}

static gboolean
is_same (gpointer data)
{
  Checked *checked = data;

  return checked->checked == checked->expected;
}

/* An account set up with the name everywhere a person or an admin's file
 * puts text: its name, its user, its sign-in and CRM addresses; blocked,
 * so the banner and the remedy panel show too. */
static void
check_account_screens (const char *name,
                       guint       n)
{
  g_autofree char *id = g_strdup_printf ("hostile-%u", n);
  /* Characters an address may carry; the rest is in the name and user. */
  g_autofree char *endpoint = g_strdup_printf ("https://rd-sales-%u.my.salesforce.com/?org=R&D&x=%%3Cb%%3E", n);
  g_autofree char *environment = g_strconcat ("https://crm.example/", name, NULL);
  g_autoptr(RcAccount) hostile = rc_account_new (id, "salesforce", endpoint, "client-a&b");
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  Checked checked = { hostile, NULL };

  rc_account_set_display_name (hostile, name);
  rc_account_set_user (hostile, name);
  rc_account_set_environment_url (hostile, environment);
  /* The monitor checks an account as it is added: that check ends before
   * the test says where the account stands. */
  g_signal_connect (rc_application_get_monitor (app), "checked", G_CALLBACK (on_checked), &checked);
  g_assert_true (rc_account_store_add (rc_application_get_accounts (app), hostile, &error));
  g_assert_no_error (error);
  wait_until (has_row, id, "the account's row");
  wait_until (is_same, &checked, "the first check of the account");
  g_signal_handlers_disconnect_by_data (rc_application_get_monitor (app), &checked);
  g_assert_cmpint (rc_account_get_state (hostile), ==, RC_CONNECTION_SIGNED_OUT);

  /* The list. */
  assert_shows (GTK_WIDGET (row_for (id)), name, "the account row");

  /* The banner: the worst account decides, and this one is blocked. */
  rc_account_set_first_failure (hostile, g_get_real_time () / G_USEC_PER_SEC - 3600);
  rc_account_set_cause (hostile, "ip-restricted");
  rc_account_set_state (hostile, RC_CONNECTION_NEEDS_ADMIN);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("banner_revealer"))));
  assert_shows (child ("banner_detail"), name, "the banner");
  assert_shows (GTK_WIDGET (row_for (id)), name, "the blocked account's row");
  screenshot (GTK_WIDGET (window), "list", n);

  /* The account page, with its remedy panel and details. */
  activate ("win.show-account", id);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child ("main_stack"))), ==, "account");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  assert_shows (child ("window_title"), name, "the window title");
  assert_shows (page_child ("status_group"), name, "the account page's heading");
  assert_shows (page_child ("user_row"), name, "the account page's user");
  assert_shows (page_child ("org_row"), endpoint, "the account page's organization");
  assert_shows (page_child ("instance_row"), environment, "the account page's instance");
  g_assert_true (gtk_widget_get_visible (page_child ("remedy_group")));
  g_assert_true (gtk_widget_get_visible (page_child ("admin_steps_group")));
  /* The admin's links are made from the account's addresses. */
  {
    g_autofree char *host = g_strdup_printf ("https://rd-sales-%u.my.salesforce.com", n);

    assert_shows (page_child ("admin_steps_group"), host, "the remedy panel's links");
  }
  screenshot (GTK_WIDGET (window), "page", n);
  if (g_getenv ("RC_TEST_SCREENSHOTS") != NULL && n < 2)
    {
      GtkWidget *details = page_child ("user_row");
      GtkWidget *scrolled = gtk_widget_get_ancestor (details, GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      graphene_point_t top;

      g_assert_true (gtk_widget_compute_point (details, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                               &GRAPHENE_POINT_INIT (0, 0), &top));
      gtk_adjustment_set_value (adjustment, top.y - 120);
      screenshot (GTK_WIDGET (window), "page-details", n);
      gtk_adjustment_set_value (adjustment, 0);
    }

  /* The sign-out confirmation names the account. */
  activate ("win.sign-out", id);
  wait_until (toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the confirmation");
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  assert_shows (GTK_WIDGET (dialog), name, "the sign-out confirmation");
  screenshot (GTK_WIDGET (dialog), "sign-out", n);
  /* As its Cancel button does: respond, then close. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the confirmation to close");

  activate ("win.back", NULL);
  g_assert_true (rc_account_store_remove (rc_application_get_accounts (app), id, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("banner_revealer"))));
}

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

/* The name as the account's, and as the user the server says signed in. */
static void
check_sign_in (const char *name,
               guint       n)
{
  RcAccount *dynamics = account ("demo-dynamics");
  RcSim *sim = rc_application_get_sim (app);
  GtkWindow *dialog;
  int outcome = -1;

  rc_sim_add_user (sim, name, name);
  g_clear_pointer (&browser, rc_test_browser_free);
  browser = rc_test_browser_new (name, "allow");
  rc_application_set_uri_launcher (app, rc_test_browser_launch, browser, NULL);
  rc_account_set_display_name (dynamics, name);
  assert_shows (GTK_WIDGET (row_for ("demo-dynamics")), name, "the account row");

  activate ("win.sign-in", "demo-dynamics");
  wait_until (toplevel_shown, GSIZE_TO_POINTER (RC_TYPE_SIGN_IN_DIALOG), "the sign-in dialog");
  dialog = find_toplevel (RC_TYPE_SIGN_IN_DIALOG);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &outcome);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  assert_shows (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RC_TYPE_SIGN_IN_DIALOG,
                                                           "window_title")),
                name, "the sign-in dialog's title");
  assert_shows (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RC_TYPE_SIGN_IN_DIALOG,
                                                           "browser_page")),
                name, "the sign-in dialog's browser page");

  wait_until (is_finished, &outcome, "the sign-in to finish");
  g_signal_handlers_disconnect_by_data (dialog, &outcome);
  g_assert_cmpint (outcome, ==, 1);
  wait_for_state ("demo-dynamics", RC_CONNECTION_CONNECTED);
  g_assert_cmpstr (rc_account_get_user (dynamics), ==, name);
  assert_shows (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RC_TYPE_SIGN_IN_DIALOG,
                                                           "done_page")),
                name, "the sign-in dialog's Signed In page");
  screenshot (GTK_WIDGET (dialog), "signed-in", n);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.close", NULL));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (RC_TYPE_SIGN_IN_DIALOG), "the sign-in dialog to close");

  /* The user, from the server, on the account page. */
  activate ("win.show-account", "demo-dynamics");
  assert_shows (page_child ("status_group"), name, "the account page's heading");
  assert_shows (page_child ("user_row"), name, "the account page's user");
  activate ("win.back", NULL);
}

static void
on_explained (RcExplainWindow *explain,
              gboolean        *explained)
{
  *explained = TRUE;
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

/* A pasted error with the name in it, and a log file named after it that
 * cannot be read. */
static void
check_explain (const char *name,
               guint       n)
{
  RcExplainWindow *explain;
  GtkTextBuffer *buffer;
  gboolean explained = FALSE;
  g_autofree char *line = g_strdup_printf ("LogOn failed with exception - token validity expired %s", name);
  g_autofree char *file_name = g_strdelimit (g_strdup_printf ("%s.log", name), "/", '_');
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "no such folder", file_name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *results;
  ShowWait toast = { NULL, file_name };

  activate ("win.explain", NULL);
  wait_until (toplevel_shown, GSIZE_TO_POINTER (RC_TYPE_EXPLAIN_WINDOW), "the Explain window");
  explain = RC_EXPLAIN_WINDOW (find_toplevel (RC_TYPE_EXPLAIN_WINDOW));
  g_signal_connect (explain, "explained", G_CALLBACK (on_explained), &explained);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (explain),
                                                                                   RC_TYPE_EXPLAIN_WINDOW,
                                                                                   "text_view")));
  gtk_text_buffer_set_text (buffer, line, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (explain), "explain.explain", NULL));
  wait_until (is_true, &explained, "the explanation");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (explain));
  results = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (explain), RC_TYPE_EXPLAIN_WINDOW, "results_box"));
  g_assert_nonnull (results);
  assert_shows (results, line, "the explanation's evidence");
  screenshot (GTK_WIDGET (explain), "explain", n);

  /* The error says which file, in a toast. */
  rc_explain_window_open_file (explain, file);
  toast.root = GTK_WIDGET (explain);
  wait_until (is_shown, &toast, "the toast");
  assert_shows (GTK_WIDGET (explain), file_name, "the toast");
  screenshot (GTK_WIDGET (explain), "toast", n);

  g_signal_handlers_disconnect_by_data (explain, &explained);
  gtk_window_destroy (GTK_WINDOW (explain));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (RC_TYPE_EXPLAIN_WINDOW), "the Explain window to close");
}

/* ------------------------------------------------------------ tests -- */

static void
test_account_screens (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile_names); i++)
    {
      g_test_message ("name %s", hostile_names[i]);
      check_account_screens (hostile_names[i], i);
    }
}

static void
test_sign_in (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile_names); i++)
    {
      g_test_message ("name %s", hostile_names[i]);
      check_sign_in (hostile_names[i], i);
    }
}

static void
test_explain (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile_names); i++)
    {
      g_test_message ("name %s", hostile_names[i]);
      check_explain (hostile_names[i], i);
    }
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
      g_print ("Bail out! test-markup needs the private test session: run build-aux/test\n");
      return 1;
    }

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/markup/account-screens", test_account_screens);
  g_test_add_func ("/reconnect/markup/sign-in", test_sign_in);
  g_test_add_func ("/reconnect/markup/explain", test_explain);

  browser = rc_test_browser_new (NULL, "allow");
  app = rc_application_new_demo ();
  /* What a notification says is plain text; this test is about labels. */
  g_settings_set_boolean (rc_application_get_settings (app), "notifications", FALSE);
  rc_application_set_uri_launcher (app, rc_test_browser_launch, browser, NULL);
  g_signal_connect (app, "activate", G_CALLBACK (run_tests), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);

  g_assert_finalize_object (app);
  g_clear_pointer (&browser, rc_test_browser_free);
  return status;
}
