/* test-navigation.c — the region pane's stack of pages: links, breadcrumbs, back
 *
 * The real window on the demo data: fl_window_open_link() and "win.open-link",
 * the pages' "open-link", the item detail's links, the crumbs (click, one
 * line at the pane's width), Alt+← and Escape, unknown ids, a subject of
 * another region, and the weekly list's rows.
 * Needs a display (run under `xvfb-run -a`); skips without one.
 * FIELDLIGHT_TEST_SCREENSHOTS=DIR saves the window as PNG files.
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
#include "fl-customer-page.h"
#include "fl-item-detail.h"
#include "fl-pilot-page.h"
#include "fl-rep-page.h"
#include "fl-rep-profile.h"
#include "fl-weekly-window.h"
#include "fl-window.h"
#include "fl-ui-test.h"

static gboolean have_display;

/* ---- helpers ------------------------------------------------------------------------------ */

/* The crumb buttons, in order. */
static GPtrArray *
_crumb_buttons (FlRegionPane *pane)
{
  GtkWidget *bar = fl_ui_test_find_first (GTK_WIDGET (pane), GTK_TYPE_WIDGET, "breadcrumbs");
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GPtrArray *crumbs = g_ptr_array_new ();

  g_assert_nonnull (bar);
  fl_ui_test_collect (bar, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (buttons, i), "crumb"))
      g_ptr_array_add (crumbs, g_ptr_array_index (buttons, i));
  return crumbs;
}

/* The texts of the crumbs as shown, the current one last. */
static char *
_crumbs_text (FlRegionPane *pane)
{
  GtkWidget *bar = fl_ui_test_find_first (GTK_WIDGET (pane), GTK_TYPE_WIDGET, "breadcrumbs");
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  fl_ui_test_collect (bar, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, gtk_label_get_label (g_ptr_array_index (labels, i)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The crumbs sit on one line, inside the pane. */
static void
_assert_crumbs_fit (FlWindow *window)
{
  FlRegionPane *pane = fl_window_get_region_pane (window);
  GtkWidget *bar = fl_ui_test_find_first (GTK_WIDGET (pane), GTK_TYPE_WIDGET, "breadcrumbs");
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  graphene_rect_t bar_bounds, pane_bounds;

  fl_ui_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_compute_bounds (bar, GTK_WIDGET (pane), &bar_bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (pane), GTK_WIDGET (pane), &pane_bounds));
  g_assert_cmpfloat (bar_bounds.origin.x + bar_bounds.size.width, <=, pane_bounds.size.width);
  fl_ui_test_collect (bar, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));

      if (gtk_widget_get_mapped (label))
        g_assert_cmpint (pango_layout_get_line_count (layout), ==, 1);
    }
  g_assert_cmpint (gtk_widget_get_height (bar), <, 48);
}

static void
_assert_crumbs (FlRegionPane       *pane,
                const char * const *expected)
{
  g_auto(GStrv) crumbs = fl_region_pane_dup_breadcrumbs (pane);
  g_autofree char *shown = _crumbs_text (pane);

  g_test_message ("crumbs: %s", shown);
  g_assert_cmpstrv (crumbs, expected);
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, g_strv_length ((char **) expected) - 1);
}

static char *
_region_name (FlContext  *context,
              const char *code)
{
  return fl_store_dup_region_name (fl_context_get_store (context), code);
}

/* The first pending alert of @category in a region (any region but @not_region). */
static const FlAlert *
_find_alert (FlContext       *context,
             FlAlertCategory  category,
             const char      *not_region)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (context);

  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->category == category && !alert->actioned
          && g_strcmp0 (alert->region, not_region) != 0)
        return alert;
    }
  return NULL;
}

/* The link rows of an item detail, in order. */
static GPtrArray *
_link_rows (GtkWidget *page)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *links = g_ptr_array_new ();

  fl_ui_test_collect (page, GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_object_get_data (G_OBJECT (g_ptr_array_index (rows, i)), "link") != NULL)
      g_ptr_array_add (links, g_ptr_array_index (rows, i));
  return links;
}

