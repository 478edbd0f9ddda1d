/* test-rules.c — the rule boundaries of FORMATS.md §2, ranking, region status,
 * the status document and titles
 *
 * The process runs with TZ=UTC: every calendar question must be answered in
 * the dataset's Asia/Shanghai, which the week-boundary tests check.
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

/* Dataset builders */

/* Three prefectures, a rep and a customer in each, two categories. */
static FlDataset *
new_dataset (void)
{
  FlDataset *d = fl_test_dataset_new ();

  fl_test_add_region (d, "330700", "金华市");
  fl_test_add_region (d, "330100", "杭州市");
  fl_test_add_region (d, "330200", "宁波市");
  fl_test_add_rep (d, "r-hz", "330100");
  fl_test_add_rep (d, "r-jh", "330700");
  fl_test_add_rep (d, "r-nb", "330200");
  fl_test_add_category (d, "dairy", "乳制品", 1800.0);
  fl_test_add_category (d, "snacks", "休闲食品", 500.0);
  fl_test_add_product (d, "p-milk", NULL, "dairy");
  fl_test_add_product (d, "p-yogurt", NULL, "dairy");
  fl_test_add_product (d, "p-chips", NULL, "snacks");
  fl_test_add_customer (d, "c-hz", "杭州联华超市", "330100", "r-hz", 'A', 20000.0);
  fl_test_add_customer (d, "c-jh", "永康市华联超市", "330700", "r-jh", 'A', 126000.0);
  fl_test_add_customer (d, "c-nb", "宁波三江超市", "330200", "r-nb", 'A', 5000.0);
  /* where the gap tests pitch, so that their visits stay out of churn tests */
  fl_test_add_customer (d, "c-hz-p", "杭州试点店", "330100", "r-hz", 'A', 100.0);
  fl_test_add_customer (d, "c-jh-p", "金华试点店", "330700", "r-jh", 'A', 100.0);

  return d;
}

/* The rules on a fresh store holding @d. */
static FlEvaluation *
evaluate_with (FlDataset            *d,
               gint64                now,
               const FlRuleSettings *settings)
{
  g_autoptr(FlStore) store = fl_test_import (d);

  return fl_test_evaluate (store, now, settings);
}

static FlEvaluation *
evaluate (FlDataset *d,
          gint64     now)
{
  return evaluate_with (d, now, NULL);
}

static guint
count_category (FlEvaluation    *evaluation,
                FlAlertCategory  category)
{
  guint n = 0;

  for (guint i = 0; i < evaluation->alerts->len; i++)
    n += ((FlAlert *) g_ptr_array_index (evaluation->alerts, i))->category == category;
  return n;
}

static FlAlert *
only_alert (FlEvaluation    *evaluation,
            FlAlertCategory  category)
{
  FlAlert *found = NULL;

  g_assert_cmpuint (count_category (evaluation, category), ==, 1);
  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->category == category)
        found = alert;
    }
  return found;
}

/* Stall */

static void
test_stall_days (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  struct { gint64 age; gboolean alert; } cases[] = {
    { 30 * DAY, TRUE },
    { 30 * DAY - 1, FALSE },          /* 29 days 23:59:59 */
    { 29 * DAY, FALSE },
    { 45 * DAY + 3600, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FlDataset) d = new_dataset ();
      g_autoptr(FlEvaluation) evaluation = NULL;
      gint64 last_progress = now - cases[i].age;

      fl_test_add_opportunity (d, "o-0001", "c-jh", 80000.0, FL_STAGE_OPEN, FALSE, last_progress);
      evaluation = evaluate (d, now);

      if (cases[i].alert)
        {
          FlAlert *alert = only_alert (evaluation, FL_ALERT_STALL);
          g_autofree char *id = g_strdup_printf ("stall:o-0001:%" G_GINT64_FORMAT, last_progress);

          g_assert_cmpstr (alert->id, ==, id);
          g_assert_cmpstr (alert->subject, ==, "o-0001");
          g_assert_cmpstr (alert->region, ==, "330700");   /* the customer's region */
          g_assert_cmpfloat_with_epsilon (alert->value_at_risk, 80000.0, 0.001);
          g_assert_cmpint (alert->raised, ==, last_progress + 30 * DAY);
          g_assert_cmpint (alert->days_stalled, ==, cases[i].age / DAY);
          g_assert_false (alert->actioned);
        }
      else
        g_assert_cmpuint (count_category (evaluation, FL_ALERT_STALL), ==, 0);
    }
}

static void
test_stall_value_and_stage (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  FlAlert *alert;

  fl_test_add_opportunity (d, "o-exact", "c-jh", 50000.0, FL_STAGE_OPEN, FALSE, now - 40 * DAY);
  fl_test_add_opportunity (d, "o-above", "c-hz", 50000.01, FL_STAGE_OPEN, FALSE, now - 40 * DAY);
  fl_test_add_opportunity (d, "o-won", "c-jh", 90000.0, FL_STAGE_WON, FALSE, now - 40 * DAY);
  fl_test_add_opportunity (d, "o-lost", "c-jh", 90000.0, FL_STAGE_LOST, FALSE, now - 40 * DAY);
  evaluation = evaluate (d, now);

  alert = only_alert (evaluation, FL_ALERT_STALL);
  g_assert_cmpstr (alert->subject, ==, "o-above");
  g_assert_cmpstr (alert->region, ==, "330100");
  g_assert_cmpfloat_with_epsilon (alert->value_at_risk, 50000.01, 0.001);
}

