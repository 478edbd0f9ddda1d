/* fl-dataset.c — the in-memory dataset of FORMATS.md §1 and its reader
 *
 * The reader validates and copies the document element by element, never
 * holding more than one element's JsonParser tree (see "Reader" below).
 * Nothing is returned unless everything is valid. Id lookups for duplicates
 * and references go through hash tables keyed by the ids already copied into
 * the dataset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#ifdef G_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "fl-dataset-private.h"
#include "fl-json.h"
#include "fl-json-scan.h"
#include "fl-sync-store.h"
#include "fl-time.h"

#define FL_DATASET_FORMAT "fieldlight-dataset"
#define FL_DATASET_VERSION 1

const char * const fl_health_dimension_keys[FL_N_HEALTH_DIMENSIONS] = {
  "cooperation_stability",
  "new_product_acceptance",
  "competitor_penetration",
  "sell_through",
  "inventory_health",
  "payment_punctuality",
};

/* Element destructors */

void
fl_region_free (FlRegion *r)
{
  if (r == NULL)
    return;
  g_free (r->code);
  g_free (r->name);
  g_clear_pointer (&r->geometry, fl_geometry_free);
  g_free (r);
}

void
fl_rep_free (FlRep *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->name);
  g_free (r->region);
  g_free (r->phone);
  g_free (r);
}

void
fl_product_category_free (FlProductCategory *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->name);
  g_free (c);
}

void
fl_product_free (FlProduct *p)
{
  if (p == NULL)
    return;
  g_free (p->id);
  g_free (p->name);
  g_free (p->category);
  g_free (p);
}

void
fl_customer_free (FlCustomer *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->name);
  g_free (c->region);
  g_free (c->owner_rep);
  g_clear_pointer (&c->health, g_array_unref);
  g_free (c);
}

static void
pitch_clear (gpointer data)
{
  FlPitch *pitch = data;

  g_clear_pointer (&pitch->product, g_free);
}

void
fl_visit_free (FlVisit *v)
{
  if (v == NULL)
    return;
  g_free (v->id);
  g_free (v->customer);
  g_free (v->rep);
  g_strfreev (v->pain_keywords);
  g_free (v->committed_action);
  g_clear_pointer (&v->pitches, g_array_unref);
  g_free (v);
}

void
fl_opportunity_free (FlOpportunity *o)
{
  if (o == NULL)
    return;
  g_free (o->id);
  g_free (o->customer);
  g_free (o);
}

void
fl_pilot_free (FlPilot *p)
{
  if (p == NULL)
    return;
  g_free (p->id);
  g_free (p->title);
  g_strfreev (p->regions);
  g_free (p->owner);
  g_free (p);
}

void
fl_case_free (FlCase *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->region);
  g_free (c->product_category);
  g_free (c->pain_keyword);
  g_free (c->label);
  g_free (c);
}

void
fl_action_free (FlAction *a)
{
  if (a == NULL)
    return;
  g_free (a->id);
  g_free (a->alert);
  g_free (a->created_by);
  g_free (a);
}

/* Dataset */

FlDataset *
fl_dataset_new (void)
{
  FlDataset *dataset = g_new0 (FlDataset, 1);

  dataset->timezone = g_strdup ("Asia/Shanghai");
  dataset->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_region_free);
  dataset->reps = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_rep_free);
  dataset->categories =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fl_product_category_free);
  dataset->products = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_product_free);
  dataset->customers = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_customer_free);
  dataset->visits = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_visit_free);
  dataset->opportunities =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fl_opportunity_free);
  dataset->pilots = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_pilot_free);
  dataset->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_case_free);
  dataset->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_action_free);

  return dataset;
}

void
fl_dataset_free (FlDataset *dataset)
{
  if (dataset == NULL)
    return;

  g_free (dataset->timezone);
  g_free (dataset->province_code);
  g_free (dataset->province_name);
  g_clear_pointer (&dataset->regions, g_ptr_array_unref);
  g_clear_pointer (&dataset->reps, g_ptr_array_unref);
  g_clear_pointer (&dataset->categories, g_ptr_array_unref);
  g_clear_pointer (&dataset->products, g_ptr_array_unref);
  g_clear_pointer (&dataset->customers, g_ptr_array_unref);
  g_clear_pointer (&dataset->visits, g_ptr_array_unref);
  g_clear_pointer (&dataset->opportunities, g_ptr_array_unref);
  g_clear_pointer (&dataset->pilots, g_ptr_array_unref);
  g_clear_pointer (&dataset->cases, g_ptr_array_unref);
  g_clear_pointer (&dataset->actions, g_ptr_array_unref);
  g_free (dataset);
}

/* A zone GLib knows by an IANA-style name: not a POSIX TZ string with a
 * leading offset, not a file path. */
static GTimeZone *
time_zone_from_identifier (const char *identifier)
{
  if (identifier == NULL || !g_ascii_isalpha (identifier[0]) || strstr (identifier, "..") != NULL)
    return NULL;

  return g_time_zone_new_identifier (identifier);
}

GTimeZone *
fl_dataset_get_time_zone (FlDataset *dataset)
{
  GTimeZone *tz;

  g_return_val_if_fail (dataset != NULL, NULL);

  tz = time_zone_from_identifier (dataset->timezone);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  return tz;
}

/* Reader */

/* The reader never holds the whole document as one JsonParser tree (about
 * ten times the file in memory). It works in two steps:
 *
 * 1. The scanner (fl-json-scan.h) walks the top-level object once and lists
 *    its members, and the elements of those that are arrays, as byte spans.
 * 2. The entity types are read in the order their references need (regions
 *    before reps, …) whatever their order in the file. Each element is parsed
 *    by one reused JsonParser, validated and copied, and its tree dropped.
 *
 * What the reader does not use (unknown members, earlier duplicates of a key,
 * which JsonParser would replace too) is parsed all the same, to check it is
 * JSON. Whenever something is wrong, the spans not parsed yet are parsed in
 * file order up to the first one that is not JSON: like one JsonParser over
 * the whole document, a malformed document is reported as such, at its first
 * syntax error, rather than for its content.
 *
 * A mapped file's pages are given back (MADV_DONTNEED) behind the reader, so
 * its resident size stays that of the dataset being built. */

/* Give back the pages of a mapped file every so many bytes read. */
#define RELEASE_CHUNK (32 * 1024 * 1024)

/* A top-level member */
typedef struct
{
  char       *key;         /* decoded */
  FlJsonSpan  value;
  GArray     *elements;    /* of FlJsonSpan when the value is an array, else NULL */
  guint       n_checked;   /* leading elements known to be JSON */
  gboolean    checked;     /* the whole value is known to be JSON */
  gsize       released;    /* mapped pages before this offset were given back */
} Member;

typedef struct
{
  FlJsonScanner  scanner;   /* over the whole document */
  JsonParser    *parser;    /* reused for every span */
  GArray        *members;   /* of Member, in file order */
  GHashTable    *last;      /* key → index + 1 in members of its last occurrence */
  JsonObject    *small;     /* the parsed values of the members read whole */
  gboolean       release;   /* the data is a mapping of our own: give pages back */
  gsize          page_size;
  gsize          released;  /* during the scan, as Member.released */
} Document;

static void
member_clear (gpointer data)
{
  Member *m = data;

  g_clear_pointer (&m->key, g_free);
  g_clear_pointer (&m->elements, g_array_unref);
}

static void
document_init (Document   *doc,
               const char *name,
               const char *data,
               gsize       length,
               gboolean    release)
{
  memset (doc, 0, sizeof *doc);
  fl_json_scanner_init (&doc->scanner, name, data, length);
  doc->parser = json_parser_new ();
  doc->members = g_array_new (FALSE, TRUE, sizeof (Member));
  g_array_set_clear_func (doc->members, member_clear);
  doc->last = g_hash_table_new (g_str_hash, g_str_equal);
  doc->small = json_object_new ();
  doc->release = release;
#ifdef G_OS_UNIX
  doc->page_size = (gsize) sysconf (_SC_PAGESIZE);
#endif
}

static void
document_clear (Document *doc)
{
  g_clear_object (&doc->parser);
  g_clear_pointer (&doc->last, g_hash_table_unref);
  g_clear_pointer (&doc->members, g_array_unref);
  g_clear_pointer (&doc->small, json_object_unref);
}

