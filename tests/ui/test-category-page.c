/* test-category-page.c — the category page and the pilot page on the demo data
 *
 * Each page is shown alone in a 380 px window (the pane's width): its
 * figures against the core's, its links, "changed", and the not-found state;
 * on a cache file, the figures read in a worker ("loading") and quick
 * switches.
 * FL_TEST_SCREENSHOT_DIR=DIR saves each page as DIR/<name>.png (light and dark).
 *
 * Needs a display (run under `xvfb-run -a`); skips without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-category-page.h"
#include "fl-context.h"
#include "fl-pilot-page.h"
#include "fl-ui-test.h"

#define PAGE_WIDTH 380

static gboolean have_display;

static gboolean
_get_loading (GtkWidget *page)
{
  gboolean loading;

  g_object_get (page, "loading", &loading, NULL);
  return loading;
}

static void
_loading_changed_cb (GtkWidget  *page,
                     GParamSpec *pspec,
                     gboolean   *loaded)
{
  if (!_get_loading (page))
    *loaded = TRUE;
}

/* Runs the main loop until the page's "loading" turns FALSE. */
static void
_wait_loaded (GtkWidget *page)
{
  gboolean loaded = !_get_loading (page);
  gulong handler = g_signal_connect (page, "notify::loading", G_CALLBACK (_loading_changed_cb),
                                     &loaded);

  fl_ui_test_spin_until (fl_ui_test_flag_set, &loaded, "the page's figures");
  g_signal_handler_disconnect (page, handler);
}

static void
_title_changed_cb (GtkWidget  *page,
                   GParamSpec *pspec,
                   GPtrArray  *titles)
{
  g_autofree char *title = NULL;

  g_object_get (page, "title", &title, NULL);
  g_ptr_array_add (titles, g_steal_pointer (&title));
}

static void
_remove_cache (const char *dir)
{
  const char *names[] = { "cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_unlink (path);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static GtkWidget *
_open_window (GtkWidget *page,
              int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), PAGE_WIDTH, height);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  fl_ui_test_wait_ticks (window, 3);
  return window;
}

static void
_save_png (GtkWidget  *window,
           const char *name)
{
  const char *dir = g_getenv ("FL_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  texture = fl_ui_test_render_widget (window);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* Saves a light and a dark picture of @window as <name>-light.png, <name>-dark.png. */
static void
_save_pictures (GtkWidget  *window,
                const char *name)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("%s-light.png", name);
  g_autofree char *dark = g_strdup_printf ("%s-dark.png", name);

  if (g_getenv ("FL_TEST_SCREENSHOT_DIR") == NULL)
    return;
  _save_png (window, light);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  fl_ui_test_wait_ticks (window, 3);
  _save_png (window, dark);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  fl_ui_test_wait_ticks (window, 3);
}

/* The label with class @css_class inside @widget. */
static const char *
_label_with_class (GtkWidget  *widget,
                   const char *css_class)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  fl_ui_test_collect_descendants (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), css_class))
      return gtk_label_get_label (g_ptr_array_index (labels, i));
  return NULL;
}

static char *
_conversion_text (const FlConversion *conversion)
{
  return g_strdup_printf ("%u/%u · %.0f %%", conversion->signed_, conversion->pitched,
                          conversion->rate * 100.0);
}

static void
_on_open_link_cb (GtkWidget  *page,
                  const char *link,
                  gpointer    user_data)
{
  char **out = user_data;

  g_free (*out);
  *out = g_strdup (link);
}

static const char *
_visible_child_name (GtkWidget *page)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  fl_ui_test_collect_descendants (page, GTK_TYPE_STACK, stacks);
  g_assert_cmpuint (stacks->len, >=, 1);
  return gtk_stack_get_visible_child_name (g_ptr_array_index (stacks, 0));
}

/* The category of the first capability-gap alert of the evaluation. */
static const char *
_gap_category (FlContext *context)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (context);

  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->category == FL_ALERT_GAP && !alert->actioned)
        return alert->subject;
    }
  return NULL;
}

