/* fl-geo.c — region geometry: GeoJSON (Multi)Polygons with holes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fl-core.h"
#include "fl-core-resources.h"

#define ZHEJIANG_RESOURCE "/io/github/fieldlight/Fieldlight/core/regions/zhejiang.geojson"
#define ECHARTS_DEFAULT_SCALE 1024.0
#define MIN_RING_POINTS 4

/* Helpers: construction */

static FlRing *
ring_new (guint reserve)
{
  FlRing *ring = g_new0 (FlRing, 1);

  ring->points = g_array_sized_new (FALSE, FALSE, sizeof (FlPoint), reserve);
  return ring;
}

static void
ring_free (gpointer data)
{
  FlRing *ring = data;

  if (ring == NULL)
    return;
  g_array_unref (ring->points);
  g_free (ring);
}

static FlPolygon *
polygon_new (void)
{
  FlPolygon *polygon = g_new0 (FlPolygon, 1);

  polygon->rings = g_ptr_array_new_with_free_func (ring_free);
  return polygon;
}

static void
polygon_free (gpointer data)
{
  FlPolygon *polygon = data;

  if (polygon == NULL)
    return;
  g_ptr_array_unref (polygon->rings);
  g_free (polygon);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlRing, ring_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlPolygon, polygon_free)

static inline const FlPoint *
ring_points (const FlRing *ring)
{
  return (const FlPoint *) (gpointer) ring->points->data;
}

static void
geometry_update_bbox (FlGeometry *geometry)
{
  gboolean first = TRUE;

  geometry->min_x = geometry->min_y = geometry->max_x = geometry->max_y = 0.0;

  for (guint p = 0; p < geometry->polygons->len; p++)
    {
      const FlPolygon *polygon = g_ptr_array_index (geometry->polygons, p);
      const FlRing *outer;
      const FlPoint *pts;

      if (polygon->rings->len == 0)
        continue;

      /* Holes lie inside their outer ring: the outer rings bound everything. */
      outer = g_ptr_array_index (polygon->rings, 0);
      pts = ring_points (outer);
      for (guint i = 0; i < outer->points->len; i++)
        {
          if (first)
            {
              geometry->min_x = geometry->max_x = pts[i].x;
              geometry->min_y = geometry->max_y = pts[i].y;
              first = FALSE;
              continue;
            }
          geometry->min_x = MIN (geometry->min_x, pts[i].x);
          geometry->max_x = MAX (geometry->max_x, pts[i].x);
          geometry->min_y = MIN (geometry->min_y, pts[i].y);
          geometry->max_y = MAX (geometry->max_y, pts[i].y);
        }
    }
}

/* Helpers: validation shared by the GeoJSON and the ECharts readers.
 * Indices in messages are 1-based: they are read by people. */

static gboolean
validate_ring (const FlRing *ring,
               const char   *what,
               guint         polygon_index,
               guint         ring_index,
               GError      **error)
{
  const FlPoint *pts = ring_points (ring);

  if (ring->points->len < MIN_RING_POINTS)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: ring %u of polygon %u has %u points, needs at least %d"),
                   what, ring_index + 1, polygon_index + 1, ring->points->len,
                   MIN_RING_POINTS);
      return FALSE;
    }

  for (guint i = 0; i < ring->points->len; i++)
    {
      /* Written so that NaN fails too. */
      if (!(fabs (pts[i].x) <= 180.0))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: point %u of ring %u of polygon %u has longitude %g, "
                         "outside [-180, 180]"),
                       what, i + 1, ring_index + 1, polygon_index + 1, pts[i].x);
          return FALSE;
        }
      if (!(fabs (pts[i].y) <= 90.0))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: point %u of ring %u of polygon %u has latitude %g, "
                         "outside [-90, 90]"),
                       what, i + 1, ring_index + 1, polygon_index + 1, pts[i].y);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* A GeoJSON position: [x, y] or [x, y, z, …]; extra members are ignored. */
static gboolean
read_position (JsonNode *node,
               FlPoint  *out)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) < 2)
    return FALSE;
  if (!node_is_number (json_array_get_element (array, 0))
      || !node_is_number (json_array_get_element (array, 1)))
    return FALSE;

  out->x = json_array_get_double_element (array, 0);
  out->y = json_array_get_double_element (array, 1);
  return TRUE;
}

/* Helpers: GeoJSON reader
 *
 * "coordinates" are first flattened into a token stream (open, number, close),
 * then one walker builds and validates the polygons. The stream comes either
 * from a JsonNode or, for whole files, straight from the text (see
 * extract_coordinates): json-glib spends ~1 µs a node, and a province holds
 * ~100,000 of them. */

typedef enum
{
  TOKEN_OPEN,
  TOKEN_CLOSE,
  TOKEN_NUMBER,
  TOKEN_OTHER,     /* anything but an array or a number */
} TokenKind;

typedef struct
{
  TokenKind kind;
  double    value;
} Token;

typedef struct
{
  const Token *tokens;
  guint        n;
  guint        pos;
} Cursor;

static void
tokens_from_node (JsonNode *node,
                  GArray   *tokens)
{
  Token token = { TOKEN_OTHER, 0.0 };

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      token.kind = TOKEN_OPEN;
      g_array_append_val (tokens, token);
      for (guint i = 0; i < n; i++)
        tokens_from_node (json_array_get_element (array, i), tokens);
      token.kind = TOKEN_CLOSE;
    }
  else if (node_is_number (node))
    {
      token.kind = TOKEN_NUMBER;
      token.value = json_node_get_double (node);
    }
  g_array_append_val (tokens, token);
}

static inline TokenKind
cursor_peek (const Cursor *cursor)
{
  /* Streams are balanced: a walker never reads past the final CLOSE. */
  return cursor->tokens[cursor->pos].kind;
}

static gboolean
walk_position (Cursor  *cursor,
               FlPoint *out)
{
  double v[2];
  guint n = 0;

  if (cursor_peek (cursor) != TOKEN_OPEN)
    return FALSE;
  cursor->pos++;

  /* [x, y] or [x, y, z, …]: extra numbers are ignored. */
  while (cursor_peek (cursor) == TOKEN_NUMBER)
    {
      if (n < 2)
        v[n] = cursor->tokens[cursor->pos].value;
      n++;
      cursor->pos++;
    }
  if (cursor_peek (cursor) != TOKEN_CLOSE || n < 2)
    return FALSE;
  cursor->pos++;

  out->x = v[0];
  out->y = v[1];
  return TRUE;
}

