/* seed-sim.c: the simulator, with accounts signed in to it, for bench/run
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   seed-sim DIR COUNT...
 *
 * Runs the built-in CRM simulator on 127.0.0.1, signs in as many Salesforce
 * accounts as the largest COUNT, each as its own simulated user (the
 * simulator caps the grants per user, as Salesforce does), with the device
 * flow and RcMonitor, the way `reconnect sign-in --device` does, so their
 * tokens are in the keyring of the session.  For each COUNT it writes
 * DIR/nCOUNT/config/reconnect/accounts.ini and DIR/nCOUNT/state/reconnect
 * with the first COUNT of them, for XDG_CONFIG_HOME and XDG_STATE_HOME, and
 * DIR/nCOUNT/probe.curl: the same probes a check makes, for `curl -K`.
 *
 * That file holds the simulator's access tokens, which is why it lives only
 * in the private test session bench/run makes, and goes with it.  The
 * accounts' ids are the same in every set, so the keyring holds one item
 * each.  Then it prints the simulator's ready line and serves until SIGTERM.
 */

#include "config.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "rc-device-authorization.h"
#include "rc-monitor.h"
#include "rc-sim.h"
#include "rc-test-session.h"

#define TIMEOUT 60

typedef struct
{
  RcAccount             *account;
  RcDeviceAuthorization *device;
  RcTokenSet            *tokens;
  GAsyncResult          *result;
} Seed;

static void
seed_clear (Seed *seed)
{
  g_clear_object (&seed->account);
  g_clear_object (&seed->device);
  g_clear_pointer (&seed->tokens, rc_token_set_unref);
  g_clear_object (&seed->result);
}

/* Every seed's call is under way: wait for all of them. */
static void
wait_all (GArray *seeds)
{
  for (guint i = 0; i < seeds->len; i++)
    rc_test_wait_for_result (&g_array_index (seeds, Seed, i).result, NULL, TIMEOUT);
}

static RcAccountStore *
store_new (const char *dir,
           guint       count)
{
  g_autofree char *set = g_strdup_printf ("%s/n%u", dir, count);
  g_autofree char *config = g_build_filename (set, "config", "reconnect", NULL);
  g_autofree char *system = g_build_filename (set, "sysconfig", NULL);
  g_autofree char *state = g_build_filename (set, "state", "reconnect", NULL);
  RcAccountStore *store = rc_account_store_new (config, (const char *[]) { system, NULL }, state);

  rc_account_store_load (store);
  return store;
}

static void
sign_in_all (RcSim          *sim,
             RcMonitor      *monitor,
             GArray         *seeds)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < seeds->len; i++)
    {
      Seed *seed = &g_array_index (seeds, Seed, i);
      RcProvider *provider = rc_monitor_get_provider (monitor, seed->account, &error);

      if (provider == NULL)
        g_error ("No provider for %s: %s", rc_account_get_id (seed->account), error->message);
      seed->device = rc_device_authorization_new (provider);
      rc_device_authorization_start_async (seed->device, NULL, rc_test_on_async_done, &seed->result);
    }
  wait_all (seeds);

  for (guint i = 0; i < seeds->len; i++)
    {
      Seed *seed = &g_array_index (seeds, Seed, i);
      g_autofree char *user = g_strdup_printf ("bench%u@reconnect.example", i + 1);

      if (!rc_device_authorization_start_finish (seed->device, seed->result, &error) ||
          !rc_sim_approve_device (sim, rc_device_authorization_get_user_code (seed->device), user, &error))
        g_error ("Device sign-in of %s: %s", user, error->message);
      g_clear_object (&seed->result);
      rc_device_authorization_wait_async (seed->device, NULL, rc_test_on_async_done, &seed->result);
    }
  wait_all (seeds);

  for (guint i = 0; i < seeds->len; i++)
    {
      Seed *seed = &g_array_index (seeds, Seed, i);

      seed->tokens = rc_device_authorization_wait_finish (seed->device, seed->result, &error);
      if (seed->tokens == NULL)
        g_error ("Device sign-in of %s: %s", rc_account_get_id (seed->account), error->message);
      g_clear_object (&seed->result);
      rc_monitor_adopt_async (monitor, seed->account, seed->tokens, NULL, rc_test_on_async_done, &seed->result);
    }
  wait_all (seeds);

  for (guint i = 0; i < seeds->len; i++)
    {
      Seed *seed = &g_array_index (seeds, Seed, i);

      if (!rc_monitor_adopt_finish (monitor, seed->result, &error))
        g_error ("Saving %s: %s", rc_account_get_id (seed->account), error->message);
      if (rc_account_get_state (seed->account) != RC_CONNECTION_CONNECTED)
        g_error ("%s is not connected after its sign-in", rc_account_get_id (seed->account));
    }
}

