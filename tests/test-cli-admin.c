/* test-cli-admin.c: the admin command line as a process, against the
 * simulator and the real keyring of the test session.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rc-account-store.h"
#include "rc-cause.h"
#include "rc-secret-store.h"
#include "rc-test-browser.h"
#include "rc-test-session.h"

#define TIMEOUT        30   /* seconds for a command that talks to the simulator */
#define QUICK_TIMEOUT  10   /* seconds for "a few seconds" */
#define SIGN_IN_TIMEOUT 60  /* the device flow waits out real polling intervals */

#define EXIT_OK         0
#define EXIT_SIGN_IN    1
#define EXIT_ADMIN      2
#define EXIT_UNREACHABLE 3
#define EXIT_LOCAL      4
#define EXIT_USAGE      64

#define USER "ada@reconnect.example"

/* Ids a test may leave in the shared keyring; cleared before and after. */
static const char * const used_ids[] = {
  "salesforce-1", "salesforce-2", "entra-1", "entra-2", "oidc-1", NULL
};

typedef struct
{
  char             *dir;
  char             *config;      /* XDG_CONFIG_HOME */
  char             *state;       /* XDG_STATE_HOME */
  char             *sysconfig;   /* XDG_CONFIG_DIRS */
  char             *runtime;     /* an XDG_RUNTIME_DIR without a bus */

  GSubprocess      *sim;
  GDataInputStream *sim_out;
  SoupSession      *http;
  char             *root;        /* the simulator, without a trailing slash */
  char             *tenant;
  char             *client_id;
  char             *control;
} Fixture;

/* ------------------------------------------------------------ keyring -- */

static RcSecretStore *
secret_store_new (void)
{
  RcSecretStore *secrets = rc_secret_store_new ();

  rc_secret_store_set_timeout (secrets, QUICK_TIMEOUT);
  return secrets;
}

static void
forget_used_ids (void)
{
  g_autoptr(RcSecretStore) secrets = secret_store_new ();

  for (guint i = 0; used_ids[i] != NULL; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      rc_secret_store_delete_async (secrets, used_ids[i], NULL, rc_test_on_async_done, &result);
      rc_test_wait_for_result (&result, NULL, TIMEOUT);
      rc_secret_store_delete_finish (secrets, result, NULL);
    }
}

static RcTokenSet *
keyring_load (RcAccount *account)
{
  g_autoptr(RcSecretStore) secrets = secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = rc_account_dup_server (account);
  RcTokenSet *tokens;

  rc_secret_store_load_async (secrets, rc_account_get_key (account),
                              &(RcSecretBinding) { server, rc_account_get_client_id (account) },
                              NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  tokens = rc_secret_store_load_finish (secrets, result, &error);
  g_assert_no_error (error);
  return tokens;
}

static void
keyring_save (RcAccount  *account,
              RcTokenSet *tokens)
{
  g_autoptr(RcSecretStore) secrets = secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = rc_account_dup_server (account);

  rc_secret_store_save_async (secrets, rc_account_get_key (account),
                              &(RcSecretBinding) { server, rc_account_get_client_id (account) },
                              tokens, NULL, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, NULL, TIMEOUT);
  g_assert_true (rc_secret_store_save_finish (secrets, result, &error));
  g_assert_no_error (error);
}

/* ----------------------------------------------------------- processes -- */

/* reconnect as an admin runs it over SSH: no display; with the session bus
 * (and so the keyring) or without any bus at all. */
static GSubprocess *
spawn (Fixture            *fixture,
       gboolean            bus,
       GSubprocessFlags    flags,
       const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RECONNECT_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (argv->pdata[0]);

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", fixture->state, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_DIRS", fixture->sysconfig, TRUE);
  if (!bus)
    {
      g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", fixture->runtime, TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
run_argv (Fixture            *fixture,
          gboolean            bus,
          guint               timeout,
          RcTestRun          *run,
          const char * const *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = g_strjoinv (" ", (char **) args);

  g_test_message ("reconnect %s", command);
  process = spawn (fixture, bus, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  g_subprocess_communicate_utf8_async (process, NULL, cancellable, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, cancellable, timeout);
  if (!g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error))
    {
      rc_test_reap (process);
      g_error ("reconnect %s did not finish within %u s: %s", command, timeout, error->message);
    }
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->finished = TRUE;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

#define RUN(fixture, run, ...) \
  run_argv ((fixture), TRUE, TIMEOUT, (run), (const char * const []) { __VA_ARGS__, NULL })
#define RUN_NO_BUS(fixture, run, ...) \
  run_argv ((fixture), FALSE, QUICK_TIMEOUT, (run), (const char * const []) { __VA_ARGS__, NULL })

static char *
read_line (GDataInputStream *stream,
           guint             timeout)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, cancellable, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, cancellable, timeout);
  line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("line: %s", line);
  return line;
}

static int
wait_exit (GSubprocess *process)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (process, cancellable, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, cancellable, TIMEOUT);
  g_assert_true (g_subprocess_wait_finish (process, result, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* -------------------------------------------------------------- JSON -- */

static JsonNode *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    g_error ("expected a JSON object, got: %s", text);
  return node;
}

static gboolean
is_null (JsonObject *object,
         const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  return JSON_NODE_HOLDS_NULL (json_object_get_member (object, member));
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("member “%s” is missing or not a string", member);
  return json_node_get_string (node);
}

static const char *
get_string_or_null (JsonObject *object,
                    const char *member)
{
  return is_null (object, member) ? NULL : get_string (object, member);
}

static gint64
get_int (JsonObject *object,
         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("member “%s” is missing or not an integer", member);
  return json_node_get_int (node);
}

static void
assert_time_or_null (JsonObject *object,
                     const char *member)
{
  const char *text = get_string_or_null (object, member);
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL || !g_str_has_suffix (text, "Z"))
    g_error ("“%s” is not an ISO-8601 time in UTC: %s", member, text);
}

/* One account as shared/DESIGN.md's contract has it. */
static void
assert_account_contract (JsonObject *account)
{
  static const char * const providers[] = { "salesforce", "entra", "oidc", NULL };
  static const char * const states[] = {
    "signed-out", "checking", "connected", "offline", "needs-sign-in", "needs-admin", NULL
  };
  const char *cause;

  g_assert_cmpstr (get_string (account, "id"), !=, "");
  g_assert_true (g_strv_contains (providers, get_string (account, "provider")));
  get_string (account, "name");
  get_string_or_null (account, "user");
  g_assert_true (g_strv_contains (states, get_string (account, "state")));
  cause = get_string_or_null (account, "cause");
  if (cause != NULL && !rc_cause_is_known (cause))
    g_error ("“%s” is not a cause id", cause);
  assert_time_or_null (account, "checked_at");

  if (!is_null (account, "session"))
    {
      JsonObject *session = json_object_get_object_member (account, "session");
      JsonArray *scopes;

      g_assert_nonnull (session);
      assert_time_or_null (session, "issued_at");
      assert_time_or_null (session, "expires_at");
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (session, "scopes")));
      scopes = json_object_get_array_member (session, "scopes");
      for (guint i = 0; i < json_array_get_length (scopes); i++)
        g_assert_cmpint (json_node_get_value_type (json_array_get_element (scopes, i)), ==, G_TYPE_STRING);
      get_string_or_null (session, "instance_url");
    }
}

