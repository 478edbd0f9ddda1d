/* fl-store-pool.h — the workers' connections to a cache file, kept warm
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_STORE_POOL (fl_store_pool_get_type ())
G_DECLARE_FINAL_TYPE (FlStorePool, fl_store_pool, FL, STORE_POOL, GObject)

FlStorePool *fl_store_pool_new       (guint          max_idle);

FlStore     *fl_store_pool_take      (FlStorePool   *self,
                                      const char    *path,
                                      GCancellable  *cancellable,
                                      GError       **error);
void         fl_store_pool_give_back (FlStorePool   *self,
                                      FlStore       *store);

G_END_DECLS
