/* fl-suggest.h — one suggestion per alert, learnt from past cases (SPEC §5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-rules.h"

G_BEGIN_DECLS

/**
 * FlSuggestion:
 * @kind: the suggested action kind
 * @resolved: taken cases of @kind resolved within 14 days (0 for the fallback)
 * @of: taken cases of @kind (0 for the fallback)
 * @exemplar_id: (nullable): the most recently closed resolved case of @kind
 * @exemplar_label: (nullable): its label, or its id when it has no label
 * @text: one translated sentence
 *
 * FORMATS.md §4. See fl-suggest.c for the two cases the format leaves open.
 */
typedef struct
{
  FlActionKind  kind;
  guint         resolved;
  guint         of;
  char         *exemplar_id;
  char         *exemplar_label;
  char         *text;
} FlSuggestion;

void          fl_suggestion_free         (FlSuggestion   *suggestion);

/* One alert (reads all cases: use the batch form for many alerts). */
FlSuggestion *fl_suggest_for_alert       (FlStore        *store,
                                          const FlAlert  *alert,
                                          GError        **error);

/* Every alert of @evaluation, reading the cases once.
 * Returns: alert id (owned copy) → FlSuggestion* (owned). */
GHashTable   *fl_suggest_for_evaluation  (FlStore        *store,
                                          FlEvaluation   *evaluation,
                                          GError        **error);

/* The sentence of @suggestion's kind and counts in the current locale,
 * e.g. "Send a tailored sample and a local success-case video (see 绍兴王总案例:
 * resolved 5 of 7 similar cases within 14 days)." */
char         *fl_suggestion_dup_text     (FlActionKind    kind,
                                          guint           resolved,
                                          guint           of,
                                          const char     *exemplar_label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlSuggestion, fl_suggestion_free)

G_END_DECLS
