/* test-map-view.c — the war map widget, rendered for real under Xvfb
 *
 * Run with GSK_RENDERER=cairo GTK_A11Y=none under xvfb-run. Set
 * FL_TEST_SCREENSHOT_DIR to keep the rendered PNGs (default: the test's
 * temporary directory).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#undef G_DISABLE_ASSERT

#include <adwaita.h>
#include <math.h>

#include "fl-core.h"
#include "fl-map-view.h"
#include "fl-region-layer.h"
#include "fl-ui-test.h"

#define WAIT_TIMEOUT_MS 10000

static gboolean have_display;

typedef struct
{
  GtkWidget    *window;
  GtkWidget    *box;
  GtkWidget    *pane;       /* stands in for the app's 380 px region pane */
  FlMapView    *view;
  GPtrArray    *features;   /* FlGeoFeature* */
  GPtrArray    *regions;    /* FlRegion*, borrowing from features */
  FlEvaluation *evaluation;
  GPtrArray    *activated;  /* char* codes, in order */
  guint         dismissed;
} Fixture;

/* ---- helpers -------------------------------------------------------------------------------- */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until @cond holds; fails the test after WAIT_TIMEOUT_MS. */
static void
wait_until (gboolean (*cond) (Fixture *fixture),
            Fixture    *fixture,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_TIMEOUT_MS, timeout_cb, &timed_out);

  while (!cond (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out after %d ms waiting for %s", WAIT_TIMEOUT_MS, what);
  g_source_remove (id);
}

static gboolean
view_is_ready (Fixture *fixture)
{
  return fl_map_view_get_ready (fixture->view);
}

/* One more frame: queue a draw and wait for the frame clock to tick. */
static void
wait_frames (Fixture *fixture,
             guint    n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->view));
  gint64 target = gdk_frame_clock_get_frame_counter (clock) + n;
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_TIMEOUT_MS, timeout_cb, &timed_out);

  gtk_widget_queue_draw (GTK_WIDGET (fixture->view));
  while (gdk_frame_clock_get_frame_counter (clock) < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %u frames", n);
  g_source_remove (id);
}

static FlRegionLayer *
find_layer (GtkWidget *widget)
{
  if (FL_IS_REGION_LAYER (widget))
    return FL_REGION_LAYER (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      FlRegionLayer *layer = find_layer (child);

      if (layer != NULL)
        return layer;
    }

  return NULL;
}

static gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;   /* still owned by the widget */
    }

  return NULL;
}

/* The view, rendered as the user sees it. */
static void wait_frames (Fixture *fixture, guint n);

