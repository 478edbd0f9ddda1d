/* fl-radar-chart.c — radar chart of a customer's six health dimensions
 *
 * A hexagonal grid (rings at 20/40/60/80/100), one labelled spoke per
 * dimension, the earlier series as a dashed outline and the current one as a
 * translucent filled polygon with a solid outline, and a one-line legend.
 * Colours come from the theme (foreground, accent) so the chart follows the
 * light/dark style; AdwStyleManager:dark queues a redraw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "fl-bar-chart.h"
#include "fl-radar-chart.h"

#define N_AXES      FL_RADAR_CHART_N_AXES
#define MIN_WIDTH   280
#define MIN_HEIGHT  240
#define NAT_WIDTH   360
#define LABEL_PAD   6.
#define EDGE_MARGIN 4.

struct _FlRadarChart
{
  GtkWidget parent_instance;

  gboolean  has_current;
  gboolean  has_previous;
  int       current[N_AXES];
  int       previous[N_AXES];
  char     *current_label;
  char     *previous_label;

  gboolean  has_geometry;
  double    center_x, center_y, radius;
};

G_DEFINE_FINAL_TYPE (FlRadarChart, fl_radar_chart, GTK_TYPE_WIDGET)

static const char *
_axis_name (guint axis)
{
  /* FlHealth.scores order (fl_health_dimension_keys) */
  switch (axis)
    {
    case 0: return _("Cooperation stability");
    case 1: return _("New-product acceptance");
    case 2: return _("Competitor penetration (lower is better)");
    case 3: return _("Sell-through");
    case 4: return _("Inventory health");
    case 5: return _("Payment punctuality");
    default: g_return_val_if_reached ("");
    }
}

static const char *
_current_label (FlRadarChart *self)
{
  return self->current_label != NULL ? self->current_label : _("This week");
}

static const char *
_previous_label (FlRadarChart *self)
{
  return self->previous_label != NULL ? self->previous_label : _("Three weeks ago");
}

static void
_axis_direction (guint   axis,
                 double *dx,
                 double *dy)
{
  double angle = -G_PI / 2 + axis * (2 * G_PI / N_AXES);

  *dx = cos (angle);
  *dy = sin (angle);
}

/* ---- colours -------------------------------------------------------------------------------- */

typedef struct
{
  GdkRGBA fg;
  GdkRGBA accent;
  GdkRGBA previous;
} Colors;

static void
_colors (FlRadarChart *self,
         Colors       *colors)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (manager);

  fl_widget_get_theme_colors (GTK_WIDGET (self), &colors->fg, &colors->accent);
  /* The earlier series: a warm neutral that stays distinct from the accent
   * without shouting, dashed so it also reads without colour. */
  gdk_rgba_parse (&colors->previous, dark ? "#c0bfbc" : "#5e5c64");
}