static JsonArray *
assert_accounts_contract (JsonNode *root)
{
  JsonObject *object = json_node_get_object (root);
  JsonArray *accounts;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "accounts")));
  accounts = json_object_get_array_member (object, "accounts");
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (accounts, i)));
      assert_account_contract (json_array_get_object_element (accounts, i));
    }
  return accounts;
}

static JsonObject *
find_account (JsonArray  *accounts,
              const char *id)
{
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      if (g_str_equal (get_string (account, "id"), id))
        return account;
    }
  g_error ("no account “%s” in the output", id);
}

/* --------------------------------------------------------- simulator -- */

static void
sim_control (Fixture    *fixture,
             const char *what,
             const char *body)
{
  g_autofree char *url = g_strconcat (fixture->control, what, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* The simulator is another process: the blocking API cannot deadlock. */
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  reply = soup_session_send_and_read (fixture->http, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

static void
set_scenario (Fixture    *fixture,
              const char *scenario)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\"}", scenario);

  sim_control (fixture, "scenario", body);
}

/* The simulator at @control, as its control API describes itself. */
static JsonNode *
sim_state (Fixture    *fixture,
           const char *control)
{
  g_autofree char *url = g_strconcat (control, "state", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  reply = soup_session_send_and_read (fixture->http, msg, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return parse_object (text);
}

static gint64
sim_live_grants (Fixture *fixture)
{
  g_autoptr(JsonNode) state = sim_state (fixture, fixture->control);

  return get_int (json_node_get_object (state), "live_grants");
}

/* How many requests of any kind the simulator at @control has had. */
static gint64
sim_all_requests (Fixture    *fixture,
                  const char *control)
{
  g_autoptr(JsonNode) state = sim_state (fixture, control);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (state), "requests");
  g_autoptr(GList) members = json_object_get_members (requests);
  gint64 total = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      g_test_message ("%s: %" G_GINT64_FORMAT, (const char *) l->data, json_object_get_int_member (requests, l->data));
      total += json_object_get_int_member (requests, l->data);
    }
  return total;
}

static gint64
sim_requests (Fixture    *fixture,
              const char *control,
              const char *endpoint)
{
  g_autoptr(JsonNode) state = sim_state (fixture, control);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (state), "requests");

  return json_object_get_int_member_with_default (requests, endpoint, 0);
}

static void
sim_start (Fixture *fixture)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(JsonNode) ready = NULL;
  g_autofree char *line = NULL;
  JsonObject *object;
  const char *salesforce, *entra;

  fixture->sim = spawn (fixture, TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE, (const char * const []) { "simulate", NULL });
  fixture->sim_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sim));
  line = read_line (fixture->sim_out, QUICK_TIMEOUT);
  ready = parse_object (line);
  object = json_node_get_object (ready);

  salesforce = get_string (object, "salesforce");
  entra = get_string (object, "entra");
  fixture->root = g_strndup (salesforce, strlen (salesforce) - 1);
  fixture->tenant = g_strndup (entra + strlen (salesforce), strlen (entra) - strlen (salesforce) - 1);
  fixture->client_id = g_strdup (get_string (object, "client_id"));
  fixture->control = g_strdup (get_string (object, "control"));
  fixture->http = soup_session_new_with_options ("timeout", QUICK_TIMEOUT, "proxy-resolver", direct, NULL);
}

/* ----------------------------------------------------------- fixture -- */

static RcAccountStore *window_store_new (Fixture *fixture);

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!rc_test_session_require_keyring ())
    return;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  fixture->dir = g_build_filename (g_get_user_cache_dir (), "cli-admin-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (fixture->dir));
  fixture->config = g_build_filename (fixture->dir, "config", NULL);
  fixture->state = g_build_filename (fixture->dir, "state", NULL);
  fixture->sysconfig = g_build_filename (fixture->dir, "sysconfig", NULL);
  fixture->runtime = g_build_filename (fixture->dir, "runtime", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->runtime, 0700), ==, 0);

  forget_used_ids ();
  sim_start (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *rm = NULL;

  if (fixture->dir == NULL)
    return;
  if (fixture->sim != NULL)
    rc_test_reap (fixture->sim);
  g_clear_object (&fixture->sim_out);
  g_clear_object (&fixture->sim);
  g_clear_object (&fixture->http);
  forget_used_ids ();
  {
    /* Accounts have random keyring keys: leave none of their items behind. */
    g_autoptr(RcAccountStore) store = window_store_new (fixture);
    g_autoptr(RcSecretStore) secrets = secret_store_new ();

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
      {
        g_autoptr(RcAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
        g_autoptr(GAsyncResult) result = NULL;

        rc_secret_store_delete_async (secrets, rc_account_get_key (account), NULL, rc_test_on_async_done, &result);
        rc_test_wait_for_result (&result, NULL, TIMEOUT);
        rc_secret_store_delete_finish (secrets, result, NULL);
      }
  }

  rm = g_strdup_printf ("rm -rf '%s'", fixture->dir);
  g_assert_cmpint (system (rm), ==, 0);
  g_free (fixture->dir);
  g_free (fixture->config);
  g_free (fixture->state);
  g_free (fixture->sysconfig);
  g_free (fixture->runtime);
  g_free (fixture->root);
  g_free (fixture->tenant);
  g_free (fixture->client_id);
  g_free (fixture->control);
}

/* The window's own store: the same files the command line finds through
 * the XDG variables it is given. */
static RcAccountStore *
window_store_new (Fixture *fixture)
{
  g_autofree char *config = g_build_filename (fixture->config, "reconnect", NULL);
  g_autofree char *state = g_build_filename (fixture->state, "reconnect", NULL);
  RcAccountStore *store = rc_account_store_new (config, (const char * const []) { fixture->sysconfig, NULL }, state);

  rc_account_store_load (store);
  return store;
}

/* The account @id as the command line saved it (its keyring key included). */
static RcAccount *
account_of (Fixture    *fixture,
            const char *id)
{
  g_autoptr(RcAccountStore) store = window_store_new (fixture);
  RcAccount *account = rc_account_store_lookup (store, id);

  g_assert_nonnull (account);
  return g_object_ref (account);
}

/* ----------------------------------------------------------- helpers -- */

static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  /* The output ends with a newline: the last element is empty. */
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  return g_strdup (lines[n - 2]);
}

