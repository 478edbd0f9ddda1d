/* fl-region-layer.c — the prefecture tiles of the war map, as a ShumateLayer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "fl-region-layer.h"

/* Levels of detail cached per integer zoom level. */
#define N_LOD              21
/* Douglas–Peucker tolerance, in pixels at the integer zoom level. */
#define SIMPLIFY_PX        0.3
#define TILE_SIZE          256.0
/* Plain tile colour kept around the label point (UI tests sample it). */
#define LABEL_CLEAR_RADIUS 6.5
#define NAME_GAP           6.0
#define BADGE_GAP          6.0
#define BORDER_WIDTH       1.5
#define MAX_MERCATOR_LAT   85.05112878
#define HOVER_LIGHTEN      .16
#define STALE_WASH         .32
#define STALE_DOT_SPACING  7
/* Raster cache: margin around the view (× its larger side), room for the
 * shadow and borders, the largest texture, and how long a zoom takes to settle. */
#define CACHE_MARGIN       .5
#define CACHE_BLEED        6.0
#define CACHE_MAX_SIZE     8192
#define ZOOM_SETTLE_US     (G_USEC_PER_SEC / 6)
/* The selection outline reaches this far outside a tile, in pixels */
#define SELECTION_GROW     6
/* How long a view stays before the outlines for it are drawn ahead */
#define PREBUILD_DELAY_MS  250
/* Patches over the raster before they are folded into a copy of it (in idle time) */
#define MAX_PATCHES        8

typedef struct
{
  GArray *points;                   /* FlPoint, Web Mercator [0,1] */
  double  min_x, min_y, max_x, max_y;
} Ring;

/* A node drawn once and appended again while what it shows is unchanged:
 * GSK diffs render nodes by identity, so a node the previous frame also had is
 * no damage. A click then repaints the two selection outlines, not every label
 * of the province (each a stroked text path). */
typedef struct
{
  GskRenderNode *node;
  guchar        *key;       /* what @node was drawn for; compared byte by byte */
  gsize          key_size;
} CachedNode;

static void
_cached_node_clear (CachedNode *cached)
{
  g_clear_pointer (&cached->node, gsk_render_node_unref);
  g_clear_pointer (&cached->key, g_free);
  cached->key_size = 0;
}

typedef struct
{
  char            *code;
  char            *name;
  GPtrArray       *rings;           /* Ring*: outer rings and holes, drawn even-odd */
  graphene_rect_t  bounds;          /* Web Mercator */
  FlPoint          label;           /* Web Mercator */
  double           area;            /* Web Mercator units² */
  GPtrArray       *lod[N_LOD];      /* GArray* of FlPoint per ring, lazily */

  gboolean         has_state;
  FlRegionStatus   status;
  guint            pending[FL_N_ALERT_CATEGORIES];
  guint            n_pending;

  PangoLayout     *name_layout;
  PangoLayout     *count_layout;

  /* Per frame */
  gboolean         show_name;
  gboolean         show_badge;
  graphene_rect_t  name_rect;
  graphene_rect_t  badge_rect;
  double           label_x, label_y;

  /* What the cached raster shows of this region (see _cached_state ()) */
  gboolean         in_cache;
  gboolean         cached_has_state;
  FlRegionStatus   cached_status;
  gboolean         cached_show_name;
  gboolean         cached_show_badge;
  graphene_rect_t  cached_name_rect;
  graphene_rect_t  cached_badge_rect;
  double           cached_label_x, cached_label_y;

  CachedNode       label_node;
  CachedNode       selection_node;   /* kept for every region: see _prebuild_cb () */
} Region;

/* A part of the raster drawn again after a status change, opaque (on the
 * background under the layer): its node goes over the raster's, which stays,
 * so that the frame repaints the part, not the map. */
typedef struct
{
  cairo_surface_t *image;
  graphene_rect_t  rect;              /* widget coordinates at the raster's matrix */
  GskRenderNode   *node;
} Patch;

static void
_patch_free (Patch *patch)
{
  cairo_surface_destroy (patch->image);
  gsk_render_node_unref (patch->node);
  g_free (patch);
}

struct _FlRegionLayer
{
  ShumateLayer parent_instance;

  /* owned */
  GPtrArray            *regions;           /* Region*, ordered by code */
  graphene_rect_t       bounds;            /* of all regions, Web Mercator */
  PangoFontDescription *font;              /* the font the layouts were made with */
  GtkEventController   *click;
  char                 *selected;

  FlPalette             palette;
  gboolean              stale;             /* data older than the setting: washed, stippled */
  int                   hovered;           /* index or -1 */
  int                   focused;           /* index or -1 */
  gboolean              ready;
  guint                 ready_idle_id;

  double                press_x, press_y;
  int                   press_region;

  /* The static map as an image; see _render_cache () */
  cairo_surface_t      *cache_surface;
  guint                 cache_serial;      /* bumped when it is replaced */
  CachedNode            cache_node;        /* paints it; see _append_cache () */
  GPtrArray            *patches;           /* Patch*, over it; see _redraw_changed () */
  guint                 fold_id;           /* folds them into it; see _fold_idle_cb () */
  GdkRGBA               background;        /* what is under the layer */
  gboolean              has_background;
  graphene_rect_t       cache_rect;        /* widget coordinates at cache_matrix */
  cairo_matrix_t        cache_matrix;
  guint                 cache_version;
  int                   cache_scale_factor;
  gboolean              cache_valid;
  guint                 version;           /* bumped by anything drawn in the cache */
  cairo_matrix_t        last_matrix;
  gboolean              has_last_matrix;
  gint64                last_zoom_time;
  gboolean              zooming;
  cairo_matrix_t        stale_transform;
  guint                 settle_id;

  /* The small nodes on top of the raster */
  CachedNode            hover_node;
  CachedNode            focus_node;
  /* The selection outlines of all regions at the last settled view, drawn
   * while nothing happens: a click shows one it already has. */
  guint                 prebuild_id;
  gboolean              prebuild_done;     /* for prebuild_matrix and _view */
  cairo_matrix_t        prebuild_matrix;
  graphene_rect_t       prebuild_view;
  double                prebuild_scale;
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

G_DEFINE_FINAL_TYPE (FlRegionLayer, fl_region_layer, SHUMATE_TYPE_LAYER)

/* ---- helpers: geometry ---------------------------------------------------------------------- */

static void
_project (double   lon,
          double   lat,
          FlPoint *out)
{
  lat = CLAMP (lat, -MAX_MERCATOR_LAT, MAX_MERCATOR_LAT) * G_PI / 180.;
  out->x = (lon + 180.) / 360.;
  out->y = .5 - log (tan (G_PI / 4. + lat / 2.)) / (2. * G_PI);
}

static void
_unproject (const FlPoint *p,
            double        *lon,
            double        *lat)
{
  *lon = p->x * 360. - 180.;
  *lat = atan (sinh (G_PI * (1. - 2. * p->y))) * 180. / G_PI;
}

static void
_ring_free (Ring *ring)
{
  g_array_unref (ring->points);
  g_free (ring);
}

static void
_region_free (Region *region)
{
  g_free (region->code);
  g_free (region->name);
  g_ptr_array_unref (region->rings);
  for (guint i = 0; i < N_LOD; i++)
    g_clear_pointer (&region->lod[i], g_ptr_array_unref);
  g_clear_object (&region->name_layout);
  g_clear_object (&region->count_layout);
  _cached_node_clear (&region->label_node);
  _cached_node_clear (&region->selection_node);
  g_free (region);
}

static gboolean
_rings_contain (GPtrArray *rings,
                double     x,
                double     y)
{
  gboolean inside = FALSE;

  for (guint r = 0; r < rings->len; r++)
    {
      Ring *ring = g_ptr_array_index (rings, r);
      const FlPoint *p = (const FlPoint *) ring->points->data;
      guint n = ring->points->len;

      if (x < ring->min_x || x > ring->max_x || y < ring->min_y || y > ring->max_y)
        continue;

      for (guint i = 0, j = n - 1; i < n; j = i++)
        {
          if ((p[i].y > y) != (p[j].y > y) &&
              x < (p[j].x - p[i].x) * (y - p[i].y) / (p[j].y - p[i].y) + p[i].x)
            inside = !inside;
        }
    }

  return inside;
}

static double
_segment_distance (const FlPoint *p,
                   const FlPoint *a,
                   const FlPoint *b)
{
  double dx = b->x - a->x, dy = b->y - a->y;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p->x - a->x) * dx + (p->y - a->y) * dy) / len2 : 0;

  t = CLAMP (t, 0., 1.);
  return hypot (p->x - (a->x + t * dx), p->y - (a->y + t * dy));
}

static double
_boundary_distance (GPtrArray     *rings,
                    const FlPoint *p)
{
  double best = G_MAXDOUBLE;

  for (guint r = 0; r < rings->len; r++)
    {
      Ring *ring = g_ptr_array_index (rings, r);
      const FlPoint *pts = (const FlPoint *) ring->points->data;

      for (guint i = 0, j = ring->points->len - 1; i < ring->points->len; j = i++)
        best = MIN (best, _segment_distance (p, &pts[j], &pts[i]));
    }

  return best;
}

static double
_ring_area (const GArray *points)
{
  const FlPoint *p = (const FlPoint *) points->data;
  double sum = 0;

  for (guint i = 0, j = points->len - 1; i < points->len; j = i++)
    sum += (p[j].x * p[i].y) - (p[i].x * p[j].y);

  return sum / 2.;
}

/* Iterative Douglas–Peucker; keeps at least the ring's extremes. */
static GArray *
_simplify (const GArray *points,
           double        tolerance)
{
  const FlPoint *p = (const FlPoint *) points->data;
  guint n = points->len;
  g_autofree gboolean *keep = NULL;
  g_autoptr(GArray) stack = NULL;
  GArray *out;

  out = g_array_sized_new (FALSE, FALSE, sizeof (FlPoint), 16);
  if (n < 4)
    {
      g_array_append_vals (out, p, n);
      return out;
    }

  keep = g_new0 (gboolean, n);
  stack = g_array_new (FALSE, FALSE, sizeof (guint));
  keep[0] = keep[n - 1] = TRUE;

  /* Split the closed ring at its middle point so both halves are open chains. */
  keep[n / 2] = TRUE;
  {
    guint seeds[4] = { 0, n / 2, n / 2, n - 1 };
    g_array_append_vals (stack, seeds, 4);
  }

  while (stack->len >= 2)
    {
      guint last = g_array_index (stack, guint, stack->len - 1);
      guint first = g_array_index (stack, guint, stack->len - 2);
      double max_d = 0;
      guint index = 0;

      g_array_set_size (stack, stack->len - 2);

      for (guint i = first + 1; i < last; i++)
        {
          double d = _segment_distance (&p[i], &p[first], &p[last]);

          if (d > max_d)
            {
              max_d = d;
              index = i;
            }
        }

      if (max_d > tolerance)
        {
          guint pair[4] = { first, index, index, last };

          keep[index] = TRUE;
          g_array_append_vals (stack, pair, 4);
        }
    }

  for (guint i = 0; i < n; i++)
    if (keep[i])
      g_array_append_val (out, p[i]);

  return out;
}

