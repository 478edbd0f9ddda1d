/* test-time.c — RFC 3339 times, dates and ISO weeks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <glib.h>

#include "fl-core.h"

/* 2026-11-23T09:00:00+08:00, a Monday */
#define MON_0900 G_GINT64_CONSTANT (1795395600)
/* 2026-11-23T00:00:00+08:00 */
#define MON_0000 G_GINT64_CONSTANT (1795363200)
/* 2026-11-16T00:00:00+08:00 */
#define PREV_MON_0000 G_GINT64_CONSTANT (1794758400)
/* day number of 2026-11-23 */
#define DAY_2026_11_23 20780

static GTimeZone *
shanghai (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");

  g_assert_nonnull (tz);
  return tz;
}

static gint64
parse_ok (const char *str)
{
  gint64 t = G_MININT64;

  if (!fl_time_parse_rfc3339 (str, &t))
    g_error ("“%s” should parse", str);
  return t;
}

static void
test_parse_valid (void)
{
  g_assert_cmpint (parse_ok ("2026-11-23T09:00:00+08:00"), ==, MON_0900);
  g_assert_cmpint (parse_ok ("2026-11-23T01:00:00Z"), ==, MON_0900);
  g_assert_cmpint (parse_ok ("2026-11-23T01:00:00z"), ==, MON_0900);
  g_assert_cmpint (parse_ok ("2026-11-23t01:00:00+00:00"), ==, MON_0900);
  g_assert_cmpint (parse_ok ("2026-11-22T20:00:00-05:00"), ==, MON_0900);
  g_assert_cmpint (parse_ok ("2026-11-23T06:30:00+05:30"), ==, MON_0900);
  /* fractions are truncated to the second */
  g_assert_cmpint (parse_ok ("2026-11-23T09:00:00.999+08:00"), ==, MON_0900);
  g_assert_cmpint (parse_ok ("2026-11-23T09:00:00.0Z"), ==, MON_0900 + 8 * 3600);
  g_assert_cmpint (parse_ok ("1970-01-01T00:00:00Z"), ==, 0);
  g_assert_cmpint (parse_ok ("1969-12-31T23:59:59Z"), ==, -1);
  g_assert_cmpint (parse_ok ("2028-02-29T12:00:00+08:00"), ==, 1835409600);
  g_assert_cmpint (parse_ok ("2000-02-29T00:00:00Z"), ==, 951782400);
}

static void
test_parse_invalid (void)
{
  static const char * const bad[] = {
    "",
    "2026-11-23",
    "2026-11-23T09:00:00",           /* no offset */
    "2026-11-23 09:00:00+08:00",     /* space */
    "2026-11-23T09:00+08:00",        /* no seconds */
    "2026-11-23T09:00:00+0800",      /* offset without colon */
    "2026-11-23T09:00:00+08",
    "2026-11-23T09:00:00+08:00 ",    /* trailing */
    "2026-11-23T09:00:00+08:00x",
    " 2026-11-23T09:00:00+08:00",
    "2026-11-23T09:00:00.+08:00",
    "2026-13-01T09:00:00Z",
    "2026-00-01T09:00:00Z",
    "2026-02-29T09:00:00Z",          /* not a leap year */
    "1900-02-29T09:00:00Z",
    "2026-04-31T09:00:00Z",
    "2026-11-00T09:00:00Z",
    "2026-11-23T24:00:00Z",
    "2026-11-23T23:60:00Z",
    "2026-11-23T23:59:60Z",
    "2026-11-23T09:00:00+24:00",
    "2026-11-23T09:00:00+08:60",
    "26-11-23T09:00:00Z",
    "2026-1-23T09:00:00Z",
    "２０２６-11-23T09:00:00Z",
    "2026/11/23T09:00:00Z",
  };
  gint64 t = 42;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (fl_time_parse_rfc3339 (bad[i], &t))
        g_error ("“%s” should not parse", bad[i]);
      g_assert_cmpint (t, ==, 42);
    }
  g_assert_false (fl_time_parse_rfc3339 (NULL, &t));
}