static char *
add_salesforce (Fixture *fixture)
{
  g_auto(RcTestRun) run = { 0 };

  RUN (fixture, &run, "add", "--provider", "salesforce", "--login-url", fixture->root,
       "--client-id", fixture->client_id, "--name", "Simulated Salesforce");
  g_assert_cmpint (run.status, ==, EXIT_OK);
  return last_line (run.out);
}

static char *
add_entra (Fixture *fixture)
{
  g_auto(RcTestRun) run = { 0 };

  RUN (fixture, &run, "add", "--provider", "entra", "--tenant", fixture->tenant, "--authority", fixture->root,
       "--environment-url", fixture->root, "--client-id", fixture->client_id);
  g_assert_cmpint (run.status, ==, EXIT_OK);
  return last_line (run.out);
}

/* Signs in with the device flow the way a script does: the first JSON line
 * gives the code, the simulator's control API approves it, the second line
 * gives the result. */
static void
device_sign_in (Fixture    *fixture,
                const char *id)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(JsonNode) code_node = NULL;
  g_autoptr(JsonNode) result_node = NULL;
  g_autofree char *code_line = NULL;
  g_autofree char *result_line = NULL;
  g_autofree char *approve = NULL;
  JsonObject *code, *result;

  process = spawn (fixture, TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                   (const char * const []) { "sign-in", "--device", "--json", id, NULL });
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  code_line = read_line (out, TIMEOUT);
  code_node = parse_object (code_line);
  code = json_node_get_object (code_node);
  g_assert_true (g_str_has_prefix (get_string (code, "verification_uri"), fixture->root));
  g_assert_cmpstr (get_string (code, "user_code"), !=, "");
  g_assert_cmpint (get_int (code, "expires_in"), >, 0);

  approve = g_strdup_printf ("{\"user_code\":\"%s\",\"user\":\"%s\"}", get_string (code, "user_code"), USER);
  sim_control (fixture, "approve", approve);

  result_line = read_line (out, SIGN_IN_TIMEOUT);
  result_node = parse_object (result_line);
  result = json_node_get_object (result_node);
  assert_account_contract (result);
  g_assert_cmpstr (get_string (result, "id"), ==, id);
  g_assert_true (json_object_get_boolean_member (result, "signed_in"));
  g_assert_true (is_null (result, "error"));
  g_assert_cmpstr (get_string (result, "state"), ==, "connected");
  g_assert_cmpstr (get_string (result, "user"), ==, USER);
  g_assert_false (is_null (result, "session"));

  g_assert_cmpint (wait_exit (process), ==, EXIT_OK);
}

/* Runs `check --json ID`, checks the contract and returns the account. */
static JsonNode *
check_json (Fixture    *fixture,
            const char *id,
            int         expected_status)
{
  g_auto(RcTestRun) run = { 0 };
  JsonNode *root;

  RUN (fixture, &run, "check", "--json", id);
  g_assert_cmpint (run.status, ==, expected_status);
  root = parse_object (run.out);
  g_assert_cmpuint (json_array_get_length (assert_accounts_contract (root)), ==, 1);
  return root;
}

static JsonObject *
first_account (JsonNode *root)
{
  return json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "accounts"), 0);
}

static void
write_accounts_ini (Fixture    *fixture,
                    const char *contents)
{
  g_autofree char *dir = g_build_filename (fixture->config, "reconnect", NULL);
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
}