static GPtrArray *
_region_get_lod (Region *region,
                 double  scale)
{
  int level = (int) floor (log2 (MAX (scale, 1.) / TILE_SIZE));
  double tolerance;

  level = CLAMP (level, 0, N_LOD - 1);
  if (region->lod[level] != NULL)
    return region->lod[level];

  tolerance = SIMPLIFY_PX / (TILE_SIZE * exp2 (level));
  region->lod[level] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint r = 0; r < region->rings->len; r++)
    {
      Ring *ring = g_ptr_array_index (region->rings, r);
      GArray *simple = _simplify (ring->points, tolerance);

      /* Rings smaller than a pixel (islets) only add noise. */
      if ((ring->max_x - ring->min_x) * TILE_SIZE * exp2 (level) < .5 &&
          (ring->max_y - ring->min_y) * TILE_SIZE * exp2 (level) < .5)
        g_array_set_size (simple, 0);
      g_ptr_array_add (region->lod[level], simple);
    }

  return region->lod[level];
}

static Region *
_region_new (const FlRegion *source)
{
  Region *region = g_new0 (Region, 1);
  FlPoint label, pole;
  gboolean have_label = FALSE;
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;

  region->code = g_strdup (source->code);
  region->name = g_strdup (source->name != NULL ? source->name : source->code);
  region->rings = g_ptr_array_new_with_free_func ((GDestroyNotify) _ring_free);

  for (guint i = 0; source->geometry != NULL && i < source->geometry->polygons->len; i++)
    {
      FlPolygon *polygon = g_ptr_array_index (source->geometry->polygons, i);

      for (guint j = 0; j < polygon->rings->len; j++)
        {
          FlRing *src = g_ptr_array_index (polygon->rings, j);
          Ring *ring;

          if (src->points->len < 3)
            continue;

          ring = g_new0 (Ring, 1);
          ring->points = g_array_sized_new (FALSE, FALSE, sizeof (FlPoint), src->points->len);
          g_array_set_size (ring->points, src->points->len);
          ring->min_x = ring->min_y = G_MAXDOUBLE;
          ring->max_x = ring->max_y = -G_MAXDOUBLE;
          for (guint k = 0; k < src->points->len; k++)
            {
              const FlPoint *ll = &g_array_index (src->points, FlPoint, k);
              FlPoint *m = &g_array_index (ring->points, FlPoint, k);

              _project (ll->x, ll->y, m);
              ring->min_x = MIN (ring->min_x, m->x);
              ring->min_y = MIN (ring->min_y, m->y);
              ring->max_x = MAX (ring->max_x, m->x);
              ring->max_y = MAX (ring->max_y, m->y);
            }
          /* Holes subtract (even-odd), outer rings add. */
          region->area += (j == 0 ? 1 : -1) * fabs (_ring_area (ring->points));
          min_x = MIN (min_x, ring->min_x);
          min_y = MIN (min_y, ring->min_y);
          max_x = MAX (max_x, ring->max_x);
          max_y = MAX (max_y, ring->max_y);
          g_ptr_array_add (region->rings, ring);
        }
    }

  if (region->rings->len == 0)
    {
      graphene_rect_init (&region->bounds, 0, 0, 0, 0);
      return region;
    }

  graphene_rect_init (&region->bounds, min_x, min_y, max_x - min_x, max_y - min_y);

  /* The dataset's label point (often the city seat) unless it sits outside
   * the tile or hugs its border; then the pole of inaccessibility. Computing
   * the pole costs ~1 ms a region, so a label point comfortably inside (2 % of
   * the tile's size from any edge) is taken as it is. */
  if (source->has_label_point)
    {
      double comfortable = .02 * MAX (max_x - min_x, max_y - min_y);
      double distance;

      _project (source->label_point.x, source->label_point.y, &label);
      if (_rings_contain (region->rings, label.x, label.y))
        {
          distance = _boundary_distance (region->rings, &label);
          if (distance >= comfortable)
            have_label = TRUE;
          else
            {
              FlPoint ll = fl_geometry_label_point (source->geometry);

              _project (ll.x, ll.y, &pole);
              have_label = distance >= .45 * _boundary_distance (region->rings, &pole);
            }
        }
    }
  if (!have_label)
    {
      FlPoint ll = fl_geometry_label_point (source->geometry);

      _project (ll.x, ll.y, &pole);
    }
  region->label = have_label ? label : pole;

  return region;
}

/* ---- helpers: colours and drawing ----------------------------------------------------------- */

static const char * const palette_colors[2][3] = {
  { "#26a269", "#e5a50a", "#c01c28" },
  { "#0072b2", "#e69f00", "#d55e00" },
};

void
fl_palette_get_color (FlPalette       palette,
                      FlRegionStatus  status,
                      GdkRGBA        *color)
{
  guint p = palette == FL_PALETTE_COLORBLIND ? 1 : 0;
  guint s = CLAMP ((guint) status, FL_STATUS_GREEN, FL_STATUS_RED);

  gdk_rgba_parse (color, palette_colors[p][s]);
}

static void
_mix (const GdkRGBA *a,
      const GdkRGBA *b,
      double         t,
      GdkRGBA       *out)
{
  out->red = a->red + (b->red - a->red) * t;
  out->green = a->green + (b->green - a->green) * t;
  out->blue = a->blue + (b->blue - a->blue) * t;
  out->alpha = a->alpha + (b->alpha - a->alpha) * t;
}

static void
_region_color (FlRegionLayer *self,
               Region        *region,
               GdkRGBA       *color)
{
  if (region->has_state)
    fl_palette_get_color (self->palette, region->status, color);
  else
    gdk_rgba_parse (color, "#9a9996");
}

/* A seamless tile of the hatch of @status: white lines at 45° ("/" for one
 * warning category, "/" and "\" for two or more), anchored at (@phase_x, @phase_y). */
static cairo_pattern_t *
_hatch_pattern (cairo_t        *target,
                FlRegionStatus status,
                double         phase_x,
                double         phase_y)
{
  double sx = 1, sy = 1;
  double s, width, alpha;
  cairo_surface_t *tile;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;
  cairo_t *cr;

  if (status == FL_STATUS_YELLOW)
    s = 9, width = 2.2, alpha = .42;
  else
    s = 10, width = 1.7, alpha = .38;

  /* At the target's resolution, moved by whole pixels: Pixman's fast path,
   * no resampling. */
  cairo_surface_get_device_scale (cairo_get_target (target), &sx, &sy);
  sx = MAX (1, round (sx));
  tile = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (s * sx), (int) (s * sx));
  cairo_surface_set_device_scale (tile, sx, sx);
  cr = cairo_create (tile);
  cairo_set_source_rgba (cr, 1, 1, 1, alpha);
  cairo_set_line_width (cr, width);
  for (int k = 0; k <= 2; k++)
    {
      /* x + y = k·s */
      cairo_move_to (cr, k * s + 1, -1);
      cairo_line_to (cr, k * s - s - 1, s + 1);
    }
  if (status == FL_STATUS_RED)
    for (int k = -1; k <= 1; k++)
      {
        /* x − y = k·s */
        cairo_move_to (cr, k * s - 1, -1);
        cairo_line_to (cr, k * s + s + 1, s + 1);
      }
  cairo_stroke (cr);
  cairo_destroy (cr);

  pattern = cairo_pattern_create_for_surface (tile);
  cairo_surface_destroy (tile);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_FAST);
  cairo_matrix_init_translate (&matrix, -round (fmod (phase_x, s) * sx) / sx,
                               -round (fmod (phase_y, s) * sx) / sx);
  cairo_pattern_set_matrix (pattern, &matrix);

  return pattern;
}

void
fl_region_draw_hatch (cairo_t        *cr,
                      FlRegionStatus  status,
                      double          x0,
                      double          y0,
                      double          x1,
                      double          y1,
                      double          phase_x,
                      double          phase_y)
{
  cairo_pattern_t *pattern;

  if (status == FL_STATUS_GREEN)
    return;

  pattern = _hatch_pattern (cr, status, phase_x, phase_y);
  cairo_save (cr);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_pattern_destroy (pattern);
}

static void
_draw_exclamation (cairo_t *cr,
                   double   x,
                   double   y,
                   double   s)
{
  cairo_set_line_width (cr, s * .13);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to (cr, x, y - s * .19);
  cairo_line_to (cr, x, y + s * .07);
  cairo_stroke (cr);
  cairo_arc (cr, x, y + s * .24, s * .075, 0, 2 * G_PI);
  cairo_fill (cr);
}

void
fl_region_draw_status_icon (cairo_t        *cr,
                            FlPalette       palette,
                            FlRegionStatus  status,
                            double          cx,
                            double          cy,
                            double          size)
{
  GdkRGBA color, edge, black = { 0, 0, 0, 1 };
  double r = size / 2.;

  fl_palette_get_color (palette, status, &color);
  _mix (&color, &black, .28, &edge);

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  switch (status)
    {
    case FL_STATUS_GREEN:
      cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
      break;
    case FL_STATUS_YELLOW:
      cairo_move_to (cr, cx, cy - r * .98);
      cairo_line_to (cr, cx + r * 1.06, cy + r * .86);
      cairo_line_to (cr, cx - r * 1.06, cy + r * .86);
      cairo_close_path (cr);
      break;
    case FL_STATUS_RED:
    default:
      for (int i = 0; i < 8; i++)
        {
          double a = G_PI / 8. + i * G_PI / 4.;
          cairo_line_to (cr, cx + r * 1.04 * cos (a), cy + r * 1.04 * sin (a));
        }
      cairo_close_path (cr);
      break;
    }

  gdk_cairo_set_source_rgba (cr, &color);
  cairo_fill_preserve (cr);
  gdk_cairo_set_source_rgba (cr, &edge);
  cairo_set_line_width (cr, MAX (1., size * .06));
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 1, 1, 1);
  switch (status)
    {
    case FL_STATUS_GREEN:
      cairo_set_line_width (cr, size * .14);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_move_to (cr, cx - size * .22, cy + size * .01);
      cairo_line_to (cr, cx - size * .06, cy + size * .17);
      cairo_line_to (cr, cx + size * .23, cy - size * .15);
      cairo_stroke (cr);
      break;
    case FL_STATUS_YELLOW:
      _draw_exclamation (cr, cx, cy + size * .06, size * .95);
      break;
    case FL_STATUS_RED:
    default:
      _draw_exclamation (cr, cx - size * .14, cy, size);
      _draw_exclamation (cr, cx + size * .14, cy, size);
      break;
    }

  cairo_restore (cr);
}

