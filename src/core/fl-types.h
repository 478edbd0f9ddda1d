/* fl-types.h — enumerations shared by the whole core, and their wire names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * FlAlertCategory:
 * The three warning rules of SPEC §4. The numeric order is the order used
 * everywhere a list of categories is shown (churn, stall, gap).
 */
typedef enum
{
  FL_ALERT_CHURN,
  FL_ALERT_STALL,
  FL_ALERT_GAP,
  FL_N_ALERT_CATEGORIES
} FlAlertCategory;

typedef enum
{
  FL_STATUS_GREEN,
  FL_STATUS_YELLOW,
  FL_STATUS_RED
} FlRegionStatus;

/* Order matters: it is the tie-break order of FORMATS.md §4 step 4. */
typedef enum
{
  FL_ACTION_SEND_SAMPLE,
  FL_ACTION_CALL_TODAY,
  FL_ACTION_ESCALATE_TECH,
  FL_ACTION_MANAGER_JOINS_VISIT,
  FL_ACTION_TALK_TRACK_TRAINING,
  FL_ACTION_PRICE_REVIEW,
  FL_N_ACTION_KINDS
} FlActionKind;

typedef enum
{
  FL_STAGE_OPEN,
  FL_STAGE_WON,
  FL_STAGE_LOST
} FlStage;

/* prev_action_achieved is a tri-state in the dataset: true, false or null. */
typedef enum
{
  FL_ACHIEVED_NULL = -1,
  FL_ACHIEVED_FALSE = 0,
  FL_ACHIEVED_TRUE = 1
} FlAchieved;

#define FL_ERROR (fl_error_quark ())

/**
 * FlError:
 * @FL_ERROR_INVALID_DATA: input does not conform to FORMATS.md; the message
 *   names the entity, its id (or index) and the field.
 * @FL_ERROR_NOT_FOUND: an id that is not known (alert, region, …).
 * @FL_ERROR_STORE: the SQLite cache failed (I/O, full disk, corruption).
 * @FL_ERROR_CONFLICT: the operation conflicts with the current state
 *   (e.g. an alert that is already actioned).
 */
typedef enum
{
  FL_ERROR_INVALID_DATA,
  FL_ERROR_NOT_FOUND,
  FL_ERROR_STORE,
  FL_ERROR_CONFLICT,
} FlError;

GQuark          fl_error_quark              (void);

const char     *fl_alert_category_to_string (FlAlertCategory category);
gboolean        fl_alert_category_from_string (const char      *str,
                                               FlAlertCategory *out);
const char     *fl_region_status_to_string  (FlRegionStatus  status);
const char     *fl_action_kind_to_string    (FlActionKind    kind);
gboolean        fl_action_kind_from_string  (const char     *str,
                                             FlActionKind   *out);
const char     *fl_stage_to_string          (FlStage         stage);
gboolean        fl_stage_from_string        (const char     *str,
                                             FlStage        *out);

/* Translated, human names (for the UI). */
const char     *fl_alert_category_get_label (FlAlertCategory category);
const char     *fl_region_status_get_label  (FlRegionStatus  status);
const char     *fl_action_kind_get_label    (FlActionKind    kind);

G_END_DECLS
