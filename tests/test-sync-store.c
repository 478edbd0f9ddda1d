/* test-sync-store.c — fragments, merges, deletes, transactions, metadata and
 * the outbox (fl-sync-store.h)
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
#include "fl-dataset-private.h"
#include "fl-store-private.h"
#include "fl-sync-store.h"

/* 2026-11-23T09:00:00+08:00, the fixture's "now" */
#define NOW G_GINT64_CONSTANT (1795395600)

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

  fixture->dir = g_dir_make_tmp ("fl-sync-store-XXXXXX", &error);
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

/* Helpers */

/* Runs @sql on the cache file through a connection of its own. */
static void
exec_on_file (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
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

static FlStore *
open_with_fixture (void)
{
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(GError) error = NULL;
  FlStore *store = fl_store_open (NULL, &error);

  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (store, dataset, &error));
  g_assert_no_error (error);
  return store;
}

static char *
dataset_to_string (FlDataset *dataset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fl_dataset_write_to_bytes (dataset, &error);

  g_assert_no_error (error);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
store_to_string (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = fl_store_export_dataset (store, &error);

  g_assert_no_error (error);
  return dataset_to_string (dataset);
}

static char *
fragment_to_string (FlDataset *fragment)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  GString *out = g_string_new (NULL);

  fl_dataset_write_fragment (fragment, tz, out);
  return g_string_free (out, FALSE);
}

static FlDataset *
parse_fragment (const char  *json,
                const char  *what,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;

  json_parser_load_from_data (parser, json, -1, &parse_error);
  g_assert_no_error (parse_error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return fl_dataset_load_fragment (json_node_get_object (json_parser_get_root (parser)), what,
                                   error);
}

static FlDataset *
fragment_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  FlDataset *fragment = parse_fragment (json, "test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (fragment);
  return fragment;
}

static void
merge (FlStore   *store,
       FlDataset *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_store_merge_dataset (store, fragment, &error));
  g_assert_no_error (error);
}

static void
merge_json (FlStore    *store,
            const char *json)
{
  g_autoptr(FlDataset) fragment = fragment_from_json (json);

  merge (store, fragment);
}

static gint64
query_int (FlStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_fl_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The rows of @sql, one line each, columns separated by "|" (NULL: "∅"). */
static char *
query_rows (FlStore    *store,
            const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_fl_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append (out, i > 0 ? "|" : "");
          g_string_append (out, text != NULL ? text : "∅");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static gint64
total_changes (FlStore *store)
{
  return sqlite3_total_changes64 (_fl_store_get_db (store));
}

static void
count_cb (FlStore *store,
          guint   *count)
{
  (*count)++;
}

/* Moves the entities of @fragment into @dataset: those with a known id
 * replace it in place, the others are appended (what a merge does to the
 * rowid order of an export). */
static void
apply_fragment (FlDataset *dataset,
                FlDataset *fragment)
{
  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      GPtrArray *from = fl_dataset_get_entities (fragment, kind);
      GPtrArray *to = fl_dataset_get_entities (dataset, kind);

      while (from->len > 0)
        {
          gpointer entity = g_ptr_array_steal_index (from, 0);
          const char *id = fl_entity_get_id (kind, entity);
          guint i;

          for (i = 0; i < to->len; i++)
            {
              if (strcmp (fl_entity_get_id (kind, g_ptr_array_index (to, i)), id) == 0)
                break;
            }
          if (i < to->len)
            g_ptr_array_remove_index (to, i);
          g_ptr_array_insert (to, i, entity);
        }
    }
}

static gboolean
has_alert (FlEvaluation *evaluation,
           const char   *id)
{
  return fl_evaluation_find_alert (evaluation, id) != NULL;
}

static FlEvaluation *
evaluate (FlStore *store,
          gint64   now)
{
  g_autoptr(GError) error = NULL;
  FlRuleSettings settings;
  FlEvaluation *evaluation;

  fl_rule_settings_init_default (&settings);
  evaluation = fl_rules_evaluate (store, now, &settings, &error);
  g_assert_no_error (error);
  g_assert_nonnull (evaluation);
  return evaluation;
}

static char *
alerts_to_string (FlEvaluation *evaluation)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      g_string_append_printf (out, "%s %.2f %d\n", alert->id, alert->value_at_risk,
                              alert->actioned);
    }
  return g_string_free (out, FALSE);
}

/* Tests */

static void
test_kinds (void)
{
  g_autoptr(FlDataset) dataset = load_fixture ();
  const char * const names[] = {
    "regions", "reps", "categories", "products", "customers", "visits", "opportunities",
    "pilots", "cases", "actions",
  };
  const char * const first_ids[] = {
    "330700", "r-001", "dairy", "p-001", "c-0001", "v-000002", "o-0001", "pl-01", "case-001",
    "6f1c0a4e-2b7d-4c1e-9a35-0d8f2f6b1e11",
  };
  FlEntityKind kind;

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == FL_N_ENTITY_KINDS);
  for (guint i = 0; i < FL_N_ENTITY_KINDS; i++)
    {
      GPtrArray *entities = fl_dataset_get_entities (dataset, i);

      g_assert_cmpstr (fl_entity_kind_to_string (i), ==, names[i]);
      g_assert_true (fl_entity_kind_from_string (names[i], &kind));
      g_assert_cmpint (kind, ==, i);
      g_assert_cmpuint (entities->len, >, 0);
      g_assert_cmpstr (fl_entity_get_id (i, g_ptr_array_index (entities, 0)), ==, first_ids[i]);
    }
  g_assert_true (fl_dataset_get_entities (dataset, FL_ENTITY_VISIT) == dataset->visits);
  g_assert_false (fl_entity_kind_from_string ("visit", &kind));
  g_assert_false (fl_entity_kind_from_string ("dataset", &kind));
  g_assert_false (fl_entity_kind_from_string (NULL, &kind));
}

static void
test_fragment_load (void)
{
  g_autoptr(FlDataset) fragment = NULL;
  FlVisit *visit;
  FlPilot *pilot;

  /* references to entities of other pages are fine; unknown members ignored */
  fragment = fragment_from_json (
    "{\"format\": \"whatever\", \"cursor\": 3,"
    " \"visits\": [{\"id\": \"v-9\", \"customer\": \"c-elsewhere\", \"rep\": \"r-elsewhere\","
    "  \"start\": \"2026-11-20T09:00:00+08:00\", \"end\": \"2026-11-20T09:30:00+08:00\","
    "  \"uploaded\": \"2026-11-20T10:00:00+08:00\", \"committed_action\": \"\","
    "  \"prev_action_achieved\": null, \"unknown\": [1, 2],"
    "  \"pitches\": [{\"product\": \"p-elsewhere\", \"signed\": true}]}],"
    " \"pilots\": [{\"id\": \"pl-9\", \"title\": \"t\", \"regions\": [\"999999\"],"
    "  \"start\": \"2026-11-16\", \"owner\": \"r-elsewhere\"}],"
    " \"cases\": [{\"id\": \"case-9\", \"category\": \"gap\", \"region\": \"999999\","
    "  \"customer_tier\": null, \"product_category\": \"nope\", \"pain_keyword\": null,"
    "  \"action_kind\": \"call_today\", \"resolved_within_14d\": false,"
    "  \"closed\": \"2026-10-12T09:30:00+08:00\"}],"
    " \"customers\": [{\"id\": \"c-9\", \"name\": \"n\", \"region\": \"999999\","
    "  \"owner_rep\": \"r-elsewhere\", \"tier\": \"B\", \"revenue_90d\": 5}],"
    " \"products\": [{\"id\": \"p-9\", \"name\": \"n\", \"category\": \"nope\"}],"
    " \"reps\": [{\"id\": \"r-9\", \"name\": \"n\", \"region\": \"999999\"}],"
    " \"opportunities\": [{\"id\": \"o-9\", \"customer\": \"c-elsewhere\", \"value\": 1,"
    "  \"stage\": \"open\", \"custom_requirement\": false,"
    "  \"last_progress\": \"2026-10-20T15:00:00+08:00\"}]}");

  g_assert_null (fragment->timezone);
  g_assert_null (fragment->province_code);
  g_assert_null (fragment->province_name);
  g_assert_cmpuint (fragment->regions->len, ==, 0);
  g_assert_cmpuint (fragment->actions->len, ==, 0);
  g_assert_cmpuint (fragment->visits->len, ==, 1);
  visit = g_ptr_array_index (fragment->visits, 0);
  g_assert_cmpstr (visit->rep, ==, "r-elsewhere");
  g_assert_cmpuint (visit->pitches->len, ==, 1);
  g_assert_cmpstr (g_array_index (visit->pitches, FlPitch, 0).product, ==, "p-elsewhere");
  g_assert_nonnull (visit->pain_keywords);
  g_assert_null (visit->pain_keywords[0]);
  pilot = g_ptr_array_index (fragment->pilots, 0);
  g_assert_cmpstr (pilot->regions[0], ==, "999999");
  g_assert_cmpuint (fragment->customers->len, ==, 1);
  g_assert_cmpuint (fragment->opportunities->len, ==, 1);
  g_assert_cmpuint (fragment->cases->len, ==, 1);

  /* an empty object is an empty fragment */
  g_clear_pointer (&fragment, fl_dataset_free);
  fragment = fragment_from_json ("{}");
  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    g_assert_cmpuint (fl_dataset_get_entities (fragment, kind)->len, ==, 0);
}

