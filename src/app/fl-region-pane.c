/* fl-region-pane.c — one prefecture: status, counts, TOP 3, the full list,
 * its customers’ problems of the week and its process health
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-alert-row.h"
#include "fl-category-page.h"
#include "fl-category-profile.h"
#include "fl-customer-page.h"
#include "fl-execute-button.h"
#include "fl-format.h"
#include "fl-frame.h"
#include "fl-item-detail.h"
#include "fl-pilot-page.h"
#include "fl-region-layer.h"
#include "fl-region-pane.h"
#include "fl-rep-page.h"
#include "fl-subject-page.h"
#include "fl-text.h"
#include "fl-tooltip.h"

/* One page of the pane's stack. The main page (the region) is entry 0. */
typedef struct
{
  GtkWidget *page;    /* owned by the leaflet; the main page for entry 0 */
  char      *link;    /* NULL for the main page */
} NavEntry;

static void
_nav_entry_free (NavEntry *entry)
{
  g_free (entry->link);
  g_free (entry);
}

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
  GtkWidget    *crumbs_box;
  GtkWidget    *green_description;
  GtkWidget    *green_page;
  GtkWidget    *health_list;
  GtkWidget    *health_section;
  GtkWidget    *leaflet;
  GtkWidget    *main_page;
  GtkWidget    *name_label;
  GtkWidget    *pending_heading;
  GtkWidget    *pending_list;
  GtkWidget    *pending_section;
  GtkWidget    *problems_empty;
  GtkWidget    *problems_list;
  GtkWidget    *problems_section;
  GtkWidget    *status_badge;
  GtkWidget    *status_detail;
  GtkWidget    *status_icon;
  GtkWidget    *top_list;
  GtkWidget    *top_section;

  /* owned */
  FlContext    *context;
  char         *region;
  char         *region_name;
  GPtrArray    *entries;        /* NavEntry*: the stack, main page first */
  guint         current;        /* index of the page shown */
  guint         prune_idle_id;
  GCancellable *process_cancellable;
  gpointer      process_job;    /* the ProcessJob awaited (owned by its task) */
  char         *process_key;    /* what the figures shown (or awaited) are of */
  guint         tail_tick_id;   /* the lists wait for the frame after the head's */
  gboolean      lists_deferred; /* a new region: its lists after its first frame */
  guint         refill_tick_id; /* a change: the pane after the frame that shows the map */
  gboolean      show_all;       /* the full lists beyond MAX_LIST_ROWS */
  GPtrArray    *doomed;         /* GtkWidget* (refs): pages to take out of the leaflet */
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
#define MAX_LIST_ROWS 10

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
_dup_tooltip (FlRegionPane  *self,
              const FlAlert *alert)
{
  g_autofree char *exact = fl_format_exact_time (alert->raised,
                                                 fl_context_get_time_zone (self->context));
  /* Translators: %s is an exact date and time. */
  g_autofree char *raised = g_strdup_printf (_("Raised on %s"), exact);

  return g_strdup_printf ("%s\n%s", _value_explanation (alert->category), raised);
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

/* One row of a list as it will be shown: what tells whether a row already
 * there can stay (its key), and the texts both the key and the row need. */
typedef enum
{
  ROW_TOP,
  ROW_PENDING,
  ROW_ACTIONED,
  ROW_SHOW_ALL
} RowKind;

typedef struct
{
  RowKind        kind;
  const FlAlert *alert;     /* NULL for ROW_SHOW_ALL */
  guint          number;    /* the rank (ROW_TOP), the number of items (ROW_SHOW_ALL) */
  char          *title;
  char          *meta;
  char          *key;
} RowSpec;

static void
_row_spec_free (RowSpec *spec)
{
  g_free (spec->title);
  g_free (spec->meta);
  g_free (spec->key);
  g_free (spec);
}

static RowSpec *
_row_spec_new (FlRegionPane  *self,
               RowKind        kind,
               const FlAlert *alert,
               guint          number)
{
  RowSpec *spec = g_new0 (RowSpec, 1);
  const FlSuggestion *suggestion;

  spec->kind = kind;
  spec->alert = alert;
  spec->number = number;
  if (kind == ROW_SHOW_ALL)
    {
      spec->key = g_strdup_printf ("%d|%u", kind, number);
      return spec;
    }
  suggestion = kind != ROW_ACTIONED ? fl_context_get_suggestion (self->context, alert->id) : NULL;
  spec->title = fl_alert_dup_display_title (self->context, alert);
  spec->meta = fl_alert_dup_meta (self->context, alert);
  /* Everything the row shows but the rank (updated in place). */
  spec->key = g_strdup_printf ("%d|%s|%d|%" G_GINT64_FORMAT "|%s|%s|%d|%s", kind, alert->id,
                               alert->actioned, alert->raised, spec->title, spec->meta,
                               suggestion != NULL ? (int) suggestion->kind : -1,
                               suggestion != NULL && suggestion->text != NULL
                               ? suggestion->text : "");
  return spec;
}

static void
_set_rank (GtkWidget *row,
           guint      rank)
{
  GtkWidget *rank_label = g_object_get_data (G_OBJECT (row), "rank-label");
  g_autofree char *rank_text = g_strdup_printf ("%u", rank);
  g_autofree char *rank_class = g_strdup_printf ("rank-%u", rank);
  const char *old_class = g_object_get_data (G_OBJECT (row), "rank-class");

  if (rank_label == NULL || g_strcmp0 (old_class, rank_class) == 0)
    return;
  if (old_class != NULL)
    gtk_widget_remove_css_class (rank_label, old_class);
  gtk_widget_add_css_class (rank_label, rank_class);
  gtk_label_set_label (GTK_LABEL (rank_label), rank_text);
  g_object_set_data_full (G_OBJECT (row), "rank-class", g_steal_pointer (&rank_class), g_free);
}

static GtkWidget *
_top_row_new (FlRegionPane  *self,
              const RowSpec *spec)
{
  const FlAlert *alert = spec->alert;
  const char *title = spec->title;
  g_autofree char *money = fl_format_money (alert->value_at_risk);
  g_autofree char *money_bold = g_markup_printf_escaped ("<b>%s</b>", money);
  g_autofree char *at_risk = NULL;
  g_autofree char *when = fl_format_relative_time (alert->raised,
                                                   fl_context_get_now (self->context));
  g_autofree char *tooltip = _dup_tooltip (self, alert);
  GtkWidget *row, *box, *rank_label, *text_box, *category_box, *icon, *label;

  row = gtk_list_box_row_new ();
  fl_tooltip_set (row, tooltip);
  gtk_widget_add_css_class (row, "top-row");
  g_object_set_data_full (G_OBJECT (row), "alert-id", g_strdup (alert->id), g_free);

  box = fl_row_grid_new (row, 14, 12);

  rank_label = gtk_label_new (NULL);
  gtk_widget_set_valign (rank_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (rank_label, "rank-badge");
  gtk_grid_attach (GTK_GRID (box), rank_label, 0, 0, 1, 1);
  g_object_set_data (G_OBJECT (row), "rank-label", rank_label);
  _set_rank (row, spec->number);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_grid_attach (GTK_GRID (box), text_box, 1, 0, 1, 1);

  /* Category on the left, age on the right. */
  category_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (category_box, "dim-label");
  icon = gtk_image_new_from_icon_name (fl_alert_category_icon_name (alert->category));
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

  gtk_box_append (GTK_BOX (text_box), fl_wrapped_label_new (title, "top-title"));

  /* Translators: %s is an amount of money, e.g. "80,000 CNY". */
  at_risk = g_strdup_printf (_("%s at risk"), money_bold);
  label = fl_text_new (NULL);
  fl_text_set_markup (FL_TEXT (label), at_risk);
  gtk_widget_add_css_class (label, "top-meta");
  gtk_box_append (GTK_BOX (text_box), label);

  label = fl_suggestion_label_new (self->context, alert);
  if (label != NULL)
    gtk_box_append (GTK_BOX (text_box), label);
  gtk_box_append (GTK_BOX (text_box), _execute_button_new (self, alert));
  gtk_grid_attach (GTK_GRID (box), fl_chevron_new (_("Show the Evidence")), 2, 0, 1, 1);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  return row;
}

/* A pending item: title, value and age, the advice and "Execute". */
static GtkWidget *
_pending_row_new (FlRegionPane  *self,
                  const RowSpec *spec)
{
  g_autofree char *tooltip = _dup_tooltip (self, spec->alert);
  GtkWidget *row = fl_alert_row_new (self->context, spec->alert, spec->title, "pending-title",
                                     spec->meta, FL_ALERT_ROW_DEFAULT);

  fl_tooltip_set (row, tooltip);
  gtk_widget_add_css_class (row, "pending-row");
  return row;
}

/* The last row of a list cut at MAX_LIST_ROWS. */
static GtkWidget *
_show_all_row_new (guint n_items)
{
  g_autofree char *text = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label;

  /* Translators: the last row of a long list in the region pane. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show All %u Item", "Show All %u Items",
                                       n_items), n_items);
  label = gtk_label_new (text);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_add_css_class (label, "accent");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_widget_add_css_class (row, "show-all-row");
  g_object_set_data (G_OBJECT (row), "show-all", GINT_TO_POINTER (TRUE));
  return row;
}

/* An actioned item, dimmed. */
static GtkWidget *
_list_row_new (FlRegionPane  *self,
               const RowSpec *spec)
{
  const FlAlert *alert = spec->alert;
  g_autofree char *escaped = g_markup_escape_text (spec->title, -1);
  g_autofree char *meta = g_strdup (spec->meta);
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
  fl_tooltip_set (row, tooltip);
  g_object_set_data_full (G_OBJECT (row), "alert-id", g_strdup (alert->id), g_free);

  icon = gtk_image_new_from_icon_name (fl_alert_category_icon_name (alert->category));
  fl_tooltip_set (icon, fl_alert_category_get_label (alert->category));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (alert->actioned)
    {
      GtkWidget *done = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_widget_add_css_class (row, "actioned");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), done);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), fl_chevron_new (_("Show the Evidence")));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static GtkWidget *
_row_new (FlRegionPane  *self,
          const RowSpec *spec)
{
  switch (spec->kind)
    {
    case ROW_TOP:
      return _top_row_new (self, spec);
    case ROW_PENDING:
      return _pending_row_new (self, spec);
    case ROW_ACTIONED:
      return _list_row_new (self, spec);
    case ROW_SHOW_ALL:
    default:
      return _show_all_row_new (spec->number);
    }
}

/* Makes @list show the rows of @specs (RowSpec*) in their order: a row whose
 * key is unchanged stays (an execution moves one row, it does not rebuild the
 * pane: every row is a few dozen widgets to build and to measure). */
static void
_sync_list (FlRegionPane *self,
            GtkWidget    *list,
            GPtrArray    *specs)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *child, *next;

  for (guint i = 0; i < specs->len; i++)
    g_hash_table_add (wanted, ((RowSpec *) g_ptr_array_index (specs, i))->key);
  for (child = gtk_widget_get_first_child (list); child != NULL; child = next)
    {
      const char *key = g_object_get_data (G_OBJECT (child), "row-key");

      next = gtk_widget_get_next_sibling (child);
      if (!GTK_IS_LIST_BOX_ROW (child))
        continue;
      if (key == NULL || !g_hash_table_contains (wanted, key)
          || g_hash_table_contains (kept, key))
        gtk_list_box_remove (GTK_LIST_BOX (list), child);
      else
        g_hash_table_insert (kept, (gpointer) key, child);
    }

  for (guint i = 0; i < specs->len; i++)
    {
      RowSpec *spec = g_ptr_array_index (specs, i);
      GtkWidget *row = g_hash_table_lookup (kept, spec->key);
      GtkListBoxRow *at = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) i);

      if (row == NULL)
        {
          row = _row_new (self, spec);
          g_object_set_data_full (G_OBJECT (row), "row-key", g_strdup (spec->key), g_free);
          gtk_list_box_insert (GTK_LIST_BOX (list), row, (int) i);
        }
      else if (row != GTK_WIDGET (at))
        {
          g_object_ref (row);
          gtk_list_box_remove (GTK_LIST_BOX (list), row);
          gtk_list_box_insert (GTK_LIST_BOX (list), row, (int) i);
          g_object_unref (row);
        }
      if (spec->kind == ROW_TOP)
        _set_rank (row, spec->number);
    }
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
      fl_tooltip_set (icon, meaning);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      meaning, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }
  else
    fl_tooltip_set (value, _("This figure comes from the backend and is missing, "
                             "or there were no visits to measure"));
  return row;
}

