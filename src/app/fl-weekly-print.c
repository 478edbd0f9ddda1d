/* fl-weekly-print.c — the weekly key-action list laid out on A4 pages (cairo + Pango)
 *
 * The page: the title, the week and when the list was generated, then the
 * three sections, each a heading and a table (rank, action, owner, due,
 * link); a small footer with the page number. Text is laid out by Pango at
 * 72 dpi with metric hinting off, so sizes are points on paper and the layout
 * is the same on any surface. A normal week (3 + 2 + 1 rows) fills about a
 * third of one page; longer lists continue on further pages, a section
 * heading never alone at the bottom of a page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "fl-format.h"
#include "fl-weekly-print.h"

#define FONT_FAMILY  "Noto Sans CJK SC, Noto Sans, Sans"
#define MARGIN       48.0
#define CELL_PAD     4.0
#define TITLE_SIZE   17.0
#define SMALL_SIZE   8.5
#define HEADING_SIZE 12.0
#define BODY_SIZE    9.5

typedef struct
{
  char *rank;
  char *title;
  char *owner;
  char *due;
  char *link;
} Row;

typedef enum
{
  BLOCK_HEADER,
  BLOCK_HEADING,   /* index: section */
  BLOCK_COLUMNS,
  BLOCK_ROW,       /* index: section; row: index in the section */
  BLOCK_EMPTY,     /* index: section */
} BlockKind;

typedef struct
{
  BlockKind kind;
  guint     index;
  guint     row;
  double    height;
  guint     page;
  double    y;
} Block;

struct _FlWeeklyPrint
{
  char      *title;       /* metadata */
  char      *heading;     /* shown */
  char      *subtitle;
  GPtrArray *rows[FL_N_WEEKLY_SECTIONS];
  GArray    *blocks;
  double     width;
  double     height;
  guint      n_pages;
};

/* The columns: share of the content width. */
static const double column_share[] = { 0.05, 0.41, 0.16, 0.17, 0.21 };
#define N_COLUMNS G_N_ELEMENTS (column_share)

/* helpers */

static void
_row_free (Row *row)
{
  g_free (row->rank);
  g_free (row->title);
  g_free (row->owner);
  g_free (row->due);
  g_free (row->link);
  g_free (row);
}

static const char *
_row_cell (const Row *row,
           guint      column)
{
  const char *cells[] = { row->rank, row->title, row->owner, row->due, row->link };

  return cells[column];
}

static const char *
_column_label (guint column)
{
  switch (column)
    {
    case 0:
      /* Translators: column of the printed weekly list: the rank in its section */
      return C_("weekly column", "#");
    case 1:
      return C_("weekly column", "Action");
    case 2:
      return C_("weekly column", "Owner");
    case 3:
      return C_("weekly column", "Due");
    default:
      return C_("weekly column", "Link");
    }
}

/* A Pango context for @cr: 72 dpi (one point per unit), no metric hinting. */
static PangoContext *
_create_context (cairo_t *cr)
{
  PangoContext *context = pango_cairo_create_context (cr);
  cairo_font_options_t *options = cairo_font_options_create ();

  pango_cairo_context_set_resolution (context, 72.0);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  return context;
}