/* Gives back the mapped pages wholly inside [@start, @end). */
static void
document_release (Document *doc,
                  gsize     start,
                  gsize     end)
{
#ifdef G_OS_UNIX
  guintptr base = (guintptr) doc->scanner.data;
  gsize page_size = doc->page_size;
  guintptr from, to;

  if (!doc->release || end <= start || page_size == 0)
    return;

  from = (base + start + page_size - 1) / page_size * page_size;
  to = (base + end) / page_size * page_size;
  if (from < to)
    madvise ((void *) from, to - from, MADV_DONTNEED);
#endif
}

/* Decodes the member name at @span (quotes included). */
static char *
document_decode_key (Document          *doc,
                     const FlJsonSpan  *span,
                     GError           **error)
{
  const char *data = doc->scanner.data;
  JsonNode *root;

  /* Plain ASCII without escapes, as every key of the format: as it is. */
  for (gsize i = span->start + 1; i + 1 < span->end; i++)
    {
      guchar c = (guchar) data[i];

      if (c < 0x20 || c > 0x7e || c == '\\')
        goto parse;
    }
  return g_strndup (data + span->start + 1, span->end - span->start - 2);

parse:
  if (!fl_json_scanner_parse_span (&doc->scanner, doc->parser, span, error))
    return NULL;
  root = json_parser_get_root (doc->parser);
  g_return_val_if_fail (root != NULL && JSON_NODE_HOLDS_VALUE (root), NULL);
  return g_strdup (json_node_get_string (root));
}

/* Step 1: the members of the top-level object, which must come next. */
static gboolean
document_scan (Document  *doc,
               GError   **error)
{
  FlJsonScanner *scanner = &doc->scanner;

  doc->released = 0;
  if (!fl_json_scanner_open (scanner, '{', error))
    return FALSE;

  for (;;)
    {
      FlJsonSpan key;
      Member *m;
      gboolean found;
      char c;

      if (!fl_json_scanner_next_key (scanner, &key, &found, error))
        return FALSE;
      if (!found)
        break;

      /* In the list at once, so that a later error finds the elements read so far. */
      g_array_set_size (doc->members, doc->members->len + 1);
      m = &g_array_index (doc->members, Member, doc->members->len - 1);
      m->key = document_decode_key (doc, &key, error);
      if (m->key == NULL)
        return FALSE;

      c = fl_json_scanner_peek (scanner);
      m->value.start = m->released = scanner->pos;
      if (c != '[')
        {
          if (!fl_json_scanner_skip_value (scanner, &m->value, error))
            return FALSE;
        }
      else
        {
          FlJsonScanner array = *scanner;

          m->elements = g_array_new (FALSE, FALSE, sizeof (FlJsonSpan));
          if (!fl_json_scanner_open (&array, '[', error))
            return FALSE;
          for (;;)
            {
              FlJsonSpan span;

              if (!fl_json_scanner_next_element (&array, &span, &found, error))
                return FALSE;
              if (!found)
                break;
              g_array_append_val (m->elements, span);

              if (span.end - doc->released >= RELEASE_CHUNK)
                {
                  document_release (doc, doc->released, span.end);
                  doc->released = span.end;
                }
            }
          scanner->pos = array.pos;
        }
      m->value.end = scanner->pos;
      g_hash_table_insert (doc->last, m->key, GUINT_TO_POINTER (doc->members->len));
    }

  if (!fl_json_scanner_finish (scanner, error))
    return FALSE;
  document_release (doc, doc->released, scanner->length);
  return TRUE;
}

/* Parses @span with doc->parser; its tree lives until the next parse. */
static gboolean
document_parse (Document          *doc,
                const FlJsonSpan  *span,
                GError           **error)
{
  return fl_json_scanner_parse_span (&doc->scanner, doc->parser, span, error);
}

/* Parses element @index of @m; elements are parsed in order. */
static JsonNode *
document_parse_element (Document  *doc,
                        Member    *m,
                        guint      index,
                        GError   **error)
{
  const FlJsonSpan *span = &g_array_index (m->elements, FlJsonSpan, index);

  if (!document_parse (doc, span, error))
    return NULL;
  m->n_checked = MAX (m->n_checked, index + 1);

  if (span->end - m->released >= RELEASE_CHUNK || index + 1 == m->elements->len)
    {
      document_release (doc, m->released, span->end);
      m->released = span->end;
    }
  return json_parser_get_root (doc->parser);
}

static Member *
document_lookup (Document   *doc,
                 const char *key)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (doc->last, key));

  return index != 0 ? &g_array_index (doc->members, Member, index - 1) : NULL;
}

/* The members the reader takes whole (all but its arrays) into doc->small,
 * as JsonParser would have them: the last of duplicates wins. */
static gboolean
document_read_small (Document  *doc,
                     GError   **error)
{
  static const char * const header_keys[] = { "format", "version", "timezone", "province" };
  static const char * const array_keys[] = {
    "regions", "reps", "categories", "products", "customers",
    "visits", "opportunities", "pilots", "cases", "actions",
  };

  for (guint i = 0; i < G_N_ELEMENTS (header_keys) + G_N_ELEMENTS (array_keys); i++)
    {
      gboolean is_header = i < G_N_ELEMENTS (header_keys);
      const char *key = is_header ? header_keys[i] : array_keys[i - G_N_ELEMENTS (header_keys)];
      Member *m = document_lookup (doc, key);

      if (m == NULL || (!is_header && m->elements != NULL))
        continue;
      if (!document_parse (doc, &m->value, error))
        return FALSE;
      m->checked = TRUE;
      json_object_set_member (doc->small, key, json_parser_steal_root (doc->parser));
    }

  return TRUE;
}

/* The member @key of the dataset, which must be an array. */
static gboolean
document_get_array (Document    *doc,
                    const char  *key,
                    Member     **out,
                    GError     **error)
{
  Member *m = document_lookup (doc, key);
  JsonArray *array;

  if (m != NULL && m->elements != NULL)
    {
      *out = m;
      return TRUE;
    }

  /* Missing, or in doc->small as something else: the usual message. */
  if (!fl_json_get_array (doc->small, "dataset", key, &array, error))
    return FALSE;
  g_return_val_if_reached (FALSE);
}

/* Parses every span not parsed yet, in file order, up to the first that is not JSON. */
static gboolean
document_check_rest (Document  *doc,
                     GError   **error)
{
  for (guint i = 0; i < doc->members->len; i++)
    {
      Member *m = &g_array_index (doc->members, Member, i);

      if (m->checked)
        continue;

      if (m->elements == NULL)
        {
          /* value.end is still 0 when the scan stopped in this value */
          if (m->value.end != 0 && !document_parse (doc, &m->value, error))
            return FALSE;
        }
      else
        {
          for (guint j = m->n_checked; j < m->elements->len; j++)
            {
              if (document_parse_element (doc, m, j, error) == NULL)
                return FALSE;
            }
        }
      m->checked = TRUE;
    }

  return TRUE;
}

typedef struct
{
  FlDataset  *dataset;
  Document   *doc;         /* NULL for a fragment */
  gboolean    fragment;    /* references are not checked */
  /* id → index + 1 in its array; keys are the ids in the dataset */
  GHashTable *regions;
  GHashTable *reps;
  GHashTable *categories;
  GHashTable *products;
  GHashTable *customers;
  char        what[160];   /* "visit v-12" or "visits[3]" */
} Reader;

static void
reader_clear (Reader *r)
{
  /* The tables have no destroy functions: freeing the keys first is fine. */
  g_clear_pointer (&r->dataset, fl_dataset_free);
  g_clear_pointer (&r->regions, g_hash_table_unref);
  g_clear_pointer (&r->reps, g_hash_table_unref);
  g_clear_pointer (&r->categories, g_hash_table_unref);
  g_clear_pointer (&r->products, g_hash_table_unref);
  g_clear_pointer (&r->customers, g_hash_table_unref);
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    {
      g_assert (*error == NULL);
      *error = g_error_new_valist (FL_ERROR, FL_ERROR_INVALID_DATA, format, args);
    }
  va_end (args);
  return FALSE;
}

static gboolean
check_ref (Reader      *r,
           const char  *member,
           const char  *value,
           GHashTable  *table,
           const char  *target_kind,
           GError     **error)
{
  if (!r->fragment && !g_hash_table_contains (table, value))
    return invalid (error, _("%s: field “%s” names an unknown %s “%s”"),
                    r->what, member, target_kind, value);
  return TRUE;
}