static void
_rounded_rect (cairo_t               *cr,
               const graphene_rect_t *rect,
               double                 radius)
{
  double x = rect->origin.x, y = rect->origin.y;
  double w = rect->size.width, h = rect->size.height;

  radius = MIN (radius, MIN (w, h) / 2.);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* The layer → widget transform of this frame (Web Mercator → pixels). Three
 * reference points give the full affine map, rotation included; per vertex
 * only the matrix is applied. */
static gboolean
_get_transform (FlRegionLayer  *self,
                cairo_matrix_t *matrix)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  GtkWidget *widget = GTK_WIDGET (self);
  FlPoint m0, m1, m2;
  double lat, lon, step = .5;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  FlPoint centre;

  if (viewport == NULL || shumate_viewport_get_reference_map_source (viewport) == NULL)
    return FALSE;
  if (gtk_widget_get_width (widget) <= 0 || gtk_widget_get_height (widget) <= 0)
    return FALSE;

  centre.x = .5;
  centre.y = .5;
  if (self->bounds.size.width > 0)
    {
      centre.x = self->bounds.origin.x + self->bounds.size.width / 2;
      centre.y = self->bounds.origin.y + self->bounds.size.height / 2;
    }
  _unproject (&centre, &lon, &lat);
  lat = CLAMP (lat, -80., 80.);

  _project (lon, lat, &m0);
  _project (lon + step, lat, &m1);
  _project (lon, lat - step, &m2);
  shumate_viewport_location_to_widget_coords (viewport, widget, lat, lon, &x0, &y0);
  shumate_viewport_location_to_widget_coords (viewport, widget, lat, lon + step, &x1, &y1);
  shumate_viewport_location_to_widget_coords (viewport, widget, lat - step, lon, &x2, &y2);

  matrix->xx = (x1 - x0) / (m1.x - m0.x);
  matrix->yx = (y1 - y0) / (m1.x - m0.x);
  matrix->xy = (x2 - x0) / (m2.y - m0.y);
  matrix->yy = (y2 - y0) / (m2.y - m0.y);
  matrix->x0 = x0 - matrix->xx * m0.x - matrix->xy * m0.y;
  matrix->y0 = y0 - matrix->yx * m0.x - matrix->yy * m0.y;

  return isfinite (matrix->xx) && isfinite (matrix->yy) &&
         fabs (matrix->xx * matrix->yy - matrix->xy * matrix->yx) > 1e-6;
}

static double
_matrix_scale (const cairo_matrix_t *m)
{
  return sqrt (fabs (m->xx * m->yy - m->xy * m->yx));
}

static void
_transform_rect (const cairo_matrix_t  *m,
                 const graphene_rect_t *in,
                 graphene_rect_t       *out)
{
  double xs[4] = { in->origin.x, in->origin.x + in->size.width,
                   in->origin.x, in->origin.x + in->size.width };
  double ys[4] = { in->origin.y, in->origin.y,
                   in->origin.y + in->size.height, in->origin.y + in->size.height };
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;

  for (int i = 0; i < 4; i++)
    {
      cairo_matrix_transform_point (m, &xs[i], &ys[i]);
      min_x = MIN (min_x, xs[i]);
      min_y = MIN (min_y, ys[i]);
      max_x = MAX (max_x, xs[i]);
      max_y = MAX (max_y, ys[i]);
    }
  graphene_rect_init (out, min_x, min_y, max_x - min_x, max_y - min_y);
}

static void
_region_path (cairo_t              *cr,
              Region               *region,
              const cairo_matrix_t *m,
              double                scale)
{
  GPtrArray *lod = _region_get_lod (region, scale);

  cairo_new_path (cr);
  for (guint r = 0; r < lod->len; r++)
    {
      GArray *ring = g_ptr_array_index (lod, r);
      const FlPoint *p = (const FlPoint *) ring->data;

      if (ring->len < 3)
        continue;
      for (guint i = 0; i < ring->len; i++)
        {
          double x = m->xx * p[i].x + m->xy * p[i].y + m->x0;
          double y = m->yx * p[i].x + m->yy * p[i].y + m->y0;

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
    }
}

static void
_ensure_layouts (FlRegionLayer *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *base = pango_context_get_font_description (context);
  g_autoptr(PangoFontDescription) name_font = NULL;
  g_autoptr(PangoFontDescription) count_font = NULL;
  double size;

  if (self->font != NULL && base != NULL && pango_font_description_equal (self->font, base))
    {
      gboolean complete = TRUE;

      for (guint i = 0; i < self->regions->len; i++)
        {
          Region *region = g_ptr_array_index (self->regions, i);

          complete &= region->name_layout != NULL && region->count_layout != NULL;
        }
      if (complete)
        return;
    }

  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = base != NULL ? pango_font_description_copy (base)
                            : pango_font_description_from_string ("Sans 11");
  size = pango_font_description_get_size (self->font);
  if (size <= 0)
    size = 11 * PANGO_SCALE;

  name_font = pango_font_description_copy (self->font);
  pango_font_description_set_weight (name_font, PANGO_WEIGHT_BOLD);
  if (pango_font_description_get_size_is_absolute (self->font))
    pango_font_description_set_absolute_size (name_font, size * 1.3);
  else
    pango_font_description_set_size (name_font, (int) (size * 1.3));

  count_font = pango_font_description_copy (self->font);
  pango_font_description_set_weight (count_font, PANGO_WEIGHT_BOLD);
  if (pango_font_description_get_size_is_absolute (self->font))
    pango_font_description_set_absolute_size (count_font, size * 1.05);
  else
    pango_font_description_set_size (count_font, (int) (size * 1.05));

  /* The label plates are part of the cached raster */
  self->version++;

  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);
      g_autofree char *count = g_strdup_printf ("%u", region->n_pending);

      g_clear_object (&region->name_layout);
      g_clear_object (&region->count_layout);
      region->name_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), region->name);
      pango_layout_set_font_description (region->name_layout, name_font);
      region->count_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), count);
      pango_layout_set_font_description (region->count_layout, count_font);
    }
}

static void
_badge_size (Region *region,
             double *width,
             double *height,
             double *icon)
{
  int tw, th;

  pango_layout_get_pixel_size (region->count_layout, &tw, &th);
  *icon = round (th * .82);
  *height = th + 4;
  *width = 7 + *icon + 5 + tw + 9;
}

/* Decides, per frame, which labels fit: bigger and more alarming tiles first. */
static int
_label_priority_cmp (gconstpointer a,
                     gconstpointer b)
{
  const Region *ra = *(Region * const *) a;
  const Region *rb = *(Region * const *) b;

  if (ra->status != rb->status)
    return (int) rb->status - (int) ra->status;
  return ra->area < rb->area ? 1 : ra->area > rb->area ? -1 : 0;
}

static void
_layout_labels (FlRegionLayer        *self,
                const cairo_matrix_t *m)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

  for (guint i = 0; i < self->regions->len; i++)
    g_ptr_array_add (order, g_ptr_array_index (self->regions, i));
  g_ptr_array_sort (order, _label_priority_cmp);

  for (guint i = 0; i < order->len; i++)
    {
      Region *region = g_ptr_array_index (order, i);
      graphene_rect_t px, block;
      PangoRectangle ink, logical;
      double bw, bh, icon;
      int nw, nh;
      gboolean collides = FALSE;

      region->label_x = region->label.x;
      region->label_y = region->label.y;
      cairo_matrix_transform_point (m, &region->label_x, &region->label_y);
      _transform_rect (m, &region->bounds, &px);

      pango_layout_get_pixel_extents (region->name_layout, &ink, &logical);
      nw = logical.width;
      nh = logical.height;
      _badge_size (region, &bw, &bh, &icon);
      /* By the ink, not the logical box: CJK fallback glyphs reach below the
       * primary font's descent, and the label point must stay clear. */
      graphene_rect_init (&region->name_rect, round (region->label_x - nw / 2.),
                          floor (region->label_y - NAME_GAP - (ink.y + ink.height)), nw, nh);
      graphene_rect_init (&region->badge_rect, round (region->label_x - bw / 2.),
                          round (region->label_y + BADGE_GAP), bw, bh);

      region->show_badge = region->has_state &&
                           px.size.width >= bw * 1.1 && px.size.height >= bh * 2.2;
      region->show_name = px.size.width >= nw * .9 &&
                          px.size.height >= (nh + bh + NAME_GAP + BADGE_GAP) * .9;

      if (!region->show_name && !region->show_badge)
        continue;

      if (region->show_name && region->show_badge)
        graphene_rect_union (&region->name_rect, &region->badge_rect, &block);
      else if (region->show_name)
        block = region->name_rect;
      else
        block = region->badge_rect;
      graphene_rect_inset (&block, -3, -3);

      for (guint j = 0; j < placed->len && !collides; j++)
        collides = graphene_rect_intersection (&block, &g_array_index (placed, graphene_rect_t, j),
                                               NULL);
      if (collides && region->show_name)
        {
          /* Keep at least the count. */
          region->show_name = FALSE;
          block = region->badge_rect;
          graphene_rect_inset (&block, -3, -3);
          collides = FALSE;
          for (guint j = 0; j < placed->len && !collides; j++)
            collides = graphene_rect_intersection (&block,
                                                   &g_array_index (placed, graphene_rect_t, j),
                                                   NULL);
        }
      if (collides)
        {
          region->show_name = region->show_badge = FALSE;
          continue;
        }
      g_array_append_val (placed, block);
    }
}

static void
_draw_label (FlRegionLayer *self,
             cairo_t       *cr,
             Region        *region)
{
  GdkRGBA fill, halo, black = { 0, 0, 0, 1 };

  _region_color (self, region, &fill);
  _mix (&fill, &black, .6, &halo);
  halo.alpha = .92;

  if (region->show_name)
    {
      cairo_save (cr);
      cairo_move_to (cr, region->name_rect.origin.x, region->name_rect.origin.y);
      pango_cairo_layout_path (cr, region->name_layout);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_width (cr, 4.);
      gdk_cairo_set_source_rgba (cr, &halo);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill (cr);
      cairo_restore (cr);
    }

  if (region->show_badge)
    {
      const graphene_rect_t *b = &region->badge_rect;
      graphene_rect_t shadow = *b;
      double bw, bh, icon;
      int tw, th;

      _badge_size (region, &bw, &bh, &icon);
      pango_layout_get_pixel_size (region->count_layout, &tw, &th);

      cairo_save (cr);
      shadow.origin.y += 1;
      _rounded_rect (cr, &shadow, bh / 2.);
      halo.alpha = .45;
      gdk_cairo_set_source_rgba (cr, &halo);
      cairo_fill (cr);
      _rounded_rect (cr, b, bh / 2.);
      cairo_set_source_rgba (cr, 1, 1, 1, .96);
      cairo_fill (cr);

      fl_region_draw_status_icon (cr, self->palette, region->status,
                                  b->origin.x + 7 + icon / 2., b->origin.y + bh / 2., icon);

      cairo_move_to (cr, b->origin.x + 7 + icon + 5, b->origin.y + (bh - th) / 2.);
      cairo_set_source_rgba (cr, 0.14, 0.12, 0.19, 1);
      pango_cairo_show_layout (cr, region->count_layout);
      cairo_restore (cr);
    }
}

static gboolean
_ready_idle_cb (gpointer user_data)
{
  FlRegionLayer *self = FL_REGION_LAYER (user_data);

  self->ready_idle_id = 0;
  if (!self->ready)
    {
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }

  return G_SOURCE_REMOVE;
}

