/* test-demo-browser.c: `reconnect --demo` signs in through a real browser.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing is played here: the demo runs as its own process, on the private
 * session's bus and display, and opens the desktop's default browser, which
 * is Debian's Chromium (headless) made the http handler the way a desktop
 * does it, with a desktop file and mimeapps.list.  The simulator's autopilot
 * presses Log In and Allow in that browser.  The test only drives the app's
 * exported actions over D-Bus, as a shell or another app could, and reads
 * what the demo writes to its state file.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "rc-test-session.h"

#define DEMO_NAME        APP_ID ".Demo"
#define BROWSER_ID       "io.github.reconnect.TestBrowser.desktop"
#define ACCOUNT          "demo-salesforce"
#define BROWSER_LIFETIME 170   /* seconds; the meson timeout is 180 */
#define MAX_BROWSERS     16

/* What a failed assertion must still clean up: it aborts, and no teardown
 * runs.  Only async-signal-safe calls touch these. */
static char  running_marker[4096];
static pid_t browser_groups[MAX_BROWSERS];
static volatile sig_atomic_t n_browser_groups;

typedef struct
{
  char            *browser_dir;
  char            *state_file;
  char            *object_path;  /* GApplication's, from DEMO_NAME */
  GDBusConnection *bus;
  GSubprocess     *app;
  gboolean         app_exited;
} Demo;

static void
on_fatal_signal (int sig)
{
  /* The browsers' own watch loops end them when the marker goes; killing the
   * groups known so far only makes it quicker. */
  if (running_marker[0] != '\0')
    unlink (running_marker);
  for (sig_atomic_t i = 0; i < n_browser_groups; i++)
    kill (-browser_groups[i], SIGKILL);
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != (pid_t) GPOINTER_TO_INT (user_data))
    _exit (127);
#endif
}

/* Reads the PIDs the browser wrapper wrote, one process group per start. */
static guint
harvest_browsers (Demo *demo)
{
  g_autofree char *path = g_build_filename (demo->browser_dir, "pids", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return n_browser_groups;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gint64 pid = g_ascii_strtoll (lines[i], NULL, 10);
      gboolean known = FALSE;

      if (pid <= 1)
        continue;
      for (sig_atomic_t j = 0; j < n_browser_groups; j++)
        known |= browser_groups[j] == (pid_t) pid;
      if (!known && n_browser_groups < MAX_BROWSERS)
        {
          browser_groups[n_browser_groups] = (pid_t) pid;
          n_browser_groups++;
        }
    }

  return n_browser_groups;
}

static gboolean
group_alive (pid_t group)
{
  return kill (-group, 0) == 0 || errno != ESRCH;
}

/* Ends every browser started so far, politely first. */
static void
end_browsers (Demo *demo)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gboolean alive = TRUE;

  harvest_browsers (demo);
  for (sig_atomic_t i = 0; i < n_browser_groups; i++)
    kill (-browser_groups[i], SIGTERM);

  while (alive && g_get_monotonic_time () < deadline)
    {
      alive = FALSE;
      for (sig_atomic_t i = 0; i < n_browser_groups; i++)
        alive |= group_alive (browser_groups[i]);
      if (alive)
        g_usleep (100 * 1000);
    }

  for (sig_atomic_t i = 0; i < n_browser_groups; i++)
    if (group_alive (browser_groups[i]))
      {
        g_test_message ("browser group %d ignored SIGTERM; killing it", (int) browser_groups[i]);
        kill (-browser_groups[i], SIGKILL);
      }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Makes Chromium the desktop's browser in this session, with the same helper
 * build-aux/screenshots uses. */
static gboolean
make_chromium_the_browser (Demo *demo)
{
  const char *argv[] = { RC_BROWSER_HELPER, demo->browser_dir, G_STRINGIFY (BROWSER_LIFETIME), NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAppInfo) http = NULL;
  g_autoptr(GAppInfo) https = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_test_fail_printf ("could not make Chromium the default browser: %s%s%s",
                          error->message, err && *err ? "\n" : "", err ? err : "");
      return FALSE;
    }

  http = g_app_info_get_default_for_uri_scheme ("http");
  https = g_app_info_get_default_for_uri_scheme ("https");
  g_assert_nonnull (http);
  g_assert_cmpstr (g_app_info_get_id (http), ==, BROWSER_ID);
  g_assert_nonnull (https);
  g_assert_cmpstr (g_app_info_get_id (https), ==, BROWSER_ID);
  return TRUE;
}

