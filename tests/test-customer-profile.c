/* test-customer-profile.c — the customer page's data: health, visits, opportunities, competitors
 *
 * The process runs with TZ=UTC; weeks are the dataset's (Asia/Shanghai).
 * Now is Monday 2026-11-23 09:00 +08:00, ISO week 2026-W48.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <locale.h>
#include <string.h>
#include <glib.h>

#include "fl-core.h"
#include "fl-test-data.h"

#define DAY G_GINT64_CONSTANT (86400)
#define NOW_TEXT "2026-11-23T09:00:00+08:00"

/* Dataset builders */

/* A snapshot of @week whose dimensions are @first, @first + 1, … */
static void
add_health (FlCustomer *customer,
            const char *week,
            int         first)
{
  FlHealth *health = fl_test_add_health (customer, week, 0);

  for (guint k = 0; k < FL_N_HEALTH_DIMENSIONS; k++)
    health->scores[k] = first + (int) k;
}

/* A visit of 45 min at @start, committing "action <id>"; no follow-up, photos,
 * price or shelf share unless the caller sets them. */
static FlVisit *
add_visit (FlDataset   *d,
           const char  *id,
           const char  *customer,
           const char  *rep,
           gint64       start,
           FlAchieved   achieved,
           const char  *keywords)
{
  FlVisit *visit = fl_test_add_visit (d, id, customer, rep, start, achieved);

  visit->end = start + 2700;
  visit->uploaded = visit->end + 60;
  fl_test_visit_set_keywords (visit, keywords);
  g_free (visit->committed_action);
  visit->committed_action = g_strdup_printf ("action %s", id);
  return visit;
}

/* c-1 (金华市, owner r-1, tier A):
 *   health W44 (1…), W45 (10…), W47 (40…), W48 (70…), W49 (90…, after now's week);
 *   visits, oldest first: v-01 (−10 d, r-1, price 12.5, shelf 0.30, 2 photos,
 *   follow-up −3 d), v-02 (−5 d, r-2, shelf 0.25, achieved no), v-03 (−2 d,
 *   achieved yes), v-04a and v-04b (both −1 d: the id breaks the tie), v-05
 *   (exactly now), v-06 (now + 1 s, price 99: not yet);
 *   opportunities o-1 and o-2 (80,000, idle exactly 30 d and 30 d − 1 s),
 *   o-3 (120,000, custom, progress after now), o-4 won, o-5 lost.
 * c-2: health W41, W42, W46: the latest before W48 is W46, three weeks before
 *   is W43, whose latest is W42. An open opportunity o-6.
 * c-3: health W47 only (nothing three weeks before).
 * c-4: nothing at all, owned by r-2 in 杭州市.
 * c-5: health 2025-W50, 2025-W51, 2026-W01 (the year boundary). */
