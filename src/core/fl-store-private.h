/* fl-store-private.h — FlStore internals shared with the rules engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>
#include "fl-store.h"

G_BEGIN_DECLS

/* A statement borrowed from the store's cache: the autoptr cleanup resets it
 * and clears its bindings instead of finalizing it. Never step the same
 * cached statement from two nested scopes. */
typedef sqlite3_stmt FlCachedStmt;

static inline void
_fl_cached_stmt_release (FlCachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlCachedStmt, _fl_cached_stmt_release)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

sqlite3      *_fl_store_get_db    (FlStore     *self);

/* Returns the cached statement for @sql (prepared on first use), or NULL
 * with FL_ERROR_STORE. @sql must be a string that outlives the store
 * (a literal): it is the cache key. */
FlCachedStmt *_fl_store_prepare   (FlStore     *self,
                                   const char  *sql,
                                   GError     **error);

/* Sets FL_ERROR_STORE with "<what>: <sqlite3_errmsg>" and returns FALSE. */
gboolean      _fl_store_fail      (FlStore     *self,
                                   GError     **error,
                                   const char  *format,
                                   ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
