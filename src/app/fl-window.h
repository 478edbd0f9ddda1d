/* fl-window.h — the main window: header bar, war map, region pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include "fl-context.h"
#include "fl-map-view.h"
#include "fl-preferences-window.h"
#include "fl-region-pane.h"
#include "fl-sync-indicator.h"

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
/* Opens @link (fl-subject-page.h: "customer:<id>", "alert:<id>" …) in the
 * region pane: selects the subject's region on the map, opens the pane and
 * pushes the page (fl_region_pane_open_link()). FALSE, and nothing changes,
 * for an unknown kind or id. */
gboolean      fl_window_open_link          (FlWindow       *self,
                                            const char     *link);
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

FlSyncIndicator *fl_window_get_sync_indicator (FlWindow     *self);
/* The caption over the map ("Data as of 3 hours ago"), NULL when hidden, and
 * whether it warns that the data is older than "stale-after-hours". */
const char   *fl_window_get_data_age_text  (FlWindow       *self);
gboolean      fl_window_get_data_age_stale (FlWindow       *self);
/* TRUE while the first-run welcome page replaces the map. */
gboolean      fl_window_get_welcome_shown  (FlWindow       *self);
/* Opens (or raises) the preferences, transient for @self. */
FlPreferencesWindow *fl_window_show_preferences (FlWindow *self);
/* Takes @toast (floating). */
void          fl_window_add_toast          (FlWindow       *self,
                                            AdwToast       *toast);

/* The toast offering to undo the last execution while it is shown, else NULL. */
AdwToast     *fl_window_get_undo_toast     (FlWindow       *self);
/* The toast saying why the server refused an action, while it is shown, else NULL. */
AdwToast     *fl_window_get_rejection_toast (FlWindow      *self);

/* Signal: "first-frame" () — once. Actions: "win.close-pane" (Escape),
 * "win.sync" (Ctrl+R; enabled while signed in and not syncing),
 * "win.explore-demo" (the welcome page's "Explore the Demo"),
 * "win.execute-alert" (s: "ALERT-ID" for the suggestion, "ALERT-ID|kind" with
 * a wire name of FORMATS.md; a toast offers Undo), "win.undo-action" (s: an
 * action id), "win.open-link" (s: a link, fl_window_open_link()),
 * "win.navigate-back" (Alt+←: one page back in the pane; Escape also steps
 * back a page before it closes the pane). */

G_END_DECLS
