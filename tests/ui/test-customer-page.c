/* test-customer-page.c — the customer page on the demo data: content, links, highlight, states
 *
 * Needs a display (run under `xvfb-run -a`); skips without one.
 * FL_TEST_SCREENSHOT_DIR=DIR also saves the page as PNGs (light and dark) in
 * DIR, in the locale of the environment (FIELDLIGHT_LOCALEDIR for the catalogues).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-context.h"
#include "fl-customer-page.h"
#include "fl-radar-chart.h"
#include "fl-ui-test.h"

#define PAGE_WIDTH 380

static gboolean have_display;

/* fixtures */

typedef struct
{
  FlContext      *context;
  GtkWindow      *window;
  FlCustomerPage *page;
  GPtrArray      *links;     /* the "open-link" strings, in order */
} Fixture;

static void
on_open_link_cb (FlCustomerPage *page,
                 const char     *link,
                 GPtrArray      *links)
{
  g_ptr_array_add (links, g_strdup (link));
}

static void
_fixture_open (Fixture *f,
               int      height)
{
  f->context = fl_ui_test_make_context (NULL);
  f->links = g_ptr_array_new_with_free_func (g_free);
  f->page = FL_CUSTOMER_PAGE (fl_customer_page_new ());
  g_signal_connect (f->page, "open-link", G_CALLBACK (on_open_link_cb), f->links);
  fl_customer_page_set_context (f->page, f->context);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, PAGE_WIDTH, height);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  fl_ui_test_wait_ticks (GTK_WIDGET (f->page), 2);
}

static void
_fixture_close (Fixture *f)
{
  gtk_window_destroy (f->window);
  g_clear_pointer (&f->links, g_ptr_array_unref);
  g_clear_object (&f->context);
}

/* widget helpers */

/* The first GtkLabel under @widget whose markup contains @text, or NULL. */
static GtkLabel *
_label_containing (GtkWidget  *widget,
                   const char *text)
{
  g_autoptr(GPtrArray) labels = fl_ui_test_find_all (widget, GTK_TYPE_LABEL, NULL);

  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_label (g_ptr_array_index (labels, i)), text) != NULL)
      return g_ptr_array_index (labels, i);
  return NULL;
}

/* The text of the first label (GtkLabel or FlText) under @widget that contains
 * @text, or NULL. */
static const char *
_text_containing (GtkWidget  *widget,
                  const char *text)
{
  g_autoptr(GPtrArray) widgets = fl_ui_test_find_all (widget, GTK_TYPE_WIDGET, NULL);

  for (guint i = 0; i < widgets->len; i++)
    {
      const char *shown = fl_ui_test_text_of (g_ptr_array_index (widgets, i));

      if (shown != NULL && strstr (shown, text) != NULL)
        return shown;
    }
  return NULL;
}

static GtkWidget *
_row_with (GPtrArray  *rows,
           const char *key,
           const char *value)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (g_object_get_data (g_ptr_array_index (rows, i), key), value) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static const char *
_visible_page (FlCustomerPage *page)
{
  g_autoptr(GPtrArray) stacks = fl_ui_test_find_all (GTK_WIDGET (page), GTK_TYPE_STACK, NULL);

  g_assert_cmpuint (stacks->len, >=, 1);
  return gtk_stack_get_visible_child_name (g_ptr_array_index (stacks, 0));
}

static void
_assert_last_link (Fixture    *f,
                   const char *expected)
{
  g_assert_cmpuint (f->links->len, >, 0);
  g_assert_cmpstr (g_ptr_array_index (f->links, f->links->len - 1), ==, expected);
}

/* Emits "activate-link" on a label as a click on its link would. */
static void
_activate_link (GtkLabel   *label,
                const char *uri)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (label, "activate-link", uri, &handled);
  g_assert_true (handled);
}

/* The customer with the most alerts among those with a pending stall alert
 * (ties: the most visits, then the smallest id): it has a stall alert, an
 * opportunity to highlight and, in the demo, often a churn alert too. */
