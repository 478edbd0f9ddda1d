/* test-radar-chart.c — the customer health radar chart, rendered under Xvfb
 *
 * Run with GSK_RENDERER=cairo under xvfb-run. Set FIELDLIGHT_TEST_SCREENSHOTS
 * to keep the rendered PNGs (a directory; any other value: the temporary
 * directory).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#undef G_DISABLE_ASSERT

#include <adwaita.h>
#include <math.h>

#include "fl-radar-chart.h"
#include "fl-ui-test.h"

#define WAIT_TIMEOUT_MS 10000
#define CHART_WIDTH     360
#define CHART_HEIGHT    320

static gboolean have_display;

static const int current_scores[6] = { 80, 60, 30, 70, 65, 90 };
static const int previous_scores[6] = { 70, 60, 40, 65, 60, 85 };

typedef struct
{
  GtkWidget    *window;
  FlRadarChart *chart;
} Fixture;

/* ---- helpers -------------------------------------------------------------------------------- */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_frames (Fixture *fixture,
             guint    n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (fixture->window);
  gint64 target = gdk_frame_clock_get_frame_counter (clock) + n;
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_TIMEOUT_MS, timeout_cb, &timed_out);

  gtk_widget_queue_draw (fixture->window);
  while (gdk_frame_clock_get_frame_counter (clock) < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %u frames", n);
  g_source_remove (id);
}

static gboolean
chart_is_mapped (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->chart)) &&
         gtk_widget_get_width (GTK_WIDGET (fixture->chart)) > 0;
}

static void
wait_mapped (Fixture *fixture)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_TIMEOUT_MS, timeout_cb, &timed_out);

  while (!chart_is_mapped (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %d ms waiting for the chart to be mapped", WAIT_TIMEOUT_MS);
  g_source_remove (id);
}

/* The window (its background included), cropped to nothing: chart
 * coordinates are translated to window coordinates by the caller. */
static GdkTexture *
render_window (Fixture *fixture)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (fixture->window);
  int height = gtk_widget_get_height (fixture->window);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));

  wait_frames (fixture, 1);
  paintable = gtk_widget_paintable_new (fixture->window);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
save_texture (GdkTexture *texture,
              const char *name)
{
  const char *dir = g_getenv ("FIELDLIGHT_TEST_SCREENSHOTS");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    dir = g_get_tmp_dir ();
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

typedef struct
{
  int     width, height;
  guchar *data;   /* ARGB32 premultiplied, native endian (opaque here) */
} Pixels;

static void
pixels_init (Pixels     *pixels,
             GdkTexture *texture)
{
  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->data = g_malloc ((gsize) pixels->width * pixels->height * 4);
  gdk_texture_download (texture, pixels->data, pixels->width * 4);
}

/* @x, @y in chart coordinates */
static void
pixels_get (const Pixels *pixels,
            Fixture      *fixture,
            double        x,
            double        y,
            GdkRGBA      *color)
{
  double wx, wy;
  int ix, iy;
  guint32 argb;

  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (fixture->chart), fixture->window,
                                                   x, y, &wx, &wy));
  ix = (int) floor (wx);
  iy = (int) floor (wy);
  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, pixels->width);
  g_assert_cmpint (iy, <, pixels->height);
  argb = *(guint32 *) (pixels->data + (gsize) iy * pixels->width * 4 + (gsize) ix * 4);
  color->alpha = ((argb >> 24) & 0xff) / 255.;
  color->red = ((argb >> 16) & 0xff) / 255.;
  color->green = ((argb >> 8) & 0xff) / 255.;
  color->blue = (argb & 0xff) / 255.;
}

static double
color_distance (const GdkRGBA *a,
                const GdkRGBA *b)
{
  return 255. * sqrt ((a->red - b->red) * (a->red - b->red) +
                      (a->green - b->green) * (a->green - b->green) +
                      (a->blue - b->blue) * (a->blue - b->blue));
}

static double
luminance (const GdkRGBA *c)
{
  return .2126 * c->red + .7152 * c->green + .0722 * c->blue;
}

