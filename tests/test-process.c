/* test-process.c — the customers' problems of the week and process health (SPEC §7)
 *
 * The process runs with TZ=UTC; weeks are the dataset's (Asia/Shanghai).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <locale.h>
#include <glib.h>

#include "fl-core.h"
#include "fl-test-data.h"

#define DAY G_GINT64_CONSTANT (86400)
#define NOW_TEXT "2026-11-23T09:00:00+08:00"

/* Dataset builders */

/* A snapshot @weeks_back weeks before the week of @now (negative: after it)
 * whose five plain dimensions are @plain and competitor_penetration @competitor. */
static void
add_health (FlCustomer *customer,
            gint64      now,
            int         weeks_back,
            int         plain,
            int         competitor)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autofree char *week = fl_iso_week_format (now - weeks_back * 7 * DAY, tz);
  FlHealth *health = fl_test_add_health (customer, week, plain);

  health->scores[2] = competitor;   /* competitor_penetration */
}

/* A visit of 30 min at @start, uploaded @upload_delay seconds after its end. */
static void
add_visit (FlDataset   *d,
           const char  *id,
           const char  *customer,
           const char  *rep,
           gint64       start,
           gint64       upload_delay,
           FlAchieved   achieved,
           const char  *keywords)
{
  FlVisit *visit = fl_test_add_visit (d, id, customer, rep, start, achieved);

  visit->uploaded = visit->end + upload_delay;
  fl_test_visit_set_keywords (visit, keywords);
}

/* 330100: four customers with visits; 330700: one; 330200: nobody.
 *
 * Visits in (now − 7 d, now] at 330100: a (at now), c (7 d − 1 s before), e (1 d before);
 * b (exactly 7 d before) and f (1 s after now) are outside. Keywords in the window:
 * 330100 delivery 2, stock 2, 价格 1; 330700 价格 1, delivery 1.
 * Upload within 2 h at 330100: a (1 h), e (exactly 2 h) yes, c (2 h + 1 s) no → 2/3.
 * Key actions at 330100: a true, c false, e true → 2/3; at 330700 only null → no data.
 *
 * Health, last 4 snapshots up to the week of now:
 *   c1 rising (an older high and a later fall ignored) → improved;
 *   c2 plain flat, competitor_penetration falling → improved (inverted);
 *   c3 plain flat, competitor_penetration rising → not;
 *   c4 three snapshots only → not in the sample;
 *   c6 flat (a tie is not an improvement) → not;
 *   c5 (330700) rising → improved.
 * 330100: 2/4 = 50 %; 330700: 1/1; province: 3/5. */
static FlStore *
new_store (gint64 now)
{
  g_autoptr(FlDataset) d = fl_test_dataset_new ();
  FlCustomer *c;

  fl_test_add_region (d, "330100", "杭州市");
  fl_test_add_region (d, "330700", "金华市");
  fl_test_add_region (d, "330200", "宁波市");
  fl_test_add_rep (d, "r-hz", "330100");
  fl_test_add_rep (d, "r-jh", "330700");

  c = fl_test_add_customer (d, "c1", NULL, "330100", "r-hz", 'A', 1000.0);
  add_health (c, now, 4, 90, 10);
  for (int w = 3; w >= 0; w--)
    add_health (c, now, w, 60 - 5 * w, 30);
  add_health (c, now, -1, 10, 90);
  c = fl_test_add_customer (d, "c2", NULL, "330100", "r-hz", 'A', 1000.0);
  for (int w = 3; w >= 0; w--)
    add_health (c, now, w, 50, 10 + 10 * w);
  c = fl_test_add_customer (d, "c3", NULL, "330100", "r-hz", 'A', 1000.0);
  for (int w = 3; w >= 0; w--)
    add_health (c, now, w, 50, 50 - 10 * w);
  c = fl_test_add_customer (d, "c4", NULL, "330100", "r-hz", 'A', 1000.0);
  for (int w = 2; w >= 0; w--)
    add_health (c, now, w, 50 - 10 * w, 30);
  c = fl_test_add_customer (d, "c6", NULL, "330100", "r-hz", 'A', 1000.0);
  for (int w = 3; w >= 0; w--)
    add_health (c, now, w, 50, 30);
  c = fl_test_add_customer (d, "c5", NULL, "330700", "r-jh", 'A', 1000.0);
  for (int w = 3; w >= 0; w--)
    add_health (c, now, w, 60 - 5 * w, 30);

  add_visit (d, "a", "c1", "r-hz", now, 3600, FL_ACHIEVED_TRUE, "stock,价格");
  add_visit (d, "b", "c2", "r-hz", now - 7 * DAY, 0, FL_ACHIEVED_FALSE, "价格,价格x");
  add_visit (d, "c", "c2", "r-hz", now - 7 * DAY + 1, 7201, FL_ACHIEVED_FALSE, "stock,delivery");
  add_visit (d, "e", "c3", "r-hz", now - DAY, 7200, FL_ACHIEVED_TRUE, "delivery");
  add_visit (d, "f", "c3", "r-hz", now + 1, 0, FL_ACHIEVED_FALSE, "价格x");
  add_visit (d, "g", "c5", "r-jh", now - 3600, 0, FL_ACHIEVED_NULL, "价格,delivery");

  return fl_test_import (d);
}

