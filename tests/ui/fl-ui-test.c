/* fl-ui-test.c — scaffolding shared by the ui tests and bench-ui
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include "fl-ui-test.h"

#include "fl-region-layer.h"
#include "fl-text.h"

#include <glib/gstdio.h>

static guint failsafe_seconds = FL_UI_TEST_FAILSAFE_SECONDS;
static char *cache_home;

gboolean
fl_ui_test_init (int        *argc,
                 char     ***argv,
                 const char *cache_tmpl)
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides the system icon theme (XDG_DATA_DIRS).
   * Only the tile cache of libshumate needs to stay out of the user's home. */
  g_test_init (argc, argv, NULL);
  cache_home = fl_ui_test_use_cache_home (cache_tmpl);
  return fl_ui_test_init_display ();
}

int
fl_ui_test_run (void)
{
  int status = g_test_run ();

  if (cache_home != NULL)
    fl_ui_test_remove_tree (cache_home);
  g_clear_pointer (&cache_home, g_free);
  return status;
}

gboolean
fl_ui_test_init_display (void)
{
  if (!gtk_init_check ())
    return FALSE;
  adw_init ();
  /* Deterministic frames: no transitions. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}

char *
fl_ui_test_use_cache_home (const char *tmpl)
{
  char *dir = g_dir_make_tmp (tmpl, NULL);

  g_assert_nonnull (dir);
  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  return dir;
}

gint64
fl_ui_test_now (void)
{
  gint64 now;

  g_assert_true (fl_time_parse_rfc3339 (FL_UI_TEST_NOW, &now));
  return now;
}

FlDataset *
fl_ui_test_demo (void)
{
  g_autoptr(GError) error = NULL;
  FlDataset *dataset = fl_demo_generate (FL_DEMO_DEFAULT_SEED, fl_ui_test_now (), 1.0, &error);

  g_assert_no_error (error);
  return dataset;
}

FlContext *
fl_ui_test_make_context (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = fl_ui_test_demo ();
  g_autoptr(FlStore) store = NULL;
  FlContext *context;

  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (store, dataset, &error));
  g_assert_no_error (error);

  context = fl_context_new (store, NULL);
  fl_context_set_fixed_now (context, fl_ui_test_now ());
  g_assert_true (fl_context_reevaluate (context, &error));
  g_assert_no_error (error);
  return context;
}

void
fl_ui_test_set_failsafe (guint seconds)
{
  failsafe_seconds = seconds;
}

guint
fl_ui_test_get_failsafe (void)
{
  return failsafe_seconds;
}

gboolean
fl_ui_test_set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
fl_ui_test_flag_set (gpointer data)
{
  return *(gboolean *) data;
}

gboolean
fl_ui_test_first_frame_done (gpointer data)
{
  return fl_window_get_first_frame_done (FL_WINDOW (data));
}

gboolean
fl_ui_test_synced (gpointer data)
{
  FlSyncClient *client = data;

  return fl_sync_client_get_state (client) == FL_SYNC_STATE_IDLE
         && fl_sync_client_get_last_sync (client) > 0;
}

void
fl_ui_test_spin_until (FlUiTestPredicate predicate,
                       gpointer          data,
                       const char       *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (failsafe_seconds, fl_ui_test_set_flag_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %u s waiting for %s", failsafe_seconds, what);
  g_source_remove (id);
}

FlWindow *
fl_ui_test_open_window (FlContext *context)
{
  FlWindow *window = fl_window_new (NULL, context);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  fl_ui_test_spin_until (fl_ui_test_first_frame_done, window, "the first complete frame");
  return window;
}

static gboolean
_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

void
fl_ui_test_wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  fl_ui_test_spin_until (_mapped, widget, "the widget to be mapped");
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  fl_ui_test_spin_until (fl_ui_test_flag_set, &painted, "a frame");
  g_signal_handler_disconnect (clock, id);
}

typedef struct
{
  GtkWidget *widget;
  guint      ticks;
  guint      n;
} Ticks;

static gboolean
_count_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  ((Ticks *) user_data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
_ticked (gpointer data)
{
  Ticks *ticks = data;

  if (ticks->ticks >= ticks->n)
    return TRUE;
  gtk_widget_queue_draw (ticks->widget);
  return FALSE;
}

void
fl_ui_test_wait_ticks (GtkWidget *widget,
                       guint      n)
{
  Ticks ticks = { widget, 0, n };
  guint id = gtk_widget_add_tick_callback (widget, _count_tick_cb, &ticks, NULL);

  fl_ui_test_spin_until (_ticked, &ticks, "frames");
  gtk_widget_remove_tick_callback (widget, id);
}

void
fl_ui_test_collect (GtkWidget *widget,
                    GType      type,
                    GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  fl_ui_test_collect_descendants (widget, type, out);
}

void
fl_ui_test_collect_descendants (GtkWidget *widget,
                                GType      type,
                                GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    fl_ui_test_collect (child, type, out);
}

GPtrArray *
fl_ui_test_find_all (GtkWidget  *widget,
                     GType       type,
                     const char *css_class)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GPtrArray *out = g_ptr_array_new ();

  fl_ui_test_collect_descendants (widget, type, all);
  for (guint i = 0; i < all->len; i++)
    if (css_class == NULL || gtk_widget_has_css_class (g_ptr_array_index (all, i), css_class))
      g_ptr_array_add (out, g_ptr_array_index (all, i));
  return out;
}

GtkWidget *
fl_ui_test_find_first (GtkWidget  *widget,
                       GType       type,
                       const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fl_ui_test_find_first (child, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
_pane_filled (gpointer data)
{
  return fl_region_pane_get_lists_filled (FL_REGION_PANE (data));
}

void
fl_ui_test_wait_for_pane (FlRegionPane *pane)
{
  fl_ui_test_spin_until (_pane_filled, pane, "the pane's rows");
}

const char *
fl_ui_test_text_of (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (FL_IS_TEXT (widget))
    return fl_text_get_text (FL_TEXT (widget));
  return NULL;
}

gboolean
fl_ui_test_shows_label (GtkWidget  *widget,
                        const char *text)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  fl_ui_test_collect_descendants (widget, GTK_TYPE_WIDGET, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (widgets, i);

      if (gtk_widget_is_drawable (child) && g_strcmp0 (fl_ui_test_text_of (child), text) == 0)
        return TRUE;
    }
  return FALSE;
}

GdkTexture *
fl_ui_test_render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_nonnull (renderer);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
fl_ui_test_maybe_save_window (FlWindow   *window,
                              const char *name)
{
  const char *dir = g_getenv ("FIELDLIGHT_TEST_SCREENSHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;
  fl_ui_test_wait_for_frame (GTK_WIDGET (window));
  texture = fl_window_render_texture (window, &error);
  g_assert_no_error (error);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

const FlAlert *
fl_ui_test_pick_alert (FlEvaluation    *evaluation,
                       FlRegionStatus  *before,
                       FlRegionStatus  *after)
{
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < evaluation->regions->len; i++)
      {
        const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);
        g_autoptr(GPtrArray) pending = NULL;
        guint categories = 0;

        for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
          categories += state->pending[c] > 0;
        if ((pass == 0 && (state->status != FL_STATUS_YELLOW || categories != 1))
            || (pass == 1 && (state->status != FL_STATUS_RED || categories != 2)))
          continue;

        pending = fl_evaluation_region_alerts (evaluation, state->code, TRUE);
        for (guint j = 0; j < pending->len; j++)
          {
            const FlAlert *alert = g_ptr_array_index (pending, j);

            if (state->pending[alert->category] == 1)
              {
                *before = state->status;
                *after = pass == 0 ? FL_STATUS_GREEN : FL_STATUS_YELLOW;
                return alert;
              }
          }
      }
  return NULL;
}

FlRegionStatus
fl_ui_test_status_in_pixels (FlWindow   *window,
                             const char *code)
{
  FlMapView *map_view = fl_window_get_map_view (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  graphene_point_t in, out;
  FlRegionStatus best = FL_STATUS_GREEN;
  double best_d = G_MAXDOUBLE;
  double mx, my;
  GdkRGBA rgba;
  gsize stride;
  int x, y, width, height;
  const guchar *p;

  fl_ui_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (fl_map_view_get_label_position (map_view, code, &mx, &my));
  in = GRAPHENE_POINT_INIT (mx, my);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (map_view), GTK_WIDGET (window),
                                           &in, &out));
  x = (int) (out.x + 0.5);
  y = (int) (out.y + 0.5);

  texture = fl_window_render_texture (window, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  /* B8G8R8A8 premultiplied. */
  gdk_texture_download (texture, pixels, stride);
  p = pixels + (gsize) y * stride + (gsize) x * 4;
  rgba.alpha = p[3] / 255.0;
  rgba.red = p[3] ? p[2] / (double) p[3] : 0;
  rgba.green = p[3] ? p[1] / (double) p[3] : 0;
  rgba.blue = p[3] ? p[0] / (double) p[3] : 0;

  for (FlRegionStatus s = FL_STATUS_GREEN; s <= FL_STATUS_RED; s++)
    {
      GdkRGBA color;
      double d;

      fl_palette_get_color (FL_PALETTE_GNOME, s, &color);
      d = (color.red - rgba.red) * (color.red - rgba.red)
          + (color.green - rgba.green) * (color.green - rgba.green)
          + (color.blue - rgba.blue) * (color.blue - rgba.blue);
      if (d < best_d)
        {
          best_d = d;
          best = s;
        }
    }
  g_test_message ("%s at (%d, %d): %.2f %.2f %.2f → %s", code, x, y, rgba.red, rgba.green,
                  rgba.blue, fl_region_status_to_string (best));
  return best;
}

void
fl_ui_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fl_ui_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
