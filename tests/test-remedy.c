/* test-remedy.c: every cause has a remedy, links and a message for the admin
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rc-remedy.h"

/* The strings xgettext finds in a source file, one msgid per entry. */
static GHashTable *
extract_msgids (const char *source)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "src", "core", source, NULL);
  g_autofree char *pot = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *out_option = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *msgids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *current = NULL;
  int fd = g_file_open_tmp ("test-remedy-XXXXXX.pot", &pot, &error);
  int status = 0;

  g_assert_no_error (error);
  close (fd);
  out_option = g_strdup_printf ("--output=%s", pot);
  {
    const char *argv[] = { "xgettext", "--from-code=UTF-8", "--keyword=_", "--keyword=N_",
                           "--language=C", "--force-po", out_option, path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (pot, &contents, NULL, &error));
  g_unlink (pot);

  /* msgid "…" followed by continuation lines "…" */
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "msgid \""))
        {
          current = g_string_new (NULL);
          g_string_append_len (current, lines[i] + 7, strlen (lines[i]) - 8);
        }
      else if (current != NULL && lines[i][0] == '"')
        g_string_append_len (current, lines[i] + 1, strlen (lines[i]) - 2);
      else if (current != NULL)
        {
          g_autofree char *compressed = g_strcompress (current->str);

          g_hash_table_add (msgids, g_steal_pointer (&compressed));
          g_string_free (current, TRUE);
          current = NULL;
        }
    }
  if (current != NULL)
    g_string_free (current, TRUE);
  return msgids;
}

static void
assert_marked (GHashTable *msgids,
               const char *text)
{
  if (!g_hash_table_contains (msgids, text))
    g_error ("not marked for translation: %s", text);
}

/* Table-driven: every cause id has a title, what happened, at least one
 * step, and every string of it is marked for translation. */
static void
test_every_cause (void)
{
  const char * const *causes = rc_cause_list ();
  g_autoptr(GHashTable) msgids = extract_msgids ("rc-remedy.c");

  for (guint i = 0; causes[i] != NULL; i++)
    {
      const RcRemedy *remedy = rc_remedy_lookup (causes[i]);
      g_auto(GStrv) user = rc_remedy_dup_user_steps (remedy, NULL);
      g_auto(GStrv) admin = rc_remedy_dup_admin_steps (remedy, NULL);
      g_autoptr(GPtrArray) links = rc_remedy_dup_links (remedy, NULL);

      g_test_message ("%s", causes[i]);
      g_assert_cmpstr (rc_remedy_get_cause (remedy), ==, causes[i]);
      g_assert_cmpuint (strlen (rc_remedy_get_title (remedy)), >, 3);
      g_assert_cmpuint (strlen (rc_remedy_get_what_happened (remedy)), >, 20);
      g_assert_cmpuint (g_strv_length (user) + g_strv_length (admin), >=, 1);
      assert_marked (msgids, rc_remedy_get_title (remedy));
      assert_marked (msgids, rc_remedy_get_what_happened (remedy));
      for (guint j = 0; user[j] != NULL; j++)
        assert_marked (msgids, user[j]);
      for (guint j = 0; admin[j] != NULL; j++)
        assert_marked (msgids, admin[j]);
      for (guint j = 0; j < links->len; j++)
        {
          RcRemedyLink *link = g_ptr_array_index (links, j);

          assert_marked (msgids, link->label);
          g_assert_true (g_str_has_prefix (link->uri, "https://"));
          g_assert_true (g_uri_is_valid (link->uri, G_URI_FLAGS_NONE, NULL));
        }

      /* the admin causes tell the user to ask the admin, and the admin what to do */
      if (rc_cause_get_audience (causes[i]) == RC_AUDIENCE_ADMIN)
        g_assert_cmpuint (g_strv_length (admin), >=, 1);
      else
        g_assert_cmpuint (g_strv_length (user), >=, 1);
    }

  g_assert_cmpstr (rc_remedy_get_cause (rc_remedy_lookup ("no-such-cause")), ==, "unknown");
}

/* The source scenarios' remedies name the exact Setup labels. */
static void
test_exact_labels (void)
{
  g_auto(GStrv) policy = rc_remedy_dup_admin_steps (rc_remedy_lookup ("refresh-token-policy-immediate"), "salesforce");
  g_auto(GStrv) ip = rc_remedy_dup_admin_steps (rc_remedy_lookup ("ip-restricted"), "salesforce");
  g_auto(GStrv) entra = rc_remedy_dup_admin_steps (rc_remedy_lookup ("conditional-access"), "entra");
  g_autofree char *policy_text = g_strjoinv ("\n", policy);
  g_autofree char *ip_text = g_strjoinv ("\n", ip);
  g_autofree char *entra_text = g_strjoinv ("\n", entra);

  g_assert_nonnull (strstr (policy_text, "Immediately expire refresh token"));
  g_assert_nonnull (strstr (policy_text, "Refresh token is valid until revoked"));
  g_assert_nonnull (strstr (policy_text, "Expire refresh token if not used for"));
  g_assert_nonnull (strstr (policy_text, "Manage Connected Apps"));
  g_assert_nonnull (strstr (ip_text, "Relax IP restrictions"));
  g_assert_nonnull (strstr (ip_text, "Login History"));
  g_assert_nonnull (strstr (entra_text, "correlation ID"));
  g_assert_nonnull (strstr (entra_text, "Sign-in Diagnostic"));
  /* an Entra account is not told about Salesforce Setup */
  g_assert_null (strstr (entra_text, "Salesforce"));
}

