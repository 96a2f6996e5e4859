/* rc-remedy.h: what to do about each cause, for the user and for the admin
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-account.h"
#include "rc-diagnosis.h"

G_BEGIN_DECLS

typedef struct _RcRemedy RcRemedy;

/* A place to go, with the account's My Domain or tenant filled in. */
typedef struct
{
  char *label;  /* translated */
  char *uri;
} RcRemedyLink;

const RcRemedy *rc_remedy_lookup             (const char     *cause);
const char     *rc_remedy_get_cause          (const RcRemedy *self);
const char     *rc_remedy_get_title          (const RcRemedy *self);
const char     *rc_remedy_get_what_happened  (const RcRemedy *self);
char          **rc_remedy_dup_user_steps     (const RcRemedy *self,
                                              const char     *provider);
char          **rc_remedy_dup_admin_steps    (const RcRemedy *self,
                                              const char     *provider);
GPtrArray      *rc_remedy_dup_links          (const RcRemedy *self,
                                              RcAccount      *account);
void            rc_remedy_link_free          (RcRemedyLink   *link);

char           *rc_remedy_dup_admin_message  (const char     *cause,
                                              RcAccount      *account,
                                              RcDiagnosis    *diagnosis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcRemedyLink, rc_remedy_link_free)

G_END_DECLS
