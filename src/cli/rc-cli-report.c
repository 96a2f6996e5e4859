/* rc-cli-report.c: `reconnect report`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A support report to attach to a ticket: the versions, the system, the
 * keyring and the proxy, the clock against each provider, and each
 * account's settings, session and last check.  It is built from fields
 * that hold no secret; then, in case a message or an address carries one
 * after all, every token the keyring holds and everything shaped like a
 * token, code, secret, cookie or password is redacted from the finished
 * text.  User names stay: the administrator needs them.
 */

#include "config.h"

#include <sys/utsname.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "rc-cause.h"
#include "rc-cli-common.h"
#include "rc-cli-report.h"
#include "rc-http.h"

#define REDACTED "[redacted]"
/* A secret is redacted wherever more than this much of its start shows. */
#define SECRET_PREFIX 9
#define ENTRA_AUTHORITY "https://login.microsoftonline.com"

typedef struct
{
  RcAccount  *account;
  RcTokenSet *tokens;         /* nullable */
  gboolean    clock_known;
  gint64      clock_offset;   /* the provider's clock minus ours, seconds */
  char       *clock_host;
} Entry;

typedef struct
{
  gboolean   keyring_ok;
  char      *keyring_problem;
  char      *proxy_host;      /* NULL: none configured */
  GPtrArray *entries;
  GPtrArray *secrets;         /* every token string seen, for the last pass */
} Report;

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->account);
  g_clear_pointer (&entry->tokens, rc_token_set_unref);
  g_free (entry->clock_host);
  g_free (entry);
}

