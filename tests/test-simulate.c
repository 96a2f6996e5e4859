/* test-simulate.c: `reconnect simulate` as a process, over real loopback HTTP.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rc-test-session.h"

#define READY_TIMEOUT_SECONDS 10
#define EXIT_TIMEOUT_SECONDS  5
#define HTTP_TIMEOUT_SECONDS  10

#define EXIT_LOCAL 4
#define EXIT_USAGE 64

/* ---------------------------------------------------------------- HTTP -- */

static SoupSession *
session_new (void)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);

  /* A proxy from the environment must not stand between the test and a
   * server on 127.0.0.1. */
  return soup_session_new_with_options ("timeout", HTTP_TIMEOUT_SECONDS,
                                        "proxy-resolver", direct,
                                        NULL);
}

/* The server is another process, so the blocking API cannot deadlock here. */
static SoupMessage *
http_send (SoupSession  *session,
           const char   *method,
           const char   *url,
           const char   *content_type,
           const char   *body,
           GBytes      **reply)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  *reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*reply);
  return g_steal_pointer (&msg);
}

static JsonNode *
parse_object (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    g_error ("expected a JSON object, got: %s", text);
  return node;
}

/* Sends a request and parses its JSON answer, which must come with @status. */
static JsonNode *
http_json (SoupSession *session,
           const char  *method,
           const char  *url,
           const char  *json_body,
           guint        status)
{
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(SoupMessage) msg = http_send (session, method, url, "application/json", json_body, &reply);

  g_assert_cmpuint (soup_message_get_status (msg), ==, status);
  return parse_object (reply);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("member '%s' is missing or not a string", member);
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("member '%s' is missing or not an object", member);
  return json_node_get_object (node);
}

static gint64
get_int (JsonObject *object,
         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("member '%s' is missing or not an integer", member);
  return json_node_get_int (node);
}

/* --------------------------------------------------------- simulator -- */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  SoupSession      *session;
  JsonNode         *ready;
  gboolean          exited;
} Sim;

static void
sim_clear (Sim *sim)
{
  if (sim->process != NULL && !sim->exited)
    rc_test_reap (sim->process);
  g_clear_object (&sim->out);
  g_clear_object (&sim->session);
  g_clear_pointer (&sim->ready, json_node_unref);
  g_clear_object (&sim->process);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sim, sim_clear)

static const char *
sim_url (Sim        *sim,
         const char *member)
{
  return get_string (json_node_get_object (sim->ready), member);
}

static char *
sim_control_url (Sim        *sim,
                 const char *what)
{
  return g_strconcat (sim_url (sim, "control"), what, NULL);
}

/* Starts `reconnect simulate ARGS…` and reads its ready line.  Returns
 * FALSE, with the test failed, when no line came in time. */
static gboolean
sim_start (Sim        *sim,
           const char *first_arg,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  va_list ap;

  g_ptr_array_add (args, (gpointer) "simulate");
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  sim->process = rc_test_spawn_reconnect (G_SUBPROCESS_FLAGS_STDOUT_PIPE, (const char * const *) args->pdata);
  sim->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  sim->session = session_new ();

  g_data_input_stream_read_line_async (sim->out, G_PRIORITY_DEFAULT, cancellable, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, cancellable, READY_TIMEOUT_SECONDS);
  line = g_data_input_stream_read_line_finish_utf8 (sim->out, result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_test_fail_printf ("reconnect simulate printed no line within %d s", READY_TIMEOUT_SECONDS);
      return FALSE;
    }
  g_assert_no_error (error);
  if (line == NULL)
    {
      g_test_fail_printf ("reconnect simulate closed its output without a ready line");
      return FALSE;
    }

  g_test_message ("ready line: %s", line);
  sim->ready = json_from_string (line, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim->ready);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (sim->ready));
  return TRUE;
}

/* Sends @signum and checks the simulator ends cleanly, having printed
 * nothing after its ready line.  Returns FALSE, with the test failed, when
 * it is still running after a while. */
static gboolean
sim_stop (Sim *sim,
          int  signum)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;

  g_subprocess_send_signal (sim->process, signum);
  g_subprocess_wait_async (sim->process, cancellable, rc_test_on_async_done, &result);
  rc_test_wait_for_result (&result, cancellable, EXIT_TIMEOUT_SECONDS);
  if (!g_subprocess_wait_finish (sim->process, result, &error))
    {
      g_test_fail_printf ("reconnect simulate still runs %d s after signal %d: %s",
                          EXIT_TIMEOUT_SECONDS, signum, error->message);
      return FALSE;
    }
  sim->exited = TRUE;

  if (g_subprocess_get_if_signaled (sim->process))
    g_error ("reconnect simulate died of signal %d instead of exiting",
             g_subprocess_get_term_sig (sim->process));
  g_assert_true (g_subprocess_get_if_exited (sim->process));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->process), ==, 0);

  /* The process is gone, so this read meets the end of the pipe at once;
   * even a partial line would come back as a string. */
  rest = g_data_input_stream_read_line_utf8 (sim->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rest, ==, NULL);
  return TRUE;
}

