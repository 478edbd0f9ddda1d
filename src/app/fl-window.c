/* fl-window.c — the main window: header bar, war map, region pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fl-format.h"
#include "fl-frame.h"
#include "fl-preferences-window.h"
#include "fl-sync-indicator.h"
#include "fl-weekly-window.h"
#include "fl-welcome.h"
#include "fl-window.h"

struct _FlWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  GtkWidget            *data_age_box;
  GtkWidget            *data_age_icon;
  GtkWidget            *data_age_label;
  AdwFlap              *flap;
  GtkStack             *main_stack;
  FlMapView            *map_view;
  GtkWidget            *primary_menu_button;
  FlRegionPane         *region_pane;
  FlSyncIndicator      *sync_indicator;
  AdwToastOverlay      *toast_overlay;
  FlWelcome            *welcome;
  AdwWindowTitle       *window_title;

  /* owned */
  FlContext            *context;
  FlSyncClient         *sync_client;    /* the context's, followed */
  GCancellable         *cancellable;    /* of the syncs started here */
  FlPreferencesWindow  *preferences;    /* weak */
  AdwToast             *undo_toast;     /* weak: of the last execution */
  AdwToast             *rejection_toast; /* weak: of the last rejection */
  FlWeeklyWindow       *weekly;         /* weak */
  gulong                after_paint_id;
  guint                 first_frame_idle_id;
  guint                 counts_call;    /* the title's counts after the map's frame */
  gboolean              first_frame_done;
  gboolean              welcome_dismissed;
};

G_DEFINE_FINAL_TYPE (FlWindow, fl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  FIRST_FRAME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* helpers */

static void
_update_titles (FlWindow *self)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (self->context);
  const char *province = fl_store_get_province_name (fl_context_get_store (self->context));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  guint n[3] = { 0, 0, 0 };
  guint n_pending = 0;

  /* Translators: the window title; %s is the province, e.g. "浙江省". */
  title = g_strdup_printf (_("Fieldlight — %s"), province != NULL ? province : "");
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);

  /* The welcome page is not about the figures yet. */
  if (evaluation == NULL
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "welcome") == 0)
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }
  for (guint i = 0; i < evaluation->regions->len; i++)
    {
      const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);

      if (state->status <= FL_STATUS_RED)
        n[state->status]++;
      n_pending += state->n_pending;
    }
  {
    g_autofree char *cities =
      /* Translators: counts of cities by status, e.g. "4 red · 3 yellow · 4 green". */
      g_strdup_printf (_("%u red · %u yellow · %u green"),
                       n[FL_STATUS_RED], n[FL_STATUS_YELLOW], n[FL_STATUS_GREEN]);
    g_autofree char *items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "%u pending item",
                                                           "%u pending items", n_pending),
                                              n_pending);
    subtitle = g_strdup_printf ("%s · %s", cities, items);
  }
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* "Data as of 3 hours ago", a warning when older than the setting, and
 * "offline since" while requests fail: how old the map is, always in view. */
