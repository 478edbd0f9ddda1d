/* test-store.c — the SQLite cache: schema versions, import/export, rollback,
 * lookups and actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <locale.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fl-core.h"
#include "fl-store-private.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fl-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "cache.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static FlDataset *
load_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "rules-roundtrip.json",
                                                 NULL);
  FlDataset *dataset = fl_dataset_load_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return dataset;
}

/* Runs one SQL statement on the file with a separate connection and returns
 * the first column of the first row as an integer. */
static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
exec_on_file (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Field-by-field comparison of two datasets */

static char *
geometry_json (const FlGeometry *geometry)
{
  g_autoptr(JsonNode) node = fl_geometry_to_json (geometry);

  return json_to_string (node, FALSE);
}

static void
assert_strv_equal (char **a,
                   char **b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
  for (guint i = 0; a[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

static void
assert_datasets_equal (FlDataset *a,
                       FlDataset *b)
{
  g_autoptr(GBytes) bytes_a = NULL;
  g_autoptr(GBytes) bytes_b = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (a->timezone, ==, b->timezone);
  g_assert_cmpstr (a->province_code, ==, b->province_code);
  g_assert_cmpstr (a->province_name, ==, b->province_name);

  g_assert_cmpuint (a->regions->len, ==, b->regions->len);
  for (guint i = 0; i < a->regions->len; i++)
    {
      FlRegion *x = g_ptr_array_index (a->regions, i), *y = g_ptr_array_index (b->regions, i);
      g_autofree char *gx = geometry_json (x->geometry);
      g_autofree char *gy = geometry_json (y->geometry);

      g_assert_cmpstr (x->code, ==, y->code);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->has_label_point, ==, y->has_label_point);
      g_assert_cmpfloat (x->label_point.x, ==, y->label_point.x);
      g_assert_cmpfloat (x->label_point.y, ==, y->label_point.y);
      g_assert_cmpstr (gx, ==, gy);
    }

  g_assert_cmpuint (a->reps->len, ==, b->reps->len);
  for (guint i = 0; i < a->reps->len; i++)
    {
      FlRep *x = g_ptr_array_index (a->reps, i), *y = g_ptr_array_index (b->reps, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->region, ==, y->region);
      g_assert_cmpstr (x->phone, ==, y->phone);
    }

  g_assert_cmpuint (a->categories->len, ==, b->categories->len);
  for (guint i = 0; i < a->categories->len; i++)
    {
      FlProductCategory *x = g_ptr_array_index (a->categories, i);
      FlProductCategory *y = g_ptr_array_index (b->categories, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpfloat (x->avg_order_value, ==, y->avg_order_value);
    }

  g_assert_cmpuint (a->products->len, ==, b->products->len);
  for (guint i = 0; i < a->products->len; i++)
    {
      FlProduct *x = g_ptr_array_index (a->products, i), *y = g_ptr_array_index (b->products, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->category, ==, y->category);
    }

  g_assert_cmpuint (a->customers->len, ==, b->customers->len);
  for (guint i = 0; i < a->customers->len; i++)
    {
      FlCustomer *x = g_ptr_array_index (a->customers, i);
      FlCustomer *y = g_ptr_array_index (b->customers, i);
      guint nx = x->health != NULL ? x->health->len : 0;
      guint ny = y->health != NULL ? y->health->len : 0;

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->region, ==, y->region);
      g_assert_cmpstr (x->owner_rep, ==, y->owner_rep);
      g_assert_cmpint (x->tier, ==, y->tier);
      g_assert_cmpint (x->has_location, ==, y->has_location);
      if (x->has_location)
        {
          g_assert_cmpfloat (x->lat, ==, y->lat);
          g_assert_cmpfloat (x->lon, ==, y->lon);
        }
      g_assert_cmpfloat (x->revenue_90d, ==, y->revenue_90d);
      g_assert_cmpuint (nx, ==, ny);
      for (guint j = 0; j < nx; j++)
        {
          FlHealth *hx = &g_array_index (x->health, FlHealth, j);
          FlHealth *hy = &g_array_index (y->health, FlHealth, j);

          g_assert_cmpstr (hx->week, ==, hy->week);
          for (int k = 0; k < FL_N_HEALTH_DIMENSIONS; k++)
            g_assert_cmpint (hx->scores[k], ==, hy->scores[k]);
        }
    }

  g_assert_cmpuint (a->visits->len, ==, b->visits->len);
  for (guint i = 0; i < a->visits->len; i++)
    {
      FlVisit *x = g_ptr_array_index (a->visits, i), *y = g_ptr_array_index (b->visits, i);
      guint nx = x->pitches != NULL ? x->pitches->len : 0;
      guint ny = y->pitches != NULL ? y->pitches->len : 0;

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->customer, ==, y->customer);
      g_assert_cmpstr (x->rep, ==, y->rep);
      g_assert_cmpint (x->start, ==, y->start);
      g_assert_cmpint (x->end, ==, y->end);
      g_assert_cmpint (x->uploaded, ==, y->uploaded);
      assert_strv_equal (x->pain_keywords, y->pain_keywords);
      g_assert_cmpstr (x->committed_action, ==, y->committed_action);
      g_assert_cmpint (x->has_next_follow_up, ==, y->has_next_follow_up);
      if (x->has_next_follow_up)
        g_assert_cmpint (x->next_follow_up, ==, y->next_follow_up);
      g_assert_cmpint (x->prev_action_achieved, ==, y->prev_action_achieved);
      g_assert_cmpint (x->photos, ==, y->photos);
      g_assert_cmpint (x->has_competitor_price, ==, y->has_competitor_price);
      if (x->has_competitor_price)
        g_assert_cmpfloat (x->competitor_price, ==, y->competitor_price);
      g_assert_cmpint (x->has_shelf_share, ==, y->has_shelf_share);
      if (x->has_shelf_share)
        g_assert_cmpfloat (x->shelf_share, ==, y->shelf_share);
      g_assert_cmpuint (nx, ==, ny);
      for (guint j = 0; j < nx; j++)
        {
          FlPitch *px = &g_array_index (x->pitches, FlPitch, j);
          FlPitch *py = &g_array_index (y->pitches, FlPitch, j);

          g_assert_cmpstr (px->product, ==, py->product);
          g_assert_cmpint (px->is_signed, ==, py->is_signed);
        }
    }

  g_assert_cmpuint (a->opportunities->len, ==, b->opportunities->len);
  for (guint i = 0; i < a->opportunities->len; i++)
    {
      FlOpportunity *x = g_ptr_array_index (a->opportunities, i);
      FlOpportunity *y = g_ptr_array_index (b->opportunities, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->customer, ==, y->customer);
      g_assert_cmpfloat (x->value, ==, y->value);
      g_assert_cmpint (x->stage, ==, y->stage);
      g_assert_cmpint (x->custom_requirement, ==, y->custom_requirement);
      g_assert_cmpint (x->last_progress, ==, y->last_progress);
    }

  g_assert_cmpuint (a->pilots->len, ==, b->pilots->len);
  for (guint i = 0; i < a->pilots->len; i++)
    {
      FlPilot *x = g_ptr_array_index (a->pilots, i), *y = g_ptr_array_index (b->pilots, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->title, ==, y->title);
      assert_strv_equal (x->regions, y->regions);
      g_assert_cmpint (x->start, ==, y->start);
      g_assert_cmpstr (x->owner, ==, y->owner);
    }

  g_assert_cmpuint (a->cases->len, ==, b->cases->len);
  for (guint i = 0; i < a->cases->len; i++)
    {
      FlCase *x = g_ptr_array_index (a->cases, i), *y = g_ptr_array_index (b->cases, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpint (x->category, ==, y->category);
      g_assert_cmpstr (x->region, ==, y->region);
      g_assert_cmpint (x->customer_tier, ==, y->customer_tier);
      g_assert_cmpstr (x->product_category, ==, y->product_category);
      g_assert_cmpstr (x->pain_keyword, ==, y->pain_keyword);
      g_assert_cmpint (x->action_kind, ==, y->action_kind);
      g_assert_cmpint (x->resolved_within_14d, ==, y->resolved_within_14d);
      g_assert_cmpstr (x->label, ==, y->label);
      g_assert_cmpint (x->closed, ==, y->closed);
    }

  g_assert_cmpuint (a->actions->len, ==, b->actions->len);
  for (guint i = 0; i < a->actions->len; i++)
    {
      FlAction *x = g_ptr_array_index (a->actions, i), *y = g_ptr_array_index (b->actions, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->alert, ==, y->alert);
      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpint (x->created, ==, y->created);
      g_assert_cmpstr (x->created_by, ==, y->created_by);
    }

  /* and what the dataset writer makes of them */
  bytes_a = fl_dataset_write_to_bytes (a, &error);
  g_assert_no_error (error);
  bytes_b = fl_dataset_write_to_bytes (b, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes_a, bytes_b));
}

/* Tests */

static void
test_open_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (fixture->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (fl_store_get_path (store), ==, fixture->path);
  g_assert_true (fl_store_is_empty (store));
  g_assert_null (fl_store_get_province_code (store));
  g_assert_nonnull (fl_store_get_time_zone (store));
  g_assert_cmpint (fl_store_count (store, "visits"), ==, 0);
  g_assert_cmpint (fl_store_count (store, "no_such_table"), ==, -1);
  g_assert_cmpint (fl_store_count (store, "visits; DROP TABLE visits"), ==, -1);
  g_clear_object (&store);

  g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==,
                   FL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM pragma_journal_mode "
                              "WHERE journal_mode = 'wal'"),
                   ==, 1);

  /* opening again does not migrate again */
  store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_is_empty (store));
}

