/* rc-cli-explain.c: `reconnect explain`
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Explains an error message, an error body or a log file: the causes, the
 * evidence and what to do.  A file or standard input is read line by line
 * in fixed memory, so a log of hundreds of megabytes is fine.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "rc-cli.h"
#include "rc-cli-explain.h"
#include "rc-diagnosis.h"
#include "rc-local-file.h"
#include "rc-remedy.h"

static const char *
audience_label (RcAudience audience)
{
  switch (audience)
    {
    case RC_AUDIENCE_AUTOMATIC: return _("Reconnect handles it");
    case RC_AUDIENCE_USER:      return _("you can fix it");
    case RC_AUDIENCE_ADMIN:     return _("your admin must act");
    case RC_AUDIENCE_WAIT:      return _("it passes on its own");
    case RC_AUDIENCE_NONE:
    default:                    return _("no one knows yet");
    }
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          GDateTime   *time)
{
  g_autofree char *iso = NULL;

  if (time == NULL)
    return;
  iso = g_date_time_format_iso8601 (time);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, iso);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *member,
          const char * const *strv)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

/* shared/DESIGN.md's explain shape, plus the steps and how much was read. */
static void
print_json (RcDiagnosis *diagnosis)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *cause = rc_diagnosis_get_cause (diagnosis);
  const RcRemedy *remedy = rc_remedy_lookup (cause);
  g_auto(GStrv) user_steps = rc_remedy_dup_user_steps (remedy, NULL);
  g_auto(GStrv) admin_steps = rc_remedy_dup_admin_steps (remedy, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cause");
  json_builder_add_string_value (builder, cause);
  json_builder_set_member_name (builder, "audience");
  json_builder_add_string_value (builder, rc_audience_to_string (rc_cause_get_audience (cause)));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, rc_remedy_get_title (remedy));
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, rc_cause_get_summary (cause));
  json_builder_set_member_name (builder, "what_happened");
  json_builder_add_string_value (builder, rc_remedy_get_what_happened (remedy));

  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rc_diagnosis_get_n_findings (diagnosis); i++)
    {
      const RcFinding *finding = rc_diagnosis_get_finding (diagnosis, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cause");
      json_builder_add_string_value (builder, rc_finding_get_cause (finding));
      json_builder_set_member_name (builder, "audience");
      json_builder_add_string_value (builder, rc_audience_to_string (rc_finding_get_audience (finding)));
      json_builder_set_member_name (builder, "confidence");
      json_builder_add_string_value (builder, rc_confidence_to_string (rc_finding_get_confidence (finding)));
      add_strv (builder, "evidence", rc_finding_get_evidence (finding));
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, (gint64) MIN (rc_finding_get_count (finding), G_MAXINT64));
      add_time (builder, "first_seen", rc_finding_get_first_seen (finding));
      add_time (builder, "last_seen", rc_finding_get_last_seen (finding));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_strv (builder, "user_steps", (const char * const *) user_steps);
  add_strv (builder, "admin_steps", (const char * const *) admin_steps);
  json_builder_set_member_name (builder, "lines_read");
  json_builder_add_int_value (builder, (gint64) MIN (rc_diagnosis_get_lines_read (diagnosis), G_MAXINT64));
  json_builder_set_member_name (builder, "truncated");
  json_builder_add_boolean_value (builder, rc_diagnosis_get_truncated (diagnosis));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

static void
print_steps (const char  *heading,
             char       **steps)
{
  if (steps[0] == NULL)
    return;
  g_print ("\n%s\n", heading);
  for (guint i = 0; steps[i] != NULL; i++)
    g_print ("  %u. %s\n", i + 1, steps[i]);
}

static void
print_text (RcDiagnosis *diagnosis)
{
  const char *cause = rc_diagnosis_get_cause (diagnosis);
  const RcRemedy *remedy = rc_remedy_lookup (cause);
  g_auto(GStrv) user_steps = rc_remedy_dup_user_steps (remedy, NULL);
  g_auto(GStrv) admin_steps = rc_remedy_dup_admin_steps (remedy, NULL);
  guint n = rc_diagnosis_get_n_findings (diagnosis);

  /* TRANSLATORS: "Cause: <id> (<who acts>)" */
  g_print (_("Cause: %s (%s)"), cause, audience_label (rc_cause_get_audience (cause)));
  g_print ("\n%s\n%s\n", rc_remedy_get_title (remedy), rc_remedy_get_what_happened (remedy));

  if (n == 0)
    g_print ("\n%s\n", _("Nothing in this text is an error Reconnect knows."));
  else
    g_print ("\n%s\n", _("Findings, most likely first:"));

  for (guint i = 0; i < n; i++)
    {
      const RcFinding *finding = rc_diagnosis_get_finding (diagnosis, i);
      const char * const *evidence = rc_finding_get_evidence (finding);
      GDateTime *first = rc_finding_get_first_seen (finding);
      GDateTime *last = rc_finding_get_last_seen (finding);
      guint64 count = rc_finding_get_count (finding);

      g_print ("  %s  %s  ", rc_finding_get_cause (finding),
               rc_confidence_to_string (rc_finding_get_confidence (finding)));
      g_print (g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " time", "%" G_GUINT64_FORMAT " times",
                            (gulong) MIN (count, G_MAXULONG)), count);
      if (first != NULL && last != NULL)
        {
          g_autofree char *from = format_time (first);
          g_autofree char *to = format_time (last);

          g_print ("  %s – %s", from, to);
        }
      g_print ("\n");
      for (guint j = 0; evidence[j] != NULL; j++)
        g_print ("      %s\n", evidence[j]);
    }

  print_steps (_("What you can do:"), user_steps);
  print_steps (_("What your admin can do:"), admin_steps);

  if (rc_diagnosis_get_truncated (diagnosis))
    g_print ("\n%s\n", _("Only the beginning of the text, or of very long lines, was read."));
}

