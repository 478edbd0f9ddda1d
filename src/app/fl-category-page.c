/* fl-category-page.c — one product category: pitches and signings by region
 *
 * "Where it flows and where not" over the last complete ISO week, the gap
 * rule's unit (SPEC §4.3), so that the flags agree with the alerts listed
 * below them: a bar per region, the capability-gap alerts of the category,
 * and the category's products.
 *
 * The profile (25–65 ms on 1,000,000 visits) is read in a worker on a cache
 * file (fl-page-loader.h): a new category shows its name and a spinner until
 * it arrives; on "changed" the figures shown stay until the new ones replace
 * them, and the alerts follow the new evaluation at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-category-page.h"
#include "fl-alert-row.h"
#include "fl-bar-chart.h"
#include "fl-region-layer.h"

/* The window of the page: the gap rule's week. */
#define N_WEEKS 1

/* ---- FlConversionBar ------------------------------------------------------------------------ */

#define BAR_HEIGHT 10

struct _FlConversionBar
{
  GtkWidget            parent_instance;

  guint                pitched;
  guint                signed_;
  guint                scale_max;
  FlConversionBarRole  role;
  FlPalette            palette;
};

G_DEFINE_FINAL_TYPE (FlConversionBar, fl_conversion_bar, GTK_TYPE_WIDGET)

static void
_bar_color (FlConversionBar *self,
            GdkRGBA         *color)
{
  switch (self->role)
    {
    case FL_CONVERSION_BAR_GOOD:
      fl_palette_get_color (self->palette, FL_STATUS_GREEN, color);
      break;
    case FL_CONVERSION_BAR_BELOW:
      fl_palette_get_color (self->palette, FL_STATUS_YELLOW, color);
      break;
    case FL_CONVERSION_BAR_NEUTRAL:
    default:
      fl_widget_get_theme_colors (GTK_WIDGET (self), NULL, color);
      break;
    }
}

static void
_rounded_rect (cairo_t *cr,
               double   x,
               double   y,
               double   width,
               double   height)
{
  double r = MIN (height / 2.0, width / 2.0);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - r, y + r, r, -G_PI / 2.0, 0);
  cairo_arc (cr, x + width - r, y + height - r, r, 0, G_PI / 2.0);
  cairo_arc (cr, x + r, y + height - r, r, G_PI / 2.0, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3.0 * G_PI / 2.0);
  cairo_close_path (cr);
}

static void
fl_conversion_bar_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  FlConversionBar *self = FL_CONVERSION_BAR (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double y = (height - BAR_HEIGHT) / 2.0;
  double pitched_width, signed_width;
  GdkRGBA fg, color;
  cairo_t *cr;

  if (width <= 0)
    return;
  gtk_style_context_get_color (context, &fg);
  _bar_color (self, &color);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* The track: the scale of the list, faint in the theme's text colour. */
  _rounded_rect (cr, 0, y, width, BAR_HEIGHT);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.08);
  cairo_fill (cr);

  if (self->pitched > 0 && self->scale_max > 0)
    {
      pitched_width = MAX (width * MIN (self->pitched, self->scale_max) / self->scale_max,
                           BAR_HEIGHT);
      signed_width = pitched_width * self->signed_ / self->pitched;

      cairo_save (cr);
      _rounded_rect (cr, 0, y, pitched_width, BAR_HEIGHT);
      cairo_clip (cr);
      /* Pitched, not signed: light; signed: solid. */
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.35);
      cairo_paint (cr);
      cairo_rectangle (cr, 0, y, signed_width, BAR_HEIGHT);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 1.0);
      cairo_fill (cr);
      cairo_restore (cr);
    }
  cairo_destroy (cr);
}

static void
fl_conversion_bar_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 40;
      *natural = 200;
    }
  else
    *minimum = *natural = BAR_HEIGHT + 4;
}

