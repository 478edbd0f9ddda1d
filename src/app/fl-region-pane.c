/* fl-region-pane.c — one prefecture: status, counts, TOP 3, the full list,
 * its customers’ problems of the week and its process health
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-execute-button.h"
#include "fl-format.h"
#include "fl-item-detail.h"
#include "fl-region-layer.h"
#include "fl-region-pane.h"

struct _FlRegionPane
{
  GtkWidget     parent_instance;

  /* template widgets */
  GtkWidget    *actioned_heading;
  GtkWidget    *actioned_list;
  GtkWidget    *actioned_section;
  GtkWidget    *back_button;
  GtkWidget    *close_button;
  GtkWidget    *counts_box;
  GtkWidget    *green_description;
  GtkWidget    *green_page;
  GtkWidget    *health_list;
  GtkWidget    *health_section;
  GtkWidget    *item_detail;
  GtkWidget    *leaflet;
  GtkWidget    *main_page;
  GtkWidget    *name_label;
  GtkWidget    *pending_heading;
  GtkWidget    *pending_list;
  GtkWidget    *pending_section;
  GtkWidget    *problems_empty;
  GtkWidget    *problems_list;
  GtkWidget    *problems_section;
  GtkWidget    *scroller;
  GtkWidget    *status_badge;
  GtkWidget    *status_detail;
  GtkWidget    *status_icon;
  GtkWidget    *top_list;
  GtkWidget    *toolbar_label;
  GtkWidget    *top_section;

  /* owned */
  FlContext    *context;
  char         *region;
  GStrv         top_ids;
  GtkWidget    *count_labels[FL_N_ALERT_CATEGORIES];
  GtkWidget    *count_cards[FL_N_ALERT_CATEGORIES];
  guint         n_pending_rows;
  guint         n_actioned_rows;
  FlRegionStatus status;
  gboolean      has_status;
  gboolean      folded;
};

G_DEFINE_FINAL_TYPE (FlRegionPane, fl_region_pane, GTK_TYPE_WIDGET)

#define PANE_WIDTH 380
#define N_PROBLEMS 5

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_REGION,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const status_classes[] = { "green", "yellow", "red" };

/* helpers */

static const char *
_category_icon_name (FlAlertCategory category)
{
  switch (category)
    {
    case FL_ALERT_CHURN:
      return "avatar-default-symbolic";
    case FL_ALERT_STALL:
      return "alarm-symbolic";
    case FL_ALERT_GAP:
      return "system-users-symbolic";
    case FL_N_ALERT_CATEGORIES:
    default:
      return "dialog-warning-symbolic";
    }
}

static const char *
_value_explanation (FlAlertCategory category)
{
  switch (category)
    {
    case FL_ALERT_CHURN:
      return _("Ranked by value at risk: the customer’s revenue over the last 90 days");
    case FL_ALERT_STALL:
      return _("Ranked by value at risk: the opportunity’s value");
    case FL_ALERT_GAP:
    case FL_N_ALERT_CATEGORIES:
    default:
      return _("Ranked by value at risk: the conversion gap to the province × last week’s "
               "pitches × the category’s average order value");
    }
}

static void
_clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static char *
_dup_title (FlRegionPane  *self,
            const FlAlert *alert)
{
  char *title = fl_alert_dup_title (fl_context_get_store (self->context), alert);

  return title != NULL ? title : g_strdup (alert->id);
}

/* "¥80,000 at risk · raised 3 days ago" */
static char *
_dup_meta (FlRegionPane  *self,
           const FlAlert *alert)
{
  g_autofree char *money = fl_format_money (alert->value_at_risk);
  g_autofree char *when = fl_format_relative_time (alert->raised,
                                                   fl_context_get_now (self->context));
  g_autofree char *money_part = NULL;
  g_autofree char *raised_part = NULL;

  /* Translators: %s is an amount of money, e.g. "80,000 CNY". */
  money_part = g_strdup_printf (_("%s at risk"), money);
  /* Translators: %s is a relative time, e.g. "3 days ago". */
  raised_part = g_strdup_printf (_("raised %s"), when);
  return g_strdup_printf ("%s · %s", money_part, raised_part);
}

