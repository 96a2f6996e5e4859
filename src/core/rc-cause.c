/* rc-cause.c: the stable cause ids, who acts on each, and what it does to an account
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-cause.h"

typedef struct
{
  const char        *id;
  RcAudience         audience;
  RcConnectionState  state;
  gboolean           sign_in_helps;
  const char        *summary;   /* one line for the banner and the account row */
} RcCause;

#define USER  RC_AUDIENCE_USER
#define ADMIN RC_AUDIENCE_ADMIN
#define WAIT  RC_AUDIENCE_WAIT
#define SIGN_IN RC_CONNECTION_NEEDS_SIGN_IN
#define NEEDS_ADMIN RC_CONNECTION_NEEDS_ADMIN
#define OFFLINE RC_CONNECTION_OFFLINE

/* The order is shared/DESIGN.md's; ids never change, the CLI and reports use them. */
static const RcCause causes[] = {
  { "session-expired", RC_AUDIENCE_AUTOMATIC, SIGN_IN, TRUE,
    N_("Your session ended and could not be renewed.") },
  { "refresh-token-expired", USER, SIGN_IN, TRUE,
    N_("Your sign-in expired after a period without use.") },
  { "refresh-token-policy-immediate", ADMIN, NEEDS_ADMIN, FALSE,
    N_("Your organization’s security settings end every sign-in at once.") },
  { "token-revoked", USER, SIGN_IN, TRUE,
    N_("Your sign-in was revoked.") },
  { "bad-token", USER, SIGN_IN, TRUE,
    N_("The saved sign-in is no longer accepted.") },
  { "mfa-required", USER, SIGN_IN, TRUE,
    N_("Your organization now asks for a second sign-in step.") },
  { "conditional-access", ADMIN, NEEDS_ADMIN, FALSE,
    N_("An access policy of your organization blocks this sign-in.") },
  { "device-not-registered", ADMIN, NEEDS_ADMIN, FALSE,
    N_("This computer is no longer registered with your organization.") },
  { "client-secret-expired", ADMIN, NEEDS_ADMIN, FALSE,
    N_("The app registration’s secret has expired.") },
  { "app-not-approved", ADMIN, NEEDS_ADMIN, FALSE,
    N_("The app is not approved for your account.") },
  { "user-deactivated", ADMIN, NEEDS_ADMIN, FALSE,
    N_("Your user account is deactivated.") },
  { "password-changed", USER, SIGN_IN, TRUE,
    N_("Your password changed, so the saved sign-in ended.") },
  { "password-expired", USER, SIGN_IN, TRUE,
    N_("Your password has expired.") },
  { "account-locked", USER, SIGN_IN, TRUE,
    N_("Your account is locked after too many attempts.") },
  { "ip-restricted", ADMIN, NEEDS_ADMIN, FALSE,
    N_("Sign-in is not allowed from this network or at this time.") },
  { "org-inactive", ADMIN, NEEDS_ADMIN, FALSE,
    N_("Your organization’s subscription is not active.") },
  { "client-invalid", ADMIN, NEEDS_ADMIN, FALSE,
    N_("The app is not known to your organization.") },
  { "redirect-mismatch", ADMIN, NEEDS_ADMIN, FALSE,
    N_("The app’s callback address is not registered.") },
  { "access-denied", USER, SIGN_IN, TRUE,
    N_("Access was not allowed at sign-in.") },
  { "rate-limited", WAIT, OFFLINE, FALSE,
    N_("The service asked to slow down.") },
  { "service-unavailable", WAIT, OFFLINE, FALSE,
    N_("The service is unavailable or under maintenance.") },
  { "network-offline", USER, OFFLINE, FALSE,
    N_("The service cannot be reached.") },
  { "tls-error", ADMIN, NEEDS_ADMIN, FALSE,
    N_("The service’s certificate is not trusted.") },
  { "captive-portal", USER, OFFLINE, FALSE,
    N_("This network asks you to sign in to it first.") },
  { "proxy-auth-required", USER, OFFLINE, FALSE,
    N_("The network proxy asks you to sign in.") },
  { "clock-skew", USER, SIGN_IN, FALSE,
    N_("This computer’s clock is wrong.") },
  { "keyring-unavailable", USER, SIGN_IN, FALSE,
    N_("The keyring is locked or not available.") },
  { "unknown", RC_AUDIENCE_NONE, SIGN_IN, TRUE,
    N_("The service refused the saved sign-in.") },
};

static const RcCause *
lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (causes); i++)
    if (g_strcmp0 (causes[i].id, id) == 0)
      return &causes[i];
  return NULL;
}

static const RcCause *
lookup_or_unknown (const char *id)
{
  const RcCause *cause = lookup (id);

  return cause != NULL ? cause : &causes[G_N_ELEMENTS (causes) - 1];
}

/**
 * rc_cause_list:
 *
 * Returns: (transfer none): every cause id, %NULL-terminated
 */
const char * const *
rc_cause_list (void)
{
  static const char *ids[G_N_ELEMENTS (causes) + 1];

  if (ids[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (causes); i++)
      ids[i] = causes[i].id;
  return ids;
}

gboolean
rc_cause_is_known (const char *cause)
{
  return lookup (cause) != NULL;
}

RcAudience
rc_cause_get_audience (const char *cause)
{
  return lookup_or_unknown (cause)->audience;
}

const char *
rc_audience_to_string (RcAudience audience)
{
  switch (audience)
    {
    case RC_AUDIENCE_AUTOMATIC: return "automatic";
    case RC_AUDIENCE_USER:      return "user";
    case RC_AUDIENCE_ADMIN:     return "admin";
    case RC_AUDIENCE_WAIT:      return "wait";
    case RC_AUDIENCE_NONE:
    default:                    return "none";
    }
}

/**
 * rc_cause_get_state:
 * @cause: a cause id
 *
 * Returns: the state an account is in when a check fails for @cause
 */
RcConnectionState
rc_cause_get_state (const char *cause)
{
  return lookup_or_unknown (cause)->state;
}

/**
 * rc_cause_get_summary:
 * @cause: a cause id
 *
 * Returns: one translated line that says why, in plain words
 */
const char *
rc_cause_get_summary (const char *cause)
{
  return _(lookup_or_unknown (cause)->summary);
}

/**
 * rc_cause_sign_in_helps:
 * @cause: a cause id
 *
 * Returns: whether signing in again is what fixes @cause
 */
gboolean
rc_cause_sign_in_helps (const char *cause)
{
  return lookup_or_unknown (cause)->sign_in_helps;
}

const char *
rc_confidence_to_string (RcConfidence confidence)
{
  switch (confidence)
    {
    case RC_CONFIDENCE_HIGH:   return "high";
    case RC_CONFIDENCE_MEDIUM: return "medium";
    case RC_CONFIDENCE_LOW:
    default:                   return "low";
    }
}
