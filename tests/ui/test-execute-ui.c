/* test-execute-ui.c — one-click execution: Execute in the pane → the tile recolours → Undo
 *
 * The real window on the demo data. Needs a display for the window tests (run
 * under `xvfb-run -a`); the context tests run without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-context.h"
#include "fl-region-layer.h"
#include "fl-window.h"
#include "fl-ui-test.h"

static gboolean have_display;

/* The "Execute" buttons of @alert_id in the pane (TOP 3 row, full list). */
static GPtrArray *
_execute_buttons (FlRegionPane *pane,
                  const char   *alert_id)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GPtrArray *found = g_ptr_array_new ();

  fl_ui_test_collect (GTK_WIDGET (pane), ADW_TYPE_SPLIT_BUTTON, all);
  for (guint i = 0; i < all->len; i++)
    {
      GtkActionable *button = g_ptr_array_index (all, i);
      GVariant *target = gtk_actionable_get_action_target_value (button);

      g_assert_cmpstr (gtk_actionable_get_action_name (button), ==, "win.execute-alert");
      g_assert_nonnull (target);
      if (g_strcmp0 (g_variant_get_string (target, NULL), alert_id) == 0)
        g_ptr_array_add (found, button);
    }
  return found;
}

/* The rows of the pane's full lists (pending and actioned), with a reference each. */
static GPtrArray *
_list_rows (FlRegionPane *pane)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  fl_ui_test_collect (GTK_WIDGET (pane), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_object_get_data (g_ptr_array_index (rows, i), "alert-id") != NULL)
      g_ptr_array_add (found, g_object_ref (g_ptr_array_index (rows, i)));
  return found;
}

