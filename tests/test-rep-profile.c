/* test-rep-profile.c — a team's reps for a gap alert, and a rep's profile
 *
 * The process runs with TZ=UTC: days and weeks must be those of the
 * dataset's Asia/Shanghai, which the boundary tests check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <locale.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "fl-core.h"
#include "fl-rep-profile.h"
#include "fl-test-data.h"

#define DAY G_GINT64_CONSTANT (86400)
#define NOW "2026-11-23T09:00:00+08:00"        /* a Monday, 2026-W48 */

/* Dataset builders */

/* Two prefectures: 金华 (r-a, r-b, r-c) and 杭州 (r-h); three categories. */
static FlDataset *
new_dataset (void)
{
  FlDataset *d = fl_test_dataset_new ();

  fl_test_add_region (d, "330700", "金华市");
  fl_test_add_region (d, "330100", "杭州市");
  fl_test_add_rep (d, "r-a", "330700")->phone = g_strdup ("13800000001");
  fl_test_add_rep (d, "r-b", "330700");
  fl_test_add_rep (d, "r-c", "330700");
  fl_test_add_rep (d, "r-h", "330100");
  fl_test_add_category (d, "dairy", "乳制品", 1800.0);
  fl_test_add_category (d, "snacks", "休闲食品", 500.0);
  fl_test_add_category (d, "frozen", "冷冻食品", 900.0);
  fl_test_add_product (d, "p-milk", NULL, "dairy");
  fl_test_add_product (d, "p-chips", NULL, "snacks");
  fl_test_add_product (d, "p-dumplings", NULL, "frozen");
  fl_test_add_customer (d, "c-a1", NULL, "330700", "r-a", 'B', 20000.0);
  fl_test_add_customer (d, "c-a2", NULL, "330700", "r-a", 'B', 126000.0);
  fl_test_add_customer (d, "c-b", NULL, "330700", "r-b", 'B', 90000.0);
  fl_test_add_customer (d, "c-h", NULL, "330100", "r-h", 'B', 5000.0);
  return d;
}

/* fl_team_rep_rates(), asserting it works. */
static GPtrArray *
team_rates (FlStore    *store,
            const char *region,
            const char *category,
            gint64      start,
            gint64      end,
            double      province_rate)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rates = fl_team_rep_rates (store, region, category, start, end, province_rate,
                                        &error);

  g_assert_no_error (error);
  return rates;
}

/* The profile of @rep_id at @now (asserts it loads). */
static FlRepProfile *
load (FlStore    *store,
      const char *rep_id,
      gint64      now)
{
  g_autoptr(GError) error = NULL;
  FlRepProfile *profile = fl_rep_profile_load (store, rep_id, now, &error);

  g_assert_no_error (error);
  return profile;
}

static FlRepRate *
rate_at (GPtrArray *rates,
         guint      i)
{
  return g_ptr_array_index (rates, i);
}

/* fl_team_rep_rates */

