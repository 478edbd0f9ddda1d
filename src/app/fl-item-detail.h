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
/* The breadcrumb under the title, e.g. "金华市 › Customer churn". */
const char         *fl_item_detail_get_breadcrumb   (FlItemDetail *self);

/* Properties: "context", "alert-id". The evidence follows the context's
 * "changed". Signal: "back" () — the back button was clicked. */

G_END_DECLS