static char *
_dup_tooltip (FlRegionPane  *self,
              const FlAlert *alert)
{
  g_autofree char *exact = fl_format_exact_time (alert->raised,
                                                 fl_context_get_time_zone (self->context));
  /* Translators: %s is an exact date and time. */
  g_autofree char *raised = g_strdup_printf (_("Raised on %s"), exact);

  return g_strdup_printf ("%s\n%s", _value_explanation (alert->category), raised);
}

/* The one-sentence advice under an item, or NULL when there is none. */
static GtkWidget *
_suggestion_label_new (FlRegionPane  *self,
                       const FlAlert *alert)
{
  const FlSuggestion *suggestion = fl_context_get_suggestion (self->context, alert->id);
  GtkWidget *label;

  if (suggestion == NULL || suggestion->text == NULL)
    return NULL;
  label = gtk_label_new (suggestion->text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "suggestion");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* The item's Execute split button, aligned to the end of its row. */
static GtkWidget *
_execute_button_new (FlRegionPane  *self,
                     const FlAlert *alert)
{
  GtkWidget *button = fl_execute_button_new (alert->id,
                                             fl_context_get_suggestion (self->context, alert->id));

  gtk_widget_set_halign (button, GTK_ALIGN_END);
  return button;
}

/* The row opens the item's detail: a chevron says so. */
static GtkWidget *
_chevron_new (void)
{
  GtkWidget *chevron = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_widget_set_valign (chevron, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (chevron, "dim-label");
  gtk_widget_set_tooltip_text (chevron, _("Show the Evidence"));
  return chevron;
}

static GtkWidget *
_top_row_new (FlRegionPane  *self,
              const FlAlert *alert,
              guint          rank)
{
  g_autofree char *title = _dup_title (self, alert);
  g_autofree char *money = fl_format_money (alert->value_at_risk);
  g_autofree char *money_bold = g_markup_printf_escaped ("<b>%s</b>", money);
  g_autofree char *at_risk = NULL;
  g_autofree char *when = fl_format_relative_time (alert->raised,
                                                   fl_context_get_now (self->context));
  g_autofree char *tooltip = _dup_tooltip (self, alert);
  g_autofree char *rank_text = g_strdup_printf ("%u", rank);
  g_autofree char *rank_class = g_strdup_printf ("rank-%u", rank);
  GtkWidget *row, *box, *rank_label, *text_box, *category_box, *icon, *label;

  row = gtk_list_box_row_new ();
  gtk_widget_set_tooltip_text (row, tooltip);
  gtk_widget_add_css_class (row, "top-row");
  g_object_set_data_full (G_OBJECT (row), "alert-id", g_strdup (alert->id), g_free);

  /* A grid, not a horizontal box: GtkBox gives a column of wrapped labels its
   * width for the row's height, which overflows the row (GTK 4.8). */
  box = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (box), 14);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  rank_label = gtk_label_new (rank_text);
  gtk_widget_set_valign (rank_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (rank_label, "rank-badge");
  gtk_widget_add_css_class (rank_label, rank_class);
  gtk_grid_attach (GTK_GRID (box), rank_label, 0, 0, 1, 1);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_grid_attach (GTK_GRID (box), text_box, 1, 0, 1, 1);

  /* Category on the left, age on the right. */
  category_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (category_box, "dim-label");
  icon = gtk_image_new_from_icon_name (_category_icon_name (alert->category));
  gtk_box_append (GTK_BOX (category_box), icon);
  label = gtk_label_new (fl_alert_category_get_label (alert->category));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (category_box), label);
  label = gtk_label_new (when);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (category_box), label);
  gtk_box_append (GTK_BOX (text_box), category_box);

  label = gtk_label_new (title);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "top-title");
  gtk_box_append (GTK_BOX (text_box), label);

  /* Translators: %s is an amount of money, e.g. "80,000 CNY". */
  at_risk = g_strdup_printf (_("%s at risk"), money_bold);
  label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (label), at_risk);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "top-meta");
  gtk_box_append (GTK_BOX (text_box), label);

  label = _suggestion_label_new (self, alert);
  if (label != NULL)
    gtk_box_append (GTK_BOX (text_box), label);
  gtk_box_append (GTK_BOX (text_box), _execute_button_new (self, alert));
  gtk_grid_attach (GTK_GRID (box), _chevron_new (), 2, 0, 1, 1);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  return row;
}