static GdkTexture *
render_view (Fixture *fixture)
{
  GtkWidget *widget = GTK_WIDGET (fixture->view);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  /* A widget paintable holds the image of the moment it was made (empty
   * while a relayout is pending): let pending changes reach a frame first. */
  wait_frames (fixture, 1);
  paintable = gtk_widget_paintable_new (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
save_texture (GdkTexture *texture,
              const char *name)
{
  const char *dir = g_getenv ("FL_TEST_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : g_get_tmp_dir (), name, NULL);

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
  pixels->data = g_malloc (pixels->width * pixels->height * 4);
  gdk_texture_download (texture, pixels->data, pixels->width * 4);
}

static void
pixels_get (const Pixels *pixels,
            int           x,
            int           y,
            GdkRGBA      *color)
{
  guint32 argb;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, pixels->width);
  g_assert_cmpint (y, <, pixels->height);
  argb = *(guint32 *) (pixels->data + (gsize) y * pixels->width * 4 + x * 4);
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

static FlRegionStatus
expected_status (guint index)
{
  /* A mix of all three, neighbours differing */
  static const FlRegionStatus statuses[] = {
    FL_STATUS_RED, FL_STATUS_GREEN, FL_STATUS_YELLOW, FL_STATUS_GREEN,
    FL_STATUS_YELLOW, FL_STATUS_RED, FL_STATUS_GREEN, FL_STATUS_YELLOW,
    FL_STATUS_GREEN, FL_STATUS_RED, FL_STATUS_YELLOW,
  };

  return statuses[index % G_N_ELEMENTS (statuses)];
}

/* Every label point, and the ring of pixels 3 px around it, shows the plain
 * status colour of its tile in @palette. */
static void
assert_label_colors (Fixture   *fixture,
                     FlPalette  palette,
                     const char *png_name)
{
  g_autoptr(GdkTexture) texture = render_view (fixture);
  FlRegionLayer *layer = find_layer (GTK_WIDGET (fixture->view));
  const char *hovered = fl_region_layer_get_hover_region (layer);
  Pixels pixels;

  save_texture (texture, png_name);
  pixels_init (&pixels, texture);

  for (guint i = 0; i < fixture->regions->len; i++)
    {
      FlRegion *region = g_ptr_array_index (fixture->regions, i);
      FlRegionStatus want = expected_status (i);
      double x, y;
      static const int offsets[][2] = { { 0, 0 }, { 3, 0 }, { -3, 0 }, { 0, 3 }, { 0, -3 } };

      g_assert_true (fl_map_view_get_label_position (fixture->view, region->code, &x, &y));

      for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
        {
          GdkRGBA got, ref;
          FlRegionStatus nearest = FL_STATUS_GREEN;
          double best = G_MAXDOUBLE;

          pixels_get (&pixels, (int) floor (x) + offsets[o][0], (int) floor (y) + offsets[o][1],
                      &got);
          for (FlRegionStatus s = FL_STATUS_GREEN; s <= FL_STATUS_RED; s++)
            {
              fl_palette_get_color (palette, s, &ref);
              if (color_distance (&got, &ref) < best)
                {
                  best = color_distance (&got, &ref);
                  nearest = s;
                }
            }
          /* Plain colour, or lightened if the pointer Xvfb left on the screen hovers it */
          if (nearest != want || best > (hovered != NULL && g_str_equal (hovered, region->code) ?
                                         60 : 12))
            g_error ("region %s (%s): pixel (%+d,%+d) from the label point %.0f,%.0f is "
                     "rgb(%.0f,%.0f,%.0f), nearest status %d at distance %.1f, expected %d",
                     region->code, region->name, offsets[o][0], offsets[o][1], x, y,
                     got.red * 255, got.green * 255, got.blue * 255, nearest, best, want);
        }
    }

  g_free (pixels.data);
}

static void
on_region_activated (FlMapView  *view,
                     const char *code,
                     Fixture    *fixture)
{
  g_ptr_array_add (fixture->activated, g_strdup (code));
}

static void
on_region_dismissed (FlMapView *view,
                     Fixture   *fixture)
{
  fixture->dismissed++;
}

/* ---- fixture -------------------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  if (!have_display)
    return;

  fixture->features = fl_geo_load_zhejiang (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->features->len, ==, 11);

  fixture->regions = g_ptr_array_new_with_free_func (g_free);
  fixture->evaluation = g_new0 (FlEvaluation, 1);
  fixture->evaluation->regions = g_ptr_array_new ();
  fixture->evaluation->alerts = g_ptr_array_new ();
  for (guint i = 0; i < fixture->features->len; i++)
    {
      FlGeoFeature *feature = g_ptr_array_index (fixture->features, i);
      FlRegion *region = g_new0 (FlRegion, 1);
      FlRegionState *state = g_new0 (FlRegionState, 1);

      region->code = feature->code;
      region->name = feature->name;
      region->has_label_point = feature->has_label_point;
      region->label_point = feature->label_point;
      region->geometry = feature->geometry;
      g_ptr_array_add (fixture->regions, region);

      state->code = feature->code;
      state->name = feature->name;
      state->status = expected_status (i);
      for (guint c = 0; c < (guint) state->status + (state->status == FL_STATUS_RED); c++)
        state->pending[c] = 1 + (i * 7 + c * 3) % 5;
      for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
        state->n_pending += state->pending[c];
      g_ptr_array_add (fixture->evaluation->regions, state);
    }

  fixture->activated = g_ptr_array_new_with_free_func (g_free);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  fixture->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->box);

  fixture->view = fl_map_view_new ();
  gtk_widget_set_hexpand (GTK_WIDGET (fixture->view), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->view), TRUE);
  gtk_box_append (GTK_BOX (fixture->box), GTK_WIDGET (fixture->view));

  fixture->pane = gtk_label_new ("pane");
  gtk_widget_set_size_request (fixture->pane, 380, -1);
  gtk_widget_set_visible (fixture->pane, FALSE);
  gtk_box_append (GTK_BOX (fixture->box), fixture->pane);

  g_signal_connect (fixture->view, "region-activated", G_CALLBACK (on_region_activated), fixture);
  g_signal_connect (fixture->view, "region-dismissed", G_CALLBACK (on_region_dismissed), fixture);

  /* Before the first allocation: the fit must be deferred, not lost. */
  fl_map_view_set_regions (fixture->view, fixture->regions);
  fl_map_view_update (fixture->view, fixture->evaluation);
  fl_map_view_fit_province (fixture->view);
  g_assert_false (fl_map_view_get_ready (fixture->view));

  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (!have_display)
    return;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  for (guint i = 0; i < fixture->evaluation->regions->len; i++)
    g_free (g_ptr_array_index (fixture->evaluation->regions, i));
  g_ptr_array_unref (fixture->evaluation->regions);
  g_ptr_array_unref (fixture->evaluation->alerts);
  g_free (fixture->evaluation);
  g_ptr_array_unref (fixture->regions);
  g_ptr_array_unref (fixture->features);
  g_ptr_array_unref (fixture->activated);
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void
test_ready_and_colors (Fixture       *fixture,
                       gconstpointer  user_data)
{
  gint64 start = g_get_monotonic_time ();
  int width, height;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  wait_until (view_is_ready, fixture, "notify::ready");
  g_test_message ("first complete frame after %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.);

  /* The fit: every label point inside the widget, the province filling it. */
  width = gtk_widget_get_width (GTK_WIDGET (fixture->view));
  height = gtk_widget_get_height (GTK_WIDGET (fixture->view));
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);
  for (guint i = 0; i < fixture->regions->len; i++)
    {
      FlRegion *region = g_ptr_array_index (fixture->regions, i);
      double x, y;

      g_assert_true (fl_map_view_get_label_position (fixture->view, region->code, &x, &y));
      g_assert_cmpfloat (x, >, 0);
      g_assert_cmpfloat (x, <, width);
      g_assert_cmpfloat (y, >, 0);
      g_assert_cmpfloat (y, <, height);
    }
  g_assert_false (fl_map_view_get_label_position (fixture->view, "999999", NULL, NULL));

  assert_label_colors (fixture, FL_PALETTE_GNOME, "fl-map-view-gnome.png");

  fl_map_view_set_palette (fixture->view, FL_PALETTE_COLORBLIND);
  {
    int palette = -1;

    g_object_get (fixture->view, "palette", &palette, NULL);
    g_assert_cmpint (palette, ==, FL_PALETTE_COLORBLIND);
  }
  assert_label_colors (fixture, FL_PALETTE_COLORBLIND, "fl-map-view-colorblind.png");
}

static void
test_click (Fixture       *fixture,
            gconstpointer  user_data)
{
  FlRegionLayer *layer;
  GtkGesture *click;
  double x, y, lx, ly;
  FlRegion *ningbo = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  wait_until (view_is_ready, fixture, "notify::ready");
  layer = find_layer (GTK_WIDGET (fixture->view));
  g_assert_nonnull (layer);
  click = find_controller (GTK_WIDGET (layer), GTK_TYPE_GESTURE_CLICK);
  g_assert_nonnull (click);

  for (guint i = 0; i < fixture->regions->len; i++)
    if (g_str_equal (((FlRegion *) g_ptr_array_index (fixture->regions, i))->code, "330200"))
      ningbo = g_ptr_array_index (fixture->regions, i);
  g_assert_nonnull (ningbo);

  g_assert_true (fl_map_view_get_label_position (fixture->view, ningbo->code, &x, &y));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (fixture->view),
                                                   GTK_WIDGET (layer), x, y, &lx, &ly));

  /* Picking: the tile is the layer's, the sea (top-left corner) is the map's. */
  g_assert_true (gtk_widget_contains (GTK_WIDGET (layer), lx, ly));
  g_assert_false (gtk_widget_contains (GTK_WIDGET (layer), 2, 2));
  g_assert_true (gtk_widget_pick (GTK_WIDGET (fixture->view), x, y, GTK_PICK_DEFAULT) ==
                 GTK_WIDGET (layer));
  g_assert_cmpstr (fl_region_layer_get_region_at (layer, lx, ly), ==, "330200");

  /* A drag that starts on a tile and ends 40 px away is a pan, not a click. */
  g_signal_emit_by_name (click, "pressed", 1, lx, ly);
  g_signal_emit_by_name (click, "released", 1, lx + 40, ly);
  g_assert_cmpuint (fixture->activated->len, ==, 0);
  g_assert_null (fl_map_view_get_selected_region (fixture->view));

  /* A click, with a little jitter below the drag threshold */
  g_signal_emit_by_name (click, "pressed", 1, lx, ly);
  g_signal_emit_by_name (click, "released", 1, lx + 1, ly + 1);
  g_assert_cmpuint (fixture->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 0), ==, "330200");
  g_assert_cmpstr (fl_map_view_get_selected_region (fixture->view), ==, "330200");

  /* The selection is an outline, not a colour change: the label point keeps its colour. */
  assert_label_colors (fixture, FL_PALETTE_GNOME, "fl-map-view-selected.png");
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  user_data)
{
  FlRegionLayer *layer;
  GtkEventController *keys;
  const char *first, *second, *after_right;
  double x0, y0, x1, y1;
  gboolean handled = FALSE;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  wait_until (view_is_ready, fixture, "notify::ready");
  layer = find_layer (GTK_WIDGET (fixture->view));
  keys = find_controller (GTK_WIDGET (layer), GTK_TYPE_EVENT_CONTROLLER_KEY);
  g_assert_nonnull (keys);

  /* Tab into the map focuses the first region (in code order). */
  g_assert_true (gtk_widget_child_focus (fixture->window, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (layer)));
  first = fl_region_layer_get_focus_region (layer);
  g_assert_cmpstr (first, ==, "330100");

  /* Tab again moves to the next region, not out of the map */
  g_assert_true (gtk_widget_child_focus (fixture->window, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (layer)));
  second = fl_region_layer_get_focus_region (layer);
  g_assert_cmpstr (second, ==, "330200");

  /* Shift+Tab goes back */
  g_assert_true (gtk_widget_child_focus (fixture->window, GTK_DIR_TAB_BACKWARD));
  g_assert_cmpstr (fl_region_layer_get_focus_region (layer), ==, "330100");

  /* Right arrow: a region whose label point lies to the east */
  g_assert_true (fl_map_view_get_label_position (fixture->view, "330100", &x0, &y0));
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
  g_assert_true (handled);
  after_right = fl_region_layer_get_focus_region (layer);
  g_assert_cmpstr (after_right, !=, "330100");
  g_assert_true (fl_map_view_get_label_position (fixture->view, after_right, &x1, &y1));
  g_assert_cmpfloat (x1, >, x0);

  /* Down from there: south */
  g_assert_true (fl_map_view_get_label_position (fixture->view, after_right, &x0, &y0));
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
  g_assert_true (fl_map_view_get_label_position (fixture->view,
                                                 fl_region_layer_get_focus_region (layer),
                                                 &x1, &y1));
  g_assert_cmpfloat (y1, >, y0);

  /* Enter activates the focused region */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_cmpuint (fixture->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 0), ==,
                   fl_region_layer_get_focus_region (layer));
  g_assert_cmpstr (fl_map_view_get_selected_region (fixture->view), ==,
                   fl_region_layer_get_focus_region (layer));

  /* The focus ring is drawn: render it for the record */
  {
    g_autoptr(GdkTexture) texture = NULL;

    gtk_window_set_focus_visible (GTK_WINDOW (fixture->window), TRUE);
    wait_frames (fixture, 1);
    texture = render_view (fixture);
    save_texture (texture, "fl-map-view-focus.png");
  }

  /* Escape dismisses */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Escape, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_cmpuint (fixture->dismissed, ==, 1);
  g_assert_null (fl_map_view_get_selected_region (fixture->view));
}