static void
on_app_exited (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Demo *demo = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  demo->app_exited = TRUE;
}

static void
start_demo (Demo *demo)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("RECONNECT_BIN");

  g_assert_nonnull (binary);
  g_subprocess_launcher_setenv (launcher, "RECONNECT_DEMO_AUTOPILOT", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* Without a notification server on the private bus, GLib warns when the
   * demo tells of a broken connection: not the app's fault, so not fatal. */
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly", TRUE);
  /* Stdout is this test's TAP stream: everything the app says goes to the
   * log instead. */
  g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER (getpid ()), NULL);

  demo->app = g_subprocess_launcher_spawn (launcher, &error, binary, "--demo", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (demo->app, NULL, on_app_exited, demo);
}

static gboolean
name_has_owner (Demo       *demo,
                const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (demo->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* Turns the main context while waiting, so the app's exit is noticed. */
static void
pause_briefly (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_usleep (100 * 1000);
}

static void
wait_for_demo (Demo *demo)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!name_has_owner (demo, DEMO_NAME))
    {
      if (demo->app_exited)
        g_error ("reconnect --demo exited before it took %s (see its output above)", DEMO_NAME);
      if (g_get_monotonic_time () > deadline)
        g_error ("reconnect --demo did not take %s on the session bus within 30 s", DEMO_NAME);
      pause_briefly ();
    }
}

static void
activate (Demo       *demo,
          const char *action,
          const char *parameter)
{
  g_autoptr(GVariantBuilder) parameters = g_variant_builder_new (G_VARIANT_TYPE ("av"));
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (parameter != NULL)
    g_variant_builder_add (parameters, "v", g_variant_new_string (parameter));

  g_test_message ("activating app.%s (%s)", action, parameter ? parameter : "");
  reply = g_dbus_connection_call_sync (demo->bus, DEMO_NAME, demo->object_path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", action, parameters, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
}

/* The account's state as the demo last wrote it, or NULL. */
static char *
read_state (Demo       *demo,
            const char *account_id,
            char      **cause)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *group = g_strconcat ("account ", account_id, NULL);

  if (!g_key_file_load_from_file (file, demo->state_file, G_KEY_FILE_NONE, NULL))
    return NULL;
  /* Accept the store's plain "[ID]" groups as well as "[account ID]". */
  if (!g_key_file_has_group (file, group))
    {
      g_free (group);
      group = g_strdup (account_id);
    }
  if (cause != NULL)
    *cause = g_key_file_get_string (file, group, "cause", NULL);
  return g_key_file_get_string (file, group, "state", NULL);
}

/* Waits until the account is in one of @wanted (NULL-terminated), and
 * returns it. */
static char *
wait_for_state (Demo               *demo,
                guint               timeout_seconds,
                const char * const *wanted)
{
  gint64 deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;
  g_autofree char *last = NULL;
  g_autofree char *cause = NULL;
  g_autofree char *wanted_text = g_strjoinv ("|", (char **) wanted);

  for (;;)
    {
      g_free (cause);
      cause = NULL;
      g_free (last);
      last = read_state (demo, ACCOUNT, &cause);
      harvest_browsers (demo);

      if (last != NULL && g_strv_contains (wanted, last))
        {
          g_test_message ("%s is %s%s%s", ACCOUNT, last, cause ? ", cause " : "", cause ? cause : "");
          return g_steal_pointer (&last);
        }
      if (demo->app_exited)
        g_error ("reconnect --demo exited while %s was %s, not %s", ACCOUNT, last ? last : "unknown", wanted_text);
      if (g_get_monotonic_time () > deadline)
        g_error ("%s was still %s (cause %s) after %u s, not %s; the browser's log is %s/chromium.log "
                 "and it started %u time(s)",
                 ACCOUNT, last ? last : "unknown", cause ? cause : "none", timeout_seconds, wanted_text,
                 demo->browser_dir, (guint) n_browser_groups);
      pause_briefly ();
    }
}

