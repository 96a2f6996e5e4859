/* fuzz-discovery.c: OpenID Connect discovery documents into RcProvider
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is parsed as JSON the way a caller does (rc_json_parse) and
 * applied as the discovery document of a provider whose issuer is
 * https://idp.example.com (or, by the first byte, a loopback one).  Beyond
 * "no crash", it checks: a document is taken or refused with an error,
 * never both; a refused one leaves no endpoint; every endpoint of a taken
 * one is on the issuer's own server, the token endpoint included.
 */

#include "config.h"

#include "fuzz-common.h"

#include "rc-json.h"
#include "rc-oidc-provider.h"
#include "rc-protocol-error.h"

static void
check_on_server (const char *url,
                 const char *issuer)
{
  g_autoptr(GUri) a = NULL;
  g_autoptr(GUri) b = NULL;

  if (url == NULL)
    return;
  a = g_uri_parse (issuer, G_URI_FLAGS_NONE, NULL);
  b = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  CHECK (a != NULL && b != NULL);
  CHECK (g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0);
  CHECK (g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0);
  CHECK (g_uri_get_port (a) == g_uri_get_port (b));
}

FUZZ_DEFINE_INITIALIZE

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const issuers[] = { "https://idp.example.com", "http://127.0.0.1:8080/realms/acme/" };
  const char *issuer = issuers[size > 0 && (data[0] & 1)];
  /* an exact-size copy, so a read past the end is caught */
  g_autofree char *copy = g_memdup2 (data, size);
  g_autoptr(JsonNode) root = rc_json_parse (copy, size, NULL);
  g_autoptr(RcProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  gboolean taken;

  if (root == NULL)
    return 0;

  provider = rc_oidc_provider_new (issuer, "client", NULL, NULL, &error);
  CHECK (provider != NULL && error == NULL);
  taken = rc_provider_apply_discovery (provider, root, &error);
  CHECK (taken == (error == NULL));
  if (!taken)
    {
      CHECK (error->domain == RC_OAUTH_ERROR);
      CHECK (g_utf8_validate (error->message, -1, NULL));
      CHECK (rc_provider_get_token_endpoint (provider) == NULL);
      CHECK (rc_provider_get_userinfo_endpoint (provider) == NULL);
      return 0;
    }

  CHECK (rc_provider_get_token_endpoint (provider) != NULL);
  check_on_server (rc_provider_get_token_endpoint (provider), issuer);
  check_on_server (rc_provider_get_device_endpoint (provider), issuer);
  check_on_server (rc_provider_get_revocation_endpoint (provider), issuer);
  check_on_server (rc_provider_get_userinfo_endpoint (provider), issuer);
  return 0;
}