static void
fl_conversion_bar_class_init (FlConversionBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = fl_conversion_bar_snapshot;
  widget_class->measure = fl_conversion_bar_measure;
  gtk_widget_class_set_css_name (widget_class, "conversionbar");
  /* The row's text says the same figures. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
fl_conversion_bar_init (FlConversionBar *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  fl_widget_redraw_on_dark (GTK_WIDGET (self));
}

GtkWidget *
fl_conversion_bar_new (void)
{
  return g_object_new (FL_TYPE_CONVERSION_BAR, NULL);
}

void
fl_conversion_bar_set (FlConversionBar     *self,
                       guint                pitched,
                       guint                signed_,
                       guint                scale_max,
                       FlConversionBarRole  role,
                       FlPalette            palette)
{
  g_return_if_fail (FL_IS_CONVERSION_BAR (self));

  self->pitched = pitched;
  self->signed_ = MIN (signed_, pitched);
  self->scale_max = scale_max;
  self->role = role;
  self->palette = palette;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
fl_conversion_bar_get_pitched (FlConversionBar *self)
{
  g_return_val_if_fail (FL_IS_CONVERSION_BAR (self), 0);
  return self->pitched;
}

guint
fl_conversion_bar_get_signed (FlConversionBar *self)
{
  g_return_val_if_fail (FL_IS_CONVERSION_BAR (self), 0);
  return self->signed_;
}

FlConversionBarRole
fl_conversion_bar_get_role (FlConversionBar *self)
{
  g_return_val_if_fail (FL_IS_CONVERSION_BAR (self), FL_CONVERSION_BAR_NEUTRAL);
  return self->role;
}

/* ---- FlCategoryPage ------------------------------------------------------------------------- */

struct _FlCategoryPage
{
  FlLoadingPage  parent_instance;

  /* template widgets */
  GtkWidget     *alert_list;
  GtkWidget     *no_alerts_label;
  GtkWidget     *order_value_label;
  GtkWidget     *product_list;
  GtkWidget     *region_list;
  GtkWidget     *title_label;
  GtkWidget     *window_label;
};

G_DEFINE_FINAL_TYPE (FlCategoryPage, fl_category_page, FL_TYPE_LOADING_PAGE)

/* helpers */

static FlContext *
_context (FlCategoryPage *self)
{
  return fl_loading_page_get_context (FL_LOADING_PAGE (self));
}

/* "4/20 · 20 %" */
static char *
_format_conversion (const FlConversion *conversion)
{
  /* Translators: signed/pitched and the rate, e.g. "4/20 · 20 %"; keep the %%. */
  return g_strdup_printf (_("%u/%u · %.0f %%"), conversion->signed_, conversion->pitched,
                          conversion->rate * 100.0);
}

static char *
_format_day (gint64     time,
             GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%Y-%m-%d");
}

static GtkWidget *
_flow_note_new (const char *icon_name,
                const char *text,
                const char *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (text);

  if (icon_name != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Warning"), -1);
      gtk_box_append (GTK_BOX (box), icon);
    }
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "caption");
  gtk_widget_add_css_class (box, css_class);
  gtk_widget_add_css_class (box, "flow-note");
  return box;
}

static GtkWidget *
_region_row_new (FlCategoryPage          *self,
                 const FlCategoryProfile *profile,
                 const FlCategoryRegion  *region,
                 guint                    scale_max)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (region->name);
  GtkWidget *figures;
  GtkWidget *bar = fl_conversion_bar_new ();
  GtkWidget *note = NULL;
  FlConversionBarRole role = FL_CONVERSION_BAR_NEUTRAL;
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;
  const char *flow_class = "flow-ok";

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (line), name);

  switch (region->flow)
    {
    case FL_FLOW_NOT_PITCHED:
      text = g_strdup (_("Not pitched"));
      flow_class = "flow-not-pitched";
      break;
    case FL_FLOW_BELOW:
      {
        /* Translators: a region's conversion rate is below this share of the
         * province's, e.g. "Below 70 % of the province’s rate"; keep the %%. */
        g_autofree char *words =
          g_strdup_printf (_("Below %d %% of the province’s rate"),
                           (int) (profile->gap_ratio * 100.0 + 0.5));

        text = _format_conversion (&region->conversion);
        note = _flow_note_new ("dialog-warning-symbolic", words, "warning");
        role = FL_CONVERSION_BAR_BELOW;
        flow_class = "flow-below";
      }
      break;
    case FL_FLOW_FEW_PITCHES:
      {
        g_autofree char *words =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Too few pitches to compare (fewer than %u)",
                                        "Too few pitches to compare (fewer than %u)",
                                        profile->min_pitches),
                           profile->min_pitches);

        text = _format_conversion (&region->conversion);
        note = _flow_note_new (NULL, words, "dim-label");
        flow_class = "flow-few";
      }
      break;
    case FL_FLOW_OK:
    default:
      text = _format_conversion (&region->conversion);
      role = FL_CONVERSION_BAR_GOOD;
      break;
    }

  figures = gtk_label_new (text);
  gtk_widget_add_css_class (figures, "numeric");
  if (region->flow == FL_FLOW_NOT_PITCHED)
    gtk_widget_add_css_class (figures, "dim-label");
  gtk_widget_add_css_class (figures, "flow-figures");
  gtk_box_append (GTK_BOX (line), figures);
  gtk_box_append (GTK_BOX (box), line);

  fl_conversion_bar_set (FL_CONVERSION_BAR (bar), region->conversion.pitched,
                         region->conversion.signed_, scale_max, role,
                         fl_context_get_palette (_context (self)));
  gtk_box_append (GTK_BOX (box), bar);
  if (note != NULL)
    gtk_box_append (GTK_BOX (box), note);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_add_css_class (row, "region-flow-row");
  gtk_widget_add_css_class (row, flow_class);
  g_object_set_data_full (G_OBJECT (row), "region-code", g_strdup (region->code), g_free);

  /* Translators: for screen readers, e.g. "宁波市: 4/20 · 20 %". */
  accessible = g_strdup_printf (_("%s: %s"), region->name, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  return row;
}

