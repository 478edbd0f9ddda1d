/* fl-weekly-window.h — this week's key-action list in a window: print, export as PDF and CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include "fl-context.h"

G_BEGIN_DECLS

#define FL_TYPE_WEEKLY_WINDOW (fl_weekly_window_get_type ())
G_DECLARE_FINAL_TYPE (FlWeeklyWindow, fl_weekly_window, FL, WEEKLY_WINDOW, AdwWindow)

/* The list kept for the week of the context's "now" (generated on first use,
 * then frozen for the week). @parent: nullable. */
FlWeeklyWindow     *fl_weekly_window_new          (GtkWindow       *parent,
                                                   FlContext       *context);
/* The list shown, NULL when it could not be loaded. Borrowed. */
const FlWeeklyList *fl_weekly_window_get_list     (FlWeeklyWindow  *self);
/* The rows shown for @section (GtkListBox of AdwActionRow, title = item title),
 * NULL when the section is empty or the list could not be loaded. */
GtkListBox         *fl_weekly_window_get_section  (FlWeeklyWindow  *self,
                                                   FlWeeklySection  section);
/* "fieldlight-2026-W48.pdf" / ".csv": the names the file chooser suggests. */
char               *fl_weekly_window_suggest_name (FlWeeklyWindow  *self,
                                                   const char      *extension);

/* What "Export as PDF…" / "Export as CSV…" write to the chosen @path. */
gboolean            fl_weekly_window_export_pdf   (FlWeeklyWindow  *self,
                                                   const char      *path,
                                                   GError         **error);
gboolean            fl_weekly_window_export_csv   (FlWeeklyWindow  *self,
                                                   const char      *path,
                                                   GError         **error);

/* Actions: "weekly.print" (Ctrl+P), "weekly.export-pdf", "weekly.export-csv";
 * Escape closes. Activating a row opens its link (customer, opportunity or
 * pilot) in the main window (the parent, else the application's FlWindow:
 * fl_window_open_link()) and presents it. */

G_END_DECLS
