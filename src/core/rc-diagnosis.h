/* rc-diagnosis.h: what went wrong, from an error, pasted text or a log
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rc-cause.h"
#include "rc-classifier.h"

G_BEGIN_DECLS

/* Pasted text past this many bytes is not read. */
#define RC_DIAGNOSIS_MAX_TEXT     (1024 * 1024)
/* A log or standard input past this many bytes is not read (the rest of a
 * stream that never ends, /dev/zero say, is never waited for). */
#define RC_DIAGNOSIS_MAX_INPUT    (256 * 1024 * 1024)
/* A log line past this many bytes is read only up to it. */
#define RC_DIAGNOSIS_MAX_LINE     (8 * 1024)
/* Log lines kept as evidence per finding (one error keeps all its fields),
 * each at most RC_DIAGNOSIS_MAX_EVIDENCE_CHARS characters long. */
#define RC_DIAGNOSIS_MAX_EVIDENCE 5
#define RC_DIAGNOSIS_MAX_EVIDENCE_CHARS 300

typedef struct _RcDiagnosis RcDiagnosis;
typedef struct _RcFinding   RcFinding;
typedef struct _RcExplainer RcExplainer;

#define RC_TYPE_DIAGNOSIS (rc_diagnosis_get_type ())

GType               rc_diagnosis_get_type              (void) G_GNUC_CONST;

RcDiagnosis        *rc_diagnosis_new_from_error        (const GError              *error,
                                                        const RcClassifierContext *context);
RcDiagnosis        *rc_diagnosis_new_from_text         (const char                *text,
                                                        gssize                     length);
RcDiagnosis        *rc_diagnosis_new_from_stream       (GInputStream              *stream,
                                                        GCancellable              *cancellable,
                                                        GError                   **error);
void                rc_diagnosis_new_from_file_async   (GFile                     *file,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
RcDiagnosis        *rc_diagnosis_new_from_file_finish  (GAsyncResult              *result,
                                                        GError                   **error);
RcDiagnosis        *rc_diagnosis_ref                   (RcDiagnosis               *self);
void                rc_diagnosis_unref                 (RcDiagnosis               *self);

const char         *rc_diagnosis_get_cause             (const RcDiagnosis         *self);
RcAudience          rc_diagnosis_get_audience          (const RcDiagnosis         *self);
guint               rc_diagnosis_get_n_findings        (const RcDiagnosis         *self);
const RcFinding    *rc_diagnosis_get_finding           (const RcDiagnosis         *self,
                                                        guint                      index);
const RcFinding    *rc_diagnosis_lookup_finding        (const RcDiagnosis         *self,
                                                        const char                *cause);
guint64             rc_diagnosis_get_lines_read        (const RcDiagnosis         *self);
gboolean            rc_diagnosis_get_truncated         (const RcDiagnosis         *self);

const char         *rc_finding_get_cause               (const RcFinding           *finding);
RcAudience          rc_finding_get_audience            (const RcFinding           *finding);
RcConfidence        rc_finding_get_confidence          (const RcFinding           *finding);
const char * const *rc_finding_get_evidence            (const RcFinding           *finding);
guint64             rc_finding_get_count               (const RcFinding           *finding);
GDateTime          *rc_finding_get_first_seen          (const RcFinding           *finding);
GDateTime          *rc_finding_get_last_seen           (const RcFinding           *finding);

RcExplainer        *rc_explainer_new                   (void);
void                rc_explainer_free                  (RcExplainer               *self);
void                rc_explainer_feed_line             (RcExplainer               *self,
                                                        const char                *line,
                                                        gsize                      length);
RcDiagnosis        *rc_explainer_finish                (RcExplainer               *self);

char               *rc_diagnosis_redact                (const char                *text,
                                                        gssize                     length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcDiagnosis, rc_diagnosis_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcExplainer, rc_explainer_free)

G_END_DECLS