static void
test_team_rates_order (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  gint64 start = fl_test_time ("2026-11-16T00:00:00+08:00");
  gint64 end = fl_test_time ("2026-11-23T00:00:00+08:00");
  double province = 10.0 / 24.0;

  /* W47: r-a 10/2, r-b 4/3, r-c nothing; r-h (another team) 10/5. */
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-16T00:00:00+08:00", "p-milk", 6, 1);
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-22T23:59:59+08:00", "p-milk", 4, 1);
  fl_test_add_pitch_visit (d, "c-b", "r-b", "2026-11-18T10:00:00+08:00", "p-milk", 4, 3);
  fl_test_add_pitch_visit (d, "c-h", "r-h", "2026-11-18T10:00:00+08:00", "p-milk", 10, 5);
  /* Outside: just before and at the end, another category. */
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-15T23:59:59+08:00", "p-milk", 7, 0);
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-23T00:00:00+08:00", "p-milk", 7, 0);
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-18T10:00:00+08:00", "p-chips", 5, 5);
  store = fl_test_import (d);

  rates = team_rates (store, "330700", "dairy", start, end, province);
  g_assert_nonnull (rates);
  g_assert_cmpuint (rates->len, ==, 3);

  /* r-a: (0.2 − 0.4167) × 10 = −2.17, r-b: (0.75 − 0.4167) × 4 = +1.33, r-c none. */
  g_assert_cmpstr (rate_at (rates, 0)->rep_id, ==, "r-a");
  g_assert_cmpstr (rate_at (rates, 0)->rep_name, ==, "Rep r-a");
  g_assert_cmpuint (rate_at (rates, 0)->pitched, ==, 10);
  g_assert_cmpuint (rate_at (rates, 0)->signed_, ==, 2);
  g_assert_cmpfloat_with_epsilon (rate_at (rates, 0)->rate, 0.2, 1e-12);
  g_assert_cmpstr (rate_at (rates, 1)->rep_id, ==, "r-b");
  g_assert_cmpuint (rate_at (rates, 1)->pitched, ==, 4);
  g_assert_cmpuint (rate_at (rates, 1)->signed_, ==, 3);
  g_assert_cmpfloat_with_epsilon (rate_at (rates, 1)->rate, 0.75, 1e-12);
  g_assert_cmpstr (rate_at (rates, 2)->rep_id, ==, "r-c");
  g_assert_cmpuint (rate_at (rates, 2)->pitched, ==, 0);
  g_assert_cmpuint (rate_at (rates, 2)->signed_, ==, 0);
  g_assert_cmpfloat (rate_at (rates, 2)->rate, ==, 0.0);
  g_clear_pointer (&rates, g_ptr_array_unref);

  /* With a province rate of 0.8 the shortfalls are r-a −6.0 and r-b −0.2. */
  rates = team_rates (store, "330700", "dairy", start, end, 0.8);
  g_assert_cmpstr (rate_at (rates, 0)->rep_id, ==, "r-a");
  g_assert_cmpstr (rate_at (rates, 1)->rep_id, ==, "r-b");
  g_clear_pointer (&rates, g_ptr_array_unref);

  /* A province rate of 0: the shortfall is the signed count, r-a 2, r-b 3. */
  rates = team_rates (store, "330700", "dairy", start, end, 0.0);
  g_assert_cmpstr (rate_at (rates, 0)->rep_id, ==, "r-a");
  g_assert_cmpstr (rate_at (rates, 1)->rep_id, ==, "r-b");
  g_clear_pointer (&rates, g_ptr_array_unref);

  /* The other team: r-h alone. */
  rates = team_rates (store, "330100", "dairy", start, end, province);
  g_assert_cmpuint (rates->len, ==, 1);
  g_assert_cmpstr (rate_at (rates, 0)->rep_id, ==, "r-h");
  g_assert_cmpuint (rate_at (rates, 0)->pitched, ==, 10);
  g_assert_cmpuint (rate_at (rates, 0)->signed_, ==, 5);
}