/* Our hand parser agrees with GLib's on many valid stamps. */
static void
test_parse_matches_glib (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < 2000; i++)
    {
      int y = g_rand_int_range (rand, 1971, 2100);
      int mo = g_rand_int_range (rand, 1, 13);
      int d = g_rand_int_range (rand, 1, g_date_get_days_in_month (mo, y) + 1);
      int off_min = g_rand_int_range (rand, -12 * 4, 14 * 4 + 1) * 15;
      g_autofree char *str = NULL;
      g_autoptr(GDateTime) dt = NULL;
      gint64 t;

      str = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                             y, mo, d, g_rand_int_range (rand, 0, 24),
                             g_rand_int_range (rand, 0, 60), g_rand_int_range (rand, 0, 60),
                             off_min < 0 ? '-' : '+', ABS (off_min) / 60, ABS (off_min) % 60);
      dt = g_date_time_new_from_iso8601 (str, NULL);
      g_assert_nonnull (dt);
      g_assert_true (fl_time_parse_rfc3339 (str, &t));
      g_assert_cmpint (t, ==, g_date_time_to_unix (dt));
    }
}

static void
test_format (void)
{
  g_autoptr(GTimeZone) sh = shanghai ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autofree char *a = fl_time_format_rfc3339 (MON_0900, sh);
  g_autofree char *b = fl_time_format_rfc3339 (MON_0900, utc);
  g_autofree char *c = fl_time_format_rfc3339 (MON_0900, ny);
  g_autofree char *d = fl_time_format_rfc3339 (-1, utc);
  g_autofree char *e = fl_time_format_rfc3339 (MON_0900, NULL);
  char buf[FL_RFC3339_BUF_SIZE];

  g_assert_cmpstr (a, ==, "2026-11-23T09:00:00+08:00");
  g_assert_cmpstr (b, ==, "2026-11-23T01:00:00+00:00");
  g_assert_nonnull (ny);
  g_assert_cmpstr (c, ==, "2026-11-22T20:00:00-05:00");
  g_assert_cmpstr (d, ==, "1969-12-31T23:59:59+00:00");
  g_assert_cmpstr (e, ==, b);
  g_assert_cmpuint (fl_time_format_rfc3339_buf (MON_0900, sh, buf), ==, 25);
  g_assert_cmpstr (buf, ==, a);
}

static void
test_format_round_trip (void)
{
  g_autoptr(GTimeZone) sh = shanghai ();
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  g_assert_nonnull (berlin);
  for (guint i = 0; i < 5000; i++)
    {
      /* 1901 … 2100 */
      gint64 t = (gint64) g_rand_double_range (rand, -2145916800.0, 4102444800.0);
      g_autofree char *s1 = fl_time_format_rfc3339 (t, sh);
      g_autofree char *s2 = fl_time_format_rfc3339 (t, berlin);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, berlin);
      g_autofree char *expected = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
      gint64 back;

      g_assert_true (fl_time_parse_rfc3339 (s1, &back));
      g_assert_cmpint (back, ==, t);
      g_assert_true (fl_time_parse_rfc3339 (s2, &back));
      g_assert_cmpint (back, ==, t);
      g_assert_cmpstr (s2, ==, expected);
    }
}