/* Top-5 problems and process health of the region at the evaluation's now:
 * queried in a worker on a pooled connection when the cache is a file (they
 * read a week of visits: ~100 ms on 1,000,000 visits, more than a frame). */
typedef struct
{
  char            *path;
  char            *region;
  gint64           now;
  FlStorePool     *pool;
  GPtrArray       *problems;      /* FlProblemCount*, NULL on error */
  gboolean         has_health;
  FlProcessMetric  metrics[FL_N_PROCESS_METRICS];
} ProcessJob;

static void
_process_job_free (ProcessJob *job)
{
  g_free (job->path);
  g_free (job->region);
  g_clear_object (&job->pool);
  g_clear_pointer (&job->problems, g_ptr_array_unref);
  g_free (job);
}

/* A query that fails is said in the log; one stopped (@cancellable) is not. */
static void
_process_job_run (ProcessJob   *job,
                  FlStore      *store,
                  GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  job->problems = fl_process_top_problems (store, job->region, job->now, N_PROBLEMS, &error);
  if (job->problems == NULL && !g_cancellable_is_cancelled (cancellable))
    g_warning ("%s", error->message);
  g_clear_error (&error);
  job->has_health = fl_process_health (store, job->region, job->now, job->metrics, &error);
  if (!job->has_health && !g_cancellable_is_cancelled (cancellable))
    g_warning ("%s", error->message);
}

