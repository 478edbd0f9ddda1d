/* fl-preferences-window.c — server, account, map appearance, data age
 *
 * Everything is GSettings or the sync client: the server address is saved
 * only once it passes the sync engine's rule (https://, or http:// to this
 * computer), and the context follows the setting with a new client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fl-preferences-window.h"

struct _FlPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwPreferencesGroup  *account_group;
  GtkSwitch            *palette_switch;
  AdwEntryRow          *password_row;
  GtkLabel             *server_error_label;
  AdwEntryRow          *server_row;
  GtkWidget            *sign_in_box;
  GtkWidget            *sign_in_button;
  GtkLabel             *sign_in_error_label;
  GtkSpinner           *sign_in_spinner;
  AdwActionRow         *signed_in_row;
  GtkAdjustment        *stale_adjustment;
  GtkWidget            *stale_row;
  AdwEntryRow          *user_row;

  /* owned */
  FlContext            *context;
  FlSyncClient         *client;
  GCancellable         *cancellable;
  gboolean              signing_in;
};

G_DEFINE_FINAL_TYPE (FlPreferencesWindow, fl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* helpers */

static void
_show_error (GtkLabel   *label,
             GtkWidget  *row,
             const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (row == NULL)
    return;
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static char *
_dup_configured_url (FlPreferencesWindow *self)
{
  GSettings *settings = fl_context_get_settings (self->context);
  g_autofree char *url = settings != NULL ? g_settings_get_string (settings, "server-url")
                                          : NULL;

  if ((url == NULL || *url == '\0') && self->client != NULL)
    return g_strdup (fl_sync_client_get_server_url (self->client));
  return g_steal_pointer (&url);
}

/* Validates and saves the address typed in; the error shows under the row. */
static gboolean
_apply_server_url (FlPreferencesWindow *self)
{
  GSettings *settings = fl_context_get_settings (self->context);
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  g_autoptr(GError) error = NULL;

  if (*url != '\0' && !fl_context_check_server_url (url, &error))
    {
      _show_error (self->server_error_label, GTK_WIDGET (self->server_row), error->message);
      return FALSE;
    }
  if (settings == NULL)
    {
      _show_error (self->server_error_label, GTK_WIDGET (self->server_row),
                   _("The settings of Fieldlight are not installed: the address cannot be "
                     "saved."));
      return FALSE;
    }
  _show_error (self->server_error_label, GTK_WIDGET (self->server_row), NULL);
  g_settings_set_string (settings, "server-url", url);
  return TRUE;
}

static void
_update_account (FlPreferencesWindow *self)
{
  gboolean signed_in = self->client != NULL && fl_sync_client_get_token (self->client) != NULL;
  gboolean have_credentials =
    *gtk_editable_get_text (GTK_EDITABLE (self->user_row)) != '\0'
    && *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';
  gboolean have_url = *gtk_editable_get_text (GTK_EDITABLE (self->server_row)) != '\0';

  gtk_widget_set_visible (GTK_WIDGET (self->signed_in_row), signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !signed_in);
  gtk_widget_set_visible (self->sign_in_box, !signed_in);
  if (signed_in)
    {
      const char *user = fl_sync_client_get_user (self->client);
      /* Translators: %s is a user name. */
      g_autofree char *title = g_strdup_printf (_("Signed in as %s"), user != NULL ? user : "");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->signed_in_row), title);
      adw_action_row_set_subtitle (self->signed_in_row,
                                   fl_sync_client_get_token_in_memory_only (self->client)
                                   ? _("No keyring is available: your sign-in is kept until "
                                       "Fieldlight quits.")
                                   : fl_sync_client_get_server_url (self->client));
      _show_error (self->sign_in_error_label, NULL, NULL);
    }

  adw_preferences_group_set_description (self->account_group,
                                         have_url || self->client != NULL ? NULL
                                         : _("Enter the server address first."));
  gtk_widget_set_sensitive (self->sign_in_button,
                            !self->signing_in && have_credentials && have_url);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !self->signing_in);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !self->signing_in);
  if (self->signing_in)
    gtk_spinner_start (self->sign_in_spinner);
  else
    gtk_spinner_stop (self->sign_in_spinner);
}

static void
on_client_notify_cb (FlPreferencesWindow *self,
                     GParamSpec          *pspec,
                     FlSyncClient        *client)
{
  _update_account (self);
}

static void
_set_client (FlPreferencesWindow *self,
             FlSyncClient        *client)
{
  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_client_notify_cb, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_object (client, "notify", G_CALLBACK (on_client_notify_cb), self,
                             G_CONNECT_SWAPPED);
  _update_account (self);
}

static gboolean
_palette_to_active (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_int (from) == FL_PALETTE_COLORBLIND);
  return TRUE;
}

static gboolean
_active_to_palette (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_int (to, g_value_get_boolean (from) ? FL_PALETTE_COLORBLIND : FL_PALETTE_GNOME);
  return TRUE;
}

/* callbacks */

static void
on_sync_client_changed_cb (FlPreferencesWindow *self,
                           GParamSpec          *pspec,
                           FlContext           *context)
{
  _set_client (self, fl_context_get_sync_client (context));
}

static void
on_server_apply_cb (FlPreferencesWindow *self,
                    AdwEntryRow         *row)
{
  if (_apply_server_url (self))
    _update_account (self);
}

