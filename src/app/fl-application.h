/* fl-application.h — the AdwApplication: actions, the window, --screenshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include "fl-context.h"

G_BEGIN_DECLS

#define FL_TYPE_APPLICATION (fl_application_get_type ())
G_DECLARE_FINAL_TYPE (FlApplication, fl_application, FL, APPLICATION, AdwApplication)

FlApplication *fl_application_new               (FlContext         *context,
                                                 GApplicationFlags  flags);
FlContext     *fl_application_get_context       (FlApplication     *self);
/* Opens this region's pane when the window first appears. */
void           fl_application_set_initial_region (FlApplication    *self,
                                                  const char       *code);
/* A link to open once the data is evaluated (fl-subject-page.h, --open). */
void           fl_application_set_initial_link   (FlApplication    *self,
                                                  const char       *link);
/* Saves the first complete frame (1280×800) to @path, then quits. */
void           fl_application_set_screenshot    (FlApplication     *self,
                                                 const char        *path);
/* Monotonic time (µs) of the process start, for FIELDLIGHT_TIMING=1. */
void           fl_application_set_start_time    (FlApplication     *self,
                                                 gint64             start_us);
/* Non-zero when a --screenshot run failed. */
int            fl_application_get_exit_status   (FlApplication     *self);

G_END_DECLS
