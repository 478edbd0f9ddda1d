/* test-dataset.c — the dataset reader and writer (FORMATS.md §1)
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
#include "fl-json-scan.h"

static char *fixture_text;
static gsize fixture_len;

static FlDataset *
load_text (const char  *text,
           GError     **error)
{
  return fl_dataset_load_from_data (text, strlen (text), error);
}

static gpointer
find_by_id (GPtrArray  *array,
            const char *id)
{
  for (guint i = 0; i < array->len; i++)
    {
      /* every element struct starts with its id (or code) */
      char **first = g_ptr_array_index (array, i);

      if (g_strcmp0 (*first, id) == 0)
        return first;
    }
  g_error ("no element “%s”", id);
  return NULL;
}

static void
check_fixture_content (FlDataset *ds)
{
  FlRegion *jinhua, *shaoxing;
  FlRep *rep;
  FlCustomer *customer;
  FlVisit *visit;
  FlOpportunity *opp;
  FlPilot *pilot;
  FlCase *c;
  FlAction *action;
  FlHealth *health;
  FlPitch *pitch;
  gint32 day;

  g_assert_cmpstr (ds->timezone, ==, "Asia/Shanghai");
  g_assert_cmpstr (ds->province_code, ==, "330000");
  g_assert_cmpstr (ds->province_name, ==, "浙江省");
  g_assert_cmpuint (ds->regions->len, ==, 2);
  g_assert_cmpuint (ds->reps->len, ==, 3);
  g_assert_cmpuint (ds->categories->len, ==, 2);
  g_assert_cmpuint (ds->products->len, ==, 3);
  g_assert_cmpuint (ds->customers->len, ==, 4);
  g_assert_cmpuint (ds->visits->len, ==, 5);
  g_assert_cmpuint (ds->opportunities->len, ==, 3);
  g_assert_cmpuint (ds->pilots->len, ==, 2);
  g_assert_cmpuint (ds->cases->len, ==, 3);
  g_assert_cmpuint (ds->actions->len, ==, 2);

  /* Regions: explicit label point, computed one, MultiPolygon with a hole */
  jinhua = find_by_id (ds->regions, "330700");
  g_assert_cmpstr (jinhua->name, ==, "金华市");
  g_assert_true (jinhua->has_label_point);
  g_assert_cmpfloat (jinhua->label_point.x, ==, 119.65);
  g_assert_cmpfloat (jinhua->label_point.y, ==, 29.09);
  g_assert_cmpuint (jinhua->geometry->polygons->len, ==, 2);
  g_assert_cmpuint (((FlPolygon *) g_ptr_array_index (jinhua->geometry->polygons, 0))->rings->len,
                    ==, 2);
  g_assert_false (fl_geometry_contains (jinhua->geometry, 119.65, 29.07));   /* in the hole */
  g_assert_true (fl_geometry_contains (jinhua->geometry, 119.55, 29.15));

  shaoxing = find_by_id (ds->regions, "330600");
  g_assert_false (shaoxing->has_label_point);
  g_assert_true (fl_geometry_contains (shaoxing->geometry,
                                       shaoxing->label_point.x, shaoxing->label_point.y));
  g_assert_cmpfloat_with_epsilon (shaoxing->label_point.x, 120.55, 0.01);
  g_assert_cmpfloat_with_epsilon (shaoxing->label_point.y, 30.0, 0.01);

  rep = find_by_id (ds->reps, "r-001");
  g_assert_cmpstr (rep->phone, ==, "13800000000");
  g_assert_cmpstr (rep->region, ==, "330700");
  rep = find_by_id (ds->reps, "r-003");
  g_assert_null (rep->phone);

  g_assert_cmpfloat (((FlProductCategory *) find_by_id (ds->categories, "snacks"))
                     ->avg_order_value, ==, 950.5);
  g_assert_cmpstr (((FlProduct *) find_by_id (ds->products, "p-003"))->category, ==, "snacks");

  customer = find_by_id (ds->customers, "c-0001");
  g_assert_cmpint (customer->tier, ==, 'A');
  g_assert_true (customer->has_location);
  g_assert_cmpfloat (customer->lat, ==, 28.9);
  g_assert_cmpfloat (customer->lon, ==, 120.03);
  g_assert_cmpfloat (customer->revenue_90d, ==, 126000.0);
  g_assert_cmpuint (customer->health->len, ==, 2);
  health = &g_array_index (customer->health, FlHealth, 1);
  g_assert_cmpstr (health->week, ==, "2026-W48");
  g_assert_cmpint (health->scores[0], ==, 78);
  g_assert_cmpint (health->scores[3], ==, 0);
  g_assert_cmpint (health->scores[4], ==, 100);
  g_assert_cmpint (health->scores[5], ==, 88);
  customer = find_by_id (ds->customers, "c-0002");
  g_assert_cmpstr (customer->name, ==, "义乌\"好又多\"便利店");
  g_assert_false (customer->has_location);
  g_assert_cmpuint (customer->health->len, ==, 0);
  g_assert_cmpint (customer->tier, ==, 'B');
  g_assert_cmpfloat (((FlCustomer *) find_by_id (ds->customers, "c-0004"))->revenue_90d,
                     ==, 1e7);

  visit = find_by_id (ds->visits, "v-000001");
  g_assert_cmpstr (visit->customer, ==, "c-0001");
  g_assert_cmpstr (visit->rep, ==, "r-001");
  g_assert_cmpint (visit->start, ==, fl_test_time ("2026-11-20T09:00:00+08:00"));
  g_assert_cmpint (visit->end, ==, fl_test_time ("2026-11-20T09:25:00+08:00"));
  g_assert_cmpint (visit->uploaded, ==, fl_test_time ("2026-11-20T10:02:00+08:00"));
  g_assert_cmpuint (g_strv_length (visit->pain_keywords), ==, 2);
  g_assert_cmpstr (visit->pain_keywords[1], ==, "竞品压价");
  g_assert_cmpstr (visit->committed_action, ==, "周五前补货并带新品试吃");
  g_assert_true (visit->has_next_follow_up);
  g_assert_cmpint (visit->next_follow_up, ==, fl_test_time ("2026-11-24T10:00:00+08:00"));
  g_assert_cmpint (visit->prev_action_achieved, ==, FL_ACHIEVED_FALSE);
  g_assert_cmpint (visit->photos, ==, 2);
  g_assert_true (visit->has_competitor_price);
  g_assert_cmpfloat (visit->competitor_price, ==, 12.5);
  g_assert_true (visit->has_shelf_share);
  g_assert_cmpfloat (visit->shelf_share, ==, 0.3);
  g_assert_cmpuint (visit->pitches->len, ==, 2);
  pitch = &g_array_index (visit->pitches, FlPitch, 0);
  g_assert_cmpstr (pitch->product, ==, "p-001");
  g_assert_true (pitch->is_signed);
  g_assert_false (g_array_index (visit->pitches, FlPitch, 1).is_signed);

  visit = find_by_id (ds->visits, "v-000002");
  g_assert_cmpint (visit->start, ==, visit->end);
  g_assert_cmpint (visit->uploaded, ==, fl_test_time ("2026-11-13T10:02:00+08:00"));
  g_assert_nonnull (visit->pain_keywords);
  g_assert_null (visit->pain_keywords[0]);
  g_assert_cmpstr (visit->committed_action, ==, "");
  g_assert_false (visit->has_next_follow_up);
  g_assert_cmpint (visit->prev_action_achieved, ==, FL_ACHIEVED_NULL);
  g_assert_cmpint (visit->photos, ==, -1);
  g_assert_false (visit->has_competitor_price);
  g_assert_false (visit->has_shelf_share);
  g_assert_nonnull (visit->pitches);
  g_assert_cmpuint (visit->pitches->len, ==, 0);

  visit = find_by_id (ds->visits, "v-000003");
  g_assert_cmpstr (visit->committed_action, ==, "Line one\nline \"two\"\ttab \\ backslash");
  g_assert_cmpint (visit->prev_action_achieved, ==, FL_ACHIEVED_TRUE);
  g_assert_cmpint (visit->photos, ==, 0);
  g_assert_cmpfloat (visit->shelf_share, ==, 1.0);

  opp = find_by_id (ds->opportunities, "o-0001");
  g_assert_cmpfloat (opp->value, ==, 80000.0);
  g_assert_cmpint (opp->stage, ==, FL_STAGE_OPEN);
  g_assert_true (opp->custom_requirement);
  g_assert_cmpint (opp->last_progress, ==, fl_test_time ("2026-10-20T15:00:00+08:00"));
  g_assert_cmpint (((FlOpportunity *) find_by_id (ds->opportunities, "o-0003"))->stage,
                   ==, FL_STAGE_LOST);

  pilot = find_by_id (ds->pilots, "pl-02");
  g_assert_cmpuint (g_strv_length (pilot->regions), ==, 2);
  g_assert_cmpstr (pilot->regions[1], ==, "330600");
  g_assert_true (fl_date_parse ("2026-02-28", &day));
  g_assert_cmpint (pilot->start, ==, day);
  g_assert_cmpstr (pilot->owner, ==, "r-003");

  c = find_by_id (ds->cases, "case-001");
  g_assert_cmpint (c->category, ==, FL_ALERT_CHURN);
  g_assert_cmpint (c->customer_tier, ==, 'A');
  g_assert_null (c->product_category);
  g_assert_cmpstr (c->pain_keyword, ==, "竞品压价");
  g_assert_cmpint (c->action_kind, ==, FL_ACTION_SEND_SAMPLE);
  g_assert_true (c->resolved_within_14d);
  g_assert_cmpstr (c->label, ==, "绍兴王总案例");
  g_assert_cmpint (c->closed, ==, fl_test_time ("2026-09-30T18:00:00+08:00"));
  c = find_by_id (ds->cases, "case-002");
  g_assert_cmpint (c->category, ==, FL_ALERT_GAP);
  g_assert_cmpint (c->customer_tier, ==, 0);
  g_assert_cmpstr (c->product_category, ==, "dairy");
  g_assert_null (c->pain_keyword);
  g_assert_null (c->label);
  g_assert_false (c->resolved_within_14d);
  c = find_by_id (ds->cases, "case-003");
  g_assert_cmpint (c->category, ==, FL_ALERT_STALL);
  g_assert_null (c->label);

  action = find_by_id (ds->actions, "6f1c0a4e-2b7d-4c1e-9a35-0d8f2f6b1e11");
  g_assert_cmpstr (action->alert, ==, "churn:c-0001:v-000001");
  g_assert_cmpint (action->kind, ==, FL_ACTION_SEND_SAMPLE);
  g_assert_cmpint (action->created, ==, fl_test_time ("2026-11-23T09:10:00+08:00"));
  g_assert_cmpstr (action->created_by, ==, "m-zhang");
  /* an alert that no longer exists is fine */
  action = find_by_id (ds->actions, "a-2");
  g_assert_cmpstr (action->alert, ==, "stall:o-9999:1760943600");
  g_assert_cmpint (action->kind, ==, FL_ACTION_PRICE_REVIEW);
}