static void
test_category_page (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlCategoryProfile) profile = NULL;
  g_autoptr(GPtrArray) region_rows = NULL;
  g_autoptr(GPtrArray) below_rows = NULL;
  g_autoptr(GPtrArray) pending_rows = NULL;
  g_autoptr(GPtrArray) actioned_rows = NULL;
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  FlAction *action;
  g_autofree char *link = NULL;
  g_autofree char *alert_id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *category_id = NULL;
  FlEvaluation *evaluation;
  const FlAlert *alert;
  GtkWidget *page, *window, *row;
  guint n_gap = 0, n_pending = 0, n_below = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  category_id = g_strdup (_gap_category (context));
  g_assert_nonnull (category_id);
  profile = fl_category_profile_load (fl_context_get_store (context), category_id,
                                      fl_context_get_now (context), 1,
                                      fl_context_get_rule_settings (context), &error);
  g_assert_no_error (error);

  page = fl_category_page_new ();
  g_signal_connect (page, "open-link", G_CALLBACK (_on_open_link_cb), &link);
  fl_category_page_set_context (FL_CATEGORY_PAGE (page), context);
  fl_category_page_set_category_id (FL_CATEGORY_PAGE (page), category_id);
  window = _open_window (page, 1600);
  _save_pictures (window, "category-page");

  g_assert_cmpstr (_visible_child_name (page), ==, "content");
  g_assert_cmpstr (fl_category_page_get_title (FL_CATEGORY_PAGE (page)), ==, profile->name);
  g_assert_true (fl_ui_test_shows_label (page, profile->name));

  /* One row per region, in the core's order, with its figures and flow. */
  region_rows = fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "region-flow-row");
  g_assert_cmpuint (region_rows->len, ==, profile->regions->len);
  fl_ui_test_collect_descendants (page, FL_TYPE_CONVERSION_BAR, bars);
  g_assert_cmpuint (bars->len, ==, profile->regions->len);
  for (guint i = 0; i < profile->regions->len; i++)
    {
      const FlCategoryRegion *region = g_ptr_array_index (profile->regions, i);
      GtkWidget *region_row = g_ptr_array_index (region_rows, i);
      FlConversionBar *bar = g_ptr_array_index (bars, i);
      g_autofree char *figures = _conversion_text (&region->conversion);

      g_assert_cmpstr (g_object_get_data (G_OBJECT (region_row), "region-code"), ==, region->code);
      g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (region_row)));
      g_assert_true (fl_ui_test_shows_label (region_row, region->name));
      g_assert_cmpuint (fl_conversion_bar_get_pitched (bar), ==, region->conversion.pitched);
      g_assert_cmpuint (fl_conversion_bar_get_signed (bar), ==, region->conversion.signed_);
      switch (region->flow)
        {
        case FL_FLOW_NOT_PITCHED:
          g_assert_true (gtk_widget_has_css_class (region_row, "flow-not-pitched"));
          g_assert_cmpstr (_label_with_class (region_row, "flow-figures"), ==, "Not pitched");
          break;
        case FL_FLOW_BELOW:
          n_below++;
          g_assert_true (gtk_widget_has_css_class (region_row, "flow-below"));
          g_assert_cmpstr (_label_with_class (region_row, "flow-figures"), ==, figures);
          /* Words and an icon, not colour only. */
          g_assert_true (fl_ui_test_shows_label (region_row, "Below 70 % of the province’s rate"));
          g_assert_cmpint (fl_conversion_bar_get_role (bar), ==, FL_CONVERSION_BAR_BELOW);
          break;
        case FL_FLOW_FEW_PITCHES:
          g_assert_true (gtk_widget_has_css_class (region_row, "flow-few"));
          g_assert_cmpstr (_label_with_class (region_row, "flow-figures"), ==, figures);
          break;
        case FL_FLOW_OK:
        default:
          g_assert_true (gtk_widget_has_css_class (region_row, "flow-ok"));
          g_assert_cmpstr (_label_with_class (region_row, "flow-figures"), ==, figures);
          g_assert_cmpint (fl_conversion_bar_get_role (bar), ==, FL_CONVERSION_BAR_GOOD);
          break;
        }
    }
  /* A gap alert in the last complete week means a region below the ratio. */
  g_assert_cmpuint (n_below, >=, 1);
  below_rows = fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "flow-below");
  g_assert_cmpuint (below_rows->len, ==, n_below);

  /* The category's gap alerts, pending ones with Execute. */
  evaluation = fl_context_get_evaluation (context);
  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      const FlAlert *a = g_ptr_array_index (evaluation->alerts, i);

      if (a->category == FL_ALERT_GAP && g_strcmp0 (a->subject, category_id) == 0)
        {
          n_gap++;
          n_pending += !a->actioned;
        }
    }
  g_assert_cmpuint (n_pending, >=, 1);
  pending_rows = fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "pending-row");
  actioned_rows = fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "actioned-row");
  g_assert_cmpuint (pending_rows->len, ==, n_pending);
  g_assert_cmpuint (actioned_rows->len, ==, n_gap - n_pending);
  fl_ui_test_collect_descendants (page, ADW_TYPE_SPLIT_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, n_pending);

  /* Activating an alert row opens that alert. */
  row = g_ptr_array_index (pending_rows, 0);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  g_assert_nonnull (link);
  g_assert_true (g_str_has_prefix (link, "alert:"));
  alert = fl_evaluation_find_alert (evaluation, link + strlen ("alert:"));
  g_assert_nonnull (alert);
  g_assert_cmpint (alert->category, ==, FL_ALERT_GAP);
  g_assert_cmpstr (alert->subject, ==, category_id);
  g_assert_false (alert->actioned);
  alert_id = g_strdup (alert->id);
  title = fl_alert_dup_title (fl_context_get_store (context), alert);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);

  /* Products: the core's figures. */
  for (guint i = 0; i < profile->products->len; i++)
    {
      const FlCategoryProduct *product = g_ptr_array_index (profile->products, i);
      g_autofree char *figures = _conversion_text (&product->conversion);

      g_assert_true (fl_ui_test_shows_label (page, product->name));
      if (product->conversion.pitched > 0)
        g_assert_true (fl_ui_test_shows_label (page, figures));
    }

  /* Executing the alert: "changed" re-queries, its row shows it actioned. */
  action = fl_context_execute (context, alert_id, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (action);
  fl_action_free (action);
  fl_ui_test_wait_ticks (window, 3);
  g_clear_pointer (&pending_rows, g_ptr_array_unref);
  g_clear_pointer (&actioned_rows, g_ptr_array_unref);
  pending_rows = fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "pending-row");
  actioned_rows = fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "actioned-row");
  g_assert_cmpuint (pending_rows->len, ==, n_pending - 1);
  g_assert_cmpuint (actioned_rows->len, ==, n_gap - n_pending + 1);
  for (guint i = 0; i < actioned_rows->len; i++)
    g_assert_cmpstr (adw_action_row_get_subtitle (g_ptr_array_index (actioned_rows, i)), ==,
                     "Actioned");

  /* An unknown id: the not-found state, no title. */
  fl_category_page_set_category_id (FL_CATEGORY_PAGE (page), "no-such-category");
  g_assert_cmpstr (_visible_child_name (page), ==, "not-found");
  g_assert_null (fl_category_page_get_title (FL_CATEGORY_PAGE (page)));
  fl_ui_test_wait_ticks (window, 3);
  g_assert_true (fl_ui_test_shows_label (page, "Category no-such-category is not in the cache"));
  _save_pictures (window, "category-page-not-found");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The demo's pilot under review this week (FORMATS.md §5): last day in it. */
