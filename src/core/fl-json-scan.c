/* fl-json-scan.c — a structural JSON scanner for documents too big for one JsonParser tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fl-json-scan.h"

/* What a byte means outside strings while skipping a container. */
enum
{
  BYTE_OTHER,        /* part of a scalar, or whitespace, or a separator: JsonParser judges */
  BYTE_QUOTE,
  BYTE_OPEN,
  BYTE_CLOSE,
  BYTE_FORBIDDEN,    /* json-glib extensions (comments, single quotes): not JSON */
};

static const guint8 byte_class[256] = {
  ['"'] = BYTE_QUOTE,
  ['{'] = BYTE_OPEN, ['['] = BYTE_OPEN,
  ['}'] = BYTE_CLOSE, [']'] = BYTE_CLOSE,
  ['/'] = BYTE_FORBIDDEN, ['\''] = BYTE_FORBIDDEN,
};

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Ends a scalar (a number or a literal) */
static inline gboolean
is_delimiter (char c)
{
  return is_space (c) || c == ',' || c == ':' || c == '"'
         || c == '[' || c == ']' || c == '{' || c == '}';
}

static void
skip_space (FlJsonScanner *scanner)
{
  const char *data = scanner->data;

  while (scanner->pos < scanner->limit && is_space (data[scanner->pos]))
    scanner->pos++;
}

void
fl_json_scanner_position (const FlJsonScanner *scanner,
                          gsize                offset,
                          guint               *line,
                          guint               *column)
{
  const char *p = scanner->data;
  const char *end = scanner->data + MIN (offset, scanner->length);
  const char *line_start = p;
  guint lines = 1;

  while (p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      lines++;
      line_start = ++p;
    }

  *line = lines;
  *column = (guint) (end - line_start) + 1;
}

static gboolean
scan_error (FlJsonScanner  *scanner,
            JsonParserError code,
            gsize           offset,
            GError        **error,
            const char     *format,
            ...) G_GNUC_PRINTF (5, 6);

static gboolean
scan_error (FlJsonScanner  *scanner,
            JsonParserError code,
            gsize           offset,
            GError        **error,
            const char     *format,
            ...)
{
  g_autofree char *what = NULL;
  va_list args;
  guint line, column;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  fl_json_scanner_position (scanner, offset, &line, &column);
  /* Shaped like JsonParser's messages, so that both read alike. */
  g_set_error (error, JSON_PARSER_ERROR, code, _("%s:%u:%u: Parse error: %s"),
               scanner->name, line, column, what);
  return FALSE;
}

/* The byte at @offset, quoted for a message. */
static char *
describe_byte (FlJsonScanner *scanner,
               gsize          offset)
{
  guchar c = (guchar) scanner->data[offset];

  if (c >= 0x20 && c < 0x7f)
    return g_strdup_printf ("“%c”", c);
  return g_strdup_printf ("0x%02X", c);
}

/* Something other than @expected at scanner->pos (or the end of the range). */
static gboolean
unexpected (FlJsonScanner  *scanner,
            JsonParserError code,
            const char     *expected,
            GError        **error)
{
  g_autofree char *found = NULL;

  if (scanner->pos >= scanner->limit)
    return scan_error (scanner, code, scanner->pos, error,
                       _("unexpected end of the data, expected %s"), expected);

  found = describe_byte (scanner, scanner->pos);
  return scan_error (scanner, code, scanner->pos, error,
                     _("unexpected character %s, expected %s"), found, expected);
}

