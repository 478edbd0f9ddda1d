/* fl-customer-page.c — one customer: health radar, visit timeline, opportunities, alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-alert-row.h"
#include "fl-customer-page.h"
#include "fl-format.h"
#include "fl-radar-chart.h"
#include "fl-text.h"
#include "fl-tooltip.h"

/* The timeline lists this many visits, then says how many more there are. */
#define MAX_VISITS 20
/* Frames to wait for the highlighted row to be laid out before scrolling. */
#define MAX_SCROLL_FRAMES 30

struct _FlCustomerPage
{
  GtkWidget  parent_instance;

  /* template widgets */
  GtkWidget *alerts_list;
  GtkWidget *alerts_section;
  GtkWidget *competitor_list;
  GtkWidget *content_box;
  GtkWidget *earlier_label;
  GtkWidget *health_caption;
  GtkWidget *last_visit_caption;
  GtkWidget *last_visit_value;
  GtkWidget *meta_label;
  GtkWidget *no_opportunities_label;
  GtkWidget *not_found_page;
  GtkWidget *opportunities_heading;
  GtkWidget *opportunities_list;
  GtkWidget *radar;
  GtkWidget *revenue_value;
  GtkWidget *scroller;
  GtkWidget *stack;
  GtkWidget *title_label;
  GtkWidget *visits_heading;
  GtkWidget *visits_list;

  /* owned */
  FlContext *context;
  char      *customer_id;
  char      *highlight;
  char      *title;
  guint      scroll_tick;
  guint      scroll_frames;
  /* The rows below the fold of a customer just opened (opportunities,
   * competitor notes, the visit timeline: most of the page's widgets) come in
   * the frame after the page's first one. */
  gboolean   visits_deferred;
  guint      visits_tick;
  gint64     visits_first_frame;   /* the frame counter at its first tick, or -1 */
  FlCustomerProfile *visits_profile;  /* what they will show */
  GHashTable *visits_stalls;        /* and the stall alerts of its opportunities */
  char      *visits_key;            /* what the timeline's rows show */
};

G_DEFINE_FINAL_TYPE (FlCustomerPage, fl_customer_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_CUSTOMER_ID,
  PROP_TITLE,
  N_PROPS
};

enum {
  SIGNAL_OPEN_LINK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean on_activate_link_cb (FlCustomerPage *self,
                                     const char     *uri,
                                     GtkLabel       *label);

/* helpers */

static void
_clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void
_set_title (FlCustomerPage *self,
            const char     *title)
{
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* A label whose text is a link to @link ("rep:r-1"); activating it emits
 * "open-link". */
static GtkWidget *
_link_label_new (FlCustomerPage *self,
                 const char     *link,
                 const char     *text,
                 const char     *tooltip)
{
  g_autofree char *markup = g_markup_printf_escaped ("<a href=\"%s\" title=\"%s\">%s</a>",
                                                     link, tooltip, text);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_signal_connect_object (label, "activate-link", G_CALLBACK (on_activate_link_cb), self,
                           G_CONNECT_SWAPPED);
  return label;
}

/* A small rounded tag ("Custom requirement", a pain keyword). */
static GtkWidget *
_tag_new (const char *text,
          const char *css_class)
{
  GtkWidget *tag = gtk_label_new (text);

  gtk_label_set_ellipsize (GTK_LABEL (tag), PANGO_ELLIPSIZE_END);
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "tag");
  if (css_class != NULL)
    gtk_widget_add_css_class (tag, css_class);
  return tag;
}

static void
_set_link (GtkWidget  *row,
           FlLinkKind  kind,
           const char *id)
{
  g_object_set_data_full (G_OBJECT (row), "link", fl_link_build (kind, id), g_free);
}

static char *
_format_price (double price)
{
  /* Translators: a unit price in CNY, e.g. "12.50 CNY" (zh_CN: "12.50 元"). */
  return g_strdup_printf (_("%.2f CNY"), price);
}

static char *
_format_share (double share)
{
  /* Translators: a percentage, e.g. "30 %"; keep the %% (the percent sign). */
  return g_strdup_printf (_("%.0f %%"), share * 100.0);
}

/* ---- header --------------------------------------------------------------------------------- */

static void
_fill_header (FlCustomerPage          *self,
              const FlCustomerProfile *profile)
{
  const FlCustomer *customer = profile->customer;
  gint64 now = fl_context_get_now (self->context);
  g_autofree char *tier = g_strdup_printf (_("Tier %c"), customer->tier);
  g_autofree char *link = fl_link_build (FL_LINK_REP, customer->owner_rep);
  g_autofree char *owner = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *money = fl_format_money (customer->revenue_90d);
  g_autofree char *caption = NULL;

  gtk_label_set_label (GTK_LABEL (self->title_label), customer->name);

  owner = g_markup_printf_escaped ("<a href=\"%s\" title=\"%s\">%s</a>", link,
                                   _("Show the rep’s page"),
                                   profile->owner_name != NULL ? profile->owner_name
                                                               : customer->owner_rep);
  {
    g_autofree char *tier_escaped = g_markup_escape_text (tier, -1);
    g_autofree char *region_escaped =
      g_markup_escape_text (profile->region_name != NULL ? profile->region_name
                                                         : customer->region, -1);

    /* Translators: "Tier A · 金华市 · owner 张伟": the tier, the region and the
     * owner rep's name (a link). */
    markup = g_strdup_printf (_("%s · %s · owner %s"), tier_escaped, region_escaped, owner);
  }
  gtk_label_set_markup (GTK_LABEL (self->meta_label), markup);

  gtk_label_set_label (GTK_LABEL (self->revenue_value), money);
  fl_tooltip_set (self->revenue_value, money);

  if (profile->visits->len > 0)
    {
      const FlVisit *last = ((FlProfileVisit *) g_ptr_array_index (profile->visits, 0))->visit;
      g_autofree char *when = fl_format_relative_time (last->start, now);
      g_autofree char *exact = fl_format_exact_time (last->start,
                                                     fl_context_get_time_zone (self->context));

      gtk_label_set_label (GTK_LABEL (self->last_visit_value), when);
      fl_tooltip_set (self->last_visit_value, exact);
      /* Translators: under the time of the last visit; %u is the number of visits. */
      caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last visit · %u in all",
                                              "Last visit · %u in all", profile->n_visits),
                                 profile->n_visits);
    }
  else
    {
      gtk_label_set_label (GTK_LABEL (self->last_visit_value), "—");
      fl_tooltip_set (self->last_visit_value, NULL);
      caption = g_strdup (_("No visits yet"));
    }
  fl_text_set_text (FL_TEXT (self->last_visit_caption), caption);
}