/* On a connection of the context's pool, stopped when the pane moves on. */
static void
_process_job_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ProcessJob *job = task_data;
  g_autoptr(GError) error = NULL;
  FlStore *store = fl_store_pool_take (job->pool, job->path, cancellable, &error);

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _process_job_run (job, store, cancellable);
  fl_store_pool_give_back (job->pool, store);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static void
_show_process (FlRegionPane *self,
               ProcessJob   *job)
{
  _clear_list (self->problems_list);
  _clear_list (self->health_list);
  for (guint i = 0; job->problems != NULL && i < job->problems->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->problems_list),
                         _problem_row_new (g_ptr_array_index (job->problems, i)));
  gtk_widget_set_visible (self->problems_list, job->problems != NULL && job->problems->len > 0);
  gtk_widget_set_visible (self->problems_empty, job->problems == NULL || job->problems->len == 0);
  gtk_widget_set_visible (self->problems_section, TRUE);

  for (guint i = 0; job->has_health && i < FL_N_PROCESS_METRICS; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->health_list), _health_row_new (&job->metrics[i]));
  gtk_widget_set_visible (self->health_section, job->has_health);
}

static void
on_process_done_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FlRegionPane *self = FL_REGION_PANE (source_object);
  ProcessJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Region pane %s: %s", job->region, error->message);
      return;
    }
  /* A newer request (another region, a re-evaluation) replaced this one. */
  if (self->process_job != job)
    return;
  self->process_job = NULL;
  _show_process (self, job);
}

static void
_cancel_process (FlRegionPane *self)
{
  g_cancellable_cancel (self->process_cancellable);
  g_clear_object (&self->process_cancellable);
  self->process_job = NULL;
  g_clear_pointer (&self->process_key, g_free);
}

/* The start of the key of the process figures: the cache and the region. */
static char *
_dup_process_prefix (FlRegionPane *self)
{
  return g_strdup_printf ("%p|%s|", (void *) fl_context_get_store (self->context), self->region);
}

/* The figures depend on the region, "now" and the data, not on the actions:
 * an execution (and the evaluation after it) keeps those shown. */
static void
_fill_process (FlRegionPane *self,
               gint64        now)
{
  FlStore *store = fl_context_get_store (self->context);
  const char *path = fl_store_get_path (store);
  g_autofree char *region_prefix = _dup_process_prefix (self);
  g_autofree char *key = g_strdup_printf ("%s%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                                          region_prefix, now,
                                          fl_context_get_data_time (self->context));
  gboolean same_region = self->process_key != NULL
                         && g_str_has_prefix (self->process_key, region_prefix);
  g_autoptr(GTask) task = NULL;
  ProcessJob *job;

  if (g_strcmp0 (key, self->process_key) == 0)
    return;
  _cancel_process (self);
  self->process_key = g_steal_pointer (&key);

  job = g_new0 (ProcessJob, 1);
  job->path = g_strdup (path);
  job->region = g_strdup (self->region);
  job->now = now;
  if (path == NULL)
    {
      /* The in-memory demo: small, and no other connection can see it. */
      _process_job_run (job, store, NULL);
      _show_process (self, job);
      _process_job_free (job);
      return;
    }
  /* Until the figures arrive, no stale ones from another region (those of
   * this region a minute ago stay). */
  if (!same_region)
    {
      gtk_widget_set_visible (self->problems_section, FALSE);
      gtk_widget_set_visible (self->health_section, FALSE);
    }
  job->pool = g_object_ref (fl_context_get_reader_pool (self->context));
  self->process_cancellable = g_cancellable_new ();
  self->process_job = job;
  task = g_task_new (self, self->process_cancellable, on_process_done_cb, NULL);
  g_task_set_source_tag (task, _fill_process);
  g_task_set_task_data (task, job, (GDestroyNotify) _process_job_free);
  g_task_run_in_thread (task, _process_job_thread);
}