static void
test_migrate_empty_file (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;

  g_assert_true (g_file_set_contents (fixture->path, "", 0, NULL));
  g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==, 0);

  store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==,
                   FL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                              "name IN ('meta', 'regions', 'reps', 'categories', 'products', "
                              "'customers', 'health', 'visits', 'pitches', 'opportunities', "
                              "'pilots', 'cases', 'actions')"), ==, 13);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                              "name IN ('visits_by_customer', 'pitches_by_week')"), ==, 2);
}

static void
test_refuse_newer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;

  exec_on_file (fixture->path, "CREATE TABLE future (x); PRAGMA user_version = 99;");

  store = fl_store_open (fixture->path, &error);
  g_assert_error (error, FL_ERROR, FL_ERROR_STORE);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_nonnull (strstr (error->message, fixture->path));

  /* and it was left alone */
  g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM sqlite_schema WHERE name = 'visits'"), ==, 0);
}

static void
test_not_a_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;
  char garbage[4096];

  memset (garbage, 'x', sizeof garbage);
  g_assert_true (g_file_set_contents (fixture->path, garbage, sizeof garbage, NULL));

  store = fl_store_open (fixture->path, &error);
  g_assert_error (error, FL_ERROR, FL_ERROR_STORE);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlDataset) exported = NULL;
  g_autoptr(FlDataset) reopened = NULL;
  g_autoptr(FlStore) store = fl_store_open (fixture->path, &error);
  FlVisit *visit;

  g_assert_no_error (error);
  fl_store_import_dataset (store, dataset, &error);
  g_assert_no_error (error);

  g_assert_false (fl_store_is_empty (store));
  g_assert_cmpstr (fl_store_get_province_code (store), ==, "330000");
  g_assert_cmpstr (fl_store_get_province_name (store), ==, "浙江省");
  g_assert_cmpstr (g_time_zone_get_identifier (fl_store_get_time_zone (store)), ==,
                   "Asia/Shanghai");
  g_assert_cmpint (fl_store_count (store, "visits"), ==, 3);
  g_assert_cmpint (fl_store_count (store, "pitches"), ==, 4);
  g_assert_cmpint (fl_store_count (store, "health"), ==, 2);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 2);

  /* the reader computed a label point for 330100: it is kept as such */
  g_assert_false (((FlRegion *) g_ptr_array_index (dataset->regions, 1))->has_label_point);
  visit = g_ptr_array_index (dataset->visits, 0);
  g_assert_cmpstr (visit->pain_keywords[2], ==, "quote \" and \\ backslash");

  exported = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  assert_datasets_equal (dataset, exported);

  /* the same from the file, with a new connection */
  g_clear_object (&store);
  store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (fl_store_is_empty (store));
  reopened = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  assert_datasets_equal (dataset, reopened);

  /* the pitches were denormalised for the gap rule */
  g_clear_object (&store);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM pitches WHERE region = '330700' AND "
                              "category = 'dairy' AND rep = 'r-001' AND start = 1795136400 AND "
                              "week = 1794758400"),
                   ==, 2);
}

