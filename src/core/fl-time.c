/* fl-time.c — RFC 3339 times, dates and ISO weeks in the dataset's time zone
 *
 * The civil calendar arithmetic is done by hand (proleptic Gregorian, days
 * since 1970-01-01) rather than through GDateTime: the dataset reader and the
 * writer call these functions several million times for a large dataset, and
 * GDateTime allocates on every call. GTimeZone is only asked for UTC offsets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-time.h"

#define SECONDS_PER_DAY 86400

gint64
fl_floor_div (gint64 a,
              gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

static gboolean
is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month (int year,
               int month)
{
  static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && is_leap_year (year))
    return 29;
  return days[month - 1];
}

/* H. Hinnant's days_from_civil / civil_from_days. */
gint32
fl_date_from_ymd (int year,
                  int month,
                  int day)
{
  gint64 y = year - (month <= 2 ? 1 : 0);
  gint64 era = fl_floor_div (y, 400);
  gint64 yoe = y - era * 400;
  gint64 mp = (month + 9) % 12;
  gint64 doy = (153 * mp + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return (gint32) (era * 146097 + doe - 719468);
}

void
fl_date_to_ymd (gint32  day_number,
                int    *out_year,
                int    *out_month,
                int    *out_day)
{
  gint64 z = (gint64) day_number + 719468;
  gint64 era = fl_floor_div (z, 146097);
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int d = (int) (doy - (153 * mp + 2) / 5 + 1);
  int m = (int) (mp < 10 ? mp + 3 : mp - 9);
  int y = (int) (yoe + era * 400 + (m <= 2 ? 1 : 0));

  if (out_year != NULL)
    *out_year = y;
  if (out_month != NULL)
    *out_month = m;
  if (out_day != NULL)
    *out_day = d;
}

int
fl_date_weekday (gint32 day_number)
{
  gint64 n = (gint64) day_number + 3;

  /* 1970-01-01 (day 0) was a Thursday. */
  return (int) (n - fl_floor_div (n, 7) * 7) + 1;
}

void
fl_date_iso_week (gint32  day_number,
                  int    *out_year,
                  int    *out_week)
{
  gint32 thursday = day_number - (fl_date_weekday (day_number) - 1) + 3;
  int year;

  fl_date_to_ymd (thursday, &year, NULL, NULL);
  if (out_year != NULL)
    *out_year = year;
  if (out_week != NULL)
    *out_week = (thursday - fl_date_from_ymd (year, 1, 1)) / 7 + 1;
}

gint32
fl_iso_week_monday (int year,
                    int week)
{
  /* January 4th is always in week 1. */
  gint32 jan4 = fl_date_from_ymd (year, 1, 4);
  gint32 monday1 = jan4 - (fl_date_weekday (jan4) - 1);

  return monday1 + (week - 1) * 7;
}

int
fl_iso_weeks_in_year (int year)
{
  int week;

  /* December 28th is always in the last week of its ISO year. */
  fl_date_iso_week (fl_date_from_ymd (year, 12, 28), NULL, &week);
  return week;
}

static gboolean
parse_digits (const char **p,
              int          n,
              int         *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      char c = (*p)[i];

      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (c - '0');
    }

  *p += n;
  *out = v;
  return TRUE;
}

static gboolean
parse_char (const char **p,
            char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* "YYYY-MM-DD", leaving *p after it. */
static gboolean
parse_ymd (const char **p,
           gint32      *out_day)
{
  int y, m, d;

  if (!parse_digits (p, 4, &y) || !parse_char (p, '-')
      || !parse_digits (p, 2, &m) || !parse_char (p, '-')
      || !parse_digits (p, 2, &d))
    return FALSE;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month (y, m))
    return FALSE;

  *out_day = fl_date_from_ymd (y, m, d);
  return TRUE;
}

gboolean
fl_time_parse_rfc3339 (const char *str,
                       gint64     *out_unix)
{
  const char *p = str;
  gint32 day;
  int hh, mm, ss;
  int offset = 0;

  if (str == NULL)
    return FALSE;

  if (!parse_ymd (&p, &day))
    return FALSE;
  if (*p != 'T' && *p != 't')
    return FALSE;
  p++;
  if (!parse_digits (&p, 2, &hh) || !parse_char (&p, ':')
      || !parse_digits (&p, 2, &mm) || !parse_char (&p, ':')
      || !parse_digits (&p, 2, &ss))
    return FALSE;
  if (hh > 23 || mm > 59 || ss > 59)
    return FALSE;

  /* Fractional seconds are accepted and truncated: instants are whole seconds. */
  if (*p == '.')
    {
      p++;
      if (*p < '0' || *p > '9')
        return FALSE;
      while (*p >= '0' && *p <= '9')
        p++;
    }

  if (*p == 'Z' || *p == 'z')
    {
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int sign = (*p == '-') ? -1 : 1;
      int oh, om;

      p++;
      if (!parse_digits (&p, 2, &oh) || !parse_char (&p, ':') || !parse_digits (&p, 2, &om))
        return FALSE;
      if (oh > 23 || om > 59)
        return FALSE;
      offset = sign * (oh * 3600 + om * 60);
    }
  else
    {
      return FALSE;
    }

  if (*p != '\0')
    return FALSE;

  if (out_unix != NULL)
    *out_unix = (gint64) day * SECONDS_PER_DAY + hh * 3600 + mm * 60 + ss - offset;
  return TRUE;
}