static void
test_team_rates_ties_and_ranges (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GPtrArray) rates = NULL;

  /* Same shortfall for r-c and r-b: by id. */
  fl_test_add_pitch_visit (d, "c-b", "r-c", "2026-11-10T09:00:00+08:00", "p-milk", 5, 1);
  fl_test_add_pitch_visit (d, "c-b", "r-b", "2026-11-17T09:00:00+08:00", "p-milk", 5, 1);
  store = fl_test_import (d);

  rates = team_rates (store, "330700", "dairy", fl_test_time ("2026-11-09T00:00:00+08:00"),
                      fl_test_time ("2026-11-23T00:00:00+08:00"), 0.5);
  g_assert_cmpuint (rates->len, ==, 3);
  g_assert_cmpstr (rate_at (rates, 0)->rep_id, ==, "r-b");
  g_assert_cmpstr (rate_at (rates, 1)->rep_id, ==, "r-c");
  g_assert_cmpstr (rate_at (rates, 2)->rep_id, ==, "r-a");
  g_assert_cmpuint (rate_at (rates, 2)->pitched, ==, 0);
  g_clear_pointer (&rates, g_ptr_array_unref);

  /* A range that does not start on a Monday: r-c's visit (Tue 10th 09:00) is
   * in [Tue 10th 09:00, Mon 17th 09:00), r-b's (Mon 17th 09:00) is not. */
  rates = team_rates (store, "330700", "dairy", fl_test_time ("2026-11-10T09:00:00+08:00"),
                      fl_test_time ("2026-11-17T09:00:00+08:00"), 0.5);
  g_assert_cmpstr (rate_at (rates, 0)->rep_id, ==, "r-c");
  g_assert_cmpuint (rate_at (rates, 0)->pitched, ==, 5);
  g_assert_cmpuint (rate_at (rates, 1)->pitched, ==, 0);
  g_assert_cmpuint (rate_at (rates, 2)->pitched, ==, 0);
  g_clear_pointer (&rates, g_ptr_array_unref);

  /* An empty range: every rep, none with pitches, by id. */
  rates = team_rates (store, "330700", "dairy", 100, 100, 0.5);
  g_assert_cmpuint (rates->len, ==, 3);
  g_assert_cmpstr (rate_at (rates, 0)->rep_id, ==, "r-a");
  g_assert_cmpstr (rate_at (rates, 1)->rep_id, ==, "r-b");
  g_assert_cmpstr (rate_at (rates, 2)->rep_id, ==, "r-c");
}

static void
test_team_rates_not_found (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(GError) error = NULL;
  GPtrArray *rates;

  rates = fl_team_rep_rates (store, "339900", "dairy", 0, DAY, 0.5, &error);
  g_assert_null (rates);
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "339900"));
  g_clear_error (&error);

  rates = fl_team_rep_rates (store, "330700", "toys", 0, DAY, 0.5, &error);
  g_assert_null (rates);
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "toys"));
}

/* The reps' pitches add up to the team's figures of the gap alert. */
static void
test_team_rates_match_gap_alert (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  gint64 now = fl_test_time (NOW);
  GTimeZone *tz;
  FlAlert *alert;
  gint64 start;
  guint pitched = 0, signed_ = 0;

  for (int w = 0; w < 2; w++)
    {
      const char *day = w == 0 ? "2026-11-11T10:00:00+08:00" : "2026-11-18T10:00:00+08:00";

      fl_test_add_pitch_visit (d, "c-a1", "r-a", day, "p-milk", 8, 1);
      fl_test_add_pitch_visit (d, "c-b", "r-b", day, "p-milk", 4, 1);
      fl_test_add_pitch_visit (d, "c-h", "r-h", day, "p-milk", 10, 8);
    }
  store = fl_test_import (d);
  evaluation = fl_test_evaluate (store, now, NULL);
  alert = fl_evaluation_find_alert (evaluation, "gap:330700:dairy:2026-W47");
  g_assert_nonnull (alert);

  tz = fl_store_get_time_zone (store);
  start = fl_time_add_weeks (fl_iso_week_start (now, tz), tz, -1);
  rates = team_rates (store, alert->region, alert->subject, start,
                      fl_time_add_weeks (start, tz, 1), alert->province_rate[1]);
  for (guint i = 0; i < rates->len; i++)
    {
      pitched += rate_at (rates, i)->pitched;
      signed_ += rate_at (rates, i)->signed_;
    }
  g_assert_cmpuint (pitched, ==, alert->team_pitches[1]);
  g_assert_cmpfloat_with_epsilon ((double) signed_ / pitched, alert->team_rate[1], 1e-12);
  /* province 10/22: r-a (1/8 − 0.4545) × 8 = −2.64 before r-b (0.25 − 0.4545) × 4 = −0.82 */
  g_assert_cmpstr (rate_at (rates, 0)->rep_id, ==, "r-a");
  g_assert_cmpstr (rate_at (rates, 1)->rep_id, ==, "r-b");
  g_assert_cmpstr (rate_at (rates, 2)->rep_id, ==, "r-c");
}

/* fl_rep_profile_load */