/* A required string member that must name an entry of @table. */
static gboolean
read_ref (Reader      *r,
          JsonObject  *obj,
          const char  *member,
          GHashTable  *table,
          const char  *target_kind,
          char       **out,
          GError     **error)
{
  const char *value;

  if (!fl_json_get_string (obj, r->what, member, &value, error)
      || !check_ref (r, member, value, table, target_kind, error))
    return FALSE;

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_string (Reader      *r,
             JsonObject  *obj,
             const char  *member,
             char       **out,
             GError     **error)
{
  const char *value;

  if (!fl_json_get_string (obj, r->what, member, &value, error))
    return FALSE;

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
check_range (const char  *what,
             const char  *member,
             double       value,
             double       min,
             double       max,
             GError     **error)
{
  if (value >= min && value <= max)
    return TRUE;

  if (max == G_MAXDOUBLE)
    return invalid (error, _("%s: field “%s” must not be negative"), what, member);
  return invalid (error, _("%s: field “%s” must be between %g and %g"),
                  what, member, min, max);
}

static gboolean
read_non_negative (Reader      *r,
                   JsonObject  *obj,
                   const char  *member,
                   double      *out,
                   GError     **error)
{
  return fl_json_get_double (obj, r->what, member, out, error)
         && check_range (r->what, member, *out, 0.0, G_MAXDOUBLE, error);
}

static gboolean
parse_tier (const char *str,
            char       *out)
{
  if (str == NULL || str[0] < 'A' || str[0] > 'C' || str[1] != '\0')
    return FALSE;
  *out = str[0];
  return TRUE;
}

static gboolean
unknown_value (Reader      *r,
               const char  *member,
               const char  *value,
               GError     **error)
{
  return invalid (error, _("%s: field “%s” has an unknown value “%s”"),
                  r->what, member, value);
}

/* An optional array of strings; absent → empty strv. */
static gboolean
read_string_array (Reader       *r,
                   JsonObject   *obj,
                   const char   *member,
                   gboolean      required,
                   GHashTable   *ref_table,
                   const char   *ref_kind,
                   char       ***out,
                   GError      **error)
{
  JsonArray *array = NULL;
  guint n;
  char **strv;

  if (required)
    {
      if (!fl_json_get_array (obj, r->what, member, &array, error))
        return FALSE;
    }
  else if (!fl_json_get_opt_array (obj, r->what, member, &array, error))
    {
      return FALSE;
    }

  n = array != NULL ? json_array_get_length (array) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return invalid (error, _("%s: field “%s” must be an array of strings"),
                        r->what, member);
      if (ref_table != NULL
          && !check_ref (r, member, json_node_get_string (node), ref_table, ref_kind, error))
        return FALSE;
    }

  strv = g_new (char *, n + 1);
  for (guint i = 0; i < n; i++)
    strv[i] = g_strdup (json_array_get_string_element (array, i));
  strv[n] = NULL;

  *out = strv;
  return TRUE;
}

static GHashTable *
id_table_new (void)
{
  return g_hash_table_new (g_str_hash, g_str_equal);
}

/* Top level */

static gboolean
read_header (Reader      *r,
             JsonObject  *root,
             GError     **error)
{
  FlDataset *ds = r->dataset;
  const char *format, *tz_name, *code, *name;
  gint64 version;
  JsonObject *province;
  g_autoptr(GTimeZone) tz = NULL;

  if (!fl_json_get_string (root, "dataset", "format", &format, error))
    return FALSE;
  if (strcmp (format, FL_DATASET_FORMAT) != 0)
    return invalid (error, _("dataset: field “%s” must be “%s”, not “%s”"),
                    "format", FL_DATASET_FORMAT, format);

  if (!fl_json_get_int (root, "dataset", "version", &version, error))
    return FALSE;
  if (version != FL_DATASET_VERSION)
    {
      g_autofree char *found = g_strdup_printf ("%" G_GINT64_FORMAT, version);

      return invalid (error, _("dataset: field “%s”: unsupported version %s"),
                      "version", found);
    }

  if (!fl_json_get_string (root, "dataset", "timezone", &tz_name, error))
    return FALSE;
  tz = time_zone_from_identifier (tz_name);
  if (tz == NULL)
    return invalid (error, _("dataset: field “%s”: unknown time zone “%s”"),
                    "timezone", tz_name);
  g_free (ds->timezone);
  ds->timezone = g_strdup (tz_name);

  if (!fl_json_get_object (root, "dataset", "province", &province, error)
      || !fl_json_get_id (province, "province", "code", &code, error)
      || !fl_json_get_string (province, "province", "name", &name, error))
    return FALSE;
  ds->province_code = g_strdup (code);
  ds->province_name = g_strdup (name);

  return TRUE;
}

static gboolean
read_label_point (Reader      *r,
                  JsonObject  *obj,
                  FlRegion    *region,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (obj, "label_point");
  JsonArray *array;
  JsonNode *x, *y;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length ((array = json_node_get_array (node))) != 2
      || !JSON_NODE_HOLDS_VALUE ((x = json_array_get_element (array, 0)))
      || !JSON_NODE_HOLDS_VALUE ((y = json_array_get_element (array, 1)))
      || (json_node_get_value_type (x) != G_TYPE_DOUBLE
          && json_node_get_value_type (x) != G_TYPE_INT64)
      || (json_node_get_value_type (y) != G_TYPE_DOUBLE
          && json_node_get_value_type (y) != G_TYPE_INT64))
    return invalid (error, _("%s: field “%s” must be [longitude, latitude]"),
                    r->what, "label_point");

  region->label_point.x = json_node_get_double (x);
  region->label_point.y = json_node_get_double (y);
  if (!check_range (r->what, "label_point", region->label_point.x, -180.0, 180.0, error)
      || !check_range (r->what, "label_point", region->label_point.y, -90.0, 90.0, error))
    return FALSE;

  region->has_label_point = TRUE;
  return TRUE;
}

static gboolean
read_region (Reader      *r,
             JsonObject  *obj,
             gpointer     element,
             GError     **error)
{
  FlRegion *region = element;
  JsonNode *geometry;
  g_autofree char *geometry_what = NULL;

  if (!read_string (r, obj, "name", &region->name, error)
      || !read_label_point (r, obj, region, error))
    return FALSE;

  geometry = json_object_get_member (obj, "geometry");
  if (geometry == NULL)
    return invalid (error, _("%s: missing field “%s”"), r->what, "geometry");

  geometry_what = g_strdup_printf ("%s: geometry", r->what);
  region->geometry = fl_geometry_from_json (geometry, geometry_what, error);
  if (region->geometry == NULL)
    return FALSE;

  if (!region->has_label_point)
    region->label_point = fl_geometry_label_point (region->geometry);

  return TRUE;
}

static gboolean
read_rep (Reader      *r,
          JsonObject  *obj,
          gpointer     element,
          GError     **error)
{
  FlRep *rep = element;
  const char *phone;

  if (!read_string (r, obj, "name", &rep->name, error)
      || !read_ref (r, obj, "region", r->regions, "region", &rep->region, error)
      || !fl_json_get_opt_string (obj, r->what, "phone", &phone, error))
    return FALSE;
  rep->phone = g_strdup (phone);

  return TRUE;
}

static gboolean
read_category (Reader      *r,
               JsonObject  *obj,
               gpointer     element,
               GError     **error)
{
  FlProductCategory *category = element;

  if (!read_string (r, obj, "name", &category->name, error)
      || !read_non_negative (r, obj, "avg_order_value", &category->avg_order_value, error))
    return FALSE;

  return TRUE;
}

static gboolean
read_product (Reader      *r,
              JsonObject  *obj,
              gpointer     element,
              GError     **error)
{
  FlProduct *product = element;

  if (!read_string (r, obj, "name", &product->name, error)
      || !read_ref (r, obj, "category", r->categories, "category", &product->category,
                    error))
    return FALSE;

  return TRUE;
}