static int
_find_region (FlRegionLayer *self,
              const char    *code)
{
  if (code == NULL)
    return -1;

  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);

      if (g_strcmp0 (region->code, code) == 0)
        return (int) i;
    }

  return -1;
}

static int
_region_index_at (FlRegionLayer *self,
                  double         x,
                  double         y)
{
  cairo_matrix_t m;

  if (!_get_transform (self, &m) || cairo_matrix_invert (&m) != CAIRO_STATUS_SUCCESS)
    return -1;

  cairo_matrix_transform_point (&m, &x, &y);
  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);

      if (graphene_rect_contains_point (&region->bounds, &GRAPHENE_POINT_INIT (x, y)) &&
          _rings_contain (region->rings, x, y))
        return (int) i;
    }

  return -1;
}

static char *
_region_summary (Region *region)
{
  GString *str = g_string_new (NULL);
  g_autofree char *name = g_markup_escape_text (region->name, -1);

  g_string_append_printf (str, "<b>%s</b>", name);
  if (!region->has_state)
    {
      g_string_append_printf (str, "\n%s", _("No data yet"));
      return g_string_free (str, FALSE);
    }

  g_string_append_printf (str, "\n%s", fl_region_status_get_label (region->status));
  if (region->n_pending == 0)
    g_string_append_printf (str, "\n%s", _("No pending items"));
  else
    {
      /* Translators: the number of pending warning items of a region */
      g_autofree char *line = g_strdup_printf (ngettext ("%u pending item", "%u pending items",
                                                         region->n_pending),
                                               region->n_pending);
      g_string_append_printf (str, "\n%s", line);
    }

  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    {
      if (region->pending[c] == 0)
        continue;
      g_autofree char *label = g_markup_escape_text (fl_alert_category_get_label (c), -1);

      /* Translators: one line of the tile tooltip: a warning category and its count */
      g_string_append (str, "\n  • ");
      g_string_append_printf (str, _("%s: %u"), label, region->pending[c]);
    }

  return g_string_free (str, FALSE);
}

static void
_set_focused (FlRegionLayer *self,
              int            index)
{
  if (self->focused == index)
    return;

  self->focused = index;
  if (index >= 0)
    {
      Region *region = g_ptr_array_index (self->regions, index);
      g_autofree char *summary = _region_summary (region);
      g_autofree char *plain = NULL;

      pango_parse_markup (summary, -1, 0, NULL, &plain, NULL, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, region->name,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, plain,
                                      -1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
_activate (FlRegionLayer *self,
           int            index)
{
  Region *region;
  g_autofree char *code = NULL;

  if (index < 0 || (guint) index >= self->regions->len)
    return;

  region = g_ptr_array_index (self->regions, index);
  code = g_strdup (region->code);
  fl_region_layer_set_selected_region (self, code);
  g_signal_emit (self, signals[REGION_ACTIVATED], 0, code);
}

/* The nearest region whose label point lies in @direction from the focused one. */
static int
_neighbour (FlRegionLayer    *self,
            GtkDirectionType  direction)
{
  Region *from;
  double dx = 0, dy = 0, best = G_MAXDOUBLE;
  int best_index = -1;
  cairo_matrix_t m;

  if (self->focused < 0)
    return self->regions->len > 0 ? 0 : -1;

  switch (direction)
    {
    case GTK_DIR_LEFT: dx = -1; break;
    case GTK_DIR_RIGHT: dx = 1; break;
    case GTK_DIR_UP: dy = -1; break;
    case GTK_DIR_DOWN: dy = 1; break;
    case GTK_DIR_TAB_FORWARD:
    case GTK_DIR_TAB_BACKWARD:
    default:
      return -1;
    }

  /* On screen, so a rotated map still follows the arrows. */
  if (!_get_transform (self, &m))
    cairo_matrix_init_scale (&m, 1, 1);

  from = g_ptr_array_index (self->regions, self->focused);
  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);
      double fx = from->label.x, fy = from->label.y, x = region->label.x, y = region->label.y;
      double along, across, score;

      if ((int) i == self->focused)
        continue;
      cairo_matrix_transform_point (&m, &fx, &fy);
      cairo_matrix_transform_point (&m, &x, &y);
      along = (x - fx) * dx + (y - fy) * dy;
      across = fabs ((x - fx) * dy - (y - fy) * dx);
      if (along <= 1e-9 || across > along * 2.5)
        continue;
      score = along + 2 * across;
      if (score < best)
        {
          best = score;
          best_index = (int) i;
        }
    }

  return best_index;
}

/* ---- callbacks ------------------------------------------------------------------------------ */

static void
on_click_pressed_cb (FlRegionLayer   *self,
                     int              n_press,
                     double           x,
                     double           y,
                     GtkGestureClick *gesture)
{
  self->press_x = x;
  self->press_y = y;
  self->press_region = _region_index_at (self, x, y);
}

static void
on_click_released_cb (FlRegionLayer   *self,
                      int              n_press,
                      double           x,
                      double           y,
                      GtkGestureClick *gesture)
{
  int threshold = 8;
  int index;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)),
                "gtk-dnd-drag-threshold", &threshold, NULL);

  /* The end of a pan is not a click. */
  if (hypot (x - self->press_x, y - self->press_y) > threshold)
    return;

  index = _region_index_at (self, x, y);
  if (index < 0 || index != self->press_region || n_press > 1)
    return;

  _set_focused (self, index);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  _activate (self, index);
}

static void
on_motion_cb (FlRegionLayer            *self,
              double                    x,
              double                    y,
              GtkEventControllerMotion *motion)
{
  int index = _region_index_at (self, x, y);

  if (index != self->hovered)
    {
      self->hovered = index;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave_cb (FlRegionLayer            *self,
             GtkEventControllerMotion *motion)
{
  if (self->hovered != -1)
    {
      self->hovered = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
on_key_pressed_cb (FlRegionLayer         *self,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   GtkEventControllerKey *controller)
{
  GtkDirectionType direction;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      if (self->focused < 0)
        return GDK_EVENT_PROPAGATE;
      _activate (self, self->focused);
      return GDK_EVENT_STOP;

    case GDK_KEY_Escape:
      fl_region_layer_set_selected_region (self, NULL);
      g_signal_emit (self, signals[REGION_DISMISSED], 0);
      return GDK_EVENT_STOP;

    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      direction = GTK_DIR_LEFT;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      direction = GTK_DIR_RIGHT;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      direction = GTK_DIR_UP;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      direction = GTK_DIR_DOWN;
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }

  {
    int next = _neighbour (self, direction);

    if (next >= 0)
      _set_focused (self, next);
  }
  /* Arrows never leave the map: it would be surprising mid-presentation. */
  return GDK_EVENT_STOP;
}

/* ---- helpers: the raster cache -------------------------------------------------------------- */

static gboolean
_same_linear (const cairo_matrix_t *a,
              const cairo_matrix_t *b)
{
  double tolerance = 1e-7 * _matrix_scale (a);

  return fabs (a->xx - b->xx) <= tolerance && fabs (a->xy - b->xy) <= tolerance &&
         fabs (a->yx - b->yx) <= tolerance && fabs (a->yy - b->yy) <= tolerance;
}

static void
_invalidate_cache (FlRegionLayer *self)
{
  self->version++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
_settle_cb (gpointer user_data)
{
  FlRegionLayer *self = FL_REGION_LAYER (user_data);

  self->settle_id = 0;
  self->zooming = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return G_SOURCE_REMOVE;
}

/* The cached raster → this frame, if that is a plain zoom (no rotation):
 * what a zoom animation shows until it settles. */
static gboolean
_stale_transform (FlRegionLayer        *self,
                  const cairo_matrix_t *m)
{
  cairo_matrix_t from_cache = self->cache_matrix, a;
  double tolerance;

  if (cairo_matrix_invert (&from_cache) != CAIRO_STATUS_SUCCESS)
    return FALSE;

  cairo_matrix_multiply (&a, &from_cache, m);
  tolerance = 1e-6 * fabs (a.xx);
  if (fabs (a.xy) > tolerance || fabs (a.yx) > tolerance || fabs (a.xx - a.yy) > tolerance ||
      a.xx < .25 || a.xx > 4)
    return FALSE;

  self->stale_transform = a;
  return TRUE;
}

/* Whether the cached raster, moved by this frame's pan, covers @needed. */
static gboolean
_cache_usable (FlRegionLayer         *self,
               const cairo_matrix_t  *m,
               int                    scale_factor,
               const graphene_rect_t *needed)
{
  graphene_rect_t moved;

  if (!self->cache_valid || self->cache_version != self->version ||
      self->cache_scale_factor != scale_factor || !_same_linear (m, &self->cache_matrix))
    return FALSE;

  if (needed->size.width <= 0 || needed->size.height <= 0)
    return TRUE;

  moved = self->cache_rect;
  moved.origin.x += m->x0 - self->cache_matrix.x0;
  moved.origin.y += m->y0 - self->cache_matrix.y0;
  graphene_rect_inset (&moved, -1, -1);

  return graphene_rect_contains_rect (&moved, needed);
}

/* Old data: a white wash and a stipple over every tile, anchored to the map
 * like the hatches; the status colours stay recognisable under it. */
static void
_draw_stale (FlRegionLayer        *self,
             cairo_t              *cr,
             const cairo_matrix_t *m,
             double                scale,
             const gboolean       *visible,
             double                phase_x,
             double                phase_y)
{
  cairo_surface_t *tile = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                      STALE_DOT_SPACING, STALE_DOT_SPACING);
  cairo_t *tile_cr = cairo_create (tile);
  cairo_pattern_t *stipple;
  cairo_matrix_t offset;

  cairo_set_source_rgba (tile_cr, 1, 1, 1, .7);
  cairo_arc (tile_cr, STALE_DOT_SPACING / 2., STALE_DOT_SPACING / 2., 1.1, 0, 2 * G_PI);
  cairo_fill (tile_cr);
  cairo_destroy (tile_cr);
  stipple = cairo_pattern_create_for_surface (tile);
  cairo_surface_destroy (tile);
  cairo_pattern_set_extend (stipple, CAIRO_EXTEND_REPEAT);
  cairo_matrix_init_translate (&offset, -phase_x, -phase_y);
  cairo_pattern_set_matrix (stipple, &offset);

  cairo_save (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  for (guint i = 0; i < self->regions->len; i++)
    {
      if (!visible[i])
        continue;
      _region_path (cr, g_ptr_array_index (self->regions, i), m, scale);
      cairo_set_source_rgba (cr, 1, 1, 1, STALE_WASH);
      cairo_fill_preserve (cr);
      cairo_set_source (cr, stipple);
      cairo_fill (cr);
    }
  cairo_restore (cr);
  cairo_pattern_destroy (stipple);
}

/* Fills, hatches and borders: what only changes with the zoom level or the data. */
static void
_draw_static (FlRegionLayer         *self,
              cairo_t               *cr,
              const cairo_matrix_t  *m,
              double                 scale,
              const graphene_rect_t *area)
{
  g_autofree gboolean *visible = g_new0 (gboolean, self->regions->len);
  cairo_pattern_t *hatch[3] = { NULL, NULL, NULL };
  double phase_x, phase_y;

  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);
      graphene_rect_t px;

      _transform_rect (m, &region->bounds, &px);
      graphene_rect_inset (&px, -CACHE_BLEED, -CACHE_BLEED);
      visible[i] = graphene_rect_intersection (&px, area, NULL);
    }

  /* Hatches are anchored to the map, so they pan with it. */
  phase_x = fmod (m->xx * self->bounds.origin.x + m->xy * self->bounds.origin.y + m->x0, 1000.);
  phase_y = fmod (m->yx * self->bounds.origin.x + m->yy * self->bounds.origin.y + m->y0, 1000.);
  hatch[FL_STATUS_YELLOW] = _hatch_pattern (cr, FL_STATUS_YELLOW, phase_x, phase_y);
  hatch[FL_STATUS_RED] = _hatch_pattern (cr, FL_STATUS_RED, phase_x, phase_y);

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);

  /* A soft drop shadow lifts the province off the background. */
  cairo_push_group (cr);
  for (int pass = 0; pass < 2; pass++)
    {
      cairo_save (cr);
      cairo_translate (cr, 0, pass == 0 ? 1.5 : 3.5);
      cairo_set_source_rgba (cr, 0, 0, 0, pass == 0 ? .5 : .25);
      for (guint i = 0; i < self->regions->len; i++)
        {
          if (!visible[i])
            continue;
          _region_path (cr, g_ptr_array_index (self->regions, i), m, scale);
          cairo_fill (cr);
        }
      cairo_restore (cr);
    }
  cairo_pop_group_to_source (cr);
  cairo_paint_with_alpha (cr, .35);

  /* Fills and patterns */
  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);
      GdkRGBA fill;
      graphene_rect_t px;

      if (!visible[i])
        continue;

      _region_color (self, region, &fill);
      _region_path (cr, region, m, scale);
      gdk_cairo_set_source_rgba (cr, &fill);
      if (!region->has_state || region->status == FL_STATUS_GREEN)
        {
          cairo_fill (cr);
          continue;
        }

      cairo_fill (cr);

      /* The hatch, minus a plain plate behind the label and a disc around
       * the label point: punched out of a group (the plates may overlap). */
      _transform_rect (m, &region->bounds, &px);
      graphene_rect_round_extents (&px, &px);
      cairo_save (cr);
      cairo_rectangle (cr, px.origin.x, px.origin.y, px.size.width, px.size.height);
      cairo_clip (cr);
      cairo_push_group (cr);
      _region_path (cr, region, m, scale);
      cairo_set_source (cr, hatch[region->status]);
      cairo_fill (cr);

      cairo_set_operator (cr, CAIRO_OPERATOR_DEST_OUT);
      cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
      cairo_set_source_rgba (cr, 0, 0, 0, 1);
      cairo_new_sub_path (cr);
      cairo_arc (cr, region->label_x, region->label_y, LABEL_CLEAR_RADIUS, 0, 2 * G_PI);
      if (region->show_name)
        {
          graphene_rect_t plate = region->name_rect;

          graphene_rect_inset (&plate, -5, -3);
          _rounded_rect (cr, &plate, 6);
        }
      if (region->show_badge)
        {
          graphene_rect_t plate = region->badge_rect;

          graphene_rect_inset (&plate, -4, -3);
          _rounded_rect (cr, &plate, plate.size.height / 2.);
        }
      cairo_fill (cr);
      cairo_pop_group_to_source (cr);
      cairo_paint (cr);
      cairo_restore (cr);
    }

  for (guint i = 0; i < G_N_ELEMENTS (hatch); i++)
    g_clear_pointer (&hatch[i], cairo_pattern_destroy);

  if (self->stale)
    _draw_stale (self, cr, m, scale, visible, phase_x, phase_y);

  /* White borders between tiles */
  cairo_set_line_width (cr, BORDER_WIDTH);
  cairo_set_source_rgb (cr, 1, 1, 1);
  for (guint i = 0; i < self->regions->len; i++)
    {
      if (!visible[i])
        continue;
      _region_path (cr, g_ptr_array_index (self->regions, i), m, scale);
      cairo_stroke (cr);
    }
}

