/* fl-category-page.h — one product category: pitches and signings by region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"
#include "fl-subject-page.h"

G_BEGIN_DECLS

#define FL_TYPE_CATEGORY_PAGE (fl_category_page_get_type ())
G_DECLARE_FINAL_TYPE (FlCategoryPage, fl_category_page, FL, CATEGORY_PAGE, GtkWidget)

GtkWidget  *fl_category_page_new             (void);
FlContext  *fl_category_page_get_context     (FlCategoryPage *self);
void        fl_category_page_set_context     (FlCategoryPage *self,
                                              FlContext      *context);
/* @id: a product category id, or NULL; unknown → a "not found" status page. */
const char *fl_category_page_get_category_id (FlCategoryPage *self);
void        fl_category_page_set_category_id (FlCategoryPage *self,
                                              const char     *id);
/* The category's name, or NULL. */
const char *fl_category_page_get_title       (FlCategoryPage *self);

/* Properties: "context", "category-id", "title" (read-only).
 * Signal: "open-link" (const char *link). */

G_END_DECLS