static FlRing *
walk_ring (Cursor     *cursor,
           const char *what,
           guint       polygon_index,
           guint       ring_index,
           GError    **error)
{
  g_autoptr(FlRing) ring = NULL;

  if (cursor_peek (cursor) != TOKEN_OPEN)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: ring %u of polygon %u is not an array of points"),
                   what, ring_index + 1, polygon_index + 1);
      return NULL;
    }
  cursor->pos++;

  ring = ring_new (16);
  while (cursor_peek (cursor) != TOKEN_CLOSE)
    {
      FlPoint point;

      if (!walk_position (cursor, &point))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: point %u of ring %u of polygon %u is not a "
                         "[longitude, latitude] pair of numbers"),
                       what, ring->points->len + 1, ring_index + 1, polygon_index + 1);
          return NULL;
        }
      g_array_append_val (ring->points, point);
    }
  cursor->pos++;

  if (!validate_ring (ring, what, polygon_index, ring_index, error))
    return NULL;

  return g_steal_pointer (&ring);
}

static FlPolygon *
walk_polygon (Cursor     *cursor,
              const char *what,
              guint       polygon_index,
              GError    **error)
{
  g_autoptr(FlPolygon) polygon = NULL;

  if (cursor_peek (cursor) != TOKEN_OPEN)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: polygon %u is not an array of rings"),
                   what, polygon_index + 1);
      return NULL;
    }
  cursor->pos++;

  polygon = polygon_new ();
  while (cursor_peek (cursor) != TOKEN_CLOSE)
    {
      FlRing *ring = walk_ring (cursor, what, polygon_index, polygon->rings->len, error);

      if (ring == NULL)
        return NULL;
      g_ptr_array_add (polygon->rings, ring);
    }
  cursor->pos++;

  if (polygon->rings->len == 0)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: polygon %u has no rings"), what, polygon_index + 1);
      return NULL;
    }

  return g_steal_pointer (&polygon);
}

/* @tokens start with the OPEN of "coordinates". */
static FlGeometry *
walk_geometry (const GArray *tokens,
               gboolean      multi,
               const char   *what,
               GError      **error)
{
  g_autoptr(FlGeometry) geometry = fl_geometry_new ();
  Cursor cursor = { (const Token *) (gconstpointer) tokens->data, tokens->len, 0 };

  g_assert (tokens->len >= 2 && cursor_peek (&cursor) == TOKEN_OPEN);

  if (!multi)
    {
      FlPolygon *polygon = walk_polygon (&cursor, what, 0, error);

      if (polygon == NULL)
        return NULL;
      g_ptr_array_add (geometry->polygons, polygon);
    }
  else
    {
      cursor.pos++;
      while (cursor_peek (&cursor) != TOKEN_CLOSE)
        {
          FlPolygon *polygon = walk_polygon (&cursor, what, geometry->polygons->len, error);

          if (polygon == NULL)
            return NULL;
          g_ptr_array_add (geometry->polygons, polygon);
        }
      if (geometry->polygons->len == 0)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: MultiPolygon has no polygons"), what);
          return NULL;
        }
    }

  geometry_update_bbox (geometry);
  return g_steal_pointer (&geometry);
}

/* Fast path for whole files. Every "coordinates" member whose value is made
 * only of arrays and numbers is tokenized here and replaced, in a copy of the
 * text, by a marker string "@fl-coords-NONCE#N@" (N indexes the streams);
 * json-glib then parses the small remainder. The random nonce keeps a file
 * from forging a marker. Anything unusual (strings inside, as in ECharts
 * files; a syntax error) leaves that value to json-glib. */

typedef struct
{
  GPtrArray *tokens;       /* of GArray of Token, one per marker */
  char       prefix[40];   /* "@fl-coords-NONCE#" */
} CoordStreams;

static CoordStreams *
coord_streams_new (void)
{
  CoordStreams *streams = g_new0 (CoordStreams, 1);

  streams->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_snprintf (streams->prefix, sizeof streams->prefix, "@fl-coords-%08x%08x#",
              g_random_int (), g_random_int ());
  return streams;
}

static void
coord_streams_free (CoordStreams *streams)
{
  g_ptr_array_unref (streams->tokens);
  g_free (streams);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoordStreams, coord_streams_free)

static inline const char *
skip_space (const char *p,
            const char *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

/* A JSON number at @p; returns the end of it, or NULL.
 *
 * Numbers of up to 15 digits with a small exponent (all of GeoJSON, in
 * practice) are converted with one exact multiplication or division, which
 * IEEE rounds correctly: the same double as strtod, at a fraction of the cost
 * (Clinger's fast path). Anything else goes through g_ascii_strtod. */
static const char *
scan_number (const char *p,
             const char *end,
             double     *out)
{
  static const double powers[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  };
  const char *start = p;
  gboolean negative = FALSE;
  guint64 mantissa = 0;
  guint n_digits = 0;
  int exp10 = 0;
  char buf[64];

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p < end && *p == '0')
    p++;
  else if (p < end && *p >= '1' && *p <= '9')
    for (; p < end && g_ascii_isdigit (*p); p++, n_digits++)
      mantissa = mantissa * 10 + (guint64) (*p - '0');
  else
    return NULL;

  if (p < end && *p == '.')
    {
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return NULL;
      for (; p < end && g_ascii_isdigit (*p); p++, exp10--)
        {
          mantissa = mantissa * 10 + (guint64) (*p - '0');
          if (mantissa != 0)
            n_digits++;
        }
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gboolean exp_negative = FALSE;
      int e = 0;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        exp_negative = *p++ == '-';
      if (p >= end || !g_ascii_isdigit (*p))
        return NULL;
      for (; p < end && g_ascii_isdigit (*p); p++)
        e = MIN (e * 10 + (*p - '0'), 100000);
      exp10 += exp_negative ? -e : e;
    }

  /* n_digits <= 15 also means the mantissa did not overflow. */
  if (n_digits <= 15 && exp10 >= -22 && exp10 <= 22)
    {
      double v = (double) mantissa;

      v = exp10 < 0 ? v / powers[-exp10] : v * powers[exp10];
      *out = negative ? -v : v;
      return p;
    }

  if ((gsize) (p - start) >= sizeof buf)
    return NULL;
  memcpy (buf, start, p - start);
  buf[p - start] = '\0';
  *out = g_ascii_strtod (buf, NULL);
  return p;
}

/* Tokenizes the array at @p (which is '['); returns the end of it, or NULL
 * when it holds anything but arrays and numbers or is not valid JSON. */
