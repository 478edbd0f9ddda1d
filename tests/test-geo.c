/* test-geo.c — region geometry: GeoJSON, ECharts decoding, label points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include <math.h>
#include <string.h>

#include "fl-core.h"

/* Helpers */

static FlGeometry *
parse_geometry (const char  *json,
                const char  *what,
                GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return fl_geometry_from_json (node, what, error);
}

static GPtrArray *
load_collection (const char  *json,
                 GError     **error)
{
  return fl_geo_load_feature_collection (json, strlen (json), error);
}

static GPtrArray *
load_test_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *features;
  gsize length;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  features = fl_geo_load_feature_collection (data, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (features);
  return features;
}

static const FlRing *
get_ring (const FlGeometry *geometry,
          guint             polygon,
          guint             ring)
{
  const FlPolygon *p = g_ptr_array_index (geometry->polygons, polygon);

  return g_ptr_array_index (p->rings, ring);
}

static FlPoint
get_point (const FlGeometry *geometry,
           guint             polygon,
           guint             ring,
           guint             index)
{
  return g_array_index (get_ring (geometry, polygon, ring)->points, FlPoint, index);
}

/* Distance (degrees of latitude, longitude shrunk by cos(lat)) from a point to
 * the nearest edge of any ring of the geometry. */
static double
distance_to_outline (const FlGeometry *geometry,
                     FlPoint           pt)
{
  double kx = cos (pt.y * G_PI / 180.0);
  double best = INFINITY;

  for (guint p = 0; p < geometry->polygons->len; p++)
    {
      const FlPolygon *polygon = g_ptr_array_index (geometry->polygons, p);

      for (guint r = 0; r < polygon->rings->len; r++)
        {
          const FlRing *ring = g_ptr_array_index (polygon->rings, r);
          const FlPoint *v = (const FlPoint *) (gpointer) ring->points->data;
          guint n = ring->points->len;

          for (guint i = 0, j = n - 1; i < n; j = i++)
            {
              double ax = v[j].x * kx, ay = v[j].y;
              double bx = v[i].x * kx, by = v[i].y;
              double px = pt.x * kx, py = pt.y;
              double dx = bx - ax, dy = by - ay;
              double t = 0.0;

              if (dx != 0.0 || dy != 0.0)
                t = CLAMP (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
              best = MIN (best, hypot (px - (ax + t * dx), py - (ay + t * dy)));
            }
        }
    }
  return best;
}

static void
assert_same_geometry (const FlGeometry *a,
                      const FlGeometry *b)
{
  g_assert_cmpuint (a->polygons->len, ==, b->polygons->len);
  for (guint p = 0; p < a->polygons->len; p++)
    {
      const FlPolygon *pa = g_ptr_array_index (a->polygons, p);
      const FlPolygon *pb = g_ptr_array_index (b->polygons, p);

      g_assert_cmpuint (pa->rings->len, ==, pb->rings->len);
      for (guint r = 0; r < pa->rings->len; r++)
        {
          const FlRing *ra = g_ptr_array_index (pa->rings, r);
          const FlRing *rb = g_ptr_array_index (pb->rings, r);

          g_assert_cmpuint (ra->points->len, ==, rb->points->len);
          /* Exact: both parsers must give the same doubles. */
          g_assert_cmpmem (ra->points->data, ra->points->len * sizeof (FlPoint),
                           rb->points->data, rb->points->len * sizeof (FlPoint));
        }
    }
  g_assert_cmpfloat (a->min_x, ==, b->min_x);
  g_assert_cmpfloat (a->max_x, ==, b->max_x);
  g_assert_cmpfloat (a->min_y, ==, b->min_y);
  g_assert_cmpfloat (a->max_y, ==, b->max_y);
}

/* Tests: plain geometry */

static void
test_polygon (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlGeometry) geometry = NULL;
  g_autoptr(FlGeometry) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  FlPoint label;

  /* Not closed on purpose: the first point need not be repeated. */
  geometry = parse_geometry ("{\"type\":\"Polygon\",\"coordinates\":"
                             "[[[100,10],[104,10],[104,14.5],[100,14.5]]]}",
                             "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (geometry);

  g_assert_cmpuint (geometry->polygons->len, ==, 1);
  g_assert_cmpuint (get_ring (geometry, 0, 0)->points->len, ==, 4);
  g_assert_cmpfloat (get_point (geometry, 0, 0, 2).x, ==, 104.0);
  g_assert_cmpfloat (get_point (geometry, 0, 0, 2).y, ==, 14.5);
  g_assert_cmpfloat (geometry->min_x, ==, 100.0);
  g_assert_cmpfloat (geometry->max_x, ==, 104.0);
  g_assert_cmpfloat (geometry->min_y, ==, 10.0);
  g_assert_cmpfloat (geometry->max_y, ==, 14.5);

  g_assert_true (fl_geometry_contains (geometry, 102.0, 12.0));
  g_assert_true (fl_geometry_contains (geometry, 100.01, 14.49));
  g_assert_false (fl_geometry_contains (geometry, 99.99, 12.0));
  g_assert_false (fl_geometry_contains (geometry, 102.0, 14.51));
  g_assert_false (fl_geometry_contains (geometry, 110.0, 30.0));

  g_assert_cmpfloat_with_epsilon (fl_geometry_area (geometry), 18.0, 1e-9);

  /* A rectangle's pole of inaccessibility is on its middle line. */
  label = fl_geometry_label_point (geometry);
  g_assert_true (fl_geometry_contains (geometry, label.x, label.y));
  g_assert_cmpfloat_with_epsilon (label.x, 102.0, 0.05);
  g_assert_cmpfloat (distance_to_outline (geometry, label), >,
                     2.0 * cos (12.25 * G_PI / 180.0) - 0.01);

  /* to_json closes the ring and round-trips. */
  node = fl_geometry_to_json (geometry);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "Polygon");
  again = fl_geometry_from_json (node, "again", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (get_ring (again, 0, 0)->points->len, ==, 5);
  g_assert_cmpfloat (get_point (again, 0, 0, 4).x, ==, 100.0);
  g_assert_cmpfloat (get_point (again, 0, 0, 4).y, ==, 10.0);
  g_assert_cmpfloat_with_epsilon (fl_geometry_area (again), 18.0, 1e-9);
}

#define DONUT_AND_ISLAND \
  "{\"type\":\"MultiPolygon\",\"coordinates\":[" \
  "[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[3,3],[3,7],[7,7],[7,3],[3,3]]]," \
  "[[[20,20],[22,20],[22,22],[20,22],[20,20]]]]}"

static void
test_multipolygon_holes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlGeometry) geometry = NULL;
  g_autoptr(FlGeometry) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  FlPoint label;
  const FlPolygon *first;

  geometry = parse_geometry (DONUT_AND_ISLAND, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (geometry->polygons->len, ==, 2);
  first = g_ptr_array_index (geometry->polygons, 0);
  g_assert_cmpuint (first->rings->len, ==, 2);
  g_assert_cmpfloat (geometry->max_x, ==, 22.0);

  g_assert_true (fl_geometry_contains (geometry, 1.0, 1.0));
  g_assert_true (fl_geometry_contains (geometry, 8.5, 5.0));
  g_assert_false (fl_geometry_contains (geometry, 5.0, 5.0));   /* in the hole */
  g_assert_false (fl_geometry_contains (geometry, 3.5, 6.5));   /* in the hole */
  g_assert_true (fl_geometry_contains (geometry, 21.0, 21.0));  /* the island */
  g_assert_false (fl_geometry_contains (geometry, 15.0, 15.0));
  g_assert_false (fl_geometry_contains (geometry, -1.0, 5.0));

  g_assert_cmpfloat_with_epsilon (fl_geometry_area (geometry), 100.0 - 16.0 + 4.0, 1e-9);

  /* On the donut (the larger polygon), in the band, not in the hole: the band
   * is 3 wide, so the best point is ~1.5 from both edges. */
  label = fl_geometry_label_point (geometry);
  g_assert_true (fl_geometry_contains (geometry, label.x, label.y));
  g_assert_false (label.x > 3.0 && label.x < 7.0 && label.y > 3.0 && label.y < 7.0);
  g_assert_cmpfloat (label.x, <, 10.0);
  g_assert_cmpfloat (distance_to_outline (geometry, label), >, 1.3);

  node = fl_geometry_to_json (geometry);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "type"), ==,
                   "MultiPolygon");
  again = fl_geometry_from_json (node, "again", &error);
  g_assert_no_error (error);
  assert_same_geometry (geometry, again);
  g_assert_false (fl_geometry_contains (again, 5.0, 5.0));
}

