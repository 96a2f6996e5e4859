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
 *
 * Where the evidence allows more than one cause (Salesforce's one phrase for
 * every dead grant, a bare 401, Entra's "revoked, maybe a password change")
 * every supported cause is returned, the likeliest first; the first is what
 * an account shows.
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

/* The OAuth "error" field, Salesforce's and the standard ones.  The
 * confidence is high unless listed in weak_errors. */
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

/* Errors that name a likely cause but not the only one. */
static const char * const weak_errors[] = {
  "unauthorized_client", "invalid_client", "interaction_required", "server_error",
};

/* Salesforce's invalid_grant descriptions: a fixed phrase per condition. */
static const Mapping salesforce_grants[] = {
  { "ip restricted or invalid login hours", "ip-restricted" },
  { "invalid username, password, security token; or user locked out.", "account-locked" },
  { "authentication failure", "password-changed" },
  { "inactive user", "user-deactivated" },
  { "user is inactive", "user-deactivated" },
  { "org is locked, closed, or suspended", "org-inactive" },
};

/* Salesforce REST errorCode values. */
static const Mapping api_codes[] = {
  { "INVALID_SESSION_ID", "session-expired" },
  { "REQUEST_LIMIT_EXCEEDED", "rate-limited" },
  { "SERVER_UNAVAILABLE", "service-unavailable" },
  { "API_DISABLED_FOR_ORG", "org-inactive" },
  { "INVALID_AUTH_HEADER", "bad-token" },
  { "Bad_OAuth_Token", "bad-token" },
};


typedef struct
{
  RcClassifierGuess *guesses;
  guint              n;
} Guesses;

/* Adds @cause unless it is there already; the first word on a cause stays. */
static void
add (Guesses      *out,
     const char   *cause,
     RcConfidence  confidence)
{
  for (guint i = 0; i < out->n; i++)
    if (g_str_equal (out->guesses[i].cause, cause))
      return;
  if (out->n == RC_CLASSIFIER_MAX_GUESSES)
    return;
  out->guesses[out->n].cause = cause;
  out->guesses[out->n].confidence = confidence;
  out->n++;
}

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

static void
classify_transport (const GError *error,
                    Guesses      *out)
{
  add (out, error->domain == G_TLS_ERROR ? "tls-error" : "network-offline", RC_CONFIDENCE_HIGH);
}

static gboolean
is_skewed (const RcClassifierContext *context,
           gint64                     server_date)
{
  return context != NULL && context->now > 0 && server_date > 0 &&
         ABS (server_date - context->now) > RC_CLASSIFIER_CLOCK_SKEW_LIMIT;
}

static gboolean
is_dead_grant_cause (const char *cause)
{
  return g_strcmp0 (cause, "refresh-token-expired") == 0 ||
         g_strcmp0 (cause, "refresh-token-policy-immediate") == 0 ||
         g_strcmp0 (cause, "token-revoked") == 0;
}

/* Salesforce says "expired access/refresh token" for every dead grant; the
 * policy, when known, or else when it happened tells which one killed it.
 * The others stay listed: Salesforce never says, and nothing here proves. */
static void
classify_dead_grant (const RcClassifierContext *context,
                     Guesses                   *out)
{
  const char *policy = context ? context->refresh_token_policy : NULL;
  const char *first = "refresh-token-expired";
  RcConfidence confidence = RC_CONFIDENCE_MEDIUM;

  if (g_strcmp0 (policy, "immediately") == 0)
    {
      first = "refresh-token-policy-immediate";
      confidence = RC_CONFIDENCE_HIGH;
    }
  else if (context != NULL && context->now > 0 && context->last_refresh_at > 0 &&
           context->now - context->last_refresh_at < RC_CLASSIFIER_RECENT_USE)
    first = "token-revoked";
  else if (context != NULL && context->now > 0 && context->signed_in_at > 0 &&
           context->last_refresh_at < context->signed_in_at &&
           context->now - context->signed_in_at < RC_CLASSIFIER_IMMEDIATE_WINDOW)
    first = "refresh-token-policy-immediate";
  else if (g_strcmp0 (policy, "until-revoked") == 0)
    first = "token-revoked";
  else if ((context == NULL || context->now <= 0 || context->signed_in_at <= 0) &&
           is_dead_grant_cause (context ? context->previous_cause : NULL))
    first = context->previous_cause;

  add (out, first, confidence);
  add (out, "refresh-token-expired", RC_CONFIDENCE_LOW);
  add (out, "token-revoked", RC_CONFIDENCE_LOW);
  add (out, "refresh-token-policy-immediate", RC_CONFIDENCE_LOW);
}

static gboolean
is_weak_error (const char *error)
{
  for (guint i = 0; i < G_N_ELEMENTS (weak_errors); i++)
    if (g_strcmp0 (weak_errors[i], error) == 0)
      return TRUE;
  return FALSE;
}

/* What each first guess leaves open. */
static void
add_alternatives (Guesses *out)
{
  const char *first;

  if (out->n == 0)
    return;
  first = out->guesses[0].cause;
  if (g_str_equal (first, "password-changed"))
    add (out, "token-revoked", RC_CONFIDENCE_LOW);
  else if (g_str_equal (first, "client-secret-expired"))
    add (out, "client-invalid", RC_CONFIDENCE_LOW);
  else if (g_str_equal (first, "session-expired"))
    add (out, "bad-token", RC_CONFIDENCE_LOW);
}

static void
classify_protocol (const RcProtocolError     *problem,
                   const RcClassifierContext *context,
                   Guesses                   *out)
{
  const GError *transport = rc_protocol_error_get_transport_error (problem);
  guint status = rc_protocol_error_get_http_status (problem);
  const char *oauth_error = rc_protocol_error_get_error (problem);
  const char *cause;
  const gint64 *codes;
  guint n_codes = 0;
  gint64 server_date = rc_protocol_error_get_server_date (problem);

  if (transport != NULL)
    {
      classify_transport (transport, out);
      return;
    }

  /* A web page where the service answers in JSON, or a redirect where it
   * answers at all: something on the network stands in for the service,
   * most often a hotspot's sign-in page.  Not the user's sign-in. */
  if (SOUP_STATUS_IS_SUCCESSFUL (status) && g_strcmp0 (rc_protocol_error_get_media_type (problem), "text/html") == 0)
    add (out, "captive-portal", RC_CONFIDENCE_HIGH);
  else if (SOUP_STATUS_IS_REDIRECTION (status))
    add (out, "captive-portal", RC_CONFIDENCE_MEDIUM);
  else if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    add (out, "proxy-auth-required", RC_CONFIDENCE_HIGH);
  else if (status == 429)
    add (out, "rate-limited", RC_CONFIDENCE_HIGH);

  codes = rc_protocol_error_get_error_codes (problem, &n_codes);
  for (guint i = 0; i < n_codes; i++)
    if ((cause = rc_classifier_cause_for_entra_code (codes[i])))
      add (out, cause, RC_CONFIDENCE_HIGH);

  if ((cause = map (suberrors, G_N_ELEMENTS (suberrors), rc_protocol_error_get_suberror (problem), FALSE)))
    add (out, cause, g_str_equal (cause, "password-expired") ? RC_CONFIDENCE_HIGH : RC_CONFIDENCE_MEDIUM);
  if ((cause = rc_classifier_cause_for_api_code (rc_protocol_error_get_api_error_code (problem))))
    add (out, cause, RC_CONFIDENCE_HIGH);
  if ((cause = rc_classifier_cause_for_error (oauth_error)))
    add (out, cause, is_weak_error (oauth_error) ? RC_CONFIDENCE_MEDIUM : RC_CONFIDENCE_HIGH);

  if (out->n == 0 && g_strcmp0 (oauth_error, "invalid_grant") == 0)
    {
      const char *description = rc_protocol_error_get_description (problem);

      if ((cause = map (salesforce_grants, G_N_ELEMENTS (salesforce_grants), description, TRUE)))
        {
          add (out, cause, g_str_equal (cause, "password-changed") ? RC_CONFIDENCE_MEDIUM : RC_CONFIDENCE_HIGH);
          /* "authentication failure" is also what a deactivated user gets */
          if (g_str_equal (cause, "password-changed"))
            add (out, "user-deactivated", RC_CONFIDENCE_LOW);
        }
      else if (is_skewed (context, server_date))
        add (out, "clock-skew", RC_CONFIDENCE_MEDIUM);
      else
        classify_dead_grant (context, out);
    }

  if (out->n == 0 && status >= 500)
    add (out, "service-unavailable", RC_CONFIDENCE_HIGH);
  if (out->n == 0 && status == SOUP_STATUS_UNAUTHORIZED)
    add (out, "session-expired", RC_CONFIDENCE_MEDIUM);

  add_alternatives (out);

  /* A wrong clock breaks sign-ins in ways servers describe as other things. */
  if (is_skewed (context, server_date))
    add (out, "clock-skew", out->n == 0 ? RC_CONFIDENCE_MEDIUM : RC_CONFIDENCE_LOW);
}

static void
classify_error (const GError              *error,
                const RcClassifierContext *context,
                Guesses                   *out)
{
  RcProtocolError *problem;

  if (error->domain == RC_SECRET_ERROR)
    {
      add (out, error->code == RC_SECRET_ERROR_CORRUPT ? "bad-token" : "keyring-unavailable",
           RC_CONFIDENCE_HIGH);
      return;
    }

  if (error->domain == RC_OAUTH_ERROR)
    {
      switch ((RcOAuthErrorEnum) error->code)
        {
        case RC_OAUTH_ERROR_DENIED:
          add (out, "access-denied", RC_CONFIDENCE_HIGH);
          return;
        case RC_OAUTH_ERROR_INSECURE_URL:
          add (out, "tls-error", RC_CONFIDENCE_HIGH);
          return;
        default:
          break;
        }
    }

  problem = rc_oauth_error_get_protocol_error (error);
  if (problem != NULL)
    classify_protocol (problem, context, out);
  else if (error->domain == G_TLS_ERROR || error->domain == G_RESOLVER_ERROR ||
           error->domain == G_IO_ERROR)
    classify_transport (error, out);
}

/**
 * rc_classifier_classify_error_full:
 * @error: what a sign-in, refresh, probe or keyring call failed with
 * @context: (nullable): what is known about the account
 * @guesses: (out caller-allocates): the causes the evidence supports
 *
 * Returns: how many causes were found, the likeliest first in @guesses;
 *   0 when nothing explains @error
 */
guint
rc_classifier_classify_error_full (const GError              *error,
                                   const RcClassifierContext *context,
                                   RcClassifierGuess          guesses[RC_CLASSIFIER_MAX_GUESSES])
{
  Guesses out = { guesses, 0 };

  g_return_val_if_fail (error != NULL, 0);
  g_return_val_if_fail (guesses != NULL, 0);

  classify_error (error, context, &out);
  return out.n;
}

/**
 * rc_classifier_classify_protocol_error:
 * @problem: what a server said
 * @context: (nullable): what is known about the account
 * @guesses: (out caller-allocates): the causes the evidence supports
 *
 * Returns: how many causes were found, the likeliest first in @guesses
 */
guint
rc_classifier_classify_protocol_error (const RcProtocolError     *problem,
                                       const RcClassifierContext *context,
                                       RcClassifierGuess          guesses[RC_CLASSIFIER_MAX_GUESSES])
{
  Guesses out = { guesses, 0 };

  g_return_val_if_fail (problem != NULL, 0);
  g_return_val_if_fail (guesses != NULL, 0);

  classify_protocol (problem, context, &out);
  return out.n;
}

/**
 * rc_classifier_classify_error:
 * @error: what a sign-in, refresh, probe or keyring call failed with
 * @context: (nullable): what is known about the account
 *
 * Returns: the cause id that explains @error best, "unknown" when nothing does
 */
const char *
rc_classifier_classify_error (const GError              *error,
                              const RcClassifierContext *context)
{
  RcClassifierGuess guesses[RC_CLASSIFIER_MAX_GUESSES];

  g_return_val_if_fail (error != NULL, "unknown");

  if (rc_classifier_classify_error_full (error, context, guesses) == 0)
    return "unknown";
  return guesses[0].cause;
}

/**
 * rc_classifier_cause_for_entra_code:
 * @code: an AADSTS number
 *
 * Returns: (nullable): the cause the code names, or %NULL
 */
const char *
rc_classifier_cause_for_entra_code (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (entra_codes); i++)
    if (entra_codes[i].code == code)
      return entra_codes[i].cause;
  return NULL;
}

/**
 * rc_classifier_cause_for_error:
 * @error: (nullable): an OAuth "error" value, standard or Salesforce's
 *
 * Returns: (nullable): the cause it names on its own, or %NULL
 *   (invalid_grant names none: its description or the context decides)
 */
const char *
rc_classifier_cause_for_error (const char *error)
{
  return map (oauth_errors, G_N_ELEMENTS (oauth_errors), error, FALSE);
}

/**
 * rc_classifier_cause_for_api_code:
 * @api_error_code: (nullable): a Salesforce REST errorCode
 *
 * Returns: (nullable): the cause it names, or %NULL
 */
const char *
rc_classifier_cause_for_api_code (const char *api_error_code)
{
  return map (api_codes, G_N_ELEMENTS (api_codes), api_error_code, FALSE);
}