static const char *
scan_number_arrays (const char *p,
                    const char *end,
                    GArray     *tokens)
{
  enum { AFTER_OPEN, AFTER_COMMA, AFTER_VALUE } state = AFTER_COMMA;
  guint depth = 0;

  for (;;)
    {
      Token token = { TOKEN_NUMBER, 0.0 };

      p = skip_space (p, end);
      if (p >= end)
        return NULL;

      if (*p == '[' && state != AFTER_VALUE)
        {
          token.kind = TOKEN_OPEN;
          depth++;
          state = AFTER_OPEN;
          p++;
        }
      else if (*p == ']' && state != AFTER_COMMA)
        {
          token.kind = TOKEN_CLOSE;
          depth--;
          state = AFTER_VALUE;
          p++;
        }
      else if (*p == ',' && state == AFTER_VALUE)
        {
          state = AFTER_COMMA;
          p++;
          continue;
        }
      else if (state != AFTER_VALUE)
        {
          p = scan_number (p, end, &token.value);
          if (p == NULL)
            return NULL;
          state = AFTER_VALUE;
        }
      else
        {
          return NULL;
        }

      g_array_append_val (tokens, token);
      if (depth == 0)
        return p;
    }
}

/* Returns the text with coordinates replaced by markers into @streams. */
static char *
extract_coordinates (const char   *data,
                     gsize         length,
                     CoordStreams *streams,
                     gsize        *out_length)
{
  static const char key[] = "\"coordinates\"";
  const char *end = data + length;
  const char *p = data;
  const char *copied = data;
  GString *text;

  text = g_string_sized_new (length / 8);

  while (p < end)
    {
      const char *string_start;
      const char *q;
      g_autoptr(GArray) tokens = NULL;

      if (*p != '"')
        {
          p++;
          continue;
        }

      string_start = p++;
      while (p < end && *p != '"')
        p += *p == '\\' ? 2 : 1;
      if (p >= end)
        break;
      p++;

      if ((gsize) (p - string_start) != sizeof key - 1
          || memcmp (string_start, key, sizeof key - 1) != 0)
        continue;

      q = skip_space (p, end);
      if (q >= end || *q != ':')
        continue;
      q = skip_space (q + 1, end);
      if (q >= end || *q != '[')
        continue;

      tokens = g_array_new (FALSE, FALSE, sizeof (Token));
      p = scan_number_arrays (q, end, tokens);
      if (p == NULL)
        {
          p = q;
          continue;
        }

      g_string_append_len (text, copied, q - copied);
      g_string_append_printf (text, "\"%s%u@\"", streams->prefix, streams->tokens->len);
      g_ptr_array_add (streams->tokens, g_steal_pointer (&tokens));
      copied = p;
    }

  g_string_append_len (text, copied, end - copied);
  *out_length = text->len;
  return g_string_free (text, FALSE);
}

/* The token stream a marker left by extract_coordinates stands for. */
static const GArray *
lookup_marker (JsonNode     *node,
               CoordStreams *streams)
{
  const char *str;
  char *end = NULL;
  guint64 index;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  str = json_node_get_string (node);
  if (!g_str_has_prefix (str, streams->prefix))
    return NULL;

  index = g_ascii_strtoull (str + strlen (streams->prefix), &end, 10);
  if (end == NULL || strcmp (end, "@") != 0 || index >= streams->tokens->len)
    return NULL;
  return g_ptr_array_index (streams->tokens, index);
}

/* @streams: from extract_coordinates, or NULL. */
static FlGeometry *
geometry_from_json (JsonNode     *node,
                    CoordStreams *streams,
                    const char   *what,
                    GError      **error)
{
  g_autoptr(GArray) own_tokens = NULL;
  const GArray *tokens = NULL;
  JsonObject *object;
  JsonNode *coords_node;
  const char *type;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: not a JSON object"), what);
      return NULL;
    }
  object = json_node_get_object (node);

  type = json_object_get_string_member_with_default (object, "type", NULL);
  if (type == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: member “type” is missing or not a string"), what);
      return NULL;
    }
  if (strcmp (type, "Polygon") != 0 && strcmp (type, "MultiPolygon") != 0)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: type “%s” is not “Polygon” or “MultiPolygon”"), what, type);
      return NULL;
    }

  coords_node = json_object_get_member (object, "coordinates");
  if (coords_node != NULL && JSON_NODE_HOLDS_ARRAY (coords_node))
    {
      own_tokens = g_array_new (FALSE, FALSE, sizeof (Token));
      tokens_from_node (coords_node, own_tokens);
      tokens = own_tokens;
    }
  else if (streams != NULL && coords_node != NULL)
    tokens = lookup_marker (coords_node, streams);

  if (tokens == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: member “coordinates” is missing or not an array"), what);
      return NULL;
    }

  return walk_geometry (tokens, strcmp (type, "MultiPolygon") == 0, what, error);
}

/* Helpers: ECharts compressed geometry.
 *
 * Each ring is a string; read as UTF-16 code units, every pair of units is one
 * point: unit − 64 is a zig-zag encoded delta from the previous point (the
 * first delta starts from the ring's "encodeOffsets" pair), in 1/scale degrees. */

typedef struct
{
  FlRing *ring;
  double  scale;
  double  prev[2];
  guint   n_units;
} EchartsDecoder;

static gboolean
echarts_push_unit (EchartsDecoder *dec,
                   guint           unit)
{
  guint v;
  gint delta;
  guint axis = dec->n_units % 2;

  /* The encoder only writes units >= 64: anything below is corrupt data. */
  if (unit < 64)
    return FALSE;

  v = unit - 64;
  delta = (gint) (v >> 1) ^ -(gint) (v & 1);
  dec->prev[axis] += delta;
  dec->n_units++;

  if (axis == 1)
    {
      FlPoint point = { dec->prev[0] / dec->scale, dec->prev[1] / dec->scale };

      g_array_append_val (dec->ring->points, point);
    }
  return TRUE;
}

static FlRing *
echarts_decode_ring (const char *encoded,
                     JsonNode   *offset_node,
                     double      scale,
                     const char *what,
                     guint       polygon_index,
                     guint       ring_index,
                     GError    **error)
{
  g_autoptr(FlRing) ring = NULL;
  EchartsDecoder dec = { 0 };
  FlPoint offset;
  guint n_chars = 0;

  if (!read_position (offset_node, &offset))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: encode offset of ring %u of polygon %u is not a pair of numbers"),
                   what, ring_index + 1, polygon_index + 1);
      return NULL;
    }

  ring = ring_new (strlen (encoded) / 2);
  dec.ring = ring;
  dec.scale = scale;
  dec.prev[0] = offset.x;
  dec.prev[1] = offset.y;

  /* json-glib hands out valid UTF-8, so g_utf8_next_char is safe. */
  for (const char *p = encoded; *p != '\0'; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);
      gboolean ok;

      if (c > 0xFFFF)
        {
          /* JavaScript strings count UTF-16 units: split into a surrogate pair. */
          ok = echarts_push_unit (&dec, 0xD800 + ((c - 0x10000) >> 10))
               && echarts_push_unit (&dec, 0xDC00 + ((c - 0x10000) & 0x3FF));
        }
      else
        {
          ok = echarts_push_unit (&dec, c);
        }

      if (!ok)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: encoded ring %u of polygon %u has an invalid character "
                         "U+%04X at position %u"),
                       what, ring_index + 1, polygon_index + 1, c, n_chars + 1);
          return NULL;
        }
    }

  if (dec.n_units % 2 != 0)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: encoded ring %u of polygon %u has an odd number of "
                     "UTF-16 code units (%u)"),
                   what, ring_index + 1, polygon_index + 1, dec.n_units);
      return NULL;
    }

  return g_steal_pointer (&ring);
}

