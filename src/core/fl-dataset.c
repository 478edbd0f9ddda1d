/* fl-dataset.c — the in-memory dataset of FORMATS.md §1 and its reader
 *
 * The reader parses the whole document with JsonParser, then validates and
 * copies it entity by entity. Nothing is returned unless everything is valid.
 * Id lookups for duplicates and references go through hash tables keyed by
 * strings borrowed from the JSON tree, which outlives them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fl-dataset.h"
#include "fl-json.h"
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

typedef struct
{
  FlDataset  *dataset;
  /* id → index + 1 in its array; keys are borrowed from the JSON tree */
  GHashTable *regions;
  GHashTable *reps;
  GHashTable *categories;
  GHashTable *products;
  GHashTable *customers;
  GHashTable *seen;        /* for the entity types nobody refers to */
  char        what[160];   /* "visit v-12" or "visits[3]" */
} Reader;

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->dataset, fl_dataset_free);
  g_clear_pointer (&r->regions, g_hash_table_unref);
  g_clear_pointer (&r->reps, g_hash_table_unref);
  g_clear_pointer (&r->categories, g_hash_table_unref);
  g_clear_pointer (&r->products, g_hash_table_unref);
  g_clear_pointer (&r->customers, g_hash_table_unref);
  g_clear_pointer (&r->seen, g_hash_table_unref);
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

/* The @index-th element of @array as an object; r->what becomes "key[index]". */
static JsonObject *
element_object (Reader      *r,
                JsonArray   *array,
                const char  *key,
                guint        index,
                GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  g_snprintf (r->what, sizeof r->what, "%s[%u]", key, index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, _("%s: must be an object"), r->what);
      return NULL;
    }

  return json_node_get_object (node);
}

/* Reads the id member @member (checked against the id rules and for
 * duplicates in @table, where it is then added), and names the entity
 * "kind id" in r->what from then on. */
static gboolean
read_id (Reader      *r,
         JsonObject  *obj,
         const char  *member,
         const char  *kind,
         GHashTable  *table,
         const char  *key,
         guint        index,
         const char **out,
         GError     **error)
{
  const char *id;
  guint other;

  if (!fl_json_get_id (obj, r->what, member, &id, error))
    return FALSE;

  g_snprintf (r->what, sizeof r->what, "%s %s", kind, id);

  other = GPOINTER_TO_UINT (g_hash_table_lookup (table, id));
  if (other != 0)
    return invalid (error, _("%s: field “%s” is not unique (same as %s[%u])"),
                    r->what, member, key, other - 1);

  g_hash_table_insert (table, (gpointer) id, GUINT_TO_POINTER (index + 1));
  *out = id;
  return TRUE;
}