static void
_update_data_age (FlWindow *self)
{
  gint64 data_time = fl_context_get_data_time (self->context);
  gboolean stale = fl_context_get_stale (self->context);
  GSettings *settings = fl_context_get_settings (self->context);
  g_autofree char *relative = NULL;
  g_autofree char *text = NULL;
  g_autofree char *exact = NULL;
  g_autoptr(GString) tooltip = g_string_new (NULL);

  if (data_time <= 0)
    {
      gtk_widget_set_visible (self->data_age_box, FALSE);
      return;
    }
  /* A fixed "now" (--now) may lie before the last sync: "just now", not "in 4 days". */
  relative = fl_format_relative_time (MIN (data_time, fl_context_get_now (self->context)),
                                      fl_context_get_now (self->context));
  exact = fl_format_exact_time (data_time, fl_context_get_time_zone (self->context));
  /* Translators: %s is a relative time, e.g. "3 hours ago". */
  text = g_strdup_printf (_("Data as of %s"), relative);
  if (self->sync_client != NULL
      && fl_sync_client_get_state (self->sync_client) == FL_SYNC_STATE_OFFLINE)
    {
      gint64 since = fl_sync_client_get_offline_since (self->sync_client);
      g_autofree char *clock = NULL;
      g_autofree char *offline = NULL;

      if (since > 0)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (since);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (
            utc, fl_context_get_time_zone (self->context));

          /* Translators: a time of today (strftime format), e.g. "Offline since 09:12". */
          clock = g_date_time_format (local, _("%H:%M"));
        }
      /* Translators: %s is a time, e.g. "Offline since 09:12 — showing cached data". */
      offline = clock != NULL ? g_strdup_printf (_("Offline since %s — showing cached data"), clock)
                              : g_strdup (_("Offline — showing cached data"));
      g_free (text);
      /* Translators: "Offline since 09:12 — showing cached data · Data as of 3 hours ago". */
      text = g_strdup_printf (_("%s · Data as of %s"), offline, relative);
    }
  else if (self->sync_client != NULL
           && fl_sync_client_get_state (self->sync_client) == FL_SYNC_STATE_SYNCING)
    {
      int percent = (int) (fl_sync_client_get_progress (self->sync_client) * 100 + .5);

      g_free (text);
      /* Translators: "Syncing… 42% · Data as of 3 hours ago". */
      text = g_strdup_printf (_("Syncing… %d%% · Data as of %s"), CLAMP (percent, 0, 100),
                              relative);
    }

  if (fl_context_get_data_synced (self->context))
    /* Translators: %s is an exact date and time. */
    g_string_append_printf (tooltip, _("Last synced on %s"), exact);
  else
    /* Translators: %s is an exact date and time. */
    g_string_append_printf (tooltip, _("Newest visit record uploaded on %s"), exact);
  if (stale)
    {
      int hours = settings != NULL ? g_settings_get_int (settings, "stale-after-hours") : 24;

      g_string_append_c (tooltip, '\n');
      g_string_append_printf (tooltip,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "The data is older than %d hour: the map is "
                                           "hatched until it is brought up to date.",
                                           "The data is older than %d hours: the map is "
                                           "hatched until it is brought up to date.", hours),
                              hours);
    }

  gtk_label_set_label (GTK_LABEL (self->data_age_label), text);
  gtk_widget_set_tooltip_text (self->data_age_box, tooltip->str);
  gtk_widget_set_visible (self->data_age_icon, stale);
  if (stale)
    gtk_widget_add_css_class (self->data_age_box, "stale");
  else
    gtk_widget_remove_css_class (self->data_age_box, "stale");
  gtk_widget_set_visible (self->data_age_box, TRUE);
}

static void
_update_sync_action (FlWindow *self)
{
  FlSyncState state = self->sync_client != NULL ? fl_sync_client_get_state (self->sync_client)
                                                : FL_SYNC_STATE_SIGNED_OUT;

  /* Without a token (signed out, or refused by the server) only signing in helps. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync",
                                 self->sync_client != NULL
                                 && fl_sync_client_get_token (self->sync_client) != NULL
                                 && state != FL_SYNC_STATE_SYNCING
                                 && state != FL_SYNC_STATE_SIGNED_OUT);
}

static void
_update_main_page (FlWindow *self)
{
  gboolean welcome = fl_context_get_first_run (self->context) && !self->welcome_dismissed;

  gtk_stack_set_visible_child_name (self->main_stack, welcome ? "welcome" : "map");
  gtk_widget_set_visible (GTK_WIDGET (self->sync_indicator), !welcome);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.explore-demo", welcome);
  _update_titles (self);
}

static void
_load_regions (FlWindow *self)
{
  g_autoptr(GPtrArray) regions = NULL;
  g_autoptr(GError) error = NULL;

  regions = fl_store_list_regions (fl_context_get_store (self->context), &error);
  if (regions == NULL)
    g_warning ("Could not read the regions: %s", error->message);
  else
    fl_map_view_set_regions (self->map_view, regions);
}

static gboolean
_emit_first_frame_cb (gpointer user_data)
{
  FlWindow *self = FL_WINDOW (user_data);

  self->first_frame_idle_id = 0;
  self->first_frame_done = TRUE;
  g_signal_emit (self, signals[FIRST_FRAME], 0);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint_cb (FlWindow      *self,
                   GdkFrameClock *frame_clock)
{
  g_clear_signal_handler (&self->after_paint_id, frame_clock);
  /* Outside the paint cycle, so a handler may render the window again. */
  self->first_frame_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, _emit_first_frame_cb,
                                               g_object_ref (self), g_object_unref);
}

