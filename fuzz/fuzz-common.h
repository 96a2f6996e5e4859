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