static void
test_load_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = fl_dataset_load_from_data (fixture_text, fixture_len, &error);
  g_autoptr(GTimeZone) tz = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  check_fixture_content (ds);

  tz = fl_dataset_get_time_zone (ds);
  g_assert_cmpstr (g_time_zone_get_identifier (tz), ==, "Asia/Shanghai");
}

static void
test_load_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "dataset-small.json",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = fl_dataset_load_from_file (path, &error);
  g_autoptr(FlDataset) missing = NULL;

  g_assert_no_error (error);
  check_fixture_content (ds);

  missing = fl_dataset_load_from_file ("/nonexistent/dataset.json", &error);
  g_assert_null (missing);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dataset.json"));
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = fl_dataset_load_from_data (fixture_text, fixture_len, &error);
  g_autoptr(FlDataset) ds2 = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  const char *text;
  gsize len;

  g_assert_no_error (error);
  first = fl_dataset_write_to_bytes (ds, &error);
  g_assert_no_error (error);

  text = g_bytes_get_data (first, &len);
  g_assert_true (g_utf8_validate (text, len, NULL));
  /* written in the dataset's zone; absent optional fields omitted; null kept */
  g_assert_nonnull (strstr (text, "\"start\":\"2026-11-13T09:00:00+08:00\""));
  g_assert_nonnull (strstr (text, "\"value\":80000,"));
  g_assert_nonnull (strstr (text, "\"revenue_90d\":33333.33"));
  g_assert_nonnull (strstr (text, "\"revenue_90d\":10000000"));
  g_assert_nonnull (strstr (text, "\"prev_action_achieved\":null"));
  g_assert_nonnull (strstr (text, "\"customer_tier\":null"));
  g_assert_nonnull (strstr (text, "\"type\":\"MultiPolygon\""));
  g_assert_nonnull (strstr (text, "Line one\\nline \\\"two\\\"\\ttab \\\\ backslash"));
  g_assert_null (strstr (text, "\"phone\":null"));
  g_assert_null (strstr (text, "future_field"));
  g_assert_null (strstr (text, "\"label\":null"));
  /* the computed label point is not written */
  g_assert_null (strstr (text, "\"code\":\"330600\",\"name\":\"绍兴市\",\"label_point\""));

  ds2 = fl_dataset_load_from_data (text, len, &error);
  g_assert_no_error (error);
  check_fixture_content (ds2);

  second = fl_dataset_write_to_bytes (ds2, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, second));
}

