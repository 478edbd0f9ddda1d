/* fl-category-profile.c — a product category by region, and a pitch pilot's results so far
 *
 * Both read the pitches table (schema in fl-store.c), which carries each
 * pitch's visit start, its ISO week, the rep's region and the product's
 * category. Counts per (week, region[, category]) are searches of the
 * covering index pitches_by_week; the statements name no index, so that an
 * index added later for the product or the day columns is picked by the
 * planner (see fl-category-profile.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-category-profile.h"
#include "fl-store-private.h"
#include "fl-time.h"

#define MAX_WEEKS 8

/* helpers */

static void
conversion_add (FlConversion  *conversion,
                sqlite3_int64  pitched,
                double         signed_)
{
  conversion->pitched += (guint) pitched;
  conversion->signed_ += (guint) signed_;
}

static void
conversion_finish (FlConversion *conversion)
{
  conversion->rate = conversion->pitched > 0
                     ? (double) conversion->signed_ / (double) conversion->pitched : 0.0;
}

/* The gap rule's comparison (fl-rules.c): rate < ratio × province rate, by
 * cross-multiplication so that equal rates are never "below". */
static gboolean
rate_below (const FlConversion *team,
            const FlConversion *province,
            double              ratio)
{
  double lhs = (double) team->signed_ * (double) province->pitched;
  double rhs = ratio * (double) province->signed_ * (double) team->pitched;

  return lhs < rhs && (rhs - lhs) > 1e-13 * rhs;
}

static void
category_region_free (FlCategoryRegion *region)
{
  g_free (region->code);
  g_free (region->name);
  g_free (region);
}

static void
category_product_free (FlCategoryProduct *product)
{
  g_free (product->id);
  g_free (product->name);
  g_free (product);
}

static void
pilot_region_free (FlPilotRegion *region)
{
  g_free (region->code);
  g_free (region->name);
  g_free (region);
}