static void
assert_problem (GPtrArray  *problems,
                guint       i,
                const char *keyword,
                guint       count)
{
  const FlProblemCount *problem;

  g_assert_cmpuint (i, <, problems->len);
  problem = g_ptr_array_index (problems, i);
  g_assert_cmpstr (problem->keyword, ==, keyword);
  g_assert_cmpuint (problem->count, ==, count);
}

static void
test_problems (void)
{
  g_autoptr(GError) error = NULL;
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(GPtrArray) region = NULL;
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GPtrArray) province = NULL;
  g_autoptr(GPtrArray) empty = NULL;

  /* ties by keyword: delivery < stock (byte order puts 价格 last) */
  region = fl_process_top_problems (store, "330100", now, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (region->len, ==, 3);
  assert_problem (region, 0, "delivery", 2);
  assert_problem (region, 1, "stock", 2);
  assert_problem (region, 2, "价格", 1);

  two = fl_process_top_problems (store, "330100", now, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (two->len, ==, 2);
  assert_problem (two, 1, "stock", 2);

  /* the province: 价格x (only at b and f) never counts */
  province = fl_process_top_problems (store, NULL, now, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (province->len, ==, 3);
  assert_problem (province, 0, "delivery", 3);
  assert_problem (province, 1, "stock", 2);
  assert_problem (province, 2, "价格", 2);

  empty = fl_process_top_problems (store, "330200", now, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);
}

/* The window's two ends, seen from a moved "now". */
static void
test_problems_window (void)
{
  g_autoptr(GError) error = NULL;
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) earlier = NULL;

  /* one second later: f (now + 1) is in, c (now − 7 d + 1) is out */
  later = fl_process_top_problems (store, "330100", now + 1, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 4);
  assert_problem (later, 3, "价格x", 1);

  /* one second earlier: b (now − 7 d) is in and a (now) is out */
  earlier = fl_process_top_problems (store, "330100", now - 1, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (earlier->len, ==, 4);
  assert_problem (earlier, 0, "delivery", 2);
  assert_problem (earlier, 1, "stock", 1);
  assert_problem (earlier, 2, "价格", 1);
  assert_problem (earlier, 3, "价格x", 1);
}

static void
assert_metric (const FlProcessMetric *m,
               double                 value,
               guint                  sample,
               gboolean               ok)
{
  g_assert_true (m->has_value);
  g_assert_cmpfloat_with_epsilon (m->value, value, 1e-9);
  g_assert_cmpuint (m->sample, ==, sample);
  g_assert_cmpint (m->ok, ==, ok);
}

static void
assert_no_data (const FlProcessMetric *m)
{
  g_assert_false (m->has_value);
  g_assert_false (m->ok);
  g_assert_cmpuint (m->sample, ==, 0);
}

static void
test_health (void)
{
  g_autoptr(GError) error = NULL;
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  FlProcessMetric m[FL_N_PROCESS_METRICS];

  g_assert_true (fl_process_health (store, "330100", now, m, &error));
  g_assert_no_error (error);
  assert_metric (&m[FL_PROCESS_UPLOAD_ON_TIME], 200.0 / 3, 3, FALSE);
  g_assert_cmpfloat (m[FL_PROCESS_UPLOAD_ON_TIME].threshold, ==, 95);
  g_assert_true (m[FL_PROCESS_UPLOAD_ON_TIME].higher_is_better);
  g_assert_cmpstr (m[FL_PROCESS_UPLOAD_ON_TIME].id, ==, "upload_on_time");
  assert_metric (&m[FL_PROCESS_KEY_ACTIONS], 200.0 / 3, 3, FALSE);
  g_assert_cmpfloat (m[FL_PROCESS_KEY_ACTIONS].threshold, ==, 88);
  assert_metric (&m[FL_PROCESS_HEALTH_IMPROVED], 50.0, 4, FALSE);
  g_assert_cmpfloat (m[FL_PROCESS_HEALTH_IMPROVED].threshold, ==, 75);
  assert_no_data (&m[FL_PROCESS_CALL_BACK]);
  assert_no_data (&m[FL_PROCESS_INVENTORY_ERROR]);
  g_assert_false (m[FL_PROCESS_INVENTORY_ERROR].higher_is_better);
  g_assert_cmpfloat (m[FL_PROCESS_INVENTORY_ERROR].threshold, ==, 3);
  assert_no_data (&m[FL_PROCESS_SPEED_UP]);
  for (guint i = 0; i < FL_N_PROCESS_METRICS; i++)
    g_assert_nonnull (m[i].label);

  /* 330700: one visit on time, its key action unknown → no data, not 0 */
  g_assert_true (fl_process_health (store, "330700", now, m, &error));
  g_assert_no_error (error);
  assert_metric (&m[FL_PROCESS_UPLOAD_ON_TIME], 100.0, 1, TRUE);
  assert_no_data (&m[FL_PROCESS_KEY_ACTIONS]);
  assert_metric (&m[FL_PROCESS_HEALTH_IMPROVED], 100.0, 1, TRUE);

  /* the province: + g */
  g_assert_true (fl_process_health (store, NULL, now, m, &error));
  g_assert_no_error (error);
  assert_metric (&m[FL_PROCESS_UPLOAD_ON_TIME], 75.0, 4, FALSE);
  assert_metric (&m[FL_PROCESS_KEY_ACTIONS], 200.0 / 3, 3, FALSE);
  assert_metric (&m[FL_PROCESS_HEALTH_IMPROVED], 60.0, 5, FALSE);

  /* a region with nothing: every metric is "no data" */
  g_assert_true (fl_process_health (store, "330200", now, m, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < FL_N_PROCESS_METRICS; i++)
    assert_no_data (&m[i]);
}

/* The window's ends and the health weeks, seen from a moved "now". */
static void
test_health_window (void)
{
  g_autoptr(GError) error = NULL;
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  FlProcessMetric m[FL_N_PROCESS_METRICS];

  /* now − 1: b (on time, false) in, a (on time, true) out → 2/3 on time, 1/3 achieved */
  g_assert_true (fl_process_health (store, "330100", now - 1, m, &error));
  g_assert_no_error (error);
  assert_metric (&m[FL_PROCESS_UPLOAD_ON_TIME], 200.0 / 3, 3, FALSE);
  assert_metric (&m[FL_PROCESS_KEY_ACTIONS], 100.0 / 3, 3, FALSE);

  /* a week later: c1's last 4 snapshots end with a fall, c2 still rises,
   * c4 still has only 3 → 1/4 */
  g_assert_true (fl_process_health (store, "330100", now + 7 * DAY, m, &error));
  g_assert_no_error (error);
  assert_metric (&m[FL_PROCESS_HEALTH_IMPROVED], 25.0, 4, FALSE);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/process/problems", test_problems);
  g_test_add_func ("/process/problems/window", test_problems_window);
  g_test_add_func ("/process/health", test_health);
  g_test_add_func ("/process/health/window", test_health_window);

  return g_test_run ();
}
