/* rc-classifier.c: from what a server said to a cause id
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Structure decides: the HTTP status, the OAuth "error", Entra's error codes
 * and suberror, Salesforce's errorCode.  The only text read is a Salesforce
 * error_description, which is a fixed phrase per condition there, compared
 * whole and never searched in a JSON body.
 */

#include "config.h"

#include <libsoup/soup.h>

#include "rc-classifier.h"
#include "rc-protocol-error.h"
#include "rc-secret-store.h"

typedef struct
{
  gint64      code;
  const char *cause;
} EntraCode;

/* AADSTS codes, from shared/reference/providers.md §2.3. */
static const EntraCode entra_codes[] = {
  { 700082, "refresh-token-expired" }, { 70008, "refresh-token-expired" },
  { 700084, "refresh-token-expired" }, { 50089, "refresh-token-expired" },
  { 50076, "mfa-required" }, { 50079, "mfa-required" }, { 50074, "mfa-required" },
  { 50078, "mfa-required" }, { 50072, "mfa-required" },
  { 53003, "conditional-access" }, { 53000, "conditional-access" }, { 53001, "conditional-access" },
  { 53002, "conditional-access" }, { 50131, "conditional-access" }, { 530032, "conditional-access" },
  { 530035, "conditional-access" }, { 70043, "conditional-access" },
  { 700003, "device-not-registered" }, { 50155, "device-not-registered" },
  { 50097, "device-not-registered" }, { 50129, "device-not-registered" },
  { 135011, "device-not-registered" },
  { 7000222, "client-secret-expired" }, { 7000215, "client-secret-expired" },
  { 65001, "app-not-approved" },
  { 65004, "access-denied" },
  { 50057, "user-deactivated" }, { 50034, "user-deactivated" },
  { 50173, "password-changed" }, { 50133, "password-changed" }, { 50132, "password-changed" },
  { 50135, "password-changed" },
  { 50055, "password-expired" }, { 50144, "password-expired" },
  { 50053, "account-locked" },
  { 650052, "org-inactive" }, { 500011, "org-inactive" }, { 90002, "org-inactive" },
  { 7000112, "org-inactive" },
  { 700016, "client-invalid" }, { 70002, "client-invalid" },
  { 50011, "redirect-mismatch" },
  { 50196, "rate-limited" },
  { 70000, "bad-token" },
};

typedef struct
{
  const char *key;
  const char *cause;
} Mapping;

/* Entra's suberror, when no code decided. */
static const Mapping suberrors[] = {
  { "basic_action", "mfa-required" },
  { "user_password_expired", "password-expired" },
  { "bad_token", "bad-token" },
  { "token_expired", "bad-token" },
  { "device_authentication_failed", "device-not-registered" },
};

/* The OAuth "error" field, Salesforce's and the standard ones. */
static const Mapping oauth_errors[] = {
  { "inactive_user", "user-deactivated" },
  { "inactive_org", "org-inactive" },
  { "invalid_client_id", "client-invalid" },
  { "unauthorized_client", "client-invalid" },
  { "invalid_app_access", "app-not-approved" },
  { "consent_required", "app-not-approved" },
  { "invalid_client", "client-secret-expired" },
  { "redirect_uri_mismatch", "redirect-mismatch" },
  { "access_denied", "access-denied" },
  { "interaction_required", "mfa-required" },
  { "temporarily_unavailable", "service-unavailable" },
  { "server_error", "service-unavailable" },
  { "rate_limit_exceeded", "rate-limited" },
};

/* Salesforce's invalid_grant descriptions: a fixed phrase per condition. */
static const Mapping salesforce_grants[] = {
  { "ip restricted or invalid login hours", "ip-restricted" },
  { "invalid username, password, security token; or user locked out.", "account-locked" },
  { "authentication failure", "password-changed" },
  { "inactive user", "user-deactivated" },
  { "user is inactive", "user-deactivated" },
};

/* Salesforce REST errorCode values. */
static const Mapping api_codes[] = {
  { "INVALID_SESSION_ID", "session-expired" },
  { "REQUEST_LIMIT_EXCEEDED", "rate-limited" },
  { "SERVER_UNAVAILABLE", "service-unavailable" },
  { "API_DISABLED_FOR_ORG", "org-inactive" },
  { "INVALID_AUTH_HEADER", "bad-token" },
};

