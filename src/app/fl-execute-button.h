/* fl-execute-button.h — the Execute split button of a pending item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-core.h"

G_BEGIN_DECLS

/* "Execute" runs the suggestion (win.execute-alert "ID"); its menu offers the
 * other kinds (win.execute-alert "ID|kind"). @suggestion may be NULL. The menu
 * (the model of the split button's GtkMenuButton) is built when the arrow is
 * first opened, not with the button. */
GtkWidget *fl_execute_button_new (const char         *alert_id,
                                  const FlSuggestion *suggestion);

G_END_DECLS