static gboolean
view_is_narrow (Fixture *fixture)
{
  return gtk_widget_get_width (GTK_WIDGET (fixture->view)) <= 1000 - 380;
}

static gboolean
view_is_wide (Fixture *fixture)
{
  return gtk_widget_get_width (GTK_WIDGET (fixture->view)) == 1000;
}

static gboolean
view_is_small (Fixture *fixture)
{
  return gtk_widget_get_width (GTK_WIDGET (fixture->view)) <= 460;
}

static void
assert_all_labels_inside (Fixture *fixture)
{
  int width = gtk_widget_get_width (GTK_WIDGET (fixture->view));
  int height = gtk_widget_get_height (GTK_WIDGET (fixture->view));

  for (guint i = 0; i < fixture->regions->len; i++)
    {
      FlRegion *region = g_ptr_array_index (fixture->regions, i);
      double x, y;

      g_assert_true (fl_map_view_get_label_position (fixture->view, region->code, &x, &y));
      if (x <= 0 || x >= width || y <= 0 || y >= height)
        g_error ("region %s: label point %.0f,%.0f outside the %d×%d view",
                 region->code, x, y, width, height);
    }
}

static void
test_resize (Fixture       *fixture,
             gconstpointer  user_data)
{
  FlRegionLayer *layer;
  ShumateViewport *viewport;
  double x, y;
  int width, height;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  wait_until (view_is_ready, fixture, "notify::ready");
  layer = find_layer (GTK_WIDGET (fixture->view));
  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (layer));

  /* Untouched map: opening the pane re-fits the whole province */
  gtk_widget_set_visible (fixture->pane, TRUE);
  wait_until (view_is_narrow, fixture, "the pane to open");
  wait_frames (fixture, 1);
  assert_all_labels_inside (fixture);
  {
    g_autoptr(GdkTexture) texture = render_view (fixture);
    save_texture (texture, "fl-map-view-narrow.png");
  }

  gtk_widget_set_visible (fixture->pane, FALSE);
  wait_until (view_is_wide, fixture, "the pane to close");

  /* After the user zoomed in on the east, the selected tile (Wenzhou, in the
   * south-east) stays visible when the pane opens */
  shumate_viewport_set_zoom_level (viewport, 8.5);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 28.6, 120.9);
  fl_map_view_set_selected_region (fixture->view, "330300");
  gtk_widget_set_visible (fixture->pane, TRUE);
  wait_until (view_is_narrow, fixture, "the pane to open");
  wait_frames (fixture, 1);
  width = gtk_widget_get_width (GTK_WIDGET (fixture->view));
  height = gtk_widget_get_height (GTK_WIDGET (fixture->view));
  g_assert_true (fl_map_view_get_label_position (fixture->view, "330300", &x, &y));
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, width);
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (y, <, height);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >, 7.5);

  /* fit_province brings everything back */
  fl_map_view_fit_province (fixture->view);
  wait_frames (fixture, 1);
  assert_all_labels_inside (fixture);
}

