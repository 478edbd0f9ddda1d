/* fl-item-detail.c — one alert: the rule that fired, its evidence, rank and advice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-alert-row.h"
#include "fl-execute-button.h"
#include "fl-item-detail.h"
#include "fl-rep-profile.h"
#include "fl-subject-page.h"
#include "fl-text.h"
#include "fl-tooltip.h"

struct _FlItemDetail
{
  GtkWidget     parent_instance;

  /* template widgets */
  GtkWidget    *evidence_list;
  GtkWidget    *execute_slot;
  GtkWidget    *id_label;
  GtkWidget    *reps_caption;
  GtkWidget    *reps_list;
  GtkWidget    *reps_section;
  GtkWidget    *rule_label;
  GtkWidget    *scroller;
  GtkWidget    *suggestion_label;
  GtkWidget    *suggestion_section;
  GtkWidget    *title_label;
  GtkWidget    *value_list;

  /* owned */
  FlContext    *context;
  char         *alert_id;
  GStrv         evidence_ids;
  GStrv         rep_ids;
  char         *breadcrumb;
  char         *title;
};

G_DEFINE_FINAL_TYPE (FlItemDetail, fl_item_detail, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_ALERT_ID,
  N_PROPS
};

enum {
  SIGNAL_OPEN_LINK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* helpers */

static void
_clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

/* "2026-11-20" in the dataset's time zone. */
static char *
_format_date (FlItemDetail *self,
              gint64        time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_timezone (utc, fl_context_get_time_zone (self->context));
  return g_date_time_format (local, "%Y-%m-%d");
}

static char *
_format_rate (double rate)
{
  /* Translators: a conversion rate, e.g. "12.5 %"; keep the %% (the percent sign). */
  return g_strdup_printf (_("%.1f %%"), rate * 100.0);
}

/* A row with a title, a subtitle (plain text, may have several lines) and an
 * optional value at its end. */
static GtkWidget *
_row_new (const char *title,
          const char *subtitle,
          const char *value)
{
  return fl_info_row_new (title, subtitle, value, NULL);
}

/* An activatable row that opens @link ("open-link"), with a chevron. */
static GtkWidget *
_link_row_new (const char *title,
               const char *subtitle,
               const char *value,
               const char *link)
{
  return fl_info_row_new (title, subtitle, value, link);
}

static char *
_dup_rule_text (FlItemDetail  *self,
                const FlAlert *alert)
{
  const FlRuleSettings *settings = fl_context_get_rule_settings (self->context);

  switch (alert->category)
    {
    case FL_ALERT_CHURN:
      return g_strdup (_("In each of the customer’s two most recent visits, the action "
                         "committed at the visit before was not achieved."));
    case FL_ALERT_STALL:
      {
        g_autofree char *money = fl_format_money (settings->stall_min_value);

        /* Translators: %s is an amount of money, %d a number of days (≥ 2). */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "An open opportunity worth more than %s has made "
                                             "no progress for %d whole day or more.",
                                             "An open opportunity worth more than %s has made "
                                             "no progress for %d whole days or more.",
                                             settings->stall_min_days),
                                money, settings->stall_min_days);
      }
    case FL_ALERT_GAP:
    case FL_N_ALERT_CATEGORIES:
    default:
      /* Translators: "70 %" of the province's rate; "10" pitches a week. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "In each of the last two complete weeks, the team’s "
                                           "conversion rate for this category was below "
                                           "%d %% of the province’s, with at least %d pitch "
                                           "by the team each week.",
                                           "In each of the last two complete weeks, the team’s "
                                           "conversion rate for this category was below "
                                           "%d %% of the province’s, with at least %d pitches "
                                           "by the team each week.",
                                           settings->gap_min_pitches),
                              (int) (settings->gap_ratio * 100.0 + 0.5),
                              settings->gap_min_pitches);
    }
}

static const char *
_achieved_text (FlAchieved achieved)
{
  switch (achieved)
    {
    case FL_ACHIEVED_TRUE:
      return _("Previous commitment achieved: yes");
    case FL_ACHIEVED_FALSE:
      return _("Previous commitment achieved: no");
    case FL_ACHIEVED_NULL:
    default:
      return _("Previous commitment achieved: not recorded");
    }
}

static GtkWidget *
_visit_row_new (FlItemDetail *self,
                const char   *visit_id)
{
  FlStore *store = fl_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  FlVisit *visit = fl_store_get_visit (store, visit_id, &error);
  FlRep *rep = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;
  g_autofree char *committed = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  if (visit == NULL)
    {
      /* Translators: %s is a visit id. */
      g_autofree char *missing = g_strdup_printf (_("Visit %s"), visit_id);

