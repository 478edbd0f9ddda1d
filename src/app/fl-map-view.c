/* fl-map-view.c — the war map: libshumate map + the prefecture layer + legend
 *
 * The map works offline: its viewport projects with FlBlankSource and no
 * tile layer is added, so nothing is ever downloaded. The background colour
 * is painted here, the tiles by FlRegionLayer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fl-blank-source.h"
#include "fl-map-view.h"
#include "fl-region-layer.h"

#define MIN_ZOOM     5
#define MAX_ZOOM     12
#define FIT_MARGIN   24.0
/* Room under the province for the window's "data as of" caption. */
#define FIT_MARGIN_BOTTOM 60.0
#define OSD_MARGIN   12
/* The legend shows when the view is this many times its size. */
#define LEGEND_ROOM  2.6

struct _FlMapView
{
  GtkWidget parent_instance;

  /* owned */
  GtkWidget     *overlay;
  FlBlankSource *source;

  /* borrowed (descendants of overlay) */
  ShumateMap    *map;
  FlRegionLayer *layer;
  GtkWidget     *legend;
  GtkWidget     *legend_swatches[3];
  GtkWidget     *legend_icons[3];
  GtkWidget     *legend_badge;

  gboolean       fit_pending;   /* fit once the widget has a size */
  gboolean       auto_fit;      /* the user has not moved the map since the last fit */
  guint          moving;        /* > 0 while we move the viewport ourselves */
  int            last_width;
  int            last_height;
};

enum
{
  PROP_0,
  PROP_SELECTED_REGION,
  PROP_PALETTE,
  PROP_READY,
  N_PROPS
};

enum
{
  REGION_ACTIVATED,
  REGION_DISMISSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FlMapView, fl_map_view, GTK_TYPE_WIDGET)

/* ---- helpers -------------------------------------------------------------------------------- */

static void
_mercator_to_location (double  x,
                       double  y,
                       double *latitude,
                       double *longitude)
{
  *longitude = x * 360. - 180.;
  *latitude = atan (sinh (G_PI * (1. - 2. * y))) * 180. / G_PI;
}

static void
_location_to_mercator (double  latitude,
                       double  longitude,
                       double *x,
                       double *y)
{
  double lat = CLAMP (latitude, -85.05112878, 85.05112878) * G_PI / 180.;

  *x = (longitude + 180.) / 360.;
  *y = .5 - log (tan (G_PI / 4. + lat / 2.)) / (2. * G_PI);
}

static ShumateViewport *
_viewport (FlMapView *self)
{
  return shumate_map_get_viewport (self->map);
}

/* Puts Web Mercator point (@mx, @my) at the widget's centre, at @zoom. */
static void
_move_viewport (FlMapView *self,
                double     zoom,
                double     mx,
                double     my)
{
  ShumateViewport *viewport = _viewport (self);
  double lat, lon;

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  _mercator_to_location (mx, my, &lat, &lon);

  self->moving++;
  shumate_viewport_set_rotation (viewport, 0);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
  self->moving--;
}

static double
_fit_scale (const graphene_rect_t *bounds,
            double                 width,
            double                 height)
{
  if (width <= 1 || height <= 1)
    return 0;

  return MIN (width / MAX (bounds->size.width, 1e-9), height / MAX (bounds->size.height, 1e-9));
}

/* Where @bounds goes when fitted into @area of a @width × @height widget. */
static double
_fit_into (const graphene_rect_t *bounds,
           const graphene_rect_t *area,
           int                    width,
           int                    height,
           double                *mx,
           double                *my)
{
  double scale = _fit_scale (bounds, area->size.width, area->size.height);
  double zoom;

  if (scale <= 0)
    return 0;

  zoom = CLAMP (log2 (scale / 256.), MIN_ZOOM, MAX_ZOOM);
  scale = 256. * exp2 (zoom);

  /* The province's centre goes to the area's centre. */
  *mx = bounds->origin.x + bounds->size.width / 2 -
        (area->origin.x + area->size.width / 2 - width / 2.) / scale;
  *my = bounds->origin.y + bounds->size.height / 2 -
        (area->origin.y + area->size.height / 2 - height / 2.) / scale;

  return scale;
}

