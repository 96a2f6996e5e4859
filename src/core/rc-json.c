/* rc-json.c: parse JSON from outside without trusting its shape
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib recurses once per nesting level while it parses and again while
 * it frees, so a body of a few hundred kilobytes of '[' overflows the stack;
 * and json-glib 1.6 takes "{} {…}" for "{}", leaking what follows.  One flat
 * pass over the text refuses both before json-glib sees it.
 */

#include "config.h"

#include <string.h>

#include "rc-json.h"

/* One pass over the text, as json-glib's scanner will see it, that refuses
 * what json-glib handles badly:
 *
 * - nesting deeper than @max_depth;
 * - anything after the first complete value: json-glib 1.6 returns the
 *   first value as the document and leaks what it parsed after it;
 * - single-quoted strings and C comments, json-glib extensions that are not
 *   JSON and inside which brackets would not count.
 *
 * What remains are double-quoted strings, where a backslash escapes the
 * next byte, brackets, and scalars.  Anything else wrong is json-glib's to
 * refuse. */
static gboolean
is_one_bounded_value (const char *data,
                      gsize       size,
                      guint       max_depth)
{
  gboolean in_string = FALSE;
  gboolean in_scalar = FALSE;
  gboolean done = FALSE;
  guint depth = 0;
  gsize i = 0;

  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  for (; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              done = depth == 0;
            }
          continue;
        }

      if (in_scalar && c != '\0' && strchr (" \t\r\n\"[]{},:", c) != NULL)
        {
          in_scalar = FALSE;
          done = TRUE;
        }

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || in_scalar)
        continue;

      if (done || c == '\'' || c == '/')
        return FALSE;

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;

        case ']':
        case '}':
          if (depth == 0)
            return FALSE;
          done = --depth == 0;
          break;

        default:
          in_scalar = depth == 0;
          break;
        }
    }

  return TRUE;
}

/**
 * rc_json_parse:
 * @data: (array length=size): the bytes, not necessarily nul-terminated
 * @size: how many bytes of @data to read
 * @error: return location for a #GError in %JSON_PARSER_ERROR
 *
 * Parses one JSON document received from outside: never reads past @size,
 * refuses nul bytes, invalid UTF-8, json-glib's non-JSON extensions, text
 * after the first value and nesting deeper than %RC_JSON_MAX_DEPTH.  The
 * caller limits @size.
 *
 * Strings inside the document are not checked: a lone surrogate escape
 * (`"\ud800"`) decodes to invalid UTF-8, so validate every string kept.
 *
 * Returns: (transfer full): the root node, never %NULL on success
 */
JsonNode *
rc_json_parse (const char  *data,
               gsize        size,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || size == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size == 0 || size > G_MAXSSIZE ||
      memchr (data, '\0', size) != NULL || !g_utf8_validate (data, (gssize) size, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "Not a JSON document in UTF-8");
      return NULL;
    }

  if (!is_one_bounded_value (data, size, RC_JSON_MAX_DEPTH))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "Not one plain JSON value, or nested too deeply");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "Empty JSON document");
      return NULL;
    }

  return json_node_ref (root);
}