static void
on_server_changed_cb (FlPreferencesWindow *self,
                      GtkEditable         *editable)
{
  _show_error (self->server_error_label, GTK_WIDGET (self->server_row), NULL);
  _update_account (self);
}

static void
on_credentials_changed_cb (FlPreferencesWindow *self,
                           GtkEditable         *editable)
{
  _show_error (self->sign_in_error_label, NULL, NULL);
  _update_account (self);
}

static void
on_login_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FlPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fl_sync_client_login_finish (FL_SYNC_CLIENT (source_object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->signing_in = FALSE;
  if (error != NULL)
    {
      _show_error (self->sign_in_error_label, NULL, error->message);
      _update_account (self);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  _update_account (self);
  {
    /* Translators: %s is a user name. */
    g_autofree char *text = g_strdup_printf (_("Signed in as %s"),
                                             fl_sync_client_get_user (self->client));

    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
  }
}

static void
on_sign_in_clicked_cb (FlPreferencesWindow *self)
{
  fl_preferences_window_sign_in (self,
                                 gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                                 gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
on_sign_out_clicked_cb (FlPreferencesWindow *self)
{
  if (self->client != NULL)
    fl_sync_client_sign_out (self->client);
  _update_account (self);
}

/* overrides */

static void
fl_preferences_window_constructed (GObject *object)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);
  GSettings *settings;
  g_autofree char *url = NULL;

  G_OBJECT_CLASS (fl_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (FL_IS_CONTEXT (self->context));

  settings = fl_context_get_settings (self->context);
  _set_client (self, fl_context_get_sync_client (self->context));
  g_signal_connect_object (self->context, "notify::sync-client",
                           G_CALLBACK (on_sync_client_changed_cb), self, G_CONNECT_SWAPPED);

  url = _dup_configured_url (self);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url != NULL ? url : "");
  g_signal_connect_object (self->server_row, "changed", G_CALLBACK (on_server_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->server_row, "apply", G_CALLBACK (on_server_apply_cb), self,
                           G_CONNECT_SWAPPED);
  if (self->client != NULL && fl_sync_client_get_user (self->client) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), fl_sync_client_get_user (self->client));

  g_object_bind_property_full (self->context, "palette", self->palette_switch, "active",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               _palette_to_active, _active_to_palette, NULL, NULL);
  if (settings != NULL)
    g_settings_bind (settings, "stale-after-hours", self->stale_adjustment, "value",
                     G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_sensitive (self->stale_row, FALSE);

  _update_account (self);
}

static void
fl_preferences_window_dispose (GObject *object)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  _set_client (self, NULL);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (fl_preferences_window_parent_class)->dispose (object);
}

static void
fl_preferences_window_finalize (GObject *object)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fl_preferences_window_parent_class)->finalize (object);
}

static void
fl_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

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
fl_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

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
fl_preferences_window_class_init (FlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fl_preferences_window_constructed;
  object_class->dispose = fl_preferences_window_dispose;
  object_class->finalize = fl_preferences_window_finalize;
  object_class->get_property = fl_preferences_window_get_property;
  object_class->set_property = fl_preferences_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fieldlight/Fieldlight/fl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, account_group);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, palette_switch);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, server_error_label);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, sign_in_box);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, sign_in_error_label);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, sign_in_spinner);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, signed_in_row);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, stale_adjustment);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, stale_row);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, user_row);
  gtk_widget_class_bind_template_callback (widget_class, on_credentials_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_out_clicked_cb);
}

static void
fl_preferences_window_init (FlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* public API */

FlPreferencesWindow *
fl_preferences_window_new (GtkWindow *parent,
                           FlContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (FL_IS_CONTEXT (context), NULL);

  return g_object_new (FL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent)
                                                     : NULL,
                       "context", context,
                       NULL);
}

AdwEntryRow *
fl_preferences_window_get_server_row (FlPreferencesWindow *self)
{
  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->server_row;
}

const char *
fl_preferences_window_get_server_error (FlPreferencesWindow *self)
{
  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->server_error_label)))
    return NULL;
  return gtk_label_get_label (self->server_error_label);
}

const char *
fl_preferences_window_get_sign_in_error (FlPreferencesWindow *self)
{
  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->sign_in_error_label)))
    return NULL;
  return gtk_label_get_label (self->sign_in_error_label);
}

void
fl_preferences_window_sign_in (FlPreferencesWindow *self,
                               const char          *user,
                               const char          *password)
{
  g_autofree char *configured = NULL;
  const char *typed;

  g_return_if_fail (FL_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (user != NULL && password != NULL);

  if (self->signing_in || *user == '\0' || *password == '\0')
    return;

  /* An address typed but not applied yet counts. */
  configured = _dup_configured_url (self);
  typed = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  if (g_strcmp0 (configured, typed) != 0 && !_apply_server_url (self))
    return;

  if (self->client == NULL)
    {
      _show_error (self->sign_in_error_label, NULL,
                   _("Cannot connect: there is no server address, or no cache to sync into."));
      return;
    }

  _show_error (self->sign_in_error_label, NULL, NULL);
  self->signing_in = TRUE;
  _update_account (self);
  fl_sync_client_login_async (self->client, user, password, self->cancellable, on_login_cb,
                              g_object_ref (self));
}