static char *
_pick_customer (FlContext *context)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (context);
  FlStore *store = fl_context_get_store (context);
  g_autoptr(GHashTable) scores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *best = NULL;
  guint best_score = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->category == FL_ALERT_STALL && !alert->actioned)
        {
          FlOpportunity *opportunity = fl_store_get_opportunity (store, alert->subject, NULL);

          g_assert_nonnull (opportunity);
          g_hash_table_replace (scores, g_strdup (opportunity->customer), GUINT_TO_POINTER (1));
          fl_opportunity_free (opportunity);
        }
    }
  g_assert_cmpuint (g_hash_table_size (scores), >, 0);
  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);
      gpointer score;

      if (alert->category == FL_ALERT_CHURN &&
          g_hash_table_lookup_extended (scores, alert->subject, NULL, &score))
        g_hash_table_replace (scores, g_strdup (alert->subject),
                              GUINT_TO_POINTER (GPOINTER_TO_UINT (score) + 100));
    }

  g_hash_table_iter_init (&iter, scores);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(FlCustomerProfile) profile =
        fl_customer_profile_load (store, key, fl_context_get_now (context), 0, NULL);
      guint score = GPOINTER_TO_UINT (value) * 1000 + MIN (profile->n_visits, 999);

      if (score > best_score || (score == best_score && strcmp (key, best) < 0))
        {
          best_score = score;
          g_free (best);
          best = g_strdup (key);
        }
    }
  return g_steal_pointer (&best);
}

/* Saves @widget as DIR/@name.png, in slices of at most 1000 px (-1.png, -2.png …
 * when taller) so that each stays readable. */
static void
_save_png (GtkWidget  *widget,
           const char *name)
{
  const char *dir = g_getenv ("FL_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  for (int y = 0, part = 1; y < height; y += 1000, part++)
    {
      int slice = MIN (1000, height - y);
      g_autoptr(GdkTexture) texture =
        gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, y, width, slice));
      g_autofree char *file = height > 1000 ? g_strdup_printf ("%s-%d.png", name, part)
                                            : g_strdup_printf ("%s.png", name);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      g_assert_true (gdk_texture_save_to_png (texture, path));
      g_test_message ("saved %s", path);
    }
}

/* tests */