static void
test_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlGeometry) geometry = parse_geometry (DONUT_AND_ISLAND, "test", &error);
  g_autoptr(FlGeometry) copy = NULL;
  g_autoptr(FlGeometry) empty = fl_geometry_new ();
  FlPoint *pt;

  g_assert_no_error (error);
  copy = fl_geometry_copy (geometry);
  assert_same_geometry (geometry, copy);

  /* Deep: changing the copy leaves the original alone. */
  pt = &g_array_index (get_ring (copy, 0, 1)->points, FlPoint, 0);
  pt->x = 4.0;
  g_assert_cmpfloat (get_point (geometry, 0, 1, 0).x, ==, 3.0);

  g_assert_cmpuint (empty->polygons->len, ==, 0);
  g_assert_cmpfloat (fl_geometry_area (empty), ==, 0.0);
  g_assert_false (fl_geometry_contains (empty, 0.0, 0.0));
}

/* Tests: validation */

typedef struct
{
  const char *coordinates_member;   /* the geometry object, without braces */
  const char *message;              /* after "<what>: " */
} GeometryCase;

static const GeometryCase geometry_cases[] = {
  { "\"coordinates\":[]",
    "member “type” is missing or not a string" },
  { "\"type\":\"Point\",\"coordinates\":[120,30]",
    "type “Point” is not “Polygon” or “MultiPolygon”" },
  { "\"type\":\"Polygon\"",
    "member “coordinates” is missing or not an array" },
  { "\"type\":\"Polygon\",\"coordinates\":\"none\"",
    "member “coordinates” is missing or not an array" },
  { "\"type\":\"Polygon\",\"coordinates\":[]",
    "polygon 1 has no rings" },
  { "\"type\":\"MultiPolygon\",\"coordinates\":[]",
    "MultiPolygon has no polygons" },
  { "\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],5]",
    "polygon 2 is not an array of rings" },
  { "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]],{\"a\":1}]",
    "ring 2 of polygon 1 is not an array of points" },
  { "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[5,0],[5,5],[0,0]],[[1,1],[2,1],[1,1]]]",
    "ring 2 of polygon 1 has 3 points, needs at least 4" },
  { "\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[]]]",
    "ring 1 of polygon 2 has 0 points, needs at least 4" },
  { "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1],[1,1],[0,0]]]",
    "point 2 of ring 1 of polygon 1 is not a [longitude, latitude] pair of numbers" },
  { "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[\"1\",1],[0,0]]]",
    "point 3 of ring 1 of polygon 1 is not a [longitude, latitude] pair of numbers" },
  { "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,null],[0,0]]]",
    "point 3 of ring 1 of polygon 1 is not a [longitude, latitude] pair of numbers" },
  { "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],7]]",
    "point 4 of ring 1 of polygon 1 is not a [longitude, latitude] pair of numbers" },
  { "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[190.5,0],[1,1],[0,0]]]",
    "point 2 of ring 1 of polygon 1 has longitude 190.5, outside [-180, 180]" },
  { "\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
    "[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,0],[1,-90.25],[0,0]]]]",
    "point 3 of ring 2 of polygon 2 has latitude -90.25, outside [-90, 90]" },
};

