/* test-window.c: the real main window under Xvfb.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "rc-application.h"
#include "rc-explain-window.h"
#include "rc-window.h"

static RcApplication *app;

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
wait_for_toplevel (GType type)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (find_toplevel (type) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static RcWindow *
show_window (void)
{
  RcWindow *window = rc_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static void
close_window (RcWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_window_empty_state (void)
{
  RcWindow *window;
  GtkWidget *status;

  window = show_window ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Reconnect");

  status = find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "Stay Connected to Your CRM");
  /* The empty state says what Reconnect is for, in the user's words. */
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)), "Salesforce"));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)), "Microsoft Dynamics 365"));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)), "sign in again"));

  /* Two ways on from here: add an account, or watch the demo. */
  {
    GObject *add = gtk_widget_get_template_child (GTK_WIDGET (window), RC_TYPE_WINDOW, "empty_add_button");
    GObject *demo = gtk_widget_get_template_child (GTK_WIDGET (window), RC_TYPE_WINDOW, "empty_demo_button");

    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (add)));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (demo)));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (add)), ==, "_Add Account…");
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (add)), ==, "win.add-account");
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (demo)), ==, "_Try the Demo");
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (demo)), ==, "app.try-demo");
    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "try-demo"));
  }

#if DEVELOPMENT_BUILD
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"));
#else
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"));
#endif

  close_window (window);
}

static void
test_window_narrow_and_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  RcWindow *window;
  int minimum;

  window = show_window ();

  /* Usable on a phone-sized screen: it may be made 360 px wide. */
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 600);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (adw_style_manager_get_dark (style));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  close_window (window);
}

static void
test_window_primary_menu (void)
{
  RcWindow *window;
  GtkWidget *button;
  GMenuModel *menu;
  GMenuModel *section;
  GtkWindow *about;
  GtkWindow *shortcuts;
  g_autofree char *label0 = NULL;
  g_autofree char *action0 = NULL;
  g_autofree char *label1 = NULL;
  g_autofree char *action1 = NULL;

  window = show_window ();

  button = find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (button);
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");

  /* The app's own entries first, then the standard ones, in HIG order. */
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action0);
  g_menu_model_get_item_attribute (section, 1, G_MENU_ATTRIBUTE_ACTION, "s", &action1);
  g_assert_cmpstr (action0, ==, "win.check-all");
  g_assert_cmpstr (action1, ==, "win.explain");
  g_clear_pointer (&action0, g_free);
  g_clear_pointer (&action1, g_free);
  g_object_unref (section);
  /* The demo's Simulate a Problem is not in the real app. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "simulate"));
  section = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
  /* Quit too: with the window closed, Reconnect keeps watching. */
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 3);
  {
    g_autofree char *quit = NULL;

    g_menu_model_get_item_attribute (section, 2, G_MENU_ATTRIBUTE_ACTION, "s", &quit);
    g_assert_cmpstr (quit, ==, "app.quit");
  }
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label0);
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action0);
  g_menu_model_get_item_attribute (section, 1, G_MENU_ATTRIBUTE_LABEL, "s", &label1);
  g_menu_model_get_item_attribute (section, 1, G_MENU_ATTRIBUTE_ACTION, "s", &action1);
  g_assert_cmpstr (label0, ==, "_Keyboard Shortcuts");
  g_assert_cmpstr (action0, ==, "win.show-help-overlay");
  g_assert_cmpstr (label1, ==, "_About Reconnect");
  g_assert_cmpstr (action1, ==, "app.about");
  g_object_unref (section);

  /* Keyboard Shortcuts opens the shortcuts window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action0, NULL));
  wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  gtk_window_destroy (shortcuts);

  /* About shows the version, the licence and where to report a problem. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action1, NULL));
  wait_for_toplevel (ADW_TYPE_ABOUT_WINDOW);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Reconnect");
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_BUGREPORT);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  gtk_window_destroy (about);

  close_window (window);
}

static void
test_window_shortcuts (void)
{
  g_auto(GStrv) quit = NULL;
  g_auto(GStrv) close = NULL;
  g_auto(GStrv) help = NULL;

  quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  close = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "window.close");
  help = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_true (g_strv_contains ((const char * const *) quit, "<Control>q"));
  g_assert_true (g_strv_contains ((const char * const *) close, "<Control>w"));
  g_assert_true (g_strv_contains ((const char * const *) help, "<Control>question"));
}

static void
test_window_size_remembered (void)
{
  GSettings *settings;
  RcWindow *window;
  int width, height;

  settings = rc_application_get_settings (app);
  g_settings_set_int (settings, "window-width", 500);
  g_settings_set_int (settings, "window-height", 420);

  /* A new window opens at the size of the last one... */
  window = show_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 500);
  g_assert_cmpint (height, ==, 420);

  /* ...and a resize is saved for the next one. */
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 520);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 520);

  close_window (window);
}

static void
on_explained (RcExplainWindow *window,
              gboolean        *explained)
{
  *explained = TRUE;
}

static GtkWidget *
explain_child (RcExplainWindow *window,
               const char      *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), RC_TYPE_EXPLAIN_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Explain an Error: a pasted message, then a log file, each to its cause
 * with what to do. */