static void
_maybe_wait_for_first_frame (FlWindow *self)
{
  GdkFrameClock *frame_clock;

  if (self->first_frame_done || self->after_paint_id != 0 || self->first_frame_idle_id != 0)
    return;
  /* The welcome page hides the map: its first frame is complete without it. */
  if (!fl_map_view_get_ready (self->map_view)
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "welcome") != 0)
    return;
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (frame_clock == NULL)
    return;
  /* "ready" means the map has painted every region; wait for one more complete
   * frame of the whole window (pane included). */
  self->after_paint_id = g_signal_connect_object (frame_clock, "after-paint",
                                                  G_CALLBACK (on_after_paint_cb), self,
                                                  G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* callbacks */

static void
_show_counts_cb (GtkWidget *widget,
                 gpointer   user_data)
{
  FlWindow *self = FL_WINDOW (widget);

  self->counts_call = 0;
  _update_titles (self);
  _update_data_age (self);
}

/* An execution, its undo, a new evaluation: the map shows it in the next
 * frame; the counts in the title, like the region pane, in the frame after
 * that (the title bar's text is laid out again). */
static void
on_context_changed_cb (FlWindow  *self,
                       FlContext *context)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (context);

  if (evaluation != NULL)
    fl_map_view_update (self->map_view, evaluation);
  if (self->counts_call == 0)
    self->counts_call = fl_frame_call_after_next (GTK_WIDGET (self), _show_counts_cb, NULL, NULL);
}

static void
on_data_time_changed_cb (FlWindow   *self,
                         GParamSpec *pspec,
                         FlContext  *context)
{
  _update_data_age (self);
}

static void
on_stale_changed_cb (FlWindow   *self,
                     GParamSpec *pspec,
                     FlContext  *context)
{
  fl_map_view_set_stale (self->map_view, fl_context_get_stale (context));
  _update_data_age (self);
}

/* A first sync replaced the demo with the synced cache. */
static void
on_store_changed_cb (FlWindow   *self,
                     GParamSpec *pspec,
                     FlContext  *context)
{
  fl_window_close_pane (self);
  _load_regions (self);
  _update_titles (self);
  fl_map_view_fit_province (self->map_view);
}

static void
on_first_run_changed_cb (FlWindow   *self,
                         GParamSpec *pspec,
                         FlContext  *context)
{
  _update_main_page (self);
  _maybe_wait_for_first_frame (self);
}

static void
on_sync_state_changed_cb (FlWindow     *self,
                          GParamSpec   *pspec,
                          FlSyncClient *client)
{
  _update_sync_action (self);
  _update_data_age (self);
}