void
fl_json_scanner_init (FlJsonScanner *scanner,
                      const char    *name,
                      const char    *data,
                      gsize          length)
{
  g_return_if_fail (scanner != NULL);
  g_return_if_fail (data != NULL || length == 0);

  memset (scanner, 0, sizeof *scanner);
  scanner->name = name;
  scanner->data = data;
  scanner->length = length;
  scanner->limit = length;
  /* JsonParser skips a byte order mark too. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    scanner->pos = 3;
}

char
fl_json_scanner_peek (FlJsonScanner *scanner)
{
  skip_space (scanner);
  return scanner->pos < scanner->limit ? scanner->data[scanner->pos] : '\0';
}

/* At an opening quote: moves past the closing one. Escapes are only skipped
 * here (a backslash hides the byte after it); JsonParser checks them. */
static gboolean
skip_string (FlJsonScanner  *scanner,
             GError        **error)
{
  const char *data = scanner->data;
  gsize start = scanner->pos;
  gsize p = start + 1;
  gsize limit = scanner->limit;

  for (;;)
    {
      while (p < limit && data[p] != '"' && data[p] != '\\')
        p++;
      if (p >= limit)
        break;
      if (data[p] == '"')
        {
          scanner->pos = p + 1;
          return TRUE;
        }
      p += 2;
    }

  scanner->pos = limit;
  return scan_error (scanner, JSON_PARSER_ERROR_PARSE, start, error,
                     _("unterminated string"));
}

/* At an opening bracket: moves past the matching closing one. */
static gboolean
skip_container (FlJsonScanner  *scanner,
                GError        **error)
{
  char closers[FL_JSON_SCAN_MAX_DEPTH];
  const char *data = scanner->data;
  gsize limit = scanner->limit;
  guint depth = 0;
  gsize p = scanner->pos;

  while (p < limit)
    {
      char c = data[p];

      switch (byte_class[(guchar) c])
        {
        case BYTE_OTHER:
          p++;
          break;

        case BYTE_QUOTE:
          scanner->pos = p;
          if (!skip_string (scanner, error))
            return FALSE;
          p = scanner->pos;
          break;

        case BYTE_OPEN:
          if (depth == FL_JSON_SCAN_MAX_DEPTH)
            return scan_error (scanner, JSON_PARSER_ERROR_PARSE, p, error,
                               _("nested deeper than %d levels"), FL_JSON_SCAN_MAX_DEPTH);
          closers[depth++] = c == '{' ? '}' : ']';
          p++;
          break;

        case BYTE_CLOSE:
          if (c != closers[depth - 1])
            {
              g_autofree char *expected = g_strdup_printf ("“%c”", closers[depth - 1]);

              scanner->pos = p;
              return unexpected (scanner, JSON_PARSER_ERROR_PARSE, expected, error);
            }
          p++;
          if (--depth == 0)
            {
              scanner->pos = p;
              return TRUE;
            }
          break;

        case BYTE_FORBIDDEN:
        default:
          scanner->pos = p;
          return unexpected (scanner, JSON_PARSER_ERROR_INVALID_BAREWORD, _("a JSON value"),
                             error);
        }
    }

  scanner->pos = limit;
  {
    g_autofree char *expected = g_strdup_printf ("“%c”", closers[depth - 1]);

    return unexpected (scanner, JSON_PARSER_ERROR_PARSE, expected, error);
  }
}

gboolean
fl_json_scanner_skip_value (FlJsonScanner  *scanner,
                            FlJsonSpan     *span,
                            GError        **error)
{
  const char *data = scanner->data;
  char c = fl_json_scanner_peek (scanner);
  gsize start = scanner->pos;

  if (c == '"')
    {
      if (!skip_string (scanner, error))
        return FALSE;
    }
  else if (c == '{' || c == '[')
    {
      if (!skip_container (scanner, error))
        return FALSE;
    }
  else
    {
      /* A number or a literal: JsonParser checks its spelling. */
      while (scanner->pos < scanner->limit && !is_delimiter (data[scanner->pos])
             && byte_class[(guchar) data[scanner->pos]] != BYTE_FORBIDDEN)
        scanner->pos++;
      if (scanner->pos == start
          || (scanner->pos < scanner->limit
              && byte_class[(guchar) data[scanner->pos]] == BYTE_FORBIDDEN))
        return unexpected (scanner, JSON_PARSER_ERROR_INVALID_BAREWORD, _("a JSON value"),
                           error);
    }

  span->start = start;
  span->end = scanner->pos;
  return TRUE;
}

void
fl_json_scanner_enter (const FlJsonScanner *outer,
                       const FlJsonSpan    *span,
                       FlJsonScanner       *inner)
{
  g_return_if_fail (span->end - span->start >= 2);

  *inner = *outer;
  inner->pos = span->start + 1;
  inner->limit = span->end;
  inner->first = TRUE;
  inner->close = outer->data[span->end - 1];
}

gboolean
fl_json_scanner_open (FlJsonScanner  *scanner,
                      char            bracket,
                      GError        **error)
{
  g_return_val_if_fail (bracket == '{' || bracket == '[', FALSE);

  if (fl_json_scanner_peek (scanner) != bracket)
    {
      g_autofree char *expected = g_strdup_printf ("“%c”", bracket);

      return unexpected (scanner, JSON_PARSER_ERROR_PARSE, expected, error);
    }

  scanner->pos++;
  scanner->first = TRUE;
  scanner->close = bracket == '{' ? '}' : ']';
  return TRUE;
}

/* Before a member or an element: the comma or the closing bracket. */
static gboolean
next_item (FlJsonScanner  *scanner,
           gboolean       *found,
           GError        **error)
{
  char c = fl_json_scanner_peek (scanner);
  g_autofree char *expected = NULL;

  if (c == scanner->close && c != '\0')
    {
      /* After a comma, a value must come first: "[1,]" is not JSON. */
      scanner->pos++;
      *found = FALSE;
      return TRUE;
    }

  if (!scanner->first)
    {
      if (c != ',')
        {
          expected = g_strdup_printf (_("“,” or “%c”"), scanner->close);
          return unexpected (scanner, JSON_PARSER_ERROR_MISSING_COMMA, expected, error);
        }
      scanner->pos++;
      if (fl_json_scanner_peek (scanner) == scanner->close)
        return unexpected (scanner, JSON_PARSER_ERROR_TRAILING_COMMA,
                           scanner->close == '}' ? _("a member name") : _("a JSON value"),
                           error);
    }

  scanner->first = FALSE;
  *found = TRUE;
  return TRUE;
}

gboolean
fl_json_scanner_next_key (FlJsonScanner  *scanner,
                          FlJsonSpan     *key,
                          gboolean       *found,
                          GError        **error)
{
  g_return_val_if_fail (scanner->close == '}', FALSE);

  if (!next_item (scanner, found, error))
    return FALSE;
  if (!*found)
    return TRUE;

  if (fl_json_scanner_peek (scanner) != '"')
    return unexpected (scanner, JSON_PARSER_ERROR_PARSE, _("a member name"), error);

  key->start = scanner->pos;
  if (!skip_string (scanner, error))
    return FALSE;
  key->end = scanner->pos;

  if (fl_json_scanner_peek (scanner) != ':')
    return unexpected (scanner, JSON_PARSER_ERROR_MISSING_COLON, "“:”", error);
  scanner->pos++;
  return TRUE;
}

gboolean
fl_json_scanner_next_member (FlJsonScanner  *scanner,
                             FlJsonSpan     *key,
                             FlJsonSpan     *value,
                             gboolean       *found,
                             GError        **error)
{
  if (!fl_json_scanner_next_key (scanner, key, found, error))
    return FALSE;
  if (!*found)
    return TRUE;

  return fl_json_scanner_skip_value (scanner, value, error);
}

gboolean
fl_json_scanner_next_element (FlJsonScanner  *scanner,
                              FlJsonSpan     *value,
                              gboolean       *found,
                              GError        **error)
{
  g_return_val_if_fail (scanner->close == ']', FALSE);

  if (!next_item (scanner, found, error))
    return FALSE;
  if (!*found)
    return TRUE;

  return fl_json_scanner_skip_value (scanner, value, error);
}

gboolean
fl_json_scanner_finish (FlJsonScanner  *scanner,
                        GError        **error)
{
  skip_space (scanner);
  if (scanner->pos < scanner->limit)
    return unexpected (scanner, JSON_PARSER_ERROR_PARSE, _("the end of the data"), error);
  return TRUE;
}

/* Reads "<line>:<column>:" at *@p. */
static gboolean
read_position (const char **p,
               guint64     *line,
               guint64     *column)
{
  char *end;

  *line = g_ascii_strtoull (*p, &end, 10);
  if (end == *p || *end != ':')
    return FALSE;
  *p = end + 1;
  *column = g_ascii_strtoull (*p, &end, 10);
  if (end == *p || *end != ':')
    return FALSE;
  *p = end + 1;
  return TRUE;
}

gboolean
fl_json_scanner_parse_span (const FlJsonScanner *scanner,
                            JsonParser          *parser,
                            const FlJsonSpan    *span,
                            GError             **error)
{
  static const char data_name[] = "<data>:";
  g_autoptr(GError) local_error = NULL;
  const char *message;
  gsize offset = span->start;
  guint line, column;
  guint64 rel_line, rel_column;

  if (json_parser_load_from_data (parser, scanner->data + span->start,
                                  (gssize) (span->end - span->start), &local_error))
    return TRUE;

  /* "<data>:3:7: Parse error: …" counts from the start of the span. */
  message = local_error->message;
  fl_json_scanner_position (scanner, span->start, &line, &column);
  if (g_str_has_prefix (message, data_name)
      && (message += strlen (data_name), read_position (&message, &rel_line, &rel_column))
      && rel_line >= 1 && rel_column <= G_MAXUINT - column)
    {
      if (rel_line == 1)
        column += (guint) rel_column - 1;
      else
        column = (guint) rel_column;
      line += (guint) rel_line - 1;
      message = g_strchug ((char *) message);
    }
  else
    {
      const char *bad;

      /* "JSON data must be UTF-8 encoded": point at the culprit. */
      message = local_error->message;
      if (!g_utf8_validate (scanner->data + span->start, span->end - span->start, &bad))
        offset = bad - scanner->data;
      fl_json_scanner_position (scanner, offset, &line, &column);
    }

  g_set_error (error, JSON_PARSER_ERROR, local_error->code, "%s:%u:%u: %s",
               scanner->name, line, column, message);
  return FALSE;
}

/* A fast parser for plain JSON
 *
 * JsonParser reads through GScanner at ~40 MB/s here, which made parsing the
 * largest cost of a pull and of a dataset import. This parser builds the same
 * tree several times faster, but only for strict RFC 8259 text it is sure to
 * read exactly as JsonParser does; on anything else (a syntax error, an
 * extension, a duplicate key, a number it would round differently, invalid
 * UTF-8, \u0000, nesting past FL_JSON_SCAN_MAX_DEPTH) it gives up, and
 * JsonParser parses the text instead, with its own result or error. */

typedef struct
{
  const char *p;
  const char *end;
  GString    *buf;       /* the string being decoded */
  guint       depth;
} Fast;

static JsonNode *fast_value (Fast *f);

static inline void
fast_skip_ws (Fast *f)
{
  while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' || *f->p == '\r' || *f->p == '\t'))
    f->p++;
}

static gboolean
fast_hex4 (Fast    *f,
           guint32 *out)
{
  guint32 v = 0;

  if (f->end - f->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (f->p[i]);

      if (d < 0)
        return FALSE;
      v = v * 16 + (guint32) d;
    }
  f->p += 4;
  *out = v;
  return TRUE;
}

/* At the opening quote: decodes the string into f->buf. */
static gboolean
fast_string (Fast *f)
{
  const char *run;
  gboolean ascii = TRUE;

  g_string_truncate (f->buf, 0);
  run = ++f->p;
  for (;;)
    {
      guchar c;

      if (f->p >= f->end)
        return FALSE;
      c = (guchar) *f->p;
      if (c == '"')
        {
          g_string_append_len (f->buf, run, f->p - run);
          f->p++;
          break;
        }
      if (c < 0x20)
        return FALSE;
      if (c >= 0x80)
        ascii = FALSE;
      if (c != '\\')
        {
          f->p++;
          continue;
        }

      g_string_append_len (f->buf, run, f->p - run);
      if (++f->p >= f->end)
        return FALSE;
      switch (*f->p++)
        {
        case '"': g_string_append_c (f->buf, '"'); break;
        case '\\': g_string_append_c (f->buf, '\\'); break;
        case '/': g_string_append_c (f->buf, '/'); break;
        case 'b': g_string_append_c (f->buf, '\b'); break;
        case 'f': g_string_append_c (f->buf, '\f'); break;
        case 'n': g_string_append_c (f->buf, '\n'); break;
        case 'r': g_string_append_c (f->buf, '\r'); break;
        case 't': g_string_append_c (f->buf, '\t'); break;
        case 'u':
          {
            guint32 unit, low;

            if (!fast_hex4 (f, &unit) || unit == 0 || (unit >= 0xdc00 && unit <= 0xdfff))
              return FALSE;
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                if (f->end - f->p < 6 || f->p[0] != '\\' || f->p[1] != 'u')
                  return FALSE;
                f->p += 2;
                if (!fast_hex4 (f, &low) || low < 0xdc00 || low > 0xdfff)
                  return FALSE;
                unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
              }
            g_string_append_unichar (f->buf, unit);
          }
          break;
        default:
          return FALSE;
        }
      run = f->p;
    }

  return ascii || g_utf8_validate (f->buf->str, (gssize) f->buf->len, NULL);
}

