/* test-rep-page.c — the rep page on the demo data: header, visits chart,
 * conversion rows, pending items with Execute, links, not-found; on a cache
 * file, the figures read in a worker ("loading"), quick switches, "changed"
 *
 * Needs a display (run under `xvfb-run -a`); skips without one. With
 * FL_TEST_SCREENSHOT=FILE.png it also saves the page as drawn (380 px wide).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-bar-chart.h"
#include "fl-context.h"
#include "fl-rep-page.h"
#include "fl-rep-profile.h"
#include "fl-ui-test.h"

#define FAILSAFE_SECONDS 20

static gboolean have_display;

static void
_loading_changed_cb (GObject    *page,
                     GParamSpec *pspec,
                     gboolean   *loaded)
{
  gboolean loading;

  g_object_get (page, "loading", &loading, NULL);
  if (!loading)
    *loaded = TRUE;
}

/* Spins the main loop until the page's "loading" turns FALSE. */
static void
_wait_loaded (FlRepPage *page)
{
  gboolean loaded = !fl_rep_page_get_loading (page);
  gulong handler = g_signal_connect (page, "notify::loading", G_CALLBACK (_loading_changed_cb),
                                     &loaded);

  fl_ui_test_spin_until (fl_ui_test_flag_set, &loaded, "the rep page's figures");
  g_signal_handler_disconnect (page, handler);
  g_assert_false (fl_rep_page_get_loading (page));
}

static void
_changed_count_cb (FlContext *context,
                   guint     *count)
{
  (*count)++;
}

static gboolean
_count_reached (guint *count,
                guint  target)
{
  return *count >= target;
}

static const char *
_stack_page (FlRepPage *page)
{
  GtkWidget *stack = gtk_widget_get_first_child (GTK_WIDGET (page));

  g_assert_true (GTK_IS_STACK (stack));
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static void
_open_link_cb (FlRepPage  *page,
               const char *link,
               char      **out)
{
  g_free (*out);
  *out = g_strdup (link);
}

static void
_changed_cb (FlContext *context,
             gboolean  *flag)
{
  *flag = TRUE;
}

static void
_save_screenshot (GtkWidget  *window,
                  const char *path)
{
  g_autoptr(GdkTexture) texture = fl_ui_test_render_widget (window);

  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The rep with the most pending items on the demo data (ties: the lowest id),
 * so that every section has content. */
static char *
_busiest_rep (FlContext *context)
{
  FlStore *store = fl_context_get_store (context);
  FlEvaluation *evaluation = fl_context_get_evaluation (context);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;
  char *best = NULL;
  guint best_count = 0;

  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);
      g_autoptr(GError) error = NULL;
      FlCustomer *customer;

      if (alert->category != FL_ALERT_CHURN || alert->actioned)
        continue;
      customer = fl_store_get_customer (store, alert->subject, &error);
      g_assert_no_error (error);
      g_hash_table_insert (counts, g_strdup (customer->owner_rep),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (
                             g_hash_table_lookup (counts, customer->owner_rep)) + 1));
      fl_customer_free (customer);
    }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best_count ||
        (GPOINTER_TO_UINT (value) == best_count && g_strcmp0 (key, best) < 0))
      {
        best = key;
        best_count = GPOINTER_TO_UINT (value);
      }
  g_assert_nonnull (best);
  return g_strdup (best);
}