static char *
_pilot_ending_this_week (FlContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = fl_store_export_dataset (fl_context_get_store (context),
                                                          &error);

  g_assert_no_error (error);
  for (guint i = 0; i < dataset->pilots->len; i++)
    {
      const FlPilot *pilot = g_ptr_array_index (dataset->pilots, i);
      g_autoptr(FlPilotProfile) profile =
        fl_pilot_profile_load (fl_context_get_store (context), pilot->id,
                               fl_context_get_now (context), &error);

      g_assert_no_error (error);
      if (profile->state == FL_PILOT_RUNNING && profile->ends_this_week)
        return g_strdup (pilot->id);
    }
  return NULL;
}

static void
test_pilot_page (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlPilotProfile) pilot = NULL;
  g_autoptr(GPtrArray) before_rows = NULL;
  g_autoptr(GPtrArray) during_rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pilot_id = NULL;
  g_autofree char *link = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *state = NULL;
  g_autofree char *before = NULL;
  g_autofree char *during = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *page, *window, *owner_row = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  pilot_id = _pilot_ending_this_week (context);
  g_assert_nonnull (pilot_id);
  pilot = fl_pilot_profile_load (fl_context_get_store (context), pilot_id,
                                 fl_context_get_now (context), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pilot->n_days, >, 0);

  page = fl_pilot_page_new ();
  g_signal_connect (page, "open-link", G_CALLBACK (_on_open_link_cb), &link);
  fl_pilot_page_set_context (FL_PILOT_PAGE (page), context);
  fl_pilot_page_set_pilot_id (FL_PILOT_PAGE (page), pilot_id);
  window = _open_window (page, 1000);
  _save_pictures (window, "pilot-page");

  g_assert_cmpstr (_visible_child_name (page), ==, "content");
  g_assert_cmpstr (fl_pilot_page_get_title (FL_PILOT_PAGE (page)), ==, pilot->title);
  g_assert_true (fl_ui_test_shows_label (page, pilot->title));

  first = fl_date_format (pilot->start_day);
  last = fl_date_format (pilot->last_day);
  dates = g_strdup_printf ("%s – %s", first, last);
  g_assert_true (fl_ui_test_shows_label (page, dates));
  state = g_strdup_printf ("Day %d of 14 · ends this week", pilot->day);
  g_assert_true (fl_ui_test_shows_label (page, state));

  /* Before and during: the core's figures. */
  before = _conversion_text (&pilot->before);
  during = _conversion_text (&pilot->during);
  before_rows = fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "compare-before");
  during_rows = fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "compare-during");
  g_assert_cmpuint (before_rows->len, ==, 1);
  g_assert_cmpuint (during_rows->len, ==, 1);
  g_assert_cmpstr (_label_with_class (g_ptr_array_index (before_rows, 0), "compare-figures"), ==,
                   before);
  g_assert_cmpstr (_label_with_class (g_ptr_array_index (during_rows, 0), "compare-figures"), ==,
                   during);

  /* The owner's row opens the rep. */
  fl_ui_test_collect_descendants (page, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), "Owner") == 0)
      owner_row = g_ptr_array_index (rows, i);
  g_assert_nonnull (owner_row);
  g_assert_nonnull (pilot->owner_name);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (owner_row)));
  g_signal_emit_by_name (gtk_widget_get_parent (owner_row), "row-activated", owner_row);
  expected = g_strdup_printf ("rep:%s", pilot->owner_id);
  g_assert_cmpstr (link, ==, expected);

  /* Not found. */
  fl_pilot_page_set_pilot_id (FL_PILOT_PAGE (page), "pl-none");
  g_assert_cmpstr (_visible_child_name (page), ==, "not-found");
  g_assert_null (fl_pilot_page_get_title (FL_PILOT_PAGE (page)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The region rows and products of @page are @profile's. */
static void
_assert_category_shows (GtkWidget               *page,
                        const FlCategoryProfile *profile)
{
  g_autoptr(GPtrArray) region_rows =
    fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "region-flow-row");
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();

  g_assert_cmpstr (_visible_child_name (page), ==, "content");
  g_assert_cmpstr (fl_category_page_get_title (FL_CATEGORY_PAGE (page)), ==, profile->name);
  g_assert_true (fl_ui_test_shows_label (page, profile->name));
  g_assert_cmpuint (region_rows->len, ==, profile->regions->len);
  fl_ui_test_collect_descendants (page, FL_TYPE_CONVERSION_BAR, bars);
  g_assert_cmpuint (bars->len, ==, profile->regions->len);
  for (guint i = 0; i < profile->regions->len; i++)
    {
      const FlCategoryRegion *region = g_ptr_array_index (profile->regions, i);
      GtkWidget *row = g_ptr_array_index (region_rows, i);
      g_autofree char *figures = _conversion_text (&region->conversion);

      g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "region-code"), ==, region->code);
      g_assert_cmpuint (fl_conversion_bar_get_pitched (g_ptr_array_index (bars, i)), ==,
                        region->conversion.pitched);
      g_assert_cmpuint (fl_conversion_bar_get_signed (g_ptr_array_index (bars, i)), ==,
                        region->conversion.signed_);
      if (region->flow != FL_FLOW_NOT_PITCHED)
        g_assert_cmpstr (_label_with_class (row, "flow-figures"), ==, figures);
    }
  for (guint i = 0; i < profile->products->len; i++)
    g_assert_true (fl_ui_test_shows_label (page, ((FlCategoryProduct *)
                                        g_ptr_array_index (profile->products, i))->name));
}

