/* fl-map-view.h — the war map: libshumate map + the prefecture layer + legend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-core.h"

G_BEGIN_DECLS

typedef enum
{
  FL_PALETTE_GNOME,        /* #26a269 / #e5a50a / #c01c28 */
  FL_PALETTE_COLORBLIND,   /* Okabe–Ito #0072b2 / #e69f00 / #d55e00 */
} FlPalette;

#define FL_TYPE_MAP_VIEW (fl_map_view_get_type ())
G_DECLARE_FINAL_TYPE (FlMapView, fl_map_view, FL, MAP_VIEW, GtkWidget)

FlMapView  *fl_map_view_new                  (void);
/* @regions: FlRegion* (borrowed; the view keeps its own projected copy). */
void        fl_map_view_set_regions          (FlMapView    *self,
                                              GPtrArray    *regions);
/* Copies each region's status and pending count from @evaluation. */
void        fl_map_view_update               (FlMapView    *self,
                                              FlEvaluation *evaluation);
const char *fl_map_view_get_selected_region  (FlMapView    *self);
void        fl_map_view_set_selected_region  (FlMapView    *self,
                                              const char   *code);
void        fl_map_view_set_palette          (FlMapView    *self,
                                              FlPalette     palette);
/* Marks every tile as showing old data (see fl_region_layer_set_stale()). */
void        fl_map_view_set_stale            (FlMapView    *self,
                                              gboolean      stale);
/* Zooms and centres so the whole province fits the widget. */
void        fl_map_view_fit_province         (FlMapView    *self);
/* The region's label point in @self's widget coordinates. */
gboolean    fl_map_view_get_label_position   (FlMapView    *self,
                                              const char   *code,
                                              double       *x,
                                              double       *y);
/* TRUE once a frame with every region drawn has been produced (FALSE again
 * after set_regions() until the new regions have been drawn). */
gboolean    fl_map_view_get_ready            (FlMapView    *self);

/* Properties: "selected-region" (string), "palette" (int), "ready" (boolean).
 * Signals: "region-activated" (const char *code) — a click on a tile, or
 * Enter on the keyboard-focused tile; "region-dismissed" () — Escape. */

G_END_DECLS
