/* fl-rep-page.c — one rep: visits per day, conversion per category, pending items
 *
 * The figures come from fl_rep_profile_load() (fl-rep-profile.h) at the
 * context's now, read in a worker on a cache file (fl-page-loader.h: ~50 ms
 * for a first rep on 1,000,000 visits); the pending items from the context's
 * evaluation. A new rep shows its name and a spinner until the figures
 * arrive; on "changed" the figures shown stay until the new ones replace
 * them, and the pending items follow the new evaluation at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-bar-chart.h"
#include "fl-alert-row.h"
#include "fl-rep-page.h"
#include "fl-rep-profile.h"
#include "fl-tooltip.h"

struct _FlRepPage
{
  FlLoadingPage  parent_instance;

  /* template widgets */
  GtkWidget     *conversion_list;
  GtkWidget     *copy_button;
  GtkWidget     *customers_label;
  GtkWidget     *name_label;
  GtkWidget     *pending_list;
  GtkWidget     *period_label;
  GtkWidget     *phone_row;
  GtkWidget     *subtitle_label;
  GtkWidget     *visits_caption;
  GtkWidget     *visits_chart;

  /* owned */
  char          *phone;
};

G_DEFINE_FINAL_TYPE (FlRepPage, fl_rep_page, FL_TYPE_LOADING_PAGE)

/* helpers */

static FlContext *
_context (FlRepPage *self)
{
  return fl_loading_page_get_context (FL_LOADING_PAGE (self));
}

static GtkWidget *
_placeholder_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static char *
_format_percent (double rate)
{
  /* Translators: a conversion rate in whole percent, e.g. "42 %"; keep the %% */
  return g_strdup_printf (_("%.0f %%"), rate * 100.0);
}

/* An activatable row that emits "open-link" with @link. */
static GtkWidget *
_link_row_new (const char *title,
               const char *subtitle,
               const char *link)
{
  GtkWidget *row = fl_text_row_new (title, subtitle);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "link", g_strdup (link), g_free);
  return row;
}

static void
_add_go_next (GtkWidget *row)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
}

static void
_fill_header (FlRepPage          *self,
              const FlRepProfile *profile)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *customers = NULL;

  gtk_label_set_label (GTK_LABEL (self->name_label), profile->rep->name);
  /* Translators: under a rep's name: the rep id and the team's region,
   * e.g. "r-0001 · 杭州市 team" */
  subtitle = g_strdup_printf (_("%s · %s team"), profile->rep->id,
                              profile->region_name != NULL ? profile->region_name
                                                           : profile->rep->region);
  gtk_label_set_label (GTK_LABEL (self->subtitle_label), subtitle);

  g_clear_pointer (&self->phone, g_free);
  if (profile->rep->phone != NULL && *profile->rep->phone != '\0')
    self->phone = g_strdup (profile->rep->phone);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->phone_row),
                               self->phone != NULL ? self->phone : _("Not recorded"));
  gtk_widget_set_visible (self->copy_button, self->phone != NULL);

  customers = g_strdup_printf ("%u", profile->n_customers);
  gtk_label_set_label (GTK_LABEL (self->customers_label), customers);
}

static void
_fill_visits (FlRepPage          *self,
              const FlRepProfile *profile)
{
  GTimeZone *tz = fl_context_get_time_zone (_context (self));
  double values[FL_REP_PROFILE_DAYS];
  char *labels[FL_REP_PROFILE_DAYS];
  g_autofree char *caption = NULL;
  g_autofree char *accessible = NULL;
  guint total = 0, most = 0;

  for (guint i = 0; i < FL_REP_PROFILE_DAYS; i++)
    {
      gint64 noon = fl_day_at (profile->first_day + (gint32) i, 12, 0, tz);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (noon);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

      values[i] = profile->visits_per_day[i];
      /* Mon … Sun, 一 … 日 in Chinese */
      labels[i] = g_date_time_format (local, "%a");
      total += profile->visits_per_day[i];
      most = MAX (most, profile->visits_per_day[i]);
    }
  fl_bar_chart_set_data (FL_BAR_CHART (self->visits_chart), values,
                         (const char * const *) labels, FL_REP_PROFILE_DAYS,
                         FL_REP_PROFILE_DAYS - 1);
  for (guint i = 0; i < FL_REP_PROFILE_DAYS; i++)
    g_free (labels[i]);

  /* Translators: over the visits chart; %u is the number of visits in the last 14 days */
  caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u visit in the last 14 days, up to now",
                                          "%u visits in the last 14 days, up to now", total),
                             total);
  gtk_label_set_label (GTK_LABEL (self->visits_caption), caption);

  /* Translators: the spoken summary of the visits chart: visits in 14 days,
   * today's visits and the most in one day */
  accessible = g_strdup_printf (_("Visits per day over the last 14 days: %u in all, %u today, "
                                  "at most %u in one day"),
                                total, profile->visits_per_day[FL_REP_PROFILE_DAYS - 1], most);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->visits_chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static GtkWidget *