static void
test_profile_rep (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(FlRepProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = load (store, "r-a", fl_test_time (NOW));
  g_assert_cmpstr (profile->rep->id, ==, "r-a");
  g_assert_cmpstr (profile->rep->name, ==, "Rep r-a");
  g_assert_cmpstr (profile->rep->phone, ==, "13800000001");
  g_assert_cmpstr (profile->rep->region, ==, "330700");
  g_assert_cmpstr (profile->region_name, ==, "金华市");
  g_assert_cmpuint (profile->n_customers, ==, 2);
  g_assert_true (g_hash_table_contains (profile->customers, "c-a1"));
  g_assert_true (g_hash_table_contains (profile->customers, "c-a2"));
  g_assert_cmpuint (profile->conversions->len, ==, 0);
  for (guint i = 0; i < FL_REP_PROFILE_DAYS; i++)
    g_assert_cmpuint (profile->visits_per_day[i], ==, 0);
  g_clear_pointer (&profile, fl_rep_profile_free);

  profile = load (store, "r-c", fl_test_time (NOW));
  g_assert_null (profile->rep->phone);
  g_assert_cmpuint (profile->n_customers, ==, 0);
  g_clear_pointer (&profile, fl_rep_profile_free);

  profile = fl_rep_profile_load (store, "r-zz", fl_test_time (NOW), &error);
  g_assert_null (profile);
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "r-zz"));
}

static void
test_profile_visits_per_day (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlRepProfile) profile = NULL;
  const char *starts[] = {
    "2026-11-09T23:59:59+08:00",   /* before the first day */
    "2026-11-10T00:00:00+08:00",   /* [0] (2026-11-09 16:00 UTC) */
    "2026-11-10T23:59:59+08:00",   /* [0] */
    "2026-11-11T00:00:00+08:00",   /* [1] */
    "2026-11-16T12:00:00+08:00",   /* [6] */
    "2026-11-22T23:59:59+08:00",   /* [12] */
    "2026-11-23T00:00:00+08:00",   /* [13] */
    NOW,                           /* [13]: at now */
    "2026-11-23T09:00:01+08:00",   /* after now */
  };
  guint expected[FL_REP_PROFILE_DAYS] = { 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2 };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    fl_test_add_visit (d, NULL, "c-a1", "r-a", fl_test_time (starts[i]), FL_ACHIEVED_NULL);
  /* another rep's visit, on the rep's customer */
  fl_test_add_visit (d, NULL, "c-a1", "r-b", fl_test_time ("2026-11-20T10:00:00+08:00"),
                     FL_ACHIEVED_NULL);
  store = fl_test_import (d);

  profile = load (store, "r-a", fl_test_time (NOW));
  g_assert_cmpint (profile->first_day, ==, fl_date_from_ymd (2026, 11, 10));
  for (guint i = 0; i < FL_REP_PROFILE_DAYS; i++)
    g_assert_cmpuint (profile->visits_per_day[i], ==, expected[i]);
  g_clear_pointer (&profile, fl_rep_profile_free);

  /* Now at 23:59:59 local, the last second of the day: the same window, and
   * the visit after 09:00 counts. */
  profile = load (store, "r-a", fl_test_time ("2026-11-23T23:59:59+08:00"));
  g_assert_cmpint (profile->first_day, ==, fl_date_from_ymd (2026, 11, 10));
  g_assert_cmpuint (profile->visits_per_day[13], ==, 3);
  g_assert_cmpuint (profile->visits_per_day[0], ==, 2);
  g_clear_pointer (&profile, fl_rep_profile_free);

  /* A second later it is the 24th: the window moves by a day. */
  profile = load (store, "r-a", fl_test_time ("2026-11-24T00:00:00+08:00"));
  g_assert_cmpint (profile->first_day, ==, fl_date_from_ymd (2026, 11, 11));
  g_assert_cmpuint (profile->visits_per_day[0], ==, 1);
  g_assert_cmpuint (profile->visits_per_day[12], ==, 3);
  g_assert_cmpuint (profile->visits_per_day[13], ==, 0);
}

