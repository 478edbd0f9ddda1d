/* fl-weekly.c — the weekly key-action list, frozen per week (SPEC §6)
 *
 * FORMATS.md §5, with these decisions where it is silent:
 * - opportunities carry no history (stage, value and the custom-requirement
 *   flag are not time-stamped), so tech_support uses their current values
 *   when the list is generated; call_today uses the rules at M exactly;
 * - "value > 50000" is the fixed threshold of SPEC §5 (双人协同), not the
 *   stall setting;
 * - the list is kept (table weekly_lists, one row per ISO week) only once
 *   now >= M: generated on Monday before 08:00 it is computed as of M but not
 *   stored, so that visits arriving before 08:00 still count. Once stored it
 *   is returned unchanged for the rest of the week, whatever the data or the
 *   count settings do; an import of a new dataset does not reset it;
 * - the stored row keeps what the titles are made of, not the titles, so a
 *   frozen list reads in the current locale;
 * - CSV lines end with "\n" (not CRLF); fields with a comma, a quote or a
 *   line break are quoted, quotes doubled (RFC 4180).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fl-weekly.h"
#include "fl-json.h"
#include "fl-rules.h"
#include "fl-store-private.h"
#include "fl-time.h"

#define TECH_MIN_VALUE 50000.0
#define PILOT_DAYS     14

static const char * const section_names[FL_N_WEEKLY_SECTIONS] = {
  "call_today", "tech_support", "friday_review",
};

void
fl_weekly_settings_init_default (FlWeeklySettings *settings)
{
  g_return_if_fail (settings != NULL);

  settings->call_today = 3;
  settings->tech_support = 2;
  settings->friday_review = 1;
}

static void
item_free (FlWeeklyItem *item)
{
  g_free (item->subject);
  g_free (item->title);
  g_free (item->owner);
  g_free (item->link);
  g_free (item->name);
  g_free (item);
}

void
fl_weekly_list_free (FlWeeklyList *list)
{
  if (list == NULL)
    return;

  g_free (list->week);
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_free (list);
}

static FlWeeklyList *
list_new (void)
{
  FlWeeklyList *list = g_new0 (FlWeeklyList, 1);

  list->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  return list;
}

const char *
fl_weekly_section_to_string (FlWeeklySection section)
{
  g_return_val_if_fail (section < FL_N_WEEKLY_SECTIONS, NULL);

  return section_names[section];
}

static gboolean
section_from_string (const char      *str,
                     FlWeeklySection *out)
{
  for (guint s = 0; s < FL_N_WEEKLY_SECTIONS; s++)
    if (g_strcmp0 (str, section_names[s]) == 0)
      {
        *out = s;
        return TRUE;
      }
  return FALSE;
}

/**
 * fl_weekly_section_get_label:
 * Returns: the translated heading of @section
 */