_conversion_row_new (FlRepPage                  *self,
                     const FlCategoryConversion *conversion)
{
  const FlRuleSettings *settings = fl_context_get_rule_settings (_context (self));
  g_autofree char *link = fl_link_build (FL_LINK_CATEGORY, conversion->category);
  g_autofree char *rep = _format_percent (conversion->rep_rate);
  g_autofree char *team = _format_percent (conversion->team_rate);
  g_autofree char *province = _format_percent (conversion->province_rate);
  g_autofree char *rates = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *subtitle = NULL;
  gboolean below = conversion->rep_pitched > 0 && conversion->province_pitched > 0 &&
                   conversion->rep_rate < settings->gap_ratio * conversion->province_rate;
  GtkWidget *row;

  if (conversion->rep_pitched > 0)
    {
      /* Translators: the rep's rate against the team's and the province's, e.g.
       * "42 % · team 55 % · province 61 %" */
      rates = g_strdup_printf (_("%s · team %s · province %s"), rep, team, province);
      /* Translators: e.g. "3 of 15 pitches signed" */
      counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u of %u pitch signed",
                                             "%u of %u pitches signed",
                                             conversion->rep_pitched),
                                conversion->rep_signed, conversion->rep_pitched);
    }
  else
    {
      /* Translators: a category the rep did not pitch, e.g. "Not pitched · team 55 % ·
       * province 61 %" */
      rates = g_strdup_printf (_("Not pitched · team %s · province %s"), team, province);
    }

  if (below)
    {
      /* Translators: a warning under a rep's conversion; %d is a percentage, e.g. 70 */
      g_autofree char *warning = g_strdup_printf (_("Below %d %% of the province’s rate"),
                                                  (int) (settings->gap_ratio * 100.0 + 0.5));

      subtitle = g_strdup_printf ("%s\n%s\n%s", rates, counts, warning);
    }
  else if (counts != NULL)
    subtitle = g_strdup_printf ("%s\n%s", rates, counts);
  else
    subtitle = g_strdup (rates);

  row = _link_row_new (conversion->category_name, subtitle, link);
  gtk_widget_add_css_class (row, "conversion-row");
  if (below)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      fl_tooltip_set (icon, _("Below the province’s rate"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_add_css_class (row, "below-province");
    }
  else if (conversion->rep_pitched == 0)
    gtk_widget_add_css_class (row, "not-pitched");
  _add_go_next (row);
  return row;
}

static void
_fill_conversions (FlRepPage          *self,
                   const FlRepProfile *profile)
{
  GTimeZone *tz = fl_context_get_time_zone (_context (self));
  g_autofree char *first = fl_iso_week_format (profile->period_start, tz);
  g_autofree char *last = fl_iso_week_format (profile->period_end - 1, tz);
  g_autofree char *period = NULL;

  /* Translators: the period of the conversion figures: 4 complete ISO weeks, e.g.
   * "Last 4 complete weeks (2026-W44 to 2026-W47): the rep against the team and the province" */
  period = g_strdup_printf (_("Last %d complete weeks (%s to %s): the rep against the team "
                              "and the province"),
                            FL_REP_PROFILE_WEEKS, first, last);
  gtk_label_set_label (GTK_LABEL (self->period_label), period);

  for (guint i = 0; i < profile->conversions->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->conversion_list),
                         _conversion_row_new (self, g_ptr_array_index (profile->conversions, i)));
}