static void
test_fragment_invalid (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"visits\": 3}", "page 3: field “visits” must be an array" },
    { "{\"reps\": [7]}", "page 3: reps[0]: must be an object" },
    { "{\"reps\": [{\"name\": \"n\", \"region\": \"x\"}]}",
      "page 3: reps[0]: missing field “id”" },
    { "{\"reps\": [{\"id\": \"r-1\", \"name\": 5, \"region\": \"x\"}]}",
      "page 3: rep r-1: field “name”" },
    { "{\"categories\": [{\"id\": \"k\", \"name\": \"n\", \"avg_order_value\": -1}]}",
      "page 3: category k: field “avg_order_value” must not be negative" },
    { "{\"customers\": [{\"id\": \"c-1\", \"name\": \"n\", \"region\": \"x\","
      " \"owner_rep\": \"r\", \"tier\": \"Z\", \"revenue_90d\": 5}]}",
      "page 3: customer c-1: field “tier” has an unknown value “Z”" },
    { "{\"visits\": [{\"id\": \"v-1\", \"customer\": \"c\", \"rep\": \"r\", \"start\": 5,"
      " \"end\": \"2026-11-20T09:30:00+08:00\", \"uploaded\": \"2026-11-20T10:00:00+08:00\","
      " \"committed_action\": \"\", \"prev_action_achieved\": null}]}",
      "page 3: visit v-1: field “start”" },
    { "{\"visits\": [{\"id\": \"v-1\", \"customer\": \"c\", \"rep\": \"r\","
      " \"start\": \"2026-11-20T09:00:00+08:00\", \"end\": \"2026-11-20T09:30:00+08:00\","
      " \"uploaded\": \"2026-11-20T10:00:00+08:00\", \"committed_action\": \"\","
      " \"prev_action_achieved\": null, \"pitches\": [{\"product\": \"p\", \"signed\": 1}]}]}",
      "page 3: visit v-1: pitches[0]: field “signed”" },
    { "{\"opportunities\": [{\"id\": \"o-1\", \"customer\": \"c\", \"value\": 1,"
      " \"stage\": \"maybe\", \"custom_requirement\": false,"
      " \"last_progress\": \"2026-10-20T15:00:00+08:00\"}]}",
      "page 3: opportunity o-1: field “stage” has an unknown value “maybe”" },
    { "{\"actions\": [{\"id\": \"a-1\", \"alert\": \"x\", \"kind\": \"dance\","
      " \"created\": \"2026-11-23T09:10:00+08:00\", \"created_by\": \"m\"}]}",
      "page 3: action a-1: field “kind” has an unknown value “dance”" },
    { "{\"products\": [{\"id\": \"p-1\", \"name\": \"a\", \"category\": \"k\"},"
      " {\"id\": \"p-1\", \"name\": \"b\", \"category\": \"k\"}]}",
      "page 3: product p-1: field “id” is not unique (same as products[0])" },
    /* a duplicate id is reported before the element's other errors */
    { "{\"products\": [{\"id\": \"p-1\", \"name\": \"a\", \"category\": \"k\"},"
      " {\"id\": \"p-1\", \"name\": 5, \"category\": \"k\"}]}",
      "page 3: product p-1: field “id” is not unique (same as products[0])" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FlDataset) fragment = parse_fragment (cases[i].json, "page 3", &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (fragment);
      g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("“%s” does not start with “%s”", error->message, cases[i].message);
    }
}

/* A whole dataset written as a fragment reads back the same. */
static void
test_fragment_round_trip (void)
{
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlDataset) fragment = NULL;
  g_autoptr(FlDataset) partial = _fl_dataset_new_fragment ();
  g_autofree char *json = fragment_to_string (dataset);
  g_autofree char *json_again = NULL;
  g_autofree char *original = dataset_to_string (dataset);
  g_autofree char *read_back = NULL;
  g_autofree char *partial_json = NULL;

  fragment = fragment_from_json (json);
  json_again = fragment_to_string (fragment);
  g_assert_cmpstr (json, ==, json_again);

  /* with the header put back, the same dataset */
  fragment->timezone = g_strdup (dataset->timezone);
  fragment->province_code = g_strdup (dataset->province_code);
  fragment->province_name = g_strdup (dataset->province_name);
  read_back = dataset_to_string (fragment);
  g_assert_cmpstr (original, ==, read_back);

  /* only the non-empty arrays are written */
  g_ptr_array_add (partial->visits, g_ptr_array_steal_index (dataset->visits, 2));
  partial_json = fragment_to_string (partial);
  g_assert_true (g_str_has_prefix (partial_json, "{\n\"visits\": [\n  {\"id\":\"v-000003\","));
  g_assert_null (strstr (partial_json, "\"reps\""));
  g_assert_true (g_str_has_suffix (partial_json, "]\n}"));
  g_clear_pointer (&partial_json, g_free);

  g_ptr_array_set_size (partial->visits, 0);
  partial_json = fragment_to_string (partial);
  g_assert_cmpstr (partial_json, ==, "{}");
}

static const char merge_json_text[] =
  "{\"regions\": [{\"code\": \"330100\", \"name\": \"杭州\","
  "   \"geometry\": {\"type\": \"Polygon\", \"coordinates\": ["
  "     [[119.0, 29.7], [120.7, 29.7], [120.7, 30.5], [119.0, 30.5], [119.0, 29.7]]]}}],"
  " \"reps\": [{\"id\": \"r-003\", \"name\": \"张三\", \"region\": \"330100\"}],"
  " \"customers\": [{\"id\": \"c-0001\", \"name\": \"永康市华联超市\", \"region\": \"330700\","
  "   \"owner_rep\": \"r-001\", \"tier\": \"B\", \"lat\": 28.9, \"lon\": 120.03,"
  "   \"revenue_90d\": 126000.0,"
  "   \"health\": [{\"week\": \"2026-W47\", \"cooperation_stability\": 78,"
  "     \"new_product_acceptance\": 1, \"competitor_penetration\": 100, \"sell_through\": 71,"
  "     \"inventory_health\": 66, \"payment_punctuality\": 91}]}],"
  " \"visits\": [{\"id\": \"v-000003\", \"customer\": \"c-0002\", \"rep\": \"r-002\","
  "   \"start\": \"2026-11-21T16:30:00+08:00\", \"end\": \"2026-11-21T17:00:00+08:00\","
  "   \"uploaded\": \"2026-11-21T17:05:00+08:00\", \"committed_action\": \"回访\","
  "   \"prev_action_achieved\": true, \"photos\": 0,"
  "   \"pitches\": [{\"product\": \"p-002\", \"signed\": false},"
  "                {\"product\": \"p-001\", \"signed\": true}]},"
  "  {\"id\": \"v-000009\", \"customer\": \"c-0002\", \"rep\": \"r-003\","
  "   \"start\": \"2026-11-22T10:00:00+08:00\", \"end\": \"2026-11-22T10:30:00+08:00\","
  "   \"uploaded\": \"2026-11-22T11:00:00+08:00\", \"committed_action\": \"x\","
  "   \"prev_action_achieved\": false,"
  "   \"pitches\": [{\"product\": \"p-001\", \"signed\": true}]}],"
  " \"opportunities\": [{\"id\": \"o-0002\", \"customer\": \"c-0002\", \"value\": 60000,"
  "   \"stage\": \"open\", \"custom_requirement\": false,"
  "   \"last_progress\": \"2026-11-01T00:00:00+08:00\"}],"
  " \"actions\": [{\"id\": \"a-new\", \"alert\": \"churn:c-0002:v-000009\","
  "   \"kind\": \"call_today\", \"created\": \"2026-11-22T12:00:00+08:00\","
  "   \"created_by\": \"m-li\"}]}";