const char *
fl_weekly_section_get_label (FlWeeklySection section)
{
  switch (section)
    {
    case FL_WEEKLY_CALL_TODAY:
      return _("Call today");
    case FL_WEEKLY_TECH_SUPPORT:
      return _("Technical support by Wednesday");
    case FL_WEEKLY_FRIDAY_REVIEW:
      return _("Review on Friday");
    case FL_N_WEEKLY_SECTIONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
item_dup_title (const FlWeeklyItem *item)
{
  switch (item->section)
    {
    case FL_WEEKLY_CALL_TODAY:
      {
        g_autofree char *money = fl_format_money (item->value);

        /* Translators: a line of the weekly list; %s the customer's name, then
         * the 90-day revenue at risk, e.g. "80,000 CNY" */
        return g_strdup_printf (_("%s: committed action missed at the last 2 visits, "
                                  "%s at risk"), item->name, money);
      }

    case FL_WEEKLY_TECH_SUPPORT:
      {
        g_autofree char *money = fl_format_money (item->value);

        /* Translators: a line of the weekly list; the opportunity's id, the
         * customer's name and the opportunity's value */
        return g_strdup_printf (_("Opportunity %s of %s (%s): custom requirement, "
                                  "bring in technical support"),
                                item->subject, item->name, money);
      }

    case FL_WEEKLY_FRIDAY_REVIEW:
      {
        g_autofree char *date = fl_date_format (item->last_day);

        /* Translators: a line of the weekly list; the pitch pilot's title and
         * its last day (YYYY-MM-DD) */
        return g_strdup_printf (_("Review pitch pilot “%s” (its two weeks end on %s)"),
                                item->name, date);
      }

    case FL_N_WEEKLY_SECTIONS:
    default:
      g_return_val_if_reached (g_strdup (item->subject));
    }
}

static FlWeeklyItem *
item_add (FlWeeklyList    *list,
          FlWeeklySection  section,
          guint            rank,
          const char      *subject,
          const char      *owner,
          gint64           due,
          const char      *name)
{
  FlWeeklyItem *item = g_new0 (FlWeeklyItem, 1);
  static const char * const link_prefixes[FL_N_WEEKLY_SECTIONS] = {
    "customer", "opportunity", "pilot",
  };

  item->section = section;
  item->rank = rank;
  item->subject = g_strdup (subject);
  item->owner = g_strdup (owner);
  item->due = due;
  item->link = g_strdup_printf ("%s:%s", link_prefixes[section], subject);
  item->name = g_strdup (name != NULL ? name : subject);
  g_ptr_array_add (list->items, item);
  return item;
}

static int
compare_alert_rank (gconstpointer a,
                    gconstpointer b)
{
  return fl_alert_compare_rank (*(FlAlert * const *) a, *(FlAlert * const *) b);
}

static gboolean
add_call_today (FlStore       *store,
                FlWeeklyList  *list,
                gint32         monday_day,
                guint          count,
                GError       **error)
{
  static const char sql[] = "SELECT name, owner_rep FROM customers WHERE id = ?1";
  g_autoptr(FlEvaluation) evaluation = NULL;
  g_autoptr(GPtrArray) churn = g_ptr_array_new ();
  gint64 due = fl_day_at (monday_day, 18, 0, fl_store_get_time_zone (store));

  if (count == 0)
    return TRUE;
  if (!(evaluation = fl_rules_evaluate (store, list->monday, NULL, error)))
    return FALSE;

  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->category == FL_ALERT_CHURN && !alert->actioned)
        g_ptr_array_add (churn, alert);
    }
  g_ptr_array_sort (churn, compare_alert_rank);

  for (guint i = 0; i < churn->len && i < count; i++)
    {
      const FlAlert *alert = g_ptr_array_index (churn, i);
      g_autoptr(FlCachedStmt) stmt = NULL;
      FlWeeklyItem *item;
      int rc;

      if (!(stmt = _fl_store_prepare (store, sql, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, alert->subject, -1, SQLITE_STATIC);
      if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
        {
          if (rc == SQLITE_DONE)
            {
              g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND,
                           _("alert %s: customer %s is not in the cache"), alert->id,
                           alert->subject);
              return FALSE;
            }
          return _fl_store_fail (store, error, _("Could not read customer %s"), alert->subject);
        }

      item = item_add (list, FL_WEEKLY_CALL_TODAY, i + 1, alert->subject,
                       (const char *) sqlite3_column_text (stmt, 1), due,
                       (const char *) sqlite3_column_text (stmt, 0));
      item->value = alert->value_at_risk;
    }

  return TRUE;
}

static gboolean
add_tech_support (FlStore       *store,
                  FlWeeklyList  *list,
                  gint32         monday_day,
                  guint          count,
                  GError       **error)
{
  static const char sql[] =
    "SELECT o.id, o.value, c.name, c.owner_rep FROM opportunities AS o "
    "JOIN customers AS c ON c.id = o.customer "
    "WHERE o.stage = 'open' AND o.custom_requirement != 0 AND o.value > ?1 "
    "ORDER BY o.value DESC, o.id LIMIT ?2";
  g_autoptr(FlCachedStmt) stmt = NULL;
  gint64 due = fl_day_at (monday_day + 2, 18, 0, fl_store_get_time_zone (store));
  guint rank = 0;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;

  sqlite3_bind_double (stmt, 1, TECH_MIN_VALUE);
  sqlite3_bind_int64 (stmt, 2, count);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlWeeklyItem *item;

      item = item_add (list, FL_WEEKLY_TECH_SUPPORT, ++rank,
                       (const char *) sqlite3_column_text (stmt, 0),
                       (const char *) sqlite3_column_text (stmt, 3), due,
                       (const char *) sqlite3_column_text (stmt, 2));
      item->value = sqlite3_column_double (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the opportunities"));

  return TRUE;
}

static gboolean
add_friday_review (FlStore       *store,
                   FlWeeklyList  *list,
                   gint32         monday_day,
                   guint          count,
                   GError       **error)
{
  static const char sql[] =
    "SELECT id, title, start, owner FROM pilots "
    "WHERE start + ?1 BETWEEN ?2 AND ?3 ORDER BY start, id LIMIT ?4";
  g_autoptr(FlCachedStmt) stmt = NULL;
  gint64 due = fl_day_at (monday_day + 4, 17, 0, fl_store_get_time_zone (store));
  guint rank = 0;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;

  sqlite3_bind_int (stmt, 1, PILOT_DAYS - 1);
  sqlite3_bind_int (stmt, 2, monday_day);
  sqlite3_bind_int (stmt, 3, monday_day + 6);
  sqlite3_bind_int64 (stmt, 4, count);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlWeeklyItem *item;

      item = item_add (list, FL_WEEKLY_FRIDAY_REVIEW, ++rank,
                       (const char *) sqlite3_column_text (stmt, 0),
                       (const char *) sqlite3_column_text (stmt, 3), due,
                       (const char *) sqlite3_column_text (stmt, 1));
      item->last_day = sqlite3_column_int (stmt, 2) + PILOT_DAYS - 1;
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the pitch pilots"));

  return TRUE;
}

/**
 * fl_weekly_monday:
 * @store: a cache (for its time zone)
 * @now: an instant
 *
 * Returns: Monday 08:00, in the store's time zone, of the ISO week containing @now
 */
gint64
fl_weekly_monday (FlStore *store,
                  gint64   now)
{
  GTimeZone *tz;

  g_return_val_if_fail (FL_IS_STORE (store), 0);

  tz = fl_store_get_time_zone (store);
  return fl_day_at (fl_day_of (fl_iso_week_start (now, tz), tz), 8, 0, tz);
}

/**
 * fl_weekly_compute:
 * @store: the cache
 * @now: an instant of the week
 * @counts: (nullable): rows per section; %NULL: 3/2/1
 * @error: return location for an error
 *
 * Computes the key-action list of FORMATS.md §5 for the week containing
 * @now, as of that week's Monday 08:00 (M). Stores nothing.
 *
 * Returns: (transfer full): the list, or %NULL with @error set
 */
FlWeeklyList *
fl_weekly_compute (FlStore                 *store,
                   gint64                   now,
                   const FlWeeklySettings  *counts,
                   GError                 **error)
{
  g_autoptr(FlWeeklyList) list = NULL;
  FlWeeklySettings defaults;
  GTimeZone *tz;
  gint32 monday_day;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (counts == NULL)
    {
      fl_weekly_settings_init_default (&defaults);
      counts = &defaults;
    }

  tz = fl_store_get_time_zone (store);
  monday_day = fl_day_of (fl_iso_week_start (now, tz), tz);
  list = list_new ();
  list->monday = fl_day_at (monday_day, 8, 0, tz);
  list->week = fl_iso_week_format (list->monday, tz);
  list->generated = now;

  if (!add_call_today (store, list, monday_day, counts->call_today, error) ||
      !add_tech_support (store, list, monday_day, counts->tech_support, error) ||
      !add_friday_review (store, list, monday_day, counts->friday_review, error))
    return NULL;

  for (guint i = 0; i < list->items->len; i++)
    {
      FlWeeklyItem *item = g_ptr_array_index (list->items, i);

      item->title = item_dup_title (item);
    }

  return g_steal_pointer (&list);
}

/* Freezing: one row per ISO week, the list as JSON. */

static char *
list_to_json (FlWeeklyList *list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "week");
  json_builder_add_string_value (builder, list->week);
  json_builder_set_member_name (builder, "monday");
  json_builder_add_int_value (builder, list->monday);
  json_builder_set_member_name (builder, "generated");
  json_builder_add_int_value (builder, list->generated);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->items->len; i++)
    {
      const FlWeeklyItem *item = g_ptr_array_index (list->items, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "section");
      json_builder_add_string_value (builder, section_names[item->section]);
      json_builder_set_member_name (builder, "rank");
      json_builder_add_int_value (builder, item->rank);
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, item->subject);
      json_builder_set_member_name (builder, "owner");
      json_builder_add_string_value (builder, item->owner);
      json_builder_set_member_name (builder, "due");
      json_builder_add_int_value (builder, item->due);
      json_builder_set_member_name (builder, "link");
      json_builder_add_string_value (builder, item->link);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, item->name);
      json_builder_set_member_name (builder, "value");
      json_builder_add_double_value (builder, item->value);
      json_builder_set_member_name (builder, "last_day");
      json_builder_add_int_value (builder, item->last_day);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static FlWeeklyList *
