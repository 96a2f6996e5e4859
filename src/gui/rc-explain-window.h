/* rc-explain-window.h: Explain an Error
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rc-diagnosis.h"

G_BEGIN_DECLS

#define RC_TYPE_EXPLAIN_WINDOW (rc_explain_window_get_type ())

G_DECLARE_FINAL_TYPE (RcExplainWindow, rc_explain_window, RC, EXPLAIN_WINDOW, AdwWindow)

RcExplainWindow *rc_explain_window_new           (GtkWindow       *parent);
void             rc_explain_window_open_file     (RcExplainWindow *self,
                                                  GFile           *file);
RcDiagnosis     *rc_explain_window_get_diagnosis (RcExplainWindow *self);

G_END_DECLS
