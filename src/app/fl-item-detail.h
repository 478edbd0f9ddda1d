/* fl-item-detail.h — one alert: the rule that fired, its evidence, rank and advice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"

G_BEGIN_DECLS

#define FL_TYPE_ITEM_DETAIL (fl_item_detail_get_type ())
G_DECLARE_FINAL_TYPE (FlItemDetail, fl_item_detail, FL, ITEM_DETAIL, GtkWidget)

GtkWidget          *fl_item_detail_new              (void);
FlContext          *fl_item_detail_get_context      (FlItemDetail *self);
void                fl_item_detail_set_context      (FlItemDetail *self,
                                                     FlContext    *context);
/* @alert_id: an alert of the context's evaluation, or NULL to clear. */
const char         *fl_item_detail_get_alert_id     (FlItemDetail *self);
void                fl_item_detail_set_alert_id     (FlItemDetail *self,
                                                     const char   *alert_id);
/* The ids of the entities shown as evidence, in the order shown
 * (churn: the two visits, older first; stall: the opportunity; gap: the
 * category). NULL-terminated, never NULL. */
const char * const *fl_item_detail_get_evidence_ids (FlItemDetail *self);
/* Where the item is, e.g. "金华市 › Customer churn". */
const char         *fl_item_detail_get_breadcrumb   (FlItemDetail *self);
/* The item's crumb in the region pane's breadcrumbs: its category, e.g.
 * "Customer churn"; NULL when no item is shown. */
const char         *fl_item_detail_get_title        (FlItemDetail *self);
/* Gap: the team's reps of "Which reps pull the rate down" (fl_team_rep_rates()
 * order, all of them, also those beyond the rows shown); else empty. Never NULL. */
const char * const *fl_item_detail_get_rep_ids      (FlItemDetail *self);

/* Properties: "context", "alert-id". The evidence follows the context's
 * "changed". The page has no header: the region pane shows back and
 * breadcrumbs above it. Links (fl-subject-page.h): the churn customer, the
 * visits' reps, the stall opportunity, the gap category and the team's reps.
 * Signal: "open-link" (const char *link) — a link row was activated. */

G_END_DECLS