      g_warning ("%s", error->message);
      return _row_new (missing, _("This visit is not in the local data."), NULL);
    }
  rep = fl_store_get_rep (store, visit->rep, NULL);
  date = _format_date (self, visit->start);
  /* Translators: a visit's date and the rep's name, e.g. "2026-11-20 · 张伟". */
  title = g_strdup_printf (_("%s · %s"), date, rep != NULL ? rep->name : visit->rep);
  /* Translators: %s is the action committed at a visit. */
  committed = g_strdup_printf (_("Committed: %s"),
                               visit->committed_action != NULL && *visit->committed_action
                               ? visit->committed_action : _("nothing recorded"));
  subtitle = g_strdup_printf ("%s\n%s", committed,
                              _achieved_text (visit->prev_action_achieved));
  if (rep != NULL)
    {
      g_autofree char *link = fl_link_build (FL_LINK_REP, rep->id);

      /* Translators: tooltip of a visit row; %s is the rep's name. */
      g_autofree char *tooltip = g_strdup_printf (_("Open %s’s page"), rep->name);

      row = _link_row_new (title, subtitle, visit->id, link);
      fl_tooltip_set (row, tooltip);
    }
  else
    row = _row_new (title, subtitle, visit->id);
  gtk_widget_add_css_class (row, "evidence-visit");
  if (rep != NULL)
    fl_rep_free (rep);
  fl_visit_free (visit);
  return row;
}

static void
_fill_churn (FlItemDetail  *self,
             const FlAlert *alert,
             GStrvBuilder  *ids)
{
  /* Older first. */
  const char *visits[] = { alert->visit_before, alert->visit_last };
  g_autoptr(GError) error = NULL;
  FlCustomer *customer = fl_store_get_customer (fl_context_get_store (self->context),
                                                alert->subject, &error);

  if (customer == NULL)
    g_warning ("%s", error->message);
  else
    {
      g_autofree char *link = fl_link_build (FL_LINK_CUSTOMER, customer->id);
      g_autofree char *revenue = fl_format_money (customer->revenue_90d);
      g_autofree char *subtitle = NULL;

      /* Translators: a customer's tier and trailing revenue, e.g. "Tier A · 80,000 CNY in
       * 90 days". */
      subtitle = g_strdup_printf (_("Tier %c · %s in 90 days"), customer->tier, revenue);
      gtk_list_box_append (GTK_LIST_BOX (self->evidence_list),
                           _link_row_new (customer->name, subtitle, NULL, link));
      fl_customer_free (customer);
    }

  for (guint i = 0; i < G_N_ELEMENTS (visits); i++)
    {
      if (visits[i] == NULL)
        continue;
      gtk_list_box_append (GTK_LIST_BOX (self->evidence_list), _visit_row_new (self, visits[i]));
      g_strv_builder_add (ids, visits[i]);
    }
}