/* ---- health --------------------------------------------------------------------------------- */

static void
_fill_health (FlCustomerPage          *self,
              const FlCustomerProfile *profile)
{
  g_autofree char *caption = NULL;
  g_autofree char *current_label = NULL;
  g_autofree char *previous_label = NULL;

  if (!profile->has_health)
    {
      fl_radar_chart_clear (FL_RADAR_CHART (self->radar));
      fl_text_set_text (FL_TEXT (self->health_caption),
                        _("No health snapshot up to this week."));
      return;
    }

  /* The chart's legend says "This week" / "Three weeks ago" unless a snapshot
   * is older than that: then it names the weeks. */
  if (g_strcmp0 (profile->week, profile->health.week) != 0)
    {
      /* Translators: a legend entry of the radar chart; %s is an ISO week, e.g. "2026-W46". */
      current_label = g_strdup_printf (_("Week %s"), profile->health.week);
      if (profile->has_previous)
        previous_label = g_strdup_printf (_("Week %s"), profile->previous.week);
    }
  else if (profile->has_previous &&
           g_strcmp0 (profile->compare_week, profile->previous.week) != 0)
    previous_label = g_strdup_printf (_("Week %s"), profile->previous.week);

  fl_radar_chart_set_series (FL_RADAR_CHART (self->radar), profile->health.scores,
                             profile->has_previous ? profile->previous.scores : NULL,
                             current_label, previous_label);

  if (profile->has_previous)
    /* Translators: under "Health"; two ISO weeks, e.g. "Week 2026-W48 against week 2026-W45". */
    caption = g_strdup_printf (_("Week %s against week %s; scores 0–100"),
                               profile->health.week, profile->previous.week);
  else
    /* Translators: under "Health"; %s is an ISO week. */
    caption = g_strdup_printf (_("Week %s; no earlier snapshot to compare with"),
                               profile->health.week);
  fl_text_set_text (FL_TEXT (self->health_caption), caption);
}

/* ---- alerts --------------------------------------------------------------------------------- */

