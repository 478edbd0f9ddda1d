/* fl-execute.c — one-click execution of a suggestion (SPEC §5)
 *
 * Executing an alert records an action naming it, exactly as if it had come
 * from the server, and queues it in the outbox. The rules then see the alert
 * as actioned at once (an alert is actioned when an action created at or
 * before "now" names it), so the region's counts and colour follow without
 * any other bookkeeping. Undo removes the action before the outbox sends it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-execute.h"
#include "fl-store-private.h"
#include "fl-suggest.h"
#include "fl-time.h"

/* helpers */

/* The earliest action naming @alert_id created at or before @now, or NULL
 * (with @error unset) when there is none. */
static FlAction *
_find_action_for_alert (FlStore     *store,
                        const char  *alert_id,
                        gint64       now,
                        GError     **error)
{
  static const char sql[] =
    "SELECT " FL_STORE_ACTION_COLUMNS " FROM actions "
    "WHERE alert = ?1 AND created <= ?2 ORDER BY created, id LIMIT 1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  FlAction *action;
  const char *kind;
  int rc;

  stmt = _fl_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, alert_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _fl_store_fail (store, error, _("Could not read the actions of alert “%s”"), alert_id);
      return NULL;
    }

  action = g_new0 (FlAction, 1);
  action->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  action->alert = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  kind = (const char *) sqlite3_column_text (stmt, 2);
  if (kind == NULL || !fl_action_kind_from_string (kind, &action->kind))
    action->kind = FL_ACTION_CALL_TODAY;
  action->created = sqlite3_column_int64 (stmt, 3);
  action->created_by = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  return action;
}

/* public API */

/**
 * fl_execute_alert_full:
 *
 * See fl-execute.h.
 */
FlAction *
fl_execute_alert_full (FlStore              *store,
                       FlEvaluation         *evaluation,
                       const FlRuleSettings *settings,
                       const char           *alert_id,
                       int                   kind,
                       const char           *created_by,
                       gint64                now,
                       gint64                undo_seconds,
                       char                **out_title,
                       GError              **error)
{
  g_autoptr(FlEvaluation) own_evaluation = NULL;
  FlAction *existing;
  FlAction *action;
  g_autoptr(GError) local_error = NULL;
  GTimeZone *tz;
  FlAlert *alert;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (alert_id != NULL, NULL);
  g_return_val_if_fail (created_by != NULL, NULL);
  g_return_val_if_fail (undo_seconds >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tz = fl_store_get_time_zone (store);
  if (kind < -1 || kind >= FL_N_ACTION_KINDS)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("Alert “%s”: %d is not an action kind"), alert_id, kind);
      return NULL;
    }

  if (evaluation == NULL)
    {
      own_evaluation = fl_rules_evaluate (store, now, settings, error);
      if (own_evaluation == NULL)
        return NULL;
      evaluation = own_evaluation;
    }
  alert = fl_evaluation_find_alert (evaluation, alert_id);
  if (alert == NULL)
    {
      g_autofree char *when = fl_time_format_rfc3339 (now, tz);

      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND,
                   _("Unknown alert “%s”: it is not raised at %s"), alert_id, when);
      return NULL;
    }

  existing = _find_action_for_alert (store, alert_id, now, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (existing != NULL)
    {
      g_autofree char *when = fl_time_format_rfc3339 (existing->created, tz);

      g_set_error (error, FL_ERROR, FL_ERROR_CONFLICT,
                   _("Alert “%s” has already been handled (action %s by %s at %s)"),
                   alert_id, existing->id, existing->created_by, when);
      fl_action_free (existing);
      return NULL;
    }

  if (kind < 0)
    {
      g_autoptr(FlSuggestion) suggestion = fl_suggest_for_alert (store, alert, error);

      if (suggestion == NULL)
        return NULL;
      kind = (int) suggestion->kind;
    }

  action = g_new0 (FlAction, 1);
  action->id = g_uuid_string_random ();
  action->alert = g_strdup (alert_id);
  action->kind = (FlActionKind) kind;
  action->created = now;
  action->created_by = g_strdup (created_by);
  if (!fl_store_queue_action (store, action, now + undo_seconds, error))
    {
      fl_action_free (action);
      return NULL;
    }

  if (out_title != NULL)
    *out_title = fl_alert_dup_title (store, alert);
  return action;
}

/**
 * fl_execute_alert:
 *
 * See fl-execute.h.
 */
FlAction *
fl_execute_alert (FlStore              *store,
                  const FlRuleSettings *settings,
                  const char           *alert_id,
                  int                   kind,
                  const char           *created_by,
                  gint64                now,
                  GError              **error)
{
  return fl_execute_alert_full (store, NULL, settings, alert_id, kind, created_by, now,
                                FL_EXECUTE_UNDO_SECONDS, NULL, error);
}

/**
 * fl_execute_undo:
 *
 * See fl-execute.h.
 */
gboolean
fl_execute_undo (FlStore     *store,
                 const char  *action_id,
                 GError     **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (action_id != NULL, FALSE);

  return fl_store_unqueue_action (store, action_id, error);
}