static void
_fill_pending (FlRepPage          *self,
               const FlRepProfile *profile)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (_context (self));
  FlStore *store = fl_context_get_store (_context (self));
  g_autoptr(GPtrArray) alerts = fl_rep_profile_pending_alerts (profile, evaluation);

  for (guint i = 0; i < alerts->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (alerts, i);
      g_autofree char *title = fl_alert_dup_title (store, alert);

      gtk_list_box_append (GTK_LIST_BOX (self->pending_list),
                           fl_alert_action_row_new (_context (self), alert, title, NULL));
    }
}

/* FlLoadingPage */

static gpointer
_load_profile (FlStore              *store,
               const FlPageRequest  *request,
               GError              **error)
{
  return fl_rep_profile_load (store, request->id, request->now, error);
}

static const char *
_get_title (gconstpointer profile)
{
  return ((const FlRepProfile *) profile)->rep->name;
}

static void
_clear (FlLoadingPage *page)
{
  FlRepPage *self = FL_REP_PAGE (page);

  fl_loading_page_clear_list (self->conversion_list);
  fl_loading_page_clear_list (self->pending_list);
}

static void
_fill (FlLoadingPage *page,
       gconstpointer  profile)
{
  FlRepPage *self = FL_REP_PAGE (page);

  _fill_header (self, profile);
  _fill_visits (self, profile);
  _fill_conversions (self, profile);
  _fill_pending (self, profile);
}

/* The name at once (a primary-key lookup). */
static char *
_dup_quick_title (FlLoadingPage *page,
                  FlStore       *store,
                  const char    *id)
{
  FlRep *rep = fl_store_get_rep (store, id, NULL);
  char *name;

  if (rep == NULL)
    return NULL;
  name = g_strdup (rep->name);
  fl_rep_free (rep);
  return name;
}

static char *
_dup_not_found_text (FlLoadingPage *page,
                     const char    *id)
{
  /* Translators: %s is a rep id */
  return g_strdup_printf (_("No rep with id “%s” is in the local data."), id);
}

/* The pending items are the new evaluation's at once (an executed item
 * leaves); the figures stay until they are read again. */
static void
_context_changed (FlLoadingPage *page,
                  gconstpointer  profile)
{
  FlRepPage *self = FL_REP_PAGE (page);

  fl_loading_page_clear_list (self->pending_list);
  _fill_pending (self, profile);
}

/* callbacks */

static void
on_copy_clicked_cb (FlRepPage *self)
{
  if (self->phone == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->phone);
  gtk_widget_set_tooltip_text (self->copy_button, _("Copied"));
}

/* overrides */

static void
fl_rep_page_finalize (GObject *object)
{
  FlRepPage *self = FL_REP_PAGE (object);

  g_free (self->phone);

  G_OBJECT_CLASS (fl_rep_page_parent_class)->finalize (object);
}

static void
fl_rep_page_class_init (FlRepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FlLoadingPageClass *page_class = FL_LOADING_PAGE_CLASS (klass);

  object_class->finalize = fl_rep_page_finalize;

  page_class->load = _load_profile;
  page_class->profile_free = (GDestroyNotify) fl_rep_profile_free;
  page_class->get_title = _get_title;
  page_class->fill = _fill;
  page_class->clear = _clear;
  page_class->dup_quick_title = _dup_quick_title;
  page_class->dup_not_found_text = _dup_not_found_text;
  page_class->context_changed = _context_changed;
  fl_loading_page_class_install_subject_property (page_class, "rep-id");

  g_type_ensure (FL_TYPE_BAR_CHART);
  fl_loading_page_class_set_template_from_resource (
    widget_class, "/io/github/fieldlight/Fieldlight/fl-rep-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, conversion_list);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, customers_label);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, pending_list);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, visits_caption);
  gtk_widget_class_bind_template_child (widget_class, FlRepPage, visits_chart);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "reppage");
}

static void
fl_rep_page_init (FlRepPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->conversion_list),
                                _placeholder_new (_("Neither the rep nor the team pitched "
                                                    "in these weeks.")));
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->pending_list),
                                _placeholder_new (_("No pending items.")));
}

/* public API: the base's, typed */

FL_LOADING_PAGE_DEFINE_API (FlRepPage, fl_rep_page, FL_TYPE_REP_PAGE, rep_id)
