/* test-sign-in-dialog.c: the sign-in dialog under Xvfb, against the
 * simulator over real HTTP and the real keyring.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The user is played by the scripted browser (rc-test-browser.c) and, for
 * codes, by rc_sim_approve_device(); the dialog is driven through its
 * actions, as its buttons drive it.
 *
 * With RC_TEST_SCREENSHOTS=DIR, each page is also saved as DIR/signin-PAGE.png
 * and DIR/signin-PAGE-dark.png, 360 px wide, with ImageMagick's import.
 */

#include "config.h"

#include <adwaita.h>

#include "rc-account-store.h"
#include "rc-monitor.h"
#include "rc-secret-store.h"
#include "rc-sign-in-dialog.h"
#include "rc-sim.h"
#include "rc-test-browser.h"
#include "rc-test-session.h"

#define TIMEOUT 30

typedef struct
{
  char           *tmp;
  RcSim          *sim;
  guint           port;
  RcAccountStore *accounts;
  RcSecretStore  *secrets;
  RcMonitor      *monitor;
  RcAccount      *account;
  RcTestBrowser  *browser;
  RcSignInDialog *dialog;   /* a weak pointer: GTK owns the window */
  guint           finished;
  gboolean        signed_in;
} Fixture;

/* Everything logged, debug messages included: no token may be in it. */
static GString *captured_log;

static GLogWriterOutput
capture_log (GLogLevelFlags   log_level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (captured_log, "%s\n", (const char *) fields[i].value);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, NULL);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
keep_turning (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Turns the main context until @cond holds; fails the test after TIMEOUT. */
#define WAIT_FOR(cond)                                                          \
  G_STMT_START {                                                                \
    gint64 deadline_ = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;      \
    guint tick_ = g_timeout_add (50, keep_turning, NULL);                       \
    while (!(cond) && g_get_monotonic_time () < deadline_)                      \
      g_main_context_iteration (NULL, TRUE);                                    \
    g_source_remove (tick_);                                                    \
    if (!(cond))                                                                \
      g_error ("%s did not happen within %d s", #cond, TIMEOUT);                \
  } G_STMT_END

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Whether a listener could take @port now, as the next sign-in's would. */
static gboolean
port_is_free (guint port)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);

  return g_socket_bind (socket, address, TRUE, NULL) && g_socket_listen (socket, NULL);
}

static gpointer
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->dialog), RC_TYPE_SIGN_IN_DIALOG, name);

  g_assert_nonnull (object);
  return object;
}

static const char *
page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (child (fixture, "stack"));
}

/* Whether the action behind @button is enabled: the button follows it. */
static gboolean
enabled (Fixture    *fixture,
         const char *button)
{
  return gtk_widget_get_sensitive (child (fixture, button));
}

/* Presses what @button presses.  A disabled action does nothing. */
static void
activate (Fixture    *fixture,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), action, NULL));
}