static char *
read_accounts_ini (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->config, "reconnect", "accounts.ini", NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* ------------------------------------------------------------- cases -- */

static void
test_add_and_list (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(RcTestRun) list = { 0 };
  g_auto(RcTestRun) table = { 0 };
  g_auto(RcTestRun) oidc = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *salesforce = NULL;
  g_autofree char *entra = NULL;
  g_autofree char *oidc_id = NULL;
  JsonArray *accounts;
  JsonObject *account;

  if (fixture->dir == NULL)
    return;

  salesforce = add_salesforce (fixture);
  entra = add_entra (fixture);
  g_assert_cmpstr (salesforce, ==, "salesforce-1");
  g_assert_cmpstr (entra, ==, "entra-1");
  RUN (fixture, &oidc, "add", "--provider", "oidc", "--issuer", fixture->root, "--client-id", fixture->client_id);
  g_assert_cmpint (oidc.status, ==, EXIT_OK);
  oidc_id = last_line (oidc.out);
  g_assert_cmpstr (oidc_id, ==, "oidc-1");

  RUN (fixture, &list, "list", "--json");
  g_assert_cmpint (list.status, ==, EXIT_OK);
  root = parse_object (list.out);
  accounts = assert_accounts_contract (root);
  g_assert_cmpuint (json_array_get_length (accounts), ==, 3);
  account = find_account (accounts, "salesforce-1");
  g_assert_cmpstr (get_string (account, "provider"), ==, "salesforce");
  g_assert_cmpstr (get_string (account, "name"), ==, "Simulated Salesforce");
  g_assert_cmpstr (get_string (account, "state"), ==, "signed-out");
  g_assert_true (is_null (account, "cause"));
  g_assert_true (is_null (account, "session"));
  account = find_account (accounts, "entra-1");
  g_assert_cmpstr (get_string (account, "provider"), ==, "entra");
  g_assert_cmpstr (get_string (account, "endpoint"), ==, fixture->tenant);

  RUN (fixture, &table, "list");
  g_assert_cmpint (table.status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (table.out, "ACCOUNT "));
  g_assert_nonnull (strstr (table.out, "\nsalesforce-1 "));
  g_assert_nonnull (strstr (table.out, "\nentra-1 "));
  g_assert_nonnull (strstr (table.out, "\noidc-1 "));
  g_assert_cmpstr (table.err, ==, "");
}

/* A name or user from a server or someone's accounts file that holds
 * escape sequences (OSC 52 writes the terminal's clipboard) prints
 * defused, in the table and in JSON. */
static void
test_escapes (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(RcTestRun) table = { 0 };
  g_auto(RcTestRun) json = { 0 };
  g_autofree char *contents = NULL;

  if (fixture->dir == NULL)
    return;

  contents = g_strdup_printf ("[reconnect]\nformat=1\n"
                              "[account salesforce-1]\nprovider=salesforce\nendpoint=%s\nclient-id=%s\n"
                              "name=R&D \033]52;c;cm0gLXJmIH4=\007Sales\n"
                              "user=eve\033[2J\033[1;31m@example.com\xc2\x9b" "0m\n",
                              fixture->root, fixture->client_id);
  write_accounts_ini (fixture, contents);

  RUN (fixture, &table, "list");
  g_assert_cmpint (table.status, ==, EXIT_OK);
  g_assert_nonnull (strstr (table.out, "salesforce-1"));
  g_assert_nonnull (strstr (table.out, "@example.com"));
  RUN (fixture, &json, "list", "--json");
  g_assert_cmpint (json.status, ==, EXIT_OK);
  {
    g_autoptr(JsonNode) root = parse_object (json.out);
    JsonObject *account = find_account (assert_accounts_contract (root), "salesforce-1");

    g_assert_nonnull (strstr (get_string (account, "name"), "Sales"));
  }
  for (guint i = 0; i < 2; i++)
    {
      const char *out = i == 0 ? table.out : json.out;

      g_assert_null (strchr (out, '\033'));
      g_assert_null (strchr (out, '\007'));
      g_assert_null (strstr (out, "\xc2\x9b"));
    }
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *cases[][8] = {
    { "add", "--provider", "salesforce", NULL },                                /* no client id */
    { "add", "--provider", "nope", "--client-id", "x", NULL },
    { "add", "--provider", "entra", "--login-url", "https://x.example", "--client-id", "x", NULL },
    { "add", "--provider", "oidc", "--client-id", "x", NULL },                  /* no issuer */
    { "add", "--provider", "salesforce", "--login-url", "http://example.com", "--client-id", "x", NULL },
    { "add", "--provider", "salesforce", "--client-id", "x", "--authority", "https://x.example", NULL },
    { "check", "no-such-account", NULL },
    { "report", "no-such-account", NULL },
    { "sign-in", NULL },
    { "sign-in", "no-such-account", NULL },
    { "sign-out", "a", "b", NULL },
    { "list", "extra", NULL },
    { "list", "--bogus", NULL },
  };
  g_auto(RcTestRun) list = { 0 };

  if (fixture->dir == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RcTestRun) run = { 0 };

      run_argv (fixture, TRUE, QUICK_TIMEOUT, &run, cases[i]);
      g_assert_cmpint (run.status, ==, EXIT_USAGE);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, "--help"));
    }

  /* Nothing was added on the way. */
  RUN (fixture, &list, "list");
  g_assert_true (g_str_has_prefix (list.out, "No accounts."));
}

/* Every exit status of `check`, each from the simulator's matching
 * scenario; the keyring's (4) is test_no_bus's. */
static void
test_check_exit_codes (Fixture       *fixture,
                       gconstpointer  data)
{
  const struct {
    const char *scenario;
    int         status;
    const char *state;
    const char *cause;
  } steps[] = {
    { "healthy", EXIT_OK, "connected", NULL },
    { "service-unavailable", EXIT_UNREACHABLE, "offline", "service-unavailable" },
    { "healthy", EXIT_OK, "connected", NULL },
    { "conditional-access", EXIT_ADMIN, "needs-admin", "conditional-access" },
    { "healthy", EXIT_OK, "connected", NULL },
    { "mfa-required", EXIT_SIGN_IN, "needs-sign-in", "mfa-required" },
  };
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(RcTokenSet) stored = NULL;
  JsonObject *account;

  if (fixture->dir == NULL)
    return;

  id = add_entra (fixture);
  before = check_json (fixture, id, EXIT_SIGN_IN);
  account = first_account (before);
  g_assert_cmpstr (get_string (account, "state"), ==, "signed-out");
  g_assert_true (is_null (account, "session"));

  device_sign_in (fixture, id);
  {
    g_autoptr(RcAccount) added = account_of (fixture, id);

    stored = keyring_load (added);
  }
  g_assert_nonnull (stored);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(JsonNode) root = NULL;
      g_auto(RcTestRun) table = { 0 };

      g_test_message ("scenario %s", steps[i].scenario);
      set_scenario (fixture, steps[i].scenario);
      root = check_json (fixture, id, steps[i].status);
      account = first_account (root);
      g_assert_cmpstr (get_string (account, "state"), ==, steps[i].state);
      g_assert_cmpstr (get_string_or_null (account, "cause"), ==, steps[i].cause);
      g_assert_false (is_null (account, "checked_at"));

      if (steps[i].cause == NULL)
        {
          JsonObject *session = json_object_get_object_member (account, "session");

          g_assert_nonnull (session);
          g_assert_false (is_null (session, "issued_at"));
          g_assert_false (is_null (session, "expires_at"));   /* Entra says when */
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (session, "scopes")), >, 0);
          g_assert_true (is_null (account, "next_step"));
        }
      else
        g_assert_false (is_null (account, "next_step"));

      /* The table says the same, with the cause and what to do. */
      RUN (fixture, &table, "check", id);
      g_assert_cmpint (table.status, ==, steps[i].status);
      g_assert_true (g_str_has_prefix (table.out, "ACCOUNT "));
      g_assert_nonnull (strstr (table.out, steps[i].state));
      if (steps[i].cause != NULL)
        {
          g_autofree char *why = g_strdup_printf ("\n%s: %s\n", id, rc_cause_get_summary (steps[i].cause));

          g_assert_nonnull (strstr (table.out, steps[i].cause));
          g_assert_nonnull (strstr (table.out, why));
        }
    }

  /* The sign-in the user must redo is named by its command. */
  {
    g_auto(RcTestRun) table = { 0 };
    g_autofree char *command = g_strdup_printf ("reconnect sign-in %s", id);

    RUN (fixture, &table, "check", id);
    g_assert_nonnull (strstr (table.out, command));
  }
}

