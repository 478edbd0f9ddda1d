/* fl-server-db.h — fieldlight-server's database: the core store plus users,
 * tokens, the change log that pull pages through, and push results
 *
 * Everything lives in one SQLite file. The change log (`changes`) has one
 * row per entity, the latest, with a growing `seq`; SQLite triggers on the
 * store's tables keep it, so any writer (this process, or
 * `fieldlight-server --import` run beside it) is seen by pull. Each rebuild
 * of the data draws a new random epoch; cursors carry it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fl-store.h"
#include "fl-sync-store.h"

G_BEGIN_DECLS

#define FL_TYPE_SERVER_DB (fl_server_db_get_type ())
G_DECLARE_FINAL_TYPE (FlServerDb, fl_server_db, FL, SERVER_DB, GObject)

/* A signed-in manager. */
typedef struct
{
  char  *name;
  char **regions;      /* region codes, or { "*" } for every region */
  char  *scope_json;   /* the same as a JSON array, or NULL for every region */
} FlServerUser;

void          fl_server_user_free          (FlServerUser *user);
gboolean      fl_server_user_has_region    (FlServerUser *user,
                                            const char   *code);

/* One row of the change log. */
typedef struct
{
  gint64        seq;
  FlEntityKind  kind;
  char         *id;
  gboolean      deleted;
} FlChange;

void          fl_change_free               (FlChange     *change);

FlServerDb   *fl_server_db_open            (const char   *path,
                                            GError      **error);
FlStore      *fl_server_db_get_store       (FlServerDb   *self);

/* Loads a validated dataset: into an empty database by a plain import (a
 * new epoch, every entity logged once); otherwise by merging, so that only
 * entities that differ, and those missing from @dataset (deleted), are
 * written and logged. */
gboolean      fl_server_db_load_dataset    (FlServerDb   *self,
                                            FlDataset    *dataset,
                                            guint        *out_upserted,
                                            guint        *out_deleted,
                                            GError      **error);

/* Users. @regions NULL or { "*" }: every region. Re-adding a user gives a
 * new password and revokes their tokens. Returns the one-time password. */
char         *fl_server_db_add_user        (FlServerDb   *self,
                                            const char   *name,
                                            const char * const *regions,
                                            gint64        now,
                                            GError      **error);
/* Wrong user or password: NULL without an error (the caller says 401). */
FlServerUser *fl_server_db_check_password  (FlServerDb   *self,
                                            const char   *name,
                                            const char   *password,
                                            GError      **error);
char         *fl_server_db_new_token       (FlServerDb   *self,
                                            const char   *user,
                                            gint64        expires,
                                            GError      **error);
/* Unknown or expired token: NULL without an error. */
FlServerUser *fl_server_db_authenticate    (FlServerDb   *self,
                                            const char   *token,
                                            gint64        now,
                                            GError      **error);
gboolean      fl_server_db_revoke_token    (FlServerDb   *self,
                                            const char   *token,
                                            GError      **error);

/* The change log. @scope_json NULL: every region. */
char         *fl_server_db_dup_epoch       (FlServerDb   *self,
                                            GError      **error);
gint64        fl_server_db_get_last_seq    (FlServerDb   *self,
                                            GError      **error);
GPtrArray    *fl_server_db_read_changes    (FlServerDb   *self,
                                            gint64        after,
                                            const char   *scope_json,
                                            guint         limit,
                                            GError      **error);
gint64        fl_server_db_count_changes   (FlServerDb   *self,
                                            gint64        after,
                                            const char   *scope_json,
                                            GError      **error);
/* A pull page: fl_server_db_read_changes() for @limit + 1, summed up. */
typedef struct
{
  guint      n_changes;                    /* on the page, at most @limit */
  gboolean   more;                         /* changes follow the page */
  gint64     last_seq;                     /* of its last change (none: @after) */
  guint      n_upserts[FL_N_ENTITY_KINDS];
  GPtrArray *deletes[FL_N_ENTITY_KINDS];   /* ids in log order, or NULL */
} FlChangePage;

void          fl_change_page_clear         (FlChangePage *page);
gboolean      fl_server_db_read_page       (FlServerDb   *self,
                                            gint64        after,
                                            const char   *scope_json,
                                            guint         limit,
                                            FlChangePage *page,
                                            GError      **error);
/* A pull page's upserts of @kind: those of the changes after @after up to
 * @last (inclusive) that @scope_json sees, in log order. */
gboolean      fl_server_db_write_upserts   (FlServerDb   *self,
                                            FlEntityKind  kind,
                                            gint64        after,
                                            gint64        last,
                                            const char   *scope_json,
                                            FlFragmentWriter *writer,
                                            GError      **error);

/* Push results, for idempotent replays. Not found: TRUE, *out_status 0. */
gboolean      fl_server_db_lookup_result   (FlServerDb   *self,
                                            const char   *action_id,
                                            guint        *out_status,
                                            char        **out_body,
                                            GError      **error);
gboolean      fl_server_db_store_result    (FlServerDb   *self,
                                            const char   *action_id,
                                            const char   *user,
                                            guint         status,
                                            const char   *body,
                                            gint64        now,
                                            GError      **error);
/* The earliest action naming @alert other than @exclude_id; none: TRUE, NULL. */
gboolean      fl_server_db_find_alert_action (FlServerDb *self,
                                            const char   *alert,
                                            const char   *exclude_id,
                                            FlAction    **out_action,
                                            GError      **error);
/* The stored action with this id; none: TRUE, NULL. */
gboolean      fl_server_db_get_action      (FlServerDb   *self,
                                            const char   *action_id,
                                            FlAction    **out_action,
                                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlServerUser, fl_server_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlChange, fl_change_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FlChangePage, fl_change_page_clear)

G_END_DECLS
