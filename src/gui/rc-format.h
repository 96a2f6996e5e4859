/* rc-format.h: the words the window uses for states and times
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-account.h"

G_BEGIN_DECLS

char       *rc_format_relative        (gint64             when,
                                       gint64             now);
char       *rc_format_duration        (gint64             seconds);
char       *rc_format_date            (gint64             when);
const char *rc_format_state_title     (RcConnectionState  state);
const char *rc_format_state_icon      (RcConnectionState  state);
const char *rc_format_provider_name   (const char        *provider);
char       *rc_format_account_subtitle (RcAccount        *account,
                                       gboolean           checking,
                                       gint64             next_check,
                                       gint64             now);
char       *rc_format_grace           (RcAccount         *account,
                                       guint              grace_days,
                                       gint64             now);

G_END_DECLS