static gboolean
read_health (Reader      *r,
             JsonObject  *obj,
             FlCustomer  *customer,
             GError     **error)
{
  JsonArray *array;
  guint n;

  customer->health = g_array_new (FALSE, TRUE, sizeof (FlHealth));

  if (!fl_json_get_opt_array (obj, r->what, "health", &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  n = json_array_get_length (array);
  g_array_set_size (customer->health, n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      FlHealth *health = &g_array_index (customer->health, FlHealth, i);
      char what[sizeof r->what + 32];
      JsonObject *hobj;
      const char *week_str;
      int year, week;

      g_snprintf (what, sizeof what, "%s: health[%u]", r->what, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, _("%s: must be an object"), what);
      hobj = json_node_get_object (node);

      if (!fl_json_get_string (hobj, what, "week", &week_str, error))
        return FALSE;
      if (!fl_iso_week_parse (week_str, &year, &week))
        return invalid (error, _("%s: field “%s” is not an ISO week (YYYY-Www)"),
                        what, "week");
      g_snprintf (health->week, sizeof health->week, "%04d-W%02d", year, week);

      for (guint d = 0; d < FL_N_HEALTH_DIMENSIONS; d++)
        {
          const char *key = fl_health_dimension_keys[d];
          gint64 score;

          if (!fl_json_get_int (hobj, what, key, &score, error)
              || !check_range (what, key, (double) score, 0, 100, error))
            return FALSE;
          health->scores[d] = (int) score;
        }
    }

  return TRUE;
}

static gboolean
read_customer (Reader      *r,
               JsonObject  *obj,
               gpointer     element,
               GError     **error)
{
  FlCustomer *customer = element;
  const char *tier;
  gboolean has_lat, has_lon;

  if (!read_string (r, obj, "name", &customer->name, error)
      || !read_ref (r, obj, "region", r->regions, "region", &customer->region, error)
      || !read_ref (r, obj, "owner_rep", r->reps, "rep", &customer->owner_rep, error)
      || !fl_json_get_string (obj, r->what, "tier", &tier, error))
    return FALSE;
  if (!parse_tier (tier, &customer->tier))
    return unknown_value (r, "tier", tier, error);

  if (!fl_json_get_opt_double (obj, r->what, "lat", &has_lat, &customer->lat, error)
      || !fl_json_get_opt_double (obj, r->what, "lon", &has_lon, &customer->lon, error))
    return FALSE;
  if (has_lat != has_lon)
    return invalid (error, _("%s: field “%s” is required when “%s” is given"),
                    r->what, has_lat ? "lon" : "lat", has_lat ? "lat" : "lon");
  if (has_lat
      && (!check_range (r->what, "lat", customer->lat, -90.0, 90.0, error)
          || !check_range (r->what, "lon", customer->lon, -180.0, 180.0, error)))
    return FALSE;
  customer->has_location = has_lat;

  if (!read_non_negative (r, obj, "revenue_90d", &customer->revenue_90d, error)
      || !read_health (r, obj, customer, error))
    return FALSE;

  return TRUE;
}

static gboolean
read_pitches (Reader      *r,
              JsonObject  *obj,
              FlVisit     *visit,
              GError     **error)
{
  JsonArray *array;
  guint n;

  if (!fl_json_get_opt_array (obj, r->what, "pitches", &array, error))
    return FALSE;

  n = array != NULL ? json_array_get_length (array) : 0;
  visit->pitches = g_array_sized_new (FALSE, TRUE, sizeof (FlPitch), n);
  g_array_set_clear_func (visit->pitches, pitch_clear);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      char what[sizeof r->what + 32];
      JsonObject *pobj;
      const char *product;
      FlPitch pitch = { NULL, FALSE };

      g_snprintf (what, sizeof what, "%s: pitches[%u]", r->what, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, _("%s: must be an object"), what);
      pobj = json_node_get_object (node);

      if (!fl_json_get_string (pobj, what, "product", &product, error))
        return FALSE;
      if (!r->fragment && !g_hash_table_contains (r->products, product))
        return invalid (error, _("%s: field “%s” names an unknown %s “%s”"),
                        what, "product", "product", product);
      if (!fl_json_get_bool (pobj, what, "signed", &pitch.is_signed, error))
        return FALSE;

      pitch.product = g_strdup (product);
      g_array_append_val (visit->pitches, pitch);
    }

  return TRUE;
}

static gboolean
read_achieved (Reader      *r,
               JsonObject  *obj,
               const char  *member,
               FlAchieved  *out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    return invalid (error, _("%s: missing field “%s”"), r->what, member);

  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = FL_ACHIEVED_NULL;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, _("%s: field “%s” must be true, false or null"), r->what, member);

  *out = json_node_get_boolean (node) ? FL_ACHIEVED_TRUE : FL_ACHIEVED_FALSE;
  return TRUE;
}

static gboolean
read_visit (Reader      *r,
            JsonObject  *obj,
            gpointer     element,
            GError     **error)
{
  FlVisit *visit = element;
  gboolean has_photos;
  gint64 photos;

  visit->photos = -1;

  if (!read_ref (r, obj, "customer", r->customers, "customer", &visit->customer, error)
      || !read_ref (r, obj, "rep", r->reps, "rep", &visit->rep, error)
      || !fl_json_get_time (obj, r->what, "start", &visit->start, error)
      || !fl_json_get_time (obj, r->what, "end", &visit->end, error))
    return FALSE;
  if (visit->end < visit->start)
    return invalid (error, _("%s: field “%s” is before “%s”"), r->what, "end", "start");

  if (!fl_json_get_time (obj, r->what, "uploaded", &visit->uploaded, error)
      || !read_string_array (r, obj, "pain_keywords", FALSE, NULL, NULL,
                             &visit->pain_keywords, error)
      || !read_string (r, obj, "committed_action", &visit->committed_action, error)
      || !fl_json_get_opt_time (obj, r->what, "next_follow_up", &visit->has_next_follow_up,
                                &visit->next_follow_up, error)
      || !read_achieved (r, obj, "prev_action_achieved", &visit->prev_action_achieved,
                         error)
      || !fl_json_get_opt_int (obj, r->what, "photos", &has_photos, &photos, error))
    return FALSE;
  if (has_photos)
    {
      if (!check_range (r->what, "photos", (double) photos, 0, G_MAXDOUBLE, error))
        return FALSE;
      if (photos > G_MAXINT)
        return invalid (error, _("%s: field “%s” is too large"), r->what, "photos");
      visit->photos = (int) photos;
    }

  if (!fl_json_get_opt_double (obj, r->what, "competitor_price", &visit->has_competitor_price,
                               &visit->competitor_price, error)
      || (visit->has_competitor_price
          && !check_range (r->what, "competitor_price", visit->competitor_price,
                           0.0, G_MAXDOUBLE, error))
      || !fl_json_get_opt_double (obj, r->what, "shelf_share", &visit->has_shelf_share,
                                  &visit->shelf_share, error)
      || (visit->has_shelf_share
          && !check_range (r->what, "shelf_share", visit->shelf_share, 0.0, 1.0, error))
      || !read_pitches (r, obj, visit, error))
    return FALSE;

  return TRUE;
}

static gboolean
read_opportunity (Reader      *r,
                  JsonObject  *obj,
                  gpointer     element,
                  GError     **error)
{
  FlOpportunity *opp = element;
  const char *stage;

  if (!read_ref (r, obj, "customer", r->customers, "customer", &opp->customer, error)
      || !read_non_negative (r, obj, "value", &opp->value, error)
      || !fl_json_get_string (obj, r->what, "stage", &stage, error))
    return FALSE;
  if (!fl_stage_from_string (stage, &opp->stage))
    return unknown_value (r, "stage", stage, error);

  if (!fl_json_get_bool (obj, r->what, "custom_requirement", &opp->custom_requirement,
                         error)
      || !fl_json_get_time (obj, r->what, "last_progress", &opp->last_progress, error))
    return FALSE;

  return TRUE;
}

static gboolean
read_pilot (Reader      *r,
            JsonObject  *obj,
            gpointer     element,
            GError     **error)
{
  FlPilot *pilot = element;

  if (!read_string (r, obj, "title", &pilot->title, error)
      || !read_string_array (r, obj, "regions", TRUE, r->regions, "region",
                             &pilot->regions, error)
      || !fl_json_get_date (obj, r->what, "start", &pilot->start, error)
      || !read_ref (r, obj, "owner", r->reps, "rep", &pilot->owner, error))
    return FALSE;

  return TRUE;
}