static void
test_geometry_validation (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (geometry_cases); i++)
    {
      const GeometryCase *c = &geometry_cases[i];
      g_autofree char *json = g_strdup_printf ("{%s}", c->coordinates_member);
      g_autofree char *collection = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(FlGeometry) geometry = NULL;
      g_autoptr(GPtrArray) features = NULL;

      g_test_message ("case %u: %s", i, json);

      /* Through the JsonNode parser… */
      geometry = parse_geometry (json, "region 330700: geometry", &error);
      g_assert_null (geometry);
      g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
      expected = g_strdup_printf ("region 330700: geometry: %s", c->message);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);

      /* …and through the file loader's text fast path: same message. */
      collection = g_strdup_printf ("{\"type\":\"FeatureCollection\",\"features\":["
                                    "{\"type\":\"Feature\",\"id\":\"330700\","
                                    "\"properties\":{\"name\":\"金华市\"},"
                                    "\"geometry\":%s}]}", json);
      features = load_collection (collection, &error);
      g_assert_null (features);
      g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, expected);
    }

  /* A node that is not an object at all. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FlGeometry) geometry = parse_geometry ("[1,2]", "region 1", &error);

    g_assert_null (geometry);
    g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
    g_assert_cmpstr (error->message, ==, "region 1: not a JSON object");
  }
}

#define SQUARE \
  "{\"type\":\"Polygon\",\"coordinates\":[[[120,30],[121,30],[121,31],[120,31],[120,30]]]}"
#define FEATURE(id_member, props) \
  "{\"type\":\"Feature\"," id_member "\"properties\":" props ",\"geometry\":" SQUARE "}"
#define COLLECTION(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"

typedef struct
{
  const char *json;
  const char *message;     /* prefix of the expected message */
} CollectionCase;