static gboolean
_fit (FlMapView *self,
      int        width,
      int        height)
{
  graphene_rect_t bounds;
  graphene_rect_t area = GRAPHENE_RECT_INIT (FIT_MARGIN, FIT_MARGIN,
                                             width - 2 * FIT_MARGIN,
                                             height - FIT_MARGIN - FIT_MARGIN_BOTTOM);
  double scale, mx = .5, my = .5;
  int legend_w = 0, legend_h = 0;

  if (width <= 0 || height <= 0 || !fl_region_layer_get_bounds (self->layer, NULL, &bounds))
    return FALSE;

  scale = _fit_into (&bounds, &area, width, height, &mx, &my);
  if (scale <= 0)
    return FALSE;

  if (gtk_widget_get_visible (self->legend) && gtk_widget_get_child_visible (self->legend))
    {
      gtk_widget_measure (self->legend, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &legend_w,
                          NULL, NULL);
      gtk_widget_measure (self->legend, GTK_ORIENTATION_VERTICAL, legend_w, NULL, &legend_h,
                          NULL, NULL);
    }

  /* Zhejiang's south-west corner is empty, so the legend usually sits there
   * for free; otherwise move the province beside or above it when that
   * costs little. */
  if (legend_w > 0 && legend_h > 0)
    {
      graphene_rect_t legend = GRAPHENE_RECT_INIT (OSD_MARGIN - 4,
                                                   height - OSD_MARGIN - legend_h - 4,
                                                   legend_w + 8, legend_h + 8);
      graphene_rect_t under = GRAPHENE_RECT_INIT (mx + (legend.origin.x - width / 2.) / scale,
                                                  my + (legend.origin.y - height / 2.) / scale,
                                                  legend.size.width / scale,
                                                  legend.size.height / scale);

      if (fl_region_layer_intersects (self->layer, &under))
        {
          double best = 0, best_x = mx, best_y = my;

          /* The smallest shift right, or up, that clears the legend. */
          for (int vertical = 0; vertical <= 1; vertical++)
            {
              double limit = vertical ? legend.size.height : legend.origin.x + legend.size.width;

              for (double shift = 8; shift <= limit + 8; shift += 8)
                {
                  graphene_rect_t moved = area;
                  double cx = .5, cy = .5, s;

                  if (vertical)
                    moved.size.height -= shift;
                  else
                    {
                      moved.origin.x += shift;
                      moved.size.width -= shift;
                    }
                  s = _fit_into (&bounds, &moved, width, height, &cx, &cy);
                  if (s < scale * .9)
                    break;
                  under = GRAPHENE_RECT_INIT (cx + (legend.origin.x - width / 2.) / s,
                                              cy + (legend.origin.y - height / 2.) / s,
                                              legend.size.width / s, legend.size.height / s);
                  if (!fl_region_layer_intersects (self->layer, &under))
                    {
                      if (s > best)
                        best = s, best_x = cx, best_y = cy;
                      break;
                    }
                }
            }
          if (best > 0)
            scale = best, mx = best_x, my = best_y;
        }
    }

  _move_viewport (self, log2 (scale / 256.), mx, my);
  self->auto_fit = TRUE;

  return TRUE;
}

