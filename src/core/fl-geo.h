/* fl-geo.h — region geometry: GeoJSON (Multi)Polygons with holes
 *
 * Coordinates are WGS84 longitude/latitude. A geometry is a list of polygons,
 * each a list of rings (the first the outer ring, the rest holes), each ring a
 * list of FlPoint. The loader also reads ECharts' compressed province files
 * (the province files of echarts@4, "UTF8Encoding": true).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  double x;   /* longitude (or, once projected, Web Mercator x in [0,1]) */
  double y;   /* latitude  (or, once projected, Web Mercator y in [0,1]) */
} FlPoint;

typedef struct
{
  GArray *points;        /* of FlPoint; closed rings may repeat the first point */
} FlRing;

typedef struct
{
  GPtrArray *rings;      /* of FlRing*; [0] outer, [1..] holes */
} FlPolygon;

typedef struct
{
  GPtrArray *polygons;   /* of FlPolygon* */
  double     min_x, min_y, max_x, max_y;   /* bounding box (lon/lat) */
} FlGeometry;

/* One feature of a province file. */
typedef struct
{
  char       *code;          /* GB/T 2260 code, e.g. "330700" */
  char       *name;          /* "金华市" */
  gboolean    has_label_point;
  FlPoint     label_point;   /* lon/lat */
  FlGeometry *geometry;
} FlGeoFeature;

FlGeometry   *fl_geometry_new          (void);
void          fl_geometry_free         (FlGeometry *geometry);
FlGeometry   *fl_geometry_copy         (const FlGeometry *geometry);

/* Parses a GeoJSON "Polygon" or "MultiPolygon" geometry object. Errors are
 * FL_ERROR_INVALID_DATA and start with @what (e.g. "region 330700: geometry").
 * Rejects: unknown type, rings with < 4 points, non-numeric or out-of-range
 * (|lon| > 180, |lat| > 90) coordinates, empty polygons. */
FlGeometry   *fl_geometry_from_json    (JsonNode   *node,
                                        const char *what,
                                        GError    **error);
/* fl_geometry_from_json() on text (@length -1: nul-terminated), with the
 * fast coordinate path of fl_geo_load_feature_collection(). */
FlGeometry   *fl_geometry_from_data    (const char *json,
                                        gssize      length,
                                        const char *what,
                                        GError    **error);
JsonNode     *fl_geometry_to_json      (const FlGeometry *geometry);

/* Even-odd point-in-polygon test over all polygons and their holes. */
gboolean      fl_geometry_contains     (const FlGeometry *geometry,
                                        double            x,
                                        double            y);
/* A point well inside the largest polygon (pole of inaccessibility,
 * precision ~1/1000 of the bbox), suitable for a label. */
FlPoint       fl_geometry_label_point  (const FlGeometry *geometry);
double        fl_geometry_area         (const FlGeometry *geometry);

void          fl_geo_feature_free      (FlGeoFeature *feature);

/* Reads a FeatureCollection of prefectures: plain GeoJSON or ECharts'
 * compressed encoding (decoded transparently). The code comes from the
 * feature's "id" or properties "adcode"/"code"; the name from properties
 * "name"; the label point from properties "label_point" when present, else
 * fl_geometry_label_point() (never ECharts' "cp", the seat of government).
 * Features with a null geometry are skipped.
 * Returns a GPtrArray of FlGeoFeature* (owning). */
GPtrArray    *fl_geo_load_feature_collection (const char  *data,
                                              gsize        length,
                                              GError     **error);
/* The bundled Zhejiang prefectures (GResource). */
GPtrArray    *fl_geo_load_zhejiang     (GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlGeometry, fl_geometry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlGeoFeature, fl_geo_feature_free)

G_END_DECLS
