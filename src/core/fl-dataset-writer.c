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

typedef struct
{
  GString       *buf;
  GOutputStream *stream;   /* NULL: everything stays in buf */
  GTimeZone     *tz;
  GError        *error;    /* first write error; later writes are skipped */
} Writer;

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

static inline void
w_raw (Writer     *w,
       const char *str)
{
  g_string_append (w->buf, str);
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

      g_string_append_len (w->buf, run, p - run);
      g_string_append (w->buf, esc);
      run = p + 1;
    }

  g_string_append_len (w->buf, run, p - run);
}

/* A JSON string; NULL is written as "" (the reader then names the field). */
static void
w_string (Writer     *w,
          const char *str)
{
  g_string_append_c (w->buf, '"');
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
  g_string_append_c (w->buf, '"');
}

static void
w_nullable_string (Writer     *w,
                   const char *str)
{
  if (str == NULL)
    w_raw (w, "null");
  else
    w_string (w, str);
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
      g_string_append_printf (w->buf, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (w->buf, buf);
}

static void
w_int (Writer *w,
       gint64  value)
{
  g_string_append_printf (w->buf, "%" G_GINT64_FORMAT, value);
}

static void
w_bool (Writer   *w,
        gboolean  value)
{
  w_raw (w, value ? "true" : "false");
}

static void
w_time (Writer *w,
        gint64  unix_time)
{
  char buf[FL_RFC3339_BUF_SIZE];
  gsize len = fl_time_format_rfc3339_buf (unix_time, w->tz, buf);

  g_string_append_c (w->buf, '"');
  g_string_append_len (w->buf, buf, len);
  g_string_append_c (w->buf, '"');
}

/* ,"key": — @first omits the comma. */
static inline void
w_key (Writer     *w,
       const char *key,
       gboolean    first)
{
  if (!first)
    g_string_append_c (w->buf, ',');
  g_string_append_c (w->buf, '"');
  g_string_append (w->buf, key);
  g_string_append (w->buf, "\":");
}

static void
w_strv (Writer      *w,
        char *const *strv)
{
  g_string_append_c (w->buf, '[');
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (w->buf, ',');
      w_string (w, strv[i]);
    }
  g_string_append_c (w->buf, ']');
}

static void
w_point (Writer        *w,
         const FlPoint *point)
{
  g_string_append_c (w->buf, '[');
  w_number (w, point->x);
  g_string_append_c (w->buf, ',');
  w_number (w, point->y);
  g_string_append_c (w->buf, ']');
}

static void
w_polygon (Writer          *w,
           const FlPolygon *polygon)
{
  g_string_append_c (w->buf, '[');
  for (guint r = 0; r < polygon->rings->len; r++)
    {
      const FlRing *ring = g_ptr_array_index (polygon->rings, r);

      if (r > 0)
        g_string_append_c (w->buf, ',');
      g_string_append_c (w->buf, '[');
      for (guint i = 0; i < ring->points->len; i++)
        {
          if (i > 0)
            g_string_append_c (w->buf, ',');
          w_point (w, &g_array_index (ring->points, FlPoint, i));
        }
      g_string_append_c (w->buf, ']');
    }
  g_string_append_c (w->buf, ']');
}

static void
w_geometry (Writer           *w,
            const FlGeometry *geometry)
{
  guint n = geometry != NULL ? geometry->polygons->len : 0;

  /* One polygon reads back as one polygon: keep the simpler type. */
  if (n == 1)
    {
      w_raw (w, "{\"type\":\"Polygon\",\"coordinates\":");
      w_polygon (w, g_ptr_array_index (geometry->polygons, 0));
      g_string_append_c (w->buf, '}');
      return;
    }

  w_raw (w, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (w->buf, ',');
      w_polygon (w, g_ptr_array_index (geometry->polygons, i));
    }
  w_raw (w, "]}");
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
      g_string_append_c (w->buf, '[');
      for (guint i = 0; i < customer->health->len; i++)
        {
          const FlHealth *health = &g_array_index (customer->health, FlHealth, i);

          if (i > 0)
            g_string_append_c (w->buf, ',');
          g_string_append_c (w->buf, '{');
          w_key (w, "week", TRUE);
          w_string (w, health->week);
          for (guint d = 0; d < FL_N_HEALTH_DIMENSIONS; d++)
            {
              w_key (w, fl_health_dimension_keys[d], FALSE);
              w_int (w, health->scores[d]);
            }
          g_string_append_c (w->buf, '}');
        }
      g_string_append_c (w->buf, ']');
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
      w_raw (w, "true");
      break;
    case FL_ACHIEVED_FALSE:
      w_raw (w, "false");
      break;
    case FL_ACHIEVED_NULL:
    default:
      w_raw (w, "null");
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
  g_string_append_c (w->buf, '[');
  for (guint i = 0; visit->pitches != NULL && i < visit->pitches->len; i++)
    {
      const FlPitch *pitch = &g_array_index (visit->pitches, FlPitch, i);

      if (i > 0)
        g_string_append_c (w->buf, ',');
      g_string_append_c (w->buf, '{');
      w_key (w, "product", TRUE);
      w_string (w, pitch->product);
      w_key (w, "signed", FALSE);
      w_bool (w, pitch->is_signed);
      g_string_append_c (w->buf, '}');
    }
  g_string_append_c (w->buf, ']');
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
    w_raw (w, "null");
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

  g_string_append_c (w->buf, '"');
  g_string_append (w->buf, fl_entity_kind_to_string (kind));
  g_string_append (w->buf, n > 0 ? "\": [\n" : "\": [");
  for (guint i = 0; i < n && w->error == NULL; i++)
    {
      g_string_append (w->buf, "  {");
      entity_writers[kind] (w, g_ptr_array_index (array, i));
      g_string_append (w->buf, i + 1 < n ? "},\n" : "}\n");
      w_maybe_flush (w);
    }
  g_string_append_c (w->buf, ']');
}

static gboolean
write_dataset (FlDataset     *dataset,
               GOutputStream *stream,
               GString       *buf,
               GError       **error)
{
  Writer w = { buf, stream, NULL, NULL };
  const char *tz_name = dataset->timezone;

  if (tz_name == NULL || !g_ascii_isalpha (tz_name[0])
      || (w.tz = g_time_zone_new_identifier (tz_name)) == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("dataset: field “%s”: unknown time zone “%s”"),
                   "timezone", tz_name != NULL ? tz_name : "");
      return FALSE;
    }

  w_raw (&w, "{\n\"format\": \"fieldlight-dataset\",\n\"version\": 1,\n\"timezone\": ");
  w_string (&w, tz_name);
  w_raw (&w, ",\n\"province\": {\"code\": ");
  w_string (&w, dataset->province_code);
  w_raw (&w, ", \"name\": ");
  w_string (&w, dataset->province_name);
  w_raw (&w, "},\n");

  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      write_array (&w, dataset, kind);
      w_raw (&w, kind + 1 < FL_N_ENTITY_KINDS ? ",\n" : "\n");
    }
  w_raw (&w, "}\n");
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
  Writer w = { out, NULL, tz, NULL };
  gboolean first = TRUE;

  g_return_if_fail (fragment != NULL);
  g_return_if_fail (tz != NULL);
  g_return_if_fail (out != NULL);

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
