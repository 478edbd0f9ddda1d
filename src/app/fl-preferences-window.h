/* fl-preferences-window.h — server, account, map appearance, data age
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include "fl-context.h"

G_BEGIN_DECLS

#define FL_TYPE_PREFERENCES_WINDOW (fl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (FlPreferencesWindow, fl_preferences_window, FL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @parent: nullable. */
FlPreferencesWindow *fl_preferences_window_new              (GtkWindow           *parent,
                                                             FlContext           *context);

/* For tests: the server address row (an AdwEntryRow; "apply" saves it) and
 * the inline error under it (NULL when none is shown). */
AdwEntryRow         *fl_preferences_window_get_server_row   (FlPreferencesWindow *self);
const char          *fl_preferences_window_get_server_error (FlPreferencesWindow *self);
/* The inline sign-in error (NULL when none is shown). */
const char          *fl_preferences_window_get_sign_in_error (FlPreferencesWindow *self);
/* Signs in with the user and password typed in (as the Sign In button does). */
void                 fl_preferences_window_sign_in          (FlPreferencesWindow *self,
                                                             const char          *user,
                                                             const char          *password);

G_END_DECLS