/* Numbers survive the writer exactly. */
static void
test_round_trip_numbers (void)
{
  static const double values[] = {
    0.1, 0.3, 1.0 / 3.0, 2.0 / 3.0, 12.5, 1e-7, 123456789.123456789, 9007199254740993.0,
    1e20, 1e300, 5e-324, 0.0, 51000.0, 999999999999999.0, 1e15, 4.35,
  };
  g_autoptr(FlDataset) ds = fl_dataset_new ();
  g_autoptr(FlDataset) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize len;

  ds->province_code = g_strdup ("330000");
  ds->province_name = g_strdup ("P");
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      FlProductCategory *c = g_new0 (FlProductCategory, 1);

      c->id = g_strdup_printf ("c%u", i);
      c->name = g_strdup ("x");
      c->avg_order_value = values[i];
      g_ptr_array_add (ds->categories, c);
    }

  bytes = fl_dataset_write_to_bytes (ds, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (bytes, &len);
  g_assert_nonnull (strstr (text, "\"avg_order_value\":0.1}"));
  g_assert_nonnull (strstr (text, "\"avg_order_value\":0.3}"));
  g_assert_nonnull (strstr (text, "\"avg_order_value\":51000}"));
  g_assert_nonnull (strstr (text, "\"avg_order_value\":4.35}"));

  back = fl_dataset_load_from_data (text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->categories->len, ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (((FlProductCategory *) g_ptr_array_index (back->categories, i))
                       ->avg_order_value, ==, values[i]);
}

/* A dataset big enough for several buffer flushes, through a real file. */
static void
test_write_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = fl_dataset_load_from_data (fixture_text, fixture_len, &error);
  g_autoptr(FlDataset) back = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fl-dataset-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  FlVisit *model;

  g_assert_no_error (error);
  path = g_build_filename (dir, "out.json", NULL);

  model = find_by_id (ds->visits, "v-000001");
  for (guint i = 0; i < 20000; i++)
    {
      FlVisit *v = g_new0 (FlVisit, 1);

      v->id = g_strdup_printf ("gen-%06u", i);
      v->customer = g_strdup (model->customer);
      v->rep = g_strdup (model->rep);
      v->start = model->start + i * 600;
      v->end = v->start + 1200;
      v->uploaded = v->end + 60;
      v->pain_keywords = g_strdupv (model->pain_keywords);
      v->committed_action = g_strdup_printf ("动作 %u", i);
      v->prev_action_achieved = (FlAchieved) ((int) (i % 3) - 1);
      v->photos = (int) (i % 4) - 1;
      v->has_shelf_share = i % 2;
      v->shelf_share = (i % 101) / 100.0;
      v->pitches = g_array_new (FALSE, TRUE, sizeof (FlPitch));
      g_ptr_array_add (ds->visits, v);
    }

  g_assert_true (fl_dataset_write_to_file (ds, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpuint (len, >, 2 * 1024 * 1024);
  expected = fl_dataset_write_to_bytes (ds, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));

  back = fl_dataset_load_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->visits->len, ==, 20005);
  g_assert_cmpint (((FlVisit *) find_by_id (back->visits, "gen-019999"))->prev_action_achieved,
                   ==, FL_ACHIEVED_NULL + (19999 % 3));

  /* A failing write leaves the existing file as it was, and no temporary file. */
  g_free (ds->timezone);
  ds->timezone = g_strdup ("Mars/Olympus_Mons");
  g_assert_false (fl_dataset_write_to_file (ds, path, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "timezone"));
  g_clear_error (&error);
  {
    g_autofree char *after = NULL;
    gsize after_len;
    g_autoptr(GDir) d = g_dir_open (dir, 0, &error);

    g_assert_true (g_file_get_contents (path, &after, &after_len, &error));
    g_assert_cmpmem (after, after_len, contents, len);
    g_assert_cmpstr (g_dir_read_name (d), ==, "out.json");
    g_assert_null (g_dir_read_name (d));
  }

  /* Not writable: an error, nothing created. */
  g_free (ds->timezone);
  ds->timezone = g_strdup ("Asia/Shanghai");
  {
    g_autofree char *bad = g_build_filename (dir, "no-such-dir", "x.json", NULL);

    g_assert_false (fl_dataset_write_to_file (ds, bad, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_new_dataset (void)
{
  g_autoptr(FlDataset) ds = fl_dataset_new ();
  g_autoptr(FlDataset) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = fl_dataset_get_time_zone (ds);

  g_assert_cmpstr (ds->timezone, ==, "Asia/Shanghai");
  g_assert_cmpstr (g_time_zone_get_identifier (tz), ==, "Asia/Shanghai");
  g_assert_cmpuint (ds->visits->len, ==, 0);
  g_assert_cmpstr (fl_health_dimension_keys[0], ==, "cooperation_stability");
  g_assert_cmpstr (fl_health_dimension_keys[5], ==, "payment_punctuality");

  ds->province_code = g_strdup ("330000");
  ds->province_name = g_strdup ("浙江省");
  bytes = fl_dataset_write_to_bytes (ds, &error);
  g_assert_no_error (error);
  back = fl_dataset_load_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->regions->len, ==, 0);
  g_assert_cmpstr (back->province_name, ==, "浙江省");
}

/* Error tests: the fixture with one patch applied must be rejected with
 * FL_ERROR_INVALID_DATA and a message containing every needle. */

static char *
patch (const char *from,
       const char *to)
{
  const char *at = strstr (fixture_text, from);
  GString *s;

  if (at == NULL)
    g_error ("patch: “%s” not in the fixture", from);
  if (strstr (at + 1, from) != NULL)
    g_error ("patch: “%s” is ambiguous in the fixture", from);

  s = g_string_new_len (fixture_text, at - fixture_text);
  g_string_append (s, to);
  g_string_append (s, at + strlen (from));
  return g_string_free (s, FALSE);
}

static void
assert_rejected_text (const char *text,
                      ...) G_GNUC_NULL_TERMINATED;

static void
assert_rejected_text (const char *text,
                      ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = load_text (text, &error);
  va_list args;
  const char *needle;

  g_assert_null (ds);
  g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
  g_test_message ("message: %s", error->message);

  va_start (args, text);
  while ((needle = va_arg (args, const char *)) != NULL)
    {
      if (strstr (error->message, needle) == NULL)
        g_error ("“%s” not in the message “%s”", needle, error->message);
    }
  va_end (args);
}

#define assert_rejected(from, to, ...) \
  G_STMT_START { \
    g_autofree char *patched_ = patch ((from), (to)); \
    assert_rejected_text (patched_, __VA_ARGS__, NULL); \
  } G_STMT_END

static void
assert_accepted (const char *from,
                 const char *to)
{
  g_autofree char *text = patch (from, to);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = load_text (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
}

static void
test_error_malformed_json (void)
{
  assert_rejected ("\"version\": 1,", "\"version\": 1,,", "JSON");
  assert_rejected_text ("{\"format\": \"fieldlight-dataset\"", "JSON", NULL);
  assert_rejected_text ("[]", "dataset", NULL);
  assert_rejected_text ("42", "dataset", NULL);
  assert_rejected_text ("", "dataset", NULL);
}

static void
test_error_format (void)
{
  assert_rejected ("\"format\": \"fieldlight-dataset\"", "\"format\": \"fieldlight-status\"",
                   "dataset", "“format”", "fieldlight-status");
  assert_rejected ("\"format\": \"fieldlight-dataset\",", "", "dataset", "“format”");
}

static void
test_error_version (void)
{
  assert_rejected ("\"version\": 1", "\"version\": 2", "dataset", "“version”", "2");
  assert_rejected ("\"version\": 1", "\"version\": \"1\"", "dataset", "“version”");
  assert_rejected ("\"version\": 1", "\"version\": 1.5", "dataset", "“version”");
}

static void
test_error_timezone (void)
{
  assert_rejected ("\"Asia/Shanghai\"", "\"Mars/Olympus\"",
                   "dataset", "“timezone”", "Mars/Olympus");
  assert_rejected ("\"Asia/Shanghai\"", "\"+08:00\"", "“timezone”", "+08:00");
  assert_rejected ("\"Asia/Shanghai\"", "\"/etc/localtime\"", "“timezone”");
  assert_rejected ("\"Asia/Shanghai\"", "\"\"", "“timezone”");
  assert_rejected ("\"Asia/Shanghai\"", "8", "“timezone”");
  assert_accepted ("\"Asia/Shanghai\"", "\"Europe/Berlin\"");
}

static void
test_error_missing_field (void)
{
  assert_rejected ("\"tier\": \"B\", ", "", "customer c-0002", "missing", "“tier”");
  assert_rejected ("\"committed_action\": \"报价\",", "", "visit v-000004", "“committed_action”");
  assert_rejected ("\"prev_action_achieved\": null", "\"photos\": 1",
                   "visit v-000002", "“prev_action_achieved”");
  assert_rejected ("\"product_category\": \"dairy\", ", "",
                   "case case-002", "“product_category”");
  assert_rejected ("\"name\": \"绍兴市\",", "", "region 330600", "“name”");
  assert_rejected ("\"code\": \"330600\", ", "", "regions[1]", "“code”");
  assert_rejected (",\n  \"actions\": [", ", \"x\": [", "dataset", "“actions”");
  assert_rejected ("\"province\": {\"code\": \"330000\", ", "\"province\": {",
                   "province", "“code”");
  /* the geometry of a region */
  assert_rejected ("\"name\": \"绍兴市\",\n     \"geometry\"", "\"name\": \"绍兴市\", \"geo\"",
                   "region 330600", "“geometry”");
}

static void
test_error_wrong_type (void)
{
  assert_rejected ("\"revenue_90d\": 0,", "\"revenue_90d\": \"0\",",
                   "customer c-0002", "“revenue_90d”");
  assert_rejected ("\"photos\": 2,", "\"photos\": 2.5,", "visit v-000001", "“photos”");
  assert_rejected ("{\"product\": \"p-001\", \"signed\": true}",
                   "{\"product\": \"p-001\", \"signed\": 1}",
                   "visit v-000001", "pitches[0]", "“signed”");
  assert_rejected ("\"custom_requirement\": true", "\"custom_requirement\": \"true\"",
                   "opportunity o-0001", "“custom_requirement”");
  assert_rejected ("\"pain_keywords\": [\"价格\"]", "\"pain_keywords\": [1]",
                   "visit v-000004", "“pain_keywords”");
  assert_rejected ("\"pain_keywords\": [\"价格\"]", "\"pain_keywords\": \"价格\"",
                   "visit v-000004", "“pain_keywords”");
  assert_rejected ("\"prev_action_achieved\": true, \"photos\": 0",
                   "\"prev_action_achieved\": 1, \"photos\": 0",
                   "visit v-000003", "“prev_action_achieved”");
  assert_rejected ("\"title\": \"Two cities\"", "\"title\": null", "pilot pl-02", "“title”");
  assert_rejected ("\"label_point\": [119.65, 29.09]", "\"label_point\": [119.65]",
                   "region 330700", "“label_point”");
  assert_rejected ("\"regions\": [\n", "\"regions\": {},\n \"x\": [\n", "dataset", "“regions”");
  assert_rejected ("{\"id\": \"r-002\", \"name\": \"李娜\", \"region\": \"330700\"}", "[]",
                   "reps[1]");
  assert_rejected ("\"customer_tier\": null,\n     \"product_category\": \"dairy\"",
                   "\"customer_tier\": 1,\n     \"product_category\": \"dairy\"",
                   "case case-002", "“customer_tier”");
}

static void
test_error_enum (void)
{
  assert_rejected ("\"stage\": \"won\"", "\"stage\": \"pending\"",
                   "opportunity o-0002", "“stage”", "pending");
  assert_rejected ("\"tier\": \"C\"", "\"tier\": \"D\"", "customer c-0003", "“tier”");
  assert_rejected ("\"tier\": \"C\"", "\"tier\": \"c\"", "customer c-0003", "“tier”");
  assert_rejected ("\"tier\": \"C\"", "\"tier\": \"CC\"", "customer c-0003", "“tier”");
  assert_rejected ("\"kind\": \"price_review\"", "\"kind\": \"price-review\"",
                   "action a-2", "“kind”");
  assert_rejected ("\"action_kind\": \"escalate_tech\"", "\"action_kind\": \"escalate\"",
                   "case case-003", "“action_kind”");
  assert_rejected ("\"category\": \"stall\"", "\"category\": \"stalled\"",
                   "case case-003", "“category”");
  assert_rejected ("\"customer_tier\": \"B\"", "\"customer_tier\": \"E\"",
                   "case case-003", "“customer_tier”");
}

static void
test_error_id (void)
{
  g_autofree char *long_id = g_strnfill (65, 'x');
  g_autofree char *max_id = g_strnfill (64, 'x');
  g_autofree char *long_json = g_strdup_printf ("\"id\": \"%s\"", long_id);
  g_autofree char *max_json = g_strdup_printf ("\"id\": \"%s\"", max_id);

  assert_rejected ("\"id\": \"r-002\"", "\"id\": \"\"", "reps[1]", "“id”");
  assert_rejected ("\"id\": \"v-000002\"", long_json, "visits[1]", "“id”");
  assert_rejected ("\"id\": \"v-000002\"", "\"id\": 2", "visits[1]", "“id”");
  assert_rejected ("\"id\": \"o-0002\", ", "", "opportunities[1]", "“id”");
  assert_rejected ("\"code\": \"330600\"", "\"code\": \"\"", "regions[1]", "“code”");
  assert_rejected ("\"created_by\": \"m-li\"", "\"created_by\": \"\"", "action a-2",
                   "“created_by”");
  assert_accepted ("\"id\": \"v-000002\"", max_json);
  /* 64 bytes of UTF-8 (21 three-byte characters + 1) are fine, 66 are not */
  assert_accepted ("\"id\": \"pl-01\"",
                   "\"id\": \"试试试试试试试试试试试试试试试试试试试试试x\"");
  assert_rejected ("\"id\": \"pl-01\"", "\"id\": \"试试试试试试试试试试试试试试试试试试试试试试\"",
                   "pilots[0]", "“id”");
}

static void
test_error_duplicate_id (void)
{
  assert_rejected ("\"id\": \"v-000002\"", "\"id\": \"v-000001\"",
                   "visit v-000001", "“id”", "visits[0]");
  assert_rejected ("\"code\": \"330600\"", "\"code\": \"330700\"",
                   "region 330700", "“code”");
  assert_rejected ("\"id\": \"r-003\"", "\"id\": \"r-001\"", "rep r-001", "“id”");
  assert_rejected ("\"id\": \"case-003\"", "\"id\": \"case-001\"", "case case-001", "“id”");
  assert_rejected ("\"id\": \"a-2\"", "\"id\": \"6f1c0a4e-2b7d-4c1e-9a35-0d8f2f6b1e11\"",
                   "action 6f1c0a4e-2b7d-4c1e-9a35-0d8f2f6b1e11", "“id”");
  /* the same id in two different entity types is fine */
  assert_accepted ("\"id\": \"a-2\"", "\"id\": \"v-000001\"");
}

static void
test_error_reference (void)
{
  assert_rejected ("\"id\": \"r-002\", \"name\": \"李娜\", \"region\": \"330700\"",
                   "\"id\": \"r-002\", \"name\": \"李娜\", \"region\": \"339900\"",
                   "rep r-002", "“region”", "339900");
  assert_rejected ("\"id\": \"p-003\", \"name\": \"坚果礼盒\", \"category\": \"snacks\"",
                   "\"id\": \"p-003\", \"name\": \"坚果礼盒\", \"category\": \"toys\"",
                   "product p-003", "“category”", "toys");
  assert_rejected ("\"region\": \"330600\", \"owner_rep\": \"r-003\",\n     \"tier\": \"C\"",
                   "\"region\": \"330699\", \"owner_rep\": \"r-003\",\n     \"tier\": \"C\"",
                   "customer c-0003", "“region”", "330699");
  assert_rejected ("\"owner_rep\": \"r-002\"", "\"owner_rep\": \"r-099\"",
                   "customer c-0002", "“owner_rep”", "r-099");
  assert_rejected ("\"customer\": \"c-0004\", \"rep\": \"r-003\"",
                   "\"customer\": \"c-0404\", \"rep\": \"r-003\"",
                   "visit v-000005", "“customer”", "c-0404");
  assert_rejected ("\"customer\": \"c-0002\", \"rep\": \"r-002\"",
                   "\"customer\": \"c-0002\", \"rep\": \"r-1000\"",
                   "visit v-000003", "“rep”", "r-1000");
  assert_rejected ("{\"product\": \"p-002\", \"signed\": false}",
                   "{\"product\": \"p-999\", \"signed\": false}",
                   "visit v-000004", "pitches[0]", "“product”", "p-999");
  assert_rejected ("\"customer\": \"c-0003\", \"value\": 0.1",
                   "\"customer\": \"c-0033\", \"value\": 0.1",
                   "opportunity o-0002", "“customer”", "c-0033");
  assert_rejected ("\"regions\": [\"330700\", \"330600\"]", "\"regions\": [\"330700\", \"3306\"]",
                   "pilot pl-02", "“regions”", "3306");
  assert_rejected ("\"owner\": \"r-003\"", "\"owner\": \"r-004\"",
                   "pilot pl-02", "“owner”", "r-004");
  assert_rejected ("\"category\": \"gap\", \"region\": \"330700\"",
                   "\"category\": \"gap\", \"region\": \"330000\"",
                   "case case-002", "“region”", "330000");
  assert_rejected ("\"product_category\": \"dairy\"", "\"product_category\": \"milk\"",
                   "case case-002", "“product_category”", "milk");
  /* actions[].alert is not checked, but must be a non-empty string */
  assert_accepted ("\"alert\": \"stall:o-9999:1760943600\"", "\"alert\": \"anything\"");
  assert_rejected ("\"alert\": \"stall:o-9999:1760943600\"", "\"alert\": \"\"",
                   "action a-2", "“alert”");
  assert_rejected ("\"alert\": \"stall:o-9999:1760943600\"", "\"alert\": null",
                   "action a-2", "“alert”");
}

static void
test_error_time (void)
{
  assert_rejected ("\"start\": \"2026-11-20T09:00:00+08:00\"",
                   "\"start\": \"2026-11-20T09:00:00\"",
                   "visit v-000001", "“start”", "RFC 3339");
  assert_rejected ("\"uploaded\": \"2026-11-16T08:00:00+08:00\"",
                   "\"uploaded\": \"2026-11-16\"", "visit v-000005", "“uploaded”");
  assert_rejected ("\"next_follow_up\": \"2026-11-24T10:00:00+08:00\"",
                   "\"next_follow_up\": \"soon\"", "visit v-000001", "“next_follow_up”");
  assert_rejected ("\"last_progress\": \"2026-10-20T15:00:00+08:00\"",
                   "\"last_progress\": 1760943600", "opportunity o-0001", "“last_progress”");
  assert_rejected ("\"closed\": \"2026-08-01T09:00:00+08:00\"",
                   "\"closed\": \"2026-08-32T09:00:00+08:00\"", "case case-002", "“closed”");
  assert_rejected ("\"created\": \"2026-11-01T09:10:00+08:00\"",
                   "\"created\": \"2026-11-01T25:10:00+08:00\"", "action a-2", "“created”");
  assert_rejected ("\"week\": \"2026-W47\"", "\"week\": \"2026-W54\"",
                   "customer c-0001", "health[0]", "“week”");
}

static void
test_error_date (void)
{
  assert_rejected ("\"start\": \"2026-11-16\"", "\"start\": \"2026-11-31\"",
                   "pilot pl-01", "“start”");
  assert_rejected ("\"start\": \"2026-02-28\"", "\"start\": \"2026-02-28T00:00:00+08:00\"",
                   "pilot pl-02", "“start”");
}

static void
test_error_range (void)
{
  assert_rejected ("\"shelf_share\": 0.3", "\"shelf_share\": 1.5",
                   "visit v-000001", "“shelf_share”");
  assert_rejected ("\"payment_punctuality\": 90", "\"payment_punctuality\": 101",
                   "customer c-0001", "health[0]", "“payment_punctuality”");
  assert_rejected ("\"sell_through\": 0", "\"sell_through\": -1",
                   "customer c-0001", "health[1]", "“sell_through”");
  assert_rejected ("\"revenue_90d\": 33333.33", "\"revenue_90d\": -0.01",
                   "customer c-0003", "“revenue_90d”");
  assert_rejected ("\"photos\": 2", "\"photos\": -1", "visit v-000001", "“photos”");
  assert_rejected ("\"photos\": 2", "\"photos\": 2147483648", "visit v-000001", "“photos”");
  assert_rejected ("\"competitor_price\": 0.1", "\"competitor_price\": -0.1",
                   "visit v-000004", "“competitor_price”");
  assert_rejected ("\"value\": 51000", "\"value\": -51000", "opportunity o-0003", "“value”");
  assert_rejected ("\"avg_order_value\": 950.5", "\"avg_order_value\": -1",
                   "category snacks", "“avg_order_value”");
  assert_rejected ("\"lat\": 30.05", "\"lat\": 90.5", "customer c-0003", "“lat”");
  assert_rejected ("\"lon\": 120.49", "\"lon\": 181", "customer c-0003", "“lon”");
  assert_rejected ("\"lat\": 30.05, ", "", "customer c-0003", "“lat”");
  assert_rejected ("\"label_point\": [119.65, 29.09]", "\"label_point\": [119.65, 99]",
                   "region 330700", "“label_point”");
  assert_accepted ("\"shelf_share\": 0.3", "\"shelf_share\": 0");
}

static void
test_error_geometry (void)
{
  assert_rejected ("[[120.4, 29.9], [120.7, 29.9], [120.7, 30.1], [120.4, 30.1], [120.4, 29.9]]",
                   "[[120.4, 29.9], [120.7, 29.9], [120.4, 29.9]]",
                   "region 330600", "geometry");
  assert_rejected ("\"type\": \"Polygon\"", "\"type\": \"Point\"", "region 330600", "geometry");
  assert_rejected ("[120.7, 30.1], [120.4, 30.1]", "[120.7, 30.1], [200.4, 30.1]",
                   "region 330600", "geometry");
  assert_rejected ("\"geometry\": {\"type\": \"Polygon\"", "\"geometry\": 5, \"g\": {\"t\": 1",
                   "region 330600", "geometry");
}

static void
test_error_end_before_start (void)
{
  assert_rejected ("\"end\": \"2026-11-13T01:00:00Z\"", "\"end\": \"2026-11-13T00:59:59Z\"",
                   "visit v-000002", "“end”", "“start”");
  /* equal is fine (v-000002 as it is), and so is an end in another offset */
  assert_accepted ("\"end\": \"2026-11-13T01:00:00Z\"", "\"end\": \"2026-11-13T09:00:00+08:00\"");
}

static void
test_error_not_object (void)
{
  assert_rejected ("\"visits\": [\n", "\"visits\": [ 42,\n", "visits[0]");
  assert_rejected ("\"health\": [{\"week\": \"2026-W47\"", "\"health\": [7, {\"week\": \"2026-W47\"",
                   "customer c-0001", "health[0]");
}

/* The structural scanner (fl-json-scan.h) */

/* Walks @text as the dataset reader does: the root's members or elements
 * found by the scanner, each parsed by JsonParser. */
static gboolean
scan_document (const char  *text,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  FlJsonScanner scanner;
  char root;

  fl_json_scanner_init (&scanner, "<t>", text, strlen (text));
  root = fl_json_scanner_peek (&scanner);
  if (!fl_json_scanner_open (&scanner, root == '[' ? '[' : '{', error))
    return FALSE;

  for (;;)
    {
      FlJsonSpan key, value;
      gboolean found;

      if (root == '[' ? !fl_json_scanner_next_element (&scanner, &value, &found, error)
                      : !fl_json_scanner_next_member (&scanner, &key, &value, &found, error))
        return FALSE;
      if (!found)
        break;
      if (!fl_json_scanner_parse_span (&scanner, parser, &value, error))
        return FALSE;
    }

  return fl_json_scanner_finish (&scanner, error);
}

static void
test_scan_strings (void)
{
  /* brackets, quotes and backslashes inside strings, escaped or not */
  static const char text[] =
    "[\"a\\\"]\", \"b\\\\\",\"\\u005d[{\\\\\\\"\" ,\n"
    " {\"k]\": \"}\", \"\\\\\": [\"{\"]}, -12.5e3, true, null, \"\", [], {}]  \n";
  static const char * const expected[] = {
    "\"a\\\"]\"", "\"b\\\\\"", "\"\\u005d[{\\\\\\\"\"",
    "{\"k]\": \"}\", \"\\\\\": [\"{\"]}", "-12.5e3", "true", "null", "\"\"", "[]", "{}",
  };
  static const char * const decoded[] = { "a\"]", "b\\", "][{\\\"" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  FlJsonScanner scanner;
  FlJsonSpan span, object_span = { 0, 0 };
  gboolean found;

  fl_json_scanner_init (&scanner, "<t>", text, strlen (text));
  g_assert_true (fl_json_scanner_open (&scanner, '[', &error));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (fl_json_scanner_next_element (&scanner, &span, &found, &error));
      g_assert_no_error (error);
      g_assert_true (found);
      g_assert_cmpmem (text + span.start, span.end - span.start,
                       expected[i], strlen (expected[i]));
      g_assert_true (fl_json_scanner_parse_span (&scanner, parser, &span, &error));
      g_assert_no_error (error);
      if (i < G_N_ELEMENTS (decoded))
        g_assert_cmpstr (json_node_get_string (json_parser_get_root (parser)), ==, decoded[i]);
      if (i == 3)
        object_span = span;
    }

  g_assert_true (fl_json_scanner_next_element (&scanner, &span, &found, &error));
  g_assert_false (found);
  g_assert_true (fl_json_scanner_finish (&scanner, &error));
  g_assert_no_error (error);

  /* the object's members, one with a "]" in its name, found by entering it */
  {
    FlJsonScanner inner;
    FlJsonSpan key;

    fl_json_scanner_enter (&scanner, &object_span, &inner);
    g_assert_true (fl_json_scanner_next_member (&inner, &key, &span, &found, &error));
    g_assert_true (found);
    g_assert_cmpmem (text + key.start, key.end - key.start, "\"k]\"", 4);
    g_assert_cmpmem (text + span.start, span.end - span.start, "\"}\"", 3);
    g_assert_true (fl_json_scanner_next_member (&inner, &key, &span, &found, &error));
    g_assert_true (found);
    g_assert_cmpmem (text + span.start, span.end - span.start, "[\"{\"]", 5);
    g_assert_true (fl_json_scanner_next_member (&inner, &key, &span, &found, &error));
    g_assert_false (found);
    g_assert_true (fl_json_scanner_finish (&inner, &error));
    g_assert_no_error (error);
  }

  g_assert_true (scan_document (text, &error));
  g_assert_no_error (error);
  g_assert_true (scan_document ("\xef\xbb\xbf {\"a\": [1, 2]}\r\n", &error));
  g_assert_no_error (error);
}

static void
test_scan_errors (void)
{
  static const struct
  {
    const char *text;
    const char *message;   /* a part of it */
  } cases[] = {
    /* after the root */
    { "{\"a\": 1} x", "<t>:1:10: Parse error: unexpected character “x”, expected the end" },
    { "{\"a\": 1}}", "<t>:1:9:" },
    { "{\"a\": 1}\n\n  {}", "<t>:3:3:" },
    { "{\"a\": 1}\f", "<t>:1:9: Parse error: unexpected character 0x0C" },
    /* separators */
    { "[{\"a\": 1}\n {\"b\": 2}]", "<t>:2:2: Parse error: unexpected character “{”, expected “,”" },
    { "[1 2]", "<t>:1:4:" },
    { "{\"a\": 1 \"b\": 2}", "<t>:1:9:" },
    { "[1,]", "<t>:1:4:" },
    { "[1,,2]", "<t>:1:4:" },
    { "{\"a\": 1,}", "<t>:1:9:" },
    { "{\"a\" 1}", "<t>:1:6: Parse error: unexpected character “1”, expected “:”" },
    { "{a: 1}", "<t>:1:2:" },
    { "{\"a\": }", "<t>:1:7:" },
    { "[", "<t>:1:2: Parse error: unexpected end of the data" },
    { "{\"a\": [1, 2}", "<t>:1:12: Parse error: unexpected character “}”, expected “]”" },
    { "[[1}]]", "<t>:1:4:" },
    /* strings */
    { "[\"abc", "<t>:1:2: Parse error: unterminated string" },
    { "[\"a\\\"]", "<t>:1:2: Parse error: unterminated string" },
    { "{\"a\": \"b\\\\\"\", \"c\": 1}", "<t>:1:" },
    { "{\"a\\", "<t>:1:2: Parse error: unterminated string" },
    /* json-glib's extensions are not JSON */
    { "{\"a\": 1 /* c */}", "<t>:1:9:" },
    { "[1, /* c */ 2]", "<t>:1:5:" },
    { "['a']", "<t>:1:2:" },
    { "[1/2]", "<t>:1:3:" },
    /* inside an element, JsonParser decides; positions are the document's */
    { "[1,\n  [1 2]]", "<t>:2:" },
    { "[1,\n  {\"x\": tru}]", "<t>:2:" },
    { "[1,\n  {\"x\": \"\xff\"}]", "<t>:2:10: JSON data must be UTF-8 encoded" },
    { "{\"a\": 1, \"b\": [1, \"\\ud800\"]}", "<t>:1:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_false (scan_document (cases[i].text, &error));
      g_assert_error (error, JSON_PARSER_ERROR, error->code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("“%s” not in the message “%s” for %s", cases[i].message, error->message,
                 cases[i].text);
    }
}

static void
test_scan_depth (void)
{
  g_autoptr(GError) error = NULL;
  GString *text = g_string_new ("[");

  /* Inside the root, FL_JSON_SCAN_MAX_DEPTH levels are fine… */
  for (guint i = 0; i < FL_JSON_SCAN_MAX_DEPTH / 2; i++)
    g_string_append (text, "[{\"a\":");
  g_string_append (text, "1");
  for (guint i = 0; i < FL_JSON_SCAN_MAX_DEPTH / 2; i++)
    g_string_append (text, "}]");
  g_string_append (text, "]");
  g_assert_true (scan_document (text->str, &error));
  g_assert_no_error (error);

  /* …one more is not, and far more fails cleanly (JsonParser alone overflows the stack). */
  for (guint depth = FL_JSON_SCAN_MAX_DEPTH + 1; depth < 300000; depth *= 300)
    {
      g_string_assign (text, "[");
      for (guint i = 0; i < depth; i++)
        g_string_append_c (text, '[');
      for (guint i = 0; i < depth + 1; i++)
        g_string_append_c (text, ']');
      g_assert_false (scan_document (text->str, &error));
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message,
                                "<t>:1:1002: Parse error: nested deeper than 1000 levels"));
      g_clear_error (&error);
    }

  g_string_free (text, TRUE);
}

/* The reader on whole documents */

static char *
patch_text (const char *text,
            const char *from,
            const char *to)
{
  const char *at = strstr (text, from);
  GString *s;

  if (at == NULL)
    g_error ("patch: “%s” not in the text", from);
  if (strstr (at + 1, from) != NULL)
    g_error ("patch: “%s” is ambiguous in the text", from);

  s = g_string_new_len (text, at - text);
  g_string_append (s, to);
  g_string_append (s, at + strlen (from));
  return g_string_free (s, FALSE);
}

/* "<data>:N:" where N is the line of @needle in @text */
static char *
position_of (const char *text,
             const char *needle)
{
  const char *at = strstr (text, needle);
  guint line = 1;

  g_assert_nonnull (at);
  for (const char *p = text; p < at; p++)
    line += *p == '\n';
  return g_strdup_printf ("<data>:%u:", line);
}

static void
test_stream_malformed (void)
{
  g_autofree char *garbage = g_strconcat (fixture_text, "x", NULL);
  g_autofree char *last_line = NULL;
  guint lines = 1;

  /* after the root: the position of the garbage */
  for (const char *p = fixture_text; *p != '\0'; p++)
    lines += *p == '\n';
  last_line = g_strdup_printf ("dataset: not valid JSON: <data>:%u:1: Parse error:", lines);
  assert_rejected_text (garbage, last_line, NULL);

  /* a missing comma between two visits */
  {
    g_autofree char *text = patch ("\"pitches\": [{\"product\": \"p-002\", \"signed\": false}]},",
                                   "\"pitches\": [{\"product\": \"p-002\", \"signed\": false}]}");
    g_autofree char *where = position_of (text, "{\"id\": \"v-000005\"");

    assert_rejected_text (text, "not valid JSON", where, NULL);
  }
  /* inside an element (nested arrays): JsonParser's error, at its place in the document */
  {
    g_autofree char *text = patch ("[[[119.5, 29.0], [119.8, 29.0]",
                                   "[[[119.5, 29.0] [119.8, 29.0]");
    g_autofree char *where = position_of (text, "[[[119.5, 29.0] [119.8");

    assert_rejected_text (text, "not valid JSON", where, NULL);
  }
  /* an unterminated string runs to the end */
  assert_rejected ("\"created_by\": \"m-li\"", "\"created_by\": \"m-li",
                   "not valid JSON", "unterminated string");
  /* in a member nobody reads, in a header member, in a key */
  assert_rejected ("{\"ignored\": true}", "{\"ignored\": tru}", "not valid JSON", "<data>:6:");
  assert_rejected ("{\"ignored\": true}", "{\"ignored\": [1 2]}", "not valid JSON", "<data>:6:");
  assert_rejected ("\"version\": 1,", "\"version\": 01x,", "not valid JSON", "<data>:3:");
  assert_rejected ("\"x-future-extension\"", "\"x-future\\u12\"",
                   "not valid JSON", "<data>:6:");
  /* comments and single quotes are not JSON (json-glib alone took them) */
  assert_rejected ("\"version\": 1,", "\"version\": 1 /* one */,", "not valid JSON", "<data>:3:");
  assert_rejected ("\"pain_keywords\": [\"价格\"]", "\"pain_keywords\": ['价格']",
                   "not valid JSON");
  /* a root that is not an object */
  assert_rejected_text ("[1, 2", "not valid JSON", NULL);
  assert_rejected_text (" \n ", "dataset", "object", NULL);
  assert_rejected_text ("\"fieldlight-dataset\"", "dataset", "object", NULL);
}

/* Malformed JSON anywhere is reported first, at its first place in the file,
 * as when JsonParser read the whole document. */
static void
test_stream_error_order (void)
{
  g_autofree char *content = patch ("\"tier\": \"C\"", "\"tier\": \"X\"");
  g_autofree char *both = patch_text (content, "\"created_by\": \"m-li\"",
                                      "\"created_by\": \"m-li\",,");
  g_autofree char *where = position_of (both, "\"created_by\": \"m-li\",,");
  g_autofree char *two = NULL;
  g_autofree char *first = NULL;
  g_autofree char *trailing = NULL;

  assert_rejected_text (content, "customer c-0003", "“tier”", NULL);
  assert_rejected_text (both, "not valid JSON", where, NULL);

  /* two syntax errors: an element's (found while reading) and a later one */
  two = patch_text (both, "\"closed\": \"2026-09-30T18:00:00+08:00\"",
                    "\"closed\": \"2026-09-30T18:00:00+08:00\" x");
  first = position_of (two, "\"closed\": \"2026-09-30T18:00:00+08:00\" x");
  assert_rejected_text (two, "not valid JSON", first, NULL);

  /* an element's syntax error before garbage after the root (found by the scan) */
  trailing = g_strconcat (two, "}", NULL);
  assert_rejected_text (trailing, "not valid JSON", first, NULL);
}

static void
test_stream_members (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reversed = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GList) names = NULL;
  g_autofree char *text = NULL;

  /* Members in any order: here reversed, actions first and regions last. */
  g_assert_true (json_parser_load_from_data (parser, fixture_text, fixture_len, &error));
  names = json_object_get_members (json_node_get_object (json_parser_get_root (parser)));
  names = g_list_reverse (names);
  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (object, l->data,
                            json_object_dup_member (json_node_get_object (
                                                      json_parser_get_root (parser)), l->data));
  json_node_set_object (reversed, object);
  text = json_to_string (reversed, TRUE);
  g_assert_true (g_str_has_prefix (text, "{\n  \"actions\""));
  {
    g_autoptr(FlDataset) ds = load_text (text, &error);

    g_assert_no_error (error);
    check_fixture_content (ds);
  }

  /* Duplicate keys: the last one counts (as with JsonParser), the others must be JSON. */
  {
    g_autofree char *before = patch ("\"x-future-extension\"",
                                     "\"visits\": [1], \"reps\": 5, \"x-future-extension\"");
    g_autofree char *last = g_strconcat (fixture_text, "", NULL);
    g_autoptr(FlDataset) ds = load_text (before, &error);
    g_autoptr(FlDataset) ds2 = NULL;
    char *end;

    g_assert_no_error (error);
    check_fixture_content (ds);

    end = strrchr (last, '}');
    *end = '\0';
    {
      g_autofree char *emptied = g_strconcat (last, ", \"visits\": []}", NULL);
      g_autofree char *not_array = g_strconcat (last, ", \"reps\": {}}", NULL);
      g_autofree char *bad = g_strconcat (last, ", \"reps\": {]}", NULL);

      ds2 = load_text (emptied, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ds2->visits->len, ==, 0);
      g_assert_cmpuint (ds2->customers->len, ==, 4);
      assert_rejected_text (not_array, "dataset", "“reps”", NULL);
      assert_rejected_text (bad, "not valid JSON", NULL);
    }
  }

  /* An escaped key is the same key. */
  {
    g_autofree char *escaped = patch ("\"visits\": [", "\"vi\\u0073its\": [");
    g_autoptr(FlDataset) ds = load_text (escaped, &error);

    g_assert_no_error (error);
    check_fixture_content (ds);
  }
}

/* The fixture and @n more visits "gen-000000"…, as the writer writes it. */
static char *
fixture_with_visits (guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = fl_dataset_load_from_data (fixture_text, fixture_len, &error);
  g_autoptr(GBytes) bytes = NULL;
  FlVisit *model;

  g_assert_no_error (error);
  model = find_by_id (ds->visits, "v-000001");
  for (guint i = 0; i < n; i++)
    {
      FlVisit *v = g_new0 (FlVisit, 1);

      v->id = g_strdup_printf ("gen-%06u", i);
      v->customer = g_strdup (model->customer);
      v->rep = g_strdup (model->rep);
      v->start = model->start + i * 600;
      v->end = v->start + 1200;
      v->uploaded = v->end + 60;
      v->pain_keywords = g_strdupv (model->pain_keywords);
      v->committed_action = g_strdup_printf ("动作 \"%u\" [\\]", i);
      v->prev_action_achieved = (FlAchieved) ((int) (i % 3) - 1);
      v->photos = (int) (i % 4) - 1;
      v->pitches = g_array_new (FALSE, TRUE, sizeof (FlPitch));
      g_ptr_array_add (ds->visits, v);
    }

  bytes = fl_dataset_write_to_bytes (ds, &error);
  g_assert_no_error (error);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
rejected_message (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = load_text (text, &error);

  g_assert_null (ds);
  g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
  return g_strdup (error->message);
}

#define BIG 5000   /* visits: read by several threads, in chunks */

/* Big arrays are read in chunks by several threads: same results, same errors. */
static void
test_stream_big (void)
{
  static const struct
  {
    const char *from, *to, *message;
  } cases[] = {
    { "{\"id\":\"gen-000002\",", "{\"id\":\"\",", "visits[7]: field “id”" },
    { "{\"id\":\"gen-000002\",", "{\"id\":\"gen-000001\",",
      "visit gen-000001: field “id” is not unique (same as visits[6])" },
    { "{\"id\":\"gen-000002\",\"customer\":\"c-0001\"",
      "{\"id\":\"gen-000002\",\"customer\":\"c-9\"",
      "visit gen-000002: field “customer” names an unknown customer “c-9”" },
    { "{\"id\":\"gen-000002\",", "7, {\"id\":\"gen-x\",", "visits[7]: must be an object" },
    { "{\"id\":\"gen-000002\",", "{\"id\":\"gen-000002\",,", "not valid JSON: <data>:" },
    { "{\"id\":\"gen-000002\",", "{\"id\":\"v-000001\",\"id\":\"gen-000002\",", NULL },
  };
  g_autofree char *small = fixture_with_visits (5);
  g_autofree char *big = fixture_with_visits (BIG);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) ds = load_text (big, &error);
  g_autoptr(GBytes) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (ds->visits->len, ==, BIG + 5);
  g_assert_cmpstr (((FlVisit *) g_ptr_array_index (ds->visits, BIG + 4))->id, ==, "gen-004999");
  g_assert_cmpstr (((FlVisit *) g_ptr_array_index (ds->visits, 2000))->committed_action, ==,
                   "动作 \"1995\" [\\]");
  again = fl_dataset_write_to_bytes (ds, &error);
  g_assert_cmpmem (g_bytes_get_data (again, NULL), g_bytes_get_size (again), big, strlen (big));

  /* The same error in a small array (one thread) and a big one */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *small_text = patch_text (small, cases[i].from, cases[i].to);
      g_autofree char *big_text = patch_text (big, cases[i].from, cases[i].to);
      g_autofree char *small_message = NULL;
      g_autofree char *big_message = NULL;

      if (cases[i].message == NULL)
        {
          g_autoptr(FlDataset) a = load_text (small_text, &error);
          g_autoptr(FlDataset) b = load_text (big_text, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (b->visits->len, ==, a->visits->len + BIG - 5);
          continue;
        }
      small_message = rejected_message (small_text);
      big_message = rejected_message (big_text);
      g_test_message ("%s", big_message);
      g_assert_cmpstr (small_message, ==, big_message);
      g_assert_nonnull (strstr (big_message, cases[i].message));
    }
}

static void
test_stream_big_errors (void)
{
  g_autofree char *big = fixture_with_visits (BIG);
  g_autofree char *late = patch_text (big, "{\"id\":\"gen-004000\",\"customer\":\"c-0001\"",
                                      "{\"id\":\"gen-004000\",\"customer\":\"c-0\"");
  g_autofree char *dup_late = patch_text (big, "{\"id\":\"gen-004000\",",
                                          "{\"id\":\"gen-000010\",");
  g_autofree char *message = NULL;

  /* the first by index, whichever thread found it first */
  {
    g_autofree char *text = patch_text (late, "{\"id\":\"gen-000100\",\"customer\":\"c-0001\"",
                                        "{\"id\":\"gen-000100\",\"customer\":\"c-1\"");

    message = rejected_message (text);
    g_assert_cmpstr (message, ==,
                     "visit gen-000100: field “customer” names an unknown customer “c-1”");
    g_clear_pointer (&message, g_free);
  }
  {
    g_autofree char *text = patch_text (late, "{\"id\":\"gen-004999\",", "{\"id\":\"\",");

    message = rejected_message (text);
    g_assert_cmpstr (message, ==,
                     "visit gen-004000: field “customer” names an unknown customer “c-0”");
    g_clear_pointer (&message, g_free);
  }
  /* a duplicate id is found in element order, among the other errors */
  message = rejected_message (dup_late);
  g_assert_cmpstr (message, ==,
                   "visit gen-000010: field “id” is not unique (same as visits[15])");
  g_clear_pointer (&message, g_free);
  {
    g_autofree char *text = patch_text (dup_late, "{\"id\":\"gen-004001\",\"customer\":\"c-0001\"",
                                        "{\"id\":\"gen-004001\",\"customer\":\"c-1\"");
    g_autofree char *text2 = patch_text (dup_late, "{\"id\":\"gen-000050\",\"customer\":\"c-0001\"",
                                         "{\"id\":\"gen-000050\",\"customer\":\"c-1\"");
    g_autofree char *text3 = patch_text (big, "{\"id\":\"gen-003000\",\"customer\":\"c-0001\"",
                                         "{\"id\":\"gen-000003\",\"customer\":\"c-1\"");

    message = rejected_message (text);
    g_assert_nonnull (strstr (message, "visit gen-000010: field “id” is not unique"));
    g_clear_pointer (&message, g_free);
    message = rejected_message (text2);
    g_assert_cmpstr (message, ==,
                     "visit gen-000050: field “customer” names an unknown customer “c-1”");
    g_clear_pointer (&message, g_free);
    /* the failing element's own id is a duplicate: that comes first */
    message = rejected_message (text3);
    g_assert_cmpstr (message, ==,
                     "visit gen-000003: field “id” is not unique (same as visits[8])");
    g_clear_pointer (&message, g_free);
  }
  /* malformed JSON late in the array beats content errors before it */
  {
    g_autofree char *text = patch_text (dup_late, "{\"id\":\"gen-004999\",",
                                        "{\"id\":\"gen-004999\" ");
    g_autofree char *text2 = patch_text (text, "{\"id\":\"gen-000300\",",
                                         "{\"id\":\"gen-000300\"::");
    g_autofree char *where = position_of (text, "{\"id\":\"gen-004999\" ");
    g_autofree char *where2 = position_of (text2, "{\"id\":\"gen-000300\"::");

    message = rejected_message (text);
    g_assert_nonnull (strstr (message, "not valid JSON"));
    g_assert_nonnull (strstr (message, where));
    g_clear_pointer (&message, g_free);
    message = rejected_message (text2);
    g_assert_nonnull (strstr (message, where2));
    g_clear_pointer (&message, g_free);
  }
}

/* Through a mapped file, whose pages are given back as they are read */
static void
test_stream_file (void)
{
  g_autofree char *big = fixture_with_visits (BIG);
  g_autofree char *bad = patch_text (big, "{\"id\":\"gen-001234\",", "{\"id\":\"gen-001234\" ");
  g_autofree char *where = position_of (bad, "{\"id\":\"gen-001234\" ");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fl-dataset-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "big.json", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(FlDataset) ds = NULL;
  g_autoptr(FlDataset) none = NULL;
  g_autoptr(GBytes) again = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, big, -1, &error));
  ds = fl_dataset_load_from_file (path, &error);
  g_assert_no_error (error);
  again = fl_dataset_write_to_bytes (ds, &error);
  g_assert_cmpmem (g_bytes_get_data (again, NULL), g_bytes_get_size (again), big, strlen (big));

  g_assert_true (g_file_set_contents (path, bad, -1, &error));
  none = fl_dataset_load_from_file (path, &error);
  g_assert_null (none);
  g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
  /* "<path>: dataset: not valid JSON: <path>:<line>:<column>: …" */
  expected = g_strdup_printf ("%s: dataset: not valid JSON: %s:%s", path, path,
                              where + strlen ("<data>:"));
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  none = fl_dataset_load_from_file (path, &error);
  g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The fast parser of fl-json-scan.c gives the tree JsonParser gives, and
 * JsonParser's errors for what it does not take. */
static void
test_fast_parser (void)
{
  static const char * const documents[] = {
    /* plain JSON: read by the fast parser */
    "{\"a\": 1, \"b\": [true, false, null], \"c\": {\"d\": \"e\"}}",
    "[0, -0, 7, -42, 123456789012345678, 1.5, -2.25e3, 1E-7, 0.1, 3.0, 1e5]",
    "\"esc: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u4e2d \\ud83d\\ude00\"",
    "  \"\xe9\x87\x91\xe5\x8d\x8e\xe5\xb8\x82\"  ",
    "{}", "[]", "[[], {}, [[{}]]]", "null", "true", "12",
    "{\"visits\": [{\"id\": \"v-1\", \"pitches\": [{\"product\": \"p\", \"signed\": false}]}]}",
    /* not for the fast parser: JsonParser decides */
    "1234567890123456789012",               /* past 18 digits */
    "{\"a\": 1, \"a\": 2}",                  /* duplicate key: the last wins */
    "\"\\u0000\"",
    "\xef\xbb\xbf{\"bom\": 1}",
    "{\"a\": 1,}", "[1,]", "[01]", "[1.]", "[.5]", "[-]", "{\"a\" 1}", "[\"\\x\"]",
    "[tru]", "[\"\xff\"]", "[\"\\ud800\"]", "{\"a\": 1} x", "[1] [2]", "", "   ",
    "{'a': 1}", "[\"tab\there\"]", "[1e]", "[1e+]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      const char *doc = documents[i];
      g_autoptr(JsonParser) reference = json_parser_new ();
      g_autoptr(JsonParser) fallback = json_parser_new ();
      g_autoptr(GError) expected_error = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      gboolean ok;

      ok = json_parser_load_from_data (reference, doc, -1, &expected_error);
      root = fl_json_parse_data (doc, strlen (doc), fallback, &error);
      g_test_message ("document %u: %s", i, doc);
      if (!ok)
        {
          g_assert_null (root);
          g_assert_nonnull (error);
          g_assert_cmpstr (error->message, ==, expected_error->message);
        }
      else if (json_parser_get_root (reference) == NULL)
        {
          g_assert_null (root);
          g_assert_no_error (error);
        }
      else
        {
          g_autofree char *expected = json_to_string (json_parser_get_root (reference), FALSE);
          g_autofree char *got = NULL;

          g_assert_no_error (error);
          g_assert_nonnull (root);
          got = json_to_string (root, FALSE);
          g_assert_cmpstr (got, ==, expected);
          g_assert_cmpint (json_node_get_value_type (root), ==,
                           json_node_get_value_type (json_parser_get_root (reference)));
        }
    }

  /* Number types and values exactly as JsonParser has them. */
  {
    const char *doc = "[5, -5, 5.0, 0.30000000000000004, 1e300, -1.7976931348623157e308]";
    g_autoptr(JsonParser) reference = json_parser_new ();
    g_autoptr(JsonParser) fallback = json_parser_new ();
    g_autoptr(JsonNode) root = fl_json_parse_data (doc, strlen (doc), fallback, NULL);
    JsonArray *a, *b;

    g_assert_true (json_parser_load_from_data (reference, doc, -1, NULL));
    a = json_node_get_array (json_parser_get_root (reference));
    b = json_node_get_array (root);
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonNode *x = json_array_get_element (a, i), *y = json_array_get_element (b, i);

        g_assert_cmpint (json_node_get_value_type (x), ==, json_node_get_value_type (y));
        if (json_node_get_value_type (x) == G_TYPE_INT64)
          g_assert_cmpint (json_node_get_int (x), ==, json_node_get_int (y));
        else
          g_assert_true (json_node_get_double (x) == json_node_get_double (y));
      }
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  path = g_test_build_filename (G_TEST_DIST, "data", "dataset-small.json", NULL);
  if (!g_file_get_contents (path, &fixture_text, &fixture_len, &error))
    g_error ("%s", error->message);

  g_test_add_func ("/dataset/load/fixture", test_load_fixture);
  g_test_add_func ("/dataset/load/file", test_load_file);
  g_test_add_func ("/dataset/new", test_new_dataset);
  g_test_add_func ("/dataset/write/round-trip", test_round_trip);
  g_test_add_func ("/dataset/write/numbers", test_round_trip_numbers);
  g_test_add_func ("/dataset/write/file", test_write_file);
  g_test_add_func ("/dataset/error/malformed-json", test_error_malformed_json);
  g_test_add_func ("/dataset/error/format", test_error_format);
  g_test_add_func ("/dataset/error/version", test_error_version);
  g_test_add_func ("/dataset/error/timezone", test_error_timezone);
  g_test_add_func ("/dataset/error/missing-field", test_error_missing_field);
  g_test_add_func ("/dataset/error/wrong-type", test_error_wrong_type);
  g_test_add_func ("/dataset/error/enum", test_error_enum);
  g_test_add_func ("/dataset/error/id", test_error_id);
  g_test_add_func ("/dataset/error/duplicate-id", test_error_duplicate_id);
  g_test_add_func ("/dataset/error/reference", test_error_reference);
  g_test_add_func ("/dataset/error/time", test_error_time);
  g_test_add_func ("/dataset/error/date", test_error_date);
  g_test_add_func ("/dataset/error/range", test_error_range);
  g_test_add_func ("/dataset/error/geometry", test_error_geometry);
  g_test_add_func ("/dataset/error/end-before-start", test_error_end_before_start);
  g_test_add_func ("/dataset/error/not-object", test_error_not_object);
  g_test_add_func ("/dataset/scan/strings", test_scan_strings);
  g_test_add_func ("/dataset/scan/errors", test_scan_errors);
  g_test_add_func ("/dataset/scan/depth", test_scan_depth);
  g_test_add_func ("/dataset/stream/malformed", test_stream_malformed);
  g_test_add_func ("/dataset/stream/error-order", test_stream_error_order);
  g_test_add_func ("/dataset/stream/members", test_stream_members);
  g_test_add_func ("/dataset/stream/big", test_stream_big);
  g_test_add_func ("/dataset/stream/big-errors", test_stream_big_errors);
  g_test_add_func ("/dataset/stream/file", test_stream_file);
  g_test_add_func ("/json/fast-parser", test_fast_parser);

  return g_test_run ();
}
