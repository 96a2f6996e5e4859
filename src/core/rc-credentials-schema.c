/* rc-credentials-schema.c
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rc-credentials-schema.h"

/**
 * rc_credentials_schema_get:
 *
 * The libsecret schema of the keyring item that holds one account's token
 * bundle.  Items are found by `account-id`, which holds the account's
 * keyring key (random for a user's account, never reused); `generation`
 * changes when the stored format does, so an older item is never read as a
 * newer one; `server` (the issuer) and `client-id` say where the tokens came
 * from, and so the only place they may be sent.  Attributes are stored
 * unencrypted by the Secret Service, so none may ever carry anything secret.
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
rc_credentials_schema_get (void)
{
  static const SecretSchema schema = {
    .name = RC_CREDENTIALS_SCHEMA_NAME,
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "generation", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}
