/* test-suggest.c — suggestions of FORMATS.md §4: similarity levels, ties,
 * exemplar, fallbacks, the pain keyword of the most recent visit, the
 * status document's "suggestion" member, and variety on the demo data
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

/* @spec: "category/region/tier/product/keyword/kind/resolved"; "-" is null */
static FlCase *
add_case (FlDataset  *d,
          const char *id,
          const char *spec,
          gint64      closed,
          const char *label)
{
  g_auto(GStrv) f = g_strsplit (spec, "/", -1);
  FlCase *c = g_new0 (FlCase, 1);

  g_assert_cmpuint (g_strv_length (f), ==, 7);
  c->id = g_strdup (id);
  g_assert_true (fl_alert_category_from_string (f[0], &c->category));
  c->region = g_strdup (f[1]);
  c->customer_tier = g_str_equal (f[2], "-") ? 0 : f[2][0];
  c->product_category = g_str_equal (f[3], "-") ? NULL : g_strdup (f[3]);
  c->pain_keyword = g_str_equal (f[4], "-") ? NULL : g_strdup (f[4]);
  g_assert_true (fl_action_kind_from_string (f[5], &c->action_kind));
  c->resolved_within_14d = g_str_equal (f[6], "1");
  c->label = g_strdup (label);
  c->closed = closed;
  g_ptr_array_add (d->cases, c);
  return c;
}

/* Adds @n cases "prefix-1" … of @spec, closed a day apart before @closed. */
static void
add_cases (FlDataset  *d,
           const char *prefix,
           guint       n,
           const char *spec,
           gint64      closed)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", prefix, i + 1);

      add_case (d, id, spec, closed - (gint64) i * DAY, NULL);
    }
}

/* Two prefectures, a rep and an A-tier customer in each; two categories. */
static FlDataset *
new_dataset (void)
{
  FlDataset *d = fl_test_dataset_new ();

  fl_test_add_region (d, "330700", "金华市");
  fl_test_add_region (d, "330100", "杭州市");
  fl_test_add_rep (d, "r-jh", "330700");
  fl_test_add_rep (d, "r-hz", "330100");
  fl_test_add_category (d, "dairy", "乳制品", 1000.0);
  fl_test_add_category (d, "snacks", "休闲食品", 1000.0);
  fl_test_add_customer (d, "c-jh", NULL, "330700", "r-jh", 'A', 126000.0);
  fl_test_add_customer (d, "c-hz", NULL, "330100", "r-hz", 'B', 20000.0);
  return d;
}

static const gint64 *
now_ptr (void)
{
  static gint64 now = 0;

  if (now == 0)
    now = fl_test_time ("2026-11-23T09:00:00+08:00");
  return &now;
}
#define NOW (*now_ptr ())

/* A churn alert on c-jh whose most recent visit has @keywords (comma-separated). */
static void
add_churn (FlDataset  *d,
           const char *older_keywords,
           const char *keywords)
{
  FlVisit *older = fl_test_add_visit (d, "v-1", "c-jh", "r-jh", NOW - 10 * DAY,
                                      FL_ACHIEVED_FALSE);
  FlVisit *latest = fl_test_add_visit (d, "v-2", "c-jh", "r-jh", NOW - 3 * DAY,
                                       FL_ACHIEVED_FALSE);

  fl_test_visit_set_keywords (older, older_keywords);
  fl_test_visit_set_keywords (latest, keywords);
}

/* The suggestion for @alert_id, evaluated at NOW (through the batch form,
 * checked against the single form). */
static FlSuggestion *
suggest (FlDataset  *d,
         const char *alert_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_test_import (d);
  g_autoptr(FlEvaluation) evaluation = fl_test_evaluate (store, NOW, NULL);
  g_autoptr(GHashTable) all = NULL;
  g_autoptr(FlSuggestion) single = NULL;
  g_autofree char *key = NULL;
  FlSuggestion *suggestion;
  FlAlert *alert;

  alert = fl_evaluation_find_alert (evaluation, alert_id);
  g_assert_nonnull (alert);

  all = fl_suggest_for_evaluation (store, evaluation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (all), ==, evaluation->alerts->len);
  g_assert_true (g_hash_table_steal_extended (all, alert_id, (gpointer *) &key,
                                              (gpointer *) &suggestion));

  single = fl_suggest_for_alert (store, alert, &error);
  g_assert_no_error (error);
  g_assert_cmpint (single->kind, ==, suggestion->kind);
  g_assert_cmpuint (single->resolved, ==, suggestion->resolved);
  g_assert_cmpuint (single->of, ==, suggestion->of);
  g_assert_cmpstr (single->exemplar_id, ==, suggestion->exemplar_id);
  g_assert_cmpstr (single->text, ==, suggestion->text);

  return suggestion;
}