static FlCategoryProfile *
_load_category (FlContext  *context,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  FlCategoryProfile *profile =
    fl_category_profile_load (fl_context_get_store (context), id, fl_context_get_now (context),
                              1, fl_context_get_rule_settings (context), &error);

  g_assert_no_error (error);
  return profile;
}

static void
test_category_page_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlCategoryProfile) profile = NULL;
  g_autoptr(FlCategoryProfile) skipped = NULL;
  g_autoptr(FlCategoryProfile) other = NULL;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  const char *category_id;
  const char *skipped_id = NULL;
  const char *other_id = NULL;
  GtkWidget *page, *window;
  gulong handler;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  dir = g_dir_make_tmp ("fieldlight-test-category-file-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.sqlite", NULL);
  context = fl_ui_test_make_context (path);
  g_assert_nonnull (fl_store_get_path (fl_context_get_store (context)));
  category_id = _gap_category (context);
  g_assert_nonnull (category_id);
  dataset = fl_store_export_dataset (fl_context_get_store (context), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < dataset->categories->len && other_id == NULL; i++)
    {
      const FlProductCategory *category = g_ptr_array_index (dataset->categories, i);

      if (g_strcmp0 (category->id, category_id) == 0)
        continue;
      if (skipped_id == NULL)
        skipped_id = category->id;
      else
        other_id = category->id;
    }
  g_assert_nonnull (other_id);
  profile = _load_category (context, category_id);
  skipped = _load_category (context, skipped_id);
  other = _load_category (context, other_id);

  page = fl_category_page_new ();
  fl_category_page_set_context (FL_CATEGORY_PAGE (page), context);
  g_assert_false (_get_loading (page));
  window = _open_window (page, 1600);

  /* A category: loading at once, its name already in the header; then the
   * core's figures. */
  fl_category_page_set_category_id (FL_CATEGORY_PAGE (page), category_id);
  g_assert_true (_get_loading (page));
  g_assert_true (fl_category_page_get_loading (FL_CATEGORY_PAGE (page)));
  g_assert_cmpstr (_visible_child_name (page), ==, "loading");
  g_assert_cmpstr (fl_category_page_get_title (FL_CATEGORY_PAGE (page)), ==, profile->name);
  g_assert_true (fl_ui_test_shows_label (page, profile->name));
  {
    g_autoptr(GPtrArray) rows =
      fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "region-flow-row");

    g_assert_cmpuint (rows->len, ==, 0);
  }
  _wait_loaded (page);
  fl_ui_test_wait_ticks (window, 3);
  _assert_category_shows (page, profile);

  /* The palette recolours what is shown: no query. */
  fl_context_set_palette (context, FL_PALETTE_COLORBLIND);
  g_assert_false (_get_loading (page));
  _assert_category_shows (page, profile);

  /* Two categories in a row: only the second one ever shows. */
  handler = g_signal_connect (page, "notify::title", G_CALLBACK (_title_changed_cb), titles);
  fl_category_page_set_category_id (FL_CATEGORY_PAGE (page), skipped_id);
  g_assert_true (_get_loading (page));
  fl_category_page_set_category_id (FL_CATEGORY_PAGE (page), other_id);
  g_assert_true (_get_loading (page));
  g_assert_cmpstr (_visible_child_name (page), ==, "loading");
  _wait_loaded (page);
  fl_ui_test_wait_ticks (window, 3);
  _assert_category_shows (page, other);
  g_assert_cmpuint (titles->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, skipped->name);
  g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, other->name);
  g_signal_handler_disconnect (page, handler);

  /* "changed": the figures stay on screen while they are read again. */
  g_signal_emit_by_name (context, "changed");
  g_assert_true (_get_loading (page));
  g_assert_cmpstr (_visible_child_name (page), ==, "content");
  _assert_category_shows (page, other);
  _wait_loaded (page);
  _assert_category_shows (page, other);

  /* An unknown id: loading, then not found. */
  fl_category_page_set_category_id (FL_CATEGORY_PAGE (page), "no-such-category");
  g_assert_true (_get_loading (page));
  g_assert_null (fl_category_page_get_title (FL_CATEGORY_PAGE (page)));
  _wait_loaded (page);
  fl_ui_test_wait_ticks (window, 3);
  g_assert_cmpstr (_visible_child_name (page), ==, "not-found");
  g_assert_null (fl_category_page_get_title (FL_CATEGORY_PAGE (page)));
  g_assert_true (fl_ui_test_shows_label (page, "Category no-such-category is not in the cache"));

  /* Gone while loading: nothing is delivered to it. */
  fl_category_page_set_category_id (FL_CATEGORY_PAGE (page), category_id);
  g_assert_true (_get_loading (page));
  gtk_window_destroy (GTK_WINDOW (window));

  g_clear_object (&context);
  _remove_cache (dir);
}