/* A number: *@is_int with @i, or a double @d. FALSE: not for this parser. */
static gboolean
fast_scan_number (Fast     *f,
                  gboolean *is_int,
                  gint64   *i,
                  double   *d)
{
  const char *start = f->p;
  gboolean negative = FALSE, integral = TRUE;
  guint64 magnitude = 0;
  guint digits = 0;
  char text[64];

  if (f->p < f->end && *f->p == '-')
    {
      negative = TRUE;
      f->p++;
    }
  if (f->p >= f->end || !g_ascii_isdigit (*f->p))
    return FALSE;
  if (*f->p == '0')
    {
      f->p++;
      digits = 1;
    }
  else
    {
      while (f->p < f->end && g_ascii_isdigit (*f->p))
        {
          magnitude = magnitude * 10 + (guint64) (*f->p++ - '0');
          if (++digits > 18)
            return FALSE;
        }
    }
  if (f->p < f->end && *f->p == '.')
    {
      integral = FALSE;
      f->p++;
      if (f->p >= f->end || !g_ascii_isdigit (*f->p))
        return FALSE;
      while (f->p < f->end && g_ascii_isdigit (*f->p))
        f->p++;
    }
  if (f->p < f->end && (*f->p == 'e' || *f->p == 'E'))
    {
      integral = FALSE;
      f->p++;
      if (f->p < f->end && (*f->p == '+' || *f->p == '-'))
        f->p++;
      if (f->p >= f->end || !g_ascii_isdigit (*f->p))
        return FALSE;
      while (f->p < f->end && g_ascii_isdigit (*f->p))
        f->p++;
    }

  *is_int = integral;
  if (integral)
    {
      *i = negative ? -(gint64) magnitude : (gint64) magnitude;
      return TRUE;
    }
  if ((gsize) (f->p - start) >= sizeof text)
    return FALSE;
  memcpy (text, start, f->p - start);
  text[f->p - start] = '\0';
  *d = g_ascii_strtod (text, NULL);
  return TRUE;
}