static void
test_date (void)
{
  gint32 day = 0;
  static const char * const bad[] = {
    "", "2026-11-31", "2026-02-29", "2026-11-23T00:00:00Z", "2026-11-3", "2026-1-03",
    "20261123", "2026-11-23 ", "2026/11/23",
  };

  g_assert_true (fl_date_parse ("1970-01-01", &day));
  g_assert_cmpint (day, ==, 0);
  g_assert_true (fl_date_parse ("1969-12-31", &day));
  g_assert_cmpint (day, ==, -1);
  g_assert_true (fl_date_parse ("2026-11-23", &day));
  g_assert_cmpint (day, ==, DAY_2026_11_23);
  g_assert_true (fl_date_parse ("2028-02-29", &day));
  g_assert_true (fl_date_parse ("2000-02-29", &day));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      day = 42;
      if (fl_date_parse (bad[i], &day))
        g_error ("“%s” should not parse", bad[i]);
      g_assert_cmpint (day, ==, 42);
    }
  g_assert_false (fl_date_parse (NULL, &day));

  /* Every day from 1900 to 2100 against GDate. */
  {
    GDate date;

    g_date_clear (&date, 1);
    g_date_set_dmy (&date, 1, 1, 1900);
    for (gint32 d = fl_date_from_ymd (1900, 1, 1); d <= fl_date_from_ymd (2100, 12, 31); d++)
      {
        g_autofree char *str = fl_date_format (d);
        int y, m, dd;
        gint32 back;

        fl_date_to_ymd (d, &y, &m, &dd);
        g_assert_cmpint (y, ==, g_date_get_year (&date));
        g_assert_cmpint (m, ==, g_date_get_month (&date));
        g_assert_cmpint (dd, ==, g_date_get_day (&date));
        g_assert_cmpint (fl_date_weekday (d), ==, g_date_get_weekday (&date));
        g_assert_true (fl_date_parse (str, &back));
        g_assert_cmpint (back, ==, d);
        fl_date_iso_week (d, &y, &m);
        g_assert_cmpint (m, ==, g_date_get_iso8601_week_of_year (&date));
        g_date_add_days (&date, 1);
      }
  }

  {
    g_autofree char *s = fl_date_format (DAY_2026_11_23);

    g_assert_cmpstr (s, ==, "2026-11-23");
  }
}

static void
test_iso_week_parse (void)
{
  int year = 0, week = 0;

  g_assert_true (fl_iso_week_parse ("2026-W47", &year, &week));
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (week, ==, 47);
  g_assert_true (fl_iso_week_parse ("2026-W01", &year, &week));
  g_assert_cmpint (week, ==, 1);
  /* 2026 has 53 ISO weeks (1 January 2026 is a Thursday); 2025 and 2027 have 52 */
  g_assert_cmpint (fl_iso_weeks_in_year (2026), ==, 53);
  g_assert_cmpint (fl_iso_weeks_in_year (2025), ==, 52);
  g_assert_cmpint (fl_iso_weeks_in_year (2027), ==, 52);
  g_assert_cmpint (fl_iso_weeks_in_year (2020), ==, 53);
  g_assert_true (fl_iso_week_parse ("2026-W53", &year, &week));
  g_assert_cmpint (week, ==, 53);
  g_assert_false (fl_iso_week_parse ("2025-W53", &year, &week));
  g_assert_false (fl_iso_week_parse ("2026-W54", &year, &week));
  g_assert_false (fl_iso_week_parse ("2026-W00", &year, &week));
  g_assert_false (fl_iso_week_parse ("2026-W5", &year, &week));
  g_assert_false (fl_iso_week_parse ("2026-w05", &year, &week));
  g_assert_false (fl_iso_week_parse ("2026W05", &year, &week));
  g_assert_false (fl_iso_week_parse ("2026-W05-1", &year, &week));
  g_assert_false (fl_iso_week_parse ("", &year, &week));
  g_assert_false (fl_iso_week_parse (NULL, &year, &week));

  g_assert_cmpint (fl_iso_week_monday (2026, 1), ==, fl_date_from_ymd (2025, 12, 29));
  g_assert_cmpint (fl_iso_week_monday (2026, 53), ==, fl_date_from_ymd (2026, 12, 28));
  g_assert_cmpint (fl_iso_week_monday (2027, 1), ==, fl_date_from_ymd (2027, 1, 4));
  g_assert_cmpint (fl_iso_week_monday (2026, 48), ==, DAY_2026_11_23);
}

static char *
week_of (const char *rfc3339,
         GTimeZone  *tz)
{
  gint64 t = parse_ok (rfc3339);

  return fl_iso_week_format (t, tz);
}

static void
assert_week (const char *rfc3339,
             GTimeZone  *tz,
             const char *expected)
{
  g_autofree char *w = week_of (rfc3339, tz);

  g_assert_cmpstr (w, ==, expected);
}