/* A pending item: title, value and age, the advice and "Execute". */
static GtkWidget *
_pending_row_new (FlRegionPane  *self,
                  const FlAlert *alert)
{
  g_autofree char *title = _dup_title (self, alert);
  g_autofree char *meta = _dup_meta (self, alert);
  g_autofree char *tooltip = _dup_tooltip (self, alert);
  GtkWidget *row, *box, *icon, *text_box, *label;

  row = gtk_list_box_row_new ();
  gtk_widget_set_tooltip_text (row, tooltip);
  gtk_widget_add_css_class (row, "pending-row");
  g_object_set_data_full (G_OBJECT (row), "alert-id", g_strdup (alert->id), g_free);

  box = gtk_grid_new ();   /* as in _top_row_new() */
  gtk_grid_set_column_spacing (GTK_GRID (box), 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  icon = gtk_image_new_from_icon_name (_category_icon_name (alert->category));
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 2);
  gtk_widget_set_tooltip_text (icon, fl_alert_category_get_label (alert->category));
  gtk_grid_attach (GTK_GRID (box), icon, 0, 0, 1, 1);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_grid_attach (GTK_GRID (box), text_box, 1, 0, 1, 1);

  label = gtk_label_new (title);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "pending-title");
  gtk_box_append (GTK_BOX (text_box), label);

  label = gtk_label_new (meta);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (text_box), label);

  label = _suggestion_label_new (self, alert);
  if (label != NULL)
    gtk_box_append (GTK_BOX (text_box), label);
  gtk_box_append (GTK_BOX (text_box), _execute_button_new (self, alert));
  gtk_grid_attach (GTK_GRID (box), _chevron_new (), 2, 0, 1, 1);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  return row;
}

/* An actioned item, dimmed. */
static GtkWidget *
_list_row_new (FlRegionPane  *self,
               const FlAlert *alert)
{
  g_autofree char *title = _dup_title (self, alert);
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  g_autofree char *meta = _dup_meta (self, alert);
  g_autofree char *meta_escaped = NULL;
  g_autofree char *tooltip = _dup_tooltip (self, alert);
  GtkWidget *row, *icon;

  if (alert->actioned)
    {
      g_autofree char *with_state = NULL;

      /* Translators: prefix of an item on which an action was executed. */
      with_state = g_strdup_printf (_("Actioned · %s"), meta);
      g_free (meta);
      meta = g_steal_pointer (&with_state);
    }
  meta_escaped = g_markup_escape_text (meta, -1);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), meta_escaped);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_tooltip_text (row, tooltip);
  g_object_set_data_full (G_OBJECT (row), "alert-id", g_strdup (alert->id), g_free);

  icon = gtk_image_new_from_icon_name (_category_icon_name (alert->category));
  gtk_widget_set_tooltip_text (icon, fl_alert_category_get_label (alert->category));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (alert->actioned)
    {
      GtkWidget *done = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_widget_add_css_class (row, "actioned");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), done);
    }
  return row;
}

/* "96 %"; rounded towards the threshold's wrong side, so that a figure below
 * "≥ 95 %" never reads "95 %". */
static char *
_format_percent (double   value,
                 gboolean round_down)
{
  int shown = (int) (round_down ? floor (value + 1e-9) : ceil (value - 1e-9));

  /* Translators: a percentage, e.g. "96 %"; keep the %% (the percent sign). */
  return g_strdup_printf (_("%d %%"), shown);
}

static GtkWidget *
_problem_row_new (const FlProblemCount *problem)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *count;
  g_autofree char *text = g_strdup_printf ("%u", problem->count);
  g_autofree char *a11y = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->keyword);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  count = gtk_label_new (text);
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_add_css_class (count, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);
  /* Translators: a pain keyword and how many visits mentioned it, e.g. "价格: 12 visits". */
  a11y = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u visit", "%s: %u visits",
                                       problem->count),
                          problem->keyword, problem->count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