static void
test_rep_page (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlRepProfile) profile = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rep_id = NULL;
  g_autofree char *customers = NULL;
  g_autofree char *link = NULL;
  g_autofree char *expected = NULL;
  const char *screenshot = g_getenv ("FL_TEST_SCREENSHOT");
  const FlRuleSettings *settings;
  FlAction *action;
  GtkWidget *window;
  FlBarChart *chart;
  FlRepPage *page;
  gboolean changed = FALSE;
  guint n_below = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  settings = fl_context_get_rule_settings (context);
  rep_id = _busiest_rep (context);
  profile = fl_rep_profile_load (fl_context_get_store (context), rep_id,
                                 fl_context_get_now (context), &error);
  g_assert_no_error (error);
  alerts = fl_rep_profile_pending_alerts (profile, fl_context_get_evaluation (context));
  g_assert_cmpuint (alerts->len, >=, 1);

  page = FL_REP_PAGE (fl_rep_page_new ());
  g_assert_cmpstr (_stack_page (page), ==, "empty");
  g_signal_connect (page, "open-link", G_CALLBACK (_open_link_cb), &link);
  fl_rep_page_set_context (page, context);
  fl_rep_page_set_rep_id (page, rep_id);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 380, 1400);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  fl_ui_test_wait_for_frame (window);

  /* Header */
  g_assert_cmpstr (_stack_page (page), ==, "content");
  g_assert_cmpstr (fl_rep_page_get_rep_id (page), ==, rep_id);
  g_assert_cmpstr (fl_rep_page_get_title (page), ==, profile->rep->name);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (page), profile->rep->name));
  customers = g_strdup_printf ("%u", profile->n_customers);
  g_assert_cmpuint (profile->n_customers, >, 0);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (page), customers));
  if (profile->rep->phone != NULL)
    g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (page), profile->rep->phone));

  /* Visits per day: 14 bars with the profile's counts, today last. */
  fl_ui_test_collect_descendants (GTK_WIDGET (page), FL_TYPE_BAR_CHART, charts);
  g_assert_cmpuint (charts->len, ==, 1);
  chart = g_ptr_array_index (charts, 0);
  g_assert_cmpuint (fl_bar_chart_get_n_values (chart), ==, FL_REP_PROFILE_DAYS);
  for (guint i = 0; i < FL_REP_PROFILE_DAYS; i++)
    {
      g_assert_cmpfloat (fl_bar_chart_get_value (chart, i), ==, profile->visits_per_day[i]);
      g_assert_cmpfloat (fl_bar_chart_get_axis_max (chart), >=, profile->visits_per_day[i]);
    }

  /* Conversion rows: one per category, in the profile's order, with the rates. */
  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "conversion-row");
  g_assert_cmpuint (rows->len, ==, profile->conversions->len);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      const FlCategoryConversion *c = g_ptr_array_index (profile->conversions, i);
      GtkWidget *row = g_ptr_array_index (rows, i);
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
      g_autofree char *team = g_strdup_printf ("team %.0f %%", c->team_rate * 100);
      g_autofree char *province = g_strdup_printf ("province %.0f %%", c->province_rate * 100);
      g_autofree char *category_link = g_strdup_printf ("category:%s", c->category);
      gboolean below = c->rep_pitched > 0 && c->province_pitched > 0 &&
                       c->rep_rate < settings->gap_ratio * c->province_rate;

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       c->category_name);
      g_assert_nonnull (strstr (subtitle, team));
      g_assert_nonnull (strstr (subtitle, province));
      if (c->rep_pitched > 0)
        {
          g_autofree char *rep = g_strdup_printf ("%.0f %% · team", c->rep_rate * 100);

          g_assert_true (g_str_has_prefix (subtitle, rep));
        }
      else
        g_assert_true (g_str_has_prefix (subtitle, "Not pitched"));
      /* The warning is an icon and words, not a colour. */
      g_assert_true (gtk_widget_has_css_class (row, "below-province") == below);
      g_assert_true ((strstr (subtitle, "Below 70 % of the province’s rate") != NULL) == below);
      n_below += below;
      g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "link"), ==, category_link);
    }
  g_test_message ("%u of %u categories below 70 %% of the province", n_below, rows->len);

  /* A category row opens the category. */
  g_assert_true (gtk_widget_activate (g_ptr_array_index (rows, 0)));
  expected = g_strdup_printf ("category:%s",
                              ((FlCategoryConversion *)
                               g_ptr_array_index (profile->conversions, 0))->category);
  g_assert_cmpstr (link, ==, expected);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Pending items: in ranking order, each with the shared Execute button. */
  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "pending-row");
  g_assert_cmpuint (rows->len, ==, alerts->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (alerts, i);
      g_autofree char *title = fl_alert_dup_title (fl_context_get_store (context), alert);
      g_autofree char *alert_link = g_strdup_printf ("alert:%s", alert->id);
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
      GtkWidget *row = g_ptr_array_index (rows, i);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
      g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "link"), ==, alert_link);
      fl_ui_test_collect_descendants (row, ADW_TYPE_SPLIT_BUTTON, buttons);
      g_assert_cmpuint (buttons->len, ==, 1);
      g_assert_cmpstr (gtk_actionable_get_action_name (g_ptr_array_index (buttons, 0)), ==,
                       "win.execute-alert");
      g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (
                         g_ptr_array_index (buttons, 0)), NULL), ==, alert->id);
      if (i > 0)
        g_assert_cmpint (fl_alert_compare_rank (g_ptr_array_index (alerts, i - 1), alert), <, 0);
    }
  g_assert_true (gtk_widget_activate (g_ptr_array_index (rows, 0)));
  expected = g_strdup_printf ("alert:%s", ((FlAlert *) g_ptr_array_index (alerts, 0))->id);
  g_assert_cmpstr (link, ==, expected);
  g_clear_pointer (&expected, g_free);

  if (screenshot != NULL)
    {
      fl_ui_test_wait_for_frame (window);
      _save_screenshot (window, screenshot);
    }

  /* Executing the first item: the context changes, the page re-queries and
   * the item is no longer pending. */
  g_signal_connect (context, "changed", G_CALLBACK (_changed_cb), &changed);
  action = fl_context_execute (context, ((FlAlert *) g_ptr_array_index (alerts, 0))->id, -1,
                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (action);
  fl_action_free (action);
  fl_ui_test_spin_until (fl_ui_test_flag_set, &changed, "the context's \"changed\"");
  g_signal_handlers_disconnect_by_func (context, _changed_cb, &changed);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "pending-row");
  g_assert_cmpuint (rows->len, ==, alerts->len - 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* An unknown id: the not-found state, no title. */
  fl_rep_page_set_rep_id (page, "r-does-not-exist");
  g_assert_cmpstr (_stack_page (page), ==, "not-found");
  g_assert_null (fl_rep_page_get_title (page));
  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "pending-row");
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Back to the rep, then cleared. */
  fl_rep_page_set_rep_id (page, rep_id);
  g_assert_cmpstr (_stack_page (page), ==, "content");
  g_assert_cmpstr (fl_rep_page_get_title (page), ==, profile->rep->name);
  fl_rep_page_set_rep_id (page, NULL);
  g_assert_cmpstr (_stack_page (page), ==, "empty");
  g_assert_null (fl_rep_page_get_title (page));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The rows, chart and header of @page are @profile's. */
