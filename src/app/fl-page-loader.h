/* fl-page-loader.h — a drill-down page's core query, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page (rep, category, pilot) asks for its subject with
 * fl_page_loader_load(). On a cache file the query runs in a worker thread
 * on a connection of its own, and @loaded runs in the main thread with the
 * result; on the in-memory demo (no file) it runs at once, and @loaded has
 * run when fl_page_loader_load() returns.
 *
 * Only the latest request is ever delivered: a newer load, a cancel or the
 * page's dispose (which must call fl_page_loader_cancel()) drops the result
 * of an older one. One page runs one worker at a time; a request made
 * meanwhile waits for it (replacing any request already waiting), so results
 * arrive in request order and quick clicks do not pile up queries.
 *
 * The workers' connections are kept, a few at most, with the context (not
 * closed after each load): a rep's weekly totals are memoised per connection
 * (fl-rep-profile.h), which makes the next rep page ~10× faster.
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"

G_BEGIN_DECLS

/* What a worker gets: plain data copied in the main thread. */
typedef struct {
  char           *id;
  gint64          now;
  FlRuleSettings  rules;
} FlPageRequest;

/* Runs in a worker (or in the main thread for an in-memory store): returns
 * the profile (transfer full), or NULL with @error. */
typedef gpointer (*FlPageLoadFunc)   (FlStore              *store,
                                      const FlPageRequest  *request,
                                      GError              **error);
/* Main thread: @result (transfer full) or NULL with @error (not NULL then). */
typedef void     (*FlPageLoadedFunc) (gpointer              page,
                                      gpointer              result,
                                      const GError         *error);

#define FL_TYPE_PAGE_LOADER (fl_page_loader_get_type ())
G_DECLARE_FINAL_TYPE (FlPageLoader, fl_page_loader, FL, PAGE_LOADER, GObject)

/* @page: not referenced (the page owns the loader). */
FlPageLoader *fl_page_loader_new         (FlPageLoadFunc    load,
                                          GDestroyNotify    result_free,
                                          FlPageLoadedFunc  loaded,
                                          gpointer          page);
/* Loads @id at @context's now with its rule settings. */
void          fl_page_loader_load        (FlPageLoader     *self,
                                          FlContext        *context,
                                          const char       *id);
/* Drops the load running or waiting, if any; "loading" becomes FALSE. */
void          fl_page_loader_cancel      (FlPageLoader     *self);
/* TRUE from a load in a worker until its result is delivered. */
gboolean      fl_page_loader_get_loading (FlPageLoader     *self);

/* A spinner for the loading state that shows itself only after a short
 * delay, so that a quick load does not flash it. */
void          fl_page_spinner_start      (GtkWidget        *spinner);
void          fl_page_spinner_stop       (GtkWidget        *spinner);

/* Properties: "loading" (read-only). */

G_END_DECLS