static void
assert_conversion (const FlCategoryConversion *c,
                   guint rep_pitched, guint rep_signed,
                   guint team_pitched, guint team_signed,
                   guint province_pitched, guint province_signed)
{
  g_assert_nonnull (c);
  g_assert_cmpuint (c->rep_pitched, ==, rep_pitched);
  g_assert_cmpuint (c->rep_signed, ==, rep_signed);
  g_assert_cmpuint (c->team_pitched, ==, team_pitched);
  g_assert_cmpuint (c->team_signed, ==, team_signed);
  g_assert_cmpuint (c->province_pitched, ==, province_pitched);
  g_assert_cmpuint (c->province_signed, ==, province_signed);
  g_assert_cmpfloat_with_epsilon (c->rep_rate,
                                  rep_pitched ? (double) rep_signed / rep_pitched : 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (c->team_rate,
                                  team_pitched ? (double) team_signed / team_pitched : 0.0,
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (c->province_rate,
                                  province_pitched ? (double) province_signed / province_pitched
                                                   : 0.0, 1e-12);
}

static void
test_profile_conversions (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlRepProfile) profile = NULL;
  const FlCategoryConversion *c;

  /* The period: W44..W47 = [2026-10-26 00:00, 2026-11-23 00:00) local. */
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-18T10:00:00+08:00", "p-milk", 10, 2);
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-10-26T00:00:00+08:00", "p-milk", 5, 1);
  /* W43, W48 */
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-10-25T23:59:59+08:00", "p-milk", 3, 3);
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-23T00:00:00+08:00", "p-chips", 4, 4);
  fl_test_add_pitch_visit (d, "c-b", "r-b", "2026-11-22T23:59:59+08:00", "p-milk", 4, 3);
  fl_test_add_pitch_visit (d, "c-b", "r-b", "2026-11-04T10:00:00+08:00", "p-chips", 6, 3);
  fl_test_add_pitch_visit (d, "c-h", "r-h", "2026-11-02T10:00:00+08:00", "p-milk", 10, 5);
  fl_test_add_pitch_visit (d, "c-h", "r-h", "2026-11-02T11:00:00+08:00", "p-chips", 4, 0);
  fl_test_add_pitch_visit (d, "c-h", "r-h", "2026-11-02T12:00:00+08:00", "p-dumplings", 9, 9);
  store = fl_test_import (d);

  profile = load (store, "r-a", fl_test_time (NOW));
  g_assert_cmpint (profile->period_start, ==, fl_test_time ("2026-10-26T00:00:00+08:00"));
  g_assert_cmpint (profile->period_end, ==, fl_test_time ("2026-11-23T00:00:00+08:00"));
  /* dairy, snacks (the team's); not frozen (only another team's) */
  g_assert_cmpuint (profile->conversions->len, ==, 2);
  c = g_ptr_array_index (profile->conversions, 0);
  g_assert_cmpstr (c->category, ==, "dairy");
  g_assert_cmpstr (c->category_name, ==, "乳制品");
  assert_conversion (c, 15, 3, 19, 6, 29, 11);
  c = g_ptr_array_index (profile->conversions, 1);
  g_assert_cmpstr (c->category, ==, "snacks");
  g_assert_cmpstr (c->category_name, ==, "休闲食品");
  assert_conversion (c, 0, 0, 6, 3, 10, 3);
  g_assert_true (fl_rep_profile_find_category (profile, "snacks") == c);
  g_assert_null (fl_rep_profile_find_category (profile, "frozen"));
  g_clear_pointer (&profile, fl_rep_profile_free);

  /* r-h: dairy, snacks and frozen; the team is 杭州 alone. */
  profile = load (store, "r-h", fl_test_time (NOW));
  g_assert_cmpuint (profile->conversions->len, ==, 3);
  assert_conversion (fl_rep_profile_find_category (profile, "dairy"), 10, 5, 10, 5, 29, 11);
  assert_conversion (fl_rep_profile_find_category (profile, "frozen"), 9, 9, 9, 9, 9, 9);
  assert_conversion (fl_rep_profile_find_category (profile, "snacks"), 4, 0, 4, 0, 10, 3);
  g_clear_pointer (&profile, fl_rep_profile_free);

  /* A week later the period is W45..W48 = [11-02, 11-30): r-a's W44 pitches
   * (5/1 on 10-26) drop out, r-a's W48 snacks come in. */
  profile = load (store, "r-a", fl_test_time ("2026-11-30T00:00:00+08:00"));
  assert_conversion (fl_rep_profile_find_category (profile, "dairy"), 10, 2, 14, 5, 24, 10);
  assert_conversion (fl_rep_profile_find_category (profile, "snacks"), 4, 4, 10, 7, 14, 7);
}

/* The weekly totals kept with the store follow the cache: a re-import on the
 * same connection, and a write through another connection. */
static void
test_profile_totals_follow_changes (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlDataset) d2 = new_dataset ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlStore) other = NULL;
  g_autoptr(FlRepProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = fl_test_time (NOW);

  dir = g_dir_make_tmp ("test-rep-profile-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.sqlite", NULL);
  store = fl_store_open (path, &error);
  g_assert_no_error (error);

  fl_test_add_pitch_visit (d, "c-b", "r-b", "2026-11-18T10:00:00+08:00", "p-milk", 4, 3);
  g_assert_true (fl_store_import_dataset (store, d, &error));
  profile = load (store, "r-a", now);
  assert_conversion (fl_rep_profile_find_category (profile, "dairy"), 0, 0, 4, 3, 4, 3);
  g_clear_pointer (&profile, fl_rep_profile_free);

  fl_test_add_pitch_visit (d, "c-b", "r-b", "2026-11-18T11:00:00+08:00", "p-milk", 6, 0);
  g_assert_true (fl_store_import_dataset (store, d, &error));
  profile = load (store, "r-a", now);
  assert_conversion (fl_rep_profile_find_category (profile, "dairy"), 0, 0, 10, 3, 10, 3);
  g_clear_pointer (&profile, fl_rep_profile_free);

  other = fl_store_open (path, &error);
  g_assert_no_error (error);
  fl_test_add_pitch_visit (d2, "c-b", "r-b", "2026-11-18T10:00:00+08:00", "p-milk", 1, 1);
  fl_test_add_pitch_visit (d2, "c-h", "r-h", "2026-11-18T10:00:00+08:00", "p-milk", 2, 2);
  g_assert_true (fl_store_import_dataset (other, d2, &error));
  profile = load (store, "r-a", now);
  assert_conversion (fl_rep_profile_find_category (profile, "dairy"), 0, 0, 1, 1, 3, 3);
  g_clear_pointer (&profile, fl_rep_profile_free);

  g_clear_object (&other);
  g_clear_object (&store);
  g_remove (path);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *side = g_strconcat (path, i == 0 ? "-wal" : "-shm", NULL);

      g_remove (side);
    }
  g_rmdir (dir);
}