/* What of @region the static raster depends on, beyond the zoom, the palette
 * and the staleness (which re-render it all): its status and label plates. */
static void
_remember_cached (Region               *region,
                  const cairo_matrix_t *m)
{
  region->in_cache = TRUE;
  region->cached_has_state = region->has_state;
  region->cached_status = region->status;
  region->cached_show_name = region->show_name;
  region->cached_show_badge = region->show_badge;
  /* Relative to the view's offset: a pan moves the raster and the plates alike. */
  region->cached_name_rect = region->name_rect;
  region->cached_name_rect.origin.x -= m->x0;
  region->cached_name_rect.origin.y -= m->y0;
  region->cached_badge_rect = region->badge_rect;
  region->cached_badge_rect.origin.x -= m->x0;
  region->cached_badge_rect.origin.y -= m->y0;
  region->cached_label_x = region->label_x - m->x0;
  region->cached_label_y = region->label_y - m->y0;
}

/* Positions rounded to pixels after a pan by a fraction of one may differ by one. */
static gboolean
_moved (double cached,
        double now,
        double offset)
{
  return fabs (cached - (now - offset)) > 1.01;
}

static gboolean
_plate_changed (const graphene_rect_t *cached,
                const graphene_rect_t *now,
                const cairo_matrix_t  *m)
{
  return _moved (cached->origin.x, now->origin.x, m->x0)
         || _moved (cached->origin.y, now->origin.y, m->y0)
         || cached->size.width != now->size.width || cached->size.height != now->size.height;
}

static gboolean
_changed_since_cached (const Region         *region,
                       const cairo_matrix_t *m)
{
  return !region->in_cache || region->cached_has_state != region->has_state
         || region->cached_status != region->status
         || region->cached_show_name != region->show_name
         || region->cached_show_badge != region->show_badge
         || (region->show_name && _plate_changed (&region->cached_name_rect, &region->name_rect, m))
         || (region->show_badge
             && _plate_changed (&region->cached_badge_rect, &region->badge_rect, m))
         || _moved (region->cached_label_x, region->label_x, m->x0)
         || _moved (region->cached_label_y, region->label_y, m->y0);
}

/* A copy of the raster with the patches painted into it; the patches go. */
static cairo_surface_t *
_copy_with_patches (FlRegionLayer *self)
{
  int scale_factor = MAX (self->cache_scale_factor, 1);
  cairo_surface_t *copy;
  cairo_t *cr;

  copy = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                     cairo_image_surface_get_width (self->cache_surface),
                                     cairo_image_surface_get_height (self->cache_surface));
  cairo_surface_set_device_scale (copy, scale_factor, scale_factor);
  cr = cairo_create (copy);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_surface (cr, self->cache_surface, 0, 0);
  cairo_paint (cr);
  cairo_translate (cr, -self->cache_rect.origin.x, -self->cache_rect.origin.y);
  for (guint i = 0; i < self->patches->len; i++)
    {
      Patch *patch = g_ptr_array_index (self->patches, i);

      cairo_set_source_surface (cr, patch->image, patch->rect.origin.x, patch->rect.origin.y);
      cairo_rectangle (cr, patch->rect.origin.x, patch->rect.origin.y,
                       patch->rect.size.width, patch->rect.size.height);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  g_ptr_array_set_size (self->patches, 0);
  return copy;
}

/* The patches are folded into the raster while nothing happens (that frame
 * repaints the map), not in the frame of the change that would need one more. */
static gboolean
_fold_idle_cb (gpointer user_data)
{
  FlRegionLayer *self = FL_REGION_LAYER (user_data);

  self->fold_id = 0;
  if (self->cache_surface == NULL || self->patches->len == 0)
    return G_SOURCE_REMOVE;
  {
    cairo_surface_t *copy = _copy_with_patches (self);

    cairo_surface_destroy (self->cache_surface);
    self->cache_surface = copy;
  }
  self->cache_serial++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* A region changed its status (an execution, a new evaluation) at the zoom of
 * the raster: only the tiles around it are drawn again, not the province
 * (a frame's budget on a loaded machine). FALSE when the whole raster has to
 * be drawn: the view moved since, or too much changed. */
static gboolean
_redraw_changed (FlRegionLayer        *self,
                 const cairo_matrix_t *m,
                 double                scale)
{
  graphene_rect_t damage = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  const cairo_matrix_t *raster_m;
  int scale_factor = MAX (self->cache_scale_factor, 1);
  gboolean any = FALSE;
  guint n_changed = 0;
  cairo_surface_t *copy;
  cairo_t *cr;

  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);
      graphene_rect_t px;

      if (!_changed_since_cached (region, m))
        continue;
      if (!region->in_cache)
        return FALSE;
      n_changed++;
      _transform_rect (m, &region->bounds, &px);
      graphene_rect_inset (&px, -CACHE_BLEED, -CACHE_BLEED);
      if (any)
        graphene_rect_union (&damage, &px, &damage);
      else
        damage = px;
      any = TRUE;
    }
  if (!any)
    return TRUE;
  /* The view may be panned from the raster's frame: the tiles are drawn again
   * in that frame (with the labels laid out there too, for their plates), so
   * that the new pixels match the raster's to the last one. */
  if (self->cache_surface == NULL || n_changed * 2 > self->regions->len
      || !_same_linear (m, &self->cache_matrix))
    return FALSE;
  damage.origin.x -= m->x0 - self->cache_matrix.x0;
  damage.origin.y -= m->y0 - self->cache_matrix.y0;
  graphene_rect_round_extents (&damage, &damage);
  if (!graphene_rect_intersection (&damage, &self->cache_rect, &damage))
    return TRUE;
  raster_m = &self->cache_matrix;
  _layout_labels (self, raster_m);

  if (self->has_background && self->patches->len < MAX_PATCHES)
    {
      /* Opaque: painted over the raster it replaces what the raster shows there. */
      Patch *patch = g_new0 (Patch, 1);

      patch->rect = damage;
      patch->image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                 (int) damage.size.width * scale_factor,
                                                 (int) damage.size.height * scale_factor);
      cairo_surface_set_device_scale (patch->image, scale_factor, scale_factor);
      cr = cairo_create (patch->image);
      gdk_cairo_set_source_rgba (cr, &self->background);
      cairo_paint (cr);
      cairo_translate (cr, -damage.origin.x, -damage.origin.y);
      _draw_static (self, cr, raster_m, scale, &damage);
      cairo_destroy (cr);
      patch->node = gsk_cairo_node_new (&damage);
      cr = gsk_cairo_node_get_draw_context (patch->node);
      cairo_set_source_surface (cr, patch->image, damage.origin.x, damage.origin.y);
      cairo_paint (cr);
      cairo_destroy (cr);
      g_ptr_array_add (self->patches, patch);
      if (self->patches->len == MAX_PATCHES && self->fold_id == 0)
        self->fold_id = g_idle_add_full (G_PRIORITY_LOW, _fold_idle_cb, self, NULL);
    }
  else
    {
      /* A copy of the raster with the patches and the damage in it: the raster
       * itself is left as it is, since the node the renderer still holds is
       * drawn from it (drawing into it would make Cairo copy it anyway). */
      copy = _copy_with_patches (self);
      cr = cairo_create (copy);
      cairo_translate (cr, -self->cache_rect.origin.x, -self->cache_rect.origin.y);
      cairo_rectangle (cr, damage.origin.x, damage.origin.y, damage.size.width,
                       damage.size.height);
      cairo_clip (cr);
      cairo_save (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_restore (cr);
      _draw_static (self, cr, raster_m, scale, &damage);
      cairo_destroy (cr);

      cairo_surface_destroy (self->cache_surface);
      self->cache_surface = copy;
      self->cache_serial++;
    }
  _layout_labels (self, m);
  for (guint i = 0; i < self->regions->len; i++)
    _remember_cached (g_ptr_array_index (self->regions, i), m);
  return TRUE;
}