static void
test_regions_replaced (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GPtrArray) fewer = g_ptr_array_new ();

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  wait_until (view_is_ready, fixture, "notify::ready");

  /* New regions reset "ready" until they have been drawn */
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (fewer, g_ptr_array_index (fixture->regions, i));
  fl_map_view_set_regions (fixture->view, fewer);
  g_assert_false (fl_map_view_get_ready (fixture->view));
  wait_until (view_is_ready, fixture, "notify::ready after set_regions");
  g_assert_true (fl_map_view_get_label_position (fixture->view,
                                                 ((FlRegion *) fewer->pdata[0])->code,
                                                 NULL, NULL));
  g_assert_false (fl_map_view_get_label_position (fixture->view,
                                                  ((FlRegion *) fixture->regions->pdata[5])->code,
                                                  NULL, NULL));
}

static void
test_hover_and_summary (Fixture       *fixture,
                        gconstpointer  user_data)
{
  FlRegionLayer *layer;
  GtkEventController *motion;
  g_autofree char *summary = NULL;
  g_autofree char *green = NULL;
  double x, y;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  wait_until (view_is_ready, fixture, "notify::ready");
  layer = find_layer (GTK_WIDGET (fixture->view));
  motion = find_controller (GTK_WIDGET (layer), GTK_TYPE_EVENT_CONTROLLER_MOTION);
  g_assert_nonnull (motion);

  g_assert_true (fl_map_view_get_label_position (fixture->view, "330100", &x, &y));
  g_signal_emit_by_name (motion, "motion", x, y);
  g_assert_cmpstr (fl_region_layer_get_hover_region (layer), ==, "330100");
  {
    g_autoptr(GdkTexture) texture = render_view (fixture);

    save_texture (texture, "fl-map-view-hover.png");
  }
  g_signal_emit_by_name (motion, "motion", 2.0, 2.0);
  g_assert_null (fl_region_layer_get_hover_region (layer));
  g_signal_emit_by_name (motion, "motion", x, y);
  g_signal_emit_by_name (motion, "leave");
  g_assert_null (fl_region_layer_get_hover_region (layer));

  /* Hangzhou is red with 1 + 4 + 2 pending items (see fixture_set_up) */
  summary = fl_region_layer_dup_summary (layer, "330100");
  g_test_message ("summary: %s", summary);
  g_assert_nonnull (strstr (summary, "杭州市"));
  g_assert_nonnull (strstr (summary, fl_region_status_get_label (FL_STATUS_RED)));
  g_assert_nonnull (strstr (summary, "7 pending items"));
  g_assert_nonnull (strstr (summary, fl_alert_category_get_label (FL_ALERT_CHURN)));
  g_assert_nonnull (strstr (summary, fl_alert_category_get_label (FL_ALERT_STALL)));
  g_assert_nonnull (strstr (summary, fl_alert_category_get_label (FL_ALERT_GAP)));

  /* A yellow region lists its one category only */
  {
    FlRegion *yellow = g_ptr_array_index (fixture->regions, 2);
    g_autofree char *text = fl_region_layer_dup_summary (layer, yellow->code);

    g_assert_cmpint (expected_status (2), ==, FL_STATUS_YELLOW);
    g_assert_nonnull (strstr (text, fl_region_status_get_label (FL_STATUS_YELLOW)));
    g_assert_nonnull (strstr (text, fl_alert_category_get_label (FL_ALERT_CHURN)));
    g_assert_null (strstr (text, fl_alert_category_get_label (FL_ALERT_STALL)));
  }

  green = fl_region_layer_dup_summary (layer, "330200");
  g_assert_nonnull (strstr (green, fl_region_status_get_label (FL_STATUS_GREEN)));
  g_assert_nonnull (strstr (green, "No pending items"));
  g_assert_null (fl_region_layer_dup_summary (layer, "999999"));
}