static guint
index_of (GPtrArray  *alerts,
          const char *id)
{
  for (guint i = 0; i < alerts->len; i++)
    if (g_strcmp0 (((FlAlert *) g_ptr_array_index (alerts, i))->id, id) == 0)
      return i;
  return G_MAXUINT;
}

static void
test_profile_pending_alerts (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(FlRepProfile) profile = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *stall_id = NULL;
  gint64 now = fl_test_time (NOW);

  /* churn on c-a2 (r-a's, 126,000) and on c-b (r-b's, 90,000) */
  fl_test_add_visit (d, NULL, "c-a2", "r-a", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, NULL, "c-a2", "r-a", now - 5 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, NULL, "c-b", "r-b", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, NULL, "c-b", "r-b", now - 5 * DAY, FL_ACHIEVED_FALSE);
  /* stall on o-1 of c-a1 (80,000) and on o-3 of c-b (60,000); o-2 too small */
  fl_test_add_opportunity (d, "o-1", "c-a1", 80000.0, FL_STAGE_OPEN, FALSE, now - 40 * DAY);
  fl_test_add_opportunity (d, "o-2", "c-a1", 10000.0, FL_STAGE_OPEN, FALSE, now - 40 * DAY);
  fl_test_add_opportunity (d, "o-3", "c-b", 60000.0, FL_STAGE_OPEN, FALSE, now - 40 * DAY);
  /* gap 330700 × dairy, pitched by r-a only: (0.45 − 0.1) × 10 × 1800 = 6,300 */
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-11T10:00:00+08:00", "p-milk", 10, 1);
  fl_test_add_pitch_visit (d, "c-a1", "r-a", "2026-11-18T10:00:00+08:00", "p-milk", 10, 1);
  fl_test_add_pitch_visit (d, "c-h", "r-h", "2026-11-11T10:00:00+08:00", "p-milk", 10, 8);
  fl_test_add_pitch_visit (d, "c-h", "r-h", "2026-11-18T10:00:00+08:00", "p-milk", 10, 8);
  store = fl_test_import (d);

  evaluation = fl_test_evaluate (store, now, NULL);
  g_assert_nonnull (fl_evaluation_find_alert (evaluation, "gap:330700:dairy:2026-W47"));

  profile = load (store, "r-a", now);
  g_assert_true (g_hash_table_contains (profile->opportunities, "o-1"));
  g_assert_true (g_hash_table_contains (profile->opportunities, "o-2"));
  g_assert_false (g_hash_table_contains (profile->opportunities, "o-3"));
  alerts = fl_rep_profile_pending_alerts (profile, evaluation);
  stall_id = g_strdup_printf ("stall:o-1:%" G_GINT64_FORMAT, now - 40 * DAY);
  g_assert_cmpuint (alerts->len, ==, 3);
  g_assert_cmpuint (index_of (alerts, "churn:c-a2:v-1"), ==, 0);
  g_assert_cmpuint (index_of (alerts, stall_id), ==, 1);
  g_assert_cmpuint (index_of (alerts, "gap:330700:dairy:2026-W47"), ==, 2);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  g_clear_pointer (&profile, fl_rep_profile_free);

  /* r-b: the churn on c-b and the stall of o-3, not the gap (no dairy). */
  profile = load (store, "r-b", now);
  alerts = fl_rep_profile_pending_alerts (profile, evaluation);
  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_cmpuint (index_of (alerts, "churn:c-b:v-3"), ==, 0);
  g_assert_cmpint (((FlAlert *) g_ptr_array_index (alerts, 1))->category, ==, FL_ALERT_STALL);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  g_clear_pointer (&profile, fl_rep_profile_free);
  g_clear_pointer (&evaluation, fl_evaluation_free);
  g_clear_object (&store);

  /* Once actioned, the stall is no longer pending. */
  fl_test_add_action (d, NULL, stall_id, now - 3600);
  store = fl_test_import (d);
  evaluation = fl_test_evaluate (store, now, NULL);
  profile = load (store, "r-a", now);
  alerts = fl_rep_profile_pending_alerts (profile, evaluation);
  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_cmpuint (index_of (alerts, "churn:c-a2:v-1"), ==, 0);
  g_assert_cmpuint (index_of (alerts, "gap:330700:dairy:2026-W47"), ==, 1);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* No evaluation yet: nothing. */
  alerts = fl_rep_profile_pending_alerts (profile, NULL);
  g_assert_cmpuint (alerts->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/rep-profile/team-rates/order", test_team_rates_order);
  g_test_add_func ("/rep-profile/team-rates/ties-and-ranges", test_team_rates_ties_and_ranges);
  g_test_add_func ("/rep-profile/team-rates/not-found", test_team_rates_not_found);
  g_test_add_func ("/rep-profile/team-rates/match-gap-alert", test_team_rates_match_gap_alert);
  g_test_add_func ("/rep-profile/rep", test_profile_rep);
  g_test_add_func ("/rep-profile/visits-per-day", test_profile_visits_per_day);
  g_test_add_func ("/rep-profile/conversions", test_profile_conversions);
  g_test_add_func ("/rep-profile/totals-follow-changes", test_profile_totals_follow_changes);
  g_test_add_func ("/rep-profile/pending-alerts", test_profile_pending_alerts);

  return g_test_run ();
}