static GtkWidget *
_health_row_new (const FlProcessMetric *metric)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value;
  g_autofree char *threshold = _format_percent (metric->threshold, TRUE);
  g_autofree char *subtitle = NULL;
  g_autofree char *shown = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), metric->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  subtitle = metric->higher_is_better
    /* Translators: the threshold of a metric, e.g. "Target ≥ 95 %". */
    ? g_strdup_printf (_("Target ≥ %s"), threshold)
    /* Translators: the threshold of a metric, e.g. "Target ≤ 3 %". */
    : g_strdup_printf (_("Target ≤ %s"), threshold);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (metric->has_value)
    shown = _format_percent (metric->value, metric->higher_is_better);
  else
    shown = g_strdup (_("No data"));
  value = gtk_label_new (shown);
  gtk_widget_add_css_class (value, "numeric");
  if (!metric->has_value)
    gtk_widget_add_css_class (value, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);

  if (metric->has_value)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (metric->ok ? "emblem-ok-symbolic"
                                                                 : "dialog-warning-symbolic");
      const char *meaning = metric->ok ? _("Meets the target") : _("Below the target");

      gtk_widget_add_css_class (icon, metric->ok ? "success" : "warning");
      gtk_widget_set_tooltip_text (icon, meaning);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      meaning, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }
  else
    gtk_widget_set_tooltip_text (value, _("This figure comes from the backend and is missing, "
                                          "or there were no visits to measure"));
  return row;
}

/* Top-5 problems and process health of the region at the evaluation's now. */
static void
_fill_process (FlRegionPane *self,
               gint64        now)
{
  FlStore *store = fl_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  FlProcessMetric metrics[FL_N_PROCESS_METRICS];

  problems = fl_process_top_problems (store, self->region, now, N_PROBLEMS, &error);
  if (problems == NULL)
    {
      g_warning ("%s", error->message);
      g_clear_error (&error);
    }
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->problems_list),
                         _problem_row_new (g_ptr_array_index (problems, i)));
  gtk_widget_set_visible (self->problems_list, problems != NULL && problems->len > 0);
  gtk_widget_set_visible (self->problems_empty, problems == NULL || problems->len == 0);
  gtk_widget_set_visible (self->problems_section, TRUE);

  if (!fl_process_health (store, self->region, now, metrics, &error))
    {
      g_warning ("%s", error->message);
      gtk_widget_set_visible (self->health_section, FALSE);
      return;
    }
  for (guint i = 0; i < FL_N_PROCESS_METRICS; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->health_list), _health_row_new (&metrics[i]));
  gtk_widget_set_visible (self->health_section, TRUE);
}

/* Back to the main page when the item shown in detail is gone or belongs to
 * another region. */
static void
_check_detail (FlRegionPane *self,
               FlEvaluation *evaluation)
{
  const char *alert_id = fl_item_detail_get_alert_id (FL_ITEM_DETAIL (self->item_detail));
  FlAlert *alert = NULL;

  if (evaluation != NULL && alert_id != NULL)
    alert = fl_evaluation_find_alert (evaluation, alert_id);
  if (alert != NULL && g_strcmp0 (alert->region, self->region) == 0)
    return;
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->main_page);
  fl_item_detail_set_alert_id (FL_ITEM_DETAIL (self->item_detail), NULL);
}

