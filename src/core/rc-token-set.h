/* rc-token-set.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _RcTokenSet RcTokenSet;

#define RC_TYPE_TOKEN_SET (rc_token_set_get_type ())

GType        rc_token_set_get_type            (void) G_GNUC_CONST;

RcTokenSet  *rc_token_set_new                 (const char         *access_token,
                                               const char         *refresh_token,
                                               const char         *id_token,
                                               gint64              issued_at,
                                               gint64              expires_at,
                                               const char * const *scopes,
                                               const char         *instance_url,
                                               const char         *identity_url);
RcTokenSet  *rc_token_set_new_from_response   (JsonNode           *response,
                                               gint64              now,
                                               GError            **error);
RcTokenSet  *rc_token_set_new_from_json       (const char         *json,
                                               GError            **error);
RcTokenSet  *rc_token_set_refreshed           (RcTokenSet         *self,
                                               RcTokenSet         *fresh);
RcTokenSet  *rc_token_set_ref                 (RcTokenSet         *self);
void         rc_token_set_unref               (RcTokenSet         *self);

const char  *rc_token_set_get_access_token    (RcTokenSet         *self);
const char  *rc_token_set_get_refresh_token   (RcTokenSet         *self);
const char  *rc_token_set_get_id_token        (RcTokenSet         *self);
gint64       rc_token_set_get_issued_at       (RcTokenSet         *self);
gint64       rc_token_set_get_expires_at      (RcTokenSet         *self);
const char * const *rc_token_set_get_scopes   (RcTokenSet         *self);
const char  *rc_token_set_get_instance_url    (RcTokenSet         *self);
const char  *rc_token_set_get_identity_url    (RcTokenSet         *self);
gboolean     rc_token_set_expires_within      (RcTokenSet         *self,
                                               gint64              now,
                                               gint64              seconds);

char        *rc_token_set_to_json             (RcTokenSet         *self);
char        *rc_token_set_dup_fingerprint     (RcTokenSet         *self);

void         rc_secret_free                   (char               *secret);
void         rc_secret_protect_process        (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTokenSet, rc_token_set_unref)

G_END_DECLS