static void
_set_source (cairo_t       *cr,
             const GdkRGBA *color,
             double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* ---- layout --------------------------------------------------------------------------------- */

typedef struct
{
  PangoLayout *labels[N_AXES];
  int          label_w[N_AXES], label_h[N_AXES];
  PangoLayout *legend_current, *legend_previous;
  int          legend_h;
  double       cx, cy, radius;
} Layout;

static PangoLayout *
_label_layout (FlRadarChart *self,
               guint         axis,
               int           wrap_width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autofree char *name = g_markup_escape_text (_axis_name (axis), -1);
  g_autofree char *markup = NULL;

  if (self->has_current && self->has_previous)
    {
      /* TRANSLATORS: a score on the radar chart: this week's value, then the earlier one */
      g_autofree char *value = g_strdup_printf (_("%d (was %d)"),
                                                self->current[axis], self->previous[axis]);
      g_autofree char *escaped = g_markup_escape_text (value, -1);

      markup = g_strdup_printf ("%s\n<b>%s</b>", name, escaped);
    }
  else if (self->has_current)
    markup = g_strdup_printf ("%s\n<b>%d</b>", name, self->current[axis]);
  else
    markup = g_strdup (name);

  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (layout, wrap_width * PANGO_SCALE);
  /* Top and bottom labels are centred on their spoke; side labels lean away from the chart. */
  if (axis == 0 || axis == 3)
    pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  else
    pango_layout_set_alignment (layout, axis < 3 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
  return layout;
}

static void
_layout_clear (Layout *layout)
{
  for (guint i = 0; i < N_AXES; i++)
    g_clear_object (&layout->labels[i]);
  g_clear_object (&layout->legend_current);
  g_clear_object (&layout->legend_previous);
}

static void
_layout_compute (FlRadarChart *self,
                 int           width,
                 int           height,
                 Layout       *layout)
{
  int wrap_width = MAX (70, (int) (width * .27));
  int side_w = 0, top_h, bottom_h;
  double r_h, r_v, block_h;

  for (guint i = 0; i < N_AXES; i++)
    {
      PangoRectangle ink, logical;

      /* Top and bottom labels have the whole width; side ones share it with the chart. */
      layout->labels[i] = _label_layout (self, i, (i == 0 || i == 3) ? width * .6 : wrap_width);
      pango_layout_get_pixel_extents (layout->labels[i], &ink, &logical);
      layout->label_w[i] = logical.width;
      layout->label_h[i] = logical.height;
      if (i != 0 && i != 3)
        side_w = MAX (side_w, logical.width);
    }

  layout->legend_current = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                           _current_label (self));
  layout->legend_previous = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                            _previous_label (self));
  pango_layout_get_pixel_size (layout->legend_current, NULL, &layout->legend_h);
  layout->legend_h += (int) LABEL_PAD;

  top_h = layout->label_h[0];
  bottom_h = layout->label_h[3];

  /* The side vertices sit at ±cos 30° · R; their labels beside them. */
  r_h = (width / 2. - EDGE_MARGIN - LABEL_PAD - side_w) / cos (G_PI / 6);
  r_v = (height - 2 * EDGE_MARGIN - top_h - bottom_h - 2 * LABEL_PAD - layout->legend_h) / 2.;
  layout->radius = MAX (20., MIN (r_h, r_v));

  /* Centre the block (top label, chart, bottom label, legend) vertically. */
  block_h = top_h + 2 * LABEL_PAD + 2 * layout->radius + bottom_h + layout->legend_h;
  layout->cx = width / 2.;
  layout->cy = MAX (EDGE_MARGIN, (height - block_h) / 2.) + top_h + LABEL_PAD + layout->radius;
}

/* ---- drawing -------------------------------------------------------------------------------- */

static void
_polygon_path (cairo_t      *cr,
               const Layout *layout,
               const int    *values,
               double        fixed_value)
{
  for (guint i = 0; i < N_AXES; i++)
    {
      double dx, dy;
      double value = values != NULL ? CLAMP (values[i], 0, 100) : fixed_value;
      double r = layout->radius * value / 100.;

      _axis_direction (i, &dx, &dy);
      if (i == 0)
        cairo_move_to (cr, layout->cx + r * dx, layout->cy + r * dy);
      else
        cairo_line_to (cr, layout->cx + r * dx, layout->cy + r * dy);
    }
  cairo_close_path (cr);
}

static void
_draw_grid (cairo_t      *cr,
            const Layout *layout,
            const Colors *colors)
{
  cairo_set_line_width (cr, 1);
  for (int ring = 20; ring <= 100; ring += 20)
    {
      _polygon_path (cr, layout, NULL, ring);
      _set_source (cr, &colors->fg, ring == 100 ? .35 : .15);
      cairo_stroke (cr);
    }

  for (guint i = 0; i < N_AXES; i++)
    {
      double dx, dy;

      _axis_direction (i, &dx, &dy);
      cairo_move_to (cr, layout->cx, layout->cy);
      cairo_line_to (cr, layout->cx + layout->radius * dx, layout->cy + layout->radius * dy);
    }
  _set_source (cr, &colors->fg, .15);
  cairo_stroke (cr);
}

static void
_draw_ring_values (FlRadarChart *self,
                   cairo_t      *cr,
                   const Layout *layout,
                   const Colors *colors)
{
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_X_SMALL));
  pango_layout_set_attributes (text, attrs);
  pango_attr_list_unref (attrs);

  /* Along the spoke between axes 0 and 5 (upper left), where no polygon edge usually is. */
  for (int ring = 20; ring <= 100; ring += 20)
    {
      char buffer[8];
      int w, h;
      double r = layout->radius * ring / 100.;

      g_snprintf (buffer, sizeof buffer, "%d", ring);
      pango_layout_set_text (text, buffer, -1);
      pango_layout_get_pixel_size (text, &w, &h);
      cairo_move_to (cr, layout->cx - w - 3, layout->cy - r - h / 2.);
      _set_source (cr, &colors->fg, .55);
      pango_cairo_show_layout (cr, text);
    }
}