static const char *
map (const Mapping *table,
     gsize          n,
     const char    *key,
     gboolean       fold)
{
  g_autofree char *folded = NULL;

  if (key == NULL)
    return NULL;
  if (fold)
    key = folded = g_ascii_strdown (key, -1);
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (table[i].key, key))
      return table[i].cause;
  return NULL;
}

static const char *
classify_transport (const GError *error)
{
  return error->domain == G_TLS_ERROR ? "tls-error" : "network-offline";
}

/* Salesforce says "expired access/refresh token" for every dead grant; when
 * it happened tells which policy or event killed it. */
static const char *
classify_dead_grant (const RcClassifierContext *context)
{
  if (context == NULL || context->now <= 0)
    return "refresh-token-expired";

  if (context->last_refresh_at > 0 && context->now - context->last_refresh_at < RC_CLASSIFIER_RECENT_USE)
    return "token-revoked";
  if (context->signed_in_at > 0 && context->last_refresh_at < context->signed_in_at &&
      context->now - context->signed_in_at < RC_CLASSIFIER_IMMEDIATE_WINDOW)
    return "refresh-token-policy-immediate";
  return "refresh-token-expired";
}

static const char *
classify_protocol (const RcProtocolError   *problem,
                   const RcClassifierContext *context)
{
  const GError *transport = rc_protocol_error_get_transport_error (problem);
  guint status = rc_protocol_error_get_http_status (problem);
  const char *oauth_error = rc_protocol_error_get_error (problem);
  const char *cause;
  const gint64 *codes;
  guint n_codes = 0;
  gint64 server_date = rc_protocol_error_get_server_date (problem);

  if (transport != NULL)
    return classify_transport (transport);

  if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    return "proxy-auth-required";
  if (status == 429)
    return "rate-limited";

  codes = rc_protocol_error_get_error_codes (problem, &n_codes);
  for (guint i = 0; i < n_codes; i++)
    for (guint j = 0; j < G_N_ELEMENTS (entra_codes); j++)
      if (entra_codes[j].code == codes[i])
        return entra_codes[j].cause;

  if ((cause = map (suberrors, G_N_ELEMENTS (suberrors), rc_protocol_error_get_suberror (problem), FALSE)))
    return cause;
  if ((cause = map (api_codes, G_N_ELEMENTS (api_codes), rc_protocol_error_get_api_error_code (problem), FALSE)))
    return cause;
  if ((cause = map (oauth_errors, G_N_ELEMENTS (oauth_errors), oauth_error, FALSE)))
    return cause;

  if (g_strcmp0 (oauth_error, "invalid_grant") == 0)
    {
      const char *description = rc_protocol_error_get_description (problem);

      if ((cause = map (salesforce_grants, G_N_ELEMENTS (salesforce_grants), description, TRUE)))
        return cause;
      if (context != NULL && context->now > 0 && server_date > 0 &&
          ABS (server_date - context->now) > RC_CLASSIFIER_CLOCK_SKEW_LIMIT)
        return "clock-skew";
      return classify_dead_grant (context);
    }

  if (status >= 500)
    return "service-unavailable";
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return "session-expired";
  if (context != NULL && context->now > 0 && server_date > 0 &&
      ABS (server_date - context->now) > RC_CLASSIFIER_CLOCK_SKEW_LIMIT)
    return "clock-skew";
  return "unknown";
}

/**
 * rc_classifier_classify_error:
 * @error: what a sign-in, refresh, probe or keyring call failed with
 * @context: (nullable): what is known about the account
 *
 * Returns: the cause id that explains @error, "unknown" when nothing does
 */
const char *
rc_classifier_classify_error (const GError              *error,
                              const RcClassifierContext *context)
{
  RcProtocolError *problem;

  g_return_val_if_fail (error != NULL, "unknown");

  if (error->domain == RC_SECRET_ERROR)
    return error->code == RC_SECRET_ERROR_CORRUPT ? "bad-token" : "keyring-unavailable";

  if (error->domain == RC_OAUTH_ERROR)
    {
      switch ((RcOAuthErrorEnum) error->code)
        {
        case RC_OAUTH_ERROR_DENIED:
          return "access-denied";
        case RC_OAUTH_ERROR_INSECURE_URL:
          return "tls-error";
        default:
          break;
        }
    }

  problem = rc_oauth_error_get_protocol_error (error);
  if (problem != NULL)
    return classify_protocol (problem, context);

  if (error->domain == G_TLS_ERROR || error->domain == G_RESOLVER_ERROR ||
      error->domain == G_IO_ERROR)
    return classify_transport (error);

  return "unknown";
}
