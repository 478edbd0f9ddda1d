/* fl-sync-indicator.c — the header bar's sync status: a menu button and its popover
 *
 * The button says the state at a glance (an icon; a spinner while syncing;
 * words when offline or failing); the popover says it in full: since when,
 * why, the last successful sync, what waits in the outbox, and "Sync Now".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fl-format.h"
#include "fl-sync-indicator.h"

struct _FlSyncIndicator
{
  AdwBin        parent_instance;

  /* template widgets */
  GtkWidget    *button;
  GtkImage     *button_icon;
  GtkLabel     *button_label;
  GtkLabel     *description_label;
  GtkWidget    *facts_list;
  GtkStack     *icon_stack;
  GtkLabel     *last_sync_label;
  GtkWidget    *memory_only_label;
  GtkPopover   *popover;
  GtkWidget    *preferences_button;
  GtkProgressBar *progress_bar;
  GtkLabel     *queued_label;
  GtkWidget    *queued_row;
  GtkSpinner   *spinner;
  GtkImage     *status_icon;
  GtkWidget    *sync_button;
  GtkLabel     *title_label;

  /* owned */
  FlContext    *context;
  FlSyncClient *client;
  char         *icon_name;
  guint         tick_id;
};

G_DEFINE_FINAL_TYPE (FlSyncIndicator, fl_sync_indicator, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* helpers */

static gint64
_real_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static GTimeZone *
_time_zone (FlSyncIndicator *self)
{
  return self->context != NULL ? fl_context_get_time_zone (self->context) : NULL;
}

/* "09:12" today, else the date too. */
static char *
_format_clock_time (FlSyncIndicator *self,
                    gint64           time)
{
  GTimeZone *tz = _time_zone (self);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (_real_now ());
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (utc == NULL || now_utc == NULL)
    return g_strdup ("?");
  local = tz != NULL ? g_date_time_to_timezone (utc, tz) : g_date_time_to_local (utc);
  now = tz != NULL ? g_date_time_to_timezone (now_utc, tz) : g_date_time_to_local (now_utc);
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time of today (strftime format), e.g. "Offline since 09:12". */
    return g_date_time_format (local, _("%H:%M"));
  return fl_format_exact_time (time, tz);
}

static char *
_server_host (FlSyncClient *client)
{
  const char *url = fl_sync_client_get_server_url (client);
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url != NULL ? url : "");
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static void
_set_button_icon (FlSyncIndicator *self,
                  const char      *icon_name)
{
  g_free (self->icon_name);
  self->icon_name = g_strdup (icon_name);
  if (g_strcmp0 (icon_name, "spinner") == 0)
    {
      gtk_stack_set_visible_child_name (self->icon_stack, "spinner");
      gtk_spinner_start (self->spinner);
      gtk_image_set_from_icon_name (self->status_icon, "emblem-synchronizing-symbolic");
      return;
    }
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->icon_stack, "icon");
  gtk_image_set_from_icon_name (self->button_icon, icon_name);
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
}

static void
_set_button_label (FlSyncIndicator *self,
                   const char      *label)
{
  gtk_label_set_label (self->button_label, label != NULL ? label : "");
  gtk_widget_set_visible (GTK_WIDGET (self->button_label), label != NULL);
}

static void
_update_facts (FlSyncIndicator *self)
{
  gint64 last_sync = self->client != NULL ? fl_sync_client_get_last_sync (self->client) : 0;
  guint queued = self->client != NULL ? fl_sync_client_get_queued (self->client) : 0;
  g_autofree char *queued_text = NULL;

  if (last_sync > 0)
    {
      g_autofree char *relative = fl_format_relative_time (last_sync, _real_now ());
      g_autofree char *exact = fl_format_exact_time (last_sync, _time_zone (self));

      gtk_label_set_label (self->last_sync_label, relative);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->last_sync_label), exact);
    }
  else
    {
      /* Translators: the last successful sync, when there was none. */
      gtk_label_set_label (self->last_sync_label, C_("last sync", "Never"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->last_sync_label), NULL);
    }

  queued_text = g_strdup_printf ("%u", queued);
  gtk_label_set_label (self->queued_label, queued_text);
  gtk_widget_set_visible (self->queued_row, self->client != NULL);
}