static gboolean
load_category_regions (FlStore            *store,
                       FlCategoryProfile  *profile,
                       const gint64       *weeks,
                       GError            **error)
{
  static const char regions_sql[] = "SELECT code, name FROM regions ORDER BY code";
  static const char count_sql[] =
    "SELECT count(*), total(signed) FROM pitches "
    "WHERE week = ?1 AND region = ?2 AND category = ?3";
  g_autoptr(FlCachedStmt) regions = NULL;
  g_autoptr(FlCachedStmt) count = NULL;
  int rc;

  if (!(regions = _fl_store_prepare (store, regions_sql, error)) ||
      !(count = _fl_store_prepare (store, count_sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (regions)) == SQLITE_ROW)
    {
      FlCategoryRegion *region = g_new0 (FlCategoryRegion, 1);

      region->code = g_strdup ((const char *) sqlite3_column_text (regions, 0));
      region->name = g_strdup ((const char *) sqlite3_column_text (regions, 1));
      g_ptr_array_add (profile->regions, region);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the regions"));

  for (guint i = 0; i < profile->regions->len; i++)
    {
      FlCategoryRegion *region = g_ptr_array_index (profile->regions, i);

      for (guint w = 0; w < profile->n_weeks; w++)
        {
          sqlite3_bind_int64 (count, 1, weeks[w]);
          sqlite3_bind_text (count, 2, region->code, -1, SQLITE_STATIC);
          sqlite3_bind_text (count, 3, profile->id, -1, SQLITE_STATIC);
          if (sqlite3_step (count) != SQLITE_ROW)
            return _fl_store_fail (store, error,
                                   _("Could not read the pitches of category %s in region %s"),
                                   profile->id, region->code);
          conversion_add (&region->conversion, sqlite3_column_int64 (count, 0),
                          sqlite3_column_double (count, 1));
          sqlite3_reset (count);
        }
      conversion_finish (&region->conversion);
      conversion_add (&profile->province, region->conversion.pitched,
                      region->conversion.signed_);
    }
  conversion_finish (&profile->province);

  for (guint i = 0; i < profile->regions->len; i++)
    {
      FlCategoryRegion *region = g_ptr_array_index (profile->regions, i);

      if (region->conversion.pitched == 0)
        region->flow = FL_FLOW_NOT_PITCHED;
      else if (region->conversion.pitched < profile->min_pitches)
        region->flow = FL_FLOW_FEW_PITCHES;
      else if (rate_below (&region->conversion, &profile->province, profile->gap_ratio))
        region->flow = FL_FLOW_BELOW;
      else
        region->flow = FL_FLOW_OK;
    }
  return TRUE;
}

static gboolean
load_category_products (FlStore            *store,
                        FlCategoryProfile  *profile,
                        const gint64       *weeks,
                        GError            **error)
{
  static const char products_sql[] =
    "SELECT id, name FROM products WHERE category = ?1 ORDER BY id";
  /* Only the store's regions, like the region counts. Without an index
   * covering the product this searches pitches_by_week once per region and
   * reads the rows it finds. */
  static const char count_sql[] =
    "SELECT product, count(*), total(signed) FROM pitches "
    "WHERE week = ?1 AND category = ?2 AND region IN (SELECT code FROM regions) "
    "GROUP BY product";
  g_autoptr(FlCachedStmt) products = NULL;
  g_autoptr(FlCachedStmt) count = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  if (!(products = _fl_store_prepare (store, products_sql, error)) ||
      !(count = _fl_store_prepare (store, count_sql, error)))
    return FALSE;

  sqlite3_bind_text (products, 1, profile->id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (products)) == SQLITE_ROW)
    {
      FlCategoryProduct *product = g_new0 (FlCategoryProduct, 1);

      product->id = g_strdup ((const char *) sqlite3_column_text (products, 0));
      product->name = g_strdup ((const char *) sqlite3_column_text (products, 1));
      g_ptr_array_add (profile->products, product);
      g_hash_table_insert (by_id, product->id, product);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the products of category %s"),
                           profile->id);

  for (guint w = 0; w < profile->n_weeks; w++)
    {
      sqlite3_bind_int64 (count, 1, weeks[w]);
      sqlite3_bind_text (count, 2, profile->id, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (count)) == SQLITE_ROW)
        {
          FlCategoryProduct *product =
            g_hash_table_lookup (by_id, (const char *) sqlite3_column_text (count, 0));

          /* A pitch's category is its product's: no other product can appear. */
          if (product != NULL)
            conversion_add (&product->conversion, sqlite3_column_int64 (count, 1),
                            sqlite3_column_double (count, 2));
        }
      if (rc != SQLITE_DONE)
        return _fl_store_fail (store, error,
                               _("Could not read the pitches of the products of category %s"),
                               profile->id);
      sqlite3_reset (count);
    }
  for (guint i = 0; i < profile->products->len; i++)
    conversion_finish (&((FlCategoryProduct *) g_ptr_array_index (profile->products,
                                                                   i))->conversion);
  return TRUE;
}

/* public API: category */

void
fl_category_profile_free (FlCategoryProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->id);
  g_free (profile->name);
  g_free (profile->first_week);
  g_free (profile->last_week);
  g_clear_pointer (&profile->regions, g_ptr_array_unref);
  g_clear_pointer (&profile->products, g_ptr_array_unref);
  g_free (profile);
}