/* A click on the split button's main part. */
static void
_click (GtkWidget *split_button)
{
  GtkWidget *button = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (split_button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      {
        button = child;
        break;
      }
  g_assert_nonnull (button);
  /* The row holding it is rebuilt by the click. */
  g_object_ref (button);
  g_signal_emit_by_name (button, "clicked");
  g_object_unref (button);
}

static guint
_n_queued (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = fl_store_list_outbox (store, 1u << FL_OUTBOX_QUEUED, &error);

  g_assert_no_error (error);
  return entries->len;
}

static void
on_changed_cb (FlContext *context,
               gpointer   user_data)
{
  (*(guint *) user_data)++;
}

/* The context alone: suggestions, execute → actioned at once → undo; errors. */
static void
test_context_execute (void)
{
  g_autoptr(FlContext) context = fl_ui_test_make_context (NULL);
  g_autoptr(GError) error = NULL;
  FlEvaluation *evaluation = fl_context_get_evaluation (context);
  const FlSuggestion *suggestion;
  const FlRegionState *state;
  FlRegionStatus before, after;
  const FlAlert *picked;
  g_autofree char *alert_id = NULL;
  g_autofree char *region = NULL;
  g_autofree char *action_id = NULL;
  FlAction *action;
  guint n_changed = 0;
  guint n_suggested = 0;

  for (guint i = 0; i < evaluation->alerts->len; i++)
    n_suggested += fl_context_get_suggestion (context,
                                              ((FlAlert *) g_ptr_array_index (evaluation->alerts,
                                                                              i))->id) != NULL;
  g_assert_cmpuint (evaluation->alerts->len, >, 0);
  g_assert_cmpuint (n_suggested, ==, evaluation->alerts->len);

  picked = fl_ui_test_pick_alert (evaluation, &before, &after);
  g_assert_nonnull (picked);
  alert_id = g_strdup (picked->id);
  region = g_strdup (picked->region);
  suggestion = fl_context_get_suggestion (context, alert_id);
  g_assert_nonnull (suggestion);
  g_assert_nonnull (suggestion->text);

  g_signal_connect (context, "changed", G_CALLBACK (on_changed_cb), &n_changed);
  action = fl_context_execute (context, alert_id, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (action);
  g_assert_cmpint (action->kind, ==, fl_context_get_suggestion (context, alert_id)->kind);
  g_assert_cmpstr (action->alert, ==, alert_id);
  g_assert_cmpstr (action->created_by, ==, g_get_user_name ());
  g_assert_cmpint (action->created, ==, fl_context_get_now (context));
  action_id = g_strdup (action->id);
  fl_action_free (action);
  g_assert_cmpuint (n_changed, >=, 1);
  g_assert_cmpuint (_n_queued (fl_context_get_store (context)), ==, 1);

  evaluation = fl_context_get_evaluation (context);
  g_assert_true (fl_evaluation_find_alert (evaluation, alert_id)->actioned);
  state = fl_evaluation_find_region (evaluation, region);
  g_assert_cmpint (state->status, ==, after);

  /* Twice: a conflict, in words that name the alert. */
  action = fl_context_execute (context, alert_id, -1, &error);
  g_assert_null (action);
  g_assert_error (error, FL_ERROR, FL_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, alert_id));
  g_clear_error (&error);

  n_changed = 0;
  g_assert_true (fl_context_undo (context, action_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, >=, 1);
  g_assert_cmpuint (_n_queued (fl_context_get_store (context)), ==, 0);
  evaluation = fl_context_get_evaluation (context);
  g_assert_false (fl_evaluation_find_alert (evaluation, alert_id)->actioned);
  g_assert_cmpint (fl_evaluation_find_region (evaluation, region)->status, ==, before);

  /* Undo again: the action is gone. */
  g_assert_false (fl_context_undo (context, action_id, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Unknown alert. */
  g_assert_null (fl_context_execute (context, "churn:c-nope:v-nope", -1, &error));
  g_assert_error (error, FL_ERROR, FL_ERROR_NOT_FOUND);
}

typedef struct
{
  FlContext *context;
  guint      n_changed;
} Reconcile;

static gboolean
_changed_twice (gpointer data)
{
  return ((Reconcile *) data)->n_changed >= 2;
}

/* A cache file: the alert shows actioned in the same call (before the
 * evaluation in the worker), which then agrees, suggestions included. */
static void
test_context_execute_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fieldlight-test-execute-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(FlContext) context = NULL;
  g_autofree char *alert_id = NULL;
  g_autofree char *region = NULL;
  FlRegionStatus before, after;
  FlEvaluation *evaluation;
  const FlAlert *picked;
  FlAction *action;
  Reconcile data = { 0 };

  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.db", NULL);
  context = fl_ui_test_make_context (path);
  evaluation = fl_context_get_evaluation (context);
  picked = fl_ui_test_pick_alert (evaluation, &before, &after);
  g_assert_nonnull (picked);
  alert_id = g_strdup (picked->id);
  region = g_strdup (picked->region);

  data.context = context;
  g_signal_connect (context, "changed", G_CALLBACK (on_changed_cb), &data.n_changed);
  action = fl_context_execute (context, alert_id,
                               (int) ((fl_context_get_suggestion (context, alert_id)->kind + 1)
                                      % FL_N_ACTION_KINDS),
                               &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data.n_changed, ==, 1);
  evaluation = fl_context_get_evaluation (context);
  g_assert_true (fl_evaluation_find_alert (evaluation, alert_id)->actioned);
  g_assert_cmpint (fl_evaluation_find_region (evaluation, region)->status, ==, after);

  /* The full evaluation (worker, own connection) sees the committed action. */
  fl_ui_test_spin_until (_changed_twice, &data, "the evaluation after the action");
  evaluation = fl_context_get_evaluation (context);
  g_assert_true (fl_evaluation_find_alert (evaluation, alert_id)->actioned);
  g_assert_cmpint (fl_evaluation_find_region (evaluation, region)->status, ==, after);
  g_assert_nonnull (fl_context_get_suggestion (context, alert_id));

  data.n_changed = 0;
  g_assert_true (fl_context_undo (context, action->id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (data.n_changed, ==, 1);
  g_assert_false (fl_evaluation_find_alert (fl_context_get_evaluation (context),
                                            alert_id)->actioned);
  fl_action_free (action);
  fl_ui_test_spin_until (_changed_twice, &data, "the evaluation after the undo");
  evaluation = fl_context_get_evaluation (context);
  g_assert_false (fl_evaluation_find_alert (evaluation, alert_id)->actioned);
  g_assert_cmpint (fl_evaluation_find_region (evaluation, region)->status, ==, before);

  g_clear_object (&context);
  fl_ui_test_remove_tree (dir);
}

static gboolean
_toast_gone (gpointer data)
{
  return fl_window_get_undo_toast (FL_WINDOW (data)) == NULL;
}

/* The map as it is drawn now (its kept nodes, patches over the raster), RGBA. */
static GBytes *
_map_pixels (FlWindow *window,
             int      *width,
             int      *height)
{
  GtkWidget *map = GTK_WIDGET (fl_window_get_map_view (window));
  g_autoptr(GdkTexture) texture = NULL;
  guchar *pixels;

  fl_ui_test_wait_for_frame (GTK_WIDGET (window));
  texture = fl_ui_test_render_widget (map);
  *width = gdk_texture_get_width (texture);
  *height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, pixels, (gsize) *width * 4);
  return g_bytes_new_take (pixels, (gsize) *width * *height * 4);
}

/* The largest difference of a colour channel between two renderings of the map. */
static int
_max_difference (GBytes *a,
                 GBytes *b)
{
  gsize size_a, size_b;
  const guchar *pa = g_bytes_get_data (a, &size_a);
  const guchar *pb = g_bytes_get_data (b, &size_b);
  int most = 0;

  g_assert_cmpuint (size_a, ==, size_b);
  for (gsize i = 0; i < size_a; i++)
    most = MAX (most, ABS ((int) pa[i] - (int) pb[i]));
  return most;
}

/* Click Execute in the pane → the tile's pixels change colour → Undo → back. */
static void
test_execute_undo (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *alert_id = NULL;
  g_autofree char *region = NULL;
  g_autofree char *suggestion_text = NULL;
  FlRegionStatus before, after;
  FlEvaluation *evaluation;
  const FlAlert *picked;
  FlRegionPane *pane;
  FlWindow *window;
  g_autoptr(GBytes) map_before = NULL;
  AdwToast *toast;
  guint n_pending, n_actioned;
  int width, height;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  evaluation = fl_context_get_evaluation (context);
  picked = fl_ui_test_pick_alert (evaluation, &before, &after);
  g_assert_nonnull (picked);
  alert_id = g_strdup (picked->id);
  region = g_strdup (picked->region);
  suggestion_text = g_strdup (fl_context_get_suggestion (context, alert_id)->text);
  g_test_message ("executing %s in %s: %s → %s", alert_id, region,
                  fl_region_status_to_string (before), fl_region_status_to_string (after));

  window = fl_ui_test_open_window (context);
  fl_window_show_region (window, region);
  pane = fl_window_get_region_pane (window);
  fl_ui_test_wait_for_pane (pane);
  g_assert_cmpint (fl_ui_test_status_in_pixels (window, region), ==, before);
  rows = _list_rows (pane);
  g_assert_cmpuint (rows->len, >=, 2);

  /* The advice is on screen, beside its buttons (TOP 3 row and full list). */
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (pane), suggestion_text));
  buttons = _execute_buttons (pane, alert_id);
  g_assert_cmpuint (buttons->len, ==, 2);
  n_pending = fl_region_pane_get_n_pending_rows (pane);
  n_actioned = fl_region_pane_get_n_actioned_rows (pane);
  map_before = _map_pixels (window, &width, &height);

  _click (g_ptr_array_index (buttons, 0));
  g_clear_pointer (&buttons, g_ptr_array_unref);

  /* At once the evaluation; the map in the next frame, the pane in the one
   * after it; then the pixels. */
  evaluation = fl_context_get_evaluation (context);
  g_assert_true (fl_evaluation_find_alert (evaluation, alert_id)->actioned);
  fl_ui_test_wait_for_pane (pane);
  g_assert_cmpuint (fl_region_pane_get_n_pending_rows (pane), ==, n_pending - 1);
  g_assert_cmpuint (fl_region_pane_get_n_actioned_rows (pane), ==, n_actioned + 1);
  buttons = _execute_buttons (pane, alert_id);
  g_assert_cmpuint (buttons->len, ==, 0);
  g_clear_pointer (&buttons, g_ptr_array_unref);
  /* Only the rows of the item executed went (the others were not rebuilt),
   * and they stay so after the evaluation that follows in a worker. */
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      gboolean executed = g_strcmp0 (g_object_get_data (G_OBJECT (row), "alert-id"),
                                     alert_id) == 0;

      g_assert_true ((gtk_widget_get_parent (row) == NULL) == executed);
    }
  g_assert_cmpint (fl_ui_test_status_in_pixels (window, region), ==, after);
  g_assert_cmpuint (_n_queued (fl_context_get_store (context)), ==, 1);

  /* The toast's Undo. */
  toast = fl_window_get_undo_toast (window);
  g_assert_nonnull (toast);
  g_assert_cmpuint (adw_toast_get_timeout (toast), ==, FL_EXECUTE_UNDO_SECONDS);
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo-action");
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window),
                                                     adw_toast_get_action_name (toast),
                                                     adw_toast_get_action_target_value (toast)));
  fl_ui_test_spin_until (_toast_gone, window, "the undo toast to go");
  fl_ui_test_wait_for_pane (pane);

  evaluation = fl_context_get_evaluation (context);
  g_assert_false (fl_evaluation_find_alert (evaluation, alert_id)->actioned);
  g_assert_cmpuint (fl_region_pane_get_n_pending_rows (pane), ==, n_pending);
  g_assert_cmpuint (fl_region_pane_get_n_actioned_rows (pane), ==, n_actioned);
  g_assert_cmpint (fl_ui_test_status_in_pixels (window, region), ==, before);
  g_assert_cmpuint (_n_queued (fl_context_get_store (context)), ==, 0);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (pane), suggestion_text));

  /* The map drawn back by two partial redraws is the map it was: no seam, no
   * stale pixel where the patches meet the raster (8-bit rounding aside). */
  {
    g_autoptr(GBytes) map_after = NULL;
    int width_after, height_after;

    map_after = _map_pixels (window, &width_after, &height_after);
    g_assert_cmpint (width_after, ==, width);
    g_assert_cmpint (height_after, ==, height);
    g_assert_cmpint (_max_difference (map_before, map_after), <=, 3);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The menu beside Execute: another kind, recorded as chosen; a second
 * execution fails in words and changes nothing. */
static void
test_execute_other_kind (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *target = NULL;
  g_autofree char *alert_id = NULL;
  g_autofree char *region = NULL;
  FlRegionStatus before, after;
  FlActionKind kind;
  FlEvaluation *evaluation;
  const FlAlert *picked;
  FlOutboxEntry *entry;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  evaluation = fl_context_get_evaluation (context);
  picked = fl_ui_test_pick_alert (evaluation, &before, &after);
  g_assert_nonnull (picked);
  alert_id = g_strdup (picked->id);
  region = g_strdup (picked->region);
  kind = (fl_context_get_suggestion (context, alert_id)->kind + 1) % FL_N_ACTION_KINDS;

  window = fl_ui_test_open_window (context);
  fl_window_show_region (window, region);
  target = g_strdup_printf ("%s|%s", alert_id, fl_action_kind_to_string (kind));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.execute-alert", "s",
                                             target));
  entries = fl_store_list_outbox (fl_context_get_store (context), 1u << FL_OUTBOX_QUEUED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (entry->action->kind, ==, kind);
  g_assert_cmpstr (entry->action->alert, ==, alert_id);
  g_assert_cmpint (entry->not_before, ==,
                   fl_context_get_now (context) + FL_EXECUTE_UNDO_SECONDS);
  g_assert_cmpint (fl_ui_test_status_in_pixels (window, region), ==, after);

  /* Again (e.g. from a stale view): nothing changes, the undo offer stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.execute-alert", "s",
                                             alert_id));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = fl_store_list_outbox (fl_context_get_store (context), 1u << FL_OUTBOX_QUEUED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_nonnull (fl_window_get_undo_toast (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An execution in a long list moves rows: the others are kept, not rebuilt. */
static void
test_execute_keeps_rows (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const FlRegionState *busiest = NULL;
  g_autofree char *alert_id = NULL;
  g_autofree char *region = NULL;
  guint n_pending;
  FlEvaluation *evaluation;
  FlRegionPane *pane;
  FlWindow *window;
  const char * const *top;
  guint n_kept = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  evaluation = fl_context_get_evaluation (context);
  for (guint i = 0; i < evaluation->regions->len; i++)
    {
      const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);

      if (busiest == NULL || state->n_pending > busiest->n_pending)
        busiest = state;
    }
  g_assert_nonnull (busiest);
  g_assert_cmpuint (busiest->n_pending, >=, 4);
  pending = fl_evaluation_region_alerts (evaluation, busiest->code, TRUE);
  /* The evaluation is replaced after the execution: its ids, copied. */
  for (guint i = 0; i < 4; i++)
    g_strv_builder_add (builder, ((FlAlert *) g_ptr_array_index (pending, i))->id);
  ids = g_strv_builder_end (builder);
  region = g_strdup (busiest->code);
  n_pending = busiest->n_pending;
  /* The second of the TOP 3. */
  alert_id = g_strdup (ids[1]);

  window = fl_ui_test_open_window (context);
  fl_window_show_region (window, region);
  pane = fl_window_get_region_pane (window);
  fl_ui_test_wait_for_pane (pane);
  rows = _list_rows (pane);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.execute-alert", "s",
                                             alert_id));
  fl_ui_test_wait_for_pane (pane);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      gboolean executed = g_strcmp0 (g_object_get_data (G_OBJECT (row), "alert-id"),
                                     alert_id) == 0;

      g_assert_true ((gtk_widget_get_parent (row) == NULL) == executed);
      n_kept += !executed;
    }
  g_assert_cmpuint (n_kept, >, 3);
  /* The TOP 3 moved up: the first, the third and the fourth. */
  top = fl_region_pane_get_top_ids (pane);
  g_assert_cmpuint (g_strv_length ((char **) top), ==, 3);
  g_assert_cmpstr (top[0], ==, ids[0]);
  g_assert_cmpstr (top[1], ==, ids[2]);
  g_assert_cmpstr (top[2], ==, ids[3]);
  g_assert_cmpuint (fl_region_pane_get_n_pending_rows (pane), ==, n_pending - 1);

  /* The lists below the TOP 3, the item executed among the actioned ones. */
  {
    GtkWidget *page = fl_region_pane_get_visible_page (pane);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page));

    fl_ui_test_wait_for_frame (GTK_WIDGET (window));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * .55);
    fl_ui_test_maybe_save_window (window, "execute-pane-lists");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The menu beside Execute is built when it is first opened: the other kinds,
 * each a target of win.execute-alert. */
