/* fl-window.h — the main window: header bar, war map, region pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include "fl-context.h"
#include "fl-map-view.h"
#include "fl-region-pane.h"

G_BEGIN_DECLS

#define FL_TYPE_WINDOW (fl_window_get_type ())
G_DECLARE_FINAL_TYPE (FlWindow, fl_window, FL, WINDOW, AdwApplicationWindow)

/* @application: nullable (tests build a window without one). */
FlWindow     *fl_window_new                (GtkApplication *application,
                                            FlContext      *context);
FlContext    *fl_window_get_context        (FlWindow       *self);
FlMapView    *fl_window_get_map_view       (FlWindow       *self);
FlRegionPane *fl_window_get_region_pane    (FlWindow       *self);

/* Selects @code on the map and opens its pane. */
void          fl_window_show_region        (FlWindow       *self,
                                            const char     *code);
void          fl_window_close_pane         (FlWindow       *self);
gboolean      fl_window_get_pane_open      (FlWindow       *self);

/* TRUE once "first-frame" was emitted: the map reported "ready" and one more
 * frame was painted after it (with the pane, if open, filled). */
gboolean      fl_window_get_first_frame_done (FlWindow     *self);
/* Waits for (and emits "first-frame" after) another complete frame, e.g. after
 * a resize. */
void          fl_window_rearm_first_frame  (FlWindow       *self);

/* Renders the window as it is now (for --screenshot and the ui tests). */
GdkTexture   *fl_window_render_texture     (FlWindow       *self,
                                            GError        **error);

/* Signal: "first-frame" () — once. Action: "win.close-pane" (Escape). */

G_END_DECLS
