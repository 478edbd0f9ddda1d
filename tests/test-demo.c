/* test-demo.c — the deterministic demo data generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib.h>

#include "fl-core.h"
#include "fl-test-data.h"

/* Monday morning, and the Monday after the Chinese-new-year-ish lull */
#define NOW_NOV "2026-11-23T09:00:00+08:00"
#define NOW_MAR "2026-03-02T10:00:00+08:00"

static FlDataset *
generate (guint64     seed,
          const char *now,
          double      scale)
{
  g_autoptr(GError) error = NULL;
  FlDataset *ds = fl_demo_generate (seed, fl_test_time (now), scale, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

static GBytes *
to_bytes (FlDataset *ds)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = fl_dataset_write_to_bytes (ds, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

/* Determinism */

static void
test_demo_deterministic (void)
{
  g_autoptr(FlDataset) a = generate (FL_DEMO_DEFAULT_SEED, NOW_NOV, 0.1);
  g_autoptr(FlDataset) b = generate (FL_DEMO_DEFAULT_SEED, NOW_NOV, 0.1);
  g_autoptr(FlDataset) c = generate (FL_DEMO_DEFAULT_SEED + 1, NOW_NOV, 0.1);
  g_autoptr(FlDataset) d = generate (FL_DEMO_DEFAULT_SEED, NOW_MAR, 0.1);
  g_autoptr(GBytes) ba = to_bytes (a);
  g_autoptr(GBytes) bb = to_bytes (b);
  g_autoptr(GBytes) bc = to_bytes (c);
  g_autoptr(GBytes) bd = to_bytes (d);

  g_assert_cmpuint (g_bytes_get_size (ba), >, 100000);
  g_assert_true (g_bytes_equal (ba, bb));
  g_assert_false (g_bytes_equal (ba, bc));
  g_assert_false (g_bytes_equal (ba, bd));

  /* a different seed changes the people and stores, not just a detail */
  g_assert_cmpstr (((FlRep *) a->reps->pdata[0])->name, ==, ((FlRep *) b->reps->pdata[0])->name);
  g_assert_cmpuint (a->visits->len, ==, b->visits->len);
}

static void
test_demo_bad_scale (void)
{
  const double bad[] = { 0.0, -1.0, 1e9, NAN, INFINITY };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      FlDataset *ds = fl_demo_generate (1, fl_test_time (NOW_NOV), bad[i], &error);

      g_assert_null (ds);
      g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
    }
}

/* Content at scale 1 */

static GHashTable *
index_by_id (GPtrArray *array)
{
  GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

  /* every entity struct starts with its char *id (regions: code) */
  for (guint i = 0; i < array->len; i++)
    g_hash_table_insert (table, *(char **) g_ptr_array_index (array, i),
                         g_ptr_array_index (array, i));
  return table;
}

static void
check_content (FlDataset *ds,
               gint64     now,
               double     scale)
{
  g_autoptr(GTimeZone) tz = fl_dataset_get_time_zone (ds);
  g_autoptr(GHashTable) regions = index_by_id (ds->regions);
  g_autoptr(GHashTable) reps = index_by_id (ds->reps);
  g_autoptr(GHashTable) customers = index_by_id (ds->customers);
  g_autoptr(GHashTable) rep_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) store_names = g_hash_table_new (g_str_hash, g_str_equal);
  gint32 today = fl_day_of (now, tz);
  gint64 week_start = fl_iso_week_start (now, tz);
  gint32 monday = fl_day_of (week_start, tz);
  guint tiers[3] = { 0 }, on_time = 0, achieved[3] = { 0 }, pitched = 0, signed_ = 0;
  guint ending_this_week = 0, cases_per_category[FL_N_ALERT_CATEGORIES] = { 0 };
  guint kinds_resolved[FL_N_ACTION_KINDS] = { 0 }, n_kinds = 0;

  g_assert_cmpstr (ds->timezone, ==, "Asia/Shanghai");
  g_assert_cmpstr (ds->province_code, ==, "330000");
  g_assert_cmpstr (ds->province_name, ==, "浙江省");
  g_assert_cmpuint (ds->regions->len, ==, 11);
  g_assert_cmpuint (ds->categories->len, ==, 6);
  g_assert_cmpuint (ds->products->len, >=, 25);
  g_assert_cmpuint (ds->pilots->len, >=, 5);
  g_assert_cmpuint (ds->actions->len, >=, 1);

  for (guint i = 0; i < ds->regions->len; i++)
    {
      FlRegion *r = g_ptr_array_index (ds->regions, i);

      g_assert_true (r->has_label_point);
      g_assert_true (fl_geometry_contains (r->geometry, r->label_point.x, r->label_point.y));
    }

  /* reps: unique names, mobile numbers, every region has a team */
  for (guint i = 0; i < ds->reps->len; i++)
    {
      FlRep *rep = g_ptr_array_index (ds->reps, i);

      g_assert_nonnull (g_hash_table_lookup (regions, rep->region));
      g_assert_true (g_hash_table_add (rep_names, rep->name));
      g_assert_cmpuint (g_utf8_strlen (rep->name, -1), >=, 2);
      g_assert_nonnull (rep->phone);
      g_assert_cmpuint (strlen (rep->phone), ==, 11);
      g_assert_cmpint (rep->phone[0], ==, '1');
    }

  /* customers: in their region, owned by a rep of that region */
  for (guint i = 0; i < ds->customers->len; i++)
    {
      FlCustomer *c = g_ptr_array_index (ds->customers, i);
      FlRegion *r = g_hash_table_lookup (regions, c->region);
      FlRep *owner = g_hash_table_lookup (reps, c->owner_rep);

      g_assert_nonnull (r);
      g_assert_nonnull (owner);
      g_assert_cmpstr (owner->region, ==, c->region);
      g_assert_true (g_hash_table_add (store_names, c->name));
      g_assert_true (c->has_location);
      g_assert_true (fl_geometry_contains (r->geometry, c->lon, c->lat));
      g_assert_true (c->tier >= 'A' && c->tier <= 'C');
      tiers[c->tier - 'A']++;
      g_assert_cmpfloat (c->revenue_90d, >, 0);
      g_assert_cmpuint (c->health->len, >=, 4);
      for (guint w = 0; w < c->health->len; w++)
        for (guint d = 0; d < FL_N_HEALTH_DIMENSIONS; d++)
          {
            int s = g_array_index (c->health, FlHealth, w).scores[d];

            g_assert_cmpint (s, >=, 0);
            g_assert_cmpint (s, <=, 100);
          }
    }
  g_assert_cmpfloat ((double) tiers[0] / ds->customers->len, >, 0.10);
  g_assert_cmpfloat ((double) tiers[0] / ds->customers->len, <, 0.20);
  g_assert_cmpfloat ((double) tiers[2] / ds->customers->len, >, 0.42);
  g_assert_cmpfloat ((double) tiers[2] / ds->customers->len, <, 0.58);

  /* visits: working hours, Monday–Saturday, 15–60 min, in the 12 weeks before now */
  for (guint i = 0; i < ds->visits->len; i++)
    {
      FlVisit *v = g_ptr_array_index (ds->visits, i);
      FlCustomer *c = g_hash_table_lookup (customers, v->customer);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (v->start);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
      gint64 minutes = (v->end - v->start) / 60;
      int hour = g_date_time_get_hour (local);

      g_assert_cmpint (g_date_time_get_day_of_week (local), !=, 7);
      g_assert_nonnull (c);
      g_assert_cmpstr (((FlRep *) g_hash_table_lookup (reps, v->rep))->region, ==, c->region);
      g_assert_cmpint (hour, >=, 8);
      g_assert_cmpint (hour, <, 22);
      g_assert_cmpint (minutes, >=, 15);
      g_assert_cmpint (minutes, <=, 60);
      g_assert_cmpint (v->start, <, now);
      g_assert_cmpint (fl_day_of (v->start, tz), >=, today - 84);
      g_assert_cmpint (v->uploaded, >=, v->end);
      g_assert_cmpint (v->uploaded, <=, now);
      on_time += v->uploaded - v->end <= 2 * 3600;
      g_assert_nonnull (v->committed_action);
      g_assert_cmpstr (v->committed_action, !=, "");
      achieved[v->prev_action_achieved + 1]++;
      g_assert_cmpuint (v->pitches->len, <=, 3);
      for (guint k = 0; k < v->pitches->len; k++)
        {
          pitched++;
          signed_ += g_array_index (v->pitches, FlPitch, k).is_signed;
        }
      if (i > 0)
        g_assert_cmpint (((FlVisit *) g_ptr_array_index (ds->visits, i - 1))->start, <=, v->start);
    }
  g_assert_cmpfloat ((double) on_time / ds->visits->len, >, 0.9);
  /* null: first visit or nothing committed; false: ~10 % */
  g_assert_cmpfloat ((double) achieved[0] / ds->visits->len, >, 0.03);
  g_assert_cmpfloat ((double) achieved[1] / ds->visits->len, >, 0.05);
  g_assert_cmpfloat ((double) achieved[1] / ds->visits->len, <, 0.2);
  g_assert_cmpfloat ((double) achieved[2] / ds->visits->len, >, 0.7);
  g_assert_cmpfloat ((double) signed_ / pitched, >, 0.2);
  g_assert_cmpfloat ((double) signed_ / pitched, <, 0.45);

  for (guint i = 0; i < ds->opportunities->len; i++)
    {
      FlOpportunity *o = g_ptr_array_index (ds->opportunities, i);

      g_assert_nonnull (g_hash_table_lookup (customers, o->customer));
      g_assert_cmpfloat (o->value, >=, 5000);
      g_assert_cmpfloat (o->value, <=, 300000);
      g_assert_cmpint (o->last_progress, <=, now);
    }

  for (guint i = 0; i < ds->pilots->len; i++)
    {
      FlPilot *p = g_ptr_array_index (ds->pilots, i);
      gint32 last = p->start + 13;

      g_assert_cmpuint (g_strv_length (p->regions), >=, 1);
      ending_this_week += last >= monday && last < monday + 7;
    }
  g_assert_cmpuint (ending_this_week, >=, 1);

  for (guint i = 0; i < ds->cases->len; i++)
    {
      FlCase *c = g_ptr_array_index (ds->cases, i);

      g_assert_cmpint (c->closed, <, now);
      g_assert_nonnull (g_hash_table_lookup (regions, c->region));
      cases_per_category[c->category]++;
      kinds_resolved[c->action_kind] += c->resolved_within_14d;
    }
  for (guint k = 0; k < FL_N_ACTION_KINDS; k++)
    n_kinds += kinds_resolved[k] > 0;
  for (guint k = 0; k < FL_N_ALERT_CATEGORIES; k++)
    g_assert_cmpuint (cases_per_category[k], >, ds->cases->len / 10);
  g_assert_cmpuint (n_kinds, ==, FL_N_ACTION_KINDS);

  for (guint i = 0; i < ds->actions->len; i++)
    {
      FlAction *a = g_ptr_array_index (ds->actions, i);

      g_assert_cmpuint (strlen (a->id), ==, 36);
      g_assert_cmpint (a->created, <=, now);
      g_assert_cmpstr (a->created_by, ==, "m-zhang");
    }

  if (scale == 1.0)
    {
      g_assert_cmpuint (ds->reps->len, ==, 217);
      g_assert_cmpuint (ds->customers->len, ==, 2500);
      g_assert_cmpuint (ds->visits->len, >=, 45000);
      g_assert_cmpuint (ds->visits->len, <=, 55000);
      g_assert_cmpuint (ds->opportunities->len, ==, 500);
      g_assert_cmpuint (ds->cases->len, ==, 300);
    }
}

static void
test_demo_content (void)
{
  g_autoptr(FlDataset) ds = generate (FL_DEMO_DEFAULT_SEED, NOW_NOV, 1.0);

  check_content (ds, fl_test_time (NOW_NOV), 1.0);
}

static void
test_demo_content_small (void)
{
  g_autoptr(FlDataset) ds = generate (7, NOW_MAR, 0.1);

  check_content (ds, fl_test_time (NOW_MAR), 0.1);
  g_assert_cmpuint (ds->customers->len, ==, 250);
  g_assert_cmpuint (ds->visits->len, >=, 4500);
  g_assert_cmpuint (ds->visits->len, <=, 5500);
}

/* The full reader accepts what the generator writes: every reference resolves. */
static void
test_demo_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = generate (FL_DEMO_DEFAULT_SEED, NOW_NOV, 1.0);
  g_autoptr(GBytes) bytes = to_bytes (ds);
  g_autoptr(FlDataset) back = NULL;
  g_autoptr(GBytes) again = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  back = fl_dataset_load_from_data (data, size, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpuint (back->visits->len, ==, ds->visits->len);
  g_assert_cmpuint (back->customers->len, ==, ds->customers->len);
  g_assert_cmpuint (back->cases->len, ==, ds->cases->len);
  g_assert_cmpuint (back->actions->len, ==, ds->actions->len);

  /* and round-trips unchanged */
  again = to_bytes (back);
  g_assert_true (g_bytes_equal (bytes, again));
}

/* The colour mix under the real rules */

typedef struct
{
  guint count[3];
  guint max_pending;
  guint actioned;
} Mix;

static void
evaluate_mix (FlDataset *ds,
              gint64     now,
              Mix       *mix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (NULL, &error);
  g_autoptr(FlEvaluation) ev = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  FlRuleSettings settings;

  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (store, ds, &error));
  g_assert_no_error (error);
  fl_rule_settings_init_default (&settings);
  ev = fl_rules_evaluate (store, now, &settings, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ev);
  g_assert_cmpuint (ev->regions->len, ==, 11);

  memset (mix, 0, sizeof *mix);
  for (guint i = 0; i < ev->regions->len; i++)
    {
      FlRegionState *rs = g_ptr_array_index (ev->regions, i);
      g_autoptr(GPtrArray) all = fl_evaluation_region_alerts (ev, rs->code, FALSE);

      mix->count[rs->status]++;
      mix->max_pending = MAX (mix->max_pending, rs->n_pending);
      g_string_append_printf (line, " %s=%s(%u/%u/%u)", rs->code,
                              fl_region_status_to_string (rs->status),
                              rs->pending[0], rs->pending[1], rs->pending[2]);
      /* green means no alert of any kind, not just none pending */
      if (rs->status == FL_STATUS_GREEN)
        g_assert_cmpuint (all->len, ==, 0);
    }
  for (guint i = 0; i < ev->alerts->len; i++)
    mix->actioned += ((FlAlert *) g_ptr_array_index (ev->alerts, i))->actioned;
  g_test_message ("mix at %" G_GINT64_FORMAT ": %u green, %u yellow, %u red;%s",
                  now, mix->count[0], mix->count[1], mix->count[2], line->str);
}

