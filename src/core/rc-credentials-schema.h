/* rc-credentials-schema.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

#define RC_CREDENTIALS_SCHEMA_NAME "io.github.reconnect.Reconnect.Credentials"

const SecretSchema *rc_credentials_schema_get (void) G_GNUC_CONST;

G_END_DECLS