static void
_fill_stall (FlItemDetail  *self,
             const FlAlert *alert,
             GStrvBuilder  *ids)
{
  g_autoptr(GError) error = NULL;
  FlOpportunity *opportunity = fl_store_get_opportunity (fl_context_get_store (self->context),
                                                         alert->subject, &error);
  g_autofree char *days = NULL;

  g_strv_builder_add (ids, alert->subject);
  if (opportunity == NULL)
    g_warning ("%s", error->message);
  else
    {
      g_autofree char *money = fl_format_money (opportunity->value);
      g_autofree char *date = _format_date (self, opportunity->last_progress);
      g_autofree char *link = fl_link_build (FL_LINK_OPPORTUNITY, opportunity->id);
      FlCustomer *customer = fl_store_get_customer (fl_context_get_store (self->context),
                                                    opportunity->customer, NULL);
      g_autofree char *subtitle = NULL;

      /* Translators: an opportunity's customer and id, e.g. "永康华联超市 · o-0012". */
      subtitle = g_strdup_printf (_("%s · %s"),
                                  customer != NULL ? customer->name : opportunity->customer,
                                  opportunity->id);
      gtk_list_box_append (GTK_LIST_BOX (self->evidence_list),
                           _link_row_new (_("Opportunity Value"), subtitle, money, link));
      if (customer != NULL)
        fl_customer_free (customer);
      gtk_list_box_append (GTK_LIST_BOX (self->evidence_list),
                           _row_new (_("Last Progress"), NULL, date));
      fl_opportunity_free (opportunity);
    }
  days = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days",
                                       alert->days_stalled),
                          alert->days_stalled);
  gtk_list_box_append (GTK_LIST_BOX (self->evidence_list),
                       _row_new (_("Without Progress"), _("Whole days since the last progress"),
                                 days));
}

/* The number of reps listed under "Which reps pull the rate down"; the rest are counted. */
#define MAX_REP_ROWS 8

/* Every rep of the team with their conversion in the category in the alert's
 * last complete week, the biggest shortfall against the province first. */
static void
_fill_reps (FlItemDetail  *self,
            const FlAlert *alert)
{
  FlStore *store = fl_context_get_store (self->context);
  GTimeZone *tz = fl_context_get_time_zone (self->context);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GPtrArray) rates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *province = NULL;
  g_autofree char *caption = NULL;
  gint64 start, end;
  int year, week;
  guint shown = 0;

  if (alert->week == NULL || !fl_iso_week_parse (alert->week, &year, &week))
    return;
  start = fl_day_at (fl_iso_week_monday (year, week), 0, 0, tz);
  end = fl_time_add_weeks (start, tz, 1);
  rates = fl_team_rep_rates (store, alert->region, alert->subject, start, end,
                             alert->province_rate[1], &error);
  if (rates == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }

  province = _format_rate (alert->province_rate[1]);
  /* Translators: %s is an ISO week ("2026-W47"), the second a rate ("31.0 %"). */
  caption = g_strdup_printf (_("Conversion of each rep in %s against the province’s %s; the "
                               "biggest shortfall × pitches first."), alert->week, province);
  fl_text_set_text (FL_TEXT (self->reps_caption), caption);

  for (guint i = 0; i < rates->len; i++)
    {
      const FlRepRate *rate = g_ptr_array_index (rates, i);
      g_autofree char *link = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *value = NULL;
      GtkWidget *row;

      g_strv_builder_add (ids, rate->rep_id);
      if (shown >= MAX_REP_ROWS)
        continue;
      link = fl_link_build (FL_LINK_REP, rate->rep_id);
      if (rate->pitched > 0)
        {
          /* Translators: "3 of 14 pitches signed". */
          subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u pitch signed",
                                                   "%u of %u pitches signed", rate->pitched),
                                      rate->signed_, rate->pitched);
          value = _format_rate (rate->rate);
        }
      else
        subtitle = g_strdup (_("No pitches in this category that week"));
      row = _link_row_new (rate->rep_name != NULL ? rate->rep_name : rate->rep_id, subtitle,
                           value, link);
      gtk_widget_add_css_class (row, "rep-rate");
      if (rate->pitched > 0 && rate->rate < alert->province_rate[1])
        gtk_widget_add_css_class (row, "below-province");
      gtk_list_box_append (GTK_LIST_BOX (self->reps_list), row);
      shown++;
    }
  if (rates->len > shown)
    {
      g_autofree char *more = NULL;
      guint rest = rates->len - shown;

      /* Translators: under the list of reps: how many are not listed. */
      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more rep of the team",
                                           "%u more reps of the team", rest), rest);
      gtk_list_box_append (GTK_LIST_BOX (self->reps_list), _row_new (more, NULL, NULL));
    }
  self->rep_ids = g_strv_builder_end (ids);
  gtk_widget_set_visible (self->reps_section, rates->len > 0);
}