/* The full lists (pending, then actioned) of the region; RowSpec* arrays. */
static void
_list_specs (FlRegionPane *self,
             GPtrArray    *alerts,
             GPtrArray    *pending,
             GPtrArray    *actioned)
{
  guint n_pending = 0, n_actioned = 0;

  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (alerts, i);

      if (alert->actioned)
        {
          if (self->show_all || n_actioned < MAX_LIST_ROWS)
            g_ptr_array_add (actioned, _row_spec_new (self, ROW_ACTIONED, alert, 0));
          n_actioned++;
        }
      else
        {
          if (self->show_all || n_pending < MAX_LIST_ROWS)
            g_ptr_array_add (pending, _row_spec_new (self, ROW_PENDING, alert, 0));
          n_pending++;
        }
    }
  if (!self->show_all && n_pending > MAX_LIST_ROWS)
    g_ptr_array_add (pending, _row_spec_new (self, ROW_SHOW_ALL, NULL, n_pending));
  if (!self->show_all && n_actioned > MAX_LIST_ROWS)
    g_ptr_array_add (actioned, _row_spec_new (self, ROW_SHOW_ALL, NULL, n_actioned));
}

static void
_cancel_tail (FlRegionPane *self)
{
  fl_frame_cancel (GTK_WIDGET (self), &self->tail_tick_id);
  self->lists_deferred = FALSE;
}

/* The lists below the TOP 3 and the process figures: at once, or (a new
 * region) after the frame that shows its head. */
static void
_fill_tail (FlRegionPane *self)
{
  FlEvaluation *evaluation = self->context != NULL ? fl_context_get_evaluation (self->context)
                                                   : NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) _row_spec_free);
  g_autoptr(GPtrArray) actioned = g_ptr_array_new_with_free_func ((GDestroyNotify) _row_spec_free);
  gint64 started = g_get_monotonic_time ();

  _cancel_tail (self);
  if (evaluation == NULL || self->region == NULL
      || fl_evaluation_find_region (evaluation, self->region) == NULL)
    return;

  alerts = fl_evaluation_region_alerts (evaluation, self->region, FALSE);
  _list_specs (self, alerts, pending, actioned);
  _sync_list (self, self->pending_list, pending);
  _sync_list (self, self->actioned_list, actioned);
  gtk_widget_set_visible (self->pending_section, self->n_pending_rows > 0);
  gtk_widget_set_visible (self->actioned_section, self->n_actioned_rows > 0);
  _fill_process (self, evaluation->now);
  g_debug ("Region pane %s: lists in %.1f ms", self->region,
           (g_get_monotonic_time () - started) / 1000.0);
}

static void
_tail_frame_cb (GtkWidget *widget,
                gpointer   user_data)
{
  FlRegionPane *self = FL_REGION_PANE (widget);

  self->tail_tick_id = 0;
  _fill_tail (self);
}

/* A click on a region shows its status, counts and TOP 3 in the next frame,
 * the rows below them (out of view) at the start of the frame after it, where
 * they are laid out and drawn: no frame leaves work queued for after it.
 * Without a window on screen, at once. */
static void
_schedule_tail (FlRegionPane *self)
{
  if (self->tail_tick_id != 0)
    return;
  self->lists_deferred = TRUE;
  self->tail_tick_id = fl_frame_call_after_next (GTK_WIDGET (self), _tail_frame_cb, NULL, NULL);
}

static void _refill_now (FlRegionPane *self);

static void
_refill (FlRegionPane *self)
{
  gint64 started = g_get_monotonic_time ();

  _refill_now (self);
  g_debug ("Region pane %s: refilled in %.1f ms", self->region != NULL ? self->region : "-",
           (g_get_monotonic_time () - started) / 1000.0);
}