static JsonNode *
fast_number (Fast *f)
{
  gboolean is_int;
  gint64 i;
  double d;

  if (!fast_scan_number (f, &is_int, &i, &d))
    return NULL;
  return is_int ? json_node_init_int (json_node_alloc (), i)
                : json_node_init_double (json_node_alloc (), d);
}

static gboolean
fast_literal (Fast       *f,
              const char *word,
              gsize       len)
{
  if ((gsize) (f->end - f->p) < len || memcmp (f->p, word, len) != 0)
    return FALSE;
  f->p += len;
  return TRUE;
}

static JsonNode *
fast_object (Fast *f)
{
  g_autoptr(JsonObject) object = json_object_new ();

  f->p++;
  fast_skip_ws (f);
  if (f->p < f->end && *f->p == '}')
    {
      f->p++;
      return json_node_init_object (json_node_alloc (), object);
    }
  for (;;)
    {
      g_autofree char *key = NULL;
      JsonNode *value;

      if (f->p >= f->end || *f->p != '"' || !fast_string (f))
        return NULL;
      /* JsonParser keeps the last of duplicate keys: leave those to it. */
      if (json_object_has_member (object, f->buf->str))
        return NULL;
      key = g_strndup (f->buf->str, f->buf->len);
      fast_skip_ws (f);
      if (f->p >= f->end || *f->p++ != ':')
        return NULL;
      if (!(value = fast_value (f)))
        return NULL;
      json_object_set_member (object, key, value);
      fast_skip_ws (f);
      if (f->p >= f->end)
        return NULL;
      if (*f->p == '}')
        {
          f->p++;
          return json_node_init_object (json_node_alloc (), object);
        }
      if (*f->p++ != ',')
        return NULL;
      fast_skip_ws (f);
    }
}