static void
assert_suggestion (const FlSuggestion *s,
                   FlActionKind        kind,
                   guint               resolved,
                   guint               of,
                   const char         *exemplar)
{
  g_assert_cmpstr (fl_action_kind_to_string (s->kind), ==, fl_action_kind_to_string (kind));
  g_assert_cmpuint (s->resolved, ==, resolved);
  g_assert_cmpuint (s->of, ==, of);
  g_assert_cmpstr (s->exemplar_id, ==, exemplar);
  g_assert_nonnull (s->text);
}

static const char kw_price[] = "竞品压价";
static const char kw_stock[] = "缺货,账期紧";

/* Similarity levels */

static void
test_level_top_only (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  add_churn (d, NULL, kw_price);
  /* similarity 3 (region, tier, keyword): 3 cases, 2 of them resolved */
  add_cases (d, "top-r", 2, "churn/330700/A/-/竞品压价/price_review/1", NOW - 20 * DAY);
  add_cases (d, "top-u", 1, "churn/330700/A/-/竞品压价/price_review/0", NOW - 20 * DAY);
  /* similarity 2: many more resolved, but not taken */
  add_cases (d, "two", 6, "churn/330700/A/-/-/send_sample/1", NOW - 20 * DAY);
  /* other categories never count */
  add_cases (d, "stall", 9, "stall/330700/A/-/竞品压价/call_today/1", NOW - 20 * DAY);

  s = suggest (d, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_PRICE_REVIEW, 2, 3, "top-r-1");
}

static void
test_level_next_added_whole (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  add_churn (d, NULL, kw_price);
  /* similarity 4 is impossible for churn (no product category): 3 is the top */
  add_cases (d, "s3", 1, "churn/330700/A/-/竞品压价/price_review/1", NOW - 20 * DAY);
  add_cases (d, "s2", 1, "churn/330700/-/-/竞品压价/price_review/1", NOW - 20 * DAY);
  /* similarity 1: taken whole although only one more case was needed */
  add_cases (d, "s1", 4, "churn/330100/A/-/-/send_sample/1", NOW - 20 * DAY);
  add_cases (d, "s1x", 1, "churn/330100/C/-/竞品压价/price_review/0", NOW - 20 * DAY);
  /* similarity 0: not taken (5 taken already) */
  add_cases (d, "s0", 9, "churn/330100/B/-/缺货/call_today/1", NOW - 20 * DAY);

  s = suggest (d, "churn:c-jh:v-2");
  /* send_sample 4/4 beats price_review 2/3 */
  assert_suggestion (s, FL_ACTION_SEND_SAMPLE, 4, 4, "s1-1");
}

static void
test_level_empty_levels_skipped (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  add_churn (d, NULL, kw_price);
  /* only similarity 0 cases: they are the highest level present */
  add_cases (d, "s0", 2, "churn/330100/C/-/缺货/manager_joins_visit/1", NOW - 20 * DAY);

  s = suggest (d, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_MANAGER_JOINS_VISIT, 2, 2, "s0-1");
}

/* Ties */

static void
test_tie_ratio (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  add_churn (d, NULL, NULL);
  /* send_sample 2 of 4, call_today 2 of 2: the same count, the higher ratio wins */
  add_cases (d, "ss-r", 2, "churn/330700/A/-/-/send_sample/1", NOW - 20 * DAY);
  add_cases (d, "ss-u", 2, "churn/330700/A/-/-/send_sample/0", NOW - 20 * DAY);
  add_cases (d, "ct-r", 2, "churn/330700/A/-/-/call_today/1", NOW - 30 * DAY);
  /* price_review has more cases but fewer resolved */
  add_cases (d, "pr-r", 1, "churn/330700/A/-/-/price_review/1", NOW - 20 * DAY);
  add_cases (d, "pr-u", 5, "churn/330700/A/-/-/price_review/0", NOW - 20 * DAY);

  s = suggest (d, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_CALL_TODAY, 2, 2, "ct-r-1");
}

