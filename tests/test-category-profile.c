/* test-category-profile.c — a category by region, a pilot's state and before/after
 *
 * The process runs with TZ=UTC; weeks and days are the dataset's (Asia/Shanghai).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <locale.h>
#include <string.h>
#include <glib.h>

#include "fl-core.h"
#include "fl-store-private.h"
#include "fl-test-data.h"

/* The indexes fl-category-profile.h suggests: the results must not change. */
#define EXTRA_INDEXES \
  "CREATE INDEX pitches_by_category ON pitches (category, week, product, signed, region);" \
  "CREATE INDEX pitches_by_region_week ON pitches (region, week, start, signed);"

/* Dataset builders */

static FlDataset *
base_dataset (void)
{
  FlDataset *d = fl_test_dataset_new ();
  static const char * const regions[][3] = {
    { "330100", "杭州市", "r-a" },
    { "330200", "宁波市", "r-b" },
    { "330300", "温州市", "r-c" },
    { "330400", "嘉兴市", "r-d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autofree char *id = g_strdup_printf ("c-%s", regions[i][2]);
      g_autofree char *name = g_strdup_printf ("Customer of %s", regions[i][2]);

      fl_test_add_region (d, regions[i][0], regions[i][1]);
      fl_test_add_rep (d, regions[i][2], regions[i][0]);
      /* Pitches count in the rep's region, not the customer's. */
      fl_test_add_customer (d, id, name, "330100", regions[i][2], 'B', 1000.0);
    }
  fl_test_add_category (d, "dairy", "乳制品", 1800.0);
  fl_test_add_category (d, "snacks", "休闲零食", 1200.0);
  fl_test_add_product (d, "p-1", "Fresh milk", "dairy");
  fl_test_add_product (d, "p-2", "Yoghurt", "dairy");
  fl_test_add_product (d, "p-3", "Crisps", "snacks");
  fl_test_add_product (d, "p-4", "Cheese", "dairy");
  return d;
}

/* One visit by @rep at @start to the rep's customer, with @n_signed signed
 * then @n_unsigned unsigned pitches of @product. */
static void
add_pitches (FlDataset  *d,
             const char *rep,
             const char *start,
             const char *product,
             guint       n_signed,
             guint       n_unsigned)
{
  g_autofree char *customer = g_strdup_printf ("c-%s", rep);

  fl_test_add_pitch_visit (d, customer, rep, start, product, n_signed + n_unsigned, n_signed);
}

static void
add_extra_indexes (FlStore *store)
{
  char *message = NULL;

  sqlite3_exec (_fl_store_get_db (store), EXTRA_INDEXES, NULL, NULL, &message);
  g_assert_null (message);
}

/* Category: in 2026-W47 (16–22 Nov), dairy: 杭州 20 pitched / 10 signed,
 * 宁波 20 / 4, 温州 5 / 0, 嘉兴 none; province 45 / 14. Around it: the last
 * second of W46 and the first of W48 (the week of now), and snacks. */
static FlStore *
category_store (gboolean extra_indexes)
{
  g_autoptr(FlDataset) d = base_dataset ();
  FlStore *store;

  add_pitches (d, "r-a", "2026-11-16T00:00:00+08:00", "p-1", 6, 4);   /* first second of W47 */
  add_pitches (d, "r-a", "2026-11-19T10:00:00+08:00", "p-2", 4, 6);
  add_pitches (d, "r-a", "2026-11-19T11:00:00+08:00", "p-3", 3, 0);   /* snacks */
  add_pitches (d, "r-b", "2026-11-20T10:00:00+08:00", "p-1", 4, 8);
  add_pitches (d, "r-b", "2026-11-22T23:59:59+08:00", "p-2", 0, 8);   /* last second of W47 */
  add_pitches (d, "r-c", "2026-11-21T10:00:00+08:00", "p-2", 0, 5);
  add_pitches (d, "r-d", "2026-11-15T23:59:59+08:00", "p-1", 2, 1);   /* W46 */
  add_pitches (d, "r-b", "2026-11-10T10:00:00+08:00", "p-1", 1, 1);   /* W46 */
  add_pitches (d, "r-a", "2026-11-23T00:00:00+08:00", "p-1", 5, 0);   /* W48: now's week */
  add_pitches (d, "r-c", "2026-11-08T23:59:59+08:00", "p-1", 9, 0);   /* W45 */
  store = fl_test_import (d);
  if (extra_indexes)
    add_extra_indexes (store);
  return store;
}

/* The profile of @category_id at @now (asserts it loads). */
static FlCategoryProfile *
load_category (FlStore              *store,
               const char           *category_id,
               gint64                now,
               guint                 n_weeks,
               const FlRuleSettings *settings)
{
  g_autoptr(GError) error = NULL;
  FlCategoryProfile *profile = fl_category_profile_load (store, category_id, now, n_weeks,
                                                         settings, &error);

  g_assert_no_error (error);
  return profile;
}

/* The profile of @pilot_id at @now (asserts it loads). */
static FlPilotProfile *
load_pilot (FlStore    *store,
            const char *pilot_id,
            gint64      now)
{
  g_autoptr(GError) error = NULL;
  FlPilotProfile *pilot = fl_pilot_profile_load (store, pilot_id, now, &error);

  g_assert_no_error (error);
  return pilot;
}

static void
assert_conversion (const FlConversion *conversion,
                   guint               pitched,
                   guint               signed_)
{
  g_assert_cmpuint (conversion->pitched, ==, pitched);
  g_assert_cmpuint (conversion->signed_, ==, signed_);
  if (pitched == 0)
    g_assert_cmpfloat (conversion->rate, ==, 0.0);
  else
    g_assert_cmpfloat_with_epsilon (conversion->rate, (double) signed_ / pitched, 1e-12);
}

static void
assert_region (FlCategoryProfile *profile,
               guint              index,
               const char        *code,
               const char        *name,
               guint              pitched,
               guint              signed_,
               FlFlow             flow)
{
  FlCategoryRegion *region = g_ptr_array_index (profile->regions, index);

  g_assert_cmpstr (region->code, ==, code);
  g_assert_cmpstr (region->name, ==, name);
  assert_conversion (&region->conversion, pitched, signed_);
  g_assert_cmpint (region->flow, ==, flow);
}

static FlCategoryProduct *
product_at (FlCategoryProfile *profile,
            guint              index)
{
  return g_ptr_array_index (profile->products, index);
}

static void
check_last_week (gconstpointer data)
{
  g_autoptr(FlStore) store = category_store (GPOINTER_TO_INT (data));
  g_autoptr(FlCategoryProfile) profile = NULL;

  profile = load_category (store, "dairy", fl_test_time ("2026-11-23T09:00:00+08:00"), 1, NULL);
  g_assert_nonnull (profile);

  g_assert_cmpstr (profile->id, ==, "dairy");
  g_assert_cmpstr (profile->name, ==, "乳制品");
  g_assert_cmpfloat (profile->avg_order_value, ==, 1800.0);
  g_assert_cmpuint (profile->n_weeks, ==, 1);
  g_assert_cmpint (profile->start, ==, fl_test_time ("2026-11-16T00:00:00+08:00"));
  g_assert_cmpint (profile->end, ==, fl_test_time ("2026-11-23T00:00:00+08:00"));
  g_assert_cmpstr (profile->first_week, ==, "2026-W47");
  g_assert_cmpstr (profile->last_week, ==, "2026-W47");
  g_assert_cmpfloat (profile->gap_ratio, ==, 0.7);
  g_assert_cmpuint (profile->min_pitches, ==, 10);

  assert_conversion (&profile->province, 45, 14);
  g_assert_cmpuint (profile->regions->len, ==, 4);
  /* 0.7 × 14/45 = 0.2178: 宁波's 0.2 is below it. */
  assert_region (profile, 0, "330100", "杭州市", 20, 10, FL_FLOW_OK);
  assert_region (profile, 1, "330200", "宁波市", 20, 4, FL_FLOW_BELOW);
  assert_region (profile, 2, "330300", "温州市", 5, 0, FL_FLOW_FEW_PITCHES);
  assert_region (profile, 3, "330400", "嘉兴市", 0, 0, FL_FLOW_NOT_PITCHED);

  g_assert_cmpuint (profile->products->len, ==, 3);
  g_assert_cmpstr (product_at (profile, 0)->id, ==, "p-1");
  g_assert_cmpstr (product_at (profile, 0)->name, ==, "Fresh milk");
  assert_conversion (&product_at (profile, 0)->conversion, 22, 10);
  g_assert_cmpstr (product_at (profile, 1)->id, ==, "p-2");
  assert_conversion (&product_at (profile, 1)->conversion, 23, 4);
  g_assert_cmpstr (product_at (profile, 2)->id, ==, "p-4");
  assert_conversion (&product_at (profile, 2)->conversion, 0, 0);
}

static void
test_category_two_weeks (void)
{
  g_autoptr(FlStore) store = category_store (FALSE);
  g_autoptr(FlCategoryProfile) profile = NULL;

  /* The last second of W47: W47 is not complete yet, the window is W45–W46. */
  profile = load_category (store, "dairy", fl_test_time ("2026-11-22T23:59:59+08:00"), 2, NULL);
  g_assert_cmpstr (profile->first_week, ==, "2026-W45");
  g_assert_cmpstr (profile->last_week, ==, "2026-W46");
  g_assert_cmpint (profile->start, ==, fl_test_time ("2026-11-02T00:00:00+08:00"));
  g_assert_cmpint (profile->end, ==, fl_test_time ("2026-11-16T00:00:00+08:00"));
  g_assert_cmpuint (profile->min_pitches, ==, 20);
  assert_conversion (&profile->province, 14, 12);
  assert_region (profile, 0, "330100", "杭州市", 0, 0, FL_FLOW_NOT_PITCHED);
  assert_region (profile, 1, "330200", "宁波市", 2, 1, FL_FLOW_FEW_PITCHES);
  assert_region (profile, 2, "330300", "温州市", 9, 9, FL_FLOW_FEW_PITCHES);
  assert_region (profile, 3, "330400", "嘉兴市", 3, 2, FL_FLOW_FEW_PITCHES);
  assert_conversion (&product_at (profile, 0)->conversion, 14, 12);
  assert_conversion (&product_at (profile, 1)->conversion, 0, 0);

  /* Monday 00:00: W47 is complete now. */
  g_clear_pointer (&profile, fl_category_profile_free);
  profile = load_category (store, "dairy", fl_test_time ("2026-11-23T00:00:00+08:00"), 2, NULL);
  g_assert_cmpstr (profile->first_week, ==, "2026-W46");
  g_assert_cmpstr (profile->last_week, ==, "2026-W47");
  assert_conversion (&profile->province, 50, 17);
  assert_region (profile, 1, "330200", "宁波市", 22, 5, FL_FLOW_BELOW);
  assert_region (profile, 3, "330400", "嘉兴市", 3, 2, FL_FLOW_FEW_PITCHES);
}

static void
test_category_thresholds (void)
{
  g_autoptr(FlStore) store = category_store (FALSE);
  g_autoptr(FlCategoryProfile) profile = NULL;
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  FlRuleSettings settings;

  fl_rule_settings_init_default (&settings);

  /* 宁波 0.2 against 14/45 × ratio: below iff ratio > 0.2 × 45/14 = 0.642857… */
  settings.gap_ratio = 0.2 * 45.0 / 14.0;
  profile = load_category (store, "dairy", now, 1, &settings);
  assert_region (profile, 1, "330200", "宁波市", 20, 4, FL_FLOW_OK);   /* equal: not below */
  g_clear_pointer (&profile, fl_category_profile_free);

  settings.gap_ratio = 0.643;
  profile = load_category (store, "dairy", now, 1, &settings);
  assert_region (profile, 1, "330200", "宁波市", 20, 4, FL_FLOW_BELOW);
  g_clear_pointer (&profile, fl_category_profile_free);

  /* Exactly the minimum of pitches is enough; one fewer is too few. */
  settings.gap_ratio = 0.7;
  settings.gap_min_pitches = 20;
  profile = load_category (store, "dairy", now, 1, &settings);
  g_assert_cmpuint (profile->min_pitches, ==, 20);
  assert_region (profile, 1, "330200", "宁波市", 20, 4, FL_FLOW_BELOW);
  g_clear_pointer (&profile, fl_category_profile_free);

  settings.gap_min_pitches = 21;
  profile = load_category (store, "dairy", now, 1, &settings);
  assert_region (profile, 0, "330100", "杭州市", 20, 10, FL_FLOW_FEW_PITCHES);
  assert_region (profile, 1, "330200", "宁波市", 20, 4, FL_FLOW_FEW_PITCHES);
}

static void
test_category_other (void)
{
  g_autoptr(FlStore) store = category_store (FALSE);
  g_autoptr(FlCategoryProfile) profile = NULL;

  profile = load_category (store, "snacks", fl_test_time ("2026-11-23T09:00:00+08:00"), 1, NULL);
  g_assert_cmpfloat (profile->avg_order_value, ==, 1200.0);
  assert_conversion (&profile->province, 3, 3);
  assert_region (profile, 0, "330100", "杭州市", 3, 3, FL_FLOW_FEW_PITCHES);
  g_assert_cmpuint (profile->products->len, ==, 1);
  assert_conversion (&product_at (profile, 0)->conversion, 3, 3);
}

static void
test_category_unknown (void)
{
  g_autoptr(FlStore) store = category_store (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlCategoryProfile) profile = NULL;

  profile = fl_category_profile_load (store, "no-such-category",
                                      fl_test_time ("2026-11-23T09:00:00+08:00"), 1, NULL,
                                      &error);
  g_assert_null (profile);
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-category"));
}

/* Pilot pl-1: 杭州 and 宁波 from Wednesday 2026-11-11 (W46) to Tuesday
 * 2026-11-24. At Friday 2026-11-20 09:00 (day 10) its 9 complete days are
 * [11-11, 11-20): the rest of W46 and Monday–Thursday of W47, against
 * [11-02, 11-11): all of W45 and Monday–Tuesday of W46. */
static FlStore *
pilot_store (gboolean extra_indexes)
{
  g_autoptr(FlDataset) d = base_dataset ();
  FlStore *store;

  fl_test_add_pilot (d, "pl-1", "新品试吃话术", fl_test_date ("2026-11-11"), "r-a",
                     "330100,330200");
  add_pitches (d, "r-a", "2026-11-01T23:59:59+08:00", "p-1", 1, 0);   /* out, before */
  add_pitches (d, "r-a", "2026-11-02T00:00:00+08:00", "p-1", 1, 0);   /* before */
  add_pitches (d, "r-a", "2026-11-05T10:00:00+08:00", "p-3", 0, 2);   /* before */
  add_pitches (d, "r-a", "2026-11-10T23:59:59+08:00", "p-2", 0, 1);   /* before */
  add_pitches (d, "r-b", "2026-11-03T10:00:00+08:00", "p-1", 1, 0);   /* before */
  add_pitches (d, "r-a", "2026-11-11T00:00:00+08:00", "p-1", 1, 0);   /* during */
  add_pitches (d, "r-a", "2026-11-15T12:00:00+08:00", "p-3", 1, 1);   /* during */
  add_pitches (d, "r-a", "2026-11-19T23:59:59+08:00", "p-2", 1, 0);   /* during */
  add_pitches (d, "r-b", "2026-11-12T10:00:00+08:00", "p-1", 0, 2);   /* during */
  add_pitches (d, "r-a", "2026-11-20T08:00:00+08:00", "p-1", 1, 0);   /* today: out */
  add_pitches (d, "r-c", "2026-11-12T10:00:00+08:00", "p-1", 5, 0);   /* not a pilot region */
  store = fl_test_import (d);
  if (extra_indexes)
    add_extra_indexes (store);
  return store;
}

static void
check_pilot_running (gconstpointer data)
{
  g_autoptr(FlStore) store = pilot_store (GPOINTER_TO_INT (data));
  g_autoptr(FlPilotProfile) pilot = NULL;
  FlPilotRegion *region;

  pilot = load_pilot (store, "pl-1", fl_test_time ("2026-11-20T09:00:00+08:00"));
  g_assert_nonnull (pilot);
  g_assert_cmpstr (pilot->id, ==, "pl-1");
  g_assert_cmpstr (pilot->title, ==, "新品试吃话术");
  g_assert_cmpstr (pilot->owner_id, ==, "r-a");
  g_assert_cmpstr (pilot->owner_name, ==, "Rep r-a");
  g_assert_cmpint (pilot->start_day, ==, fl_test_date ("2026-11-11"));
  g_assert_cmpint (pilot->last_day, ==, fl_test_date ("2026-11-24"));
  g_assert_cmpint (pilot->state, ==, FL_PILOT_RUNNING);
  g_assert_cmpint (pilot->day, ==, 10);
  g_assert_false (pilot->ends_this_week);
  g_assert_cmpint (pilot->n_days, ==, 9);
  g_assert_cmpint (pilot->before_start, ==, fl_test_time ("2026-11-02T00:00:00+08:00"));
  g_assert_cmpint (pilot->during_start, ==, fl_test_time ("2026-11-11T00:00:00+08:00"));
  g_assert_cmpint (pilot->during_end, ==, fl_test_time ("2026-11-20T00:00:00+08:00"));
  assert_conversion (&pilot->before, 5, 2);
  assert_conversion (&pilot->during, 6, 3);

  g_assert_cmpuint (pilot->regions->len, ==, 2);
  region = g_ptr_array_index (pilot->regions, 0);
  g_assert_cmpstr (region->code, ==, "330100");
  g_assert_cmpstr (region->name, ==, "杭州市");
  assert_conversion (&region->before, 4, 1);
  assert_conversion (&region->during, 4, 3);
  region = g_ptr_array_index (pilot->regions, 1);
  g_assert_cmpstr (region->code, ==, "330200");
  g_assert_cmpstr (region->name, ==, "宁波市");
  assert_conversion (&region->before, 1, 1);
  assert_conversion (&region->during, 2, 0);
}

static void
test_pilot_states (void)
{
  g_autoptr(FlStore) store = pilot_store (FALSE);
  static const struct {
    const char   *now;
    FlPilotState  state;
    int           day;
    int           n_days;
    gboolean      ends_this_week;
  } cases[] = {
    { "2026-11-10T23:59:59+08:00", FL_PILOT_NOT_STARTED, 0, 0, FALSE },
    { "2026-11-11T00:00:00+08:00", FL_PILOT_RUNNING, 1, 0, FALSE },
    { "2026-11-11T23:59:59+08:00", FL_PILOT_RUNNING, 1, 0, FALSE },
    { "2026-11-12T00:00:00+08:00", FL_PILOT_RUNNING, 2, 1, FALSE },
    { "2026-11-22T23:59:59+08:00", FL_PILOT_RUNNING, 12, 11, FALSE },
    { "2026-11-23T00:00:00+08:00", FL_PILOT_RUNNING, 13, 12, TRUE },
    { "2026-11-24T23:59:59+08:00", FL_PILOT_RUNNING, 14, 13, TRUE },
    { "2026-11-25T00:00:00+08:00", FL_PILOT_ENDED, 0, 14, TRUE },
    { "2026-11-29T23:59:59+08:00", FL_PILOT_ENDED, 0, 14, TRUE },
    { "2026-11-30T00:00:00+08:00", FL_PILOT_ENDED, 0, 14, FALSE },
    /* 2026-11-10 16:00 UTC is already 11-11 in Shanghai. */
    { "2026-11-10T16:00:00Z", FL_PILOT_RUNNING, 1, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FlPilotProfile) pilot = NULL;

      g_test_message ("now %s", cases[i].now);
      pilot = load_pilot (store, "pl-1", fl_test_time (cases[i].now));
      g_assert_cmpint (pilot->state, ==, cases[i].state);
      g_assert_cmpint (pilot->day, ==, cases[i].day);
      g_assert_cmpint (pilot->n_days, ==, cases[i].n_days);
      g_assert_cmpint (pilot->ends_this_week, ==, cases[i].ends_this_week);
      g_assert_cmpint (pilot->during_end - pilot->during_start, ==,
                       pilot->during_start - pilot->before_start);
      if (cases[i].n_days == 0)
        {
          assert_conversion (&pilot->before, 0, 0);
          assert_conversion (&pilot->during, 0, 0);
        }
    }
}

static void
test_pilot_ended (void)
{
  g_autoptr(FlStore) store = pilot_store (FALSE);
  g_autoptr(FlPilotProfile) pilot = NULL;

  /* All 14 days: [11-11, 11-25) against [10-28, 11-11). */
  pilot = load_pilot (store, "pl-1", fl_test_time ("2026-12-01T09:00:00+08:00"));
  g_assert_cmpint (pilot->before_start, ==, fl_test_time ("2026-10-28T00:00:00+08:00"));
  g_assert_cmpint (pilot->during_end, ==, fl_test_time ("2026-11-25T00:00:00+08:00"));
  assert_conversion (&pilot->before, 6, 3);
  assert_conversion (&pilot->during, 7, 4);
}

static void
test_pilot_unknown (void)
{
  g_autoptr(FlStore) store = pilot_store (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlPilotProfile) pilot = NULL;

  pilot = fl_pilot_profile_load (store, "pl-none", fl_test_time ("2026-11-20T09:00:00+08:00"),
                                 &error);
  g_assert_null (pilot);
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "pl-none"));
}