/* Rasterises the static map around the view (with a margin, so that panning
 * only moves a texture) for this frame's zoom level. */
static void
_render_cache (FlRegionLayer        *self,
               const cairo_matrix_t *m,
               double                scale,
               int                   scale_factor,
               int                   width,
               int                   height)
{
  graphene_rect_t province, area, around;
  double margin = CACHE_MARGIN * MAX (width, height);
  cairo_surface_t *surface;
  int w, h;
  cairo_t *cr;

  g_clear_pointer (&self->cache_surface, cairo_surface_destroy);
  g_ptr_array_set_size (self->patches, 0);
  self->cache_serial++;
  for (guint i = 0; i < self->regions->len; i++)
    ((Region *) g_ptr_array_index (self->regions, i))->in_cache = FALSE;
  self->cache_valid = TRUE;
  self->cache_version = self->version;
  self->cache_scale_factor = scale_factor;
  self->cache_matrix = *m;
  graphene_rect_init (&self->cache_rect, 0, 0, 0, 0);

  _transform_rect (m, &self->bounds, &province);
  graphene_rect_inset (&province, -CACHE_BLEED, -CACHE_BLEED);

  around = GRAPHENE_RECT_INIT (-margin, -margin, width + 2 * margin, height + 2 * margin);
  if ((province.size.width > width + 2 * margin || province.size.height > height + 2 * margin) &&
      MAX (width + 2 * margin, height + 2 * margin) * scale_factor > CACHE_MAX_SIZE)
    around = GRAPHENE_RECT_INIT (0, 0, width, height);
  if (!graphene_rect_intersection (&province, &around, &area))
    return;

  graphene_rect_round_extents (&area, &area);
  w = (int) ceil (area.size.width * scale_factor);
  h = (int) ceil (area.size.height * scale_factor);
  if (w <= 0 || h <= 0 || w > CACHE_MAX_SIZE || h > CACHE_MAX_SIZE)
    return;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_surface_set_device_scale (surface, scale_factor, scale_factor);
  cr = cairo_create (surface);
  cairo_translate (cr, -area.origin.x, -area.origin.y);
  _draw_static (self, cr, m, scale, &area);
  cairo_destroy (cr);
  self->cache_surface = surface;
  self->cache_rect = area;
  for (guint i = 0; i < self->regions->len; i++)
    _remember_cached (g_ptr_array_index (self->regions, i), m);
}

typedef void (*DrawNodeFunc) (FlRegionLayer        *self,
                              cairo_t              *cr,
                              gpointer              data,
                              const cairo_matrix_t *m,
                              double                scale);

/* How a cached node holds what @draw drew. */
typedef enum
{
  NODE_RECORDED,     /* the drawing itself: for a node that paints an image */
  NODE_RASTERISED,   /* an image of it: paths (outlines, text) are stroked once,
                      * not in every frame whose damage crosses the node */
} NodeKind;

/* @cached's node, drawn again by @draw (a Cairo node over @bounds) only when
 * @key differs from what it was drawn for. */
static GskRenderNode *
_update_cached (FlRegionLayer         *self,
                CachedNode            *cached,
                NodeKind               kind,
                gconstpointer          key,
                gsize                  key_size,
                const graphene_rect_t *bounds,
                DrawNodeFunc           draw,
                gpointer               data,
                const cairo_matrix_t  *m,
                double                 scale)
{
  if (cached->node == NULL || cached->key_size != key_size
      || memcmp (cached->key, key, key_size) != 0)
    {
      int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      graphene_rect_t area;
      cairo_surface_t *image;
      cairo_t *cr;

      _cached_node_clear (cached);
      cached->key = g_memdup2 (key, key_size);
      cached->key_size = key_size;
      if (kind == NODE_RECORDED)
        {
          cached->node = gsk_cairo_node_new (bounds);
          cr = gsk_cairo_node_get_draw_context (cached->node);
          draw (self, cr, data, m, scale);
          cairo_destroy (cr);
        }
      else
        {
          graphene_rect_round_extents (bounds, &area);
          image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                              (int) area.size.width * scale_factor,
                                              (int) area.size.height * scale_factor);
          cairo_surface_set_device_scale (image, scale_factor, scale_factor);
          cr = cairo_create (image);
          cairo_translate (cr, -area.origin.x, -area.origin.y);
          draw (self, cr, data, m, scale);
          cairo_destroy (cr);

          cached->node = gsk_cairo_node_new (&area);
          cr = gsk_cairo_node_get_draw_context (cached->node);
          cairo_set_source_surface (cr, image, area.origin.x, area.origin.y);
          cairo_paint (cr);
          cairo_destroy (cr);
          cairo_surface_destroy (image);
        }
    }
  return cached->node;
}

/* What an outline over a region depends on. */
typedef struct
{
  int             index;
  cairo_matrix_t  matrix;
  graphene_rect_t bounds;
} OutlineKey;

/* The key of the outline of region @index over its pixel bounds grown by
 * @grow, clipped to @view; FALSE when it is out of view. */
static gboolean
_outline_key (FlRegionLayer         *self,
              int                    index,
              double                 grow,
              const graphene_rect_t *view,
              const cairo_matrix_t  *m,
              OutlineKey            *key)
{
  Region *region = g_ptr_array_index (self->regions, index);

  memset (key, 0, sizeof *key);
  key->index = index;
  key->matrix = *m;
  _transform_rect (m, &region->bounds, &key->bounds);
  graphene_rect_inset (&key->bounds, -grow, -grow);
  return graphene_rect_intersection (&key->bounds, view, &key->bounds);
}

/* Appends the outline @draw makes of region @index (nothing for -1), kept in
 * @cached while the view is the same. */
static void
_append_outline (FlRegionLayer         *self,
                 GtkSnapshot           *snapshot,
                 CachedNode            *cached,
                 int                    index,
                 double                 grow,
                 const graphene_rect_t *view,
                 const cairo_matrix_t  *m,
                 double                 scale,
                 DrawNodeFunc           draw)
{
  OutlineKey key;

  if (index < 0 || !_outline_key (self, index, grow, view, m, &key))
    {
      _cached_node_clear (cached);
      return;
    }
  gtk_snapshot_append_node (snapshot,
                            _update_cached (self, cached, NODE_RASTERISED, &key, sizeof key,
                                            &key.bounds, draw,
                                            g_ptr_array_index (self->regions, index), m, scale));
}

static void
_draw_hover (FlRegionLayer        *self,
             cairo_t              *cr,
             gpointer              region,
             const cairo_matrix_t *m,
             double                scale)
{
  _region_path (cr, region, m, scale);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_source_rgba (cr, 1, 1, 1, HOVER_LIGHTEN);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 1);
  cairo_set_line_width (cr, 3.);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
}

/* A dark casing with a white core, legible on any neighbour. */
static void
_draw_selection (FlRegionLayer        *self,
                 cairo_t              *cr,
                 gpointer              region,
                 const cairo_matrix_t *m,
                 double                scale)
{
  _region_path (cr, region, m, scale);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgba (cr, .1, .1, .12, .95);
  cairo_set_line_width (cr, 6.5);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 1);
  cairo_set_line_width (cr, 2.);
  cairo_stroke (cr);
}

/* Keyboard focus: the accent colour, dashed, inside the tile. */
static void
_draw_focus (FlRegionLayer        *self,
             cairo_t              *cr,
             gpointer              region,
             const cairo_matrix_t *m,
             double                scale)
{
  _region_path (cr, region, m, scale);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_clip_preserve (cr);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
  cairo_set_line_width (cr, 7.);
  cairo_set_dash (cr, (double[]) { 6., 3. }, 2, 0);
  cairo_stroke (cr);
}

/* What a region's label node shows. */
typedef struct
{
  gboolean        show_name;
  gboolean        show_badge;
  gboolean        has_state;
  FlRegionStatus  status;
  FlPalette       palette;
  guint           n_pending;
  gconstpointer   name_layout;
  gconstpointer   count_layout;
  graphene_rect_t name_rect;
  graphene_rect_t badge_rect;
  graphene_rect_t box;
} LabelKey;

static void
_draw_label_node (FlRegionLayer        *self,
                  cairo_t              *cr,
                  gpointer              region,
                  const cairo_matrix_t *m,
                  double                scale)
{
  _draw_label (self, cr, region);
}

/* Appends @region's name and badge, if any fits, clipped to @view. */
static void
_append_label (FlRegionLayer         *self,
               GtkSnapshot           *snapshot,
               Region                *region,
               const graphene_rect_t *view)
{
  gboolean any = FALSE;
  LabelKey key;

  memset (&key, 0, sizeof key);
  if (region->show_name)
    {
      key.box = region->name_rect;
      graphene_rect_inset (&key.box, -3, -3);
      any = TRUE;
    }
  if (region->show_badge)
    {
      graphene_rect_t badge = region->badge_rect;

      graphene_rect_inset (&badge, -2, -2);
      badge.size.height += 2;
      if (any)
        graphene_rect_union (&key.box, &badge, &key.box);
      else
        key.box = badge;
      any = TRUE;
    }
  if (!any || !graphene_rect_intersection (&key.box, view, &key.box))
    {
      _cached_node_clear (&region->label_node);
      return;
    }

  key.show_name = region->show_name;
  key.show_badge = region->show_badge;
  key.has_state = region->has_state;
  key.status = region->status;
  key.palette = self->palette;
  key.n_pending = region->n_pending;
  key.name_layout = region->name_layout;
  key.count_layout = region->count_layout;
  key.name_rect = region->name_rect;
  key.badge_rect = region->badge_rect;
  gtk_snapshot_append_node (snapshot,
                            _update_cached (self, &region->label_node, NODE_RASTERISED, &key,
                                            sizeof key, &key.box, _draw_label_node, region, NULL,
                                            0));
}

/* The raster as a Cairo node that paints the image itself, kept while the
 * image is: GTK 4.8's Cairo renderer converts a texture node to a new Cairo
 * surface each time it draws it, and it draws every node of a window in every
 * frame with damage anywhere (clipped to it). */
