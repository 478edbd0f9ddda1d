/* fl-customer-profile.h — one customer's page: health, visits, opportunities, competitors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "fl-store.h"

G_BEGIN_DECLS

/* How many weeks back the radar's comparison snapshot is taken. */
#define FL_CUSTOMER_PROFILE_COMPARE_WEEKS 3

/* One visit of the timeline with its rep's name. */
typedef struct {
  FlVisit *visit;          /* owned; its pitches are not loaded (empty array) */
  char    *rep_name;       /* NULL when the rep is not in the cache */
} FlProfileVisit;

void fl_profile_visit_free (FlProfileVisit *visit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlProfileVisit, fl_profile_visit_free)

/* One open opportunity of the customer. */
typedef struct {
  FlOpportunity *opportunity;    /* owned */
  int            days_idle;      /* whole days from its last progress to now, ≥ 0 */
} FlProfileOpportunity;

void fl_profile_opportunity_free (FlProfileOpportunity *opportunity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlProfileOpportunity, fl_profile_opportunity_free)

typedef struct {
  /* The customer; its health array holds every stored snapshot. */
  FlCustomer *customer;
  char       *owner_name;        /* NULL when the owner rep is not in the cache */
  char       *region_name;       /* NULL when the region is not in the cache */

  /* Health: the snapshot of the ISO week of now (store time zone), or the
   * latest one before it; then the latest snapshot at or before the week
   * FL_CUSTOMER_PROFILE_COMPARE_WEEKS weeks before that one's week. */
  char        week[12];          /* the ISO week of now, "2026-W48" */
  gboolean    has_health;
  FlHealth    health;
  char        compare_week[12];  /* with has_health: the week the comparison aims at */
  gboolean    has_previous;
  FlHealth    previous;          /* its week is compare_week or an earlier one */

  /* Visits that started at or before now: the newest max_visits (start
   * descending, then id descending, the churn rule's order), and how many
   * there are in all. */
  GPtrArray  *visits;            /* FlProfileVisit* */
  guint       n_visits;

  /* Open opportunities, value descending, then id. */
  GPtrArray  *opportunities;     /* FlProfileOpportunity* */

  /* Competitor notes: the latest competitor price and shelf share recorded
   * at a visit that started at or before now (each from its own visit). */
  gboolean    has_competitor_price;
  double      competitor_price;
  gint64      competitor_price_time;     /* that visit's start */
  char       *competitor_price_visit;    /* that visit's id */
  gboolean    has_shelf_share;
  double      shelf_share;               /* 0..1 */
  gint64      shelf_share_time;
  char       *shelf_share_visit;
} FlCustomerProfile;

/* Loads the profile of @customer_id as seen at @now. Returns NULL with
 * FL_ERROR_NOT_FOUND (unknown customer) or FL_ERROR_STORE. Reads only
 * through the per-customer indexes: a few ms on a 1,000,000-visit cache. */
FlCustomerProfile *fl_customer_profile_load (FlStore     *store,
                                             const char  *customer_id,
                                             gint64       now,
                                             guint        max_visits,
                                             GError     **error);
void               fl_customer_profile_free (FlCustomerProfile *profile);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlCustomerProfile, fl_customer_profile_free)

G_END_DECLS