list_from_json (const char  *week,
                const char  *json,
                GError     **error)
{
  g_autoptr(FlWeeklyList) list = list_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *what = g_strdup_printf ("weekly list %s", week);
  GError *local_error = NULL;
  JsonObject *object;
  JsonArray *items;
  const char *str;
  gint64 number;

  root = json_from_string (json, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_STORE, _("%s: stored list is not valid JSON: %s"),
                   what, local_error != NULL ? local_error->message : "not an object");
      g_clear_error (&local_error);
      return NULL;
    }
  object = json_node_get_object (root);

  if (!fl_json_get_string (object, what, "week", &str, error) ||
      !fl_json_get_int (object, what, "monday", &list->monday, error) ||
      !fl_json_get_int (object, what, "generated", &list->generated, error) ||
      !fl_json_get_array (object, what, "items", &items, error))
    return NULL;
  list->week = g_strdup (str);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *item_what = g_strdup_printf ("%s: items[%u]", what, i);
      JsonNode *node = json_array_get_element (items, i);
      FlWeeklyItem *item;
      JsonObject *o;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_STORE, _("%s: not an object"), item_what);
          return NULL;
        }
      o = json_node_get_object (node);
      item = g_new0 (FlWeeklyItem, 1);
      g_ptr_array_add (list->items, item);

      if (!fl_json_get_string (o, item_what, "section", &str, error))
        return NULL;
      if (!section_from_string (str, &item->section))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                       _("%s: field “%s” has an unknown value “%s”"), item_what, "section", str);
          return NULL;
        }
      if (!fl_json_get_int (o, item_what, "rank", &number, error))
        return NULL;
      item->rank = (guint) number;
      if (!fl_json_get_string (o, item_what, "subject", &str, error))
        return NULL;
      item->subject = g_strdup (str);
      if (!fl_json_get_string (o, item_what, "owner", &str, error))
        return NULL;
      item->owner = g_strdup (str);
      if (!fl_json_get_int (o, item_what, "due", &item->due, error) ||
          !fl_json_get_string (o, item_what, "link", &str, error))
        return NULL;
      item->link = g_strdup (str);
      if (!fl_json_get_string (o, item_what, "name", &str, error) ||
          !fl_json_get_double (o, item_what, "value", &item->value, error) ||
          !fl_json_get_int (o, item_what, "last_day", &number, error))
        return NULL;
      item->name = g_strdup (str);
      item->last_day = (gint32) number;
      item->title = item_dup_title (item);
    }

  return g_steal_pointer (&list);
}

