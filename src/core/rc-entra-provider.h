/* rc-entra-provider.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-provider.h"

G_BEGIN_DECLS

#define RC_ENTRA_AUTHORITY        "https://login.microsoftonline.com"
/* Entra ignores the port of a loopback redirect; the path tells it apart. */
#define RC_ENTRA_DEFAULT_REDIRECT "http://127.0.0.1/reconnect/entra"

#define RC_TYPE_ENTRA_PROVIDER (rc_entra_provider_get_type ())

G_DECLARE_FINAL_TYPE (RcEntraProvider, rc_entra_provider, RC, ENTRA_PROVIDER, RcProvider)

gboolean    rc_entra_tenant_is_valid (const char  *tenant);
RcProvider *rc_entra_provider_new    (const char  *authority,
                                      const char  *tenant,
                                      const char  *client_id,
                                      const char  *redirect_uri,
                                      const char  *environment_url,
                                      GError     **error);

G_END_DECLS