static GtkWidget *
_alert_row_new (FlCustomerPage *self,
                const FlAlert  *alert)
{
  g_autofree char *title = fl_alert_dup_display_title (self->context, alert);
  g_autofree char *meta = fl_alert_dup_meta (self->context, alert);
  g_autofree char *exact = fl_format_exact_time (alert->raised,
                                                 fl_context_get_time_zone (self->context));
  g_autofree char *tooltip = NULL;
  GtkWidget *row = fl_alert_row_new (self->context, alert, title, "alert-title", meta,
                                     FL_ALERT_ROW_SHOW_STATE | FL_ALERT_ROW_SPACED_BUTTON);

  gtk_widget_add_css_class (row, "alert-row");
  _set_link (row, FL_LINK_ALERT, alert->id);
  /* Translators: %s is an exact date and time. */
  tooltip = g_strdup_printf (_("Raised on %s"), exact);
  fl_tooltip_set (row, tooltip);
  return row;
}

/* The alerts on the customer (churn) and on its open opportunities (stall),
 * pending ones first in ranking order; fills @stalls (opportunity id → alert). */
static void
_fill_alerts (FlCustomerPage          *self,
              const FlCustomerProfile *profile,
              GHashTable              *stalls)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (self->context);
  g_autoptr(GPtrArray) actioned = g_ptr_array_new ();
  guint n_rows = 0;

  for (guint i = 0; i < profile->opportunities->len; i++)
    {
      FlProfileOpportunity *item = g_ptr_array_index (profile->opportunities, i);

      g_hash_table_insert (stalls, item->opportunity->id, NULL);
    }

  for (guint i = 0; evaluation != NULL && i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);
      gboolean mine;

      if (alert->category == FL_ALERT_CHURN)
        mine = g_strcmp0 (alert->subject, profile->customer->id) == 0;
      else if (alert->category == FL_ALERT_STALL)
        mine = g_hash_table_contains (stalls, alert->subject);
      else
        mine = FALSE;
      if (!mine)
        continue;

      if (alert->category == FL_ALERT_STALL)
        g_hash_table_insert (stalls, alert->subject, alert);
      if (alert->actioned)
        g_ptr_array_add (actioned, alert);
      else
        {
          gtk_list_box_append (GTK_LIST_BOX (self->alerts_list), _alert_row_new (self, alert));
          n_rows++;
        }
    }
  for (guint i = 0; i < actioned->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->alerts_list),
                         _alert_row_new (self, g_ptr_array_index (actioned, i)));
  n_rows += actioned->len;

  gtk_widget_set_visible (self->alerts_section, n_rows > 0);
}

/* ---- opportunities -------------------------------------------------------------------------- */

static GtkWidget *
_opportunity_row_new (FlCustomerPage             *self,
                      const FlProfileOpportunity *item,
                      const FlAlert              *stall)
{
  const FlOpportunity *opportunity = item->opportunity;
  g_autofree char *money = fl_format_money (opportunity->value);
  g_autofree char *idle = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *exact = fl_format_exact_time (opportunity->last_progress,
                                                 fl_context_get_time_zone (self->context));
  g_autofree char *tooltip = NULL;
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_add_css_class (row, "opportunity-row");
  g_object_set_data_full (G_OBJECT (row), "opportunity-id", g_strdup (opportunity->id), g_free);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), money);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  if (item->days_idle == 0)
    idle = g_strdup (_("progress within the last day"));
  else
    /* Translators: an opportunity without progress, e.g. "no progress for 32 days". */
    idle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "no progress for %d day",
                                         "no progress for %d days", item->days_idle),
                            item->days_idle);
  /* Translators: an opportunity's id and how long it has been idle. */
  subtitle = g_strdup_printf (_("%s · %s"), opportunity->id, idle);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Translators: %s is an exact date and time. */
  tooltip = g_strdup_printf (_("Last progress on %s"), exact);
  fl_tooltip_set (row, tooltip);

  if (opportunity->custom_requirement)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               _tag_new (_("Custom requirement"), "accent-tag"));

  if (stall != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (fl_alert_category_icon_name (FL_ALERT_STALL));

      fl_tooltip_set (icon, fl_alert_category_get_label (FL_ALERT_STALL));
      gtk_widget_add_css_class (icon, stall->actioned ? "dim-label" : "stall-icon");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), fl_chevron_new (_("Show the Alert")));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      _set_link (row, FL_LINK_ALERT, stall->id);
    }
  else
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  return row;
}

