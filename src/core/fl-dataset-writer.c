/* fl-dataset-writer.c — writes FORMATS.md §1 datasets
 *
 * The JSON is written by hand into a GString that is flushed to the output
 * stream every megabyte, so writing a million visits needs no document tree
 * and a bounded amount of memory. One entity per line; key order as in
 * FORMATS.md; absent optional fields are omitted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fl-dataset.h"
#include "fl-sync-store.h"
#include "fl-time.h"

#define FLUSH_THRESHOLD (1024 * 1024)
#define SECONDS_PER_DAY 86400
#define DATE_CACHE_SIZE 16

typedef struct
{
  gboolean valid;
  gint32   day;
  char     prefix[12];
} CachedDate;

typedef struct
{
  GString       *buf;
  GOutputStream *stream;   /* NULL: everything stays in buf */
  GTimeZone     *tz;
  GError        *error;    /* first write error; later writes are skipped */

  /* w_time()'s cache. The zone's intervals are contiguous, so every instant
   * between two instants of interval zone_interval is in it too. */
  gboolean       has_zone;
  int            zone_interval;
  gint64         zone_lo, zone_hi;      /* instants known to be in it */
  gint32         zone_offset;           /* seconds, as fl_time_format_rfc3339_buf() uses it */
  char           zone_suffix[8];        /* "+08:00" */
  /* A visit's times fall on a few days: their "2026-11-23T", direct-mapped
   * by local day number. */
  CachedDate     dates[DATE_CACHE_SIZE];
} Writer;

static void
w_init (Writer        *w,
        GString       *buf,
        GOutputStream *stream,
        GTimeZone     *tz)
{
  memset (w, 0, sizeof *w);
  w->buf = buf;
  w->stream = stream;
  w->tz = tz;
}

static void
w_flush (Writer *w)
{
  if (w->stream == NULL || w->buf->len == 0)
    return;

  if (w->error == NULL)
    g_output_stream_write_all (w->stream, w->buf->str, w->buf->len, NULL, NULL, &w->error);
  g_string_truncate (w->buf, 0);
}

static inline void
w_maybe_flush (Writer *w)
{
  if (w->stream != NULL && w->buf->len >= FLUSH_THRESHOLD)
    w_flush (w);
}

/* Room for @n more bytes (and the terminating NUL) at the returned pointer;
 * w_commit() then counts what was written. Cheaper than g_string_append_*()
 * on the hot paths (a million visits). */
static inline char *
w_reserve (Writer *w,
           gsize   n)
{
  GString *buf = w->buf;

  if (G_UNLIKELY (buf->len + n >= buf->allocated_len))
    {
      gsize len = buf->len;

      g_string_set_size (buf, len + n);
      buf->len = len;
    }
  return buf->str + buf->len;
}

static inline void
w_commit (Writer *w,
          gsize   n)
{
  w->buf->len += n;
  w->buf->str[w->buf->len] = '\0';
}

static inline void
w_bytes (Writer     *w,
         const char *bytes,
         gsize       n)
{
  memcpy (w_reserve (w, n), bytes, n);
  w_commit (w, n);
}

static inline void
w_char (Writer *w,
        char    c)
{
  g_string_append_c (w->buf, c);
}

/* A string literal, its length known at compile time. */
#define w_lit(w, lit) w_bytes ((w), "" lit, sizeof (lit) - 1)

static inline void
w_raw (Writer     *w,
       const char *str)
{
  w_bytes (w, str, strlen (str));
}

static const char digit_pairs[] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

static inline void
put_2digits (char *p,
             guint value)   /* 0..99 */
{
  p[0] = digit_pairs[2 * value];
  p[1] = digit_pairs[2 * value + 1];
}

/* Writes @value in decimal to @p (at least 20 bytes); returns the length. */
static gsize
put_uint (char    *p,
          guint64  value)
{
  char tmp[20];
  char *q = tmp + sizeof tmp;
  gsize len;

  while (value >= 100)
    {
      q -= 2;
      put_2digits (q, (guint) (value % 100));
      value /= 100;
    }
  if (value >= 10)
    {
      q -= 2;
      put_2digits (q, (guint) value);
    }
  else
    *--q = (char) ('0' + value);

  len = tmp + sizeof tmp - q;
  memcpy (p, q, len);
  return len;
}

