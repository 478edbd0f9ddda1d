/* fl-execute.h — one-click execution of a suggestion (SPEC §5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-rules.h"
#include "fl-sync-store.h"

G_BEGIN_DECLS

/* Seconds an executed action stays undoable before the outbox may send it. */
#define FL_EXECUTE_UNDO_SECONDS 10

/**
 * fl_execute_alert:
 * @store: the cache
 * @settings: (nullable): rule thresholds (NULL: defaults)
 * @alert_id: an alert id of FORMATS.md §2
 * @kind: the action kind, or -1 for the alert's suggestion (FORMATS.md §4)
 * @created_by: the manager's user name
 * @now: the time of the click (also the action's `created`)
 *
 * Checks that @alert_id is a current, pending alert at @now (FL_ERROR_NOT_FOUND
 * when unknown, FL_ERROR_CONFLICT when already actioned), then records an
 * action with a fresh UUID and queues it in the outbox, not to be sent before
 * @now + FL_EXECUTE_UNDO_SECONDS. Returns the action (free with fl_action_free).
 */
FlAction *fl_execute_alert (FlStore              *store,
                            const FlRuleSettings *settings,
                            const char           *alert_id,
                            int                   kind,
                            const char           *created_by,
                            gint64                now,
                            GError              **error);

/**
 * fl_execute_alert_full:
 * @evaluation: (nullable): an evaluation of @store at (or just before) @now to
 *   find the alert in, so that a window which has one does not run the rules
 *   again; NULL evaluates the rules at @now with @settings
 * @undo_seconds: how long the action stays undoable (FL_EXECUTE_UNDO_SECONDS
 *   in the window; 0 headless, where nobody can undo: `fieldlight --execute`)
 * @out_title: (out) (optional): the alert's translated title
 *   (fl_alert_dup_title)
 *
 * fl_execute_alert() with these extras. Whether the alert is actioned is read
 * from the store's actions (created <= @now), not from @evaluation, which may
 * predate an action just executed. The outbox entry's not_before is
 * @now + @undo_seconds.
 */
FlAction *fl_execute_alert_full (FlStore              *store,
                                 FlEvaluation         *evaluation,
                                 const FlRuleSettings *settings,
                                 const char           *alert_id,
                                 int                   kind,
                                 const char           *created_by,
                                 gint64                now,
                                 gint64                undo_seconds,
                                 char                **out_title,
                                 GError              **error);

/* Undo within the window: removes the queued action (FL_ERROR_CONFLICT when it
 * has been sent already). */
gboolean  fl_execute_undo  (FlStore              *store,
                            const char           *action_id,
                            GError              **error);

G_END_DECLS
