/* fl-category-page.h — one product category: pitches and signings by region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"
#include "fl-loading-page.h"
#include "fl-subject-page.h"

G_BEGIN_DECLS

#define FL_TYPE_CATEGORY_PAGE (fl_category_page_get_type ())
G_DECLARE_FINAL_TYPE (FlCategoryPage, fl_category_page, FL, CATEGORY_PAGE, FlLoadingPage)

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

/* Added: TRUE while the category's figures are read in a worker (a cache
 * file; the in-memory demo loads at once and is never "loading"). The page
 * shows the category's name and a spinner meanwhile; when it turns FALSE the
 * page shows the figures, or the not-found state. Property "loading"
 * (read-only, notifies). */
gboolean    fl_category_page_get_loading     (FlCategoryPage *self);

/* Added by the page's implementer: the bar its region rows draw, also used
 * by the pilot page. A horizontal bar whose length is @pitched against
 * @scale_max (the longest bar of its list), with the signed part filled
 * solid and the rest light; the colour says the role (a status colour of
 * @palette), the row's words say it too. */
typedef enum
{
  FL_CONVERSION_BAR_NEUTRAL,   /* the theme's accent colour */
  FL_CONVERSION_BAR_GOOD,      /* the palette's green */
  FL_CONVERSION_BAR_BELOW,     /* the palette's yellow: a warning */
} FlConversionBarRole;

#define FL_TYPE_CONVERSION_BAR (fl_conversion_bar_get_type ())
G_DECLARE_FINAL_TYPE (FlConversionBar, fl_conversion_bar, FL, CONVERSION_BAR, GtkWidget)

GtkWidget  *fl_conversion_bar_new         (void);
void        fl_conversion_bar_set         (FlConversionBar     *self,
                                           guint                pitched,
                                           guint                signed_,
                                           guint                scale_max,
                                           FlConversionBarRole  role,
                                           FlPalette            palette);
guint       fl_conversion_bar_get_pitched (FlConversionBar     *self);
guint       fl_conversion_bar_get_signed  (FlConversionBar     *self);
FlConversionBarRole fl_conversion_bar_get_role (FlConversionBar *self);

G_END_DECLS
