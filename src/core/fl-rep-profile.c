/* fl-rep-profile.c — a rep's activity and conversion, and a team's reps for a gap alert
 *
 * Counting follows the gap rule (fl-rules.c): a pitch belongs to the week of
 * its visit's start (pitches.week, the ISO week's Monday 00:00 in the store's
 * time zone), to its rep's region (pitches.region) and to its product's
 * category (pitches.category); pitches whose rep or product is not in the
 * cache (NULL region or category) are not counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-rep-profile.h"
#include "fl-store-private.h"
#include "fl-time.h"

typedef struct
{
  guint pitched;
  guint signed_;
} Tally;

static double
rate_of (guint signed_,
         guint pitched)
{
  return pitched > 0 ? (double) signed_ / (double) pitched : 0.0;
}

/* helpers: checks */

static gboolean
check_exists (FlStore     *store,
              const char  *sql,
              const char  *id,
              gboolean    *found,
              GError     **error)
{
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not look up %s"), id);
  *found = rc == SQLITE_ROW;
  return TRUE;
}

/* helpers: weekly totals per region and category, kept with the store */

/* "region\037category" → Tally*, for one week */
typedef GHashTable WeekTotals;

typedef struct
{
  gboolean       valid;
  sqlite3_int64  data_version;    /* PRAGMA data_version: other connections' commits */
  sqlite3_int64  total_changes;   /* this connection's own writes */
  GHashTable    *weeks;           /* gint64* week → WeekTotals* */
} WeekMemo;

#define WEEK_MEMO_KEY "fl-rep-profile-week-totals"

static void
week_memo_free (WeekMemo *memo)
{
  g_hash_table_unref (memo->weeks);
  g_free (memo);
}

static void
on_store_changed_cb (FlStore  *store,
                     WeekMemo *memo)
{
  memo->valid = FALSE;
  g_hash_table_remove_all (memo->weeks);
}

static char *
totals_key (const char *region,
            const char *category)
{
  return g_strconcat (region, "\037", category, NULL);
}

/* Reads the totals of @week (one scan of that week in pitches_by_week). */
static WeekTotals *
read_week_totals (FlStore  *store,
                  gint64    week,
                  GError  **error)
{
  static const char sql[] =
    "SELECT region, category, count(*), total(signed) "
    "FROM pitches INDEXED BY pitches_by_week "
    "WHERE week = ?1 AND region IS NOT NULL AND category IS NOT NULL "
    "GROUP BY region, category";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(GHashTable) totals = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, week);

  totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Tally *tally = g_new0 (Tally, 1);

      tally->pitched = (guint) sqlite3_column_int64 (stmt, 2);
      tally->signed_ = (guint) sqlite3_column_double (stmt, 3);
      g_hash_table_insert (totals,
                           totals_key ((const char *) sqlite3_column_text (stmt, 0),
                                       (const char *) sqlite3_column_text (stmt, 1)),
                           tally);
    }
  if (rc != SQLITE_DONE)
    {
      g_autofree char *name = fl_iso_week_format (week, fl_store_get_time_zone (store));

      _fl_store_fail (store, error, _("Could not read the pitches of week %s"), name);
      return NULL;
    }
  return g_steal_pointer (&totals);
}

static gboolean
read_data_version (FlStore        *store,
                   sqlite3_int64  *version,
                   GError        **error)
{
  static const char sql[] = "PRAGMA data_version";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _fl_store_fail (store, error, _("Could not read the cache’s data version"));
  *version = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The totals of @week: from the memo while the cache is unchanged, else read.
 * Inside a transaction nothing is kept (a rollback would not show as a
 * change). Transfer full (a new reference). */
static WeekTotals *
get_week_totals (FlStore  *store,
                 gint64    week,
                 GError  **error)
{
  WeekMemo *memo = g_object_get_data (G_OBJECT (store), WEEK_MEMO_KEY);
  sqlite3_int64 version = 0;
  sqlite3_int64 changes = sqlite3_total_changes64 (_fl_store_get_db (store));
  WeekTotals *totals;

  if (_fl_store_in_transaction (store))
    return read_week_totals (store, week, error);

  if (!read_data_version (store, &version, error))
    return NULL;
  if (memo == NULL)
    {
      memo = g_new0 (WeekMemo, 1);
      memo->weeks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                           (GDestroyNotify) g_hash_table_unref);
      g_object_set_data_full (G_OBJECT (store), WEEK_MEMO_KEY, memo,
                              (GDestroyNotify) week_memo_free);
      /* The memo dies with the store: no need to disconnect. */
      g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), memo);
    }
  if (!memo->valid || memo->data_version != version || memo->total_changes != changes)
    {
      g_hash_table_remove_all (memo->weeks);
      memo->valid = TRUE;
      memo->data_version = version;
      memo->total_changes = changes;
    }

  totals = g_hash_table_lookup (memo->weeks, &week);
  if (totals == NULL)
    {
      if (!(totals = read_week_totals (store, week, error)))
        return NULL;
      g_hash_table_insert (memo->weeks, g_memdup2 (&week, sizeof week), totals);
    }
  return g_hash_table_ref (totals);
}

