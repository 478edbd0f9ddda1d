/* fl-store-pool.c — the workers' connections to a cache file, kept warm
 *
 * A worker query (a page's profile, a region's process figures) on a new
 * connection starts with an empty page cache and its statements unprepared:
 * on 1,000,000 visits that doubled a region's figures. The pool keeps a few
 * idle connections per file; a worker takes one, gives it back when done.
 * Workers on several threads share it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-store-pool.h"

struct _FlStorePool
{
  GObject    parent_instance;

  /* owned */
  GMutex     lock;
  GPtrArray *idle;       /* FlStore*, the most recently used last */
  guint      max_idle;
};

G_DEFINE_FINAL_TYPE (FlStorePool, fl_store_pool, G_TYPE_OBJECT)

static void
fl_store_pool_finalize (GObject *object)
{
  FlStorePool *self = FL_STORE_POOL (object);

  g_ptr_array_unref (self->idle);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (fl_store_pool_parent_class)->finalize (object);
}

static void
fl_store_pool_class_init (FlStorePoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_store_pool_finalize;
}

static void
fl_store_pool_init (FlStorePool *self)
{
  g_mutex_init (&self->lock);
  self->idle = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * fl_store_pool_new:
 * @max_idle: connections kept open between uses; more are opened while
 *   several workers run, and closed when given back
 */
FlStorePool *
fl_store_pool_new (guint max_idle)
{
  FlStorePool *self = g_object_new (FL_TYPE_STORE_POOL, NULL);

  self->max_idle = max_idle;
  return self;
}

/**
 * fl_store_pool_take:
 * @path: the cache file
 * @cancellable: (nullable): stops the connection's statements once cancelled
 *   (see fl_store_set_cancellable()), until it is given back
 *
 * Any thread. Returns: (transfer full): the connection to @path used last, or
 * a new one; NULL with @error set when the file cannot be opened, or
 * G_IO_ERROR_CANCELLED when @cancellable already is.
 */
FlStore *
fl_store_pool_take (FlStorePool   *self,
                    const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GPtrArray) other_files = g_ptr_array_new_with_free_func (g_object_unref);
  FlStore *store = NULL;

  g_return_val_if_fail (FL_IS_STORE_POOL (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_mutex_lock (&self->lock);
  while (store == NULL && self->idle->len > 0)
    {
      FlStore *candidate = g_ptr_array_steal_index (self->idle, self->idle->len - 1);

      /* The application may have moved to another file (a first sync):
       * connections to the old one are closed (outside the lock). */
      if (g_strcmp0 (fl_store_get_path (candidate), path) == 0)
        store = candidate;
      else
        g_ptr_array_add (other_files, candidate);
    }
  g_mutex_unlock (&self->lock);

  if (store == NULL)
    store = fl_store_open (path, error);
  if (store != NULL)
    fl_store_set_cancellable (store, cancellable);
  return store;
}

/**
 * fl_store_pool_give_back:
 * @store: (transfer full): a connection fl_store_pool_take() returned
 *
 * Any thread.
 */
void
fl_store_pool_give_back (FlStorePool *self,
                         FlStore     *store)
{
  g_return_if_fail (FL_IS_STORE_POOL (self));
  g_return_if_fail (FL_IS_STORE (store));

  fl_store_set_cancellable (store, NULL);
  g_mutex_lock (&self->lock);
  if (self->idle->len < self->max_idle)
    g_ptr_array_add (self->idle, g_steal_pointer (&store));
  g_mutex_unlock (&self->lock);
  g_clear_object (&store);
}
