/* fl-tooltip.c — tooltips set without asking the display where the pointer is
 *
 * gtk_widget_set_tooltip_text() on a visible widget (GTK 4.8) re-runs the
 * tooltip query as if the pointer had moved, which asks the X server where
 * the pointer is: three round trips per call. A region's rows and a drill-down
 * page set a few dozen tooltips as they are built; under X that was a few
 * milliseconds of every click. fl_tooltip_set() keeps the text on the widget
 * and gives it to GTK in ::query-tooltip, when the tooltip is due. The text
 * is also the widget's accessible description, as GTK's own tooltip is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-tooltip.h"

#define TEXT_KEY      "fl-tooltip-text"
#define CONNECTED_KEY "fl-tooltip-connected"
/* Up to this many characters a tooltip stays on one line: GTK 4.8 sizes a
 * plain tooltip to its label's minimum width, and Chinese text may break
 * between any two characters (one character per line). */
#define ONE_LINE_CHARS 32

static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard_mode,
                     GtkTooltip *tooltip,
                     gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), TEXT_KEY);

  if (text == NULL)
    return FALSE;
  if (g_utf8_strlen (text, -1) <= ONE_LINE_CHARS)
    gtk_tooltip_set_custom (tooltip, gtk_label_new (text));
  else
    gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * fl_tooltip_set:
 * @text: (nullable): plain text; NULL or "" for none
 *
 * Like gtk_widget_set_tooltip_text(), for a widget whose tooltip only this
 * sets.
 */
void
fl_tooltip_set (GtkWidget  *widget,
                const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (text != NULL && g_object_get_data (G_OBJECT (widget), CONNECTED_KEY) == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);
      g_object_set_data (G_OBJECT (widget), CONNECTED_KEY, GINT_TO_POINTER (TRUE));
    }
  g_object_set_data_full (G_OBJECT (widget), TEXT_KEY, g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}