static FlStore *
new_store (gint64 now)
{
  g_autoptr(FlDataset) d = fl_test_dataset_new ();
  FlCustomer *c;
  FlVisit *v;

  fl_test_add_region (d, "330700", "金华市");
  fl_test_add_region (d, "330100", "杭州市");
  fl_test_add_rep (d, "r-1", "330700");
  fl_test_add_rep (d, "r-2", "330100");

  c = fl_test_add_customer (d, "c-1", NULL, "330700", "r-1", 'A', 123456.5);
  add_health (c, "2026-W44", 1);
  add_health (c, "2026-W45", 10);
  add_health (c, "2026-W47", 40);
  add_health (c, "2026-W48", 70);
  add_health (c, "2026-W49", 90);
  c = fl_test_add_customer (d, "c-2", NULL, "330700", "r-1", 'B', 1000);
  add_health (c, "2026-W41", 5);
  add_health (c, "2026-W42", 15);
  add_health (c, "2026-W46", 25);
  c = fl_test_add_customer (d, "c-3", NULL, "330700", "r-1", 'C', 1000);
  add_health (c, "2026-W47", 33);
  fl_test_add_customer (d, "c-4", NULL, "330100", "r-2", 'C', 0);
  c = fl_test_add_customer (d, "c-5", NULL, "330700", "r-1", 'A', 1000);
  add_health (c, "2025-W50", 50);
  add_health (c, "2025-W51", 51);
  add_health (c, "2026-W01", 60);

  v = add_visit (d, "v-01", "c-1", "r-1", now - 10 * DAY, FL_ACHIEVED_NULL, "价格,库存");
  v->has_competitor_price = TRUE;
  v->competitor_price = 12.5;
  v->has_shelf_share = TRUE;
  v->shelf_share = 0.30;
  v->photos = 2;
  v->has_next_follow_up = TRUE;
  v->next_follow_up = now - 3 * DAY;
  v = add_visit (d, "v-02", "c-1", "r-2", now - 5 * DAY, FL_ACHIEVED_FALSE, NULL);
  v->has_shelf_share = TRUE;
  v->shelf_share = 0.25;
  add_visit (d, "v-03", "c-1", "r-1", now - 2 * DAY, FL_ACHIEVED_TRUE, "缺货");
  add_visit (d, "v-04a", "c-1", "r-1", now - DAY, FL_ACHIEVED_TRUE, NULL);
  add_visit (d, "v-04b", "c-1", "r-1", now - DAY, FL_ACHIEVED_TRUE, NULL);
  add_visit (d, "v-05", "c-1", "r-1", now, FL_ACHIEVED_TRUE, NULL);
  v = add_visit (d, "v-06", "c-1", "r-1", now + 1, FL_ACHIEVED_FALSE, NULL);
  v->has_competitor_price = TRUE;
  v->competitor_price = 99;
  add_visit (d, "v-07", "c-2", "r-1", now - DAY, FL_ACHIEVED_TRUE, NULL);

  fl_test_add_opportunity (d, "o-2", "c-1", 80000, FL_STAGE_OPEN, FALSE, now - 30 * DAY + 1);
  fl_test_add_opportunity (d, "o-1", "c-1", 80000, FL_STAGE_OPEN, FALSE, now - 30 * DAY);
  fl_test_add_opportunity (d, "o-3", "c-1", 120000, FL_STAGE_OPEN, TRUE, now + 3600);
  fl_test_add_opportunity (d, "o-4", "c-1", 500000, FL_STAGE_WON, FALSE, now - DAY);
  fl_test_add_opportunity (d, "o-5", "c-1", 1000, FL_STAGE_LOST, FALSE, now - DAY);
  fl_test_add_opportunity (d, "o-6", "c-2", 9000, FL_STAGE_OPEN, FALSE, now - DAY);

  return fl_test_import (d);
}

/* The profile of @id at @now with at most @max_visits visits (asserts it loads). */
static FlCustomerProfile *
load (FlStore    *store,
      const char *id,
      gint64      now,
      guint       max_visits)
{
  g_autoptr(GError) error = NULL;
  FlCustomerProfile *profile = fl_customer_profile_load (store, id, now, max_visits, &error);

  g_assert_no_error (error);
  return profile;
}

static void
assert_scores (const FlHealth *health,
               const char     *week,
               int             first)
{
  g_assert_cmpstr (health->week, ==, week);
  for (guint k = 0; k < FL_N_HEALTH_DIMENSIONS; k++)
    g_assert_cmpint (health->scores[k], ==, first + (int) k);
}

static const FlVisit *
visit_at (FlCustomerProfile *profile,
          guint              i)
{
  g_assert_cmpuint (i, <, profile->visits->len);
  return ((FlProfileVisit *) g_ptr_array_index (profile->visits, i))->visit;
}

static const char *
rep_name_at (FlCustomerProfile *profile,
             guint              i)
{
  g_assert_cmpuint (i, <, profile->visits->len);
  return ((FlProfileVisit *) g_ptr_array_index (profile->visits, i))->rep_name;
}

static const FlProfileOpportunity *
opportunity_at (FlCustomerProfile *profile,
                guint              i)
{
  g_assert_cmpuint (i, <, profile->opportunities->len);
  return g_ptr_array_index (profile->opportunities, i);
}

/* Tests */

static void
test_header (void)
{
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(FlCustomerProfile) profile = NULL;

  profile = load (store, "c-1", now, 20);
  g_assert_nonnull (profile);
  g_assert_cmpstr (profile->customer->id, ==, "c-1");
  g_assert_cmpstr (profile->customer->name, ==, "Customer c-1");
  g_assert_cmpint (profile->customer->tier, ==, 'A');
  g_assert_cmpfloat (profile->customer->revenue_90d, ==, 123456.5);
  g_assert_cmpstr (profile->customer->region, ==, "330700");
  g_assert_cmpstr (profile->customer->owner_rep, ==, "r-1");
  g_assert_cmpstr (profile->owner_name, ==, "Rep r-1");
  g_assert_cmpstr (profile->region_name, ==, "金华市");

  g_clear_pointer (&profile, fl_customer_profile_free);
  profile = load (store, "c-4", now, 20);
  g_assert_cmpstr (profile->owner_name, ==, "Rep r-2");
  g_assert_cmpstr (profile->region_name, ==, "杭州市");
}

