/* fuzz-device-reply.c: device authorization answers (RFC 8628) into
 * RcDeviceAuthorization
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is parsed as JSON the way a caller does and applied as the
 * device authorization endpoint's answer.  Beyond "no crash", it checks
 * what the sign-in dialog and `sign-in --device` show and wait on: taken
 * or refused with an error, never both; a taken answer has a user code, an
 * address the https rule allows, and an expiry and a polling interval
 * within their bounds.
 */

#include "config.h"

#include "fuzz-common.h"

#include "rc-device-authorization.h"
#include "rc-http.h"
#include "rc-json.h"
#include "rc-oidc-provider.h"
#include "rc-protocol-error.h"

FUZZ_DEFINE_INITIALIZE

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *copy = g_memdup2 (data, size);
  g_autoptr(JsonNode) root = rc_json_parse (copy, size, NULL);
  g_autoptr(RcProvider) provider = NULL;
  g_autoptr(RcDeviceAuthorization) device = NULL;
  g_autoptr(GError) error = NULL;
  const char *complete;
  gboolean taken;

  if (root == NULL)
    return 0;

  provider = rc_oidc_provider_new ("https://idp.example.com", "client", NULL, NULL, NULL);
  device = rc_device_authorization_new (provider);
  taken = rc_device_authorization_apply_reply (device, root, &error);
  CHECK (taken == (error == NULL));
  if (!taken)
    {
      CHECK (error->domain == RC_OAUTH_ERROR && error->code == RC_OAUTH_ERROR_MALFORMED);
      CHECK (rc_device_authorization_get_user_code (device) == NULL);
      return 0;
    }

  CHECK (rc_device_authorization_get_user_code (device) != NULL);
  CHECK (g_utf8_validate (rc_device_authorization_get_user_code (device), -1, NULL));
  CHECK (rc_http_check_url (rc_device_authorization_get_verification_uri (device), NULL));
  complete = rc_device_authorization_get_verification_uri_complete (device);
  CHECK (complete == NULL || rc_http_check_url (complete, NULL));
  CHECK (rc_device_authorization_get_expires_in (device) >= 1);
  CHECK (rc_device_authorization_get_expires_in (device) <= 60 * 60);
  CHECK (rc_device_authorization_get_interval (device) >= 1);
  CHECK (rc_device_authorization_get_interval (device) <= 60);
  return 0;
}