/* A merge into an imported cache gives what importing the merged data gives. */
static void
test_merge (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(FlDataset) expected = load_fixture ();
  g_autoptr(FlDataset) fragment = fragment_from_json (merge_json_text);
  g_autoptr(FlDataset) applied = fragment_from_json (merge_json_text);
  g_autoptr(FlStore) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_json = NULL;
  g_autofree char *merged_json = NULL;
  g_autofree char *pitches = NULL;
  g_autofree char *expected_pitches = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *expected_summary = NULL;
  GTimeZone *tz;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  merge (store, fragment);
  g_assert_cmpuint (changed, ==, 1);

  apply_fragment (expected, applied);
  expected_json = dataset_to_string (expected);
  merged_json = store_to_string (store);
  g_assert_cmpstr (merged_json, ==, expected_json);

  /* the derived tables are those of an import of the merged data */
  imported = fl_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (imported, expected, &error));
  g_assert_no_error (error);
#define PITCHES_SQL \
  "SELECT v.id, p.product, p.signed, p.start, p.week, p.rep, p.region, p.category " \
  "FROM pitches AS p JOIN visits AS v ON v.rowid = p.visit ORDER BY v.id, p.rowid"
#define SUMMARY_SQL "SELECT * FROM customer_visits ORDER BY customer"
  pitches = query_rows (store, PITCHES_SQL);
  expected_pitches = query_rows (imported, PITCHES_SQL);
  g_assert_cmpstr (pitches, ==, expected_pitches);
  summary = query_rows (store, SUMMARY_SQL);
  expected_summary = query_rows (imported, SUMMARY_SQL);
  g_assert_cmpstr (summary, ==, expected_summary);

  /* the new visit's pitch: the new rep's region, the week's Monday */
  tz = fl_store_get_time_zone (store);
  g_assert_cmpint (query_int (store, "SELECT week FROM pitches WHERE visit = "
                                     "(SELECT rowid FROM visits WHERE id = 'v-000009')"),
                   ==, fl_iso_week_start (NOW - 86400, tz));
  g_assert_true (strstr (pitches, "v-000009|p-001|1|") != NULL);
  g_assert_true (strstr (pitches, "|r-003|330100|dairy\n") != NULL);
}

/* Merging what is there already writes nothing (the server's change log
 * must not see it) and emits nothing. */
static void
test_merge_unchanged (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(FlDataset) fragment = fragment_from_json (merge_json_text);
  g_autoptr(FlDataset) again = fragment_from_json (merge_json_text);
  g_autofree char *before = store_to_string (store);
  g_autofree char *after = NULL;
  guint changed = 0;
  gint64 changes;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);

  /* the whole dataset, header included */
  changes = total_changes (store);
  merge (store, dataset);
  g_assert_cmpint (total_changes (store), ==, changes);
  g_assert_cmpuint (changed, ==, 0);
  after = store_to_string (store);
  g_assert_cmpstr (before, ==, after);

  /* a fragment, twice */
  merge (store, fragment);
  g_assert_cmpuint (changed, ==, 1);
  changes = total_changes (store);
  merge (store, again);
  g_assert_cmpint (total_changes (store), ==, changes);
  g_assert_cmpuint (changed, ==, 1);

  /* one changed field of one visit is one row */
  g_clear_pointer (&again, fl_dataset_free);
  again = fragment_from_json (merge_json_text);
  ((FlVisit *) g_ptr_array_index (again->visits, 1))->photos = 4;
  merge (store, again);
  g_assert_cmpint (total_changes (store), ==, changes + 1);
  g_assert_cmpuint (changed, ==, 2);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT photos FROM visits WHERE id = '%s'",
                                            ((FlVisit *) g_ptr_array_index (again->visits,
                                                                            1))->id);

    g_assert_cmpint (query_int (store, sql), ==, 4);
  }

  /* and a change of an indexed column is saved too */
  ((FlVisit *) g_ptr_array_index (again->visits, 1))->start -= 60;
  merge (store, again);
  g_assert_cmpint (total_changes (store), >, changes + 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM visits INDEXED BY "
                                            "visits_by_customer WHERE id = '%s' AND start = %"
                                            G_GINT64_FORMAT " AND photos = 4",
                                            ((FlVisit *) g_ptr_array_index (again->visits,
                                                                            1))->id,
                                            ((FlVisit *) g_ptr_array_index (again->visits,
                                                                            1))->start);

    g_assert_cmpint (query_int (store, sql), ==, 1);
  }
}

#define LATE_VISIT(id, rep, product) \
  "{\"id\": \"" id "\", \"customer\": \"c-0002\", \"rep\": \"" rep "\"," \
  " \"start\": \"2026-11-18T10:00:00+08:00\", \"end\": \"2026-11-18T10:30:00+08:00\"," \
  " \"uploaded\": \"2026-11-18T11:00:00+08:00\", \"committed_action\": \"x\"," \
  " \"prev_action_achieved\": null," \
  " \"pitches\": [{\"product\": \"" product "\", \"signed\": true}," \
  "              {\"product\": \"p-001\", \"signed\": false}]}"
#define LATE_PITCHES_SQL \
  "SELECT p.rowid FROM pitches AS p " \
  "JOIN visits AS v ON v.rowid = p.visit WHERE v.id = 'v-late' ORDER BY p.rowid"

/* A visit whose rep or product comes later (or never). */
static void
test_merge_late_references (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *rowids = NULL;
  const char *ids[] = { "p-late" };
  const char *rep_ids[] = { "r-late" };
  g_autoptr(GError) error = NULL;

#define ASSERT_LATE_PITCHES(expected) \
  G_STMT_START { \
    g_autofree char *got = query_rows (store, \
      "SELECT p.rep, p.region, p.category FROM pitches AS p " \
      "JOIN visits AS v ON v.rowid = p.visit WHERE v.id = 'v-late' ORDER BY p.rowid"); \
    g_assert_cmpstr (got, ==, expected); \
  } G_STMT_END

  merge_json (store, "{\"visits\": [" LATE_VISIT ("v-late", "r-late", "p-late") "]}");
  ASSERT_LATE_PITCHES ("r-late|∅|∅\nr-late|∅|dairy\n");
  rowids = query_rows (store, LATE_PITCHES_SQL);

  /* the gap rule skips what it cannot place */
  evaluation = evaluate (store, NOW);

  merge_json (store, "{\"reps\": [{\"id\": \"r-late\", \"name\": \"n\", \"region\": \"330700\"}]}");
  ASSERT_LATE_PITCHES ("r-late|330700|∅\nr-late|330700|dairy\n");
  merge_json (store, "{\"products\": [{\"id\": \"p-late\", \"name\": \"n\", \"category\": \"snacks\"}]}");
  ASSERT_LATE_PITCHES ("r-late|330700|snacks\nr-late|330700|dairy\n");

  /* they move with the rep and the product */
  merge_json (store, "{\"reps\": [{\"id\": \"r-late\", \"name\": \"n\", \"region\": \"330100\"}]}");
  ASSERT_LATE_PITCHES ("r-late|330100|snacks\nr-late|330100|dairy\n");
  merge_json (store, "{\"products\": [{\"id\": \"p-late\", \"name\": \"m\", \"category\": \"dairy\"}]}");
  ASSERT_LATE_PITCHES ("r-late|330100|dairy\nr-late|330100|dairy\n");

  /* and are unknown again when those go */
  g_assert_true (fl_store_delete_entities (store, FL_ENTITY_PRODUCT, ids, 1, &error));
  g_assert_no_error (error);
  ASSERT_LATE_PITCHES ("r-late|330100|∅\nr-late|330100|dairy\n");
  g_assert_true (fl_store_delete_entities (store, FL_ENTITY_REP, rep_ids, 1, &error));
  g_assert_no_error (error);
  ASSERT_LATE_PITCHES ("r-late|∅|∅\nr-late|∅|dairy\n");

  /* the visit moves to a known rep: the same pitch rows, re-derived */
  merge_json (store, "{\"visits\": [" LATE_VISIT ("v-late", "r-002", "p-late") "]}");
  ASSERT_LATE_PITCHES ("r-002|330100|∅\nr-002|330100|dairy\n");
  rows = query_rows (store, LATE_PITCHES_SQL);
  g_assert_cmpstr (rows, ==, rowids);
  g_clear_pointer (&evaluation, fl_evaluation_free);
  evaluation = evaluate (store, NOW);
#undef ASSERT_LATE_PITCHES
}

