/* fuzz-redirect.c: requests to the loopback listener of a browser sign-in
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is a request target ("/path?query", as a browser or any
 * local process may send), decoded the way libsoup's server decodes it
 * and judged against a run that expects path /callback, a state and an
 * issuer.  Beyond "no crash", it checks: a code is taken only with the
 * run's exact state on the exact path; an issuer other than the expected
 * one never yields a code; every error is valid UTF-8.
 */

#include "config.h"

#include "fuzz-common.h"

#include <libsoup/soup.h>

#include "rc-authorization.h"
#include "rc-protocol-error.h"

#define STATE "Xz4bQ0h1uJc9m5TqYkLd2wA7"
#define ISSUER "https://idp.example.com"

FUZZ_DEFINE_INITIALIZE

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *target = g_strndup ((const char *) data, size);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  char *mark = strchr (target, '?');
  const char *code = NULL;
  RcRedirectVerdict verdict;

  for (guint requires_iss = 0; requires_iss < 2; requires_iss++)
    {
      RcRedirectExpected expected = { "/callback", STATE, ISSUER, requires_iss };

      g_clear_error (&error);
      g_clear_pointer (&query, g_hash_table_unref);
      g_clear_pointer (&path, g_free);
      path = mark ? g_strndup (target, mark - target) : g_strdup (target);
      query = mark ? soup_form_decode (mark + 1) : NULL;

      verdict = rc_authorization_judge_redirect (&expected, path, (size & 1) ? "POST" : "GET", query, &code, &error);
      CHECK ((error != NULL) == (verdict == RC_REDIRECT_WRONG_ISSUER || verdict == RC_REDIRECT_ERROR));
      if (error != NULL)
        {
          CHECK (error->domain == RC_OAUTH_ERROR);
          CHECK (g_utf8_validate (error->message, -1, NULL));
        }
      if (verdict == RC_REDIRECT_CODE)
        {
          const char *iss = g_hash_table_lookup (query, "iss");

          CHECK (code != NULL);
          CHECK (g_str_equal (path, "/callback") && !(size & 1));
          CHECK (g_strcmp0 (g_hash_table_lookup (query, "state"), STATE) == 0);
          CHECK (iss == NULL ? !requires_iss : g_str_equal (iss, ISSUER));
        }
      else
        CHECK (code == NULL);
    }
  return 0;
}