/* After a resize: pan (and zoom out if need be) so the selected tile stays in view. */
static void
_ensure_selected_visible (FlMapView *self,
                          int        width,
                          int        height)
{
  ShumateViewport *viewport = _viewport (self);
  const char *selected = fl_region_layer_get_selected_region (self->layer);
  graphene_rect_t b;
  double zoom, scale, cx, cy, x0, y0, x1, y1, dx = 0, dy = 0;
  double margin = FIT_MARGIN;

  if (selected == NULL || !fl_region_layer_get_bounds (self->layer, selected, &b))
    return;

  zoom = shumate_viewport_get_zoom_level (viewport);
  scale = 256. * exp2 (zoom);
  _location_to_mercator (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                         shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                         &cx, &cy);

  if (b.size.width * scale > width - 2 * margin || b.size.height * scale > height - 2 * margin)
    {
      double s = _fit_scale (&b, width - 2 * margin, height - 2 * margin);

      if (s > 0)
        _move_viewport (self, log2 (s / 256.), b.origin.x + b.size.width / 2,
                        b.origin.y + b.size.height / 2);
      return;
    }

  x0 = (b.origin.x - cx) * scale + width / 2.;
  y0 = (b.origin.y - cy) * scale + height / 2.;
  x1 = x0 + b.size.width * scale;
  y1 = y0 + b.size.height * scale;
  if (x0 < margin)
    dx = x0 - margin;
  else if (x1 > width - margin)
    dx = x1 - (width - margin);
  if (y0 < margin)
    dy = y0 - margin;
  else if (y1 > height - margin)
    dy = y1 - (height - margin);

  if (dx != 0 || dy != 0)
    _move_viewport (self, zoom, cx + dx / scale, cy + dy / scale);
}

static void
_background_color (FlMapView *self,
                   GdkRGBA   *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA window_bg;

  /* A cool light grey reads as "not the province" without competing with it. */
  gdk_rgba_parse (color, "#e4e9ee");
  if (gtk_style_context_lookup_color (context, "window_bg_color", &window_bg) &&
      .2126 * window_bg.red + .7152 * window_bg.green + .0722 * window_bg.blue < .5)
    gdk_rgba_parse (color, "#1e2226");
}

static void
_swatch_draw_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  FlMapView *self = FL_MAP_VIEW (user_data);
  FlRegionStatus status = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "status"));
  FlPalette palette = fl_region_layer_get_palette (self->layer);
  GdkRGBA color;
  double r = 4;

  fl_palette_get_color (palette, status, &color);

  cairo_new_sub_path (cr);
  cairo_arc (cr, width - r, r, r, -G_PI / 2, 0);
  cairo_arc (cr, width - r, height - r, r, 0, G_PI / 2);
  cairo_arc (cr, r, height - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, r, r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_fill_preserve (cr);
  cairo_clip (cr);
  fl_region_draw_hatch (cr, status, 0, 0, width, height, 0, 0);
}

static void
_icon_draw_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  FlMapView *self = FL_MAP_VIEW (user_data);
  FlRegionStatus status = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "status"));

  fl_region_draw_status_icon (cr, fl_region_layer_get_palette (self->layer), status,
                              width / 2., height / 2., MIN (width, height) - 2);
}

static void
_badge_draw_cb (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  FlMapView *self = FL_MAP_VIEW (user_data);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), "3");
  g_autoptr(PangoFontDescription) font = NULL;
  double h = height - 2, r = h / 2, icon = h - 5;
  int tw, th;

  font = pango_font_description_copy (pango_context_get_font_description (
                                        pango_layout_get_context (layout)));
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_get_pixel_size (layout, &tw, &th);

  cairo_new_sub_path (cr);
  cairo_arc (cr, width - r - .5, r + .5, r, -G_PI / 2, G_PI / 2);
  cairo_arc (cr, r + .5, r + .5, r, G_PI / 2, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, .25);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  fl_region_draw_status_icon (cr, fl_region_layer_get_palette (self->layer), FL_STATUS_YELLOW,
                              6 + icon / 2., r + .5, icon);
  cairo_move_to (cr, 6 + icon + 4, r + .5 - th / 2.);
  cairo_set_source_rgba (cr, 0.14, 0.12, 0.19, 1);
  pango_cairo_show_layout (cr, layout);
}