/* @rings_node: array of encoded strings; @offsets_node: array of [x, y]. */
static FlPolygon *
echarts_decode_polygon (JsonNode   *rings_node,
                        JsonNode   *offsets_node,
                        double      scale,
                        const char *what,
                        guint       polygon_index,
                        GError    **error)
{
  g_autoptr(FlPolygon) polygon = polygon_new ();
  JsonArray *rings;
  JsonArray *offsets;
  guint n;

  if (rings_node == NULL || !JSON_NODE_HOLDS_ARRAY (rings_node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: polygon %u is not an array of rings"),
                   what, polygon_index + 1);
      return NULL;
    }
  rings = json_node_get_array (rings_node);
  n = json_array_get_length (rings);

  if (offsets_node == NULL || !JSON_NODE_HOLDS_ARRAY (offsets_node)
      || json_array_get_length (json_node_get_array (offsets_node)) != n)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: “encodeOffsets” of polygon %u do not match its %u rings"),
                   what, polygon_index + 1, n);
      return NULL;
    }
  offsets = json_node_get_array (offsets_node);

  for (guint r = 0; r < n; r++)
    {
      JsonNode *ring_node = json_array_get_element (rings, r);
      g_autoptr(FlRing) ring = NULL;

      if (!JSON_NODE_HOLDS_VALUE (ring_node)
          || json_node_get_value_type (ring_node) != G_TYPE_STRING)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: ring %u of polygon %u is not an encoded string"),
                       what, r + 1, polygon_index + 1);
          return NULL;
        }

      ring = echarts_decode_ring (json_node_get_string (ring_node),
                                  json_array_get_element (offsets, r),
                                  scale, what, polygon_index, r, error);
      if (ring == NULL)
        return NULL;

      /* The province files contain slivers such as A-B-A (zero area): drop
       * them, and a polygon whose outer ring is one. */
      if (ring->points->len < MIN_RING_POINTS)
        {
          g_debug ("%s: dropping degenerate ring %u of polygon %u (%u points)",
                   what, r + 1, polygon_index + 1, ring->points->len);
          if (r == 0)
            return polygon_new ();
          continue;
        }

      if (!validate_ring (ring, what, polygon_index, r, error))
        return NULL;
      g_ptr_array_add (polygon->rings, g_steal_pointer (&ring));
    }

  return g_steal_pointer (&polygon);
}

static FlGeometry *
echarts_decode_geometry (JsonNode   *node,
                         double      scale,
                         const char *what,
                         GError    **error)
{
  g_autoptr(FlGeometry) geometry = NULL;
  JsonObject *object;
  JsonNode *coords_node;
  JsonNode *offsets_node;
  JsonArray *coords;
  JsonArray *offsets;
  const char *type;
  gboolean multi;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: not a JSON object"), what);
      return NULL;
    }
  object = json_node_get_object (node);

  type = json_object_get_string_member_with_default (object, "type", NULL);
  if (g_strcmp0 (type, "Polygon") == 0)
    multi = FALSE;
  else if (g_strcmp0 (type, "MultiPolygon") == 0)
    multi = TRUE;
  else
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: type “%s” is not “Polygon” or “MultiPolygon”"),
                   what, type != NULL ? type : "");
      return NULL;
    }

  coords_node = json_object_get_member (object, "coordinates");
  offsets_node = json_object_get_member (object, "encodeOffsets");
  if (coords_node == NULL || !JSON_NODE_HOLDS_ARRAY (coords_node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: member “coordinates” is missing or not an array"), what);
      return NULL;
    }
  if (offsets_node == NULL || !JSON_NODE_HOLDS_ARRAY (offsets_node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: member “encodeOffsets” is missing or not an array"), what);
      return NULL;
    }
  coords = json_node_get_array (coords_node);
  offsets = json_node_get_array (offsets_node);

  geometry = fl_geometry_new ();

  if (!multi)
    {
      FlPolygon *polygon = echarts_decode_polygon (coords_node, offsets_node, scale,
                                                   what, 0, error);
      if (polygon == NULL)
        return NULL;
      g_ptr_array_add (geometry->polygons, polygon);
    }
  else
    {
      guint n = json_array_get_length (coords);

      if (json_array_get_length (offsets) != n)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: “encodeOffsets” has %u polygons, “coordinates” %u"),
                       what, json_array_get_length (offsets), n);
          return NULL;
        }

      for (guint p = 0; p < n; p++)
        {
          FlPolygon *polygon;

          polygon = echarts_decode_polygon (json_array_get_element (coords, p),
                                            json_array_get_element (offsets, p),
                                            scale, what, p, error);
          if (polygon == NULL)
            return NULL;
          g_ptr_array_add (geometry->polygons, polygon);
        }
    }

  /* Polygons emptied by dropping a degenerate outer ring go too. */
  for (guint p = geometry->polygons->len; p > 0; p--)
    {
      const FlPolygon *polygon = g_ptr_array_index (geometry->polygons, p - 1);

      if (polygon->rings->len == 0)
        g_ptr_array_remove_index (geometry->polygons, p - 1);
    }

  if (geometry->polygons->len == 0)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: no polygon with at least %d points"), what, MIN_RING_POINTS);
      return NULL;
    }

  geometry_update_bbox (geometry);
  return g_steal_pointer (&geometry);
}

/* Helpers: planar measures */

/* Signed shoelace area of a ring (positive when counter-clockwise). */
static double
ring_signed_area (const FlRing *ring)
{
  const FlPoint *pts = ring_points (ring);
  guint n = ring->points->len;
  double sum = 0.0;

  if (n < 3)
    return 0.0;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    sum += (pts[j].x - pts[i].x) * (pts[j].y + pts[i].y);
  return sum / 2.0;
}