static void
test_health (void)
{
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(FlCustomerProfile) c1 = NULL;
  g_autoptr(FlCustomerProfile) c2 = NULL;
  g_autoptr(FlCustomerProfile) c3 = NULL;
  g_autoptr(FlCustomerProfile) c4 = NULL;

  /* The week of now, and exactly three weeks before (W47 and W44 ignored,
   * W49 is after now's week). */
  c1 = load (store, "c-1", now, 20);
  g_assert_cmpstr (c1->week, ==, "2026-W48");
  g_assert_true (c1->has_health);
  assert_scores (&c1->health, "2026-W48", 70);
  g_assert_cmpstr (c1->compare_week, ==, "2026-W45");
  g_assert_true (c1->has_previous);
  assert_scores (&c1->previous, "2026-W45", 10);

  /* No snapshot this week: the latest before it, and three weeks before that
   * one (W43, none) falls back to the latest before it. */
  c2 = load (store, "c-2", now, 20);
  g_assert_cmpstr (c2->week, ==, "2026-W48");
  g_assert_true (c2->has_health);
  assert_scores (&c2->health, "2026-W46", 25);
  g_assert_cmpstr (c2->compare_week, ==, "2026-W43");
  g_assert_true (c2->has_previous);
  assert_scores (&c2->previous, "2026-W42", 15);

  c3 = load (store, "c-3", now, 20);
  g_assert_true (c3->has_health);
  assert_scores (&c3->health, "2026-W47", 33);
  g_assert_false (c3->has_previous);

  c4 = load (store, "c-4", now, 20);
  g_assert_cmpstr (c4->week, ==, "2026-W48");
  g_assert_false (c4->has_health);
  g_assert_false (c4->has_previous);
}

static void
test_health_week_boundaries (void)
{
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(FlCustomerProfile) profile = NULL;

  /* Monday 00:30 in Shanghai is still Sunday (W47) in UTC: the store's zone
   * decides. */
  profile = load (store, "c-1", fl_test_time ("2026-11-23T00:30:00+08:00"), 20);
  g_assert_cmpstr (profile->week, ==, "2026-W48");
  assert_scores (&profile->health, "2026-W48", 70);
  g_clear_pointer (&profile, fl_customer_profile_free);

  /* One second before: Sunday 23:59:59, W47; three weeks before is W44. */
  profile = load (store, "c-1", fl_test_time ("2026-11-22T23:59:59+08:00"), 20);
  g_assert_cmpstr (profile->week, ==, "2026-W47");
  assert_scores (&profile->health, "2026-W47", 40);
  g_assert_cmpstr (profile->compare_week, ==, "2026-W44");
  g_assert_true (profile->has_previous);
  assert_scores (&profile->previous, "2026-W44", 1);
  g_clear_pointer (&profile, fl_customer_profile_free);

  /* Across the new year: 2026-W01 (Monday 2025-12-29) − 3 weeks = 2025-W50,
   * not 2025-W51. */
  profile = load (store, "c-5", fl_test_time ("2026-01-01T09:00:00+08:00"), 20);
  g_assert_cmpstr (profile->week, ==, "2026-W01");
  assert_scores (&profile->health, "2026-W01", 60);
  g_assert_cmpstr (profile->compare_week, ==, "2025-W50");
  g_assert_true (profile->has_previous);
  assert_scores (&profile->previous, "2025-W50", 50);
  g_clear_pointer (&profile, fl_customer_profile_free);

  /* Before every snapshot of c-5: nothing. */
  profile = load (store, "c-5", fl_test_time ("2025-12-07T09:00:00+08:00"), 20);
  g_assert_false (profile->has_health);
  g_assert_false (profile->has_previous);
}

