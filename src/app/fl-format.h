/* fl-format.h — numbers and times as people read them (money, "3 days ago")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "¥80,000" in English; "8.0 万元" / "8,000 元" when the UI language is Chinese. */
char *fl_format_money          (double      value);
/* "3 hours ago", "yesterday", "in 2 days"… for @time seen from @now. */
char *fl_format_relative_time  (gint64      time,
                                gint64      now);
/* "2026-11-23 08:12" in @tz (for tooltips). */
char *fl_format_exact_time     (gint64      time,
                                GTimeZone  *tz);
/* TRUE when the first UI language is Chinese (money in 万). */
gboolean fl_format_use_chinese_units (void);

G_END_DECLS
