/* fl-pilot-page.c — one pitch pilot: its two weeks, regions, owner, results so far
 *
 * The before/after is the core's (fl_pilot_profile_load): the pilot's
 * complete days so far against as many days right before it, all categories
 * pooled over its regions.
 *
 * The profile (40–320 ms on 1,000,000 visits) is read in a worker on a cache
 * file (fl-page-loader.h): a new pilot shows a spinner until it arrives; on
 * "changed" the figures shown stay until the new ones replace them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-category-page.h"
#include "fl-pilot-page.h"

/* Fewer pitches than this on either side: say the comparison is thin. */
#define FEW_PITCHES 30

struct _FlPilotPage
{
  FlLoadingPage  parent_instance;

  /* template widgets */
  GtkWidget     *change_label;
  GtkWidget     *compare_list;
  GtkWidget     *dates_row;
  GtkWidget     *id_label;
  GtkWidget     *owner_arrow;
  GtkWidget     *owner_row;
  GtkWidget     *progress_bar;
  GtkWidget     *region_list;
  GtkWidget     *regions_row;
  GtkWidget     *regions_section;
  GtkWidget     *state_label;
  GtkWidget     *title_label;
  GtkWidget     *window_label;
};

G_DEFINE_FINAL_TYPE (FlPilotPage, fl_pilot_page, FL_TYPE_LOADING_PAGE)

/* helpers */

static FlContext *
_context (FlPilotPage *self)
{
  return fl_loading_page_get_context (FL_LOADING_PAGE (self));
}

static char *
_format_conversion (const FlConversion *conversion)
{
  if (conversion->pitched == 0)
    return g_strdup (_("No pitches"));
  /* Translators: signed/pitched and the rate, e.g. "4/20 · 20 %"; keep the %%. */
  return g_strdup_printf (_("%u/%u · %.0f %%"), conversion->signed_, conversion->pitched,
                          conversion->rate * 100.0);
}

/* "2026-11-16 – 2026-11-29" for the days [@first, @last]. */
static char *
_format_days (gint32 first,
              gint32 last)
{
  g_autofree char *a = fl_date_format (first);
  g_autofree char *b = fl_date_format (last);

  /* Translators: a range of dates, e.g. "2026-11-16 – 2026-11-29". */
  return g_strdup_printf (_("%s – %s"), a, b);
}

static char *
_dup_state_text (const FlPilotProfile *pilot)
{
  switch (pilot->state)
    {
    case FL_PILOT_NOT_STARTED:
      {
        g_autofree char *start = fl_date_format (pilot->start_day);

        /* Translators: %s is a date. */
        return g_strdup_printf (_("Starts on %s"), start);
      }
    case FL_PILOT_RUNNING:
      if (pilot->ends_this_week)
        /* Translators: "Day 13 of 14 · ends this week". */
        return g_strdup_printf (_("Day %d of %d · ends this week"), pilot->day, FL_PILOT_DAYS);
      /* Translators: "Day 8 of 14". */
      return g_strdup_printf (_("Day %d of %d"), pilot->day, FL_PILOT_DAYS);
    case FL_PILOT_ENDED:
    default:
      if (pilot->ends_this_week)
        return g_strdup (_("Ended this week"));
      return g_strdup (_("Ended"));
    }
}

/* A row: a label and figures on one line, a bar below. */
static GtkWidget *
_compare_row_new (FlPilotPage        *self,
                  const char         *label_text,
                  const FlConversion *conversion,
                  guint               scale_max,
                  const char         *css_class)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (label_text);
  GtkWidget *bar = fl_conversion_bar_new ();
  GtkWidget *figures;
  g_autofree char *text = _format_conversion (conversion);
  g_autofree char *accessible = NULL;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (line), label);
  figures = gtk_label_new (text);
  gtk_widget_add_css_class (figures, "numeric");
  gtk_widget_add_css_class (figures, "compare-figures");
  gtk_box_append (GTK_BOX (line), figures);
  gtk_box_append (GTK_BOX (box), line);

  fl_conversion_bar_set (FL_CONVERSION_BAR (bar), conversion->pitched, conversion->signed_,
                         scale_max, FL_CONVERSION_BAR_NEUTRAL,
                         fl_context_get_palette (_context (self)));
  gtk_box_append (GTK_BOX (box), bar);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_add_css_class (row, css_class);

  /* Translators: for screen readers, e.g. "Before: 4/20 · 20 %". */
  accessible = g_strdup_printf (_("%s: %s"), label_text, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  return row;
}