static void
_fill_gap (FlItemDetail  *self,
           const FlAlert *alert,
           GStrvBuilder  *ids)
{
  g_autofree char *last_week = NULL;
  g_autofree char *link = fl_link_build (FL_LINK_CATEGORY, alert->subject);
  FlProductCategory *category = fl_store_get_category (fl_context_get_store (self->context),
                                                       alert->subject, NULL);

  g_strv_builder_add (ids, alert->subject);
  gtk_list_box_append (GTK_LIST_BOX (self->evidence_list),
                       _link_row_new (category != NULL ? category->name : alert->subject,
                                      _("Product category: pitches and signings by region"),
                                      NULL, link));
  if (category != NULL)
    fl_product_category_free (category);

  /* Translators: %s is an ISO week, e.g. "2026-W47". */
  last_week = g_strdup_printf (_("Last Complete Week (%s)"), alert->week != NULL ? alert->week
                                                                                 : "?");
  for (guint w = 0; w < 2; w++)
    {
      g_autofree char *team = _format_rate (alert->team_rate[w]);
      g_autofree char *province = _format_rate (alert->province_rate[w]);
      g_autofree char *subtitle = NULL;

      /* Translators: "Team 12.0 % against the province's 30.0 % · 14 pitches". */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Team %s against the province’s %s · %d pitch",
                                               "Team %s against the province’s %s · %d pitches",
                                               alert->team_pitches[w]),
                                  team, province, alert->team_pitches[w]);
      gtk_list_box_append (GTK_LIST_BOX (self->evidence_list),
                           _row_new (w == 0 ? _("Week Before Last") : last_week, subtitle,
                                     team));
    }
  _fill_reps (self, alert);
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
_fill_value (FlItemDetail  *self,
             FlEvaluation  *evaluation,
             const FlAlert *alert)
{
  g_autofree char *money = fl_format_money (alert->value_at_risk);
  g_autofree char *rank = NULL;

  gtk_list_box_append (GTK_LIST_BOX (self->value_list),
                       _row_new (_("Value at Risk"), _value_explanation (alert->category),
                                 money));
  if (alert->actioned)
    rank = g_strdup (_("Actioned: no longer ranked among the pending items"));
  else
    {
      g_autoptr(GPtrArray) pending = fl_evaluation_region_alerts (evaluation, alert->region,
                                                                  TRUE);
      guint position = 0;

      for (guint i = 0; pending != NULL && i < pending->len; i++)
        if (g_ptr_array_index (pending, i) == alert)
          position = i + 1;
      /* Translators: "Ranked 2 of 7 by value at risk; ties by age". */
      rank = g_strdup_printf (_("Ranked %u of %u by value at risk; ties by age"), position,
                              pending != NULL ? pending->len : 0);
    }
  gtk_list_box_append (GTK_LIST_BOX (self->value_list),
                       _row_new (_("Rank in the Region"), rank, NULL));
}

