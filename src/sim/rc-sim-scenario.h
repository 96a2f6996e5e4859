/* rc-sim-scenario.h: how the simulator answers for each cause id.
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  /* On entry, every access token issued so far stops working. */
  RC_SIM_EFFECT_EXPIRE_SESSIONS = 1 << 0,
  /* On entry, every grant issued so far is revoked. */
  RC_SIM_EFFECT_REVOKE_GRANTS   = 1 << 1,
  /* The answer hits only grants made before the scenario began: a new
   * interactive sign-in fixes it (the user's causes). */
  RC_SIM_EFFECT_OLD_GRANTS_ONLY = 1 << 2,
  /* Every endpoint but the control API answers this way. */
  RC_SIM_EFFECT_DROP            = 1 << 3,
  RC_SIM_EFFECT_UNAVAILABLE     = 1 << 4,
  RC_SIM_EFFECT_RATE_LIMITED    = 1 << 5,
  RC_SIM_EFFECT_PROXY_AUTH      = 1 << 6,
  RC_SIM_EFFECT_SKEW_DATE       = 1 << 7,
  RC_SIM_EFFECT_SLOW            = 1 << 8,
  RC_SIM_EFFECT_MALFORMED       = 1 << 9,
  /* Interactive sign-in: the consent page's Allow acts as Deny. */
  RC_SIM_EFFECT_DENY_CONSENT    = 1 << 10,
  /* Interactive sign-in: no redirect URI counts as registered. */
  RC_SIM_EFFECT_BAD_REDIRECT    = 1 << 11,
  /* Interactive sign-in: the login page refuses the user. */
  RC_SIM_EFFECT_REFUSE_LOGIN    = 1 << 12,
  /* Every endpoint answers with a hotspot's sign-in page. */
  RC_SIM_EFFECT_PORTAL          = 1 << 13,
} RcSimEffect;

/* One provider's token-endpoint answer; status 0 means "answer normally". */
typedef struct
{
  guint       status;
  const char *error;
  const char *description;  /* Salesforce: whole; Entra: after "AADSTSnnn: " */
  guint       aadsts;
  const char *suberror;
  gboolean    claims;
} RcSimAnswer;

typedef struct
{
  const char  *name;
  guint        effects;
  RcSimAnswer  salesforce;
  RcSimAnswer  entra;
} RcSimScenario;

const RcSimScenario *rc_sim_scenario_lookup (const char *name);
const char * const  *rc_sim_scenario_names  (void);

G_END_DECLS
