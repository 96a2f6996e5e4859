/* rc-text.c: text from outside, made safe to show
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A user name from a server, an id in someone's accounts file or a line of
 * a pasted log can carry terminal escape sequences: colours, a fake
 * prompt, or OSC 52, which writes the terminal's clipboard.  Everything
 * printed that came from outside goes through rc_text_printable() first.
 */

#include "config.h"

#include "rc-text.h"

#define REPLACEMENT 0xFFFD

/* Control characters (C0, DEL, C1) and the bidirectional overrides that
 * make text read in another order than it is. */
static gboolean
is_unsafe (gunichar c)
{
  return g_unichar_iscntrl (c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * rc_text_printable:
 * @text: (nullable): text from outside, in any encoding
 * @max_chars: the most characters kept, 0 for no limit
 * @flags: %RC_TEXT_KEEP_LINES keeps newlines and tabs
 *
 * Makes @text valid UTF-8 and replaces every control character (escape
 * included) and bidirectional override with U+FFFD, so that nothing in it
 * reaches a terminal as a command; text cut at @max_chars ends in “…”.
 *
 * Returns: (transfer full): the safe text, "" for %NULL
 */
char *
rc_text_printable (const char  *text,
                   gsize        max_chars,
                   RcTextFlags  flags)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize count = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (max_chars != 0 && count == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if ((flags & RC_TEXT_KEEP_LINES) && (c == '\n' || c == '\t'))
        g_string_append_c (out, c);
      else if (is_unsafe (c))
        g_string_append_unichar (out, REPLACEMENT);
      else
        g_string_append_unichar (out, c);
      count++;
    }
  return g_string_free (out, FALSE);
}
