/* test-accounts.c: accounts on disk, the administrator's and the user's.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "rc-account-store.h"
#include "rc-protocol-error.h"

typedef struct
{
  char *root;
  char *config;
  char *system;
  char *state;
} Dirs;

static void
dirs_set_up (Dirs          *dirs,
             gconstpointer  data)
{
  dirs->root = g_dir_make_tmp ("reconnect-accounts-XXXXXX", NULL);
  dirs->config = g_build_filename (dirs->root, "config", "reconnect", NULL);
  dirs->system = g_build_filename (dirs->root, "etc-xdg", NULL);
  dirs->state = g_build_filename (dirs->root, "state", "reconnect", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_remove (path);
}

static void
dirs_tear_down (Dirs          *dirs,
                gconstpointer  data)
{
  remove_tree (dirs->root);
  g_free (dirs->root);
  g_free (dirs->config);
  g_free (dirs->system);
  g_free (dirs->state);
}

static RcAccountStore *
open_store (Dirs *dirs)
{
  const char *system[] = { dirs->system, NULL };
  RcAccountStore *store = rc_account_store_new (dirs->config, system, dirs->state);

  rc_account_store_load (store);
  return store;
}

static void
test_round_trip (Dirs          *dirs,
                 gconstpointer  data)
{
  g_autoptr(RcAccountStore) store = open_store (dirs);
  g_autoptr(RcAccountStore) again = NULL;
  g_autoptr(RcAccount) sf = rc_account_new ("salesforce-1", "salesforce", "https://login.salesforce.com", "3MVG9key");
  g_autoptr(RcAccount) ms = rc_account_new ("entra-1", "entra", "contoso.onmicrosoft.com", "c0ffee00-5eed-4a11-8d0c-5e55101a7e57");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dirs->config, "accounts.ini", NULL);
  g_autofree char *contents = NULL;
  GStatBuf st;
  RcAccount *back;

  rc_account_set_display_name (sf, "Work");
  rc_account_set_environment_url (ms, "https://contoso.crm.dynamics.com");
  g_assert_true (rc_account_store_add (store, sf, &error));
  g_assert_no_error (error);
  g_assert_true (rc_account_store_add (store, ms, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  /* Only the user can read it, and it says which format it is. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "format=1"));

  again = open_store (dirs);
  g_assert_null (rc_account_store_get_problem (again));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  back = rc_account_store_lookup (again, "salesforce-1");
  g_assert_cmpstr (rc_account_get_display_name (back), ==, "Work");
  g_assert_cmpstr (rc_account_get_endpoint (back), ==, "https://login.salesforce.com");
  back = rc_account_store_lookup (again, "entra-1");
  g_assert_cmpstr (rc_account_get_environment_url (back), ==, "https://contoso.crm.dynamics.com");
  g_assert_false (rc_account_get_provisioned (back));

  g_assert_true (rc_account_store_remove (again, "entra-1", &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  store = open_store (dirs);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
}

static void
test_state (Dirs          *dirs,
            gconstpointer  data)
{
  g_autoptr(RcAccountStore) store = open_store (dirs);
  g_autoptr(RcAccountStore) again = NULL;
  g_autoptr(RcAccount) account = rc_account_new ("salesforce-1", "salesforce", "https://login.salesforce.com", "key");
  g_autoptr(GError) error = NULL;
  RcAccount *back;

  g_assert_true (rc_account_store_add (store, account, &error));
  rc_account_set_state (account, RC_CONNECTION_NEEDS_SIGN_IN);
  rc_account_set_cause (account, "refresh-token-expired");
  rc_account_set_checked_at (account, 1800000000);
  rc_account_set_first_failure (account, 1799990000);
  g_assert_true (rc_account_store_save_state (store, &error));

  again = open_store (dirs);
  back = rc_account_store_lookup (again, "salesforce-1");
  g_assert_cmpint (rc_account_get_state (back), ==, RC_CONNECTION_NEEDS_SIGN_IN);
  g_assert_cmpstr (rc_account_get_cause (back), ==, "refresh-token-expired");
  g_assert_cmpint (rc_account_get_checked_at (back), ==, 1800000000);
  g_assert_cmpint (rc_account_get_first_failure (back), ==, 1799990000);
}

static void
test_provisioned (Dirs          *dirs,
                  gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (dirs->system, "reconnect", "accounts.d", NULL);
  g_autofree char *file = g_build_filename (dir, "contoso.ini", NULL);
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RcAccount *account;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file,
                                      "[account contoso-sales]\n"
                                      "provider=salesforce\n"
                                      "endpoint=https://contoso.my.salesforce.com\n"
                                      "client-id=3MVG9contoso\n"
                                      "name=Contoso Sales\n"
                                      "[account broken]\n"
                                      "provider=salesforce\n"
                                      "endpoint=http://insecure.example\n"
                                      "client-id=x\n", -1, NULL));

  store = open_store (dirs);
  account = rc_account_store_lookup (store, "contoso-sales");
  g_assert_nonnull (account);
  g_assert_true (rc_account_get_provisioned (account));
  g_assert_cmpstr (rc_account_get_display_name (account), ==, "Contoso Sales");
  /* An incomplete one is left out, and said so. */
  g_assert_null (rc_account_store_lookup (store, "broken"));
  g_assert_nonnull (strstr (rc_account_store_get_problem (store), "broken"));

  /* The user cannot remove it, and saving never copies it into their file. */
  g_assert_false (rc_account_store_remove (store, "contoso-sales", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_true (rc_account_store_save (store, NULL));
  {
    g_autofree char *path = g_build_filename (dirs->config, "accounts.ini", NULL);
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_null (strstr (contents, "contoso"));
  }
}

static void
test_corrupt (Dirs          *dirs,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (dirs->config, "accounts.ini", NULL);
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean kept = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (dirs->config, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "[reconnect\nthis is not an ini file\x01\x02", -1, NULL));

  store = open_store (dirs);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_nonnull (rc_account_store_get_problem (store));
  g_assert_nonnull (strstr (rc_account_store_get_problem (store), "could not be read"));

  /* Set aside, not deleted. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  dir = g_dir_open (dirs->config, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    kept |= g_str_has_prefix (name, "accounts.ini.unreadable-");
  g_assert_true (kept);
}

/* A writer killed at any moment leaves the old file or the new one. */
static void
test_atomic_write (Dirs          *dirs,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (dirs->config, "accounts.ini", NULL);

  for (guint round = 0; round < 20; round++)
    {
      int ready[2];
      pid_t child;
      char byte;

      g_assert_cmpint (pipe (ready), ==, 0);
      child = fork ();
      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        {
          g_autoptr(RcAccountStore) store = open_store (dirs);

          close (ready[0]);
          for (guint n = 0;; n++)
            {
              g_autofree char *id = g_strdup_printf ("salesforce-%u-%u", round, n);
              g_autoptr(RcAccount) account = rc_account_new (id, "salesforce", "https://login.salesforce.com", "key");

              rc_account_store_add (store, account, NULL);
              /* The first write is on disk: from here on a kill at any
               * moment must leave a whole file. */
              if (n == 0 && (write (ready[1], "1", 1) != 1 || close (ready[1]) != 0))
                _exit (1);
            }
        }

      close (ready[1]);
      g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
      close (ready[0]);
      /* Where the kill lands varies; whether the test passes must not. */
      g_usleep (g_random_int_range (0, 40000));
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);

      {
        g_autoptr(RcAccountStore) store = open_store (dirs);

        g_assert_null (rc_account_store_get_problem (store));
      }
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *changes)
{
  (*changes)++;
}

static gboolean
wait_for (gboolean (*condition) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!condition (data) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return condition (data);
}

static gboolean
has_two (gpointer store)
{
  return g_list_model_get_n_items (store) == 2;
}

static gboolean
is_connected (gpointer account)
{
  return rc_account_get_state (account) == RC_CONNECTION_CONNECTED;
}

/* The window and the command line share the files: what one writes, the
 * other's store follows, and an account keeps its object while it does. */
static void
test_follow_changes (Dirs          *dirs,
                     gconstpointer  data)
{
  g_autoptr(RcAccountStore) window = open_store (dirs);
  g_autoptr(RcAccountStore) command_line = NULL;
  g_autoptr(RcAccount) first = rc_account_new ("salesforce-1", "salesforce", "https://login.salesforce.com", "key");
  g_autoptr(RcAccount) second = rc_account_new ("entra-1", "entra", "contoso.onmicrosoft.com", "c0ffee00");
  g_autoptr(GError) error = NULL;
  RcAccount *theirs;
  guint changes = 0;

  g_assert_true (rc_account_store_add (window, first, &error));
  g_assert_true (rc_account_store_save_state (window, &error));
  rc_account_store_follow_changes (window);
  g_signal_connect (window, "items-changed", G_CALLBACK (count_changes), &changes);

  /* The window's own writes are not news to it. */
  rc_account_set_cause (first, "network-offline");
  g_assert_true (rc_account_store_save_state (window, &error));
  g_assert_true (rc_account_store_save (window, &error));
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpuint (changes, ==, 0);

  /* The command line checks and adds. */
  command_line = open_store (dirs);
  theirs = rc_account_store_lookup (command_line, "salesforce-1");
  rc_account_set_state (theirs, RC_CONNECTION_CONNECTED);
  rc_account_set_checked_at (theirs, 1800000000);
  g_assert_true (rc_account_store_save_state (command_line, &error));
  g_assert_true (wait_for (is_connected, first));
  g_assert_cmpint (rc_account_get_checked_at (first), ==, 1800000000);
  g_assert_cmpuint (changes, ==, 0);

  g_assert_true (rc_account_store_add (command_line, second, &error));
  g_assert_true (wait_for (has_two, window));
  g_assert_cmpuint (changes, ==, 1);
  /* The account the window watched is still the same object. */
  g_assert_true (rc_account_store_lookup (window, "salesforce-1") == first);
  g_assert_nonnull (rc_account_store_lookup (window, "entra-1"));
  g_assert_true (rc_account_store_lookup (window, "entra-1") != second);
}

static void
test_validation (void)
{
  struct {
    const char *provider, *endpoint, *client_id, *redirect, *says;
  } cases[] = {
    { "salesforce", "http://login.salesforce.com", "key", NULL, "secure connection" },
    { "salesforce", "login.salesforce.com", "key", NULL, "not a web address" },
    { "salesforce", "https://login.salesforce.com", "", NULL, "consumer key" },
    { "entra", "contoso", "id", NULL, "tenant" },
    { "entra", "organizations", " ", NULL, "client) ID" },
    { "oidc", "https://id.example", "id", "https://evil.example/cb", "on this computer" },
    { "sap", "https://x.example", "id", NULL, "Choose" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (rc_account_validate (cases[i].provider, cases[i].endpoint, cases[i].client_id,
                                           cases[i].redirect, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }

  g_assert_true (rc_account_validate ("salesforce", "http://127.0.0.1:8080", "key", NULL, NULL));
  g_assert_true (rc_account_validate ("entra", "3f1c2a9e-7b4d-4c8e-9a51-0d6e2b7c4f10", "id",
                                      "http://127.0.0.1/reconnect/entra", NULL));
}

/* Lists every file under @path, relative to @root. */
static void
list_tree (const char *root,
           const char *path,
           GPtrArray  *names)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_ptr_array_add (names, g_strdup (child + strlen (root) + 1));
      list_tree (root, child, names);
    }
}

/* Someone else's accounts file, built to hurt: ten thousand accounts,
 * values of megabytes, ids that are paths, plain http.  Each bad entry is
 * named and left out, the good ones all load, and saving writes nothing
 * outside the config folder. */
static void
test_hostile (Dirs          *dirs,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (dirs->config, "accounts.ini", NULL);
  g_autofree char *admin_dir = g_build_filename (dirs->system, "reconnect", "accounts.d", NULL);
  g_autofree char *admin = g_build_filename (admin_dir, "hostile.ini", NULL);
  g_autoptr(GString) text = g_string_new ("[reconnect]\nformat=1\n");
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RcAccountStore) store = NULL;
  g_autofree char *huge = NULL;
  const char *problem;

  g_assert_cmpint (g_mkdir_with_parents (dirs->config, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (admin_dir, 0755), ==, 0);

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "[account sf-%u]\nprovider=salesforce\nendpoint=https://login.salesforce.com\n"
                            "client-id=key%u\nkey=%08x-0000-4000-8000-000000000000\nunknown-key=kept out of the way\n",
                            i, i, i);
  huge = g_strnfill (1024 * 1024, 'A');
  g_string_append_printf (text, "[account huge]\nprovider=salesforce\nendpoint=https://login.salesforce.com\n"
                          "client-id=key\nname=%s\n", huge);
  g_string_append (text, "[account ../../escape]\nprovider=salesforce\nendpoint=https://login.salesforce.com\nclient-id=key\n"
                         "[account a/b]\nprovider=salesforce\nendpoint=https://login.salesforce.com\nclient-id=key\n"
                         "[account plain]\nprovider=oidc\nendpoint=http://idp.example.com\nclient-id=key\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_assert_true (g_file_set_contents (admin,
                                      "[account ..]\nprovider=salesforce\nendpoint=https://login.salesforce.com\nclient-id=k\n"
                                      "[account acme]\nprovider=salesforce\nendpoint=https://acme.my.salesforce.com\nclient-id=k\n",
                                      -1, NULL));
  list_tree (dirs->root, dirs->root, before);

  store = open_store (dirs);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 10001);
  g_assert_nonnull (rc_account_store_lookup (store, "sf-0"));
  g_assert_nonnull (rc_account_store_lookup (store, "sf-9999"));
  g_assert_nonnull (rc_account_store_lookup (store, "acme"));
  problem = rc_account_store_get_problem (store);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "“huge”"));
  g_assert_nonnull (strstr (problem, "“name” is too long"));
  g_assert_nonnull (strstr (problem, "“../../escape”"));
  g_assert_nonnull (strstr (problem, "“a/b”"));
  g_assert_nonnull (strstr (problem, "“..”"));
  g_assert_nonnull (strstr (problem, "“plain”"));
  g_assert_null (rc_account_store_lookup (store, "huge"));
  g_assert_null (rc_account_store_lookup (store, "../../escape"));
  g_assert_null (rc_account_store_lookup (store, "plain"));

  /* A save keeps the good accounts and writes only where it always does. */
  g_assert_true (rc_account_store_save (store, NULL));
  g_assert_true (rc_account_store_save_state (store, NULL));
  list_tree (dirs->root, dirs->root, after);
  for (guint i = 0; i < after->len; i++)
    {
      const char *name = g_ptr_array_index (after, i);

      if (!g_ptr_array_find_with_equal_func (before, name, g_str_equal, NULL))
        g_assert_true (g_str_has_prefix (name, "config/reconnect/") || g_str_has_prefix (name, "state"));
    }
  {
    g_autoptr(RcAccountStore) again = open_store (dirs);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 10001);
  }
}