static gboolean
read_case (Reader      *r,
           JsonObject  *obj,
           gpointer     element,
           GError     **error)
{
  FlCase *c = element;
  const char *category, *tier, *product_category, *pain_keyword, *kind, *label;

  if (!fl_json_get_string (obj, r->what, "category", &category, error))
    return FALSE;
  if (!fl_alert_category_from_string (category, &c->category))
    return unknown_value (r, "category", category, error);

  if (!read_ref (r, obj, "region", r->regions, "region", &c->region, error)
      || !fl_json_get_nullable_string (obj, r->what, "customer_tier", &tier, error))
    return FALSE;
  if (tier != NULL && !parse_tier (tier, &c->customer_tier))
    return unknown_value (r, "customer_tier", tier, error);

  if (!fl_json_get_nullable_string (obj, r->what, "product_category", &product_category,
                                    error)
      || (product_category != NULL
          && !check_ref (r, "product_category", product_category, r->categories,
                         "category", error)))
    return FALSE;
  c->product_category = g_strdup (product_category);

  if (!fl_json_get_nullable_string (obj, r->what, "pain_keyword", &pain_keyword, error)
      || !fl_json_get_string (obj, r->what, "action_kind", &kind, error))
    return FALSE;
  c->pain_keyword = g_strdup (pain_keyword);
  if (!fl_action_kind_from_string (kind, &c->action_kind))
    return unknown_value (r, "action_kind", kind, error);

  if (!fl_json_get_bool (obj, r->what, "resolved_within_14d", &c->resolved_within_14d,
                         error)
      || !fl_json_get_opt_string (obj, r->what, "label", &label, error)
      || !fl_json_get_time (obj, r->what, "closed", &c->closed, error))
    return FALSE;
  c->label = g_strdup (label);

  return TRUE;
}

static gboolean
read_action (Reader      *r,
             JsonObject  *obj,
             gpointer     element,
             GError     **error)
{
  FlAction *action = element;
  const char *alert, *kind, *created_by;

  /* The alert may no longer exist (FORMATS.md §1): no reference check. */
  if (!fl_json_get_string (obj, r->what, "alert", &alert, error))
    return FALSE;
  if (alert[0] == '\0')
    return invalid (error, _("%s: field “%s” must not be empty"), r->what, "alert");
  action->alert = g_strdup (alert);

  if (!fl_json_get_string (obj, r->what, "kind", &kind, error))
    return FALSE;
  if (!fl_action_kind_from_string (kind, &action->kind))
    return unknown_value (r, "kind", kind, error);

  if (!fl_json_get_time (obj, r->what, "created", &action->created, error)
      || !fl_json_get_id (obj, r->what, "created_by", &created_by, error))
    return FALSE;
  action->created_by = g_strdup (created_by);

  return TRUE;
}

/* Arrays of entities
 *
 * Each element is read on its own: parsed, checked to be an object with a
 * valid id, then validated and copied by its type's read function, which
 * only reads the tables of the types read before. Ids are checked for
 * duplicates and entered in their table afterwards, in element order. Big
 * arrays are read in chunks by several threads this way, each with its own
 * JsonParser; the result, and the first error by element index, are the
 * same as those of one thread. */

#define CHUNK_ELEMENTS 256
/* Below this, threads cost more than they save. */
#define PARALLEL_MIN_ELEMENTS (8 * CHUNK_ELEMENTS)
#define MAX_THREADS 2   /* measured; JsonParser threads contend on GLib locks */
/* Pages are given back this many chunks at a time. */
#define RELEASE_CHUNKS 64

typedef gboolean (*ReadElementFunc) (Reader      *r,
                                     JsonObject  *obj,
                                     gpointer     element,
                                     GError     **error);

typedef struct
{
  const char      *key;            /* "visits": the member, and "visits[3]" */
  const char      *kind;           /* "visit": "visit v-12" */
  const char      *id_member;
  gsize            size;           /* of the element struct, which starts with its id */
  gsize            array_offset;   /* of its GPtrArray in FlDataset */
  gssize           table_offset;   /* of its id table in Reader; -1: none kept */
  ReadElementFunc  read;
  GDestroyNotify   free;
} EntityType;

typedef struct
{
  /* read-only while the threads run */
  const Reader     *reader;
  const EntityType *type;
  Member           *array;
  guint             n_chunks;
  /* shared */
  gpointer         *slots;         /* element i, once read (each slot written by one thread) */
  gint              next_chunk;    /* atomic */
  gint              stop_chunk;    /* atomic: no chunk after it needs reading */
  GMutex            lock;
  /* under lock */
  guint             fail_index;    /* the first element that failed, G_MAXUINT: none */
  GError           *fail_error;
  char             *fail_id;       /* its id, when it had a valid one */
} Job;

static void
job_fail (Job        *job,
          guint       chunk,
          guint       index,
          GError     *error,
          const char *id)
{
  g_mutex_lock (&job->lock);
  if (index < job->fail_index)
    {
      job->fail_index = index;
      g_clear_error (&job->fail_error);
      job->fail_error = g_steal_pointer (&error);
      g_free (job->fail_id);
      job->fail_id = g_strdup (id);
      if ((gint) chunk < g_atomic_int_get (&job->stop_chunk))
        g_atomic_int_set (&job->stop_chunk, (gint) chunk);
    }
  g_mutex_unlock (&job->lock);
  g_clear_error (&error);
}

/* Validates and copies element @index of an array of @type, parsed into
 * @node. On failure, *@id is its id if that was valid (borrowed from @node). */
static gpointer
read_element (Reader            *r,
              const EntityType  *type,
              guint              index,
              JsonNode          *node,
              const char       **id,
              GError           **error)
{
  JsonObject *obj;
  const char *valid_id;
  gpointer element;

  *id = NULL;
  g_snprintf (r->what, sizeof r->what, "%s[%u]", type->key, index);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, _("%s: must be an object"), r->what);
      return NULL;
    }
  obj = json_node_get_object (node);

  if (!fl_json_get_id (obj, r->what, type->id_member, &valid_id, error))
    return NULL;
  *id = valid_id;
  g_snprintf (r->what, sizeof r->what, "%s %s", type->kind, valid_id);

  element = g_malloc0 (type->size);
  *(char **) element = g_strdup (valid_id);
  if (!type->read (r, obj, element, error))
    {
      type->free (element);
      return NULL;
    }

  return element;
}

static FlVisit *fast_read_visit (Reader     *r,
                                 const char *data,
                                 gsize       length,
                                 GString    *buf);

/* Reads element @index into job->slots, or records why it cannot. */
static gboolean
job_read_element (Job        *job,
                  Reader     *r,
                  JsonParser *parser,
                  guint       chunk,
                  guint       index)
{
  const FlJsonSpan *span = &g_array_index (job->array->elements, FlJsonSpan, index);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  const char *id = NULL;
  gpointer element = NULL;

  /* Visits (most of a file) straight from the text when they are plain and
   * valid; read_element() on the tree otherwise, which says what is wrong. */
  if (job->type->read == read_visit)
    {
      g_autoptr(GString) buf = g_string_sized_new (256);
      FlVisit *visit = fast_read_visit (r, r->doc->scanner.data + span->start,
                                        span->end - span->start, buf);

      if (visit != NULL)
        {
          job->slots[index] = visit;
          return TRUE;
        }
    }

  root = fl_json_scanner_parse_span_root (&r->doc->scanner, parser, span, &error);
  if (root == NULL
      || !(element = read_element (r, job->type, index, root, &id, &error)))
    {
      job_fail (job, chunk, index, error, id);
      return FALSE;
    }

  job->slots[index] = element;
  return TRUE;
}

static gpointer
job_run (gpointer data)
{
  Job *job = data;
  Reader r = *job->reader;   /* for its own r.what */
  g_autoptr(JsonParser) parser = json_parser_new ();
  GArray *spans = job->array->elements;

  for (;;)
    {
      guint chunk = (guint) g_atomic_int_add (&job->next_chunk, 1);
      guint first = chunk * CHUNK_ELEMENTS;
      guint last;

      if (chunk >= job->n_chunks || (gint) chunk > g_atomic_int_get (&job->stop_chunk))
        break;

      /* Give back the pages of chunks read long ago, a few at a time (every
       * madvise() interrupts the other threads). Even if one was still being
       * read, its pages would only be read from the page cache again. */
      if (chunk % RELEASE_CHUNKS == 0 && chunk >= 2 * RELEASE_CHUNKS)
        {
          guint from = first - 2 * RELEASE_CHUNKS * CHUNK_ELEMENTS;
          guint to = first - RELEASE_CHUNKS * CHUNK_ELEMENTS;

          document_release (r.doc, g_array_index (spans, FlJsonSpan, from).start,
                            g_array_index (spans, FlJsonSpan, to).start);
        }

      last = MIN (first + CHUNK_ELEMENTS, spans->len);
      for (guint i = first; i < last; i++)
        {
          if (!job_read_element (job, &r, parser, chunk, i))
            break;
        }
    }

  return NULL;
}

/* Enters @id, the id of element @index, in @table: it must not be there yet. */
static gboolean
register_id (Reader            *r,
             const EntityType  *type,
             GHashTable        *table,
             char              *id,
             guint              index,
             GError           **error)
{
  guint other = GPOINTER_TO_UINT (g_hash_table_lookup (table, id));

  if (other != 0)
    {
      g_snprintf (r->what, sizeof r->what, "%s %s", type->kind, id);
      return invalid (error, _("%s: field “%s” is not unique (same as %s[%u])"),
                      r->what, type->id_member, type->key, other - 1);
    }

  g_hash_table_insert (table, id, GUINT_TO_POINTER (index + 1));
  return TRUE;
}

