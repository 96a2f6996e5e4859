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

#include <math.h>
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

/**
 * rc_json_get_string:
 * @object: a JSON object
 * @member: a member name
 *
 * Returns: (nullable): the member's value if it is a string; %NULL if it is
 *   missing or of another type (never a conversion)
 */
const char *
rc_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* A whole number in [min, max], as a JSON integer, an integral JSON number
 * or a string of digits; 0 and FALSE when it is something else. */
/**
 * rc_json_node_get_integer:
 * @node: a JSON value
 * @min: the smallest acceptable value
 * @max: the largest acceptable value
 * @out: (out): where the number goes
 *
 * Returns: %TRUE if @node is a whole number in [@min, @max]
 */
gboolean
rc_json_node_get_integer (JsonNode *node,
                          gint64    min,
                          gint64    max,
                          gint64   *out)
{
  GType type;

  *out = 0;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* Past 2^53 a double no longer holds every integer, and the cast
       * below must stay in range. */
      if (!(value >= (double) min && value <= (double) max && fabs (value) < 9007199254740992.0) ||
          value != (double) (gint64) value)
        return FALSE;
      *out = (gint64) value;
    }
  else if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);

      if (str == NULL || !g_ascii_isdigit (*str) ||
          !g_ascii_string_to_signed (str, 10, min, max, out, NULL))
        {
          *out = 0;
          return FALSE;
        }
    }
  else
    {
      return FALSE;
    }

  if (*out < min || *out > max)
    {
      *out = 0;
      return FALSE;
    }

  return TRUE;
}