static void
_fill_opportunities (FlCustomerPage          *self,
                     const FlCustomerProfile *profile,
                     GHashTable              *stalls)
{
  guint n = profile->opportunities->len;
  g_autofree char *heading = NULL;

  for (guint i = 0; i < n; i++)
    {
      FlProfileOpportunity *item = g_ptr_array_index (profile->opportunities, i);

      gtk_list_box_append (GTK_LIST_BOX (self->opportunities_list),
                           _opportunity_row_new (self, item,
                                                 g_hash_table_lookup (stalls,
                                                                      item->opportunity->id)));
    }
  /* Translators: a heading; %u is the number of open opportunities. */
  heading = g_strdup_printf (_("Open Opportunities (%u)"), n);
  fl_text_set_text (FL_TEXT (self->opportunities_heading), heading);
  gtk_widget_set_visible (self->opportunities_list, n > 0);
  gtk_widget_set_visible (self->no_opportunities_label, n == 0);
}

/* ---- competitor notes ----------------------------------------------------------------------- */

static GtkWidget *
_competitor_row_new (FlCustomerPage *self,
                     const char     *title,
                     gboolean        has_value,
                     const char     *value,
                     gint64          time,
                     const char     *visit_id)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  if (has_value)
    {
      g_autofree char *when = fl_format_relative_time (time, fl_context_get_now (self->context));
      g_autofree char *exact = fl_format_exact_time (time,
                                                     fl_context_get_time_zone (self->context));
      g_autofree char *subtitle = NULL;
      g_autofree char *tooltip = NULL;

      /* Translators: when a competitor figure was recorded, e.g. "seen 3 days ago". */
      subtitle = g_strdup_printf (_("seen %s"), when);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* Translators: the exact time and the id of the visit that recorded a figure. */
      tooltip = g_strdup_printf (_("Recorded at visit %s on %s"), visit_id, exact);
      fl_tooltip_set (row, tooltip);
      label = gtk_label_new (value);
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "competitor-value");
    }
  else
    {
      label = gtk_label_new (_("Not recorded"));
      gtk_widget_add_css_class (label, "dim-label");
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
_fill_competitors (FlCustomerPage          *self,
                   const FlCustomerProfile *profile)
{
  g_autofree char *price = _format_price (profile->competitor_price);
  g_autofree char *share = _format_share (profile->shelf_share);
  GtkWidget *row;

  row = _competitor_row_new (self, _("Competitor price"), profile->has_competitor_price, price,
                             profile->competitor_price_time, profile->competitor_price_visit);
  gtk_widget_add_css_class (row, "competitor-price-row");
  gtk_list_box_append (GTK_LIST_BOX (self->competitor_list), row);
  row = _competitor_row_new (self, _("Our shelf share"), profile->has_shelf_share, share,
                             profile->shelf_share_time, profile->shelf_share_visit);
  gtk_widget_add_css_class (row, "shelf-share-row");
  gtk_list_box_append (GTK_LIST_BOX (self->competitor_list), row);
}

/* ---- visits --------------------------------------------------------------------------------- */

static GtkWidget *
_achieved_new (FlAchieved achieved)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *icon_name, *text, *css_class;
  GtkWidget *label;

  switch (achieved)
    {
    case FL_ACHIEVED_TRUE:
      icon_name = "object-select-symbolic";
      text = _("Previous commitment achieved");
      css_class = "achieved-yes";
      break;
    case FL_ACHIEVED_FALSE:
      icon_name = "window-close-symbolic";
      text = _("Previous commitment not achieved");
      css_class = "achieved-no";
      break;
    case FL_ACHIEVED_NULL:
    default:
      icon_name = "checkbox-mixed-symbolic";
      text = _("Previous commitment not recorded");
      css_class = "achieved-unknown";
      break;
    }
  gtk_widget_add_css_class (box, "achieved");
  gtk_widget_add_css_class (box, css_class);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  label = fl_wrapped_label_new (text, "caption-heading");
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
_attach_field (GtkWidget  *grid,
               int         line,
               const char *name,
               GtkWidget  *value)
{
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "field-name");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), label, 0, line, 1, 1);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_grid_attach (GTK_GRID (grid), value, 1, line, 1, 1);
}

static GtkWidget *
_keywords_new (char **keywords)
{
  GtkWidget *flow;

  if (keywords == NULL || keywords[0] == NULL)
    {
      GtkWidget *none = fl_wrapped_label_new (_("None recorded"), "dim-label");

      gtk_widget_add_css_class (none, "pain-keywords");
      return none;
    }

  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 8);
  gtk_widget_add_css_class (flow, "pain-keywords");
  for (guint i = 0; keywords[i] != NULL; i++)
    {
      GtkWidget *tag = _tag_new (keywords[i], NULL);

      gtk_flow_box_append (GTK_FLOW_BOX (flow), tag);
      gtk_widget_set_focusable (gtk_widget_get_parent (tag), FALSE);
    }
  return flow;
}

