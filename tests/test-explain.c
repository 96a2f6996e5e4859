/* test-explain.c: `reconnect explain` as a process
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>

#include "rc-test-session.h"

#define TIMEOUT_SECONDS 20

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "explain", name, NULL);
}

static JsonObject *
parse_output (const char *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* shared/DESIGN.md's shape: cause, audience, title, findings with cause,
 * audience, confidence, evidence and count. */
static void
test_json_file (void)
{
  g_auto(RcTestRun) run = { 0 };
  g_autofree char *path = data_file ("sfo-trace.log");
  g_autoptr(JsonObject) root = NULL;
  JsonArray *findings;
  JsonObject *first;

  rc_test_run_reconnect (&run, TIMEOUT_SECONDS, "explain", "--json", "--file", path, NULL);
  g_assert_true (run.finished);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);

  root = parse_output (run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "cause"), ==, "refresh-token-policy-immediate");
  g_assert_cmpstr (json_object_get_string_member (root, "audience"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (root, "title"), ==, "Organization Ends Every Sign-In");
  findings = json_object_get_array_member (root, "findings");
  g_assert_cmpuint (json_array_get_length (findings), ==, 2);
  first = json_array_get_object_element (findings, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "cause"), ==, "refresh-token-policy-immediate");
  g_assert_cmpstr (json_object_get_string_member (first, "audience"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (first, "confidence"), ==, "high");
  g_assert_cmpint (json_object_get_int_member (first, "count"), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "evidence")), >=, 1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "first_seen"), "2015-04-24T15:17:11"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, 1), "cause"), ==,
                   "refresh-token-expired");
  g_assert_cmpint (json_object_get_int_member (root, "lines_read"), ==, 7);
}

static void
test_json_text (void)
{
  g_auto(RcTestRun) run = { 0 };
  g_autoptr(JsonObject) root = NULL;

  rc_test_run_reconnect (&run, TIMEOUT_SECONDS, "explain", "--json",
                         "{\"error\":\"invalid_grant\",\"error_codes\":[700003],\"correlation_id\":\"c0ffee00-0000-0000-0000-000000000000\"}",
                         NULL);
  g_assert_true (run.finished);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_output (run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "cause"), ==, "device-not-registered");
  g_assert_nonnull (strstr (run.out, "Correlation ID: c0ffee00-0000-0000-0000-000000000000"));
}

/* Not an error: explained, as unknown, exit 0. */
static void
test_unknown (void)
{
  g_auto(RcTestRun) run = { 0 };
  g_auto(RcTestRun) text = { 0 };
  g_autoptr(JsonObject) root = NULL;

  rc_test_run_reconnect (&run, TIMEOUT_SECONDS, "explain", "--json", "The", "meeting", "moved", "to", "Thursday.", NULL);
  g_assert_true (run.finished);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_output (run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "cause"), ==, "unknown");
  g_assert_cmpstr (json_object_get_string_member (root, "audience"), ==, "none");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "findings")), ==, 0);

  rc_test_run_reconnect (&text, TIMEOUT_SECONDS, "explain", "Hello there", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "Cause: unknown"));
  g_assert_nonnull (strstr (text.out, "Nothing in this text is an error Reconnect knows."));
}

static void
test_text_output (void)
{
  g_auto(RcTestRun) run = { 0 };

  rc_test_run_reconnect (&run, TIMEOUT_SECONDS, "explain",
                         "Oops, your CRM credentials have expired and your CRM has been automatically disconnected.",
                         NULL);
  g_assert_true (run.finished);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Cause: refresh-token-expired (you can fix it)\nSign-In Expired\n"));
  g_assert_nonnull (strstr (run.out, "Findings, most likely first:"));
  g_assert_nonnull (strstr (run.out, "What you can do:"));
  g_assert_nonnull (strstr (run.out, "What your admin can do:"));
  g_assert_nonnull (strstr (run.out, "Refresh token is valid until revoked"));
}

/* "-" reads standard input as a stream. */
static void
test_stdin (void)
{
  const char *args[] = { "explain", "--json", "-", NULL };
  g_autoptr(GSubprocess) process = rc_test_spawn_reconnect (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                            args);
  g_autofree char *path = data_file ("aadsts-lines.log");
  g_autofree char *input = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = NULL;

  g_assert_true (g_file_get_contents (path, &input, NULL, NULL));
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  root = parse_output (out);
  g_assert_cmpstr (json_object_get_string_member (root, "cause"), ==, "conditional-access");
}