static double
polygon_area (const FlPolygon *polygon)
{
  double area = 0.0;

  for (guint r = 0; r < polygon->rings->len; r++)
    {
      double a = fabs (ring_signed_area (g_ptr_array_index (polygon->rings, r)));

      area += r == 0 ? a : -a;
    }
  return MAX (area, 0.0);
}

/* Even-odd crossing test over the rings of one polygon (outer + holes). */
static gboolean
polygon_contains (const FlPolygon *polygon,
                  double           x,
                  double           y)
{
  gboolean inside = FALSE;

  for (guint r = 0; r < polygon->rings->len; r++)
    {
      const FlRing *ring = g_ptr_array_index (polygon->rings, r);
      const FlPoint *pts = ring_points (ring);
      guint n = ring->points->len;

      for (guint i = 0, j = n - 1; i < n; j = i++)
        {
          if ((pts[i].y > y) != (pts[j].y > y)
              && x < (pts[j].x - pts[i].x) * (y - pts[i].y) / (pts[j].y - pts[i].y) + pts[i].x)
            inside = !inside;
        }
    }
  return inside;
}

/* Helpers: label point (pole of inaccessibility).
 *
 * Quadtree search in the manner of Mapbox's "polylabel": cells are ordered by
 * the best distance any point inside them could reach, and split until no cell
 * can beat the best point found by more than the precision. Distances are
 * measured with longitudes shrunk by cos(latitude) so that "far from the edge"
 * holds on the map, not just in degrees. */

typedef struct
{
  double *xy;      /* x0, y0, x1, y1, … in the local frame */
  guint   n;
} LocalRing;

typedef struct
{
  double x, y;     /* centre, local frame */
  double half;     /* half the side */
  double dist;     /* signed distance from the centre to the outline */
  double max;      /* best distance reachable inside the cell */
} Cell;

static double
segment_dist2 (double px, double py,
               double ax, double ay,
               double bx, double by)
{
  double dx = bx - ax;
  double dy = by - ay;

  if (dx != 0.0 || dy != 0.0)
    {
      double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);

      if (t > 1.0)
        {
          ax = bx;
          ay = by;
        }
      else if (t > 0.0)
        {
          ax += dx * t;
          ay += dy * t;
        }
    }

  dx = px - ax;
  dy = py - ay;
  return dx * dx + dy * dy;
}