static void
check_mix (const char *now_str,
           double      scale,
           guint       max_pending)
{
  g_autoptr(FlDataset) ds = generate (FL_DEMO_DEFAULT_SEED, now_str, scale);
  Mix mix;

  evaluate_mix (ds, fl_test_time (now_str), &mix);
  g_assert_cmpuint (mix.count[FL_STATUS_GREEN], >=, 2);
  g_assert_cmpuint (mix.count[FL_STATUS_YELLOW], >=, 2);
  g_assert_cmpuint (mix.count[FL_STATUS_RED], >=, 2);
  g_assert_cmpuint (mix.max_pending, <=, max_pending);
  /* some alerts were already handled by the manager's actions */
  g_assert_cmpuint (mix.actioned, >=, 1);
}

static void
test_demo_mix_november (void)
{
  check_mix (NOW_NOV, 1.0, 20);
}

static void
test_demo_mix_march (void)
{
  check_mix (NOW_MAR, 1.0, 20);
}

static void
test_demo_mix_small (void)
{
  check_mix (NOW_NOV, 0.1, 10);
}

static void
test_demo_mix_other_seeds (void)
{
  for (guint64 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(FlDataset) ds = generate (seed, NOW_NOV, 0.5);
      Mix mix;

      evaluate_mix (ds, fl_test_time (NOW_NOV), &mix);
      g_assert_cmpuint (mix.count[FL_STATUS_GREEN], >=, 2);
      g_assert_cmpuint (mix.count[FL_STATUS_YELLOW], >=, 2);
      g_assert_cmpuint (mix.count[FL_STATUS_RED], >=, 2);
    }
}

