/* fl-process.c — process health (SPEC §7) and the customers' problems of the week
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fl-process.h"
#include "fl-store-private.h"
#include "fl-time.h"

#define UPLOAD_DELAY_SECONDS (2 * 3600)
#define N_HEALTH_WEEKS 4

/* The visits of the window (?1, ?2], at the customers of region ?3 or at all.
 * Two statements rather than "?3 IS NULL OR …": a region's query then
 * searches visits_by_customer per customer instead of scanning the window of
 * the whole province. */
#define WINDOW_WHERE "WHERE v.start > ?1 AND v.start <= ?2 "
#define IN_REGION(column) " AND " column " IN (SELECT id FROM customers WHERE region = ?3) "

void
fl_problem_count_free (FlProblemCount *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->keyword);
  g_free (problem);
}

static void
bind_window (sqlite3_stmt *stmt,
             const char   *region,
             gint64        now)
{
  sqlite3_bind_int64 (stmt, 1, now - FL_PROCESS_WINDOW_SECONDS);
  sqlite3_bind_int64 (stmt, 2, now);
  if (region != NULL)
    sqlite3_bind_text (stmt, 3, region, -1, SQLITE_STATIC);
}

GPtrArray *
fl_process_top_problems (FlStore     *store,
                         const char  *region,
                         gint64       now,
                         guint        n,
                         GError     **error)
{
#define PROBLEMS_SQL(where) \
  "SELECT k.value, COUNT(*) AS n FROM visits AS v, json_each (v.pain_keywords) AS k " \
  WINDOW_WHERE where " AND k.type = 'text' " \
  "GROUP BY k.value ORDER BY n DESC, k.value LIMIT ?4"
  static const char province_sql[] = PROBLEMS_SQL ("");
  static const char region_sql[] = PROBLEMS_SQL (IN_REGION ("v.customer"));
#undef PROBLEMS_SQL
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(stmt = _fl_store_prepare (store, region != NULL ? region_sql : province_sql, error)))
    return NULL;
  bind_window (stmt, region, now);
  sqlite3_bind_int64 (stmt, 4, n);

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_problem_count_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlProblemCount *problem = g_new0 (FlProblemCount, 1);

      problem->keyword = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      problem->count = sqlite3_column_int (stmt, 1);
      g_ptr_array_add (problems, problem);
    }
  if (rc != SQLITE_DONE)
    {
      _fl_store_fail (store, error, _("Could not count the pain keywords of region %s"),
                      region != NULL ? region : _("(province)"));
      return NULL;
    }

  return g_steal_pointer (&problems);
}

static void
set_metric (FlProcessMetric *metric,
            const char      *id,
            const char      *label,
            double           threshold,
            gboolean         higher_is_better,
            guint            numerator,
            guint            sample)
{
  metric->id = id;
  metric->label = label;
  metric->threshold = threshold;
  metric->higher_is_better = higher_is_better;
  metric->sample = sample;
  metric->has_value = sample > 0;
  metric->value = sample > 0 ? 100.0 * numerator / sample : 0.0;
  if (!metric->has_value)
    metric->ok = FALSE;
  else if (higher_is_better)
    metric->ok = metric->value >= threshold;
  else
    metric->ok = metric->value <= threshold;
}

