/* fl-application.c — the AdwApplication: actions, the window, --screenshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fl-application.h"
#include "fl-window.h"

/* A --screenshot run that has not produced its frame by then has failed. */
#define SCREENSHOT_TIMEOUT_SECONDS 20
#define SCREENSHOT_WIDTH  1280
#define SCREENSHOT_HEIGHT 800

struct _FlApplication
{
  AdwApplication  parent_instance;

  /* owned */
  FlContext      *context;
  FlWindow       *window;     /* weak */
  char           *initial_region;
  char           *initial_link;
  char           *screenshot_path;
  gint64          start_us;
  guint           timeout_id;
  gulong          evaluated_id;
  gint64          evaluated_frame;   /* frame counter when the colours arrived */
  guint           resize_attempts;
  gboolean        timing_done;
  int             exit_status;
};

G_DEFINE_FINAL_TYPE (FlApplication, fl_application, ADW_TYPE_APPLICATION)

/* helpers */

static void
_fail (FlApplication *self,
       const char    *message)
{
  g_printerr ("fieldlight: %s\n", message);
  self->exit_status = 1;
  g_application_quit (G_APPLICATION (self));
}

static void
_sync_palette_action (FlApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "colorblind-palette");
  gboolean colorblind = fl_context_get_palette (self->context) == FL_PALETTE_COLORBLIND;

  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (colorblind));
}

/* callbacks */

static gboolean
on_screenshot_timeout_cb (gpointer user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);
  g_autofree char *message = NULL;

  self->timeout_id = 0;
  message = g_strdup_printf (_("no complete frame after %d seconds; screenshot “%s” not written"),
                             SCREENSHOT_TIMEOUT_SECONDS, self->screenshot_path);
  _fail (self, message);
  return G_SOURCE_REMOVE;
}

/* Without a compositor, the window keeps a padding as resize handles around its
 * content (libadwaita's .solid-csd); the picture is of the window alone. */
static void
_remove_resize_borders (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_data (provider,
                                   "window.solid-csd { padding: 0; margin: 0; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}

/* The default size counts the invisible resize borders of client-side
 * decorations; the picture is of the window itself, so grow it by their width. */
static gboolean
_fix_screenshot_size (FlApplication *self,
                      FlWindow      *window)
{
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));
  int default_width, default_height;

  if ((width == SCREENSHOT_WIDTH && height == SCREENSHOT_HEIGHT) || self->resize_attempts >= 5)
    return FALSE;

  self->resize_attempts++;
  gtk_window_get_default_size (GTK_WINDOW (window), &default_width, &default_height);
  gtk_window_set_default_size (GTK_WINDOW (window),
                               default_width + SCREENSHOT_WIDTH - width,
                               default_height + SCREENSHOT_HEIGHT - height);
  fl_window_rearm_first_frame (window);
  return TRUE;
}

static gint64
_frame_counter (FlWindow *window)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  return frame_clock != NULL ? gdk_frame_clock_get_frame_counter (frame_clock) : -1;
}

/* The evaluation runs in a worker (see fl-cli.c) and may arrive after the
 * map was first drawn: the complete frame is then a frame painted after it. */
/* --open: needs the evaluation (alerts, regions). */
static void
_open_initial_link (FlApplication *self)
{
  g_autofree char *link = g_steal_pointer (&self->initial_link);

  if (link != NULL && self->window != NULL && !fl_window_open_link (self->window, link))
    g_printerr (_("--open: nothing to open for “%s”\n"), link);
}

static void
on_evaluated_cb (FlApplication *self,
                 FlContext     *context)
{
  g_clear_signal_handler (&self->evaluated_id, context);
  _open_initial_link (self);
  self->evaluated_frame = self->window != NULL ? _frame_counter (self->window) : -1;
  if (self->window != NULL)
    fl_window_rearm_first_frame (self->window);
}

static void
on_first_frame_cb (FlApplication *self,
                   FlWindow      *window)
{
  if (fl_context_get_evaluation (self->context) == NULL)
    return;   /* on_evaluated_cb() rearms */
  if (self->evaluated_frame >= 0 && _frame_counter (window) <= self->evaluated_frame)
    {
      /* That frame was painted before the colours arrived. */
      fl_window_rearm_first_frame (window);
      return;
    }

  if (g_strcmp0 (g_getenv ("FIELDLIGHT_TIMING"), "1") == 0 && self->start_us > 0
      && !self->timing_done)
    g_printerr ("first-frame-ms: %" G_GINT64_FORMAT "\n",
                (g_get_monotonic_time () - self->start_us) / 1000);
  self->timing_done = TRUE;

  if (self->screenshot_path != NULL)
    {
      if (_fix_screenshot_size (self, window))
        return;

      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      g_clear_handle_id (&self->timeout_id, g_source_remove);
      texture = fl_window_render_texture (window, &error);
      if (texture == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("screenshot failed: %s"), error->message);
          _fail (self, message);
          return;
        }
      if (!gdk_texture_save_to_png (texture, self->screenshot_path))
        {
          g_autofree char *message =
            g_strdup_printf (_("could not write the screenshot “%s”"), self->screenshot_path);
          _fail (self, message);
          return;
        }
      g_application_quit (G_APPLICATION (self));
    }
}

