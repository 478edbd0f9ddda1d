/* fl-frame.c — work put off to the frame after the next one
 *
 * A click changes what the next frame must show (a tile's colour, a page's
 * head); what else it changes (the rows below the fold, a toast, the counts
 * in the title) can come 16 ms later, so that the first frame is one frame's
 * work. fl_frame_call_after_next() runs a function at the start of the frame
 * after the next one of a widget's frame clock, where what it changes is laid
 * out and drawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-frame.h"

typedef struct
{
  FlFrameFunc    func;
  gpointer       user_data;
  GDestroyNotify notify;
  gint64         frame;        /* the frame counter when it was put off */
} Call;

static void
_call_free (gpointer data)
{
  Call *call = data;

  if (call->notify != NULL)
    call->notify (call->user_data);
  g_free (call);
}

static gboolean
_tick_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  Call *call = user_data;

  /* The next frame shows what changed before; this one comes after it. */
  if (gdk_frame_clock_get_frame_counter (clock) <= call->frame + 1)
    return G_SOURCE_CONTINUE;
  call->func (widget, call->user_data);
  return G_SOURCE_REMOVE;
}

/**
 * fl_frame_call_after_next:
 * @notify: (nullable): frees @user_data when the call is done or cancelled
 *
 * Calls @func (@widget, @user_data) at the start of the frame after the next
 * one of @widget's window; at once when that window is not on screen.
 *
 * Returns: the tick callback's id, for fl_frame_cancel(); 0 when it ran at once
 */
guint
fl_frame_call_after_next (GtkWidget      *widget,
                          FlFrameFunc     func,
                          gpointer        user_data,
                          GDestroyNotify  notify)
{
  GtkRoot *root;
  GdkFrameClock *clock = NULL;
  Call *call;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), 0);
  g_return_val_if_fail (func != NULL, 0);

  /* A widget of a window on screen (even one hidden for now: its call waits
   * until it is shown again). */
  root = gtk_widget_get_root (widget);
  if (root != NULL && gtk_widget_get_mapped (GTK_WIDGET (root)))
    clock = gtk_widget_get_frame_clock (GTK_WIDGET (root));

  if (clock == NULL)
    {
      func (widget, user_data);
      if (notify != NULL)
        notify (user_data);
      return 0;
    }
  call = g_new0 (Call, 1);
  call->func = func;
  call->user_data = user_data;
  call->notify = notify;
  call->frame = gdk_frame_clock_get_frame_counter (clock);
  return gtk_widget_add_tick_callback (widget, _tick_cb, call, _call_free);
}

/* Cancels the call *@id (if any) and sets it to 0. */
void
fl_frame_cancel (GtkWidget *widget,
                 guint     *id)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (id != NULL);

  if (*id != 0)
    gtk_widget_remove_tick_callback (widget, *id);
  *id = 0;
}