static GtkWidget *
_build_legend (FlMapView *self)
{
  static const FlRegionStatus statuses[3] = { FL_STATUS_GREEN, FL_STATUS_YELLOW, FL_STATUS_RED };
  const char *texts[3] = {
    _("No warning"),
    _("1 warning category"),
    _("2+ warning categories"),
  };
  GtkWidget *card, *box, *title, *row, *label;

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "fl-map-legend");
  gtk_widget_set_halign (card, GTK_ALIGN_START);
  gtk_widget_set_valign (card, GTK_ALIGN_END);
  gtk_widget_set_margin_start (card, OSD_MARGIN);
  gtk_widget_set_margin_bottom (card, OSD_MARGIN);
  gtk_widget_set_can_target (card, FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 7);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 11);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 14);
  gtk_box_append (GTK_BOX (card), box);

  title = gtk_label_new (_("Warning status"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  for (guint i = 0; i < 3; i++)
    {
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *icon = gtk_drawing_area_new ();

      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

      g_object_set_data (G_OBJECT (swatch), "status", GINT_TO_POINTER (statuses[i]));
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 30);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 20);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), _swatch_draw_cb, self, NULL);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (row), swatch);
      self->legend_swatches[i] = swatch;

      g_object_set_data (G_OBJECT (icon), "status", GINT_TO_POINTER (statuses[i]));
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (icon), 18);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (icon), 18);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (icon), _icon_draw_cb, self, NULL);
      gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (row), icon);
      self->legend_icons[i] = icon;

      label = gtk_label_new (texts[i]);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (row), label);

      gtk_box_append (GTK_BOX (box), row);
    }

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_top (row, 2);
  self->legend_badge = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->legend_badge), 38);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->legend_badge), 20);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->legend_badge), _badge_draw_cb, self,
                                  NULL);
  gtk_widget_set_valign (self->legend_badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (row), self->legend_badge);
  label = gtk_label_new (_("Pending items"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (box), row);

  return card;
}

static void
on_zoom_in_clicked_cb (FlMapView *self)
{
  shumate_map_zoom_in (self->map);
}

static void
on_zoom_out_clicked_cb (FlMapView *self)
{
  shumate_map_zoom_out (self->map);
}

static GtkWidget *
_build_zoom_controls (FlMapView *self)
{
  struct { const char *icon, *tooltip; GCallback callback; } buttons[] = {
    { "zoom-in-symbolic", N_("Zoom In"), G_CALLBACK (on_zoom_in_clicked_cb) },
    { "zoom-out-symbolic", N_("Zoom Out"), G_CALLBACK (on_zoom_out_clicked_cb) },
    { "zoom-fit-best-symbolic", N_("Show the Whole Province"),
      G_CALLBACK (fl_map_view_fit_province) },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_set_valign (box, GTK_ALIGN_END);
  gtk_widget_set_margin_end (box, OSD_MARGIN);
  gtk_widget_set_margin_bottom (box, OSD_MARGIN);

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = gtk_button_new_from_icon_name (buttons[i].icon);

      gtk_widget_set_tooltip_text (button, _(buttons[i].tooltip));
      gtk_widget_set_focus_on_click (button, FALSE);
      g_signal_connect_object (button, "clicked", buttons[i].callback, self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (box), button);
    }

  return box;
}

/* ---- callbacks ------------------------------------------------------------------------------ */

static void
on_viewport_moved_cb (FlMapView *self)
{
  if (self->moving == 0)
    self->auto_fit = FALSE;
}

static void
on_region_activated_cb (FlMapView     *self,
                        const char    *code,
                        FlRegionLayer *layer)
{
  g_signal_emit (self, signals[REGION_ACTIVATED], 0, code);
}

static void
on_region_dismissed_cb (FlMapView     *self,
                        FlRegionLayer *layer)
{
  g_signal_emit (self, signals[REGION_DISMISSED], 0);
}