static JsonNode *
sim_get_state (Sim *sim)
{
  g_autofree char *url = sim_control_url (sim, "state");

  return http_json (sim->session, SOUP_METHOD_GET, url, NULL, SOUP_STATUS_OK);
}

static void
sim_control_ok (Sim        *sim,
                const char *what,
                const char *json_body)
{
  g_autofree char *url = sim_control_url (sim, what);
  g_autoptr(JsonNode) reply = http_json (sim->session, SOUP_METHOD_POST, url, json_body, SOUP_STATUS_OK);
  JsonObject *object = json_node_get_object (reply);

  g_assert_true (json_object_has_member (object, "ok"));
  g_assert_true (json_object_get_boolean_member (object, "ok"));
}

/* -------------------------------------------------------------- cases -- */

static guint
check_loopback_url (const char *url,
                    const char *path_prefix)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/"));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "http");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  g_assert_cmpint (g_uri_get_port (uri), <=, 65535);
  g_assert_true (g_str_has_prefix (g_uri_get_path (uri), path_prefix));
  g_assert_null (g_uri_get_query (uri));
  return g_uri_get_port (uri);
}

static void
test_simulate_ready_line (void)
{
  g_auto(Sim) sim = { 0 };
  g_autoptr(JsonNode) discovery = NULL;
  g_autoptr(JsonNode) entra_discovery = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *url = NULL;
  g_autofree char *issuer = NULL;
  JsonObject *ready, *object, *requests;
  JsonArray *users;
  const char *salesforce, *entra, *control, *tenant_path;
  guint port;

  if (!sim_start (&sim, "--port", "0", NULL))
    return;

  ready = json_node_get_object (sim.ready);
  salesforce = get_string (ready, "salesforce");
  entra = get_string (ready, "entra");
  control = get_string (ready, "control");

  port = check_loopback_url (salesforce, "/");
  g_assert_cmpuint (check_loopback_url (entra, "/"), ==, port);
  g_assert_cmpuint (check_loopback_url (control, "/control/"), ==, port);
  g_assert_cmpstr (strchr (salesforce + strlen ("http://"), '/'), ==, "/");
  g_assert_cmpstr (strchr (control + strlen ("http://"), '/'), ==, "/control/");

  /* The Entra tenant is one path segment, under the same server. */
  g_assert_true (g_str_has_prefix (entra, salesforce));
  tenant_path = entra + strlen (salesforce);
  g_assert_cmpuint (strlen (tenant_path), >, 1);
  g_assert_true (strchr (tenant_path, '/') == tenant_path + strlen (tenant_path) - 1);

  g_assert_cmpstr (get_string (ready, "client_id"), !=, "");

  g_assert_true (json_object_has_member (ready, "users"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (ready, "users")));
  users = json_object_get_array_member (ready, "users");
  g_assert_cmpuint (json_array_get_length (users), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (users, 0), ==, "ada@reconnect.example");
  g_assert_cmpstr (json_array_get_string_element (users, 1), ==, "grace@reconnect.example");

  /* Salesforce discovery, as a client finds it from the instance URL. */
  url = g_strconcat (salesforce, ".well-known/openid-configuration", NULL);
  discovery = http_json (sim.session, SOUP_METHOD_GET, url, NULL, SOUP_STATUS_OK);
  object = json_node_get_object (discovery);
  issuer = g_strndup (salesforce, strlen (salesforce) - 1);
  g_assert_cmpstr (get_string (object, "issuer"), ==, issuer);
  g_assert_true (g_str_has_prefix (get_string (object, "token_endpoint"), issuer));
  g_assert_true (g_str_has_suffix (get_string (object, "token_endpoint"), "/services/oauth2/token"));

  g_clear_pointer (&url, g_free);
  url = g_strconcat (entra, "v2.0/.well-known/openid-configuration", NULL);
  entra_discovery = http_json (sim.session, SOUP_METHOD_GET, url, NULL, SOUP_STATUS_OK);
  object = json_node_get_object (entra_discovery);
  g_assert_true (g_str_has_prefix (get_string (object, "device_authorization_endpoint"), entra));
  g_assert_true (g_str_has_suffix (get_string (object, "device_authorization_endpoint"),
                                   "/oauth2/v2.0/devicecode"));

  /* Each request was seen, once, under its provider's name. */
  state = sim_get_state (&sim);
  requests = get_object (json_node_get_object (state), "requests");
  g_assert_cmpint (get_int (requests, "salesforce/.well-known/openid-configuration"), ==, 1);
  g_assert_cmpint (get_int (requests, "entra/v2.0/.well-known/openid-configuration"), ==, 1);

  sim_stop (&sim, SIGTERM);
}

