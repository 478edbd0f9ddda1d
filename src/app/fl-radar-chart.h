/* fl-radar-chart.h — radar chart of a customer's six health dimensions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FL_RADAR_CHART_N_AXES 6

#define FL_TYPE_RADAR_CHART (fl_radar_chart_get_type ())
G_DECLARE_FINAL_TYPE (FlRadarChart, fl_radar_chart, FL, RADAR_CHART, GtkWidget)

GtkWidget *fl_radar_chart_new          (void);
/* @current: 6 scores 0..100 in FlHealth.scores order (clamped); @previous:
 * NULL or 6 scores, drawn dashed. The labels name the series in the legend
 * (NULL: "This week" / "Three weeks ago"). Competitor penetration is plotted
 * as given: its axis is labelled "lower is better". */
void       fl_radar_chart_set_series   (FlRadarChart *self,
                                        const int     current[FL_RADAR_CHART_N_AXES],
                                        const int    *previous,
                                        const char   *current_label,
                                        const char   *previous_label);
/* Removes the series: only the grid and a "no data" note are drawn. */
void       fl_radar_chart_clear        (FlRadarChart *self);
/* Centre and outer-ring radius (value 100) of the last drawn frame, in widget
 * coordinates; FALSE before the first draw. Axis i points at angle
 * -90° + i·60° (0 = up, clockwise). */
gboolean   fl_radar_chart_get_geometry (FlRadarChart *self,
                                        double       *center_x,
                                        double       *center_y,
                                        double       *radius);

G_END_DECLS