static void
on_layer_notify_cb (FlMapView     *self,
                    GParamSpec    *pspec,
                    FlRegionLayer *layer)
{
  if (g_strcmp0 (pspec->name, "selected-region") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_REGION]);
  else if (g_strcmp0 (pspec->name, "palette") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PALETTE]);
  else if (g_strcmp0 (pspec->name, "ready") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/* ---- overrides ------------------------------------------------------------------------------ */

static void
fl_map_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  FlMapView *self = FL_MAP_VIEW (widget);

  gtk_widget_measure (self->overlay, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
fl_map_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  FlMapView *self = FL_MAP_VIEW (widget);

  /* Before the children: their first frame at this size is already right. */
  if (width > 0 && height > 0)
    {
      int legend_w = 0, legend_h = 0;

      /* In a small view the legend would cover the map it explains. */
      gtk_widget_measure (self->legend, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &legend_w,
                          NULL, NULL);
      gtk_widget_measure (self->legend, GTK_ORIENTATION_VERTICAL, legend_w, NULL, &legend_h,
                          NULL, NULL);
      gtk_widget_set_child_visible (self->legend,
                                    width >= legend_w * LEGEND_ROOM &&
                                    height >= legend_h * LEGEND_ROOM);

      gboolean resized = width != self->last_width || height != self->last_height;

      if (self->fit_pending || (resized && self->auto_fit))
        {
          if (_fit (self, width, height))
            self->fit_pending = FALSE;
        }
      else if (resized)
        _ensure_selected_visible (self, width, height);

      self->last_width = width;
      self->last_height = height;
    }

  gtk_widget_allocate (self->overlay, width, height, baseline, NULL);
}

static void
fl_map_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  FlMapView *self = FL_MAP_VIEW (widget);
  GdkRGBA background;

  _background_color (self, &background);
  fl_region_layer_set_background (self->layer, &background);
  gtk_snapshot_append_color (snapshot, &background,
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                  gtk_widget_get_height (widget)));
  gtk_widget_snapshot_child (widget, self->overlay, snapshot);
}

static gboolean
fl_map_view_grab_focus (GtkWidget *widget)
{
  FlMapView *self = FL_MAP_VIEW (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->layer));
}

static void
fl_map_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FlMapView *self = FL_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_REGION:
      g_value_set_string (value, fl_map_view_get_selected_region (self));
      break;
    case PROP_PALETTE:
      g_value_set_int (value, fl_region_layer_get_palette (self->layer));
      break;
    case PROP_READY:
      g_value_set_boolean (value, fl_map_view_get_ready (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_map_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  FlMapView *self = FL_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_REGION:
      fl_map_view_set_selected_region (self, g_value_get_string (value));
      break;
    case PROP_PALETTE:
      fl_map_view_set_palette (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_map_view_dispose (GObject *object)
{
  FlMapView *self = FL_MAP_VIEW (object);

  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  self->map = NULL;
  self->layer = NULL;
  self->legend = NULL;

  G_OBJECT_CLASS (fl_map_view_parent_class)->dispose (object);
}

static void
fl_map_view_finalize (GObject *object)
{
  FlMapView *self = FL_MAP_VIEW (object);

  g_clear_object (&self->source);

  G_OBJECT_CLASS (fl_map_view_parent_class)->finalize (object);
}

static void
fl_map_view_class_init (FlMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fl_map_view_get_property;
  object_class->set_property = fl_map_view_set_property;
  object_class->dispose = fl_map_view_dispose;
  object_class->finalize = fl_map_view_finalize;

  widget_class->measure = fl_map_view_measure;
  widget_class->size_allocate = fl_map_view_size_allocate;
  widget_class->snapshot = fl_map_view_snapshot;
  widget_class->grab_focus = fl_map_view_grab_focus;

  properties[PROP_SELECTED_REGION] =
    g_param_spec_string ("selected-region", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PALETTE] =
    g_param_spec_int ("palette", NULL, NULL, FL_PALETTE_GNOME, FL_PALETTE_COLORBLIND,
                      FL_PALETTE_GNOME,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REGION_ACTIVATED] =
    g_signal_new ("region-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[REGION_DISMISSED] =
    g_signal_new ("region-dismissed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "fl-map-view");
}

static void
fl_map_view_init (FlMapView *self)
{
  ShumateViewport *viewport;

  self->source = fl_blank_source_new ();
  self->auto_fit = TRUE;

  self->map = shumate_map_new ();
  viewport = shumate_map_get_viewport (self->map);
  shumate_viewport_set_reference_map_source (viewport, SHUMATE_MAP_SOURCE (self->source));
  shumate_viewport_set_min_zoom_level (viewport, MIN_ZOOM);
  shumate_viewport_set_max_zoom_level (viewport, MAX_ZOOM);
  /* Somewhere sensible before any region arrives: Zhejiang */
  shumate_viewport_set_zoom_level (viewport, 7);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 29.2, 120.5);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (on_viewport_moved_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (on_viewport_moved_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (on_viewport_moved_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::rotation", G_CALLBACK (on_viewport_moved_cb),
                           self, G_CONNECT_SWAPPED);

  self->layer = fl_region_layer_new (viewport);
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->layer));
  g_signal_connect_object (self->layer, "region-activated", G_CALLBACK (on_region_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layer, "region-dismissed", G_CALLBACK (on_region_dismissed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layer, "notify", G_CALLBACK (on_layer_notify_cb),
                           self, G_CONNECT_SWAPPED);

  self->overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->map));
  self->legend = _build_legend (self);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->legend);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), _build_zoom_controls (self));
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));
}

