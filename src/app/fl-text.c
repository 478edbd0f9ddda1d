/* fl-text.c — wrapped text that lays itself out once per text and width
 *
 * A wrapped GtkLabel (GTK 4.8) shapes its text about four times each time it
 * changes: for its minimum width, its natural width, its height at the given
 * width (on a copy of its layout) and again when it is allocated that width.
 * In the region pane that was most of a click's frame. FlText keeps one
 * PangoLayout: its widths come from the font size alone (minimum 4, natural
 * max-width-chars approximate characters), its height for a width from that
 * layout wrapped at that width, and the allocation and the drawing reuse it.
 * It is meant for text in a column whose width its container decides; its CSS
 * name is "label", so label styles apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "fl-text.h"

#define MIN_WIDTH_CHARS         4
#define DEFAULT_MAX_WIDTH_CHARS 20
/* An approximate character, in ems: about the advance of a Latin letter. */
#define CHAR_EMS                .55

struct _FlText
{
  GtkWidget       parent_instance;

  /* owned */
  char           *text;            /* plain, also for get_text () and the accessible name */
  PangoAttrList  *attrs;           /* from markup, or NULL */
  PangoLayout    *layout;          /* lazily; wrapped at layout_width */
  int             layout_width;    /* pixels, -1 unwrapped */

  float           xalign;
  int             max_width_chars;
  GtkJustification justify;
  PangoAlignment  alignment;
};

G_DEFINE_FINAL_TYPE (FlText, fl_text, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TEXT,
  PROP_XALIGN,
  PROP_MAX_WIDTH_CHARS,
  PROP_JUSTIFY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* helpers */

static PangoLayout *
_layout_at (FlText *self,
            int     width)
{
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
      pango_layout_set_wrap (self->layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (self->layout, self->alignment);
      pango_layout_set_attributes (self->layout, self->attrs);
      self->layout_width = -1;
    }
  if (width != self->layout_width)
    {
      pango_layout_set_width (self->layout, width >= 0 ? width * PANGO_SCALE : -1);
      self->layout_width = width;
    }
  return self->layout;
}

/* The approximate width of a character of the widget's font, in pixels,
 * without laying anything out. */
static int
_char_pixels (FlText *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);
  double size = 10;

  if (font != NULL && pango_font_description_get_size (font) > 0)
    {
      size = pango_font_description_get_size (font) / (double) PANGO_SCALE;
      if (!pango_font_description_get_size_is_absolute (font))
        {
          double dpi = pango_cairo_context_get_resolution (context);

          size *= (dpi > 0 ? dpi : 96.) / 72.;
        }
    }
  return MAX (1, (int) ceil (size * CHAR_EMS));
}

