/* rc-json.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than any answer a provider sends; json-glib recurses once per level. */
#define RC_JSON_MAX_DEPTH 64

JsonNode   *rc_json_parse            (const char  *data,
                                      gsize        size,
                                      GError     **error);
const char *rc_json_get_string       (JsonObject  *object,
                                      const char  *member);
gboolean    rc_json_node_get_integer (JsonNode    *node,
                                      gint64       min,
                                      gint64       max,
                                      gint64      *out);

G_END_DECLS