static const CollectionCase collection_cases[] = {
  { "{\"type\":\"FeatureCollection\",\"features\":[",
    "feature collection: not valid JSON: " },
  { "[]",
    "feature collection: not a JSON object" },
  { "{\"type\":\"Feature\",\"features\":[]}",
    "feature collection: member “type” is not “FeatureCollection”" },
  { "{\"type\":\"FeatureCollection\"}",
    "feature collection: member “features” is missing or not an array" },
  { COLLECTION ("7"),
    "features[0]: not a JSON object" },
  { COLLECTION ("{\"type\":\"Feature\",\"id\":\"330100\",\"geometry\":" SQUARE "}"),
    "features[0]: member “properties” is missing or not an object" },
  { COLLECTION ("{\"type\":\"Feature\",\"id\":\"330100\",\"properties\":{\"name\":\"a\"}}"),
    "features[0]: member “geometry” is missing" },
  { COLLECTION (FEATURE ("\"id\":\"330100\",", "{\"name\":\"杭州市\"}") ","
                FEATURE ("", "{\"name\":\"宁波市\"}")),
    "features[1]: no code: neither “id” nor properties “adcode” or “code”" },
  { COLLECTION (FEATURE ("\"id\":1.5,", "{\"name\":\"杭州市\"}")),
    "features[0]: no code" },
  { COLLECTION (FEATURE ("\"id\":\"330100\",", "{\"name\":\"\"}")),
    "region 330100: property “name” is missing or not a string" },
  { COLLECTION (FEATURE ("\"id\":\"330100\",", "{\"name\":3}")),
    "region 330100: property “name” is missing or not a string" },
  { COLLECTION (FEATURE ("\"id\":\"330100\",", "{\"name\":\"杭州市\"}") ","
                FEATURE ("", "{\"adcode\":330100,\"name\":\"杭州\"}")),
    "region 330100: the code appears in more than one feature" },
  { COLLECTION (FEATURE ("\"id\":\"330100\",", "{\"name\":\"杭州市\",\"label_point\":[120]}")),
    "region 330100: property “label_point” is not a [longitude, latitude] pair" },
  { COLLECTION (FEATURE ("\"id\":\"330100\",",
                         "{\"name\":\"杭州市\",\"label_point\":[120,95]}")),
    "region 330100: property “label_point” is not a [longitude, latitude] pair" },
  { COLLECTION ("{\"type\":\"Feature\",\"id\":\"330100\",\"properties\":{\"name\":\"a\"},"
                "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}}"),
    "region 330100: geometry: ring 1 of polygon 1 has 3 points, needs at least 4" },
};

static void
test_collection_validation (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (collection_cases); i++)
    {
      const CollectionCase *c = &collection_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) features = NULL;

      g_test_message ("case %u: %s", i, c->json);
      features = load_collection (c->json, &error);
      g_assert_null (features);
      g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
      if (!g_str_has_prefix (error->message, c->message))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, c->message);
    }
}

static void
test_collection_plain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  const FlGeoFeature *f;

  /* Codes from "id" (string or number), "adcode" or "code"; a feature with a
   * null geometry is skipped (as ECharts does); "label_point" is used as is;
   * "cp" is not a label point. */
  features = load_collection (
    COLLECTION (FEATURE ("\"id\":\"330100\",", "{\"name\":\"杭州市\",\"cp\":[120.0,30.0]}") ","
                FEATURE ("\"id\":330200,",
                         "{\"name\":\"宁波市\",\"label_point\":[120.25,30.75]}") ","
                "{\"type\":\"Feature\",\"id\":\"339900\",\"properties\":{\"name\":\"无\"},"
                "\"geometry\":null}" ","
                FEATURE ("", "{\"adcode\":\"330300\",\"name\":\"温州市\"}") ","
                FEATURE ("", "{\"code\":330400,\"name\":\"嘉兴市\"}")),
    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, 4);

  f = g_ptr_array_index (features, 0);
  g_assert_cmpstr (f->code, ==, "330100");
  g_assert_cmpstr (f->name, ==, "杭州市");
  g_assert_true (f->has_label_point);
  g_assert_cmpfloat_with_epsilon (f->label_point.x, 120.5, 0.01);
  g_assert_cmpfloat_with_epsilon (f->label_point.y, 30.5, 0.01);

  f = g_ptr_array_index (features, 1);
  g_assert_cmpstr (f->code, ==, "330200");
  g_assert_cmpfloat (f->label_point.x, ==, 120.25);
  g_assert_cmpfloat (f->label_point.y, ==, 30.75);

  f = g_ptr_array_index (features, 2);
  g_assert_cmpstr (f->code, ==, "330300");
  g_assert_cmpstr (f->name, ==, "温州市");

  f = g_ptr_array_index (features, 3);
  g_assert_cmpstr (f->code, ==, "330400");
  g_assert_cmpuint (get_ring (f->geometry, 0, 0)->points->len, ==, 5);
  g_assert_cmpfloat (f->geometry->max_y, ==, 31.0);
}

