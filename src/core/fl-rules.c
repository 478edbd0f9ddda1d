/* fl-rules.c — the three warning rules, region status and ranking (SPEC §4)
 *
 * The boundaries are those of FORMATS.md §2. The queries are shaped for the
 * province-scale cache (1,000,000 visits, 2,000,000 pitches): churn reads the
 * visit summary (customer_visits, see fl-store-private.h) of the few customers
 * whose two latest visits both missed, and the visits themselves only of the
 * customers with a visit after now; gap is one aggregate streamed from the
 * covering index pitches_by_week.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "fl-rules.h"
#include "fl-store-private.h"
#include "fl-time.h"

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* FlEvaluation is public; the lookup tables live behind it. */
typedef struct
{
  FlEvaluation  pub;
  GHashTable   *alerts_by_id;      /* borrowed id → FlAlert* */
  GHashTable   *regions_by_code;   /* borrowed code → FlRegionState* */
} Evaluation;

void
fl_rule_settings_init_default (FlRuleSettings *settings)
{
  g_return_if_fail (settings != NULL);

  settings->stall_min_value = 50000.0;
  settings->stall_min_days = 30;
  settings->gap_ratio = 0.7;
  settings->gap_min_pitches = 10;
}

static void
alert_free (FlAlert *alert)
{
  g_free (alert->id);
  g_free (alert->region);
  g_free (alert->subject);
  g_free (alert->visit_last);
  g_free (alert->visit_before);
  g_free (alert->week);
  g_free (alert);
}

static void
region_state_free (FlRegionState *state)
{
  g_free (state->code);
  g_free (state->name);
  g_free (state);
}

/* Money is compared to the cent (FORMATS.md §3): round away float noise so
 * that equal values tie and fall through to age and id. */
static double
round_money (double value)
{
  return round (value * 100.0) / 100.0;
}

static FlAlert *
alert_new (FlAlertCategory  category,
           char            *id,
           const char      *region,
           const char      *subject)
{
  FlAlert *alert = g_new0 (FlAlert, 1);

  alert->id = id;
  alert->category = category;
  alert->region = g_strdup (region);
  alert->subject = g_strdup (subject);
  return alert;
}

static gboolean
load_actioned (FlStore     *store,
               gint64       now,
               GHashTable  *actioned,
               GError     **error)
{
  static const char sql[] = "SELECT DISTINCT alert FROM actions WHERE created <= ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (actioned, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the actions"));

  return TRUE;
}

static gboolean
load_regions (FlStore     *store,
              Evaluation  *evaluation,
              GError     **error)
{
  static const char sql[] = "SELECT code, name FROM regions ORDER BY code";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlRegionState *state = g_new0 (FlRegionState, 1);

      state->code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      state->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (evaluation->pub.regions, state);
      g_hash_table_insert (evaluation->regions_by_code, state->code, state);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the regions"));

  return TRUE;
}

static void
add_churn_alert (GPtrArray  *alerts,
                 const char *customer,
                 const char *region,
                 double      revenue_90d,
                 const char *last_id,
                 gint64      last_start,
                 const char *before_id)
{
  FlAlert *alert;

  alert = alert_new (FL_ALERT_CHURN, g_strdup_printf ("churn:%s:%s", customer, last_id),
                     region, customer);
  alert->value_at_risk = round_money (revenue_90d);
  alert->raised = last_start;
  alert->visit_last = g_strdup (last_id);
  alert->visit_before = g_strdup (before_id);
  g_ptr_array_add (alerts, alert);
}

/* The exact rule for one customer: reads its visits that started at or
 * before @now from the covering index visits_by_customer. */