static void
test_pilot_unknown_owner (void)
{
  g_autoptr(FlDataset) d = base_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlPilotProfile) pilot = NULL;

  fl_test_add_pilot (d, "pl-2", "Trial", fl_test_date ("2026-11-16"), "r-d", "330400");
  store = fl_test_import (d);
  /* The owner left the cache (a partial sync). */
  sqlite3_exec (_fl_store_get_db (store), "DELETE FROM reps WHERE id = 'r-d'", NULL, NULL,
                NULL);

  pilot = load_pilot (store, "pl-2", fl_test_time ("2026-11-23T09:00:00+08:00"));
  g_assert_cmpstr (pilot->owner_id, ==, "r-d");
  g_assert_null (pilot->owner_name);
  g_assert_cmpint (pilot->day, ==, 8);
  g_assert_true (pilot->ends_this_week);
  g_assert_cmpuint (pilot->regions->len, ==, 1);
  assert_conversion (&pilot->during, 0, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/category-profile/last-week", GINT_TO_POINTER (FALSE),
                        check_last_week);
  g_test_add_data_func ("/category-profile/last-week/extra-indexes", GINT_TO_POINTER (TRUE),
                        check_last_week);
  g_test_add_func ("/category-profile/two-weeks", test_category_two_weeks);
  g_test_add_func ("/category-profile/thresholds", test_category_thresholds);
  g_test_add_func ("/category-profile/other-category", test_category_other);
  g_test_add_func ("/category-profile/unknown", test_category_unknown);
  g_test_add_data_func ("/pilot-profile/running", GINT_TO_POINTER (FALSE), check_pilot_running);
  g_test_add_data_func ("/pilot-profile/running/extra-indexes", GINT_TO_POINTER (TRUE),
                        check_pilot_running);
  g_test_add_func ("/pilot-profile/states", test_pilot_states);
  g_test_add_func ("/pilot-profile/ended", test_pilot_ended);
  g_test_add_func ("/pilot-profile/unknown", test_pilot_unknown);
  g_test_add_func ("/pilot-profile/unknown-owner", test_pilot_unknown_owner);

  return g_test_run ();
}
