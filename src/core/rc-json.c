/* rc-json.c: parse JSON from outside without trusting its shape
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib recurses once per nesting level while it parses and again while
 * it frees, so a body of a few hundred kilobytes of '[' overflows the stack;
 * and json-glib 1.6 leaks what it built when a document goes wrong part way
 * (or takes "{} {…}" for "{}", leaking what follows).  One flat pass over
 * the text lets only plain JSON through to json-glib.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rc-json.h"

/* What the next token may be. */
typedef enum
{
  EXPECT_VALUE,            /* after ":" or "," in an array, or at the start */
  EXPECT_VALUE_OR_CLOSE,   /* after "[" */
  EXPECT_KEY,              /* after "," in an object */
  EXPECT_KEY_OR_CLOSE,     /* after "{" */
  EXPECT_COLON,
  EXPECT_NEXT,             /* after a value inside a container */
  EXPECT_END,              /* after the whole value */
} Expect;

/* The four hex digits after the "u" at @data[at], as a UTF-16 unit. */
static gboolean
read_unit (const char *data,
           gsize       size,
           gsize       at,
           gunichar   *unit)
{
  *unit = 0;
  if (at + 4 >= size)
    return FALSE;
  for (guint k = 1; k <= 4; k++)
    {
      if (!g_ascii_isxdigit (data[at + k]))
        return FALSE;
      *unit = *unit * 16 + g_ascii_xdigit_value (data[at + k]);
    }
  return TRUE;
}

/* A string at @data[*i] (its opening quote), RFC 8259 section 7: no
 * control character, only the escapes JSON has.  Moves *i to the closing
 * quote. */
static gboolean
skip_string (const char *data,
             gsize       size,
             gsize      *i)
{
  for (gsize j = *i + 1; j < size; j++)
    {
      guchar c = data[j];

      if (c == '"')
        {
          *i = j;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        continue;
      if (++j >= size)
        return FALSE;
      if (data[j] == 'u')
        {
          gunichar unit;

          if (!read_unit (data, size, j, &unit))
            return FALSE;
          j += 4;
          /* A surrogate escape followed by another escape must make a
           * pair with it: json-glib 1.6 leaks when they do not.  (A lone
           * one followed by text it decodes to invalid UTF-8: the caller
           * validates each string it keeps.) */
          if (unit >= 0xD800 && unit <= 0xDFFF && j + 2 < size && data[j + 1] == '\\' && data[j + 2] == 'u')
            {
              gunichar low;

              if (!read_unit (data, size, j + 2, &low) || unit > 0xDBFF || low < 0xDC00 || low > 0xDFFF)
                return FALSE;
              j += 6;
            }
        }
      else if (strchr ("\"\\/bfnrt", data[j]) == NULL || data[j] == '\0')
        return FALSE;
    }
  return FALSE;
}

static gsize
skip_digits (const char *data,
             gsize       size,
             gsize       j)
{
  while (j < size && g_ascii_isdigit (data[j]))
    j++;
  return j;
}

/* A number or a literal at @data[*i], RFC 8259 sections 3 and 6.  Moves *i
 * to its last byte. */
static gboolean
skip_scalar (const char *data,
             gsize       size,
             gsize      *i)
{
  static const char * const literals[] = { "true", "false", "null" };
  gsize j = *i;
  gsize start;

  for (guint k = 0; k < G_N_ELEMENTS (literals); k++)
    {
      gsize length = strlen (literals[k]);

      if (size - j >= length && memcmp (data + j, literals[k], length) == 0)
        {
          *i = j + length - 1;
          return TRUE;
        }
    }

  if (j < size && data[j] == '-')
    j++;
  if (j < size && data[j] == '0')
    j++;
  else if (j < size && data[j] >= '1' && data[j] <= '9')
    j = skip_digits (data, size, j);
  else
    return FALSE;
  if (j < size && data[j] == '.')
    {
      start = ++j;
      if ((j = skip_digits (data, size, j)) == start)
        return FALSE;
    }
  if (j < size && (data[j] == 'e' || data[j] == 'E'))
    {
      j++;
      if (j < size && (data[j] == '+' || data[j] == '-'))
        j++;
      start = j;
      if ((j = skip_digits (data, size, j)) == start)
        return FALSE;
    }
  *i = j - 1;
  return TRUE;
}

/* One pass over the text that lets through only one plain JSON value
 * (RFC 8259), nested at most @max_depth deep.  json-glib recurses per
 * level, takes single quotes and comments, and in 1.6 leaks what it built
 * when it fails part way through an object ({"a":"\uae":1}{...}) or finds
 * a second value after the first: so it only ever sees text that is JSON. */
static gboolean
is_one_bounded_value (const char *data,
                      gsize       size,
                      guint       max_depth)
{
  gboolean in_object[RC_JSON_MAX_DEPTH + 1];
  Expect expect = EXPECT_VALUE;
  guint depth = 0;
  gsize i = 0;

  g_assert (max_depth <= RC_JSON_MAX_DEPTH);

  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  for (; i < size; i++)
    {
      char c = data[i];
      gboolean value = FALSE;

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        continue;

      switch (expect)
        {
        case EXPECT_END:
          return FALSE;

        case EXPECT_COLON:
          if (c != ':')
            return FALSE;
          expect = EXPECT_VALUE;
          continue;

        case EXPECT_NEXT:
          if (c == ',')
            expect = in_object[depth] ? EXPECT_KEY : EXPECT_VALUE;
          else if (c == (in_object[depth] ? '}' : ']'))
            {
              depth--;
              expect = depth == 0 ? EXPECT_END : EXPECT_NEXT;
            }
          else
            return FALSE;
          continue;

        case EXPECT_KEY:
        case EXPECT_KEY_OR_CLOSE:
          if (c == '}' && expect == EXPECT_KEY_OR_CLOSE)
            {
              depth--;
              expect = depth == 0 ? EXPECT_END : EXPECT_NEXT;
              continue;
            }
          if (c != '"' || !skip_string (data, size, &i))
            return FALSE;
          expect = EXPECT_COLON;
          continue;

        case EXPECT_VALUE_OR_CLOSE:
          if (c == ']')
            {
              depth--;
              expect = depth == 0 ? EXPECT_END : EXPECT_NEXT;
              continue;
            }
          G_GNUC_FALLTHROUGH;
        case EXPECT_VALUE:
          if (c == '{' || c == '[')
            {
              if (depth == max_depth)
                return FALSE;
              in_object[++depth] = c == '{';
              expect = c == '{' ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
              continue;
            }
          if (c == '"')
            value = skip_string (data, size, &i);
          else
            value = skip_scalar (data, size, &i);
          if (!value)
            return FALSE;
          expect = depth == 0 ? EXPECT_END : EXPECT_NEXT;
          continue;
        }
    }

  return expect == EXPECT_END;
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
 * Strings inside the document are not all checked: a lone surrogate escape
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