/* Chromium was really started, with the app's authorization URL. */
static void
assert_browser_opened (Demo       *demo,
                       const char *path)
{
  g_autofree char *log = g_build_filename (demo->browser_dir, "chromium.log", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, path));
}

static void
quit_demo (Demo *demo)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  activate (demo, "quit", NULL);
  while (!demo->app_exited && g_get_monotonic_time () < deadline)
    pause_briefly ();

  g_assert_true (demo->app_exited);
  g_assert_true (g_subprocess_get_if_exited (demo->app));
  g_assert_cmpint (g_subprocess_get_exit_status (demo->app), ==, 0);
}

static void
test_demo_browser (void)
{
  const char * const connected[] = { "connected", NULL };
  const char * const lost[] = { "needs-sign-in", "needs-admin", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *chromium = NULL;
  g_autofree char *xvfb = NULL;
  g_autofree char *state = NULL;
  Demo demo = { 0 };

  if (!rc_test_session_require ())
    return;

  /* The real parts or nothing: no browser, no test. */
  chromium = g_find_program_in_path ("chromium");
  if (chromium == NULL)
    {
      g_test_fail_printf ("chromium is missing: this test signs in through Debian's real Chromium; "
                          "install it with build-aux/setup --test");
      return;
    }
  xvfb = g_find_program_in_path ("Xvfb");
  if (xvfb == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_fail_printf ("no Xvfb display: the demo is a GUI; install xvfb with build-aux/setup --test "
                          "and run this under build-aux/test-session");
      return;
    }

  demo.browser_dir = g_build_filename (g_get_user_runtime_dir (), "demo-browser", NULL);
  demo.object_path = g_strdelimit (g_strconcat ("/", DEMO_NAME, NULL), ".", '/');
  demo.state_file = g_build_filename (g_get_user_state_dir (), "reconnect", "demo", "state", "state.ini", NULL);
  g_snprintf (running_marker, sizeof running_marker, "%s/running", demo.browser_dir);
  signal (SIGABRT, on_fatal_signal);
  signal (SIGTERM, on_fatal_signal);

  if (!make_chromium_the_browser (&demo))
    return;

  demo.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (name_has_owner (&demo, DEMO_NAME));

  start_demo (&demo);
  wait_for_demo (&demo);
  g_clear_pointer (&state, g_free);
  state = wait_for_state (&demo, 30, (const char * const[]) { "signed-out", NULL });

  /* Sign in: the app opens Chromium, the autopilot logs in and allows, and
   * Chromium follows the redirect to the app's loopback receiver. */
  activate (&demo, "sign-in", ACCOUNT);
  g_clear_pointer (&state, g_free);
  state = wait_for_state (&demo, 60, connected);
  g_assert_cmpuint (harvest_browsers (&demo), ==, 1);
  assert_browser_opened (&demo, "/services/oauth2/authorize?");
  end_browsers (&demo);

  /* The refresh token dies; a check finds it and asks for a new sign-in. */
  activate (&demo, "simulate", "refresh-token-expired");
  activate (&demo, "check-all", NULL);
  g_clear_pointer (&state, g_free);
  state = wait_for_state (&demo, 30, lost);

  /* Signing in again mends it, through a second browser start. */
  activate (&demo, "sign-in", ACCOUNT);
  g_clear_pointer (&state, g_free);
  state = wait_for_state (&demo, 60, connected);
  g_assert_cmpuint (harvest_browsers (&demo), ==, 2);

  end_browsers (&demo);
  quit_demo (&demo);

  g_unlink (running_marker);
  running_marker[0] = '\0';
  remove_tree (demo.browser_dir);

  g_clear_object (&demo.app);
  g_clear_object (&demo.bus);
  g_free (demo.browser_dir);
  g_free (demo.state_file);
  g_free (demo.object_path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/e2e/demo-browser", test_demo_browser);

  return g_test_run ();
}
