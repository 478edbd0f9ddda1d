/* test-app.c — the real window on the demo data: map colours, click → pane, TOP 3
 *
 * Needs a display (run under `xvfb-run -a`); skips without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <shumate/shumate.h>

#include "fl-context.h"
#include "fl-region-layer.h"
#include "fl-window.h"
#include "fl-ui-test.h"

static gboolean have_display;

typedef struct
{
  GdkTexture *texture;
  guchar     *pixels;
  gsize       stride;
  int         width, height;
} Image;

static void
_image_clear (Image *image)
{
  g_clear_object (&image->texture);
  g_clear_pointer (&image->pixels, g_free);
}

static void
_render (FlWindow *window,
         Image    *image)
{
  g_autoptr(GError) error = NULL;

  image->texture = fl_window_render_texture (window, &error);
  g_assert_no_error (error);
  image->width = gdk_texture_get_width (image->texture);
  image->height = gdk_texture_get_height (image->texture);
  image->stride = (gsize) image->width * 4;
  image->pixels = g_malloc (image->stride * image->height);
  /* GDK_MEMORY_DEFAULT: B8G8R8A8 premultiplied (cairo's ARGB32 on little endian). */
  gdk_texture_download (image->texture, image->pixels, image->stride);
}

static void
_pixel (const Image *image,
        int          x,
        int          y,
        GdkRGBA     *rgba)
{
  const guchar *p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, image->width);
  g_assert_cmpint (y, <, image->height);
  p = image->pixels + (gsize) y * image->stride + (gsize) x * 4;
  rgba->alpha = p[3] / 255.0;
  rgba->red = p[3] ? p[2] / (double) p[3] : 0;
  rgba->green = p[3] ? p[1] / (double) p[3] : 0;
  rgba->blue = p[3] ? p[0] / (double) p[3] : 0;
}

static double
_distance2 (const GdkRGBA *a,
            const GdkRGBA *b)
{
  return (a->red - b->red) * (a->red - b->red)
         + (a->green - b->green) * (a->green - b->green)
         + (a->blue - b->blue) * (a->blue - b->blue);
}

static FlRegionStatus
_nearest_status (FlPalette      palette,
                 const GdkRGBA *rgba)
{
  FlRegionStatus best = FL_STATUS_GREEN;
  double best_d = G_MAXDOUBLE;

  for (FlRegionStatus s = FL_STATUS_GREEN; s <= FL_STATUS_RED; s++)
    {
      GdkRGBA color;
      double d;

      fl_palette_get_color (palette, s, &color);
      d = _distance2 (&color, rgba);
      if (d < best_d)
        {
          best_d = d;
          best = s;
        }
    }
  return best;
}

static void
_label_point_in_window (FlWindow   *window,
                        const char *code,
                        int        *x,
                        int        *y)
{
  FlMapView *map_view = fl_window_get_map_view (window);
  graphene_point_t in, out;
  double mx, my;

  g_assert_true (fl_map_view_get_label_position (map_view, code, &mx, &my));
  in = GRAPHENE_POINT_INIT (mx, my);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (map_view), GTK_WIDGET (window),
                                           &in, &out));
  *x = (int) (out.x + 0.5);
  *y = (int) (out.y + 0.5);
}

/* Every tile shows its status colour at its label point (both palettes). */
static void
_check_colours (FlWindow  *window,
                FlPalette  palette)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (fl_window_get_context (window));
  Image image = { 0 };

  _render (window, &image);
  g_assert_cmpint (image.width, ==, gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (image.height, ==, gtk_widget_get_height (GTK_WIDGET (window)));

  for (guint i = 0; i < evaluation->regions->len; i++)
    {
      const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);
      GdkRGBA rgba;
      int x, y;

      _label_point_in_window (window, state->code, &x, &y);
      _pixel (&image, x, y, &rgba);
      g_test_message ("%s %s at (%d, %d): %.2f %.2f %.2f, expected %s", state->code, state->name,
                      x, y, rgba.red, rgba.green, rgba.blue,
                      fl_region_status_to_string (state->status));
      g_assert_cmpint (_nearest_status (palette, &rgba), ==, state->status);
    }
  _image_clear (&image);
}

static void
on_changed_cb (FlContext *context,
               gpointer   user_data)
{
  (*(guint *) user_data)++;
}