static char *
_dup_change_text (const FlPilotProfile *pilot)
{
  double points;
  g_autofree char *change = NULL;

  if (pilot->before.pitched == 0 || pilot->during.pitched == 0)
    return g_strdup (_("Not enough pitches on both sides to compare."));

  points = (pilot->during.rate - pilot->before.rate) * 100.0;
  if (points >= 0.05)
    /* Translators: a change of a conversion rate, e.g. "Up 3.1 percentage points". */
    change = g_strdup_printf (_("Up %.1f percentage points"), points);
  else if (points <= -0.05)
    change = g_strdup_printf (_("Down %.1f percentage points"), -points);
  else
    change = g_strdup (_("No change"));

  if (MIN (pilot->before.pitched, pilot->during.pitched) < FEW_PITCHES)
    /* Translators: %s is a change ("Up 3.1 percentage points"); %d a number of pitches. */
    return g_strdup_printf (_("%s — from fewer than %d pitches on one side: read with care."),
                            change, FEW_PITCHES);
  return g_steal_pointer (&change);
}

static void
_fill_compare (FlPilotPage          *self,
               const FlPilotProfile *pilot)
{
  GTimeZone *tz = fl_context_get_time_zone (_context (self));
  gint32 during_first = pilot->start_day;
  gint32 before_first = fl_day_of (pilot->before_start, tz);
  g_autofree char *caption = NULL;
  g_autofree char *change = NULL;
  guint scale_max;

  if (pilot->n_days == 0)
    {
      gtk_label_set_label (GTK_LABEL (self->window_label),
                           pilot->state == FL_PILOT_NOT_STARTED
                           ? _("The pilot has not started yet.")
                           : _("No complete day of the pilot yet: the comparison starts "
                               "tomorrow."));
      gtk_widget_set_visible (self->compare_list, FALSE);
      gtk_widget_set_visible (self->change_label, FALSE);
      gtk_widget_set_visible (self->regions_section, FALSE);
      return;
    }

  if (pilot->n_days == 1)
    {
      g_autofree char *during = fl_date_format (during_first);
      g_autofree char *before = fl_date_format (before_first);

      /* Translators: "All categories, in the pilot’s regions: its first day
       * (2026-11-16) against the day before (2026-11-15)." */
      caption = g_strdup_printf (_("All categories, in the pilot’s regions: its first day (%s) "
                                   "against the day before (%s)."), during, before);
    }
  else
    {
      g_autofree char *during = _format_days (during_first,
                                              during_first + pilot->n_days - 1);
      g_autofree char *before = _format_days (before_first,
                                              before_first + pilot->n_days - 1);

      /* Translators: "All categories, in the pilot’s regions: its 7 complete
       * days (2026-11-16 – 2026-11-22) against the 7 days before
       * (2026-11-09 – 2026-11-15)." */
      caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "All categories, in the pilot’s regions: its "
                                              "%d complete day (%s) against the %d day "
                                              "before (%s).",
                                              "All categories, in the pilot’s regions: its "
                                              "%d complete days (%s) against the %d days "
                                              "before (%s).",
                                              pilot->n_days),
                                 pilot->n_days, during, pilot->n_days, before);
    }
  gtk_label_set_label (GTK_LABEL (self->window_label), caption);

  scale_max = MAX (pilot->before.pitched, pilot->during.pitched);
  gtk_list_box_append (GTK_LIST_BOX (self->compare_list),
                       _compare_row_new (self, _("Before the pilot"), &pilot->before, scale_max,
                                         "compare-before"));
  gtk_list_box_append (GTK_LIST_BOX (self->compare_list),
                       _compare_row_new (self, _("During the pilot"), &pilot->during, scale_max,
                                         "compare-during"));
  gtk_widget_set_visible (self->compare_list, TRUE);

  change = _dup_change_text (pilot);
  gtk_label_set_label (GTK_LABEL (self->change_label), change);
  gtk_widget_set_visible (self->change_label, TRUE);

  for (guint i = 0; i < pilot->regions->len; i++)
    {
      const FlPilotRegion *region = g_ptr_array_index (pilot->regions, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *before = _format_conversion (&region->before);
      g_autofree char *during = _format_conversion (&region->during);
      g_autofree char *subtitle = NULL;

      /* Translators: "Before 12/40 · 30 % → during 15/41 · 37 %". */
      subtitle = g_strdup_printf (_("Before %s → during %s"), before, during);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), region->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_set_focusable (row, FALSE);
      g_object_set_data_full (G_OBJECT (row), "region-code", g_strdup (region->code), g_free);
      gtk_list_box_append (GTK_LIST_BOX (self->region_list), row);
    }
  gtk_widget_set_visible (self->regions_section, pilot->regions->len > 1);
}

/* FlLoadingPage */