static gboolean
evaluate_churn_exact (FlStore       *store,
                      sqlite3_stmt  *visits,
                      const char    *customer,
                      const char    *region,
                      double         revenue_90d,
                      GPtrArray     *alerts,
                      GError       **error)
{
  g_autofree char *last_id = NULL;
  gint64 last_start = 0;
  int n = 0;
  int rc;

  sqlite3_bind_text (visits, 1, customer, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (visits)) == SQLITE_ROW)
    {
      /* NULL (nothing was committed) does not count as a miss */
      if (sqlite3_column_type (visits, 2) == SQLITE_NULL || sqlite3_column_int (visits, 2) != 0)
        break;

      if (n == 0)
        {
          last_id = g_strdup ((const char *) sqlite3_column_text (visits, 0));
          last_start = sqlite3_column_int64 (visits, 1);
        }
      else
        add_churn_alert (alerts, customer, region, revenue_90d, last_id, last_start,
                         (const char *) sqlite3_column_text (visits, 0));
      n++;
    }
  sqlite3_reset (visits);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the visits of customer %s"),
                           customer);

  return TRUE;
}

/* Churn: the customer's two most recent visits (start, then id, descending)
 * that started at or before @now both have prev_action_achieved == false.
 *
 * When the customer's latest visit started at or before @now, those two are
 * the two of the summary: only the customers whose summary has two misses
 * are read (the partial index customer_visits_churn). The others, whose
 * latest visit starts after @now (--now replaying the past), take the exact
 * query. A customer without a summary row has no visit, hence no alert. */
