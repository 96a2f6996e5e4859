/* fuzz-protocol-error.c: bodies, Retry-After headers and redirect queries
 * into RcProtocolError
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is read as a JSON body, as the same body wrapped in an array
 * (the Salesforce REST error shape), as a text/plain body, as a Retry-After
 * header and as a redirect's query.  Beyond "no crash", it checks what the
 * classifier relies on: every kept string is non-empty UTF-8 of at most 1024
 * bytes, there are at most 16 error codes, and the RC_OAUTH_ERROR made from
 * it carries it through a copy.
 */

#include "config.h"

#include "fuzz-common.h"

#include "rc-protocol-error.h"

static void
check_string (const char *str)
{
  gsize length;

  if (str == NULL)
    return;

  length = strlen (str);
  CHECK (length > 0 && length <= 1024);
  CHECK (g_utf8_validate (str, (gssize) length, NULL));
}

static void
check (RcProtocolError *protocol)
{
  GError *error;
  GError *copy;
  guint n_codes = 0;
  const gint64 *codes;

  check_string (rc_protocol_error_get_error (protocol));
  check_string (rc_protocol_error_get_description (protocol));
  check_string (rc_protocol_error_get_suberror (protocol));
  check_string (rc_protocol_error_get_claims (protocol));
  check_string (rc_protocol_error_get_trace_id (protocol));
  check_string (rc_protocol_error_get_correlation_id (protocol));
  check_string (rc_protocol_error_get_api_error_code (protocol));
  check_string (rc_protocol_error_get_api_message (protocol));

  codes = rc_protocol_error_get_error_codes (protocol, &n_codes);
  CHECK (n_codes <= 16);
  CHECK ((codes == NULL) == (n_codes == 0));
  CHECK (rc_protocol_error_get_retry_after (protocol) >= 0);

  error = rc_protocol_error_to_gerror (protocol, RC_OAUTH_ERROR_REJECTED, "fuzz");
  copy = g_error_copy (error);
  g_error_free (error);
  CHECK (rc_oauth_error_get_protocol_error (copy) == protocol);
  g_error_free (copy);
}

FUZZ_DEFINE_INITIALIZE

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* g_bytes_new copies into a buffer of exactly @size bytes, so a read past
   * the end is caught by AddressSanitizer. */
  GBytes *body = g_bytes_new (data, size);
  GByteArray *wrapped = g_byte_array_sized_new (size + 2);
  GBytes *array_body;
  char *text = g_strndup ((const char *) data, size);
  GHashTable *query;
  RcProtocolError *protocol;
  const char *code;

  protocol = rc_protocol_error_new_from_response ("token", 400, "application/json;charset=UTF-8", body, 1767225600);
  check (protocol);
  rc_protocol_error_unref (protocol);

  g_byte_array_append (wrapped, (const guint8 *) "[", 1);
  g_byte_array_append (wrapped, data, size);
  g_byte_array_append (wrapped, (const guint8 *) "]", 1);
  array_body = g_byte_array_free_to_bytes (wrapped);
  protocol = rc_protocol_error_new_from_response ("rest", 401, "application/problem+json", array_body, 0);
  check (protocol);
  rc_protocol_error_unref (protocol);
  g_bytes_unref (array_body);

  protocol = rc_protocol_error_new_from_response ("userinfo", 403, "text/plain", body, 0);
  check (protocol);
  code = rc_protocol_error_get_api_error_code (protocol);
  CHECK (code == NULL || strlen (code) <= 64);
  rc_protocol_error_unref (protocol);

  /* the text as a Retry-After header, the server's Date fixed */
  protocol = rc_protocol_error_new_from_response_full ("token", 429, "text/html", body, 1445412420, text);
  check (protocol);
  CHECK (rc_protocol_error_get_retry_after (protocol) <= 7 * 24 * 60 * 60);
  rc_protocol_error_unref (protocol);

  /* the text as a redirect's query string */
  query = g_uri_parse_params (text, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (query != NULL)
    {
      protocol = rc_protocol_error_new_from_redirect ("authorize", query);
      check (protocol);
      rc_protocol_error_unref (protocol);
      g_hash_table_unref (query);
    }

  g_free (text);
  g_bytes_unref (body);
  return 0;
}