static void
test_tie_kind_order (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  add_churn (d, NULL, NULL);
  /* price_review and manager_joins_visit: 1 of 2 each; listed first, but
   * manager_joins_visit comes before price_review in FlActionKind */
  add_cases (d, "pr-r", 1, "churn/330700/A/-/-/price_review/1", NOW - 10 * DAY);
  add_cases (d, "pr-u", 1, "churn/330700/A/-/-/price_review/0", NOW - 10 * DAY);
  add_cases (d, "mj-r", 1, "churn/330700/A/-/-/manager_joins_visit/1", NOW - 40 * DAY);
  add_cases (d, "mj-u", 1, "churn/330700/A/-/-/manager_joins_visit/0", NOW - 40 * DAY);

  s = suggest (d, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_MANAGER_JOINS_VISIT, 1, 2, "mj-r-1");
}

static void
test_none_resolved (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  add_churn (d, NULL, NULL);
  /* every kind 0 resolved: ratio 0 for all, then the kind order among the
   * kinds present (call_today before price_review); no exemplar */
  add_cases (d, "pr", 3, "churn/330700/A/-/-/price_review/0", NOW - 10 * DAY);
  add_cases (d, "ct", 2, "churn/330700/A/-/-/call_today/0", NOW - 10 * DAY);

  s = suggest (d, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_CALL_TODAY, 0, 2, NULL);
  g_assert_null (s->exemplar_label);
  g_assert_cmpstr (s->text, ==, "Call the customer today (0 of 2 similar cases resolved "
                   "within 14 days).");
}

/* Exemplar */

static void
test_exemplar (void)
{
  gint64 closed = fl_test_time ("2026-09-30T18:00:00+08:00");
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  add_churn (d, NULL, NULL);
  /* a more recent case that was not resolved is no exemplar */
  add_case (d, "case-009", "churn/330700/A/-/-/send_sample/0", closed + DAY, "未化解案例");
  add_case (d, "case-005", "churn/330700/A/-/-/send_sample/1", closed - DAY, "旧案例");
  /* two resolved at the same instant: the smaller id */
  add_case (d, "case-003", "churn/330700/A/-/-/send_sample/1", closed, "绍兴王总案例");
  add_case (d, "case-004", "churn/330700/A/-/-/send_sample/1", closed, "另一案例");
  /* a more recent resolved case of another kind does not matter */
  add_case (d, "case-010", "churn/330700/A/-/-/call_today/1", closed + 2 * DAY, "电话案例");
  add_case (d, "case-001", "churn/330700/A/-/-/send_sample/1", closed - 2 * DAY, NULL);
  add_case (d, "case-002", "churn/330700/A/-/-/send_sample/1", closed - 3 * DAY, NULL);
  add_case (d, "case-006", "churn/330700/A/-/-/send_sample/0", closed - 4 * DAY, NULL);

  s = suggest (d, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_SEND_SAMPLE, 5, 7, "case-003");
  g_assert_cmpstr (s->exemplar_label, ==, "绍兴王总案例");
  g_assert_cmpstr (s->text, ==, "Send a tailored sample and a local success-case video "
                   "(see 绍兴王总案例: resolved 5 of 7 similar cases within 14 days).");
}

static void
test_exemplar_without_label (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  add_churn (d, NULL, NULL);
  add_case (d, "case-042", "churn/330700/A/-/-/price_review/1", NOW - 30 * DAY, NULL);

  s = suggest (d, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_PRICE_REVIEW, 1, 1, "case-042");
  g_assert_cmpstr (s->exemplar_label, ==, "case-042");
  /* singular */
  g_assert_cmpstr (s->text, ==, "Review the price with the competitor's price at hand "
                   "(see case-042: resolved 1 of 1 similar case within 14 days).");
}

/* Pain keywords: those of the most recent visit only */

static void
test_pain_keyword_most_recent_visit (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;

  /* the older visit mentions 竞品压价, the most recent 缺货 and 账期紧 */
  add_churn (d, kw_price, kw_stock);
  /* no region or tier match: the keyword alone makes similarity 1 */
  add_cases (d, "price", 3, "churn/330100/C/-/竞品压价/price_review/1", NOW - 20 * DAY);
  add_cases (d, "terms", 2, "churn/330100/C/-/账期紧/manager_joins_visit/1", NOW - 20 * DAY);
  add_cases (d, "stock", 1, "churn/330100/C/-/缺货/manager_joins_visit/1", NOW - 30 * DAY);

  s = suggest (d, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_MANAGER_JOINS_VISIT, 3, 3, "terms-1");
}