/* The context: fixed clock, evaluation, "changed", data age, palette. No display needed. */
static void
test_context (void)
{
  g_autoptr(FlContext) context = fl_ui_test_make_context (NULL);
  FlEvaluation *evaluation = fl_context_get_evaluation (context);
  FlRuleSettings defaults;
  guint n_changed = 0;
  gint64 now;

  g_assert_true (fl_time_parse_rfc3339 (FL_UI_TEST_NOW, &now));
  g_assert_true (fl_context_get_now_fixed (context));
  g_assert_cmpint (fl_context_get_now (context), ==, now);
  g_assert_nonnull (evaluation);
  g_assert_cmpint (evaluation->now, ==, now);

  fl_rule_settings_init_default (&defaults);
  g_assert_cmpfloat (fl_context_get_rule_settings (context)->stall_min_value, ==,
                     defaults.stall_min_value);

  /* The newest upload is before now, and within the demo's last days. */
  g_assert_cmpint (fl_context_get_data_time (context), >, now - 7 * 86400);
  g_assert_cmpint (fl_context_get_data_time (context), <=, now);

  g_signal_connect (context, "changed", G_CALLBACK (on_changed_cb), &n_changed);
  g_assert_true (fl_context_reevaluate (context, NULL));
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpint (fl_context_get_evaluation (context)->now, ==, now);

  g_assert_cmpint (fl_context_get_palette (context), ==, FL_PALETTE_GNOME);
  fl_context_set_palette (context, FL_PALETTE_COLORBLIND);
  g_assert_cmpint (fl_context_get_palette (context), ==, FL_PALETTE_COLORBLIND);
}

/* With the schema (GSETTINGS_SCHEMA_DIR, memory backend): thresholds and palette follow it. */
static void
test_context_settings (void)
{
  g_autoptr(GSettings) settings = fl_context_lookup_settings ();
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changed = 0;

  if (settings == NULL)
    {
      g_test_skip ("schema io.github.fieldlight.Fieldlight not installed");
      return;
    }

  store = fl_store_open (NULL, &error);
  g_assert_no_error (error);
  g_settings_set_string (settings, "palette", "colorblind");
  g_settings_set_int (settings, "stall-min-days", 45);
  context = fl_context_new (store, settings);
  fl_context_set_fixed_now (context, 1795395600);
  g_assert_cmpint (fl_context_get_palette (context), ==, FL_PALETTE_COLORBLIND);
  g_assert_cmpint (fl_context_get_rule_settings (context)->stall_min_days, ==, 45);

  /* Both directions; a threshold change re-evaluates. */
  fl_context_set_palette (context, FL_PALETTE_GNOME);
  {
    g_autofree char *palette = g_settings_get_string (settings, "palette");

    g_assert_cmpstr (palette, ==, "gnome");
  }
  g_assert_true (fl_context_reevaluate (context, &error));
  g_assert_no_error (error);
  g_signal_connect (context, "changed", G_CALLBACK (on_changed_cb), &n_changed);
  g_settings_set_int (settings, "stall-min-days", 30);
  g_assert_cmpint (fl_context_get_rule_settings (context)->stall_min_days, ==, 30);
  g_assert_cmpuint (n_changed, ==, 1);

  g_settings_reset (settings, "palette");
  g_settings_reset (settings, "stall-min-days");
}

static void
test_map_colours (void)
{
  g_autoptr(FlContext) context = NULL;
  FlWindow *window;
  FlEvaluation *evaluation;
  guint n[3] = { 0 };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  evaluation = fl_context_get_evaluation (context);
  g_assert_cmpuint (evaluation->regions->len, ==, 11);
  for (guint i = 0; i < evaluation->regions->len; i++)
    n[((FlRegionState *) g_ptr_array_index (evaluation->regions, i))->status]++;
  /* The demo promises a mix; the test would prove little otherwise. */
  g_assert_cmpuint (n[FL_STATUS_GREEN], >, 0);
  g_assert_cmpuint (n[FL_STATUS_YELLOW], >, 0);
  g_assert_cmpuint (n[FL_STATUS_RED], >, 0);

  window = fl_ui_test_open_window (context);
  _check_colours (window, FL_PALETTE_GNOME);

  fl_context_set_palette (context, FL_PALETTE_COLORBLIND);
  fl_ui_test_wait_for_frame (GTK_WIDGET (window));
  _check_colours (window, FL_PALETTE_COLORBLIND);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkGesture *
_find_click_gesture (GtkWidget  *widget,
                     GtkWidget **out_widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkGesture *found = _find_click_gesture (child, out_widget);

      if (found != NULL)
        return found;
    }

  if (FL_IS_REGION_LAYER (widget))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (GTK_IS_GESTURE_CLICK (controller))
            {
              *out_widget = widget;
              return GTK_GESTURE (controller);
            }
        }
    }
  return NULL;
}