static gboolean
evaluate_churn (FlStore    *store,
                gint64      now,
                GPtrArray  *alerts,
                GError    **error)
{
  static const char summary_sql[] =
    "SELECT c.id, c.region, c.revenue_90d, s.last_id, s.last_start, s.before_id "
    "FROM customer_visits AS s INDEXED BY customer_visits_churn "
    "CROSS JOIN customers AS c ON c.id = s.customer "
    "WHERE s.last_achieved = 0 AND s.before_achieved = 0 AND s.last_start <= ?1";
  static const char later_sql[] =
    "SELECT c.id, c.region, c.revenue_90d "
    "FROM customer_visits AS s INDEXED BY customer_visits_by_last_start "
    "CROSS JOIN customers AS c ON c.id = s.customer "
    "WHERE s.last_start > ?1 ORDER BY s.customer";   /* index order: fewer page reads */
  static const char visits_sql[] =
    "SELECT id, start, prev_action_achieved FROM visits INDEXED BY visits_by_customer "
    "WHERE customer = ?1 AND start <= ?2 ORDER BY start DESC, id DESC LIMIT 2";
  g_autoptr(FlCachedStmt) summary = NULL;
  g_autoptr(FlCachedStmt) later = NULL;
  g_autoptr(FlCachedStmt) visits = NULL;
  int rc;

  if (!(summary = _fl_store_prepare (store, summary_sql, error)) ||
      !(later = _fl_store_prepare (store, later_sql, error)) ||
      !(visits = _fl_store_prepare (store, visits_sql, error)))
    return FALSE;

  sqlite3_bind_int64 (summary, 1, now);
  while ((rc = sqlite3_step (summary)) == SQLITE_ROW)
    add_churn_alert (alerts,
                     (const char *) sqlite3_column_text (summary, 0),
                     (const char *) sqlite3_column_text (summary, 1),
                     sqlite3_column_double (summary, 2),
                     (const char *) sqlite3_column_text (summary, 3),
                     sqlite3_column_int64 (summary, 4),
                     (const char *) sqlite3_column_text (summary, 5));
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the visit summary"));

  sqlite3_bind_int64 (later, 1, now);
  sqlite3_bind_int64 (visits, 2, now);
  while ((rc = sqlite3_step (later)) == SQLITE_ROW)
    {
      if (!evaluate_churn_exact (store, visits,
                                 (const char *) sqlite3_column_text (later, 0),
                                 (const char *) sqlite3_column_text (later, 1),
                                 sqlite3_column_double (later, 2), alerts, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the customers"));

  return TRUE;
}

/* Stall: stage open, value > min, floor ((now − last_progress) / 1 day) >= min days. */
static gboolean
evaluate_stall (FlStore              *store,
                gint64                now,
                const FlRuleSettings *settings,
                GPtrArray            *alerts,
                GError              **error)
{
  static const char sql[] =
    "SELECT o.id, o.value, o.last_progress, c.region FROM opportunities AS o "
    "JOIN customers AS c ON c.id = o.customer "
    "WHERE o.stage = 'open' AND o.value > ?1 AND o.last_progress <= ?2";
  g_autoptr(FlCachedStmt) stmt = NULL;
  gint64 min_seconds = (gint64) settings->stall_min_days * SECONDS_PER_DAY;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;

  /* floor (d / 86400) >= n  ⇔  d >= n × 86400 */
  sqlite3_bind_double (stmt, 1, settings->stall_min_value);
  sqlite3_bind_int64 (stmt, 2, now - min_seconds);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      gint64 last_progress = sqlite3_column_int64 (stmt, 2);
      FlAlert *alert;

      alert = alert_new (FL_ALERT_STALL,
                         g_strdup_printf ("stall:%s:%" G_GINT64_FORMAT, id, last_progress),
                         (const char *) sqlite3_column_text (stmt, 3), id);
      alert->value_at_risk = round_money (sqlite3_column_double (stmt, 1));
      alert->raised = last_progress + min_seconds;
      alert->days_stalled = (int) fl_floor_div (now - last_progress, SECONDS_PER_DAY);
      g_ptr_array_add (alerts, alert);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the opportunities"));

  return TRUE;
}

typedef struct
{
  gint64 pitched[2];
  gint64 signed_[2];
} Tally;

/* Maps the few region codes and category ids to small indexes, so that the
 * per-pitch work is two short hash lookups and an array increment. */
typedef struct
{
  GHashTable *index;   /* name (owned by names) → GUINT_TO_POINTER (index + 1) */
  GPtrArray  *names;
  guint       last;    /* consecutive pitches are mostly of the same visit */
} Interner;

static void
interner_init (Interner *interner)
{
  interner->index = g_hash_table_new (g_str_hash, g_str_equal);
  interner->names = g_ptr_array_new_with_free_func (g_free);
  interner->last = 0;
}

static void
interner_clear (Interner *interner)
{
  g_clear_pointer (&interner->index, g_hash_table_unref);
  g_clear_pointer (&interner->names, g_ptr_array_unref);
}

static guint
interner_get (Interner   *interner,
              const char *name)
{
  guint index;
  char *copy;

  if (interner->names->len > 0 &&
      strcmp (g_ptr_array_index (interner->names, interner->last), name) == 0)
    return interner->last;

  index = GPOINTER_TO_UINT (g_hash_table_lookup (interner->index, name));
  if (G_LIKELY (index > 0))
    return interner->last = index - 1;

  copy = g_strdup (name);
  g_ptr_array_add (interner->names, copy);
  g_hash_table_insert (interner->index, copy, GUINT_TO_POINTER (interner->names->len));
  return interner->last = interner->names->len - 1;
}

static Tally *
tally_at (GArray *tallies,
          guint   index)
{
  if (index >= tallies->len)
    g_array_set_size (tallies, index + 1);
  return &g_array_index (tallies, Tally, index);
}

/* team rate < ratio × province rate, decided on the counts so that a rate of
 * exactly ratio × province (e.g. 7/20 against 10/20) is not "below" however
 * the quotients round. */
static gboolean
rate_below (gint64 team_signed,
            gint64 team_pitched,
            gint64 province_signed,
            gint64 province_pitched,
            double ratio)
{
  double lhs = (double) team_signed * (double) province_pitched;
  double rhs = ratio * (double) province_signed * (double) team_pitched;

  return lhs < rhs && (rhs - lhs) > 1e-13 * rhs;
}

static double
rate (gint64 signed_,
      gint64 pitched)
{
  return pitched > 0 ? (double) signed_ / (double) pitched : 0.0;
}

/* Gap: per region team (the rep's region) and product category, in each of
 * the two complete ISO weeks before the week containing @now. */
static gboolean
evaluate_gap (FlStore              *store,
              gint64                now,
              const FlRuleSettings *settings,
              GPtrArray            *alerts,
              GError              **error)
{
  /* Streams from the covering index in (week, region, category) order: no
   * sort, one row per week × team × category. Every pitch of these weeks
   * started before the current week, hence before @now. Pitches whose rep or
   * product is not in the cache (synced in part, see fl-sync-store.c) have
   * no team or category: they are not counted. */
  static const char pitches_sql[] =
    "SELECT week = ?2, region, category, count(*), total(signed) "
    "FROM pitches INDEXED BY pitches_by_week "
    "WHERE week BETWEEN ?1 AND ?2 AND region IS NOT NULL AND category IS NOT NULL "
    "GROUP BY week, region, category";
  static const char categories_sql[] = "SELECT id, avg_order_value FROM categories";
  g_autoptr(FlCachedStmt) pitches = NULL;
  g_autoptr(FlCachedStmt) categories = NULL;
  g_autoptr(GPtrArray) teams = NULL;         /* by region: GArray of Tally by category */
  g_autoptr(GArray) province = NULL;         /* Tally by category */
  g_autoptr(GArray) order_values = NULL;     /* double by category */
  g_autofree char *week = NULL;
  GTimeZone *tz = fl_store_get_time_zone (store);
  Interner regions, category_ids;
  gint64 weeks[3];
  int rc;

  weeks[2] = fl_iso_week_start (now, tz);
  weeks[1] = fl_time_add_weeks (weeks[2], tz, -1);
  weeks[0] = fl_time_add_weeks (weeks[2], tz, -2);
  week = fl_iso_week_format (weeks[1], tz);

  if (!(pitches = _fl_store_prepare (store, pitches_sql, error)) ||
      !(categories = _fl_store_prepare (store, categories_sql, error)))
    return FALSE;

  interner_init (&regions);
  interner_init (&category_ids);
  teams = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  province = g_array_new (FALSE, TRUE, sizeof (Tally));
  order_values = g_array_new (FALSE, TRUE, sizeof (double));

  while ((rc = sqlite3_step (categories)) == SQLITE_ROW)
    {
      guint c = interner_get (&category_ids, (const char *) sqlite3_column_text (categories, 0));

      if (c >= order_values->len)
        g_array_set_size (order_values, c + 1);
      g_array_index (order_values, double, c) = sqlite3_column_double (categories, 1);
    }
  if (rc != SQLITE_DONE)
    {
      interner_clear (&regions);
      interner_clear (&category_ids);
      return _fl_store_fail (store, error, _("Could not read the categories"));
    }

  sqlite3_bind_int64 (pitches, 1, weeks[0]);
  sqlite3_bind_int64 (pitches, 2, weeks[1]);

  while ((rc = sqlite3_step (pitches)) == SQLITE_ROW)
    {
      int w = sqlite3_column_int (pitches, 0) ? 1 : 0;
      guint r = interner_get (&regions, (const char *) sqlite3_column_text (pitches, 1));
      guint c = interner_get (&category_ids, (const char *) sqlite3_column_text (pitches, 2));
      gint64 pitched = sqlite3_column_int64 (pitches, 3);
      gint64 signed_ = (gint64) sqlite3_column_double (pitches, 4);
      Tally *team, *total;

      while (r >= teams->len)
        g_ptr_array_add (teams, g_array_new (FALSE, TRUE, sizeof (Tally)));
      team = tally_at (g_ptr_array_index (teams, r), c);
      total = tally_at (province, c);

      team->pitched[w] += pitched;
      team->signed_[w] += signed_;
      total->pitched[w] += pitched;
      total->signed_[w] += signed_;
    }
  if (rc != SQLITE_DONE)
    {
      interner_clear (&regions);
      interner_clear (&category_ids);
      return _fl_store_fail (store, error,
                             _("Could not read the pitches of the weeks up to %s"), week);
    }

  for (guint r = 0; r < teams->len; r++)
    {
      GArray *row = g_ptr_array_index (teams, r);

      for (guint c = 0; c < row->len; c++)
        {
          const Tally *t = &g_array_index (row, Tally, c);
          const Tally *p = &g_array_index (province, Tally, c);
          const char *region = g_ptr_array_index (regions.names, r);
          const char *category = g_ptr_array_index (category_ids.names, c);
          double order_value = c < order_values->len ? g_array_index (order_values, double, c)
                                                     : 0.0;
          gboolean below = TRUE;
          FlAlert *alert;

          for (int w = 0; w < 2 && below; w++)
            below = t->pitched[w] >= settings->gap_min_pitches &&
                    p->signed_[w] > 0 &&
                    rate_below (t->signed_[w], t->pitched[w], p->signed_[w], p->pitched[w],
                                settings->gap_ratio);
          if (!below)
            continue;

          alert = alert_new (FL_ALERT_GAP,
                             g_strdup_printf ("gap:%s:%s:%s", region, category, week),
                             region, category);
          for (int w = 0; w < 2; w++)
            {
              alert->team_rate[w] = rate (t->signed_[w], t->pitched[w]);
              alert->province_rate[w] = rate (p->signed_[w], p->pitched[w]);
              alert->team_pitches[w] = (int) t->pitched[w];
            }
          alert->value_at_risk = round_money ((alert->province_rate[1] - alert->team_rate[1]) *
                                              t->pitched[1] * order_value);
          alert->raised = weeks[2];
          alert->week = g_strdup (week);
          g_ptr_array_add (alerts, alert);
        }
    }

  interner_clear (&regions);
  interner_clear (&category_ids);
  return TRUE;
}

/**
 * fl_alert_compare_rank:
 *
 * The ranking of SPEC §4.5: value at risk, highest first; then raised,
 * oldest first; then id.
 */
int
fl_alert_compare_rank (const FlAlert *a,
                       const FlAlert *b)
{
  if (a->value_at_risk != b->value_at_risk)
    return a->value_at_risk > b->value_at_risk ? -1 : 1;
  if (a->raised != b->raised)
    return a->raised < b->raised ? -1 : 1;
  return strcmp (a->id, b->id);
}

static int
compare_region_rank (gconstpointer a,
                     gconstpointer b)
{
  const FlAlert *alert_a = *(const FlAlert **) a;
  const FlAlert *alert_b = *(const FlAlert **) b;
  int cmp = strcmp (alert_a->region, alert_b->region);

  return cmp != 0 ? cmp : fl_alert_compare_rank (alert_a, alert_b);
}

static void
summarize (Evaluation *evaluation,
           GHashTable *actioned)
{
  GPtrArray *alerts = evaluation->pub.alerts;

  for (guint i = 0; i < alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (alerts, i);
      FlRegionState *state;

      alert->actioned = g_hash_table_contains (actioned, alert->id);
      g_hash_table_insert (evaluation->alerts_by_id, alert->id, alert);

      state = g_hash_table_lookup (evaluation->regions_by_code, alert->region);
      if (state == NULL || alert->actioned)
        continue;

      state->pending[alert->category]++;
      state->n_pending++;
      /* alerts are in ranking order within a region */
      if (state->n_top < G_N_ELEMENTS (state->top))
        state->top[state->n_top++] = alert;
    }

  for (guint i = 0; i < evaluation->pub.regions->len; i++)
    {
      FlRegionState *state = g_ptr_array_index (evaluation->pub.regions, i);
      guint categories = 0;

      for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
        categories += state->pending[c] > 0;

      state->status = categories == 0 ? FL_STATUS_GREEN
                      : categories == 1 ? FL_STATUS_YELLOW
                      : FL_STATUS_RED;
    }
}

/**
 * fl_rules_evaluate:
 * @store: the cache
 * @now: the evaluation time (Unix seconds); later visits and actions are ignored
 * @settings: (nullable): thresholds, %NULL for the defaults
 * @error: return location for a #GError
 *
 * Derives every alert of FORMATS.md §2 and the region states of SPEC §4.4.
 *
 * Returns: (transfer full): the evaluation, or %NULL with %FL_ERROR_STORE
 */
FlEvaluation *
fl_rules_evaluate (FlStore               *store,
                   gint64                 now,
                   const FlRuleSettings  *settings,
                   GError               **error)
{
  g_autoptr(FlEvaluation) result = NULL;
  g_autoptr(GHashTable) actioned = NULL;
  FlRuleSettings defaults;
  Evaluation *evaluation;
  sqlite3 *db;
  gboolean in_transaction;
  gboolean ok;
  gint64 t[4] = { 0 };

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  if (settings == NULL)
    {
      fl_rule_settings_init_default (&defaults);
      settings = &defaults;
    }

  evaluation = g_new0 (Evaluation, 1);
  evaluation->pub.now = now;
  evaluation->pub.regions = g_ptr_array_new_with_free_func ((GDestroyNotify) region_state_free);
  evaluation->pub.alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) alert_free);
  evaluation->alerts_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  evaluation->regions_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  result = &evaluation->pub;

  actioned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* One read transaction: all rules see the same snapshot. */
  db = _fl_store_get_db (store);
  in_transaction = !sqlite3_get_autocommit (db);
  if (!in_transaction && sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      _fl_store_fail (store, error, _("Could not start a transaction"));
      return NULL;
    }

  t[0] = g_get_monotonic_time ();
  ok = _fl_store_check_not_bulk_loading (store, error) &&
       load_actioned (store, now, actioned, error) &&
       load_regions (store, evaluation, error) &&
       evaluate_churn (store, now, evaluation->pub.alerts, error) &&
       (t[1] = g_get_monotonic_time ()) &&
       evaluate_stall (store, now, settings, evaluation->pub.alerts, error) &&
       (t[2] = g_get_monotonic_time ()) &&
       evaluate_gap (store, now, settings, evaluation->pub.alerts, error);
  t[3] = g_get_monotonic_time ();

  if (!in_transaction)
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);

  if (!ok)
    return NULL;

  g_ptr_array_sort (evaluation->pub.alerts, compare_region_rank);
  summarize (evaluation, actioned);

  g_debug ("Rules evaluated in %.1f ms (churn %.1f, stall %.1f, gap %.1f, ranking %.1f): "
           "%u alerts", (g_get_monotonic_time () - t[0]) / 1000.0, (t[1] - t[0]) / 1000.0,
           (t[2] - t[1]) / 1000.0, (t[3] - t[2]) / 1000.0,
           (g_get_monotonic_time () - t[3]) / 1000.0, evaluation->pub.alerts->len);

  return g_steal_pointer (&result);
}

