/* rc-http.h: one HTTP exchange with a provider, bounded and classified
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define RC_HTTP_MAX_BODY        (1024 * 1024)
#define RC_HTTP_TIMEOUT_SECONDS 30
/* The longest one whole exchange may take, however the server paces it. */
#define RC_HTTP_DEADLINE_SECONDS 60

typedef struct
{
  guint   status;
  char   *content_type;
  GBytes *body;
  /* The body is only the first RC_HTTP_MAX_BODY bytes of a longer one. */
  gboolean truncated;
  gint64  server_date;
  char   *retry_after;
} RcHttpReply;

SoupSession *rc_http_session_new        (void);
void         rc_http_session_set_deadline (SoupSession        *session,
                                           guint               seconds);
gboolean     rc_http_check_url          (const char           *url,
                                         GError              **error);
char        *rc_http_dup_without_slash  (const char           *url);
SoupMessage *rc_http_form_message       (const char           *url,
                                         GHashTable           *form);
void         rc_http_send_async         (SoupSession          *session,
                                         SoupMessage          *msg,
                                         const char           *endpoint,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
RcHttpReply *rc_http_send_finish        (GAsyncResult         *result,
                                         GError              **error);
gboolean     rc_http_reply_is_json      (const RcHttpReply    *reply);
gboolean     rc_http_reply_check_not_page (const RcHttpReply  *reply,
                                           const char         *endpoint,
                                           GError            **error);
JsonNode    *rc_http_reply_parse_json   (const RcHttpReply    *reply,
                                         const char           *endpoint,
                                         GError              **error);
GError      *rc_http_reply_to_error     (const RcHttpReply    *reply,
                                         const char           *endpoint);
void         rc_http_reply_free         (RcHttpReply          *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcHttpReply, rc_http_reply_free)

G_END_DECLS