static void
on_sync_client_changed_cb (FlWindow   *self,
                           GParamSpec *pspec,
                           FlContext  *context)
{
  FlSyncClient *client = fl_context_get_sync_client (context);

  if (self->sync_client == client)
    return;
  if (self->sync_client != NULL)
    g_signal_handlers_disconnect_by_func (self->sync_client, on_sync_state_changed_cb, self);
  g_set_object (&self->sync_client, client);
  if (client != NULL)
    {
      g_signal_connect_object (client, "notify::state",
                               G_CALLBACK (on_sync_state_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::offline-since",
                               G_CALLBACK (on_sync_state_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::progress",
                               G_CALLBACK (on_sync_state_changed_cb), self, G_CONNECT_SWAPPED);
    }
  _update_sync_action (self);
  _update_data_age (self);
}

/* The rejected action's entry in the outbox (its alert, the server's code), or NULL. */
static FlOutboxEntry *
_find_rejected_entry (FlWindow   *self,
                      const char *action_id)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = fl_store_list_outbox (fl_context_get_store (self->context),
                                  1u << FL_OUTBOX_REJECTED, &error);
  if (entries == NULL)
    {
      g_warning ("Could not read the outbox: %s", error->message);
      return NULL;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      FlOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->action->id, action_id) == 0)
        return g_ptr_array_steal_index (entries, i);
    }
  return NULL;
}

/* The rejection in the user's words. The server's message is English and names
 * ids ("Alert churn:… was already actioned by li at 2026-11-23T09:10:00+08:00
 * (send_sample)."): who, when and what are taken from it (docs/api.md), the
 * item is named by its title. Falls back to the server's text. */
static char *
_dup_rejection_text (FlWindow   *self,
                     const char *action_id,
                     const char *message)
{
  g_autoptr(FlOutboxEntry) entry = _find_rejected_entry (self, action_id);
  FlEvaluation *evaluation = fl_context_get_evaluation (self->context);
  FlAlert *alert = NULL;
  g_autofree char *title = NULL;
  const char *code = entry != NULL ? entry->reason_code : NULL;

  if (entry != NULL && evaluation != NULL)
    alert = fl_evaluation_find_alert (evaluation, entry->action->alert);
  if (alert != NULL)
    title = fl_alert_dup_title (fl_context_get_store (self->context), alert);
  if (title == NULL && entry != NULL)
    title = g_strdup (entry->action->alert);

  if (g_strcmp0 (code, "already_actioned") == 0 && message != NULL)
    {
      g_autoptr(GRegex) regex = g_regex_new ("already actioned by (.+) at (\\S+) \\(([a-z_]+)\\)",
                                             G_REGEX_OPTIMIZE, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (regex, message, 0, &match))
        {
          g_autofree char *who = g_match_info_fetch (match, 1);
          g_autofree char *when_text = g_match_info_fetch (match, 2);
          g_autofree char *kind_text = g_match_info_fetch (match, 3);
          g_autofree char *when = NULL;
          FlActionKind kind;
          gint64 time;

          if (fl_time_parse_rfc3339 (when_text, &time))
            when = fl_format_exact_time (time, fl_context_get_time_zone (self->context));
          else
            when = g_strdup (when_text);
          if (fl_action_kind_from_string (kind_text, &kind))
            /* Translators: a toast (one line: the start matters most): "Not recorded: li
             * already handled “Customer 永康华联超市: …” (Send a sample + case video,
             * 2026-11-23 09:10)". */
            return g_strdup_printf (_("Not recorded: %s already handled “%s” (%s, %s)"),
                                    who, title, fl_action_kind_get_label (kind), when);
          /* Translators: "Not recorded: li already handled “Customer …” (2026-11-23 09:10)". */
          return g_strdup_printf (_("Not recorded: %s already handled “%s” (%s)"), who, title,
                                  when);
        }
    }
  else if (g_strcmp0 (code, "alert_gone") == 0 && title != NULL)
    /* Translators: %s is the item's title. */
    return g_strdup_printf (_("Not recorded: “%s” is no longer raised on the server (the data "
                              "has changed)"), title);
  if (title != NULL)
    /* Translators: the item's title and the server's reason (in English). */
    return g_strdup_printf (_("The server did not accept your action on “%s”: %s"), title,
                            message);
  /* Translators: %s is the server's reason, e.g. "Li Na already sent a sample…". */
  return g_strdup_printf (_("The server did not accept your action: %s"), message);
}