void
fl_evaluation_free (FlEvaluation *evaluation)
{
  Evaluation *self = (Evaluation *) evaluation;

  if (evaluation == NULL)
    return;

  g_clear_pointer (&self->alerts_by_id, g_hash_table_unref);
  g_clear_pointer (&self->regions_by_code, g_hash_table_unref);
  g_clear_pointer (&evaluation->alerts, g_ptr_array_unref);
  g_clear_pointer (&evaluation->regions, g_ptr_array_unref);
  g_free (self);
}

/**
 * fl_evaluation_find_alert:
 * Returns: (transfer none) (nullable): the alert with @alert_id
 */
FlAlert *
fl_evaluation_find_alert (FlEvaluation *evaluation,
                          const char   *alert_id)
{
  Evaluation *self = (Evaluation *) evaluation;

  g_return_val_if_fail (evaluation != NULL, NULL);

  return alert_id != NULL ? g_hash_table_lookup (self->alerts_by_id, alert_id) : NULL;
}

/**
 * fl_evaluation_find_region:
 * Returns: (transfer none) (nullable): the state of the region @code
 */
FlRegionState *
fl_evaluation_find_region (FlEvaluation *evaluation,
                           const char   *code)
{
  Evaluation *self = (Evaluation *) evaluation;

  g_return_val_if_fail (evaluation != NULL, NULL);

  return code != NULL ? g_hash_table_lookup (self->regions_by_code, code) : NULL;
}

/**
 * fl_evaluation_region_alerts:
 * Returns: (transfer container) (element-type FlAlert): the region's alerts
 *   (only the pending ones with @pending_only) in ranking order
 */
GPtrArray *
fl_evaluation_region_alerts (FlEvaluation *evaluation,
                             const char   *code,
                             gboolean      pending_only)
{
  GPtrArray *result = g_ptr_array_new ();

  g_return_val_if_fail (evaluation != NULL, result);

  for (guint i = 0; code != NULL && i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (strcmp (alert->region, code) == 0 && !(pending_only && alert->actioned))
        g_ptr_array_add (result, alert);
    }

  return result;
}
