/* fl-weekly-print.h — the weekly key-action list laid out on A4 pages (cairo + Pango)
 *
 * The same drawing serves the PDF export (fl_weekly_print_to_pdf, also
 * `fieldlight --export-weekly OUT.pdf`) and printing: in a GtkPrintOperation
 * with gtk_print_operation_set_unit (op, GTK_UNIT_POINTS), call
 * fl_weekly_print_paginate() from "begin-print" with the print context's
 * cairo_t, width and height (then gtk_print_operation_set_n_pages), and
 * fl_weekly_print_draw_page() from "draw-page". Units are points: text is
 * laid out at 72 dpi.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include "fl-core.h"

G_BEGIN_DECLS

/* A4 portrait in PostScript points. */
#define FL_WEEKLY_PRINT_A4_WIDTH  595.275590551
#define FL_WEEKLY_PRINT_A4_HEIGHT 841.889763780

typedef struct _FlWeeklyPrint FlWeeklyPrint;

/* Resolves everything shown (owner names, due times in the store's zone) at
 * once; @list and @store are not kept. */
FlWeeklyPrint *fl_weekly_print_new        (FlWeeklyList   *list,
                                           FlStore        *store);
void           fl_weekly_print_free       (FlWeeklyPrint  *self);

/* The document title, e.g. "Weekly key-action list 2026-W48" (PDF metadata,
 * print job name). */
const char    *fl_weekly_print_get_title  (FlWeeklyPrint  *self);

/* Lays the list out for pages of @width × @height points measured with @cr's
 * font settings; returns the number of pages (at least 1). */
guint          fl_weekly_print_paginate   (FlWeeklyPrint  *self,
                                           cairo_t        *cr,
                                           double          width,
                                           double          height);
/* Draws page @page (from 0) of the last pagination. */
void           fl_weekly_print_draw_page  (FlWeeklyPrint  *self,
                                           cairo_t        *cr,
                                           guint           page);

/* Writes the list as an A4 PDF (Chinese text with the "Noto Sans CJK SC"
 * family when installed) to @path, replacing it only on success; errors name
 * the path. */
gboolean       fl_weekly_print_to_pdf     (FlWeeklyList   *list,
                                           FlStore        *store,
                                           const char     *path,
                                           GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlWeeklyPrint, fl_weekly_print_free)

G_END_DECLS