static void
_refill (FlRegionPane *self)
{
  FlEvaluation *evaluation = NULL;
  FlRegionState *state = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GStrvBuilder) top_ids = g_strv_builder_new ();
  guint n_actioned = 0;

  _clear_list (self->top_list);
  _clear_list (self->pending_list);
  _clear_list (self->actioned_list);
  _clear_list (self->problems_list);
  _clear_list (self->health_list);
  self->n_pending_rows = 0;
  self->n_actioned_rows = 0;

  if (self->context != NULL)
    evaluation = fl_context_get_evaluation (self->context);
  if (evaluation != NULL && self->region != NULL)
    state = fl_evaluation_find_region (evaluation, self->region);
  _check_detail (self, evaluation);

  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (self->status_badge, status_classes[i]);

  self->has_status = state != NULL;
  self->status = state != NULL ? state->status : FL_STATUS_GREEN;
  gtk_widget_queue_draw (self->status_icon);

  if (state == NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->name_label), "");
      gtk_label_set_label (GTK_LABEL (self->status_badge), "");
      gtk_label_set_label (GTK_LABEL (self->status_detail), "");
      gtk_widget_set_visible (self->top_section, FALSE);
      gtk_widget_set_visible (self->pending_section, FALSE);
      gtk_widget_set_visible (self->actioned_section, FALSE);
      gtk_widget_set_visible (self->green_page, FALSE);
      gtk_widget_set_visible (self->counts_box, FALSE);
      gtk_widget_set_visible (self->problems_section, FALSE);
      gtk_widget_set_visible (self->health_section, FALSE);
      g_clear_pointer (&self->top_ids, g_strfreev);
      self->top_ids = g_strv_builder_end (top_ids);
      return;
    }

  /* Header: name, status badge (glyph + word), what it means. */
  {
    g_autofree char *badge = g_strdup (fl_region_status_get_label (state->status));
    g_autofree char *detail = NULL;
    guint n_categories = 0;

    for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
      if (state->pending[c] > 0)
        n_categories++;

    if (state->n_pending == 0)
      detail = g_strdup (_("Nothing needs your attention here today."));
    else
      {
        /* Translators: "6 pending items in 2 of the 3 warning categories". */
        g_autofree char *items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u pending item",
                                                               "%u pending items",
                                                               state->n_pending),
                                                  state->n_pending);
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s in %u of the 3 warning categories",
                                               "%s in %u of the 3 warning categories",
                                               n_categories),
                                  items, n_categories);
      }

    {
      const char *province = fl_store_get_province_name (fl_context_get_store (self->context));
      g_autofree char *caption = g_strdup_printf ("%s · %s", province != NULL ? province : "",
                                                  state->code);

      gtk_label_set_label (GTK_LABEL (self->toolbar_label), caption);
    }
    gtk_label_set_label (GTK_LABEL (self->name_label), state->name);
    gtk_label_set_label (GTK_LABEL (self->status_badge), badge);
    gtk_widget_add_css_class (self->status_badge, status_classes[state->status]);
    gtk_label_set_label (GTK_LABEL (self->status_detail), detail);
  }

  /* Counts per category. */
  gtk_widget_set_visible (self->counts_box, TRUE);
  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    {
      g_autofree char *count = g_strdup_printf ("%u", state->pending[c]);
      g_autofree char *a11y = g_strdup_printf ("%s: %u", fl_alert_category_get_label (c),
                                               state->pending[c]);

      gtk_label_set_label (GTK_LABEL (self->count_labels[c]), count);
      if (state->pending[c] > 0)
        gtk_widget_remove_css_class (self->count_cards[c], "zero");
      else
        gtk_widget_add_css_class (self->count_cards[c], "zero");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_cards[c]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }

  /* TOP 3, exactly the evaluation's ranking. */
  for (guint i = 0; i < state->n_top && i < G_N_ELEMENTS (state->top); i++)
    {
      gtk_list_box_append (GTK_LIST_BOX (self->top_list),
                           _top_row_new (self, state->top[i], i + 1));
      g_strv_builder_add (top_ids, state->top[i]->id);
    }
  g_clear_pointer (&self->top_ids, g_strfreev);
  self->top_ids = g_strv_builder_end (top_ids);
  gtk_widget_set_visible (self->top_section, state->n_top > 0);

  /* The full list: pending in ranking order, then the actioned ones dimmed. */
  alerts = fl_evaluation_region_alerts (evaluation, self->region, FALSE);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (alerts, i);

      if (alert->actioned)
        {
          gtk_list_box_append (GTK_LIST_BOX (self->actioned_list), _list_row_new (self, alert));
          n_actioned++;
        }
      else
        {
          gtk_list_box_append (GTK_LIST_BOX (self->pending_list), _pending_row_new (self, alert));
          self->n_pending_rows++;
        }
    }
  self->n_actioned_rows = n_actioned;

  {
    g_autofree char *pending = g_strdup_printf (_("All Pending (%u)"), self->n_pending_rows);
    g_autofree char *actioned = g_strdup_printf (_("Actioned (%u)"), n_actioned);

    gtk_label_set_label (GTK_LABEL (self->pending_heading), pending);
    gtk_label_set_label (GTK_LABEL (self->actioned_heading), actioned);
  }
  gtk_widget_set_visible (self->pending_section, self->n_pending_rows > 0);
  gtk_widget_set_visible (self->actioned_section, n_actioned > 0);

  gtk_widget_set_visible (self->green_page, state->n_pending == 0);
  if (state->n_pending == 0)
    {
      g_autofree char *description =
        /* Translators: %s is a city name. */
        g_strdup_printf (_("Every customer, opportunity and team in %s is on track."),
                         state->name);
      gtk_label_set_label (GTK_LABEL (self->green_description), description);
    }

  {
    gint64 started = g_get_monotonic_time ();

    _fill_process (self, evaluation->now);
    g_debug ("Region pane %s: problems and process health in %.1f ms", self->region,
             (g_get_monotonic_time () - started) / 1000.0);
  }
}