/* ---- fixture -------------------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  if (!have_display)
    return;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  fixture->window = gtk_window_new ();
  fixture->chart = FL_RADAR_CHART (fl_radar_chart_new ());
  gtk_widget_set_size_request (GTK_WIDGET (fixture->chart), CHART_WIDTH, CHART_HEIGHT);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->chart));
  gtk_window_set_resizable (GTK_WINDOW (fixture->window), FALSE);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_mapped (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (!have_display)
    return;

  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&fixture->window)));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void
test_measure (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(FlRadarChart) chart = NULL;
  int min_w, nat_w, min_h, nat_h, nat_h_wide;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  chart = g_object_ref_sink (FL_RADAR_CHART (fl_radar_chart_new ()));
  g_assert_cmpint (gtk_widget_get_request_mode (GTK_WIDGET (chart)), ==,
                   GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH);
  gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_w, &nat_w, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_VERTICAL, 300,
                      &min_h, &nat_h, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_VERTICAL, 600,
                      &min_h, &nat_h_wide, NULL, NULL);
  g_assert_cmpint (min_w, ==, 280);
  g_assert_cmpint (nat_w, >=, min_w);
  g_assert_cmpint (min_h, ==, 240);
  g_assert_cmpint (nat_h, >=, min_h);
  g_assert_cmpint (nat_h_wide, >, nat_h);   /* height follows the width */
}

/* Inside the current polygon the fill shows; outside the outer ring the
 * window background; in dark mode that background is dark. */
static void
check_render (Fixture    *fixture,
              const char *png_name,
              gboolean    dark)
{
  g_autoptr(GdkTexture) texture = render_window (fixture);
  Pixels pixels;
  double cx, cy, radius;
  GdkRGBA background, outside, inside, no_series_inside;

  save_texture (texture, png_name);
  g_assert_true (fl_radar_chart_get_geometry (fixture->chart, &cx, &cy, &radius));
  g_test_message ("%s: centre %.1f,%.1f radius %.1f", png_name, cx, cy, radius);
  /* The chart uses most of its 360×320: a radius of at least 70 px */
  g_assert_cmpfloat (radius, >=, 70.);
  g_assert_cmpfloat (cy - radius, >, 0);
  g_assert_cmpfloat (cy + radius, <, CHART_HEIGHT);

  pixels_init (&pixels, texture);
  /* The chart's top left corner: labels are centred or beside the chart */
  pixels_get (&pixels, fixture, 2, 2, &background);
  /* Dimension 0 points up; 50 % of the radius (between the 40 and 60 rings,
   * whose vertices sit on this spoke) is inside its 80. 4 px to the side of
   * the spoke so no grid line is what is measured. */
  pixels_get (&pixels, fixture, cx + 4, cy - .5 * radius, &inside);
  /* Between axes 0 and 1, beyond the outer ring's edge (at cos 30° · R) */
  pixels_get (&pixels, fixture, cx + .97 * radius * cos (-G_PI / 3),
              cy + .97 * radius * sin (-G_PI / 3), &outside);
  g_free (pixels.data);

  g_assert_cmpfloat (color_distance (&outside, &background), <, 3.);
  g_assert_cmpfloat (color_distance (&inside, &background), >, 25.);
  /* The accent (blue) fill */
  g_assert_cmpfloat (inside.blue, >, inside.red + .05);
  if (dark)
    g_assert_cmpfloat (luminance (&background), <, .3);
  else
    g_assert_cmpfloat (luminance (&background), >, .8);

  /* Without the series the same point is plain background (grid aside) */
  {
    g_autoptr(GdkTexture) empty = NULL;

    fl_radar_chart_clear (fixture->chart);
    empty = render_window (fixture);
    pixels_init (&pixels, empty);
    pixels_get (&pixels, fixture, cx + 4, cy - .5 * radius, &no_series_inside);
    g_free (pixels.data);
    g_assert_cmpfloat (color_distance (&no_series_inside, &background), <, 3.);
    fl_radar_chart_set_series (fixture->chart, current_scores, previous_scores,
                               NULL, NULL);
  }
}

static void
test_render (Fixture       *fixture,
             gconstpointer  user_data)
{
  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fl_radar_chart_set_series (fixture->chart, current_scores, previous_scores,
                             "This week", "Three weeks ago");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->chart)), ==, CHART_WIDTH);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->chart)), ==, CHART_HEIGHT);
  check_render (fixture, "fl-radar-chart-light.png", FALSE);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  check_render (fixture, "fl-radar-chart-dark.png", TRUE);
}

/* No data: grid and a note, no crash, still the right size. */
static void
test_empty (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GdkTexture) texture = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  texture = render_window (fixture);
  save_texture (texture, "fl-radar-chart-empty.png");
  g_assert_true (fl_radar_chart_get_geometry (fixture->chart, NULL, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", FALSE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = fl_ui_test_init_display ();

  g_test_add ("/radar-chart/measure", Fixture, NULL,
              fixture_set_up, test_measure, fixture_tear_down);
  g_test_add ("/radar-chart/render", Fixture, NULL,
              fixture_set_up, test_render, fixture_tear_down);
  g_test_add ("/radar-chart/empty", Fixture, NULL,
              fixture_set_up, test_empty, fixture_tear_down);

  return g_test_run ();
}