static void
on_finished (RcSignInDialog *dialog,
             gboolean        signed_in,
             Fixture        *fixture)
{
  fixture->finished++;
  fixture->signed_in = signed_in;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *system = NULL;
  g_autofree char *state = NULL;
  g_autofree char *sf = NULL;
  g_autofree char *root = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *id = NULL;

  g_string_truncate (captured_log, 0);

  fixture->tmp = g_dir_make_tmp ("reconnect-sign-in-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (fixture->tmp, "config", NULL);
  system = g_build_filename (fixture->tmp, "system", NULL);
  state = g_build_filename (fixture->tmp, "state", NULL);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (system, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (state, 0700), ==, 0);

  fixture->sim = rc_sim_new ();
  g_assert_true (rc_sim_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);
  rc_sim_set_device_interval (fixture->sim, 1);

  /* Salesforce matches the callback exactly: a fixed port of the test's. */
  fixture->port = free_port ();
  redirect = g_strdup_printf ("http://127.0.0.1:%u/OauthRedirect", fixture->port);
  rc_sim_add_redirect_uri (fixture->sim, redirect);

  fixture->accounts = rc_account_store_new (config, (const char * const []) { system, NULL }, state);
  rc_account_store_load (fixture->accounts);
  sf = rc_sim_get_salesforce_url (fixture->sim);
  root = g_strndup (sf, strlen (sf) - 1);
  id = rc_account_store_new_id (fixture->accounts, "salesforce");
  fixture->account = rc_account_new (id, "salesforce", root, rc_sim_get_client_id (fixture->sim));
  rc_account_set_redirect_uri (fixture->account, redirect);
  rc_account_set_display_name (fixture->account, "Acme Sales");
  g_assert_true (rc_account_store_add (fixture->accounts, fixture->account, &error));
  g_assert_no_error (error);

  fixture->secrets = rc_secret_store_new ();
  fixture->monitor = rc_monitor_new (fixture->accounts, fixture->secrets);
}

static void
close_dialog (Fixture *fixture)
{
  if (fixture->dialog == NULL)
    return;

  if (gtk_widget_get_visible (GTK_WIDGET (fixture->dialog)))
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));

  /* What is still under way lets go of the dialog once it has stopped. */
  WAIT_FOR (fixture->dialog == NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  close_dialog (fixture);
  g_clear_pointer (&fixture->browser, rc_test_browser_free);

  /* Leave the shared keyring as it was found. */
  rc_secret_store_delete_async (fixture->secrets, rc_account_get_key (fixture->account), NULL,
                                rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  rc_secret_store_delete_finish (fixture->secrets, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);   /* it holds the store */

  rc_monitor_stop (fixture->monitor);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->monitor);
  g_assert_finalize_object (fixture->accounts);
  g_assert_finalize_object (fixture->account);
  g_assert_finalize_object (fixture->secrets);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  {
    g_autoptr(GFile) tmp = g_file_new_for_path (fixture->tmp);
    g_autoptr(GFileEnumerator) top = g_file_enumerate_children (tmp, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
    GFileInfo *info;
    GFile *dir;

    /* Two levels: the config, system and state folders and their files. */
    while (top != NULL && g_file_enumerator_iterate (top, &info, &dir, NULL, NULL) && info != NULL)
      {
        g_autoptr(GFileEnumerator) inner = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                      G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
        GFileInfo *inner_info;
        GFile *file;

        while (inner != NULL && g_file_enumerator_iterate (inner, &inner_info, &file, NULL, NULL) && inner_info != NULL)
          g_file_delete (file, NULL, NULL);
        g_file_delete (dir, NULL, NULL);
      }
    g_file_delete (tmp, NULL, NULL);
  }
  g_free (fixture->tmp);
}

/* Opens the dialog as the window does, with the scripted browser. */
static void
open_dialog (Fixture    *fixture,
             const char *decision)
{
  fixture->browser = rc_test_browser_new (NULL, decision);
  fixture->dialog = rc_sign_in_dialog_new (fixture->monitor, fixture->account);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  rc_sign_in_dialog_set_launcher (fixture->dialog, rc_test_browser_launch, fixture->browser, NULL);
  g_signal_connect (fixture->dialog, "finished", G_CALLBACK (on_finished), fixture);

  gtk_window_present (GTK_WINDOW (fixture->dialog));
  rc_sign_in_dialog_start (fixture->dialog);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->dialog));
}

/* Usable on a phone-sized screen, whatever the page. */
static void
assert_fits_narrow (Fixture *fixture)
{
  int minimum;

  gtk_widget_measure (GTK_WIDGET (fixture->dialog), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
}

static void
screenshot (Fixture    *fixture,
            const char *name)
{
  const char *dir = g_getenv ("RC_TEST_SCREENSHOTS");
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (dir == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (fixture->dialog), 360, 640);
  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *file = g_strdup_printf ("%s/signin-%s%s.png", dir, name, dark ? "-dark" : "");
      g_autofree char *command = g_strdup_printf ("import -window root -crop 420x700+0+0 %s", file);
      gint64 settle = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
      guint tick = g_timeout_add (50, keep_turning, NULL);

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->dialog));
      while (g_get_monotonic_time () < settle)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (tick);
      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static RcTokenSet *