/* "Competitor price 12.50 CNY · shelf share 30 % · 2 photos", or NULL. */
static char *
_dup_visit_extras (const FlVisit *visit)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (visit->has_competitor_price)
    {
      g_autofree char *price = _format_price (visit->competitor_price);

      /* Translators: at a visit, e.g. "competitor price 12.50 CNY". */
      g_ptr_array_add (parts, g_strdup_printf (_("competitor price %s"), price));
    }
  if (visit->has_shelf_share)
    {
      g_autofree char *share = _format_share (visit->shelf_share);

      /* Translators: at a visit, e.g. "shelf share 30 %". */
      g_ptr_array_add (parts, g_strdup_printf (_("shelf share %s"), share));
    }
  if (visit->photos > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d photo",
                                                          "%d photos", visit->photos),
                                             visit->photos));
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static GtkWidget *
_visit_row_new (FlCustomerPage       *self,
                const FlProfileVisit *item)
{
  const FlVisit *visit = item->visit;
  GTimeZone *tz = fl_context_get_time_zone (self->context);
  gint64 now = fl_context_get_now (self->context);
  g_autofree char *when = fl_format_relative_time (visit->start, now);
  g_autofree char *exact_start = fl_format_exact_time (visit->start, tz);
  g_autofree char *exact_end = fl_format_exact_time (visit->end, tz);
  g_autofree char *tooltip = NULL;
  g_autofree char *link = fl_link_build (FL_LINK_REP, visit->rep);
  g_autofree char *extras = _dup_visit_extras (visit);
  GtkWidget *row, *box, *header, *label, *grid;

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "visit-row");
  g_object_set_data_full (G_OBJECT (row), "visit-id", g_strdup (visit->id), g_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* When and who: single-line labels, a box is fine here. */
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new (when);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "visit-date");
  /* Translators: a visit's exact start and end times. */
  tooltip = g_strdup_printf (_("%s to %s"), exact_start, exact_end);
  fl_tooltip_set (label, tooltip);
  gtk_box_append (GTK_BOX (header), label);
  label = gtk_label_new ("·");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (header), label);
  label = _link_label_new (self, link, item->rep_name != NULL ? item->rep_name : visit->rep,
                           _("Show the rep’s page"));
  gtk_widget_add_css_class (label, "visit-rep");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (box), header);

  gtk_box_append (GTK_BOX (box), _achieved_new (visit->prev_action_achieved));

  /* The three required fields. */
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  _attach_field (grid, 0, _("Pain points"), _keywords_new (visit->pain_keywords));
  label = fl_wrapped_label_new (visit->committed_action != NULL && *visit->committed_action
                                ? visit->committed_action : _("Nothing recorded"),
                                "committed-action");
  _attach_field (grid, 1, _("Committed"), label);
  if (visit->has_next_follow_up)
    {
      g_autofree char *follow = fl_format_relative_time (visit->next_follow_up, now);
      g_autofree char *exact = fl_format_exact_time (visit->next_follow_up, tz);

      label = fl_wrapped_label_new (follow, "next-follow-up");
      fl_tooltip_set (label, exact);
    }
  else
    {
      label = fl_wrapped_label_new (_("Not set"), "next-follow-up");
      gtk_widget_add_css_class (label, "dim-label");
    }
  _attach_field (grid, 2, _("Next follow-up"), label);
  gtk_box_append (GTK_BOX (box), grid);

  if (extras != NULL)
    {
      label = fl_wrapped_label_new (extras, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "visit-extras");
      gtk_box_append (GTK_BOX (box), label);
    }

  return row;
}