static void
test_visits (void)
{
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(FlCustomerProfile) profile = NULL;
  const FlVisit *v;

  profile = load (store, "c-1", now, 20);

  /* v-06 starts after now; the rest newest first, v-04b before v-04a. */
  g_assert_cmpuint (profile->n_visits, ==, 6);
  g_assert_cmpuint (profile->visits->len, ==, 6);
  g_assert_cmpstr (visit_at (profile, 0)->id, ==, "v-05");
  g_assert_cmpstr (visit_at (profile, 1)->id, ==, "v-04b");
  g_assert_cmpstr (visit_at (profile, 2)->id, ==, "v-04a");
  g_assert_cmpstr (visit_at (profile, 3)->id, ==, "v-03");
  g_assert_cmpstr (visit_at (profile, 4)->id, ==, "v-02");
  g_assert_cmpstr (visit_at (profile, 5)->id, ==, "v-01");
  g_assert_cmpstr (rep_name_at (profile, 4), ==, "Rep r-2");
  g_assert_cmpstr (rep_name_at (profile, 5), ==, "Rep r-1");

  v = visit_at (profile, 0);
  g_assert_cmpint (v->start, ==, now);
  g_assert_cmpint (v->prev_action_achieved, ==, FL_ACHIEVED_TRUE);

  v = visit_at (profile, 4);
  g_assert_cmpstr (v->rep, ==, "r-2");
  g_assert_cmpuint (g_strv_length (v->pain_keywords), ==, 0);
  g_assert_cmpint (v->prev_action_achieved, ==, FL_ACHIEVED_FALSE);
  g_assert_false (v->has_next_follow_up);
  g_assert_false (v->has_competitor_price);
  g_assert_true (v->has_shelf_share);
  g_assert_cmpfloat (v->shelf_share, ==, 0.25);
  g_assert_cmpint (v->photos, ==, -1);

  v = visit_at (profile, 5);
  g_assert_cmpstr (v->customer, ==, "c-1");
  g_assert_cmpstr (v->rep, ==, "r-1");
  g_assert_cmpint (v->start, ==, now - 10 * DAY);
  g_assert_cmpint (v->end, ==, now - 10 * DAY + 2700);
  g_assert_cmpint (v->uploaded, ==, now - 10 * DAY + 2760);
  g_assert_cmpuint (g_strv_length (v->pain_keywords), ==, 2);
  g_assert_cmpstr (v->pain_keywords[0], ==, "价格");
  g_assert_cmpstr (v->pain_keywords[1], ==, "库存");
  g_assert_cmpstr (v->committed_action, ==, "action v-01");
  g_assert_true (v->has_next_follow_up);
  g_assert_cmpint (v->next_follow_up, ==, now - 3 * DAY);
  g_assert_cmpint (v->prev_action_achieved, ==, FL_ACHIEVED_NULL);
  g_assert_cmpint (v->photos, ==, 2);
  g_assert_true (v->has_competitor_price);
  g_assert_cmpfloat (v->competitor_price, ==, 12.5);
  g_assert_cmpfloat (v->shelf_share, ==, 0.30);
  g_assert_nonnull (v->pitches);
  g_assert_cmpuint (v->pitches->len, ==, 0);
}

static void
test_visits_limit (void)
{
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(FlCustomerProfile) profile = NULL;

  profile = load (store, "c-1", now, 3);
  g_assert_cmpuint (profile->n_visits, ==, 6);
  g_assert_cmpuint (profile->visits->len, ==, 3);
  g_assert_cmpstr (visit_at (profile, 0)->id, ==, "v-05");
  g_assert_cmpstr (visit_at (profile, 2)->id, ==, "v-04a");
  g_clear_pointer (&profile, fl_customer_profile_free);

  profile = load (store, "c-1", now, 0);
  g_assert_cmpuint (profile->n_visits, ==, 6);
  g_assert_cmpuint (profile->visits->len, ==, 0);
  g_clear_pointer (&profile, fl_customer_profile_free);

  /* One second before now: v-05 is not there yet. */
  profile = load (store, "c-1", now - 1, 20);
  g_assert_cmpuint (profile->n_visits, ==, 5);
  g_assert_cmpstr (visit_at (profile, 0)->id, ==, "v-04b");
  g_clear_pointer (&profile, fl_customer_profile_free);

  /* A second after: v-06 is. */
  profile = load (store, "c-1", now + 1, 20);
  g_assert_cmpuint (profile->n_visits, ==, 7);
  g_assert_cmpstr (visit_at (profile, 0)->id, ==, "v-06");
  g_clear_pointer (&profile, fl_customer_profile_free);

  profile = load (store, "c-4", now, 20);
  g_assert_cmpuint (profile->n_visits, ==, 0);
  g_assert_cmpuint (profile->visits->len, ==, 0);
}