static void
test_content (void)
{
  Fixture f = { 0 };
  g_autofree char *customer_id = NULL;
  g_autoptr(FlCustomerProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) visit_rows = NULL;
  g_autoptr(GPtrArray) opportunity_rows = NULL;
  g_autoptr(GPtrArray) alert_rows = NULL;
  g_autoptr(GPtrArray) rep_labels = NULL;
  g_autofree char *owner_link = NULL;
  g_autofree char *price = NULL;
  FlEvaluation *evaluation;
  const FlVisit *newest;
  GtkLabel *label;
  guint n_mine = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  _fixture_open (&f, 700);
  g_assert_cmpstr (_visible_page (f.page), ==, "empty");
  g_assert_null (fl_customer_page_get_title (f.page));

  customer_id = _pick_customer (f.context);
  fl_customer_page_set_customer_id (f.page, customer_id);
  /* The page's first frame: everything but the visit timeline (below the
   * fold, most of the page's widgets), which comes in the frame after it. */
  visit_rows = fl_ui_test_find_all (GTK_WIDGET (f.page), GTK_TYPE_LIST_BOX_ROW, "visit-row");
  g_assert_cmpuint (visit_rows->len, ==, 0);
  g_clear_pointer (&visit_rows, g_ptr_array_unref);
  fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 2);
  profile = fl_customer_profile_load (fl_context_get_store (f.context), customer_id,
                                      fl_context_get_now (f.context), 20, &error);
  g_assert_no_error (error);

  /* Header */
  g_assert_cmpstr (_visible_page (f.page), ==, "content");
  g_assert_cmpstr (fl_customer_page_get_customer_id (f.page), ==, customer_id);
  g_assert_cmpstr (fl_customer_page_get_title (f.page), ==, profile->customer->name);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (f.page), profile->customer->name));
  {
    g_autofree char *money = fl_format_money (profile->customer->revenue_90d);

    g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (f.page), money));
  }
  owner_link = g_strdup_printf ("href=\"rep:%s\"", profile->customer->owner_rep);
  label = _label_containing (GTK_WIDGET (f.page), owner_link);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_text (label), profile->owner_name));
  g_assert_nonnull (strstr (gtk_label_get_text (label), profile->region_name));
  {
    g_autofree char *link = g_strdup_printf ("rep:%s", profile->customer->owner_rep);

    _activate_link (label, link);
    _assert_last_link (&f, link);
  }

  /* Health: the weeks compared */
  g_assert_true (profile->has_health && profile->has_previous);
  {
    const char *caption = _text_containing (GTK_WIDGET (f.page), profile->health.week);

    g_assert_nonnull (caption);
    g_assert_nonnull (strstr (caption, profile->previous.week));
  }

  /* Visits: newest first, at most 20, then how many more */
  visit_rows = fl_ui_test_find_all (GTK_WIDGET (f.page), GTK_TYPE_LIST_BOX_ROW, "visit-row");
  g_assert_cmpuint (visit_rows->len, ==, profile->visits->len);
  g_assert_cmpuint (visit_rows->len, >, 0);
  for (guint i = 0; i < visit_rows->len; i++)
    g_assert_cmpstr (g_object_get_data (g_ptr_array_index (visit_rows, i), "visit-id"), ==,
                     ((FlProfileVisit *) g_ptr_array_index (profile->visits, i))->visit->id);
  newest = ((FlProfileVisit *) g_ptr_array_index (profile->visits, 0))->visit;
  g_assert_true (fl_ui_test_shows_label (g_ptr_array_index (visit_rows, 0),
                                         newest->committed_action));
  for (guint k = 0; newest->pain_keywords[k] != NULL; k++)
    g_assert_true (fl_ui_test_shows_label (g_ptr_array_index (visit_rows, 0),
                                           newest->pain_keywords[k]));
  {
    g_autoptr(GPtrArray) achieved =
      fl_ui_test_find_all (g_ptr_array_index (visit_rows, 0), GTK_TYPE_BOX,
                           newest->prev_action_achieved == FL_ACHIEVED_TRUE
                           ? "achieved-yes"
                           : newest->prev_action_achieved == FL_ACHIEVED_FALSE
                           ? "achieved-no" : "achieved-unknown");

    g_assert_cmpuint (achieved->len, ==, 1);
  }
  if (profile->n_visits > profile->visits->len)
    {
      g_autofree char *earlier = g_strdup_printf ("%u earlier visits not shown",
                                                  profile->n_visits - profile->visits->len);

      g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (f.page), earlier));
    }
  rep_labels = fl_ui_test_find_all (g_ptr_array_index (visit_rows, 0), GTK_TYPE_LABEL, "visit-rep");
  g_assert_cmpuint (rep_labels->len, ==, 1);
  {
    g_autofree char *link = g_strdup_printf ("rep:%s", newest->rep);

    _activate_link (g_ptr_array_index (rep_labels, 0), link);
    _assert_last_link (&f, link);
  }

  /* Competitor notes */
  g_assert_true (profile->has_competitor_price);
  price = g_strdup_printf ("%.2f CNY", profile->competitor_price);
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (f.page), price));

  /* Opportunities, in the core's order */
  opportunity_rows =
    fl_ui_test_find_all (GTK_WIDGET (f.page), GTK_TYPE_LIST_BOX_ROW, "opportunity-row");
  g_assert_cmpuint (opportunity_rows->len, ==, profile->opportunities->len);
  for (guint i = 0; i < opportunity_rows->len; i++)
    {
      FlProfileOpportunity *item = g_ptr_array_index (profile->opportunities, i);
      g_autofree char *money = fl_format_money (item->opportunity->value);
      GtkWidget *row = g_ptr_array_index (opportunity_rows, i);

      g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "opportunity-id"), ==,
                       item->opportunity->id);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, money);
      g_assert_false (gtk_widget_has_css_class (row, "highlighted"));
    }

  /* Alerts: exactly the evaluation's alerts on this customer and its opportunities */
  evaluation = fl_context_get_evaluation (f.context);
  alert_rows = fl_ui_test_find_all (GTK_WIDGET (f.page), GTK_TYPE_LIST_BOX_ROW, "alert-row");
  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);
      GtkWidget *row = _row_with (alert_rows, "alert-id", alert->id);
      gboolean mine = alert->category == FL_ALERT_CHURN &&
                      strcmp (alert->subject, customer_id) == 0;

      for (guint k = 0; k < profile->opportunities->len; k++)
        if (alert->category == FL_ALERT_STALL &&
            strcmp (alert->subject, ((FlProfileOpportunity *) g_ptr_array_index (
                      profile->opportunities, k))->opportunity->id) == 0)
          mine = TRUE;
      g_assert_true (mine == (row != NULL));
      if (!mine)
        continue;
      n_mine++;

      /* Pending: an Execute button; activating the row opens the item. */
      {
        g_autoptr(GPtrArray) buttons =
          fl_ui_test_find_all (row, ADW_TYPE_SPLIT_BUTTON, "execute-button");
        g_autofree char *link = g_strdup_printf ("alert:%s", alert->id);

        g_assert_cmpuint (buttons->len, ==, alert->actioned ? 0 : 1);
        g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
        g_assert_true (gtk_widget_activate (row));
        _assert_last_link (&f, link);
      }

      /* A stalled opportunity's row leads to its alert as well. */
      if (alert->category == FL_ALERT_STALL)
        {
          GtkWidget *opportunity_row = _row_with (opportunity_rows, "opportunity-id",
                                                  alert->subject);
          g_autofree char *link = g_strdup_printf ("alert:%s", alert->id);

          g_assert_nonnull (opportunity_row);
          g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (opportunity_row)));
          g_ptr_array_set_size (f.links, 0);
          g_assert_true (gtk_widget_activate (opportunity_row));
          _assert_last_link (&f, link);
        }
    }
  g_assert_cmpuint (alert_rows->len, ==, n_mine);
  g_assert_cmpuint (n_mine, >, 0);

  /* Highlight: the opportunity's row, scrolled into view. */
  {
    FlProfileOpportunity *last = g_ptr_array_index (profile->opportunities,
                                                    profile->opportunities->len - 1);
    GtkWidget *row = _row_with (opportunity_rows, "opportunity-id", last->opportunity->id);
    GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
    graphene_rect_t bounds;

    /* Activating rows above moved the focus, and the view with it: back to the top. */
    gtk_window_set_focus (f.window, NULL);
    gtk_adjustment_set_value (adjustment, 0);
    fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 1);
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
    fl_customer_page_set_highlight (f.page, last->opportunity->id);
    g_assert_true (gtk_widget_has_css_class (row, "highlighted"));
    fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 3);
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
    g_assert_true (gtk_widget_compute_bounds (row, scroller, &bounds));
    g_assert_cmpfloat (bounds.origin.y, >=, 0);
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, 700);

    /* A re-evaluation rebuilds the rows: the mark stays, the view does not move. */
    gtk_adjustment_set_value (adjustment, 0);
    fl_context_reevaluate (f.context, &error);
    g_assert_no_error (error);
    fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 3);
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
    g_clear_pointer (&opportunity_rows, g_ptr_array_unref);
    opportunity_rows =
      fl_ui_test_find_all (GTK_WIDGET (f.page), GTK_TYPE_LIST_BOX_ROW, "opportunity-row");
    row = _row_with (opportunity_rows, "opportunity-id", last->opportunity->id);
    g_assert_nonnull (row);
    g_assert_true (gtk_widget_has_css_class (row, "highlighted"));

    fl_customer_page_set_highlight (f.page, NULL);
    g_assert_false (gtk_widget_has_css_class (row, "highlighted"));
  }

  _fixture_close (&f);
}

