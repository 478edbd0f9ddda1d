/* fl-customer-profile.c — one customer's page: health, visits, opportunities, competitors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "fl-customer-profile.h"
#include "fl-store-private.h"
#include "fl-time.h"

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

void
fl_profile_visit_free (FlProfileVisit *visit)
{
  if (visit == NULL)
    return;
  g_clear_pointer (&visit->visit, fl_visit_free);
  g_free (visit->rep_name);
  g_free (visit);
}

void
fl_profile_opportunity_free (FlProfileOpportunity *opportunity)
{
  if (opportunity == NULL)
    return;
  g_clear_pointer (&opportunity->opportunity, fl_opportunity_free);
  g_free (opportunity);
}

void
fl_customer_profile_free (FlCustomerProfile *profile)
{
  if (profile == NULL)
    return;
  g_clear_pointer (&profile->customer, fl_customer_free);
  g_free (profile->owner_name);
  g_free (profile->region_name);
  g_clear_pointer (&profile->visits, g_ptr_array_unref);
  g_clear_pointer (&profile->opportunities, g_ptr_array_unref);
  g_free (profile->competitor_price_visit);
  g_free (profile->shelf_share_visit);
  g_free (profile);
}

/* helpers */

static char *
_column_dup (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
_column_is_null (sqlite3_stmt *stmt,
                 int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL;
}

/* The stored pain keywords (a JSON array of strings); NULL when corrupt. */
static char **
_keywords_from_json (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (json == NULL || (node = json_from_string (json, NULL)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/* "2026-W44" for the ISO week @weeks before the ISO week @week. */
static gboolean
_week_minus (const char *week,
             int         weeks,
             char        out[12])
{
  int year, number;
  gint32 monday;

  if (!fl_iso_week_parse (week, &year, &number))
    return FALSE;
  monday = fl_iso_week_monday (year, number) - 7 * weeks;
  fl_date_iso_week (monday, &year, &number);
  g_snprintf (out, 12, "%04d-W%02d", year, number);
  return TRUE;
}

/* The latest snapshot of @health at or before @week (weeks "YYYY-Www" sort as
 * text). */
static const FlHealth *
_latest_health (GArray     *health,
                const char *week)
{
  const FlHealth *best = NULL;

  for (guint i = 0; i < health->len; i++)
    {
      const FlHealth *h = &g_array_index (health, FlHealth, i);

      if (strcmp (h->week, week) <= 0 && (best == NULL || strcmp (h->week, best->week) > 0))
        best = h;
    }
  return best;
}

static void
_pick_health (FlStore           *store,
              FlCustomerProfile *profile,
              gint64             now)
{
  g_autofree char *week = fl_iso_week_format (now, fl_store_get_time_zone (store));
  const FlHealth *current = NULL;
  const FlHealth *previous = NULL;

  g_strlcpy (profile->week, week, sizeof profile->week);
  current = _latest_health (profile->customer->health, week);
  if (current == NULL)
    return;
  profile->has_health = TRUE;
  profile->health = *current;

  if (_week_minus (current->week, FL_CUSTOMER_PROFILE_COMPARE_WEEKS, profile->compare_week))
    previous = _latest_health (profile->customer->health, profile->compare_week);
  if (previous != NULL)
    {
      profile->has_previous = TRUE;
      profile->previous = *previous;
    }
}

static gboolean
_load_visits (FlStore           *store,
              FlCustomerProfile *profile,
              gint64             now,
              guint              max_visits,
              GError           **error)
{
  /* visits_by_customer (customer, start, id, …) walked backwards: no sort. */
  static const char visits_sql[] =
    "SELECT id, rep, start, \"end\", uploaded, pain_keywords, committed_action, "
    "  next_follow_up, prev_action_achieved, photos, competitor_price, shelf_share, "
    "  (SELECT name FROM reps WHERE reps.id = visits.rep) "
    "FROM visits WHERE customer = ?1 AND start <= ?2 "
    "ORDER BY start DESC, id DESC LIMIT ?3";
  static const char count_sql[] =
    "SELECT COUNT(*) FROM visits WHERE customer = ?1 AND start <= ?2";
  const char *id = profile->customer->id;
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) count_stmt = NULL;
  int rc;

  if (!(count_stmt = _fl_store_prepare (store, count_sql, error)))
    return FALSE;
  sqlite3_bind_text (count_stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (count_stmt, 2, now);
  if (sqlite3_step (count_stmt) != SQLITE_ROW)
    return _fl_store_fail (store, error, _("Could not count the visits of customer %s"), id);
  profile->n_visits = sqlite3_column_int (count_stmt, 0);

  if (!(stmt = _fl_store_prepare (store, visits_sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, max_visits);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(FlProfileVisit) item = g_new0 (FlProfileVisit, 1);
      FlVisit *visit = g_new0 (FlVisit, 1);

      item->visit = visit;
      visit->id = _column_dup (stmt, 0);
      visit->customer = g_strdup (id);
      visit->rep = _column_dup (stmt, 1);
      visit->start = sqlite3_column_int64 (stmt, 2);
      visit->end = sqlite3_column_int64 (stmt, 3);
      visit->uploaded = sqlite3_column_int64 (stmt, 4);
      visit->pain_keywords = _keywords_from_json ((const char *) sqlite3_column_text (stmt, 5));
      visit->committed_action = _column_dup (stmt, 6);
      visit->has_next_follow_up = !_column_is_null (stmt, 7);
      visit->next_follow_up = sqlite3_column_int64 (stmt, 7);
      if (_column_is_null (stmt, 8))
        visit->prev_action_achieved = FL_ACHIEVED_NULL;
      else
        visit->prev_action_achieved = sqlite3_column_int (stmt, 8) ? FL_ACHIEVED_TRUE
                                                                   : FL_ACHIEVED_FALSE;
      visit->photos = _column_is_null (stmt, 9) ? -1 : sqlite3_column_int (stmt, 9);
      visit->has_competitor_price = !_column_is_null (stmt, 10);
      visit->competitor_price = sqlite3_column_double (stmt, 10);
      visit->has_shelf_share = !_column_is_null (stmt, 11);
      visit->shelf_share = sqlite3_column_double (stmt, 11);
      visit->pitches = g_array_new (FALSE, TRUE, sizeof (FlPitch));
      item->rep_name = _column_dup (stmt, 12);

      if (visit->pain_keywords == NULL)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                       _("Could not read visit %s: its stored pain keywords are corrupt"),
                       visit->id);
          return FALSE;
        }
      g_ptr_array_add (profile->visits, g_steal_pointer (&item));
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the visits of customer %s"), id);

  return TRUE;
}

static gboolean
_load_opportunities (FlStore           *store,
                     FlCustomerProfile *profile,
                     gint64             now,
                     GError           **error)
{
  static const char sql[] =
    "SELECT id, value, custom_requirement, last_progress FROM opportunities "
    "WHERE customer = ?1 AND stage = 'open' ORDER BY value DESC, id";
  const char *id = profile->customer->id;
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlProfileOpportunity *item = g_new0 (FlProfileOpportunity, 1);
      FlOpportunity *opportunity = g_new0 (FlOpportunity, 1);

      opportunity->id = _column_dup (stmt, 0);
      opportunity->customer = g_strdup (id);
      opportunity->value = sqlite3_column_double (stmt, 1);
      opportunity->stage = FL_STAGE_OPEN;
      opportunity->custom_requirement = sqlite3_column_int (stmt, 2) != 0;
      opportunity->last_progress = sqlite3_column_int64 (stmt, 3);
      item->opportunity = opportunity;
      /* The stall rule's count of whole days; progress recorded after now
       * (a replay of the past) counts as none. */
      item->days_idle = (int) MAX (0, fl_floor_div (now - opportunity->last_progress,
                                                  SECONDS_PER_DAY));
      g_ptr_array_add (profile->opportunities, item);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the opportunities of customer %s"),
                           id);

  return TRUE;
}

/* The latest value of @column among the customer's visits up to @now. */
static gboolean
_load_latest (FlStore       *store,
              const char    *sql,
              const char    *customer_id,
              gint64         now,
              gboolean      *out_has,
              double        *out_value,
              gint64        *out_time,
              char         **out_visit,
              GError       **error)
{
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_has = TRUE;
      *out_value = sqlite3_column_double (stmt, 0);
      *out_time = sqlite3_column_int64 (stmt, 1);
      *out_visit = _column_dup (stmt, 2);
    }
  else if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error,
                           _("Could not read the competitor notes of customer %s"),
                           customer_id);
  return TRUE;
}

static gboolean
_load_competitor_notes (FlStore           *store,
                        FlCustomerProfile *profile,
                        gint64             now,
                        GError           **error)
{
#define LATEST_SQL(column) \
  "SELECT " column ", start, id FROM visits " \
  "WHERE customer = ?1 AND start <= ?2 AND " column " IS NOT NULL " \
  "ORDER BY start DESC, id DESC LIMIT 1"
  static const char price_sql[] = LATEST_SQL ("competitor_price");
  static const char share_sql[] = LATEST_SQL ("shelf_share");
#undef LATEST_SQL
  const char *id = profile->customer->id;

  return _load_latest (store, price_sql, id, now, &profile->has_competitor_price,
                       &profile->competitor_price, &profile->competitor_price_time,
                       &profile->competitor_price_visit, error) &&
         _load_latest (store, share_sql, id, now, &profile->has_shelf_share,
                       &profile->shelf_share, &profile->shelf_share_time,
                       &profile->shelf_share_visit, error);
}

/* public API */

FlCustomerProfile *
fl_customer_profile_load (FlStore     *store,
                          const char  *customer_id,
                          gint64       now,
                          guint        max_visits,
                          GError     **error)
{
  g_autoptr(FlCustomerProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;
  FlCustomer *customer;
  FlRep *owner;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(customer = fl_store_get_customer (store, customer_id, error)))
    return NULL;

  profile = g_new0 (FlCustomerProfile, 1);
  profile->customer = customer;
  profile->visits = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_profile_visit_free);
  profile->opportunities =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fl_profile_opportunity_free);

  /* An owner missing from the cache is shown by id; a failing cache is an error. */
  owner = fl_store_get_rep (store, customer->owner_rep, &local_error);
  if (owner != NULL)
    {
      profile->owner_name = g_strdup (owner->name);
      fl_rep_free (owner);
    }
  else if (!g_error_matches (local_error, FL_ERROR, FL_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  profile->region_name = fl_store_dup_region_name (store, customer->region);

  _pick_health (store, profile, now);

  if (!_load_visits (store, profile, now, max_visits, error) ||
      !_load_opportunities (store, profile, now, error) ||
      !_load_competitor_notes (store, profile, now, error))
    return NULL;

  return g_steal_pointer (&profile);
}