static void
test_stall_settings (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  FlRuleSettings settings;
  FlAlert *alert;

  fl_rule_settings_init_default (&settings);
  g_assert_cmpfloat (settings.stall_min_value, ==, 50000.0);
  g_assert_cmpint (settings.stall_min_days, ==, 30);
  g_assert_cmpfloat (settings.gap_ratio, ==, 0.7);
  g_assert_cmpint (settings.gap_min_pitches, ==, 10);

  settings.stall_min_value = 10000.0;
  settings.stall_min_days = 10;
  fl_test_add_opportunity (d, "o-small", "c-jh", 20000.0, FL_STAGE_OPEN, FALSE, now - 10 * DAY);
  fl_test_add_opportunity (d, "o-young", "c-jh", 20000.0, FL_STAGE_OPEN, FALSE, now - 9 * DAY);
  evaluation = evaluate_with (d, now, &settings);

  alert = only_alert (evaluation, FL_ALERT_STALL);
  g_assert_cmpstr (alert->subject, ==, "o-small");
  g_assert_cmpint (alert->raised, ==, now);
}

/* Churn */

static void
test_churn_basic (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  FlAlert *alert;

  fl_test_add_visit (d, "v-1", "c-jh", "r-jh", now - 20 * DAY, FL_ACHIEVED_TRUE);
  fl_test_add_visit (d, "v-2", "c-jh", "r-jh", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-3", "c-jh", "r-jh", now - 3 * DAY, FL_ACHIEVED_FALSE);
  /* c-hz: latest false but the one before true */
  fl_test_add_visit (d, "v-4", "c-hz", "r-hz", now - 10 * DAY, FL_ACHIEVED_TRUE);
  fl_test_add_visit (d, "v-5", "c-hz", "r-hz", now - 3 * DAY, FL_ACHIEVED_FALSE);
  /* c-nb: a single visit is not enough */
  fl_test_add_visit (d, "v-6", "c-nb", "r-nb", now - 3 * DAY, FL_ACHIEVED_FALSE);
  evaluation = evaluate (d, now);

  alert = only_alert (evaluation, FL_ALERT_CHURN);
  g_assert_cmpstr (alert->id, ==, "churn:c-jh:v-3");
  g_assert_cmpstr (alert->subject, ==, "c-jh");
  g_assert_cmpstr (alert->region, ==, "330700");
  g_assert_cmpfloat_with_epsilon (alert->value_at_risk, 126000.0, 0.001);
  g_assert_cmpint (alert->raised, ==, now - 3 * DAY);
  g_assert_cmpstr (alert->visit_last, ==, "v-3");
  g_assert_cmpstr (alert->visit_before, ==, "v-2");
}

static void
test_churn_null (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;

  /* null (nothing committed) is not "not achieved", even with older misses */
  fl_test_add_visit (d, "v-1", "c-jh", "r-jh", now - 30 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-2", "c-jh", "r-jh", now - 20 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-3", "c-jh", "r-jh", now - 10 * DAY, FL_ACHIEVED_NULL);
  fl_test_add_visit (d, "v-4", "c-jh", "r-jh", now - 3 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-5", "c-hz", "r-hz", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-6", "c-hz", "r-hz", now - 3 * DAY, FL_ACHIEVED_NULL);
  evaluation = evaluate (d, now);

  g_assert_cmpuint (count_category (evaluation, FL_ALERT_CHURN), ==, 0);
}

static void
test_churn_order (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  FlAlert *alert;

  /* Inserted out of order, ids against start order: the two most recent by
   * start are v-a and v-c; by id or insertion they would be v-b and v-c. */
  fl_test_add_visit (d, "v-c", "c-jh", "r-jh", now - 5 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-a", "c-jh", "r-jh", now - 1 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-b", "c-jh", "r-jh", now - 9 * DAY, FL_ACHIEVED_TRUE);

  /* c-hz: the most recent by insertion order is not the most recent by start */
  fl_test_add_visit (d, "v-9", "c-hz", "r-hz", now - 1 * DAY, FL_ACHIEVED_TRUE);
  fl_test_add_visit (d, "v-7", "c-hz", "r-hz", now - 5 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-8", "c-hz", "r-hz", now - 9 * DAY, FL_ACHIEVED_FALSE);

  /* c-nb: two visits with the same start: ties by id, the greater is the latest */
  fl_test_add_visit (d, "v-y", "c-nb", "r-nb", now - 2 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-x", "c-nb", "r-nb", now - 2 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-w", "c-nb", "r-nb", now - 9 * DAY, FL_ACHIEVED_TRUE);
  evaluation = evaluate (d, now);

  g_assert_cmpuint (count_category (evaluation, FL_ALERT_CHURN), ==, 2);
  alert = fl_evaluation_find_alert (evaluation, "churn:c-jh:v-a");
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->visit_before, ==, "v-c");
  g_assert_cmpint (alert->raised, ==, now - 1 * DAY);
  alert = fl_evaluation_find_alert (evaluation, "churn:c-nb:v-y");
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->visit_before, ==, "v-x");
  g_assert_null (fl_evaluation_find_alert (evaluation, "churn:c-hz:v-7"));
}