static gboolean
_pane_open (gpointer data)
{
  return fl_window_get_pane_open (FL_WINDOW (data));
}

static void
test_click_opens_pane (void)
{
  g_autoptr(FlContext) context = NULL;
  FlEvaluation *evaluation;
  const FlRegionState *red = NULL;
  FlRegionPane *pane;
  FlWindow *window;
  GtkWidget *layer = NULL;
  GtkGesture *click;
  graphene_point_t in, out;
  double mx, my;
  const char * const *top_ids;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  evaluation = fl_context_get_evaluation (context);
  for (guint i = 0; i < evaluation->regions->len && red == NULL; i++)
    {
      const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);

      if (state->status == FL_STATUS_RED)
        red = state;
    }
  if (red == NULL)
    g_assert_not_reached ();
  g_assert_cmpuint (red->n_top, ==, 3);

  window = fl_ui_test_open_window (context);
  g_assert_false (fl_window_get_pane_open (window));

  click = _find_click_gesture (GTK_WIDGET (fl_window_get_map_view (window)), &layer);
  g_assert_nonnull (click);
  g_assert_true (fl_map_view_get_label_position (fl_window_get_map_view (window), red->code,
                                                 &mx, &my));
  in = GRAPHENE_POINT_INIT (mx, my);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (fl_window_get_map_view (window)), layer,
                                           &in, &out));
  g_signal_emit_by_name (click, "pressed", 1, (double) out.x, (double) out.y);
  g_signal_emit_by_name (click, "released", 1, (double) out.x, (double) out.y);
  fl_ui_test_spin_until (_pane_open, window, "the region pane");

  pane = fl_window_get_region_pane (window);
  g_assert_cmpstr (fl_region_pane_get_region (pane), ==, red->code);
  g_assert_cmpstr (fl_map_view_get_selected_region (fl_window_get_map_view (window)), ==,
                   red->code);
  top_ids = fl_region_pane_get_top_ids (pane);
  g_assert_cmpuint (g_strv_length ((char **) top_ids), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (top_ids[i], ==, red->top[i]->id);
  g_assert_cmpuint (fl_region_pane_get_n_pending_rows (pane), ==, red->n_pending);

  /* The selected tile stays visible beside the pane, and keeps its colour. */
  fl_ui_test_wait_for_frame (GTK_WIDGET (window));
  {
    Image image = { 0 };
    GdkRGBA rgba;
    int x, y;
    graphene_rect_t bounds;

    _label_point_in_window (window, red->code, &x, &y);
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (pane), GTK_WIDGET (window), &bounds));
    g_assert_cmpint (x, <, bounds.origin.x);
    _render (window, &image);
    _pixel (&image, x, y, &rgba);
    g_assert_cmpint (_nearest_status (FL_PALETTE_GNOME, &rgba), ==, FL_STATUS_RED);
    _image_clear (&image);
  }

  /* Escape closes the pane (win.close-pane is bound to it). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-pane", NULL));
  g_assert_false (fl_window_get_pane_open (window));
  g_assert_null (fl_map_view_get_selected_region (fl_window_get_map_view (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A green region shows the status page and no lists. */
static void
test_green_pane (void)
{
  g_autoptr(FlContext) context = NULL;
  FlEvaluation *evaluation;
  const FlRegionState *green = NULL;
  FlRegionPane *pane;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  context = fl_ui_test_make_context (NULL);
  evaluation = fl_context_get_evaluation (context);
  for (guint i = 0; i < evaluation->regions->len && green == NULL; i++)
    {
      const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);

      if (state->status == FL_STATUS_GREEN)
        green = state;
    }
  if (green == NULL)
    g_assert_not_reached ();

  window = fl_ui_test_open_window (context);
  fl_window_show_region (window, green->code);
  g_assert_true (fl_window_get_pane_open (window));
  pane = fl_window_get_region_pane (window);
  g_assert_cmpuint (g_strv_length ((char **) fl_region_pane_get_top_ids (pane)), ==, 0);
  g_assert_cmpuint (fl_region_pane_get_n_pending_rows (pane), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  have_display = fl_ui_test_init (&argc, &argv, "fieldlight-test-app-XXXXXX");

  g_test_add_func ("/app/context", test_context);
  g_test_add_func ("/app/context-settings", test_context_settings);
  g_test_add_func ("/app/map-colours", test_map_colours);
  g_test_add_func ("/app/click-opens-pane", test_click_opens_pane);
  g_test_add_func ("/app/green-pane", test_green_pane);
  return fl_ui_test_run ();
}
