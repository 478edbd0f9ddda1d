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
/* Back from the item detail to the region; FALSE when already there. */
gboolean            fl_region_pane_navigate_back (FlRegionPane *self);
/* Number of rows of the full pending list and of the actioned list. */
guint               fl_region_pane_get_n_pending_rows  (FlRegionPane *self);
guint               fl_region_pane_get_n_actioned_rows (FlRegionPane *self);

/* Properties: "context", "region" (string), "folded" (boolean: a back button
 * instead of a close button, for the narrow layout). Both buttons activate
 * "win.close-pane". */

G_END_DECLS