static void
_text_changed (FlText *self)
{
  if (self->layout != NULL)
    {
      pango_layout_set_text (self->layout, self->text, -1);
      pango_layout_set_attributes (self->layout, self->attrs);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->text,
                                  -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

/* overrides */

static GtkSizeRequestMode
fl_text_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
fl_text_measure (GtkWidget      *widget,
                 GtkOrientation  orientation,
                 int             for_size,
                 int            *minimum,
                 int            *natural,
                 int            *minimum_baseline,
                 int            *natural_baseline)
{
  FlText *self = FL_TEXT (widget);
  int char_pixels = _char_pixels (self);
  int natural_width = char_pixels * MAX (MIN_WIDTH_CHARS, self->max_width_chars);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = char_pixels * MIN_WIDTH_CHARS;
      *natural = natural_width;
    }
  else
    {
      /* Without a width: the one it was last given, else its natural one. */
      int width = for_size >= 0 ? for_size
                  : self->layout_width >= 0 ? self->layout_width : natural_width;
      PangoLayout *layout = _layout_at (self, width);
      PangoRectangle logical;

      pango_layout_get_extents (layout, NULL, &logical);
      *minimum = *natural = PANGO_PIXELS_CEIL (logical.height);
      *minimum_baseline = *natural_baseline =
        PANGO_PIXELS_CEIL (pango_layout_get_baseline (layout));
    }
}

static void
fl_text_size_allocate (GtkWidget *widget,
                       int        width,
                       int        height,
                       int        baseline)
{
  _layout_at (FL_TEXT (widget), width);
}

static void
fl_text_snapshot (GtkWidget   *widget,
                  GtkSnapshot *snapshot)
{
  FlText *self = FL_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  PangoRectangle logical;
  GdkRGBA color;
  float xalign = self->xalign;

  if (self->text == NULL || *self->text == '\0')
    return;

  layout = _layout_at (self, width);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1 - xalign;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (
                            floorf (xalign * (width - logical.width) - logical.x),
                            MAX (0, floorf ((height - logical.height) / 2.f))));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
fl_text_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  FlText *self = FL_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_XALIGN:
      g_value_set_float (value, self->xalign);
      break;
    case PROP_MAX_WIDTH_CHARS:
      g_value_set_int (value, self->max_width_chars);
      break;
    case PROP_JUSTIFY:
      g_value_set_enum (value, self->justify);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_text_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  FlText *self = FL_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      fl_text_set_text (self, g_value_get_string (value));
      break;
    case PROP_XALIGN:
      fl_text_set_xalign (self, g_value_get_float (value));
      break;
    case PROP_MAX_WIDTH_CHARS:
      fl_text_set_max_width_chars (self, g_value_get_int (value));
      break;
    case PROP_JUSTIFY:
      fl_text_set_justify (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_text_finalize (GObject *object)
{
  FlText *self = FL_TEXT (object);

  g_clear_object (&self->layout);
  g_clear_pointer (&self->attrs, pango_attr_list_unref);
  g_free (self->text);

  G_OBJECT_CLASS (fl_text_parent_class)->finalize (object);
}

static void
fl_text_class_init (FlTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fl_text_get_property;
  object_class->set_property = fl_text_set_property;
  object_class->finalize = fl_text_finalize;

  widget_class->get_request_mode = fl_text_get_request_mode;
  widget_class->measure = fl_text_measure;
  widget_class->size_allocate = fl_text_size_allocate;
  widget_class->snapshot = fl_text_snapshot;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_XALIGN] =
    g_param_spec_float ("xalign", NULL, NULL, 0, 1, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_WIDTH_CHARS] =
    g_param_spec_int ("max-width-chars", NULL, NULL, -1, G_MAXINT, DEFAULT_MAX_WIDTH_CHARS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JUSTIFY] =
    g_param_spec_enum ("justify", NULL, NULL, GTK_TYPE_JUSTIFICATION, GTK_JUSTIFY_LEFT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
fl_text_init (FlText *self)
{
  self->text = g_strdup ("");
  self->layout_width = -1;
  self->max_width_chars = DEFAULT_MAX_WIDTH_CHARS;
  self->justify = GTK_JUSTIFY_LEFT;
  self->alignment = PANGO_ALIGN_LEFT;
}

/* public API */

GtkWidget *
fl_text_new (const char *text)
{
  return g_object_new (FL_TYPE_TEXT, "text", text, NULL);
}

const char *
fl_text_get_text (FlText *self)
{
  g_return_val_if_fail (FL_IS_TEXT (self), NULL);
  return self->text;
}

void
fl_text_set_text (FlText     *self,
                  const char *text)
{
  g_return_if_fail (FL_IS_TEXT (self));

  if (text == NULL)
    text = "";
  if (self->attrs == NULL && g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_pointer (&self->attrs, pango_attr_list_unref);
  _text_changed (self);
}

/* Markup that does not parse is shown as it is, with a warning. */
void
fl_text_set_markup (FlText     *self,
                    const char *markup)
{
  g_autoptr(GError) error = NULL;
  PangoAttrList *attrs = NULL;
  char *text = NULL;

  g_return_if_fail (FL_IS_TEXT (self));

  if (markup == NULL)
    markup = "";
  if (!pango_parse_markup (markup, -1, 0, &attrs, &text, NULL, &error))
    {
      g_warning ("Text “%s” is not valid markup: %s", markup, error->message);
      fl_text_set_text (self, markup);
      return;
    }
  g_free (self->text);
  self->text = text;
  g_clear_pointer (&self->attrs, pango_attr_list_unref);
  self->attrs = attrs;
  _text_changed (self);
}

float
fl_text_get_xalign (FlText *self)
{
  g_return_val_if_fail (FL_IS_TEXT (self), 0);
  return self->xalign;
}

void
fl_text_set_xalign (FlText *self,
                    float   xalign)
{
  g_return_if_fail (FL_IS_TEXT (self));

  xalign = CLAMP (xalign, 0, 1);
  if (self->xalign == xalign)
    return;
  self->xalign = xalign;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_XALIGN]);
}

void
fl_text_set_justify (FlText           *self,
                     GtkJustification  justify)
{
  g_return_if_fail (FL_IS_TEXT (self));

  if (self->justify == justify)
    return;
  self->justify = justify;
  switch (justify)
    {
    case GTK_JUSTIFY_CENTER:
      self->alignment = PANGO_ALIGN_CENTER;
      break;
    case GTK_JUSTIFY_RIGHT:
      self->alignment = PANGO_ALIGN_RIGHT;
      break;
    case GTK_JUSTIFY_LEFT:
    case GTK_JUSTIFY_FILL:
    default:
      self->alignment = PANGO_ALIGN_LEFT;
      break;
    }
  if (self->layout != NULL)
    pango_layout_set_alignment (self->layout, self->alignment);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JUSTIFY]);
}

int
fl_text_get_max_width_chars (FlText *self)
{
  g_return_val_if_fail (FL_IS_TEXT (self), -1);
  return self->max_width_chars;
}

void
fl_text_set_max_width_chars (FlText *self,
                             int     n_chars)
{
  g_return_if_fail (FL_IS_TEXT (self));

  if (self->max_width_chars == n_chars)
    return;
  self->max_width_chars = n_chars;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_WIDTH_CHARS]);
}