static GtkWidget *
_link_row (GtkWidget  *page,
           const char *link)
{
  g_autoptr(GPtrArray) rows = _link_rows (page);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (g_ptr_array_index (rows, i)), "link"), link) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static gboolean
_has_alt_left_binding (FlWindow *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_NAMED_ACTION (action)
              && g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                            "win.navigate-back") == 0
              && GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Left
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == GDK_ALT_MASK)
            return TRUE;
        }
    }
  return FALSE;
}

/* ---- tests -------------------------------------------------------------------------------- */

/* A customer by link, its rep by the page's "open-link", crumbs, back, Escape. */
static void
test_customer_and_back (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GPtrArray) crumbs = NULL;
  g_autofree char *customer_link = NULL;
  g_autofree char *rep_link = NULL;
  g_autofree char *region_name = NULL;
  FlCustomer *customer;
  FlRep *rep;
  const FlAlert *churn;
  FlRegionPane *pane;
  FlWindow *window;
  GtkWidget *page;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  churn = _find_alert (context, FL_ALERT_CHURN, NULL);
  g_assert (churn != NULL);
  customer = fl_store_get_customer (fl_context_get_store (context), churn->subject, NULL);
  g_assert (customer != NULL);
  rep = fl_store_get_rep (fl_context_get_store (context), customer->owner_rep, NULL);
  g_assert_nonnull (rep);
  customer_link = g_strdup_printf ("customer:%s", customer->id);
  rep_link = g_strdup_printf ("rep:%s", rep->id);
  region_name = _region_name (context, customer->region);

  window = fl_ui_test_open_window (context);
  pane = fl_window_get_region_pane (window);
  g_assert_false (fl_window_get_pane_open (window));

  /* The customer: its region selected, the pane open, the page on top. */
  g_assert_true (fl_window_open_link (window, customer_link));
  g_assert_true (fl_window_get_pane_open (window));
  g_assert_cmpstr (fl_region_pane_get_region (pane), ==, customer->region);
  g_assert_cmpstr (fl_map_view_get_selected_region (fl_window_get_map_view (window)), ==,
                   customer->region);
  page = fl_region_pane_get_visible_page (pane);
  g_assert_true (FL_IS_CUSTOMER_PAGE (page));
  g_assert_cmpstr (fl_customer_page_get_customer_id (FL_CUSTOMER_PAGE (page)), ==, customer->id);
  g_assert_cmpstr (fl_region_pane_get_visible_link (pane), ==, customer_link);
  _assert_crumbs (pane, (const char *[]) { region_name, customer->name, NULL });
  crumbs = _crumb_buttons (pane);
  g_assert_cmpuint (crumbs->len, ==, 1);
  g_clear_pointer (&crumbs, g_ptr_array_unref);
  _assert_crumbs_fit (window);
  fl_ui_test_maybe_save_window (window, "navigation-customer");

  /* The same link again: nothing is pushed. */
  g_assert_true (fl_window_open_link (window, customer_link));
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 1);

  /* The page's link to its rep. */
  g_signal_emit_by_name (page, "open-link", rep_link);
  page = fl_region_pane_get_visible_page (pane);
  g_assert_true (FL_IS_REP_PAGE (page));
  g_assert_cmpstr (fl_rep_page_get_rep_id (FL_REP_PAGE (page)), ==, rep->id);
  _assert_crumbs (pane, (const char *[]) { region_name, customer->name, rep->name, NULL });
  _assert_crumbs_fit (window);
  fl_ui_test_maybe_save_window (window, "navigation-rep");

  /* A click on the customer's crumb goes back to it; the rep's page goes. */
  crumbs = _crumb_buttons (pane);
  g_assert_cmpuint (crumbs->len, ==, 2);
  g_signal_emit_by_name (g_ptr_array_index (crumbs, 1), "clicked");
  g_clear_pointer (&crumbs, g_ptr_array_unref);
  g_assert_true (FL_IS_CUSTOMER_PAGE (fl_region_pane_get_visible_page (pane)));
  _assert_crumbs (pane, (const char *[]) { region_name, customer->name, NULL });

  /* Alt+← (bound on the window) steps back one page. */
  g_assert_true (_has_alt_left_binding (window));
  g_signal_emit_by_name (fl_region_pane_get_visible_page (pane), "open-link", rep_link);
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.navigate-back", NULL));
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 1);
  g_assert_true (FL_IS_CUSTOMER_PAGE (fl_region_pane_get_visible_page (pane)));

  /* The region's crumb. */
  crumbs = _crumb_buttons (pane);
  g_signal_emit_by_name (g_ptr_array_index (crumbs, 0), "clicked");
  g_clear_pointer (&crumbs, g_ptr_array_unref);
  _assert_crumbs (pane, (const char *[]) { region_name, NULL });
  g_assert_null (fl_region_pane_get_visible_link (pane));

  /* Escape: one page back, then the pane closes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-link", "s",
                                             customer_link));
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-pane", NULL));
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 0);
  g_assert_true (fl_window_get_pane_open (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-pane", NULL));
  g_assert_false (fl_window_get_pane_open (window));

  fl_customer_free (customer);
  fl_rep_free (rep);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Unknown ids and kinds: FALSE, and nothing moves. */
