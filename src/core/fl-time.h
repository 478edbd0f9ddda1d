/* fl-time.h — RFC 3339 times, dates and ISO weeks in the dataset's time zone
 *
 * All instants are Unix seconds (gint64). Calendar questions (which ISO week,
 * which day) are answered in an explicit GTimeZone, never the process's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses "2026-11-23T09:00:00+08:00" (an offset or Z is required). */
gboolean  fl_time_parse_rfc3339     (const char *str,
                                     gint64     *out_unix);
/* Formats @unix in @tz as "2026-11-23T09:00:00+08:00". An offset with
 * seconds (local mean time before 1901) cannot be written: UTC ("+00:00")
 * is used then. @tz NULL means UTC. */
char     *fl_time_format_rfc3339    (gint64      unix_time,
                                     GTimeZone  *tz);
#define FL_RFC3339_BUF_SIZE 32
/* The same into @buf (at least FL_RFC3339_BUF_SIZE bytes), without allocating;
 * returns the length written. */
gsize     fl_time_format_rfc3339_buf (gint64      unix_time,
                                      GTimeZone  *tz,
                                      char       *buf);
/* Parses "YYYY-MM-DD" into a day number (days since 1970-01-01). */
gboolean  fl_date_parse             (const char *str,
                                     gint32     *out_day);
char     *fl_date_format            (gint32      day);
/* Parses "YYYY-Www". */
gboolean  fl_iso_week_parse         (const char *str,
                                     int        *out_year,
                                     int        *out_week);
/* ISO week containing @unix in @tz, formatted "YYYY-Www". */
char     *fl_iso_week_format        (gint64      unix_time,
                                     GTimeZone  *tz);
/* Start (Monday 00:00 in @tz) of the ISO week containing @unix. */
gint64    fl_iso_week_start         (gint64      unix_time,
                                     GTimeZone  *tz);
/* @unix shifted by @weeks whole weeks in @tz (DST safe). */
gint64    fl_time_add_weeks         (gint64      unix_time,
                                     GTimeZone  *tz,
                                     int         weeks);
/* Unix time of @day (a day number) at @hour:@minute local time in @tz. */
gint64    fl_day_at                 (gint32      day,
                                     int         hour,
                                     int         minute,
                                     GTimeZone  *tz);
/* Day number of the local date of @unix in @tz. */
gint32    fl_day_of                 (gint64      unix_time,
                                     GTimeZone  *tz);

/* Calendar arithmetic on day numbers (proleptic Gregorian, no time zone). */
gint32    fl_date_from_ymd          (int         year,
                                     int         month,
                                     int         day);
void      fl_date_to_ymd            (gint32      day_number,
                                     int        *out_year,
                                     int        *out_month,
                                     int        *out_day);
/* ISO weekday: 1 = Monday … 7 = Sunday. */
int       fl_date_weekday           (gint32      day_number);
/* ISO week-numbering year and week of @day_number. */
void      fl_date_iso_week          (gint32      day_number,
                                     int        *out_year,
                                     int        *out_week);
/* Day number of the Monday of ISO week @year-W@week. */
gint32    fl_iso_week_monday        (int         year,
                                     int         week);
/* 52 or 53. */
int       fl_iso_weeks_in_year      (int         year);

/* a / b rounded towards minus infinity (@b > 0): day and week numbers of
 * times before 1970 too. */
gint64   fl_floor_div (gint64 a,
                       gint64 b);

G_END_DECLS