static JsonNode *
fast_array (Fast *f)
{
  g_autoptr(JsonArray) array = json_array_new ();

  f->p++;
  fast_skip_ws (f);
  if (f->p < f->end && *f->p == ']')
    {
      f->p++;
      return json_node_init_array (json_node_alloc (), array);
    }
  for (;;)
    {
      JsonNode *value;

      if (!(value = fast_value (f)))
        return NULL;
      json_array_add_element (array, value);
      fast_skip_ws (f);
      if (f->p >= f->end)
        return NULL;
      if (*f->p == ']')
        {
          f->p++;
          return json_node_init_array (json_node_alloc (), array);
        }
      if (*f->p++ != ',')
        return NULL;
    }
}

/* One value, with the whitespace before it; NULL: not for this parser. */
static JsonNode *
fast_value (Fast *f)
{
  JsonNode *node = NULL;

  fast_skip_ws (f);
  if (f->p >= f->end)
    return NULL;

  switch (*f->p)
    {
    case '{':
    case '[':
      if (++f->depth > FL_JSON_SCAN_MAX_DEPTH)
        return NULL;
      node = *f->p == '{' ? fast_object (f) : fast_array (f);
      f->depth--;
      return node;
    case '"':
      if (!fast_string (f))
        return NULL;
      return json_node_init_string (json_node_alloc (), f->buf->str);
    case 't':
      return fast_literal (f, "true", 4) ? json_node_init_boolean (json_node_alloc (), TRUE)
                                         : NULL;
    case 'f':
      return fast_literal (f, "false", 5) ? json_node_init_boolean (json_node_alloc (), FALSE)
                                          : NULL;
    case 'n':
      return fast_literal (f, "null", 4) ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      return fast_number (f);
    }
}