static void
test_unknown (void)
{
  g_autoptr(FlContext) context = NULL;
  const char * const bad[] = {
    "customer:c-nope", "rep:r-nope", "opportunity:o-nope", "category:nope", "pilot:p-nope",
    "alert:churn:c-nope:v-nope", "shop:c-0001", "customer:", "nonsense",
  };
  const FlAlert *alert;
  g_autofree char *link = NULL;
  FlRegionPane *pane;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  window = fl_ui_test_open_window (context);
  pane = fl_window_get_region_pane (window);

  /* Closed pane: stays closed. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (fl_window_open_link (window, bad[i]));
  g_assert_false (fl_window_get_pane_open (window));
  g_assert_null (fl_map_view_get_selected_region (fl_window_get_map_view (window)));

  /* Open on an item: stays there. */
  alert = _find_alert (context, FL_ALERT_STALL, NULL);
  g_assert (alert != NULL);
  link = g_strdup_printf ("alert:%s", alert->id);
  g_assert_true (fl_window_open_link (window, link));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (fl_window_open_link (window, bad[i]));
      g_assert_cmpstr (fl_region_pane_get_visible_link (pane), ==, link);
      g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 1);
      g_assert_cmpstr (fl_region_pane_get_region (pane), ==, alert->region);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The item detail's links: churn customer and visits' reps, stall opportunity,
 * gap category and "which reps pull the rate down". */
