/* fl-category-profile.h — a product category by region, and a pitch pilot's results so far
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "fl-rules.h"
#include "fl-store.h"

G_BEGIN_DECLS

/* Pitches and signings over some range; rate is signed / pitched, 0 when
 * pitched is 0 (check pitched first). */
typedef struct {
  guint   pitched;
  guint   signed_;
  double  rate;
} FlConversion;

/* Where a category flows in a region, against the province (same window). */
typedef enum
{
  FL_FLOW_OK,              /* pitched enough, rate at or above ratio × province rate */
  FL_FLOW_BELOW,           /* ≥ min pitches and rate < ratio × province rate */
  FL_FLOW_FEW_PITCHES,     /* pitched, but fewer than min pitches: too few to judge */
  FL_FLOW_NOT_PITCHED,     /* no pitch at all */
} FlFlow;

typedef struct {
  char         *code;
  char         *name;
  FlConversion  conversion;
  FlFlow        flow;
} FlCategoryRegion;

typedef struct {
  char         *id;
  char         *name;
  FlConversion  conversion;
} FlCategoryProduct;

typedef struct {
  char         *id;
  char         *name;
  double        avg_order_value;
  /* The window: the @n_weeks complete ISO weeks before the week containing
   * now (store time zone), [start, end); first_week/last_week "2026-W47". */
  guint         n_weeks;
  gint64        start;
  gint64        end;
  char         *first_week;
  char         *last_week;
  /* The thresholds the flows were judged with: gap_ratio, and
   * min_pitches = gap_min_pitches × n_weeks. */
  double        gap_ratio;
  guint         min_pitches;
  FlConversion  province;      /* the sum over regions */
  GPtrArray    *regions;       /* FlCategoryRegion*: every region of the store, by code */
  GPtrArray    *products;      /* FlCategoryProduct*: the category's products, by id */
} FlCategoryProfile;

/**
 * fl_category_profile_load:
 * @store: the cache
 * @category_id: a product category id
 * @now: the evaluation time
 * @n_weeks: the window, 1 (the last complete week, the gap rule's unit) to 8
 * @settings: (nullable): gap_ratio and gap_min_pitches (NULL: the defaults)
 * @error: return location for a #GError
 *
 * Pitches of the category's products in the visits that started in the
 * @n_weeks complete ISO weeks before the week containing @now, counted like
 * the gap rule (FORMATS.md §2): by the rep's region, pitches whose rep or
 * product is not in the cache left out. Per region of the store (ordered by
 * code, regions without pitches included) with its flow; the province as the
 * sum of the regions; per product of the category (ordered by id, products
 * without pitches included).
 *
 * Reads the covering index pitches_by_week (one search per week × region) for
 * the regions. The products need each pitch's product, which no index of
 * schema 3 covers: with an index on pitches (category, week, product, signed,
 * region) the query is covered; without it, it reads the pitches' rows.
 *
 * Returns: (transfer full): the profile, or %NULL with %FL_ERROR_NOT_FOUND
 * (unknown category) or %FL_ERROR_STORE
 */
FlCategoryProfile *fl_category_profile_load (FlStore              *store,
                                             const char           *category_id,
                                             gint64                now,
                                             guint                 n_weeks,
                                             const FlRuleSettings *settings,
                                             GError              **error);
void               fl_category_profile_free (FlCategoryProfile    *profile);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlCategoryProfile, fl_category_profile_free)

/* A pitch pilot lasts FL_PILOT_DAYS days: start … start + 13 (FORMATS.md §5). */
#define FL_PILOT_DAYS 14

typedef enum
{
  FL_PILOT_NOT_STARTED,
  FL_PILOT_RUNNING,
  FL_PILOT_ENDED,
} FlPilotState;

typedef struct {
  char         *code;
  char         *name;          /* the code when the region is not in the cache */
  FlConversion  before;
  FlConversion  during;
} FlPilotRegion;

typedef struct {
  char          *id;
  char          *title;
  char          *owner_id;
  char          *owner_name;   /* nullable: the rep is not in the cache */
  gint32         start_day;    /* day numbers (fl_date_parse) */
  gint32         last_day;     /* start_day + 13 */
  GPtrArray     *regions;      /* FlPilotRegion*, in the pilot's order */

  /* At now (store time zone). */
  FlPilotState   state;
  int            day;          /* running: 1 … 14, today's day of the pilot; else 0 */
  gboolean       ends_this_week; /* last_day is in the ISO week containing now */

  /* Before/after, all categories pooled over the pilot's regions: the
   * pilot's complete days so far, [during_start, during_end) with
   * n_days = min (today − start_day, 14) (0 before the end of its first
   * day), against the same number of days right before it,
   * [before_start, during_start). Pitches counted by visit start and the
   * rep's region, like the gap rule. */
  int            n_days;
  gint64         before_start;
  gint64         during_start;
  gint64         during_end;
  FlConversion   before;
  FlConversion   during;
} FlPilotProfile;

/**
 * fl_pilot_profile_load:
 * @store: the cache
 * @pilot_id: a pilot id
 * @now: the evaluation time
 * @error: return location for a #GError
 *
 * The pilot, its state at @now and its before/after conversion (see
 * #FlPilotProfile). Whole ISO weeks inside a window are counted from the
 * covering index pitches_by_week; the days of a week cut by a window's edge
 * need the pitches' start, read from their rows unless an index on pitches
 * (region, start, signed) exists, which then covers every window.
 *
 * Returns: (transfer full): the profile, or %NULL with %FL_ERROR_NOT_FOUND
 * (unknown pilot) or %FL_ERROR_STORE
 */
FlPilotProfile    *fl_pilot_profile_load    (FlStore              *store,
                                             const char           *pilot_id,
                                             gint64                now,
                                             GError              **error);
void               fl_pilot_profile_free    (FlPilotProfile       *profile);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlPilotProfile, fl_pilot_profile_free)

G_END_DECLS