load_tokens (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RcTokenSet *tokens;

  g_autofree char *server = rc_account_dup_server (fixture->account);

  rc_secret_store_load_async (fixture->secrets, rc_account_get_key (fixture->account),
                              &(RcSecretBinding) { server, rc_account_get_client_id (fixture->account) }, NULL,
                              rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_secret_store_load_finish (fixture->secrets, result, &error);
  g_assert_no_error (error);
  return tokens;
}

/* Signed in for real: the dialog says so, the account is connected, the
 * keyring holds the tokens, and no log line holds one. */
static void
assert_signed_in (Fixture *fixture)
{
  g_autoptr(RcTokenSet) tokens = NULL;
  const char *user = rc_account_get_user (fixture->account);

  g_assert_cmpstr (page (fixture), ==, "done");
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_true (fixture->signed_in);

  g_assert_cmpint (rc_account_get_state (fixture->account), ==, RC_CONNECTION_CONNECTED);
  g_assert_nonnull (user);
  g_assert_cmpstr (adw_status_page_get_title (child (fixture, "done_page")), ==, "Signed In");
  g_assert_nonnull (strstr (adw_status_page_get_description (child (fixture, "done_page")), user));

  tokens = load_tokens (fixture);
  g_assert_nonnull (tokens);
  g_assert_nonnull (rc_token_set_get_access_token (tokens));
  g_assert_nonnull (rc_token_set_get_refresh_token (tokens));
  g_assert_null (strstr (captured_log->str, rc_token_set_get_access_token (tokens)));
  g_assert_null (strstr (captured_log->str, rc_token_set_get_refresh_token (tokens)));

  /* Nothing left to cancel or retry; Close closes, and says nothing more. */
  g_assert_false (enabled (fixture, "cancel_button"));
  g_assert_false (enabled (fixture, "retry_button"));
  g_assert_false (enabled (fixture, "use_code_button"));
  g_assert_true (enabled (fixture, "close_done_button"));
  activate (fixture, "sign-in.cancel");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->dialog)));
  activate (fixture, "sign-in.close");
  g_assert_true (fixture->dialog == NULL || !gtk_widget_get_visible (GTK_WIDGET (fixture->dialog)));
  g_assert_cmpuint (fixture->finished, ==, 1);
}

static char *
read_clipboard (Fixture *fixture)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->dialog));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  gdk_clipboard_read_text_async (clipboard, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  text = gdk_clipboard_read_text_finish (clipboard, result, &error);
  g_assert_no_error (error);
  return text;
}

/* ---------------------------------------------------------------- tests -- */

static void
test_browser (Fixture       *fixture,
              gconstpointer  data)
{
  if (!rc_test_session_require_keyring ())
    return;

  open_dialog (fixture, "allow");

  /* First the browser page, naming the account the browser signs in to. */
  g_assert_cmpstr (page (fixture), ==, "browser");
  g_assert_cmpstr (adw_status_page_get_title (child (fixture, "browser_page")), ==, "Continue in Your Browser");
  g_assert_nonnull (strstr (adw_status_page_get_description (child (fixture, "browser_page")), "Acme Sales"));
  g_assert_true (gtk_widget_get_visible (child (fixture, "cancel_button")));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (fixture, "browser_spinner")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Waiting for the browser");
  assert_fits_narrow (fixture);

  WAIT_FOR (g_strcmp0 (page (fixture), "browser") != 0);
  g_assert_null (rc_test_browser_get_error (fixture->browser));
  g_assert_cmpuint (rc_test_browser_get_launches (fixture->browser), ==, 1);
  WAIT_FOR (rc_test_browser_get_done (fixture->browser));
  g_assert_cmpuint (rc_test_browser_get_redirect_status (fixture->browser), ==, 200);
  g_assert_nonnull (strstr (rc_test_browser_get_redirect_body (fixture->browser), "return to Reconnect"));

  g_assert_false (gtk_widget_get_visible (child (fixture, "cancel_button")));
  assert_fits_narrow (fixture);
  screenshot (fixture, "done");
  assert_signed_in (fixture);
}