/* Stall uses the customer's tier and no keyword */

static void
test_stall_similarity (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlSuggestion) s = NULL;
  g_autofree char *id = NULL;
  gint64 lp = NOW - 40 * DAY;

  fl_test_add_opportunity (d, "o-1", "c-hz", 90000.0, FL_STAGE_OPEN, TRUE, lp);
  id = g_strdup_printf ("stall:o-1:%" G_GINT64_FORMAT, lp);
  /* region 330100 + tier B of c-hz: similarity 2 */
  add_cases (d, "hz-b", 3, "stall/330100/B/-/-/manager_joins_visit/1", NOW - 20 * DAY);
  /* a keyword does not count for stall: still similarity 1 */
  add_cases (d, "hz-kw", 5, "stall/330100/A/-/竞品压价/price_review/1", NOW - 20 * DAY);

  s = suggest (d, id);
  assert_suggestion (s, FL_ACTION_MANAGER_JOINS_VISIT, 3, 3, "hz-b-1");
}

/* Gap: the alert's category id is compared with product_category */

static void
test_gap_product_category (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlSuggestion) s = NULL;
  g_autoptr(GError) error = NULL;
  FlAlert alert = { 0, };

  add_cases (d, "dairy", 3, "gap/330100/-/dairy/-/send_sample/1", NOW - 20 * DAY);
  add_cases (d, "region", 3, "gap/330700/-/snacks/-/price_review/1", NOW - 20 * DAY);
  add_cases (d, "both", 1, "gap/330700/-/dairy/-/talk_track_training/0", NOW - 20 * DAY);
  add_cases (d, "both-r", 2, "gap/330700/-/dairy/-/manager_joins_visit/1", NOW - 20 * DAY);
  store = fl_test_import (d);

  alert.id = (char *) "gap:330700:dairy:2026-W47";
  alert.category = FL_ALERT_GAP;
  alert.region = (char *) "330700";
  alert.subject = (char *) "dairy";
  alert.week = (char *) "2026-W47";

  /* similarity 2: three cases; manager_joins_visit 2 of 2 */
  s = fl_suggest_for_alert (store, &alert, &error);
  g_assert_no_error (error);
  assert_suggestion (s, FL_ACTION_MANAGER_JOINS_VISIT, 2, 2, "both-r-1");
  g_clear_pointer (&s, fl_suggestion_free);

  /* another category in another region: only similarity 0 cases */
  alert.region = (char *) "330200";
  alert.subject = (char *) "frozen";
  s = fl_suggest_for_alert (store, &alert, &error);
  g_assert_no_error (error);
  /* send_sample 3/3 and price_review 3/3: kind order */
  assert_suggestion (s, FL_ACTION_SEND_SAMPLE, 3, 3, "dairy-1");
}

/* Fallbacks */