static void
test_delete (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(GError) error = NULL;
  const char *visits[] = { "v-000002", "v-unknown" };
  const char *customers[] = { "c-0001" };
  const char *actions[] = { "7a2d1b5f-3c8e-4d2f-8b46-1e9a3a7c2f22" };
  const char *regions[] = { "330100" };
  const char *unknown[] = { "nope" };
  g_autofree char *summary = NULL;
  guint changed = 0;
  gint64 changes;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_cmpint (fl_store_count (store, "pitches"), ==, 4);

  g_assert_true (fl_store_delete_entities (store, FL_ENTITY_VISIT, visits, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (fl_store_count (store, "visits"), ==, 2);
  g_assert_cmpint (fl_store_count (store, "pitches"), ==, 1);
  summary = query_rows (store, "SELECT customer, last_id, before_id FROM customer_visits "
                               "ORDER BY customer");
  g_assert_cmpstr (summary, ==, "c-0001|v-000001|∅\nc-0002|v-000003|∅\n");

  g_assert_cmpint (fl_store_count (store, "health"), ==, 2);
  g_assert_true (fl_store_delete_entities (store, FL_ENTITY_CUSTOMER, customers, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_count (store, "customers"), ==, 1);
  g_assert_cmpint (fl_store_count (store, "health"), ==, 0);

  g_assert_true (fl_store_delete_entities (store, FL_ENTITY_ACTION, actions, 1, &error));
  g_assert_true (fl_store_delete_entities (store, FL_ENTITY_REGION, regions, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 1);
  g_assert_cmpint (fl_store_count (store, "regions"), ==, 1);
  g_assert_cmpuint (changed, ==, 4);

  /* unknown ids: nothing written, nothing emitted */
  changes = total_changes (store);
  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      g_assert_true (fl_store_delete_entities (store, kind, unknown, 1, &error));
      g_assert_no_error (error);
    }
  g_assert_true (fl_store_delete_entities (store, FL_ENTITY_VISIT, NULL, 0, &error));
  g_assert_cmpint (total_changes (store), ==, changes);
  g_assert_cmpuint (changed, ==, 4);
}

static void
test_export_entities (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(FlDataset) dataset = load_fixture ();
  const char *ids[FL_N_ENTITY_KINDS][3] = {
    { "330100", "330700", "nope" },
    { "r-002", "nope", "r-001" },
    { "snacks", "nope", NULL },
    { "p-002", "nope", NULL },
    { "c-0001", "nope", "c-0002" },
    { "v-000003", "v-000002", "nope" },
    { "o-0003", "o-0001", "nope" },
    { "pl-02", "nope", NULL },
    { "case-002", "case-001", "nope" },
    { "7a2d1b5f-3c8e-4d2f-8b46-1e9a3a7c2f22", "nope", NULL },
  };

  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FlDataset) exported = NULL;
      g_autoptr(FlDataset) expected = _fl_dataset_new_fragment ();
      g_autofree char *exported_json = NULL;
      g_autofree char *expected_json = NULL;
      guint n = ids[kind][2] != NULL ? 3 : 2;

      exported = fl_store_export_entities (store, kind, ids[kind], n, &error);
      g_assert_no_error (error);
      g_assert_nonnull (exported);
      g_assert_null (exported->timezone);

      for (guint i = 0; i < n; i++)
        {
          GPtrArray *all = fl_dataset_get_entities (dataset, kind);

          for (guint j = 0; j < all->len; j++)
            {
              if (strcmp (fl_entity_get_id (kind, g_ptr_array_index (all, j)), ids[kind][i]) == 0)
                g_ptr_array_add (fl_dataset_get_entities (expected, kind),
                                 g_ptr_array_steal_index (all, j));
            }
        }
      g_assert_cmpuint (fl_dataset_get_entities (exported, kind)->len, ==, n - 1);
      exported_json = fragment_to_string (exported);
      expected_json = fragment_to_string (expected);
      g_assert_cmpstr (exported_json, ==, expected_json);
    }
}

#define CHURN_VISIT(id, start, achieved) \
  "{\"visits\": [{\"id\": \"" id "\", \"customer\": \"c-0001\", \"rep\": \"r-001\"," \
  " \"start\": \"" start "\", \"end\": \"" start "\", \"uploaded\": \"" start "\"," \
  " \"committed_action\": \"x\", \"prev_action_achieved\": " achieved "}]}"

/* The rules read what merges and deletes leave. */
static void
test_rules_after_merge (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { "v-000010" };
  FlAlert *alert;

  evaluation = evaluate (store, NOW);
  g_assert_false (has_alert (evaluation, "churn:c-0001:v-000002"));

  /* a second visit that missed its commitment: churn */
  merge_json (store, CHURN_VISIT ("v-000010", "2026-11-22T10:00:00+08:00", "false"));
  g_clear_pointer (&evaluation, fl_evaluation_free);
  evaluation = evaluate (store, NOW);
  alert = fl_evaluation_find_alert (evaluation, "churn:c-0001:v-000010");
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->visit_before, ==, "v-000002");
  g_assert_cmpfloat (alert->value_at_risk, ==, 126000.0);

  /* an older visit changes nothing */
  merge_json (store, CHURN_VISIT ("v-000011", "2026-11-01T10:00:00+08:00", "true"));
  g_clear_pointer (&evaluation, fl_evaluation_free);
  evaluation = evaluate (store, NOW);
  g_assert_true (has_alert (evaluation, "churn:c-0001:v-000010"));

  /* it was achieved after all */
  merge_json (store, CHURN_VISIT ("v-000010", "2026-11-22T10:00:00+08:00", "true"));
  g_clear_pointer (&evaluation, fl_evaluation_free);
  evaluation = evaluate (store, NOW);
  g_assert_false (has_alert (evaluation, "churn:c-0001:v-000010"));

  /* back to false, then gone */
  merge_json (store, CHURN_VISIT ("v-000010", "2026-11-22T10:00:00+08:00", "false"));
  g_assert_true (fl_store_delete_entities (store, FL_ENTITY_VISIT, ids, 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&evaluation, fl_evaluation_free);
  evaluation = evaluate (store, NOW);
  g_assert_false (has_alert (evaluation, "churn:c-0001:v-000010"));
}

/* The demo data merged page by page, visits first (their reps and products
 * come later), evaluates like the demo data imported. */
static void
test_rules_paged_merge (void)
{
  static const FlEntityKind order[] = {
    FL_ENTITY_VISIT, FL_ENTITY_CUSTOMER, FL_ENTITY_ACTION, FL_ENTITY_REGION, FL_ENTITY_REP,
    FL_ENTITY_CATEGORY, FL_ENTITY_PRODUCT, FL_ENTITY_OPPORTUNITY, FL_ENTITY_PILOT,
    FL_ENTITY_CASE,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlDataset) pages = NULL;
  g_autoptr(FlStore) imported = NULL;
  g_autoptr(FlStore) merged = NULL;
  g_autoptr(FlEvaluation) expected = NULL;
  g_autoptr(FlEvaluation) got = NULL;
  g_autofree char *expected_alerts = NULL;
  g_autofree char *got_alerts = NULL;
  g_autofree char *expected_rows = NULL;
  g_autofree char *got_rows = NULL;
  gboolean first = TRUE;

  dataset = fl_demo_generate (FL_DEMO_DEFAULT_SEED, NOW, 0.1, &error);
  g_assert_no_error (error);
  pages = fl_demo_generate (FL_DEMO_DEFAULT_SEED, NOW, 0.1, &error);
  g_assert_no_error (error);

  imported = fl_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (imported, dataset, &error));
  g_assert_no_error (error);

  merged = fl_store_open (NULL, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    {
      GPtrArray *all = fl_dataset_get_entities (pages, order[k]);

      while (all->len > 0)
        {
          g_autoptr(FlDataset) page = _fl_dataset_new_fragment ();
          GPtrArray *part = fl_dataset_get_entities (page, order[k]);

          if (first)
            {
              page->timezone = g_strdup (pages->timezone);
              page->province_code = g_strdup (pages->province_code);
              page->province_name = g_strdup (pages->province_name);
              first = FALSE;
            }
          while (all->len > 0 && part->len < 700)
            g_ptr_array_add (part, g_ptr_array_steal_index (all, 0));
          merge (merged, page);
        }
    }

  expected = evaluate (imported, NOW);
  got = evaluate (merged, NOW);
  expected_alerts = alerts_to_string (expected);
  got_alerts = alerts_to_string (got);
  g_assert_cmpstr (got_alerts, ==, expected_alerts);
  g_assert_true (strstr (expected_alerts, "churn:") != NULL);
  g_assert_true (strstr (expected_alerts, "gap:") != NULL);
  g_assert_true (strstr (expected_alerts, "stall:") != NULL);

#define DERIVED_SQL \
  "SELECT v.id, p.product, p.signed, p.week, p.region, p.category FROM pitches AS p " \
  "JOIN visits AS v ON v.rowid = p.visit ORDER BY v.id, p.rowid"
  expected_rows = query_rows (imported, DERIVED_SQL);
  got_rows = query_rows (merged, DERIVED_SQL);
  g_assert_cmpstr (got_rows, ==, expected_rows);
  g_clear_pointer (&expected_rows, g_free);
  g_clear_pointer (&got_rows, g_free);
  expected_rows = query_rows (imported, "SELECT * FROM customer_visits ORDER BY customer");
  got_rows = query_rows (merged, "SELECT * FROM customer_visits ORDER BY customer");
  g_assert_cmpstr (got_rows, ==, expected_rows);
}

/* Takes the entities of @dataset page by page (@page_size of one kind, in
 * kind order, the header on the regions' pages), as a pull brings them,
 * and hands each page to @apply. Empties @dataset. Returns the pages. */
static guint
for_each_page (FlDataset  *dataset,
               guint       page_size,
               void      (*apply) (FlStore *store, FlDataset *page),
               FlStore    *store)
{
  guint n_pages = 0;

  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      GPtrArray *all = fl_dataset_get_entities (dataset, kind);

      while (all->len > 0)
        {
          g_autoptr(FlDataset) page = _fl_dataset_new_fragment ();
          GPtrArray *part = fl_dataset_get_entities (page, kind);

          if (kind == FL_ENTITY_REGION)
            {
              page->timezone = g_strdup (dataset->timezone);
              page->province_code = g_strdup (dataset->province_code);
              page->province_name = g_strdup (dataset->province_name);
            }
          while (all->len > 0 && part->len < page_size)
            g_ptr_array_add (part, g_ptr_array_steal_index (all, 0));
          apply (store, page);
          n_pages++;
        }
    }
  return n_pages;
}