static void
_update (FlSyncIndicator *self)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *host = NULL;
  const char *icon_name;
  const char *label = NULL;
  /* Translators: the popover button that opens the preferences. */
  const char *preferences_label = _("_Preferences…");
  gboolean show_preferences = TRUE;
  double progress = -1;

  if (self->client == NULL)
    {
      icon_name = "network-server-symbolic";
      title = g_strdup (_("Not connected to a server"));
      description = g_strdup (_("The map shows the data stored on this computer. Connect to "
                                "your company’s Fieldlight server to sync."));
      tooltip = g_strdup (title);
      preferences_label = _("_Connect to a Server…");
    }
  else
    {
      host = _server_host (self->client);
      switch (fl_sync_client_get_state (self->client))
        {
        case FL_SYNC_STATE_SIGNED_OUT:
          icon_name = "avatar-default-symbolic";
          title = g_strdup (_("Signed out"));
          /* Translators: %s is a server, e.g. "sales.example.com". */
          description = g_strdup_printf (_("Sign in to %s to sync. The map shows the data "
                                           "stored on this computer."), host);
          tooltip = g_strdup (_("Signed out — showing cached data"));
          preferences_label = _("_Sign In…");
          break;

        case FL_SYNC_STATE_SYNCING:
          icon_name = "spinner";
          title = g_strdup (_("Syncing…"));
          /* Translators: %s is a server, e.g. "sales.example.com". */
          description = g_strdup_printf (_("Receiving changes from %s. The map stays usable "
                                           "meanwhile."), host);
          tooltip = g_strdup (title);
          progress = fl_sync_client_get_progress (self->client);
          show_preferences = FALSE;
          break;

        case FL_SYNC_STATE_OFFLINE:
          {
            gint64 since = fl_sync_client_get_offline_since (self->client);
            g_autofree char *clock = since > 0 ? _format_clock_time (self, since) : NULL;

            icon_name = "network-offline-symbolic";
            label = _("Offline");
            /* Translators: %s is a time, e.g. "09:12". */
            title = clock != NULL ? g_strdup_printf (_("Offline since %s"), clock)
                                  : g_strdup (_("Offline"));
            /* Translators: %s is a server, e.g. "sales.example.com". */
            description = g_strdup_printf (_("%s cannot be reached. The map shows cached data; "
                                             "Fieldlight retries by itself and sends queued "
                                             "actions when the network is back."), host);
            /* Translators: %s is a time, e.g. "Offline since 09:12 — showing cached data". */
            tooltip = clock != NULL
                      ? g_strdup_printf (_("Offline since %s — showing cached data"), clock)
                      : g_strdup (_("Offline — showing cached data"));
            show_preferences = FALSE;
          }
          break;

        case FL_SYNC_STATE_ERROR:
          {
            const char *message = fl_sync_client_get_error_message (self->client);

            icon_name = "dialog-warning-symbolic";
            label = _("Sync Failed");
            title = g_strdup (_("Sync failed"));
            description = g_strdup (message != NULL && *message != '\0'
                                    ? message : _("The server refused the request."));
            tooltip = g_strdup_printf ("%s — %s", title, description);
          }
          break;

        case FL_SYNC_STATE_IDLE:
        default:
          {
            const char *user = fl_sync_client_get_user (self->client);

            icon_name = "emblem-synchronizing-symbolic";
            title = g_strdup (_("Up to date"));
            /* Translators: "Signed in as zhang on sales.example.com". */
            description = user != NULL
                          ? g_strdup_printf (_("Signed in as %s on %s."), user, host)
                          : g_strdup_printf (_("Connected to %s."), host);
            tooltip = g_strdup (_("Sync status: up to date"));
            show_preferences = FALSE;
          }
          break;
        }
    }

  _set_button_icon (self, icon_name);
  _set_button_label (self, label);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->description_label, description);
  gtk_widget_set_tooltip_text (self->button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), progress >= 0);
  if (progress >= 0)
    {
      g_autofree char *percent = g_strdup_printf ("%d%%", (int) (progress * 100 + .5));

      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0, 1));
      gtk_progress_bar_set_text (self->progress_bar, percent);
    }
  gtk_widget_set_visible (self->memory_only_label,
                          self->client != NULL
                          && fl_sync_client_get_token_in_memory_only (self->client));
  gtk_widget_set_visible (self->preferences_button, show_preferences);
  gtk_button_set_label (GTK_BUTTON (self->preferences_button), preferences_label);
  /* Without a server, there is nothing to sync and no history to show. */
  gtk_widget_set_visible (self->facts_list, self->client != NULL);
  gtk_widget_set_visible (self->sync_button, self->client != NULL);
  if (self->client == NULL || fl_sync_client_get_state (self->client) == FL_SYNC_STATE_SIGNED_OUT)
    gtk_widget_add_css_class (self->preferences_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->preferences_button, "suggested-action");

  /* Flat like its neighbours, raised and coloured when something is wrong. */
  gtk_widget_remove_css_class (self->button, "warning");
  gtk_widget_remove_css_class (self->button, "error");
  if (self->client != NULL && fl_sync_client_get_state (self->client) == FL_SYNC_STATE_OFFLINE)
    gtk_widget_add_css_class (self->button, "warning");
  else if (self->client != NULL && fl_sync_client_get_state (self->client) == FL_SYNC_STATE_ERROR)
    gtk_widget_add_css_class (self->button, "error");
  gtk_menu_button_set_has_frame (GTK_MENU_BUTTON (self->button), label != NULL);

  _update_facts (self);
}

/* callbacks */

static void
on_client_notify_cb (FlSyncIndicator *self,
                     GParamSpec      *pspec,
                     FlSyncClient    *client)
{
  _update (self);
}

static void
_set_client (FlSyncIndicator *self,
             FlSyncClient    *client)
{
  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_client_notify_cb, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_object (client, "notify", G_CALLBACK (on_client_notify_cb), self,
                             G_CONNECT_SWAPPED);
  _update (self);
}

