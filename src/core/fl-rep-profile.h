/* fl-rep-profile.h — a rep's activity and conversion, and a team's reps for a gap alert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "fl-rules.h"
#include "fl-store.h"

G_BEGIN_DECLS

/* One rep's conversion for one category over a time range: pitches in the
 * visits that started in [start, end), signed among them. rate is
 * signed / pitched (0 when pitched is 0: check pitched first). */
typedef struct {
  char   *rep_id;
  char   *rep_name;
  guint   pitched;
  guint   signed_;
  double  rate;
} FlRepRate;

void fl_rep_rate_free (FlRepRate *rate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlRepRate, fl_rep_rate_free)

/* For a gap alert's detail ("which reps pull the rate down", SPEC §4.3): every
 * rep of @region's team with their conversion in @category over [@start, @end)
 * (use the alert's ISO week), including reps with no pitches (pitched 0).
 * Ordered by how much each rep pulls the team's rate down: reps with pitches
 * first, by (rate − @province_rate) × pitched ascending (the biggest shortfall
 * first), ties by rep id; reps without pitches last, by id.
 * Returns a GPtrArray of FlRepRate (free func set), or NULL with FL_ERROR_STORE
 * / FL_ERROR_NOT_FOUND (unknown region or category). */
GPtrArray *fl_team_rep_rates (FlStore    *store,
                              const char *region,
                              const char *category,
                              gint64      start,
                              gint64      end,
                              double      province_rate,
                              GError    **error);

/* The rep's own profile (the rep page, SPEC §2.4). */

/* Days of the visits-per-day chart, ending on now's day. */
#define FL_REP_PROFILE_DAYS 14
/* Complete ISO weeks of the conversion figures, ending before now's week. */
#define FL_REP_PROFILE_WEEKS 4

/* Conversion in one product category over the profile's period: the rep's,
 * the rep's team's (the pitches of the rep's region, pooled over its reps, as
 * the gap rule counts them) and the province's. Each rate is signed / pitched,
 * 0 when pitched is 0 (check pitched first). */
typedef struct {
  char   *category;          /* category id */
  char   *category_name;     /* its name, or the id when it is not in the cache */
  guint   rep_pitched;
  guint   rep_signed;
  double  rep_rate;
  guint   team_pitched;
  guint   team_signed;
  double  team_rate;
  guint   province_pitched;
  guint   province_signed;
  double  province_rate;
} FlCategoryConversion;

void fl_category_conversion_free (FlCategoryConversion *conversion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlCategoryConversion, fl_category_conversion_free)

typedef struct {
  FlRep      *rep;
  char       *region_name;     /* NULL when the rep's region is not in the cache */

  /* Visits by the rep that started at or before now, per local day (the
   * store's time zone) of their start: [0] is first_day (a day number, see
   * fl-time.h), [FL_REP_PROFILE_DAYS − 1] is now's day (up to now). */
  gint32      first_day;
  guint       visits_per_day[FL_REP_PROFILE_DAYS];

  /* The FL_REP_PROFILE_WEEKS complete ISO weeks before the week containing
   * now: pitches of visits that started in [period_start, period_end). */
  gint64      period_start;
  gint64      period_end;
  /* One row per category that the rep or the rep's team pitched in the
   * period (categories of unresolved pitches are left out), by category id. */
  GPtrArray  *conversions;     /* FlCategoryConversion* */

  /* The customers the rep owns and their opportunities (sets of ids). */
  guint       n_customers;
  GHashTable *customers;
  GHashTable *opportunities;
} FlRepProfile;

/* Loads the profile of @rep_id as seen at @now. Returns NULL with
 * FL_ERROR_NOT_FOUND (unknown rep) or FL_ERROR_STORE.
 *
 * Cost: the rep's visits through visits_by_rep, the rep's customers (a scan
 * of customers: there is no index on owner_rep), and the weekly pitch totals
 * per region and category, which need a scan of pitches_by_week per week
 * (~12 ms a week at 1,000,000 visits): those are kept with @store, per week,
 * and read again only after the cache has changed (PRAGMA data_version and
 * this connection's own writes). */
FlRepProfile *fl_rep_profile_load          (FlStore       *store,
                                            const char    *rep_id,
                                            gint64         now,
                                            GError       **error);
void          fl_rep_profile_free          (FlRepProfile  *profile);

/* The rep's conversion row for @category, or NULL. */
const FlCategoryConversion *
              fl_rep_profile_find_category (const FlRepProfile *profile,
                                            const char         *category);

/* The pending alerts of @evaluation that concern the rep, in ranking order
 * (fl_alert_compare_rank): churn on a customer the rep owns, stall on an
 * opportunity of such a customer, and gap in the rep's region for a category
 * the rep pitched in the profile's period (rep_pitched > 0; the period holds
 * the two weeks of a gap alert evaluated at the same now). Borrowed
 * pointers into @evaluation. */
GPtrArray    *fl_rep_profile_pending_alerts (const FlRepProfile *profile,
                                             FlEvaluation       *evaluation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlRepProfile, fl_rep_profile_free)

G_END_DECLS