static void
on_action_rejected_cb (FlWindow   *self,
                       const char *action_id,
                       const char *message,
                       FlContext  *context)
{
  g_autofree char *text = _dup_rejection_text (self, action_id, message);
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  /* The manager has to read why an action of theirs did not count. */
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_set_weak_pointer (&self->rejection_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_manual_sync_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FlWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (fl_sync_client_sync_finish (FL_SYNC_CLIENT (source_object), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The indicator keeps the details; asked for, the failure also says so at once. */
  {
    /* Translators: %s is the reason, e.g. "The server cannot be reached." */
    g_autofree char *text = g_strdup_printf (_("Sync failed: %s"), error->message);
    g_autofree char *escaped = g_markup_escape_text (text, -1);

    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
  }
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->sync_client == NULL || fl_sync_client_get_token (self->sync_client) == NULL
      || fl_sync_client_get_state (self->sync_client) == FL_SYNC_STATE_SYNCING
      || fl_sync_client_get_state (self->sync_client) == FL_SYNC_STATE_SIGNED_OUT)
    return;
  fl_sync_client_sync_async (self->sync_client, self->cancellable, on_manual_sync_cb,
                             g_object_ref (self));
  _update_sync_action (self);
}

/* Toast titles are Pango markup: names may hold "&" or "<". */
static void
_add_text_toast (FlWindow   *self,
                 const char *text,
                 guint       timeout)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
_add_toast_cb (GtkWidget *widget,
               gpointer   user_data)
{
  FlWindow *self = FL_WINDOW (widget);

  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (ADW_TOAST (user_data)));
}

/* "ALERT-ID" executes the suggestion, "ALERT-ID|kind" another kind (wire name). */
static void
execute_alert_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FlWindow *self = FL_WINDOW (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  const char *bar = strrchr (target, '|');
  g_autofree char *alert_id = bar != NULL ? g_strndup (target, bar - target) : g_strdup (target);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GError) error = NULL;
  FlEvaluation *evaluation = fl_context_get_evaluation (self->context);
  FlAlert *alert = evaluation != NULL ? fl_evaluation_find_alert (evaluation, alert_id) : NULL;
  FlAction *action;
  AdwToast *toast;
  int kind = -1;

  if (bar != NULL)
    {
      FlActionKind parsed;

      if (!fl_action_kind_from_string (bar + 1, &parsed))
        {
          g_warning ("win.execute-alert: “%s” is not an action kind", bar + 1);
          return;
        }
      kind = (int) parsed;
    }

  /* The title now: the alert leaves the pending list once executed. */
  if (alert != NULL)
    title = fl_alert_dup_title (fl_context_get_store (self->context), alert);
  if (title == NULL)
    title = g_strdup (alert_id);

  action = fl_context_execute (self->context, alert_id, kind, &error);
  if (action == NULL)
    {
      /* Translators: %s is the reason, e.g. "Alert … has already been handled (…)". */
      g_autofree char *message = g_strdup_printf (_("Could not execute the action: %s"),
                                                  error->message);

      _add_text_toast (self, message, 10);
      return;
    }

  /* Translators: "Executed: Call today — Customer 永康华联超市: …" (action — item). */
  text = g_strdup_printf (_("Executed: %s — %s"), fl_action_kind_get_label (action->kind), title);
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-action");
  adw_toast_set_action_target_value (toast, g_variant_new_string (action->id));
  /* As long as the outbox holds the action back. */
  adw_toast_set_timeout (toast, FL_EXECUTE_UNDO_SECONDS);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_set_weak_pointer (&self->undo_toast, toast);
  /* After the frame that shows the tile in its new colour: a toast is a few
   * widgets to build, lay out and draw (with its shadow) over the map. (Two
   * executions in one frame queue two toasts; a window destroyed meanwhile
   * drops its tick callbacks and their toasts.) */
  fl_frame_call_after_next (GTK_WIDGET (self), _add_toast_cb, toast, g_object_unref);
  fl_action_free (action);
}