static void
test_churn_future (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(FlEvaluation) later = NULL;

  /* c-jh: a future visit achieving its action is not counted yet */
  fl_test_add_visit (d, "v-1", "c-jh", "r-jh", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-2", "c-jh", "r-jh", now, FL_ACHIEVED_FALSE);  /* at now: counted */
  fl_test_add_visit (d, "v-3", "c-jh", "r-jh", now + 1, FL_ACHIEVED_TRUE);
  /* c-hz: a future miss does not make an alert yet */
  fl_test_add_visit (d, "v-4", "c-hz", "r-hz", now - 10 * DAY, FL_ACHIEVED_TRUE);
  fl_test_add_visit (d, "v-5", "c-hz", "r-hz", now - 1 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-6", "c-hz", "r-hz", now + DAY, FL_ACHIEVED_FALSE);

  evaluation = evaluate (d, now);
  g_assert_cmpuint (count_category (evaluation, FL_ALERT_CHURN), ==, 1);
  g_assert_nonnull (fl_evaluation_find_alert (evaluation, "churn:c-jh:v-2"));

  /* replayed two days later: c-jh resolved, c-hz churning */
  later = evaluate (d, now + 2 * DAY);
  g_assert_cmpuint (count_category (later, FL_ALERT_CHURN), ==, 1);
  g_assert_nonnull (fl_evaluation_find_alert (later, "churn:c-hz:v-6"));
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The churn rule of FORMATS.md §2 computed straight from the dataset: "id
 * visit_last visit_before raised", one line per alert, sorted. */
static char *
churn_reference (FlDataset *d,
                 gint64     now)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint c = 0; c < d->customers->len; c++)
    {
      FlCustomer *customer = g_ptr_array_index (d->customers, c);
      FlVisit *top[2] = { NULL, NULL };

      for (guint v = 0; v < d->visits->len; v++)
        {
          FlVisit *visit = g_ptr_array_index (d->visits, v);

          if (strcmp (visit->customer, customer->id) != 0 || visit->start > now)
            continue;
          for (int k = 0; k < 2; k++)
            {
              if (top[k] == NULL || visit->start > top[k]->start ||
                  (visit->start == top[k]->start && strcmp (visit->id, top[k]->id) > 0))
                {
                  if (k == 0)
                    top[1] = top[0];
                  top[k] = visit;
                  break;
                }
            }
        }
      if (top[1] != NULL && top[0]->prev_action_achieved == FL_ACHIEVED_FALSE &&
          top[1]->prev_action_achieved == FL_ACHIEVED_FALSE)
        g_ptr_array_add (lines, g_strdup_printf ("churn:%s:%s %s %s %" G_GINT64_FORMAT,
                                                 customer->id, top[0]->id, top[0]->id,
                                                 top[1]->id, top[0]->start));
    }

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

static char *
churn_alerts (FlEvaluation *evaluation)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->category == FL_ALERT_CHURN)
        g_ptr_array_add (lines, g_strdup_printf ("%s %s %s %" G_GINT64_FORMAT, alert->id,
                                                 alert->visit_last, alert->visit_before,
                                                 alert->raised));
    }

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

/* The visit summary (customers whose latest visit started at or before now)
 * and the exact query (the others) agree with the definition, whatever now:
 * before every visit, among them (exactly at a visit's start, too), after
 * them all. Few distinct starts, so that ties by id are common. */
