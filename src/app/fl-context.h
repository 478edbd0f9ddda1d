/* fl-context.h — the services of one running app: store, settings, clock, evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include "fl-core.h"
#include "fl-map-view.h"

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

/* Properties: "store", "settings" (construct-only), "now" (int64), "now-fixed",
 * "evaluation" (pointer), "palette" (int, FlPalette), "data-time" (int64).
 * Signal: "changed" () — after every successful evaluation. */

G_END_DECLS