/* The map's own status glyph (circle ✓, triangle !, octagon ‼) in the palette colour. */
static void
_draw_status_icon (GtkDrawingArea *area,
                   cairo_t        *cr,
                   int             width,
                   int             height,
                   gpointer        user_data)
{
  FlRegionPane *self = FL_REGION_PANE (user_data);
  FlPalette palette = self->context != NULL ? fl_context_get_palette (self->context)
                                            : FL_PALETTE_GNOME;

  if (!self->has_status)
    return;
  fl_region_draw_status_icon (cr, palette, self->status, width / 2.0, height / 2.0,
                              MIN (width, height) - 2);
}

static GtkWidget *
_count_card_new (FlRegionPane    *self,
                 FlAlertCategory  category)
{
  GtkWidget *card, *top, *icon, *count, *label;

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "count-card");

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_halign (top, GTK_ALIGN_CENTER);
  icon = gtk_image_new_from_icon_name (_category_icon_name (category));
  gtk_widget_add_css_class (icon, "count-icon");
  gtk_box_append (GTK_BOX (top), icon);
  count = gtk_label_new ("0");
  gtk_widget_add_css_class (count, "count");
  gtk_box_append (GTK_BOX (top), count);
  gtk_box_append (GTK_BOX (card), top);

  label = gtk_label_new (fl_alert_category_get_label (category));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 10);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (card), label);

  self->count_labels[category] = count;
  self->count_cards[category] = card;
  return card;
}

static void
_update_palette (FlRegionPane *self)
{
  gtk_widget_queue_draw (self->status_icon);
  if (self->context != NULL && fl_context_get_palette (self->context) == FL_PALETTE_COLORBLIND)
    gtk_widget_add_css_class (GTK_WIDGET (self), "palette-colorblind");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "palette-colorblind");
}

/* callbacks */

static void
on_palette_changed_cb (FlRegionPane *self,
                       GParamSpec   *pspec,
                       FlContext    *context)
{
  _update_palette (self);
}

static void
on_row_activated_cb (FlRegionPane  *self,
                     GtkListBoxRow *row,
                     GtkListBox    *list)
{
  const char *alert_id = g_object_get_data (G_OBJECT (row), "alert-id");

  if (alert_id == NULL)
    return;
  fl_item_detail_set_alert_id (FL_ITEM_DETAIL (self->item_detail), alert_id);
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->item_detail);
}

static void
on_item_detail_back_cb (FlRegionPane *self,
                        FlItemDetail *detail)
{
  adw_leaflet_navigate (ADW_LEAFLET (self->leaflet), ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_context_changed_cb (FlRegionPane *self,
                       FlContext    *context)
{
  _refill (self);
}

/* overrides */

/* The pane asks for its design width (~380 px) whatever its labels would like,
 * so the map keeps the rest; it never goes below what its content needs. */
static void
fl_region_pane_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int child_min = 0, child_nat = 0;

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (child_min, PANE_WIDTH);
      *natural = *minimum;
    }
  else
    {
      *minimum = child_min;
      *natural = child_nat;
    }
}

static void
fl_region_pane_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
fl_region_pane_dispose (GObject *object)
{
  FlRegionPane *self = FL_REGION_PANE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_REGION_PANE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (fl_region_pane_parent_class)->dispose (object);
}

static void
fl_region_pane_finalize (GObject *object)
{
  FlRegionPane *self = FL_REGION_PANE (object);

  g_free (self->region);
  g_strfreev (self->top_ids);

  G_OBJECT_CLASS (fl_region_pane_parent_class)->finalize (object);
}