static void
test_browser_sign_in (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(RcTestBrowser) browser = NULL;
  g_autoptr(JsonNode) uri_node = NULL;
  g_autoptr(JsonNode) result_node = NULL;
  g_autoptr(JsonNode) checked = NULL;
  g_autofree char *uri_line = NULL;
  g_autofree char *result_line = NULL;
  g_autofree char *id = NULL;
  JsonObject *result;
  const char *uri;

  if (fixture->dir == NULL)
    return;

  id = add_salesforce (fixture);
  process = spawn (fixture, TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                   (const char * const []) { "sign-in", "--no-browser", "--json", id, NULL });
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  uri_line = read_line (out, TIMEOUT);
  uri_node = parse_object (uri_line);
  uri = get_string (json_node_get_object (uri_node), "authorization_uri");
  g_assert_true (g_str_has_prefix (uri, fixture->root));
  g_assert_nonnull (strstr (uri, "code_challenge_method=S256"));

  /* The user, in a browser on this computer. */
  browser = rc_test_browser_new (USER, "allow");
  rc_test_browser_launch (uri, browser);

  result_line = read_line (out, TIMEOUT);
  result_node = parse_object (result_line);
  result = json_node_get_object (result_node);
  assert_account_contract (result);
  g_assert_true (json_object_get_boolean_member (result, "signed_in"));
  g_assert_cmpstr (get_string (result, "state"), ==, "connected");
  g_assert_cmpstr (get_string (result, "user"), ==, USER);
  g_assert_cmpint (wait_exit (process), ==, EXIT_OK);
  g_assert_null (rc_test_browser_get_error (browser));

  checked = check_json (fixture, id, EXIT_OK);
  g_assert_cmpstr (get_string (first_account (checked), "state"), ==, "connected");
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(RcTestRun) run = { 0 };
  g_auto(RcTestRun) list = { 0 };
  g_autoptr(RcTokenSet) before = NULL;
  g_autoptr(RcTokenSet) after = NULL;
  g_autoptr(RcAccount) account = NULL;
  g_autofree char *id = NULL;

  if (fixture->dir == NULL)
    return;

  id = add_salesforce (fixture);
  device_sign_in (fixture, id);
  account = account_of (fixture, id);
  before = keyring_load (account);
  g_assert_nonnull (before);
  g_assert_cmpint (sim_live_grants (fixture), ==, 1);

  RUN (fixture, &run, "sign-out", id);
  g_assert_cmpint (run.status, ==, EXIT_OK);
  g_assert_nonnull (strstr (run.out, "Signed out"));
  g_assert_cmpstr (run.err, ==, "");

  /* Revoked at the provider, gone from the keyring and from the list. */
  g_assert_cmpint (sim_live_grants (fixture), ==, 0);
  after = keyring_load (account);
  g_assert_null (after);
  RUN (fixture, &list, "list");
  g_assert_true (g_str_has_prefix (list.out, "No accounts."));
}

/* A second simulator: another server, as a stranger's would be. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *root;
  char             *control;
} OtherSim;

static void
other_sim_start (Fixture  *fixture,
                 OtherSim *other)
{
  g_autoptr(JsonNode) ready = NULL;
  g_autofree char *line = NULL;
  const char *salesforce;

  other->process = spawn (fixture, TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE, (const char * const []) { "simulate", NULL });
  other->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (other->process));
  line = read_line (other->out, QUICK_TIMEOUT);
  ready = parse_object (line);
  salesforce = get_string (json_node_get_object (ready), "salesforce");
  other->root = g_strndup (salesforce, strlen (salesforce) - 1);
  other->control = g_strdup (get_string (json_node_get_object (ready), "control"));
}

static void
other_sim_stop (OtherSim *other)
{
  rc_test_reap (other->process);
  g_clear_object (&other->out);
  g_clear_object (&other->process);
  g_free (other->root);
  g_free (other->control);
}

/* The leak an audit found: sign out while the keyring cannot be reached,
 * then an account of another server under the same id (or the same key)
 * would have found the first one's secret and sent it there.  Now the
 * sign-out says what it did not do, the first account waits, listed, for
 * its item to go; no account of another server is ever handed it; and when
 * the keyring is back, the sign-out completes, revocation included. */