static void
test_iso_week_boundaries (void)
{
  g_autoptr(GTimeZone) sh = shanghai ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  /* Sunday 23:59:59 and Monday 00:00 in Shanghai */
  assert_week ("2026-11-22T23:59:59+08:00", sh, "2026-W47");
  assert_week ("2026-11-23T00:00:00+08:00", sh, "2026-W48");
  /* the same Monday 00:00 instant is still Sunday in UTC */
  assert_week ("2026-11-23T00:00:00+08:00", utc, "2026-W47");

  g_assert_cmpint (fl_iso_week_start (MON_0900, sh), ==, MON_0000);
  g_assert_cmpint (fl_iso_week_start (MON_0000, sh), ==, MON_0000);
  g_assert_cmpint (fl_iso_week_start (MON_0000 - 1, sh), ==, PREV_MON_0000);
  g_assert_cmpint (fl_iso_week_start (PREV_MON_0000 + 7 * 86400 - 1, sh), ==, PREV_MON_0000);
  /* in UTC, the week of Monday 00:00 Shanghai began on Monday 16 November 00:00 UTC */
  g_assert_cmpint (fl_iso_week_start (MON_0000, utc), ==, PREV_MON_0000 + 8 * 3600);

  /* Year boundaries */
  assert_week ("2025-12-28T23:59:59+08:00", sh, "2025-W52");
  assert_week ("2025-12-29T00:00:00+08:00", sh, "2026-W01");
  assert_week ("2026-01-01T12:00:00+08:00", sh, "2026-W01");
  assert_week ("2026-12-31T12:00:00+08:00", sh, "2026-W53");
  assert_week ("2027-01-03T23:59:59+08:00", sh, "2026-W53");
  assert_week ("2027-01-04T00:00:00+08:00", sh, "2027-W01");
  assert_week ("2021-01-03T12:00:00+08:00", sh, "2020-W53");
  /* 2027-01-03 16:00 UTC is Monday 4 January 00:00 in Shanghai */
  assert_week ("2027-01-03T16:00:00Z", sh, "2027-W01");
  assert_week ("2027-01-03T16:00:00Z", utc, "2026-W53");

  g_assert_cmpint (fl_iso_week_start (parse_ok ("2027-01-01T10:00:00+08:00"), sh), ==,
                   parse_ok ("2026-12-28T00:00:00+08:00"));
}

/* ISO week of every hour over several years agrees with GDateTime. */
static void
test_iso_week_matches_glib (void)
{
  g_autoptr(GTimeZone) sh = shanghai ();
  gint64 from = parse_ok ("2019-12-20T00:00:00+08:00");
  gint64 to = parse_ok ("2031-01-10T00:00:00+08:00");

  for (gint64 t = from; t < to; t += 3600 + 17)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
      g_autoptr(GDateTime) dt = g_date_time_to_timezone (utc, sh);
      g_autofree char *expected = g_strdup_printf ("%04d-W%02d",
                                                   g_date_time_get_week_numbering_year (dt),
                                                   g_date_time_get_week_of_year (dt));
      g_autofree char *got = fl_iso_week_format (t, sh);
      gint64 start = fl_iso_week_start (t, sh);
      g_autoptr(GDateTime) start_utc = g_date_time_new_from_unix_utc (start);
      g_autoptr(GDateTime) start_dt = g_date_time_to_timezone (start_utc, sh);

      g_assert_cmpstr (got, ==, expected);
      g_assert_cmpint (g_date_time_get_day_of_week (start_dt), ==, 1);
      g_assert_cmpint (g_date_time_get_hour (start_dt), ==, 0);
      g_assert_cmpint (g_date_time_get_minute (start_dt), ==, 0);
      g_assert_cmpint (start, <=, t);
      g_assert_cmpint (t - start, <, 7 * 86400);
    }
}