static void
_draw_series (FlRadarChart *self,
              cairo_t      *cr,
              const Layout *layout,
              const Colors *colors)
{
  if (self->has_previous)
    {
      static const double dashes[] = { 5., 3. };

      _polygon_path (cr, layout, self->previous, 0);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_set_line_width (cr, 1.5);
      _set_source (cr, &colors->previous, 1.);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  if (self->has_current)
    {
      _polygon_path (cr, layout, self->current, 0);
      _set_source (cr, &colors->accent, .28);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 2);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      _set_source (cr, &colors->accent, 1.);
      cairo_stroke (cr);

      for (guint i = 0; i < N_AXES; i++)
        {
          double dx, dy;
          double r = layout->radius * CLAMP (self->current[i], 0, 100) / 100.;

          _axis_direction (i, &dx, &dy);
          cairo_arc (cr, layout->cx + r * dx, layout->cy + r * dy, 3, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }
}

static void
_draw_labels (cairo_t      *cr,
              const Layout *layout,
              const Colors *colors)
{
  _set_source (cr, &colors->fg, 1.);
  for (guint i = 0; i < N_AXES; i++)
    {
      double dx, dy, vx, vy, x, y;
      int w = layout->label_w[i], h = layout->label_h[i];
      PangoRectangle logical;

      _axis_direction (i, &dx, &dy);
      vx = layout->cx + layout->radius * dx;
      vy = layout->cy + layout->radius * dy;
      pango_layout_get_pixel_extents (layout->labels[i], NULL, &logical);

      if (i == 0)
        x = vx - w / 2., y = vy - LABEL_PAD - h;
      else if (i == 3)
        x = vx - w / 2., y = vy + LABEL_PAD;
      else if (i < 3)
        x = vx + LABEL_PAD, y = vy - h / 2.;
      else
        x = vx - LABEL_PAD - w, y = vy - h / 2.;

      /* The layout's own x offset (alignment within the wrap width) */
      cairo_move_to (cr, round (x - logical.x), round (y - logical.y));
      pango_cairo_show_layout (cr, layout->labels[i]);
    }
}

static void
_draw_legend (FlRadarChart *self,
              cairo_t      *cr,
              const Layout *layout,
              const Colors *colors,
              int           height)
{
  const double swatch = 18, gap = 6, spacing = 20;
  int w_cur, w_prev, h;
  double total, x, y;

  if (!self->has_current)
    return;

  pango_layout_get_pixel_size (layout->legend_current, &w_cur, &h);
  pango_layout_get_pixel_size (layout->legend_previous, &w_prev, NULL);
  total = swatch + gap + w_cur + (self->has_previous ? spacing + swatch + gap + w_prev : 0);
  x = round ((gtk_widget_get_width (GTK_WIDGET (self)) - total) / 2.);
  y = MIN (height - EDGE_MARGIN - h, layout->cy + layout->radius + LABEL_PAD +
           layout->label_h[3] + LABEL_PAD);

  cairo_rectangle (cr, x + .5, y + h / 2. - 5.5, swatch - 1, 10);
  _set_source (cr, &colors->accent, .28);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1.5);
  _set_source (cr, &colors->accent, 1.);
  cairo_stroke (cr);
  x += swatch + gap;
  cairo_move_to (cr, x, y);
  _set_source (cr, &colors->fg, 1.);
  pango_cairo_show_layout (cr, layout->legend_current);
  x += w_cur + spacing;

  if (self->has_previous)
    {
      static const double dashes[] = { 5., 3. };

      cairo_move_to (cr, x, round (y + h / 2.) + .5);
      cairo_line_to (cr, x + swatch, round (y + h / 2.) + .5);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      _set_source (cr, &colors->previous, 1.);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      x += swatch + gap;
      cairo_move_to (cr, x, y);
      _set_source (cr, &colors->fg, 1.);
      pango_cairo_show_layout (cr, layout->legend_previous);
    }
}

static void
_draw_no_data (FlRadarChart *self,
               cairo_t      *cr,
               const Layout *layout,
               const Colors *colors)
{
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                _("No health data"));
  int w, h;

  pango_layout_get_pixel_size (text, &w, &h);
  cairo_move_to (cr, round (layout->cx - w / 2.), round (layout->cy - h / 2.));
  _set_source (cr, &colors->fg, .7);
  pango_cairo_show_layout (cr, text);
}

