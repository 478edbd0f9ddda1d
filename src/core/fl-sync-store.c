/* fl-sync-store.c — partial datasets, per-entity merges and deletes,
 * metadata and the outbox: what sync needs from the core
 *
 * A merge writes only what differs, so that the server's change log (SQLite
 * triggers on the entity tables, see src/server) records real changes only:
 * entity rows are upserts that update nothing when every column is equal,
 * and a customer's health snapshots or a visit's pitches are replaced only
 * when they differ.
 *
 * Pitches carry denormalised columns for the gap rule (see fl-store.c): the
 * visit's start, its week, the rep, the rep's region and the product's
 * category. The merge looks the region and the category up in the store,
 * after it wrote the reps and products of the same fragment; one that is
 * still unknown (a visit of a rep outside the user's scope, or one whose rep
 * comes in a later page) is stored as NULL, and the gap rule skips the pitch.
 * Merging or deleting a rep or a product later re-derives the column for
 * the pitches already stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-store-private.h"
#include "fl-sync-store.h"
#include "fl-time.h"

/* Entity kinds */

typedef struct
{
  const char *name;
  gsize       array_offset;   /* of the GPtrArray * in FlDataset */
  gsize       id_offset;      /* of the char * id in the element */
} KindInfo;

static const KindInfo kind_info[FL_N_ENTITY_KINDS] = {
  { "regions", G_STRUCT_OFFSET (FlDataset, regions), G_STRUCT_OFFSET (FlRegion, code) },
  { "reps", G_STRUCT_OFFSET (FlDataset, reps), G_STRUCT_OFFSET (FlRep, id) },
  { "categories", G_STRUCT_OFFSET (FlDataset, categories),
    G_STRUCT_OFFSET (FlProductCategory, id) },
  { "products", G_STRUCT_OFFSET (FlDataset, products), G_STRUCT_OFFSET (FlProduct, id) },
  { "customers", G_STRUCT_OFFSET (FlDataset, customers), G_STRUCT_OFFSET (FlCustomer, id) },
  { "visits", G_STRUCT_OFFSET (FlDataset, visits), G_STRUCT_OFFSET (FlVisit, id) },
  { "opportunities", G_STRUCT_OFFSET (FlDataset, opportunities),
    G_STRUCT_OFFSET (FlOpportunity, id) },
  { "pilots", G_STRUCT_OFFSET (FlDataset, pilots), G_STRUCT_OFFSET (FlPilot, id) },
  { "cases", G_STRUCT_OFFSET (FlDataset, cases), G_STRUCT_OFFSET (FlCase, id) },
  { "actions", G_STRUCT_OFFSET (FlDataset, actions), G_STRUCT_OFFSET (FlAction, id) },
};

const char *
fl_entity_kind_to_string (FlEntityKind kind)
{
  g_return_val_if_fail (kind < FL_N_ENTITY_KINDS, NULL);
  return kind_info[kind].name;
}

