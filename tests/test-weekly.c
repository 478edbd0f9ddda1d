/* test-weekly.c — the weekly key-action list of FORMATS.md §5: sections and
 * counts, week and pilot boundaries, fewer candidates, freezing, CSV
 *
 * The process runs with TZ=UTC: weeks and due times must be those of the
 * dataset's Asia/Shanghai.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <locale.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "fl-core.h"
#include "fl-test-data.h"

#define DAY G_GINT64_CONSTANT (86400)

/* Dataset builders */

/* Customers are in 330700, tier B. */
static void
add_customer (FlDataset  *d,
              const char *id,
              const char *name,
              const char *rep,
              double      revenue_90d)
{
  fl_test_add_customer (d, id, name, "330700", rep, 'B', revenue_90d);
}

/* Visits are r-1's. */
static void
add_visit (FlDataset  *d,
           const char *id,
           const char *customer,
           const char *start,
           FlAchieved  achieved)
{
  fl_test_add_visit (d, id, customer, "r-1", fl_test_time (start), achieved);
}

/* Two missed visits in the week before: a churn alert from Thursday on. */
static void
add_churn_customer (FlDataset  *d,
                    const char *id,
                    const char *name,
                    const char *rep,
                    double      revenue_90d)
{
  g_autofree char *v1 = g_strdup_printf ("v-%s-1", id);
  g_autofree char *v2 = g_strdup_printf ("v-%s-2", id);

  add_customer (d, id, name, rep, revenue_90d);
  add_visit (d, v1, id, "2026-11-16T10:00:00+08:00", FL_ACHIEVED_FALSE);
  add_visit (d, v2, id, "2026-11-19T10:00:00+08:00", FL_ACHIEVED_FALSE);
}

/* Opportunities last progressed on Friday 2026-11-20. */
static void
add_opportunity (FlDataset  *d,
                 const char *id,
                 const char *customer,
                 double      value,
                 FlStage     stage,
                 gboolean    custom_requirement)
{
  fl_test_add_opportunity (d, id, customer, value, stage, custom_requirement,
                           fl_test_time ("2026-11-20T10:00:00+08:00"));
}

/* A pilot in 330700 whose last day (start + 13) is @last_day. */
static void
add_pilot (FlDataset  *d,
           const char *id,
           const char *title,
           const char *last_day,
           const char *owner)
{
  fl_test_add_pilot (d, id, title, fl_test_date (last_day) - 13, owner, "330700");
}

static FlDataset *
new_dataset (void)
{
  FlDataset *d = fl_test_dataset_new ();

  fl_test_add_region (d, "330700", "金华市");
  fl_test_add_region (d, "330100", "杭州市");
  fl_test_add_rep (d, "r-1", "330700");
  fl_test_add_rep (d, "r-2", "330700");
  fl_test_add_rep (d, "r-3", "330100");
  return d;
}

/* The week of Monday 2026-11-23 (2026-W48), with more candidates than rows. */
static FlDataset *
new_full_dataset (void)
{
  FlDataset *d = new_dataset ();

  add_churn_customer (d, "c-1", "华联 \"旗舰\" 店", "r-1", 300000.0);
  add_churn_customer (d, "c-2", "三江超市", "r-2", 200000.0);
  add_churn_customer (d, "c-3", "世纪联华", "r-3", 100000.0);
  add_churn_customer (d, "c-4", "小卖部", "r-1", 50000.0);
  /* actioned before M: not pending */
  add_churn_customer (d, "c-5", "已处理超市", "r-1", 400000.0);
  fl_test_add_action (d, "a-5", "churn:c-5:v-c-5-2", fl_test_time ("2026-11-20T12:00:00+08:00"));
  /* actioned after M: still pending at M */
  fl_test_add_action (d, "a-1", "churn:c-1:v-c-1-2", fl_test_time ("2026-11-23T08:30:00+08:00"));
  /* its second missed visit starts after M: no alert at M */
  add_customer (d, "c-6", "后来超市", "r-2", 500000.0);
  add_visit (d, "v-c-6-1", "c-6", "2026-11-19T10:00:00+08:00", FL_ACHIEVED_FALSE);
  add_visit (d, "v-c-6-2", "c-6", "2026-11-23T08:00:01+08:00", FL_ACHIEVED_FALSE);

  add_opportunity (d, "o-b", "c-2", 120000.0, FL_STAGE_OPEN, TRUE);
  add_opportunity (d, "o-c", "c-3", 120000.0, FL_STAGE_OPEN, TRUE);
  add_opportunity (d, "o-a", "c-3", 200000.0, FL_STAGE_OPEN, TRUE);
  add_opportunity (d, "o-d", "c-1", 300000.0, FL_STAGE_OPEN, FALSE);
  add_opportunity (d, "o-e", "c-1", 500000.0, FL_STAGE_WON, TRUE);
  add_opportunity (d, "o-f", "c-1", 50000.0, FL_STAGE_OPEN, TRUE);

  add_pilot (d, "pl-sun", "新品试吃话术", "2026-11-29", "r-2");
  add_pilot (d, "pl-next-mon", "下周话术", "2026-11-30", "r-1");
  add_pilot (d, "pl-prev-sun", "上周话术", "2026-11-22", "r-1");
  add_pilot (d, "pl-wed", "价格\"锚点\", 对比话术", "2026-11-25", "r-3");
  return d;
}

