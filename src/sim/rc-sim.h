/* rc-sim.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RC_SIM_ERROR (rc_sim_error_quark ())

typedef enum
{
  RC_SIM_ERROR_UNKNOWN_SCENARIO,
  RC_SIM_ERROR_UNKNOWN_USER,
  RC_SIM_ERROR_UNKNOWN_CODE,
  RC_SIM_ERROR_BAD_REQUEST,
} RcSimError;

/* Salesforce's connected-app "Refresh Token Policy". */
typedef enum
{
  RC_SIM_REFRESH_VALID_UNTIL_REVOKED,
  RC_SIM_REFRESH_IMMEDIATELY_EXPIRE,
  RC_SIM_REFRESH_EXPIRE_IF_NOT_USED,
  RC_SIM_REFRESH_EXPIRE_AFTER,
} RcSimRefreshPolicy;

#define RC_TYPE_SIM (rc_sim_get_type ())

G_DECLARE_FINAL_TYPE (RcSim, rc_sim, RC, SIM, GObject)

GQuark              rc_sim_error_quark          (void);

RcSim              *rc_sim_new                  (void);
gboolean            rc_sim_listen               (RcSim              *self,
                                                 guint               port,
                                                 GError            **error);
void                rc_sim_stop                 (RcSim              *self);
guint               rc_sim_get_port             (RcSim              *self);
char               *rc_sim_get_salesforce_url   (RcSim              *self);
char               *rc_sim_get_entra_url        (RcSim              *self);
char               *rc_sim_get_control_url      (RcSim              *self);
char               *rc_sim_get_ready_line       (RcSim              *self);
const char         *rc_sim_get_client_id        (RcSim              *self);
const char         *rc_sim_get_tenant           (RcSim              *self);

void                rc_sim_add_user             (RcSim              *self,
                                                 const char         *username,
                                                 const char         *display_name);
GStrv               rc_sim_dup_usernames        (RcSim              *self);
void                rc_sim_add_client           (RcSim              *self,
                                                 const char         *client_id);
void                rc_sim_add_redirect_uri     (RcSim              *self,
                                                 const char         *redirect_uri);

const char * const *rc_sim_list_scenarios       (void);
gboolean            rc_sim_set_scenario         (RcSim              *self,
                                                 const char         *name,
                                                 GError            **error);
const char         *rc_sim_get_scenario         (RcSim              *self);

void                rc_sim_set_refresh_policy   (RcSim              *self,
                                                 RcSimRefreshPolicy  policy,
                                                 gint64              seconds);
void                rc_sim_set_idle_limit       (RcSim              *self,
                                                 gboolean            enabled);
void                rc_sim_set_rotation         (RcSim              *self,
                                                 gboolean            enabled);
void                rc_sim_set_latency          (RcSim              *self,
                                                 guint               milliseconds);
void                rc_sim_set_autopilot        (RcSim              *self,
                                                 gboolean            enabled);

void                rc_sim_set_device_interval  (RcSim              *self,
                                                 guint               seconds);
void                rc_sim_set_slow_downs       (RcSim              *self,
                                                 guint               count);
void                rc_sim_advance_clock        (RcSim              *self,
                                                 gint64              seconds);
gint64              rc_sim_get_now              (RcSim              *self);

gboolean            rc_sim_approve_device       (RcSim              *self,
                                                 const char         *user_code,
                                                 const char         *username,
                                                 GError            **error);
guint               rc_sim_get_request_count    (RcSim              *self,
                                                 const char         *endpoint);
guint               rc_sim_get_live_grants      (RcSim              *self);
char               *rc_sim_dup_state_json       (RcSim              *self);

G_END_DECLS