static void
test_opportunities (void)
{
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(FlCustomerProfile) profile = NULL;
  const FlProfileOpportunity *o;

  profile = load (store, "c-1", now, 20);

  /* Open only (o-4 won, o-5 lost, o-6 another customer's); value desc, then id. */
  g_assert_cmpuint (profile->opportunities->len, ==, 3);
  o = opportunity_at (profile, 0);
  g_assert_cmpstr (o->opportunity->id, ==, "o-3");
  g_assert_cmpstr (o->opportunity->customer, ==, "c-1");
  g_assert_cmpfloat (o->opportunity->value, ==, 120000);
  g_assert_cmpint (o->opportunity->stage, ==, FL_STAGE_OPEN);
  g_assert_true (o->opportunity->custom_requirement);
  g_assert_cmpint (o->opportunity->last_progress, ==, now + 3600);
  g_assert_cmpint (o->days_idle, ==, 0);
  o = opportunity_at (profile, 1);
  g_assert_cmpstr (o->opportunity->id, ==, "o-1");
  g_assert_false (o->opportunity->custom_requirement);
  g_assert_cmpint (o->days_idle, ==, 30);
  o = opportunity_at (profile, 2);
  g_assert_cmpstr (o->opportunity->id, ==, "o-2");
  g_assert_cmpint (o->days_idle, ==, 29);
  g_clear_pointer (&profile, fl_customer_profile_free);

  profile = load (store, "c-4", now, 20);
  g_assert_cmpuint (profile->opportunities->len, ==, 0);
}

static void
test_competitor_notes (void)
{
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(FlCustomerProfile) profile = NULL;

  /* Each from its own latest visit; v-06's price (after now) is not seen. */
  profile = load (store, "c-1", now, 20);
  g_assert_true (profile->has_competitor_price);
  g_assert_cmpfloat (profile->competitor_price, ==, 12.5);
  g_assert_cmpint (profile->competitor_price_time, ==, now - 10 * DAY);
  g_assert_cmpstr (profile->competitor_price_visit, ==, "v-01");
  g_assert_true (profile->has_shelf_share);
  g_assert_cmpfloat (profile->shelf_share, ==, 0.25);
  g_assert_cmpint (profile->shelf_share_time, ==, now - 5 * DAY);
  g_assert_cmpstr (profile->shelf_share_visit, ==, "v-02");
  g_clear_pointer (&profile, fl_customer_profile_free);

  /* Once v-06 has started its price is the latest; before v-02 the shelf
   * share is v-01's. */
  profile = load (store, "c-1", now + 1, 20);
  g_assert_cmpfloat (profile->competitor_price, ==, 99);
  g_assert_cmpstr (profile->competitor_price_visit, ==, "v-06");
  g_clear_pointer (&profile, fl_customer_profile_free);
  profile = load (store, "c-1", now - 5 * DAY - 1, 20);
  g_assert_cmpfloat (profile->shelf_share, ==, 0.30);
  g_assert_cmpstr (profile->shelf_share_visit, ==, "v-01");
  g_clear_pointer (&profile, fl_customer_profile_free);

  profile = load (store, "c-2", now, 20);
  g_assert_false (profile->has_competitor_price);
  g_assert_null (profile->competitor_price_visit);
  g_assert_false (profile->has_shelf_share);
  g_assert_null (profile->shelf_share_visit);
}

static void
test_unknown (void)
{
  gint64 now = fl_test_time (NOW_TEXT);
  g_autoptr(FlStore) store = new_store (now);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlCustomerProfile) profile = NULL;

  profile = fl_customer_profile_load (store, "c-404", now, 20, &error);
  g_assert_null (profile);
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "c-404"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/customer-profile/header", test_header);
  g_test_add_func ("/customer-profile/health", test_health);
  g_test_add_func ("/customer-profile/health/week-boundaries", test_health_week_boundaries);
  g_test_add_func ("/customer-profile/visits", test_visits);
  g_test_add_func ("/customer-profile/visits/limit", test_visits_limit);
  g_test_add_func ("/customer-profile/opportunities", test_opportunities);
  g_test_add_func ("/customer-profile/competitor-notes", test_competitor_notes);
  g_test_add_func ("/customer-profile/unknown", test_unknown);

  return g_test_run ();
}