static void
_refill_now (FlRegionPane *self)
{
  FlEvaluation *evaluation = NULL;
  FlRegionState *state = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) top = g_ptr_array_new_with_free_func ((GDestroyNotify) _row_spec_free);
  g_autoptr(GStrvBuilder) top_ids = g_strv_builder_new ();
  guint n_pending = 0, n_actioned = 0;

  if (self->context != NULL)
    evaluation = fl_context_get_evaluation (self->context);
  if (evaluation != NULL && self->region != NULL)
    state = fl_evaluation_find_region (evaluation, self->region);

  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (self->status_badge, status_classes[i]);

  self->has_status = state != NULL;
  self->status = state != NULL ? state->status : FL_STATUS_GREEN;
  gtk_widget_queue_draw (self->status_icon);

  g_clear_pointer (&self->region_name, g_free);
  if (state != NULL)
    self->region_name = g_strdup (state->name);
  else if (self->context != NULL && self->region != NULL)
    self->region_name = fl_store_dup_region_name (fl_context_get_store (self->context),
                                                  self->region);

  if (state == NULL)
    {
      _cancel_process (self);
      _cancel_tail (self);
      _clear_list (self->top_list);
      _clear_list (self->pending_list);
      _clear_list (self->actioned_list);
      _clear_list (self->problems_list);
      _clear_list (self->health_list);
      self->n_pending_rows = 0;
      self->n_actioned_rows = 0;
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
      g_ptr_array_add (top, _row_spec_new (self, ROW_TOP, state->top[i], i + 1));
      g_strv_builder_add (top_ids, state->top[i]->id);
    }
  _sync_list (self, self->top_list, top);
  g_clear_pointer (&self->top_ids, g_strfreev);
  self->top_ids = g_strv_builder_end (top_ids);
  gtk_widget_set_visible (self->top_section, state->n_top > 0);

  /* The full lists: pending in ranking order, then the actioned ones dimmed.
   * Long lists (a big region) show their first MAX_LIST_ROWS rows and "Show
   * all": every row costs a frame's worth of widgets at a few hundred. */
  alerts = fl_evaluation_region_alerts (evaluation, self->region, FALSE);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      if (((const FlAlert *) g_ptr_array_index (alerts, i))->actioned)
        n_actioned++;
      else
        n_pending++;
    }
  self->n_pending_rows = n_pending;
  self->n_actioned_rows = n_actioned;
  {
    g_autofree char *pending = g_strdup_printf (_("All Pending (%u)"), n_pending);
    g_autofree char *actioned = g_strdup_printf (_("Actioned (%u)"), n_actioned);

    gtk_label_set_label (GTK_LABEL (self->pending_heading), pending);
    gtk_label_set_label (GTK_LABEL (self->actioned_heading), actioned);
  }

  gtk_widget_set_visible (self->green_page, state->n_pending == 0);
  if (state->n_pending == 0)
    {
      g_autofree char *description =
        /* Translators: %s is a city name. */
        g_strdup_printf (_("Every customer, opportunity and team in %s is on track."),
                         state->name);
      gtk_label_set_label (GTK_LABEL (self->green_description), description);
    }

  if (self->lists_deferred)
    {
      g_autofree char *region_prefix = _dup_process_prefix (self);

      /* Another region's rows and figures: out of sight until this region's are in. */
      gtk_widget_set_visible (self->pending_section, FALSE);
      gtk_widget_set_visible (self->actioned_section, FALSE);
      if (self->process_key == NULL || !g_str_has_prefix (self->process_key, region_prefix))
        {
          gtk_widget_set_visible (self->problems_section, FALSE);
          gtk_widget_set_visible (self->health_section, FALSE);
        }
      _schedule_tail (self);
    }
  else
    _fill_tail (self);
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
  icon = gtk_image_new_from_icon_name (fl_alert_category_icon_name (category));
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

/* navigation: a stack of pages with breadcrumbs */

static void on_page_open_link_cb (FlRegionPane *self,
                                  const char   *link,
                                  GtkWidget    *page);
static void _rebuild_crumbs      (FlRegionPane *self);

/* More crumbs than this: the middle ones fold into "…". */
#define MAX_CRUMBS 4

static NavEntry *
_entry (FlRegionPane *self,
        guint         index)
{
  return g_ptr_array_index (self->entries, index);
}

/* The crumb of a page: the region's name, the item's category, the subject's name. */
static const char *
_entry_title (FlRegionPane *self,
              NavEntry     *entry)
{
  const char *title = NULL;

  if (entry->link == NULL)
    title = self->region_name != NULL ? self->region_name : self->region;
  else if (FL_IS_ITEM_DETAIL (entry->page))
    title = fl_item_detail_get_title (FL_ITEM_DETAIL (entry->page));
  else if (FL_IS_CUSTOMER_PAGE (entry->page))
    title = fl_customer_page_get_title (FL_CUSTOMER_PAGE (entry->page));
  else if (FL_IS_REP_PAGE (entry->page))
    title = fl_rep_page_get_title (FL_REP_PAGE (entry->page));
  else if (FL_IS_CATEGORY_PAGE (entry->page))
    title = fl_category_page_get_title (FL_CATEGORY_PAGE (entry->page));
  else if (FL_IS_PILOT_PAGE (entry->page))
    title = fl_pilot_page_get_title (FL_PILOT_PAGE (entry->page));
  if (title == NULL || *title == '\0')
    {
      const char *colon = entry->link != NULL ? strchr (entry->link, ':') : NULL;

      title = colon != NULL ? colon + 1 : "";
    }
  return title;
}

/* Pages leave the leaflet after the frame that stopped showing them, and after
 * the slide back from them: the leaflet (and the focus it moves) still refer to
 * the page left until then. */
static void
_remove_doomed (FlRegionPane *self)
{
  while (self->doomed->len > 0)
    {
      /* Out of the list first: removing a page may notify (and come back here). */
      g_autoptr(GtkWidget) page = g_ptr_array_steal_index (self->doomed, self->doomed->len - 1);

      adw_leaflet_remove (ADW_LEAFLET (self->leaflet), page);
    }
}

/* The pages above the one shown leave the stack now, the leaflet soon. */
static void _schedule_prune (FlRegionPane *self);

static void
_prune_forward (FlRegionPane *self)
{
  while (self->entries->len > self->current + 1)
    {
      NavEntry *entry = g_ptr_array_steal_index (self->entries, self->entries->len - 1);

      g_ptr_array_add (self->doomed, g_object_ref (entry->page));
      _nav_entry_free (entry);
    }
  _schedule_prune (self);
}

static gboolean
_prune_idle_cb (gpointer user_data)
{
  FlRegionPane *self = FL_REGION_PANE (user_data);

  self->prune_idle_id = 0;
  if (adw_leaflet_get_child_transition_running (ADW_LEAFLET (self->leaflet)))
    return G_SOURCE_REMOVE;   /* again at the end of the transition */
  _prune_forward (self);
  _remove_doomed (self);
  return G_SOURCE_REMOVE;
}

/* Not within the call that changed the visible page: the leaflet (and the
 * focus it moves) still refer to the page left until the next frame is done. */
static void
_schedule_prune (FlRegionPane *self)
{
  if (self->prune_idle_id != 0
      || (self->entries->len <= self->current + 1 && self->doomed->len == 0))
    return;
  self->prune_idle_id = g_idle_add_full (G_PRIORITY_LOW, _prune_idle_cb, self, NULL);
}