static void
report_clear (Report *report)
{
  g_free (report->keyring_problem);
  g_free (report->proxy_host);
  g_clear_pointer (&report->entries, g_ptr_array_unref);
  g_clear_pointer (&report->secrets, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Report, report_clear)

/* --------------------------------------------------------- redaction -- */

static void
redact_known (GString    *text,
              const char *secret)
{
  gsize length = strlen (secret);
  gsize prefix = MIN (length, SECRET_PREFIX);
  gsize from = 0;
  char *found;

  /* Shorter than this, a "secret" is no secret and would match words. */
  if (length < 4)
    return;

  while (from < text->len)
    {
      gsize at, span = prefix;

      found = NULL;
      for (gsize i = from; i + prefix <= text->len && found == NULL; i++)
        if (memcmp (text->str + i, secret, prefix) == 0)
          found = text->str + i;
      if (found == NULL)
        return;

      at = found - text->str;
      while (span < length && at + span < text->len && text->str[at + span] == secret[span])
        span++;
      /* Whole characters only: a secret's bytes may end (or, for a secret
       * that is not text, start) inside one. */
      while (at > 0 && ((guchar) text->str[at] & 0xC0) == 0x80)
        {
          at--;
          span++;
        }
      while (at + span < text->len && ((guchar) text->str[at + span] & 0xC0) == 0x80)
        span++;
      g_string_erase (text, at, span);
      g_string_insert (text, at, REDACTED);
      from = at + strlen (REDACTED);
    }
}

/**
 * rc_cli_redact:
 * @text: a report, or any text meant for another person
 * @secrets: (nullable) (element-type utf8): strings known to be secret
 *
 * Returns: (transfer full): @text without @secrets (nor any start of one
 *   longer than 8 characters), and without anything shaped like a token,
 *   an authorization code, a client secret, a cookie or a password
 */
char *
rc_cli_redact (const char *text,
               GPtrArray  *secrets)
{
  static const struct {
    const char *pattern;
    const char *replacement;
  } shapes[] = {
    /* key=value in a query, a form or a log line */
    { "(?i)\\b(access_token|refresh_token|id_token|token|code|device_code|user_code|client_secret|secret|"
      "password|passwd|pwd|assertion|session_?id|sid|code_verifier)(\\s*[=:]\\s*)[^&\\s\"',;\\\\]+",
      "\\1\\2" REDACTED },
    /* "member": "value" in JSON */
    { "(?i)(\"(?:access_token|refresh_token|id_token|token|code|device_code|client_secret|secret|password|"
      "assertion|cookie)\"\\s*:\\s*\")[^\"]*\"", "\\1" REDACTED "\"" },
    { "(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}", "\\1 " REDACTED },
    { "(?i)\\b((?:set-)?cookie)(\\s*:\\s*)[^\\n\"\\\\]+", "\\1\\2" REDACTED },
    /* JSON Web Tokens */
    { "eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*", REDACTED },
    /* Salesforce session ids: the org id, "!", the session */
    { "\\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{8,}", REDACTED },
    /* a user and password inside an address */
    { "(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s\"]+@", "\\1" REDACTED "@" },
  };
  g_autoptr(GString) result = g_string_new (text);

  for (guint i = 0; secrets != NULL && i < secrets->len; i++)
    redact_known (result, g_ptr_array_index (secrets, i));

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (shapes[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
      g_autofree char *replaced = NULL;

      g_assert (regex != NULL);
      replaced = g_regex_replace (regex, result->str, -1, 0, shapes[i].replacement, 0, NULL);
      if (replaced != NULL)
        g_string_assign (result, replaced);
    }
  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* ---------------------------------------------------------- gathering -- */

static void
remember_secrets (Report     *report,
                  RcTokenSet *tokens)
{
  const char *values[] = {
    rc_token_set_get_access_token (tokens),
    rc_token_set_get_refresh_token (tokens),
    rc_token_set_get_id_token (tokens),
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (values[i] != NULL)
      g_ptr_array_add (report->secrets, g_strdup (values[i]));
}

/* Where the provider's clock can be read: the host it signs in at. */
static const char *
clock_url (RcAccount *account)
{
  if (g_str_equal (rc_account_get_provider (account), "entra"))
    return rc_account_get_authority (account) ? rc_account_get_authority (account) : ENTRA_AUTHORITY;
  return rc_account_get_endpoint (account);
}

static void
measure_clock (SoupSession *session,
               Entry       *entry)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_HEAD, clock_url (entry->account));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RcHttpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before, after;

  if (msg == NULL)
    return;
  entry->clock_host = g_strdup (g_uri_get_host (soup_message_get_uri (msg)));

  before = g_get_real_time ();
  rc_http_send_async (session, msg, "report", NULL, rc_cli_on_done, &result);
  rc_cli_wait (&result);
  after = g_get_real_time ();
  reply = rc_http_send_finish (result, &error);
  if (reply == NULL || reply->server_date <= 0)
    {
      g_debug ("No clock from %s: %s", entry->clock_host, error ? error->message : "no Date header");
      return;
    }
  /* The server stamped its answer somewhere in between. */
  entry->clock_known = TRUE;
  entry->clock_offset = reply->server_date - (before + after) / 2 / G_USEC_PER_SEC;
}

static char *
dup_proxy_host (GPtrArray *accounts)
{
  const char *probe = accounts->len > 0 ? clock_url (g_ptr_array_index (accounts, 0)) : "https://login.salesforce.com";
  g_auto(GStrv) proxies = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), probe, NULL, NULL);
  const char *variables[] = { "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY" };
  const char *proxy = NULL;
  g_autoptr(GUri) uri = NULL;

  if (proxies != NULL && proxies[0] != NULL && !g_str_equal (proxies[0], "direct://"))
    proxy = proxies[0];
  for (guint i = 0; proxy == NULL && i < G_N_ELEMENTS (variables); i++)
    if (g_getenv (variables[i]) != NULL && *g_getenv (variables[i]) != '\0')
      proxy = g_getenv (variables[i]);
  if (proxy == NULL)
    return NULL;

  /* Only the host: a proxy address may carry a user and a password. */
  uri = g_uri_parse (proxy, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL && !strstr (proxy, "://"))
    {
      g_autofree char *with_scheme = g_strconcat ("http://", proxy, NULL);

      uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
    }
  return g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "?");
}

