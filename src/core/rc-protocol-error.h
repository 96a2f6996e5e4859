/* rc-protocol-error.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RC_OAUTH_ERROR (rc_oauth_error_quark ())

/* What went wrong, in the terms the caller acts on.  The details the
 * classifier needs ride along as an #RcProtocolError. */
typedef enum
{
  RC_OAUTH_ERROR_TRANSPORT,        /* no answer: DNS, refused, reset, TLS, timeout */
  RC_OAUTH_ERROR_HTTP,             /* an answer, but not a success and not an OAuth error */
  RC_OAUTH_ERROR_REJECTED,         /* the server said no: an OAuth "error" or an API error */
  RC_OAUTH_ERROR_MALFORMED,        /* an answer that could not be understood */
  RC_OAUTH_ERROR_STATE_MISMATCH,   /* the redirect did not carry our state */
  RC_OAUTH_ERROR_ISSUER_MISMATCH,  /* the server is not the issuer we asked for */
  RC_OAUTH_ERROR_PORT_BUSY,        /* the fixed loopback port is taken */
  RC_OAUTH_ERROR_TIMED_OUT,        /* the user did not finish in time */
  RC_OAUTH_ERROR_EXPIRED,          /* the device code expired */
  RC_OAUTH_ERROR_DENIED,           /* the user declined */
  RC_OAUTH_ERROR_INSECURE_URL,     /* plain http to a host that is not loopback */
} RcOAuthErrorEnum;

typedef struct _RcProtocolError RcProtocolError;

#define RC_TYPE_PROTOCOL_ERROR (rc_protocol_error_get_type ())

GType            rc_protocol_error_get_type            (void) G_GNUC_CONST;
GQuark           rc_oauth_error_quark                  (void);

RcProtocolError *rc_protocol_error_new_from_response   (const char             *endpoint,
                                                        guint                   http_status,
                                                        const char             *content_type,
                                                        GBytes                 *body,
                                                        gint64                  server_date);
RcProtocolError *rc_protocol_error_new_from_response_full (const char           *endpoint,
                                                          guint                 http_status,
                                                          const char           *content_type,
                                                          GBytes               *body,
                                                          gint64                server_date,
                                                          const char           *retry_after);
RcProtocolError *rc_protocol_error_new_from_transport  (const char             *endpoint,
                                                        const GError           *error);
RcProtocolError *rc_protocol_error_new_from_redirect   (const char             *endpoint,
                                                        GHashTable             *query);
RcProtocolError *rc_protocol_error_ref                 (RcProtocolError        *self);
void             rc_protocol_error_unref               (RcProtocolError        *self);

const char      *rc_protocol_error_get_endpoint        (const RcProtocolError  *self);
guint            rc_protocol_error_get_http_status     (const RcProtocolError  *self);
const char      *rc_protocol_error_get_error           (const RcProtocolError  *self);
const char      *rc_protocol_error_get_description     (const RcProtocolError  *self);
const gint64    *rc_protocol_error_get_error_codes     (const RcProtocolError  *self,
                                                        guint                  *n_codes);
const char      *rc_protocol_error_get_suberror        (const RcProtocolError  *self);
const char      *rc_protocol_error_get_claims          (const RcProtocolError  *self);
const char      *rc_protocol_error_get_trace_id        (const RcProtocolError  *self);
const char      *rc_protocol_error_get_correlation_id  (const RcProtocolError  *self);
const char      *rc_protocol_error_get_api_error_code  (const RcProtocolError  *self);
const char      *rc_protocol_error_get_api_message     (const RcProtocolError  *self);
const GError    *rc_protocol_error_get_transport_error (const RcProtocolError  *self);
gint64           rc_protocol_error_get_server_date     (const RcProtocolError  *self);
gint64           rc_protocol_error_get_retry_after     (const RcProtocolError  *self);
const char      *rc_protocol_error_get_media_type      (const RcProtocolError  *self);

GError          *rc_protocol_error_to_gerror           (RcProtocolError        *self,
                                                        RcOAuthErrorEnum        code,
                                                        const char             *message);
RcProtocolError *rc_oauth_error_get_protocol_error     (const GError           *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcProtocolError, rc_protocol_error_unref)

G_END_DECLS
