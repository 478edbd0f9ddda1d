/* fl-types.c — enumerations shared by the whole core, and their wire names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fl-types.h"

G_DEFINE_QUARK (fl-error-quark, fl_error)

/* Wire names (FORMATS.md); indexed by the enum value. */
static const char * const category_names[FL_N_ALERT_CATEGORIES] = {
  "churn", "stall", "gap",
};

static const char * const status_names[] = {
  "green", "yellow", "red",
};

static const char * const action_names[FL_N_ACTION_KINDS] = {
  "send_sample",
  "call_today",
  "escalate_tech",
  "manager_joins_visit",
  "talk_track_training",
  "price_review",
};

static const char * const stage_names[] = {
  "open", "won", "lost",
};

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *str,
             guint              *out)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (strcmp (names[i], str) == 0)
        {
          if (out != NULL)
            *out = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
fl_alert_category_to_string (FlAlertCategory category)
{
  g_return_val_if_fail ((guint) category < G_N_ELEMENTS (category_names), NULL);

  return category_names[category];
}

gboolean
fl_alert_category_from_string (const char      *str,
                               FlAlertCategory *out)
{
  guint i;

  if (!lookup_name (category_names, G_N_ELEMENTS (category_names), str, &i))
    return FALSE;
  if (out != NULL)
    *out = (FlAlertCategory) i;
  return TRUE;
}

const char *
fl_region_status_to_string (FlRegionStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

const char *
fl_action_kind_to_string (FlActionKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (action_names), NULL);

  return action_names[kind];
}

gboolean
fl_action_kind_from_string (const char   *str,
                            FlActionKind *out)
{
  guint i;

  if (!lookup_name (action_names, G_N_ELEMENTS (action_names), str, &i))
    return FALSE;
  if (out != NULL)
    *out = (FlActionKind) i;
  return TRUE;
}

const char *
fl_stage_to_string (FlStage stage)
{
  g_return_val_if_fail ((guint) stage < G_N_ELEMENTS (stage_names), NULL);

  return stage_names[stage];
}

gboolean
fl_stage_from_string (const char *str,
                      FlStage    *out)
{
  guint i;

  if (!lookup_name (stage_names, G_N_ELEMENTS (stage_names), str, &i))
    return FALSE;
  if (out != NULL)
    *out = (FlStage) i;
  return TRUE;
}

const char *
fl_alert_category_get_label (FlAlertCategory category)
{
  switch (category)
    {
    case FL_ALERT_CHURN:
      return _("Customer churn");
    case FL_ALERT_STALL:
      return _("Opportunity stall");
    case FL_ALERT_GAP:
      return _("Team capability gap");
    case FL_N_ALERT_CATEGORIES:
    default:
      break;
    }

  g_return_val_if_reached (NULL);
}

const char *
fl_region_status_get_label (FlRegionStatus status)
{
  switch (status)
    {
    case FL_STATUS_GREEN:
      return _("No warning");
    case FL_STATUS_YELLOW:
      return _("One warning category");
    case FL_STATUS_RED:
      return _("Two or more warning categories");
    default:
      break;
    }

  g_return_val_if_reached (NULL);
}

const char *
fl_action_kind_get_label (FlActionKind kind)
{
  switch (kind)
    {
    case FL_ACTION_SEND_SAMPLE:
      return _("Send sample and case video");
    case FL_ACTION_CALL_TODAY:
      return _("Call today");
    case FL_ACTION_ESCALATE_TECH:
      return _("Escalate to technical staff");
    case FL_ACTION_MANAGER_JOINS_VISIT:
      return _("Manager joins next visit");
    case FL_ACTION_TALK_TRACK_TRAINING:
      return _("Talk-track training");
    case FL_ACTION_PRICE_REVIEW:
      return _("Price review");
    case FL_N_ACTION_KINDS:
    default:
      break;
    }

  g_return_val_if_reached (NULL);
}
