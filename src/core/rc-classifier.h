/* rc-classifier.h: from what a server said to a cause id
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What is known about the account beside the error itself. */
typedef struct
{
  const char *provider;         /* "salesforce", "entra" or "oidc" */
  gint64      now;              /* unix seconds */
  gint64      signed_in_at;     /* 0 when unknown */
  gint64      last_refresh_at;  /* the last refresh that worked; 0 for none */
} RcClassifierContext;

#define RC_CLASSIFIER_CLOCK_SKEW_LIMIT (5 * 60)
#define RC_CLASSIFIER_IMMEDIATE_WINDOW (15 * 60)
#define RC_CLASSIFIER_RECENT_USE       (24 * 60 * 60)

const char *rc_classifier_classify_error (const GError              *error,
                                          const RcClassifierContext *context);

G_END_DECLS