/* The text fast path parses numbers itself: it must give json-glib's doubles,
 * and leave odd layouts (whitespace, exponents, long mantissas, 3-D
 * positions) to the same result. */
static void
test_collection_numbers (void)
{
  static const char json[] =
    "{ \"type\" : \"FeatureCollection\" , \"features\" : [ {\n"
    "  \"properties\": {\"name\": \"x\", \"coordinates\": [1, 2]},\n"
    "  \"geometry\": { \"coordinates\" :\n"
    "    [ [ [ 120.123456789012345678 , 3.0e1 ] , [121, 30, 12.5], [ 1.21E2,31.000001 ],\n"
    "      [-0.0, 3.1e+1], [120.123456789012345678, 30] ] ] ,\n"
    "    \"type\" : \"Polygon\" },\n"
    "  \"id\": \"1\", \"type\": \"Feature\" } ] }";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(FlGeometry) reference = NULL;
  JsonNode *geometry_node;
  const FlGeoFeature *f;

  features = load_collection (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, 1);
  f = g_ptr_array_index (features, 0);

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  geometry_node = json_object_get_member (
    json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                    "features"), 0), "geometry");
  reference = fl_geometry_from_json (geometry_node, "reference", &error);
  g_assert_no_error (error);

  assert_same_geometry (f->geometry, reference);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 0).x, ==, 120.123456789012345678);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 0).y, ==, 30.0);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 2).x, ==, 121.0);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 2).y, ==, 31.000001);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 3).y, ==, 31.0);
}

/* Tests: ECharts */

/* Zig-zag: z(v) = 2v (v >= 0), -2v - 1 (v < 0); a unit is z + 64.
 *   z(0) = 0 → '@', z(1024) = 2048 → U+0840, z(-1024) = 2047 → U+083F,
 *   z(512) = 1024 → U+0440, z(-512) = 1023 → U+043F, z(1) = 2 → 'B'. */
#define E0    "@"
#define EP1K  "\\u0840"        /* JSON escape, decoded by json-glib */
#define EM1K  "\xe0\xa0\xbf"   /* U+083F as raw UTF-8 */
#define EP512 "\xd1\x80"       /* U+0440 */
#define EM512 "\xd0\xbf"       /* U+043F */

/* Unit square 120..121 × 30..31 (offsets 120 × 1024, 30 × 1024) and, as its
 * hole, 120.25..120.75 × 30.25..30.75. */
#define ECHARTS_SQUARE E0 E0 EP1K E0 E0 EP1K EM1K E0 E0 EM1K
#define ECHARTS_HOLE   E0 E0 EP512 E0 E0 EP512 EM512 E0 E0 EM512