static void
test_fallbacks (void)
{
  gint64 lp = NOW - 40 * DAY;
  g_autofree char *stall_custom = g_strdup_printf ("stall:o-c:%" G_GINT64_FORMAT, lp);
  g_autofree char *stall_plain = g_strdup_printf ("stall:o-p:%" G_GINT64_FORMAT, lp);
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GHashTable) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlSuggestion) gap = NULL;
  FlAlert gap_alert = { 0, };
  FlSuggestion *s;

  add_churn (d, NULL, kw_price);
  fl_test_add_opportunity (d, "o-c", "c-hz", 90000.0, FL_STAGE_OPEN, TRUE, lp);
  fl_test_add_opportunity (d, "o-p", "c-hz", 80000.0, FL_STAGE_OPEN, FALSE, lp);
  /* cases of the gap category only: churn and stall have no candidates */
  add_cases (d, "gap", 2, "gap/330700/-/dairy/-/send_sample/1", NOW - 20 * DAY);
  store = fl_test_import (d);
  evaluation = fl_test_evaluate (store, NOW, NULL);
  all = fl_suggest_for_evaluation (store, evaluation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (all), ==, 3);

  s = g_hash_table_lookup (all, "churn:c-jh:v-2");
  assert_suggestion (s, FL_ACTION_CALL_TODAY, 0, 0, NULL);
  g_assert_cmpstr (s->text, ==, "No similar past cases: call the customer today.");
  s = g_hash_table_lookup (all, stall_custom);
  assert_suggestion (s, FL_ACTION_ESCALATE_TECH, 0, 0, NULL);
  g_assert_cmpstr (s->text, ==,
                   "No similar past cases: bring in technical and solution staff together.");
  s = g_hash_table_lookup (all, stall_plain);
  assert_suggestion (s, FL_ACTION_MANAGER_JOINS_VISIT, 0, 0, NULL);
  g_assert_cmpstr (s->text, ==, "No similar past cases: have the manager join the next visit.");

  /* gap without gap cases */
  g_clear_pointer (&store, g_object_unref);
  g_ptr_array_set_size (d->cases, 0);
  store = fl_test_import (d);
  gap_alert.id = (char *) "gap:330700:dairy:2026-W47";
  gap_alert.category = FL_ALERT_GAP;
  gap_alert.region = (char *) "330700";
  gap_alert.subject = (char *) "dairy";
  gap = fl_suggest_for_alert (store, &gap_alert, &error);
  g_assert_no_error (error);
  assert_suggestion (gap, FL_ACTION_TALK_TRACK_TRAINING, 0, 0, NULL);
  g_assert_cmpstr (gap->text, ==,
                   "No similar past cases: train the team on the category's talk track.");
}

/* Texts: one per kind, plural-aware */

static void
test_texts (void)
{
  for (guint k = 0; k < FL_N_ACTION_KINDS; k++)
    {
      g_autofree char *with = fl_suggestion_dup_text (k, 5, 7, "绍兴王总案例");
      g_autofree char *one = fl_suggestion_dup_text (k, 1, 1, "X");
      g_autofree char *without = fl_suggestion_dup_text (k, 0, 3, NULL);
      g_autofree char *fallback = fl_suggestion_dup_text (k, 0, 0, NULL);
      g_autofree char *other = fl_suggestion_dup_text ((k + 1) % FL_N_ACTION_KINDS, 5, 7,
                                                       "绍兴王总案例");

      g_assert_nonnull (strstr (with, "(see 绍兴王总案例: resolved 5 of 7 similar cases "
                                "within 14 days)."));
      g_assert_nonnull (strstr (one, "resolved 1 of 1 similar case within"));
      g_assert_nonnull (strstr (without, "(0 of 3 similar cases resolved within 14 days)."));
      g_assert_true (g_str_has_prefix (fallback, "No similar past cases: "));
      g_assert_cmpstr (with, !=, other);
      g_assert_null (strchr (with, '\n'));
    }
}

/* The status document */

