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

/* The visit summary (schema version 2), for the churn rule.
 *
 * customer_visits holds, for each customer with at least one visit, its two
 * most recent visits in the churn rule's order (start, then id, descending):
 * last_id/last_start/last_achieved and before_id/before_start/before_achieved
 * (the *_achieved columns are visits.prev_action_achieved: 1, 0 or NULL;
 * before_* are NULL with a single visit). Two partial/plain indexes on
 * last_start let fl_rules_evaluate() read only the customers whose two latest
 * visits both missed, and fall back to the exact query on visits for the
 * customers whose latest visit starts after "now" (a replay of the past).
 *
 * Who keeps it: the triggers visits_summary_insert/_update/_delete recompute
 * a customer's row after ANY change to its visits, whoever writes (sync
 * upserts included; with recursive_triggers on, INSERT OR REPLACE counts as a
 * delete and an insert). Nothing to do for writers of single visits. A bulk
 * writer may drop the three triggers (drop_derived() in fl-store.c) and must
 * then call _fl_store_rebuild_visit_summary() in the same transaction, as
 * fl_store_import_dataset() does. Never write customer_visits directly. */

sqlite3      *_fl_store_get_db    (FlStore     *self);

/* Recomputes the whole visit summary from the visits (~1 s at 1,000,000). */
gboolean      _fl_store_rebuild_visit_summary (FlStore  *self,
                                               GError  **error);

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