static void
undo_action_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FlWindow *self = FL_WINDOW (widget);
  /* A copy: @parameter may belong to the toast dismissed below. */
  g_autofree char *action_id = g_variant_dup_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  /* Undone from elsewhere (a shortcut, a test): the offer is void. */
  if (self->undo_toast != NULL)
    {
      GVariant *target = adw_toast_get_action_target_value (self->undo_toast);

      if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), action_id) == 0)
        adw_toast_dismiss (self->undo_toast);
    }
  if (!fl_context_undo (self->context, action_id, &error))
    {
      /* Translators: %s is the reason, e.g. "the action has already been sent". */
      g_autofree char *message = g_strdup_printf (_("Could not undo the action: %s"),
                                                  error->message);

      _add_text_toast (self, message, 10);
    }
}

static void
weekly_list_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->weekly == NULL)
    {
      FlWeeklyWindow *weekly = fl_weekly_window_new (GTK_WINDOW (self), self->context);

      gtk_window_set_destroy_with_parent (GTK_WINDOW (weekly), TRUE);
      g_set_weak_pointer (&self->weekly, weekly);
    }
  gtk_window_present (GTK_WINDOW (self->weekly));
}

static void
explore_demo_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  self->welcome_dismissed = TRUE;
  _update_main_page (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->map_view));
}

static void
on_map_ready_changed_cb (FlWindow   *self,
                         GParamSpec *pspec,
                         FlMapView  *map_view)
{
  _maybe_wait_for_first_frame (self);
}

static void
on_region_activated_cb (FlWindow   *self,
                        const char *code,
                        FlMapView  *map_view)
{
  fl_window_show_region (self, code);
}

static void
on_region_dismissed_cb (FlWindow  *self,
                        FlMapView *map_view)
{
  fl_window_close_pane (self);
}

/* The pane can also close by itself (a click beside it when folded). */
static void
on_reveal_flap_changed_cb (FlWindow   *self,
                           GParamSpec *pspec,
                           AdwFlap    *flap)
{
  gboolean open = adw_flap_get_reveal_flap (flap);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-pane", open);
  if (!open)
    fl_map_view_set_selected_region (self->map_view, NULL);
}

/* Alt+←: one page back in the pane. */
static void
navigate_back_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (fl_window_get_pane_open (self))
    fl_region_pane_navigate_back (self->region_pane);
}

/* s: a link of fl-subject-page.h ("customer:c-0001"). */
static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const char *link = g_variant_get_string (parameter, NULL);

  if (!fl_window_open_link (FL_WINDOW (widget), link))
    g_warning ("win.open-link: nothing to open for “%s”", link);
}

/* A link opened inside the pane may have switched its region: the map follows. */
static void
on_pane_region_changed_cb (FlWindow     *self,
                           GParamSpec   *pspec,
                           FlRegionPane *pane)
{
  const char *code = fl_region_pane_get_region (pane);

  if (code != NULL && fl_window_get_pane_open (self))
    fl_map_view_set_selected_region (self->map_view, code);
}

/* Escape steps back: from an item to its region, then closes the pane. */
static void
close_pane_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (!fl_region_pane_navigate_back (self->region_pane))
    fl_window_close_pane (self);
}

static gboolean
fl_window_close_request (GtkWindow *window)
{
  FlWindow *self = FL_WINDOW (window);
  GSettings *settings = self->context != NULL ? fl_context_get_settings (self->context) : NULL;

  if (settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
    }
  return GTK_WINDOW_CLASS (fl_window_parent_class)->close_request (window);
}

/* overrides */

static void
fl_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fl_window_parent_class)->realize (widget);
  _maybe_wait_for_first_frame (FL_WINDOW (widget));
}