/* Share of customers whose last 4 snapshots up to @week rise strictly. */
static gboolean
count_health_improved (FlStore     *store,
                       const char  *region,
                       const char  *week,
                       guint       *out_improved,
                       guint       *out_sample,
                       GError     **error)
{
#define HEALTH_SQL(where) \
  "SELECT h.customer, h.cooperation_stability + h.new_product_acceptance " \
  "  + (100 - h.competitor_penetration) + h.sell_through + h.inventory_health " \
  "  + h.payment_punctuality " \
  "FROM health AS h WHERE h.week <= ?1 " where \
  "ORDER BY h.customer, h.week DESC"
  static const char province_sql[] = HEALTH_SQL ("");
  static const char region_sql[] =
    HEALTH_SQL (" AND h.customer IN (SELECT id FROM customers WHERE region = ?2) ");
#undef HEALTH_SQL
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autofree char *customer = NULL;
  int scores[N_HEALTH_WEEKS];   /* newest first; the sums stand for the means */
  guint n_scores = 0, improved = 0, sample = 0;
  int rc;

  if (!(stmt = _fl_store_prepare (store, region != NULL ? region_sql : province_sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, week, -1, SQLITE_STATIC);
  if (region != NULL)
    sqlite3_bind_text (stmt, 2, region, -1, SQLITE_STATIC);

  for (;;)
    {
      const char *id = NULL;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        id = (const char *) sqlite3_column_text (stmt, 0);
      else if (rc != SQLITE_DONE)
        return _fl_store_fail (store, error,
                               _("Could not read the health scores of region %s"),
                               region != NULL ? region : _("(province)"));

      /* A customer's rows are done: judge it. */
      if (customer != NULL && (id == NULL || strcmp (id, customer) != 0))
        {
          if (n_scores == N_HEALTH_WEEKS)
            {
              gboolean rising = TRUE;

              sample++;
              for (guint i = 0; i + 1 < N_HEALTH_WEEKS; i++)
                if (scores[i] <= scores[i + 1])
                  rising = FALSE;
              if (rising)
                improved++;
            }
          g_clear_pointer (&customer, g_free);
          n_scores = 0;
        }
      if (id == NULL)
        break;
      if (customer == NULL)
        customer = g_strdup (id);
      if (n_scores < N_HEALTH_WEEKS)
        scores[n_scores++] = sqlite3_column_int (stmt, 1);
    }

  *out_improved = improved;
  *out_sample = sample;
  return TRUE;
}

gboolean
fl_process_health (FlStore          *store,
                   const char       *region,
                   gint64            now,
                   FlProcessMetric   metrics[FL_N_PROCESS_METRICS],
                   GError          **error)
{
#define VISITS_SQL(where) \
  "SELECT COUNT(*), TOTAL(v.uploaded <= v.\"end\" + ?4), COUNT(v.prev_action_achieved), " \
  "  TOTAL(v.prev_action_achieved = 1) " \
  "FROM visits AS v " WINDOW_WHERE where
  static const char province_sql[] = VISITS_SQL ("");
  static const char region_sql[] = VISITS_SQL (IN_REGION ("v.customer"));
#undef VISITS_SQL
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autofree char *week = NULL;
  guint n_visits, n_on_time, n_known, n_achieved, n_improved = 0, n_customers = 0;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (metrics != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(stmt = _fl_store_prepare (store, region != NULL ? region_sql : province_sql, error)))
    return FALSE;
  bind_window (stmt, region, now);
  sqlite3_bind_int64 (stmt, 4, UPLOAD_DELAY_SECONDS);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _fl_store_fail (store, error, _("Could not measure the visits of region %s"),
                           region != NULL ? region : _("(province)"));
  n_visits = sqlite3_column_int (stmt, 0);
  n_on_time = (guint) sqlite3_column_double (stmt, 1);
  n_known = sqlite3_column_int (stmt, 2);
  n_achieved = (guint) sqlite3_column_double (stmt, 3);

  week = fl_iso_week_format (now, fl_store_get_time_zone (store));
  if (!count_health_improved (store, region, week, &n_improved, &n_customers, error))
    return FALSE;

  set_metric (&metrics[FL_PROCESS_UPLOAD_ON_TIME], "upload_on_time",
              _("Visit records uploaded within 2 h"), 95, TRUE, n_on_time, n_visits);
  set_metric (&metrics[FL_PROCESS_KEY_ACTIONS], "key_actions",
              _("Key actions completed"), 88, TRUE, n_achieved, n_known);
  set_metric (&metrics[FL_PROCESS_CALL_BACK], "call_back",
              _("Call-back consistency"), 90, TRUE, 0, 0);
  set_metric (&metrics[FL_PROCESS_INVENTORY_ERROR], "inventory_error",
              _("Inventory error against the ERP"), 3, FALSE, 0, 0);
  set_metric (&metrics[FL_PROCESS_HEALTH_IMPROVED], "health_improved",
              _("Customers improving 3 weeks in a row"), 75, TRUE, n_improved, n_customers);
  set_metric (&metrics[FL_PROCESS_SPEED_UP], "speed_up",
              _("Opportunity speed-up after intervention"), 40, TRUE, 0, 0);
  return TRUE;
}