/* Pages merged in one transaction, more visits than the cache held: the
 * indexes and the visit summary are built at the commit (a bulk merge). */
static void
test_bulk_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlDataset) pages = NULL;
  g_autoptr(FlStore) imported = NULL;
  g_autoptr(FlStore) merged = NULL;
  g_autoptr(FlEvaluation) expected = NULL;
  g_autoptr(FlEvaluation) got = NULL;
  g_autofree char *expected_alerts = NULL;
  g_autofree char *got_alerts = NULL;
  g_autofree char *expected_rows = NULL;
  g_autofree char *got_rows = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *expected_schema = NULL;
  guint changed = 0;

  dataset = fl_demo_generate (FL_DEMO_DEFAULT_SEED, NOW, 0.5, &error);
  g_assert_no_error (error);
  pages = fl_demo_generate (FL_DEMO_DEFAULT_SEED, NOW, 0.5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dataset->visits->len, >, 20000);

  imported = fl_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (imported, dataset, &error));
  g_assert_no_error (error);

  merged = fl_store_open (NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (merged, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_true (fl_store_begin (merged, &error));
  for_each_page (pages, 5000, merge, merged);
  /* meanwhile the summary's triggers are gone */
  g_assert_cmpint (query_int (merged, "SELECT count(*) FROM sqlite_schema "
                                      "WHERE name GLOB 'visits_summary_*'"), ==, 0);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_true (fl_store_commit (merged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);

#define SCHEMA_SQL "SELECT type, name, sql FROM sqlite_schema WHERE name NOT GLOB 'sqlite_*' " \
                   "ORDER BY type, name"
  expected_schema = query_rows (imported, SCHEMA_SQL);
  schema = query_rows (merged, SCHEMA_SQL);
  g_assert_cmpstr (schema, ==, expected_schema);

  expected = evaluate (imported, NOW);
  got = evaluate (merged, NOW);
  expected_alerts = alerts_to_string (expected);
  got_alerts = alerts_to_string (got);
  g_assert_cmpstr (got_alerts, ==, expected_alerts);

  expected_rows = query_rows (imported, DERIVED_SQL);
  got_rows = query_rows (merged, DERIVED_SQL);
  g_assert_cmpstr (got_rows, ==, expected_rows);
  g_clear_pointer (&expected_rows, g_free);
  g_clear_pointer (&got_rows, g_free);
  expected_rows = query_rows (imported, "SELECT * FROM customer_visits ORDER BY customer");
  got_rows = query_rows (merged, "SELECT * FROM customer_visits ORDER BY customer");
  g_assert_cmpstr (got_rows, ==, expected_rows);

  /* afterwards, single merges keep the summary again */
  merge_json (merged, CHURN_VISIT ("v-bulk", "2026-11-22T10:00:00+08:00", "false"));
  g_assert_cmpint (query_int (merged, "SELECT count(*) FROM customer_visits "
                                      "WHERE last_id = 'v-bulk'"), ==, 1);
}

/* A bulk merge rolled back leaves the indexes and triggers as they were. */
static void
test_bulk_rollback (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autofree char *schema = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  dataset = fl_demo_generate (FL_DEMO_DEFAULT_SEED, NOW, 0.5, &error);
  g_assert_no_error (error);
  before = store_to_string (store);
  schema = query_rows (store, SCHEMA_SQL);

  g_assert_true (fl_store_begin (store, &error));
  merge (store, dataset);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_schema "
                                     "WHERE name = 'visits_by_customer'"), ==, 0);
  fl_store_rollback (store);

  after = query_rows (store, SCHEMA_SQL);
  g_assert_cmpstr (after, ==, schema);
  g_clear_pointer (&after, g_free);
  after = store_to_string (store);
  g_assert_cmpstr (after, ==, before);
}

/* One page in a transaction of its own, within a bulk load. */
static void
merge_in_bulk_load (FlStore   *store,
                    FlDataset *page)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_store_begin (store, &error));
  g_assert_no_error (error);
  g_assert_true (fl_store_begin_bulk_load (store, &error));
  g_assert_no_error (error);
  merge (store, page);
  g_assert_true (fl_store_commit (store, &error));
  g_assert_no_error (error);
}

/* A bulk load spans transactions (a big pull, page by page): the indexes and
 * triggers stay dropped across commits, the rules refuse to run meanwhile on
 * any connection, and its end (or the next open, after a crash) builds them
 * again: then the cache equals an import. */
static void
test_bulk_load (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlDataset) pages = NULL;
  g_autoptr(FlStore) imported = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlStore) other = NULL;
  g_autoptr(FlEvaluation) expected = NULL;
  g_autoptr(FlEvaluation) got = NULL;
  g_autofree char *expected_alerts = NULL;
  g_autofree char *got_alerts = NULL;
  g_autofree char *expected_schema = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *expected_rows = NULL;
  g_autofree char *got_rows = NULL;
  gboolean crash = GPOINTER_TO_INT (data);
  guint n_pages = 0;

  dataset = fl_demo_generate (FL_DEMO_DEFAULT_SEED, NOW, 0.1, &error);
  g_assert_no_error (error);
  pages = fl_demo_generate (FL_DEMO_DEFAULT_SEED, NOW, 0.1, &error);
  g_assert_no_error (error);
  imported = fl_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (imported, dataset, &error));
  g_assert_no_error (error);
  expected_schema = query_rows (imported, SCHEMA_SQL);

  store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (fl_store_get_bulk_load (store));

  /* One transaction per page of 2,000 records; the bulk load begins with
   * the first and stays across the commits. */
  n_pages = for_each_page (pages, 2000, merge_in_bulk_load, store);
  g_assert_cmpuint (n_pages, >, 3);
  g_assert_true (fl_store_get_bulk_load (store));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                     "('visits_by_customer', 'visits_by_start', "
                                     "'visits_by_uploaded', 'pitches_by_week') "
                                     "OR name GLOB 'visits_summary_*'"), ==, 0);

  /* Meanwhile no connection evaluates the rules on the half-built cache,
   * and another connection of this process leaves the bulk load alone. */
  other = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_null (fl_rules_evaluate (other, NOW, NULL, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM sqlite_schema "
                                     "WHERE name = 'visits_by_customer'"), ==, 0);
  g_clear_object (&other);

  if (crash)
    {
      /* The process that ran it died: its marker names a process that does
       * not exist (pids stay below 2^22 on Linux). */
      g_clear_object (&store);
      exec_on_file (fixture->path,
                    "UPDATE meta SET value = replace (value, substr (value, 1, "
                    "instr (value, char (10)) - 1), '-- pid 99999999') "
                    "WHERE key = 'store.bulk_load'");
      store = fl_store_open (fixture->path, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_assert_true (fl_store_begin (store, &error));
      g_assert_true (fl_store_end_bulk_load (store, &error));
      g_assert_no_error (error);
      g_assert_true (fl_store_commit (store, &error));
      g_assert_no_error (error);
    }
  g_assert_false (fl_store_get_bulk_load (store));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM meta WHERE key = 'store.bulk_load'"),
                   ==, 0);

  schema = query_rows (store, SCHEMA_SQL);
  g_assert_cmpstr (schema, ==, expected_schema);
  expected = evaluate (imported, NOW);
  got = evaluate (store, NOW);
  expected_alerts = alerts_to_string (expected);
  got_alerts = alerts_to_string (got);
  g_assert_cmpstr (got_alerts, ==, expected_alerts);
  expected_rows = query_rows (imported, "SELECT * FROM customer_visits ORDER BY customer");
  got_rows = query_rows (store, "SELECT * FROM customer_visits ORDER BY customer");
  g_assert_cmpstr (got_rows, ==, expected_rows);
}