/* Exactly what printf's "%" G_GINT64_FORMAT writes. */
static void
w_int (Writer *w,
       gint64  value)
{
  char *p = w_reserve (w, 21);
  gsize len = 0;
  guint64 magnitude = (guint64) value;

  if (value < 0)
    {
      p[len++] = '-';
      magnitude = -magnitude;
    }
  len += put_uint (p + len, magnitude);
  w_commit (w, len);
}

static void
w_escaped (Writer     *w,
           const char *str)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = str;
  const char *p;

  for (p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *esc = NULL;
      char ubuf[7];

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      switch (c)
        {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
          ubuf[0] = '\\';
          ubuf[1] = 'u';
          ubuf[2] = '0';
          ubuf[3] = '0';
          ubuf[4] = hex[c >> 4];
          ubuf[5] = hex[c & 0xf];
          ubuf[6] = '\0';
          esc = ubuf;
          break;
        }

      w_bytes (w, run, p - run);
      w_raw (w, esc);
      run = p + 1;
    }

  w_bytes (w, run, p - run);
}

/* A JSON string; NULL is written as "" (the reader then names the field). */
static void
w_string (Writer     *w,
          const char *str)
{
  w_char (w, '"');
  if (str != NULL)
    {
      if (G_LIKELY (g_utf8_validate (str, -1, NULL)))
        {
          w_escaped (w, str);
        }
      else
        {
          g_autofree char *valid = g_utf8_make_valid (str, -1);

          w_escaped (w, valid);
        }
    }
  w_char (w, '"');
}

static void
w_nullable_string (Writer     *w,
                   const char *str)
{
  if (str == NULL)
    w_lit (w, "null");
  else
    w_string (w, str);
}

static const double pow10_double[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18,
};

static const guint64 pow10_uint[] = {
  G_GUINT64_CONSTANT (1), G_GUINT64_CONSTANT (10), G_GUINT64_CONSTANT (100),
  G_GUINT64_CONSTANT (1000), G_GUINT64_CONSTANT (10000), G_GUINT64_CONSTANT (100000),
  G_GUINT64_CONSTANT (1000000), G_GUINT64_CONSTANT (10000000), G_GUINT64_CONSTANT (100000000),
  G_GUINT64_CONSTANT (1000000000), G_GUINT64_CONSTANT (10000000000),
  G_GUINT64_CONSTANT (100000000000), G_GUINT64_CONSTANT (1000000000000),
  G_GUINT64_CONSTANT (10000000000000), G_GUINT64_CONSTANT (100000000000000),
  G_GUINT64_CONSTANT (1000000000000000), G_GUINT64_CONSTANT (10000000000000000),
  G_GUINT64_CONSTANT (100000000000000000), G_GUINT64_CONSTANT (1000000000000000000),
};

G_STATIC_ASSERT (G_N_ELEMENTS (pow10_double) == G_N_ELEMENTS (pow10_uint));

/* The fast path of w_number() for a non-integral @value: finds the decimal
 * N / 10^k of at most 15 significant digits (N < 10^15) with the fewest
 * decimals that reads back to @value, and writes it as "%.15g" would.
 *
 * Why the output is the same: N < 2^53 and 10^k (k ≤ 22) are exact doubles,
 * so N / 10^k is correctly rounded, like strtod(), and equals @value exactly
 * when the decimal reads back to it. A decimal of at most 15 significant
 * digits that reads back to a double is that double rounded to 15 digits
 * (DBL_DIG), which is what "%.15g" prints, trailing zeros removed; and with
 * 1e-4 ≤ |value| < 1e15 "%g" uses the fixed notation. FALSE (nothing
 * written): no such decimal, use printf. */