/* ---- public API ----------------------------------------------------------------------------- */

FlMapView *
fl_map_view_new (void)
{
  return g_object_new (FL_TYPE_MAP_VIEW, NULL);
}

void
fl_map_view_set_regions (FlMapView *self,
                         GPtrArray *regions)
{
  g_return_if_fail (FL_IS_MAP_VIEW (self));

  fl_region_layer_set_regions (self->layer, regions);
  fl_map_view_fit_province (self);
}

void
fl_map_view_update (FlMapView    *self,
                    FlEvaluation *evaluation)
{
  g_return_if_fail (FL_IS_MAP_VIEW (self));

  fl_region_layer_update (self->layer, evaluation);
}

const char *
fl_map_view_get_selected_region (FlMapView *self)
{
  g_return_val_if_fail (FL_IS_MAP_VIEW (self), NULL);

  return fl_region_layer_get_selected_region (self->layer);
}

void
fl_map_view_set_selected_region (FlMapView  *self,
                                 const char *code)
{
  g_return_if_fail (FL_IS_MAP_VIEW (self));

  fl_region_layer_set_selected_region (self->layer, code);
  if (code != NULL && !self->auto_fit && self->last_width > 0)
    _ensure_selected_visible (self, self->last_width, self->last_height);
}

void
fl_map_view_set_palette (FlMapView *self,
                         FlPalette  palette)
{
  g_return_if_fail (FL_IS_MAP_VIEW (self));

  fl_region_layer_set_palette (self->layer, palette);
  for (guint i = 0; i < 3; i++)
    {
      gtk_widget_queue_draw (self->legend_swatches[i]);
      gtk_widget_queue_draw (self->legend_icons[i]);
    }
  gtk_widget_queue_draw (self->legend_badge);
}

void
fl_map_view_set_stale (FlMapView *self,
                       gboolean   stale)
{
  g_return_if_fail (FL_IS_MAP_VIEW (self));

  fl_region_layer_set_stale (self->layer, stale);
}

void
fl_map_view_fit_province (FlMapView *self)
{
  int width, height;

  g_return_if_fail (FL_IS_MAP_VIEW (self));

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  self->auto_fit = TRUE;
  self->fit_pending = !_fit (self, width, height);
  if (self->fit_pending)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

gboolean
fl_map_view_get_label_position (FlMapView  *self,
                                const char *code,
                                double     *x,
                                double     *y)
{
  double lx, ly;

  g_return_val_if_fail (FL_IS_MAP_VIEW (self), FALSE);

  if (!fl_region_layer_get_label_position (self->layer, code, &lx, &ly))
    return FALSE;

  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->layer), GTK_WIDGET (self),
                                         lx, ly, &lx, &ly))
    return FALSE;

  if (x != NULL)
    *x = lx;
  if (y != NULL)
    *y = ly;

  return TRUE;
}

gboolean
fl_map_view_get_ready (FlMapView *self)
{
  g_return_val_if_fail (FL_IS_MAP_VIEW (self), FALSE);

  return fl_region_layer_get_ready (self->layer);
}