static void
test_secret_stays_home (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(RcTestRun) sign_out = { 0 };
  g_auto(RcTestRun) list = { 0 };
  g_auto(RcTestRun) added = { 0 };
  g_auto(RcTestRun) retry = { 0 };
  g_autoptr(RcAccount) account = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(RcTokenSet) kept = NULL;
  g_autoptr(RcTokenSet) gone = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) stranger = NULL;
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *reused = NULL;
  g_autofree char *group = NULL;
  OtherSim b = { 0 };

  if (fixture->dir == NULL)
    return;

  other_sim_start (fixture, &b);
  id = add_salesforce (fixture);
  device_sign_in (fixture, id);
  account = account_of (fixture, id);
  tokens = keyring_load (account);
  g_assert_nonnull (tokens);

  /* An account of server B that finds A's item by its key (an id handed
   * out twice by an older version, or a hand-edited file): not signed in,
   * and B hears nothing at all. */
  ini = read_accounts_ini (fixture);
  group = g_strdup_printf ("[account %s]", id);
  g_assert_nonnull (strstr (ini, group));
  {
    g_autofree char *copy = g_strdup (strstr (ini, group));
    g_autofree char *from = g_strdup_printf ("endpoint=%s\n", fixture->root);
    g_autofree char *to = g_strdup_printf ("endpoint=%s\n", b.root);
    g_auto(GStrv) halves = g_strsplit (copy + strlen (group), from, 2);

    g_assert_cmpuint (g_strv_length (halves), ==, 2);
    reused = g_strdup_printf ("%s\n[account salesforce-9]%s%s%s", ini, halves[0], to, halves[1]);
  }
  write_accounts_ini (fixture, reused);
  stranger = check_json (fixture, "salesforce-9", EXIT_SIGN_IN);
  g_assert_cmpstr (get_string (first_account (stranger), "state"), ==, "signed-out");
  g_assert_cmpint (sim_all_requests (fixture, b.control), ==, 0);
  write_accounts_ini (fixture, ini);
  kept = keyring_load (account);
  g_assert_nonnull (kept);
  g_assert_cmpstr (rc_token_set_get_refresh_token (kept), ==, rc_token_set_get_refresh_token (tokens));
  g_clear_pointer (&kept, rc_token_set_unref);

  /* The keyring cannot be reached: signed out here, and it says what it
   * could not do; nothing is lost. */
  run_argv (fixture, FALSE, QUICK_TIMEOUT, &sign_out, (const char * const []) { "sign-out", id, NULL });
  g_assert_cmpint (sign_out.status, ==, EXIT_LOCAL);
  g_assert_null (strstr (sign_out.out, "removed it"));
  g_assert_nonnull (strstr (sign_out.err, "could not remove the saved sign-in"));
  g_assert_nonnull (strstr (sign_out.err, "not told to end the sign-in"));
  g_assert_cmpint (sim_requests (fixture, fixture->control, "salesforce/services/oauth2/revoke"), ==, 0);
  g_assert_cmpint (sim_live_grants (fixture), ==, 1);
  kept = keyring_load (account);
  g_assert_nonnull (kept);

  RUN (fixture, &list, "list", "--json");
  listed = parse_object (list.out);
  {
    JsonObject *first = first_account (listed);

    g_assert_cmpstr (get_string (first, "id"), ==, id);
    g_assert_cmpstr (get_string (first, "state"), ==, "signed-out");
    g_assert_true (json_object_get_boolean_member (first, "forget_pending"));
  }

  /* A new account, of server B: a new id, not signed in, nothing sent. */
  RUN (fixture, &added, "add", "--provider", "salesforce", "--login-url", b.root, "--client-id", fixture->client_id);
  g_assert_cmpint (added.status, ==, EXIT_OK);
  other_id = last_line (added.out);
  g_assert_cmpstr (other_id, !=, id);
  {
    g_autoptr(JsonNode) root = check_json (fixture, other_id, EXIT_SIGN_IN);

    g_assert_cmpstr (get_string (first_account (root), "state"), ==, "signed-out");
  }
  g_assert_cmpint (sim_all_requests (fixture, b.control), ==, 0);

  /* The keyring is back: the next check finishes the sign-out. */
  RUN (fixture, &retry, "check", id);
  g_assert_cmpint (sim_requests (fixture, fixture->control, "salesforce/services/oauth2/revoke"), ==, 1);
  g_assert_cmpint (sim_live_grants (fixture), ==, 0);
  gone = keyring_load (account);
  g_assert_null (gone);
  {
    g_autoptr(RcAccountStore) store = window_store_new (fixture);

    g_assert_null (rc_account_store_lookup (store, id));
    g_assert_nonnull (rc_account_store_lookup (store, other_id));
  }
  g_assert_cmpint (sim_all_requests (fixture, b.control), ==, 0);

  other_sim_stop (&b);
}

/* Runs @count `reconnect` processes at once, each with @args, and waits
 * for all; returns their exit statuses. */
static GArray *
run_parallel (Fixture            *fixture,
              guint               count,
              const char * const *args,
              GPtrArray          *outputs)
{
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  GArray *statuses = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (processes, spawn (fixture, TRUE, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                       args));
  for (guint i = 0; i < count; i++)
    {
      GSubprocess *process = g_ptr_array_index (processes, i);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_subprocess_communicate_utf8_async (process, NULL, cancellable, rc_test_on_async_done, &result);
      rc_test_wait_for_result (&result, cancellable, 3 * TIMEOUT);
      g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error));
      g_assert_no_error (error);
      g_subprocess_wait (process, NULL, NULL);
      g_assert_true (g_subprocess_get_if_exited (process));
      status = g_subprocess_get_exit_status (process);
      if (status != 0)
        g_test_message ("process %u: exit %d\n%s\n%s", i, status, out, err);
      g_array_append_val (statuses, status);
      if (outputs != NULL)
        g_ptr_array_add (outputs, g_steal_pointer (&out));
    }
  return statuses;
}

/* Ten `add` at once: ten accounts, ten ids. */
static void
test_parallel_add (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) statuses = NULL;
  g_autoptr(RcAccountStore) store = NULL;

  if (fixture->dir == NULL)
    return;

  statuses = run_parallel (fixture, 10,
                           (const char * const []) { "add", "--provider", "salesforce", "--login-url", fixture->root,
                                                     "--client-id", fixture->client_id, NULL },
                           outputs);
  for (guint i = 0; i < statuses->len; i++)
    {
      g_assert_cmpint (g_array_index (statuses, int, i), ==, EXIT_OK);
      g_hash_table_add (ids, last_line (g_ptr_array_index (outputs, i)));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 10);

  store = window_store_new (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 10);
  for (guint i = 0; i < outputs->len; i++)
    {
      g_autofree char *id = last_line (g_ptr_array_index (outputs, i));

      g_assert_nonnull (rc_account_store_lookup (store, id));
    }
}

/* Twenty `check` at once, every access token expired, the refresh token
 * rotating and its reuse revoking the whole grant (Salesforce's rule):
 * one process renews, the others take what it wrote.  Round after round
 * the grant survives. */
static void
test_parallel_renewals (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *id = NULL;

  if (fixture->dir == NULL)
    return;

  id = add_salesforce (fixture);
  device_sign_in (fixture, id);
  sim_control (fixture, "rotation", "{\"enabled\":true}");

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GArray) statuses = NULL;
      g_autoptr(JsonNode) after = NULL;
      gint64 renewals = sim_requests (fixture, fixture->control, "salesforce/services/oauth2/token");

      set_scenario (fixture, "healthy");
      set_scenario (fixture, "session-expired");
      statuses = run_parallel (fixture, 20, (const char * const []) { "check", id, NULL }, NULL);
      for (guint i = 0; i < statuses->len; i++)
        g_assert_cmpint (g_array_index (statuses, int, i), ==, EXIT_OK);
      g_assert_cmpint (sim_live_grants (fixture), ==, 1);
      /* Renewed, and not twenty times: the others found the new token. */
      g_assert_cmpint (sim_requests (fixture, fixture->control, "salesforce/services/oauth2/token"), >, renewals);

      after = check_json (fixture, id, EXIT_OK);
      g_assert_cmpstr (get_string (first_account (after), "state"), ==, "connected");
    }
}

