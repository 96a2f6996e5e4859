/* floor-process.c: the process floor for bench/run
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What any command costs on this machine: exec, the dynamic loader and libc,
 * one line of output, exit.  `reconnect --version` and friends are measured
 * against it.
 */

#include <stdio.h>

int
main (void)
{
  puts ("floor-process 1");
  return 0;
}
