/* fl-ui-test.h — scaffolding shared by the ui tests and bench-ui
 *
 * Opening the real window on the demo, spinning the main context until a condition (with a
 * failsafe timeout), walking the widget tree, rendering and saving screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-region-pane.h"

#include "fl-context.h"
#include "fl-window.h"

G_BEGIN_DECLS

/* The fixed "now" of every ui test: a Monday morning in the dataset's time zone. */
#define FL_UI_TEST_NOW "2026-11-23T09:00:00+08:00"

/* The failsafe of fl_ui_test_spin_until() unless fl_ui_test_set_failsafe() says otherwise. */
#define FL_UI_TEST_FAILSAFE_SECONDS 20

typedef gboolean (*FlUiTestPredicate) (gpointer data);

/* The start of a ui test's main(): g_test_init(), XDG_CACHE_HOME in a fresh temporary directory
 * made from @cache_tmpl (see fl_ui_test_use_cache_home()) and fl_ui_test_init_display(). Returns
 * whether a display could be opened. */
gboolean      fl_ui_test_init               (int        *argc,
                                             char     ***argv,
                                             const char *cache_tmpl);

/* g_test_run(), then the removal of the cache directory of fl_ui_test_init(). */
int           fl_ui_test_run                (void);

/* Initialises GTK and libadwaita with animations off (deterministic frames); FALSE when no
 * display can be opened (the tests then skip). */
gboolean      fl_ui_test_init_display       (void);

/* Creates a temporary directory from @tmpl (g_dir_make_tmp()) and points XDG_CACHE_HOME at it,
 * so that libshumate's tile cache stays out of the user's home; returns its path. */
char         *fl_ui_test_use_cache_home     (const char *tmpl);

/* FL_UI_TEST_NOW in Unix seconds. */
gint64        fl_ui_test_now                (void);

/* The demo dataset (default seed, scale 1) generated at FL_UI_TEST_NOW. */
FlDataset    *fl_ui_test_demo               (void);

/* A context on the demo imported into a store at @path (NULL: in memory), its clock fixed at
 * FL_UI_TEST_NOW and evaluated. */
FlContext    *fl_ui_test_make_context       (const char *path);

/* How long fl_ui_test_spin_until() waits before it aborts the test. */
void          fl_ui_test_set_failsafe       (guint seconds);
guint         fl_ui_test_get_failsafe       (void);

/* A GSourceFunc that sets the gboolean at @user_data and removes itself. */
gboolean      fl_ui_test_set_flag_cb        (gpointer user_data);

/* A predicate: the gboolean at @data is set. */
gboolean      fl_ui_test_flag_set           (gpointer data);

/* A predicate: the FlWindow @data has drawn its first complete frame. */
gboolean      fl_ui_test_first_frame_done   (gpointer data);

/* A predicate: the FlSyncClient @data is idle after at least one completed sync. */
gboolean      fl_ui_test_synced             (gpointer data);

/* Iterates the default main context until @predicate holds; aborts (g_error naming @what)
 * when the failsafe timeout passes first. */
void          fl_ui_test_spin_until         (FlUiTestPredicate predicate,
                                             gpointer          data,
                                             const char       *what);

/* A 1280×800 main window on @context, presented, once its first complete frame is drawn. */
FlWindow     *fl_ui_test_open_window        (FlContext *context);

/* Waits until @widget is mapped, queues a redraw and waits for its frame clock's next
 * after-paint. */
void          fl_ui_test_wait_for_frame     (GtkWidget *widget);

/* Waits until @widget's frame clock has ticked @n more times, queuing a redraw each turn. */
void          fl_ui_test_wait_ticks         (GtkWidget *widget,
                                             guint      n);

/* Appends to @out @widget (when it is of @type) and all its descendants of @type, in tree
 * order. */
void          fl_ui_test_collect            (GtkWidget *widget,
                                             GType      type,
                                             GPtrArray *out);

/* The same without @widget itself: only its descendants of @type, in tree order. */
void          fl_ui_test_collect_descendants (GtkWidget *widget,
                                              GType      type,
                                              GPtrArray *out);

/* The descendants of @widget of @type that have the style class @css_class (NULL: any), in
 * tree order (a new array, not owning the widgets). */
GPtrArray    *fl_ui_test_find_all           (GtkWidget  *widget,
                                             GType       type,
                                             const char *css_class);

/* @widget or its first descendant (depth first, in tree order) of @type with the style class
 * @css_class (NULL: any); NULL when there is none. */
GtkWidget    *fl_ui_test_find_first         (GtkWidget  *widget,
                                             GType       type,
                                             const char *css_class);

/* Spins until @pane shows the rows of its region and of the context's last
 * change (fl_region_pane_get_lists_filled ()): a region's full lists, and a
 * change (an execution), come in frames after the first. */
void          fl_ui_test_wait_for_pane      (FlRegionPane *pane);

/* The text @widget shows if it is a GtkLabel (its markup or text) or an FlText
 * (its plain text); NULL for any other widget. */
const char   *fl_ui_test_text_of            (GtkWidget  *widget);

/* Whether a drawable GtkLabel or FlText below @widget shows exactly @text
 * (see fl_ui_test_text_of ()). */
gboolean      fl_ui_test_shows_label        (GtkWidget  *widget,
                                             const char *text);

/* @widget (a toplevel) rendered through its paintable by its native's renderer. */
GdkTexture   *fl_ui_test_render_widget      (GtkWidget *widget);

/* Saves the window as NAME.png into $FIELDLIGHT_TEST_SCREENSHOTS (after a fresh frame,
 * through fl_window_render_texture()); nothing when the variable is unset or empty. */
void          fl_ui_test_maybe_save_window  (FlWindow   *window,
                                             const char *name);

/* An alert of @evaluation whose execution changes its region's colour: the only pending alert
 * of its category in a yellow region with one category (→ green), else in a red region with two
 * (→ yellow); NULL when there is none. @before and @after receive the two statuses. */
const FlAlert *fl_ui_test_pick_alert        (FlEvaluation   *evaluation,
                                             FlRegionStatus *before,
                                             FlRegionStatus *after);

/* The status whose GNOME palette colour is nearest the window's pixel at the label point of
 * region @code on the map (after a fresh frame, through fl_window_render_texture()). */
FlRegionStatus fl_ui_test_status_in_pixels  (FlWindow   *window,
                                             const char *code);

/* Deletes the directory @path and everything below it (not following links). */
void          fl_ui_test_remove_tree        (const char *path);

G_END_DECLS
