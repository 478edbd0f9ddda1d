/* test-item-detail.c — region pane → item detail (evidence, rank, Execute) → back
 *
 * Needs a display (run under `xvfb-run -a`); skips without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "fl-context.h"
#include "fl-item-detail.h"
#include "fl-window.h"
#include "fl-ui-test.h"

static gboolean have_display;

/* The rows of the full pending list, in order. */
static GPtrArray *
_pending_rows (FlRegionPane *pane)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *pending = g_ptr_array_new ();

  fl_ui_test_collect_descendants (GTK_WIDGET (pane), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (rows, i), "pending-row"))
      g_ptr_array_add (pending, g_ptr_array_index (rows, i));
  return pending;
}

/* The pane's page shown. */
static GtkWidget *
_visible (FlRegionPane *pane)
{
  return fl_region_pane_get_visible_page (pane);
}

/* Activates @row and checks that the leaflet shows the detail of @alert. */
static FlItemDetail *
_open_detail (FlRegionPane  *pane,
              GtkWidget     *row,
              const FlAlert *alert,
              const char    *region_name)
{
  GtkWidget *visible;
  FlItemDetail *detail;
  g_autofree char *breadcrumb = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "alert-id"), ==, alert->id);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_true (gtk_widget_activate (row));
  visible = _visible (pane);
  g_assert_true (FL_IS_ITEM_DETAIL (visible));
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 1);
  detail = FL_ITEM_DETAIL (visible);
  g_assert_cmpstr (fl_item_detail_get_alert_id (detail), ==, alert->id);

  breadcrumb = g_strdup_printf ("%s › %s", region_name,
                                fl_alert_category_get_label (alert->category));
  g_assert_cmpstr (fl_item_detail_get_breadcrumb (detail), ==, breadcrumb);

  /* The Execute button of the pane's rows, for this alert. */
  fl_ui_test_collect_descendants (visible, ADW_TYPE_SPLIT_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  g_assert_cmpstr (gtk_actionable_get_action_name (g_ptr_array_index (buttons, 0)), ==,
                   "win.execute-alert");
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (
                     g_ptr_array_index (buttons, 0)), NULL), ==, alert->id);
  return detail;
}

static void
_navigate_back (FlRegionPane *pane)
{
  g_assert_true (fl_region_pane_navigate_back (pane));
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 0);
  g_assert_null (fl_region_pane_get_visible_link (pane));
  g_assert_false (fl_region_pane_navigate_back (pane));
}

static void
test_open_and_back (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *rank = NULL;
  FlEvaluation *evaluation;
  const FlRegionState *red = NULL;
  const FlAlert *first, *churn = NULL;
  FlItemDetail *detail;
  const char * const *ids;
  FlRegionPane *pane;
  FlWindow *window;
  guint churn_index = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* A red region with a pending churn alert. */
  context = fl_ui_test_make_context (NULL);
  evaluation = fl_context_get_evaluation (context);
  for (guint i = 0; i < evaluation->regions->len && churn == NULL; i++)
    {
      const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);

      if (state->status != FL_STATUS_RED)
        continue;
      g_clear_pointer (&alerts, g_ptr_array_unref);
      alerts = fl_evaluation_region_alerts (evaluation, state->code, TRUE);
      for (guint j = 0; j < alerts->len && churn == NULL; j++)
        if (((FlAlert *) g_ptr_array_index (alerts, j))->category == FL_ALERT_CHURN)
          {
            churn = g_ptr_array_index (alerts, j);
            churn_index = j;
            red = state;
          }
    }
  g_assert_nonnull (churn);
  g_assert_cmpuint (alerts->len, >=, 2);
  first = g_ptr_array_index (alerts, 0);

  window = fl_ui_test_open_window (context);
  fl_window_show_region (window, red->code);
  pane = fl_window_get_region_pane (window);
  /* Its first frame: status, counts and TOP 3; the full list after it. */
  g_assert_false (fl_region_pane_get_lists_filled (pane));
  g_assert_cmpuint (fl_region_pane_get_n_pending_rows (pane), ==, alerts->len);
  rows = _pending_rows (pane);
  g_assert_cmpuint (rows->len, ==, 0);
  fl_ui_test_wait_for_pane (pane);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = _pending_rows (pane);
  g_assert_cmpuint (rows->len, ==, alerts->len);

  /* The first pending row: its detail, ranked first. */
  detail = _open_detail (pane, g_ptr_array_index (rows, 0), first, red->name);
  rank = g_strdup_printf ("Ranked 1 of %u by value at risk; ties by age", alerts->len);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (detail), rank));
  ids = fl_item_detail_get_evidence_ids (detail);
  if (first->category == FL_ALERT_CHURN)
    g_assert_cmpuint (g_strv_length ((char **) ids), ==, 2);
  else
    {
      g_assert_cmpuint (g_strv_length ((char **) ids), ==, 1);
      g_assert_cmpstr (ids[0], ==, first->subject);
    }
  _navigate_back (pane);

  /* The churn row: the two visits, older first, with their ids shown. */
  detail = _open_detail (pane, g_ptr_array_index (rows, churn_index), churn, red->name);
  ids = fl_item_detail_get_evidence_ids (detail);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, churn->visit_before);
  g_assert_cmpstr (ids[1], ==, churn->visit_last);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (detail), churn->visit_before));
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (detail), churn->visit_last));
  _navigate_back (pane);

  /* Escape steps back to the region first, and only then closes the pane. */
  g_assert_true (gtk_widget_activate (g_ptr_array_index (rows, 0)));
  g_assert_true (FL_IS_ITEM_DETAIL (_visible (pane)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-pane", NULL));
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 0);
  g_assert_true (fl_window_get_pane_open (window));

  /* Another region closes a detail left open. */
  g_assert_true (gtk_widget_activate (g_ptr_array_index (rows, 0)));
  g_assert_true (FL_IS_ITEM_DETAIL (_visible (pane)));
  for (guint i = 0; i < evaluation->regions->len; i++)
    {
      const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);

      if (g_strcmp0 (state->code, red->code) != 0)
        {
          fl_window_show_region (window, state->code);
          break;
        }
    }
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  have_display = fl_ui_test_init (&argc, &argv, "fieldlight-test-item-detail-XXXXXX");

  g_test_add_func ("/item-detail/open-and-back", test_open_and_back);
  return fl_ui_test_run ();
}
