/* rc-salesforce-provider.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-provider.h"

G_BEGIN_DECLS

#define RC_SALESFORCE_PRODUCTION_URL   "https://login.salesforce.com"
#define RC_SALESFORCE_SANDBOX_URL      "https://test.salesforce.com"
/* Salesforce matches the callback URL exactly, so the port is fixed. */
#define RC_SALESFORCE_DEFAULT_REDIRECT "http://127.0.0.1:1717/OauthRedirect"

#define RC_TYPE_SALESFORCE_PROVIDER (rc_salesforce_provider_get_type ())

G_DECLARE_FINAL_TYPE (RcSalesforceProvider, rc_salesforce_provider, RC, SALESFORCE_PROVIDER, RcProvider)

RcProvider *rc_salesforce_provider_new (const char  *login_url,
                                        const char  *client_id,
                                        const char  *redirect_uri,
                                        GError     **error);

G_END_DECLS
