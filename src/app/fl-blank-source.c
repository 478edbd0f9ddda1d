/* fl-blank-source.c — an offline map source whose tiles are one plain colour
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-blank-source.h"

#define TILE_SIZE 256
/* A small texture scaled up by the map layer: a plain colour has no detail to lose. */
#define TEXTURE_SIZE 8

struct _FlBlankSource
{
  ShumateMapSource parent_instance;

  /* owned */
  GdkTexture *texture;
  GdkRGBA     color;
};

G_DEFINE_FINAL_TYPE (FlBlankSource, fl_blank_source, SHUMATE_TYPE_MAP_SOURCE)

static GdkTexture *
_fl_blank_source_make_texture (const GdkRGBA *color)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels = g_malloc (TEXTURE_SIZE * TEXTURE_SIZE * 4);

  for (guint i = 0; i < TEXTURE_SIZE * TEXTURE_SIZE; i++)
    {
      pixels[i * 4 + 0] = (guint8) (CLAMP (color->red, 0., 1.) * 255. + .5);
      pixels[i * 4 + 1] = (guint8) (CLAMP (color->green, 0., 1.) * 255. + .5);
      pixels[i * 4 + 2] = (guint8) (CLAMP (color->blue, 0., 1.) * 255. + .5);
      pixels[i * 4 + 3] = (guint8) (CLAMP (color->alpha, 0., 1.) * 255. + .5);
    }
  bytes = g_bytes_new_take (pixels, TEXTURE_SIZE * TEXTURE_SIZE * 4);

  return gdk_memory_texture_new (TEXTURE_SIZE, TEXTURE_SIZE, GDK_MEMORY_R8G8B8A8,
                                 bytes, TEXTURE_SIZE * 4);
}

static void
fl_blank_source_fill_tile_async (ShumateMapSource    *source,
                                 ShumateTile         *tile,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  FlBlankSource *self = FL_BLANK_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fl_blank_source_fill_tile_async);

  if (self->texture == NULL)
    self->texture = _fl_blank_source_make_texture (&self->color);

  shumate_tile_set_paintable (tile, GDK_PAINTABLE (self->texture));
  shumate_tile_set_fade_in (tile, FALSE);
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
}

static gboolean
fl_blank_source_fill_tile_finish (ShumateMapSource  *source,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fl_blank_source_finalize (GObject *object)
{
  FlBlankSource *self = FL_BLANK_SOURCE (object);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (fl_blank_source_parent_class)->finalize (object);
}

static void
fl_blank_source_class_init (FlBlankSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->finalize = fl_blank_source_finalize;
  source_class->fill_tile_async = fl_blank_source_fill_tile_async;
  source_class->fill_tile_finish = fl_blank_source_fill_tile_finish;
}

static void
fl_blank_source_init (FlBlankSource *self)
{
  gdk_rgba_parse (&self->color, "#e9edf0");
}

FlBlankSource *
fl_blank_source_new (void)
{
  return g_object_new (FL_TYPE_BLANK_SOURCE,
                       "id", "fieldlight-blank",
                       "name", "Blank",
                       "min-zoom-level", 0,
                       "max-zoom-level", 18,
                       "tile-size", TILE_SIZE,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                       NULL);
}

void
fl_blank_source_set_color (FlBlankSource *self,
                           const GdkRGBA *color)
{
  g_return_if_fail (FL_IS_BLANK_SOURCE (self));
  g_return_if_fail (color != NULL);

  if (gdk_rgba_equal (&self->color, color))
    return;

  self->color = *color;
  g_clear_object (&self->texture);
}