static void
_draw_cache_node (FlRegionLayer        *self,
                  cairo_t              *cr,
                  gpointer              data,
                  const cairo_matrix_t *m,
                  double                scale)
{
  cairo_set_source_surface (cr, self->cache_surface, self->cache_rect.origin.x,
                            self->cache_rect.origin.y);
  cairo_paint (cr);
}

static void
_append_cache (FlRegionLayer *self,
               GtkSnapshot   *snapshot)
{
  int scale_factor = MAX (self->cache_scale_factor, 1);
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (
    self->cache_rect.origin.x, self->cache_rect.origin.y,
    cairo_image_surface_get_width (self->cache_surface) / (double) scale_factor,
    cairo_image_surface_get_height (self->cache_surface) / (double) scale_factor);

  gtk_snapshot_append_node (snapshot,
                            _update_cached (self, &self->cache_node, NODE_RECORDED,
                                            &self->cache_serial, sizeof self->cache_serial,
                                            &bounds, _draw_cache_node, NULL, NULL, 0));
  for (guint i = 0; i < self->patches->len; i++)
    gtk_snapshot_append_node (snapshot, ((Patch *) g_ptr_array_index (self->patches, i))->node);
}

/* Draws the selection outline of one region a click would show and that is
 * not drawn for the view of the last settled frame yet; removes itself once
 * they all are. */
static gboolean
_prebuild_cb (gpointer user_data)
{
  FlRegionLayer *self = FL_REGION_LAYER (user_data);

  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);
      OutlineKey key;

      if (!_outline_key (self, (int) i, SELECTION_GROW, &self->prebuild_view,
                         &self->prebuild_matrix, &key))
        continue;
      if (region->selection_node.node != NULL && region->selection_node.key_size == sizeof key
          && memcmp (region->selection_node.key, &key, sizeof key) == 0)
        continue;
      _update_cached (self, &region->selection_node, NODE_RASTERISED, &key, sizeof key,
                      &key.bounds, _draw_selection, region, &self->prebuild_matrix,
                      self->prebuild_scale);
      return G_SOURCE_CONTINUE;
    }
  self->prebuild_id = 0;
  self->prebuild_done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
_prebuild_start_cb (gpointer user_data)
{
  FlRegionLayer *self = FL_REGION_LAYER (user_data);

  self->prebuild_id = g_idle_add_full (G_PRIORITY_LOW, _prebuild_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

/* After a frame at a settled view: a while later (not between the frames of a
 * pan), one outline per idle moment. */
static void
_schedule_prebuild (FlRegionLayer         *self,
                    const cairo_matrix_t  *m,
                    const graphene_rect_t *view,
                    double                 scale)
{
  if ((self->prebuild_id != 0 || self->prebuild_done)
      && memcmp (m, &self->prebuild_matrix, sizeof *m) == 0
      && graphene_rect_equal (view, &self->prebuild_view))
    return;
  g_clear_handle_id (&self->prebuild_id, g_source_remove);
  self->prebuild_done = FALSE;
  self->prebuild_matrix = *m;
  self->prebuild_view = *view;
  self->prebuild_scale = scale;
  self->prebuild_id = g_timeout_add (PREBUILD_DELAY_MS, _prebuild_start_cb, self);
}

/* ---- overrides ------------------------------------------------------------------------------ */

static void
fl_region_layer_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  FlRegionLayer *self = FL_REGION_LAYER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t view = GRAPHENE_RECT_INIT (0, 0, width, height);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 now = clock != NULL ? gdk_frame_clock_get_frame_time (clock) : g_get_monotonic_time ();
  int scale_factor = gtk_widget_get_scale_factor (widget);
  gboolean exact = TRUE;
  graphene_rect_t needed;
  cairo_matrix_t m;
  double scale;

  if (self->regions->len == 0 || !_get_transform (self, &m))
    return;

  scale = _matrix_scale (&m);
  _ensure_layouts (self);
  _layout_labels (self, &m);

  /* A zoom in progress (the scale changed on two frames in a row) reuses the
   * cached raster, transformed, until it settles. */
  if (self->has_last_matrix && !_same_linear (&m, &self->last_matrix))
    {
      self->zooming = now - self->last_zoom_time < ZOOM_SETTLE_US;
      self->last_zoom_time = now;
      g_clear_handle_id (&self->settle_id, g_source_remove);
      self->settle_id = g_timeout_add (ZOOM_SETTLE_US / 1000 + 20, _settle_cb, self);
    }
  else if (now - self->last_zoom_time >= ZOOM_SETTLE_US)
    self->zooming = FALSE;
  self->last_matrix = m;
  self->has_last_matrix = TRUE;

  _transform_rect (&m, &self->bounds, &needed);
  graphene_rect_inset (&needed, -CACHE_BLEED, -CACHE_BLEED);
  if (!graphene_rect_intersection (&needed, &view, &needed))
    graphene_rect_init (&needed, 0, 0, 0, 0);

  if (!_cache_usable (self, &m, scale_factor, &needed)
      || (!self->zooming && !_redraw_changed (self, &m, scale)))
    {
      if (self->zooming && self->cache_valid && self->cache_version == self->version &&
          self->cache_scale_factor == scale_factor && _stale_transform (self, &m))
        exact = FALSE;
      else
        _render_cache (self, &m, scale, scale_factor, width, height);
    }

  if (self->cache_surface != NULL)
    {
      gtk_snapshot_save (snapshot);
      if (exact)
        {
          /* A pan: the raster moves by whole device pixels, crisp with any renderer. */
          double dx = round ((m.x0 - self->cache_matrix.x0) * scale_factor) / scale_factor;
          double dy = round ((m.y0 - self->cache_matrix.y0) * scale_factor) / scale_factor;

          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (dx, dy));
        }
      else
        {
          cairo_matrix_t a = self->stale_transform;

          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (a.x0, a.y0));
          gtk_snapshot_scale (snapshot, a.xx, a.yy);
        }
      _append_cache (self, snapshot);
      gtk_snapshot_restore (snapshot);
    }

  /* What changes without a redraw of the map: small nodes on top, each kept
   * while it shows the same. */
  _append_outline (self, snapshot, &self->hover_node, self->hovered, 4, &view, &m, scale,
                   _draw_hover);
  {
    int selected = _find_region (self, self->selected);

    if (selected >= 0)
      {
        Region *region = g_ptr_array_index (self->regions, selected);

        _append_outline (self, snapshot, &region->selection_node, selected, SELECTION_GROW,
                         &view, &m, scale, _draw_selection);
      }
  }
  _append_outline (self, snapshot, &self->focus_node,
                   gtk_widget_has_visible_focus (widget) ? self->focused : -1, 1, &view, &m,
                   scale, _draw_focus);

  /* Labels on top of everything, each in its own small node */
  for (guint i = 0; i < self->regions->len; i++)
    _append_label (self, snapshot, g_ptr_array_index (self->regions, i), &view);

  if (exact && !self->zooming)
    _schedule_prebuild (self, &m, &view, scale);

  if (exact && !self->ready && self->ready_idle_id == 0)
    self->ready_idle_id = g_idle_add (_ready_idle_cb, self);
}

static gboolean
fl_region_layer_contains (GtkWidget *widget,
                          double     x,
                          double     y)
{
  return _region_index_at (FL_REGION_LAYER (widget), x, y) >= 0;
}

static gboolean
fl_region_layer_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_mode,
                               GtkTooltip *tooltip)
{
  FlRegionLayer *self = FL_REGION_LAYER (widget);
  g_autofree char *markup = NULL;
  int index;

  index = keyboard_mode ? self->focused : _region_index_at (self, x, y);
  if (index < 0)
    return FALSE;

  markup = _region_summary (g_ptr_array_index (self->regions, index));
  gtk_tooltip_set_markup (tooltip, markup);

  return TRUE;
}

static gboolean
fl_region_layer_focus (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  FlRegionLayer *self = FL_REGION_LAYER (widget);
  int n = (int) self->regions->len;
  int next;

  if (n == 0)
    return FALSE;

  if (!gtk_widget_has_focus (widget))
    {
      int selected = _find_region (self, self->selected);

      if (direction == GTK_DIR_TAB_BACKWARD)
        next = n - 1;
      else if (selected >= 0)
        next = selected;
      else if (self->focused >= 0)
        next = self->focused;
      else
        next = 0;
      _set_focused (self, next);
      gtk_widget_grab_focus (widget);
      return TRUE;
    }

  switch (direction)
    {
    case GTK_DIR_TAB_FORWARD:
      if (self->focused + 1 >= n)
        return FALSE;
      next = self->focused + 1;
      break;
    case GTK_DIR_TAB_BACKWARD:
      if (self->focused <= 0)
        return FALSE;
      next = self->focused - 1;
      break;
    case GTK_DIR_UP:
    case GTK_DIR_DOWN:
    case GTK_DIR_LEFT:
    case GTK_DIR_RIGHT:
    default:
      next = _neighbour (self, direction);
      if (next < 0)
        return TRUE;
      break;
    }

  _set_focused (self, next);
  return TRUE;
}

static void
fl_region_layer_state_flags_changed (GtkWidget     *widget,
                                     GtkStateFlags  previous)
{
  GTK_WIDGET_CLASS (fl_region_layer_parent_class)->state_flags_changed (widget, previous);

  /* The focus ring follows focus-visible. */
  if ((previous ^ gtk_widget_get_state_flags (widget)) &
      (GTK_STATE_FLAG_FOCUSED | GTK_STATE_FLAG_FOCUS_VISIBLE | GTK_STATE_FLAG_FOCUS_WITHIN))
    gtk_widget_queue_draw (widget);
}

static void
fl_region_layer_constructed (GObject *object)
{
  FlRegionLayer *self = FL_REGION_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (fl_region_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify", G_CALLBACK (gtk_widget_queue_draw), self,
                           G_CONNECT_SWAPPED);
}