/* A small window: every tile keeps its colour at the label point; labels that
 * do not fit are dropped (see the PNG). */
static void
test_small (Fixture       *fixture,
            gconstpointer  user_data)
{
  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  wait_until (view_is_ready, fixture, "notify::ready");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 460, 340);
  gtk_widget_set_size_request (GTK_WIDGET (fixture->view), -1, -1);
  wait_until (view_is_small, fixture, "the window to shrink");
  assert_all_labels_inside (fixture);
  assert_label_colors (fixture, FL_PALETTE_GNOME, "fl-map-view-small.png");
}

/* One frame of the layer alone: snapshot, then Cairo rasterisation. */
static void
time_layer_frame (FlRegionLayer *layer,
                  double        *snapshot_ms,
                  double        *raster_ms)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (layer)));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 t0, t1, t2;

  t0 = g_get_monotonic_time ();
  gtk_widget_snapshot_child (gtk_widget_get_parent (GTK_WIDGET (layer)), GTK_WIDGET (layer),
                             snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  t1 = g_get_monotonic_time ();
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, 1000, 700));
  t2 = g_get_monotonic_time ();

  *snapshot_ms += (t1 - t0) / 1000.;
  *raster_ms += (t2 - t1) / 1000.;
}

/* Frame cost: geometry is projected once; a pan only moves the cached
 * raster; a new zoom level or new data re-rasterises the map once. */