static void
test_copy_link (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *sf = NULL;
  g_autofree char *copied = NULL;

  if (!rc_test_session_require_keyring ())
    return;

  /* A user who opens the page and looks at Reconnect instead. */
  open_dialog (fixture, NULL);
  WAIT_FOR (rc_test_browser_get_launches (fixture->browser) == 1);
  screenshot (fixture, "browser");

  g_assert_true (enabled (fixture, "copy_link_button"));
  activate (fixture, "sign-in.copy-link");
  copied = read_clipboard (fixture);
  sf = rc_sim_get_salesforce_url (fixture->sim);
  g_assert_cmpstr (copied, ==, rc_test_browser_get_uri (fixture->browser));
  g_assert_true (g_str_has_prefix (copied, sf));
  g_assert_nonnull (strstr (copied, "code_challenge_method=S256"));

  /* Open Browser Again opens the same page, in the same sign-in. */
  g_assert_true (enabled (fixture, "open_browser_button"));
  activate (fixture, "sign-in.open-browser");
  g_assert_cmpuint (rc_test_browser_get_launches (fixture->browser), ==, 2);
  g_assert_cmpstr (rc_test_browser_get_uri (fixture->browser), ==, copied);
  g_assert_cmpstr (page (fixture), ==, "browser");
  g_assert_cmpuint (fixture->finished, ==, 0);
}

static void
test_use_code (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *countdown = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *code = NULL;
  GtkLabel *countdown_label;

  if (!rc_test_session_require_keyring ())
    return;

  open_dialog (fixture, NULL);
  WAIT_FOR (rc_test_browser_get_launches (fixture->browser) == 1);
  g_assert_false (port_is_free (fixture->port));

  g_assert_true (enabled (fixture, "use_code_button"));
  activate (fixture, "sign-in.use-code");
  g_assert_cmpstr (page (fixture), ==, "device");
  /* The browser flow is over: its listener lets go of the port. */
  WAIT_FOR (port_is_free (fixture->port));

  WAIT_FOR (*gtk_label_get_label (child (fixture, "code_label")) != '\0');
  code = g_strdup (gtk_label_get_label (child (fixture, "code_label")));
  g_assert_true (gtk_label_get_selectable (child (fixture, "code_label")));
  g_assert_true (gtk_widget_has_css_class (child (fixture, "code_label"), "title-1"));
  g_assert_true (gtk_widget_has_css_class (child (fixture, "code_label"), "monospace"));
  g_assert_nonnull (strstr (gtk_label_get_label (child (fixture, "link_label")), "/setup/connect"));

  /* The countdown counts down, once a second. */
  countdown_label = child (fixture, "countdown_label");
  countdown = g_strdup (gtk_label_get_label (countdown_label));
  g_assert_true (g_str_has_prefix (countdown, "Code expires in "));
  WAIT_FOR (g_strcmp0 (gtk_label_get_label (countdown_label), countdown) != 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (countdown_label), "Code expires in "));

  assert_fits_narrow (fixture);
  screenshot (fixture, "device");
  g_assert_true (enabled (fixture, "copy_code_button"));
  activate (fixture, "sign-in.copy-code");
  copied = read_clipboard (fixture);
  g_assert_cmpstr (copied, ==, code);

  /* The code shown is the one the provider waits for. */
  g_assert_true (rc_sim_approve_device (fixture->sim, code, "ada@reconnect.example", &error));
  g_assert_no_error (error);
  WAIT_FOR (g_strcmp0 (page (fixture), "done") == 0);
  assert_signed_in (fixture);
}