static void
test_item_detail_links (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *target = NULL;
  const FlAlert *churn, *stall, *gap;
  FlOpportunity *opportunity;
  const char * const *rep_ids;
  FlRegionPane *pane;
  FlWindow *window;
  GtkWidget *page, *row;
  FlVisit *visit;
  gint64 start;
  int year, week;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  window = fl_ui_test_open_window (context);
  pane = fl_window_get_region_pane (window);

  /* Churn: the customer, then each visit's rep. */
  churn = _find_alert (context, FL_ALERT_CHURN, NULL);
  g_assert (churn != NULL);
  link = g_strdup_printf ("alert:%s", churn->id);
  g_assert_true (fl_window_open_link (window, link));
  page = fl_region_pane_get_visible_page (pane);
  g_assert_true (FL_IS_ITEM_DETAIL (page));
  g_assert_cmpstr (fl_item_detail_get_alert_id (FL_ITEM_DETAIL (page)), ==, churn->id);
  g_assert_cmpstr (fl_region_pane_get_visible_link (pane), ==, link);
  {
    g_autofree char *region_name = _region_name (context, churn->region);

    _assert_crumbs (pane, (const char *[]) { region_name,
                                             fl_alert_category_get_label (FL_ALERT_CHURN),
                                             NULL });
  }
  target = g_strdup_printf ("customer:%s", churn->subject);
  row = _link_row (page, target);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (FL_IS_CUSTOMER_PAGE (fl_region_pane_get_visible_page (pane)));
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 2);
  g_assert_true (fl_region_pane_navigate_back (pane));
  g_clear_pointer (&target, g_free);

  visit = fl_store_get_visit (fl_context_get_store (context), churn->visit_last, &error);
  g_assert_no_error (error);
  target = g_strdup_printf ("rep:%s", visit->rep);
  row = _link_row (page, target);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (row));
  page = fl_region_pane_get_visible_page (pane);
  g_assert_true (FL_IS_REP_PAGE (page));
  g_assert_cmpstr (fl_rep_page_get_rep_id (FL_REP_PAGE (page)), ==, visit->rep);
  fl_visit_free (visit);
  g_clear_pointer (&target, g_free);
  g_clear_pointer (&link, g_free);

  /* Stall: the opportunity → its customer's page, highlighted. */
  stall = _find_alert (context, FL_ALERT_STALL, NULL);
  g_assert (stall != NULL);
  link = g_strdup_printf ("alert:%s", stall->id);
  g_assert_true (fl_window_open_link (window, link));
  page = fl_region_pane_get_visible_page (pane);
  target = g_strdup_printf ("opportunity:%s", stall->subject);
  row = _link_row (page, target);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (row));
  page = fl_region_pane_get_visible_page (pane);
  g_assert_true (FL_IS_CUSTOMER_PAGE (page));
  opportunity = fl_store_get_opportunity (fl_context_get_store (context), stall->subject, NULL);
  g_assert_nonnull (opportunity);
  g_assert_cmpstr (fl_customer_page_get_customer_id (FL_CUSTOMER_PAGE (page)), ==,
                   opportunity->customer);
  g_assert_cmpstr (fl_region_pane_get_visible_link (pane), ==, target);
  fl_opportunity_free (opportunity);
  g_clear_pointer (&target, g_free);
  g_clear_pointer (&link, g_free);

  /* Gap: the category, and the team's reps in fl_team_rep_rates() order. */
  gap = _find_alert (context, FL_ALERT_GAP, NULL);
  g_assert (gap != NULL);
  link = g_strdup_printf ("alert:%s", gap->id);
  g_assert_true (fl_window_open_link (window, link));
  page = fl_region_pane_get_visible_page (pane);
  target = g_strdup_printf ("category:%s", gap->subject);
  g_assert_nonnull (_link_row (page, target));

  g_assert_true (fl_iso_week_parse (gap->week, &year, &week));
  start = fl_day_at (fl_iso_week_monday (year, week), 0, 0,
                     fl_context_get_time_zone (context));
  rates = fl_team_rep_rates (fl_context_get_store (context), gap->region, gap->subject, start,
                             fl_time_add_weeks (start, fl_context_get_time_zone (context), 1),
                             gap->province_rate[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rates->len, >, 0);
  rep_ids = fl_item_detail_get_rep_ids (FL_ITEM_DETAIL (page));
  g_assert_cmpuint (g_strv_length ((char **) rep_ids), ==, rates->len);
  for (guint i = 0; i < rates->len; i++)
    g_assert_cmpstr (rep_ids[i], ==, ((FlRepRate *) g_ptr_array_index (rates, i))->rep_id);
  fl_ui_test_maybe_save_window (window, "navigation-gap-detail");
  g_clear_pointer (&target, g_free);
  target = g_strdup_printf ("rep:%s", rep_ids[0]);
  row = _link_row (page, target);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (FL_IS_REP_PAGE (fl_region_pane_get_visible_page (pane)));
  g_assert_true (fl_region_pane_navigate_back (pane));
  g_clear_pointer (&target, g_free);
  target = g_strdup_printf ("category:%s", gap->subject);
  g_assert_true (gtk_widget_activate (_link_row (fl_region_pane_get_visible_page (pane),
                                                 target)));
  page = fl_region_pane_get_visible_page (pane);
  g_assert_true (FL_IS_CATEGORY_PAGE (page));
  g_assert_cmpstr (fl_category_page_get_category_id (FL_CATEGORY_PAGE (page)), ==, gap->subject);
  /* A category is of the whole province: the region stays. */
  g_assert_cmpstr (fl_region_pane_get_region (pane), ==, gap->region);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A subject of another region: the map and the pane switch, the trail starts again. */
static void
test_other_region (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autofree char *link = NULL;
  g_autofree char *rep_link = NULL;
  g_autofree char *region_name = NULL;
  const FlAlert *first, *other;
  FlCustomer *customer;
  FlRegionPane *pane;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  window = fl_ui_test_open_window (context);
  pane = fl_window_get_region_pane (window);
  first = _find_alert (context, FL_ALERT_CHURN, NULL);
  g_assert (first != NULL);
  other = _find_alert (context, FL_ALERT_CHURN, first->region);
  g_assert (other != NULL);
  customer = fl_store_get_customer (fl_context_get_store (context), other->subject, NULL);
  g_assert (customer != NULL);

  link = g_strdup_printf ("alert:%s", first->id);
  g_assert_true (fl_window_open_link (window, link));
  g_clear_pointer (&link, g_free);
  link = g_strdup_printf ("customer:%s", first->subject);
  g_signal_emit_by_name (fl_region_pane_get_visible_page (pane), "open-link", link);
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 2);

  /* From a page of the first region, a rep of the other. */
  rep_link = g_strdup_printf ("rep:%s", customer->owner_rep);
  g_signal_emit_by_name (fl_region_pane_get_visible_page (pane), "open-link", rep_link);
  g_assert_cmpstr (fl_region_pane_get_region (pane), ==, other->region);
  g_assert_cmpstr (fl_map_view_get_selected_region (fl_window_get_map_view (window)), ==,
                   other->region);
  g_assert_true (FL_IS_REP_PAGE (fl_region_pane_get_visible_page (pane)));
  region_name = _region_name (context, other->region);
  {
    FlRep *rep = fl_store_get_rep (fl_context_get_store (context), customer->owner_rep, NULL);

    g_assert_nonnull (rep);
    _assert_crumbs (pane, (const char *[]) { region_name, rep->name, NULL });
    fl_rep_free (rep);
  }

  /* A click on the map's tile shows the region itself. */
  fl_window_show_region (window, other->region);
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, 0);

  fl_customer_free (customer);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A long trail: one line, the middle crumbs folded into "…", which goes back. */