static void
test_echarts_decode (void)
{
  /* Feature 2 is a MultiPolygon: the same square at other offsets, a sliver
   * (A-B-A, 3 points, dropped as ECharts' own files have them), and a
   * quadrilateral whose first point is U+10000, i.e. two UTF-16 units
   * (0xD800, 0xDC00): x = ((0xD800 - 64) >> 1) = 27616, y = 28128. */
  static const char json[] =
    "{\"type\":\"FeatureCollection\",\"UTF8Encoding\":true,\"features\":["
    "{\"type\":\"Feature\",\"id\":\"330100\",\"properties\":{\"name\":\"杭州市\","
    "  \"cp\":[120.0,30.0],\"childNum\":1},"
    " \"geometry\":{\"type\":\"Polygon\","
    "  \"coordinates\":[\"" ECHARTS_SQUARE "\",\"" ECHARTS_HOLE "\"],"
    "  \"encodeOffsets\":[[122880,30720],[123136,30976]]}},"
    "{\"type\":\"Feature\",\"id\":\"330200\",\"properties\":{\"name\":\"宁波市\"},"
    " \"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
    "  [\"" ECHARTS_SQUARE "\"], [\"@@B@A@\"],"
    "  [\"\xf0\x90\x80\x80" EP1K E0 E0 EP1K EM1K EM1K "\"]],"
    "  \"encodeOffsets\":[[[124928,28672]],[[0,0]],[[0,0]]]}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  const FlGeoFeature *f;
  const FlPolygon *polygon;
  static const FlPoint square[] = {
    { 120.0, 30.0 }, { 121.0, 30.0 }, { 121.0, 31.0 }, { 120.0, 31.0 }, { 120.0, 30.0 },
  };
  static const FlPoint hole[] = {
    { 120.25, 30.25 }, { 120.75, 30.25 }, { 120.75, 30.75 }, { 120.25, 30.75 }, { 120.25, 30.25 },
  };
  static const FlPoint astral[] = {
    { 26.96875, 27.46875 }, { 27.96875, 27.46875 }, { 27.96875, 28.46875 }, { 26.96875, 27.46875 },
  };

  features = load_collection (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, 2);

  f = g_ptr_array_index (features, 0);
  g_assert_cmpstr (f->code, ==, "330100");
  g_assert_cmpstr (f->name, ==, "杭州市");
  g_assert_cmpuint (f->geometry->polygons->len, ==, 1);
  polygon = g_ptr_array_index (f->geometry->polygons, 0);
  g_assert_cmpuint (polygon->rings->len, ==, 2);
  g_assert_cmpmem (get_ring (f->geometry, 0, 0)->points->data,
                   get_ring (f->geometry, 0, 0)->points->len * sizeof (FlPoint),
                   square, sizeof square);
  g_assert_cmpmem (get_ring (f->geometry, 0, 1)->points->data,
                   get_ring (f->geometry, 0, 1)->points->len * sizeof (FlPoint),
                   hole, sizeof hole);
  g_assert_true (fl_geometry_contains (f->geometry, 120.1, 30.1));
  g_assert_false (fl_geometry_contains (f->geometry, 120.5, 30.5));
  g_assert_cmpfloat_with_epsilon (fl_geometry_area (f->geometry), 0.75, 1e-12);

  /* The label point is computed (not "cp", the corner here), off the hole. */
  g_assert_true (f->has_label_point);
  g_assert_true (fl_geometry_contains (f->geometry, f->label_point.x, f->label_point.y));
  g_assert_cmpfloat (distance_to_outline (f->geometry, f->label_point), >, 0.1);

  f = g_ptr_array_index (features, 1);
  g_assert_cmpstr (f->code, ==, "330200");
  g_assert_cmpuint (f->geometry->polygons->len, ==, 2);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 0).x, ==, 122.0);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 2).y, ==, 29.0);
  g_assert_cmpmem (get_ring (f->geometry, 1, 0)->points->data,
                   get_ring (f->geometry, 1, 0)->points->len * sizeof (FlPoint),
                   astral, sizeof astral);
  g_assert_cmpfloat (f->geometry->min_x, ==, 26.96875);
  g_assert_cmpfloat (f->geometry->max_x, ==, 123.0);
}

static void
test_echarts_scale (void)
{
  static const char json[] =
    "{\"type\":\"FeatureCollection\",\"UTF8Encoding\":true,\"UTF8Scale\":2048,\"features\":["
    "{\"type\":\"Feature\",\"id\":\"1\",\"properties\":{\"name\":\"a\"},"
    " \"geometry\":{\"type\":\"Polygon\",\"coordinates\":[\"" ECHARTS_SQUARE "\"],"
    "  \"encodeOffsets\":[[245760,61440]]}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = load_collection (json, &error);
  const FlGeoFeature *f;

  g_assert_no_error (error);
  f = g_ptr_array_index (features, 0);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 0).x, ==, 120.0);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 1).x, ==, 120.5);
  g_assert_cmpfloat (get_point (f->geometry, 0, 0, 2).y, ==, 30.5);
}

#define ECHARTS_COLLECTION(header, geometry) \
  "{\"type\":\"FeatureCollection\",\"UTF8Encoding\":true" header ",\"features\":[" \
  "{\"type\":\"Feature\",\"id\":\"330100\",\"properties\":{\"name\":\"杭州市\"}," \
  "\"geometry\":" geometry "}]}"