static void
test_declined (Fixture       *fixture,
               gconstpointer  data)
{
  const char *description;

  if (!rc_test_session_require_keyring ())
    return;

  open_dialog (fixture, "deny");
  WAIT_FOR (g_strcmp0 (page (fixture), "failed") == 0);

  /* What happened and what to do, and the decision stays with the user. */
  g_assert_cmpstr (adw_status_page_get_title (child (fixture, "failed_page")), ==, "Access Not Allowed");
  description = adw_status_page_get_description (child (fixture, "failed_page"));
  g_assert_nonnull (strstr (description, "chose not to allow"));
  g_assert_nonnull (strstr (description, "try again"));
  g_assert_nonnull (strstr (gtk_label_get_label (child (fixture, "details_label")), "access_denied"));
  g_assert_cmpuint (fixture->finished, ==, 0);
  g_assert_cmpint (rc_account_get_state (fixture->account), !=, RC_CONNECTION_CONNECTED);
  assert_fits_narrow (fixture);
  screenshot (fixture, "failed");

  /* Try Again starts over, in the browser. */
  rc_test_browser_set_decision (fixture->browser, "allow");
  g_assert_true (enabled (fixture, "retry_button"));
  g_assert_false (enabled (fixture, "cancel_button"));
  activate (fixture, "sign-in.retry");
  g_assert_cmpstr (page (fixture), ==, "browser");
  WAIT_FOR (g_strcmp0 (page (fixture), "done") == 0);
  g_assert_cmpuint (rc_test_browser_get_launches (fixture->browser), ==, 2);
  assert_signed_in (fixture);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  if (!rc_test_session_require_keyring ())
    return;

  open_dialog (fixture, NULL);
  WAIT_FOR (rc_test_browser_get_launches (fixture->browser) == 1);
  g_assert_false (port_is_free (fixture->port));

  g_assert_true (enabled (fixture, "cancel_button"));
  activate (fixture, "sign-in.cancel");
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_false (fixture->signed_in);
  g_assert_true (fixture->dialog == NULL || !gtk_widget_get_visible (GTK_WIDGET (fixture->dialog)));

  /* Nothing waits for the browser any more. */
  WAIT_FOR (port_is_free (fixture->port));
  close_dialog (fixture);
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_cmpint (rc_account_get_state (fixture->account), !=, RC_CONNECTION_CONNECTED);
}

static void
test_close_is_cancel (Fixture       *fixture,
                      gconstpointer  data)
{
  if (!rc_test_session_require_keyring ())
    return;

  open_dialog (fixture, NULL);
  WAIT_FOR (rc_test_browser_get_launches (fixture->browser) == 1);
  g_assert_true (enabled (fixture, "use_code_button"));
  activate (fixture, "sign-in.use-code");
  WAIT_FOR (*gtk_label_get_label (child (fixture, "code_label")) != '\0');

  /* The window's close button, or Escape, while a code waits. */
  gtk_window_close (GTK_WINDOW (fixture->dialog));
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_false (fixture->signed_in);
  close_dialog (fixture);
  g_assert_true (port_is_free (fixture->port));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  /* The keyring and the display must be the test session's, never the
   * developer's own. */
  if (g_strcmp0 (g_getenv ("RECONNECT_TEST_SESSION"), "1") != 0)
    {
      g_print ("Bail out! test-sign-in-dialog needs the private test session: run build-aux/test\n");
      return 1;
    }

  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* The app's own style, as AdwApplication would load it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/reconnect/sign-in-dialog/browser", Fixture, NULL, fixture_set_up, test_browser, fixture_tear_down);
  g_test_add ("/reconnect/sign-in-dialog/copy-link", Fixture, NULL, fixture_set_up, test_copy_link, fixture_tear_down);
  g_test_add ("/reconnect/sign-in-dialog/use-code", Fixture, NULL, fixture_set_up, test_use_code, fixture_tear_down);
  g_test_add ("/reconnect/sign-in-dialog/declined", Fixture, NULL, fixture_set_up, test_declined, fixture_tear_down);
  g_test_add ("/reconnect/sign-in-dialog/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/reconnect/sign-in-dialog/close-is-cancel", Fixture, NULL, fixture_set_up, test_close_is_cancel,
              fixture_tear_down);

  return g_test_run ();
}
