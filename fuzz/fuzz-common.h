/* fuzz-common.h: what every libFuzzer target of Reconnect shares
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

/* A property of the parser that failed: a crash, with the condition. */
#define CHECK(cond) do { if (!(cond)) { g_printerr ("check failed: %s\n", #cond); abort (); } } while (0)

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A critical or a warning means a library was misused: a crash too. */
static inline void
fuzz_common_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* The initializer of a target that needs nothing more. */
#define FUZZ_DEFINE_INITIALIZE                                  \
  int                                                          \
  LLVMFuzzerInitialize (int    *argc,                          \
                        char ***argv)                          \
  {                                                            \
    fuzz_common_init ();                                       \
    return 0;                                                  \
  }

/* Empties the folder @path, keeping it: a target that writes files starts
 * each input from nothing. */
static inline void
fuzz_empty_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fuzz_empty_folder (child);
      g_remove (child);
    }
}

static inline void
fuzz_ignore_message (const char     *domain,
                     GLogLevelFlags  level,
                     const char     *message,
                     gpointer        user_data)
{
}

/* Messages (a file set aside, a problem said): not worth a line each. */
static inline void
fuzz_quiet_messages (void)
{
  g_log_set_handler (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
                     fuzz_ignore_message, NULL);
}

static char *fuzz_folder;

static inline void
fuzz_remove_folder (void)
{
  fuzz_empty_folder (fuzz_folder);
  g_rmdir (fuzz_folder);
}

/* A new folder in the temporary folder, removed when the target exits. */
static inline const char *
fuzz_make_folder (const char *template)
{
  fuzz_folder = g_dir_make_tmp (template, NULL);
  CHECK (fuzz_folder != NULL);
  atexit (fuzz_remove_folder);
  return fuzz_folder;
}