/* *out_list NULL: no list stored for @week */
static gboolean
load_stored (FlStore       *store,
             const char    *week,
             FlWeeklyList **out_list,
             GError       **error)
{
  static const char sql[] = "SELECT json FROM weekly_lists WHERE week = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  *out_list = NULL;
  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, week, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _fl_store_fail (store, error, _("Could not read the weekly list of %s"), week);

  *out_list = list_from_json (week, (const char *) sqlite3_column_text (stmt, 0), error);
  return *out_list != NULL;
}

/* FALSE in *out_stored: another writer stored this week's list first */
static gboolean
store_list (FlStore       *store,
            FlWeeklyList  *list,
            gboolean      *out_stored,
            GError       **error)
{
  static const char sql[] =
    "INSERT OR IGNORE INTO weekly_lists (week, generated, json) VALUES (?1, ?2, ?3)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, list->week, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, list->generated);
  sqlite3_bind_text (stmt, 3, list_to_json (list), -1, g_free);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not store the weekly list of %s"),
                           list->week);

  *out_stored = sqlite3_changes (_fl_store_get_db (store)) > 0;
  return TRUE;
}

/**
 * fl_weekly_load_or_generate:
 * @store: the cache
 * @now: an instant of the week
 * @counts: (nullable): rows per section when the list is generated
 * @error: return location for an error
 *
 * Returns the list kept for the week containing @now. The first call at or
 * after that week's Monday 08:00 generates it (fl_weekly_compute()) and
 * keeps it in the cache; later calls in the same week return it unchanged,
 * even when the data changed. Before Monday 08:00 the list is computed as of
 * 08:00 but not kept.
 *
 * Returns: (transfer full): the list, or %NULL with @error set
 */
