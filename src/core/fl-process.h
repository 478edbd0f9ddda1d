/* fl-process.h — process health (SPEC §7) and the customers' problems of the week
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "fl-store.h"

G_BEGIN_DECLS

/* The window of both: visits that started in (now − 7 days, now]. */
#define FL_PROCESS_WINDOW_SECONDS (7 * G_GINT64_CONSTANT (86400))

typedef struct {
  char  *keyword;
  guint  count;
} FlProblemCount;

void fl_problem_count_free (FlProblemCount *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlProblemCount, fl_problem_count_free)

/* The @n most frequent pain keywords of the visits that started in
 * (@now − 7 days, @now] at the customers of @region (NULL: the province),
 * most frequent first, ties by keyword (byte order). A keyword counts once
 * per visit mention. Returns a GPtrArray of FlProblemCount (free func set),
 * or NULL with FL_ERROR_STORE. */
GPtrArray *fl_process_top_problems (FlStore     *store,
                                    const char  *region,
                                    gint64       now,
                                    guint        n,
                                    GError     **error);

/* The six metrics of SPEC §7, in its table's order. */
typedef enum
{
  FL_PROCESS_UPLOAD_ON_TIME,       /* uploaded within 2 h of the visit's end, ≥ 95 % */
  FL_PROCESS_KEY_ACTIONS,          /* prev_action_achieved true among non-null, ≥ 88 % */
  FL_PROCESS_CALL_BACK,            /* backend only, ≥ 90 % */
  FL_PROCESS_INVENTORY_ERROR,      /* backend only, ≤ 3 % */
  FL_PROCESS_HEALTH_IMPROVED,      /* health up 3 weeks in a row, ≥ 75 % */
  FL_PROCESS_SPEED_UP,             /* backend only, ≥ 40 % */
  FL_N_PROCESS_METRICS
} FlProcessMetricId;

/* value and threshold are percentages (0..100). has_value FALSE means "no
 * data" (backend-only metric, or no sample): value is then 0 and ok FALSE,
 * and a caller must show the absence, never the 0. */
typedef struct {
  const char *id;                  /* "upload_on_time", … (static) */
  const char *label;               /* translated, static */
  gboolean    has_value;
  double      value;
  double      threshold;
  gboolean    higher_is_better;
  gboolean    ok;                  /* has_value and the threshold met */
  guint       sample;              /* visits or customers behind value */
} FlProcessMetric;

/* Fills @metrics for @region (NULL: the province) at @now:
 * - upload on time and key actions over the visits that started in
 *   (@now − 7 days, @now] at the region's customers;
 * - health improved: among the region's customers with at least 4 weekly
 *   health snapshots up to the ISO week of @now (store time zone), the share
 *   whose last 4 health scores rise strictly each week; the score is the mean
 *   of the six dimensions with competitor_penetration counted as 100 − x. */
gboolean   fl_process_health       (FlStore          *store,
                                    const char       *region,
                                    gint64            now,
                                    FlProcessMetric   metrics[FL_N_PROCESS_METRICS],
                                    GError          **error);

G_END_DECLS