static void
test_actioned (void)
{
  Fixture f = { 0 };
  g_autofree char *customer_id = NULL;
  g_autoptr(GPtrArray) alert_rows = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alert_id = NULL;
  FlAction *action;
  GtkWidget *row;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  _fixture_open (&f, 700);
  customer_id = _pick_customer (f.context);
  fl_customer_page_set_customer_id (f.page, customer_id);
  alert_rows = fl_ui_test_find_all (GTK_WIDGET (f.page), GTK_TYPE_LIST_BOX_ROW, "alert-row");
  g_assert_cmpuint (alert_rows->len, >, 0);
  row = g_ptr_array_index (alert_rows, 0);
  alert_id = g_strdup (g_object_get_data (G_OBJECT (row), "alert-id"));
  g_assert_false (gtk_widget_has_css_class (row, "actioned"));

  /* Executing it re-evaluates ("changed"): the page follows. */
  action = fl_context_execute (f.context, alert_id, -1, &error);
  g_assert_no_error (error);
  fl_action_free (action);
  fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 2);

  g_clear_pointer (&alert_rows, g_ptr_array_unref);
  alert_rows = fl_ui_test_find_all (GTK_WIDGET (f.page), GTK_TYPE_LIST_BOX_ROW, "alert-row");
  row = _row_with (alert_rows, "alert-id", alert_id);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "actioned"));
  g_assert_true (fl_ui_test_shows_label (row, "Actioned"));
  buttons = fl_ui_test_find_all (row, ADW_TYPE_SPLIT_BUTTON, NULL);
  g_assert_cmpuint (buttons->len, ==, 0);
  /* Actioned rows come after the pending ones. */
  g_assert_true (row == g_ptr_array_index (alert_rows, alert_rows->len - 1));

  _save_png (GTK_WIDGET (f.window), "customer-actioned");
  _fixture_close (&f);
}

