/* fl-json-scan.h — a structural JSON scanner for documents too big for one JsonParser tree
 *
 * The scanner finds where values begin and end without building anything:
 * it follows strings (with their escapes) and the nesting of {} and [], and
 * checks the separators of the containers it is asked to walk (commas,
 * colons, whitespace, nothing after the root). It does not check what is
 * inside a value it skips (numbers, literals, escapes, UTF-8): give each span
 * it returns to a JsonParser, which does. Together they accept what one
 * JsonParser accepts on the whole document, except for json-glib's
 * extensions outside strings (comments, single quotes), which are rejected,
 * and nesting deeper than FL_JSON_SCAN_MAX_DEPTH.
 *
 * Errors are JSON_PARSER_ERROR with messages like JsonParser's:
 * "<name>:<line>:<column>: Parse error: …", positions counted in bytes from 1
 * over the whole document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FL_JSON_SCAN_MAX_DEPTH 1000

/* Byte offsets into the document, @end excluded. */
typedef struct
{
  gsize start;
  gsize end;
} FlJsonSpan;

typedef struct
{
  /* borrowed */
  const char *name;      /* "<data>" or a path: the start of error messages */
  const char *data;      /* the whole document */
  gsize       length;
  /* state */
  gsize       pos;       /* next byte */
  gsize       limit;     /* end of the range being scanned */
  gboolean    first;     /* in a container: nothing read yet, so no comma expected */
  char        close;     /* in a container: its closing bracket */
} FlJsonScanner;

/* A scanner over the whole document; skips a UTF-8 byte order mark. */
void     fl_json_scanner_init         (FlJsonScanner       *scanner,
                                       const char          *name,
                                       const char          *data,
                                       gsize                length);

/* The next non-whitespace byte without consuming it; 0 at the end of the range. */
char     fl_json_scanner_peek         (FlJsonScanner       *scanner);

/* Skips one value of any kind, and stores where it is in @span. */
gboolean fl_json_scanner_skip_value   (FlJsonScanner       *scanner,
                                       FlJsonSpan          *span,
                                       GError             **error);

/* Makes @inner a scanner over the inside of @span, an object or array that
 * @outer skipped, positioned after its opening bracket. */
void     fl_json_scanner_enter        (const FlJsonScanner *outer,
                                       const FlJsonSpan    *span,
                                       FlJsonScanner       *inner);

/* Opens the object (or array) that must come next: like skipping it and
 * entering it, in one pass. */
gboolean fl_json_scanner_open         (FlJsonScanner       *scanner,
                                       char                 bracket,
                                       GError             **error);

/* Inside an object: the next member's key (quotes included) and value.
 * *@found is FALSE, and the scanner past the closing brace, when there is none. */
gboolean fl_json_scanner_next_member  (FlJsonScanner       *scanner,
                                       FlJsonSpan          *key,
                                       FlJsonSpan          *value,
                                       gboolean            *found,
                                       GError             **error);

/* Inside an object: the next member's key (quotes included) and the colon
 * after it, leaving the scanner at the value. */
gboolean fl_json_scanner_next_key     (FlJsonScanner       *scanner,
                                       FlJsonSpan          *key,
                                       gboolean            *found,
                                       GError             **error);

/* Inside an array: the next element, as next_member. */
gboolean fl_json_scanner_next_element (FlJsonScanner       *scanner,
                                       FlJsonSpan          *value,
                                       gboolean            *found,
                                       GError             **error);

/* Only whitespace may remain in the range. */
gboolean fl_json_scanner_finish       (FlJsonScanner       *scanner,
                                       GError             **error);

/* Line and column (from 1, in bytes) of @offset. */
void     fl_json_scanner_position     (const FlJsonScanner *scanner,
                                       gsize                offset,
                                       guint               *line,
                                       guint               *column);

/* Parses @span with @parser (JsonParser positions are relative to the span)
 * and, on error, rewrites the message's position to one in the document. */
gboolean fl_json_scanner_parse_span   (const FlJsonScanner *scanner,
                                       JsonParser          *parser,
                                       const FlJsonSpan    *span,
                                       GError             **error);

/* Like fl_json_scanner_parse_span(), but returns the root (transfer full):
 * plain JSON (RFC 8259, UTF-8) is read by a fast parser of this module
 * (several times faster than JsonParser), anything else by @parser, whose
 * result or error it then is. An empty span is an error. */
JsonNode *fl_json_scanner_parse_span_root (const FlJsonScanner *scanner,
                                           JsonParser          *parser,
                                           const FlJsonSpan    *span,
                                           GError             **error);

/* The same for a whole document (no position rewriting); NULL without
 * @error set when the document is empty. */
JsonNode *fl_json_parse_data              (const char          *data,
                                           gsize                length,
                                           JsonParser          *parser,
                                           GError             **error);

/* A pull reader of plain JSON for hot paths that decode straight into
 * structures (no tree). It reports no errors: FALSE / FL_JSON_PULL_NONE
 * means "not plain JSON as expected", and the caller then falls back to a
 * JsonParser-based path that reports what is wrong. Strings are decoded
 * into the caller's @buf (valid until the next string). */
typedef struct
{
  /*< private >*/
  gpointer dummy[4];
} FlJsonPull;

typedef enum
{
  FL_JSON_PULL_NONE,      /* not plain JSON */
  FL_JSON_PULL_NULL,
  FL_JSON_PULL_TRUE,
  FL_JSON_PULL_FALSE,
  FL_JSON_PULL_INT,       /* *i */
  FL_JSON_PULL_DOUBLE,    /* *d (a fraction or an exponent) */
  FL_JSON_PULL_STRING,    /* in buf */
  FL_JSON_PULL_OBJECT,    /* after its "{": call fl_json_pull_next (…, TRUE, …) */
  FL_JSON_PULL_ARRAY,     /* after its "[" */
} FlJsonPullKind;

void           fl_json_pull_init   (FlJsonPull *pull,
                                    const char *data,
                                    gsize       length,
                                    GString    *buf);
FlJsonPullKind fl_json_pull_value  (FlJsonPull *pull,
                                    gint64     *i,
                                    double     *d);
/* In an object (its next key into buf, and the colon) or an array: *@found
 * is FALSE past the closing bracket. @first: TRUE before the first call for
 * a container (no comma expected), then updated. */
gboolean       fl_json_pull_next   (FlJsonPull *pull,
                                    gboolean    in_object,
                                    gboolean   *first,
                                    gboolean   *found);
/* Only whitespace remains. */
gboolean       fl_json_pull_finish (FlJsonPull *pull);

G_END_DECLS
