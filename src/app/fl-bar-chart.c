/* fl-bar-chart.c — a small vertical bar chart: one bar per value, a label under each
 *
 * A y axis from 0 to a round maximum (both labelled, with faint lines), the
 * bars in the theme's accent colour, translucent except the emphasised one,
 * which is solid, carries its value above it and has its label in bold: the
 * emphasis never rests on colour alone. Labels under the bars are thinned
 * out (every 2nd, 3rd …, always keeping the emphasised one) when the widget
 * is too narrow for all of them. Drawn with GtkSnapshot in snapshot().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "fl-bar-chart.h"

#define NAT_WIDTH   320
#define MIN_HEIGHT  110
#define NAT_HEIGHT  130
#define MIN_SLOT    8
#define PAD         4.f

struct _FlBarChart
{
  GtkWidget  parent_instance;

  /* owned */
  GArray    *values;      /* double */
  GPtrArray *labels;      /* char*, NULL entries allowed */
  int        emphasis;
  double     axis_max;
};

G_DEFINE_FINAL_TYPE (FlBarChart, fl_bar_chart, GTK_TYPE_WIDGET)

/* helpers */

static double
_nice_max (double max)
{
  double step;

  if (max <= 0)
    return 1;
  if (max <= 10)
    return ceil (max);
  step = pow (10, floor (log10 (max))) / 2;
  return ceil (max / step) * step;
}

static char *
_format_value (double value)
{
  if (value == floor (value))
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

static PangoLayout *
_small_layout (FlBarChart *self,
               const char *text,
               gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
_append_text (GtkSnapshot   *snapshot,
              PangoLayout   *layout,
              float          x,
              float          y,
              const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
_update_accessible (FlBarChart *self)
{
  g_autoptr(GString) description = g_string_new (NULL);

  for (guint i = 0; i < self->values->len; i++)
    {
      const char *label = g_ptr_array_index (self->labels, i);
      g_autofree char *value = _format_value (g_array_index (self->values, double, i));

      if (description->len > 0)
        /* Translators: the separator between the bars in a chart's spoken description */
        g_string_append (description, _(", "));
      /* Translators: one bar of a chart, spoken: its label and its value, e.g. "Mon: 3" */
      g_string_append_printf (description, _("%s: %s"), label != NULL ? label : "", value);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
}

/* overrides */

static void
fl_bar_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  FlBarChart *self = FL_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 40 + MAX (self->values->len, 1) * MIN_SLOT;
      *natural = MAX (*minimum, NAT_WIDTH);
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NAT_HEIGHT;
    }
}

static void
fl_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  FlBarChart *self = FL_BAR_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) top_label = NULL;
  g_autoptr(PangoLayout) zero_label = NULL;
  g_autofree char *top_text = NULL;
  GdkRGBA fg, accent, line, faint, bar, zero_mark;
  int top_w, top_h, zero_w, zero_h, label_h = 0;
  float axis_w, plot_top, plot_bottom, plot_w, slot;
  guint n = self->values->len, step = 1;
  int max_label_w = 0;

  fl_widget_get_theme_colors (widget, &fg, &accent);
  line = fg;
  line.alpha *= 0.3f;
  faint = fg;
  faint.alpha *= 0.12f;
  bar = accent;
  bar.alpha *= 0.55f;
  zero_mark = fg;
  zero_mark.alpha *= 0.25f;

  top_text = _format_value (self->axis_max);
  top_label = _small_layout (self, top_text, FALSE);
  zero_label = _small_layout (self, "0", FALSE);
  pango_layout_get_pixel_size (top_label, &top_w, &top_h);
  pango_layout_get_pixel_size (zero_label, &zero_w, &zero_h);
  axis_w = MAX (top_w, zero_w) + 2 * PAD;

  for (guint i = 0; i < n; i++)
    {
      const char *text = g_ptr_array_index (self->labels, i);
      g_autoptr(PangoLayout) layout = NULL;
      int w, h;

      if (text == NULL)
        continue;
      layout = _small_layout (self, text, (int) i == self->emphasis);
      pango_layout_get_pixel_size (layout, &w, &h);
      max_label_w = MAX (max_label_w, w);
      label_h = MAX (label_h, h);
    }

  plot_top = top_h + PAD;
  plot_bottom = height - (label_h > 0 ? label_h + PAD : 0) - 1;
  plot_w = width - axis_w;
  if (n == 0 || plot_w <= 0 || plot_bottom <= plot_top)
    return;
  slot = plot_w / n;
  while (step < n && max_label_w + PAD > slot * step)
    step++;

  /* Axis labels and lines: the maximum at the top, 0 at the base line. */
  _append_text (snapshot, top_label, axis_w - PAD - top_w, plot_top - top_h / 2.f, &fg);
  _append_text (snapshot, zero_label, axis_w - PAD - zero_w, plot_bottom - zero_h / 2.f, &fg);
  gtk_snapshot_append_color (snapshot, &faint,
                             &GRAPHENE_RECT_INIT (axis_w, plot_top, plot_w, 1));
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (axis_w, plot_bottom, plot_w, 1));

  for (guint i = 0; i < n; i++)
    {
      double value = MAX (g_array_index (self->values, double, i), 0);
      float bar_w = MAX (2.f, slot * 0.64f);
      float x = axis_w + slot * i + (slot - bar_w) / 2;
      float bar_h = (float) (value / self->axis_max) * (plot_bottom - plot_top);
      gboolean emphasised = (int) i == self->emphasis;
      const char *text = g_ptr_array_index (self->labels, i);

      if (value > 0)
        gtk_snapshot_append_color (snapshot, emphasised ? &accent : &bar,
                                   &GRAPHENE_RECT_INIT (x, plot_bottom - bar_h, bar_w, bar_h));
      else   /* a day without visits: a faint 2 px mark on the axis */
        gtk_snapshot_append_color (snapshot, &zero_mark,
                                   &GRAPHENE_RECT_INIT (x, plot_bottom - 2, bar_w, 2));

      if (emphasised)
        {
          g_autofree char *value_text = _format_value (value);
          g_autoptr(PangoLayout) layout = _small_layout (self, value_text, TRUE);
          int w, h;

          pango_layout_get_pixel_size (layout, &w, &h);
          /* Above the bar; inside its top when the bar reaches the top line. */
          _append_text (snapshot, layout, x + (bar_w - w) / 2,
                        MAX (0, plot_bottom - bar_h - h - 1), &fg);
        }

      if (text != NULL && (emphasised || (i % step == 0 &&
                                          (self->emphasis < 0 ||
                                           abs ((int) i - self->emphasis) >= (int) step))))
        {
          g_autoptr(PangoLayout) layout = _small_layout (self, text, emphasised);
          int w, h;

          pango_layout_get_pixel_size (layout, &w, &h);
          _append_text (snapshot, layout, axis_w + slot * i + (slot - w) / 2,
                        plot_bottom + PAD, &fg);
        }
    }
}

