/* test-execute.c — one-click execution: execute → actioned (and the region's
 * colour), undo → pending again, unknown and handled alerts, the suggested
 * kind against an explicit one, undo after sending, the headless form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <locale.h>
#include <string.h>
#include <glib.h>

#include "fl-core.h"
#include "fl-sync-store.h"

#define NOW "2026-11-23T09:00:00+08:00"

typedef struct
{
  FlStore *store;
  gint64   now;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = NULL;

  g_assert_true (fl_time_parse_rfc3339 (NOW, &fixture->now));
  dataset = fl_demo_generate (FL_DEMO_DEFAULT_SEED, fixture->now, 1.0, &error);
  g_assert_no_error (error);
  fixture->store = fl_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (fixture->store, dataset, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
}

static FlEvaluation *
evaluate (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  FlEvaluation *evaluation = fl_rules_evaluate (fixture->store, fixture->now, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (evaluation);
  return evaluation;
}

static guint
n_categories (const FlRegionState *region)
{
  guint n = 0;

  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    n += region->pending[c] > 0;
  return n;
}

static FlRegionStatus
status_for (guint n_categories_pending)
{
  return n_categories_pending == 0 ? FL_STATUS_GREEN
         : n_categories_pending == 1 ? FL_STATUS_YELLOW : FL_STATUS_RED;
}

/* A pending alert that is the only pending one of its category in its region,
 * in a region whose colour then changes (1 or 2 categories pending). */
static char *
find_lonely_alert (FlEvaluation *evaluation)
{
  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);
      FlRegionState *region = fl_evaluation_find_region (evaluation, alert->region);

      if (!alert->actioned && region->pending[alert->category] == 1
          && n_categories (region) <= 2)
        return g_strdup (alert->id);
    }
  return NULL;
}

static GPtrArray *
list_outbox (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = fl_store_list_outbox (fixture->store, 0xff, &error);

  g_assert_no_error (error);
  return entries;
}

static void
test_execute_undo (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(FlEvaluation) before = evaluate (fixture);
  g_autoptr(FlEvaluation) after = NULL;
  g_autoptr(FlEvaluation) undone = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alert_id = find_lonely_alert (before);
  FlAlert *alert;
  FlRegionState *region;
  FlRegionStatus status_before;
  FlAlertCategory category;
  guint pending_before, n_pending_before;
  FlOutboxEntry *entry;
  FlAction *action;
  g_autofree char *region_code = NULL;

  g_assert_nonnull (alert_id);
  alert = fl_evaluation_find_alert (before, alert_id);
  category = alert->category;
  region_code = g_strdup (alert->region);
  region = fl_evaluation_find_region (before, region_code);
  status_before = region->status;
  g_assert_cmpint (status_before, ==, status_for (n_categories (region)));
  pending_before = region->pending[category];
  n_pending_before = region->n_pending;
  g_assert_cmpuint (pending_before, ==, 1);

  action = fl_execute_alert (fixture->store, NULL, alert_id, -1, "manager", fixture->now,
                             &error);
  g_assert_no_error (error);
  g_assert_nonnull (action);
  g_assert_true (g_uuid_string_is_valid (action->id));
  g_assert_cmpstr (action->alert, ==, alert_id);
  g_assert_cmpint (action->created, ==, fixture->now);
  g_assert_cmpstr (action->created_by, ==, "manager");

  /* Queued, not to be sent before the undo window has passed. */
  outbox = list_outbox (fixture);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpstr (entry->action->id, ==, action->id);
  g_assert_cmpint (entry->state, ==, FL_OUTBOX_QUEUED);
  g_assert_cmpint (entry->not_before, ==, fixture->now + FL_EXECUTE_UNDO_SECONDS);
  g_clear_pointer (&outbox, g_ptr_array_unref);

  /* The alert is actioned; the region lost that category: its colour changes. */
  after = evaluate (fixture);
  alert = fl_evaluation_find_alert (after, alert_id);
  g_assert_nonnull (alert);
  g_assert_true (alert->actioned);
  region = fl_evaluation_find_region (after, region_code);
  g_assert_cmpuint (region->pending[category], ==, 0);
  g_assert_cmpuint (region->n_pending, ==, n_pending_before - 1);
  g_assert_cmpint (region->status, ==, status_for (n_categories (region)));
  g_assert_cmpint (region->status, !=, status_before);

  /* Undo: pending again, same colour as before, outbox empty. */
  g_assert_true (fl_execute_undo (fixture->store, action->id, &error));
  g_assert_no_error (error);
  undone = evaluate (fixture);
  alert = fl_evaluation_find_alert (undone, alert_id);
  g_assert_false (alert->actioned);
  region = fl_evaluation_find_region (undone, region_code);
  g_assert_cmpuint (region->pending[category], ==, pending_before);
  g_assert_cmpint (region->status, ==, status_before);
  outbox = list_outbox (fixture);
  g_assert_cmpuint (outbox->len, ==, 0);

  /* Undo twice: nothing left to undo. */
  g_assert_false (fl_execute_undo (fixture->store, action->id, &error));
  g_assert_nonnull (error);
  fl_action_free (action);
}

static void
test_unknown (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  FlAction *action;

  action = fl_execute_alert (fixture->store, NULL, "churn:c-nope:v-nope", -1, "manager",
                             fixture->now, &error);
  g_assert_null (action);
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "churn:c-nope:v-nope"));
  g_assert_nonnull (strstr (error->message, "2026-11-23T09:00:00+08:00"));
  g_clear_error (&error);

  /* A kind outside the enumeration. */
  action = fl_execute_alert (fixture->store, NULL, "churn:c-nope:v-nope", FL_N_ACTION_KINDS,
                             "manager", fixture->now, &error);
  g_assert_null (action);
  g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);

  outbox = list_outbox (fixture);
  g_assert_cmpuint (outbox->len, ==, 0);
}

