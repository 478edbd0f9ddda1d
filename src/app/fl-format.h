/* fl-format.h — times as people read them ("3 days ago"); money: fl_format_money() (core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "3 hours ago", "in 2 days"… for @time seen from @now. */
char *fl_format_relative_time  (gint64      time,
                                gint64      now);
/* "2026-11-23 08:12" in @tz (for tooltips). */
char *fl_format_exact_time     (gint64      time,
                                GTimeZone  *tz);

G_END_DECLS