static gboolean
w_number_fixed (Writer *w,
                double  value)
{
  double magnitude = fabs (value);

  if (!(magnitude >= 1e-4 && magnitude < 1e15))
    return FALSE;

  for (guint k = 1; k < G_N_ELEMENTS (pow10_double); k++)
    {
      double scaled = magnitude * pow10_double[k];
      double n;
      guint64 digits, int_part, frac_part;
      guint frac_len = k;
      char *p;
      gsize len = 0;

      if (scaled >= 1e15)
        return FALSE;
      n = floor (scaled + 0.5);
      if (n / pow10_double[k] != magnitude)
        continue;

      digits = (guint64) n;
      int_part = digits / pow10_uint[k];
      frac_part = digits % pow10_uint[k];
      if (frac_part == 0)
        return FALSE;   /* an integer: not for this path */
      while (frac_part % 10 == 0)
        {
          frac_part /= 10;
          frac_len--;
        }

      p = w_reserve (w, 48);
      if (value < 0)
        p[len++] = '-';
      len += put_uint (p + len, int_part);
      p[len++] = '.';
      for (guint i = frac_len; i > 0; i--)
        {
          p[len + i - 1] = (char) ('0' + frac_part % 10);
          frac_part /= 10;
        }
      len += frac_len;
      w_commit (w, len);
      return TRUE;
    }

  return FALSE;
}

/* Shortest representation that reads back to the same double. */
static void
w_number (Writer *w,
          double  value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    value = 0.0;   /* JSON has no NaN or infinity */

  if (value == floor (value) && fabs (value) < 1e15)
    {
      w_int (w, (gint64) value);
      return;
    }

  if (w_number_fixed (w, value))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  w_raw (w, buf);
}

static void
w_bool (Writer   *w,
        gboolean  value)
{
  if (value)
    w_lit (w, "true");
  else
    w_lit (w, "false");
}

static void
w_time_slow (Writer *w,
             gint64  unix_time)
{
  char buf[FL_RFC3339_BUF_SIZE];
  gsize len = fl_time_format_rfc3339_buf (unix_time, w->tz, buf);

  w_char (w, '"');
  w_bytes (w, buf, len);
  w_char (w, '"');
}

/* Caches the zone offset at @unix_time; FALSE: leave it to w_time_slow(). */
static gboolean
w_update_zone (Writer *w,
               gint64  unix_time)
{
  int interval = g_time_zone_find_interval (w->tz, G_TIME_TYPE_UNIVERSAL, unix_time);
  gint32 offset, abs_offset;

  if (interval < 0)
    return FALSE;
  if (w->has_zone && interval == w->zone_interval)
    {
      w->zone_lo = MIN (w->zone_lo, unix_time);
      w->zone_hi = MAX (w->zone_hi, unix_time);
      return TRUE;
    }

  /* As fl_time_format_rfc3339_buf(): an offset with seconds falls back to UTC. */
  offset = g_time_zone_get_offset (w->tz, interval);
  if (offset % 60 != 0)
    offset = 0;
  abs_offset = ABS (offset);
  if (abs_offset / 3600 > 99)
    return FALSE;

  w->zone_suffix[0] = offset < 0 ? '-' : '+';
  put_2digits (w->zone_suffix + 1, abs_offset / 3600);
  w->zone_suffix[3] = ':';
  put_2digits (w->zone_suffix + 4, abs_offset / 60 % 60);
  w->zone_offset = offset;
  w->zone_interval = interval;
  w->zone_lo = w->zone_hi = unix_time;
  w->has_zone = TRUE;
  return TRUE;
}

/* "2026-11-23T09:00:00+08:00", the bytes of fl_time_format_rfc3339_buf(),
 * without printf and with the zone lookup and the date cached. */