/* fl_team_rep_rates */

void
fl_rep_rate_free (FlRepRate *rate)
{
  if (rate == NULL)
    return;
  g_free (rate->rep_id);
  g_free (rate->rep_name);
  g_free (rate);
}

/* (rate − province rate) × pitched: how much the rep pulls the team down. */
static int
compare_rates (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const FlRepRate *x = *(const FlRepRate **) a;
  const FlRepRate *y = *(const FlRepRate **) b;
  double province_rate = *(const double *) user_data;

  if ((x->pitched > 0) != (y->pitched > 0))
    return x->pitched > 0 ? -1 : 1;
  if (x->pitched > 0)
    {
      double x_shortfall = (x->rate - province_rate) * (double) x->pitched;
      double y_shortfall = (y->rate - province_rate) * (double) y->pitched;

      if (x_shortfall != y_shortfall)
        return x_shortfall < y_shortfall ? -1 : 1;
    }
  return strcmp (x->rep_id, y->rep_id);
}

static FlRepRate *
rep_rate_new (const char *id,
              const char *name)
{
  FlRepRate *rate = g_new0 (FlRepRate, 1);

  rate->rep_id = g_strdup (id);
  rate->rep_name = g_strdup (name != NULL ? name : id);
  return rate;
}

/**
 * fl_team_rep_rates:
 *
 * The team is the reps of @region in the reps table, plus any rep whose
 * pitches are counted for @region (pitches.region) but who is no longer
 * listed there, so that the reps' pitches always add up to the team's figures
 * of the gap rule. A rep missing from the cache is named by its id.
 *
 * Reads the pitches of each ISO week touching [@start, @end) through
 * pitches_by_week (week, region, category): a few thousand rows a week at
 * 1,000,000 visits.
 */