/* Positive inside, negative outside. */
static double
local_signed_distance (const LocalRing *rings,
                       guint            n_rings,
                       double           x,
                       double           y)
{
  gboolean inside = FALSE;
  double min_d2 = INFINITY;

  for (guint r = 0; r < n_rings; r++)
    {
      const double *xy = rings[r].xy;
      guint n = rings[r].n;

      for (guint i = 0, j = n - 1; i < n; j = i++)
        {
          double ax = xy[2 * i], ay = xy[2 * i + 1];
          double bx = xy[2 * j], by = xy[2 * j + 1];

          if ((ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax)
            inside = !inside;
          min_d2 = MIN (min_d2, segment_dist2 (x, y, ax, ay, bx, by));
        }
    }

  return (inside ? 1.0 : -1.0) * sqrt (min_d2);
}

static Cell
cell_make (const LocalRing *rings,
           guint            n_rings,
           double           x,
           double           y,
           double           half)
{
  Cell cell = { x, y, half, 0.0, 0.0 };

  cell.dist = local_signed_distance (rings, n_rings, x, y);
  cell.max = cell.dist + half * G_SQRT2;
  return cell;
}

/* A binary max-heap of cells on .max. */
static void
heap_push (GArray *heap,
           Cell    cell)
{
  Cell *c;
  guint i;

  g_array_append_val (heap, cell);
  c = (Cell *) (gpointer) heap->data;
  for (i = heap->len - 1; i > 0; )
    {
      guint parent = (i - 1) / 2;
      Cell tmp;

      if (c[parent].max >= c[i].max)
        break;
      tmp = c[parent];
      c[parent] = c[i];
      c[i] = tmp;
      i = parent;
    }
}

static Cell
heap_pop (GArray *heap)
{
  Cell *c = (Cell *) (gpointer) heap->data;
  Cell top = c[0];
  guint n;
  guint i = 0;

  c[0] = c[heap->len - 1];
  g_array_set_size (heap, heap->len - 1);
  c = (Cell *) (gpointer) heap->data;
  n = heap->len;

  for (;;)
    {
      guint l = 2 * i + 1;
      guint r = l + 1;
      guint largest = i;
      Cell tmp;

      if (l < n && c[l].max > c[largest].max)
        largest = l;
      if (r < n && c[r].max > c[largest].max)
        largest = r;
      if (largest == i)
        break;
      tmp = c[i];
      c[i] = c[largest];
      c[largest] = tmp;
      i = largest;
    }

  return top;
}

/* Fallback for shapes where the search finds nothing inside (slivers):
 * the middle of the widest horizontal run through the polygon. */
static gboolean
widest_run_midpoint (const LocalRing *rings,
                     guint            n_rings,
                     double           min_y,
                     double           max_y,
                     double          *out_x,
                     double          *out_y)
{
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  double best_w = -1.0;
  const guint n_lines = 64;

  for (guint k = 0; k < n_lines; k++)
    {
      double y = min_y + (max_y - min_y) * (k + 0.5) / n_lines;
      double *v;

      g_array_set_size (xs, 0);
      for (guint r = 0; r < n_rings; r++)
        {
          const double *xy = rings[r].xy;
          guint n = rings[r].n;

          for (guint i = 0, j = n - 1; i < n; j = i++)
            {
              double ax = xy[2 * i], ay = xy[2 * i + 1];
              double bx = xy[2 * j], by = xy[2 * j + 1];

              if ((ay > y) != (by > y))
                {
                  double x = (bx - ax) * (y - ay) / (by - ay) + ax;
                  g_array_append_val (xs, x);
                }
            }
        }

      v = (double *) (gpointer) xs->data;
      for (guint a = 1; a < xs->len; a++)
        for (guint b = a; b > 0 && v[b - 1] > v[b]; b--)
          {
            double tmp = v[b];
            v[b] = v[b - 1];
            v[b - 1] = tmp;
          }

      for (guint a = 0; a + 1 < xs->len; a += 2)
        if (v[a + 1] - v[a] > best_w)
          {
            best_w = v[a + 1] - v[a];
            *out_x = (v[a] + v[a + 1]) / 2.0;
            *out_y = y;
          }
    }

  return best_w > 0.0;
}

static FlPoint
polygon_label_point (const FlPolygon *polygon,
                     double           precision_fraction)
{
  const FlRing *outer = g_ptr_array_index (polygon->rings, 0);
  const FlPoint *opts = ring_points (outer);
  g_autofree LocalRing *rings = NULL;
  g_autofree double *storage = NULL;
  g_autoptr(GArray) heap = NULL;
  double min_x = opts[0].x, max_x = opts[0].x, min_y = opts[0].y, max_y = opts[0].y;
  double kx, w, h, cell_size, precision;
  double cx = 0.0, cy = 0.0, a2 = 0.0;
  guint total = 0;
  guint n_rings = polygon->rings->len;
  Cell best;
  FlPoint result;

  for (guint i = 1; i < outer->points->len; i++)
    {
      min_x = MIN (min_x, opts[i].x);
      max_x = MAX (max_x, opts[i].x);
      min_y = MIN (min_y, opts[i].y);
      max_y = MAX (max_y, opts[i].y);
    }

  kx = cos ((min_y + max_y) / 2.0 * G_PI / 180.0);
  kx = MAX (kx, 0.01);

  /* Copy the rings into the local frame, flat, for a tight inner loop. */
  for (guint r = 0; r < n_rings; r++)
    total += ((FlRing *) g_ptr_array_index (polygon->rings, r))->points->len;
  storage = g_new (double, 2 * (gsize) total);
  rings = g_new (LocalRing, n_rings);
  for (guint r = 0, off = 0; r < n_rings; r++)
    {
      const FlRing *ring = g_ptr_array_index (polygon->rings, r);
      const FlPoint *pts = ring_points (ring);

      rings[r].xy = storage + 2 * off;
      rings[r].n = ring->points->len;
      for (guint i = 0; i < ring->points->len; i++)
        {
          rings[r].xy[2 * i] = pts[i].x * kx;
          rings[r].xy[2 * i + 1] = pts[i].y;
        }
      off += ring->points->len;
    }

  min_x *= kx;
  max_x *= kx;
  w = max_x - min_x;
  h = max_y - min_y;
  cell_size = MIN (w, h);
  if (cell_size <= 0.0)
    return opts[0];
  precision = MAX (w, h) * precision_fraction;

  /* Start from the area centroid of the outer ring. */
  for (guint i = 0, j = rings[0].n - 1; i < rings[0].n; j = i++)
    {
      const double *p = rings[0].xy + 2 * i;
      const double *q = rings[0].xy + 2 * j;
      double f = p[0] * q[1] - q[0] * p[1];

      cx += (p[0] + q[0]) * f;
      cy += (p[1] + q[1]) * f;
      a2 += f;
    }
  if (a2 != 0.0)
    best = cell_make (rings, n_rings, cx / (3.0 * a2), cy / (3.0 * a2), 0.0);
  else
    best = cell_make (rings, n_rings, rings[0].xy[0], rings[0].xy[1], 0.0);

  {
    Cell centre = cell_make (rings, n_rings, min_x + w / 2.0, min_y + h / 2.0, 0.0);

    if (centre.dist > best.dist)
      best = centre;
  }

  heap = g_array_new (FALSE, FALSE, sizeof (Cell));
  for (double x = min_x; x < max_x; x += cell_size)
    for (double y = min_y; y < max_y; y += cell_size)
      heap_push (heap, cell_make (rings, n_rings, x + cell_size / 2.0, y + cell_size / 2.0,
                                  cell_size / 2.0));

  while (heap->len > 0)
    {
      Cell cell = heap_pop (heap);
      double hh;

      if (cell.dist > best.dist)
        best = cell;
      if (cell.max - best.dist <= precision)
        continue;

      hh = cell.half / 2.0;
      heap_push (heap, cell_make (rings, n_rings, cell.x - hh, cell.y - hh, hh));
      heap_push (heap, cell_make (rings, n_rings, cell.x + hh, cell.y - hh, hh));
      heap_push (heap, cell_make (rings, n_rings, cell.x - hh, cell.y + hh, hh));
      heap_push (heap, cell_make (rings, n_rings, cell.x + hh, cell.y + hh, hh));
    }

  if (best.dist <= 0.0)
    widest_run_midpoint (rings, n_rings, min_y, max_y, &best.x, &best.y);

  result.x = best.x / kx;
  result.y = best.y;
  return result;
}

/* Helpers: feature collections */

/* A code is a string or an integer (some files write "id": 330100). */
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

/* A null geometry, or in ECharts files one with no coordinates ("childNum": 0,
 * as in xizang.json). ECharts skips those features: so do we. Plain GeoJSON
 * with empty coordinates is an error. */
static gboolean
geometry_is_empty (JsonNode *node,
                   gboolean  echarts)
{
  JsonNode *coords;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!echarts || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  coords = json_object_get_member (json_node_get_object (node), "coordinates");
  return coords != NULL && JSON_NODE_HOLDS_ARRAY (coords)
         && json_array_get_length (json_node_get_array (coords)) == 0;
}

static FlGeoFeature *
feature_from_json (JsonNode      *node,
                   guint          index,
                   gboolean       echarts,
                   double         scale,
                   CoordStreams  *streams,
                   GHashTable    *seen_codes,
                   gboolean      *out_skipped,
                   GError       **error)
{
  g_autoptr(FlGeoFeature) feature = g_new0 (FlGeoFeature, 1);
  g_autofree char *what = g_strdup_printf ("features[%u]", index);
  g_autofree char *geometry_what = NULL;
  JsonObject *object;
  JsonObject *properties;
  JsonNode *props_node;
  JsonNode *geometry_node;
  JsonNode *label_node;
  const char *name;

  *out_skipped = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: not a JSON object"), what);
      return NULL;
    }
  object = json_node_get_object (node);

  props_node = json_object_get_member (object, "properties");
  if (props_node == NULL || !JSON_NODE_HOLDS_OBJECT (props_node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: member “properties” is missing or not an object"), what);
      return NULL;
    }
  properties = json_node_get_object (props_node);

  geometry_node = json_object_get_member (object, "geometry");
  if (geometry_node == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: member “geometry” is missing"), what);
      return NULL;
    }
  if (geometry_is_empty (geometry_node, echarts))
    {
      g_debug ("%s: skipping a feature without geometry", what);
      *out_skipped = TRUE;
      return NULL;
    }

  feature->code = node_dup_code (json_object_get_member (object, "id"));
  if (feature->code == NULL)
    feature->code = node_dup_code (json_object_get_member (properties, "adcode"));
  if (feature->code == NULL)
    feature->code = node_dup_code (json_object_get_member (properties, "code"));
  if (feature->code == NULL || feature->code[0] == '\0')
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: no code: neither “id” nor properties “adcode” or “code”"),
                   what);
      return NULL;
    }

  g_free (what);
  what = g_strdup_printf ("region %s", feature->code);

  if (g_hash_table_contains (seen_codes, feature->code))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: the code appears in more than one feature"), what);
      return NULL;
    }

  name = json_object_get_string_member_with_default (properties, "name", NULL);
  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: property “name” is missing or not a string"), what);
      return NULL;
    }
  feature->name = g_strdup (name);

  geometry_what = g_strdup_printf ("%s: geometry", what);
  if (echarts)
    feature->geometry = echarts_decode_geometry (geometry_node, scale, geometry_what, error);
  else
    feature->geometry = geometry_from_json (geometry_node, streams, geometry_what, error);
  if (feature->geometry == NULL)
    return NULL;

  label_node = json_object_get_member (properties, "label_point");
  if (label_node != NULL && !JSON_NODE_HOLDS_NULL (label_node))
    {
      if (!read_position (label_node, &feature->label_point)
          || !(fabs (feature->label_point.x) <= 180.0)
          || !(fabs (feature->label_point.y) <= 90.0))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: property “label_point” is not a [longitude, latitude] pair"),
                       what);
          return NULL;
        }
    }
  else
    {
      feature->label_point = fl_geometry_label_point (feature->geometry);
    }
  feature->has_label_point = TRUE;

  g_hash_table_add (seen_codes, g_strdup (feature->code));
  return g_steal_pointer (&feature);
}

