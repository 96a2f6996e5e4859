/* rc-explain-window.c: Explain an Error
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the message another CRM add-in showed, or its log: what it means and
 * what to do.  Pasted text is explained at once; a log file is streamed
 * off the main thread, however large.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-explain-window.h"
#include "rc-format.h"
#include "rc-remedy.h"

struct _RcExplainWindow
{
  AdwWindow        parent_instance;

  RcDiagnosis     *diagnosis;
  GCancellable    *reading;
  GtkFileChooserNative *chooser;

  AdwToastOverlay *toast_overlay;
  GtkTextView     *text_view;
  GtkSpinner      *spinner;
  GtkWidget       *explain_button;
  GtkLabel        *summary_label;
  GtkBox          *results_box;
};

G_DEFINE_FINAL_TYPE (RcExplainWindow, rc_explain_window, ADW_TYPE_WINDOW)

enum {
  EXPLAINED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_text (RcExplainWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
clear_results (RcExplainWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_box))) != NULL)
    gtk_box_remove (self->results_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), FALSE);
}

static const char *
confidence_label (RcConfidence confidence)
{
  switch (confidence)
    {
    case RC_CONFIDENCE_HIGH:   return _("Clear match");
    case RC_CONFIDENCE_MEDIUM: return _("Likely");
    case RC_CONFIDENCE_LOW:
    default:                   return _("Possible");
    }
}

/* A group's title and description are markup in libadwaita 1.2: the
 * remedy's words are text, and so is a cause id that came from a report. */
static void
set_group_text (AdwPreferencesGroup *group,
                const char          *title,
                const char          *description)
{
  g_autofree char *title_markup = title ? g_markup_escape_text (title, -1) : NULL;
  g_autofree char *description_markup = description ? g_markup_escape_text (description, -1) : NULL;

  adw_preferences_group_set_title (group, title_markup);
  adw_preferences_group_set_description (group, description_markup);
}

static void
add_text_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *subtitle,
              gboolean             monospace)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (monospace)
    gtk_widget_add_css_class (row, "monospace");
  adw_preferences_group_add (group, row);
}

static void
add_steps (RcExplainWindow *self,
           const char      *title,
           char           **steps)
{
  AdwPreferencesGroup *group;

  if (steps == NULL || steps[0] == NULL)
    return;
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  set_group_text (group, title, NULL);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      /* Translators: a numbered step, "1. Sign in again" */
      g_autofree char *numbered = g_strdup_printf (_("%u. %s"), i + 1, steps[i]);

      add_text_row (group, numbered, NULL, FALSE);
    }
  gtk_box_append (self->results_box, GTK_WIDGET (group));
}

static void
add_finding (RcExplainWindow *self,
             const RcFinding *finding)
{
  const char *cause = rc_finding_get_cause (finding);
  const RcRemedy *remedy = rc_remedy_lookup (cause);
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const char * const *evidence = rc_finding_get_evidence (finding);
  GDateTime *first = rc_finding_get_first_seen (finding);
  GDateTime *last = rc_finding_get_last_seen (finding);
  g_autofree char *title = NULL;
  g_auto(GStrv) user_steps = NULL;
  g_auto(GStrv) admin_steps = NULL;

  /* Translators: "Sign-In Expired (Clear match)" */
  title = g_strdup_printf (_("%s (%s)"), remedy ? rc_remedy_get_title (remedy) : cause,
                           confidence_label (rc_finding_get_confidence (finding)));
  set_group_text (group, title, remedy ? rc_remedy_get_what_happened (remedy) : NULL);
  gtk_widget_set_name (GTK_WIDGET (group), cause);

  for (guint i = 0; evidence != NULL && evidence[i] != NULL; i++)
    add_text_row (group, evidence[i], NULL, TRUE);
  if (rc_finding_get_count (finding) > 1 || first != NULL)
    {
      g_autofree char *seen = NULL;
      g_autofree char *first_text = first ? g_date_time_format (first, "%x %X") : NULL;
      g_autofree char *last_text = last ? g_date_time_format (last, "%x %X") : NULL;
      guint64 count = rc_finding_get_count (finding);

      if (first_text != NULL && last_text != NULL)
        /* Translators: "Seen 12 times, from 22/11/26 08:00:01 to 22/11/26 17:42:10" */
        seen = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Seen %" G_GUINT64_FORMAT " time, from %s to %s",
                                             "Seen %" G_GUINT64_FORMAT " times, from %s to %s", count),
                                count, first_text, last_text);
      else
        seen = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Seen %" G_GUINT64_FORMAT " time",
                                             "Seen %" G_GUINT64_FORMAT " times", count), count);
      add_text_row (group, seen, NULL, FALSE);
    }
  gtk_box_append (self->results_box, GTK_WIDGET (group));

  if (remedy == NULL)
    return;
  user_steps = rc_remedy_dup_user_steps (remedy, NULL);
  add_steps (self, _("What You Can Do"), user_steps);
  admin_steps = rc_remedy_dup_admin_steps (remedy, NULL);
  add_steps (self, _("What Your Admin Can Do"), admin_steps);
}