GPtrArray *
fl_team_rep_rates (FlStore    *store,
                   const char *region,
                   const char *category,
                   gint64      start,
                   gint64      end,
                   double      province_rate,
                   GError    **error)
{
  static const char region_sql[] = "SELECT 1 FROM regions WHERE code = ?1";
  static const char category_sql[] = "SELECT 1 FROM categories WHERE id = ?1";
  static const char reps_sql[] = "SELECT id, name FROM reps WHERE region = ?1";
  static const char rep_sql[] = "SELECT name FROM reps WHERE id = ?1";
  static const char pitches_sql[] =
    "SELECT rep, count(*), total(signed) FROM pitches INDEXED BY pitches_by_week "
    "WHERE week = ?1 AND region = ?2 AND category = ?3 AND start >= ?4 AND start < ?5 "
    "GROUP BY rep";
  GTimeZone *tz;
  g_autoptr(GHashTable) by_id = NULL;     /* borrowed rep id → FlRepRate* (owned by rates) */
  g_autoptr(GPtrArray) rates = NULL;
  guint n_team;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (category != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_exists (store, region_sql, region, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, _("Region %s is not in the cache"),
                   region);
      return NULL;
    }
  if (!check_exists (store, category_sql, category, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, _("Category %s is not in the cache"),
                   category);
      return NULL;
    }

  rates = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_rep_rate_free);
  by_id = g_hash_table_new (g_str_hash, g_str_equal);

  {
    g_autoptr(FlCachedStmt) stmt = NULL;

    if (!(stmt = _fl_store_prepare (store, reps_sql, error)))
      return NULL;
    sqlite3_bind_text (stmt, 1, region, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        FlRepRate *rate = rep_rate_new ((const char *) sqlite3_column_text (stmt, 0),
                                        (const char *) sqlite3_column_text (stmt, 1));

        g_ptr_array_add (rates, rate);
        g_hash_table_insert (by_id, rate->rep_id, rate);
      }
    if (rc != SQLITE_DONE)
      {
        _fl_store_fail (store, error, _("Could not read the reps of region %s"), region);
        return NULL;
      }
  }
  n_team = rates->len;

  tz = fl_store_get_time_zone (store);
  if (start < end)
    {
      g_autoptr(FlCachedStmt) stmt = NULL;

      if (!(stmt = _fl_store_prepare (store, pitches_sql, error)))
        return NULL;
      for (gint64 week = fl_iso_week_start (start, tz); week < end;
           week = fl_time_add_weeks (week, tz, 1))
        {
          sqlite3_bind_int64 (stmt, 1, week);
          sqlite3_bind_text (stmt, 2, region, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, category, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 4, start);
          sqlite3_bind_int64 (stmt, 5, end);
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            {
              const char *id = (const char *) sqlite3_column_text (stmt, 0);
              FlRepRate *rate = g_hash_table_lookup (by_id, id);

              if (rate == NULL)
                {
                  rate = rep_rate_new (id, NULL);
                  g_ptr_array_add (rates, rate);
                  g_hash_table_insert (by_id, rate->rep_id, rate);
                }
              rate->pitched += (guint) sqlite3_column_int64 (stmt, 1);
              rate->signed_ += (guint) sqlite3_column_double (stmt, 2);
            }
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            {
              _fl_store_fail (store, error,
                              _("Could not read the pitches of region %s in category %s"),
                              region, category);
              return NULL;
            }
        }
    }

  /* Reps of the pitches who are no longer in the team: their names. */
  for (guint i = n_team; i < rates->len; i++)
    {
      FlRepRate *rate = g_ptr_array_index (rates, i);
      g_autoptr(FlCachedStmt) stmt = NULL;

      if (!(stmt = _fl_store_prepare (store, rep_sql, error)))
        return NULL;
      sqlite3_bind_text (stmt, 1, rate->rep_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_free (rate->rep_name);
          rate->rep_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        }
      else if (rc != SQLITE_DONE)
        {
          _fl_store_fail (store, error, _("Could not read rep %s"), rate->rep_id);
          return NULL;
        }
    }

  for (guint i = 0; i < rates->len; i++)
    {
      FlRepRate *rate = g_ptr_array_index (rates, i);

      rate->rate = rate_of (rate->signed_, rate->pitched);
    }
  g_ptr_array_sort_with_data (rates, compare_rates, &province_rate);
  return g_steal_pointer (&rates);
}

/* fl_rep_profile_load */

void
fl_category_conversion_free (FlCategoryConversion *conversion)
{
  if (conversion == NULL)
    return;
  g_free (conversion->category);
  g_free (conversion->category_name);
  g_free (conversion);
}

void
fl_rep_profile_free (FlRepProfile *profile)
{
  if (profile == NULL)
    return;
  g_clear_pointer (&profile->rep, fl_rep_free);
  g_free (profile->region_name);
  g_clear_pointer (&profile->conversions, g_ptr_array_unref);
  g_clear_pointer (&profile->customers, g_hash_table_unref);
  g_clear_pointer (&profile->opportunities, g_hash_table_unref);
  g_free (profile);
}

static gboolean
load_visits_per_day (FlStore       *store,
                     FlRepProfile  *profile,
                     gint64         now,
                     GError       **error)
{
  static const char sql[] =
    "SELECT start FROM visits WHERE rep = ?1 AND start >= ?2 AND start <= ?3 ORDER BY start";
  g_autoptr(FlCachedStmt) stmt = NULL;
  GTimeZone *tz = fl_store_get_time_zone (store);
  gint64 bounds[FL_REP_PROFILE_DAYS + 1];
  guint day = 0;
  int rc;

  profile->first_day = fl_day_of (now, tz) - (FL_REP_PROFILE_DAYS - 1);
  for (guint i = 0; i <= FL_REP_PROFILE_DAYS; i++)
    bounds[i] = fl_day_at (profile->first_day + (gint32) i, 0, 0, tz);

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, profile->rep->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, bounds[0]);
  sqlite3_bind_int64 (stmt, 3, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 start = sqlite3_column_int64 (stmt, 0);

      while (day + 1 < FL_REP_PROFILE_DAYS && start >= bounds[day + 1])
        day++;
      profile->visits_per_day[day]++;
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the visits of rep %s"),
                           profile->rep->id);
  return TRUE;
}