/* What `reconnect check` asks for a Salesforce account whose session is
 * fresh: the REST API's version resource, with the access token. */
static void
write_probes (const char *dir,
              guint       count,
              GArray     *seeds)
{
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/n%u/probe.curl", dir, count);

  for (guint i = 0; i < count; i++)
    {
      Seed *seed = &g_array_index (seeds, Seed, i);

      if (i > 0)
        g_string_append (config, "next\n");
      g_string_append_printf (config, "url = \"%s/services/data/v60.0/\"\n",
                              rc_token_set_get_instance_url (seed->tokens));
      g_string_append_printf (config, "header = \"Authorization: Bearer %s\"\n",
                              rc_token_set_get_access_token (seed->tokens));
      g_string_append (config, "output = \"/dev/null\"\nsilent\nfail\n");
    }
  if (!g_file_set_contents_full (path, config->str, config->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_error ("%s", error->message);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(RcSim) sim = rc_sim_new ();
  g_autoptr(RcSecretStore) secrets = rc_secret_store_new ();
  g_autoptr(RcAccountStore) largest = NULL;
  g_autoptr(RcMonitor) monitor = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GArray) seeds = g_array_new (FALSE, TRUE, sizeof (Seed));
  g_autoptr(GError) error = NULL;
  g_autofree char *sf = NULL;
  g_autofree char *root = NULL;
  g_autofree char *ready = NULL;
  guint most = 0;

  if (argc < 3)
    {
      g_printerr ("usage: seed-sim DIR COUNT...\n");
      return 64;
    }
  for (int i = 2; i < argc; i++)
    most = MAX (most, (guint) g_ascii_strtoull (argv[i], NULL, 10));
  if (most == 0)
    {
      g_printerr ("seed-sim: a COUNT must be 1 or more\n");
      return 64;
    }

  if (!rc_sim_listen (sim, 0, &error))
    g_error ("The simulator could not listen: %s", error->message);
  rc_sim_set_device_interval (sim, 1);
  sf = rc_sim_get_salesforce_url (sim);
  root = g_strndup (sf, strlen (sf) - 1);

  largest = store_new (argv[1], most);
  monitor = rc_monitor_new (largest, secrets);
  g_array_set_clear_func (seeds, (GDestroyNotify) seed_clear);
  g_array_set_size (seeds, most);
  for (guint i = 0; i < most; i++)
    {
      Seed *seed = &g_array_index (seeds, Seed, i);
      g_autofree char *id = g_strdup_printf ("salesforce-%u", i + 1);
      g_autofree char *user = g_strdup_printf ("bench%u@reconnect.example", i + 1);
      g_autofree char *name = g_strdup_printf ("Bench user %u", i + 1);

      rc_sim_add_user (sim, user, name);
      seed->account = rc_account_new (id, "salesforce", root, rc_sim_get_client_id (sim));
      if (!rc_account_store_add (largest, seed->account, &error))
        g_error ("%s", error->message);
    }
  sign_in_all (sim, monitor, seeds);
  if (!rc_account_store_save_state (largest, &error))
    g_error ("%s", error->message);

  /* The smaller sets hold the first accounts, as they are now. */
  for (int i = 2; i < argc; i++)
    {
      guint count = (guint) g_ascii_strtoull (argv[i], NULL, 10);

      if (count != most)
        {
          g_autoptr(RcAccountStore) store = store_new (argv[1], count);

          for (guint j = 0; j < count; j++)
            if (!rc_account_store_add (store, g_array_index (seeds, Seed, j).account, &error))
              g_error ("%s", error->message);
          if (!rc_account_store_save_state (store, &error))
            g_error ("%s", error->message);
        }
      write_probes (argv[1], count, seeds);
    }

  ready = rc_sim_get_ready_line (sim);
  g_print ("%s\n", ready);
  fflush (stdout);

  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_main_loop_run (loop);

  rc_monitor_stop (monitor);
  rc_sim_stop (sim);
  return 0;
}
