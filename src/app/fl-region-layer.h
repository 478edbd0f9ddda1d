/* fl-region-layer.h — the prefecture tiles of the war map, as a ShumateLayer
 *
 * Geometry is projected to Web Mercator once, in set_regions(); a frame only
 * applies the viewport's affine transform to outlines simplified for the
 * current zoom level. The layer is focusable: Tab and the arrow keys move a
 * focus between regions, Enter/space activate it, Escape dismisses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>
#include "fl-map-view.h"

G_BEGIN_DECLS

#define FL_TYPE_REGION_LAYER (fl_region_layer_get_type ())
G_DECLARE_FINAL_TYPE (FlRegionLayer, fl_region_layer, FL, REGION_LAYER, ShumateLayer)

FlRegionLayer *fl_region_layer_new                 (ShumateViewport *viewport);
/* @regions: FlRegion* (borrowed). Resets "ready". */
void           fl_region_layer_set_regions         (FlRegionLayer   *self,
                                                    GPtrArray       *regions);
void           fl_region_layer_update              (FlRegionLayer   *self,
                                                    FlEvaluation    *evaluation);
void           fl_region_layer_set_palette         (FlRegionLayer   *self,
                                                    FlPalette        palette);
FlPalette      fl_region_layer_get_palette         (FlRegionLayer   *self);
/* The opaque colour painted under the layer, if there is one. */
void           fl_region_layer_set_background      (FlRegionLayer   *self,
                                                    const GdkRGBA   *color);
/* Data older than the "stale-after-hours" setting: every tile washed and stippled. */
void           fl_region_layer_set_stale           (FlRegionLayer   *self,
                                                    gboolean         stale);
gboolean       fl_region_layer_get_stale           (FlRegionLayer   *self);
const char    *fl_region_layer_get_selected_region (FlRegionLayer   *self);
void           fl_region_layer_set_selected_region (FlRegionLayer   *self,
                                                    const char      *code);
/* The region under the pointer (NULL if none). */
const char    *fl_region_layer_get_hover_region    (FlRegionLayer   *self);
/* The hover summary (Pango markup): name, status, pending counts per category. */
char          *fl_region_layer_dup_summary         (FlRegionLayer   *self,
                                                    const char      *code);
/* The region that has the keyboard focus (NULL if none). */
const char    *fl_region_layer_get_focus_region    (FlRegionLayer   *self);
guint          fl_region_layer_get_n_regions       (FlRegionLayer   *self);
gboolean       fl_region_layer_get_ready           (FlRegionLayer   *self);
/* Web Mercator bounds ([0,1] × [0,1], y down) of all regions, or of one. */
gboolean       fl_region_layer_get_bounds          (FlRegionLayer   *self,
                                                    const char      *code,
                                                    graphene_rect_t *bounds);
/* Whether any tile overlaps @bounds (Web Mercator). */
gboolean       fl_region_layer_intersects          (FlRegionLayer         *self,
                                                    const graphene_rect_t *bounds);
/* Label point in the layer's widget coordinates. */
gboolean       fl_region_layer_get_label_position  (FlRegionLayer   *self,
                                                    const char      *code,
                                                    double          *x,
                                                    double          *y);
/* The region under a point in the layer's coordinates (NULL: the sea). */
const char    *fl_region_layer_get_region_at       (FlRegionLayer   *self,
                                                    double           x,
                                                    double           y);

/* Palette helpers shared with the legend. */
void           fl_palette_get_color                (FlPalette        palette,
                                                    FlRegionStatus   status,
                                                    GdkRGBA         *color);
/* Fills @cr's current path area with the tile pattern of @status (hatches). */
void           fl_region_draw_hatch                (cairo_t         *cr,
                                                    FlRegionStatus   status,
                                                    double           x0,
                                                    double           y0,
                                                    double           x1,
                                                    double           y1,
                                                    double           phase_x,
                                                    double           phase_y);
/* The status glyph (circle ✓, triangle !, octagon ‼) centred on @cx, @cy. */
void           fl_region_draw_status_icon          (cairo_t         *cr,
                                                    FlPalette        palette,
                                                    FlRegionStatus   status,
                                                    double           cx,
                                                    double           cy,
                                                    double           size);

G_END_DECLS