static gboolean
check_ref (Reader      *r,
           const char  *member,
           const char  *value,
           GHashTable  *table,
           const char  *target_kind,
           GError     **error)
{
  if (!g_hash_table_contains (table, value))
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
    return invalid (error, _("dataset: field “%s”: unsupported version %" G_GINT64_FORMAT),
                    "version", version);

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
read_regions (Reader      *r,
              JsonObject  *root,
              GError     **error)
{
  JsonArray *array;
  guint n;

  if (!fl_json_get_array (root, "dataset", "regions", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "regions", i, error);
      FlRegion *region;
      JsonNode *geometry;
      const char *code;
      g_autofree char *geometry_what = NULL;

      if (obj == NULL
          || !read_id (r, obj, "code", "region", r->regions, "regions", i, &code, error))
        return FALSE;

      region = g_new0 (FlRegion, 1);
      g_ptr_array_add (r->dataset->regions, region);
      region->code = g_strdup (code);

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
    }

  return TRUE;
}

static gboolean
read_reps (Reader      *r,
           JsonObject  *root,
           GError     **error)
{
  JsonArray *array;
  guint n;

  if (!fl_json_get_array (root, "dataset", "reps", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "reps", i, error);
      FlRep *rep;
      const char *id, *phone;

      if (obj == NULL
          || !read_id (r, obj, "id", "rep", r->reps, "reps", i, &id, error))
        return FALSE;

      rep = g_new0 (FlRep, 1);
      g_ptr_array_add (r->dataset->reps, rep);
      rep->id = g_strdup (id);

      if (!read_string (r, obj, "name", &rep->name, error)
          || !read_ref (r, obj, "region", r->regions, "region", &rep->region, error)
          || !fl_json_get_opt_string (obj, r->what, "phone", &phone, error))
        return FALSE;
      rep->phone = g_strdup (phone);
    }

  return TRUE;
}

static gboolean
read_categories (Reader      *r,
                 JsonObject  *root,
                 GError     **error)
{
  JsonArray *array;
  guint n;

  if (!fl_json_get_array (root, "dataset", "categories", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "categories", i, error);
      FlProductCategory *category;
      const char *id;

      if (obj == NULL
          || !read_id (r, obj, "id", "category", r->categories, "categories", i, &id, error))
        return FALSE;

      category = g_new0 (FlProductCategory, 1);
      g_ptr_array_add (r->dataset->categories, category);
      category->id = g_strdup (id);

      if (!read_string (r, obj, "name", &category->name, error)
          || !read_non_negative (r, obj, "avg_order_value", &category->avg_order_value, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_products (Reader      *r,
               JsonObject  *root,
               GError     **error)
{
  JsonArray *array;
  guint n;

  if (!fl_json_get_array (root, "dataset", "products", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "products", i, error);
      FlProduct *product;
      const char *id;

      if (obj == NULL
          || !read_id (r, obj, "id", "product", r->products, "products", i, &id, error))
        return FALSE;

      product = g_new0 (FlProduct, 1);
      g_ptr_array_add (r->dataset->products, product);
      product->id = g_strdup (id);

      if (!read_string (r, obj, "name", &product->name, error)
          || !read_ref (r, obj, "category", r->categories, "category", &product->category,
                        error))
        return FALSE;
    }

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
read_customers (Reader      *r,
                JsonObject  *root,
                GError     **error)
{
  JsonArray *array;
  guint n;

  if (!fl_json_get_array (root, "dataset", "customers", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "customers", i, error);
      FlCustomer *customer;
      const char *id, *tier;
      gboolean has_lat, has_lon;

      if (obj == NULL
          || !read_id (r, obj, "id", "customer", r->customers, "customers", i, &id, error))
        return FALSE;

      customer = g_new0 (FlCustomer, 1);
      g_ptr_array_add (r->dataset->customers, customer);
      customer->id = g_strdup (id);

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
    }

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
      if (!g_hash_table_contains (r->products, product))
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
read_visits (Reader      *r,
             JsonObject  *root,
             GError     **error)
{
  JsonArray *array;
  guint n;
  g_autoptr(GHashTable) seen = NULL;

  if (!fl_json_get_array (root, "dataset", "visits", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  seen = id_table_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "visits", i, error);
      FlVisit *visit;
      const char *id;
      gboolean has_photos;
      gint64 photos;

      if (obj == NULL
          || !read_id (r, obj, "id", "visit", seen, "visits", i, &id, error))
        return FALSE;

      visit = g_new0 (FlVisit, 1);
      g_ptr_array_add (r->dataset->visits, visit);
      visit->id = g_strdup (id);
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
    }

  return TRUE;
}

static gboolean
read_opportunities (Reader      *r,
                    JsonObject  *root,
                    GError     **error)
{
  JsonArray *array;
  guint n;
  g_autoptr(GHashTable) seen = NULL;

  if (!fl_json_get_array (root, "dataset", "opportunities", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  seen = id_table_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "opportunities", i, error);
      FlOpportunity *opp;
      const char *id, *stage;

      if (obj == NULL
          || !read_id (r, obj, "id", "opportunity", seen, "opportunities", i, &id, error))
        return FALSE;

      opp = g_new0 (FlOpportunity, 1);
      g_ptr_array_add (r->dataset->opportunities, opp);
      opp->id = g_strdup (id);

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
    }

  return TRUE;
}

static gboolean
read_pilots (Reader      *r,
             JsonObject  *root,
             GError     **error)
{
  JsonArray *array;
  guint n;
  g_autoptr(GHashTable) seen = NULL;

  if (!fl_json_get_array (root, "dataset", "pilots", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  seen = id_table_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "pilots", i, error);
      FlPilot *pilot;
      const char *id;

      if (obj == NULL
          || !read_id (r, obj, "id", "pilot", seen, "pilots", i, &id, error))
        return FALSE;

      pilot = g_new0 (FlPilot, 1);
      g_ptr_array_add (r->dataset->pilots, pilot);
      pilot->id = g_strdup (id);

      if (!read_string (r, obj, "title", &pilot->title, error)
          || !read_string_array (r, obj, "regions", TRUE, r->regions, "region",
                                 &pilot->regions, error)
          || !fl_json_get_date (obj, r->what, "start", &pilot->start, error)
          || !read_ref (r, obj, "owner", r->reps, "rep", &pilot->owner, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_cases (Reader      *r,
            JsonObject  *root,
            GError     **error)
{
  JsonArray *array;
  guint n;
  g_autoptr(GHashTable) seen = NULL;

  if (!fl_json_get_array (root, "dataset", "cases", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  seen = id_table_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "cases", i, error);
      FlCase *c;
      const char *id, *category, *tier, *product_category, *pain_keyword, *kind, *label;

      if (obj == NULL
          || !read_id (r, obj, "id", "case", seen, "cases", i, &id, error))
        return FALSE;

      c = g_new0 (FlCase, 1);
      g_ptr_array_add (r->dataset->cases, c);
      c->id = g_strdup (id);

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
    }

  return TRUE;
}

static gboolean
read_actions (Reader      *r,
              JsonObject  *root,
              GError     **error)
{
  JsonArray *array;
  guint n;
  g_autoptr(GHashTable) seen = NULL;

  if (!fl_json_get_array (root, "dataset", "actions", &array, error))
    return FALSE;

  n = json_array_get_length (array);
  seen = id_table_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = element_object (r, array, "actions", i, error);
      FlAction *action;
      const char *id, *alert, *kind, *created_by;

      if (obj == NULL
          || !read_id (r, obj, "id", "action", seen, "actions", i, &id, error))
        return FALSE;

      action = g_new0 (FlAction, 1);
      g_ptr_array_add (r->dataset->actions, action);
      action->id = g_strdup (id);

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
    }

  return TRUE;
}

static FlDataset *
load_from_root (JsonNode  *root_node,
                GError   **error)
{
  Reader r = { 0 };
  JsonObject *root;
  gboolean ok;

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      invalid (error, _("dataset: the document must be a JSON object"));
      return NULL;
    }
  root = json_node_get_object (root_node);

  r.dataset = fl_dataset_new ();
  r.regions = id_table_new ();
  r.reps = id_table_new ();
  r.categories = id_table_new ();
  r.products = id_table_new ();
  r.customers = id_table_new ();

  ok = read_header (&r, root, error)
       && read_regions (&r, root, error)
       && read_reps (&r, root, error)
       && read_categories (&r, root, error)
       && read_products (&r, root, error)
       && read_customers (&r, root, error)
       && read_visits (&r, root, error)
       && read_opportunities (&r, root, error)
       && read_pilots (&r, root, error)
       && read_cases (&r, root, error)
       && read_actions (&r, root, error);

  if (ok)
    {
      FlDataset *dataset = g_steal_pointer (&r.dataset);

      reader_clear (&r);
      return dataset;
    }

  reader_clear (&r);
  return NULL;
}

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

FlDataset *
fl_dataset_load_from_data (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > G_MAXSSIZE)
    {
      invalid (error, _("dataset: the document is too large"));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) length, error))
    {
      convert_parser_error (error);
      return NULL;
    }

  return load_from_root (json_parser_get_root (parser), error);
}

FlDataset *
fl_dataset_load_from_file (const char  *path,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  FlDataset *dataset;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Mapped, not read: a dataset can be hundreds of megabytes. */
  parser = json_parser_new ();
  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      convert_parser_error (&local_error);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }

  dataset = load_from_root (json_parser_get_root (parser), &local_error);
  if (dataset == NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
  return dataset;
}