static void
fl_radar_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  FlRadarChart *self = FL_RADAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  Layout layout = { 0 };
  Colors colors;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  _colors (self, &colors);
  _layout_compute (self, width, height, &layout);
  self->has_geometry = TRUE;
  self->center_x = layout.cx;
  self->center_y = layout.cy;
  self->radius = layout.radius;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  _draw_grid (cr, &layout, &colors);
  _draw_ring_values (self, cr, &layout, &colors);   /* under the data */
  _draw_series (self, cr, &layout, &colors);
  _draw_labels (cr, &layout, &colors);
  _draw_legend (self, cr, &layout, &colors, height);
  if (!self->has_current)
    _draw_no_data (self, cr, &layout, &colors);
  cairo_destroy (cr);

  _layout_clear (&layout);
}

/* ---- size ----------------------------------------------------------------------------------- */

static GtkSizeRequestMode
fl_radar_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
fl_radar_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NAT_WIDTH;
    }
  else
    {
      /* A hexagon with labels above, below and beside is a little wider than tall. */
      int width = for_size > 0 ? for_size : NAT_WIDTH;

      *minimum = MIN_HEIGHT;
      *natural = MAX (MIN_HEIGHT, (int) (width * .88));
    }
}

/* ---- accessibility -------------------------------------------------------------------------- */

static void
_update_accessible (FlRadarChart *self)
{
  g_autoptr(GString) description = g_string_new (NULL);

  if (!self->has_current)
    g_string_append (description, _("No health data"));

  for (guint i = 0; self->has_current && i < N_AXES; i++)
    {
      if (i > 0)
        g_string_append (description, _("; "));
      if (self->has_previous)
        /* TRANSLATORS: accessible description of one radar chart axis: name, value, earlier value */
        g_string_append_printf (description, _("%s: %d, %s %d"), _axis_name (i),
                                self->current[i], _previous_label (self), self->previous[i]);
      else
        g_string_append_printf (description, _("%s: %d"), _axis_name (i), self->current[i]);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Customer health"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
}

/* ---- public --------------------------------------------------------------------------------- */

GtkWidget *
fl_radar_chart_new (void)
{
  return g_object_new (FL_TYPE_RADAR_CHART, NULL);
}

void
fl_radar_chart_set_series (FlRadarChart *self,
                           const int     current[FL_RADAR_CHART_N_AXES],
                           const int    *previous,
                           const char   *current_label,
                           const char   *previous_label)
{
  g_return_if_fail (FL_IS_RADAR_CHART (self));
  g_return_if_fail (current != NULL);

  self->has_current = TRUE;
  self->has_previous = previous != NULL;
  for (guint i = 0; i < N_AXES; i++)
    {
      self->current[i] = CLAMP (current[i], 0, 100);
      self->previous[i] = previous != NULL ? CLAMP (previous[i], 0, 100) : 0;
    }
  g_free (self->current_label);
  self->current_label = g_strdup (current_label);
  g_free (self->previous_label);
  self->previous_label = g_strdup (previous_label);

  _update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fl_radar_chart_clear (FlRadarChart *self)
{
  g_return_if_fail (FL_IS_RADAR_CHART (self));

  self->has_current = FALSE;
  self->has_previous = FALSE;
  _update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
fl_radar_chart_get_geometry (FlRadarChart *self,
                             double       *center_x,
                             double       *center_y,
                             double       *radius)
{
  g_return_val_if_fail (FL_IS_RADAR_CHART (self), FALSE);

  if (center_x != NULL)
    *center_x = self->center_x;
  if (center_y != NULL)
    *center_y = self->center_y;
  if (radius != NULL)
    *radius = self->radius;
  return self->has_geometry;
}

/* ---- GObject -------------------------------------------------------------------------------- */

static void
fl_radar_chart_finalize (GObject *object)
{
  FlRadarChart *self = FL_RADAR_CHART (object);

  g_free (self->current_label);
  g_free (self->previous_label);

  G_OBJECT_CLASS (fl_radar_chart_parent_class)->finalize (object);
}

static void
fl_radar_chart_class_init (FlRadarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_radar_chart_finalize;

  widget_class->get_request_mode = fl_radar_chart_get_request_mode;
  widget_class->measure = fl_radar_chart_measure;
  widget_class->snapshot = fl_radar_chart_snapshot;

  gtk_widget_class_set_css_name (widget_class, "radarchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fl_radar_chart_init (FlRadarChart *self)
{
  fl_widget_redraw_on_dark (GTK_WIDGET (self));
  _update_accessible (self);
}
