/* rc-window.c
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-window.h"

struct _RcWindow
{
  AdwApplicationWindow  parent_instance;

  AdwHeaderBar         *header_bar;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (RcWindow, rc_window, ADW_TYPE_APPLICATION_WINDOW)

static void
rc_window_class_init (RcWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/rc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RcWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, empty_page);
}

static void
rc_window_init (RcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

/**
 * rc_window_new:
 * @application: the #RcApplication the window belongs to
 *
 * Returns: (transfer full): a new main window
 */
RcWindow *
rc_window_new (RcApplication *application)
{
  g_return_val_if_fail (RC_IS_APPLICATION (application), NULL);

  return g_object_new (RC_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
