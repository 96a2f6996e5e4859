/* rc-classifier.h: from what a server said to a cause id
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rc-cause.h"
#include "rc-protocol-error.h"

G_BEGIN_DECLS

/* What is known about the account beside the error itself. */
typedef struct
{
  const char *provider;         /* "salesforce", "entra" or "oidc" */
  gint64      now;              /* unix seconds */
  gint64      signed_in_at;     /* 0 when unknown */
  gint64      last_refresh_at;  /* the last refresh that worked; 0 for none */
  const char *previous_cause;   /* what the last failed check found; NULL for none */
  /* The Refresh Token Policy when the admin told us: "until-revoked",
   * "immediately", "inactivity" (expire if not used for) or "absolute"
   * (expire after); NULL when unknown. */
  const char *refresh_token_policy;
} RcClassifierContext;

/* One cause the evidence supports, and how strongly. */
typedef struct
{
  const char   *cause;
  RcConfidence  confidence;
} RcClassifierGuess;

#define RC_CLASSIFIER_MAX_GUESSES 4

#define RC_CLASSIFIER_CLOCK_SKEW_LIMIT (5 * 60)
#define RC_CLASSIFIER_IMMEDIATE_WINDOW (15 * 60)
#define RC_CLASSIFIER_RECENT_USE       (24 * 60 * 60)

const char *rc_classifier_classify_error          (const GError              *error,
                                                   const RcClassifierContext *context);
guint       rc_classifier_classify_error_full     (const GError              *error,
                                                   const RcClassifierContext *context,
                                                   RcClassifierGuess          guesses[RC_CLASSIFIER_MAX_GUESSES]);
guint       rc_classifier_classify_protocol_error (const RcProtocolError     *problem,
                                                   const RcClassifierContext *context,
                                                   RcClassifierGuess          guesses[RC_CLASSIFIER_MAX_GUESSES]);

const char *rc_classifier_cause_for_entra_code    (gint64                     code);
const char *rc_classifier_cause_for_error         (const char                *error);
const char *rc_classifier_cause_for_api_code      (const char                *api_error_code);

G_END_DECLS