static void
_assert_shows (FlRepPage          *page,
               FlContext          *context,
               const FlRepProfile *profile)
{
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  FlBarChart *chart;

  g_assert_cmpstr (_stack_page (page), ==, "content");
  g_assert_cmpstr (fl_rep_page_get_title (page), ==, profile->rep->name);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (page), profile->rep->name));

  fl_ui_test_collect_descendants (GTK_WIDGET (page), FL_TYPE_BAR_CHART, charts);
  g_assert_cmpuint (charts->len, ==, 1);
  chart = g_ptr_array_index (charts, 0);
  g_assert_cmpuint (fl_bar_chart_get_n_values (chart), ==, FL_REP_PROFILE_DAYS);
  for (guint i = 0; i < FL_REP_PROFILE_DAYS; i++)
    g_assert_cmpfloat (fl_bar_chart_get_value (chart, i), ==, profile->visits_per_day[i]);

  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "conversion-row");
  g_assert_cmpuint (rows->len, ==, profile->conversions->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const FlCategoryConversion *c = g_ptr_array_index (profile->conversions, i);
      g_autofree char *category_link = g_strdup_printf ("category:%s", c->category);

      g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), ==,
                       c->category_name);
      g_assert_cmpstr (g_object_get_data (g_ptr_array_index (rows, i), "link"), ==,
                       category_link);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  alerts = fl_rep_profile_pending_alerts (profile, fl_context_get_evaluation (context));
  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "pending-row");
  g_assert_cmpuint (rows->len, ==, alerts->len);
}

static void
_title_changed_cb (FlRepPage  *page,
                   GParamSpec *pspec,
                   GPtrArray  *titles)
{
  g_ptr_array_add (titles, g_strdup (fl_rep_page_get_title (page)));
}

