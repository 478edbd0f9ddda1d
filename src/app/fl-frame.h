/* fl-frame.h — work put off to the frame after the next one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*FlFrameFunc) (GtkWidget *widget,
                             gpointer   user_data);

guint fl_frame_call_after_next (GtkWidget      *widget,
                                FlFrameFunc     func,
                                gpointer        user_data,
                                GDestroyNotify  notify);
void  fl_frame_cancel          (GtkWidget      *widget,
                                guint          *id);

G_END_DECLS