static void
_refill (FlItemDetail *self)
{
  FlEvaluation *evaluation = NULL;
  FlAlert *alert = NULL;
  const FlSuggestion *suggestion = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *title = NULL;
  g_autofree char *region_name = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *rule = NULL;
  GtkWidget *child;

  _clear_list (self->evidence_list);
  _clear_list (self->value_list);
  _clear_list (self->reps_list);
  gtk_widget_set_visible (self->reps_section, FALSE);
  g_clear_pointer (&self->rep_ids, g_strfreev);
  g_clear_pointer (&self->title, g_free);
  while ((child = gtk_widget_get_first_child (self->execute_slot)) != NULL)
    gtk_box_remove (GTK_BOX (self->execute_slot), child);
  g_clear_pointer (&self->evidence_ids, g_strfreev);
  g_clear_pointer (&self->breadcrumb, g_free);

  if (self->context != NULL)
    evaluation = fl_context_get_evaluation (self->context);
  if (evaluation != NULL && self->alert_id != NULL)
    alert = fl_evaluation_find_alert (evaluation, self->alert_id);

  if (alert == NULL)
    {
      self->evidence_ids = g_strv_builder_end (ids);
      self->breadcrumb = g_strdup ("");
      self->rep_ids = g_new0 (char *, 1);
      fl_text_set_text (FL_TEXT (self->title_label),
                        self->alert_id != NULL ? _("This item is no longer raised.") : "");
      gtk_label_set_label (GTK_LABEL (self->id_label), self->alert_id != NULL ? self->alert_id : "");
      fl_text_set_text (FL_TEXT (self->rule_label), "");
      gtk_widget_set_visible (self->suggestion_section, FALSE);
      return;
    }

  region_name = fl_store_dup_region_name (fl_context_get_store (self->context), alert->region);
  /* Translators: the breadcrumb of an item, e.g. "金华市 › Customer churn". */
  self->breadcrumb = g_strdup_printf (_("%s › %s"),
                                      region_name != NULL ? region_name : alert->region,
                                      fl_alert_category_get_label (alert->category));
  self->title = g_strdup (fl_alert_category_get_label (alert->category));

  title = fl_alert_dup_title (fl_context_get_store (self->context), alert);
  fl_text_set_text (FL_TEXT (self->title_label), title != NULL ? title : alert->id);
  /* Translators: %s is an alert id. */
  id_text = g_strdup_printf (_("Item %s"), alert->id);
  gtk_label_set_label (GTK_LABEL (self->id_label), id_text);

  rule = _dup_rule_text (self, alert);
  fl_text_set_text (FL_TEXT (self->rule_label), rule);

  switch (alert->category)
    {
    case FL_ALERT_CHURN:
      _fill_churn (self, alert, ids);
      break;
    case FL_ALERT_STALL:
      _fill_stall (self, alert, ids);
      break;
    case FL_ALERT_GAP:
    case FL_N_ALERT_CATEGORIES:
    default:
      _fill_gap (self, alert, ids);
      break;
    }
  self->evidence_ids = g_strv_builder_end (ids);
  if (self->rep_ids == NULL)
    self->rep_ids = g_new0 (char *, 1);

  _fill_value (self, evaluation, alert);

  if (!alert->actioned)
    suggestion = fl_context_get_suggestion (self->context, alert->id);
  gtk_widget_set_visible (self->suggestion_section, !alert->actioned);
  fl_text_set_text (FL_TEXT (self->suggestion_label),
                    suggestion != NULL && suggestion->text != NULL
                    ? suggestion->text : _("No suggestion for this item."));
  if (!alert->actioned)
    gtk_box_append (GTK_BOX (self->execute_slot),
                    fl_execute_button_new (alert->id, suggestion));
}

/* callbacks */

static void
on_row_activated_cb (FlItemDetail  *self,
                     GtkListBoxRow *row,
                     GtkListBox    *list)
{
  const char *link = g_object_get_data (G_OBJECT (row), "link");

  if (link != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_LINK], 0, link);
}

static void
on_context_changed_cb (FlItemDetail *self,
                       FlContext    *context)
{
  _refill (self);
}

/* overrides */