static void
test_usage (void)
{
  const char *cases[][4] = {
    { "explain", NULL },
    { "explain", "--file", "x.log", "text" },
    { "explain", "--no-such-option", NULL },
    { "explain", "-", "more", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RcTestRun) run = { 0 };

      rc_test_run_reconnect (&run, TIMEOUT_SECONDS, cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL);
      g_assert_true (run.finished);
      g_assert_cmpint (run.status, ==, 64);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, !=, "");
    }
}

static void
test_unreadable (void)
{
  g_auto(RcTestRun) run = { 0 };
  g_auto(RcTestRun) dir = { 0 };

  rc_test_run_reconnect (&run, TIMEOUT_SECONDS, "explain", "--file", "/nonexistent/Trace.log", NULL);
  g_assert_true (run.finished);
  g_assert_cmpint (run.status, ==, 4);
  g_assert_nonnull (strstr (run.err, "/nonexistent/Trace.log"));

  rc_test_run_reconnect (&dir, TIMEOUT_SECONDS, "explain", "--file", g_get_tmp_dir (), NULL);
  g_assert_cmpint (dir.status, ==, 4);
}

/* What cannot be read to an end is refused at once, not waited on: a FIFO
 * without a writer, a device that never ends. */
static void
test_not_a_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reconnect-explain-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "Trace.log", NULL);
  const char *paths[] = { fifo, "/dev/zero" };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(RcTestRun) run = { 0 };

      rc_test_run_reconnect (&run, TIMEOUT_SECONDS, "explain", "--file", paths[i], NULL);
      g_assert_true (run.finished);
      g_assert_cmpint (run.status, ==, 4);
      g_assert_nonnull (strstr (run.err, paths[i]));
      g_assert_nonnull (strstr (run.err, "not a regular file"));
    }
  g_remove (fifo);
  g_rmdir (dir);
}

/* Standard input may be anything: a stream that never ends is read up to
 * the limit and explained, and said to be cut. */
static void
test_endless_stdin (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = NULL;

  g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/zero");
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RECONNECT_BIN"), "explain", "--json", "-", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  root = parse_output (out);
  g_assert_true (json_object_get_boolean_member (root, "truncated"));
}

/* A log's escape sequences (colours, OSC 52 that writes the clipboard)
 * never reach the terminal: the evidence shows them defused. */
static void
test_escapes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reconnect-explain-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "Trace.log", NULL);
  g_auto(RcTestRun) run = { 0 };
  g_auto(RcTestRun) json = { 0 };

  g_assert_true (g_file_set_contents (path,
                                      "2026-12-03 \033]52;c;cm0gLXJmIH4=\007 {\"error\":\"invalid_grant\","
                                      "\"error_description\":\"expired access/refresh token\"} \033[2J\033[31m\xc2\x9b" "31m\n",
                                      -1, NULL));
  rc_test_run_reconnect (&run, TIMEOUT_SECONDS, "explain", "--file", path, NULL);
  g_assert_true (run.finished);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "invalid_grant"));
  g_assert_null (strchr (run.out, '\033'));
  g_assert_null (strstr (run.out, "\xc2\x9b"));
  g_assert_null (strchr (run.out, '\007'));

  rc_test_run_reconnect (&json, TIMEOUT_SECONDS, "explain", "--json", "--file", path, NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_null (strstr (json.out, "\xc2\x9b"));
  g_remove (path);
  g_rmdir (dir);
}

static void
test_help (void)
{
  g_auto(RcTestRun) run = { 0 };

  rc_test_run_reconnect (&run, TIMEOUT_SECONDS, "explain", "--help", NULL);
  g_assert_true (run.finished);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--file"));
  g_assert_nonnull (strstr (run.out, "--json"));
  g_assert_nonnull (strstr (run.out, "Exit status"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/explain/json-file", test_json_file);
  g_test_add_func ("/reconnect/explain/json-text", test_json_text);
  g_test_add_func ("/reconnect/explain/unknown", test_unknown);
  g_test_add_func ("/reconnect/explain/text-output", test_text_output);
  g_test_add_func ("/reconnect/explain/stdin", test_stdin);
  g_test_add_func ("/reconnect/explain/usage", test_usage);
  g_test_add_func ("/reconnect/explain/unreadable", test_unreadable);
  g_test_add_func ("/reconnect/explain/help", test_help);
  g_test_add_func ("/reconnect/explain/not-a-file", test_not_a_file);
  g_test_add_func ("/reconnect/explain/endless-stdin", test_endless_stdin);
  g_test_add_func ("/reconnect/explain/escapes", test_escapes);

  return g_test_run ();
}