static void
test_links (void)
{
  g_autoptr(RcAccount) salesforce = rc_account_new ("sf-1", "salesforce", "https://acme.my.salesforce.com",
                                                   "3MVG9client");
  g_autoptr(RcAccount) entra = rc_account_new ("entra-1", "entra", "contoso.onmicrosoft.com", "11111111-2222");
  g_autoptr(RcAccount) common = rc_account_new ("entra-2", "entra", "organizations", "11111111-2222");
  g_autoptr(GPtrArray) sf_links = rc_remedy_dup_links (rc_remedy_lookup ("ip-restricted"), salesforce);
  g_autoptr(GPtrArray) entra_links = rc_remedy_dup_links (rc_remedy_lookup ("conditional-access"), entra);
  g_autoptr(GPtrArray) common_links = rc_remedy_dup_links (rc_remedy_lookup ("conditional-access"), common);
  g_autoptr(GPtrArray) none = rc_remedy_dup_links (rc_remedy_lookup ("conditional-access"), salesforce);
  RcRemedyLink *link;

  g_assert_cmpuint (sf_links->len, >=, 2);
  for (guint i = 0; i < sf_links->len; i++)
    {
      link = g_ptr_array_index (sf_links, i);
      g_assert_true (g_str_has_prefix (link->uri, "https://acme.my.salesforce.com/lightning/"));
    }
  link = g_ptr_array_index (entra_links, 0);
  g_assert_cmpstr (link->label, ==, "Sign-in logs");
  g_assert_cmpstr (link->uri, ==,
                   "https://portal.azure.com/#@contoso.onmicrosoft.com/view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/SignIns");
  link = g_ptr_array_index (common_links, 0);
  g_assert_true (g_str_has_prefix (link->uri, "https://portal.azure.com/#view/"));
  g_assert_cmpuint (none->len, ==, 0);
}

static GError *
entra_error (void)
{
  const char *body =
    "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS53003: Access has been blocked by Conditional Access policies.\","
    "\"error_codes\":[53003],\"suberror\":\"message_only\",\"trace_id\":\"0000aaaa-11bb-cccc-dd33-eeeeee333333\","
    "\"correlation_id\":\"aaaa0000-bb11-2222-33cc-444444dddddd\",\"refresh_token\":\"0.ARoAsecretsecretsecret\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(RcProtocolError) problem = rc_protocol_error_new_from_response ("token", 400, "application/json", bytes, 0);

  return rc_protocol_error_to_gerror (problem, RC_OAUTH_ERROR_REJECTED, "rejected");
}

/* Copy Message for Your Admin: the ids, codes and times, never a token. */
static void
test_admin_message (void)
{
  g_autoptr(RcAccount) account = rc_account_new ("entra-1", "entra", "contoso.onmicrosoft.com", "11111111-2222");
  g_autoptr(GError) error = entra_error ();
  RcClassifierContext context = { .provider = "entra", .now = 1767225600, .signed_in_at = 1767225600 - 3600 };
  g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_error (error, &context);
  g_autofree char *message = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *from_text = NULL;
  g_autoptr(RcDiagnosis) pasted = NULL;

  rc_account_set_user (account, "ada@contoso.example");
  rc_account_set_first_failure (account, 1767225600);
  message = rc_remedy_dup_admin_message (rc_diagnosis_get_cause (diagnosis), account, diagnosis);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "ada@contoso.example"));
  g_assert_nonnull (strstr (message, "contoso.onmicrosoft.com"));
  g_assert_nonnull (strstr (message, "11111111-2222"));
  g_assert_nonnull (strstr (message, "Cause: conditional-access (confidence: high)"));
  g_assert_nonnull (strstr (message, "AADSTS: 53003"));
  g_assert_nonnull (strstr (message, "Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd"));
  g_assert_nonnull (strstr (message, "First failure: 2026-01-01T00:00:00Z"));
  g_assert_nonnull (strstr (message, "Conditional Access › Policies"));
  g_assert_null (strstr (message, "secretsecret"));
  g_assert_null (strstr (message, "Salesforce Setup"));

  /* no account, no diagnosis: still a useful message */
  bare = rc_remedy_dup_admin_message ("refresh-token-policy-immediate", NULL, NULL);
  g_assert_nonnull (strstr (bare, "Immediately expire refresh token"));

  /* evidence pasted with a token in it reaches the message redacted */
  pasted = rc_diagnosis_new_from_text ("LogOn failed with exception - token validity expired "
                                       "access_token=00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog", -1);
  from_text = rc_remedy_dup_admin_message (rc_diagnosis_get_cause (pasted), NULL, pasted);
  g_assert_nonnull (strstr (from_text, "token validity expired"));
  g_assert_null (strstr (from_text, "AR8AQJXg5oj8"));
  g_assert_nonnull (strstr (from_text, "Also possible: refresh-token-expired"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/remedy/every-cause", test_every_cause);
  g_test_add_func ("/reconnect/remedy/exact-labels", test_exact_labels);
  g_test_add_func ("/reconnect/remedy/links", test_links);
  g_test_add_func ("/reconnect/remedy/admin-message", test_admin_message);

  return g_test_run ();
}
