/* fuzz-explain.c: pasted text and log lines into RcDiagnosis
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is explained as pasted text, streamed as a log (in chunks that
 * split lines and multi-byte characters), and redacted.  Beyond "no crash",
 * it checks what the window and the command line rely on: the cause is a
 * known id, findings are ranked, each has a count, evidence lines are
 * non-empty valid UTF-8 no longer than the limit, the same input gives the
 * same cause pasted and streamed when it fits both limits.
 */

#include "config.h"

#include "fuzz-common.h"

#include "rc-diagnosis.h"

static void
check (RcDiagnosis *diagnosis)
{
  guint n = rc_diagnosis_get_n_findings (diagnosis);

  CHECK (rc_cause_is_known (rc_diagnosis_get_cause (diagnosis)));
  for (guint i = 0; i < n; i++)
    {
      const RcFinding *finding = rc_diagnosis_get_finding (diagnosis, i);
      const char * const *evidence = rc_finding_get_evidence (finding);
      guint lines = 0;

      CHECK (rc_cause_is_known (rc_finding_get_cause (finding)));
      CHECK (rc_finding_get_count (finding) >= 1);
      if (i > 0 && !g_str_equal (rc_finding_get_cause (finding), "unknown"))
        CHECK (rc_finding_get_confidence (finding) <=
               rc_finding_get_confidence (rc_diagnosis_get_finding (diagnosis, i - 1)));
      for (; evidence[lines] != NULL; lines++)
        {
          CHECK (evidence[lines][0] != '\0');
          CHECK (g_utf8_validate (evidence[lines], -1, NULL));
          CHECK (g_utf8_strlen (evidence[lines], -1) <= RC_DIAGNOSIS_MAX_EVIDENCE_CHARS);
        }
      CHECK (lines >= 1);
    }
}

FUZZ_DEFINE_INITIALIZE

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* an exact-size copy, so a read past the end is caught; never NULL */
  char *copy = size > 0 ? g_memdup2 (data, size) : g_malloc (1);
  GInputStream *stream = g_memory_input_stream_new ();
  RcDiagnosis *pasted;
  RcDiagnosis *streamed;
  char *redacted;
  gsize split = size / 3;

  pasted = rc_diagnosis_new_from_text (copy, (gssize) size);
  check (pasted);

  g_memory_input_stream_add_data (G_MEMORY_INPUT_STREAM (stream), g_memdup2 (copy, split), split, g_free);
  g_memory_input_stream_add_data (G_MEMORY_INPUT_STREAM (stream), g_memdup2 (copy + split, size - split),
                                  size - split, g_free);
  streamed = rc_diagnosis_new_from_stream (stream, NULL, NULL);
  CHECK (streamed != NULL);
  check (streamed);

  /* same text, same answer, when no limit cut either and it is not UTF-16 */
  if (!rc_diagnosis_get_truncated (pasted) && !rc_diagnosis_get_truncated (streamed) &&
      memchr (copy, '\0', size) == NULL && g_utf8_validate (copy, (gssize) size, NULL) &&
      !(size >= 2 && ((guchar) copy[0] == 0xff || (guchar) copy[0] == 0xfe)))
    CHECK (g_str_equal (rc_diagnosis_get_cause (pasted), rc_diagnosis_get_cause (streamed)));

  redacted = rc_diagnosis_redact (copy, (gssize) size);
  CHECK (g_utf8_validate (redacted, -1, NULL));

  g_free (redacted);
  rc_diagnosis_unref (streamed);
  rc_diagnosis_unref (pasted);
  g_object_unref (stream);
  g_free (copy);
  return 0;
}