static void
test_import_rollback (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlDataset) bad = load_fixture ();
  g_autoptr(FlDataset) unknown = load_fixture ();
  g_autoptr(FlDataset) exported = NULL;
  g_autoptr(FlStore) store = fl_store_open (fixture->path, &error);
  FlVisit *visit, *copy;
  FlOpportunity *opportunity;
  FlPitch pitch;

  g_assert_no_error (error);
  fl_store_import_dataset (store, dataset, &error);
  g_assert_no_error (error);

  /* A second dataset, different everywhere, that fails at its last visit
   * (a duplicate id): nothing of it may remain. */
  g_free (bad->province_name);
  bad->province_name = g_strdup ("Changed");
  opportunity = g_ptr_array_index (bad->opportunities, 0);
  opportunity->value = 1.0;
  g_ptr_array_remove_index (bad->actions, 0);
  visit = g_ptr_array_index (bad->visits, 0);
  copy = g_new0 (FlVisit, 1);
  copy->id = g_strdup (visit->id);
  copy->customer = g_strdup (visit->customer);
  copy->rep = g_strdup (visit->rep);
  copy->pain_keywords = g_new0 (char *, 1);
  copy->committed_action = g_strdup ("");
  copy->photos = -1;
  g_ptr_array_add (bad->visits, copy);

  g_assert_false (fl_store_import_dataset (store, bad, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, visit->id));
  g_clear_error (&error);

  exported = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  assert_datasets_equal (dataset, exported);
  g_assert_cmpstr (fl_store_get_province_name (store), ==, "浙江省");
  g_clear_pointer (&exported, fl_dataset_free);

  /* A pitch of an unknown product: refused before SQLite sees it, same result. */
  visit = g_ptr_array_index (unknown->visits, 2);
  pitch.product = g_strdup ("p-404");
  pitch.is_signed = FALSE;
  g_array_append_val (visit->pitches, pitch);
  g_assert_false (fl_store_import_dataset (store, unknown, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "p-404"));
  g_assert_nonnull (strstr (error->message, visit->id));
  g_clear_error (&error);

  exported = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  assert_datasets_equal (dataset, exported);
  g_clear_pointer (&exported, fl_dataset_free);

  /* A failure inside SQLite after the visits went in (as a full disk would). */
  g_clear_object (&store);
  exec_on_file (fixture->path,
                "CREATE TRIGGER fail BEFORE INSERT ON opportunities "
                "BEGIN SELECT RAISE (ABORT, 'simulated failure'); END");
  store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (fl_store_import_dataset (store, bad, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_STORE);
  g_clear_error (&error);
  g_ptr_array_remove_index (bad->visits, bad->visits->len - 1);
  g_assert_false (fl_store_import_dataset (store, bad, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_STORE);
  g_assert_cmpstr (error->message, ==, "Could not import opportunity o-0001: simulated failure");
  g_clear_error (&error);

  exported = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  assert_datasets_equal (dataset, exported);
  g_assert_cmpstr (fl_store_get_province_name (store), ==, "浙江省");

  /* the indexes dropped during the failed imports are back */
  g_clear_object (&store);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                              "name IN ('visits_by_customer', 'pitches_by_week')"), ==, 2);
}