static void
w_time (Writer *w,
        gint64  unix_time)
{
  gint64 local, secs;
  gint32 day;
  char *p;
  CachedDate *date;

  if (G_UNLIKELY (!w->has_zone || unix_time < w->zone_lo || unix_time > w->zone_hi)
      && !w_update_zone (w, unix_time))
    {
      w_time_slow (w, unix_time);
      return;
    }

  local = unix_time + w->zone_offset;
  day = (gint32) fl_floor_div (local, SECONDS_PER_DAY);
  secs = local - (gint64) day * SECONDS_PER_DAY;
  if (G_UNLIKELY (secs < 0 || secs >= SECONDS_PER_DAY))
    {
      w_time_slow (w, unix_time);   /* a day number beyond gint32 */
      return;
    }

  date = &w->dates[(guint32) day % DATE_CACHE_SIZE];
  if (G_UNLIKELY (!date->valid || day != date->day))
    {
      int y, m, d;

      fl_date_to_ymd (day, &y, &m, &d);
      if (y < 0 || y > 9999)
        {
          w_time_slow (w, unix_time);
          return;
        }
      put_2digits (date->prefix, y / 100);
      put_2digits (date->prefix + 2, y % 100);
      date->prefix[4] = '-';
      put_2digits (date->prefix + 5, m);
      date->prefix[7] = '-';
      put_2digits (date->prefix + 8, d);
      date->prefix[10] = 'T';
      date->day = day;
      date->valid = TRUE;
    }

  p = w_reserve (w, 27);
  p[0] = '"';
  memcpy (p + 1, date->prefix, 11);
  put_2digits (p + 12, (guint) (secs / 3600));
  p[14] = ':';
  put_2digits (p + 15, (guint) (secs / 60 % 60));
  p[17] = ':';
  put_2digits (p + 18, (guint) (secs % 60));
  memcpy (p + 20, w->zone_suffix, 6);
  p[26] = '"';
  w_commit (w, 27);
}

/* ,"key": — @first omits the comma. @key is a string literal. */
#define w_key(w, key, first) \
  G_STMT_START { \
    if (first) \
      w_lit ((w), "\"" key "\":"); \
    else \
      w_lit ((w), ",\"" key "\":"); \
  } G_STMT_END

/* The same for a key that is not a literal. */
static void
w_key_str (Writer     *w,
           const char *key,
           gboolean    first)
{
  if (!first)
    w_char (w, ',');
  w_char (w, '"');
  w_raw (w, key);
  w_lit (w, "\":");
}

static void
w_strv (Writer      *w,
        char *const *strv)
{
  w_char (w, '[');
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        w_char (w, ',');
      w_string (w, strv[i]);
    }
  w_char (w, ']');
}

static void
w_point (Writer        *w,
         const FlPoint *point)
{
  w_char (w, '[');
  w_number (w, point->x);
  w_char (w, ',');
  w_number (w, point->y);
  w_char (w, ']');
}

static void
w_polygon (Writer          *w,
           const FlPolygon *polygon)
{
  w_char (w, '[');
  for (guint r = 0; r < polygon->rings->len; r++)
    {
      const FlRing *ring = g_ptr_array_index (polygon->rings, r);

      if (r > 0)
        w_char (w, ',');
      w_char (w, '[');
      for (guint i = 0; i < ring->points->len; i++)
        {
          if (i > 0)
            w_char (w, ',');
          w_point (w, &g_array_index (ring->points, FlPoint, i));
        }
      w_char (w, ']');
    }
  w_char (w, ']');
}

static void
w_geometry (Writer           *w,
            const FlGeometry *geometry)
{
  guint n = geometry != NULL ? geometry->polygons->len : 0;

  /* One polygon reads back as one polygon: keep the simpler type. */
  if (n == 1)
    {
      w_lit (w, "{\"type\":\"Polygon\",\"coordinates\":");
      w_polygon (w, g_ptr_array_index (geometry->polygons, 0));
      w_char (w, '}');
      return;
    }

  w_lit (w, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        w_char (w, ',');
      w_polygon (w, g_ptr_array_index (geometry->polygons, i));
    }
  w_lit (w, "]}");
}

static void
w_tier (Writer *w,
        char    tier)
{
  char str[2] = { tier, '\0' };

  w_string (w, str);
}