static void
_fill_regions (FlCategoryPage          *self,
               const FlCategoryProfile *profile)
{
  GTimeZone *tz = fl_context_get_time_zone (_context (self));
  g_autofree char *first = _format_day (profile->start, tz);
  g_autofree char *last = _format_day (profile->end - 1, tz);
  g_autofree char *province = _format_conversion (&profile->province);
  g_autofree char *caption = NULL;
  guint scale_max = 0;

  /* Translators: the window of the figures: "Last complete week, 2026-W47
   * (2026-11-16 – 2026-11-22). Province: 14/45 · 31 %". */
  caption = g_strdup_printf (_("Last complete week, %s (%s – %s). Province: %s"),
                             profile->last_week, first, last, province);
  gtk_label_set_label (GTK_LABEL (self->window_label), caption);

  for (guint i = 0; i < profile->regions->len; i++)
    {
      const FlCategoryRegion *region = g_ptr_array_index (profile->regions, i);

      scale_max = MAX (scale_max, region->conversion.pitched);
    }
  for (guint i = 0; i < profile->regions->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->region_list),
                         _region_row_new (self, profile, g_ptr_array_index (profile->regions, i),
                                          scale_max));
}

static GtkWidget *
_alert_row_new (FlCategoryPage *self,
                const FlAlert  *alert)
{
  FlStore *store = fl_context_get_store (_context (self));
  g_autofree char *title = fl_alert_dup_title (store, alert);
  g_autofree char *money = fl_format_money (alert->value_at_risk);
  g_autofree char *subtitle = NULL;

  if (alert->actioned)
    subtitle = g_strdup (_("Actioned"));
  else
    /* Translators: %s is an amount of money. */
    subtitle = g_strdup_printf (_("Value at risk: %s"), money);
  return fl_alert_action_row_new (_context (self), alert, title, subtitle);
}

static void
_fill_alerts (FlCategoryPage *self)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (_context (self));
  const char *category_id = fl_loading_page_get_subject_id (FL_LOADING_PAGE (self));
  guint n = 0;

  for (guint i = 0; evaluation != NULL && i < evaluation->alerts->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->category != FL_ALERT_GAP || g_strcmp0 (alert->subject, category_id) != 0)
        continue;
      gtk_list_box_append (GTK_LIST_BOX (self->alert_list), _alert_row_new (self, alert));
      n++;
    }
  gtk_widget_set_visible (self->alert_list, n > 0);
  gtk_widget_set_visible (self->no_alerts_label, n == 0);
}

static void
_fill_products (FlCategoryPage          *self,
                const FlCategoryProfile *profile)
{
  for (guint i = 0; i < profile->products->len; i++)
    {
      const FlCategoryProduct *product = g_ptr_array_index (profile->products, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *figures;
      g_autofree char *text = product->conversion.pitched > 0
                              ? _format_conversion (&product->conversion)
                              : g_strdup (_("Not pitched"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), product->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), product->id);
      figures = gtk_label_new (text);
      gtk_widget_add_css_class (figures, "numeric");
      if (product->conversion.pitched == 0)
        gtk_widget_add_css_class (figures, "dim-label");
      gtk_widget_add_css_class (figures, "flow-figures");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), figures);
      gtk_widget_set_focusable (row, FALSE);
      g_object_set_data_full (G_OBJECT (row), "product-id", g_strdup (product->id), g_free);
      gtk_list_box_append (GTK_LIST_BOX (self->product_list), row);
    }
}