/* Two reps of the demo other than @rep_id. */
static void
_other_reps (FlContext  *context,
             const char *rep_id,
             char      **first,
             char      **second)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = fl_store_export_dataset (fl_context_get_store (context), &error);

  g_assert_no_error (error);
  *first = *second = NULL;
  for (guint i = 0; i < dataset->reps->len && *second == NULL; i++)
    {
      const FlRep *rep = g_ptr_array_index (dataset->reps, i);

      if (g_strcmp0 (rep->id, rep_id) == 0)
        continue;
      if (*first == NULL)
        *first = g_strdup (rep->id);
      else
        *second = g_strdup (rep->id);
    }
  g_assert_nonnull (*second);
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

/* On a cache file the figures are read in a worker: the page says so
 * ("loading", a spinner under the rep's name), shows only the latest rep
 * asked for, keeps its figures through "changed", drops what arrives after
 * it is gone. */
static void
test_rep_page_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *rep_id = NULL;
  g_autofree char *skipped_id = NULL;
  g_autofree char *other_id = NULL;
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlRepProfile) profile = NULL;
  g_autoptr(FlRepProfile) other = NULL;
  g_autoptr(FlRepProfile) skipped = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  FlStore *store;
  FlAction *action;
  GtkWidget *window;
  FlRepPage *page;
  gboolean loading = FALSE;
  gulong handler;
  guint changed = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  dir = g_dir_make_tmp ("fieldlight-test-rep-file-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.sqlite", NULL);
  context = fl_ui_test_make_context (path);
  store = fl_context_get_store (context);
  g_assert_nonnull (fl_store_get_path (store));
  rep_id = _busiest_rep (context);
  _other_reps (context, rep_id, &skipped_id, &other_id);
  profile = fl_rep_profile_load (store, rep_id, fl_context_get_now (context), &error);
  g_assert_no_error (error);
  skipped = fl_rep_profile_load (store, skipped_id, fl_context_get_now (context), &error);
  g_assert_no_error (error);
  other = fl_rep_profile_load (store, other_id, fl_context_get_now (context), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (skipped->rep->name, !=, other->rep->name);

  page = FL_REP_PAGE (fl_rep_page_new ());
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 380, 1000);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  fl_ui_test_wait_for_frame (window);

  fl_rep_page_set_context (page, context);
  g_assert_false (fl_rep_page_get_loading (page));
  g_assert_cmpstr (_stack_page (page), ==, "empty");

  /* A rep: loading at once, with the name already there for the header and
   * the breadcrumb; then the core's figures. */
  fl_rep_page_set_rep_id (page, rep_id);
  g_object_get (page, "loading", &loading, NULL);
  g_assert_true (loading);
  g_assert_cmpstr (_stack_page (page), ==, "loading");
  g_assert_cmpstr (fl_rep_page_get_title (page), ==, profile->rep->name);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (page), profile->rep->name));
  _wait_loaded (page);
  _assert_shows (page, context, profile);

  /* Two reps in a row: only the second one ever shows. */
  handler = g_signal_connect (page, "notify::title", G_CALLBACK (_title_changed_cb), titles);
  fl_rep_page_set_rep_id (page, skipped_id);
  g_assert_true (fl_rep_page_get_loading (page));
  g_assert_cmpstr (_stack_page (page), ==, "loading");
  fl_rep_page_set_rep_id (page, other_id);
  g_assert_true (fl_rep_page_get_loading (page));
  g_assert_cmpstr (_stack_page (page), ==, "loading");
  _wait_loaded (page);
  _assert_shows (page, context, other);
  /* skipped's name at its request, then other's for good. */
  g_assert_cmpuint (titles->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, skipped->rep->name);
  g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, other->rep->name);
  g_signal_handler_disconnect (page, handler);

  /* "changed" (an item executed): the pending items follow at once, the
   * figures stay on screen while they are read again. */
  fl_rep_page_set_rep_id (page, rep_id);
  _wait_loaded (page);
  alerts = fl_rep_profile_pending_alerts (profile, fl_context_get_evaluation (context));
  g_assert_cmpuint (alerts->len, >=, 1);
  g_signal_connect (context, "changed", G_CALLBACK (_changed_count_cb), &changed);
  action = fl_context_execute (context, ((FlAlert *) g_ptr_array_index (alerts, 0))->id, -1,
                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (action);
  fl_action_free (action);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (fl_rep_page_get_loading (page));
  g_assert_cmpstr (_stack_page (page), ==, "content");
  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "pending-row");
  g_assert_cmpuint (rows->len, ==, alerts->len - 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  /* The context's own evaluation in its worker: "changed" again. */
  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add_seconds (FAILSAFE_SECONDS, fl_ui_test_set_flag_cb, &timed_out);

    while (!_count_reached (&changed, 2) && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_source_remove (id);
  }
  g_signal_handlers_disconnect_by_func (context, _changed_count_cb, &changed);
  _wait_loaded (page);
  g_assert_cmpstr (_stack_page (page), ==, "content");
  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "pending-row");
  g_assert_cmpuint (rows->len, ==, alerts->len - 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* An unknown id: loading, then not found. */
  fl_rep_page_set_rep_id (page, "r-does-not-exist");
  g_assert_true (fl_rep_page_get_loading (page));
  g_assert_null (fl_rep_page_get_title (page));
  _wait_loaded (page);
  g_assert_cmpstr (_stack_page (page), ==, "not-found");
  g_assert_null (fl_rep_page_get_title (page));
  rows = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, "conversion-row");
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Cleared while loading: the empty state, not loading any more. */
  fl_rep_page_set_rep_id (page, rep_id);
  g_assert_true (fl_rep_page_get_loading (page));
  fl_rep_page_set_rep_id (page, NULL);
  g_assert_false (fl_rep_page_get_loading (page));
  g_assert_cmpstr (_stack_page (page), ==, "empty");

  /* Gone while loading: its result is dropped (a second page's load of the
   * same rep, started later, lets the first worker finish meanwhile). */
  fl_rep_page_set_rep_id (page, other_id);
  g_assert_true (fl_rep_page_get_loading (page));
  gtk_window_destroy (GTK_WINDOW (window));
  page = FL_REP_PAGE (fl_rep_page_new ());
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 380, 1000);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  fl_rep_page_set_context (page, context);
  fl_rep_page_set_rep_id (page, other_id);
  _wait_loaded (page);
  fl_ui_test_wait_for_frame (window);
  _assert_shows (page, context, other);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_window_destroy (GTK_WINDOW (window));

  g_clear_object (&context);
  _remove_cache (dir);
}

