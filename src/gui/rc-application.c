/* rc-application.c
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-application.h"
#include "rc-window.h"

struct _RcApplication
{
  AdwApplication  parent_instance;

  /* The one owner of the app's settings: windows get theirs bound here. */
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (RcApplication, rc_application, ADW_TYPE_APPLICATION)

static void
rc_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  RcApplication *self = user_data;
  static const char *developers[] = { "The Reconnect developers", NULL };
  GtkWindow *window;
  GtkWidget *about;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Reconnect"),
                        "developer-name", _("The Reconnect developers"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_URL,
                        "issue-url", PACKAGE_BUGREPORT,
                        "copyright", "© 2026 The Reconnect developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: Replace "translator-credits" with your name/username, and optionally an email or URL. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
rc_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = rc_application_about_action },
  { .name = "quit", .activate = rc_application_quit_action },
};

static void
rc_application_startup (GApplication *app)
{
  RcApplication *self = RC_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (rc_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
rc_application_activate (GApplication *app)
{
  RcApplication *self = RC_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (rc_window_new (self));

  gtk_window_present (window);
}

static void
rc_application_window_added (GtkApplication *app,
                             GtkWindow      *window)
{
  RcApplication *self = RC_APPLICATION (app);

  GTK_APPLICATION_CLASS (rc_application_parent_class)->window_added (app, window);

  /* The main window keeps its size across runs.  Only the first one binds, so
   * two windows do not fight over the same keys. */
  if (RC_IS_WINDOW (window) && g_object_get_data (G_OBJECT (self->settings), "rc-window") == NULL)
    {
      g_object_set_data (G_OBJECT (self->settings), "rc-window", window);
      g_settings_bind (self->settings, "window-width", window, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", window, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", window, "maximized", G_SETTINGS_BIND_DEFAULT);
    }
}

static void
rc_application_window_removed (GtkApplication *app,
                               GtkWindow      *window)
{
  RcApplication *self = RC_APPLICATION (app);

  if (g_object_get_data (G_OBJECT (self->settings), "rc-window") == window)
    {
      g_settings_unbind (window, "default-width");
      g_settings_unbind (window, "default-height");
      g_settings_unbind (window, "maximized");
      g_object_set_data (G_OBJECT (self->settings), "rc-window", NULL);
    }

  GTK_APPLICATION_CLASS (rc_application_parent_class)->window_removed (app, window);
}

static void
rc_application_finalize (GObject *object)
{
  RcApplication *self = RC_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rc_application_parent_class)->finalize (object);
}

static void
rc_application_class_init (RcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = rc_application_finalize;

  app_class->startup = rc_application_startup;
  app_class->activate = rc_application_activate;

  gtk_app_class->window_added = rc_application_window_added;
  gtk_app_class->window_removed = rc_application_window_removed;
}

static void
rc_application_init (RcApplication *self)
{
  self->settings = g_settings_new (BASE_ID);
}

/**
 * rc_application_new:
 *
 * Creates the application: single instance per session, activatable over
 * D-Bus, with its resources (templates, style, shortcuts) under the same path
 * in every build profile.
 *
 * Returns: (transfer full): a new #RcApplication
 */
RcApplication *
rc_application_new (void)
{
  return g_object_new (RC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * rc_application_get_settings:
 * @self: a #RcApplication
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
rc_application_get_settings (RcApplication *self)
{
  g_return_val_if_fail (RC_IS_APPLICATION (self), NULL);

  return self->settings;
}