FlCategoryProfile *
fl_category_profile_load (FlStore              *store,
                          const char           *category_id,
                          gint64                now,
                          guint                 n_weeks,
                          const FlRuleSettings *settings,
                          GError              **error)
{
  g_autoptr(FlCategoryProfile) profile = NULL;
  FlRuleSettings defaults;
  FlProductCategory *category;
  GTimeZone *tz;
  gint64 this_week;
  gint64 weeks[MAX_WEEKS];

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (category_id != NULL, NULL);
  g_return_val_if_fail (n_weeks >= 1 && n_weeks <= MAX_WEEKS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (settings == NULL)
    {
      fl_rule_settings_init_default (&defaults);
      settings = &defaults;
    }

  if (!(category = fl_store_get_category (store, category_id, error)))
    return NULL;

  profile = g_new0 (FlCategoryProfile, 1);
  profile->id = g_steal_pointer (&category->id);
  profile->name = g_steal_pointer (&category->name);
  profile->avg_order_value = category->avg_order_value;
  fl_product_category_free (category);

  tz = fl_store_get_time_zone (store);
  this_week = fl_iso_week_start (now, tz);
  for (guint w = 0; w < n_weeks; w++)
    weeks[w] = fl_time_add_weeks (this_week, tz, -(int) (w + 1));
  profile->n_weeks = n_weeks;
  profile->start = weeks[n_weeks - 1];
  profile->end = this_week;
  profile->first_week = fl_iso_week_format (profile->start, tz);
  profile->last_week = fl_iso_week_format (weeks[0], tz);
  profile->gap_ratio = settings->gap_ratio;
  profile->min_pitches = (guint) MAX (settings->gap_min_pitches, 0) * n_weeks;
  profile->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) category_region_free);
  profile->products = g_ptr_array_new_with_free_func ((GDestroyNotify) category_product_free);

  if (!load_category_regions (store, profile, weeks, error) ||
      !load_category_products (store, profile, weeks, error))
    return NULL;

  return g_steal_pointer (&profile);
}

/* pilot */

/* Adds the pitches of @region's reps in the visits that started in [@from,
 * @to) to @conversion: whole ISO weeks from the week column, the days of a
 * week cut by an edge with the start column too. */
static gboolean
count_region_range (FlStore       *store,
                    const char    *region,
                    gint64         from,
                    gint64         to,
                    FlConversion  *conversion,
                    GError       **error)
{
  static const char week_sql[] =
    "SELECT count(*), total(signed) FROM pitches WHERE week = ?1 AND region = ?2";
  static const char days_sql[] =
    "SELECT count(*), total(signed) FROM pitches "
    "WHERE week = ?1 AND region = ?2 AND start >= ?3 AND start < ?4";
  g_autoptr(FlCachedStmt) week_stmt = NULL;
  g_autoptr(FlCachedStmt) days_stmt = NULL;
  GTimeZone *tz = fl_store_get_time_zone (store);

  if (from >= to)
    return TRUE;
  if (!(week_stmt = _fl_store_prepare (store, week_sql, error)) ||
      !(days_stmt = _fl_store_prepare (store, days_sql, error)))
    return FALSE;

  for (gint64 week = fl_iso_week_start (from, tz); week < to;
       week = fl_time_add_weeks (week, tz, 1))
    {
      gint64 week_end = fl_time_add_weeks (week, tz, 1);
      sqlite3_stmt *stmt;

      if (from <= week && week_end <= to)
        stmt = week_stmt;
      else
        {
          stmt = days_stmt;
          sqlite3_bind_int64 (stmt, 3, MAX (from, week));
          sqlite3_bind_int64 (stmt, 4, MIN (to, week_end));
        }
      sqlite3_bind_int64 (stmt, 1, week);
      sqlite3_bind_text (stmt, 2, region, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        return _fl_store_fail (store, error, _("Could not read the pitches of region %s"),
                               region);
      conversion_add (conversion, sqlite3_column_int64 (stmt, 0),
                      sqlite3_column_double (stmt, 1));
      sqlite3_reset (stmt);
    }
  return TRUE;
}

void
fl_pilot_profile_free (FlPilotProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->id);
  g_free (profile->title);
  g_free (profile->owner_id);
  g_free (profile->owner_name);
  g_clear_pointer (&profile->regions, g_ptr_array_unref);
  g_free (profile);
}