static void
fl_region_layer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FlRegionLayer *self = FL_REGION_LAYER (object);

  switch (prop_id)
    {
    case PROP_SELECTED_REGION:
      g_value_set_string (value, self->selected);
      break;
    case PROP_PALETTE:
      g_value_set_int (value, self->palette);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_region_layer_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FlRegionLayer *self = FL_REGION_LAYER (object);

  switch (prop_id)
    {
    case PROP_SELECTED_REGION:
      fl_region_layer_set_selected_region (self, g_value_get_string (value));
      break;
    case PROP_PALETTE:
      fl_region_layer_set_palette (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_region_layer_dispose (GObject *object)
{
  FlRegionLayer *self = FL_REGION_LAYER (object);

  g_clear_handle_id (&self->ready_idle_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  _cached_node_clear (&self->cache_node);
  g_clear_pointer (&self->cache_surface, cairo_surface_destroy);
  g_ptr_array_set_size (self->patches, 0);
  g_clear_handle_id (&self->fold_id, g_source_remove);
  g_clear_handle_id (&self->prebuild_id, g_source_remove);
  _cached_node_clear (&self->hover_node);
  _cached_node_clear (&self->focus_node);

  G_OBJECT_CLASS (fl_region_layer_parent_class)->dispose (object);
}

static void
fl_region_layer_finalize (GObject *object)
{
  FlRegionLayer *self = FL_REGION_LAYER (object);

  g_clear_pointer (&self->regions, g_ptr_array_unref);
  g_clear_pointer (&self->patches, g_ptr_array_unref);
  g_clear_pointer (&self->font, pango_font_description_free);
  g_clear_pointer (&self->selected, g_free);

  G_OBJECT_CLASS (fl_region_layer_parent_class)->finalize (object);
}

static void
fl_region_layer_class_init (FlRegionLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fl_region_layer_constructed;
  object_class->get_property = fl_region_layer_get_property;
  object_class->set_property = fl_region_layer_set_property;
  object_class->dispose = fl_region_layer_dispose;
  object_class->finalize = fl_region_layer_finalize;

  widget_class->snapshot = fl_region_layer_snapshot;
  widget_class->contains = fl_region_layer_contains;
  widget_class->query_tooltip = fl_region_layer_query_tooltip;
  widget_class->focus = fl_region_layer_focus;
  widget_class->state_flags_changed = fl_region_layer_state_flags_changed;

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

  gtk_widget_class_set_css_name (widget_class, "fl-region-layer");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fl_region_layer_init (FlRegionLayer *self)
{
  GtkEventController *controller;

  self->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) _region_free);
  self->patches = g_ptr_array_new_with_free_func ((GDestroyNotify) _patch_free);
  self->hovered = -1;
  self->focused = -1;
  self->press_region = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (controller, "pressed", G_CALLBACK (on_click_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "released", G_CALLBACK (on_click_released_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  self->click = controller;

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (on_motion_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* ---- public API ----------------------------------------------------------------------------- */

FlRegionLayer *
fl_region_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (FL_TYPE_REGION_LAYER, "viewport", viewport, NULL);
}

static int
_region_code_cmp (gconstpointer a,
                  gconstpointer b)
{
  const Region *ra = *(Region * const *) a;
  const Region *rb = *(Region * const *) b;

  return g_strcmp0 (ra->code, rb->code);
}

void
fl_region_layer_set_regions (FlRegionLayer *self,
                             GPtrArray     *regions)
{
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;

  g_return_if_fail (FL_IS_REGION_LAYER (self));

  g_ptr_array_set_size (self->regions, 0);
  for (guint i = 0; regions != NULL && i < regions->len; i++)
    {
      const FlRegion *source = g_ptr_array_index (regions, i);
      Region *region;

      if (source == NULL || source->code == NULL)
        continue;
      region = _region_new (source);
      if (region->rings->len == 0)
        {
          g_warning ("region %s: no drawable geometry, not shown", source->code);
          _region_free (region);
          continue;
        }
      min_x = MIN (min_x, region->bounds.origin.x);
      min_y = MIN (min_y, region->bounds.origin.y);
      max_x = MAX (max_x, region->bounds.origin.x + region->bounds.size.width);
      max_y = MAX (max_y, region->bounds.origin.y + region->bounds.size.height);
      g_ptr_array_add (self->regions, region);
    }
  g_ptr_array_sort (self->regions, _region_code_cmp);

  if (self->regions->len > 0)
    graphene_rect_init (&self->bounds, min_x, min_y, max_x - min_x, max_y - min_y);
  else
    graphene_rect_init (&self->bounds, 0, 0, 0, 0);

  self->hovered = -1;
  self->focused = -1;
  self->press_region = -1;
  g_clear_pointer (&self->font, pango_font_description_free);

  if (self->ready)
    {
      self->ready = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
  g_clear_handle_id (&self->ready_idle_id, g_source_remove);
  _invalidate_cache (self);
}

void
fl_region_layer_update (FlRegionLayer *self,
                        FlEvaluation  *evaluation)
{
  g_return_if_fail (FL_IS_REGION_LAYER (self));

  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);
      FlRegionState *state = NULL;

      /* A linear scan, not fl_evaluation_find_region (): the view also takes
       * evaluations built by hand (tests, week-over-week snapshots). */
      for (guint j = 0; evaluation != NULL && evaluation->regions != NULL &&
                        j < evaluation->regions->len && state == NULL; j++)
        {
          FlRegionState *candidate = g_ptr_array_index (evaluation->regions, j);

          if (g_strcmp0 (candidate->code, region->code) == 0)
            state = candidate;
        }

      region->has_state = state != NULL;
      region->status = state != NULL ? state->status : FL_STATUS_GREEN;
      for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
        region->pending[c] = state != NULL ? state->pending[c] : 0;
      if (region->n_pending != (state != NULL ? state->n_pending : 0))
        {
          g_autofree char *count = NULL;

          region->n_pending = state != NULL ? state->n_pending : 0;
          count = g_strdup_printf ("%u", region->n_pending);
          if (region->count_layout != NULL)
            pango_layout_set_text (region->count_layout, count, -1);
        }
    }

  /* Not the whole raster: the next frame draws again the tiles whose status
   * or label plates differ from the raster's (_redraw_changed ()). */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fl_region_layer_set_palette (FlRegionLayer *self,
                             FlPalette      palette)
{
  g_return_if_fail (FL_IS_REGION_LAYER (self));

  if (self->palette == palette)
    return;

  self->palette = palette;
  _invalidate_cache (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PALETTE]);
}

/* The colour under the layer (the map's background), which lets a status
 * change be drawn as an opaque patch over the raster. Called from the map's
 * snapshot: a change drops the patches (they hold the old colour) and the
 * raster is drawn anew in the snapshot that follows. */
void
fl_region_layer_set_background (FlRegionLayer *self,
                                const GdkRGBA *color)
{
  g_return_if_fail (FL_IS_REGION_LAYER (self));
  g_return_if_fail (color != NULL);

  if (self->has_background && gdk_rgba_equal (&self->background, color))
    return;
  self->background = *color;
  self->has_background = TRUE;
  if (self->patches->len > 0)
    self->version++;
}

FlPalette
fl_region_layer_get_palette (FlRegionLayer *self)
{
  g_return_val_if_fail (FL_IS_REGION_LAYER (self), FL_PALETTE_GNOME);

  return self->palette;
}

void
fl_region_layer_set_stale (FlRegionLayer *self,
                           gboolean       stale)
{
  g_return_if_fail (FL_IS_REGION_LAYER (self));

  stale = !!stale;
  if (self->stale == stale)
    return;
  self->stale = stale;
  _invalidate_cache (self);
}

gboolean
fl_region_layer_get_stale (FlRegionLayer *self)
{
  g_return_val_if_fail (FL_IS_REGION_LAYER (self), FALSE);

  return self->stale;
}

const char *
fl_region_layer_get_selected_region (FlRegionLayer *self)
{
  g_return_val_if_fail (FL_IS_REGION_LAYER (self), NULL);

  return self->selected;
}

void
fl_region_layer_set_selected_region (FlRegionLayer *self,
                                     const char    *code)
{
  g_return_if_fail (FL_IS_REGION_LAYER (self));

  if (g_strcmp0 (self->selected, code) == 0)
    return;

  g_free (self->selected);
  self->selected = g_strdup (code);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_REGION]);
}

const char *
fl_region_layer_get_hover_region (FlRegionLayer *self)
{
  g_return_val_if_fail (FL_IS_REGION_LAYER (self), NULL);

  if (self->hovered < 0)
    return NULL;

  return ((Region *) g_ptr_array_index (self->regions, self->hovered))->code;
}

char *
fl_region_layer_dup_summary (FlRegionLayer *self,
                             const char    *code)
{
  int index;

  g_return_val_if_fail (FL_IS_REGION_LAYER (self), NULL);

  index = _find_region (self, code);
  if (index < 0)
    return NULL;

  return _region_summary (g_ptr_array_index (self->regions, index));
}

const char *
fl_region_layer_get_focus_region (FlRegionLayer *self)
{
  g_return_val_if_fail (FL_IS_REGION_LAYER (self), NULL);

  if (self->focused < 0)
    return NULL;

  return ((Region *) g_ptr_array_index (self->regions, self->focused))->code;
}

guint
fl_region_layer_get_n_regions (FlRegionLayer *self)
{
  g_return_val_if_fail (FL_IS_REGION_LAYER (self), 0);

  return self->regions->len;
}

gboolean
fl_region_layer_get_ready (FlRegionLayer *self)
{
  g_return_val_if_fail (FL_IS_REGION_LAYER (self), FALSE);

  return self->ready;
}

gboolean
fl_region_layer_get_bounds (FlRegionLayer   *self,
                            const char      *code,
                            graphene_rect_t *bounds)
{
  int index;

  g_return_val_if_fail (FL_IS_REGION_LAYER (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  if (self->regions->len == 0)
    return FALSE;

  if (code == NULL)
    {
      *bounds = self->bounds;
      return TRUE;
    }

  index = _find_region (self, code);
  if (index < 0)
    return FALSE;

  *bounds = ((Region *) g_ptr_array_index (self->regions, index))->bounds;
  return TRUE;
}

gboolean
fl_region_layer_get_label_position (FlRegionLayer *self,
                                    const char    *code,
                                    double        *x,
                                    double        *y)
{
  cairo_matrix_t m;
  Region *region;
  double lx, ly;
  int index;

  g_return_val_if_fail (FL_IS_REGION_LAYER (self), FALSE);

  index = _find_region (self, code);
  if (index < 0 || !_get_transform (self, &m))
    return FALSE;

  region = g_ptr_array_index (self->regions, index);
  lx = region->label.x;
  ly = region->label.y;
  cairo_matrix_transform_point (&m, &lx, &ly);
  if (x != NULL)
    *x = lx;
  if (y != NULL)
    *y = ly;

  return TRUE;
}

gboolean
fl_region_layer_intersects (FlRegionLayer         *self,
                            const graphene_rect_t *bounds)
{
  g_return_val_if_fail (FL_IS_REGION_LAYER (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);

      if (!graphene_rect_intersection (&region->bounds, bounds, NULL))
        continue;

      /* A vertex inside catches peninsulas, a grid of samples catches a tile
       * that covers the whole rectangle. */
      for (guint r = 0; r < region->rings->len; r++)
        {
          Ring *ring = g_ptr_array_index (region->rings, r);

          for (guint k = 0; k < ring->points->len; k++)
            {
              const FlPoint *p = &g_array_index (ring->points, FlPoint, k);

              if (graphene_rect_contains_point (bounds, &GRAPHENE_POINT_INIT (p->x, p->y)))
                return TRUE;
            }
        }
      for (int gx = 0; gx <= 8; gx++)
        for (int gy = 0; gy <= 8; gy++)
          if (_rings_contain (region->rings,
                              bounds->origin.x + bounds->size.width * gx / 8.,
                              bounds->origin.y + bounds->size.height * gy / 8.))
            return TRUE;
    }

  return FALSE;
}

const char *
fl_region_layer_get_region_at (FlRegionLayer *self,
                               double         x,
                               double         y)
{
  int index;

  g_return_val_if_fail (FL_IS_REGION_LAYER (self), NULL);

  index = _region_index_at (self, x, y);
  if (index < 0)
    return NULL;

  return ((Region *) g_ptr_array_index (self->regions, index))->code;
}