/* The tree of @data, or NULL when the fast parser does not take it. */
static JsonNode *
fast_parse (const char *data,
            gsize       length)
{
  g_autoptr(GString) buf = g_string_sized_new (256);
  Fast f = { data, data + length, buf, 0 };
  JsonNode *root;

  /* A byte order mark: JsonParser's business. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    return NULL;
  if (!(root = fast_value (&f)))
    return NULL;
  fast_skip_ws (&f);
  if (f.p != f.end)
    {
      json_node_unref (root);
      return NULL;
    }
  return root;
}

JsonNode *
fl_json_scanner_parse_span_root (const FlJsonScanner *scanner,
                                 JsonParser          *parser,
                                 const FlJsonSpan    *span,
                                 GError             **error)
{
  JsonNode *root;

  root = fast_parse (scanner->data + span->start, span->end - span->start);
  if (root != NULL)
    return root;

  if (!fl_json_scanner_parse_span (scanner, parser, span, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   _("%s: no JSON value"), scanner->name);
      return NULL;
    }
  return json_node_ref (root);
}

JsonNode *
fl_json_parse_data (const char  *data,
                    gsize        length,
                    JsonParser  *parser,
                    GError     **error)
{
  JsonNode *root;

  root = fast_parse (data, length);
  if (root != NULL)
    return root;

  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : NULL;
}

/* The pull reader */

G_STATIC_ASSERT (sizeof (FlJsonPull) >= sizeof (Fast));

void
fl_json_pull_init (FlJsonPull *pull,
                   const char *data,
                   gsize       length,
                   GString    *buf)
{
  Fast *f = (Fast *) pull;

  memset (pull, 0, sizeof *pull);
  f->p = data;
  f->end = data + length;
  f->buf = buf;
}

FlJsonPullKind
fl_json_pull_value (FlJsonPull *pull,
                    gint64     *i,
                    double     *d)
{
  Fast *f = (Fast *) pull;
  gboolean is_int;

  fast_skip_ws (f);
  if (f->p >= f->end)
    return FL_JSON_PULL_NONE;
  switch (*f->p)
    {
    case '{':
      f->p++;
      return FL_JSON_PULL_OBJECT;
    case '[':
      f->p++;
      return FL_JSON_PULL_ARRAY;
    case '"':
      return fast_string (f) ? FL_JSON_PULL_STRING : FL_JSON_PULL_NONE;
    case 't':
      return fast_literal (f, "true", 4) ? FL_JSON_PULL_TRUE : FL_JSON_PULL_NONE;
    case 'f':
      return fast_literal (f, "false", 5) ? FL_JSON_PULL_FALSE : FL_JSON_PULL_NONE;
    case 'n':
      return fast_literal (f, "null", 4) ? FL_JSON_PULL_NULL : FL_JSON_PULL_NONE;
    default:
      if (!fast_scan_number (f, &is_int, i, d))
        return FL_JSON_PULL_NONE;
      return is_int ? FL_JSON_PULL_INT : FL_JSON_PULL_DOUBLE;
    }
}

gboolean
fl_json_pull_next (FlJsonPull *pull,
                   gboolean    in_object,
                   gboolean   *first,
                   gboolean   *found)
{
  Fast *f = (Fast *) pull;
  char close = in_object ? '}' : ']';

  fast_skip_ws (f);
  if (f->p >= f->end)
    return FALSE;
  if (*f->p == close)
    {
      f->p++;
      *found = FALSE;
      return TRUE;
    }
  if (!*first)
    {
      if (*f->p++ != ',')
        return FALSE;
      fast_skip_ws (f);
    }
  *first = FALSE;
  *found = TRUE;
  if (!in_object)
    return TRUE;

  if (f->p >= f->end || *f->p != '"' || !fast_string (f))
    return FALSE;
  fast_skip_ws (f);
  return f->p < f->end && *f->p++ == ':';
}

gboolean
fl_json_pull_finish (FlJsonPull *pull)
{
  Fast *f = (Fast *) pull;

  fast_skip_ws (f);
  return f->p == f->end;
}