static gpointer
_load_profile (FlStore              *store,
               const FlPageRequest  *request,
               GError              **error)
{
  return fl_pilot_profile_load (store, request->id, request->now, error);
}

static const char *
_get_title (gconstpointer profile)
{
  return ((const FlPilotProfile *) profile)->title;
}

static void
_clear (FlLoadingPage *page)
{
  FlPilotPage *self = FL_PILOT_PAGE (page);

  fl_loading_page_clear_list (self->compare_list);
  fl_loading_page_clear_list (self->region_list);
  g_object_set_data (G_OBJECT (self->owner_row), "link", NULL);
}

/* The title at once (a primary-key lookup). */
static char *
_dup_quick_title (FlLoadingPage *page,
                  FlStore       *store,
                  const char    *id)
{
  FlPilot *pilot = fl_store_get_pilot (store, id, NULL);
  char *title;

  if (pilot == NULL)
    return NULL;
  title = g_strdup (pilot->title);
  fl_pilot_free (pilot);
  return title;
}

static void
_fill (FlLoadingPage *page,
       gconstpointer  profile)
{
  FlPilotPage *self = FL_PILOT_PAGE (page);
  const FlPilotProfile *pilot = profile;
  g_autoptr(GString) regions = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *state = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *owner = NULL;
  gboolean owner_known;

  gtk_label_set_label (GTK_LABEL (self->title_label), pilot->title);
  /* Translators: %s is a pitch pilot's id. */
  id_text = g_strdup_printf (_("Pitch pilot %s"), pilot->id);
  gtk_label_set_label (GTK_LABEL (self->id_label), id_text);

  state = _dup_state_text (pilot);
  gtk_label_set_label (GTK_LABEL (self->state_label), state);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (self->progress_bar),
                           pilot->state == FL_PILOT_RUNNING ? pilot->day
                           : pilot->state == FL_PILOT_ENDED ? FL_PILOT_DAYS : 0);

  dates = _format_days (pilot->start_day, pilot->last_day);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->dates_row), dates);

  regions = g_string_new (NULL);
  for (guint i = 0; i < pilot->regions->len; i++)
    {
      const FlPilotRegion *region = g_ptr_array_index (pilot->regions, i);

      if (i > 0)
        /* Translators: the separator of a list of region names. */
        g_string_append (regions, _(", "));
      g_string_append (regions, region->name);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->regions_row), regions->str);

  owner_known = pilot->owner_name != NULL;
  if (owner_known)
    /* Translators: a rep's name and id, e.g. "张伟 (r-0395)". */
    owner = g_strdup_printf (_("%s (%s)"), pilot->owner_name, pilot->owner_id);
  else
    /* Translators: %s is a rep id. */
    owner = g_strdup_printf (_("%s — not in the local data"), pilot->owner_id);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->owner_row), owner);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->owner_row), owner_known);
  gtk_widget_set_visible (self->owner_arrow, owner_known);
  if (owner_known)
    g_object_set_data_full (G_OBJECT (self->owner_row), "link",
                            fl_link_build (FL_LINK_REP, pilot->owner_id), g_free);

  _fill_compare (self, pilot);
}

/* Colours only: the figures shown are still right. */
static void
_palette_changed (FlLoadingPage *page,
                  gconstpointer  profile)
{
  _clear (page);
  _fill (page, profile);
}

/* overrides */

static void
fl_pilot_page_class_init (FlPilotPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FlLoadingPageClass *page_class = FL_LOADING_PAGE_CLASS (klass);

  page_class->load = _load_profile;
  page_class->profile_free = (GDestroyNotify) fl_pilot_profile_free;
  page_class->get_title = _get_title;
  page_class->fill = _fill;
  page_class->clear = _clear;
  page_class->palette_changed = _palette_changed;
  page_class->dup_quick_title = _dup_quick_title;
  fl_loading_page_class_install_subject_property (page_class, "pilot-id");

  fl_loading_page_class_set_template_from_resource (
    widget_class, "/io/github/fieldlight/Fieldlight/fl-pilot-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, change_label);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, compare_list);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, dates_row);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, id_label);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, owner_arrow);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, owner_row);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, region_list);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, regions_row);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, regions_section);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FlPilotPage, window_label);

  gtk_widget_class_set_css_name (widget_class, "pilotpage");
}

static void
fl_pilot_page_init (FlPilotPage *self)
{
  g_type_ensure (FL_TYPE_CONVERSION_BAR);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* public API: the base's, typed */

FL_LOADING_PAGE_DEFINE_API (FlPilotPage, fl_pilot_page, FL_TYPE_PILOT_PAGE, pilot_id)