/* The pilot page's figures are @pilot's. */
static void
_assert_pilot_shows (GtkWidget            *page,
                     const FlPilotProfile *pilot)
{
  g_autoptr(GPtrArray) before_rows =
    fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "compare-before");
  g_autoptr(GPtrArray) during_rows =
    fl_ui_test_find_all (page, GTK_TYPE_LIST_BOX_ROW, "compare-during");
  g_autofree char *id_text = g_strdup_printf ("Pitch pilot %s", pilot->id);

  g_assert_cmpstr (_visible_child_name (page), ==, "content");
  g_assert_cmpstr (fl_pilot_page_get_title (FL_PILOT_PAGE (page)), ==, pilot->title);
  g_assert_true (fl_ui_test_shows_label (page, pilot->title));
  g_assert_true (fl_ui_test_shows_label (page, id_text));
  if (pilot->n_days == 0)
    {
      g_assert_cmpuint (before_rows->len, ==, 0);
      return;
    }
  g_assert_cmpuint (before_rows->len, ==, 1);
  g_assert_cmpuint (during_rows->len, ==, 1);
  if (pilot->before.pitched > 0)
    {
      g_autofree char *before = _conversion_text (&pilot->before);

      g_assert_cmpstr (_label_with_class (g_ptr_array_index (before_rows, 0), "compare-figures"),
                       ==, before);
    }
  if (pilot->during.pitched > 0)
    {
      g_autofree char *during = _conversion_text (&pilot->during);

      g_assert_cmpstr (_label_with_class (g_ptr_array_index (during_rows, 0), "compare-figures"),
                       ==, during);
    }
}

