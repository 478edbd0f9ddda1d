/* fl-pilot-page.h — one pitch pilot: its two weeks, regions, owner, results so far
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"
#include "fl-loading-page.h"
#include "fl-subject-page.h"

G_BEGIN_DECLS

#define FL_TYPE_PILOT_PAGE (fl_pilot_page_get_type ())
G_DECLARE_FINAL_TYPE (FlPilotPage, fl_pilot_page, FL, PILOT_PAGE, FlLoadingPage)

GtkWidget  *fl_pilot_page_new          (void);
FlContext  *fl_pilot_page_get_context  (FlPilotPage *self);
void        fl_pilot_page_set_context  (FlPilotPage *self,
                                        FlContext   *context);
/* @id: a pilot id, or NULL; unknown → a "not found" status page. */
const char *fl_pilot_page_get_pilot_id (FlPilotPage *self);
void        fl_pilot_page_set_pilot_id (FlPilotPage *self,
                                        const char  *id);
/* The pilot's title, or NULL. */
const char *fl_pilot_page_get_title    (FlPilotPage *self);

/* Properties: "context", "pilot-id", "title" (read-only).
 * Signal: "open-link" (const char *link). */

/* Added: TRUE while the pilot's figures are read in a worker (a cache file;
 * the in-memory demo loads at once and is never "loading"). The page shows a
 * spinner meanwhile; when it turns FALSE the page shows the figures, or the
 * not-found state. Property "loading" (read-only, notifies). */
gboolean    fl_pilot_page_get_loading  (FlPilotPage *self);

G_END_DECLS
