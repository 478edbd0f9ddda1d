/* test-types.c — enumerations and their wire names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <glib.h>

#include "fl-core.h"

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (FL_ERROR), ==, "fl-error-quark");
  g_assert_cmpuint (FL_ERROR, ==, fl_error_quark ());
}

static void
test_alert_category (void)
{
  static const char * const names[] = { "churn", "stall", "gap" };
  FlAlertCategory out;

  for (guint i = 0; i < FL_N_ALERT_CATEGORIES; i++)
    {
      g_assert_cmpstr (fl_alert_category_to_string (i), ==, names[i]);
      out = FL_N_ALERT_CATEGORIES;
      g_assert_true (fl_alert_category_from_string (names[i], &out));
      g_assert_cmpint (out, ==, i);
    }

  g_assert_false (fl_alert_category_from_string ("Churn", &out));
  g_assert_false (fl_alert_category_from_string ("", &out));
  g_assert_false (fl_alert_category_from_string ("churn ", &out));
  g_assert_false (fl_alert_category_from_string (NULL, &out));
}

static void
test_region_status (void)
{
  g_assert_cmpstr (fl_region_status_to_string (FL_STATUS_GREEN), ==, "green");
  g_assert_cmpstr (fl_region_status_to_string (FL_STATUS_YELLOW), ==, "yellow");
  g_assert_cmpstr (fl_region_status_to_string (FL_STATUS_RED), ==, "red");
}

static void
test_action_kind (void)
{
  static const char * const names[] = {
    "send_sample", "call_today", "escalate_tech", "manager_joins_visit",
    "talk_track_training", "price_review",
  };
  FlActionKind out;

  g_assert_cmpuint (G_N_ELEMENTS (names), ==, FL_N_ACTION_KINDS);
  for (guint i = 0; i < FL_N_ACTION_KINDS; i++)
    {
      g_assert_cmpstr (fl_action_kind_to_string (i), ==, names[i]);
      out = FL_N_ACTION_KINDS;
      g_assert_true (fl_action_kind_from_string (names[i], &out));
      g_assert_cmpint (out, ==, i);
    }

  g_assert_false (fl_action_kind_from_string ("send-sample", &out));
  g_assert_false (fl_action_kind_from_string ("SEND_SAMPLE", &out));
  g_assert_false (fl_action_kind_from_string (NULL, &out));
}

static void
test_stage (void)
{
  static const char * const names[] = { "open", "won", "lost" };
  FlStage out;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (fl_stage_to_string (i), ==, names[i]);
      out = 99;
      g_assert_true (fl_stage_from_string (names[i], &out));
      g_assert_cmpint (out, ==, i);
    }

  g_assert_false (fl_stage_from_string ("closed", &out));
  g_assert_false (fl_stage_from_string ("", &out));
}

static void
test_labels (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  /* The C locale of the tests gives the English source strings. */
  g_assert_cmpstr (fl_alert_category_get_label (FL_ALERT_CHURN), ==, "Customer churn");
  g_assert_cmpstr (fl_alert_category_get_label (FL_ALERT_STALL), ==, "Opportunity stall");
  g_assert_cmpstr (fl_alert_category_get_label (FL_ALERT_GAP), ==, "Team capability gap");
  g_assert_cmpstr (fl_region_status_get_label (FL_STATUS_GREEN), ==, "No warning");
  g_assert_cmpstr (fl_region_status_get_label (FL_STATUS_YELLOW), ==, "One warning category");
  g_assert_cmpstr (fl_region_status_get_label (FL_STATUS_RED), ==,
                   "Two or more warning categories");
  g_assert_cmpstr (fl_action_kind_get_label (FL_ACTION_SEND_SAMPLE), ==,
                   "Send sample and case video");
  g_assert_cmpstr (fl_action_kind_get_label (FL_ACTION_CALL_TODAY), ==, "Call today");
  g_assert_cmpstr (fl_action_kind_get_label (FL_ACTION_ESCALATE_TECH), ==,
                   "Escalate to technical staff");
  g_assert_cmpstr (fl_action_kind_get_label (FL_ACTION_MANAGER_JOINS_VISIT), ==,
                   "Manager joins next visit");
  g_assert_cmpstr (fl_action_kind_get_label (FL_ACTION_TALK_TRACK_TRAINING), ==,
                   "Talk-track training");
  g_assert_cmpstr (fl_action_kind_get_label (FL_ACTION_PRICE_REVIEW), ==, "Price review");

  /* All distinct. */
  for (guint i = 0; i < FL_N_ACTION_KINDS; i++)
    g_assert_true (g_hash_table_add (seen, (gpointer) fl_action_kind_get_label (i)));
  for (guint i = 0; i < FL_N_ALERT_CATEGORIES; i++)
    g_assert_true (g_hash_table_add (seen, (gpointer) fl_alert_category_get_label (i)));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/types/error-quark", test_error_quark);
  g_test_add_func ("/types/alert-category", test_alert_category);
  g_test_add_func ("/types/region-status", test_region_status);
  g_test_add_func ("/types/action-kind", test_action_kind);
  g_test_add_func ("/types/stage", test_stage);
  g_test_add_func ("/types/labels", test_labels);

  return g_test_run ();
}