static void
on_transition_running_cb (FlRegionPane *self,
                          GParamSpec   *pspec,
                          AdwLeaflet   *leaflet)
{
  if (!adw_leaflet_get_child_transition_running (leaflet))
    _schedule_prune (self);
}

static void
_show_current (FlRegionPane *self)
{
  NavEntry *entry = _entry (self, self->current);

  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), entry->page);
  _schedule_prune (self);
  _rebuild_crumbs (self);
}

static void
on_crumb_clicked_cb (FlRegionPane *self,
                     GtkButton    *button)
{
  fl_region_pane_navigate_to (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button),
                                                                         "depth")));
}

static GtkWidget *
_crumb_label_new (const char *text,
                  gboolean    current)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* The current page keeps a few characters more than the crumbs before it. */
  gtk_label_set_width_chars (GTK_LABEL (label), current ? 4 : 2);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

/* A crumb that goes back to the page at @depth. */
static GtkWidget *
_crumb_button_new (FlRegionPane *self,
                   const char   *text,
                   const char   *tooltip,
                   guint         depth)
{
  GtkWidget *button = gtk_button_new ();

  gtk_button_set_child (GTK_BUTTON (button), _crumb_label_new (text, FALSE));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "crumb");
  fl_tooltip_set (button, tooltip);
  g_object_set_data (G_OBJECT (button), "depth", GUINT_TO_POINTER (depth));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_crumb_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  return button;
}