static void
fl_window_constructed (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);
  GSettings *settings;

  G_OBJECT_CLASS (fl_window_parent_class)->constructed (object);

  g_return_if_fail (FL_IS_CONTEXT (self->context));

  settings = fl_context_get_settings (self->context);
  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  _load_regions (self);

  fl_region_pane_set_context (self->region_pane, self->context);
  fl_sync_indicator_set_context (self->sync_indicator, self->context);
  g_object_bind_property (self->context, "palette", self->map_view, "palette",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->flap, "folded", self->region_pane, "folded",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->context, "changed",
                           G_CALLBACK (on_context_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::data-time",
                           G_CALLBACK (on_data_time_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::stale",
                           G_CALLBACK (on_stale_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::store",
                           G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::first-run",
                           G_CALLBACK (on_first_run_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::sync-client",
                           G_CALLBACK (on_sync_client_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "action-rejected",
                           G_CALLBACK (on_action_rejected_cb), self, G_CONNECT_SWAPPED);
  on_sync_client_changed_cb (self, NULL, self->context);
  fl_map_view_set_stale (self->map_view, fl_context_get_stale (self->context));
  _update_main_page (self);
  on_context_changed_cb (self, self->context);
  fl_map_view_fit_province (self->map_view);
}

static void
fl_window_dispose (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  g_clear_handle_id (&self->first_frame_idle_id, g_source_remove);
  fl_frame_cancel (GTK_WIDGET (self), &self->counts_call);
  if (self->after_paint_id != 0)
    {
      GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      if (frame_clock != NULL)
        g_clear_signal_handler (&self->after_paint_id, frame_clock);
      self->after_paint_id = 0;
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sync_client != NULL)
    g_signal_handlers_disconnect_by_func (self->sync_client, on_sync_state_changed_cb, self);
  g_clear_object (&self->sync_client);
  g_clear_weak_pointer (&self->preferences);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_weak_pointer (&self->rejection_toast);
  g_clear_weak_pointer (&self->weekly);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_WINDOW);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (fl_window_parent_class)->dispose (object);
}

static void
fl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FlWindow *self = FL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FlWindow *self = FL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_window_class_init (FlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fl_window_constructed;
  object_class->dispose = fl_window_dispose;
  object_class->get_property = fl_window_get_property;
  object_class->set_property = fl_window_set_property;
  widget_class->realize = fl_window_realize;
  window_class->close_request = fl_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FIRST_FRAME] =
    g_signal_new ("first-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (FL_TYPE_MAP_VIEW);
  g_type_ensure (FL_TYPE_REGION_PANE);
  g_type_ensure (FL_TYPE_SYNC_INDICATOR);
  g_type_ensure (FL_TYPE_WELCOME);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fieldlight/Fieldlight/fl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlWindow, data_age_box);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, data_age_icon);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, data_age_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, region_pane);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, welcome);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, window_title);

  gtk_widget_class_install_action (widget_class, "win.close-pane", NULL, close_pane_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "win.explore-demo", NULL, explore_demo_action);
  gtk_widget_class_install_action (widget_class, "win.execute-alert", "s", execute_alert_action);
  gtk_widget_class_install_action (widget_class, "win.undo-action", "s", undo_action_action);
  gtk_widget_class_install_action (widget_class, "win.weekly-list", NULL, weekly_list_action);
  gtk_widget_class_install_action (widget_class, "win.navigate-back", NULL,
                                   navigate_back_action);
  gtk_widget_class_install_action (widget_class, "win.open-link", "s", open_link_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.navigate-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, GDK_ALT_MASK,
                                       "win.navigate-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.weekly-list", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.close-pane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.sync", NULL);
}

/* GTK 4.8 sizes a plain tooltip to its label's minimum width. Chinese text
 * may break between any two characters, so "主菜单" came out one character
 * per line. Short tooltips get a label that does not wrap. */
static gboolean
on_short_tooltip_query_cb (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip,
                           gpointer    user_data)
{
  const char *text = gtk_widget_get_tooltip_text (widget);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_custom (tooltip, gtk_label_new (text));
  return TRUE;
}

static void
_keep_short_tooltips_on_one_line (GtkWidget *widget)
{
  const char *text = gtk_widget_get_tooltip_text (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    _keep_short_tooltips_on_one_line (child);

  if (text != NULL && g_utf8_strlen (text, -1) <= 32)
    g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_short_tooltip_query_cb), NULL);
}