/* Public API */

/**
 * fl_geometry_new:
 *
 * Returns: (transfer full): an empty geometry (no polygons, zero bbox).
 */
FlGeometry *
fl_geometry_new (void)
{
  FlGeometry *geometry = g_new0 (FlGeometry, 1);

  geometry->polygons = g_ptr_array_new_with_free_func (polygon_free);
  return geometry;
}

void
fl_geometry_free (FlGeometry *geometry)
{
  if (geometry == NULL)
    return;
  g_ptr_array_unref (geometry->polygons);
  g_free (geometry);
}

/**
 * fl_geometry_copy:
 * @geometry: a geometry
 *
 * Returns: (transfer full): a deep copy of @geometry.
 */
FlGeometry *
fl_geometry_copy (const FlGeometry *geometry)
{
  FlGeometry *copy;

  g_return_val_if_fail (geometry != NULL, NULL);

  copy = fl_geometry_new ();
  for (guint p = 0; p < geometry->polygons->len; p++)
    {
      const FlPolygon *polygon = g_ptr_array_index (geometry->polygons, p);
      FlPolygon *polygon_copy = polygon_new ();

      for (guint r = 0; r < polygon->rings->len; r++)
        {
          const FlRing *ring = g_ptr_array_index (polygon->rings, r);
          FlRing *ring_copy = ring_new (ring->points->len);

          g_array_append_vals (ring_copy->points, ring->points->data, ring->points->len);
          g_ptr_array_add (polygon_copy->rings, ring_copy);
        }
      g_ptr_array_add (copy->polygons, polygon_copy);
    }

  copy->min_x = geometry->min_x;
  copy->min_y = geometry->min_y;
  copy->max_x = geometry->max_x;
  copy->max_y = geometry->max_y;
  return copy;
}

/**
 * fl_geometry_from_json:
 * @node: a GeoJSON geometry object
 * @what: names the geometry in error messages, e.g. "region 330700: geometry"
 * @error: return location for a #GError
 *
 * Parses a "Polygon" or "MultiPolygon". Rings need not repeat their first
 * point. Polygons, rings and points are numbered from 1 in error messages.
 *
 * Returns: (transfer full) (nullable): the geometry, or %NULL with
 *   %FL_ERROR_INVALID_DATA set.
 */
FlGeometry *
fl_geometry_from_json (JsonNode   *node,
                       const char *what,
                       GError    **error)
{
  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return geometry_from_json (node, NULL, what, error);
}

/**
 * fl_geometry_from_data:
 * @json: the text of a GeoJSON geometry object
 * @length: its length in bytes, or -1 when nul-terminated
 * @what: names the geometry in error messages, e.g. "region 330700: geometry"
 * @error: return location for a #GError
 *
 * fl_geometry_from_json() on text, with the fast path of
 * fl_geo_load_feature_collection() for the coordinates (several times
 * faster than building a json-glib tree of them).
 *
 * Returns: (transfer full) (nullable): the geometry, or %NULL with
 *   %FL_ERROR_INVALID_DATA set.
 */
FlGeometry *
fl_geometry_from_data (const char  *json,
                       gssize       length,
                       const char  *what,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CoordStreams) streams = coord_streams_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *skeleton = NULL;
  gsize skeleton_length = 0;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (json);

  skeleton = extract_coordinates (json, (gsize) length, streams, &skeleton_length);
  if (!json_parser_load_from_data (parser, skeleton, (gssize) skeleton_length, NULL))
    {
      /* Parse the original for an error position that matches the input. */
      g_clear_pointer (&streams, coord_streams_free);
      if (!json_parser_load_from_data (parser, json, length, &local_error))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: not valid JSON: %s"), what, local_error->message);
          return NULL;
        }
    }

  return geometry_from_json (json_parser_get_root (parser), streams, what, error);
}

/**
 * fl_geometry_to_json:
 * @geometry: a geometry
 *
 * Writes a "Polygon" when there is one polygon, else a "MultiPolygon". Rings
 * are closed (first point repeated) as RFC 7946 requires.
 *
 * Returns: (transfer full): a GeoJSON geometry object.
 */