static void
_append_separator (FlRegionPane *self)
{
  GtkWidget *separator = gtk_label_new ("›");

  gtk_widget_add_css_class (separator, "dim-label");
  gtk_widget_add_css_class (separator, "crumb-separator");
  gtk_accessible_update_state (GTK_ACCESSIBLE (separator), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
  gtk_box_append (GTK_BOX (self->crumbs_box), separator);
}

/* "金华市 › 张XX超市 › 李四": every crumb but the last goes back to its page. On one
 * line: long crumbs are ellipsized, and beyond MAX_CRUMBS the middle ones fold
 * into "…" (which goes back to the last of them). */
static void
_rebuild_crumbs (FlRegionPane *self)
{
  GtkWidget *child;
  guint n = self->current + 1;

  while ((child = gtk_widget_get_first_child (self->crumbs_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->crumbs_box), child);

  for (guint i = 0; i < n; i++)
    {
      const char *title = _entry_title (self, _entry (self, i));

      if (n > MAX_CRUMBS && i == 1)
        {
          g_autoptr(GString) hidden = g_string_new (NULL);
          guint last_hidden = n - 3;

          for (guint j = 1; j <= last_hidden; j++)
            g_string_append_printf (hidden, "%s%s", j > 1 ? " › " : "",
                                    _entry_title (self, _entry (self, j)));
          _append_separator (self);
          gtk_box_append (GTK_BOX (self->crumbs_box),
                          _crumb_button_new (self, "…", hidden->str, last_hidden));
          i = last_hidden;
          continue;
        }
      if (i > 0)
        _append_separator (self);
      if (i + 1 < n)
        {
          /* Translators: tooltip of a breadcrumb; %s is the page's title. */
          g_autofree char *tooltip = g_strdup_printf (_("Back to %s"), title);

          gtk_box_append (GTK_BOX (self->crumbs_box),
                          _crumb_button_new (self, title, tooltip, i));
        }
      else
        {
          GtkWidget *label = _crumb_label_new (title, TRUE);

          gtk_widget_add_css_class (label, "heading");
          gtk_widget_add_css_class (label, "crumb-current");
          gtk_widget_set_margin_start (label, 6);
          fl_tooltip_set (label, title);
          gtk_box_append (GTK_BOX (self->crumbs_box), label);
        }
    }

  /* Back: to the page before, or (narrow window, first page) to the map. */
  gtk_widget_set_visible (self->back_button, self->current > 0 || self->folded);
  gtk_widget_set_visible (self->close_button, !self->folded);
  if (self->current > 0)
    {
      /* Translators: tooltip of the pane's back button; %s is the previous page. */
      g_autofree char *tooltip = g_strdup_printf (_("Back to %s (Alt+←)"),
                                                  _entry_title (self,
                                                                _entry (self, self->current - 1)));

      fl_tooltip_set (self->back_button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
    }
  else
    {
      fl_tooltip_set (self->back_button, _("Back to the Map"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back to the Map"), -1);
    }
}

static void
on_page_title_changed_cb (FlRegionPane *self,
                          GParamSpec   *pspec,
                          GtkWidget    *page)
{
  _rebuild_crumbs (self);
}

/* The page of @kind for @id (an opportunity: its customer's page, highlighted). */
static GtkWidget *
_page_new (FlRegionPane *self,
           FlLinkKind    kind,
           const char   *id,
           const char   *customer_id)
{
  GtkWidget *page;

  switch (kind)
    {
    case FL_LINK_ALERT:
      page = fl_item_detail_new ();
      fl_item_detail_set_context (FL_ITEM_DETAIL (page), self->context);
      fl_item_detail_set_alert_id (FL_ITEM_DETAIL (page), id);
      break;
    case FL_LINK_CUSTOMER:
    case FL_LINK_OPPORTUNITY:
      page = fl_customer_page_new ();
      fl_customer_page_set_context (FL_CUSTOMER_PAGE (page), self->context);
      fl_customer_page_set_customer_id (FL_CUSTOMER_PAGE (page),
                                        kind == FL_LINK_OPPORTUNITY ? customer_id : id);
      if (kind == FL_LINK_OPPORTUNITY)
        fl_customer_page_set_highlight (FL_CUSTOMER_PAGE (page), id);
      break;
    case FL_LINK_REP:
      page = fl_rep_page_new ();
      fl_rep_page_set_context (FL_REP_PAGE (page), self->context);
      fl_rep_page_set_rep_id (FL_REP_PAGE (page), id);
      break;
    case FL_LINK_CATEGORY:
      page = fl_category_page_new ();
      fl_category_page_set_context (FL_CATEGORY_PAGE (page), self->context);
      fl_category_page_set_category_id (FL_CATEGORY_PAGE (page), id);
      break;
    case FL_LINK_PILOT:
    default:
      page = fl_pilot_page_new ();
      fl_pilot_page_set_context (FL_PILOT_PAGE (page), self->context);
      fl_pilot_page_set_pilot_id (FL_PILOT_PAGE (page), id);
      break;
    }
  g_signal_connect_object (page, "open-link", G_CALLBACK (on_page_open_link_cb), self,
                           G_CONNECT_SWAPPED);
  if (kind != FL_LINK_ALERT)
    g_signal_connect_object (page, "notify::title", G_CALLBACK (on_page_title_changed_cb), self,
                             G_CONNECT_SWAPPED);
  return page;
}

/* Pushes the page of @link above the one shown; the pages above that go (like
 * a browser's forward history). */
static void
_push (FlRegionPane *self,
       const char   *link,
       FlLinkKind    kind,
       const char   *id,
       const char   *customer_id)
{
  NavEntry *entry;
  gint64 started = g_get_monotonic_time ();

  self->current = MIN (self->current, self->entries->len - 1);
  _prune_forward (self);
  entry = g_new0 (NavEntry, 1);
  entry->link = g_strdup (link);
  entry->page = _page_new (self, kind, id, customer_id);
  g_debug ("Region pane: page %s built in %.1f ms", link,
           (g_get_monotonic_time () - started) / 1000.0);
  /* Last: after the pages on their way out, which are above the page shown too. */
  adw_leaflet_append (ADW_LEAFLET (self->leaflet), entry->page);
  g_ptr_array_add (self->entries, entry);
  self->current = self->entries->len - 1;
  _show_current (self);
}

/* Where a link leads: FALSE for an unknown subject. @region: the subject's
 * region, NULL for a category (of the whole province) or a pilot that runs in
 * the region shown; @customer_id: an opportunity's customer. */
static gboolean
_resolve_link (FlRegionPane  *self,
               FlLinkKind     kind,
               const char    *id,
               char         **region,
               char         **customer_id)
{
  FlStore *store = fl_context_get_store (self->context);
  g_autoptr(GError) error = NULL;

  *region = NULL;
  *customer_id = NULL;
  switch (kind)
    {
    case FL_LINK_ALERT:
      {
        FlEvaluation *evaluation = fl_context_get_evaluation (self->context);
        FlAlert *alert = evaluation != NULL ? fl_evaluation_find_alert (evaluation, id) : NULL;

        if (alert == NULL)
          return FALSE;
        *region = g_strdup (alert->region);
        return TRUE;
      }
    case FL_LINK_CUSTOMER:
      {
        FlCustomer *customer = fl_store_get_customer (store, id, &error);

        if (customer == NULL)
          return FALSE;
        *region = g_strdup (customer->region);
        fl_customer_free (customer);
        return TRUE;
      }
    case FL_LINK_OPPORTUNITY:
      {
        FlOpportunity *opportunity = fl_store_get_opportunity (store, id, &error);
        FlCustomer *customer;

        if (opportunity == NULL)
          return FALSE;
        customer = fl_store_get_customer (store, opportunity->customer, &error);
        if (customer != NULL)
          {
            *region = g_strdup (customer->region);
            fl_customer_free (customer);
          }
        *customer_id = g_strdup (opportunity->customer);
        fl_opportunity_free (opportunity);
        return TRUE;
      }
    case FL_LINK_REP:
      {
        FlRep *rep = fl_store_get_rep (store, id, &error);

        if (rep == NULL)
          return FALSE;
        *region = g_strdup (rep->region);
        fl_rep_free (rep);
        return TRUE;
      }
    case FL_LINK_CATEGORY:
      {
        FlProductCategory *category = fl_store_get_category (store, id, &error);

        if (category == NULL)
          return FALSE;
        fl_product_category_free (category);
        return TRUE;
      }
    case FL_LINK_PILOT:
    default:
      {
        g_autoptr(FlPilotProfile) pilot = fl_pilot_profile_load (store, id,
                                                                 fl_context_get_now (self->context),
                                                                 &error);
        gboolean here = FALSE;

        if (pilot == NULL)
          return FALSE;
        for (guint i = 0; i < pilot->regions->len; i++)
          here |= g_strcmp0 (((FlPilotRegion *) g_ptr_array_index (pilot->regions, i))->code,
                             self->region) == 0;
        if (!here && pilot->regions->len > 0)
          *region = g_strdup (((FlPilotRegion *) g_ptr_array_index (pilot->regions, 0))->code);
        return TRUE;
      }
    }
}

static void
on_page_open_link_cb (FlRegionPane *self,
                      const char   *link,
                      GtkWidget    *page)
{
  if (!fl_region_pane_open_link (self, link))
    g_debug ("Region pane: nothing to open for “%s”", link);
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
  g_autofree char *link = NULL;

  if (g_object_get_data (G_OBJECT (row), "show-all") != NULL)
    {
      self->show_all = TRUE;
      _refill (self);
      return;
    }
  if (alert_id == NULL)
    return;
  link = fl_link_build (FL_LINK_ALERT, alert_id);
  fl_region_pane_open_link (self, link);
}

/* Back one page; on the first page of a narrow window, back to the map. */
static void
on_back_clicked_cb (FlRegionPane *self)
{
  if (!fl_region_pane_navigate_back (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.close-pane", NULL);
}

static void
_cancel_refill (FlRegionPane *self)
{
  fl_frame_cancel (GTK_WIDGET (self), &self->refill_tick_id);
}

static void
_refill_frame_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  FlRegionPane *self = FL_REGION_PANE (widget);

  self->refill_tick_id = 0;
  _refill (self);
  _rebuild_crumbs (self);
}

/* An execution, its undo, a new evaluation: the map shows it in the next frame,
 * the pane (its rows are most of a frame's work) in the frame after that.
 * Without a window on screen, at once. */
static void
on_context_changed_cb (FlRegionPane *self,
                       FlContext    *context)
{
  if (self->refill_tick_id == 0)
    self->refill_tick_id = fl_frame_call_after_next (GTK_WIDGET (self), _refill_frame_cb, NULL,
                                                     NULL);
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

  g_clear_handle_id (&self->prune_idle_id, g_source_remove);
  _cancel_process (self);
  _cancel_tail (self);
  _cancel_refill (self);
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
  g_free (self->region_name);
  g_strfreev (self->top_ids);
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->doomed);

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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fieldlight/Fieldlight/fl-region-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, actioned_heading);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, actioned_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, actioned_section);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, back_button);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, close_button);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, counts_box);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, crumbs_box);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, green_description);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, green_page);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, health_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, health_section);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, leaflet);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, main_page);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, name_label);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, pending_heading);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, pending_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, pending_section);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, problems_empty);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, problems_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, problems_section);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, status_badge);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, status_detail);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, top_list);
  gtk_widget_class_bind_template_child (widget_class, FlRegionPane, top_section);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  widget_class->measure = fl_region_pane_measure;
  widget_class->size_allocate = fl_region_pane_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "regionpane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fl_region_pane_init (FlRegionPane *self)
{
  NavEntry *main_entry = g_new0 (NavEntry, 1);

  gtk_widget_init_template (GTK_WIDGET (self));
  main_entry->page = self->main_page;
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _nav_entry_free);
  self->doomed = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->entries, main_entry);
  g_signal_connect_object (self->leaflet, "notify::child-transition-running",
                           G_CALLBACK (on_transition_running_cb), self, G_CONNECT_SWAPPED);

  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->status_icon), _draw_status_icon,
                                  self, NULL);
  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    gtk_box_append (GTK_BOX (self->counts_box), _count_card_new (self, c));
  g_signal_connect_object (self->top_list, "row-activated", G_CALLBACK (on_row_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pending_list, "row-activated",
                           G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->actioned_list, "row-activated",
                           G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);
  self->top_ids = g_new0 (char *, 1);
  _refill (self);
  _rebuild_crumbs (self);
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

  if (!fl_context_follow (&self->context, context, self, G_CALLBACK (on_context_changed_cb),
                          G_CALLBACK (on_palette_changed_cb)))
    return;
  /* The pages above the region's belong to the old context. */
  fl_region_pane_navigate_to (self, 0);
  _prune_forward (self);
  _update_palette (self);
  _cancel_refill (self);
  _refill (self);
  _rebuild_crumbs (self);
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
  /* A new region starts a new trail, at the top of its page, lists cut; its
   * first frame shows the head of the page (the rows below come after it). */
  self->current = 0;
  self->show_all = FALSE;
  self->lists_deferred = TRUE;
  _cancel_refill (self);
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->main_page);
  _prune_forward (self);
  _refill (self);
  _rebuild_crumbs (self);
  gtk_adjustment_set_value (
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->main_page)), 0);
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
  _rebuild_crumbs (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

gboolean
fl_region_pane_navigate_back (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), FALSE);

  if (self->current == 0)
    return FALSE;
  return fl_region_pane_navigate_to (self, self->current - 1);
}