static void
fl_item_detail_dispose (GObject *object)
{
  FlItemDetail *self = FL_ITEM_DETAIL (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_ITEM_DETAIL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (fl_item_detail_parent_class)->dispose (object);
}

static void
fl_item_detail_finalize (GObject *object)
{
  FlItemDetail *self = FL_ITEM_DETAIL (object);

  g_free (self->alert_id);
  g_strfreev (self->evidence_ids);
  g_strfreev (self->rep_ids);
  g_free (self->breadcrumb);
  g_free (self->title);

  G_OBJECT_CLASS (fl_item_detail_parent_class)->finalize (object);
}

static void
fl_item_detail_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FlItemDetail *self = FL_ITEM_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_ALERT_ID:
      g_value_set_string (value, self->alert_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_item_detail_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FlItemDetail *self = FL_ITEM_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      fl_item_detail_set_context (self, g_value_get_object (value));
      break;
    case PROP_ALERT_ID:
      fl_item_detail_set_alert_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_item_detail_class_init (FlItemDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_item_detail_dispose;
  object_class->finalize = fl_item_detail_finalize;
  object_class->get_property = fl_item_detail_get_property;
  object_class->set_property = fl_item_detail_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALERT_ID] =
    g_param_spec_string ("alert-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_OPEN_LINK] = g_signal_new ("open-link", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (FL_TYPE_TEXT);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fieldlight/Fieldlight/fl-item-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, evidence_list);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, execute_slot);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, id_label);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, reps_caption);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, reps_list);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, reps_section);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, rule_label);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, suggestion_label);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, suggestion_section);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, FlItemDetail, value_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "itemdetail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fl_item_detail_init (FlItemDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->evidence_list, "row-activated",
                           G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reps_list, "row-activated", G_CALLBACK (on_row_activated_cb),
                           self, G_CONNECT_SWAPPED);
  _refill (self);
}

/* public API */

GtkWidget *
fl_item_detail_new (void)
{
  return g_object_new (FL_TYPE_ITEM_DETAIL, NULL);
}

FlContext *
fl_item_detail_get_context (FlItemDetail *self)
{
  g_return_val_if_fail (FL_IS_ITEM_DETAIL (self), NULL);
  return self->context;
}

void
fl_item_detail_set_context (FlItemDetail *self,
                            FlContext    *context)
{
  g_return_if_fail (FL_IS_ITEM_DETAIL (self));
  g_return_if_fail (context == NULL || FL_IS_CONTEXT (context));

  if (!fl_context_follow (&self->context, context, self, G_CALLBACK (on_context_changed_cb),
                          NULL))
    return;
  _refill (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

const char *
fl_item_detail_get_alert_id (FlItemDetail *self)
{
  g_return_val_if_fail (FL_IS_ITEM_DETAIL (self), NULL);
  return self->alert_id;
}

void
fl_item_detail_set_alert_id (FlItemDetail *self,
                             const char   *alert_id)
{
  g_return_if_fail (FL_IS_ITEM_DETAIL (self));

  if (g_strcmp0 (self->alert_id, alert_id) == 0)
    return;
  g_free (self->alert_id);
  self->alert_id = g_strdup (alert_id);
  _refill (self);
  gtk_adjustment_set_value (
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERT_ID]);
}

const char * const *
fl_item_detail_get_evidence_ids (FlItemDetail *self)
{
  g_return_val_if_fail (FL_IS_ITEM_DETAIL (self), NULL);
  return (const char * const *) self->evidence_ids;
}

const char *
fl_item_detail_get_breadcrumb (FlItemDetail *self)
{
  g_return_val_if_fail (FL_IS_ITEM_DETAIL (self), NULL);
  return self->breadcrumb;
}

const char *
fl_item_detail_get_title (FlItemDetail *self)
{
  g_return_val_if_fail (FL_IS_ITEM_DETAIL (self), NULL);
  return self->title;
}

const char * const *
fl_item_detail_get_rep_ids (FlItemDetail *self)
{
  g_return_val_if_fail (FL_IS_ITEM_DETAIL (self), NULL);
  return (const char * const *) self->rep_ids;
}