static const CollectionCase echarts_cases[] = {
  { ECHARTS_COLLECTION (",\"UTF8Scale\":0",
                        "{\"type\":\"Polygon\",\"coordinates\":[\"@@\"],"
                        "\"encodeOffsets\":[[0,0]]}"),
    "feature collection: “UTF8Scale” is not a positive number" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"Polygon\",\"coordinates\":[\"" ECHARTS_SQUARE "\"]}"),
    "region 330100: geometry: member “encodeOffsets” is missing or not an array" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"Polygon\",\"coordinates\":[\"" ECHARTS_SQUARE "\","
                            "\"" ECHARTS_HOLE "\"],\"encodeOffsets\":[[0,0]]}"),
    "region 330100: geometry: “encodeOffsets” of polygon 1 do not match its 2 rings" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"MultiPolygon\",\"coordinates\":[[\"" ECHARTS_SQUARE "\"]],"
                            "\"encodeOffsets\":[]}"),
    "region 330100: geometry: “encodeOffsets” has 0 polygons, “coordinates” 1" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"Polygon\",\"coordinates\":[\"" ECHARTS_SQUARE "\"],"
                            "\"encodeOffsets\":[[\"0\",0]]}"),
    "region 330100: geometry: encode offset of ring 1 of polygon 1 is not a pair of numbers" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"Polygon\",\"coordinates\":[\"@@@@@\"],"
                            "\"encodeOffsets\":[[0,0]]}"),
    "region 330100: geometry: encoded ring 1 of polygon 1 has an odd number of UTF-16 "
    "code units (5)" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"Polygon\",\"coordinates\":[\"@@@ \"],"
                            "\"encodeOffsets\":[[0,0]]}"),
    "region 330100: geometry: encoded ring 1 of polygon 1 has an invalid character U+0020 "
    "at position 4" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]],"
                            "\"encodeOffsets\":[[0,0]]}"),
    "region 330100: geometry: ring 1 of polygon 1 is not an encoded string" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"Polygon\",\"coordinates\":[\"@@B@A@\"],"
                            "\"encodeOffsets\":[[0,0]]}"),
    "region 330100: geometry: no polygon with at least 4 points" },
  { ECHARTS_COLLECTION ("", "{\"type\":\"LineString\",\"coordinates\":[\"@@B@A@\"],"
                            "\"encodeOffsets\":[[0,0]]}"),
    "region 330100: geometry: type “LineString” is not “Polygon” or “MultiPolygon”" },
  /* 185 × 1024 = 189440: decodes fine, out of range. */
  { ECHARTS_COLLECTION ("", "{\"type\":\"Polygon\",\"coordinates\":[\"" ECHARTS_SQUARE "\"],"
                            "\"encodeOffsets\":[[189440,0]]}"),
    "region 330100: geometry: point 1 of ring 1 of polygon 1 has longitude 185, "
    "outside [-180, 180]" },
};

static void
test_echarts_validation (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (echarts_cases); i++)
    {
      const CollectionCase *c = &echarts_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) features = NULL;

      g_test_message ("case %u: %s", i, c->json);
      features = load_collection (c->json, &error);
      g_assert_null (features);
      g_assert_error (error, FL_ERROR, FL_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, c->message);
    }
}

/* Tests: bundled and real files */

static void
check_label_points (GPtrArray *features)
{
  for (guint i = 0; i < features->len; i++)
    {
      const FlGeoFeature *f = g_ptr_array_index (features, i);
      FlPoint computed = fl_geometry_label_point (f->geometry);
      double d = distance_to_outline (f->geometry, f->label_point);
      double d_computed = distance_to_outline (f->geometry, computed);
      double precision = MAX (f->geometry->max_x - f->geometry->min_x,
                              f->geometry->max_y - f->geometry->min_y) / 1000.0;

      g_test_message ("%s %s: label (%.5f, %.5f), %.3f° from the outline",
                      f->code, f->name, f->label_point.x, f->label_point.y, d);
      g_assert_true (f->has_label_point);
      g_assert_true (fl_geometry_contains (f->geometry, f->label_point.x, f->label_point.y));
      g_assert_true (fl_geometry_contains (f->geometry, computed.x, computed.y));
      /* Well away from the edges: at least 0.02° (~2 km) for every prefecture,
       * and as far as a fresh search finds (a stale stored point fails). */
      g_assert_cmpfloat (d, >, 0.02);
      g_assert_cmpfloat (d, >=, d_computed - 2.0 * precision);
    }
}

static void
test_zhejiang (void)
{
  static const char *const codes[] = {
    "330100", "330200", "330300", "330400", "330500", "330600",
    "330700", "330800", "330900", "331000", "331100",
  };
  static const char *const names[] = {
    "杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市",
    "金华市", "衢州市", "舟山市", "台州市", "丽水市",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  const int n_runs = 20;
  gint64 start;

  start = g_get_monotonic_time ();
  for (int run = 0; run < n_runs; run++)
    {
      g_clear_pointer (&features, g_ptr_array_unref);
      features = fl_geo_load_zhejiang (&error);
      g_assert_no_error (error);
    }
  g_test_message ("fl_geo_load_zhejiang: %.2f ms a load",
                  (g_get_monotonic_time () - start) / 1000.0 / n_runs);

  g_assert_cmpuint (features->len, ==, G_N_ELEMENTS (codes));
  for (guint i = 0; i < features->len; i++)
    {
      const FlGeoFeature *f = g_ptr_array_index (features, i);

      g_assert_cmpstr (f->code, ==, codes[i]);
      g_assert_cmpstr (f->name, ==, names[i]);
      /* The province: 118.0–123.2 °E, 27.0–31.2 °N. */
      g_assert_cmpfloat (f->geometry->min_x, >, 118.0);
      g_assert_cmpfloat (f->geometry->max_x, <, 123.2);
      g_assert_cmpfloat (f->geometry->min_y, >, 27.0);
      g_assert_cmpfloat (f->geometry->max_y, <, 31.2);
      g_assert_cmpfloat (fl_geometry_area (f->geometry), >, 0.1);
    }
  check_label_points (features);

  /* Hangzhou's label is in Hangzhou, not in its neighbours. */
  {
    const FlGeoFeature *hangzhou = g_ptr_array_index (features, 0);

    for (guint i = 1; i < features->len; i++)
      {
        const FlGeoFeature *other = g_ptr_array_index (features, i);

        g_assert_false (fl_geometry_contains (other->geometry, hangzhou->label_point.x,
                                              hangzhou->label_point.y));
      }
  }
}

/* The bundled file read by the fast path equals the file read by json-glib. */
static void
test_zhejiang_parsers_agree (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = fl_geo_load_zhejiang (&error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;

  g_assert_no_error (error);
  bytes = g_resources_lookup_data ("/io/github/fieldlight/Fieldlight/core/regions/zhejiang.geojson",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                              g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);

  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "features");
  g_assert_cmpuint (json_array_get_length (array), ==, features->len);
  for (guint i = 0; i < features->len; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const FlGeoFeature *f = g_ptr_array_index (features, i);
      g_autoptr(FlGeometry) reference = NULL;

      reference = fl_geometry_from_json (json_object_get_member (object, "geometry"),
                                         "reference", &error);
      g_assert_no_error (error);
      assert_same_geometry (f->geometry, reference);
      g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, f->code);
    }
}

