/* rc-test-browser.h: a scripted browser for the built-in simulator
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RcTestBrowser RcTestBrowser;

RcTestBrowser *rc_test_browser_new                 (const char    *username,
                                                    const char    *decision);
void           rc_test_browser_free                (RcTestBrowser *self);
void           rc_test_browser_set_decision        (RcTestBrowser *self,
                                                    const char    *decision);
void           rc_test_browser_launch              (const char    *uri,
                                                    gpointer       browser);
guint          rc_test_browser_get_launches        (RcTestBrowser *self);
const char    *rc_test_browser_get_uri             (RcTestBrowser *self);
gboolean       rc_test_browser_get_done            (RcTestBrowser *self);
guint          rc_test_browser_get_redirect_status (RcTestBrowser *self);
const char    *rc_test_browser_get_redirect_body   (RcTestBrowser *self);
const char    *rc_test_browser_get_error           (RcTestBrowser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTestBrowser, rc_test_browser_free)

G_END_DECLS
