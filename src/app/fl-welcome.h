/* fl-welcome.h — the first run: explore the demo, or connect to a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FL_TYPE_WELCOME (fl_welcome_get_type ())
G_DECLARE_FINAL_TYPE (FlWelcome, fl_welcome, FL, WELCOME, AdwBin)

/* Its buttons activate "win.explore-demo" and "app.preferences". */
GtkWidget *fl_welcome_new (void);

G_END_DECLS