static RcDiagnosis *
explain_stream (GInputStream  *stream,
                GError       **error)
{
  return rc_diagnosis_new_from_stream (stream, NULL, error);
}

/**
 * rc_cli_explain:
 * @argc: the arguments after "reconnect", "explain" first
 * @argv: the arguments
 *
 * Returns: the exit status: 0 when explained (even as "unknown"), 64 for a
 *   usage error, 4 when the file cannot be read
 */
int
rc_cli_explain (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcDiagnosis) diagnosis = NULL;
  g_autofree char *file = NULL;
  g_auto(GStrv) rest = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Explain this log file"), "PATH" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("[TEXT | -]") },
    { NULL }
  };

  g_set_prgname ("reconnect explain");
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Explain an error message, an error body or a log file: what "
                                           "happened and what to do. Give the text as arguments, a file "
                                           "with --file, or “-” to read standard input."));
  g_option_context_set_description (context, _("Exit status: 0 when explained (even when the cause is "
                                               "unknown), 4 when the file cannot be read, 64 for a usage "
                                               "error."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("%s\n", error->message);
      return RC_CLI_EXIT_USAGE;
    }

  if ((file != NULL) + (rest != NULL && rest[0] != NULL) != 1 ||
      (rest != NULL && rest[0] != NULL && g_str_equal (rest[0], "-") && rest[1] != NULL))
    {
      g_printerr ("%s\n", _("Give the text to explain, --file PATH, or “-” for standard input."));
      g_printerr ("%s\n", _("Try “reconnect explain --help”."));
      return RC_CLI_EXIT_USAGE;
    }

  if (file != NULL)
    {
      g_autoptr(GInputStream) stream = rc_local_file_open (file, &error);

      if (stream != NULL)
        diagnosis = explain_stream (stream, &error);
      if (diagnosis == NULL)
        {
          /* TRANSLATORS: a file name, then why it could not be read */
          g_printerr (_("Cannot read %s: %s"), file, error->message);
          g_printerr ("\n");
          return RC_CLI_EXIT_LOCAL;
        }
    }
  else if (g_str_equal (rest[0], "-"))
    {
      g_autoptr(GInputStream) stream = g_unix_input_stream_new (0, FALSE);

      diagnosis = explain_stream (stream, &error);
      if (diagnosis == NULL)
        {
          g_printerr (_("Cannot read standard input: %s"), error->message);
          g_printerr ("\n");
          return RC_CLI_EXIT_LOCAL;
        }
    }
  else
    {
      g_autofree char *text = g_strjoinv (" ", rest);

      diagnosis = rc_diagnosis_new_from_text (text, -1);
    }

  if (json)
    print_json (diagnosis);
  else
    print_text (diagnosis);
  return RC_CLI_EXIT_OK;
}