/* Everything a visit's row shows: rows are kept while it stays the same. */
static char *
_dup_visits_key (FlCustomerPage          *self,
                 const FlCustomerProfile *profile)
{
  GString *key = g_string_new (NULL);

  g_string_append_printf (key, "%" G_GINT64_FORMAT, fl_context_get_now (self->context));
  for (guint i = 0; i < profile->visits->len; i++)
    {
      const FlProfileVisit *item = g_ptr_array_index (profile->visits, i);
      const FlVisit *visit = item->visit;
      g_autofree char *extras = _dup_visit_extras (visit);
      g_autofree char *keywords = visit->pain_keywords != NULL
                                  ? g_strjoinv ("\x1f", visit->pain_keywords) : NULL;

      g_string_append_printf (key, "\x1e%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s|%s|%d|%s|%s"
                              "|%d|%" G_GINT64_FORMAT "|%s", visit->id, visit->start, visit->end,
                              visit->rep, item->rep_name != NULL ? item->rep_name : "",
                              (int) visit->prev_action_achieved,
                              keywords != NULL ? keywords : "",
                              visit->committed_action != NULL ? visit->committed_action : "",
                              visit->has_next_follow_up, visit->next_follow_up,
                              extras != NULL ? extras : "");
    }
  return g_string_free (key, FALSE);
}

static void
_fill_visit_rows (FlCustomerPage          *self,
                  const FlCustomerProfile *profile)
{
  g_autofree char *key = _dup_visits_key (self, profile);

  if (g_strcmp0 (key, self->visits_key) == 0)
    return;
  _clear_list (self->visits_list);
  for (guint i = 0; i < profile->visits->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->visits_list),
                         _visit_row_new (self, g_ptr_array_index (profile->visits, i)));
  gtk_widget_set_visible (self->visits_list, profile->visits->len > 0);
  g_free (self->visits_key);
  self->visits_key = g_steal_pointer (&key);
}

static void
_cancel_visits (FlCustomerPage *self)
{
  if (self->visits_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->visits_tick);
  self->visits_tick = 0;
  g_clear_pointer (&self->visits_profile, fl_customer_profile_free);
  g_clear_pointer (&self->visits_stalls, g_hash_table_unref);
}

static void _fill_below_fold (FlCustomerPage          *self,
                              const FlCustomerProfile *profile,
                              GHashTable              *stalls);
static void _apply_highlight (FlCustomerPage          *self,
                              gboolean                 scroll);

static gboolean
_visits_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  FlCustomerPage *self = FL_CUSTOMER_PAGE (widget);
  gint64 frame = gdk_frame_clock_get_frame_counter (clock);
  g_autoptr(FlCustomerProfile) profile = NULL;
  g_autoptr(GHashTable) stalls = NULL;

  /* The page's first frame: the timeline in the next one. */
  if (self->visits_first_frame < 0)
    self->visits_first_frame = frame;
  if (frame == self->visits_first_frame)
    return G_SOURCE_CONTINUE;
  self->visits_tick = 0;
  profile = g_steal_pointer (&self->visits_profile);
  stalls = g_steal_pointer (&self->visits_stalls);
  if (profile != NULL)
    _fill_below_fold (self, profile, stalls);
  return G_SOURCE_REMOVE;
}

static void
_fill_below_fold (FlCustomerPage          *self,
                  const FlCustomerProfile *profile,
                  GHashTable              *stalls)
{
  _fill_opportunities (self, profile, stalls);
  _fill_competitors (self, profile);
  _apply_highlight (self, FALSE);
  _fill_visit_rows (self, profile);
}

/* Takes @profile and @stalls when the rows wait for the next frame: a customer
 * just opened, unless an opportunity of it is to be shown at once. */
static void
_fill_visits (FlCustomerPage     *self,
              FlCustomerProfile **profile,
              GHashTable        **stalls)
{
  guint shown = (*profile)->visits->len;
  guint n_visits = (*profile)->n_visits;
  g_autofree char *heading = NULL;
  g_autofree char *earlier = NULL;

  /* Translators: a heading; %u is the number of visits in all. */
  heading = g_strdup_printf (_("Visits (%u)"), n_visits);
  fl_text_set_text (FL_TEXT (self->visits_heading), heading);

  if (n_visits == 0)
    earlier = g_strdup (_("No visits recorded yet."));
  else if (n_visits > shown)
    earlier = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u earlier visit not shown",
                                            "%u earlier visits not shown",
                                            n_visits - shown),
                               n_visits - shown);
  fl_text_set_text (FL_TEXT (self->earlier_label), earlier != NULL ? earlier : "");
  gtk_widget_set_visible (self->earlier_label, earlier != NULL);

  _cancel_visits (self);
  if (self->visits_deferred && self->highlight == NULL)
    {
      /* Not another customer's rows meanwhile. */
      _clear_list (self->visits_list);
      gtk_widget_set_visible (self->visits_list, FALSE);
      g_clear_pointer (&self->visits_key, g_free);
      self->visits_first_frame = -1;
      self->visits_profile = g_steal_pointer (profile);
      self->visits_stalls = g_steal_pointer (stalls);
      self->visits_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), _visits_tick_cb,
                                                        NULL, NULL);
    }
  else
    _fill_below_fold (self, *profile, *stalls);
  self->visits_deferred = FALSE;
}