static void
show_diagnosis (RcExplainWindow *self,
                RcDiagnosis     *diagnosis)
{
  guint n = rc_diagnosis_get_n_findings (diagnosis);
  gboolean unknown = g_strcmp0 (rc_diagnosis_get_cause (diagnosis), "unknown") == 0;

  clear_results (self);
  g_clear_pointer (&self->diagnosis, rc_diagnosis_unref);
  self->diagnosis = rc_diagnosis_ref (diagnosis);

  if (unknown)
    gtk_label_set_text (self->summary_label,
                        _("Reconnect does not recognise a sign-in problem in this text. If it came from a CRM "
                          "add-in, try its whole log, or the exact message it showed."));
  else if (n > 1)
    gtk_label_set_text (self->summary_label, _("The evidence allows more than one cause; the likeliest comes first."));
  else
    gtk_label_set_text (self->summary_label, _("This is what the message means."));
  if (rc_diagnosis_get_truncated (diagnosis))
    {
      g_autofree char *text = g_strconcat (gtk_label_get_text (self->summary_label), " ",
                                           _("Only the first part was read: the text is very long."), NULL);

      gtk_label_set_text (self->summary_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), TRUE);

  for (guint i = 0; i < n && !unknown; i++)
    add_finding (self, rc_diagnosis_get_finding (diagnosis, i));

  g_signal_emit (self, signals[EXPLAINED], 0);
}

static void
update_actions (RcExplainWindow *self)
{
  g_autofree char *text = dup_text (self);
  gboolean busy = self->reading != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "explain.explain", !busy && *g_strstrip (text) != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "explain.open", !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
explain_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RcExplainWindow *self = RC_EXPLAIN_WINDOW (widget);
  g_autofree char *text = dup_text (self);
  g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_text (text, -1);

  show_diagnosis (self, diagnosis);
}

static void
on_file_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RcExplainWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcDiagnosis) diagnosis = rc_diagnosis_new_from_file_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);
  update_actions (self);

  if (diagnosis == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The file could not be read: %s"), error->message);
      /* A toast's title is markup, and the message names the file. */
      g_autofree char *markup = g_markup_escape_text (text, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
      return;
    }
  show_diagnosis (self, diagnosis);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     RcExplainWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      rc_explain_window_open_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RcExplainWindow *self = RC_EXPLAIN_WINDOW (widget);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Open a Log File"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
on_drop (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         RcExplainWindow *self)
{
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      rc_explain_window_open_file (self, g_value_get_object (value));
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_STRING))
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), g_value_get_string (value), -1);
      explain_action (GTK_WIDGET (self), NULL, NULL);
      return TRUE;
    }
  return FALSE;
}

static void
rc_explain_window_dispose (GObject *object)
{
  RcExplainWindow *self = RC_EXPLAIN_WINDOW (object);

  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->diagnosis, rc_diagnosis_unref);

  G_OBJECT_CLASS (rc_explain_window_parent_class)->dispose (object);
}

static void
rc_explain_window_class_init (RcExplainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rc_explain_window_dispose;

  /**
   * RcExplainWindow::explained:
   *
   * The window shows what the text or the file means.
   */
  signals[EXPLAINED] = g_signal_new ("explained", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/rc-explain-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RcExplainWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RcExplainWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, RcExplainWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, RcExplainWindow, explain_button);
  gtk_widget_class_bind_template_child (widget_class, RcExplainWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RcExplainWindow, results_box);

  gtk_widget_class_install_action (widget_class, "explain.explain", NULL, explain_action);
  gtk_widget_class_install_action (widget_class, "explain.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "explain.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rc_explain_window_init (RcExplainWindow *self)
{
  GtkDropTarget *drop;
  GtkEventController *shortcuts;
  GType types[] = { G_TYPE_FILE, G_TYPE_STRING };

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->text_view), "changed",
                            G_CALLBACK (update_actions), self);
  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  /* Ctrl+Enter explains, even from inside the text, which takes Enter. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("explain.explain")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  /* Ready for the paste the user came here for. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->text_view));
  update_actions (self);
}

/**
 * rc_explain_window_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer full): a new Explain an Error window
 */
RcExplainWindow *
rc_explain_window_new (GtkWindow *parent)
{
  return g_object_new (RC_TYPE_EXPLAIN_WINDOW,
                       "transient-for", parent,
                       NULL);
}

/**
 * rc_explain_window_open_file:
 * @self: a #RcExplainWindow
 * @file: a log file
 *
 * Reads @file line by line, off the main thread, and shows what it means.
 */
void
rc_explain_window_open_file (RcExplainWindow *self,
                             GFile           *file)
{
  g_return_if_fail (RC_IS_EXPLAIN_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  self->reading = g_cancellable_new ();
  clear_results (self);
  update_actions (self);
  rc_diagnosis_new_from_file_async (file, self->reading, on_file_read, g_object_ref (self));
}

/**
 * rc_explain_window_get_diagnosis:
 * @self: a #RcExplainWindow
 *
 * Returns: (transfer none) (nullable): what the window shows now
 */
RcDiagnosis *
rc_explain_window_get_diagnosis (RcExplainWindow *self)
{
  g_return_val_if_fail (RC_IS_EXPLAIN_WINDOW (self), NULL);

  return self->diagnosis;
}