static void
test_window_explain (void)
{
  RcWindow *window = show_window ();
  RcExplainWindow *explain;
  GtkTextBuffer *buffer;
  GtkWidget *button;
  GtkWidget *finding;
  gboolean explained = FALSE;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  gint64 deadline;
  const char *log =
    "2015-04-24 15:16:58,102 [13152     ] INFO  sfdcsession     Refreshing OAuth session\n"
    "2015-04-24 15:17:11,290 [13152     ] ERROR sfdcsession     LogOn failed with exception - token validity expired\n"
    "2015-04-24 15:17:11,301 [13152     ] DEBUG general         Sync engine idle\n"
    "2015-04-24 15:18:55,635 [3604      ] DEBUG general         Application status changed to SalesforceNotConnected, SalesforceCredentialsInvalid\n";

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.explain", NULL));
  wait_for_toplevel (RC_TYPE_EXPLAIN_WINDOW);
  explain = RC_EXPLAIN_WINDOW (find_toplevel (RC_TYPE_EXPLAIN_WINDOW));
  g_assert_nonnull (explain);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (explain)) == GTK_WINDOW (window));
  g_signal_connect (explain, "explained", G_CALLBACK (on_explained), &explained);

  /* Nothing to explain yet: the button says so by being off. */
  button = explain_child (explain, "explain_button");
  g_assert_false (gtk_widget_get_sensitive (button));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (explain_child (explain, "text_view")));
  gtk_text_buffer_set_text (buffer, "AADSTS50076: Due to a configuration change made by your administrator, or because "
                                    "you moved to a new location, you must use multi-factor authentication to access "
                                    "'00000007-0000-0000-c000-000000000000'.", -1);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (explain), "explain.explain", NULL));
  g_assert_true (explained);
  g_assert_cmpstr (rc_diagnosis_get_cause (rc_explain_window_get_diagnosis (explain)), ==, "mfa-required");
  finding = find_named (explain_child (explain, "results_box"), "mfa-required");
  g_assert_nonnull (finding);
  g_assert_nonnull (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (finding)));

  /* A Salesforce for Outlook trace, read from its file. */
  path = g_build_filename (g_get_user_cache_dir (), "Trace.log", NULL);
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_assert_true (g_file_set_contents (path, log, -1, NULL));
  file = g_file_new_for_path (path);
  explained = FALSE;
  rc_explain_window_open_file (explain, file);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!explained && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (explained);
  g_assert_cmpstr (rc_diagnosis_get_cause (rc_explain_window_get_diagnosis (explain)), ==,
                   "refresh-token-policy-immediate");
  g_assert_nonnull (find_named (explain_child (explain, "results_box"), "refresh-token-policy-immediate"));
  g_assert_null (find_named (explain_child (explain, "results_box"), "mfa-required"));

  /* Text that is no error is said to be none. */
  gtk_text_buffer_set_text (buffer, "Meeting moved to Thursday, see you there.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (explain), "explain.explain", NULL));
  g_assert_cmpstr (rc_diagnosis_get_cause (rc_explain_window_get_diagnosis (explain)), ==, "unknown");
  g_assert_null (gtk_widget_get_first_child (explain_child (explain, "results_box")));
  g_assert_true (gtk_widget_get_visible (explain_child (explain, "summary_label")));

  g_unlink (path);
  gtk_window_destroy (GTK_WINDOW (explain));
  close_window (window);
}

/* The setting decides whether the app stays, watching, with no window. */
static void
test_window_background_setting (void)
{
  GSettings *settings = rc_application_get_settings (app);

  g_assert_false (rc_application_get_background (app));
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  g_assert_true (rc_application_get_background (app));
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_false (rc_application_get_background (app));
}

static void
run_tests (GApplication *application,
           int          *status)
{
  /* Hold the app while the tests open and close windows, as a user would. */
  g_application_hold (application);
  *status = g_test_run ();
  g_application_release (application);

  /* The tests replace the main window the app would present now. */
  g_signal_stop_emission_by_name (application, "activate");
}

int
main (int   argc,
      char *argv[])
{
  int status = 1;
  int app_status;

  /* The app registers on the session bus: never the developer's own. */
  if (g_strcmp0 (g_getenv ("RECONNECT_TEST_SESSION"), "1") != 0)
    {
      g_print ("Bail out! test-window needs the private test session: run build-aux/test\n");
      return 1;
    }

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/window/empty-state", test_window_empty_state);
  g_test_add_func ("/reconnect/window/narrow-and-dark", test_window_narrow_and_dark);
  g_test_add_func ("/reconnect/window/primary-menu", test_window_primary_menu);
  g_test_add_func ("/reconnect/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/reconnect/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/reconnect/window/explain", test_window_explain);
  g_test_add_func ("/reconnect/window/background-setting", test_window_background_setting);

  /* The real start-up path: register on the session bus, startup installs
   * the actions and accels, and the tests run where the main window would
   * otherwise be presented. */
  app = rc_application_new ();
  /* Held in the background, the app would outlive the tests. */
  g_settings_set_boolean (rc_application_get_settings (app), "run-in-background", FALSE);
  g_signal_connect (app, "activate", G_CALLBACK (run_tests), &status);
  app_status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_assert_cmpint (app_status, ==, 0);

  g_assert_finalize_object (app);
  return status;
}
