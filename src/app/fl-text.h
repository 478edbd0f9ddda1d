/* fl-text.h — wrapped text that lays itself out once per text and width
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FL_TYPE_TEXT (fl_text_get_type ())
G_DECLARE_FINAL_TYPE (FlText, fl_text, FL, TEXT, GtkWidget)

GtkWidget  *fl_text_new                 (const char *text);

const char *fl_text_get_text            (FlText     *self);
void        fl_text_set_text            (FlText     *self,
                                         const char *text);
void        fl_text_set_markup          (FlText     *self,
                                         const char *markup);

float       fl_text_get_xalign          (FlText     *self);
void        fl_text_set_xalign          (FlText     *self,
                                         float       xalign);

void        fl_text_set_justify         (FlText          *self,
                                         GtkJustification justify);

int         fl_text_get_max_width_chars (FlText     *self);
void        fl_text_set_max_width_chars (FlText     *self,
                                         int         n_chars);

G_END_DECLS
