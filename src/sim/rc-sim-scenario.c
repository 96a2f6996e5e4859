/* rc-sim-scenario.c: how the simulator answers for each cause id.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bodies follow shared/reference/providers.md.  Salesforce gives no
 * machine-readable reason when a refresh fails: whatever the cause, most
 * failures are HTTP 400 invalid_grant "expired access/refresh token", and only
 * a few causes have their own error or description.  Entra always says why,
 * with an AADSTS code and sometimes a suberror.  Where a provider has no such
 * cause (no Entra "immediately expire" policy, no Salesforce device
 * registration), its side answers normally.  Descriptions name what the
 * real text names with {issued}, {valid_from}, {client}, {tenant} and
 * {resource}, filled in per request.
 */

#include "config.h"

#include "rc-sim-scenario.h"

#define SF_EXPIRED { 400, "invalid_grant", "expired access/refresh token", 0, NULL, FALSE }

static const RcSimScenario scenarios[] = {
  { "healthy", 0, { 0 }, { 0 } },

  { "session-expired", RC_SIM_EFFECT_EXPIRE_SESSIONS, { 0 }, { 0 } },

  { "refresh-token-expired",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_OLD_GRANTS_ONLY,
    SF_EXPIRED,
    { 400, "invalid_grant",
      "The refresh token has expired due to inactivity. The token was issued on {issued} and was inactive for 90.00:00:00.",
      700082, NULL, FALSE } },

  { "refresh-token-policy-immediate",
    RC_SIM_EFFECT_EXPIRE_SESSIONS,
    SF_EXPIRED,
    { 0 } },

  { "token-revoked",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_REVOKE_GRANTS | RC_SIM_EFFECT_OLD_GRANTS_ONLY,
    SF_EXPIRED,
    { 400, "invalid_grant",
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{issued}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{valid_from}'.",
      50173, "bad_token", FALSE } },

  { "bad-token",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_OLD_GRANTS_ONLY,
    SF_EXPIRED,
    { 400, "invalid_grant",
      "Provided grant is invalid or malformed.",
      70000, "bad_token", FALSE } },

  { "mfa-required",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_OLD_GRANTS_ONLY,
    { 0 },
    { 400, "invalid_grant",
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{resource}'.",
      50076, "basic_action", TRUE } },

  { "conditional-access",
    RC_SIM_EFFECT_EXPIRE_SESSIONS,
    { 0 },
    { 400, "invalid_grant",
      "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
      53003, "message_only", FALSE } },

  { "device-not-registered",
    RC_SIM_EFFECT_EXPIRE_SESSIONS,
    { 0 },
    { 400, "invalid_grant",
      "Device object was not found in the tenant '{tenant}' directory.",
      700003, "device_authentication_failed", FALSE } },

  { "client-secret-expired",
    RC_SIM_EFFECT_EXPIRE_SESSIONS,
    { 400, "invalid_client", "invalid client credentials", 0, NULL, FALSE },
    { 401, "invalid_client",
      "The provided client secret keys for app '{client}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
      7000222, NULL, FALSE } },

  { "app-not-approved",
    RC_SIM_EFFECT_EXPIRE_SESSIONS,
    { 400, "invalid_app_access", "user is not admin approved to access this app", 0, NULL, FALSE },
    { 400, "invalid_grant",
      "The user or administrator has not consented to use the application with ID '{client}'. Send an interactive authorization request for this user and resource.",
      65001, "consent_required", FALSE } },

  { "user-deactivated",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_REFUSE_LOGIN,
    { 400, "inactive_user", "User is inactive", 0, NULL, FALSE },
    { 400, "invalid_grant", "The user account is disabled.", 50057, NULL, FALSE } },

  { "password-changed",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_REVOKE_GRANTS | RC_SIM_EFFECT_OLD_GRANTS_ONLY,
    { 400, "invalid_grant", "authentication failure", 0, NULL, FALSE },
    { 400, "invalid_grant",
      "Session is invalid due to expiration or recent password change.",
      50133, NULL, FALSE } },

  { "password-expired",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_OLD_GRANTS_ONLY,
    { 0 },
    { 400, "invalid_grant", "The password is expired.", 50055, "user_password_expired", FALSE } },

  { "account-locked",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_REFUSE_LOGIN,
    { 400, "invalid_grant", "invalid username, password, security token; or user locked out.", 0, NULL, FALSE },
    { 400, "invalid_grant",
      "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.",
      50053, NULL, FALSE } },

  { "ip-restricted",
    RC_SIM_EFFECT_EXPIRE_SESSIONS,
    { 400, "invalid_grant", "IP restricted or invalid login hours", 0, NULL, FALSE },
    { 400, "invalid_grant",
      "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
      53003, "message_only", FALSE } },

  { "org-inactive",
    RC_SIM_EFFECT_EXPIRE_SESSIONS | RC_SIM_EFFECT_REFUSE_LOGIN,
    { 400, "inactive_org", "Org is locked, closed, or suspended", 0, NULL, FALSE },
    { 400, "invalid_grant",
      "The app needs access to a service ('{resource}') that your organization has not subscribed to or enabled. Contact your IT Admin to review the configuration of your service subscriptions.",
      650052, NULL, FALSE } },

  { "client-invalid",
    RC_SIM_EFFECT_EXPIRE_SESSIONS,
    { 400, "invalid_client_id", "client identifier invalid", 0, NULL, FALSE },
    { 400, "unauthorized_client",
      "Application with identifier '{client}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.",
      700016, NULL, FALSE } },

  { "redirect-mismatch", RC_SIM_EFFECT_BAD_REDIRECT, { 0 }, { 0 } },

  { "access-denied", RC_SIM_EFFECT_DENY_CONSENT, { 0 }, { 0 } },

  { "rate-limited", RC_SIM_EFFECT_RATE_LIMITED, { 0 }, { 0 } },

  { "service-unavailable", RC_SIM_EFFECT_UNAVAILABLE, { 0 }, { 0 } },

  { "network-offline", RC_SIM_EFFECT_DROP, { 0 }, { 0 } },

  { "captive-portal", RC_SIM_EFFECT_PORTAL, { 0 }, { 0 } },

  { "proxy-auth-required", RC_SIM_EFFECT_PROXY_AUTH, { 0 }, { 0 } },

  { "clock-skew", RC_SIM_EFFECT_SKEW_DATE, { 0 }, { 0 } },

  /* Not causes, but conditions a client must survive. */
  { "slow", RC_SIM_EFFECT_SLOW, { 0 }, { 0 } },
  { "malformed-json", RC_SIM_EFFECT_MALFORMED, { 0 }, { 0 } },
};

const RcSimScenario *
rc_sim_scenario_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (g_strcmp0 (scenarios[i].name, name) == 0)
      return &scenarios[i];

  return NULL;
}

const char * const *
rc_sim_scenario_names (void)
{
  static const char *names[G_N_ELEMENTS (scenarios) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
      names[i] = scenarios[i].name;

  return names;
}