static FlPilotProfile *
_load_pilot (FlContext  *context,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  FlPilotProfile *pilot = fl_pilot_profile_load (fl_context_get_store (context), id,
                                                 fl_context_get_now (context), &error);

  g_assert_no_error (error);
  return pilot;
}

static void
test_pilot_page_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pilot_id = NULL;
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlPilotProfile) pilot = NULL;
  g_autoptr(FlPilotProfile) skipped = NULL;
  g_autoptr(FlPilotProfile) other = NULL;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  const char *skipped_id = NULL;
  const char *other_id = NULL;
  GtkWidget *page, *window;
  gulong handler;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  dir = g_dir_make_tmp ("fieldlight-test-pilot-file-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.sqlite", NULL);
  context = fl_ui_test_make_context (path);
  g_assert_nonnull (fl_store_get_path (fl_context_get_store (context)));
  pilot_id = _pilot_ending_this_week (context);
  g_assert_nonnull (pilot_id);
  dataset = fl_store_export_dataset (fl_context_get_store (context), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < dataset->pilots->len && other_id == NULL; i++)
    {
      const FlPilot *p = g_ptr_array_index (dataset->pilots, i);

      if (g_strcmp0 (p->id, pilot_id) == 0)
        continue;
      if (skipped_id == NULL)
        skipped_id = p->id;
      else
        other_id = p->id;
    }
  g_assert_nonnull (other_id);
  pilot = _load_pilot (context, pilot_id);
  skipped = _load_pilot (context, skipped_id);
  other = _load_pilot (context, other_id);
  g_assert_cmpstr (skipped->title, !=, other->title);

  page = fl_pilot_page_new ();
  fl_pilot_page_set_context (FL_PILOT_PAGE (page), context);
  g_assert_false (_get_loading (page));
  window = _open_window (page, 1000);

  fl_pilot_page_set_pilot_id (FL_PILOT_PAGE (page), pilot_id);
  g_assert_true (_get_loading (page));
  g_assert_true (fl_pilot_page_get_loading (FL_PILOT_PAGE (page)));
  g_assert_cmpstr (_visible_child_name (page), ==, "loading");
  _wait_loaded (page);
  fl_ui_test_wait_ticks (window, 3);
  _assert_pilot_shows (page, pilot);

  /* Two pilots in a row: only the second one ever shows (the titles come at
   * once from the store, the figures only for the second). */
  handler = g_signal_connect (page, "notify::title", G_CALLBACK (_title_changed_cb), titles);
  fl_pilot_page_set_pilot_id (FL_PILOT_PAGE (page), skipped_id);
  g_assert_true (_get_loading (page));
  fl_pilot_page_set_pilot_id (FL_PILOT_PAGE (page), other_id);
  g_assert_true (_get_loading (page));
  g_assert_cmpstr (_visible_child_name (page), ==, "loading");
  _wait_loaded (page);
  fl_ui_test_wait_ticks (window, 3);
  _assert_pilot_shows (page, other);
  g_assert_cmpuint (titles->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, skipped->title);
  g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, other->title);
  g_signal_handler_disconnect (page, handler);

  /* An unknown id: loading, then not found. */
  fl_pilot_page_set_pilot_id (FL_PILOT_PAGE (page), "pl-none");
  g_assert_true (_get_loading (page));
  _wait_loaded (page);
  g_assert_cmpstr (_visible_child_name (page), ==, "not-found");
  g_assert_null (fl_pilot_page_get_title (FL_PILOT_PAGE (page)));

  /* Gone while loading: nothing is delivered to it. */
  fl_pilot_page_set_pilot_id (FL_PILOT_PAGE (page), pilot_id);
  g_assert_true (_get_loading (page));
  gtk_window_destroy (GTK_WINDOW (window));

  g_clear_object (&context);
  _remove_cache (dir);
}

int
main (int   argc,
      char *argv[])
{
  have_display = fl_ui_test_init (&argc, &argv, "fieldlight-test-category-page-XXXXXX");

  g_test_add_func ("/category-page/regions-alerts-products", test_category_page);
  g_test_add_func ("/pilot-page/facts-and-before-after", test_pilot_page);
  g_test_add_func ("/category-page/file-backed", test_category_page_file);
  g_test_add_func ("/pilot-page/file-backed", test_pilot_page_file);
  return fl_ui_test_run ();
}