static void
on_palette_changed_cb (FlApplication *self,
                       GParamSpec    *pspec,
                       FlContext     *context)
{
  _sync_palette_action (self);
}

static void
change_palette_state (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);

  fl_context_set_palette (self->context, g_variant_get_boolean (state)
                                           ? FL_PALETTE_COLORBLIND : FL_PALETTE_GNOME);
  g_simple_action_set_state (action, state);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* Closing (rather than quitting) lets the window save its size. */
  if (window != NULL)
    gtk_window_close (window);
  else
    g_application_quit (G_APPLICATION (self));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { _("The Fieldlight authors"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Fieldlight"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("A war map of the province for regional sales managers: "
                                      "which cities need attention today, and what to do."),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        "website", "https://github.com/fieldlight/fieldlight",
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);

  if (self->window != NULL)
    fl_window_show_preferences (self->window);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
  { "preferences", preferences_activated, NULL, NULL, NULL },
  { "colorblind-palette", NULL, NULL, "false", change_palette_state },
};

/* overrides */

static void
fl_application_startup (GApplication *application)
{
  FlApplication *self = FL_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *close_accels[] = { "<Control>w", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (fl_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  g_signal_connect_object (self->context, "notify::palette",
                           G_CALLBACK (on_palette_changed_cb), self, G_CONNECT_SWAPPED);
  _sync_palette_action (self);
}

static void
fl_application_activate (GApplication *application)
{
  FlApplication *self = FL_APPLICATION (application);
  FlWindow *window;

  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }

  window = fl_window_new (GTK_APPLICATION (self), self->context);
  g_set_weak_pointer (&self->window, window);
  self->evaluated_frame = -1;
  if (fl_context_get_evaluation (self->context) == NULL)
    self->evaluated_id = g_signal_connect_object (self->context, "changed",
                                                  G_CALLBACK (on_evaluated_cb), self,
                                                  G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "first-frame", G_CALLBACK (on_first_frame_cb), self,
                           G_CONNECT_SWAPPED);

  if (self->screenshot_path != NULL)
    {
      /* A deterministic picture: the reference size, no transitions. */
      gtk_window_unmaximize (GTK_WINDOW (window));
      gtk_window_set_default_size (GTK_WINDOW (window), SCREENSHOT_WIDTH, SCREENSHOT_HEIGHT);
      _remove_resize_borders ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      self->timeout_id = g_timeout_add_seconds (SCREENSHOT_TIMEOUT_SECONDS,
                                                on_screenshot_timeout_cb, self);
    }
  if (self->initial_region != NULL)
    fl_window_show_region (window, self->initial_region);
  if (fl_context_get_evaluation (self->context) != NULL)
    _open_initial_link (self);
  /* A screenshot is of the data as it is: no network. */
  if (self->screenshot_path == NULL)
    fl_context_set_sync_enabled (self->context, TRUE);

  gtk_window_present (GTK_WINDOW (window));
}

static void
fl_application_dispose (GObject *object)
{
  FlApplication *self = FL_APPLICATION (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->context != NULL)
    g_clear_signal_handler (&self->evaluated_id, self->context);
  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (fl_application_parent_class)->dispose (object);
}

static void
fl_application_finalize (GObject *object)
{
  FlApplication *self = FL_APPLICATION (object);

  g_free (self->initial_region);
  g_free (self->initial_link);
  g_free (self->screenshot_path);

  G_OBJECT_CLASS (fl_application_parent_class)->finalize (object);
}

static void
fl_application_class_init (FlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = fl_application_dispose;
  object_class->finalize = fl_application_finalize;
  app_class->startup = fl_application_startup;
  app_class->activate = fl_application_activate;
}

static void
fl_application_init (FlApplication *self)
{
}

/* public API */

FlApplication *
fl_application_new (FlContext         *context,
                    GApplicationFlags  flags)
{
  FlApplication *self;

  g_return_val_if_fail (FL_IS_CONTEXT (context), NULL);

  self = g_object_new (FL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", "/io/github/fieldlight/Fieldlight",
                       NULL);
  self->context = g_object_ref (context);
  return self;
}

FlContext *
fl_application_get_context (FlApplication *self)
{
  g_return_val_if_fail (FL_IS_APPLICATION (self), NULL);
  return self->context;
}

void
fl_application_set_initial_region (FlApplication *self,
                                   const char    *code)
{
  g_return_if_fail (FL_IS_APPLICATION (self));
  g_free (self->initial_region);
  self->initial_region = g_strdup (code);
}

void
fl_application_set_initial_link (FlApplication *self,
                                 const char    *link)
{
  g_return_if_fail (FL_IS_APPLICATION (self));
  g_free (self->initial_link);
  self->initial_link = g_strdup (link);
}

void
fl_application_set_screenshot (FlApplication *self,
                               const char    *path)
{
  g_return_if_fail (FL_IS_APPLICATION (self));
  g_free (self->screenshot_path);
  self->screenshot_path = g_strdup (path);
}

void
fl_application_set_start_time (FlApplication *self,
                               gint64         start_us)
{
  g_return_if_fail (FL_IS_APPLICATION (self));
  self->start_us = start_us;
}

int
fl_application_get_exit_status (FlApplication *self)
{
  g_return_val_if_fail (FL_IS_APPLICATION (self), 1);
  return self->exit_status;
}