static void
gather (Report    *report,
        GPtrArray *accounts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcSecretStore) secrets = NULL;
  g_autoptr(SoupSession) session = rc_http_session_new ();

  report->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  report->secrets = g_ptr_array_new_with_free_func (g_free);

  report->keyring_ok = rc_cli_keyring_check (&error);
  if (!report->keyring_ok)
    report->keyring_problem = g_strdup (error->message);
  else
    secrets = rc_cli_secret_store_new ();

  report->proxy_host = dup_proxy_host (accounts);

  g_object_set (session, "timeout", RC_CLI_KEYRING_TIMEOUT, NULL);
  for (guint i = 0; i < accounts->len; i++)
    {
      Entry *entry = g_new0 (Entry, 1);

      entry->account = g_object_ref (g_ptr_array_index (accounts, i));
      entry->tokens = rc_cli_keyring_load (&secrets, entry->account, &error);
      if (secrets == NULL && report->keyring_ok)
        {
          /* It answered the bus, but not for the sign-ins. */
          report->keyring_ok = FALSE;
          report->keyring_problem = g_strdup (error->message);
        }
      g_clear_error (&error);
      if (entry->tokens != NULL)
        remember_secrets (report, entry->tokens);
      measure_clock (session, entry);
      g_ptr_array_add (report->entries, entry);
    }
}

/* ------------------------------------------------------------ system -- */

static char *
dup_libraries (void)
{
  return g_strdup_printf ("GLib %u.%u.%u, libsoup %u.%u.%u, json-glib %s, libsecret %d.%d.%d",
                          glib_major_version, glib_minor_version, glib_micro_version,
                          soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version (),
                          JSON_VERSION_S, SECRET_MAJOR_VERSION, SECRET_MINOR_VERSION, SECRET_MICRO_VERSION);
}

static char *
dup_os (void)
{
  g_autofree char *name = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);
  struct utsname system;

  if (uname (&system) != 0)
    return g_strdup (name ? name : "?");
  return g_strdup_printf ("%s (%s %s %s)", name ? name : "?", system.sysname, system.release, system.machine);
}

static const char *
sandbox (void)
{
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return "flatpak";
  if (g_getenv ("SNAP") != NULL)
    return "snap";
  return "none";
}

