/* rc-oidc-provider.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-provider.h"

G_BEGIN_DECLS

#define RC_OIDC_DEFAULT_REDIRECT "http://127.0.0.1/reconnect/oidc"
#define RC_OIDC_DEFAULT_SCOPE    "openid profile email offline_access"

#define RC_TYPE_OIDC_PROVIDER (rc_oidc_provider_get_type ())

G_DECLARE_FINAL_TYPE (RcOidcProvider, rc_oidc_provider, RC, OIDC_PROVIDER, RcProvider)

RcProvider *rc_oidc_provider_new (const char  *issuer,
                                  const char  *client_id,
                                  const char  *redirect_uri,
                                  const char  *scope,
                                  GError     **error);

G_END_DECLS