/* ---- highlight ------------------------------------------------------------------------------ */

static GtkWidget *
_find_opportunity_row (FlCustomerPage *self,
                       const char     *opportunity_id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (self->opportunities_list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (opportunity_id != NULL &&
        g_strcmp0 (g_object_get_data (G_OBJECT (row), "opportunity-id"), opportunity_id) == 0)
      return row;
  return NULL;
}

static gboolean
_scroll_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  FlCustomerPage *self = FL_CUSTOMER_PAGE (widget);
  GtkWidget *row = _find_opportunity_row (self, self->highlight);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;

  if (row == NULL)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  /* Wait until the new rows are laid out. */
  if ((!gtk_widget_get_mapped (row) || gtk_widget_get_height (row) == 0 ||
       !gtk_widget_compute_bounds (row, self->content_box, &bounds)) &&
      ++self->scroll_frames < MAX_SCROLL_FRAMES)
    return G_SOURCE_CONTINUE;

  if (gtk_widget_compute_bounds (row, self->content_box, &bounds))
    {
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
      /* The row a third of the way down, with its section's heading in view if possible. */
      gtk_adjustment_set_value (adjustment,
                                bounds.origin.y - gtk_adjustment_get_page_size (adjustment) / 3);
    }
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

/* Marks the highlighted opportunity's row; with @scroll, also brings it into
 * view (not on a mere re-evaluation, which must not move the view). */
static void
_apply_highlight (FlCustomerPage *self,
                  gboolean        scroll)
{
  GtkWidget *target = _find_opportunity_row (self, self->highlight);

  for (GtkWidget *row = gtk_widget_get_first_child (self->opportunities_list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (row == target)
      gtk_widget_add_css_class (row, "highlighted");
    else
      gtk_widget_remove_css_class (row, "highlighted");

  if (scroll && target != NULL && self->scroll_tick == 0)
    {
      self->scroll_frames = 0;
      self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), _scroll_tick_cb,
                                                        NULL, NULL);
    }
}

/* ---- everything ----------------------------------------------------------------------------- */

static void
_refill (FlCustomerPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlCustomerProfile) profile = NULL;
  g_autoptr(GHashTable) stalls = NULL;

  _clear_list (self->alerts_list);
  _clear_list (self->opportunities_list);
  _clear_list (self->competitor_list);

  if (self->context == NULL || self->customer_id == NULL)
    {
      _cancel_visits (self);
      _clear_list (self->visits_list);
      g_clear_pointer (&self->visits_key, g_free);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      _set_title (self, NULL);
      return;
    }

  profile = fl_customer_profile_load (fl_context_get_store (self->context), self->customer_id,
                                      fl_context_get_now (self->context), MAX_VISITS, &error);
  if (profile == NULL)
    {
      g_autofree char *description = NULL;

      if (g_error_matches (error, FL_ERROR, FL_ERROR_NOT_FOUND))
        {
          /* Translators: %s is a customer id. */
          description = g_strdup_printf (_("There is no customer “%s” in the local data. "
                                           "It may have been removed by the last sync."),
                                         self->customer_id);
          adw_status_page_set_title (ADW_STATUS_PAGE (self->not_found_page),
                                     _("Customer Not Found"));
        }
      else
        {
          g_warning ("%s", error->message);
          description = g_strdup (error->message);
          adw_status_page_set_title (ADW_STATUS_PAGE (self->not_found_page),
                                     _("Could Not Read the Customer"));
        }
      adw_status_page_set_description (ADW_STATUS_PAGE (self->not_found_page), description);
      _cancel_visits (self);
      _clear_list (self->visits_list);
      g_clear_pointer (&self->visits_key, g_free);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "not-found");
      _set_title (self, NULL);
      return;
    }

  stalls = g_hash_table_new (g_str_hash, g_str_equal);
  _fill_header (self, profile);
  _fill_health (self, profile);
  _fill_alerts (self, profile, stalls);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "content");
  _set_title (self, profile->customer->name);
  _fill_visits (self, &profile, &stalls);
}

/* callbacks */

static gboolean
on_activate_link_cb (FlCustomerPage *self,
                     const char     *uri,
                     GtkLabel       *label)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_LINK], 0, uri);
  return TRUE;
}