/* A file too big to be accounts, or not a file at all, is refused at once
 * (a FIFO without a writer would block the load for ever) and kept aside. */
static void
test_not_a_settings_file (Dirs          *dirs,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (dirs->config, "accounts.ini", NULL);
  g_autofree char *admin_dir = g_build_filename (dirs->system, "reconnect", "accounts.d", NULL);
  g_autofree char *fifo = g_build_filename (admin_dir, "fifo.ini", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dirs->config, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (admin_dir, 0755), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  {
    FILE *big = fopen (path, "w");

    /* Sparse: 200 MB that take no disk. */
    g_assert_nonnull (big);
    g_assert_cmpint (fputs ("[reconnect]\nformat=1\n", big), >=, 0);
    g_assert_cmpint (ftruncate (fileno (big), 200 * 1024 * 1024), ==, 0);
    fclose (big);
  }

  {
    g_autoptr(RcAccountStore) store = open_store (dirs);
    const char *problem = rc_account_store_get_problem (store);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
    g_assert_nonnull (problem);
    g_assert_nonnull (strstr (problem, "larger than"));
    g_assert_nonnull (strstr (problem, "fifo.ini"));
    g_assert_nonnull (strstr (problem, "not a regular file"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* The user's FIFO too. */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  {
    g_autoptr(RcAccountStore) store = open_store (dirs);

    g_assert_nonnull (strstr (rc_account_store_get_problem (store), "not a regular file"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/reconnect/accounts/" path, Dirs, NULL, dirs_set_up, func, dirs_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("state", test_state);
  ADD ("provisioned", test_provisioned);
  ADD ("corrupt", test_corrupt);
  ADD ("atomic-write", test_atomic_write);
  ADD ("follow-changes", test_follow_changes);
  ADD ("hostile", test_hostile);
  ADD ("not-a-settings-file", test_not_a_settings_file);
#undef ADD
  g_test_add_func ("/reconnect/accounts/validation", test_validation);

  return g_test_run ();
}
