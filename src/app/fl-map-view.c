/* fl-map-view.c — the war map (stub while the real widget is being written)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-map-view.h"

struct _FlMapView
{
  GtkWidget parent_instance;
  char     *selected;
  FlPalette palette;
};

G_DEFINE_FINAL_TYPE (FlMapView, fl_map_view, GTK_TYPE_WIDGET)

static void
fl_map_view_finalize (GObject *object)
{
  FlMapView *self = FL_MAP_VIEW (object);

  g_free (self->selected);
  G_OBJECT_CLASS (fl_map_view_parent_class)->finalize (object);
}

static void
fl_map_view_class_init (FlMapViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_map_view_finalize;
  g_signal_new ("region-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  g_signal_new ("region-dismissed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fl_map_view_init (FlMapView *self)
{
}

FlMapView *
fl_map_view_new (void)
{
  return g_object_new (FL_TYPE_MAP_VIEW, NULL);
}

void
fl_map_view_set_regions (FlMapView *self,
                         GPtrArray *regions)
{
}

void
fl_map_view_update (FlMapView    *self,
                    FlEvaluation *evaluation)
{
}

const char *
fl_map_view_get_selected_region (FlMapView *self)
{
  return self->selected;
}

void
fl_map_view_set_selected_region (FlMapView  *self,
                                 const char *code)
{
  g_free (self->selected);
  self->selected = g_strdup (code);
}

void
fl_map_view_set_palette (FlMapView *self,
                         FlPalette  palette)
{
  self->palette = palette;
}

void
fl_map_view_fit_province (FlMapView *self)
{
}

gboolean
fl_map_view_get_label_position (FlMapView  *self,
                                const char *code,
                                double     *x,
                                double     *y)
{
  return FALSE;
}

gboolean
fl_map_view_get_ready (FlMapView *self)
{
  return FALSE;
}