static void
test_deep_trail (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GPtrArray) crumbs = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) titles = NULL;
  g_autofree char *shown = NULL;
  const FlAlert *churn, *stall;
  FlCustomer *customer;
  FlRegionPane *pane;
  FlWindow *window;
  guint depth;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  window = fl_ui_test_open_window (context);
  pane = fl_window_get_region_pane (window);
  churn = _find_alert (context, FL_ALERT_CHURN, NULL);
  g_assert (churn != NULL);
  customer = fl_store_get_customer (fl_context_get_store (context), churn->subject, NULL);
  g_assert (customer != NULL);
  stall = NULL;
  {
    FlEvaluation *evaluation = fl_context_get_evaluation (context);

    for (guint i = 0; i < evaluation->alerts->len && stall == NULL; i++)
      {
        const FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

        if (alert->category == FL_ALERT_STALL && g_strcmp0 (alert->region, churn->region) == 0)
          stall = alert;
      }
  }
  g_ptr_array_add (links, g_strdup_printf ("alert:%s", churn->id));
  g_ptr_array_add (links, g_strdup_printf ("customer:%s", customer->id));
  g_ptr_array_add (links, g_strdup_printf ("rep:%s", customer->owner_rep));
  if (stall != NULL)
    g_ptr_array_add (links, g_strdup_printf ("alert:%s", stall->id));
  g_ptr_array_add (links, g_strdup_printf ("customer:%s", customer->id));
  g_ptr_array_add (links, g_strdup_printf ("rep:%s", customer->owner_rep));

  g_assert_true (fl_window_open_link (window, g_ptr_array_index (links, 0)));
  for (guint i = 1; i < links->len; i++)
    g_signal_emit_by_name (fl_region_pane_get_visible_page (pane), "open-link",
                           g_ptr_array_index (links, i));
  depth = fl_region_pane_get_depth (pane);
  g_assert_cmpuint (depth, ==, links->len);
  titles = fl_region_pane_dup_breadcrumbs (pane);
  g_assert_cmpuint (g_strv_length (titles), ==, depth + 1);
  shown = _crumbs_text (pane);
  g_test_message ("crumbs shown: %s", shown);
  g_assert_nonnull (strstr (shown, "…"));
  _assert_crumbs_fit (window);
  fl_ui_test_maybe_save_window (window, "navigation-deep-trail");

  /* "…" stands for the folded crumbs and goes back to the last of them. */
  crumbs = _crumb_buttons (pane);
  g_assert_cmpuint (crumbs->len, ==, 3);   /* region, …, the page before */
  g_signal_emit_by_name (g_ptr_array_index (crumbs, 1), "clicked");
  g_assert_cmpuint (fl_region_pane_get_depth (pane), ==, depth - 2);
  g_assert_cmpstr (fl_region_pane_get_visible_link (pane), ==,
                   g_ptr_array_index (links, depth - 3));

  fl_customer_free (customer);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The weekly list's rows open their subject in the main window. */