static void
test_import_replaces (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlDataset) smaller = load_fixture ();
  g_autoptr(FlDataset) exported = NULL;
  g_autoptr(FlStore) store = fl_store_open (NULL, &error);

  g_assert_no_error (error);
  fl_store_import_dataset (store, dataset, &error);
  g_assert_no_error (error);

  g_ptr_array_set_size (smaller->visits, 1);
  g_ptr_array_set_size (smaller->actions, 0);
  fl_store_import_dataset (store, smaller, &error);
  g_assert_no_error (error);

  g_assert_cmpint (fl_store_count (store, "visits"), ==, 1);
  g_assert_cmpint (fl_store_count (store, "pitches"), ==, 3);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 0);
  exported = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  assert_datasets_equal (smaller, exported);
}

static void
test_lookups (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlStore) store = fl_store_open (NULL, &error);
  g_autoptr(GPtrArray) regions = NULL;
  g_autofree char *name = NULL;
  FlCustomer *customer;
  FlOpportunity *opportunity;
  FlRep *rep;
  FlProductCategory *category;
  FlVisit *visit;

  g_assert_no_error (error);
  fl_store_import_dataset (store, dataset, &error);
  g_assert_no_error (error);

  customer = fl_store_get_customer (store, "c-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->name, ==, "永康市华联超市");
  g_assert_cmpint (customer->tier, ==, 'A');
  g_assert_true (customer->has_location);
  g_assert_cmpuint (customer->health->len, ==, 2);
  g_assert_cmpstr (g_array_index (customer->health, FlHealth, 1).week, ==, "2026-W47");
  g_assert_cmpint (g_array_index (customer->health, FlHealth, 1).scores[2], ==, 100);
  fl_customer_free (customer);

  customer = fl_store_get_customer (store, "c-0002", &error);
  g_assert_no_error (error);
  g_assert_false (customer->has_location);
  g_assert_cmpuint (customer->health->len, ==, 0);
  fl_customer_free (customer);

  g_assert_null (fl_store_get_customer (store, "c-404", &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "c-404"));
  g_clear_error (&error);

  opportunity = fl_store_get_opportunity (store, "o-0002", &error);
  g_assert_no_error (error);
  g_assert_cmpint (opportunity->stage, ==, FL_STAGE_WON);
  g_assert_cmpfloat (opportunity->value, ==, 50000.01);
  fl_opportunity_free (opportunity);
  g_assert_null (fl_store_get_opportunity (store, "o-404", &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  rep = fl_store_get_rep (store, "r-002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rep->name, ==, "李娜");
  g_assert_null (rep->phone);
  fl_rep_free (rep);
  g_assert_null (fl_store_get_rep (store, "r-404", &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  category = fl_store_get_category (store, "snacks", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (category->avg_order_value, ==, 523.45);
  fl_product_category_free (category);
  g_assert_null (fl_store_get_category (store, "nope", &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  visit = fl_store_get_visit (store, "v-000002", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (visit->pitches->len, ==, 3);
  g_assert_cmpstr (g_array_index (visit->pitches, FlPitch, 1).product, ==, "p-002");
  g_assert_true (g_array_index (visit->pitches, FlPitch, 0).is_signed);
  g_assert_cmpint (visit->prev_action_achieved, ==, FL_ACHIEVED_FALSE);
  g_assert_cmpuint (g_strv_length (visit->pain_keywords), ==, 5);
  g_assert_cmpstr (visit->pain_keywords[3], ==, "tab\there");
  fl_visit_free (visit);
  visit = fl_store_get_visit (store, "v-000001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (visit->prev_action_achieved, ==, FL_ACHIEVED_NULL);
  g_assert_cmpint (visit->photos, ==, -1);
  g_assert_false (visit->has_next_follow_up);
  g_assert_cmpuint (visit->pitches->len, ==, 0);
  fl_visit_free (visit);
  g_assert_null (fl_store_get_visit (store, "v-404", &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  name = fl_store_dup_region_name (store, "330700");
  g_assert_cmpstr (name, ==, "金华市");
  g_assert_null (fl_store_dup_region_name (store, "999999"));

  regions = fl_store_list_regions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regions->len, ==, 2);
  g_assert_cmpstr (((FlRegion *) g_ptr_array_index (regions, 0))->code, ==, "330100");
  g_assert_cmpstr (((FlRegion *) g_ptr_array_index (regions, 1))->code, ==, "330700");
  g_assert_cmpuint (((FlRegion *) g_ptr_array_index (regions, 1))->geometry->polygons->len, ==, 2);
}

static void
on_changed_cb (FlStore *store,
               guint   *count)
{
  (*count)++;
}

static void
test_actions (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlDataset) exported = NULL;
  g_autoptr(FlStore) store = fl_store_open (fixture->path, &error);
  FlAction action = {
    .id = (char *) "0b8f4a52-6c1d-4e3a-9f27-5d6e7f8a9b00",
    .alert = (char *) "stall:o-0001:1760943600",
    .kind = FL_ACTION_ESCALATE_TECH,
    .created = 1795402800,
    .created_by = (char *) "m-zhang",
  };
  FlAction *last;
  guint changed = 0;

  g_assert_no_error (error);
  fl_store_import_dataset (store, dataset, &error);
  g_assert_no_error (error);
  g_signal_connect (store, "changed", G_CALLBACK (on_changed_cb), &changed);

  g_assert_true (fl_store_add_action (store, &action, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 3);

  /* the id is the idempotency key */
  action.alert = (char *) "churn:c-0001:v-000002";
  g_assert_false (fl_store_add_action (store, &action, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, action.id));
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 3);

  /* survives a reopen, comes last in the export */
  g_clear_object (&store);
  store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  exported = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exported->actions->len, ==, 3);
  last = g_ptr_array_index (exported->actions, 2);
  g_assert_cmpstr (last->id, ==, action.id);
  g_assert_cmpstr (last->alert, ==, "stall:o-0001:1760943600");
  g_assert_cmpint (last->kind, ==, FL_ACTION_ESCALATE_TECH);
  g_assert_cmpint (last->created, ==, 1795402800);
  g_assert_cmpstr (last->created_by, ==, "m-zhang");

  g_signal_connect (store, "changed", G_CALLBACK (on_changed_cb), &changed);
  g_assert_true (fl_store_remove_action (store, action.id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 2);

  g_assert_false (fl_store_remove_action (store, action.id, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, 2);

  /* removed, it can be added again */
  g_assert_true (fl_store_add_action (store, &action, &error));
  g_assert_no_error (error);
}

static void
test_store_error_message (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (fixture->path, &error);
  FlAction action = {
    .id = (char *) "6f1c0a4e-0000-4c1e-9a35-0d8f2f6b1e11",
    .alert = (char *) "churn:c-1:v-1",
    .kind = FL_ACTION_CALL_TODAY,
    .created = 1,
    .created_by = (char *) "m",
  };

  g_assert_no_error (error);
  g_assert_true (fl_store_add_action (store, &action, &error));
  g_assert_no_error (error);

  /* Another connection makes every insert fail, as a full disk would: the
   * error names what was being done and carries SQLite's reason. */
  exec_on_file (fixture->path,
                "CREATE TRIGGER fail BEFORE INSERT ON actions "
                "BEGIN SELECT RAISE (ABORT, 'simulated failure'); END");
  action.id = (char *) "6f1c0a4e-0001-4c1e-9a35-0d8f2f6b1e11";
  g_assert_false (fl_store_add_action (store, &action, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_STORE);
  g_assert_cmpstr (error->message, ==,
                   "Could not save action 6f1c0a4e-0001-4c1e-9a35-0d8f2f6b1e11: simulated failure");
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 1);
}

/* The ids of the churn alerts at @now, space-separated, in ranking order. */
static char *
churn_ids (FlStore    *store,
           const char *now)
{
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GError) error = NULL;
  GString *ids = g_string_new (NULL);
  gint64 t = 0;

  g_assert_true (fl_time_parse_rfc3339 (now, &t));
  evaluation = fl_rules_evaluate (store, t, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->category == FL_ALERT_CHURN)
        g_string_append_printf (ids, "%s%s/%s", ids->len > 0 ? " " : "", alert->id,
                                alert->visit_before);
    }
  return g_string_free (ids, FALSE);
}

#define CHURN_NOW "2026-11-23T09:00:00+08:00"

/* The visit summary follows every later change of the visits (insert,
 * update, delete by any writer), and the newest upload follows too. */
static void
test_visit_summary (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlStore) store = fl_store_open (fixture->path, NULL);
  g_autoptr(FlStore) empty = fl_store_open (NULL, NULL);
  g_autoptr(GError) error = NULL;
  char *ids;

  g_assert_cmpint (fl_store_get_newest_upload (empty), ==, 0);
  g_assert_true (fl_store_import_dataset (store, dataset, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_get_newest_upload (store), ==,
                   query_int (fixture->path, "SELECT max (uploaded) FROM visits"));
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM customer_visits WHERE customer = 'c-0001' "
                              "AND last_id = 'v-000002' AND last_achieved = 0 AND "
                              "before_id = 'v-000001' AND before_achieved IS NULL"), ==, 1);

  /* c-0001: v-000002 missed, v-000001 had nothing committed */
  ids = churn_ids (store, CHURN_NOW);
  g_assert_cmpstr (ids, ==, "");
  g_free (ids);

  exec_on_file (fixture->path,
                "UPDATE visits SET prev_action_achieved = 0 WHERE id = 'v-000001'");
  ids = churn_ids (store, CHURN_NOW);
  g_assert_cmpstr (ids, ==, "churn:c-0001:v-000002/v-000001");
  g_free (ids);

  /* a newer visit that achieved it clears the alert */
  exec_on_file (fixture->path,
                "INSERT INTO visits (id, customer, rep, start, \"end\", uploaded, pain_keywords, "
                "committed_action, prev_action_achieved) SELECT 'v-000004', customer, rep, "
                "start + 86400, \"end\" + 86400, uploaded + 2 * 86400, '[]', 'call', 1 "
                "FROM visits WHERE id = 'v-000002'");
  ids = churn_ids (store, CHURN_NOW);
  g_assert_cmpstr (ids, ==, "");
  g_free (ids);
  g_assert_cmpint (fl_store_get_newest_upload (store), ==,
                   query_int (fixture->path,
                              "SELECT uploaded FROM visits WHERE id = 'v-000004'"));

  exec_on_file (fixture->path,
                "UPDATE visits SET prev_action_achieved = 0 WHERE id = 'v-000004'");
  ids = churn_ids (store, CHURN_NOW);
  g_assert_cmpstr (ids, ==, "churn:c-0001:v-000004/v-000002");
  g_free (ids);
  /* replayed before v-000004 started: the exact query, not the summary */
  ids = churn_ids (store, "2026-11-21T00:00:00+08:00");
  g_assert_cmpstr (ids, ==, "churn:c-0001:v-000002/v-000001");
  g_free (ids);

  /* moved to another customer, then deleted */
  exec_on_file (fixture->path, "UPDATE visits SET customer = 'c-0002' WHERE id = 'v-000004'");
  ids = churn_ids (store, CHURN_NOW);
  g_assert_cmpstr (ids, ==, "churn:c-0001:v-000002/v-000001");
  g_free (ids);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM customer_visits WHERE customer = 'c-0002' "
                              "AND last_id = 'v-000003' AND before_id = 'v-000004'"), ==, 1);
  exec_on_file (fixture->path, "DELETE FROM visits WHERE id = 'v-000004'");
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM customer_visits WHERE customer = 'c-0002' "
                              "AND last_id = 'v-000003' AND before_id IS NULL"), ==, 1);
  exec_on_file (fixture->path, "DELETE FROM visits WHERE customer = 'c-0002'");
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM customer_visits WHERE customer = 'c-0002'"),
                   ==, 0);

  /* a new import rebuilds it (the triggers are off while it runs) */
  g_assert_true (fl_store_import_dataset (store, dataset, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM customer_visits"), ==, 2);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND "
                              "name LIKE 'visits_summary_%'"), ==, 3);
}

/* A cache of schema version 1 gains the summary, built from its visits. */
static void
test_migrate_v1 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlStore) store = fl_store_open (fixture->path, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;

  g_assert_true (fl_store_import_dataset (store, dataset, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  exec_on_file (fixture->path,
                "DROP TRIGGER visits_summary_insert; DROP TRIGGER visits_summary_delete; "
                "DROP TRIGGER visits_summary_update; DROP TABLE customer_visits; "
                "DROP INDEX visits_by_uploaded; PRAGMA user_version = 1; "
                "UPDATE visits SET prev_action_achieved = 0 WHERE id = 'v-000001'");

  store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==,
                   FL_STORE_SCHEMA_VERSION);
  ids = churn_ids (store, CHURN_NOW);
  g_assert_cmpstr (ids, ==, "churn:c-0001:v-000002/v-000001");
  g_assert_cmpint (fl_store_get_newest_upload (store), ==,
                   query_int (fixture->path, "SELECT max (uploaded) FROM visits"));
}

/* A worker's connection: the same one again after it is given back, another
 * one while it is out, none kept beyond the limit, none to another file. */
static void
test_pool (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStorePool) pool = fl_store_pool_new (1);
  g_autoptr(FlStore) first = NULL;
  g_autoptr(FlStore) second = NULL;
  g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
  FlStore *store, *other;

  first = fl_store_pool_take (pool, fixture->path, NULL, &error);
  g_assert_no_error (error);
  second = fl_store_pool_take (pool, fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first != second);
  g_assert_cmpstr (fl_store_get_path (first), ==, fixture->path);

  /* Given back (references kept here, so that no address is reused). */
  fl_store_pool_give_back (pool, g_object_ref (first));
  fl_store_pool_give_back (pool, g_object_ref (second));
  store = fl_store_pool_take (pool, fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (store == first);             /* kept: one idle connection at most */
  fl_store_pool_give_back (pool, store);

  other = fl_store_pool_take (pool, other_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_store_get_path (other), ==, other_path);
  g_assert_true (other != first);
  fl_store_pool_give_back (pool, other);
  g_unlink (other_path);
}

typedef struct
{
  FlStore *store;
  GMutex   lock;
  GCond    cond;
  gboolean started;
  int      rc;
} Endless;

static gpointer
_endless_query_thread (gpointer user_data)
{
  Endless *endless = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlCachedStmt) stmt =
    _fl_store_prepare (endless->store, "WITH RECURSIVE c (x) AS (SELECT 1 UNION ALL "
                                       "SELECT x + 1 FROM c) SELECT count (*) FROM c", &error);

  g_assert_no_error (error);
  g_mutex_lock (&endless->lock);
  endless->started = TRUE;
  g_cond_signal (&endless->cond);
  g_mutex_unlock (&endless->lock);
  endless->rc = sqlite3_step (stmt);
  return NULL;
}

/* A query without end stops when its cancellable is cancelled from another
 * thread (the test hangs if it does not); the connection works after. */
static void
test_cancel_query (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStorePool) pool = fl_store_pool_new (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Endless endless = { NULL };
  GThread *thread;
  FlStore *store;

  endless.store = store = fl_store_pool_take (pool, fixture->path, cancellable, &error);
  g_assert_no_error (error);
  g_mutex_init (&endless.lock);
  g_cond_init (&endless.cond);
  thread = g_thread_new ("endless-query", _endless_query_thread, &endless);
  g_mutex_lock (&endless.lock);
  while (!endless.started)
    g_cond_wait (&endless.cond, &endless.lock);
  g_mutex_unlock (&endless.lock);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_assert_cmpint (endless.rc, ==, SQLITE_INTERRUPT);
  g_mutex_clear (&endless.lock);
  g_cond_clear (&endless.cond);

  /* Given back, the same connection runs queries again. */
  fl_store_pool_give_back (pool, store);
  store = fl_store_pool_take (pool, fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_is_empty (store));
  g_assert_cmpint (fl_store_count (store, "visits"), ==, 0);
  fl_store_pool_give_back (pool, store);

  /* Already cancelled: no connection. */
  g_assert_null (fl_store_pool_take (pool, fixture->path, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/store/open-file", Fixture, NULL, fixture_set_up, test_open_file,
              fixture_tear_down);
  g_test_add ("/store/migrate-empty-file", Fixture, NULL, fixture_set_up,
              test_migrate_empty_file, fixture_tear_down);
  g_test_add ("/store/refuse-newer", Fixture, NULL, fixture_set_up, test_refuse_newer,
              fixture_tear_down);
  g_test_add ("/store/not-a-database", Fixture, NULL, fixture_set_up, test_not_a_database,
              fixture_tear_down);
  g_test_add ("/store/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/store/import-rollback", Fixture, NULL, fixture_set_up, test_import_rollback,
              fixture_tear_down);
  g_test_add_func ("/store/import-replaces", test_import_replaces);
  g_test_add_func ("/store/lookups", test_lookups);
  g_test_add ("/store/actions", Fixture, NULL, fixture_set_up, test_actions,
              fixture_tear_down);
  g_test_add ("/store/error-message", Fixture, NULL, fixture_set_up, test_store_error_message,
              fixture_tear_down);
  g_test_add ("/store/visit-summary", Fixture, NULL, fixture_set_up, test_visit_summary,
              fixture_tear_down);
  g_test_add ("/store/migrate-v1", Fixture, NULL, fixture_set_up, test_migrate_v1,
              fixture_tear_down);
  g_test_add ("/store/pool", Fixture, NULL, fixture_set_up, test_pool, fixture_tear_down);
  g_test_add ("/store/cancel-query", Fixture, NULL, fixture_set_up, test_cancel_query,
              fixture_tear_down);

  return g_test_run ();
}
