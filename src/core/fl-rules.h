/* fl-rules.h — the three warning rules, region status and ranking (SPEC §4)
 *
 * Evaluation is a pure function of the store's content and of @now: alerts
 * are derived, never stored. See FORMATS.md §2 for the exact boundaries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

typedef struct
{
  double stall_min_value;     /* 50000: value must be strictly greater */
  int    stall_min_days;      /* 30 whole days */
  double gap_ratio;           /* 0.7: team rate < ratio × province rate */
  int    gap_min_pitches;     /* 10 per week */
} FlRuleSettings;

void fl_rule_settings_init_default (FlRuleSettings *settings);

typedef struct
{
  char            *id;          /* FORMATS.md §2 */
  FlAlertCategory  category;
  char            *region;      /* region code */
  char            *subject;     /* churn: customer id; stall: opportunity id; gap: category id */
  double           value_at_risk;
  gint64           raised;      /* Unix seconds */
  gboolean         actioned;    /* an action (created <= now) names this id */

  /* Evidence, per category (unused fields are NULL/0). */
  char            *visit_last;      /* churn: most recent visit id */
  char            *visit_before;    /* churn: the visit before it */
  int              days_stalled;    /* stall: whole days since last progress */
  double           team_rate[2];    /* gap: [0] week before last, [1] last complete week */
  double           province_rate[2];
  int              team_pitches[2];
  char            *week;            /* gap: ISO week of the last complete week */
} FlAlert;

typedef struct
{
  char           *code;
  char           *name;
  FlRegionStatus  status;
  guint           pending[FL_N_ALERT_CATEGORIES];
  guint           n_pending;
  guint           n_top;
  FlAlert        *top[3];       /* borrowed from FlEvaluation.alerts */
} FlRegionState;

typedef struct
{
  gint64      now;
  GPtrArray  *regions;   /* FlRegionState*, ordered by code */
  GPtrArray  *alerts;    /* FlAlert*, ordered by region code, then ranking */
} FlEvaluation;

FlEvaluation  *fl_rules_evaluate            (FlStore              *store,
                                             gint64                now,
                                             const FlRuleSettings *settings,
                                             GError              **error);
void           fl_evaluation_free           (FlEvaluation         *evaluation);
/* Ranking order of SPEC §4.5 (value at risk desc, raised asc, id asc). */
int            fl_alert_compare_rank        (const FlAlert        *a,
                                             const FlAlert        *b);
FlAlert       *fl_evaluation_find_alert     (FlEvaluation         *evaluation,
                                             const char           *alert_id);
FlRegionState *fl_evaluation_find_region    (FlEvaluation         *evaluation,
                                             const char           *code);
/* Pending alerts of one region in ranking order (borrowed pointers). */
GPtrArray     *fl_evaluation_region_alerts  (FlEvaluation         *evaluation,
                                             const char           *code,
                                             gboolean              pending_only);

/* The status document of FORMATS.md §3, pretty-printed, times in @tz;
 * @suggestions (nullable): alert id → FlSuggestion*, fl_suggest_for_evaluation(). */
char          *fl_evaluation_to_status_json (FlEvaluation         *evaluation,
                                             GHashTable           *suggestions,
                                             GTimeZone            *tz);

/* A one-line, translated title for an alert, e.g.
 * "客户 永康华联超市：连续 2 次未达成约定动作". */
char          *fl_alert_dup_title           (FlStore              *store,
                                             const FlAlert        *alert);

/* An amount of CNY, rounded to the yuan, with thousands separators and the
 * translated unit, e.g. "80,000 CNY" (zh_CN: "80,000 元"). */
char          *fl_format_money              (double                cny);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlEvaluation, fl_evaluation_free)

G_END_DECLS