static void
test_weekly_rows (void)
{
  g_autoptr(FlContext) context = NULL;
  FlWeeklyWindow *weekly = NULL;
  const FlWeeklyList *list;
  FlRegionPane *pane;
  FlWindow *window;
  guint n_opened = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  window = fl_ui_test_open_window (context);
  pane = fl_window_get_region_pane (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.weekly-list", NULL));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && weekly == NULL; i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (FL_IS_WEEKLY_WINDOW (toplevel))
          weekly = FL_WEEKLY_WINDOW (toplevel);
      }
  }
  g_assert_nonnull (weekly);
  list = fl_weekly_window_get_list (weekly);
  g_assert_nonnull (list);

  for (FlWeeklySection s = 0; s < FL_N_WEEKLY_SECTIONS; s++)
    {
      GtkListBox *rows = fl_weekly_window_get_section (weekly, s);
      const FlWeeklyItem *item = NULL;
      GtkListBoxRow *row;

      if (rows == NULL)
        continue;
      for (guint i = 0; i < list->items->len && item == NULL; i++)
        if (((FlWeeklyItem *) g_ptr_array_index (list->items, i))->section == s)
          item = g_ptr_array_index (list->items, i);
      g_assert_nonnull (item);
      row = gtk_list_box_get_row_at_index (rows, 0);
      g_assert_true (gtk_list_box_row_get_activatable (row));
      g_assert_true (gtk_widget_activate (GTK_WIDGET (row)));
      g_test_message ("%s → %s", item->link, fl_region_pane_get_visible_link (pane));
      g_assert_true (fl_window_get_pane_open (window));
      g_assert_cmpstr (fl_region_pane_get_visible_link (pane), ==, item->link);
      if (g_str_has_prefix (item->link, "pilot:"))
        g_assert_true (FL_IS_PILOT_PAGE (fl_region_pane_get_visible_page (pane)));
      else
        g_assert_true (FL_IS_CUSTOMER_PAGE (fl_region_pane_get_visible_page (pane)));
      n_opened++;
    }
  g_assert_cmpuint (n_opened, >=, 2);
  fl_ui_test_maybe_save_window (window, "navigation-from-weekly");
  gtk_window_destroy (GTK_WINDOW (weekly));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  have_display = fl_ui_test_init (&argc, &argv, "fieldlight-test-navigation-XXXXXX");

  g_test_add_func ("/navigation/customer-and-back", test_customer_and_back);
  g_test_add_func ("/navigation/unknown", test_unknown);
  g_test_add_func ("/navigation/item-detail-links", test_item_detail_links);
  g_test_add_func ("/navigation/other-region", test_other_region);
  g_test_add_func ("/navigation/deep-trail", test_deep_trail);
  g_test_add_func ("/navigation/weekly-rows", test_weekly_rows);
  return fl_ui_test_run ();
}
