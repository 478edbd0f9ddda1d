/* fl-context.h — the services of one running app: store, settings, clock, evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include "fl-core.h"
#include "fl-map-view.h"
#include "fl-sync-client.h"

G_BEGIN_DECLS

#define FL_TYPE_CONTEXT (fl_context_get_type ())
G_DECLARE_FINAL_TYPE (FlContext, fl_context, FL, CONTEXT, GObject)

/* The app's GSettings, or NULL when the schema is not installed (the app then
 * runs on the defaults). */
GSettings            *fl_context_lookup_settings  (void);

/* @settings: nullable. The clock is the real one until fl_context_set_fixed_now().
 * Call fl_context_reevaluate() once before using the evaluation. */
FlContext            *fl_context_new              (FlStore        *store,
                                                   GSettings      *settings);
FlStore              *fl_context_get_store        (FlContext      *self);
/* Connections for the workers that read the store's file (pages, the
 * region's process figures); take and give back from any thread. */
FlStorePool          *fl_context_get_reader_pool  (FlContext      *self);
GSettings            *fl_context_get_settings     (FlContext      *self);
GTimeZone            *fl_context_get_time_zone    (FlContext      *self);

/* Fixes "now" (--now, tests): no more re-evaluation each minute. */
void                  fl_context_set_fixed_now    (FlContext      *self,
                                                   gint64          now);
gboolean              fl_context_get_now_fixed    (FlContext      *self);
gint64                fl_context_get_now          (FlContext      *self);

const FlRuleSettings *fl_context_get_rule_settings (FlContext     *self);

/* Re-runs the rules at the current "now"; emits "changed" on success. On
 * failure the previous evaluation stays. */
gboolean              fl_context_reevaluate       (FlContext      *self,
                                                   GError        **error);
/* The same in a worker thread on its own connection to the cache file, so that
 * it runs beside GTK's start-up and never delays a frame. "changed" is emitted
 * (in this thread) before @callback runs; a result older than the evaluation
 * shown is dropped. */
void                  fl_context_reevaluate_async (FlContext           *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean              fl_context_reevaluate_finish (FlContext          *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);
/* Borrowed; valid until the next "changed". NULL before the first evaluation. */
FlEvaluation         *fl_context_get_evaluation   (FlContext      *self);

FlPalette             fl_context_get_palette      (FlContext      *self);
void                  fl_context_set_palette      (FlContext      *self,
                                                   FlPalette       palette);

/* Newest visit upload time ("data as of"), 0 when unknown. */
gint64                fl_context_get_data_time    (FlContext      *self);
void                  fl_context_set_data_time    (FlContext      *self,
                                                   gint64          data_time);

/* Sync (SPEC §8). The context owns a sync client while sync is enabled (the
 * window enables it; headless commands never do) and a server is configured:
 * GSettings "server-url", else the cache's metadata "sync.server". It syncs
 * into the file-backed store, or, while the store shown is only the in-memory
 * demo of a first run, into the cache file of fl_context_set_cache_path();
 * the first evaluation of synced data then replaces the store shown ("store"
 * notifies before "changed"). The token is restored from the keyring and the
 * client syncs by itself. */
void                  fl_context_set_sync_enabled (FlContext      *self,
                                                   gboolean        enabled);
/* Nullable. */
FlSyncClient         *fl_context_get_sync_client  (FlContext      *self);

/* One-click execution (SPEC §5). The suggestion of a pending alert of the
 * evaluation shown (borrowed, valid until the next "changed"; NULL when none). */
const FlSuggestion   *fl_context_get_suggestion   (FlContext      *self,
                                                   const char     *alert_id);
/* @kind: an FlActionKind, or -1 for the suggestion. Records the action (undoable
 * for FL_EXECUTE_UNDO_SECONDS), shows the alert actioned at once ("changed"),
 * re-evaluates and schedules the push. Returns the action (fl_action_free()). */
FlAction             *fl_context_execute          (FlContext      *self,
                                                   const char     *alert_id,
                                                   int             kind,
                                                   GError        **error);
/* Takes back an action of fl_context_execute() that has not been sent yet. */
gboolean              fl_context_undo             (FlContext      *self,
                                                   const char     *action_id,
                                                   GError        **error);
/* The cache file the GUI was started on; set it when the store shown is the
 * demo standing in for an empty cache. */
void                  fl_context_set_cache_path   (FlContext      *self,
                                                   const char     *path);
const char           *fl_context_get_cache_path   (FlContext      *self);
/* TRUE when the demo stands in for an empty cache and no server is configured:
 * the window offers the demo or a server. */
gboolean              fl_context_get_first_run    (FlContext      *self);
/* TRUE when "data-time" is the last successful sync (else the newest upload). */
gboolean              fl_context_get_data_synced  (FlContext      *self);
/* TRUE when the data is older than GSettings "stale-after-hours" at "now". */
gboolean              fl_context_get_stale        (FlContext      *self);

/* The sync engine's rule for a server address: https://, or http:// to this
 * computer only; no user name, query or fragment. */
gboolean              fl_context_check_server_url (const char     *url,
                                                   GError        **error);

/* Properties: "store" (construct, then replaced by a first sync), "settings"
 * (construct-only), "now" (int64), "now-fixed", "evaluation" (pointer),
 * "palette" (int, FlPalette), "data-time" (int64), "data-synced", "stale",
 * "first-run", "sync-client" (FlSyncClient, nullable).
 * Signals: "changed" () — after every successful evaluation;
 * "action-rejected" (const char *action_id, const char *message) — the server
 * refused a queued action. */

/* For a widget's "context" property: points *@slot at @context (a new
 * reference), moving @instance's handlers @changed_cb ("changed") and
 * @palette_cb ("notify::palette", may be NULL), connected swapped with
 * g_signal_connect_object(), from the old context to the new. Returns FALSE,
 * doing nothing, when *@slot is @context already. */
gboolean        fl_context_follow              (FlContext          **slot,
                                                FlContext           *context,
                                                gpointer             instance,
                                                GCallback            changed_cb,
                                                GCallback            palette_cb);

G_END_DECLS
