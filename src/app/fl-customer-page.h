/* fl-customer-page.h — one customer: health radar, visit timeline, opportunities, alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"
#include "fl-subject-page.h"

G_BEGIN_DECLS

#define FL_TYPE_CUSTOMER_PAGE (fl_customer_page_get_type ())
G_DECLARE_FINAL_TYPE (FlCustomerPage, fl_customer_page, FL, CUSTOMER_PAGE, GtkWidget)

GtkWidget  *fl_customer_page_new             (void);
FlContext  *fl_customer_page_get_context     (FlCustomerPage *self);
void        fl_customer_page_set_context     (FlCustomerPage *self,
                                              FlContext      *context);
/* @id: a customer id, or NULL to clear. An unknown id shows a "not found"
 * status page, never a crash. */
const char *fl_customer_page_get_customer_id (FlCustomerPage *self);
void        fl_customer_page_set_customer_id (FlCustomerPage *self,
                                              const char     *id);
/* Nullable: an opportunity of the customer to scroll to and highlight. */
void        fl_customer_page_set_highlight   (FlCustomerPage *self,
                                              const char     *opportunity_id);
/* The customer's name (the breadcrumb's crumb), or NULL when none is shown. */
const char *fl_customer_page_get_title       (FlCustomerPage *self);

/* Properties: "context", "customer-id", "title" (read-only).
 * Signal: "open-link" (const char *link), see fl-subject-page.h. */

G_END_DECLS