static gboolean
read_entities (Reader            *r,
               const EntityType  *type,
               GError           **error)
{
  GPtrArray *out = G_STRUCT_MEMBER (GPtrArray *, r->dataset, type->array_offset);
  g_autoptr(GHashTable) own_table = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  GHashTable *table;
  Member *array;
  Job job = { 0 };
  guint n, n_threads, end;
  gboolean ok = TRUE;
  gboolean not_json;

  if (!document_get_array (r->doc, type->key, &array, error))
    return FALSE;

  if (type->table_offset >= 0)
    table = G_STRUCT_MEMBER (GHashTable *, r, type->table_offset);
  else
    table = own_table = id_table_new ();

  n = array->elements->len;
  job.reader = r;
  job.type = type;
  job.array = array;
  job.n_chunks = (n + CHUNK_ELEMENTS - 1) / CHUNK_ELEMENTS;
  job.slots = g_new0 (gpointer, n + 1);
  job.stop_chunk = G_MAXINT;
  job.fail_index = G_MAXUINT;
  g_mutex_init (&job.lock);

  /* Two threads at least for big arrays, so that one path is tested everywhere. */
  n_threads = n >= PARALLEL_MIN_ELEMENTS ? CLAMP (g_get_num_processors (), 2, MAX_THREADS) : 1;
  threads = g_ptr_array_new ();
  for (guint i = 1; i < n_threads; i++)
    {
      GThread *thread = g_thread_try_new ("fl-dataset-reader", job_run, &job, NULL);

      if (thread != NULL)
        g_ptr_array_add (threads, thread);
    }
  job_run (&job);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_mutex_clear (&job.lock);
  document_release (r->doc, array->value.start, array->value.end);

  /* In element order, as one thread would have read them. */
  not_json = job.fail_error != NULL && job.fail_error->domain == JSON_PARSER_ERROR;
  end = MIN (job.fail_index, n);
  for (guint i = 0; i < end && ok; i++)
    {
      gpointer element = g_steal_pointer (&job.slots[i]);

      g_ptr_array_add (out, element);
      ok = register_id (r, type, table, *(char **) element, i, error);
    }

  if (ok && job.fail_error != NULL)
    {
      /* The failed element's id comes before its other fields. */
      if (job.fail_id != NULL && g_hash_table_contains (table, job.fail_id))
        register_id (r, type, table, job.fail_id, job.fail_index, error);
      else
        g_propagate_error (error, g_steal_pointer (&job.fail_error));
      ok = FALSE;
    }

  /* What was read past the first failure. */
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&job.slots[i], type->free);
  g_free (job.slots);
  g_free (job.fail_id);
  g_clear_error (&job.fail_error);

  /* Which spans are known to be JSON, for document_check_rest() */
  if (job.fail_index >= n)
    array->checked = TRUE;
  else
    array->n_checked = not_json ? job.fail_index : job.fail_index + 1;

  return ok;
}

/* In the order of their references. */
static const EntityType entity_types[] = {
  { "regions", "region", "code", sizeof (FlRegion),
    G_STRUCT_OFFSET (FlDataset, regions), G_STRUCT_OFFSET (Reader, regions),
    read_region, (GDestroyNotify) fl_region_free },
  { "reps", "rep", "id", sizeof (FlRep),
    G_STRUCT_OFFSET (FlDataset, reps), G_STRUCT_OFFSET (Reader, reps),
    read_rep, (GDestroyNotify) fl_rep_free },
  { "categories", "category", "id", sizeof (FlProductCategory),
    G_STRUCT_OFFSET (FlDataset, categories), G_STRUCT_OFFSET (Reader, categories),
    read_category, (GDestroyNotify) fl_product_category_free },
  { "products", "product", "id", sizeof (FlProduct),
    G_STRUCT_OFFSET (FlDataset, products), G_STRUCT_OFFSET (Reader, products),
    read_product, (GDestroyNotify) fl_product_free },
  { "customers", "customer", "id", sizeof (FlCustomer),
    G_STRUCT_OFFSET (FlDataset, customers), G_STRUCT_OFFSET (Reader, customers),
    read_customer, (GDestroyNotify) fl_customer_free },
  { "visits", "visit", "id", sizeof (FlVisit),
    G_STRUCT_OFFSET (FlDataset, visits), -1,
    read_visit, (GDestroyNotify) fl_visit_free },
  { "opportunities", "opportunity", "id", sizeof (FlOpportunity),
    G_STRUCT_OFFSET (FlDataset, opportunities), -1,
    read_opportunity, (GDestroyNotify) fl_opportunity_free },
  { "pilots", "pilot", "id", sizeof (FlPilot),
    G_STRUCT_OFFSET (FlDataset, pilots), -1,
    read_pilot, (GDestroyNotify) fl_pilot_free },
  { "cases", "case", "id", sizeof (FlCase),
    G_STRUCT_OFFSET (FlDataset, cases), -1,
    read_case, (GDestroyNotify) fl_case_free },
  { "actions", "action", "id", sizeof (FlAction),
    G_STRUCT_OFFSET (FlDataset, actions), -1,
    read_action, (GDestroyNotify) fl_action_free },
};

static void
convert_parser_error (GError **error)
{
  if (error != NULL && *error != NULL && (*error)->domain == JSON_PARSER_ERROR)
    {
      GError *converted = g_error_new (FL_ERROR, FL_ERROR_INVALID_DATA,
                                       _("dataset: not valid JSON: %s"), (*error)->message);

      g_clear_error (error);
      *error = converted;
    }
}

static gboolean
read_all_entities (Reader  *r,
                   GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (entity_types); i++)
    {
      if (!read_entities (r, &entity_types[i], error))
        return FALSE;
    }
  return TRUE;
}

/* Steps 1 and 2 on a document whose root is an object. */
static FlDataset *
read_document (Document  *doc,
               GError   **error)
{
  Reader r = { 0 };
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  r.dataset = fl_dataset_new ();
  r.doc = doc;
  r.regions = id_table_new ();
  r.reps = id_table_new ();
  r.categories = id_table_new ();
  r.products = id_table_new ();
  r.customers = id_table_new ();

  ok = document_scan (doc, &local_error)
       && document_read_small (doc, &local_error)
       && read_header (&r, doc->small, &local_error)
       && read_all_entities (&r, &local_error)
       && document_check_rest (doc, &local_error);

  if (!ok)
    {
      g_autoptr(GError) syntax_error = NULL;

      /* Malformed JSON anywhere is the error to report, at its first place. */
      if (!document_check_rest (doc, &syntax_error))
        {
          g_clear_error (&local_error);
          local_error = g_steal_pointer (&syntax_error);
        }
      convert_parser_error (&local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      reader_clear (&r);
      return NULL;
    }

  {
    FlDataset *dataset = g_steal_pointer (&r.dataset);

    reader_clear (&r);
    return dataset;
  }
}

/* @name starts the positions in messages; @release: @data is a private
 * read-only mapping whose pages may be dropped once read. */
static FlDataset *
load_document (const char  *name,
               const char  *data,
               gsize        length,
               gboolean     release,
               GError     **error)
{
  Document doc;
  FlDataset *dataset;

  document_init (&doc, name, data != NULL ? data : "", length, release);

  if (fl_json_scanner_peek (&doc.scanner) == '{')
    {
      dataset = read_document (&doc, error);
    }
  else
    {
      g_autoptr(GError) local_error = NULL;
      FlJsonSpan all = { 0, length };

      /* Not a dataset, and maybe not JSON: JsonParser tells which. */
      if (!document_parse (&doc, &all, &local_error))
        {
          convert_parser_error (&local_error);
          g_propagate_error (error, g_steal_pointer (&local_error));
        }
      else
        {
          invalid (error, _("dataset: the document must be a JSON object"));
        }
      dataset = NULL;
    }

  document_clear (&doc);
  return dataset;
}

FlDataset *
fl_dataset_load_from_data (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > G_MAXSSIZE)
    {
      invalid (error, _("dataset: the document is too large"));
      return NULL;
    }

  return load_document ("<data>", data, length, FALSE, error);
}