FlPilotProfile *
fl_pilot_profile_load (FlStore     *store,
                       const char  *pilot_id,
                       gint64       now,
                       GError     **error)
{
  static const char pilot_sql[] =
    "SELECT p.title, p.start, p.owner, r.name FROM pilots AS p "
    "LEFT JOIN reps AS r ON r.id = p.owner WHERE p.id = ?1";
  static const char regions_sql[] =
    "SELECT j.value, r.name FROM pilots AS p, json_each (p.regions) AS j "
    "LEFT JOIN regions AS r ON r.code = j.value "
    "WHERE p.id = ?1 AND j.type = 'text' ORDER BY j.key";
  g_autoptr(FlCachedStmt) pilot = NULL;
  g_autoptr(FlCachedStmt) regions = NULL;
  g_autoptr(FlPilotProfile) profile = NULL;
  GTimeZone *tz;
  gint32 today, monday;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (pilot_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(pilot = _fl_store_prepare (store, pilot_sql, error)) ||
      !(regions = _fl_store_prepare (store, regions_sql, error)))
    return NULL;

  sqlite3_bind_text (pilot, 1, pilot_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (pilot);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, _("Pilot %s is not in the cache"),
                   pilot_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _fl_store_fail (store, error, _("Could not read pilot %s"), pilot_id);
      return NULL;
    }

  profile = g_new0 (FlPilotProfile, 1);
  profile->id = g_strdup (pilot_id);
  profile->title = g_strdup ((const char *) sqlite3_column_text (pilot, 0));
  profile->start_day = sqlite3_column_int (pilot, 1);
  profile->last_day = profile->start_day + FL_PILOT_DAYS - 1;
  profile->owner_id = g_strdup ((const char *) sqlite3_column_text (pilot, 2));
  profile->owner_name = g_strdup ((const char *) sqlite3_column_text (pilot, 3));
  profile->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) pilot_region_free);

  sqlite3_bind_text (regions, 1, pilot_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (regions)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (regions, 0);
      const char *name = (const char *) sqlite3_column_text (regions, 1);
      FlPilotRegion *region;
      gboolean seen = FALSE;

      /* A region named twice counts once. */
      for (guint i = 0; i < profile->regions->len && !seen; i++)
        seen = g_strcmp0 (((FlPilotRegion *) g_ptr_array_index (profile->regions, i))->code,
                          code) == 0;
      if (seen)
        continue;
      region = g_new0 (FlPilotRegion, 1);
      region->code = g_strdup (code);
      region->name = g_strdup (name != NULL ? name : code);
      g_ptr_array_add (profile->regions, region);
    }
  if (rc != SQLITE_DONE)
    {
      _fl_store_fail (store, error, _("Could not read the regions of pilot %s"), pilot_id);
      return NULL;
    }

  tz = fl_store_get_time_zone (store);
  today = fl_day_of (now, tz);
  monday = today - (fl_date_weekday (today) - 1);
  if (today < profile->start_day)
    profile->state = FL_PILOT_NOT_STARTED;
  else if (today > profile->last_day)
    profile->state = FL_PILOT_ENDED;
  else
    {
      profile->state = FL_PILOT_RUNNING;
      profile->day = today - profile->start_day + 1;
    }
  profile->ends_this_week = profile->last_day >= monday && profile->last_day <= monday + 6;

  profile->n_days = CLAMP (today - profile->start_day, 0, FL_PILOT_DAYS);
  profile->during_start = fl_day_at (profile->start_day, 0, 0, tz);
  profile->during_end = fl_day_at (profile->start_day + profile->n_days, 0, 0, tz);
  profile->before_start = fl_day_at (profile->start_day - profile->n_days, 0, 0, tz);

  for (guint i = 0; i < profile->regions->len; i++)
    {
      FlPilotRegion *region = g_ptr_array_index (profile->regions, i);

      if (!count_region_range (store, region->code, profile->before_start,
                               profile->during_start, &region->before, error) ||
          !count_region_range (store, region->code, profile->during_start,
                               profile->during_end, &region->during, error))
        return NULL;
      conversion_finish (&region->before);
      conversion_finish (&region->during);
      conversion_add (&profile->before, region->before.pitched, region->before.signed_);
      conversion_add (&profile->during, region->during.pitched, region->during.signed_);
    }
  conversion_finish (&profile->before);
  conversion_finish (&profile->during);

  return g_steal_pointer (&profile);
}