static FlCategoryConversion *
conversion_for (GHashTable *by_category,
                const char *category)
{
  FlCategoryConversion *conversion = g_hash_table_lookup (by_category, category);

  if (conversion == NULL)
    {
      conversion = g_new0 (FlCategoryConversion, 1);
      conversion->category = g_strdup (category);
      g_hash_table_insert (by_category, conversion->category, conversion);
    }
  return conversion;
}

static int
compare_conversions (gconstpointer a,
                     gconstpointer b)
{
  const FlCategoryConversion *x = *(const FlCategoryConversion **) a;
  const FlCategoryConversion *y = *(const FlCategoryConversion **) b;

  return strcmp (x->category, y->category);
}

static gboolean
load_conversions (FlStore       *store,
                  FlRepProfile  *profile,
                  gint64         now,
                  GError       **error)
{
  static const char rep_sql[] =
    "SELECT p.category, count(*), total(p.signed) "
    "FROM visits AS v JOIN pitches AS p ON p.visit = v.rowid "
    "WHERE v.rep = ?1 AND v.start >= ?2 AND v.start < ?3 AND p.category IS NOT NULL "
    "GROUP BY p.category";
  static const char names_sql[] = "SELECT id, name FROM categories";
  GTimeZone *tz = fl_store_get_time_zone (store);
  g_autoptr(GHashTable) by_category = NULL;   /* borrowed id → FlCategoryConversion* */
  g_autoptr(GHashTable) province = NULL;      /* id → Tally* */
  g_autofree char *team_prefix = totals_key (profile->rep->region, "");
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  profile->period_end = fl_iso_week_start (now, tz);
  profile->period_start = fl_time_add_weeks (profile->period_end, tz, -FL_REP_PROFILE_WEEKS);
  profile->conversions = g_ptr_array_new_with_free_func (
    (GDestroyNotify) fl_category_conversion_free);
  by_category = g_hash_table_new (g_str_hash, g_str_equal);

  {
    g_autoptr(FlCachedStmt) stmt = NULL;

    if (!(stmt = _fl_store_prepare (store, rep_sql, error)))
      return FALSE;
    sqlite3_bind_text (stmt, 1, profile->rep->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, profile->period_start);
    sqlite3_bind_int64 (stmt, 3, profile->period_end);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        FlCategoryConversion *conversion =
          conversion_for (by_category, (const char *) sqlite3_column_text (stmt, 0));

        conversion->rep_pitched = (guint) sqlite3_column_int64 (stmt, 1);
        conversion->rep_signed = (guint) sqlite3_column_double (stmt, 2);
      }
    if (rc != SQLITE_DONE)
      return _fl_store_fail (store, error, _("Could not read the pitches of rep %s"),
                             profile->rep->id);
  }

  /* Team and province from the weekly totals. */
  province = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (gint64 week = profile->period_start; week < profile->period_end;
       week = fl_time_add_weeks (week, tz, 1))
    {
      g_autoptr(GHashTable) totals = get_week_totals (store, week, error);

      if (totals == NULL)
        return FALSE;
      g_hash_table_iter_init (&iter, totals);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *separator = strchr (key, '\037');
          const char *category = separator + 1;
          const Tally *tally = value;
          Tally *total;

          if (g_str_has_prefix (key, team_prefix))
            {
              FlCategoryConversion *conversion = conversion_for (by_category, category);

              conversion->team_pitched += tally->pitched;
              conversion->team_signed += tally->signed_;
            }
          total = g_hash_table_lookup (province, category);
          if (total == NULL)
            {
              total = g_new0 (Tally, 1);
              g_hash_table_insert (province, g_strdup (category), total);
            }
          total->pitched += tally->pitched;
          total->signed_ += tally->signed_;
        }
    }

  g_hash_table_iter_init (&iter, by_category);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FlCategoryConversion *conversion = value;
      const Tally *total = g_hash_table_lookup (province, conversion->category);

      if (total != NULL)
        {
          conversion->province_pitched = total->pitched;
          conversion->province_signed = total->signed_;
        }
      conversion->rep_rate = rate_of (conversion->rep_signed, conversion->rep_pitched);
      conversion->team_rate = rate_of (conversion->team_signed, conversion->team_pitched);
      conversion->province_rate = rate_of (conversion->province_signed,
                                           conversion->province_pitched);
      g_ptr_array_add (profile->conversions, conversion);
    }
  g_ptr_array_sort (profile->conversions, compare_conversions);

  {
    g_autoptr(FlCachedStmt) stmt = NULL;

    if (!(stmt = _fl_store_prepare (store, names_sql, error)))
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        FlCategoryConversion *conversion =
          g_hash_table_lookup (by_category, (const char *) sqlite3_column_text (stmt, 0));

        if (conversion != NULL && conversion->category_name == NULL)
          conversion->category_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      }
    if (rc != SQLITE_DONE)
      return _fl_store_fail (store, error, _("Could not read the categories"));
  }
  for (guint i = 0; i < profile->conversions->len; i++)
    {
      FlCategoryConversion *conversion = g_ptr_array_index (profile->conversions, i);

      if (conversion->category_name == NULL)
        conversion->category_name = g_strdup (conversion->category);
    }
  return TRUE;
}