/* fl_dataset_load_fragment_fast() reads valid fragments as the JsonNode
 * reader does, and gives up (NULL) on everything that reader rejects. */
#define FAST_VISIT(fields) \
  "{\"visits\": [{\"id\": \"v-1\", \"customer\": \"c-1\", \"rep\": \"r-1\"," \
  " \"start\": \"2026-11-20T10:00:00+08:00\", \"end\": \"2026-11-20T11:00:00+08:00\"," \
  " \"uploaded\": \"2026-11-20T11:30:00+08:00\", \"committed_action\": \"send\"" fields "}]}"

static void
test_fragment_fast (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GString) json = g_string_new (NULL);
  static const char * const fragments[] = {
    /* valid */
    FAST_VISIT (", \"prev_action_achieved\": null"),
    FAST_VISIT (", \"prev_action_achieved\": true, \"pain_keywords\": [\"价格\", \"a\\\"b\"],"
                " \"next_follow_up\": \"2026-11-27T09:00:00Z\", \"photos\": 3,"
                " \"competitor_price\": 12, \"shelf_share\": 0.25,"
                " \"pitches\": [{\"product\": \"p-1\", \"signed\": true},"
                " {\"signed\": false, \"product\": \"p-2\"}]"),
    FAST_VISIT (", \"prev_action_achieved\": false, \"photos\": 3.0, \"pain_keywords\": null,"
                " \"next_follow_up\": null, \"pitches\": null, \"shelf_share\": 1,"
                " \"competitor_price\": 0.0"),
    FAST_VISIT (", \"prev_action_achieved\": false, \"photos\": 2147483647, \"pitches\": []"),
    /* valid, but left to the JsonNode reader (unknown members) */
    FAST_VISIT (", \"prev_action_achieved\": false, \"note\": 1"),
    FAST_VISIT (", \"prev_action_achieved\": false, \"pitches\": [{\"product\": \"p\","
                " \"signed\": true, \"x\": 0}]"),
    "{\"visits\": [], \"extra\": {}}",
    /* valid, but left to it too (repeated members: JsonParser keeps the last) */
    FAST_VISIT (", \"prev_action_achieved\": null, \"committed_action\": \"again\""),
    "{\"visits\": [], \"visits\": []}",
    /* invalid */
    FAST_VISIT (""),
    FAST_VISIT (", \"prev_action_achieved\": 1"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"photos\": -1"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"photos\": 2.5"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"photos\": 2147483648"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"photos\": \"3\""),
    FAST_VISIT (", \"prev_action_achieved\": null, \"shelf_share\": 1.5"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"shelf_share\": \"0.5\""),
    FAST_VISIT (", \"prev_action_achieved\": null, \"competitor_price\": -0.5"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"competitor_price\": 1e999"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"next_follow_up\": \"tomorrow\""),
    FAST_VISIT (", \"prev_action_achieved\": null, \"next_follow_up\": 5"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"pain_keywords\": \"a\""),
    FAST_VISIT (", \"prev_action_achieved\": null, \"pain_keywords\": [1]"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"pitches\": {}"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"pitches\": [{\"product\": \"p\"}]"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"pitches\": [{\"signed\": true}]"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"pitches\": [{\"product\": 1,"
                " \"signed\": true}]"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"pitches\": [{\"product\": \"p\","
                " \"signed\": 1}]"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"pitches\": [1]"),
    FAST_VISIT (", \"prev_action_achieved\": null, \"rep\": 7"),
    "{\"visits\": [{\"id\": \"v-1\", \"customer\": \"c-1\", \"rep\": \"r-1\","
    " \"start\": \"2026-11-20T10:00:00+08:00\", \"end\": \"2026-11-20T09:00:00+08:00\","
    " \"uploaded\": \"2026-11-20T11:30:00+08:00\", \"committed_action\": \"x\","
    " \"prev_action_achieved\": null}]}",
    "{\"visits\": [{\"id\": \"\", \"customer\": \"c-1\", \"rep\": \"r-1\","
    " \"start\": \"2026-11-20T10:00:00+08:00\", \"end\": \"2026-11-20T10:00:00+08:00\","
    " \"uploaded\": \"2026-11-20T11:30:00+08:00\", \"committed_action\": \"x\","
    " \"prev_action_achieved\": null}]}",
    "{\"visits\": [{\"id\": \"v-1\", \"customer\": \"c-1\", \"rep\": \"r-1\","
    " \"start\": \"2026-11-20T10:00:00+08:00\", \"end\": \"2026-11-20T10:00:00+08:00\","
    " \"uploaded\": \"2026-11-20T10:00:00+08:00\", \"committed_action\": \"x\","
    " \"prev_action_achieved\": null}, {\"id\": \"v-1\", \"customer\": \"c-1\","
    " \"rep\": \"r-1\", \"start\": \"2026-11-20T10:00:00+08:00\","
    " \"end\": \"2026-11-20T10:00:00+08:00\", \"uploaded\": \"2026-11-20T10:00:00+08:00\","
    " \"committed_action\": \"x\", \"prev_action_achieved\": null}]}",
    "{\"visits\": {}}",
    "{\"reps\": [{\"id\": \"r-1\"}]}",
    "{\"visits\": [tru]}",
    "{\"visits\": [1,]}",
  };
  guint n_fast = 0, n_valid = 0;

  for (guint i = 0; i < G_N_ELEMENTS (fragments); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(FlDataset) slow = NULL;
      g_autoptr(FlDataset) fast = NULL;
      g_autoptr(GError) slow_error = NULL;

      g_test_message ("fragment %u: %s", i, fragments[i]);
      fast = fl_dataset_load_fragment_fast (fragments[i], strlen (fragments[i]));
      if (json_parser_load_from_data (parser, fragments[i], -1, NULL))
        slow = fl_dataset_load_fragment (json_node_get_object (json_parser_get_root (parser)),
                                         "page 1", &slow_error);
      if (slow == NULL)
        {
          g_assert_null (fast);
          continue;
        }
      n_valid++;
      if (fast != NULL)
        {
          g_autofree char *a = fragment_to_string (slow);
          g_autofree char *b = fragment_to_string (fast);

          g_assert_cmpstr (b, ==, a);
          n_fast++;
        }
    }
  g_assert_cmpuint (n_valid, ==, 9);
  g_assert_cmpuint (n_fast, ==, 4);

  /* A whole data set, as pages carry it. */
  dataset = fl_demo_generate (FL_DEMO_DEFAULT_SEED, NOW, 0.1, &error);
  g_assert_no_error (error);
  fl_dataset_write_fragment (dataset, tz, json);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(FlDataset) slow = NULL;
    g_autoptr(FlDataset) fast = fl_dataset_load_fragment_fast (json->str, json->len);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    g_assert_true (json_parser_load_from_data (parser, json->str, (gssize) json->len, NULL));
    slow = fl_dataset_load_fragment (json_node_get_object (json_parser_get_root (parser)),
                                     "page 1", &error);
    g_assert_no_error (error);
    g_assert_nonnull (fast);
    g_assert_cmpuint (fast->visits->len, ==, dataset->visits->len);
    a = fragment_to_string (slow);
    b = fragment_to_string (fast);
    g_assert_cmpstr (b, ==, a);
  }
}

/* A connection opened on an empty cache sees the time zone and province
 * that another connection (a sync's worker) wrote, once it reloads them. */
static void
test_reload_meta (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) shown = fl_store_open (fixture->path, &error);
  g_autoptr(FlStore) worker = fl_store_open (fixture->path, &error);
  g_autoptr(FlDataset) dataset = load_fixture ();

  g_assert_no_error (error);
  g_assert_true (fl_store_is_empty (shown));
  g_assert_cmpstr (g_time_zone_get_identifier (fl_store_get_time_zone (shown)), ==, "UTC");
  merge (worker, dataset);
  g_assert_null (fl_store_get_province_name (shown));

  g_assert_true (fl_store_reload_meta (shown, &error));
  g_assert_no_error (error);
  g_assert_false (fl_store_is_empty (shown));
  g_assert_cmpstr (g_time_zone_get_identifier (fl_store_get_time_zone (shown)), ==,
                   dataset->timezone);
  g_assert_cmpstr (fl_store_get_province_name (shown), ==, dataset->province_name);
}