static void
fl_region_pane_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FlRegionPane *self = FL_REGION_PANE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_region_pane_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FlRegionPane *self = FL_REGION_PANE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      fl_region_pane_set_context (self, g_value_get_object (value));
      break;
    case PROP_REGION:
      fl_region_pane_set_region (self, g_value_get_string (value));
      break;
    case PROP_FOLDED:
      fl_region_pane_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_region_pane_class_init (FlRegionPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_region_pane_dispose;
  object_class->finalize = fl_region_pane_finalize;
  object_class->get_property = fl_region_pane_get_property;
  object_class->set_property = fl_region_pane_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FL_TYPE_ITEM_DETAIL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fieldlight/Fieldlight/fl-region-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, actioned_heading);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, actioned_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, actioned_section);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, back_button);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, close_button);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, counts_box);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, green_description);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, green_page);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, health_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, health_section);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, item_detail);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, leaflet);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, main_page);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, name_label);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, pending_heading);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, pending_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, pending_section);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, problems_empty);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, problems_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, problems_section);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, status_badge);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, status_detail);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, top_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, toolbar_label);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, top_section);
  gtk_widget_class_bind_template_callback (widget_class, on_item_detail_back_cb);

  widget_class->measure = fl_region_pane_measure;
  widget_class->size_allocate = fl_region_pane_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "regionpane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fl_region_pane_init (FlRegionPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->status_icon), _draw_status_icon,
                                  self, NULL);
  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    gtk_box_append (GTK_BOX (self->counts_box), _count_card_new (self, c));
  g_signal_connect_object (self->top_list, "row-activated", G_CALLBACK (on_row_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pending_list, "row-activated",
                           G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);
  self->top_ids = g_new0 (char *, 1);
  _refill (self);
}

/* public API */

GtkWidget *
fl_region_pane_new (void)
{
  return g_object_new (FL_TYPE_REGION_PANE, NULL);
}

FlContext *
fl_region_pane_get_context (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), NULL);
  return self->context;
}

void
fl_region_pane_set_context (FlRegionPane *self,
                            FlContext    *context)
{
  g_return_if_fail (FL_IS_REGION_PANE (self));
  g_return_if_fail (context == NULL || FL_IS_CONTEXT (context));

  if (self->context == context)
    return;
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->context, on_palette_changed_cb, self);
    }
  g_set_object (&self->context, context);
  fl_item_detail_set_context (FL_ITEM_DETAIL (self->item_detail), context);
  if (context != NULL)
    {
      g_signal_connect_object (context, "changed", G_CALLBACK (on_context_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (context, "notify::palette", G_CALLBACK (on_palette_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  _update_palette (self);
  _refill (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

const char *
fl_region_pane_get_region (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), NULL);
  return self->region;
}

void
fl_region_pane_set_region (FlRegionPane *self,
                           const char   *code)
{
  g_return_if_fail (FL_IS_REGION_PANE (self));

  if (g_strcmp0 (self->region, code) == 0)
    return;
  g_free (self->region);
  self->region = g_strdup (code);
  _refill (self);
  /* A new region starts at its top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

gboolean
fl_region_pane_get_folded (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), FALSE);
  return self->folded;
}

void
fl_region_pane_set_folded (FlRegionPane *self,
                           gboolean      folded)
{
  g_return_if_fail (FL_IS_REGION_PANE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;
  self->folded = folded;
  gtk_widget_set_visible (self->back_button, folded);
  gtk_widget_set_visible (self->close_button, !folded);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

gboolean
fl_region_pane_navigate_back (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), FALSE);

  if (adw_leaflet_get_visible_child (ADW_LEAFLET (self->leaflet)) == self->main_page)
    return FALSE;
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->main_page);
  return TRUE;
}

const char * const *
fl_region_pane_get_top_ids (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), NULL);
  return (const char * const *) self->top_ids;
}

guint
fl_region_pane_get_n_pending_rows (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), 0);
  return self->n_pending_rows;
}

guint
fl_region_pane_get_n_actioned_rows (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), 0);
  return self->n_actioned_rows;
}