FlWeeklyList *
fl_weekly_load_or_generate (FlStore                 *store,
                            gint64                   now,
                            const FlWeeklySettings  *counts,
                            GError                 **error)
{
  g_autoptr(FlWeeklyList) list = NULL;
  g_autofree char *week = NULL;
  gboolean stored = FALSE;
  GTimeZone *tz;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tz = fl_store_get_time_zone (store);
  week = fl_iso_week_format (now, tz);

  if (!load_stored (store, week, &list, error))
    return NULL;
  if (list != NULL)
    return g_steal_pointer (&list);

  if (!(list = fl_weekly_compute (store, now, counts, error)))
    return NULL;
  if (now < list->monday)
    return g_steal_pointer (&list);

  if (!store_list (store, list, &stored, error))
    return NULL;
  if (stored)
    return g_steal_pointer (&list);

  g_clear_pointer (&list, fl_weekly_list_free);
  if (!load_stored (store, week, &list, error))
    return NULL;
  if (list == NULL)
    g_set_error (error, FL_ERROR, FL_ERROR_STORE, _("The weekly list of %s vanished"), week);
  return g_steal_pointer (&list);
}

static void
append_csv_field (GString    *out,
                  const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * fl_weekly_to_csv:
 * @list: a weekly list
 * @tz: the zone of the due times (the dataset's)
 *
 * Returns: (transfer full): the CSV of FORMATS.md §5: the header
 *   "section,rank,title,owner,due,link", then one line per item
 */
char *
fl_weekly_to_csv (FlWeeklyList *list,
                  GTimeZone    *tz)
{
  GString *out = g_string_new ("section,rank,title,owner,due,link\n");

  g_return_val_if_fail (list != NULL, g_string_free (out, FALSE));

  for (guint i = 0; i < list->items->len; i++)
    {
      const FlWeeklyItem *item = g_ptr_array_index (list->items, i);
      char due[FL_RFC3339_BUF_SIZE];

      fl_time_format_rfc3339_buf (item->due, tz, due);
      g_string_append_printf (out, "%s,%u,", section_names[item->section], item->rank);
      append_csv_field (out, item->title);
      g_string_append_c (out, ',');
      append_csv_field (out, item->owner);
      g_string_append_printf (out, ",%s,", due);
      append_csv_field (out, item->link);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}