/* The window and the command line share one set of files: each sees what
 * the other did. */
static void
test_window_store (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RcAccountStore) window = window_store_new (fixture);
  g_autoptr(RcAccount) added = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) checked = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RcTestRun) list = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *expected_time = NULL;
  g_autoptr(GDateTime) checked_at = NULL;
  JsonObject *account;
  RcAccount *seen;

  if (fixture->dir == NULL)
    return;

  /* The window adds an account and records a check. */
  id = rc_account_store_new_id (window, "entra");
  added = rc_account_new (id, "entra", fixture->tenant, fixture->client_id);
  rc_account_set_authority (added, fixture->root);
  rc_account_set_environment_url (added, fixture->root);
  rc_account_set_display_name (added, "Dynamics");
  g_assert_true (rc_account_store_add (window, added, &error));
  g_assert_no_error (error);
  rc_account_set_state (added, RC_CONNECTION_NEEDS_ADMIN);
  rc_account_set_cause (added, "conditional-access");
  rc_account_set_checked_at (added, 1700000000);
  g_assert_true (rc_account_store_save_state (window, &error));

  RUN (fixture, &list, "list", "--json");
  listed = parse_object (list.out);
  account = find_account (assert_accounts_contract (listed), id);
  g_assert_cmpstr (get_string (account, "name"), ==, "Dynamics");
  g_assert_cmpstr (get_string (account, "state"), ==, "needs-admin");
  g_assert_cmpstr (get_string (account, "cause"), ==, "conditional-access");
  g_assert_cmpstr (get_string (account, "checked_at"), ==, "2023-11-14T22:13:20Z");

  /* The command line signs in and checks; the window reads the result. */
  device_sign_in (fixture, id);
  checked = check_json (fixture, id, EXIT_OK);
  account = first_account (checked);

  rc_account_store_load (window);
  seen = rc_account_store_lookup (window, id);
  g_assert_nonnull (seen);
  g_assert_cmpint (rc_account_get_state (seen), ==, RC_CONNECTION_CONNECTED);
  g_assert_null (rc_account_get_cause (seen));
  g_assert_cmpstr (rc_account_get_user (seen), ==, USER);
  g_assert_cmpint (rc_account_get_signed_in_at (seen), >, 0);
  checked_at = g_date_time_new_from_unix_utc (rc_account_get_checked_at (seen));
  expected_time = g_date_time_format (checked_at, "%Y-%m-%dT%H:%M:%SZ");
  g_assert_cmpstr (get_string (account, "checked_at"), ==, expected_time);

  /* A check that fails shows in the window as well. */
  set_scenario (fixture, "conditional-access");
  g_clear_pointer (&checked, json_node_unref);
  checked = check_json (fixture, id, EXIT_ADMIN);
  rc_account_store_load (window);
  seen = rc_account_store_lookup (window, id);
  g_assert_cmpint (rc_account_get_state (seen), ==, RC_CONNECTION_NEEDS_ADMIN);
  g_assert_cmpstr (rc_account_get_cause (seen), ==, "conditional-access");
  g_assert_cmpint (rc_account_get_first_failure (seen), >, 0);
}

/* ---------------------------------------------------------- redaction -- */

static char *
random_token (const char *prefix)
{
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();

  return g_strconcat (prefix, a, b, NULL);
}

/* No 9-character piece of @secret, at its start or anywhere else. */
static void
assert_no_piece_of (const char *text,
                    const char *secret)
{
  gsize length = strlen (secret);

  for (gsize i = 0; i + 9 <= length; i++)
    {
      g_autofree char *piece = g_strndup (secret + i, 9);

      if (strstr (text, piece) != NULL)
        g_error ("the report shows “%s”, a piece of a secret:\n%s", piece, text);
    }
}

static void
test_report_redaction (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RcAccountStore) window = window_store_new (fixture);
  g_autoptr(RcAccount) account = NULL;
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *access = random_token ("00DRC0000000001!AQ");
  g_autofree char *refresh = random_token ("5Aep861");
  g_autofree char *id_token = random_token ("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZGEifQ.");
  g_autofree char *instance = NULL;
  g_autofree char *identity = NULL;
  const char *secrets[] = { access, refresh, id_token };
  const char *scopes[] = { "api", "refresh_token", NULL };

  if (fixture->dir == NULL)
    return;

  account = rc_account_new ("salesforce-1", "salesforce", fixture->root, fixture->client_id);
  rc_account_set_user (account, USER);
  g_assert_true (rc_account_store_add (window, account, &error));
  g_assert_no_error (error);
  /* Two checks the window made: the report lists them, newest first. */
  rc_account_set_state (account, RC_CONNECTION_OFFLINE);
  rc_account_set_cause (account, "network-offline");
  rc_account_add_history (account, 1800000000);
  rc_account_set_state (account, RC_CONNECTION_CONNECTED);
  rc_account_set_cause (account, NULL);
  rc_account_add_history (account, 1800000900);
  g_assert_true (rc_account_store_save_state (window, &error));

  /* Tokens where no field should lead, and one where a careless one would:
   * the instance address, as some servers echo it. */
  instance = g_strdup_printf ("%s/?access_token=%s&code=%s", fixture->root, access, refresh);
  identity = g_strdup_printf ("%s/id/%s", fixture->root, refresh);
  tokens = rc_token_set_new (access, refresh, id_token, 1700000000, 0, scopes, instance, identity);
  keyring_save (account, tokens);

  for (guint format = 0; format < 2; format++)
    {
      g_auto(RcTestRun) run = { 0 };

      if (format == 0)
        RUN (fixture, &run, "report");
      else
        RUN (fixture, &run, "report", "--json", "salesforce-1");
      g_assert_cmpint (run.status, ==, EXIT_OK);

      for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
        {
          assert_no_piece_of (run.out, secrets[i]);
          assert_no_piece_of (run.err, secrets[i]);
        }
      /* What support needs is all there. */
      g_assert_nonnull (strstr (run.out, USER));
      g_assert_nonnull (strstr (run.out, "salesforce-1"));
      g_assert_nonnull (strstr (run.out, PACKAGE_VERSION));
      g_assert_nonnull (strstr (run.out, "[redacted]"));
      g_assert_nonnull (strstr (run.out, "2027-01-15T08:00:00Z offline network-offline"));
      g_assert_nonnull (strstr (run.out, "2027-01-15T08:15:00Z connected"));

      if (format == 1)
        {
          g_autoptr(JsonNode) root = parse_object (run.out);
          JsonObject *object = json_node_get_object (root);
          JsonObject *keyring = json_object_get_object_member (object, "keyring");
          JsonObject *proxy = json_object_get_object_member (object, "proxy");
          JsonObject *reported = json_array_get_object_element (json_object_get_array_member (object, "accounts"), 0);
          JsonObject *clock = json_object_get_object_member (reported, "clock");

          g_assert_true (json_object_get_boolean_member (keyring, "reachable"));
          json_object_get_boolean_member (proxy, "configured");
          get_string (json_object_get_object_member (object, "libraries"), "glib");
          get_string (object, "os");
          get_string (object, "sandbox");
          assert_account_contract (reported);
          g_assert_cmpstr (get_string (reported, "user"), ==, USER);
          g_assert_cmpstr (get_string (clock, "host"), ==, "127.0.0.1");
          g_assert_cmpint (ABS (get_int (clock, "offset_seconds")), <=, 2);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reported, "recent_checks")), ==, 2);
        }
    }
}