static void
write_region (Writer         *w,
              const FlRegion *region)
{
  w_key (w, "code", TRUE);
  w_string (w, region->code);
  w_key (w, "name", FALSE);
  w_string (w, region->name);
  if (region->has_label_point)
    {
      w_key (w, "label_point", FALSE);
      w_point (w, &region->label_point);
    }
  w_key (w, "geometry", FALSE);
  w_geometry (w, region->geometry);
}

static void
write_rep (Writer      *w,
           const FlRep *rep)
{
  w_key (w, "id", TRUE);
  w_string (w, rep->id);
  w_key (w, "name", FALSE);
  w_string (w, rep->name);
  w_key (w, "region", FALSE);
  w_string (w, rep->region);
  if (rep->phone != NULL)
    {
      w_key (w, "phone", FALSE);
      w_string (w, rep->phone);
    }
}

static void
write_category (Writer                  *w,
                const FlProductCategory *category)
{
  w_key (w, "id", TRUE);
  w_string (w, category->id);
  w_key (w, "name", FALSE);
  w_string (w, category->name);
  w_key (w, "avg_order_value", FALSE);
  w_number (w, category->avg_order_value);
}

static void
write_product (Writer          *w,
               const FlProduct *product)
{
  w_key (w, "id", TRUE);
  w_string (w, product->id);
  w_key (w, "name", FALSE);
  w_string (w, product->name);
  w_key (w, "category", FALSE);
  w_string (w, product->category);
}

static void
write_customer (Writer           *w,
                const FlCustomer *customer)
{
  w_key (w, "id", TRUE);
  w_string (w, customer->id);
  w_key (w, "name", FALSE);
  w_string (w, customer->name);
  w_key (w, "region", FALSE);
  w_string (w, customer->region);
  w_key (w, "owner_rep", FALSE);
  w_string (w, customer->owner_rep);
  w_key (w, "tier", FALSE);
  w_tier (w, customer->tier);
  if (customer->has_location)
    {
      w_key (w, "lat", FALSE);
      w_number (w, customer->lat);
      w_key (w, "lon", FALSE);
      w_number (w, customer->lon);
    }
  w_key (w, "revenue_90d", FALSE);
  w_number (w, customer->revenue_90d);

  if (customer->health != NULL && customer->health->len > 0)
    {
      w_key (w, "health", FALSE);
      w_char (w, '[');
      for (guint i = 0; i < customer->health->len; i++)
        {
          const FlHealth *health = &g_array_index (customer->health, FlHealth, i);

          if (i > 0)
            w_char (w, ',');
          w_char (w, '{');
          w_key (w, "week", TRUE);
          w_string (w, health->week);
          for (guint d = 0; d < FL_N_HEALTH_DIMENSIONS; d++)
            {
              w_key_str (w, fl_health_dimension_keys[d], FALSE);
              w_int (w, health->scores[d]);
            }
          w_char (w, '}');
        }
      w_char (w, ']');
    }
}

static void
write_visit (Writer        *w,
             const FlVisit *visit)
{
  w_key (w, "id", TRUE);
  w_string (w, visit->id);
  w_key (w, "customer", FALSE);
  w_string (w, visit->customer);
  w_key (w, "rep", FALSE);
  w_string (w, visit->rep);
  w_key (w, "start", FALSE);
  w_time (w, visit->start);
  w_key (w, "end", FALSE);
  w_time (w, visit->end);
  w_key (w, "uploaded", FALSE);
  w_time (w, visit->uploaded);
  w_key (w, "pain_keywords", FALSE);
  w_strv (w, visit->pain_keywords);
  w_key (w, "committed_action", FALSE);
  w_string (w, visit->committed_action);
  if (visit->has_next_follow_up)
    {
      w_key (w, "next_follow_up", FALSE);
      w_time (w, visit->next_follow_up);
    }
  w_key (w, "prev_action_achieved", FALSE);
  switch (visit->prev_action_achieved)
    {
    case FL_ACHIEVED_TRUE:
      w_lit (w, "true");
      break;
    case FL_ACHIEVED_FALSE:
      w_lit (w, "false");
      break;
    case FL_ACHIEVED_NULL:
    default:
      w_lit (w, "null");
      break;
    }
  if (visit->photos >= 0)
    {
      w_key (w, "photos", FALSE);
      w_int (w, visit->photos);
    }
  if (visit->has_competitor_price)
    {
      w_key (w, "competitor_price", FALSE);
      w_number (w, visit->competitor_price);
    }
  if (visit->has_shelf_share)
    {
      w_key (w, "shelf_share", FALSE);
      w_number (w, visit->shelf_share);
    }
  w_key (w, "pitches", FALSE);
  w_char (w, '[');
  for (guint i = 0; visit->pitches != NULL && i < visit->pitches->len; i++)
    {
      const FlPitch *pitch = &g_array_index (visit->pitches, FlPitch, i);

      if (i > 0)
        w_char (w, ',');
      w_char (w, '{');
      w_key (w, "product", TRUE);
      w_string (w, pitch->product);
      w_key (w, "signed", FALSE);
      w_bool (w, pitch->is_signed);
      w_char (w, '}');
    }
  w_char (w, ']');
}