static void
test_states (void)
{
  Fixture f = { 0 };
  g_autoptr(GPtrArray) status_pages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer_id = NULL;
  const char *description;
  gint64 now;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  _fixture_open (&f, 700);

  /* Unknown id: a status page that names it. */
  fl_customer_page_set_customer_id (f.page, "c-nope");
  g_assert_cmpstr (_visible_page (f.page), ==, "not-found");
  g_assert_null (fl_customer_page_get_title (f.page));
  status_pages = fl_ui_test_find_all (GTK_WIDGET (f.page), ADW_TYPE_STATUS_PAGE, NULL);
  g_assert_cmpuint (status_pages->len, ==, 1);
  description = adw_status_page_get_description (g_ptr_array_index (status_pages, 0));
  g_assert_nonnull (strstr (description, "c-nope"));
  fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 1);

  /* A real one, then none. */
  customer_id = _pick_customer (f.context);
  fl_customer_page_set_customer_id (f.page, customer_id);
  g_assert_cmpstr (_visible_page (f.page), ==, "content");
  g_assert_nonnull (fl_customer_page_get_title (f.page));
  fl_customer_page_set_customer_id (f.page, NULL);
  g_assert_cmpstr (_visible_page (f.page), ==, "empty");
  g_assert_null (fl_customer_page_get_title (f.page));

  /* Seen from before any data: no health, no visits, nothing to compare. */
  fl_customer_page_set_customer_id (f.page, customer_id);
  g_assert_true (fl_time_parse_rfc3339 ("2025-01-06T09:00:00+08:00", &now));
  fl_context_set_fixed_now (f.context, now);
  fl_context_reevaluate (f.context, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (_visible_page (f.page), ==, "content");
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (f.page),
                                         "No health snapshot up to this week."));
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (f.page), "No visits recorded yet."));
  g_assert_true (fl_ui_test_shows_label (GTK_WIDGET (f.page), "Visits (0)"));
  g_assert_false (fl_ui_test_shows_label (GTK_WIDGET (f.page), "Alerts"));
  {
    g_autoptr(GPtrArray) rows =
      fl_ui_test_find_all (GTK_WIDGET (f.page), GTK_TYPE_LIST_BOX_ROW, "visit-row");

    g_assert_cmpuint (rows->len, ==, 0);
  }
  fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 1);

  _fixture_close (&f);
}

/* Not a check: saves the page for a person to look at (FL_TEST_SCREENSHOT_DIR). */
static void
test_screenshots (void)
{
  Fixture f = { 0 };
  g_autofree char *customer_id = NULL;
  AdwStyleManager *style = NULL;

  if (!have_display || g_getenv ("FL_TEST_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("no display, or FL_TEST_SCREENSHOT_DIR is not set");
      return;
    }

  _fixture_open (&f, 3000);
  style = adw_style_manager_get_default ();
  customer_id = _pick_customer (f.context);
  fl_customer_page_set_customer_id (f.page, customer_id);
  fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 2);
  _save_png (GTK_WIDGET (f.window), "customer-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 2);
  _save_png (GTK_WIDGET (f.window), "customer-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  _fixture_close (&f);

  _fixture_open (&f, 800);
  fl_customer_page_set_customer_id (f.page, customer_id);
  {
    FlCustomerProfile *profile =
      fl_customer_profile_load (fl_context_get_store (f.context), customer_id,
                                fl_context_get_now (f.context), 0, NULL);
    FlProfileOpportunity *item = g_ptr_array_index (profile->opportunities, 0);

    fl_customer_page_set_highlight (f.page, item->opportunity->id);
    fl_customer_profile_free (profile);
  }
  fl_ui_test_wait_ticks (GTK_WIDGET (f.page), 4);
  _save_png (GTK_WIDGET (f.window), "customer-highlight");
  _fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  const char *locale_dir = g_getenv ("FIELDLIGHT_LOCALEDIR");

  /* The checks read English; screenshots may be taken in another language. */
  if (g_getenv ("FL_TEST_SCREENSHOT_DIR") != NULL)
    {
      setlocale (LC_ALL, "");
      if (locale_dir != NULL)
        bindtextdomain (GETTEXT_PACKAGE, locale_dir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    }
  g_test_init (&argc, &argv, NULL);

  have_display = fl_ui_test_init_display ();
  if (have_display)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      /* The app's style sheet, which AdwApplication would load. */
      gtk_css_provider_load_from_resource (css, "/io/github/fieldlight/Fieldlight/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  g_test_add_func ("/customer-page/content", test_content);
  g_test_add_func ("/customer-page/actioned", test_actioned);
  g_test_add_func ("/customer-page/states", test_states);
  g_test_add_func ("/customer-page/screenshots", test_screenshots);
  return g_test_run ();
}
