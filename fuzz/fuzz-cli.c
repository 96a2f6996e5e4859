/* fuzz-cli.c: the command line's option parsing
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is split at NUL bytes into arguments for one command that
 * stays on this machine (list, check, add, sign-out, explain, report; not
 * sign-in, which opens a browser, nor simulate, which serves until
 * stopped), run in a configuration of its own with no session bus.
 * Beyond "no crash", it checks the contract of reconnect(1): the exit
 * status is one of the documented ones.  Help options are left out:
 * GOption answers them by exiting.
 */

#include "config.h"

#include "fuzz-common.h"

#include <fcntl.h>
#include <unistd.h>

#include "rc-cli.h"

#define MAX_ARGS 16

static const char *root;

static const char * const commands[] = { "list", "check", "add", "sign-out", "explain", "report" };

/* Arguments GOption answers by exiting, or that would read outside the
 * test's own folder. */
static gboolean
is_excluded (const char *arg)
{
  if (g_str_has_prefix (arg, "--help") || arg[0] == '/' || strstr (arg, "..") != NULL)
    return TRUE;
  return arg[0] == '-' && arg[1] != '-' && strpbrk (arg, "h?") != NULL;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *config = NULL;
  int null_fd = open ("/dev/null", O_RDWR);

  fuzz_common_init ();
  fuzz_quiet_messages ();
  root = fuzz_make_folder ("fuzz-cli-XXXXXX");
  /* Before GLib reads them once and for all. */
  config = g_build_filename (root, "config", NULL);
  g_setenv ("HOME", root, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", root, TRUE);
  g_setenv ("XDG_STATE_HOME", root, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", root, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
  g_unsetenv ("DISPLAY");
  /* Nothing to read on standard input, and what is printed goes nowhere. */
  CHECK (null_fd >= 0);
  dup2 (null_fd, STDIN_FILENO);
  dup2 (null_fd, STDOUT_FILENO);
  close (null_fd);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char **argv = NULL;
  gsize start = 1;
  int status;

  if (size == 0)
    return 0;

  g_ptr_array_add (args, g_strdup ("reconnect"));
  g_ptr_array_add (args, g_strdup (commands[data[0] % G_N_ELEMENTS (commands)]));
  for (gsize i = 1; i <= size && args->len < MAX_ARGS; i++)
    if (i == size || data[i] == '\0')
      {
        char *arg = g_strndup ((const char *) data + start, i - start);

        g_ptr_array_add (args, arg);
        if (is_excluded (arg))
          return 0;
        start = i + 1;
      }
  g_ptr_array_add (args, NULL);

  /* GOption reorders and drops entries of the vector it is given: give
   * it a copy, so every argument is still here to free. */
  argv = g_memdup2 (args->pdata, args->len * sizeof (char *));
  fuzz_empty_folder (root);
  status = rc_cli_run (args->len - 1, argv);
  CHECK (status == RC_CLI_EXIT_OK || status == RC_CLI_EXIT_NEEDS_SIGN_IN || status == RC_CLI_EXIT_NEEDS_ADMIN ||
         status == RC_CLI_EXIT_UNREACHABLE || status == RC_CLI_EXIT_LOCAL || status == RC_CLI_EXIT_USAGE);
  return 0;
}