static void
test_simulate_control (void)
{
  g_auto(Sim) sim = { 0 };
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *form = NULL;
  JsonObject *object;
  const char *retry_after;
  gint64 now;

  if (!sim_start (&sim, "--port", "0", NULL))
    return;

  state = sim_get_state (&sim);
  object = json_node_get_object (state);
  g_assert_cmpstr (get_string (object, "scenario"), ==, "healthy");
  g_assert_cmpint (get_int (object, "live_grants"), ==, 0);
  get_object (object, "requests");
  now = get_int (object, "now");
  g_assert_cmpint (now, >, 0);

  sim_control_ok (&sim, "scenario", "{\"name\":\"service-unavailable\"}");
  g_clear_pointer (&state, json_node_unref);
  state = sim_get_state (&sim);
  g_assert_cmpstr (get_string (json_node_get_object (state), "scenario"), ==, "service-unavailable");

  /* The outage reaches both providers' token endpoints, each in its own
   * words. */
  form = g_strdup_printf ("grant_type=refresh_token&client_id=%s&refresh_token=not-a-token",
                          sim_url (&sim, "client_id"));
  url = g_strconcat (sim_url (&sim, "salesforce"), "services/oauth2/token", NULL);
  msg = http_send (sim.session, SOUP_METHOD_POST, url, "application/x-www-form-urlencoded", form, &body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_cmpstr (retry_after, !=, "");

  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&url, g_free);
  url = g_strconcat (sim_url (&sim, "entra"), "oauth2/v2.0/token", NULL);
  msg = http_send (sim.session, SOUP_METHOD_POST, url, "application/x-www-form-urlencoded", form, &body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  reply = parse_object (body);
  g_assert_cmpstr (get_string (json_node_get_object (reply), "error"), ==, "temporarily_unavailable");

  /* A day passes in an instant. */
  sim_control_ok (&sim, "clock", "{\"advance_seconds\":86400}");
  g_clear_pointer (&state, json_node_unref);
  state = sim_get_state (&sim);
  g_assert_cmpint (get_int (json_node_get_object (state), "now"), >=, now + 86400);

  /* A scenario that does not exist is refused and changes nothing. */
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&reply, json_node_unref);
  url = sim_control_url (&sim, "scenario");
  reply = http_json (sim.session, SOUP_METHOD_POST, url, "{\"name\":\"no-such-scenario\"}",
                     SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (get_string (json_node_get_object (reply), "error"), !=, "");
  g_clear_pointer (&state, json_node_unref);
  state = sim_get_state (&sim);
  g_assert_cmpstr (get_string (json_node_get_object (state), "scenario"), ==, "service-unavailable");

  sim_stop (&sim, SIGINT);
}

static void
test_simulate_start_scenario (void)
{
  g_auto(Sim) sim = { 0 };
  g_autoptr(JsonNode) state = NULL;

  if (!sim_start (&sim, "--scenario", "service-unavailable", NULL))
    return;

  state = sim_get_state (&sim);
  g_assert_cmpstr (get_string (json_node_get_object (state), "scenario"), ==, "service-unavailable");

  sim_stop (&sim, SIGTERM);
}

static void
test_simulate_usage_errors (void)
{
  struct {
    const char *args[4];
    const char *mentions;
  } cases[] = {
    { { "simulate", "--scenario", "no-such-thing", NULL }, "no-such-thing" },
    { { "simulate", "--port", "99999", NULL }, "99999" },
    { { "simulate", "--port", "-1", NULL }, "-1" },
    { { "simulate", "extra", NULL }, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RcTestRun) run = { 0 };
      g_autofree char *command = g_strjoinv (" ", (char **) cases[i].args);

      g_test_message ("reconnect %s", command);
      rc_test_run_reconnect (&run, READY_TIMEOUT_SECONDS, cases[i].args[0], cases[i].args[1], cases[i].args[2], cases[i].args[3], NULL);
      if (!run.finished)
        {
          g_test_fail_printf ("reconnect %s did not exit within %d s", command, READY_TIMEOUT_SECONDS);
          continue;
        }
      g_assert_cmpint (run.status, ==, EXIT_USAGE);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, !=, "");
      if (cases[i].mentions != NULL)
        g_assert_nonnull (strstr (run.err, cases[i].mentions));
    }
}

static void
test_simulate_busy_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) loopback = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_auto(RcTestRun) run = { 0 };

  g_socket_listener_add_address (listener, loopback, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  rc_test_run_reconnect (&run, READY_TIMEOUT_SECONDS, "simulate", "--port", port, NULL);
  g_socket_listener_close (listener);
  if (!run.finished)
    {
      g_test_fail_printf ("reconnect simulate --port %s did not exit within %d s", port, READY_TIMEOUT_SECONDS);
      return;
    }
  g_assert_cmpint (run.status, ==, EXIT_LOCAL);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, port));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/simulate/ready-line", test_simulate_ready_line);
  g_test_add_func ("/reconnect/simulate/control", test_simulate_control);
  g_test_add_func ("/reconnect/simulate/start-scenario", test_simulate_start_scenario);
  g_test_add_func ("/reconnect/simulate/usage-errors", test_simulate_usage_errors);
  g_test_add_func ("/reconnect/simulate/busy-port", test_simulate_busy_port);

  return g_test_run ();
}
