/* rc-cause.h: the stable cause ids, who acts on each, and what it does to an account
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-account.h"

G_BEGIN_DECLS

typedef enum
{
  RC_AUDIENCE_NONE,       /* "unknown": nobody knows yet */
  RC_AUDIENCE_AUTOMATIC,  /* Reconnect fixes it itself */
  RC_AUDIENCE_USER,
  RC_AUDIENCE_ADMIN,
  RC_AUDIENCE_WAIT,       /* it passes on its own */
} RcAudience;

/* How strongly the evidence points at a cause; the order is the ranking. */
typedef enum
{
  RC_CONFIDENCE_LOW,     /* one of several causes the evidence allows */
  RC_CONFIDENCE_MEDIUM,  /* the likeliest reading of evidence that does not decide */
  RC_CONFIDENCE_HIGH,    /* the evidence names the cause */
} RcConfidence;

const char * const *rc_cause_list          (void);
gboolean            rc_cause_is_known      (const char *cause);
RcAudience          rc_cause_get_audience  (const char *cause);
const char         *rc_audience_to_string  (RcAudience  audience);
RcConnectionState   rc_cause_get_state     (const char *cause);
const char         *rc_cause_get_summary   (const char *cause);
gboolean            rc_cause_sign_in_helps (const char *cause);
const char         *rc_confidence_to_string (RcConfidence confidence);

G_END_DECLS