/* --------------------------------------------------------- no bus -- */

/* Over SSH with no session bus: what needs the keyring says what is
 * missing, at once; the rest works. */
static void
test_no_bus (Fixture       *fixture,
             gconstpointer  data)
{
  const char *needs_keyring[][5] = {
    { "check", NULL },
    { "check", "salesforce-1", NULL },
    { "sign-in", "salesforce-1", NULL },
    { "sign-in", "--device", "salesforce-1", NULL },
    { "sign-out", "salesforce-1", NULL },
  };
  g_auto(RcTestRun) add = { 0 };
  g_auto(RcTestRun) list = { 0 };
  g_auto(RcTestRun) list_json = { 0 };
  g_auto(RcTestRun) check_json_run = { 0 };
  g_auto(RcTestRun) sign_in_json = { 0 };
  g_auto(RcTestRun) report = { 0 };
  g_auto(RcTestRun) report_json = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) line = NULL;
  g_autoptr(JsonNode) report_root = NULL;
  JsonObject *account;

  if (fixture->dir == NULL)
    return;

  RUN_NO_BUS (fixture, &add, "add", "--provider", "salesforce", "--login-url", fixture->root,
              "--client-id", fixture->client_id);
  g_assert_cmpint (add.status, ==, EXIT_OK);

  for (guint i = 0; i < G_N_ELEMENTS (needs_keyring); i++)
    {
      g_auto(RcTestRun) run = { 0 };
      gint64 started = g_get_monotonic_time ();

      run_argv (fixture, FALSE, QUICK_TIMEOUT, &run, needs_keyring[i]);
      g_assert_cmpint (run.status, ==, EXIT_LOCAL);
      g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
      g_assert_nonnull (strstr (run.err, "No keyring is available"));
      g_assert_nonnull (strstr (run.err, "D-Bus session bus"));
    }

  RUN_NO_BUS (fixture, &check_json_run, "check", "--json");
  g_assert_cmpint (check_json_run.status, ==, EXIT_LOCAL);
  root = parse_object (check_json_run.out);
  account = find_account (assert_accounts_contract (root), "salesforce-1");
  g_assert_cmpstr (get_string (account, "cause"), ==, "keyring-unavailable");
  g_assert_nonnull (strstr (get_string (json_node_get_object (root), "error"), "D-Bus session bus"));

  RUN_NO_BUS (fixture, &sign_in_json, "sign-in", "--json", "--device", "salesforce-1");
  g_assert_cmpint (sign_in_json.status, ==, EXIT_LOCAL);
  line = parse_object (sign_in_json.out);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (line), "signed_in"));

  /* The rest works, and the keyring's trouble was not saved as the
   * account's: the window's keyring may be fine. */
  RUN_NO_BUS (fixture, &list, "list");
  g_assert_cmpint (list.status, ==, EXIT_OK);
  g_assert_nonnull (strstr (list.out, "salesforce-1"));
  g_assert_null (strstr (list.out, "keyring-unavailable"));
  RUN_NO_BUS (fixture, &list_json, "list", "--json");
  g_assert_cmpint (list_json.status, ==, EXIT_OK);
  g_clear_pointer (&root, json_node_unref);
  root = parse_object (list_json.out);
  account = find_account (assert_accounts_contract (root), "salesforce-1");
  g_assert_true (is_null (account, "session"));

  RUN_NO_BUS (fixture, &report, "report");
  g_assert_cmpint (report.status, ==, EXIT_OK);
  g_assert_nonnull (strstr (report.out, "not reachable"));
  RUN_NO_BUS (fixture, &report_json, "report", "--json");
  g_assert_cmpint (report_json.status, ==, EXIT_OK);
  report_root = parse_object (report_json.out);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (json_node_get_object (report_root),
                                                                                  "keyring"), "reachable"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reconnect/cli-admin/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add-and-list", test_add_and_list);
  ADD ("escapes", test_escapes);
  ADD ("usage-errors", test_usage_errors);
  ADD ("check-exit-codes", test_check_exit_codes);
  ADD ("browser-sign-in", test_browser_sign_in);
  ADD ("sign-out", test_sign_out);
  ADD ("secret-stays-home", test_secret_stays_home);
  ADD ("parallel-add", test_parallel_add);
  ADD ("parallel-renewals", test_parallel_renewals);
  ADD ("window-store", test_window_store);
  ADD ("report-redaction", test_report_redaction);
  ADD ("no-bus", test_no_bus);
#undef ADD

  return g_test_run ();
}