static FlWeeklyList *
compute (FlStore                *store,
         const char             *now,
         const FlWeeklySettings *counts)
{
  g_autoptr(GError) error = NULL;
  FlWeeklyList *list = fl_weekly_compute (store, fl_test_time (now), counts, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static FlWeeklyList *
load (FlStore    *store,
      const char *now)
{
  g_autoptr(GError) error = NULL;
  FlWeeklyList *list = fl_weekly_load_or_generate (store, fl_test_time (now), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static char *
csv_of (FlStore      *store,
        FlWeeklyList *list)
{
  return fl_weekly_to_csv (list, fl_store_get_time_zone (store));
}

/* "section rank subject owner due" per item, ";"-separated */
static char *
summary (FlWeeklyList *list)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->items->len; i++)
    {
      const FlWeeklyItem *item = g_ptr_array_index (list->items, i);
      g_autofree char *due = fl_time_format_rfc3339 (item->due, tz);

      g_string_append_printf (out, "%s%s %u %s %s %s", i > 0 ? ";" : "",
                              fl_weekly_section_to_string (item->section), item->rank,
                              item->link, item->owner, due);
    }
  return g_string_free (out, FALSE);
}

/* Sections and counts */

static void
test_sections (void)
{
  g_autoptr(FlDataset) d = new_full_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(FlWeeklyList) list = compute (store, "2026-11-23T09:00:00+08:00", NULL);
  g_autofree char *text = summary (list);

  g_assert_cmpstr (list->week, ==, "2026-W48");
  g_assert_cmpint (list->monday, ==, fl_test_time ("2026-11-23T08:00:00+08:00"));
  g_assert_cmpstr (text, ==,
                   "call_today 1 customer:c-1 r-1 2026-11-23T18:00:00+08:00;"
                   "call_today 2 customer:c-2 r-2 2026-11-23T18:00:00+08:00;"
                   "call_today 3 customer:c-3 r-3 2026-11-23T18:00:00+08:00;"
                   "tech_support 1 opportunity:o-a r-3 2026-11-25T18:00:00+08:00;"
                   "tech_support 2 opportunity:o-b r-2 2026-11-25T18:00:00+08:00;"
                   "friday_review 1 pilot:pl-wed r-3 2026-11-27T17:00:00+08:00");

  for (guint i = 0; i < list->items->len; i++)
    {
      const FlWeeklyItem *item = g_ptr_array_index (list->items, i);

      g_assert_nonnull (item->title);
      g_assert_cmpstr (item->title, !=, "");
    }
  g_assert_cmpstr (((FlWeeklyItem *) g_ptr_array_index (list->items, 3))->title, ==,
                   "Opportunity o-a of 世纪联华 (200,000 CNY): custom requirement, "
                   "bring in technical support");
}

static void
test_counts (void)
{
  FlWeeklySettings counts = { 1, 3, 2 };
  g_autoptr(FlDataset) d = new_full_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(FlWeeklyList) list = compute (store, "2026-11-26T15:00:00+08:00", &counts);
  g_autofree char *text = summary (list);

  g_assert_cmpstr (text, ==,
                   "call_today 1 customer:c-1 r-1 2026-11-23T18:00:00+08:00;"
                   "tech_support 1 opportunity:o-a r-3 2026-11-25T18:00:00+08:00;"
                   "tech_support 2 opportunity:o-b r-2 2026-11-25T18:00:00+08:00;"
                   "tech_support 3 opportunity:o-c r-3 2026-11-25T18:00:00+08:00;"
                   "friday_review 1 pilot:pl-wed r-3 2026-11-27T17:00:00+08:00;"
                   "friday_review 2 pilot:pl-sun r-2 2026-11-27T17:00:00+08:00");
}

/* Boundaries */

static void
test_pilot_boundaries (void)
{
  FlWeeklySettings counts = { 0, 0, 9 };
  g_autoptr(FlDataset) d = new_full_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(FlWeeklyList) this_week = compute (store, "2026-11-23T09:00:00+08:00", &counts);
  g_autoptr(FlWeeklyList) next_week = compute (store, "2026-11-30T09:00:00+08:00", &counts);
  g_autoptr(FlWeeklyList) last_week = compute (store, "2026-11-20T09:00:00+08:00", &counts);
  g_autofree char *a = summary (this_week);
  g_autofree char *b = summary (next_week);
  g_autofree char *c = summary (last_week);

  /* ending on Sunday is this week; on the next Monday, next week's */
  g_assert_cmpstr (a, ==,
                   "friday_review 1 pilot:pl-wed r-3 2026-11-27T17:00:00+08:00;"
                   "friday_review 2 pilot:pl-sun r-2 2026-11-27T17:00:00+08:00");
  g_assert_cmpstr (b, ==, "friday_review 1 pilot:pl-next-mon r-1 2026-12-04T17:00:00+08:00");
  g_assert_cmpstr (c, ==, "friday_review 1 pilot:pl-prev-sun r-1 2026-11-20T17:00:00+08:00");
}

static void
test_week_boundaries (void)
{
  g_autoptr(FlDataset) d = new_full_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  struct { const char *now, *week, *monday; } cases[] = {
    { "2026-11-23T07:59:00+08:00", "2026-W48", "2026-11-23T08:00:00+08:00" },
    { "2026-11-23T08:00:00+08:00", "2026-W48", "2026-11-23T08:00:00+08:00" },
    { "2026-11-22T23:59:00+08:00", "2026-W47", "2026-11-16T08:00:00+08:00" },
    { "2026-11-29T23:59:59+08:00", "2026-W48", "2026-11-23T08:00:00+08:00" },
    { "2026-11-23T00:00:00+08:00", "2026-W48", "2026-11-23T08:00:00+08:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FlWeeklyList) list = compute (store, cases[i].now, NULL);

      g_assert_cmpstr (list->week, ==, cases[i].week);
      g_assert_cmpint (list->monday, ==, fl_test_time (cases[i].monday));
      g_assert_cmpint (fl_weekly_monday (store, fl_test_time (cases[i].now)), ==, fl_test_time (cases[i].monday));
    }

  /* the week before: M = Nov 16 08:00, before the churn visits of Nov 16
   * 10:00 and 19th, so no call_today; pl-prev-sun ends on its Sunday */
  {
    g_autoptr(FlWeeklyList) list = compute (store, "2026-11-22T23:59:00+08:00", NULL);
    g_autofree char *text = summary (list);

    g_assert_cmpstr (text, ==,
                     "tech_support 1 opportunity:o-a r-3 2026-11-18T18:00:00+08:00;"
                     "tech_support 2 opportunity:o-b r-2 2026-11-18T18:00:00+08:00;"
                     "friday_review 1 pilot:pl-prev-sun r-1 2026-11-20T17:00:00+08:00");
  }
}

/* Fewer candidates, fewer rows */

static void
test_fewer_candidates (void)
{
  FlWeeklySettings none = { 0, 0, 0 };
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlWeeklyList) list = NULL;
  g_autoptr(FlWeeklyList) empty = NULL;
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;

  add_churn_customer (d, "c-1", "三江超市", "r-1", 1000.0);
  add_opportunity (d, "o-1", "c-1", 80000.0, FL_STAGE_OPEN, FALSE);
  store = fl_test_import (d);

  list = compute (store, "2026-11-24T09:00:00+08:00", NULL);
  text = summary (list);
  g_assert_cmpstr (text, ==, "call_today 1 customer:c-1 r-1 2026-11-23T18:00:00+08:00");

  empty = compute (store, "2026-11-24T09:00:00+08:00", &none);
  g_assert_cmpuint (empty->items->len, ==, 0);
  csv = csv_of (store, empty);
  g_assert_cmpstr (csv, ==, "section,rank,title,owner,due,link\n");
}

/* Freezing */

static void
test_frozen (void)
{
  g_autoptr(FlDataset) d = new_full_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(FlWeeklyList) first = load (store, "2026-11-23T09:00:00+08:00");
  g_autoptr(FlWeeklyList) again = NULL;
  g_autoptr(FlWeeklyList) fresh = NULL;
  g_autoptr(FlWeeklyList) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_first = csv_of (store, first);
  g_autofree char *csv_again = NULL;
  g_autofree char *csv_fresh = NULL;
  g_autofree char *text_next = NULL;
  FlAction action = { (char *) "a-late", (char *) "churn:c-3:v-c-3-2", FL_ACTION_SEND_SAMPLE,
                      fl_test_time ("2026-11-22T20:00:00+08:00"), (char *) "m-test" };

  /* data changes that the list as of M would see: a visit that started
   * on Sunday but arrived late resolves c-2, a bigger opportunity ... */
  add_visit (d, "v-c-2-3", "c-2", "2026-11-22T16:00:00+08:00", FL_ACHIEVED_TRUE);
  add_opportunity (d, "o-z", "c-4", 900000.0, FL_STAGE_OPEN, TRUE);
  fl_test_reimport (store, d);
  /* ... and an action dated before M on c-3's alert */
  fl_store_add_action (store, &action, &error);
  g_assert_no_error (error);

  again = load (store, "2026-11-27T16:00:00+08:00");
  csv_again = csv_of (store, again);
  g_assert_cmpstr (csv_again, ==, csv_first);
  g_assert_cmpint (again->generated, ==, fl_test_time ("2026-11-23T09:00:00+08:00"));

  /* what a fresh computation says now (so the frozen list had to resist) */
  fresh = compute (store, "2026-11-27T16:00:00+08:00", NULL);
  csv_fresh = csv_of (store, fresh);
  g_assert_cmpstr (csv_fresh, !=, csv_first);
  g_assert_nonnull (strstr (csv_fresh, "opportunity:o-z"));
  g_assert_null (strstr (csv_fresh, "customer:c-2"));
  g_assert_null (strstr (csv_fresh, "customer:c-3"));

  /* next week is a new list, with the new data */
  next = load (store, "2026-11-30T08:00:00+08:00");
  g_assert_cmpstr (next->week, ==, "2026-W49");
  text_next = summary (next);
  g_assert_nonnull (strstr (text_next, "tech_support 1 opportunity:o-z r-1"));
}

static void
test_not_frozen_before_eight (void)
{
  g_autoptr(FlDataset) d = new_full_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(FlWeeklyList) early = load (store, "2026-11-23T07:59:00+08:00");
  g_autoptr(FlWeeklyList) at_eight = NULL;
  g_autoptr(FlWeeklyList) later = NULL;
  g_autofree char *csv_early = csv_of (store, early);
  g_autofree char *csv_at_eight = NULL;
  g_autofree char *csv_later = NULL;

  g_assert_cmpstr (early->week, ==, "2026-W48");
  g_assert_null (strstr (csv_early, "o-z"));

  /* arrives before 08:00: still counts */
  add_opportunity (d, "o-z", "c-4", 900000.0, FL_STAGE_OPEN, TRUE);
  fl_test_reimport (store, d);
  at_eight = load (store, "2026-11-23T08:00:00+08:00");
  csv_at_eight = csv_of (store, at_eight);
  g_assert_nonnull (strstr (csv_at_eight, "opportunity:o-z"));

  /* kept from 08:00 on */
  add_opportunity (d, "o-y", "c-4", 990000.0, FL_STAGE_OPEN, TRUE);
  fl_test_reimport (store, d);
  later = load (store, "2026-11-23T08:00:01+08:00");
  csv_later = csv_of (store, later);
  g_assert_cmpstr (csv_later, ==, csv_at_eight);
}

static void
test_frozen_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fl-weekly-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *csv_first = NULL;
  g_autofree char *csv_reopened = NULL;
  g_autoptr(FlDataset) d = new_full_dataset ();

  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.sqlite", NULL);

  {
    g_autoptr(FlStore) store = fl_store_open (path, &error);
    g_autoptr(FlWeeklyList) list = NULL;

    g_assert_no_error (error);
    fl_test_reimport (store, d);
    list = load (store, "2026-11-23T09:00:00+08:00");
    csv_first = csv_of (store, list);
  }

  add_opportunity (d, "o-z", "c-4", 900000.0, FL_STAGE_OPEN, TRUE);
  {
    g_autoptr(FlStore) store = fl_store_open (path, &error);
    g_autoptr(FlWeeklyList) list = NULL;

    g_assert_no_error (error);
    fl_test_reimport (store, d);
    list = load (store, "2026-11-24T09:00:00+08:00");
    csv_reopened = csv_of (store, list);
  }
  g_assert_cmpstr (csv_reopened, ==, csv_first);

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_assert_cmpint (g_unlink (path), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
  }
}

/* CSV */

static void
test_csv (void)
{
  g_autoptr(FlDataset) d = new_full_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(FlWeeklyList) list = compute (store, "2026-11-23T09:00:00+08:00", NULL);
  g_autofree char *csv = csv_of (store, list);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_assert_cmpstr (lines[0], ==, "section,rank,title,owner,due,link");
  g_assert_cmpstr (lines[1], ==,
                   "call_today,1,\"华联 \"\"旗舰\"\" 店: committed action missed at the last "
                   "2 visits, 300,000 CNY at risk\",r-1,2026-11-23T18:00:00+08:00,customer:c-1");
  g_assert_cmpstr (lines[2], ==,
                   "call_today,2,\"三江超市: committed action missed at the last 2 visits, "
                   "200,000 CNY at risk\",r-2,2026-11-23T18:00:00+08:00,customer:c-2");
  g_assert_cmpstr (lines[4], ==,
                   "tech_support,1,\"Opportunity o-a of 世纪联华 (200,000 CNY): custom "
                   "requirement, bring in technical support\",r-3,2026-11-25T18:00:00+08:00,"
                   "opportunity:o-a");
  g_assert_cmpstr (lines[6], ==,
                   "friday_review,1,\"Review pitch pilot “价格\"\"锚点\"\", 对比话术” (its two "
                   "weeks end on 2026-11-25)\",r-3,2026-11-27T17:00:00+08:00,pilot:pl-wed");
  g_assert_cmpstr (lines[7], ==, "");
}

static void
test_csv_plain_field (void)
{
  FlWeeklySettings counts = { 0, 0, 1 };
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlWeeklyList) list = NULL;
  g_autofree char *csv = NULL;

  add_pilot (d, "pl-1", "试吃", "2026-11-27", "r-1");
  store = fl_test_import (d);
  list = compute (store, "2026-11-23T09:00:00+08:00", &counts);
  csv = csv_of (store, list);
  /* no comma, quote or line break: not quoted */
  g_assert_cmpstr (csv, ==,
                   "section,rank,title,owner,due,link\n"
                   "friday_review,1,Review pitch pilot “试吃” (its two weeks end on "
                   "2026-11-27),r-1,2026-11-27T17:00:00+08:00,pilot:pl-1\n");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/weekly/sections", test_sections);
  g_test_add_func ("/weekly/counts", test_counts);
  g_test_add_func ("/weekly/boundaries/pilot", test_pilot_boundaries);
  g_test_add_func ("/weekly/boundaries/week", test_week_boundaries);
  g_test_add_func ("/weekly/fewer-candidates", test_fewer_candidates);
  g_test_add_func ("/weekly/frozen", test_frozen);
  g_test_add_func ("/weekly/frozen/not-before-eight", test_not_frozen_before_eight);
  g_test_add_func ("/weekly/frozen/file", test_frozen_file);
  g_test_add_func ("/weekly/csv", test_csv);
  g_test_add_func ("/weekly/csv/plain", test_csv_plain_field);

  return g_test_run ();
}
