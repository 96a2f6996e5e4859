/* fuzz-userinfo.c: userinfo answers into the user name Reconnect shows
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is parsed as JSON the way a caller does and read as a
 * userinfo answer.  Beyond "no crash", it checks what the account page,
 * `list` and accounts.ini rely on: the name is valid UTF-8, bounded, and
 * free of control characters (no escape sequence, no newline that would
 * split a line of accounts.ini).
 */

#include "config.h"

#include "fuzz-common.h"

#include "rc-json.h"
#include "rc-provider.h"

FUZZ_DEFINE_INITIALIZE

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *copy = g_memdup2 (data, size);
  g_autoptr(JsonNode) root = rc_json_parse (copy, size, NULL);
  g_autofree char *user = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  user = rc_provider_dup_userinfo_user (json_node_get_object (root));
  if (user == NULL)
    return 0;
  CHECK (g_utf8_validate (user, -1, NULL));
  CHECK (g_utf8_strlen (user, -1) <= RC_PROVIDER_MAX_USER + 1);
  for (const char *p = user; *p != '\0'; p = g_utf8_next_char (p))
    CHECK (!g_unichar_iscntrl (g_utf8_get_char (p)));
  return 0;
}