static void
test_day_at_and_of (void)
{
  g_autoptr(GTimeZone) sh = shanghai ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *s = NULL;

  g_assert_cmpint (fl_day_of (MON_0000, sh), ==, DAY_2026_11_23);
  g_assert_cmpint (fl_day_of (MON_0000 - 1, sh), ==, DAY_2026_11_23 - 1);
  g_assert_cmpint (fl_day_of (MON_0000, utc), ==, DAY_2026_11_23 - 1);
  g_assert_cmpint (fl_day_of (-1, utc), ==, -1);
  g_assert_cmpint (fl_day_of (0, utc), ==, 0);
  g_assert_cmpint (fl_day_of (-86400, utc), ==, -1);
  g_assert_cmpint (fl_day_of (-86401, utc), ==, -2);

  g_assert_cmpint (fl_day_at (DAY_2026_11_23, 0, 0, sh), ==, MON_0000);
  g_assert_cmpint (fl_day_at (DAY_2026_11_23, 9, 0, sh), ==, MON_0900);
  s = fl_time_format_rfc3339 (fl_day_at (DAY_2026_11_23 + 4, 17, 0, sh), sh);
  g_assert_cmpstr (s, ==, "2026-11-27T17:00:00+08:00");
  g_assert_cmpint (fl_day_at (DAY_2026_11_23, 9, 0, utc), ==, MON_0900 + 8 * 3600);
}

static void
test_dst (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  gint64 before, after, t;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;
  gint32 day;

  g_assert_nonnull (berlin);

  /* Summer time starts on Sunday 2026-03-29. */
  before = parse_ok ("2026-03-23T09:00:00+01:00");
  after = fl_time_add_weeks (before, berlin, 1);
  s1 = fl_time_format_rfc3339 (after, berlin);
  g_assert_cmpstr (s1, ==, "2026-03-30T09:00:00+02:00");
  g_assert_cmpint (after - before, ==, 7 * 86400 - 3600);
  g_assert_cmpint (fl_time_add_weeks (after, berlin, -1), ==, before);
  /* That week starts on Monday at 00:00 +01:00 and the next at 00:00 +02:00. */
  g_assert_cmpint (fl_iso_week_start (parse_ok ("2026-03-29T23:00:00+02:00"), berlin), ==,
                   parse_ok ("2026-03-23T00:00:00+01:00"));
  g_assert_cmpint (fl_iso_week_start (after, berlin), ==, parse_ok ("2026-03-30T00:00:00+02:00"));

  /* 02:30 does not exist that Sunday: moved forward, never before 02:00 +01:00 */
  g_assert_true (fl_date_parse ("2026-03-29", &day));
  t = fl_day_at (day, 2, 30, berlin);
  g_assert_cmpint (t, >=, parse_ok ("2026-03-29T02:00:00+01:00"));
  g_assert_cmpint (t, <=, parse_ok ("2026-03-29T03:30:00+02:00"));
  g_assert_cmpint (fl_day_of (t, berlin), ==, day);

  /* Winter time: a week of 7 days + 1 hour */
  before = parse_ok ("2026-10-19T09:00:00+02:00");
  after = fl_time_add_weeks (before, berlin, 1);
  s2 = fl_time_format_rfc3339 (after, berlin);
  g_assert_cmpstr (s2, ==, "2026-10-26T09:00:00+01:00");
  g_assert_cmpint (after - before, ==, 7 * 86400 + 3600);

  /* Shanghai has no DST now: plain weeks */
  {
    g_autoptr(GTimeZone) sh = shanghai ();

    g_assert_cmpint (fl_time_add_weeks (MON_0900, sh, -2), ==, MON_0900 - 14 * 86400);
    s3 = fl_time_format_rfc3339 (fl_time_add_weeks (MON_0900, sh, 6), sh);
    g_assert_cmpstr (s3, ==, "2027-01-04T09:00:00+08:00");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/parse/valid", test_parse_valid);
  g_test_add_func ("/time/parse/invalid", test_parse_invalid);
  g_test_add_func ("/time/parse/matches-glib", test_parse_matches_glib);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/format/round-trip", test_format_round_trip);
  g_test_add_func ("/time/date", test_date);
  g_test_add_func ("/time/iso-week/parse", test_iso_week_parse);
  g_test_add_func ("/time/iso-week/boundaries", test_iso_week_boundaries);
  g_test_add_func ("/time/iso-week/matches-glib", test_iso_week_matches_glib);
  g_test_add_func ("/time/day-at-and-of", test_day_at_and_of);
  g_test_add_func ("/time/dst", test_dst);

  return g_test_run ();
}
