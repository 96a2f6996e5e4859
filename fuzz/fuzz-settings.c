/* fuzz-settings.c: accounts.ini, an administrator's accounts.d file and
 * state.ini into RcAccountStore
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is written as all three files of a fresh configuration (the
 * user's accounts, an administrator's, the run-time state) and loaded.
 * Beyond "no crash", it checks: every account loaded has an id that could
 * not be a path and an endpoint the https rule allows (or an Entra
 * tenant); what is saved loads back as the same accounts; nothing is
 * written outside the configuration and state folders.
 */

#include "config.h"

#include "fuzz-common.h"

#include "rc-account-store.h"
#include "rc-http.h"

static const char *root;

static void
write_file (const char *dir,
            const char *name,
            const char *data,
            gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  CHECK (g_mkdir_with_parents (dir, 0700) == 0);
  CHECK (g_file_set_contents (path, data, size, NULL));
}

static GPtrArray *
ids_of (RcAccountStore *store)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(RcAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_ptr_array_add (ids, g_strdup (rc_account_get_id (account)));
    }
  return ids;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_common_init ();
  fuzz_quiet_messages ();
  root = fuzz_make_folder ("fuzz-settings-XXXXXX");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *config = g_build_filename (root, "config", NULL);
  g_autofree char *system = g_build_filename (root, "xdg", NULL);
  g_autofree char *admin = g_build_filename (system, "reconnect", "accounts.d", NULL);
  g_autofree char *state = g_build_filename (root, "state", NULL);
  const char *system_dirs[] = { system, NULL };
  g_autoptr(RcAccountStore) store = NULL;
  g_autoptr(RcAccountStore) again = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) ids_again = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  fuzz_empty_folder (root);
  write_file (config, "accounts.ini", (const char *) data, size);
  write_file (admin, "fuzz.ini", (const char *) data, size);
  write_file (state, "state.ini", (const char *) data, size);

  store = rc_account_store_new (config, system_dirs, state);
  rc_account_store_load (store);
  ids = ids_of (store);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(RcAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
      const char *id = rc_account_get_id (account);

      CHECK (*id != '\0' && *id != '.' && strchr (id, '/') == NULL);
      CHECK (g_utf8_validate (id, -1, NULL));
      if (g_strcmp0 (rc_account_get_provider (account), "entra") != 0)
        CHECK (rc_http_check_url (rc_account_get_endpoint (account), NULL));
    }

  /* Saved, it loads back the same. */
  if (rc_account_store_save (store, NULL) && rc_account_store_save_state (store, NULL))
    {
      again = rc_account_store_new (config, system_dirs, state);
      rc_account_store_load (again);
      ids_again = ids_of (again);
      CHECK (ids->len == ids_again->len);
      for (guint i = 0; i < ids->len; i++)
        CHECK (g_str_equal (g_ptr_array_index (ids, i), g_ptr_array_index (ids_again, i)));
    }

  /* Nothing beside the three folders. */
  dir = g_dir_open (root, 0, NULL);
  CHECK (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    CHECK (g_str_equal (name, "config") || g_str_equal (name, "xdg") || g_str_equal (name, "state"));
  return 0;
}