static void
test_churn_summary_and_fallback (void)
{
  gint64 base = fl_test_time ("2026-11-01T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  g_autoptr(FlStore) store = NULL;
  const FlAchieved achieved[] = { FL_ACHIEVED_FALSE, FL_ACHIEVED_FALSE, FL_ACHIEVED_TRUE,
                                  FL_ACHIEVED_NULL };
  guint n_alerts = 0;

  for (guint c = 0; c < 60; c++)
    {
      g_autofree char *id = g_strdup_printf ("c-%02u", c);

      fl_test_add_customer (d, id, id, "330700", "r-jh", 'A', 1000.0 + c);
      for (guint v = 0, n = g_rand_int_range (rand, 0, 6); v < n; v++)
        {
          g_autofree char *visit = g_strdup_printf ("v-%c%u", 'a' + g_rand_int_range (rand, 0, 26),
                                                    d->visits->len);

          fl_test_add_visit (d, visit, id, "r-jh", base + g_rand_int_range (rand, 0, 8) * DAY,
                     achieved[g_rand_int_range (rand, 0, G_N_ELEMENTS (achieved))]);
        }
    }
  store = fl_test_import (d);

  for (gint64 now = base - DAY; now <= base + 9 * DAY; now += DAY / 2)
    {
      g_autoptr(FlEvaluation) evaluation = fl_test_evaluate (store, now, NULL);
      g_autofree char *expected = churn_reference (d, now);
      g_autofree char *actual = NULL;

      actual = churn_alerts (evaluation);
      g_assert_cmpstr (actual, ==, expected);
      n_alerts += count_category (evaluation, FL_ALERT_CHURN);
    }
  /* the data makes alerts at all */
  g_assert_cmpuint (n_alerts, >, 20);
}

/* Actions */

static void
test_actions (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  gint64 lp = now - 40 * DAY;
  g_autofree char *stall_id = g_strdup_printf ("stall:o-1:%" G_GINT64_FORMAT, lp);
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(FlEvaluation) later = NULL;
  FlRegionState *state;

  fl_test_add_visit (d, "v-1", "c-jh", "r-jh", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-2", "c-jh", "r-jh", now - 5 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_opportunity (d, "o-1", "c-jh", 80000.0, FL_STAGE_OPEN, FALSE, lp);
  fl_test_add_action (d, "a-1", "churn:c-jh:v-2", now);           /* created at now: counts */
  fl_test_add_action (d, "a-2", stall_id, now + 1);                /* after now: ignored */
  fl_test_add_action (d, "a-3", "churn:c-jh:v-1", now - DAY);      /* an alert that is gone */

  evaluation = evaluate (d, now);
  g_assert_true (fl_evaluation_find_alert (evaluation, "churn:c-jh:v-2")->actioned);
  g_assert_false (fl_evaluation_find_alert (evaluation, stall_id)->actioned);
  state = fl_evaluation_find_region (evaluation, "330700");
  g_assert_cmpuint (state->status, ==, FL_STATUS_YELLOW);
  g_assert_cmpuint (state->pending[FL_ALERT_CHURN], ==, 0);
  g_assert_cmpuint (state->pending[FL_ALERT_STALL], ==, 1);
  g_assert_cmpuint (state->n_top, ==, 1);
  g_assert_cmpstr (state->top[0]->id, ==, stall_id);

  later = evaluate (d, now + 1);
  g_assert_true (fl_evaluation_find_alert (later, stall_id)->actioned);
  g_assert_cmpuint (fl_evaluation_find_region (later, "330700")->status, ==, FL_STATUS_GREEN);
  g_assert_cmpuint (fl_evaluation_find_region (later, "330700")->n_top, ==, 0);
}

/* Gap. Weeks of November 2026 in Asia/Shanghai: W46 = 9–15, W47 = 16–22,
 * W48 starts Monday 23 00:00 +08:00 = Sunday 22 16:00 UTC. */

/* Both complete weeks: 330700 signs 6/20 dairy, 330100 14/20 → province 0.5,
 * team 0.3 < 0.35. */
static void
add_gap_weeks (FlDataset *d,
               int        jh_w47_pitches,
               int        jh_w47_signed,
               int        hz_w47_pitches,
               int        hz_w47_signed)
{
  fl_test_add_pitch_visit (d, "c-jh-p", "r-jh", "2026-11-11T10:00:00+08:00", "p-milk", 20, 6);
  fl_test_add_pitch_visit (d, "c-hz-p", "r-hz", "2026-11-11T10:00:00+08:00", "p-milk", 20, 14);
  fl_test_add_pitch_visit (d, "c-jh-p", "r-jh", "2026-11-18T10:00:00+08:00", "p-milk",
                           jh_w47_pitches, jh_w47_signed);
  fl_test_add_pitch_visit (d, "c-hz-p", "r-hz", "2026-11-18T10:00:00+08:00", "p-yogurt",
                           hz_w47_pitches, hz_w47_signed);
}

static void
test_gap_basic (void)
{
  gint64 now = fl_test_time ("2026-11-25T10:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  FlAlert *alert;

  add_gap_weeks (d, 20, 6, 20, 14);
  /* snacks: a team below the province, but the province signs nothing */
  fl_test_add_pitch_visit (d, "c-nb", "r-nb", "2026-11-11T10:00:00+08:00", "p-chips", 12, 0);
  fl_test_add_pitch_visit (d, "c-nb", "r-nb", "2026-11-18T10:00:00+08:00", "p-chips", 12, 0);
  evaluation = evaluate (d, now);

  alert = only_alert (evaluation, FL_ALERT_GAP);
  g_assert_cmpstr (alert->id, ==, "gap:330700:dairy:2026-W47");
  g_assert_cmpstr (alert->region, ==, "330700");
  g_assert_cmpstr (alert->subject, ==, "dairy");
  g_assert_cmpstr (alert->week, ==, "2026-W47");
  g_assert_cmpint (alert->raised, ==, fl_test_time ("2026-11-23T00:00:00+08:00"));
  /* (0.5 − 0.3) × 20 × 1800 */
  g_assert_cmpfloat_with_epsilon (alert->value_at_risk, 7200.0, 0.001);
  for (int w = 0; w < 2; w++)
    {
      g_assert_cmpfloat_with_epsilon (alert->team_rate[w], 0.3, 1e-9);
      g_assert_cmpfloat_with_epsilon (alert->province_rate[w], 0.5, 1e-9);
      g_assert_cmpint (alert->team_pitches[w], ==, 20);
    }
}

static void
test_gap_ratio (void)
{
  gint64 now = fl_test_time ("2026-11-25T10:00:00+08:00");
  struct { int jh_pitches, jh_signed, hz_pitches, hz_signed; gboolean alert; } cases[] = {
    { 20, 7, 20, 13, FALSE },       /* 0.35 vs 0.7 × 0.5: exactly 70 %, not below */
    { 200, 69, 200, 131, TRUE },    /* 0.345 vs 0.35: just below */
    { 10, 3, 30, 21, TRUE },        /* 0.3 vs 0.7 × 0.6 = 0.42 */
    { 10, 7, 10, 3, FALSE },        /* the team is above the province */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FlDataset) d = new_dataset ();
      g_autoptr(FlEvaluation) evaluation = NULL;

      add_gap_weeks (d, cases[i].jh_pitches, cases[i].jh_signed,
                     cases[i].hz_pitches, cases[i].hz_signed);
      evaluation = evaluate (d, now);
      g_assert_cmpuint (count_category (evaluation, FL_ALERT_GAP), ==, cases[i].alert ? 1 : 0);
      if (cases[i].alert)
        g_assert_nonnull (fl_evaluation_find_alert (evaluation, "gap:330700:dairy:2026-W47"));
    }
}

static void
test_gap_min_pitches (void)
{
  gint64 now = fl_test_time ("2026-11-25T10:00:00+08:00");

  for (int n = 9; n <= 10; n++)
    {
      g_autoptr(FlDataset) d = new_dataset ();
      g_autoptr(FlEvaluation) evaluation = NULL;

      /* 330700: n pitches, none signed in W47; W46 fine */
      add_gap_weeks (d, n, 0, 20, 10);
      evaluation = evaluate (d, now);
      g_assert_cmpuint (count_category (evaluation, FL_ALERT_GAP), ==, n >= 10 ? 1 : 0);
    }

  /* and in the week before last */
  for (int n = 9; n <= 10; n++)
    {
      g_autoptr(FlDataset) d = new_dataset ();
      g_autoptr(FlEvaluation) evaluation = NULL;

      fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-11T10:00:00+08:00", "p-milk", n, 0);
      fl_test_add_pitch_visit (d, "c-hz", "r-hz", "2026-11-11T10:00:00+08:00", "p-milk", 20, 14);
      fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-18T10:00:00+08:00", "p-milk", 20, 0);
      fl_test_add_pitch_visit (d, "c-hz", "r-hz", "2026-11-18T10:00:00+08:00", "p-milk", 20, 14);
      evaluation = evaluate (d, now);
      g_assert_cmpuint (count_category (evaluation, FL_ALERT_GAP), ==, n >= 10 ? 1 : 0);
    }
}

static void
test_gap_province_zero (void)
{
  gint64 now = fl_test_time ("2026-11-25T10:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  FlRuleSettings settings;

  add_gap_weeks (d, 20, 0, 20, 0);
  /* W46 still has signings: only W47's province rate is 0 */
  evaluation = evaluate (d, now);
  g_assert_cmpuint (count_category (evaluation, FL_ALERT_GAP), ==, 0);

  /* even with a ratio that would make 0 < ratio × 0 … never true; and with
   * ratio > 1 a zero province rate still raises nothing */
  fl_rule_settings_init_default (&settings);
  settings.gap_ratio = 1.5;
  g_clear_pointer (&evaluation, fl_evaluation_free);
  evaluation = evaluate_with (d, now, &settings);
  g_assert_cmpuint (count_category (evaluation, FL_ALERT_GAP), ==, 0);
}

static void
test_gap_team_is_reps_region (void)
{
  gint64 now = fl_test_time ("2026-11-25T10:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  FlAlert *alert;

  /* The 330700 rep pitches at a 330100 customer: the team is the rep's. */
  fl_test_add_pitch_visit (d, "c-hz", "r-jh", "2026-11-11T10:00:00+08:00", "p-milk", 20, 2);
  fl_test_add_pitch_visit (d, "c-hz", "r-hz", "2026-11-11T10:00:00+08:00", "p-milk", 20, 18);
  fl_test_add_pitch_visit (d, "c-hz", "r-jh", "2026-11-18T10:00:00+08:00", "p-milk", 20, 2);
  fl_test_add_pitch_visit (d, "c-hz", "r-hz", "2026-11-18T10:00:00+08:00", "p-milk", 20, 18);
  evaluation = evaluate (d, now);

  alert = only_alert (evaluation, FL_ALERT_GAP);
  g_assert_cmpstr (alert->id, ==, "gap:330700:dairy:2026-W47");
  g_assert_cmpstr (alert->region, ==, "330700");
}

static void
test_gap_week_boundaries (void)
{
  /* Monday 2026-11-23 00:00 local = Sunday 16:00 UTC */
  gint64 monday = fl_test_time ("2026-11-23T00:00:00+08:00");

  /* The 10th W47 pitch at Sunday 23:59:59 local counts; at Monday 00:00 it
   * belongs to the current week. */
  for (int moved = 0; moved <= 1; moved++)
    {
      g_autoptr(FlDataset) d = new_dataset ();
      g_autoptr(FlEvaluation) evaluation = NULL;

      fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-11T10:00:00+08:00", "p-milk", 10, 0);
      fl_test_add_pitch_visit (d, "c-hz", "r-hz", "2026-11-11T10:00:00+08:00", "p-milk", 10, 5);
      fl_test_add_pitch_visit (d, "c-hz", "r-hz", "2026-11-18T10:00:00+08:00", "p-milk", 10, 5);
      fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-18T10:00:00+08:00", "p-milk", 9, 0);
      fl_test_add_pitch_visit (d, "c-jh", "r-jh",
                               moved ? "2026-11-23T00:00:00+08:00" : "2026-11-22T23:59:59+08:00",
                               "p-milk", 1, 0);
      evaluation = evaluate (d, monday);
      g_assert_cmpuint (count_category (evaluation, FL_ALERT_GAP), ==, moved ? 0 : 1);
      if (!moved)
        g_assert_cmpint (only_alert (evaluation, FL_ALERT_GAP)->raised, ==, monday);
    }

  /* Weeks start on Monday 00:00 local, not UTC: a pitch at Monday 16 Nov
   * 00:30 local (Sunday 15 16:30 UTC) is in W47, one at Sunday 15 Nov
   * 23:59:59 local in W46. Each week has exactly 10 only in local time. */
  {
    g_autoptr(FlDataset) d = new_dataset ();
    g_autoptr(FlEvaluation) evaluation = NULL;
    FlAlert *alert;

    fl_test_add_pitch_visit (d, "c-hz", "r-hz", "2026-11-11T10:00:00+08:00", "p-milk", 10, 5);
    fl_test_add_pitch_visit (d, "c-hz", "r-hz", "2026-11-18T10:00:00+08:00", "p-milk", 10, 5);
    fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-09T00:00:00+08:00", "p-milk", 1, 0);
    fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-12T10:00:00+08:00", "p-milk", 8, 0);
    fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-15T23:59:59+08:00", "p-milk", 1, 0);
    fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-16T00:30:00+08:00", "p-milk", 1, 0);
    fl_test_add_pitch_visit (d, "c-jh", "r-jh", "2026-11-19T10:00:00+08:00", "p-milk", 9, 0);
    evaluation = evaluate (d, fl_test_time ("2026-11-23T08:00:00+08:00"));
    alert = only_alert (evaluation, FL_ALERT_GAP);
    g_assert_cmpint (alert->team_pitches[0], ==, 10);
    g_assert_cmpint (alert->team_pitches[1], ==, 10);
  }

  /* At Sunday 23:59:59 local the last complete week is still W46 (and W45
   * before it has nothing): no alert; at Monday 00:00, W46 + W47 → alert. */
  {
    g_autoptr(FlDataset) d = new_dataset ();
    g_autoptr(FlEvaluation) sunday = NULL;
    g_autoptr(FlEvaluation) later = NULL;

    add_gap_weeks (d, 20, 6, 20, 14);
    sunday = evaluate (d, fl_test_time ("2026-11-22T23:59:59+08:00"));
    g_assert_cmpuint (count_category (sunday, FL_ALERT_GAP), ==, 0);
    later = evaluate (d, monday);
    g_assert_nonnull (fl_evaluation_find_alert (later, "gap:330700:dairy:2026-W47"));
  }
}

/* Ranking and region status */

static void
test_compare_rank (void)
{
  FlAlert a = { .id = (char *) "a", .value_at_risk = 100.0, .raised = 10 };
  FlAlert b = { .id = (char *) "b", .value_at_risk = 100.0, .raised = 10 };
  FlAlert c = { .id = (char *) "c", .value_at_risk = 100.0, .raised = 5 };
  FlAlert d = { .id = (char *) "d", .value_at_risk = 100.01, .raised = 20 };

  g_assert_cmpint (fl_alert_compare_rank (&a, &b), <, 0);   /* same value, same age: id */
  g_assert_cmpint (fl_alert_compare_rank (&b, &a), >, 0);
  g_assert_cmpint (fl_alert_compare_rank (&c, &a), <, 0);   /* older first */
  g_assert_cmpint (fl_alert_compare_rank (&d, &c), <, 0);   /* higher value first */
  g_assert_cmpint (fl_alert_compare_rank (&a, &a), ==, 0);
}

static void
test_ranking (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GPtrArray) region_alerts = NULL;
  const char *expected[] = { "o-4", "o-2", "o-3", "o-1", "c-jh" };
  FlRegionState *state;

  fl_test_add_opportunity (d, "o-1", "c-jh", 80000.0, FL_STAGE_OPEN, FALSE, now - 31 * DAY);
  fl_test_add_opportunity (d, "o-3", "c-jh", 80000.0, FL_STAGE_OPEN, FALSE, now - 40 * DAY);
  fl_test_add_opportunity (d, "o-2", "c-jh", 80000.0, FL_STAGE_OPEN, FALSE, now - 40 * DAY);
  fl_test_add_opportunity (d, "o-4", "c-jh", 90000.0, FL_STAGE_OPEN, FALSE, now - 31 * DAY);
  fl_test_add_opportunity (d, "o-hz", "c-hz", 95000.0, FL_STAGE_OPEN, FALSE, now - 31 * DAY);
  /* churn on c-jh: 126,000 at risk would be first; make it 70,000 */
  ((FlCustomer *) g_ptr_array_index (d->customers, 1))->revenue_90d = 70000.0;
  fl_test_add_visit (d, "v-1", "c-jh", "r-jh", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-2", "c-jh", "r-jh", now - 5 * DAY, FL_ACHIEVED_FALSE);
  evaluation = evaluate (d, now);

  /* ordered by region code first: 330100 before 330700 */
  g_assert_cmpuint (evaluation->alerts->len, ==, 6);
  g_assert_cmpstr (((FlAlert *) g_ptr_array_index (evaluation->alerts, 0))->subject, ==, "o-hz");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (((FlAlert *) g_ptr_array_index (evaluation->alerts, i + 1))->subject, ==,
                     expected[i]);

  state = fl_evaluation_find_region (evaluation, "330700");
  g_assert_cmpuint (state->n_pending, ==, 5);
  g_assert_cmpuint (state->n_top, ==, 3);
  g_assert_cmpstr (state->top[0]->subject, ==, "o-4");
  g_assert_cmpstr (state->top[1]->subject, ==, "o-2");
  g_assert_cmpstr (state->top[2]->subject, ==, "o-3");

  region_alerts = fl_evaluation_region_alerts (evaluation, "330700", TRUE);
  g_assert_cmpuint (region_alerts->len, ==, 5);
  g_assert_cmpstr (((FlAlert *) g_ptr_array_index (region_alerts, 4))->subject, ==, "c-jh");
}

static void
test_region_status (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GPtrArray) region_alerts = NULL;
  FlRegionState *state;
  char id[32];

  /* 330700: four churn alerts — one category → yellow */
  for (int c = 0; c < 4; c++)
    {
      FlCustomer *customer;

      g_snprintf (id, sizeof id, "c-x%d", c);
      customer = fl_test_add_customer (d, id, id, "330700", "r-jh", 'A', 1000.0 * (c + 1));
      g_snprintf (id, sizeof id, "v-x%d-1", c);
      fl_test_add_visit (d, id, customer->id, "r-jh", now - 10 * DAY, FL_ACHIEVED_FALSE);
      g_snprintf (id, sizeof id, "v-x%d-2", c);
      fl_test_add_visit (d, id, customer->id, "r-jh", now - 5 * DAY, FL_ACHIEVED_FALSE);
    }
  /* 330100: churn + stall → red */
  fl_test_add_visit (d, "v-hz1", "c-hz", "r-hz", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-hz2", "c-hz", "r-hz", now - 5 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_opportunity (d, "o-hz", "c-hz", 60000.0, FL_STAGE_OPEN, FALSE, now - 31 * DAY);
  /* 330200: a stall that is actioned → green */
  fl_test_add_opportunity (d, "o-nb", "c-nb", 60000.0, FL_STAGE_OPEN, FALSE, now - 31 * DAY);
  g_snprintf (id, sizeof id, "stall:o-nb:%" G_GINT64_FORMAT, now - 31 * DAY);
  fl_test_add_action (d, "a-nb", id, now - 3600);
  evaluation = evaluate (d, now);

  g_assert_cmpuint (evaluation->regions->len, ==, 3);
  g_assert_cmpstr (((FlRegionState *) g_ptr_array_index (evaluation->regions, 0))->code, ==,
                   "330100");
  g_assert_cmpstr (((FlRegionState *) g_ptr_array_index (evaluation->regions, 1))->code, ==,
                   "330200");
  g_assert_cmpstr (((FlRegionState *) g_ptr_array_index (evaluation->regions, 2))->code, ==,
                   "330700");

  state = fl_evaluation_find_region (evaluation, "330700");
  g_assert_cmpstr (state->name, ==, "金华市");
  g_assert_cmpuint (state->status, ==, FL_STATUS_YELLOW);
  g_assert_cmpuint (state->pending[FL_ALERT_CHURN], ==, 4);
  g_assert_cmpuint (state->n_pending, ==, 4);
  g_assert_cmpuint (state->n_top, ==, 3);
  g_assert_cmpstr (state->top[0]->subject, ==, "c-x3");

  state = fl_evaluation_find_region (evaluation, "330100");
  g_assert_cmpuint (state->status, ==, FL_STATUS_RED);
  g_assert_cmpuint (state->pending[FL_ALERT_CHURN], ==, 1);
  g_assert_cmpuint (state->pending[FL_ALERT_STALL], ==, 1);
  g_assert_cmpstr (state->top[0]->subject, ==, "o-hz");

  state = fl_evaluation_find_region (evaluation, "330200");
  g_assert_cmpuint (state->status, ==, FL_STATUS_GREEN);
  g_assert_cmpuint (state->n_pending, ==, 0);
  region_alerts = fl_evaluation_region_alerts (evaluation, "330200", FALSE);
  g_assert_cmpuint (region_alerts->len, ==, 1);
  g_assert_true (((FlAlert *) g_ptr_array_index (region_alerts, 0))->actioned);

  g_assert_null (fl_evaluation_find_region (evaluation, "999999"));
}

static void
test_region_status_three (void)
{
  gint64 now = fl_test_time ("2026-11-25T10:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = NULL;
  FlRegionState *state;

  add_gap_weeks (d, 20, 6, 20, 14);
  fl_test_add_visit (d, "v-1", "c-jh", "r-jh", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-2", "c-jh", "r-jh", now - 5 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_opportunity (d, "o-1", "c-jh", 60000.0, FL_STAGE_OPEN, FALSE, now - 31 * DAY);
  evaluation = evaluate (d, now);

  state = fl_evaluation_find_region (evaluation, "330700");
  g_assert_cmpuint (state->status, ==, FL_STATUS_RED);
  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    g_assert_cmpuint (state->pending[c], ==, 1);
  /* churn 126,000 > stall 60,000 > gap 7,200 */
  g_assert_cmpuint (state->top[0]->category, ==, FL_ALERT_CHURN);
  g_assert_cmpuint (state->top[1]->category, ==, FL_ALERT_STALL);
  g_assert_cmpuint (state->top[2]->category, ==, FL_ALERT_GAP);
}

/* Status document and titles */

static void
test_status_json (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  gint64 lp = fl_test_time ("2026-10-20T15:00:00+08:00");
  g_autofree char *stall_id = g_strdup_printf ("stall:o-0001:%" G_GINT64_FORMAT, lp);
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *root, *region, *pending, *alert;
  JsonArray *regions, *alerts, *top;

  fl_test_add_opportunity (d, "o-0001", "c-jh", 80000.0, FL_STAGE_OPEN, FALSE, lp);
  fl_test_add_visit (d, "v-1", "c-jh", "r-jh", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-2", "c-jh", "r-jh", fl_test_time ("2026-11-20T09:00:00+08:00"),
                     FL_ACHIEVED_FALSE);
  fl_test_add_action (d, "a-1", "churn:c-jh:v-2", now - 60);
  store = fl_test_import (d);
  evaluation = fl_test_evaluate (store, now, NULL);

  json = fl_evaluation_to_status_json (evaluation, NULL, fl_store_get_time_zone (store));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "fieldlight-status");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "now"), ==, "2026-11-23T09:00:00+08:00");

  regions = json_object_get_array_member (root, "regions");
  g_assert_cmpuint (json_array_get_length (regions), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (regions, 0),
                                                  "code"), ==, "330100");
  region = json_array_get_object_element (regions, 2);
  g_assert_cmpstr (json_object_get_string_member (region, "code"), ==, "330700");
  g_assert_cmpstr (json_object_get_string_member (region, "name"), ==, "金华市");
  g_assert_cmpstr (json_object_get_string_member (region, "status"), ==, "yellow");
  pending = json_object_get_object_member (region, "pending");
  g_assert_cmpint (json_object_get_int_member (pending, "churn"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (pending, "stall"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (pending, "gap"), ==, 0);
  top = json_object_get_array_member (region, "top");
  g_assert_cmpuint (json_array_get_length (top), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (top, 0), ==, stall_id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (regions, 0),
                                                  "status"), ==, "green");

  alerts = json_object_get_array_member (root, "alerts");
  g_assert_cmpuint (json_array_get_length (alerts), ==, 2);
  /* churn 126,000 ranks before stall 80,000 even though it is actioned */
  alert = json_array_get_object_element (alerts, 0);
  g_assert_cmpstr (json_object_get_string_member (alert, "id"), ==, "churn:c-jh:v-2");
  g_assert_cmpstr (json_object_get_string_member (alert, "category"), ==, "churn");
  g_assert_cmpstr (json_object_get_string_member (alert, "raised"), ==,
                   "2026-11-20T09:00:00+08:00");
  g_assert_cmpstr (json_object_get_string_member (alert, "state"), ==, "actioned");
  alert = json_array_get_object_element (alerts, 1);
  g_assert_cmpstr (json_object_get_string_member (alert, "id"), ==, stall_id);
  g_assert_cmpstr (json_object_get_string_member (alert, "category"), ==, "stall");
  g_assert_cmpstr (json_object_get_string_member (alert, "region"), ==, "330700");
  g_assert_cmpstr (json_object_get_string_member (alert, "subject"), ==, "o-0001");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (alert, "value_at_risk"),
                                  80000.0, 0.01);
  g_assert_cmpstr (json_object_get_string_member (alert, "raised"), ==,
                   "2026-11-19T15:00:00+08:00");
  g_assert_cmpstr (json_object_get_string_member (alert, "state"), ==, "pending");
  g_assert_cmpuint (json_object_get_size (alert), ==, 7);

  /* money is written the short way */
  g_assert_nonnull (strstr (json, "\"value_at_risk\": 80000.0"));
}

static void
test_status_json_empty (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlEvaluation) evaluation = evaluate (d, fl_test_time ("2026-11-23T09:00:00+08:00"));
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autofree char *json = fl_evaluation_to_status_json (evaluation, NULL, tz);

  g_assert_nonnull (strstr (json, "\"alerts\": []"));
  g_assert_nonnull (strstr (json, "\"top\": []"));
  g_assert_nonnull (strstr (json, "\"status\": \"green\""));
}

static void
test_format_money (void)
{
  struct { double value; const char *text; } cases[] = {
    { 80000.0, "80,000 CNY" },
    { 0.0, "0 CNY" },
    { 999.4, "999 CNY" },
    { 1000.0, "1,000 CNY" },
    { 1234567.89, "1,234,568 CNY" },
    { -1500.0, "-1,500 CNY" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = fl_format_money (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_titles (void)
{
  gint64 now = fl_test_time ("2026-11-25T10:00:00+08:00");
  gint64 lp = now - 31 * DAY - 7200;
  g_autofree char *stall_id = g_strdup_printf ("stall:o-1:%" G_GINT64_FORMAT, lp);
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *churn = NULL;
  g_autofree char *stall = NULL;
  g_autofree char *gap = NULL;

  add_gap_weeks (d, 20, 6, 20, 14);
  fl_test_add_visit (d, "v-1", "c-jh", "r-jh", now - 10 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_visit (d, "v-2", "c-jh", "r-jh", now - 5 * DAY, FL_ACHIEVED_FALSE);
  fl_test_add_opportunity (d, "o-1", "c-jh", 80000.0, FL_STAGE_OPEN, FALSE, lp);
  store = fl_test_import (d);
  evaluation = fl_test_evaluate (store, now, NULL);

  churn = fl_alert_dup_title (store, fl_evaluation_find_alert (evaluation, "churn:c-jh:v-2"));
  g_assert_cmpstr (churn, ==, "Customer 永康市华联超市: committed action missed at the last 2 visits");
  stall = fl_alert_dup_title (store, fl_evaluation_find_alert (evaluation, stall_id));
  g_assert_cmpstr (stall, ==, "Opportunity 永康市华联超市 (80,000 CNY): no progress for 31 days");
  gap = fl_alert_dup_title (store,
                            fl_evaluation_find_alert (evaluation, "gap:330700:dairy:2026-W47"));
  g_assert_cmpstr (gap, ==, "Team 金华市 × 乳制品: conversion 30% vs province 50%");
}

static void
test_empty_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (NULL, &error);
  g_autoptr(FlEvaluation) evaluation = NULL;

  g_assert_no_error (error);
  evaluation = fl_rules_evaluate (store, fl_test_time ("2026-11-23T09:00:00+08:00"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (evaluation->regions->len, ==, 0);
  g_assert_cmpuint (evaluation->alerts->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/rules/stall/days", test_stall_days);
  g_test_add_func ("/rules/stall/value-and-stage", test_stall_value_and_stage);
  g_test_add_func ("/rules/stall/settings", test_stall_settings);
  g_test_add_func ("/rules/churn/basic", test_churn_basic);
  g_test_add_func ("/rules/churn/null", test_churn_null);
  g_test_add_func ("/rules/churn/order", test_churn_order);
  g_test_add_func ("/rules/churn/future", test_churn_future);
  g_test_add_func ("/rules/churn/summary-and-fallback", test_churn_summary_and_fallback);
  g_test_add_func ("/rules/actions", test_actions);
  g_test_add_func ("/rules/gap/basic", test_gap_basic);
  g_test_add_func ("/rules/gap/ratio", test_gap_ratio);
  g_test_add_func ("/rules/gap/min-pitches", test_gap_min_pitches);
  g_test_add_func ("/rules/gap/province-zero", test_gap_province_zero);
  g_test_add_func ("/rules/gap/team-is-reps-region", test_gap_team_is_reps_region);
  g_test_add_func ("/rules/gap/week-boundaries", test_gap_week_boundaries);
  g_test_add_func ("/rules/rank/compare", test_compare_rank);
  g_test_add_func ("/rules/rank/order", test_ranking);
  g_test_add_func ("/rules/region/status", test_region_status);
  g_test_add_func ("/rules/region/status-three", test_region_status_three);
  g_test_add_func ("/rules/status-json/shape", test_status_json);
  g_test_add_func ("/rules/status-json/empty", test_status_json_empty);
  g_test_add_func ("/rules/titles/money", test_format_money);
  g_test_add_func ("/rules/titles/alerts", test_titles);
  g_test_add_func ("/rules/empty-store", test_empty_store);

  return g_test_run ();
}