static void
fl_bar_chart_finalize (GObject *object)
{
  FlBarChart *self = FL_BAR_CHART (object);

  g_array_unref (self->values);
  g_ptr_array_unref (self->labels);

  G_OBJECT_CLASS (fl_bar_chart_parent_class)->finalize (object);
}

static void
fl_bar_chart_class_init (FlBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_bar_chart_finalize;

  widget_class->measure = fl_bar_chart_measure;
  widget_class->snapshot = fl_bar_chart_snapshot;

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fl_bar_chart_init (FlBarChart *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->emphasis = -1;
  self->axis_max = 1;
  fl_widget_redraw_on_dark (GTK_WIDGET (self));
  _update_accessible (self);
}

/* public API */

GtkWidget *
fl_bar_chart_new (void)
{
  return g_object_new (FL_TYPE_BAR_CHART, NULL);
}

void
fl_bar_chart_set_data (FlBarChart         *self,
                       const double       *values,
                       const char * const *labels,
                       guint               n,
                       int                 emphasis)
{
  double max = 0;

  g_return_if_fail (FL_IS_BAR_CHART (self));
  g_return_if_fail (n == 0 || values != NULL);

  g_array_set_size (self->values, 0);
  g_ptr_array_set_size (self->labels, 0);
  for (guint i = 0; i < n; i++)
    {
      g_array_append_val (self->values, values[i]);
      g_ptr_array_add (self->labels, g_strdup (labels != NULL ? labels[i] : NULL));
      max = MAX (max, values[i]);
    }
  self->emphasis = emphasis >= 0 && (guint) emphasis < n ? emphasis : -1;
  self->axis_max = _nice_max (max);
  _update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
fl_bar_chart_get_n_values (FlBarChart *self)
{
  g_return_val_if_fail (FL_IS_BAR_CHART (self), 0);
  return self->values->len;
}

double
fl_bar_chart_get_value (FlBarChart *self,
                        guint       index)
{
  g_return_val_if_fail (FL_IS_BAR_CHART (self), 0);
  g_return_val_if_fail (index < self->values->len, 0);
  return g_array_index (self->values, double, index);
}

double
fl_bar_chart_get_axis_max (FlBarChart *self)
{
  g_return_val_if_fail (FL_IS_BAR_CHART (self), 1);
  return self->axis_max;
}

/* the theme, as every chart of the app follows it */

void
fl_widget_get_theme_colors (GtkWidget *widget,
                            GdkRGBA   *fg,
                            GdkRGBA   *accent)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (fg != NULL)
    gtk_style_context_get_color (context, fg);
  if (accent != NULL && !gtk_style_context_lookup_color (context, "accent_color", accent))
    gdk_rgba_parse (accent, adw_style_manager_get_dark (adw_style_manager_get_default ())
                            ? "#78aeed" : "#1c71d8");
}

static void
_dark_changed_cb (GtkWidget *widget)
{
  gtk_widget_queue_draw (widget);
}

void
fl_widget_redraw_on_dark (GtkWidget *widget)
{
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (_dark_changed_cb), widget, G_CONNECT_SWAPPED);
}