static void
test_performance (Fixture       *fixture,
                  gconstpointer  user_data)
{
  FlRegionLayer *layer;
  ShumateViewport *viewport;
  double lat, lon;
  double pan_snapshot = 0, pan_raster = 0, cold_snapshot = 0, cold_raster = 0;
  const int n = 20;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  wait_until (view_is_ready, fixture, "notify::ready");
  layer = find_layer (GTK_WIDGET (fixture->view));
  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (layer));
  lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));

  /* A drag: the location moves, the zoom level stays */
  for (int i = 0; i < n; i++)
    {
      shumate_location_set_location (SHUMATE_LOCATION (viewport), lat + i * .01, lon - i * .01);
      time_layer_frame (layer, &pan_snapshot, &pan_raster);
    }

  /* Worst case: new data on every frame, the whole map rasterised again */
  for (int i = 0; i < n; i++)
    {
      fl_map_view_set_palette (fixture->view, i % 2 ? FL_PALETTE_GNOME : FL_PALETTE_COLORBLIND);
      time_layer_frame (layer, &cold_snapshot, &cold_raster);
    }

  g_test_message ("per frame at 1000×700, 11 regions: pan %.2f ms snapshot + %.2f ms raster; "
                  "full redraw %.2f ms snapshot + %.2f ms raster",
                  pan_snapshot / n, pan_raster / n, cold_snapshot / n, cold_raster / n);
  /* Generous bounds that still catch a pan that re-rasterises the map. */
  g_assert_cmpfloat (pan_snapshot / n, <, cold_snapshot / n);
  g_assert_cmpfloat ((pan_snapshot + pan_raster) / n, <, 30.);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* The view needs no session bus; without one, libadwaita's portal lookup
   * would make GDBus autolaunch dbus-launch, which costs seconds per run. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", FALSE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = fl_ui_test_init_display ();
  if (have_display)
    {
      /* G_TEST_OPTION_ISOLATE_DIRS hides the system icon theme from GTK */
      gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/usr/share/icons");
    }

  g_test_add ("/map-view/ready-and-colors", Fixture, NULL,
              fixture_set_up, test_ready_and_colors, fixture_tear_down);
  g_test_add ("/map-view/click", Fixture, NULL,
              fixture_set_up, test_click, fixture_tear_down);
  g_test_add ("/map-view/keyboard", Fixture, NULL,
              fixture_set_up, test_keyboard, fixture_tear_down);
  g_test_add ("/map-view/resize", Fixture, NULL,
              fixture_set_up, test_resize, fixture_tear_down);
  g_test_add ("/map-view/regions-replaced", Fixture, NULL,
              fixture_set_up, test_regions_replaced, fixture_tear_down);
  g_test_add ("/map-view/hover-and-summary", Fixture, NULL,
              fixture_set_up, test_hover_and_summary, fixture_tear_down);
  g_test_add ("/map-view/small", Fixture, NULL,
              fixture_set_up, test_small, fixture_tear_down);
  g_test_add ("/map-view/performance", Fixture, NULL,
              fixture_set_up, test_performance, fixture_tear_down);

  return g_test_run ();
}