/* Scale 20 (1,000,000 visits): only with -m perf */
static void
test_demo_perf (void)
{
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(FlDataset) ds = NULL;
  double seconds;

  if (!g_test_perf ())
    {
      g_test_skip ("run with -m perf");
      return;
    }
  timer = g_timer_new ();
  ds = generate (FL_DEMO_DEFAULT_SEED, NOW_NOV, 20.0);
  seconds = g_timer_elapsed (timer, NULL);
  g_test_minimized_result (seconds, "scale 20: %u visits, %u customers, %u opportunities in %.2f s",
                           ds->visits->len, ds->customers->len, ds->opportunities->len, seconds);
  g_assert_cmpuint (ds->visits->len, >=, 900000);
  g_assert_cmpuint (ds->customers->len, ==, 50000);
  g_assert_cmpuint (ds->opportunities->len, ==, 10000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/demo/deterministic", test_demo_deterministic);
  g_test_add_func ("/demo/bad-scale", test_demo_bad_scale);
  g_test_add_func ("/demo/content", test_demo_content);
  g_test_add_func ("/demo/content-small", test_demo_content_small);
  g_test_add_func ("/demo/valid", test_demo_valid);
  g_test_add_func ("/demo/mix/november", test_demo_mix_november);
  g_test_add_func ("/demo/mix/march", test_demo_mix_march);
  g_test_add_func ("/demo/mix/small", test_demo_mix_small);
  g_test_add_func ("/demo/mix/other-seeds", test_demo_mix_other_seeds);
  g_test_add_func ("/demo/perf/scale-20", test_demo_perf);

  return g_test_run ();
}
