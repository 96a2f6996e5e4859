/* fuzz-token-response.c: token endpoint answers and keyring items into
 * RcTokenSet
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is parsed as JSON the way a caller does (rc_json_parse) and fed
 * to rc_token_set_new_from_response(), and read as a stored keyring item by
 * rc_token_set_new_from_json().  Beyond "no crash", it checks: a set or an
 * error, never both; an error never quotes the access token it was given;
 * every accepted set survives the keyring round trip unchanged; the
 * fingerprint never contains a token.
 */

#include "config.h"

#include "fuzz-common.h"

#include "rc-json.h"
#include "rc-protocol-error.h"
#include "rc-token-set.h"

#define NOW G_GINT64_CONSTANT (1767225700)

static gboolean
same_string (const char *a,
             const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

static void
check_no_token_in (const char *text,
                   const char *token)
{
  /* Short tokens can match words of the text by chance. */
  if (token != NULL && strlen (token) >= 24)
    CHECK (strstr (text, token) == NULL);
}

static void
check_set (RcTokenSet *tokens)
{
  g_autofree char *json = rc_token_set_to_json (tokens);
  g_autofree char *fingerprint = rc_token_set_dup_fingerprint (tokens);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcTokenSet) back = NULL;
  g_autoptr(RcTokenSet) merged = NULL;
  const char *access = rc_token_set_get_access_token (tokens);

  CHECK (access != NULL && *access != '\0');
  CHECK (rc_token_set_get_scopes (tokens) != NULL);
  CHECK (rc_token_set_get_issued_at (tokens) >= 0);
  CHECK (rc_token_set_get_expires_at (tokens) >= 0);

  check_no_token_in (fingerprint, access);
  check_no_token_in (fingerprint, rc_token_set_get_refresh_token (tokens));
  check_no_token_in (fingerprint, rc_token_set_get_id_token (tokens));

  back = rc_token_set_new_from_json (json, &error);
  CHECK (error == NULL && back != NULL);
  CHECK (same_string (access, rc_token_set_get_access_token (back)));
  CHECK (same_string (rc_token_set_get_refresh_token (tokens), rc_token_set_get_refresh_token (back)));
  CHECK (same_string (rc_token_set_get_id_token (tokens), rc_token_set_get_id_token (back)));
  CHECK (same_string (rc_token_set_get_instance_url (tokens), rc_token_set_get_instance_url (back)));
  CHECK (same_string (rc_token_set_get_identity_url (tokens), rc_token_set_get_identity_url (back)));
  CHECK (rc_token_set_get_issued_at (tokens) == rc_token_set_get_issued_at (back));
  CHECK (rc_token_set_get_expires_at (tokens) == rc_token_set_get_expires_at (back));
  CHECK (g_strv_equal ((const char * const *) rc_token_set_get_scopes (tokens),
                       (const char * const *) rc_token_set_get_scopes (back)));

  merged = rc_token_set_refreshed (tokens, back);
  CHECK (same_string (access, rc_token_set_get_access_token (merged)));
  (void) rc_token_set_expires_within (tokens, NOW, 300);
}

static void
check_error (const GError *error,
             JsonNode     *root)
{
  JsonNode *member;

  CHECK (error->domain == RC_OAUTH_ERROR);
  CHECK (error->code == RC_OAUTH_ERROR_MALFORMED || error->code == RC_OAUTH_ERROR_INSECURE_URL);
  CHECK (g_utf8_validate (error->message, -1, NULL));

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  member = json_object_get_member (json_node_get_object (root), "access_token");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
    check_no_token_in (error->message, json_node_get_string (member));
}

FUZZ_DEFINE_INITIALIZE

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* an exact-size copy, so a read past the end is caught */
  g_autofree char *copy = g_memdup2 (data, size);
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(JsonNode) root = rc_json_parse (copy, size, NULL);
  g_autoptr(GError) error = NULL;

  if (root != NULL)
    {
      g_autoptr(RcTokenSet) tokens = rc_token_set_new_from_response (root, NOW, &error);

      CHECK ((tokens == NULL) == (error != NULL));
      if (tokens != NULL)
        check_set (tokens);
      else
        check_error (error, root);
      g_clear_error (&error);
    }

  {
    g_autoptr(RcTokenSet) stored = rc_token_set_new_from_json (text, &error);

    CHECK ((stored == NULL) == (error != NULL));
    if (stored != NULL)
      check_set (stored);
    else
      check_error (error, NULL);
  }

  return 0;
}