gboolean
fl_region_pane_navigate_to (FlRegionPane *self,
                            guint         depth)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), FALSE);

  if (depth >= self->current)
    return FALSE;
  self->current = depth;
  _show_current (self);
  return TRUE;
}

gboolean
fl_region_pane_open_link (FlRegionPane *self,
                          const char   *link)
{
  g_autofree char *id = NULL;
  g_autofree char *region = NULL;
  g_autofree char *customer_id = NULL;
  g_autofree char *canonical = NULL;
  FlLinkKind kind;

  g_return_val_if_fail (FL_IS_REGION_PANE (self), FALSE);

  if (self->context == NULL || !fl_link_parse (link, &kind, &id)
      || !_resolve_link (self, kind, id, &region, &customer_id))
    return FALSE;

  /* A subject of another region: that region's pane, and a new trail from it. */
  if (region == NULL && self->region == NULL)
    {
      FlEvaluation *evaluation = fl_context_get_evaluation (self->context);

      if (evaluation != NULL && evaluation->regions->len > 0)
        region = g_strdup (((FlRegionState *) g_ptr_array_index (evaluation->regions, 0))->code);
    }
  if (region != NULL && g_strcmp0 (region, self->region) != 0)
    fl_region_pane_set_region (self, region);

  /* The page shown already: nothing to push. */
  canonical = fl_link_build (kind, id);
  if (g_strcmp0 (_entry (self, self->current)->link, canonical) == 0)
    return TRUE;
  _push (self, canonical, kind, id, customer_id);
  return TRUE;
}

guint
fl_region_pane_get_depth (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), 0);
  return self->current;
}

GtkWidget *
fl_region_pane_get_visible_page (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), NULL);
  return _entry (self, self->current)->page;
}

const char *
fl_region_pane_get_visible_link (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), NULL);
  return _entry (self, self->current)->link;
}

char **
fl_region_pane_dup_breadcrumbs (FlRegionPane *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (FL_IS_REGION_PANE (self), NULL);

  for (guint i = 0; i <= self->current; i++)
    g_strv_builder_add (builder, _entry_title (self, _entry (self, i)));
  return g_strv_builder_end (builder);
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

gboolean
fl_region_pane_get_lists_filled (FlRegionPane *self)
{
  g_return_val_if_fail (FL_IS_REGION_PANE (self), FALSE);
  return !self->lists_deferred && self->refill_tick_id == 0;
}