static PangoLayout *
_layout (PangoContext *context,
         const char   *text,
         double        size,
         PangoWeight   weight,
         double        width)
{
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
_layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static double
_content_width (FlWeeklyPrint *self)
{
  return self->width - 2 * MARGIN;
}

static double
_column_x (FlWeeklyPrint *self,
           guint          column)
{
  double x = MARGIN;

  for (guint i = 0; i < column; i++)
    x += column_share[i] * _content_width (self);
  return x;
}

static double
_column_width (FlWeeklyPrint *self,
               guint          column)
{
  return column_share[column] * _content_width (self) - 2 * CELL_PAD;
}

/* Lays out one block (and, when @cr is not NULL, draws it at @y); returns its height. */
static double
_block (FlWeeklyPrint *self,
        PangoContext  *context,
        cairo_t       *cr,
        const Block   *block,
        double         y)
{
  switch (block->kind)
    {
    case BLOCK_HEADER:
      {
        g_autoptr(PangoLayout) title = _layout (context, self->heading, TITLE_SIZE,
                                                PANGO_WEIGHT_BOLD, _content_width (self));
        g_autoptr(PangoLayout) sub = _layout (context, self->subtitle, SMALL_SIZE + 0.5,
                                              PANGO_WEIGHT_NORMAL, _content_width (self));
        double h_title = _layout_height (title);

        if (cr != NULL)
          {
            cairo_set_source_rgb (cr, 0, 0, 0);
            cairo_move_to (cr, MARGIN, y);
            pango_cairo_show_layout (cr, title);
            cairo_set_source_rgb (cr, 0.33, 0.33, 0.33);
            cairo_move_to (cr, MARGIN, y + h_title + 4);
            pango_cairo_show_layout (cr, sub);
            cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
            cairo_set_line_width (cr, 1.0);
            cairo_move_to (cr, MARGIN, y + h_title + 4 + _layout_height (sub) + 8);
            cairo_rel_line_to (cr, _content_width (self), 0);
            cairo_stroke (cr);
          }
        return h_title + 4 + _layout_height (sub) + 14;
      }

    case BLOCK_HEADING:
      {
        g_autoptr(PangoLayout) heading =
          _layout (context, fl_weekly_section_get_label ((FlWeeklySection) block->index),
                   HEADING_SIZE, PANGO_WEIGHT_BOLD, _content_width (self));

        if (cr != NULL)
          {
            cairo_set_source_rgb (cr, 0, 0, 0);
            cairo_move_to (cr, MARGIN, y + 10);
            pango_cairo_show_layout (cr, heading);
          }
        return 10 + _layout_height (heading) + 4;
      }

    case BLOCK_COLUMNS:
    case BLOCK_ROW:
      {
        const Row *row = NULL;
        double height = 0;
        PangoLayout *cells[N_COLUMNS];

        if (block->kind == BLOCK_ROW)
          row = g_ptr_array_index (self->rows[block->index], block->row);
        for (guint c = 0; c < N_COLUMNS; c++)
          {
            cells[c] = row != NULL
              ? _layout (context, _row_cell (row, c), BODY_SIZE, PANGO_WEIGHT_NORMAL,
                         _column_width (self, c))
              : _layout (context, _column_label (c), SMALL_SIZE, PANGO_WEIGHT_BOLD,
                         _column_width (self, c));
            height = MAX (height, _layout_height (cells[c]));
          }
        height += 2 * CELL_PAD;
        if (cr != NULL)
          {
            if (row == NULL)
              {
                cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
                cairo_rectangle (cr, MARGIN, y, _content_width (self), height);
                cairo_fill (cr);
              }
            for (guint c = 0; c < N_COLUMNS; c++)
              {
                if (row == NULL)
                  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
                else
                  cairo_set_source_rgb (cr, 0, 0, 0);
                cairo_move_to (cr, _column_x (self, c) + CELL_PAD, y + CELL_PAD);
                pango_cairo_show_layout (cr, cells[c]);
              }
            cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
            cairo_set_line_width (cr, 0.5);
            cairo_move_to (cr, MARGIN, y + height);
            cairo_rel_line_to (cr, _content_width (self), 0);
            cairo_stroke (cr);
          }
        for (guint c = 0; c < N_COLUMNS; c++)
          g_object_unref (cells[c]);
        return height;
      }

    case BLOCK_EMPTY:
    default:
      {
        g_autoptr(PangoLayout) empty = _layout (context, _("Nothing for this section this week"),
                                                BODY_SIZE, PANGO_WEIGHT_NORMAL,
                                                _content_width (self));

        if (cr != NULL)
          {
            cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
            cairo_move_to (cr, MARGIN + CELL_PAD, y + CELL_PAD);
            pango_cairo_show_layout (cr, empty);
          }
        return _layout_height (empty) + 2 * CELL_PAD;
      }
    }
}

static void
_add_block (FlWeeklyPrint *self,
            BlockKind      kind,
            guint          index,
            guint          row)
{
  Block block = { kind, index, row, 0, 0, 0 };

  g_array_append_val (self->blocks, block);
}

static cairo_status_t
_append_bytes (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* public API */

FlWeeklyPrint *
fl_weekly_print_new (FlWeeklyList *list,
                     FlStore      *store)
{
  FlWeeklyPrint *self;
  GTimeZone *tz;
  g_autofree char *monday = NULL;
  g_autofree char *generated = NULL;

  g_return_val_if_fail (list != NULL, NULL);
  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  tz = fl_store_get_time_zone (store);
  self = g_new0 (FlWeeklyPrint, 1);
  self->heading = g_strdup (_("Weekly key-action list"));
  /* Translators: the PDF document title; %s is an ISO week such as 2026-W48 */
  self->title = g_strdup_printf (_("Weekly key-action list %s"), list->week);
  monday = fl_format_exact_time (list->monday, tz);
  generated = fl_format_exact_time (list->generated, tz);
  /* Translators: under the title of the printed weekly list: the ISO week, the
   * Monday 08:00 it was computed for, and when it was generated */
  self->subtitle = g_strdup_printf (_("Week %s, as of %s · generated %s"), list->week, monday,
                                    generated);

  for (guint s = 0; s < FL_N_WEEKLY_SECTIONS; s++)
    self->rows[s] = g_ptr_array_new_with_free_func ((GDestroyNotify) _row_free);
  for (guint i = 0; i < list->items->len; i++)
    {
      FlWeeklyItem *item = g_ptr_array_index (list->items, i);
      FlRep *rep = fl_store_get_rep (store, item->owner, NULL);
      Row *row = g_new0 (Row, 1);

      row->rank = g_strdup_printf ("%u", item->rank);
      row->title = g_strdup (item->title);
      row->owner = rep != NULL ? g_strdup_printf ("%s (%s)", rep->name, item->owner)
                               : g_strdup (item->owner);
      row->due = fl_format_exact_time (item->due, tz);
      row->link = g_strdup (item->link);
      g_clear_pointer (&rep, fl_rep_free);
      g_ptr_array_add (self->rows[item->section], row);
    }

  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  _add_block (self, BLOCK_HEADER, 0, 0);
  for (guint s = 0; s < FL_N_WEEKLY_SECTIONS; s++)
    {
      _add_block (self, BLOCK_HEADING, s, 0);
      if (self->rows[s]->len == 0)
        {
          _add_block (self, BLOCK_EMPTY, s, 0);
          continue;
        }
      _add_block (self, BLOCK_COLUMNS, s, 0);
      for (guint r = 0; r < self->rows[s]->len; r++)
        _add_block (self, BLOCK_ROW, s, r);
    }
  self->n_pages = 1;
  return self;
}

void
fl_weekly_print_free (FlWeeklyPrint *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->heading);
  g_free (self->subtitle);
  for (guint s = 0; s < FL_N_WEEKLY_SECTIONS; s++)
    g_ptr_array_unref (self->rows[s]);
  g_array_unref (self->blocks);
  g_free (self);
}

const char *
fl_weekly_print_get_title (FlWeeklyPrint *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->title;
}

guint
fl_weekly_print_paginate (FlWeeklyPrint *self,
                          cairo_t       *cr,
                          double         width,
                          double         height)
{
  PangoContext *context;
  double bottom, y = MARGIN;
  guint page = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (cr != NULL, 0);

  self->width = width;
  self->height = height;
  bottom = height - MARGIN - 16;     /* room for the footer */
  context = _create_context (cr);
  for (guint i = 0; i < self->blocks->len; i++)
    g_array_index (self->blocks, Block, i).height =
      _block (self, context, NULL, &g_array_index (self->blocks, Block, i), 0);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);
      double need = block->height;

      /* A heading keeps its column titles and first row with it. */
      if (block->kind == BLOCK_HEADING || block->kind == BLOCK_COLUMNS)
        for (guint j = i + 1; j < self->blocks->len && j <= i + 2; j++)
          {
            Block *next = &g_array_index (self->blocks, Block, j);

            need += next->height;
            if (next->kind == BLOCK_ROW || next->kind == BLOCK_EMPTY)
              break;
          }
      if (y + need > bottom && y > MARGIN)
        {
          page++;
          y = MARGIN;
        }
      block->page = page;
      block->y = y;
      y += block->height;
    }
  g_object_unref (context);
  self->n_pages = page + 1;
  return self->n_pages;
}