static gint32
utc_offset_at (GTimeZone *tz,
               gint64     unix_time)
{
  int interval;

  if (tz == NULL)
    return 0;

  interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, unix_time);
  if (interval < 0)
    return 0;
  return g_time_zone_get_offset (tz, interval);
}

/* Local wall-clock seconds (as if the zone were UTC) → Unix time. In a gap
 * (spring forward) the time is moved forward like GDateTime does. */
static gint64
local_to_unix (gint64     local,
               GTimeZone *tz)
{
  int interval;

  if (tz == NULL)
    return local;

  interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &local);
  if (interval < 0)
    return local;
  return local - g_time_zone_get_offset (tz, interval);
}

gsize
fl_time_format_rfc3339_buf (gint64     unix_time,
                            GTimeZone *tz,
                            char      *buf)
{
  gint32 offset = utc_offset_at (tz, unix_time);
  gint64 local, secs;
  gint32 day;
  int y, m, d, aoff, len;

  /* RFC 3339 offsets have no seconds (local mean time before 1901 has):
   * fall back to UTC so the instant still round-trips. */
  if (offset % 60 != 0)
    offset = 0;

  local = unix_time + offset;
  day = (gint32) fl_floor_div (local, SECONDS_PER_DAY);
  secs = local - (gint64) day * SECONDS_PER_DAY;
  fl_date_to_ymd (day, &y, &m, &d);
  aoff = ABS (offset);

  len = g_snprintf (buf, FL_RFC3339_BUF_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                    y, m, d,
                    (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60),
                    offset < 0 ? '-' : '+', aoff / 3600, aoff / 60 % 60);
  return (gsize) MIN (len, FL_RFC3339_BUF_SIZE - 1);
}

char *
fl_time_format_rfc3339 (gint64     unix_time,
                        GTimeZone *tz)
{
  char buf[FL_RFC3339_BUF_SIZE];

  fl_time_format_rfc3339_buf (unix_time, tz, buf);
  return g_strdup (buf);
}

gboolean
fl_date_parse (const char *str,
               gint32     *out_day)
{
  const char *p = str;
  gint32 day;

  if (str == NULL || !parse_ymd (&p, &day) || *p != '\0')
    return FALSE;

  if (out_day != NULL)
    *out_day = day;
  return TRUE;
}

char *
fl_date_format (gint32 day)
{
  int y, m, d;

  fl_date_to_ymd (day, &y, &m, &d);
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

gboolean
fl_iso_week_parse (const char *str,
                   int        *out_year,
                   int        *out_week)
{
  const char *p = str;
  int year, week;

  if (str == NULL
      || !parse_digits (&p, 4, &year) || !parse_char (&p, '-') || !parse_char (&p, 'W')
      || !parse_digits (&p, 2, &week) || *p != '\0')
    return FALSE;
  if (week < 1 || week > fl_iso_weeks_in_year (year))
    return FALSE;

  if (out_year != NULL)
    *out_year = year;
  if (out_week != NULL)
    *out_week = week;
  return TRUE;
}

char *
fl_iso_week_format (gint64     unix_time,
                    GTimeZone *tz)
{
  int year, week;

  fl_date_iso_week (fl_day_of (unix_time, tz), &year, &week);
  return g_strdup_printf ("%04d-W%02d", year, week);
}

gint64
fl_iso_week_start (gint64     unix_time,
                   GTimeZone *tz)
{
  gint32 day = fl_day_of (unix_time, tz);

  return fl_day_at (day - (fl_date_weekday (day) - 1), 0, 0, tz);
}

gint64
fl_time_add_weeks (gint64     unix_time,
                   GTimeZone *tz,
                   int        weeks)
{
  gint64 local = unix_time + utc_offset_at (tz, unix_time);

  return local_to_unix (local + (gint64) weeks * 7 * SECONDS_PER_DAY, tz);
}

gint64
fl_day_at (gint32     day,
           int        hour,
           int        minute,
           GTimeZone *tz)
{
  return local_to_unix ((gint64) day * SECONDS_PER_DAY + hour * 3600 + minute * 60, tz);
}

gint32
fl_day_of (gint64     unix_time,
           GTimeZone *tz)
{
  return (gint32) fl_floor_div (unix_time + utc_offset_at (tz, unix_time), SECONDS_PER_DAY);
}
