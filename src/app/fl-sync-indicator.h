/* fl-sync-indicator.h — the header bar's sync status: a menu button and its popover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include "fl-context.h"

G_BEGIN_DECLS

#define FL_TYPE_SYNC_INDICATOR (fl_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (FlSyncIndicator, fl_sync_indicator, FL, SYNC_INDICATOR, AdwBin)

GtkWidget   *fl_sync_indicator_new             (void);
FlContext   *fl_sync_indicator_get_context     (FlSyncIndicator *self);
/* Follows the context's sync client (none: "not connected"). */
void         fl_sync_indicator_set_context     (FlSyncIndicator *self,
                                                FlContext       *context);

/* What the indicator shows now (for tests and accessibility). */
const char  *fl_sync_indicator_get_title       (FlSyncIndicator *self);
const char  *fl_sync_indicator_get_description (FlSyncIndicator *self);
/* The button's icon name, or "spinner" while syncing. */
const char  *fl_sync_indicator_get_icon_name   (FlSyncIndicator *self);
const char  *fl_sync_indicator_get_last_sync_text (FlSyncIndicator *self);
const char  *fl_sync_indicator_get_queued_text (FlSyncIndicator *self);
/* The progress bar's fraction, or -1 when it is hidden. */
double       fl_sync_indicator_get_progress    (FlSyncIndicator *self);
void         fl_sync_indicator_popup           (FlSyncIndicator *self);
void         fl_sync_indicator_popdown         (FlSyncIndicator *self);

/* Property: "context". */

G_END_DECLS