static const char *
getenv_or_null (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* -------------------------------------------------------------- text -- */

static void
append_field (GString    *out,
              const char *label,
              const char *value)
{
  g_string_append_printf (out, "  %-18s %s\n", label, value != NULL && *value != '\0' ? value : "-");
}

static void
append_time (GString    *out,
             const char *label,
             gint64      when)
{
  g_autofree char *text = rc_cli_format_iso8601 (when);

  append_field (out, label, text);
}

static void
append_entry_text (GString *out,
                   Entry   *entry)
{
  RcAccount *account = entry->account;
  const char *cause = rc_account_get_cause (account);
  g_autofree char *clock = NULL;

  g_string_append_printf (out, "\n%s %s\n", _("Account"), rc_account_get_id (account));
  append_field (out, _("Provider:"), rc_account_get_provider (account));
  append_field (out, _("Name:"), rc_account_get_display_name (account));
  append_field (out, _("User:"), rc_account_get_user (account));
  append_field (out, _("Endpoint:"), rc_account_get_endpoint (account));
  append_field (out, _("Authority:"), rc_account_get_authority (account));
  append_field (out, _("Environment:"), rc_account_get_environment_url (account));
  append_field (out, _("Client id:"), rc_account_get_client_id (account));
  append_field (out, _("Redirect URI:"), rc_account_get_redirect_uri (account));
  append_field (out, _("Set up by:"), rc_account_get_provisioned (account) ? _("administrator") : _("user"));

  append_field (out, _("State:"), rc_connection_state_to_string (rc_account_get_state (account)));
  if (cause != NULL)
    {
      g_autofree char *diagnosis = g_strdup_printf ("%s (%s): %s", cause,
                                                    rc_audience_to_string (rc_cause_get_audience (cause)),
                                                    rc_cause_get_summary (cause));

      append_field (out, _("Diagnosis:"), diagnosis);
    }
  append_time (out, _("Last check:"), rc_account_get_checked_at (account));
  append_time (out, _("Last success:"), rc_account_get_last_ok (account));
  append_time (out, _("First failure:"), rc_account_get_first_failure (account));
  append_time (out, _("Signed in:"), rc_account_get_signed_in_at (account));
  append_time (out, _("Last refresh:"), rc_account_get_last_refresh (account));
  {
    const char * const *history = rc_account_get_history (account);

    append_field (out, _("Recent checks:"), history ? history[g_strv_length ((char **) history) - 1] : NULL);
    for (gint i = history ? (gint) g_strv_length ((char **) history) - 2 : -1; i >= 0; i--)
      append_field (out, "", history[i]);
  }

  if (entry->tokens != NULL)
    {
      const char * const *scopes = rc_token_set_get_scopes (entry->tokens);
      g_autofree char *scope_text = scopes ? g_strjoinv (" ", (char **) scopes) : NULL;
      g_autofree char *fingerprint = rc_token_set_dup_fingerprint (entry->tokens);

      append_time (out, _("Session issued:"), rc_token_set_get_issued_at (entry->tokens));
      append_time (out, _("Session expires:"), rc_token_set_get_expires_at (entry->tokens));
      append_field (out, _("Scopes:"), scope_text);
      append_field (out, _("Instance:"), rc_token_set_get_instance_url (entry->tokens));
      append_field (out, _("Renewable:"), rc_token_set_get_refresh_token (entry->tokens) ? _("yes") : _("no"));
      append_field (out, _("Fingerprint:"), fingerprint);
    }
  else
    append_field (out, _("Session:"), _("none in the keyring, or the keyring cannot be read"));

  if (entry->clock_known)
    clock = g_strdup_printf ("%+d s (%s)", (int) CLAMP (entry->clock_offset, G_MININT, G_MAXINT), entry->clock_host);
  else
    clock = g_strdup_printf (_("unknown (%s did not answer)"), entry->clock_host ? entry->clock_host : "?");
  append_field (out, _("Clock offset:"), clock);
}

static char *
dup_text (Report *report)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *generated = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *libraries = dup_libraries ();
  g_autofree char *os = dup_os ();
  g_autofree char *desktop = g_strdup_printf ("%s (%s)", getenv_or_null ("XDG_CURRENT_DESKTOP") ?: "-",
                                              getenv_or_null ("XDG_SESSION_TYPE") ?: "-");
  g_autofree char *keyring = NULL;
  g_autofree char *proxy = NULL;

  keyring = report->keyring_ok ? g_strdup (_("reachable"))
                               : g_strdup_printf (_("not reachable: %s"), report->keyring_problem);
  proxy = report->proxy_host ? g_strdup_printf (_("yes (%s)"), report->proxy_host) : g_strdup (_("no"));

  g_string_append_printf (out, "%s\n", _("Reconnect support report"));
  g_string_append_printf (out, "%s\n\n", _("Tokens, codes, secrets, cookies and passwords are redacted."));
  append_field (out, _("Generated:"), generated);
#if DEVELOPMENT_BUILD
  append_field (out, _("Reconnect:"), PACKAGE_VERSION " (development build)");
#else
  append_field (out, _("Reconnect:"), PACKAGE_VERSION);
#endif
  append_field (out, _("Libraries:"), libraries);
  append_field (out, _("System:"), os);
  append_field (out, _("Desktop:"), desktop);
  append_field (out, _("Sandbox:"), sandbox ());
  append_field (out, _("Keyring:"), keyring);
  append_field (out, _("Proxy:"), proxy);

  if (report->entries->len == 0)
    g_string_append_printf (out, "\n%s\n", _("No accounts."));
  for (guint i = 0; i < report->entries->len; i++)
    append_entry_text (out, g_ptr_array_index (report->entries, i));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* -------------------------------------------------------------- JSON -- */

static void
add_entry_json (JsonBuilder *builder,
                Entry       *entry)
{
  RcAccount *account = entry->account;

  json_builder_begin_object (builder);
  rc_cli_json_add_account_members (builder, account, entry->tokens);
  rc_cli_json_add_string (builder, "authority", rc_account_get_authority (account));
  rc_cli_json_add_string (builder, "environment_url", rc_account_get_environment_url (account));
  rc_cli_json_add_string (builder, "client_id", rc_account_get_client_id (account));
  rc_cli_json_add_string (builder, "redirect_uri", rc_account_get_redirect_uri (account));
  if (entry->tokens != NULL)
    {
      g_autofree char *fingerprint = rc_token_set_dup_fingerprint (entry->tokens);

      rc_cli_json_add_string (builder, "fingerprint", fingerprint);
    }
  json_builder_set_member_name (builder, "recent_checks");
  json_builder_begin_array (builder);
  for (const char * const *line = rc_account_get_history (account); line != NULL && *line != NULL; line++)
    json_builder_add_string_value (builder, *line);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "clock");
  json_builder_begin_object (builder);
  rc_cli_json_add_string (builder, "host", entry->clock_host);
  json_builder_set_member_name (builder, "offset_seconds");
  if (entry->clock_known)
    json_builder_add_int_value (builder, entry->clock_offset);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static char *
dup_json (Report *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *os = dup_os ();
  g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version, glib_minor_version, glib_micro_version);
  g_autofree char *soup = g_strdup_printf ("%u.%u.%u", soup_get_major_version (), soup_get_minor_version (),
                                           soup_get_micro_version ());
  g_autofree char *secret = g_strdup_printf ("%d.%d.%d", SECRET_MAJOR_VERSION, SECRET_MINOR_VERSION,
                                             SECRET_MICRO_VERSION);

  json_builder_begin_object (builder);
  rc_cli_json_add_time (builder, "generated_at", g_get_real_time () / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "reconnect");
  json_builder_begin_object (builder);
  rc_cli_json_add_string (builder, "version", PACKAGE_VERSION);
  json_builder_set_member_name (builder, "development_build");
  json_builder_add_boolean_value (builder, DEVELOPMENT_BUILD);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "libraries");
  json_builder_begin_object (builder);
  rc_cli_json_add_string (builder, "glib", glib);
  rc_cli_json_add_string (builder, "libsoup", soup);
  rc_cli_json_add_string (builder, "json-glib", JSON_VERSION_S);
  rc_cli_json_add_string (builder, "libsecret", secret);
  json_builder_end_object (builder);

  rc_cli_json_add_string (builder, "os", os);
  rc_cli_json_add_string (builder, "desktop", getenv_or_null ("XDG_CURRENT_DESKTOP"));
  rc_cli_json_add_string (builder, "session_type", getenv_or_null ("XDG_SESSION_TYPE"));
  rc_cli_json_add_string (builder, "sandbox", sandbox ());

  json_builder_set_member_name (builder, "keyring");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reachable");
  json_builder_add_boolean_value (builder, report->keyring_ok);
  rc_cli_json_add_string (builder, "problem", report->keyring_problem);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "proxy");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "configured");
  json_builder_add_boolean_value (builder, report->proxy_host != NULL);
  rc_cli_json_add_string (builder, "host", report->proxy_host);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->entries->len; i++)
    add_entry_json (builder, g_ptr_array_index (report->entries, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

/**
 * rc_cli_report:
 * @argc: the arguments, "report" first
 * @argv: the arguments
 *
 * Prints a support report with every secret redacted.
 *
 * Returns: the exit status
 */
int
rc_cli_report (int    argc,
               char **argv)
{
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Report) report = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *redacted = NULL;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, as described in reconnect(1)"), NULL },
    { NULL }
  };

  status = rc_cli_parse_options ("report", _("[ACCOUNT]"),
                                 _("Print a support report to attach to a ticket: versions, system, keyring, "
                                   "proxy, the clock against each provider, and each account’s settings, "
                                   "session and last check. Every token, code, secret, cookie and password "
                                   "is redacted; user names are kept."),
                                 entries, &argc, &argv, 0, 1);
  if (status != RC_CLI_EXIT_OK)
    return status;

  store = rc_cli_load_accounts ();
  accounts = rc_cli_select_accounts (store, argv + 1, &error);
  if (accounts == NULL)
    return rc_cli_usage_error ("report", error->message);

  gather (&report, accounts);
  text = json ? dup_json (&report) : dup_text (&report);
  redacted = rc_cli_redact (text, report.secrets);
  g_print ("%s\n", redacted);
  return RC_CLI_EXIT_OK;
}