static void
on_sync_client_changed_cb (FlSyncIndicator *self,
                           GParamSpec      *pspec,
                           FlContext       *context)
{
  _set_client (self, fl_context_get_sync_client (context));
}

/* Relative times age while the popover is open. */
static gboolean
on_tick_cb (gpointer user_data)
{
  _update_facts (FL_SYNC_INDICATOR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_popover_visible_cb (FlSyncIndicator *self,
                       GParamSpec      *pspec,
                       GtkPopover      *popover)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (!gtk_widget_get_visible (GTK_WIDGET (popover)))
    return;
  _update (self);
  self->tick_id = g_timeout_add_seconds (30, on_tick_cb, self);
}

/* overrides */

static void
fl_sync_indicator_dispose (GObject *object)
{
  FlSyncIndicator *self = FL_SYNC_INDICATOR (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  fl_sync_indicator_set_context (self, NULL);
  /* The button is AdwBin's child: let the bin forget it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (fl_sync_indicator_parent_class)->dispose (object);
}

static void
fl_sync_indicator_finalize (GObject *object)
{
  FlSyncIndicator *self = FL_SYNC_INDICATOR (object);

  g_free (self->icon_name);

  G_OBJECT_CLASS (fl_sync_indicator_parent_class)->finalize (object);
}

static void
fl_sync_indicator_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FlSyncIndicator *self = FL_SYNC_INDICATOR (object);

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
fl_sync_indicator_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FlSyncIndicator *self = FL_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      fl_sync_indicator_set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_sync_indicator_class_init (FlSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_sync_indicator_dispose;
  object_class->finalize = fl_sync_indicator_finalize;
  object_class->get_property = fl_sync_indicator_get_property;
  object_class->set_property = fl_sync_indicator_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fieldlight/Fieldlight/fl-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, button_icon);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, button_label);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, description_label);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, facts_list);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, memory_only_label);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, queued_label);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, queued_row);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, sync_button);
  gtk_widget_class_bind_template_child (widget_class, FlSyncIndicator, title_label);

  gtk_widget_class_set_css_name (widget_class, "syncindicator");
}

static void
fl_sync_indicator_init (FlSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->popover, "notify::visible",
                           G_CALLBACK (on_popover_visible_cb), self, G_CONNECT_SWAPPED);
  _update (self);
}

/* public API */

GtkWidget *
fl_sync_indicator_new (void)
{
  return g_object_new (FL_TYPE_SYNC_INDICATOR, NULL);
}

FlContext *
fl_sync_indicator_get_context (FlSyncIndicator *self)
{
  g_return_val_if_fail (FL_IS_SYNC_INDICATOR (self), NULL);
  return self->context;
}

void
fl_sync_indicator_set_context (FlSyncIndicator *self,
                               FlContext       *context)
{
  g_return_if_fail (FL_IS_SYNC_INDICATOR (self));
  g_return_if_fail (context == NULL || FL_IS_CONTEXT (context));

  if (self->context == context)
    return;
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_func (self->context, on_sync_client_changed_cb, self);
  g_set_object (&self->context, context);
  if (context != NULL)
    g_signal_connect_object (context, "notify::sync-client",
                             G_CALLBACK (on_sync_client_changed_cb), self, G_CONNECT_SWAPPED);
  _set_client (self, context != NULL ? fl_context_get_sync_client (context) : NULL);
  _update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

const char *
fl_sync_indicator_get_title (FlSyncIndicator *self)
{
  g_return_val_if_fail (FL_IS_SYNC_INDICATOR (self), NULL);
  return gtk_label_get_label (self->title_label);
}

const char *
fl_sync_indicator_get_description (FlSyncIndicator *self)
{
  g_return_val_if_fail (FL_IS_SYNC_INDICATOR (self), NULL);
  return gtk_label_get_label (self->description_label);
}

const char *
fl_sync_indicator_get_icon_name (FlSyncIndicator *self)
{
  g_return_val_if_fail (FL_IS_SYNC_INDICATOR (self), NULL);
  return self->icon_name;
}

const char *
fl_sync_indicator_get_last_sync_text (FlSyncIndicator *self)
{
  g_return_val_if_fail (FL_IS_SYNC_INDICATOR (self), NULL);
  return gtk_label_get_label (self->last_sync_label);
}

const char *
fl_sync_indicator_get_queued_text (FlSyncIndicator *self)
{
  g_return_val_if_fail (FL_IS_SYNC_INDICATOR (self), NULL);
  return gtk_label_get_label (self->queued_label);
}

double
fl_sync_indicator_get_progress (FlSyncIndicator *self)
{
  g_return_val_if_fail (FL_IS_SYNC_INDICATOR (self), -1);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->progress_bar)))
    return -1;
  return gtk_progress_bar_get_fraction (self->progress_bar);
}

void
fl_sync_indicator_popup (FlSyncIndicator *self)
{
  g_return_if_fail (FL_IS_SYNC_INDICATOR (self));
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->button));
}

void
fl_sync_indicator_popdown (FlSyncIndicator *self)
{
  g_return_if_fail (FL_IS_SYNC_INDICATOR (self));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
}