static void
test_already_actioned (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(FlEvaluation) evaluation = evaluate (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  FlAlert *handled = NULL;
  FlAlert *pending = NULL;
  FlAction *action;
  FlAction *again;

  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->actioned && handled == NULL)
        handled = alert;
      if (!alert->actioned && pending == NULL)
        pending = alert;
    }
  g_assert_nonnull (pending);

  /* Handled in the data (by the server). */
  if (handled != NULL)
    {
      again = fl_execute_alert (fixture->store, NULL, handled->id, -1, "manager",
                                fixture->now, &error);
      g_assert_null (again);
      g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);
      g_assert_nonnull (strstr (error->message, handled->id));
      g_clear_error (&error);
    }

  /* Handled here a moment ago: the message names the action and its author. */
  action = fl_execute_alert (fixture->store, NULL, pending->id, -1, "wang", fixture->now,
                             &error);
  g_assert_no_error (error);
  again = fl_execute_alert (fixture->store, NULL, pending->id, -1, "li", fixture->now + 5,
                            &error);
  g_assert_null (again);
  g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, pending->id));
  g_assert_nonnull (strstr (error->message, action->id));
  g_assert_nonnull (strstr (error->message, "wang"));
  outbox = list_outbox (fixture);
  g_assert_cmpuint (outbox->len, ==, 1);
  fl_action_free (action);
}

static void
test_kind (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(FlEvaluation) evaluation = evaluate (fixture);
  g_autoptr(GError) error = NULL;
  FlAlert *first = NULL;
  FlAlert *second = NULL;
  g_autoptr(FlSuggestion) suggestion = NULL;
  FlActionKind other;
  FlAction *action;

  for (guint i = 0; i < evaluation->alerts->len && second == NULL; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->actioned)
        continue;
      if (first == NULL)
        first = alert;
      else
        second = alert;
    }
  g_assert_nonnull (second);

  /* -1: the suggestion's kind. */
  suggestion = fl_suggest_for_alert (fixture->store, first, &error);
  g_assert_no_error (error);
  action = fl_execute_alert (fixture->store, NULL, first->id, -1, "manager", fixture->now,
                             &error);
  g_assert_no_error (error);
  g_assert_cmpint (action->kind, ==, suggestion->kind);
  fl_action_free (action);
  g_clear_pointer (&suggestion, fl_suggestion_free);

  /* An explicit kind, other than the suggestion, wins. */
  suggestion = fl_suggest_for_alert (fixture->store, second, &error);
  g_assert_no_error (error);
  other = (suggestion->kind + 1) % FL_N_ACTION_KINDS;
  action = fl_execute_alert (fixture->store, NULL, second->id, (int) other, "manager",
                             fixture->now, &error);
  g_assert_no_error (error);
  g_assert_cmpint (action->kind, ==, other);
  g_assert_cmpint (action->kind, !=, suggestion->kind);
  fl_action_free (action);
}

static void
test_undo_after_sent (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(FlEvaluation) evaluation = evaluate (fixture);
  g_autoptr(FlEvaluation) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alert_id = find_lonely_alert (evaluation);
  FlAction *action;

  g_assert_nonnull (alert_id);
  action = fl_execute_alert (fixture->store, NULL, alert_id, -1, "manager", fixture->now,
                             &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_update_outbox (fixture->store, action->id, FL_OUTBOX_SENT, 1,
                                         fixture->now + FL_EXECUTE_UNDO_SECONDS, NULL, NULL,
                                         &error));
  g_assert_no_error (error);

  g_assert_false (fl_execute_undo (fixture->store, action->id, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);

  /* Still actioned. */
  after = evaluate (fixture);
  g_assert_true (fl_evaluation_find_alert (after, alert_id)->actioned);
  fl_action_free (action);
}

/* The headless form: the caller's evaluation, no undo window, the title. */
static void
test_full (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(FlEvaluation) evaluation = evaluate (fixture);
  g_autoptr(FlEvaluation) after = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alert_id = find_lonely_alert (evaluation);
  g_autofree char *title = NULL;
  g_autofree char *expected = NULL;
  FlAction *action;

  g_assert_nonnull (alert_id);
  expected = fl_alert_dup_title (fixture->store, fl_evaluation_find_alert (evaluation, alert_id));
  action = fl_execute_alert_full (fixture->store, evaluation, NULL, alert_id,
                                  FL_ACTION_PRICE_REVIEW, "script", fixture->now, 0, &title,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (action->kind, ==, FL_ACTION_PRICE_REVIEW);
  g_assert_cmpstr (title, ==, expected);
  outbox = list_outbox (fixture);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpint (((FlOutboxEntry *) g_ptr_array_index (outbox, 0))->not_before, ==,
                   fixture->now);

  /* The stale evaluation still says pending; the store knows better. */
  g_assert_false (fl_evaluation_find_alert (evaluation, alert_id)->actioned);
  g_assert_null (fl_execute_alert_full (fixture->store, evaluation, NULL, alert_id, -1,
                                        "script", fixture->now, 0, NULL, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);
  after = evaluate (fixture);
  g_assert_true (fl_evaluation_find_alert (after, alert_id)->actioned);
  fl_action_free (action);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/execute/execute-undo", test_execute_undo);
  ADD ("/execute/unknown", test_unknown);
  ADD ("/execute/already-actioned", test_already_actioned);
  ADD ("/execute/kind", test_kind);
  ADD ("/execute/undo-after-sent", test_undo_after_sent);
  ADD ("/execute/full", test_full);
#undef ADD

  return g_test_run ();
}