static void
test_fujian (void)
{
  static const char *const names[] = {
    "福州市", "厦门市", "莆田市", "三明市", "泉州市", "漳州市", "南平市", "龙岩市", "宁德市",
  };
  g_autoptr(GPtrArray) features = load_test_file ("geo-fujian-echarts.json");
  double min_x = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_y = -G_MAXDOUBLE;

  g_assert_cmpuint (features->len, ==, 9);
  for (guint i = 0; i < features->len; i++)
    {
      const FlGeoFeature *f = g_ptr_array_index (features, i);
      g_autofree char *code = g_strdup_printf ("350%u00", i + 1);

      g_assert_cmpstr (f->code, ==, code);
      g_assert_cmpstr (f->name, ==, names[i]);
      min_x = MIN (min_x, f->geometry->min_x);
      max_x = MAX (max_x, f->geometry->max_x);
      min_y = MIN (min_y, f->geometry->min_y);
      max_y = MAX (max_y, f->geometry->max_y);

      /* Slivers of the source (3-point rings) are gone. */
      for (guint p = 0; p < f->geometry->polygons->len; p++)
        {
          const FlPolygon *polygon = g_ptr_array_index (f->geometry->polygons, p);

          for (guint r = 0; r < polygon->rings->len; r++)
            g_assert_cmpuint (get_ring (f->geometry, p, r)->points->len, >=, 4);
        }
    }

  /* Fujian: ~115.8–120.7 °E, ~23.5–28.3 °N. */
  g_assert_cmpfloat (min_x, >, 115.5);
  g_assert_cmpfloat (min_x, <, 116.5);
  g_assert_cmpfloat (max_x, >, 120.0);
  g_assert_cmpfloat (max_x, <, 121.0);
  g_assert_cmpfloat (min_y, >, 23.0);
  g_assert_cmpfloat (min_y, <, 24.0);
  g_assert_cmpfloat (max_y, >, 28.0);
  g_assert_cmpfloat (max_y, <, 28.8);

  check_label_points (features);

  /* Xiamen's label is on Xiamen island or the mainland part, not at sea. */
  {
    const FlGeoFeature *xiamen = g_ptr_array_index (features, 1);

    g_assert_cmpfloat (xiamen->label_point.x, >, 117.8);
    g_assert_cmpfloat (xiamen->label_point.x, <, 118.5);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/polygon", test_polygon);
  g_test_add_func ("/geo/multipolygon-holes", test_multipolygon_holes);
  g_test_add_func ("/geo/copy", test_copy);
  g_test_add_func ("/geo/validation/geometry", test_geometry_validation);
  g_test_add_func ("/geo/validation/collection", test_collection_validation);
  g_test_add_func ("/geo/validation/echarts", test_echarts_validation);
  g_test_add_func ("/geo/collection/plain", test_collection_plain);
  g_test_add_func ("/geo/collection/numbers", test_collection_numbers);
  g_test_add_func ("/geo/echarts/decode", test_echarts_decode);
  g_test_add_func ("/geo/echarts/scale", test_echarts_scale);
  g_test_add_func ("/geo/zhejiang", test_zhejiang);
  g_test_add_func ("/geo/zhejiang/parsers-agree", test_zhejiang_parsers_agree);
  g_test_add_func ("/geo/fujian", test_fujian);

  return g_test_run ();
}