static void
write_opportunity (Writer              *w,
                   const FlOpportunity *opp)
{
  w_key (w, "id", TRUE);
  w_string (w, opp->id);
  w_key (w, "customer", FALSE);
  w_string (w, opp->customer);
  w_key (w, "value", FALSE);
  w_number (w, opp->value);
  w_key (w, "stage", FALSE);
  w_string (w, fl_stage_to_string (opp->stage));
  w_key (w, "custom_requirement", FALSE);
  w_bool (w, opp->custom_requirement);
  w_key (w, "last_progress", FALSE);
  w_time (w, opp->last_progress);
}

static void
write_pilot (Writer        *w,
             const FlPilot *pilot)
{
  g_autofree char *start = fl_date_format (pilot->start);

  w_key (w, "id", TRUE);
  w_string (w, pilot->id);
  w_key (w, "title", FALSE);
  w_string (w, pilot->title);
  w_key (w, "regions", FALSE);
  w_strv (w, pilot->regions);
  w_key (w, "start", FALSE);
  w_string (w, start);
  w_key (w, "owner", FALSE);
  w_string (w, pilot->owner);
}

static void
write_case (Writer       *w,
            const FlCase *c)
{
  w_key (w, "id", TRUE);
  w_string (w, c->id);
  w_key (w, "category", FALSE);
  w_string (w, fl_alert_category_to_string (c->category));
  w_key (w, "region", FALSE);
  w_string (w, c->region);
  w_key (w, "customer_tier", FALSE);
  if (c->customer_tier == 0)
    w_lit (w, "null");
  else
    w_tier (w, c->customer_tier);
  w_key (w, "product_category", FALSE);
  w_nullable_string (w, c->product_category);
  w_key (w, "pain_keyword", FALSE);
  w_nullable_string (w, c->pain_keyword);
  w_key (w, "action_kind", FALSE);
  w_string (w, fl_action_kind_to_string (c->action_kind));
  w_key (w, "resolved_within_14d", FALSE);
  w_bool (w, c->resolved_within_14d);
  if (c->label != NULL)
    {
      w_key (w, "label", FALSE);
      w_string (w, c->label);
    }
  w_key (w, "closed", FALSE);
  w_time (w, c->closed);
}

static void
write_action (Writer         *w,
              const FlAction *action)
{
  w_key (w, "id", TRUE);
  w_string (w, action->id);
  w_key (w, "alert", FALSE);
  w_string (w, action->alert);
  w_key (w, "kind", FALSE);
  w_string (w, fl_action_kind_to_string (action->kind));
  w_key (w, "created", FALSE);
  w_time (w, action->created);
  w_key (w, "created_by", FALSE);
  w_string (w, action->created_by);
}

typedef void (*WriteFunc) (Writer *w, gconstpointer element);