gboolean
fl_entity_kind_from_string (const char   *str,
                            FlEntityKind *out)
{
  for (guint i = 0; str != NULL && i < FL_N_ENTITY_KINDS; i++)
    {
      if (strcmp (kind_info[i].name, str) == 0)
        {
          if (out != NULL)
            *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * fl_dataset_get_entities:
 * Returns: (transfer none): the array of @dataset that holds entities of @kind
 */
GPtrArray *
fl_dataset_get_entities (FlDataset    *dataset,
                         FlEntityKind  kind)
{
  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (kind < FL_N_ENTITY_KINDS, NULL);

  return G_STRUCT_MEMBER (GPtrArray *, dataset, kind_info[kind].array_offset);
}

const char *
fl_entity_get_id (FlEntityKind  kind,
                  gconstpointer entity)
{
  g_return_val_if_fail (kind < FL_N_ENTITY_KINDS, NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  return G_STRUCT_MEMBER (const char *, entity, kind_info[kind].id_offset);
}

/* Helpers */

/* Steps a statement that returns no rows and resets it. */
static gboolean
run (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/* Runs @stmt with ?1 = @id. */
static gboolean
run_id (sqlite3_stmt *stmt,
        const char   *id)
{
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  return run (stmt);
}

/* Meta */

/**
 * fl_store_dup_meta:
 * @self: a #FlStore
 * @key: the setting
 *
 * Returns: (transfer full) (nullable): its value, or %NULL when unset
 */
char *
fl_store_dup_meta (FlStore    *self,
                   const char *key)
{
  static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!(stmt = _fl_store_prepare (self, sql, &error)))
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Writes a setting unless it already has this value; *@changed tells. */
static gboolean
write_meta (FlStore     *self,
            const char  *key,
            const char  *value,
            gboolean    *changed,
            GError     **error)
{
  static const char set_sql[] =
    "INSERT INTO meta (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value";
  static const char delete_sql[] = "DELETE FROM meta WHERE key = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, value != NULL ? set_sql : delete_sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (!run (stmt))
    return _fl_store_fail (self, error, _("Could not save the setting “%s”"), key);

  if (changed != NULL)
    *changed = sqlite3_changes (_fl_store_get_db (self)) > 0;
  return TRUE;
}

static gboolean
is_dataset_key (const char *key)
{
  return strcmp (key, "timezone") == 0 || strcmp (key, "province_code") == 0 ||
         strcmp (key, "province_name") == 0;
}

/**
 * fl_store_set_meta:
 * @self: a #FlStore
 * @key: the setting
 * @value: (nullable): its new value, or %NULL to delete it
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_set_meta (FlStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!write_meta (self, key, value, &changed, error))
    return FALSE;

  if (changed && is_dataset_key (key))
    {
      if (!_fl_store_reload_meta (self, error))
        return FALSE;
      _fl_store_changed (self);
    }
  return TRUE;
}

/* Merge */

typedef struct
{
  FlStore    *store;
  GHashTable *rep_regions;          /* rep id → its region, NULL: unknown */
  GHashTable *product_categories;   /* product id → its category, NULL: unknown */
} Merge;

static void
merge_clear (Merge *m)
{
  g_clear_pointer (&m->rep_regions, g_hash_table_unref);
  g_clear_pointer (&m->product_categories, g_hash_table_unref);
}

/* A column of a row by id, cached for the merge (NULL: no such row). */
static gboolean
lookup_cached (FlStore     *self,
               GHashTable  *cache,
               const char  *sql,
               const char  *id,
               const char **out,
               GError     **error)
{
  g_autoptr(FlCachedStmt) stmt = NULL;
  gpointer value;
  int rc;

  if (g_hash_table_lookup_extended (cache, id, NULL, &value))
    {
      *out = value;
      return TRUE;
    }

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    value = NULL;
  else
    return _fl_store_fail (self, error, _("Could not look %s up in the cache"), id);

  g_hash_table_insert (cache, g_strdup (id), value);
  *out = value;
  return TRUE;
}

static gboolean
merge_meta (Merge      *m,
            FlDataset  *fragment,
            GError    **error)
{
  gboolean tz_changed = FALSE, code_changed = FALSE, name_changed = FALSE;

  if (fragment->timezone != NULL)
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (fragment->timezone);

      if (tz == NULL)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("dataset: field “%s”: unknown time zone “%s”"), "timezone",
                       fragment->timezone);
          return FALSE;
        }
      if (!write_meta (m->store, "timezone", fragment->timezone, &tz_changed, error))
        return FALSE;
    }
  if (fragment->province_code != NULL &&
      !write_meta (m->store, "province_code", fragment->province_code, &code_changed, error))
    return FALSE;
  if (fragment->province_name != NULL &&
      !write_meta (m->store, "province_name", fragment->province_name, &name_changed, error))
    return FALSE;

  if ((tz_changed || code_changed || name_changed) && !_fl_store_reload_meta (m->store, error))
    return FALSE;

  if (tz_changed)
    {
      /* The pitches' weeks are Mondays in the dataset's zone. */
      static const char visits_sql[] = "SELECT DISTINCT visit, start FROM pitches";
      static const char update_sql[] =
        "UPDATE pitches SET week = ?2 WHERE visit = ?1 AND week IS NOT ?2";
      g_autoptr(FlCachedStmt) visits = NULL;
      g_autoptr(FlCachedStmt) update = NULL;
      GTimeZone *tz = fl_store_get_time_zone (m->store);
      int rc;

      if (!(visits = _fl_store_prepare (m->store, visits_sql, error)) ||
          !(update = _fl_store_prepare (m->store, update_sql, error)))
        return FALSE;

      while ((rc = sqlite3_step (visits)) == SQLITE_ROW)
        {
          sqlite3_bind_int64 (update, 1, sqlite3_column_int64 (visits, 0));
          sqlite3_bind_int64 (update, 2,
                              fl_iso_week_start (sqlite3_column_int64 (visits, 1), tz));
          if (!run (update))
            return _fl_store_fail (m->store, error,
                                   _("Could not move the pitches to the new time zone"));
        }
      if (rc != SQLITE_DONE)
        return _fl_store_fail (m->store, error,
                               _("Could not move the pitches to the new time zone"));
    }

  return TRUE;
}

static gboolean
merge_regions (Merge      *m,
               GPtrArray  *regions,
               GError    **error)
{
  static const char sql[] =
    "INSERT INTO regions (" FL_STORE_REGION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
    "has_label_point = excluded.has_label_point, label_x = excluded.label_x, "
    "label_y = excluded.label_y, geometry = excluded.geometry "
    "WHERE (name, has_label_point, label_x, label_y, geometry) IS NOT "
    "(excluded.name, excluded.has_label_point, excluded.label_x, excluded.label_y, "
    "excluded.geometry)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (regions->len == 0)
    return TRUE;
  if (!(stmt = _fl_store_prepare (m->store, sql, error)))
    return FALSE;

  for (guint i = 0; i < regions->len; i++)
    {
      FlRegion *region = g_ptr_array_index (regions, i);

      if (!_fl_store_bind_region (stmt, region, error))
        return FALSE;
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save region %s"), region->code);
    }

  return TRUE;
}

static gboolean
merge_reps (Merge      *m,
            GPtrArray  *reps,
            GError    **error)
{
  static const char old_sql[] = "SELECT region FROM reps WHERE id = ?1";
  static const char sql[] =
    "INSERT INTO reps (" FL_STORE_REP_COLUMNS ") VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, region = excluded.region, "
    "phone = excluded.phone "
    "WHERE (name, region, phone) IS NOT (excluded.name, excluded.region, excluded.phone)";
  /* Through visits_by_rep: pitches have no index on the rep. */
  static const char pitches_sql[] =
    "UPDATE pitches SET region = ?2 "
    "WHERE visit IN (SELECT rowid FROM visits WHERE rep = ?1) AND region IS NOT ?2";
  g_autoptr(FlCachedStmt) old = NULL;
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) pitches = NULL;

  if (reps->len == 0)
    return TRUE;
  if (!(old = _fl_store_prepare (m->store, old_sql, error)) ||
      !(stmt = _fl_store_prepare (m->store, sql, error)) ||
      !(pitches = _fl_store_prepare (m->store, pitches_sql, error)))
    return FALSE;

  for (guint i = 0; i < reps->len; i++)
    {
      FlRep *rep = g_ptr_array_index (reps, i);
      gboolean same_region;
      int rc;

      sqlite3_bind_text (old, 1, rep->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (old);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return _fl_store_fail (m->store, error, _("Could not save rep %s"), rep->id);
      same_region = rc == SQLITE_ROW &&
                    g_strcmp0 ((const char *) sqlite3_column_text (old, 0), rep->region) == 0;
      sqlite3_reset (old);

      _fl_store_bind_rep (stmt, rep);
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save rep %s"), rep->id);

      if (same_region)
        continue;

      sqlite3_bind_text (pitches, 1, rep->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (pitches, 2, rep->region, -1, SQLITE_STATIC);
      if (!run (pitches))
        return _fl_store_fail (m->store, error, _("Could not save rep %s: pitches"), rep->id);
    }

  return TRUE;
}

static gboolean
merge_categories (Merge      *m,
                  GPtrArray  *categories,
                  GError    **error)
{
  static const char sql[] =
    "INSERT INTO categories (" FL_STORE_CATEGORY_COLUMNS ") VALUES (?1, ?2, ?3) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
    "avg_order_value = excluded.avg_order_value "
    "WHERE (name, avg_order_value) IS NOT (excluded.name, excluded.avg_order_value)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (categories->len == 0)
    return TRUE;
  if (!(stmt = _fl_store_prepare (m->store, sql, error)))
    return FALSE;

  for (guint i = 0; i < categories->len; i++)
    {
      FlProductCategory *category = g_ptr_array_index (categories, i);

      _fl_store_bind_category (stmt, category);
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save category %s"), category->id);
    }

  return TRUE;
}

static gboolean
merge_products (Merge      *m,
                GPtrArray  *products,
                GError    **error)
{
  static const char old_sql[] = "SELECT category FROM products WHERE id = ?1";
  static const char sql[] =
    "INSERT INTO products (" FL_STORE_PRODUCT_COLUMNS ") VALUES (?1, ?2, ?3) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category "
    "WHERE (name, category) IS NOT (excluded.name, excluded.category)";
  /* A new product: only pitches stored before it can name it, with a NULL
   * category (the partial index pitches_unresolved). A product that moves to
   * another category is rare enough for a scan of the pitches. */
  static const char new_sql[] =
    "UPDATE pitches SET category = ?2 WHERE product = ?1 AND category IS NULL";
  static const char moved_sql[] =
    "UPDATE pitches SET category = ?2 WHERE product = ?1 AND category IS NOT ?2";
  g_autoptr(FlCachedStmt) old = NULL;
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) added = NULL;
  g_autoptr(FlCachedStmt) moved = NULL;

  if (products->len == 0)
    return TRUE;
  if (!(old = _fl_store_prepare (m->store, old_sql, error)) ||
      !(stmt = _fl_store_prepare (m->store, sql, error)) ||
      !(added = _fl_store_prepare (m->store, new_sql, error)) ||
      !(moved = _fl_store_prepare (m->store, moved_sql, error)))
    return FALSE;

  for (guint i = 0; i < products->len; i++)
    {
      FlProduct *product = g_ptr_array_index (products, i);
      sqlite3_stmt *pitches;
      int rc;

      sqlite3_bind_text (old, 1, product->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (old);
      if (rc == SQLITE_DONE)
        pitches = added;
      else if (rc != SQLITE_ROW)
        return _fl_store_fail (m->store, error, _("Could not save product %s"), product->id);
      else if (g_strcmp0 ((const char *) sqlite3_column_text (old, 0), product->category) != 0)
        pitches = moved;
      else
        pitches = NULL;
      sqlite3_reset (old);

      _fl_store_bind_product (stmt, product);
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save product %s"), product->id);

      if (pitches == NULL)
        continue;
      sqlite3_bind_text (pitches, 1, product->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (pitches, 2, product->category, -1, SQLITE_STATIC);
      if (!run (pitches))
        return _fl_store_fail (m->store, error, _("Could not save product %s: pitches"),
                               product->id);
    }

  return TRUE;
}

/* Whether the stored health snapshots of @customer are those of @health. */
static gboolean
same_health (FlStore      *self,
             sqlite3_stmt *stmt,
             FlCustomer   *customer,
             gboolean     *same)
{
  GArray *health = customer->health;
  guint n = 0;
  int rc;

  *same = TRUE;
  sqlite3_bind_text (stmt, 1, customer->id, -1, SQLITE_STATIC);
  while (*same && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const FlHealth *h;

      if (health == NULL || n >= health->len)
        {
          *same = FALSE;
          break;
        }
      h = &g_array_index (health, FlHealth, n++);
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), h->week) != 0)
        *same = FALSE;
      for (int k = 0; k < FL_N_HEALTH_DIMENSIONS && *same; k++)
        *same = sqlite3_column_type (stmt, 1 + k) == SQLITE_INTEGER &&
                sqlite3_column_int (stmt, 1 + k) == h->scores[k];
    }
  if (*same && rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (*same && n != (health != NULL ? health->len : 0))
    *same = FALSE;

  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
merge_customers (Merge      *m,
                 GPtrArray  *customers,
                 GError    **error)
{
  static const char sql[] =
    "INSERT INTO customers (" FL_STORE_CUSTOMER_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, region = excluded.region, "
    "owner_rep = excluded.owner_rep, tier = excluded.tier, lat = excluded.lat, "
    "lon = excluded.lon, revenue_90d = excluded.revenue_90d "
    "WHERE (name, region, owner_rep, tier, lat, lon, revenue_90d) IS NOT "
    "(excluded.name, excluded.region, excluded.owner_rep, excluded.tier, excluded.lat, "
    "excluded.lon, excluded.revenue_90d)";
  static const char health_sql[] =
    "SELECT week, cooperation_stability, new_product_acceptance, competitor_penetration, "
    "sell_through, inventory_health, payment_punctuality FROM health "
    "WHERE customer = ?1 ORDER BY rowid";
  static const char delete_health_sql[] = "DELETE FROM health WHERE customer = ?1";
  static const char insert_health_sql[] =
    "INSERT INTO health (" FL_STORE_HEALTH_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) health = NULL;
  g_autoptr(FlCachedStmt) delete_health = NULL;
  g_autoptr(FlCachedStmt) insert_health = NULL;

  if (customers->len == 0)
    return TRUE;
  if (!(stmt = _fl_store_prepare (m->store, sql, error)) ||
      !(health = _fl_store_prepare (m->store, health_sql, error)) ||
      !(delete_health = _fl_store_prepare (m->store, delete_health_sql, error)) ||
      !(insert_health = _fl_store_prepare (m->store, insert_health_sql, error)))
    return FALSE;

  for (guint i = 0; i < customers->len; i++)
    {
      FlCustomer *customer = g_ptr_array_index (customers, i);
      gboolean same;

      _fl_store_bind_customer (stmt, customer);
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save customer %s"), customer->id);

      if (!same_health (m->store, health, customer, &same))
        return _fl_store_fail (m->store, error, _("Could not save customer %s: health"),
                               customer->id);
      if (same)
        continue;

      sqlite3_bind_text (delete_health, 1, customer->id, -1, SQLITE_STATIC);
      if (!run (delete_health))
        return _fl_store_fail (m->store, error, _("Could not save customer %s: health"),
                               customer->id);
      for (guint j = 0; customer->health != NULL && j < customer->health->len; j++)
        {
          const FlHealth *h = &g_array_index (customer->health, FlHealth, j);

          _fl_store_bind_health (insert_health, customer->id, h);
          if (!run (insert_health))
            return _fl_store_fail (m->store, error,
                                   _("Could not save customer %s: health week %s"),
                                   customer->id, h->week);
        }
    }

  return TRUE;
}

typedef enum
{
  PITCHES_SAME,
  PITCHES_DERIVED_DIFFER,   /* same products and outcomes, other denormalised columns */
  PITCHES_DIFFER,
} PitchesDiff;

/* Compares the stored pitches of the visit @rowid with @visit's. */
static gboolean
diff_pitches (sqlite3_stmt   *stmt,
              sqlite3_int64   rowid,
              FlVisit        *visit,
              gint64          week,
              const char     *region,
              const char    **categories,
              PitchesDiff    *diff)
{
  guint n_new = visit->pitches != NULL ? visit->pitches->len : 0;
  guint n = 0;
  int rc;

  *diff = PITCHES_SAME;
  sqlite3_bind_int64 (stmt, 1, rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const FlPitch *pitch;

      if (n >= n_new)
        {
          *diff = PITCHES_DIFFER;
          break;
        }
      pitch = &g_array_index (visit->pitches, FlPitch, n);
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), pitch->product) != 0 ||
          sqlite3_column_int (stmt, 1) != (pitch->is_signed ? 1 : 0))
        {
          *diff = PITCHES_DIFFER;
          break;
        }
      if (sqlite3_column_int64 (stmt, 2) != visit->start ||
          sqlite3_column_int64 (stmt, 3) != week ||
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 4), visit->rep) != 0 ||
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 5), region) != 0 ||
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6), categories[n]) != 0)
        *diff = PITCHES_DERIVED_DIFFER;
      n++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (n != n_new)
    *diff = PITCHES_DIFFER;

  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