static gboolean
load_customers (FlStore       *store,
                FlRepProfile  *profile,
                GError       **error)
{
  /* No index on owner_rep: a scan of customers (~3 ms at 50,000). */
  static const char sql[] =
    "SELECT c.id, o.id FROM customers AS c "
    "LEFT JOIN opportunities AS o ON o.customer = c.id "
    "WHERE c.owner_rep = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  profile->customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  profile->opportunities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, profile->rep->id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *customer = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (profile->customers, customer))
        g_hash_table_add (profile->customers, g_strdup (customer));
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        g_hash_table_add (profile->opportunities,
                          g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the customers of rep %s"),
                           profile->rep->id);
  profile->n_customers = g_hash_table_size (profile->customers);
  return TRUE;
}

/**
 * fl_rep_profile_load:
 *
 * See fl-rep-profile.h. The conversion period is the FL_REP_PROFILE_WEEKS
 * complete ISO weeks before the week of @now: steadier figures than one
 * week, and the same weeks for the rep, the team and the province.
 */
FlRepProfile *
fl_rep_profile_load (FlStore     *store,
                     const char  *rep_id,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(FlRepProfile) profile = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (rep_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  profile = g_new0 (FlRepProfile, 1);
  if (!(profile->rep = fl_store_get_rep (store, rep_id, error)))
    return NULL;
  profile->region_name = fl_store_dup_region_name (store, profile->rep->region);

  if (!load_visits_per_day (store, profile, now, error) ||
      !load_conversions (store, profile, now, error) ||
      !load_customers (store, profile, error))
    return NULL;

  return g_steal_pointer (&profile);
}

const FlCategoryConversion *
fl_rep_profile_find_category (const FlRepProfile *profile,
                              const char         *category)
{
  g_return_val_if_fail (profile != NULL, NULL);

  for (guint i = 0; category != NULL && i < profile->conversions->len; i++)
    {
      const FlCategoryConversion *conversion = g_ptr_array_index (profile->conversions, i);

      if (strcmp (conversion->category, category) == 0)
        return conversion;
    }
  return NULL;
}

static int
compare_rank (gconstpointer a,
              gconstpointer b)
{
  return fl_alert_compare_rank (*(const FlAlert **) a, *(const FlAlert **) b);
}

GPtrArray *
fl_rep_profile_pending_alerts (const FlRepProfile *profile,
                               FlEvaluation       *evaluation)
{
  GPtrArray *alerts;

  g_return_val_if_fail (profile != NULL, NULL);

  alerts = g_ptr_array_new ();
  for (guint i = 0; evaluation != NULL && i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);
      gboolean mine = FALSE;

      if (alert->actioned)
        continue;
      switch (alert->category)
        {
        case FL_ALERT_CHURN:
          mine = g_hash_table_contains (profile->customers, alert->subject);
          break;
        case FL_ALERT_STALL:
          mine = g_hash_table_contains (profile->opportunities, alert->subject);
          break;
        case FL_ALERT_GAP:
          {
            const FlCategoryConversion *conversion =
              fl_rep_profile_find_category (profile, alert->subject);

            mine = g_strcmp0 (alert->region, profile->rep->region) == 0 &&
                   conversion != NULL && conversion->rep_pitched > 0;
          }
          break;
        case FL_N_ALERT_CATEGORIES:
        default:
          break;
        }
      if (mine)
        g_ptr_array_add (alerts, alert);
    }
  g_ptr_array_sort (alerts, compare_rank);
  return alerts;
}