/* FlLoadingPage */

static gpointer
_load_profile (FlStore              *store,
               const FlPageRequest  *request,
               GError              **error)
{
  return fl_category_profile_load (store, request->id, request->now, N_WEEKS, &request->rules,
                                   error);
}

static const char *
_get_title (gconstpointer profile)
{
  return ((const FlCategoryProfile *) profile)->name;
}

static void
_clear (FlLoadingPage *page)
{
  FlCategoryPage *self = FL_CATEGORY_PAGE (page);

  fl_loading_page_clear_list (self->region_list);
  fl_loading_page_clear_list (self->alert_list);
  fl_loading_page_clear_list (self->product_list);
}

static void
_fill (FlLoadingPage *page,
       gconstpointer  data)
{
  FlCategoryPage *self = FL_CATEGORY_PAGE (page);
  const FlCategoryProfile *profile = data;
  g_autofree char *money = NULL;
  g_autofree char *order_value = NULL;

  gtk_label_set_label (GTK_LABEL (self->title_label), profile->name);
  money = fl_format_money (profile->avg_order_value);
  /* Translators: %s is an amount of money, e.g. "1,800 CNY". */
  order_value = g_strdup_printf (_("Average order value: %s"), money);
  gtk_label_set_label (GTK_LABEL (self->order_value_label), order_value);

  _fill_regions (self, profile);
  _fill_alerts (self);
  _fill_products (self, profile);
}

/* The name at once (a primary-key lookup). */
static char *
_dup_quick_title (FlLoadingPage *page,
                  FlStore       *store,
                  const char    *id)
{
  FlProductCategory *category = fl_store_get_category (store, id, NULL);
  char *name;

  if (category == NULL)
    return NULL;
  name = g_strdup (category->name);
  fl_product_category_free (category);
  return name;
}

/* The alerts are the new evaluation's at once (an executed one shows
 * actioned); the figures stay until they are read again. */
static void
_context_changed (FlLoadingPage *page,
                  gconstpointer  profile)
{
  FlCategoryPage *self = FL_CATEGORY_PAGE (page);

  fl_loading_page_clear_list (self->alert_list);
  _fill_alerts (self);
}

/* Colours only: the figures shown are still right. */
static void
_palette_changed (FlLoadingPage *page,
                  gconstpointer  profile)
{
  FlCategoryPage *self = FL_CATEGORY_PAGE (page);

  fl_loading_page_clear_list (self->region_list);
  _fill_regions (self, profile);
}

/* overrides */

static void
fl_category_page_class_init (FlCategoryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FlLoadingPageClass *page_class = FL_LOADING_PAGE_CLASS (klass);

  page_class->load = _load_profile;
  page_class->profile_free = (GDestroyNotify) fl_category_profile_free;
  page_class->get_title = _get_title;
  page_class->fill = _fill;
  page_class->clear = _clear;
  page_class->dup_quick_title = _dup_quick_title;
  page_class->context_changed = _context_changed;
  page_class->palette_changed = _palette_changed;
  fl_loading_page_class_install_subject_property (page_class, "category-id");

  g_type_ensure (FL_TYPE_CONVERSION_BAR);
  fl_loading_page_class_set_template_from_resource (
    widget_class, "/io/github/fieldlight/Fieldlight/fl-category-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlCategoryPage, alert_list);
  gtk_widget_class_bind_template_child (widget_class, FlCategoryPage, no_alerts_label);
  gtk_widget_class_bind_template_child (widget_class, FlCategoryPage, order_value_label);
  gtk_widget_class_bind_template_child (widget_class, FlCategoryPage, product_list);
  gtk_widget_class_bind_template_child (widget_class, FlCategoryPage, region_list);
  gtk_widget_class_bind_template_child (widget_class, FlCategoryPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FlCategoryPage, window_label);

  gtk_widget_class_set_css_name (widget_class, "categorypage");
}

static void
fl_category_page_init (FlCategoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* public API: the base's, typed */

FL_LOADING_PAGE_DEFINE_API (FlCategoryPage, fl_category_page, FL_TYPE_CATEGORY_PAGE, category_id)