merge_visits (Merge      *m,
              GPtrArray  *visits,
              GError    **error)
{
  /* Looked up first rather than upserted: a new visit (most of a first sync)
   * then needs neither the conflict handling nor a look at its pitches. */
  static const char rowid_sql[] = "SELECT rowid FROM visits WHERE id = ?1";
  static const char insert_sql[] =
    "INSERT INTO visits (" FL_STORE_VISIT_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
  static const char update_sql[] =
    "UPDATE visits SET customer = ?2, rep = ?3, start = ?4, \"end\" = ?5, uploaded = ?6, "
    "pain_keywords = ?7, committed_action = ?8, next_follow_up = ?9, "
    "prev_action_achieved = ?10, photos = ?11, competitor_price = ?12, shelf_share = ?13 "
    "WHERE rowid = ?14 AND (customer, rep, start, \"end\", uploaded, pain_keywords, "
    "committed_action, next_follow_up, prev_action_achieved, photos, competitor_price, "
    "shelf_share) IS NOT (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
  /* A change of the columns that no index holds (the usual edit of a
   * visit: its texts and figures) rewrites only the row, not the five
   * index entries that the full update rewrites even when their keys stay
   * the same. Same parameters as update_sql. */
  static const char update_content_sql[] =
    "UPDATE visits SET pain_keywords = ?7, committed_action = ?8, next_follow_up = ?9, "
    "photos = ?11, competitor_price = ?12, shelf_share = ?13 "
    "WHERE rowid = ?14 AND (customer, rep, start, \"end\", uploaded, prev_action_achieved) "
    "IS (?2, ?3, ?4, ?5, ?6, ?10) AND (pain_keywords, committed_action, next_follow_up, "
    "photos, competitor_price, shelf_share) IS NOT (?7, ?8, ?9, ?11, ?12, ?13) AND ?1 = id";
  static const char pitches_sql[] =
    "SELECT product, signed, start, week, rep, region, category FROM pitches "
    "WHERE visit = ?1 ORDER BY rowid";
  static const char delete_pitches_sql[] = "DELETE FROM pitches WHERE visit = ?1";
  static const char insert_pitch_sql[] =
    "INSERT INTO pitches (" FL_STORE_PITCH_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  static const char rederive_sql[] =
    "UPDATE pitches SET start = ?2, week = ?3, rep = ?4, region = ?5, "
    "category = (SELECT category FROM products WHERE id = pitches.product) WHERE visit = ?1";
  static const char rep_sql[] = "SELECT region FROM reps WHERE id = ?1";
  static const char product_sql[] = "SELECT category FROM products WHERE id = ?1";
  g_autoptr(FlCachedStmt) rowid_stmt = NULL;
  g_autoptr(FlCachedStmt) insert = NULL;
  g_autoptr(FlCachedStmt) update = NULL;
  g_autoptr(FlCachedStmt) update_content = NULL;
  g_autoptr(FlCachedStmt) pitches = NULL;
  g_autoptr(FlCachedStmt) delete_pitches = NULL;
  g_autoptr(FlCachedStmt) insert_pitch = NULL;
  g_autoptr(FlCachedStmt) rederive = NULL;
  g_autoptr(GPtrArray) categories = g_ptr_array_new ();
  GTimeZone *tz = fl_store_get_time_zone (m->store);
  sqlite3 *db = _fl_store_get_db (m->store);

  if (visits->len == 0)
    return TRUE;
  if (!_fl_store_add_merged_visits (m->store, visits->len, error))
    return FALSE;
  if (!(rowid_stmt = _fl_store_prepare (m->store, rowid_sql, error)) ||
      !(insert = _fl_store_prepare (m->store, insert_sql, error)) ||
      !(update = _fl_store_prepare (m->store, update_sql, error)) ||
      !(update_content = _fl_store_prepare (m->store, update_content_sql, error)) ||
      !(pitches = _fl_store_prepare (m->store, pitches_sql, error)) ||
      !(delete_pitches = _fl_store_prepare (m->store, delete_pitches_sql, error)) ||
      !(insert_pitch = _fl_store_prepare (m->store, insert_pitch_sql, error)) ||
      !(rederive = _fl_store_prepare (m->store, rederive_sql, error)))
    return FALSE;

  for (guint i = 0; i < visits->len; i++)
    {
      FlVisit *visit = g_ptr_array_index (visits, i);
      guint n_pitches = visit->pitches != NULL ? visit->pitches->len : 0;
      const char *region = NULL;
      sqlite3_int64 rowid;
      PitchesDiff diff;
      gboolean is_new;
      gint64 week = 0;
      int rc;

      sqlite3_bind_text (rowid_stmt, 1, visit->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (rowid_stmt);
      is_new = rc == SQLITE_DONE;
      rowid = is_new ? 0 : sqlite3_column_int64 (rowid_stmt, 0);
      sqlite3_reset (rowid_stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return _fl_store_fail (m->store, error, _("Could not save visit %s"), visit->id);

      if (is_new)
        {
          _fl_store_bind_visit (insert, visit);
          if (!run (insert))
            return _fl_store_fail (m->store, error, _("Could not save visit %s"), visit->id);
          rowid = sqlite3_last_insert_rowid (db);
        }
      else
        {
          _fl_store_bind_visit (update_content, visit);
          sqlite3_bind_int64 (update_content, 14, rowid);
          if (!run (update_content))
            return _fl_store_fail (m->store, error, _("Could not save visit %s"), visit->id);
          if (sqlite3_changes (db) == 0)
            {
              /* Unchanged, or an indexed column changed. */
              _fl_store_bind_visit (update, visit);
              sqlite3_bind_int64 (update, 14, rowid);
              if (!run (update))
                return _fl_store_fail (m->store, error, _("Could not save visit %s"),
                                       visit->id);
            }
        }

      g_ptr_array_set_size (categories, n_pitches);
      if (n_pitches > 0)
        {
          week = fl_iso_week_start (visit->start, tz);
          if (!lookup_cached (m->store, m->rep_regions, rep_sql, visit->rep, &region, error))
            return FALSE;
          for (guint j = 0; j < n_pitches; j++)
            {
              const FlPitch *pitch = &g_array_index (visit->pitches, FlPitch, j);

              if (!lookup_cached (m->store, m->product_categories, product_sql, pitch->product,
                                  (const char **) &g_ptr_array_index (categories, j), error))
                return FALSE;
            }
        }

      if (is_new)
        diff = n_pitches > 0 ? PITCHES_DIFFER : PITCHES_SAME;
      else if (!diff_pitches (pitches, rowid, visit, week, region,
                              (const char **) categories->pdata, &diff))
        return _fl_store_fail (m->store, error, _("Could not save visit %s: pitches"),
                               visit->id);

      if (diff == PITCHES_SAME)
        continue;

      if (diff == PITCHES_DERIVED_DIFFER)
        {
          sqlite3_bind_int64 (rederive, 1, rowid);
          sqlite3_bind_int64 (rederive, 2, visit->start);
          sqlite3_bind_int64 (rederive, 3, week);
          sqlite3_bind_text (rederive, 4, visit->rep, -1, SQLITE_STATIC);
          if (region != NULL)
            sqlite3_bind_text (rederive, 5, region, -1, SQLITE_STATIC);
          else
            sqlite3_bind_null (rederive, 5);
          if (!run (rederive))
            return _fl_store_fail (m->store, error, _("Could not save visit %s: pitches"),
                                   visit->id);
          continue;
        }

      if (!is_new)
        {
          sqlite3_bind_int64 (delete_pitches, 1, rowid);
          if (!run (delete_pitches))
            return _fl_store_fail (m->store, error, _("Could not save visit %s: pitches"),
                                   visit->id);
        }
      for (guint j = 0; j < n_pitches; j++)
        {
          const FlPitch *pitch = &g_array_index (visit->pitches, FlPitch, j);

          _fl_store_bind_pitch (insert_pitch, rowid, visit, pitch, week, region,
                                g_ptr_array_index (categories, j));
          if (!run (insert_pitch))
            return _fl_store_fail (m->store, error, _("Could not save visit %s: pitches[%u]"),
                                   visit->id, j);
        }
    }

  return TRUE;
}

static gboolean
merge_opportunities (Merge      *m,
                     GPtrArray  *opportunities,
                     GError    **error)
{
  static const char sql[] =
    "INSERT INTO opportunities (" FL_STORE_OPPORTUNITY_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (id) DO UPDATE SET customer = excluded.customer, value = excluded.value, "
    "stage = excluded.stage, custom_requirement = excluded.custom_requirement, "
    "last_progress = excluded.last_progress "
    "WHERE (customer, value, stage, custom_requirement, last_progress) IS NOT "
    "(excluded.customer, excluded.value, excluded.stage, excluded.custom_requirement, "
    "excluded.last_progress)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (opportunities->len == 0)
    return TRUE;
  if (!(stmt = _fl_store_prepare (m->store, sql, error)))
    return FALSE;

  for (guint i = 0; i < opportunities->len; i++)
    {
      FlOpportunity *opportunity = g_ptr_array_index (opportunities, i);

      _fl_store_bind_opportunity (stmt, opportunity);
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save opportunity %s"),
                               opportunity->id);
    }

  return TRUE;
}

static gboolean
merge_pilots (Merge      *m,
              GPtrArray  *pilots,
              GError    **error)
{
  static const char sql[] =
    "INSERT INTO pilots (" FL_STORE_PILOT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (id) DO UPDATE SET title = excluded.title, regions = excluded.regions, "
    "start = excluded.start, owner = excluded.owner "
    "WHERE (title, regions, start, owner) IS NOT "
    "(excluded.title, excluded.regions, excluded.start, excluded.owner)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (pilots->len == 0)
    return TRUE;
  if (!(stmt = _fl_store_prepare (m->store, sql, error)))
    return FALSE;

  for (guint i = 0; i < pilots->len; i++)
    {
      FlPilot *pilot = g_ptr_array_index (pilots, i);

      _fl_store_bind_pilot (stmt, pilot);
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save pilot %s"), pilot->id);
    }

  return TRUE;
}

static gboolean
merge_cases (Merge      *m,
             GPtrArray  *cases,
             GError    **error)
{
  static const char sql[] =
    "INSERT INTO cases (" FL_STORE_CASE_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (id) DO UPDATE SET category = excluded.category, region = excluded.region, "
    "customer_tier = excluded.customer_tier, product_category = excluded.product_category, "
    "pain_keyword = excluded.pain_keyword, action_kind = excluded.action_kind, "
    "resolved_within_14d = excluded.resolved_within_14d, label = excluded.label, "
    "closed = excluded.closed "
    "WHERE (category, region, customer_tier, product_category, pain_keyword, action_kind, "
    "resolved_within_14d, label, closed) IS NOT "
    "(excluded.category, excluded.region, excluded.customer_tier, excluded.product_category, "
    "excluded.pain_keyword, excluded.action_kind, excluded.resolved_within_14d, "
    "excluded.label, excluded.closed)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (cases->len == 0)
    return TRUE;
  if (!(stmt = _fl_store_prepare (m->store, sql, error)))
    return FALSE;

  for (guint i = 0; i < cases->len; i++)
    {
      FlCase *c = g_ptr_array_index (cases, i);

      _fl_store_bind_case (stmt, c);
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save case %s"), c->id);
    }

  return TRUE;
}

static gboolean
merge_actions (Merge      *m,
               GPtrArray  *actions,
               GError    **error)
{
  /* An action of the outbox coming back from the server is the same row. */
  static const char sql[] =
    "INSERT INTO actions (" FL_STORE_ACTION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (id) DO UPDATE SET alert = excluded.alert, kind = excluded.kind, "
    "created = excluded.created, created_by = excluded.created_by "
    "WHERE (alert, kind, created, created_by) IS NOT "
    "(excluded.alert, excluded.kind, excluded.created, excluded.created_by)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (actions->len == 0)
    return TRUE;
  if (!(stmt = _fl_store_prepare (m->store, sql, error)))
    return FALSE;

  for (guint i = 0; i < actions->len; i++)
    {
      FlAction *action = g_ptr_array_index (actions, i);

      _fl_store_bind_action (stmt, action);
      if (!run (stmt))
        return _fl_store_fail (m->store, error, _("Could not save action %s"), action->id);
    }

  return TRUE;
}

/**
 * fl_store_merge_dataset:
 * @self: a #FlStore
 * @fragment: validated entities (references need not resolve)
 * @error: return location for a #GError
 *
 * Inserts the entities of @fragment or updates those with the same id, in
 * one transaction: on error nothing is changed. Inside an open transaction
 * (fl_store_begin()) it is part of that one, which an error dooms: roll it
 * back. Rows whose content is equal are not written. The header fields of
 * @fragment, when set, replace the stored time zone and province.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_merge_dataset (FlStore    *self,
                        FlDataset  *fragment,
                        GError    **error)
{
  sqlite3 *db;
  sqlite3_int64 changes;
  Merge m = { 0 };
  gboolean ok;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (fragment != NULL, FALSE);

  db = _fl_store_get_db (self);
  m.store = self;
  m.rep_regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  m.product_categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!fl_store_begin (self, error))
    {
      merge_clear (&m);
      return FALSE;
    }

  changes = sqlite3_total_changes64 (db);
  ok = merge_meta (&m, fragment, error) &&
       merge_regions (&m, fragment->regions, error) &&
       merge_reps (&m, fragment->reps, error) &&
       merge_categories (&m, fragment->categories, error) &&
       merge_products (&m, fragment->products, error) &&
       merge_customers (&m, fragment->customers, error) &&
       merge_visits (&m, fragment->visits, error) &&
       merge_opportunities (&m, fragment->opportunities, error) &&
       merge_pilots (&m, fragment->pilots, error) &&
       merge_cases (&m, fragment->cases, error) &&
       merge_actions (&m, fragment->actions, error);
  merge_clear (&m);

  if (ok && sqlite3_total_changes64 (db) != changes)
    _fl_store_changed (self);

  if (!ok || !fl_store_commit (self, error))
    {
      fl_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Delete */

/**
 * fl_store_delete_entities:
 * @self: a #FlStore
 * @kind: the kind of the entities
 * @ids: (array length=n_ids): their ids (region codes for regions)
 * @n_ids: the number of ids
 * @error: return location for a #GError
 *
 * Deletes entities with their dependent rows, in one transaction (or as a
 * part of the open one, as fl_store_merge_dataset() does). Unknown ids are
 * ignored. Pitches of a deleted rep or product keep a NULL region or
 * category (see the top of this file).
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_delete_entities (FlStore             *self,
                          FlEntityKind         kind,
                          const char * const  *ids,
                          guint                n_ids,
                          GError             **error)
{
  static const char * const delete_sql[FL_N_ENTITY_KINDS] = {
    "DELETE FROM regions WHERE code = ?1",
    "DELETE FROM reps WHERE id = ?1",
    "DELETE FROM categories WHERE id = ?1",
    "DELETE FROM products WHERE id = ?1",
    "DELETE FROM customers WHERE id = ?1",
    "DELETE FROM visits WHERE id = ?1",
    "DELETE FROM opportunities WHERE id = ?1",
    "DELETE FROM pilots WHERE id = ?1",
    "DELETE FROM cases WHERE id = ?1",
    "DELETE FROM actions WHERE id = ?1",
  };
  /* Run before the entity's row goes. */
  static const char * const before_sql[FL_N_ENTITY_KINDS] = {
    [FL_ENTITY_CUSTOMER] = "DELETE FROM health WHERE customer = ?1",
    [FL_ENTITY_VISIT] = "DELETE FROM pitches WHERE visit = "
                        "(SELECT rowid FROM visits WHERE id = ?1)",
  };
  /* Run when the entity's row went. */
  static const char * const after_sql[FL_N_ENTITY_KINDS] = {
    [FL_ENTITY_REP] = "UPDATE pitches SET region = NULL "
                      "WHERE visit IN (SELECT rowid FROM visits WHERE rep = ?1) "
                      "AND region IS NOT NULL",
    [FL_ENTITY_PRODUCT] = "UPDATE pitches SET category = NULL "
                          "WHERE product = ?1 AND category IS NOT NULL",
  };
  g_autoptr(FlCachedStmt) before = NULL;
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) after = NULL;
  sqlite3 *db;
  sqlite3_int64 changes;
  gboolean ok = TRUE;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind < FL_N_ENTITY_KINDS, FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (n_ids == 0)
    return TRUE;

  db = _fl_store_get_db (self);
  if ((before_sql[kind] != NULL && !(before = _fl_store_prepare (self, before_sql[kind], error))) ||
      !(stmt = _fl_store_prepare (self, delete_sql[kind], error)) ||
      (after_sql[kind] != NULL && !(after = _fl_store_prepare (self, after_sql[kind], error))) ||
      !fl_store_begin (self, error))
    return FALSE;

  changes = sqlite3_total_changes64 (db);
  for (guint i = 0; ok && i < n_ids; i++)
    {
      ok = (before == NULL || run_id (before, ids[i])) && run_id (stmt, ids[i]);
      if (ok && after != NULL && sqlite3_changes (db) > 0)
        ok = run_id (after, ids[i]);
      if (!ok)
        _fl_store_fail (self, error, _("Could not delete %s %s"),
                        fl_entity_kind_to_string (kind), ids[i]);
    }

  if (ok && sqlite3_total_changes64 (db) != changes)
    _fl_store_changed (self);

  if (!ok || !fl_store_commit (self, error))
    {
      fl_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Clear */

/* Runs a statement that is not a cached literal (DDL built at run time). */
static gboolean
exec_once (FlStore     *self,
           const char  *sql,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _fl_store_get_db (self);

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not clear the cache"));
  return TRUE;
}

/**
 * fl_store_clear_synced:
 * @self: a #FlStore
 * @error: return location for a #GError
 *
 * Deletes the content of the cache before a pull from scratch: every entity
 * with its dependent rows (health snapshots, pitches, the visit summary) and
 * the stored weekly lists, but not the actions whose outbox entry is still
 * queued or sent (they have yet to reach the server). The metadata and the
 * outbox stay. One DELETE per table; the visit summary's triggers are
 * dropped meanwhile (SQLite then empties a table at once instead of row by
 * row) and created again. Runs in its own transaction or as a part of the
 * open one, like fl_store_merge_dataset().
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_clear_synced (FlStore  *self,
                       GError  **error)
{
  static const char triggers_sql[] =
    "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'visits' "
    "AND name GLOB 'visits_summary_*' AND sql IS NOT NULL ORDER BY rowid";
  static const char * const delete_sql[] = {
    "DELETE FROM pitches",
    "DELETE FROM health",
    "DELETE FROM customer_visits",
    "DELETE FROM visits",
    "DELETE FROM opportunities",
    "DELETE FROM pilots",
    "DELETE FROM cases",
    "DELETE FROM customers",
    "DELETE FROM products",
    "DELETE FROM categories",
    "DELETE FROM reps",
    "DELETE FROM regions",
    "DELETE FROM actions WHERE id NOT IN "
    "(SELECT action_id FROM outbox WHERE state IN ('queued', 'sent'))",
  };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) creates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  sqlite3_int64 changes;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);

  db = _fl_store_get_db (self);
  if (!fl_store_begin (self, error))
    return FALSE;
  changes = sqlite3_total_changes64 (db);

  /* Not cached: the schema changes below. */
  if (sqlite3_prepare_v2 (db, triggers_sql, -1, &stmt, NULL) != SQLITE_OK)
    ok = _fl_store_fail (self, error, _("Could not clear the cache"));
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup_printf ("DROP TRIGGER \"%s\"",
                                               sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (creates, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (ok && rc != SQLITE_DONE)
    ok = _fl_store_fail (self, error, _("Could not clear the cache"));
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; ok && i < names->len; i++)
    ok = exec_once (self, g_ptr_array_index (names, i), error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (delete_sql); i++)
    ok = exec_once (self, delete_sql[i], error);
  if (ok)
    ok = exec_once (self, "DELETE FROM weekly_lists", error);
  for (guint i = 0; ok && i < creates->len; i++)
    ok = exec_once (self, g_ptr_array_index (creates, i), error);

  if (ok && sqlite3_total_changes64 (db) != changes)
    _fl_store_changed (self);

  if (!ok || !fl_store_commit (self, error))
    {
      fl_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Outbox */

static const char * const outbox_states[] = {
  "queued", "sent", "accepted", "rejected",
};

const char *
fl_outbox_state_to_string (FlOutboxState state)
{
  g_return_val_if_fail (state <= FL_OUTBOX_REJECTED, NULL);
  return outbox_states[state];
}

static gboolean
outbox_state_from_string (const char    *str,
                          FlOutboxState *out)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (outbox_states); i++)
    {
      if (strcmp (outbox_states[i], str) == 0)
        {
          *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
fl_outbox_entry_free (FlOutboxEntry *entry)
{
  if (entry == NULL)
    return;

  g_clear_pointer (&entry->action, fl_action_free);
  g_free (entry->reason);
  g_free (entry->reason_code);
  g_free (entry);
}

/**
 * fl_store_queue_action:
 * @self: a #FlStore
 * @action: a new action
 * @not_before: when it may be sent (the end of its undo window), Unix seconds
 * @error: return location for a #GError
 *
 * Records the action and its outbox entry (QUEUED) in one transaction. An
 * id that exists is %FL_ERROR_CONFLICT.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_queue_action (FlStore         *self,
                       const FlAction  *action,
                       gint64           not_before,
                       GError         **error)
{
  static const char sql[] =
    "INSERT INTO outbox (action_id, alert, kind, created, created_by, seq, state, attempts, "
    "not_before) VALUES (?1, ?2, ?3, ?4, ?5, "
    "(SELECT coalesce (max (seq), 0) + 1 FROM outbox), 'queued', 0, ?6)";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && action->id != NULL && action->alert != NULL, FALSE);

  if (!(stmt = _fl_store_prepare (self, sql, error)) || !fl_store_begin (self, error))
    return FALSE;

  if (!fl_store_add_action (self, action, error))
    {
      fl_store_rollback (self);
      return FALSE;
    }

  _fl_store_bind_action (stmt, action);
  sqlite3_bind_int64 (stmt, 6, not_before);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_CONFLICT,
                   _("Could not queue action %s: the outbox already holds it"), action->id);
      fl_store_rollback (self);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _fl_store_fail (self, error, _("Could not queue action %s"), action->id);
      fl_store_rollback (self);
      return FALSE;
    }

  if (!fl_store_commit (self, error))
    {
      fl_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* The state of an outbox entry, or FL_ERROR_NOT_FOUND. */
static gboolean
get_outbox_state (FlStore        *self,
                  const char     *action_id,
                  FlOutboxState  *state,
                  GError        **error)
{
  static const char sql[] = "SELECT state FROM outbox WHERE action_id = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, action_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND,
                   _("Action %s is not in the outbox"), action_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW ||
      !outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 0), state))
    return _fl_store_fail (self, error, _("Could not read the outbox entry of action %s"),
                           action_id);
  return TRUE;
}

/**
 * fl_store_unqueue_action:
 * @self: a #FlStore
 * @action_id: the action's id
 * @error: return location for a #GError
 *
 * Undoes a queued action: deletes it and its outbox entry. An action that
 * was sent already is %FL_ERROR_CONFLICT (the server may have it), one that
 * is not in the outbox %FL_ERROR_NOT_FOUND.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_unqueue_action (FlStore     *self,
                         const char  *action_id,
                         GError     **error)
{
  static const char outbox_sql[] = "DELETE FROM outbox WHERE action_id = ?1";
  static const char action_sql[] = "DELETE FROM actions WHERE id = ?1";
  g_autoptr(FlCachedStmt) outbox = NULL;
  g_autoptr(FlCachedStmt) action = NULL;
  FlOutboxState state = FL_OUTBOX_QUEUED;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (action_id != NULL, FALSE);

  if (!(outbox = _fl_store_prepare (self, outbox_sql, error)) ||
      !(action = _fl_store_prepare (self, action_sql, error)) ||
      !fl_store_begin (self, error))
    return FALSE;

  if (!get_outbox_state (self, action_id, &state, error))
    goto fail;

  if (state != FL_OUTBOX_QUEUED)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_CONFLICT,
                   _("Could not undo action %s: it was sent already (%s)"), action_id,
                   fl_outbox_state_to_string (state));
      goto fail;
    }

  if (!run_id (outbox, action_id) || !run_id (action, action_id))
    {
      _fl_store_fail (self, error, _("Could not undo action %s"), action_id);
      goto fail;
    }
  _fl_store_changed (self);

  if (!fl_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  fl_store_rollback (self);
  return FALSE;
}

/**
 * fl_store_list_outbox:
 * @self: a #FlStore
 * @states_mask: the states to list: bits (1 << #FlOutboxState)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type FlOutboxEntry): the entries in
 *   the order they were queued, or %NULL on error
 */
GPtrArray *
fl_store_list_outbox (FlStore  *self,
                      guint     states_mask,
                      GError  **error)
{
  static const char sql[] =
    "SELECT action_id, alert, kind, created, created_by, state, attempts, not_before, "
    "reason_code, reason FROM outbox ORDER BY seq";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlOutboxEntry *entry;
      FlOutboxState state;
      FlActionKind kind = FL_ACTION_SEND_SAMPLE;

      if (!outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 5), &state))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                       _("Could not read the outbox entry of action %s: unknown state “%s”"),
                       sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 5));
          return NULL;
        }
      if (!(states_mask & (1u << state)))
        continue;

      entry = g_new0 (FlOutboxEntry, 1);
      entry->action = g_new0 (FlAction, 1);
      entry->action->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      entry->action->alert = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      fl_action_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &kind);
      entry->action->kind = kind;
      entry->action->created = sqlite3_column_int64 (stmt, 3);
      entry->action->created_by = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      entry->state = state;
      entry->attempts = sqlite3_column_int (stmt, 6);
      entry->not_before = sqlite3_column_int64 (stmt, 7);
      entry->reason_code = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      entry->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _fl_store_fail (self, error, _("Could not read the outbox"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/**
 * fl_store_update_outbox:
 * @self: a #FlStore
 * @action_id: the action's id
 * @state: its new state
 * @attempts: how many times it was sent
 * @not_before: when it may be sent again, Unix seconds
 * @reason_code: (nullable): the server's machine code of a rejection
 * @reason: (nullable): the server's message of a rejection
 * @error: return location for a #GError
 *
 * Updates an outbox entry (%FL_ERROR_NOT_FOUND when there is none). A
 * rejected action is deleted from the actions, so that its alert counts as
 * pending again; its entry keeps its fields for the user to see.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_update_outbox (FlStore        *self,
                        const char     *action_id,
                        FlOutboxState   state,
                        int             attempts,
                        gint64          not_before,
                        const char     *reason_code,
                        const char     *reason,
                        GError        **error)
{
  static const char sql[] =
    "UPDATE outbox SET state = ?2, attempts = ?3, not_before = ?4, reason_code = ?5, "
    "reason = ?6 WHERE action_id = ?1";
  static const char delete_sql[] = "DELETE FROM actions WHERE id = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) delete_action = NULL;
  sqlite3 *db;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (action_id != NULL, FALSE);
  g_return_val_if_fail (state <= FL_OUTBOX_REJECTED, FALSE);

  db = _fl_store_get_db (self);
  if (!(stmt = _fl_store_prepare (self, sql, error)) ||
      !(delete_action = _fl_store_prepare (self, delete_sql, error)) ||
      !fl_store_begin (self, error))
    return FALSE;

  sqlite3_bind_text (stmt, 1, action_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, fl_outbox_state_to_string (state), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, attempts);
  sqlite3_bind_int64 (stmt, 4, not_before);
  if (reason_code != NULL)
    sqlite3_bind_text (stmt, 5, reason_code, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 5);
  if (reason != NULL)
    sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 6);

  if (!run (stmt))
    {
      _fl_store_fail (self, error, _("Could not update the outbox entry of action %s"),
                      action_id);
      goto fail;
    }
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND,
                   _("Action %s is not in the outbox"), action_id);
      goto fail;
    }

  if (state == FL_OUTBOX_REJECTED)
    {
      if (!run_id (delete_action, action_id))
        {
          _fl_store_fail (self, error, _("Could not remove the rejected action %s"), action_id);
          goto fail;
        }
      if (sqlite3_changes (db) > 0)
        _fl_store_changed (self);
    }

  if (!fl_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  fl_store_rollback (self);
  return FALSE;
}

/* Entity rows streamed into a fragment (fieldlight-server's pull pages) */

/* What one row borrows beyond the statement's own text: reused from row to
 * row, so that a page of 5,000 visits allocates next to nothing. */
typedef struct
{
  GString   *strings;    /* decoded strings, each NUL-terminated */
  GArray    *offsets;    /* of gsize into strings; G_MAXSIZE: NULL */
  GPtrArray *strv;       /* the pain keywords as a NULL-terminated view */
  GArray    *pitches;    /* of FlPitch, products pointing into strings */
  GArray    *health;     /* of FlHealth */
} RowScratch;

static void
row_scratch_clear (RowScratch *scratch)
{
  if (scratch->strings != NULL)
    g_string_free (g_steal_pointer (&scratch->strings), TRUE);
  g_clear_pointer (&scratch->offsets, g_array_unref);
  g_clear_pointer (&scratch->strv, g_ptr_array_unref);
  g_clear_pointer (&scratch->pitches, g_array_unref);
  g_clear_pointer (&scratch->health, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RowScratch, row_scratch_clear)

static void
row_scratch_init (RowScratch *scratch)
{
  scratch->strings = g_string_sized_new (1024);
  scratch->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  scratch->strv = g_ptr_array_new ();
  scratch->pitches = g_array_new (FALSE, TRUE, sizeof (FlPitch));
  scratch->health = g_array_new (FALSE, TRUE, sizeof (FlHealth));
}

static void
row_scratch_reset (RowScratch *scratch)
{
  g_string_truncate (scratch->strings, 0);
  g_array_set_size (scratch->offsets, 0);
  g_ptr_array_set_size (scratch->strv, 0);
  g_array_set_size (scratch->pitches, 0);
  g_array_set_size (scratch->health, 0);
}

/* g_string_append_len() without its overlap checks: a few per visit. */
static inline void
append_bytes (GString    *string,
              const char *bytes,
              gsize       n)
{
  if (G_UNLIKELY (string->len + n >= string->allocated_len))
    {
      g_string_append_len (string, bytes, n);
      return;
    }
  memcpy (string->str + string->len, bytes, n);
  string->len += n;
  string->str[string->len] = '\0';
}

static void
row_scratch_add_string (RowScratch *scratch,
                        const char *str)
{
  gsize offset = G_MAXSIZE;

  if (str != NULL)
    {
      offset = scratch->strings->len;
      append_bytes (scratch->strings, str, strlen (str) + 1);
    }
  g_array_append_val (scratch->offsets, offset);
}

static const char *
row_scratch_get_string (RowScratch *scratch,
                        guint       index)
{
  gsize offset = g_array_index (scratch->offsets, gsize, index);

  return offset == G_MAXSIZE ? NULL : scratch->strings->str + offset;
}

static void
add_to_scratch (const char *item,
                gsize       len,
                gpointer    user_data)
{
  RowScratch *scratch = user_data;
  gsize start = scratch->strings->len;

  append_bytes (scratch->strings, item, len);
  g_string_append_c (scratch->strings, '\0');
  g_array_append_val (scratch->offsets, start);
}

/* Decodes a JSON array column into @scratch (one string per item); FALSE if
 * malformed. */
static gboolean
row_scratch_add_json_strv (RowScratch *scratch,
                           const char *json,
                           guint      *out_n)
{
  guint before = scratch->offsets->len;

  if (!_fl_store_parse_json_strv (json, add_to_scratch, scratch))
    return FALSE;
  *out_n = scratch->offsets->len - before;
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static gboolean
column_is_null (sqlite3_stmt *stmt,
                int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL;
}

/* The child rows (a customer's health) beside the entity rows, both in key
 * order: children_next() skips the rows of smaller keys (of no entity row)
 * and says whether the current one belongs to the entity of @key. */
typedef struct
{
  sqlite3_stmt *stmt;
  int           rc;
  gint64        key;
} Children;

static void
children_step (Children *children)
{
  children->rc = sqlite3_step (children->stmt);
  if (children->rc == SQLITE_ROW)
    children->key = sqlite3_column_int64 (children->stmt, 0);
}

static gboolean
children_next (Children *children,
               gint64    key)
{
  while (children->rc == SQLITE_ROW && children->key < key)
    children_step (children);
  return children->rc == SQLITE_ROW && children->key == key;
}

/* As fl-store.c's read_customer() and read_health(), borrowing. */
static gboolean
write_customer_row (FlStore           *self,
                    sqlite3_stmt      *stmt,
                    Children          *health_rows,
                    RowScratch        *scratch,
                    FlFragmentWriter  *writer,
                    GError           **error)
{
  const char *tier = column_text (stmt, 4);
  FlCustomer customer = { 0, };

  customer.id = (char *) column_text (stmt, 0);
  customer.name = (char *) column_text (stmt, 1);
  customer.region = (char *) column_text (stmt, 2);
  customer.owner_rep = (char *) column_text (stmt, 3);
  customer.tier = tier != NULL ? tier[0] : 'C';
  customer.has_location = !column_is_null (stmt, 5);
  customer.lat = sqlite3_column_double (stmt, 5);
  customer.lon = sqlite3_column_double (stmt, 6);
  customer.revenue_90d = sqlite3_column_double (stmt, 7);

  for (gint64 key = sqlite3_column_int64 (stmt, 8); children_next (health_rows, key);
       children_step (health_rows))
    {
      FlHealth health = { { 0 } };
      const char *week = column_text (health_rows->stmt, 1);

      if (week != NULL)
        g_strlcpy (health.week, week, sizeof health.week);
      for (int k = 0; k < FL_N_HEALTH_DIMENSIONS; k++)
        health.scores[k] = sqlite3_column_int (health_rows->stmt, 2 + k);
      g_array_append_val (scratch->health, health);
    }
  if (health_rows->rc != SQLITE_ROW && health_rows->rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read customer %s: health"), customer.id);
  customer.health = scratch->health;

  fl_fragment_writer_add (writer, FL_ENTITY_CUSTOMER, &customer);
  return TRUE;
}

/* As fl-store.c's read_visit() and fl_store_get_visit(), from the rows of
 * one visit (one per pitch) starting at the current row of @stmt. Copies
 * the visit's strings: stepping to its next row frees them. On return @stmt
 * is on the first row of the next visit, and *@rc says so. */
static gboolean
write_visit_rows (FlStore           *self,
                  sqlite3_stmt      *stmt,
                  int               *rc,
                  RowScratch        *scratch,
                  FlFragmentWriter  *writer,
                  GError           **error)
{
  enum { ID, CUSTOMER, REP, COMMITTED_ACTION, N_FIXED };
  FlVisit visit = { 0, };
  gint64 key = sqlite3_column_int64 (stmt, 13);
  guint n_keywords = 0, n_strings;

  row_scratch_add_string (scratch, column_text (stmt, 0));
  row_scratch_add_string (scratch, column_text (stmt, 1));
  row_scratch_add_string (scratch, column_text (stmt, 2));
  row_scratch_add_string (scratch, column_text (stmt, 7));
  if (!row_scratch_add_json_strv (scratch, column_text (stmt, 6), &n_keywords))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                   _("Could not read visit %s: its stored pain keywords are corrupt"),
                   row_scratch_get_string (scratch, ID));
      return FALSE;
    }

  visit.start = sqlite3_column_int64 (stmt, 3);
  visit.end = sqlite3_column_int64 (stmt, 4);
  visit.uploaded = sqlite3_column_int64 (stmt, 5);
  visit.has_next_follow_up = !column_is_null (stmt, 8);
  visit.next_follow_up = sqlite3_column_int64 (stmt, 8);
  if (column_is_null (stmt, 9))
    visit.prev_action_achieved = FL_ACHIEVED_NULL;
  else
    visit.prev_action_achieved = sqlite3_column_int (stmt, 9) ? FL_ACHIEVED_TRUE
                                                              : FL_ACHIEVED_FALSE;
  visit.photos = column_is_null (stmt, 10) ? -1 : sqlite3_column_int (stmt, 10);
  visit.has_competitor_price = !column_is_null (stmt, 11);
  visit.competitor_price = sqlite3_column_double (stmt, 11);
  visit.has_shelf_share = !column_is_null (stmt, 12);
  visit.shelf_share = sqlite3_column_double (stmt, 12);

  do
    {
      if (!column_is_null (stmt, 14))
        {
          FlPitch pitch = { NULL, sqlite3_column_int (stmt, 15) != 0 };

          row_scratch_add_string (scratch, column_text (stmt, 14));
          g_array_append_val (scratch->pitches, pitch);
        }
      *rc = sqlite3_step (stmt);
    }
  while (*rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 13) == key);

  /* The strings may have moved while they grew: point into them now. */
  visit.id = (char *) row_scratch_get_string (scratch, ID);
  visit.customer = (char *) row_scratch_get_string (scratch, CUSTOMER);
  visit.rep = (char *) row_scratch_get_string (scratch, REP);
  visit.committed_action = (char *) row_scratch_get_string (scratch, COMMITTED_ACTION);
  for (guint i = 0; i < n_keywords; i++)
    g_ptr_array_add (scratch->strv, (gpointer) row_scratch_get_string (scratch, N_FIXED + i));
  g_ptr_array_add (scratch->strv, NULL);
  visit.pain_keywords = (char **) scratch->strv->pdata;
  n_strings = scratch->offsets->len;
  for (guint i = N_FIXED + n_keywords; i < n_strings; i++)
    g_array_index (scratch->pitches, FlPitch, i - N_FIXED - n_keywords).product =
      (char *) row_scratch_get_string (scratch, i);
  visit.pitches = scratch->pitches;

  fl_fragment_writer_add (writer, FL_ENTITY_VISIT, &visit);
  return TRUE;
}

/* The row readers of fl-store.c for the entities without child rows. */
static void
write_simple_row (sqlite3_stmt     *stmt,
                  FlEntityKind      kind,
                  FlFragmentWriter *writer)
{
  switch (kind)
    {
    case FL_ENTITY_REP:
      {
        FlRep rep = {
          (char *) column_text (stmt, 0), (char *) column_text (stmt, 1),
          (char *) column_text (stmt, 2), (char *) column_text (stmt, 3),
        };

        fl_fragment_writer_add (writer, kind, &rep);
      }
      break;

    case FL_ENTITY_CATEGORY:
      {
        FlProductCategory category = {
          (char *) column_text (stmt, 0), (char *) column_text (stmt, 1),
          sqlite3_column_double (stmt, 2),
        };

        fl_fragment_writer_add (writer, kind, &category);
      }
      break;

    case FL_ENTITY_PRODUCT:
      {
        FlProduct product = {
          (char *) column_text (stmt, 0), (char *) column_text (stmt, 1),
          (char *) column_text (stmt, 2),
        };

        fl_fragment_writer_add (writer, kind, &product);
      }
      break;

    case FL_ENTITY_OPPORTUNITY:
      {
        FlOpportunity opportunity = { 0, };
        FlStage stage = FL_STAGE_OPEN;

        opportunity.id = (char *) column_text (stmt, 0);
        opportunity.customer = (char *) column_text (stmt, 1);
        opportunity.value = sqlite3_column_double (stmt, 2);
        fl_stage_from_string (column_text (stmt, 3), &stage);
        opportunity.stage = stage;
        opportunity.custom_requirement = sqlite3_column_int (stmt, 4) != 0;
        opportunity.last_progress = sqlite3_column_int64 (stmt, 5);
        fl_fragment_writer_add (writer, kind, &opportunity);
      }
      break;

    case FL_ENTITY_CASE:
      {
        FlCase c = { 0, };
        const char *tier = column_text (stmt, 3);
        FlAlertCategory category = FL_ALERT_CHURN;
        FlActionKind action_kind = FL_ACTION_SEND_SAMPLE;

        c.id = (char *) column_text (stmt, 0);
        fl_alert_category_from_string (column_text (stmt, 1), &category);
        c.category = category;
        c.region = (char *) column_text (stmt, 2);
        c.customer_tier = tier != NULL ? tier[0] : 0;
        c.product_category = (char *) column_text (stmt, 4);
        c.pain_keyword = (char *) column_text (stmt, 5);
        fl_action_kind_from_string (column_text (stmt, 6), &action_kind);
        c.action_kind = action_kind;
        c.resolved_within_14d = sqlite3_column_int (stmt, 7) != 0;
        c.label = (char *) column_text (stmt, 8);
        c.closed = sqlite3_column_int64 (stmt, 9);
        fl_fragment_writer_add (writer, kind, &c);
      }
      break;

    case FL_ENTITY_ACTION:
      {
        FlAction action = { 0, };
        FlActionKind action_kind = FL_ACTION_SEND_SAMPLE;

        action.id = (char *) column_text (stmt, 0);
        action.alert = (char *) column_text (stmt, 1);
        fl_action_kind_from_string (column_text (stmt, 2), &action_kind);
        action.kind = action_kind;
        action.created = sqlite3_column_int64 (stmt, 3);
        action.created_by = (char *) column_text (stmt, 4);
        fl_fragment_writer_add (writer, kind, &action);
      }
      break;

    case FL_ENTITY_REGION:
    case FL_ENTITY_CUSTOMER:
    case FL_ENTITY_VISIT:
    case FL_ENTITY_PILOT:
    case FL_N_ENTITY_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/**
 * fl_store_write_entity_rows:
 * @self: a #FlStore
 * @kind: any kind but regions and pilots
 * @rows: a statement, bound, whose first columns are FL_STORE_<KIND>_COLUMNS
 *   (fl-store-private.h), one row per entity; customers: then an integer
 *   key, ascending from row to row; visits: then an integer key, ascending
 *   from visit to visit, and the product and signed of one of its pitches:
 *   one row per pitch in the order of fl-store.c's lookups (rowid), one row
 *   with NULL for a visit without pitches
 * @children: customers: the health snapshots (key, then the columns of
 *   FL_STORE_HEALTH_COLUMNS after "customer"), in key order, then rowid
 *   order; %NULL for the other kinds
 * @writer: where to write the entities
 * @error: return location for a #GError
 *
 * Steps @rows (and @children) to the end and writes each entity as
 * fl_store_export_entities() would read it back: the pull page of a server
 * that joins a range of its change log with the entity table, without a
 * lookup and an allocated entity per id. The statements are neither reset
 * nor finalized.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_write_entity_rows (FlStore              *self,
                            FlEntityKind          kind,
                            struct sqlite3_stmt  *rows,
                            struct sqlite3_stmt  *children,
                            FlFragmentWriter     *writer,
                            GError              **error)
{
  g_auto(RowScratch) scratch = { NULL, };
  Children child_rows = { children, SQLITE_DONE, 0 };
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind < FL_N_ENTITY_KINDS, FALSE);
  g_return_val_if_fail (kind != FL_ENTITY_REGION && kind != FL_ENTITY_PILOT, FALSE);
  g_return_val_if_fail (rows != NULL && writer != NULL, FALSE);
  g_return_val_if_fail ((children != NULL) == (kind == FL_ENTITY_CUSTOMER), FALSE);

  row_scratch_init (&scratch);
  if (children != NULL)
    children_step (&child_rows);

  rc = sqlite3_step (rows);
  while (rc == SQLITE_ROW)
    {
      row_scratch_reset (&scratch);
      if (kind == FL_ENTITY_VISIT)
        {
          /* Steps to the next visit itself. */
          if (!write_visit_rows (self, rows, &rc, &scratch, writer, error))
            return FALSE;
          continue;
        }

      if (kind == FL_ENTITY_CUSTOMER)
        {
          if (!write_customer_row (self, rows, &child_rows, &scratch, writer, error))
            return FALSE;
        }
      else
        write_simple_row (rows, kind, writer);
      rc = sqlite3_step (rows);
    }

  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read the %s of the cache"),
                           fl_entity_kind_to_string (kind));

  return TRUE;
}