static void
test_bar_chart (void)
{
  FlBarChart *chart;
  const double values[] = { 0, 3, 7, 12 };
  const char * const labels[] = { "a", "b", NULL, "d" };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  chart = FL_BAR_CHART (g_object_ref_sink (fl_bar_chart_new ()));
  g_assert_cmpuint (fl_bar_chart_get_n_values (chart), ==, 0);
  g_assert_cmpfloat (fl_bar_chart_get_axis_max (chart), ==, 1);
  fl_bar_chart_set_data (chart, values, labels, G_N_ELEMENTS (values), 3);
  g_assert_cmpuint (fl_bar_chart_get_n_values (chart), ==, 4);
  g_assert_cmpfloat (fl_bar_chart_get_value (chart, 3), ==, 12);
  /* round maxima: 12 → 15, 7 → 7, all zero → 1 */
  g_assert_cmpfloat (fl_bar_chart_get_axis_max (chart), ==, 15);
  fl_bar_chart_set_data (chart, values, labels, 3, -1);
  g_assert_cmpfloat (fl_bar_chart_get_axis_max (chart), ==, 7);
  fl_bar_chart_set_data (chart, values, NULL, 1, 0);
  g_assert_cmpfloat (fl_bar_chart_get_axis_max (chart), ==, 1);
  g_object_unref (chart);
}

int
main (int   argc,
      char *argv[])
{
  have_display = fl_ui_test_init (&argc, &argv, "fieldlight-test-rep-page-XXXXXX");

  g_test_add_func ("/rep-page/page", test_rep_page);
  g_test_add_func ("/rep-page/file-backed", test_rep_page_file);
  g_test_add_func ("/rep-page/bar-chart", test_bar_chart);

  return fl_ui_test_run ();
}