/* The entity writers, shared by datasets and fragments. */
static const WriteFunc entity_writers[FL_N_ENTITY_KINDS] = {
  [FL_ENTITY_REGION] = (WriteFunc) write_region,
  [FL_ENTITY_REP] = (WriteFunc) write_rep,
  [FL_ENTITY_CATEGORY] = (WriteFunc) write_category,
  [FL_ENTITY_PRODUCT] = (WriteFunc) write_product,
  [FL_ENTITY_CUSTOMER] = (WriteFunc) write_customer,
  [FL_ENTITY_VISIT] = (WriteFunc) write_visit,
  [FL_ENTITY_OPPORTUNITY] = (WriteFunc) write_opportunity,
  [FL_ENTITY_PILOT] = (WriteFunc) write_pilot,
  [FL_ENTITY_CASE] = (WriteFunc) write_case,
  [FL_ENTITY_ACTION] = (WriteFunc) write_action,
};

/* "visits": [ … ] — one entity per line */
static void
write_array (Writer       *w,
             FlDataset    *dataset,
             FlEntityKind  kind)
{
  GPtrArray *array = fl_dataset_get_entities (dataset, kind);
  guint n = array != NULL ? array->len : 0;

  w_char (w, '"');
  w_raw (w, fl_entity_kind_to_string (kind));
  w_raw (w, n > 0 ? "\": [\n" : "\": [");
  for (guint i = 0; i < n && w->error == NULL; i++)
    {
      w_lit (w, "  {");
      entity_writers[kind] (w, g_ptr_array_index (array, i));
      w_raw (w, i + 1 < n ? "},\n" : "}\n");
      w_maybe_flush (w);
    }
  w_char (w, ']');
}

static gboolean
write_dataset (FlDataset     *dataset,
               GOutputStream *stream,
               GString       *buf,
               GError       **error)
{
  Writer w;
  const char *tz_name = dataset->timezone;

  w_init (&w, buf, stream, NULL);
  if (tz_name == NULL || !g_ascii_isalpha (tz_name[0])
      || (w.tz = g_time_zone_new_identifier (tz_name)) == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("dataset: field “%s”: unknown time zone “%s”"),
                   "timezone", tz_name != NULL ? tz_name : "");
      return FALSE;
    }

  w_lit (&w, "{\n\"format\": \"fieldlight-dataset\",\n\"version\": 1,\n\"timezone\": ");
  w_string (&w, tz_name);
  w_lit (&w, ",\n\"province\": {\"code\": ");
  w_string (&w, dataset->province_code);
  w_lit (&w, ", \"name\": ");
  w_string (&w, dataset->province_name);
  w_lit (&w, "},\n");

  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      write_array (&w, dataset, kind);
      w_raw (&w, kind + 1 < FL_N_ENTITY_KINDS ? ",\n" : "\n");
    }
  w_lit (&w, "}\n");
  w_flush (&w);

  g_time_zone_unref (w.tz);

  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  return TRUE;
}

GBytes *
fl_dataset_write_to_bytes (FlDataset  *dataset,
                           GError    **error)
{
  GString *buf;

  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buf = g_string_sized_new (64 * 1024);
  if (!write_dataset (dataset, NULL, buf, error))
    {
      g_string_free (buf, TRUE);
      return NULL;
    }

  return g_string_free_to_bytes (buf);
}

