/* fl-rep-page.h — one rep: visits per day, conversion per category, pending items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"
#include "fl-loading-page.h"
#include "fl-subject-page.h"

G_BEGIN_DECLS

#define FL_TYPE_REP_PAGE (fl_rep_page_get_type ())
G_DECLARE_FINAL_TYPE (FlRepPage, fl_rep_page, FL, REP_PAGE, FlLoadingPage)

GtkWidget  *fl_rep_page_new         (void);
FlContext  *fl_rep_page_get_context (FlRepPage  *self);
void        fl_rep_page_set_context (FlRepPage  *self,
                                     FlContext  *context);
/* @id: a rep id, or NULL to clear; unknown → a "not found" status page. */
const char *fl_rep_page_get_rep_id  (FlRepPage  *self);
void        fl_rep_page_set_rep_id  (FlRepPage  *self,
                                     const char *id);
/* The rep's name, or NULL. */
const char *fl_rep_page_get_title   (FlRepPage  *self);

/* Properties: "context", "rep-id", "title" (read-only).
 * Signal: "open-link" (const char *link). */

/* Added: TRUE while the rep's figures are read in a worker (a cache file; the
 * in-memory demo loads at once and is never "loading"). The page shows the
 * rep's name and a spinner meanwhile; when it turns FALSE the page shows the
 * figures, or the not-found state. Property "loading" (read-only, notifies). */
gboolean    fl_rep_page_get_loading (FlRepPage  *self);

G_END_DECLS