static void
on_row_activated_cb (FlCustomerPage *self,
                     GtkListBoxRow  *row,
                     GtkListBox     *list)
{
  const char *link = g_object_get_data (G_OBJECT (row), "link");

  if (link != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_LINK], 0, link);
}

static void
on_context_changed_cb (FlCustomerPage *self,
                       FlContext      *context)
{
  _refill (self);
}

/* overrides */

static void
fl_customer_page_dispose (GObject *object)
{
  FlCustomerPage *self = FL_CUSTOMER_PAGE (object);
  GtkWidget *child;

  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
      self->scroll_tick = 0;
    }
  _cancel_visits (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_CUSTOMER_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (fl_customer_page_parent_class)->dispose (object);
}

static void
fl_customer_page_finalize (GObject *object)
{
  FlCustomerPage *self = FL_CUSTOMER_PAGE (object);

  g_free (self->customer_id);
  g_free (self->highlight);
  g_free (self->title);
  g_free (self->visits_key);

  G_OBJECT_CLASS (fl_customer_page_parent_class)->finalize (object);
}

static void
fl_customer_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FlCustomerPage *self = FL_CUSTOMER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_customer_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FlCustomerPage *self = FL_CUSTOMER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      fl_customer_page_set_context (self, g_value_get_object (value));
      break;
    case PROP_CUSTOMER_ID:
      fl_customer_page_set_customer_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_customer_page_class_init (FlCustomerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_customer_page_dispose;
  object_class->finalize = fl_customer_page_finalize;
  object_class->get_property = fl_customer_page_get_property;
  object_class->set_property = fl_customer_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_OPEN_LINK] = g_signal_new ("open-link", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (FL_TYPE_RADAR_CHART);
  g_type_ensure (FL_TYPE_TEXT);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fieldlight/Fieldlight/fl-customer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, alerts_list);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, alerts_section);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, competitor_list);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, earlier_label);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, health_caption);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, last_visit_caption);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, last_visit_value);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, no_opportunities_label);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, not_found_page);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, opportunities_heading);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, opportunities_list);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, radar);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, revenue_value);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, visits_heading);
  gtk_widget_class_bind_template_child (widget_class, FlCustomerPage, visits_list);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_link_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "customerpage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fl_customer_page_init (FlCustomerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _refill (self);
}

/* public API */

GtkWidget *
fl_customer_page_new (void)
{
  return g_object_new (FL_TYPE_CUSTOMER_PAGE, NULL);
}

FlContext *
fl_customer_page_get_context (FlCustomerPage *self)
{
  g_return_val_if_fail (FL_IS_CUSTOMER_PAGE (self), NULL);
  return self->context;
}

void
fl_customer_page_set_context (FlCustomerPage *self,
                              FlContext      *context)
{
  g_return_if_fail (FL_IS_CUSTOMER_PAGE (self));
  g_return_if_fail (context == NULL || FL_IS_CONTEXT (context));

  if (!fl_context_follow (&self->context, context, self, G_CALLBACK (on_context_changed_cb),
                          NULL))
    return;
  _refill (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

const char *
fl_customer_page_get_customer_id (FlCustomerPage *self)
{
  g_return_val_if_fail (FL_IS_CUSTOMER_PAGE (self), NULL);
  return self->customer_id;
}

void
fl_customer_page_set_customer_id (FlCustomerPage *self,
                                  const char     *id)
{
  GtkAdjustment *adjustment;

  g_return_if_fail (FL_IS_CUSTOMER_PAGE (self));

  if (g_strcmp0 (self->customer_id, id) == 0)
    return;
  g_free (self->customer_id);
  self->customer_id = g_strdup (id);
  /* A new customer starts at the top, its visits in the frame after its first. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  gtk_adjustment_set_value (adjustment, 0);
  self->visits_deferred = TRUE;
  _refill (self);
  _apply_highlight (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

void
fl_customer_page_set_highlight (FlCustomerPage *self,
                                const char     *opportunity_id)
{
  g_return_if_fail (FL_IS_CUSTOMER_PAGE (self));

  if (g_strcmp0 (self->highlight, opportunity_id) != 0)
    {
      g_free (self->highlight);
      self->highlight = g_strdup (opportunity_id);
    }
  _apply_highlight (self, TRUE);
}

const char *
fl_customer_page_get_title (FlCustomerPage *self)
{
  g_return_val_if_fail (FL_IS_CUSTOMER_PAGE (self), NULL);
  return self->title;
}