void
fl_weekly_print_draw_page (FlWeeklyPrint *self,
                           cairo_t       *cr,
                           guint          page)
{
  PangoContext *context;
  g_autoptr(PangoLayout) footer = NULL;
  g_autofree char *footer_text = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (self->width > 0);

  context = _create_context (cr);
  cairo_save (cr);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);

      if (block->page == page)
        _block (self, context, cr, block, block->y);
    }

  /* Translators: footer of the printed weekly list */
  footer_text = g_strdup_printf (_("Fieldlight · page %u of %u"), page + 1, self->n_pages);
  footer = _layout (context, footer_text, SMALL_SIZE, PANGO_WEIGHT_NORMAL,
                    _content_width (self));
  pango_layout_set_alignment (footer, PANGO_ALIGN_RIGHT);
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  cairo_move_to (cr, MARGIN, self->height - MARGIN);
  pango_cairo_show_layout (cr, footer);
  cairo_restore (cr);
  g_object_unref (context);
}

gboolean
fl_weekly_print_to_pdf (FlWeeklyList  *list,
                        FlStore       *store,
                        const char    *path,
                        GError       **error)
{
  g_autoptr(FlWeeklyPrint) print = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint n_pages;

  g_return_val_if_fail (list != NULL, FALSE);
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  print = fl_weekly_print_new (list, store);
  surface = cairo_pdf_surface_create_for_stream (_append_bytes, bytes,
                                                 FL_WEEKLY_PRINT_A4_WIDTH,
                                                 FL_WEEKLY_PRINT_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, print->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Fieldlight");
  cr = cairo_create (surface);
  n_pages = fl_weekly_print_paginate (print, cr, FL_WEEKLY_PRINT_A4_WIDTH,
                                      FL_WEEKLY_PRINT_A4_HEIGHT);
  for (guint page = 0; page < n_pages; page++)
    {
      fl_weekly_print_draw_page (print, cr, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: could not draw the PDF: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return g_file_set_contents_full (path, (const char *) bytes->data, bytes->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}
