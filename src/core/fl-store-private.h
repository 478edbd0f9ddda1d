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
 * merges included; with recursive_triggers on, INSERT OR REPLACE counts as a
 * delete and an insert). Since schema version 3 an insert updates the row
 * from the row alone, and an update that leaves id, customer, start and
 * prev_action_achieved as they were does nothing. Nothing to do for writers
 * of single visits. A bulk writer may drop the three triggers (drop_derived()
 * in fl-store.c) and must then call _fl_store_rebuild_visit_summary() in the
 * same transaction, as fl_store_import_dataset() and bulk merges
 * (_fl_store_add_merged_visits()) do. Never write customer_visits directly. */

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

/* Emits "changed" now, or when the outermost fl_store_begin() commits. */
void          _fl_store_changed   (FlStore     *self);
gboolean      _fl_store_in_transaction (FlStore *self);
/* Called inside a transaction by a merge before it writes @n visits. Once
 * the transaction has merged at least 20,000 visits, and at least as many
 * as the table held when it began (a first sync, or pages applied in one
 * transaction), it becomes a bulk write like the import: the secondary
 * indexes of visits and pitches and the visit summary's triggers are
 * dropped, and the indexes, the whole summary and the triggers are built
 * again just before the outermost commit (sorting once is much faster than
 * maintaining five random-order indexes and the summary row by row). Until
 * then, queries on this connection that name those indexes (INDEXED BY)
 * fail, and customer_visits is stale. */
gboolean      _fl_store_add_merged_visits (FlStore  *self,
                                           guint     n,
                                           GError  **error);
/* Fails with FL_ERROR_CONFLICT while a bulk load is in progress in the
 * cache file (whichever connection runs it): its indexes and the visit
 * summary are incomplete until it ends. Reads the cache, not the flag of
 * this connection. */
gboolean      _fl_store_check_not_bulk_loading (FlStore  *self,
                                                GError  **error);
/* The JSON arrays of strings in TEXT columns (visits.pain_keywords,
 * pilots.regions): calls @add with each item, decoded; FALSE if malformed. */
typedef void (*FlJsonStrvAddFunc) (const char *item,
                                   gsize       len,
                                   gpointer    user_data);
gboolean      _fl_store_parse_json_strv (const char        *json,
                                         FlJsonStrvAddFunc  add,
                                         gpointer           user_data);
/* Re-reads the time zone and province after the meta table changed. */
gboolean      _fl_store_reload_meta (FlStore   *self,
                                     GError   **error);

/* The columns of the entity tables, in the order in which the binders below
 * bind ?1, ?2, … and the store's row readers read them. */
#define FL_STORE_REGION_COLUMNS "code, name, has_label_point, label_x, label_y, geometry"
#define FL_STORE_REP_COLUMNS "id, name, region, phone"
#define FL_STORE_CATEGORY_COLUMNS "id, name, avg_order_value"
#define FL_STORE_PRODUCT_COLUMNS "id, name, category"
#define FL_STORE_CUSTOMER_COLUMNS "id, name, region, owner_rep, tier, lat, lon, revenue_90d"
#define FL_STORE_HEALTH_COLUMNS \
  "customer, week, cooperation_stability, new_product_acceptance, competitor_penetration, " \
  "sell_through, inventory_health, payment_punctuality"
#define FL_STORE_VISIT_COLUMNS \
  "id, customer, rep, start, \"end\", uploaded, pain_keywords, committed_action, " \
  "next_follow_up, prev_action_achieved, photos, competitor_price, shelf_share"
#define FL_STORE_PITCH_COLUMNS "visit, product, signed, start, week, rep, region, category"
#define FL_STORE_OPPORTUNITY_COLUMNS \
  "id, customer, value, stage, custom_requirement, last_progress"
#define FL_STORE_PILOT_COLUMNS "id, title, regions, start, owner"
#define FL_STORE_CASE_COLUMNS \
  "id, category, region, customer_tier, product_category, pain_keyword, action_kind, " \
  "resolved_within_14d, label, closed"
#define FL_STORE_ACTION_COLUMNS "id, alert, kind, created, created_by"

/* Row binders shared by the import and the merge. Strings are bound
 * SQLITE_STATIC: the entity must outlive the step. */
gboolean _fl_store_bind_region      (sqlite3_stmt *stmt, const FlRegion *region,
                                     GError **error);
void     _fl_store_bind_rep         (sqlite3_stmt *stmt, const FlRep *rep);
void     _fl_store_bind_category    (sqlite3_stmt *stmt, const FlProductCategory *category);
void     _fl_store_bind_product     (sqlite3_stmt *stmt, const FlProduct *product);
void     _fl_store_bind_customer    (sqlite3_stmt *stmt, const FlCustomer *customer);
void     _fl_store_bind_health      (sqlite3_stmt *stmt, const char *customer,
                                     const FlHealth *health);
void     _fl_store_bind_visit       (sqlite3_stmt *stmt, const FlVisit *visit);
/* @region, @category: the rep's region and the product's category, or NULL */
void     _fl_store_bind_pitch       (sqlite3_stmt *stmt, sqlite3_int64 visit_rowid,
                                     const FlVisit *visit, const FlPitch *pitch, gint64 week,
                                     const char *region, const char *category);
void     _fl_store_bind_opportunity (sqlite3_stmt *stmt, const FlOpportunity *opportunity);
void     _fl_store_bind_pilot       (sqlite3_stmt *stmt, const FlPilot *pilot);
void     _fl_store_bind_case        (sqlite3_stmt *stmt, const FlCase *c);
void     _fl_store_bind_action      (sqlite3_stmt *stmt, const FlAction *action);

G_END_DECLS