static void
fl_window_init (FlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->map_view, "notify::ready",
                           G_CALLBACK (on_map_ready_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "region-activated",
                           G_CALLBACK (on_region_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "region-dismissed",
                           G_CALLBACK (on_region_dismissed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (on_reveal_flap_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->region_pane, "notify::region",
                           G_CALLBACK (on_pane_region_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-pane", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", FALSE);
  self->cancellable = g_cancellable_new ();
  _keep_short_tooltips_on_one_line (GTK_WIDGET (self));
}

/* public API */

FlWindow *
fl_window_new (GtkApplication *application,
               FlContext      *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (FL_IS_CONTEXT (context), NULL);

  return g_object_new (FL_TYPE_WINDOW, "application", application, "context", context, NULL);
}

FlContext *
fl_window_get_context (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->context;
}

FlMapView *
fl_window_get_map_view (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->map_view;
}

FlRegionPane *
fl_window_get_region_pane (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->region_pane;
}

void
fl_window_show_region (FlWindow   *self,
                       const char *code)
{
  g_return_if_fail (FL_IS_WINDOW (self));
  g_return_if_fail (code != NULL);

  fl_region_pane_set_region (self->region_pane, code);
  /* A click on the tile shows the region itself, whatever page was left open. */
  fl_region_pane_navigate_to (self->region_pane, 0);
  adw_flap_set_reveal_flap (self->flap, TRUE);
  fl_map_view_set_selected_region (self->map_view, code);
}

void
fl_window_close_pane (FlWindow *self)
{
  g_return_if_fail (FL_IS_WINDOW (self));

  adw_flap_set_reveal_flap (self->flap, FALSE);
  /* Keyboard users continue on the map. */
  gtk_widget_grab_focus (GTK_WIDGET (self->map_view));
}

gboolean
fl_window_get_pane_open (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), FALSE);
  return adw_flap_get_reveal_flap (self->flap);
}

gboolean
fl_window_get_first_frame_done (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), FALSE);
  return self->first_frame_done;
}

void
fl_window_rearm_first_frame (FlWindow *self)
{
  g_return_if_fail (FL_IS_WINDOW (self));

  self->first_frame_done = FALSE;
  _maybe_wait_for_first_frame (self);
}

GdkTexture *
fl_window_render_texture (FlWindow  *self,
                          GError   **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("The window is not shown yet"));
      return NULL;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The window drew nothing"));
      return NULL;
    }
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

FlSyncIndicator *
fl_window_get_sync_indicator (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->sync_indicator;
}

const char *
fl_window_get_data_age_text (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (self->data_age_box))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->data_age_label));
}

gboolean
fl_window_get_data_age_stale (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), FALSE);
  return gtk_widget_has_css_class (self->data_age_box, "stale");
}

gboolean
fl_window_get_welcome_shown (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "welcome") == 0;
}

FlPreferencesWindow *
fl_window_show_preferences (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);

  if (self->preferences == NULL)
    {
      FlPreferencesWindow *preferences = fl_preferences_window_new (GTK_WINDOW (self),
                                                                    self->context);

      g_set_weak_pointer (&self->preferences, preferences);
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
  return self->preferences;
}

void
fl_window_add_toast (FlWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (FL_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

AdwToast *
fl_window_get_undo_toast (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->undo_toast;
}

AdwToast *
fl_window_get_rejection_toast (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->rejection_toast;
}

gboolean
fl_window_open_link (FlWindow   *self,
                     const char *link)
{
  const char *code;

  g_return_val_if_fail (FL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (link != NULL, FALSE);

  if (!fl_region_pane_open_link (self->region_pane, link))
    return FALSE;
  code = fl_region_pane_get_region (self->region_pane);
  adw_flap_set_reveal_flap (self->flap, TRUE);
  if (code != NULL)
    fl_map_view_set_selected_region (self->map_view, code);
  return TRUE;
}