static void
test_execute_menu (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  g_autofree char *alert_id = NULL;
  FlRegionStatus before, after;
  const FlSuggestion *suggestion;
  const FlAlert *picked;
  GtkMenuButton *menu_button = NULL;
  GMenuModel *model;
  FlRegionPane *pane;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  picked = fl_ui_test_pick_alert (fl_context_get_evaluation (context), &before, &after);
  g_assert_nonnull (picked);
  alert_id = g_strdup (picked->id);
  suggestion = fl_context_get_suggestion (context, alert_id);
  g_assert_nonnull (suggestion);

  window = fl_ui_test_open_window (context);
  fl_window_show_region (window, picked->region);
  pane = fl_window_get_region_pane (window);
  fl_ui_test_wait_for_pane (pane);
  buttons = _execute_buttons (pane, alert_id);
  g_assert_cmpuint (buttons->len, >=, 1);
  for (GtkWidget *child = gtk_widget_get_first_child (g_ptr_array_index (buttons, 0));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_MENU_BUTTON (child))
      menu_button = GTK_MENU_BUTTON (child);
  g_assert_nonnull (menu_button);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (menu_button)));
  g_assert_null (gtk_menu_button_get_menu_model (menu_button));

  gtk_menu_button_popup (menu_button);
  model = gtk_menu_button_get_menu_model (menu_button);
  g_assert_nonnull (model);
  g_assert_cmpint (g_menu_model_get_n_items (model), ==, FL_N_ACTION_KINDS - 1);
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (
        model, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
      g_autofree char *action = NULL;
      g_autofree char *prefix = g_strdup_printf ("%s|", alert_id);
      FlActionKind kind;

      g_assert_true (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s",
                                                      &action));
      g_assert_cmpstr (action, ==, "win.execute-alert");
      g_assert_nonnull (target);
      g_assert_true (g_str_has_prefix (g_variant_get_string (target, NULL), prefix));
      g_assert_true (fl_action_kind_from_string (g_variant_get_string (target, NULL)
                                                 + strlen (prefix), &kind));
      g_assert_cmpint (kind, !=, suggestion->kind);
    }
  /* Opened again: the same menu. */
  gtk_menu_button_popdown (menu_button);
  gtk_menu_button_popup (menu_button);
  g_assert_true (gtk_menu_button_get_menu_model (menu_button) == model);
  gtk_menu_button_popdown (menu_button);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  have_display = fl_ui_test_init (&argc, &argv, "fieldlight-test-execute-ui-XXXXXX");

  g_test_add_func ("/execute/context", test_context_execute);
  g_test_add_func ("/execute/context-file", test_context_execute_file);
  g_test_add_func ("/execute/click-undo", test_execute_undo);
  g_test_add_func ("/execute/other-kind", test_execute_other_kind);
  g_test_add_func ("/execute/menu", test_execute_menu);
  g_test_add_func ("/execute/keeps-rows", test_execute_keeps_rows);
  return fl_ui_test_run ();
}
