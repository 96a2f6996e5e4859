/* test-keyring.c: the app's keyring schema against the real gnome-keyring of
 * the test session.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

#include "rc-credentials-schema.h"
#include "rc-test-session.h"

#define TIMEOUT_SECONDS 20

static gboolean
store (const char  *account_id,
       int          generation,
       const char  *secret,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  secret_password_store (rc_credentials_schema_get (), SECRET_COLLECTION_DEFAULT,
                         "Reconnect test item", secret, NULL, rc_test_on_async_done, &result,
                         "account-id", account_id, "generation", generation, NULL);
  rc_test_wait_for_result (&result, NULL, TIMEOUT_SECONDS);
  return secret_password_store_finish (result, error);
}

/* Reads through search + retrieve rather than secret_password_lookup(): in
 * libsecret 0.20.5 the latter leaks about 1 KB of D-Bus reply for every item
 * it finds (measured with LeakSanitizer), and a monitor that reads every few
 * minutes must not grow.  Both calls work with the Secret Service and with
 * the file backend behind the Flatpak Secret portal. */
static char *
lookup (const char *account_id,
        int         generation)
{
  g_autoptr(GAsyncResult) searched = NULL;
  g_autoptr(GAsyncResult) retrieved = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(SecretRetrievable) items = NULL;
  g_autoptr(SecretValue) value = NULL;

  secret_password_search (rc_credentials_schema_get (), SECRET_SEARCH_UNLOCK, NULL,
                          rc_test_on_async_done, &searched,
                          "account-id", account_id, "generation", generation, NULL);
  rc_test_wait_for_result (&searched, NULL, TIMEOUT_SECONDS);
  items = secret_password_search_finish (searched, &error);
  g_assert_no_error (error);
  if (items == NULL)
    return NULL;
  g_assert_cmpuint (g_list_length (items), ==, 1);

  secret_retrievable_retrieve_secret (items->data, NULL, rc_test_on_async_done, &retrieved);
  rc_test_wait_for_result (&retrieved, NULL, TIMEOUT_SECONDS);
  value = secret_retrievable_retrieve_secret_finish (items->data, retrieved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (value);
  return g_strdup (secret_value_get_text (value));
}

static gboolean
clear (const char *account_id,
       int         generation)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean removed;

  secret_password_clear (rc_credentials_schema_get (), NULL, rc_test_on_async_done, &result,
                         "account-id", account_id, "generation", generation, NULL);
  rc_test_wait_for_result (&result, NULL, TIMEOUT_SECONDS);
  removed = secret_password_clear_finish (result, &error);
  g_assert_no_error (error);
  return removed;
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *other_account = NULL;
  g_autofree char *other_generation = NULL;
  g_autofree char *after_clear = NULL;

  if (!rc_test_session_require_keyring ())
    return;

  store ("test-account-1", 1, "{\"refresh_token\":\"not-a-real-token\"}", &error);
  g_assert_no_error (error);

  found = lookup ("test-account-1", 1);
  g_assert_cmpstr (found, ==, "{\"refresh_token\":\"not-a-real-token\"}");

  /* Lookups key on both attributes: nothing leaks to another account or to
   * another format generation. */
  other_account = lookup ("test-account-2", 1);
  g_assert_null (other_account);
  other_generation = lookup ("test-account-1", 2);
  g_assert_null (other_generation);

  g_assert_true (clear ("test-account-1", 1));
  after_clear = lookup ("test-account-1", 1);
  g_assert_null (after_clear);
  g_assert_false (clear ("test-account-1", 1));
}

static void
test_keyring_schema_name (void)
{
  const SecretSchema *schema = rc_credentials_schema_get ();

  g_assert_cmpstr (schema->name, ==, "io.github.reconnect.Reconnect.Credentials");
  g_assert_cmpstr (schema->attributes[0].name, ==, "account-id");
  g_assert_cmpint (schema->attributes[0].type, ==, SECRET_SCHEMA_ATTRIBUTE_STRING);
  g_assert_cmpstr (schema->attributes[1].name, ==, "generation");
  g_assert_cmpint (schema->attributes[1].type, ==, SECRET_SCHEMA_ATTRIBUTE_INTEGER);
  g_assert_null (schema->attributes[2].name);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconnect/keyring/schema-name", test_keyring_schema_name);
  g_test_add_func ("/reconnect/keyring/round-trip", test_keyring_round_trip);

  status = g_test_run ();

  /* Drop libsecret's cached connection to the Secret Service, so the leak
   * checker sees only what the test itself left behind. */
  secret_service_disconnect ();
  return status;
}