JsonNode *
fl_geometry_to_json (const FlGeometry *geometry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  gboolean multi;

  g_return_val_if_fail (geometry != NULL, NULL);

  multi = geometry->polygons->len != 1;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, multi ? "MultiPolygon" : "Polygon");
  json_builder_set_member_name (builder, "coordinates");
  if (multi)
    json_builder_begin_array (builder);

  for (guint p = 0; p < geometry->polygons->len; p++)
    {
      const FlPolygon *polygon = g_ptr_array_index (geometry->polygons, p);

      json_builder_begin_array (builder);
      for (guint r = 0; r < polygon->rings->len; r++)
        {
          const FlRing *ring = g_ptr_array_index (polygon->rings, r);
          const FlPoint *pts = ring_points (ring);
          guint n = ring->points->len;
          gboolean closed = n > 0 && pts[0].x == pts[n - 1].x && pts[0].y == pts[n - 1].y;

          json_builder_begin_array (builder);
          for (guint i = 0; i < n + (closed || n == 0 ? 0 : 1); i++)
            {
              const FlPoint *pt = &pts[i % n];

              json_builder_begin_array (builder);
              json_builder_add_double_value (builder, pt->x);
              json_builder_add_double_value (builder, pt->y);
              json_builder_end_array (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
    }

  if (multi)
    json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * fl_geometry_contains:
 * @geometry: a geometry
 * @x: longitude (or projected x, in the geometry's coordinates)
 * @y: latitude (or projected y)
 *
 * Even-odd test per polygon (a point in a hole is outside); TRUE when any
 * polygon contains the point.
 */
gboolean
fl_geometry_contains (const FlGeometry *geometry,
                      double            x,
                      double            y)
{
  g_return_val_if_fail (geometry != NULL, FALSE);

  if (x < geometry->min_x || x > geometry->max_x || y < geometry->min_y || y > geometry->max_y)
    return FALSE;

  for (guint p = 0; p < geometry->polygons->len; p++)
    if (polygon_contains (g_ptr_array_index (geometry->polygons, p), x, y))
      return TRUE;
  return FALSE;
}

/**
 * fl_geometry_label_point:
 * @geometry: a geometry
 *
 * The pole of inaccessibility of the largest polygon (holes respected), found
 * to within 1/1000 of its bounding box. An empty geometry gives (0, 0).
 */
FlPoint
fl_geometry_label_point (const FlGeometry *geometry)
{
  const FlPolygon *largest = NULL;
  double largest_area = -1.0;
  FlPoint none = { 0.0, 0.0 };

  g_return_val_if_fail (geometry != NULL, none);

  for (guint p = 0; p < geometry->polygons->len; p++)
    {
      const FlPolygon *polygon = g_ptr_array_index (geometry->polygons, p);
      double area;

      if (polygon->rings->len == 0
          || ((FlRing *) g_ptr_array_index (polygon->rings, 0))->points->len == 0)
        continue;
      area = polygon_area (polygon);
      if (area > largest_area)
        {
          largest_area = area;
          largest = polygon;
        }
    }

  if (largest == NULL)
    return none;
  return polygon_label_point (largest, 1.0 / 1000.0);
}

/**
 * fl_geometry_area:
 * @geometry: a geometry
 *
 * Planar area in squared coordinate units (square degrees for lon/lat):
 * outer rings minus holes, summed over polygons. Good for comparing regions,
 * not for reporting km².
 */
double
fl_geometry_area (const FlGeometry *geometry)
{
  double area = 0.0;

  g_return_val_if_fail (geometry != NULL, 0.0);

  for (guint p = 0; p < geometry->polygons->len; p++)
    area += polygon_area (g_ptr_array_index (geometry->polygons, p));
  return area;
}

void
fl_geo_feature_free (FlGeoFeature *feature)
{
  if (feature == NULL)
    return;
  g_free (feature->code);
  g_free (feature->name);
  fl_geometry_free (feature->geometry);
  g_free (feature);
}

/**
 * fl_geo_load_feature_collection:
 * @data: the JSON text
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Features whose geometry is null are skipped, as ECharts does; in ECharts
 * files ("UTF8Encoding": true) so are features with empty coordinates, and
 * rings of fewer than 4 points (zero-area slivers in the province files) are
 * dropped rather than rejected.
 *
 * Returns: (transfer full) (element-type FlGeoFeature) (nullable): the
 *   features in file order, or %NULL with %FL_ERROR_INVALID_DATA set.
 */
GPtrArray *
fl_geo_load_feature_collection (const char  *data,
                                gsize        length,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GHashTable) seen_codes = NULL;
  g_autoptr(CoordStreams) streams = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *skeleton = NULL;
  gsize skeleton_length = 0;
  gboolean parsed;
  JsonObject *root;
  JsonNode *features_node;
  JsonArray *array;
  gboolean echarts;
  double scale = ECHARTS_DEFAULT_SCALE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > G_MAXSSIZE)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("feature collection: too large"));
      return NULL;
    }

  streams = coord_streams_new ();
  skeleton = extract_coordinates (data, length, streams, &skeleton_length);
  parsed = json_parser_load_from_data (parser, skeleton, (gssize) skeleton_length, NULL);

  /* Parse the original when the skeleton fails (for error positions that match
   * the input) and for ECharts files, where strings belong in "coordinates"
   * and the fast path must not have taken arrays of numbers (they are small). */
  if (parsed && streams->tokens->len > 0)
    {
      JsonNode *skeleton_root = json_parser_get_root (parser);

      if (JSON_NODE_HOLDS_OBJECT (skeleton_root)
          && json_object_get_boolean_member_with_default (json_node_get_object (skeleton_root),
                                                          "UTF8Encoding", FALSE))
        parsed = FALSE;
    }
  if (!parsed)
    {
      g_clear_pointer (&streams, coord_streams_free);
      parsed = json_parser_load_from_data (parser, data, (gssize) length, &local_error);
    }
  if (!parsed)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("feature collection: not valid JSON: %s"), local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("feature collection: not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  if (g_strcmp0 (json_object_get_string_member_with_default (root, "type", NULL),
                 "FeatureCollection") != 0)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("feature collection: member “type” is not “FeatureCollection”"));
      return NULL;
    }

  features_node = json_object_get_member (root, "features");
  if (features_node == NULL || !JSON_NODE_HOLDS_ARRAY (features_node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("feature collection: member “features” is missing or not an array"));
      return NULL;
    }
  array = json_node_get_array (features_node);

  echarts = json_object_get_boolean_member_with_default (root, "UTF8Encoding", FALSE);
  if (echarts && json_object_has_member (root, "UTF8Scale"))
    {
      JsonNode *scale_node = json_object_get_member (root, "UTF8Scale");

      if (!node_is_number (scale_node) || !(json_node_get_double (scale_node) > 0.0))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("feature collection: “UTF8Scale” is not a positive number"));
          return NULL;
        }
      scale = json_node_get_double (scale_node);
    }

  features = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_geo_feature_free);
  seen_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      FlGeoFeature *feature;
      gboolean skipped;

      feature = feature_from_json (json_array_get_element (array, i), i, echarts, scale,
                                   streams, seen_codes, &skipped, error);
      if (skipped)
        continue;
      if (feature == NULL)
        return NULL;
      g_ptr_array_add (features, feature);
    }

  return g_steal_pointer (&features);
}

/**
 * fl_geo_load_zhejiang:
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type FlGeoFeature) (nullable): the 11
 *   prefectures of Zhejiang bundled in the core GResource.
 */
GPtrArray *
fl_geo_load_zhejiang (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gconstpointer data;
  gsize length;

  /* Through fl_core_get_resource () so that the static library's resource
   * object is linked in (and registered) by anything that loads regions. */
  bytes = g_resource_lookup_data (fl_core_get_resource (), ZHEJIANG_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &length);
  return fl_geo_load_feature_collection (data, length, error);
}