FlDataset *
fl_dataset_load_from_file (const char  *path,
                           GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  FlDataset *dataset = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Mapped, not read: a dataset can be hundreds of megabytes. */
  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file != NULL)
    {
      gsize length = g_mapped_file_get_length (file);

      if (length > G_MAXSSIZE)
        invalid (&local_error, _("dataset: the document is too large"));
      else
        dataset = load_document (path, g_mapped_file_get_contents (file), length, TRUE,
                                 &local_error);
    }

  if (dataset == NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
  return dataset;
}

/* Fragments (fl-sync-store.h): the entity arrays of an object parsed
 * already, read by the same element readers without reference checks. */

FlDataset *
_fl_dataset_new_fragment (void)
{
  FlDataset *fragment = fl_dataset_new ();

  g_clear_pointer (&fragment->timezone, g_free);
  return fragment;
}

static gboolean
read_fragment_entities (Reader            *r,
                        JsonObject        *object,
                        const EntityType  *type,
                        const char        *what,
                        GError           **error)
{
  GPtrArray *out = G_STRUCT_MEMBER (GPtrArray *, r->dataset, type->array_offset);
  g_autoptr(GHashTable) own_table = NULL;
  GHashTable *table;
  JsonArray *array;
  guint n;

  if (!fl_json_get_opt_array (object, what, type->key, &array, error))
    return FALSE;

  if (type->table_offset >= 0)
    table = G_STRUCT_MEMBER (GHashTable *, r, type->table_offset);
  else
    table = own_table = id_table_new ();

  n = array != NULL ? json_array_get_length (array) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *id;
      gpointer element;

      element = read_element (r, type, i, json_array_get_element (array, i), &id, &local_error);
      if (element == NULL)
        {
          /* As in a dataset, a duplicate id is reported before other fields. */
          if (id != NULL && g_hash_table_contains (table, id))
            register_id (r, type, table, (char *) id, i, error);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          g_prefix_error (error, "%s: ", what);
          return FALSE;
        }

      g_ptr_array_add (out, element);
      if (!register_id (r, type, table, *(char **) element, i, error))
        {
          g_prefix_error (error, "%s: ", what);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * fl_dataset_load_fragment:
 * @object: a JSON object holding entity arrays
 * @what: what to name in error messages ("page 3")
 * @error: return location for a #GError
 *
 * Reads the entity arrays of @object ("regions", …, "actions"; other members
 * are ignored) with the validation of the dataset reader, except that
 * references are not checked.
 *
 * Returns: (transfer full): a dataset holding those entities, with %NULL
 *   header fields, or %NULL with %FL_ERROR_INVALID_DATA
 */
FlDataset *
fl_dataset_load_fragment (JsonObject  *object,
                          const char  *what,
                          GError     **error)
{
  Reader r = { 0 };
  FlDataset *fragment;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  r.dataset = _fl_dataset_new_fragment ();
  r.fragment = TRUE;
  r.regions = id_table_new ();
  r.reps = id_table_new ();
  r.categories = id_table_new ();
  r.products = id_table_new ();
  r.customers = id_table_new ();

  for (guint i = 0; i < G_N_ELEMENTS (entity_types); i++)
    {
      if (!read_fragment_entities (&r, object, &entity_types[i], what, error))
        {
          reader_clear (&r);
          return NULL;
        }
    }

  fragment = g_steal_pointer (&r.dataset);
  reader_clear (&r);
  return fragment;
}

/* The fast path of fragments
 *
 * A pull page is mostly visits (a million of them in a first sync), and a
 * JsonNode tree per visit cost more than everything else the client does.
 * fast_read_visit() decodes a visit straight from its text when it is plain
 * JSON and valid; anything else — a syntax error, an unknown or repeated
 * member, a value of the wrong type or out of range — makes the whole page
 * go the way of fl_dataset_load_fragment(), whose messages say what is wrong.
 * So the checks below only decide whether a visit is valid; they must accept
 * exactly what read_visit() accepts (tests/test-sync-store.c compares the
 * two on every kind of invalid visit). */

enum {
  VISIT_ID, VISIT_CUSTOMER, VISIT_REP, VISIT_START, VISIT_END, VISIT_UPLOADED,
  VISIT_PAIN_KEYWORDS, VISIT_COMMITTED_ACTION, VISIT_NEXT_FOLLOW_UP,
  VISIT_PREV_ACTION_ACHIEVED, VISIT_PHOTOS, VISIT_COMPETITOR_PRICE, VISIT_SHELF_SHARE,
  VISIT_PITCHES, N_VISIT_MEMBERS
};

static const char * const visit_members[N_VISIT_MEMBERS] = {
  "id", "customer", "rep", "start", "end", "uploaded", "pain_keywords", "committed_action",
  "next_follow_up", "prev_action_achieved", "photos", "competitor_price", "shelf_share",
  "pitches",
};

#define VISIT_REQUIRED ((1u << VISIT_ID) | (1u << VISIT_CUSTOMER) | (1u << VISIT_REP) \
                        | (1u << VISIT_START) | (1u << VISIT_END) | (1u << VISIT_UPLOADED) \
                        | (1u << VISIT_COMMITTED_ACTION) | (1u << VISIT_PREV_ACTION_ACHIEVED))

static int
visit_member_index (const char *key)
{
  for (int i = 0; i < N_VISIT_MEMBERS; i++)
    {
      if (strcmp (key, visit_members[i]) == 0)
        return i;
    }
  return -1;
}

/* A number member as fl_json_get_opt_double() takes it. */
static gboolean
fast_double (FlJsonPullKind kind,
             gint64         i,
             double         d,
             double        *out)
{
  if (kind == FL_JSON_PULL_INT)
    *out = (double) i;
  else if (kind == FL_JSON_PULL_DOUBLE)
    *out = d;
  else
    return FALSE;
  return TRUE;
}

static gboolean
fast_read_pitches (Reader     *r,
                   FlJsonPull *pull,
                   GString    *buf,
                   FlVisit    *visit)
{
  gboolean first = TRUE, found;
  gint64 i;
  double d;

  for (;;)
    {
      gboolean first_member = TRUE, has_signed = FALSE;
      FlPitch pitch = { NULL, FALSE };

      if (!fl_json_pull_next (pull, FALSE, &first, &found))
        return FALSE;
      if (!found)
        return TRUE;
      if (fl_json_pull_value (pull, &i, &d) != FL_JSON_PULL_OBJECT)
        return FALSE;
      for (;;)
        {
          FlJsonPullKind kind;

          if (!fl_json_pull_next (pull, TRUE, &first_member, &found))
            goto fail;
          if (!found)
            break;
          if (strcmp (buf->str, "product") == 0 && pitch.product == NULL)
            {
              if (fl_json_pull_value (pull, &i, &d) != FL_JSON_PULL_STRING
                  || (!r->fragment && !g_hash_table_contains (r->products, buf->str)))
                goto fail;
              pitch.product = g_strndup (buf->str, buf->len);
            }
          else if (strcmp (buf->str, "signed") == 0 && !has_signed)
            {
              kind = fl_json_pull_value (pull, &i, &d);
              if (kind != FL_JSON_PULL_TRUE && kind != FL_JSON_PULL_FALSE)
                goto fail;
              pitch.is_signed = kind == FL_JSON_PULL_TRUE;
              has_signed = TRUE;
            }
          else
            goto fail;
        }
      if (pitch.product == NULL || !has_signed)
        goto fail;
      g_array_append_val (visit->pitches, pitch);
      continue;

    fail:
      g_free (pitch.product);
      return FALSE;
    }
}

/* @data: the JSON text of one visit. NULL: not plain and valid. */
static FlVisit *
fast_read_visit (Reader     *r,
                 const char *data,
                 gsize       length,
                 GString    *buf)
{
  g_autoptr(GPtrArray) keywords = NULL;
  FlJsonPull pull;
  FlVisit *visit = g_new0 (FlVisit, 1);
  gboolean first = TRUE, found;
  guint seen = 0;

  visit->photos = -1;
  visit->pitches = g_array_new (FALSE, TRUE, sizeof (FlPitch));
  g_array_set_clear_func (visit->pitches, pitch_clear);

  fl_json_pull_init (&pull, data, length, buf);
  {
    gint64 i;
    double d;

    if (fl_json_pull_value (&pull, &i, &d) != FL_JSON_PULL_OBJECT)
      goto fail;
  }

  for (;;)
    {
      FlJsonPullKind kind;
      gint64 i = 0;
      double d = 0;
      int m;

      if (!fl_json_pull_next (&pull, TRUE, &first, &found))
        goto fail;
      if (!found)
        break;
      m = visit_member_index (buf->str);
      if (m < 0 || (seen & (1u << m)) != 0)
        goto fail;
      seen |= 1u << m;
      kind = fl_json_pull_value (&pull, &i, &d);

      switch (m)
        {
        case VISIT_ID:
          if (kind != FL_JSON_PULL_STRING || !fl_json_is_valid_id (buf->str))
            goto fail;
          visit->id = g_strndup (buf->str, buf->len);
          break;
        case VISIT_CUSTOMER:
        case VISIT_REP:
          if (kind != FL_JSON_PULL_STRING
              || (!r->fragment
                  && !g_hash_table_contains (m == VISIT_REP ? r->reps : r->customers,
                                             buf->str)))
            goto fail;
          *(m == VISIT_REP ? &visit->rep : &visit->customer) = g_strndup (buf->str, buf->len);
          break;
        case VISIT_START:
        case VISIT_END:
        case VISIT_UPLOADED:
          if (kind != FL_JSON_PULL_STRING
              || !fl_time_parse_rfc3339 (buf->str, m == VISIT_START ? &visit->start
                                                   : m == VISIT_END ? &visit->end
                                                   : &visit->uploaded))
            goto fail;
          break;
        case VISIT_NEXT_FOLLOW_UP:
          if (kind == FL_JSON_PULL_NULL)
            break;
          if (kind != FL_JSON_PULL_STRING
              || !fl_time_parse_rfc3339 (buf->str, &visit->next_follow_up))
            goto fail;
          visit->has_next_follow_up = TRUE;
          break;
        case VISIT_PAIN_KEYWORDS:
          if (kind == FL_JSON_PULL_NULL)
            break;
          if (kind != FL_JSON_PULL_ARRAY)
            goto fail;
          keywords = g_ptr_array_new_with_free_func (g_free);
          for (gboolean first_keyword = TRUE;;)
            {
              if (!fl_json_pull_next (&pull, FALSE, &first_keyword, &found))
                goto fail;
              if (!found)
                break;
              if (fl_json_pull_value (&pull, &i, &d) != FL_JSON_PULL_STRING)
                goto fail;
              g_ptr_array_add (keywords, g_strndup (buf->str, buf->len));
            }
          break;
        case VISIT_COMMITTED_ACTION:
          if (kind != FL_JSON_PULL_STRING)
            goto fail;
          visit->committed_action = g_strndup (buf->str, buf->len);
          break;
        case VISIT_PREV_ACTION_ACHIEVED:
          if (kind == FL_JSON_PULL_NULL)
            visit->prev_action_achieved = FL_ACHIEVED_NULL;
          else if (kind == FL_JSON_PULL_TRUE || kind == FL_JSON_PULL_FALSE)
            visit->prev_action_achieved = kind == FL_JSON_PULL_TRUE ? FL_ACHIEVED_TRUE
                                                                     : FL_ACHIEVED_FALSE;
          else
            goto fail;
          break;
        case VISIT_PHOTOS:
          if (kind == FL_JSON_PULL_NULL)
            break;
          /* "3.0" is an integer too (fl-json.c). */
          if (kind == FL_JSON_PULL_DOUBLE && d == floor (d)
              && d >= -9007199254740992.0 && d <= 9007199254740992.0)
            i = (gint64) d;
          else if (kind != FL_JSON_PULL_INT)
            goto fail;
          if (i < 0 || i > G_MAXINT)
            goto fail;
          visit->photos = (int) i;
          break;
        case VISIT_COMPETITOR_PRICE:
          if (kind == FL_JSON_PULL_NULL)
            break;
          if (!fast_double (kind, i, d, &visit->competitor_price)
              || !(visit->competitor_price >= 0.0 && visit->competitor_price <= G_MAXDOUBLE))
            goto fail;
          visit->has_competitor_price = TRUE;
          break;
        case VISIT_SHELF_SHARE:
          if (kind == FL_JSON_PULL_NULL)
            break;
          if (!fast_double (kind, i, d, &visit->shelf_share)
              || !(visit->shelf_share >= 0.0 && visit->shelf_share <= 1.0))
            goto fail;
          visit->has_shelf_share = TRUE;
          break;
        case VISIT_PITCHES:
          if (kind == FL_JSON_PULL_NULL)
            break;
          if (kind != FL_JSON_PULL_ARRAY || !fast_read_pitches (r, &pull, buf, visit))
            goto fail;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (!fl_json_pull_finish (&pull)
      || (seen & VISIT_REQUIRED) != VISIT_REQUIRED
      || visit->end < visit->start)
    goto fail;

  if (keywords == NULL)
    keywords = g_ptr_array_new ();
  g_ptr_array_add (keywords, NULL);
  visit->pain_keywords = (char **) g_ptr_array_steal (keywords, NULL);
  return visit;

fail:
  fl_visit_free (visit);
  return NULL;
}

/* Decodes a plain member name (quotes included in @span) as is; NULL for
 * anything with escapes or outside printable ASCII. */
static char *
plain_key (const char       *data,
           const FlJsonSpan *span)
{
  for (gsize i = span->start + 1; i + 1 < span->end; i++)
    {
      guchar c = (guchar) data[i];

      if (c < 0x20 || c > 0x7e || c == '\\')
        return NULL;
    }
  return g_strndup (data + span->start + 1, span->end - span->start - 2);
}

FlDataset *
fl_dataset_load_fragment_fast (const char *data,
                               gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) buf = g_string_sized_new (256);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *own_tables[G_N_ELEMENTS (entity_types)] = { NULL, };
  FlJsonScanner scanner;
  Reader r = { 0 };
  FlJsonSpan key, value;
  gboolean found, ok = FALSE;

  g_return_val_if_fail (data != NULL, NULL);

  r.dataset = _fl_dataset_new_fragment ();
  r.fragment = TRUE;
  r.regions = id_table_new ();
  r.reps = id_table_new ();
  r.categories = id_table_new ();
  r.products = id_table_new ();
  r.customers = id_table_new ();

  fl_json_scanner_init (&scanner, "<fragment>", data, length);
  if (!fl_json_scanner_open (&scanner, '{', NULL))
    goto out;
  for (;;)
    {
      const EntityType *type = NULL;
      GPtrArray *out;
      GHashTable *table = NULL;
      FlJsonScanner array;
      char *name;
      guint index = 0;

      if (!fl_json_scanner_next_member (&scanner, &key, &value, &found, NULL))
        goto out;
      if (!found)
        break;
      /* Unknown or repeated members: the slow path knows what to make of them. */
      if ((name = plain_key (data, &key)) == NULL)
        goto out;
      if (!g_hash_table_add (keys, name))
        goto out;
      for (guint t = 0; t < G_N_ELEMENTS (entity_types); t++)
        {
          if (strcmp (name, entity_types[t].key) == 0)
            {
              type = &entity_types[t];
              if (type->table_offset >= 0)
                table = G_STRUCT_MEMBER (GHashTable *, &r, type->table_offset);
              else
                table = own_tables[t] = id_table_new ();
            }
        }
      if (type == NULL || data[value.start] != '[')
        goto out;
      out = G_STRUCT_MEMBER (GPtrArray *, r.dataset, type->array_offset);

      fl_json_scanner_enter (&scanner, &value, &array);
      for (;; index++)
        {
          FlJsonSpan span;
          gpointer element;

          if (!fl_json_scanner_next_element (&array, &span, &found, NULL))
            goto out;
          if (!found)
            break;
          if (type->read == read_visit)
            {
              element = fast_read_visit (&r, data + span.start, span.end - span.start, buf);
            }
          else
            {
              g_autoptr(JsonNode) root = NULL;
              const char *id;

              root = fl_json_scanner_parse_span_root (&scanner, parser, &span, NULL);
              element = root != NULL ? read_element (&r, type, index, root, &id, NULL) : NULL;
            }
          if (element == NULL)
            goto out;
          g_ptr_array_add (out, element);
          if (g_hash_table_contains (table, *(char **) element))
            goto out;
          g_hash_table_insert (table, *(char **) element, GUINT_TO_POINTER (index + 1));
        }
    }
  ok = fl_json_scanner_finish (&scanner, NULL);

out:
  for (guint t = 0; t < G_N_ELEMENTS (own_tables); t++)
    g_clear_pointer (&own_tables[t], g_hash_table_unref);
  if (!ok)
    {
      reader_clear (&r);
      return NULL;
    }
  {
    FlDataset *fragment = g_steal_pointer (&r.dataset);

    reader_clear (&r);
    return fragment;
  }
}
