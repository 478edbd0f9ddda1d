/* fl-region-pane.h — one prefecture: status, counts, TOP 3 and the full list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"

G_BEGIN_DECLS

#define FL_TYPE_REGION_PANE (fl_region_pane_get_type ())
G_DECLARE_FINAL_TYPE (FlRegionPane, fl_region_pane, FL, REGION_PANE, GtkWidget)

GtkWidget          *fl_region_pane_new          (void);
FlContext          *fl_region_pane_get_context  (FlRegionPane *self);
void                fl_region_pane_set_context  (FlRegionPane *self,
                                                 FlContext    *context);
const char         *fl_region_pane_get_region   (FlRegionPane *self);
/* @code: a region code, or NULL to clear. */
void                fl_region_pane_set_region   (FlRegionPane *self,
                                                 const char   *code);
gboolean            fl_region_pane_get_folded   (FlRegionPane *self);
void                fl_region_pane_set_folded   (FlRegionPane *self,
                                                 gboolean      folded);
/* The alert ids of the TOP 3 rows as shown, in order (NULL-terminated, never NULL). */
const char * const *fl_region_pane_get_top_ids  (FlRegionPane *self);

/* Navigation. The pane holds a stack of pages: the region's own (depth 0),
 * then item details and subject pages (customer, rep, category, pilot), with
 * back and breadcrumbs ("金华市 › 张XX超市 › 李四") above them.
 *
 * Opens @link (fl-subject-page.h) above the page shown; the pages that were
 * above it go, as in a browser. An opportunity opens its customer's page with
 * it highlighted. A subject of another region switches the pane to that
 * region first, and the breadcrumbs start again from it (a trail never mixes
 * regions; the map selects the region of the first crumb, see "region").
 * A category (province-wide) opens in the region shown; a pilot in the region
 * shown when it runs there, else in its first region. Returns FALSE and
 * changes nothing for an unknown kind or id. Pages emit "open-link", which
 * comes here too. */
gboolean            fl_region_pane_open_link    (FlRegionPane *self,
                                                 const char   *link);
/* One page back (Alt+←, Escape); FALSE on the region's page. */
gboolean            fl_region_pane_navigate_back (FlRegionPane *self);
/* Back to the page at @depth (a crumb's click); FALSE unless @depth is below the
 * page shown. */
gboolean            fl_region_pane_navigate_to  (FlRegionPane *self,
                                                 guint         depth);
/* The page shown: 0 for the region's page. */
guint               fl_region_pane_get_depth    (FlRegionPane *self);
/* The widget of the page shown (FlItemDetail, FlCustomerPage … or the region's
 * page) and its link (NULL for the region's page). */
GtkWidget          *fl_region_pane_get_visible_page (FlRegionPane *self);
const char         *fl_region_pane_get_visible_link (FlRegionPane *self);
/* The crumbs' full texts, region first, up to the page shown (free with g_strfreev). */
char              **fl_region_pane_dup_breadcrumbs  (FlRegionPane *self);
/* Number of items of the full pending list and of the actioned list (a long
 * list shows its first 10 rows and "Show All N Items"). */
guint               fl_region_pane_get_n_pending_rows  (FlRegionPane *self);
guint               fl_region_pane_get_n_actioned_rows (FlRegionPane *self);
/* FALSE while the rows of the full lists of a region just shown wait for the
 * frame after its first one (which shows the status, counts and TOP 3 only):
 * they are out of view, and building them would delay that frame. FALSE too
 * while the pane waits to show a change of the context (an execution): the
 * frame after the one that shows it on the map. */
gboolean            fl_region_pane_get_lists_filled    (FlRegionPane *self);

/* Properties: "context", "region" (string; notifies also when a link switches
 * the region), "folded" (boolean: on the region's page a back button instead
 * of a close button, for the narrow layout). Closing activates "win.close-pane". */

G_END_DECLS
