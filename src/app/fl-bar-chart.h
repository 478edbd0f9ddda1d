/* fl-bar-chart.h — a small vertical bar chart: one bar per value, a label under each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FL_TYPE_BAR_CHART (fl_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (FlBarChart, fl_bar_chart, FL, BAR_CHART, GtkWidget)

GtkWidget *fl_bar_chart_new          (void);
/* @values: @n values ≥ 0 (negative ones are drawn as 0); @labels: @n short
 * labels under the bars (NULL entries allowed), thinned out when they do not
 * fit; @emphasis: the index of the bar drawn emphasised (solid, its value
 * written above it, its label bold), or -1. The y axis runs from 0 to a round
 * maximum, labelled. The accessible description lists "label: value" for
 * every bar; set the accessible label from the caller. */
void       fl_bar_chart_set_data     (FlBarChart         *self,
                                      const double       *values,
                                      const char * const *labels,
                                      guint               n,
                                      int                 emphasis);
guint      fl_bar_chart_get_n_values (FlBarChart         *self);
double     fl_bar_chart_get_value    (FlBarChart         *self,
                                      guint               index);
/* The top of the y axis as drawn (a round number ≥ the largest value; 1 when
 * every value is 0). */
double     fl_bar_chart_get_axis_max (FlBarChart         *self);

/* The theme's foreground and accent colours of @widget, as every chart of the
 * app draws with them; either may be NULL. */
void       fl_widget_get_theme_colors (GtkWidget          *widget,
                                       GdkRGBA            *fg,
                                       GdkRGBA            *accent);

/* Redraws @widget whenever the style manager switches between light and dark. */
void       fl_widget_redraw_on_dark   (GtkWidget          *widget);

G_END_DECLS