/* A merge that fails leaves nothing behind, inside a transaction too. */
static void
test_rollback (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(FlDataset) failing = fragment_from_json (merge_json_text);
  g_autoptr(FlDataset) good = fragment_from_json (
    "{\"reps\": [{\"id\": \"r-009\", \"name\": \"n\", \"region\": \"330100\"}]}");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = store_to_string (store);
  g_autofree char *after = NULL;
  FlVisit *broken;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);

  /* the last visit cannot be stored (no customer), after everything else was */
  failing->timezone = g_strdup ("UTC");
  broken = g_ptr_array_index (failing->visits, 1);
  g_clear_pointer (&broken->customer, g_free);
  g_assert_false (fl_store_merge_dataset (store, failing, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "visit v-000009"));
  g_clear_error (&error);
  after = store_to_string (store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (g_time_zone_get_identifier (fl_store_get_time_zone (store)), ==,
                   "Asia/Shanghai");
  g_assert_cmpuint (changed, ==, 0);

  /* in a transaction: it dooms the transaction */
  g_assert_true (fl_store_begin (store, &error));
  merge (store, good);
  g_assert_false (fl_store_merge_dataset (store, failing, &error));
  g_clear_error (&error);
  g_assert_false (fl_store_commit (store, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_STORE);
  g_clear_error (&error);
  fl_store_rollback (store);
  g_clear_pointer (&after, g_free);
  after = store_to_string (store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (changed, ==, 0);

  /* the same without the failure */
  g_assert_true (fl_store_begin (store, &error));
  merge (store, good);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_true (fl_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (fl_store_count (store, "reps"), ==, 3);

  /* a transaction rolled back: nothing */
  g_assert_true (fl_store_begin (store, &error));
  g_assert_true (fl_store_begin (store, &error));
  merge_json (store, "{\"reps\": [{\"id\": \"r-010\", \"name\": \"n\", \"region\": \"330100\"}]}");
  g_assert_true (fl_store_commit (store, &error));
  g_assert_true (fl_store_set_meta (store, "cursor", "42", &error));
  fl_store_rollback (store);
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_count (store, "reps"), ==, 3);
  g_assert_null (fl_store_dup_meta (store, "cursor"));
  g_assert_cmpuint (changed, ==, 1);
}

static void
test_meta (void)
{
  g_autoptr(FlStore) store = fl_store_open (NULL, NULL);
  g_autoptr(FlDataset) header = _fl_dataset_new_fragment ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_null (fl_store_dup_meta (store, "cursor"));
  g_assert_true (fl_store_set_meta (store, "cursor", "abc", &error));
  g_assert_no_error (error);
  value = fl_store_dup_meta (store, "cursor");
  g_assert_cmpstr (value, ==, "abc");
  g_assert_true (fl_store_set_meta (store, "cursor", NULL, &error));
  g_assert_null (fl_store_dup_meta (store, "cursor"));
  g_assert_true (fl_store_set_meta (store, "cursor", NULL, &error));
  g_assert_no_error (error);

  /* the header of a page fills in the dataset's settings */
  g_assert_true (fl_store_is_empty (store));
  header->timezone = g_strdup ("Asia/Shanghai");
  header->province_code = g_strdup ("330000");
  header->province_name = g_strdup ("浙江省");
  merge (store, header);
  g_assert_false (fl_store_is_empty (store));
  g_assert_cmpstr (g_time_zone_get_identifier (fl_store_get_time_zone (store)), ==,
                   "Asia/Shanghai");
  g_assert_cmpstr (fl_store_get_province_name (store), ==, "浙江省");

  g_free (header->timezone);
  header->timezone = g_strdup ("Mars/Olympus");
  g_assert_false (fl_store_merge_dataset (store, header, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
  g_assert_cmpstr (g_time_zone_get_identifier (fl_store_get_time_zone (store)), ==,
                   "Asia/Shanghai");
}

/* A new time zone moves the pitches' weeks. */
static void
test_merge_time_zone (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(FlDataset) header = _fl_dataset_new_fragment ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 start = query_int (store, "SELECT start FROM visits WHERE id = 'v-000003'");

  header->timezone = g_strdup ("UTC");
  merge (store, header);
  g_assert_cmpint (query_int (store, "SELECT week FROM pitches WHERE visit = "
                                     "(SELECT rowid FROM visits WHERE id = 'v-000003')"),
                   ==, fl_iso_week_start (start, utc));
}

/* (fl-dataset.h has no autoptr for FlAction) */
typedef FlAction TestAction;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestAction, fl_action_free)

static FlAction *
new_action (const char *id,
            const char *alert)
{
  FlAction *action = g_new0 (FlAction, 1);

  action->id = g_strdup (id);
  action->alert = g_strdup (alert);
  action->kind = FL_ACTION_CALL_TODAY;
  action->created = NOW;
  action->created_by = g_strdup ("m-zhang");
  return action;
}

static void
test_outbox (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(TestAction) a = new_action ("a-1", "churn:c-0001:v-000002");
  g_autoptr(TestAction) b = new_action ("a-2", "stall:o-0001:1");
  g_autoptr(TestAction) c = new_action ("a-3", "gap:330700:dairy:2026-W47");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pulled = NULL;
  const guint all = (1 << FL_OUTBOX_QUEUED) | (1 << FL_OUTBOX_SENT) |
                    (1 << FL_OUTBOX_ACCEPTED) | (1 << FL_OUTBOX_REJECTED);
  FlOutboxEntry *entry;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_cmpstr (fl_outbox_state_to_string (FL_OUTBOX_REJECTED), ==, "rejected");

  g_assert_true (fl_store_queue_action (store, a, NOW + 5, &error));
  g_assert_true (fl_store_queue_action (store, b, NOW + 6, &error));
  g_assert_true (fl_store_queue_action (store, c, NOW + 7, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 5);
  g_assert_cmpint (fl_store_count (store, "outbox"), ==, 3);

  /* the same id again */
  g_assert_false (fl_store_queue_action (store, a, NOW, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (fl_store_count (store, "outbox"), ==, 3);

  entries = fl_store_list_outbox (store, all, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->action->id, ==, "a-1");
  g_assert_cmpstr (entry->action->alert, ==, "churn:c-0001:v-000002");
  g_assert_cmpint (entry->action->kind, ==, FL_ACTION_CALL_TODAY);
  g_assert_cmpint (entry->action->created, ==, NOW);
  g_assert_cmpstr (entry->action->created_by, ==, "m-zhang");
  g_assert_cmpint (entry->state, ==, FL_OUTBOX_QUEUED);
  g_assert_cmpint (entry->attempts, ==, 0);
  g_assert_cmpint (entry->not_before, ==, NOW + 5);
  g_assert_null (entry->reason);
  g_assert_cmpstr (((FlOutboxEntry *) g_ptr_array_index (entries, 2))->action->id, ==, "a-3");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* undo while queued */
  g_assert_true (fl_store_unqueue_action (store, "a-1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 4);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 4);
  g_assert_cmpint (fl_store_count (store, "outbox"), ==, 2);
  g_assert_false (fl_store_unqueue_action (store, "a-1", &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* sent: too late to undo */
  g_assert_true (fl_store_update_outbox (store, "a-2", FL_OUTBOX_SENT, 1, NOW + 60, NULL, NULL,
                                         &error));
  g_assert_no_error (error);
  g_assert_false (fl_store_unqueue_action (store, "a-2", &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 4);
  g_assert_false (fl_store_update_outbox (store, "a-9", FL_OUTBOX_SENT, 1, 0, NULL, NULL,
                                          &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* rejected: the action goes, its entry stays with the reason */
  g_assert_true (fl_store_update_outbox (store, "a-2", FL_OUTBOX_REJECTED, 2, 0,
                                         "already_actioned", "Already actioned by li.",
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 5);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM actions WHERE id = 'a-2'"), ==, 0);
  entries = fl_store_list_outbox (store, 1 << FL_OUTBOX_REJECTED, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->action->id, ==, "a-2");
  g_assert_cmpstr (entry->action->alert, ==, "stall:o-0001:1");
  g_assert_cmpint (entry->state, ==, FL_OUTBOX_REJECTED);
  g_assert_cmpint (entry->attempts, ==, 2);
  g_assert_cmpstr (entry->reason_code, ==, "already_actioned");
  g_assert_cmpstr (entry->reason, ==, "Already actioned by li.");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* accepted, then pulled back from the server: still one action */
  g_assert_true (fl_store_update_outbox (store, "a-3", FL_OUTBOX_ACCEPTED, 1, 0, NULL, NULL,
                                         &error));
  g_assert_no_error (error);
  pulled = g_strdup_printf ("{\"actions\": [{\"id\": \"a-3\", \"alert\": \"%s\","
                            " \"kind\": \"call_today\", \"created\": \"2026-11-23T09:00:00+08:00\","
                            " \"created_by\": \"zhang\"}]}", c->alert);
  merge_json (store, pulled);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM actions WHERE id = 'a-3'"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM actions WHERE alert = "
                                     "'gap:330700:dairy:2026-W47'"), ==, 1);
  entries = fl_store_list_outbox (store, (1 << FL_OUTBOX_QUEUED) | (1 << FL_OUTBOX_SENT),
                                  &error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = fl_store_list_outbox (store, all, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((FlOutboxEntry *) g_ptr_array_index (entries, 0))->action->id, ==, "a-2");

  /* the outbox survives an import */
  g_clear_pointer (&entries, g_ptr_array_unref);
  {
    g_autoptr(FlDataset) dataset = load_fixture ();

    g_assert_true (fl_store_import_dataset (store, dataset, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (fl_store_count (store, "outbox"), ==, 2);
}

/* The start of a pull from scratch: everything but the unsent actions goes,
 * one DELETE per table, in the caller's transaction. */
static void
test_clear_synced (void)
{
  g_autoptr(FlStore) store = open_with_fixture ();
  g_autoptr(TestAction) a = new_action ("a-1", "churn:c-0001:v-000002");
  g_autoptr(TestAction) b = new_action ("a-2", "stall:o-0001:1");
  g_autoptr(TestAction) c = new_action ("a-3", "gap:330700:dairy:2026-W47");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char * const emptied[] = {
    "regions", "reps", "categories", "products", "customers", "health", "visits", "pitches",
    "opportunities", "pilots", "cases", "customer_visits",
  };
  const char triggers_sql[] =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
    "AND name GLOB 'visits_summary_*'";
  gint64 n_triggers;
  guint changed = 0;

  g_assert_true (fl_store_queue_action (store, a, NOW, &error));
  g_assert_true (fl_store_queue_action (store, b, NOW, &error));
  g_assert_true (fl_store_queue_action (store, c, NOW, &error));
  g_assert_true (fl_store_update_outbox (store, "a-2", FL_OUTBOX_SENT, 1, NOW, NULL, NULL,
                                         &error));
  g_assert_true (fl_store_update_outbox (store, "a-3", FL_OUTBOX_ACCEPTED, 1, NOW, NULL, NULL,
                                         &error));
  g_assert_no_error (error);
  g_assert_true (fl_store_set_meta (store, "sync.cursor", "c-1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (_fl_store_get_db (store),
                                 "INSERT INTO weekly_lists VALUES ('2026-W48', 1, '{}')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (fl_store_count (store, "visits"), >, 0);
  g_assert_cmpint (fl_store_count (store, "actions"), ==, 5);
  n_triggers = query_int (store, triggers_sql);
  g_assert_cmpint (n_triggers, ==, 3);
  before = store_to_string (store);
  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);

  /* rolled back with the caller's transaction: nothing happened */
  g_assert_true (fl_store_begin (store, &error));
  g_assert_true (fl_store_clear_synced (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_count (store, "visits"), ==, 0);
  fl_store_rollback (store);
  after = store_to_string (store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM weekly_lists"), ==, 1);
  g_assert_cmpuint (changed, ==, 0);

  /* committed: only the queued and the sent action stay */
  g_assert_true (fl_store_begin (store, &error));
  g_assert_true (fl_store_clear_synced (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_true (fl_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (emptied); i++)
    g_assert_cmpint (fl_store_count (store, emptied[i]), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM weekly_lists"), ==, 0);
  g_clear_pointer (&after, g_free);
  after = query_rows (store, "SELECT id FROM actions ORDER BY id");
  g_assert_cmpstr (after, ==, "a-1\na-2\n");
  g_assert_cmpint (fl_store_count (store, "outbox"), ==, 3);
  g_clear_pointer (&after, g_free);
  after = fl_store_dup_meta (store, "sync.cursor");
  g_assert_cmpstr (after, ==, "c-1");
  g_assert_cmpstr (g_time_zone_get_identifier (fl_store_get_time_zone (store)), ==,
                   "Asia/Shanghai");

  /* the visit summary's triggers are back and work */
  g_assert_cmpint (query_int (store, triggers_sql), ==, n_triggers);
  merge_json (store,
              "{\"visits\": [{\"id\": \"v-1\", \"customer\": \"c-1\", \"rep\": \"r-1\","
              " \"start\": \"2026-11-20T09:00:00+08:00\", \"end\": \"2026-11-20T10:00:00+08:00\","
              " \"uploaded\": \"2026-11-20T10:05:00+08:00\", \"pain_keywords\": [],"
              " \"committed_action\": \"x\", \"prev_action_achieved\": null,"
              " \"pitches\": []}]}");
  g_clear_pointer (&after, g_free);
  after = query_rows (store, "SELECT customer, last_id FROM customer_visits");
  g_assert_cmpstr (after, ==, "c-1|v-1\n");

  /* an empty cache: nothing changes, no signal */
  g_assert_true (fl_store_clear_synced (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_true (fl_store_clear_synced (store, &error));
  g_assert_cmpuint (changed, ==, 3);
}

/* A cache written by the version before sync (schema 2) is upgraded. */
static void
test_migrate_v2 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "data", "cache-v2.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlDataset) dataset = load_fixture ();
  g_autoptr(TestAction) action = new_action ("a-1", "churn:c-0001:v-000002");
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = dataset_to_string (dataset);
  g_autofree char *migrated = NULL;
  g_autofree char *triggers = NULL;
  sqlite3 *db = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, 4);
  g_assert_cmpint (FL_STORE_SCHEMA_VERSION, ==, 4);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM weekly_lists"), ==, 0);
  migrated = store_to_string (store);
  g_assert_cmpstr (migrated, ==, expected);
  g_assert_cmpint (fl_store_count (store, "pitches"), ==, 4);
  g_assert_cmpint (fl_store_count (store, "customer_visits"), ==, 2);
  triggers = query_rows (store, "SELECT name FROM sqlite_schema WHERE type = 'trigger' "
                                "ORDER BY name");
  g_assert_cmpstr (triggers, ==,
                   "visits_summary_delete\nvisits_summary_insert\nvisits_summary_update\n");

  /* pitches may now wait for their rep; the outbox works */
  merge_json (store, "{\"visits\": [" LATE_VISIT ("v-late", "r-late", "p-late") "]}");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pitches WHERE region IS NULL"), ==,
                   2);
  g_assert_true (fl_store_queue_action (store, action, NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_count (store, "outbox"), ==, 1);

  /* the summary is kept by the new triggers */
  merge_json (store, CHURN_VISIT ("v-000010", "2026-11-22T10:00:00+08:00", "false"));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM customer_visits WHERE "
                                     "customer = 'c-0001' AND last_id = 'v-000010' AND "
                                     "before_id = 'v-000002'"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sync-store/kinds", test_kinds);
  g_test_add_func ("/sync-store/fragment-load", test_fragment_load);
  g_test_add_func ("/sync-store/fragment-invalid", test_fragment_invalid);
  g_test_add_func ("/sync-store/fragment-round-trip", test_fragment_round_trip);
  g_test_add_func ("/sync-store/fragment-fast", test_fragment_fast);
  g_test_add_func ("/sync-store/merge", test_merge);
  g_test_add_func ("/sync-store/merge-unchanged", test_merge_unchanged);
  g_test_add_func ("/sync-store/merge-late-references", test_merge_late_references);
  g_test_add_func ("/sync-store/merge-time-zone", test_merge_time_zone);
  g_test_add_func ("/sync-store/delete", test_delete);
  g_test_add_func ("/sync-store/export-entities", test_export_entities);
  g_test_add_func ("/sync-store/rules-after-merge", test_rules_after_merge);
  g_test_add_func ("/sync-store/rules-paged-merge", test_rules_paged_merge);
  g_test_add_func ("/sync-store/bulk-merge", test_bulk_merge);
  g_test_add_func ("/sync-store/bulk-rollback", test_bulk_rollback);
  g_test_add_func ("/sync-store/rollback", test_rollback);
  g_test_add ("/sync-store/reload-meta", Fixture, NULL, fixture_set_up, test_reload_meta,
              fixture_tear_down);
  g_test_add ("/sync-store/bulk-load", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_bulk_load, fixture_tear_down);
  g_test_add ("/sync-store/bulk-load-crash", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_bulk_load, fixture_tear_down);
  g_test_add_func ("/sync-store/meta", test_meta);
  g_test_add_func ("/sync-store/outbox", test_outbox);
  g_test_add_func ("/sync-store/clear-synced", test_clear_synced);
  g_test_add ("/sync-store/migrate-v2", Fixture, NULL, fixture_set_up, test_migrate_v2,
              fixture_tear_down);

  return g_test_run ();
}