static void
test_status_json (void)
{
  g_autoptr(FlDataset) d = new_dataset ();
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GHashTable) suggestions = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *json = NULL;
  g_autofree char *bare = NULL;
  const char * const expected[] = {
    "id", "category", "region", "subject", "value_at_risk", "raised", "state", "suggestion",
  };
  JsonObject *root, *alert, *suggestion;
  JsonArray *alerts;
  guint i = 0;

  add_churn (d, NULL, kw_price);
  fl_test_add_opportunity (d, "o-1", "c-hz", 90000.0, FL_STAGE_OPEN, TRUE, NOW - 40 * DAY);
  add_case (d, "case-001", "churn/330700/A/-/竞品压价/send_sample/1", NOW - 30 * DAY,
            "绍兴王总案例");
  store = fl_test_import (d);
  evaluation = fl_test_evaluate (store, NOW, NULL);
  suggestions = fl_suggest_for_evaluation (store, evaluation, &error);
  g_assert_no_error (error);

  json = fl_evaluation_to_status_json (evaluation, suggestions, fl_store_get_time_zone (store));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  alerts = json_object_get_array_member (root, "alerts");
  g_assert_cmpuint (json_array_get_length (alerts), ==, 2);

  /* region 330100 (the stall) first, then 330700 (the churn) */
  alert = json_array_get_object_element (alerts, 1);
  g_assert_cmpstr (json_object_get_string_member (alert, "id"), ==, "churn:c-jh:v-2");
  members = json_object_get_members (alert);
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (expected));
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_cmpstr (l->data, ==, expected[i++]);
  suggestion = json_object_get_object_member (alert, "suggestion");
  g_assert_cmpuint (json_object_get_size (suggestion), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (suggestion, "kind"), ==, "send_sample");
  g_assert_cmpint (json_object_get_int_member (suggestion, "resolved"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (suggestion, "of"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (suggestion, "exemplar"), ==, "case-001");
  g_assert_nonnull (strstr (json_object_get_string_member (suggestion, "text"),
                            "绍兴王总案例"));

  /* the fallback: exemplar null, 0 of 0 */
  alert = json_array_get_object_element (alerts, 0);
  g_assert_cmpstr (json_object_get_string_member (alert, "category"), ==, "stall");
  suggestion = json_object_get_object_member (alert, "suggestion");
  g_assert_cmpstr (json_object_get_string_member (suggestion, "kind"), ==, "escalate_tech");
  g_assert_cmpint (json_object_get_int_member (suggestion, "resolved"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (suggestion, "of"), ==, 0);
  g_assert_true (json_object_get_null_member (suggestion, "exemplar"));

  /* without suggestions the document is as before */
  bare = fl_evaluation_to_status_json (evaluation, NULL, fl_store_get_time_zone (store));
  g_assert_null (strstr (bare, "suggestion"));
}

/* The demo data: varied suggestions, at a few ms */

static void
test_demo_varied (void)
{
  gint64 now = fl_test_time ("2026-11-23T09:00:00+08:00");
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) d = fl_demo_generate (FL_DEMO_DEFAULT_SEED, now, 1.0, &error);
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GHashTable) suggestions = NULL;
  guint per_kind[FL_N_ACTION_KINDS] = { 0, };
  guint n_kinds = 0, n_with_exemplar = 0;
  GHashTableIter iter;
  gpointer value;
  gint64 t0;

  g_assert_no_error (error);
  store = fl_test_import (d);
  evaluation = fl_test_evaluate (store, now, NULL);
  g_assert_cmpuint (evaluation->alerts->len, >, 10);

  t0 = g_get_monotonic_time ();
  suggestions = fl_suggest_for_evaluation (store, evaluation, &error);
  g_assert_no_error (error);
  g_test_message ("%u suggestions from %u cases in %.2f ms", g_hash_table_size (suggestions),
                  d->cases->len, (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpuint (g_hash_table_size (suggestions), ==, evaluation->alerts->len);

  g_hash_table_iter_init (&iter, suggestions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FlSuggestion *s = value;

      per_kind[s->kind]++;
      n_with_exemplar += s->exemplar_id != NULL;
      g_assert_cmpuint (s->resolved, <=, s->of);
      g_assert_true ((s->exemplar_id != NULL) == (s->resolved > 0));
    }
  for (guint k = 0; k < FL_N_ACTION_KINDS; k++)
    {
      g_test_message ("%s: %u", fl_action_kind_to_string (k), per_kind[k]);
      n_kinds += per_kind[k] > 0;
    }
  g_assert_cmpuint (n_kinds, >=, 3);
  /* believable: most suggestions rest on a resolved case */
  g_assert_cmpuint (n_with_exemplar * 2, >, g_hash_table_size (suggestions));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/suggest/level/top-only", test_level_top_only);
  g_test_add_func ("/suggest/level/next-added-whole", test_level_next_added_whole);
  g_test_add_func ("/suggest/level/empty-skipped", test_level_empty_levels_skipped);
  g_test_add_func ("/suggest/tie/ratio", test_tie_ratio);
  g_test_add_func ("/suggest/tie/kind-order", test_tie_kind_order);
  g_test_add_func ("/suggest/tie/none-resolved", test_none_resolved);
  g_test_add_func ("/suggest/exemplar/most-recent", test_exemplar);
  g_test_add_func ("/suggest/exemplar/without-label", test_exemplar_without_label);
  g_test_add_func ("/suggest/similarity/pain-keyword", test_pain_keyword_most_recent_visit);
  g_test_add_func ("/suggest/similarity/stall", test_stall_similarity);
  g_test_add_func ("/suggest/similarity/gap", test_gap_product_category);
  g_test_add_func ("/suggest/fallbacks", test_fallbacks);
  g_test_add_func ("/suggest/texts", test_texts);
  g_test_add_func ("/suggest/status-json", test_status_json);
  g_test_add_func ("/suggest/demo-varied", test_demo_varied);

  return g_test_run ();
}