gboolean
fl_dataset_write_to_file (FlDataset   *dataset,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) tmp_file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) buf = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (dataset != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = g_file_new_for_path (path);

  /* A temporary file beside @path, renamed over it once complete. */
  for (guint attempt = 0; stream == NULL; attempt++)
    {
      g_autofree char *tmp_path = g_strdup_printf ("%s.%08x.tmp", path, g_random_int ());

      g_clear_object (&tmp_file);
      g_clear_error (&local_error);
      tmp_file = g_file_new_for_path (tmp_path);
      stream = g_file_create (tmp_file, G_FILE_CREATE_NONE, NULL, &local_error);
      if (stream == NULL
          && (attempt >= 16 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  buf = g_string_sized_new (FLUSH_THRESHOLD + 64 * 1024);
  if (!write_dataset (dataset, G_OUTPUT_STREAM (stream), buf, &local_error)
      || !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &local_error)
      || !g_file_move (tmp_file, file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                       NULL, NULL, NULL, &local_error))
    {
      g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
      g_file_delete (tmp_file, NULL, NULL);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return FALSE;
    }

  return TRUE;
}

/**
 * fl_dataset_write_fragment:
 * @fragment: entities
 * @tz: the zone of the times written
 * @out: where to append
 *
 * Appends a fragment (see fl-sync-store.h): an object holding the non-empty
 * entity arrays of @fragment, written as in a dataset file.
 */
void
fl_dataset_write_fragment (FlDataset *fragment,
                           GTimeZone *tz,
                           GString   *out)
{
  Writer w;
  gboolean first = TRUE;

  g_return_if_fail (fragment != NULL);
  g_return_if_fail (tz != NULL);
  g_return_if_fail (out != NULL);

  w_init (&w, out, NULL, tz);
  g_string_append_c (out, '{');
  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      GPtrArray *array = fl_dataset_get_entities (fragment, kind);

      if (array == NULL || array->len == 0)
        continue;
      g_string_append (out, first ? "\n" : ",\n");
      write_array (&w, fragment, kind);
      first = FALSE;
    }
  g_string_append (out, first ? "}" : "\n}");
}

/* Fragment writer */

struct _FlFragmentWriter
{
  Writer  w;
  int     kind;    /* of the open array, or -1 */
  guint   n_kinds; /* arrays opened so far */
};

/**
 * fl_fragment_writer_new:
 * @out: where to append
 * @tz: the zone of the times written
 *
 * Appends to @out, entity by entity, the bytes that
 * fl_dataset_write_fragment() writes for the same entities, without holding
 * them all: add the entities grouped by kind, the kinds in #FlEntityKind
 * order, then call fl_fragment_writer_close().
 *
 * Returns: (transfer full): a writer; free it with fl_fragment_writer_free()
 */
FlFragmentWriter *
fl_fragment_writer_new (GString   *out,
                        GTimeZone *tz)
{
  FlFragmentWriter *self;

  g_return_val_if_fail (out != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  self = g_new0 (FlFragmentWriter, 1);
  w_init (&self->w, out, NULL, g_time_zone_ref (tz));
  self->kind = -1;
  w_char (&self->w, '{');
  return self;
}

/**
 * fl_fragment_writer_add:
 * @self: a #FlFragmentWriter
 * @kind: the kind of @entity, not before that of the previous entity
 * @entity: an element of the dataset array of @kind (only read)
 */
void
fl_fragment_writer_add (FlFragmentWriter *self,
                        FlEntityKind      kind,
                        gconstpointer     entity)
{
  Writer *w;

  g_return_if_fail (self != NULL);
  g_return_if_fail (kind < FL_N_ENTITY_KINDS && (int) kind >= self->kind);
  g_return_if_fail (entity != NULL);

  w = &self->w;
  if ((int) kind == self->kind)
    {
      w_lit (w, "},\n  {");
    }
  else
    {
      if (self->kind >= 0)
        w_lit (w, "}\n]");
      if (self->n_kinds++ > 0)
        w_char (w, ',');
      w_lit (w, "\n\"");
      w_raw (w, fl_entity_kind_to_string (kind));
      w_lit (w, "\": [\n  {");
      self->kind = kind;
    }
  entity_writers[kind] (w, entity);
}

/**
 * fl_fragment_writer_close:
 * @self: a #FlFragmentWriter
 *
 * Ends the fragment. Add nothing after this.
 */
void
fl_fragment_writer_close (FlFragmentWriter *self)
{
  g_return_if_fail (self != NULL);

  if (self->kind >= 0)
    w_lit (&self->w, "}\n]");
  if (self->n_kinds > 0)
    w_lit (&self->w, "\n}");
  else
    w_char (&self->w, '}');
  self->kind = FL_N_ENTITY_KINDS;
}

void
fl_fragment_writer_free (FlFragmentWriter *self)
{
  if (self == NULL)
    return;

  g_time_zone_unref (self->w.tz);
  g_free (self);
}
