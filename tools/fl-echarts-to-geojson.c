/* fl-echarts-to-geojson.c — convert an ECharts province file to plain GeoJSON
 *
 * Usage: fl-echarts-to-geojson INPUT.json [OUTPUT.geojson]
 *
 * Reads a province file of echarts@4 (compressed, "UTF8Encoding": true, or
 * plain) through the core loader and writes a FeatureCollection with one
 * feature per line: "id" = code, properties {code, name, center, label_point},
 * coordinates rounded to 6 decimals. "center" is ECharts' "cp" (the seat of
 * government, sometimes on the coast), kept for reference only; "label_point"
 * is the input's "label_point" or else fl_geometry_label_point().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fl-core.h"

/* Shortest text of @v rounded to 6 decimals: "120.1", "29.867188". */
static void
append_coord (GString *out,
              double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;

  g_ascii_formatd (buf, sizeof buf, "%.6f", v);
  end = buf + strlen (buf);
  while (end > buf && end[-1] == '0')
    *--end = '\0';
  if (end > buf && end[-1] == '.')
    *--end = '\0';
  if (strcmp (buf, "-0") == 0)
    strcpy (buf, "0");
  g_string_append (out, buf);
}

static void
append_ring (GString      *out,
             const FlRing *ring)
{
  const FlPoint *pts = (const FlPoint *) (gpointer) ring->points->data;
  guint n = ring->points->len;
  gboolean closed = n > 0 && pts[0].x == pts[n - 1].x && pts[0].y == pts[n - 1].y;
  guint n_out = closed || n == 0 ? n : n + 1;

  g_string_append_c (out, '[');
  for (guint i = 0; i < n_out; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '[');
      append_coord (out, pts[i % n].x);
      g_string_append_c (out, ',');
      append_coord (out, pts[i % n].y);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

static void
append_polygon (GString         *out,
                const FlPolygon *polygon)
{
  g_string_append_c (out, '[');
  for (guint r = 0; r < polygon->rings->len; r++)
    {
      if (r > 0)
        g_string_append_c (out, ',');
      append_ring (out, g_ptr_array_index (polygon->rings, r));
    }
  g_string_append_c (out, ']');
}

static void
append_geometry (GString          *out,
                 const FlGeometry *geometry)
{
  gboolean multi = geometry->polygons->len != 1;

  g_string_append_printf (out, "{\"type\":\"%s\",\"coordinates\":",
                          multi ? "MultiPolygon" : "Polygon");
  if (multi)
    g_string_append_c (out, '[');
  for (guint p = 0; p < geometry->polygons->len; p++)
    {
      if (p > 0)
        g_string_append_c (out, ',');
      append_polygon (out, g_ptr_array_index (geometry->polygons, p));
    }
  if (multi)
    g_string_append_c (out, ']');
  g_string_append_c (out, '}');
}

static char *
node_dup_code (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node)
         && (json_node_get_value_type (node) == G_TYPE_DOUBLE
             || json_node_get_value_type (node) == G_TYPE_INT64);
}

static gboolean
is_point (JsonNode *node)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  return json_array_get_length (array) == 2
         && is_number (json_array_get_element (array, 0))
         && is_number (json_array_get_element (array, 1));
}

/* code → "cp" array node, read from the raw file (the core loader keeps no
 * "cp": it is not a label point). Same code rules as the loader. */
static GHashTable *
collect_centers (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) centers = NULL;
  JsonArray *features;

  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;

  centers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) json_node_unref);
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "features");
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *feature = json_array_get_object_element (features, i);
      JsonObject *props = json_object_get_object_member (feature, "properties");
      JsonNode *cp = json_object_get_member (props, "cp");
      char *code = node_dup_code (json_object_get_member (feature, "id"));

      if (code == NULL)
        code = node_dup_code (json_object_get_member (props, "adcode"));
      if (code == NULL)
        code = node_dup_code (json_object_get_member (props, "code"));
      if (cp == NULL)
        cp = json_object_get_member (props, "center");   /* our own output */
      if (code == NULL || !is_point (cp))
        {
          g_free (code);
          continue;
        }
      g_hash_table_replace (centers, code, json_node_copy (cp));
    }

  return g_steal_pointer (&centers);
}

static char *
json_string_literal (const char *str)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), str);

  return json_to_string (node, FALSE);
}

static void
append_properties (GString            *out,
                   const FlGeoFeature *feature,
                   JsonNode           *center)
{
  g_autofree char *code = json_string_literal (feature->code);
  g_autofree char *name = json_string_literal (feature->name);

  g_string_append_printf (out, "{\"code\":%s,\"name\":%s", code, name);
  if (center != NULL)
    {
      JsonArray *array = json_node_get_array (center);

      g_string_append (out, ",\"center\":[");
      append_coord (out, json_array_get_double_element (array, 0));
      g_string_append_c (out, ',');
      append_coord (out, json_array_get_double_element (array, 1));
      g_string_append_c (out, ']');
    }
  /* Precomputed so that loading the file costs no polylabel search. */
  g_string_append (out, ",\"label_point\":[");
  append_coord (out, feature->label_point.x);
  g_string_append_c (out, ',');
  append_coord (out, feature->label_point.y);
  g_string_append (out, "]}");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GHashTable) centers = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *data = NULL;
  gsize length;
  guint n_points = 0;
  guint n_polygons = 0;

  setlocale (LC_ALL, "");

  if (argc < 2 || argc > 3)
    {
      g_printerr ("Usage: %s INPUT.json [OUTPUT.geojson]\n"
                  "Converts an ECharts province file to plain GeoJSON "
                  "(standard output without OUTPUT).\n", argv[0]);
      return 2;
    }

  if (!g_file_get_contents (argv[1], &data, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  features = fl_geo_load_feature_collection (data, length, &error);
  if (features == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }
  centers = collect_centers (data, length, &error);
  if (centers == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }

  out = g_string_new ("{\"type\":\"FeatureCollection\",\"features\":[\n");
  for (guint i = 0; i < features->len; i++)
    {
      const FlGeoFeature *feature = g_ptr_array_index (features, i);
      g_autofree char *id = NULL;

      id = json_string_literal (feature->code);
      g_string_append_printf (out, "{\"type\":\"Feature\",\"id\":%s,\"properties\":", id);
      append_properties (out, feature, g_hash_table_lookup (centers, feature->code));
      g_string_append (out, ",\"geometry\":");
      append_geometry (out, feature->geometry);
      g_string_append (out, i + 1 < features->len ? "},\n" : "}\n");

      n_polygons += feature->geometry->polygons->len;
      for (guint p = 0; p < feature->geometry->polygons->len; p++)
        {
          const FlPolygon *polygon = g_ptr_array_index (feature->geometry->polygons, p);

          for (guint r = 0; r < polygon->rings->len; r++)
            n_points += ((FlRing *) g_ptr_array_index (polygon->rings, r))->points->len;
        }
    }
  g_string_append (out, "]}\n");

  if (argc == 3)
    {
      if (!g_file_set_contents (argv[2], out->str, out->len, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  else
    {
      fwrite (out->str, 1, out->len, stdout);
    }

  g_printerr ("%s: %u features, %u polygons, %u points\n",
              argv[1], features->len, n_polygons, n_points);
  return 0;
}
