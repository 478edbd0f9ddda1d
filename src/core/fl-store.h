/* fl-store.h — the SQLite cache: schema, migrations, import/export, lookups
 *
 * One FlStore owns one sqlite3 connection and is used from one thread.
 * Work that can take longer than a frame runs in a worker on its own FlStore
 * opened on the same file (WAL lets readers and one writer coexist).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include "fl-dataset.h"

G_BEGIN_DECLS

#define FL_TYPE_STORE (fl_store_get_type ())
G_DECLARE_FINAL_TYPE (FlStore, fl_store, FL, STORE, GObject)

/* The schema version this build writes (PRAGMA user_version). */
#define FL_STORE_SCHEMA_VERSION 4

/* @path: a file (created if missing) or NULL for a private in-memory cache.
 * Migrates an older schema; refuses a newer one (FL_ERROR_STORE). */
FlStore    *fl_store_open                (const char  *path,
                                          GError     **error);
const char *fl_store_get_path            (FlStore     *self);
gboolean    fl_store_is_empty            (FlStore     *self);

/* Until it is set to another (or NULL), the statements of this connection
 * stop with an error soon after @cancellable is cancelled, from any thread. */
void        fl_store_set_cancellable     (FlStore      *self,
                                          GCancellable *cancellable);

/* Replaces the whole content with @dataset, in one transaction.
 * On error nothing is changed. */
gboolean    fl_store_import_dataset      (FlStore     *self,
                                          FlDataset   *dataset,
                                          GError     **error);
/* Reads the whole content back (for --export-dataset). */
FlDataset  *fl_store_export_dataset      (FlStore     *self,
                                          GError     **error);

GTimeZone  *fl_store_get_time_zone       (FlStore     *self);  /* transfer none */
const char *fl_store_get_province_code   (FlStore     *self);
const char *fl_store_get_province_name   (FlStore     *self);

/* Regions ordered by code, with geometry: GPtrArray of FlRegion* (owning). */
GPtrArray  *fl_store_list_regions        (FlStore     *self,
                                          GError     **error);

/* Single-entity lookups for titles and panes; NULL + FL_ERROR_NOT_FOUND. */
FlCustomer    *fl_store_get_customer     (FlStore *self, const char *id, GError **error);
FlOpportunity *fl_store_get_opportunity  (FlStore *self, const char *id, GError **error);
FlRep         *fl_store_get_rep          (FlStore *self, const char *id, GError **error);
FlProductCategory *fl_store_get_category (FlStore *self, const char *id, GError **error);
FlVisit       *fl_store_get_visit        (FlStore *self, const char *id, GError **error);
FlPilot       *fl_store_get_pilot        (FlStore *self, const char *id, GError **error);
/* The region's name, or NULL. */
char          *fl_store_dup_region_name  (FlStore *self, const char *code);

/* Actions (SPEC §5). Adding an action whose id exists fails (FL_ERROR_CONFLICT). */
gboolean    fl_store_add_action          (FlStore     *self,
                                          const FlAction *action,
                                          GError     **error);
gboolean    fl_store_remove_action       (FlStore     *self,
                                          const char  *action_id,
                                          GError     **error);

/* The newest visit upload ("data as of"), Unix seconds; 0 without visits. */
gint64      fl_store_get_newest_upload   (FlStore     *self);

/* Row counts, for the benchmark and --help summaries. */
gint64      fl_store_count               (FlStore     *self,
                                          const char  *table);

G_END_DECLS
