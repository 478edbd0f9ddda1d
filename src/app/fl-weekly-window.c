/* fl-weekly-window.c — this week's key-action list in a window: print, export as PDF and CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fl-format.h"
#include "fl-weekly-print.h"
#include "fl-weekly-window.h"
#include "fl-window.h"

struct _FlWeeklyWindow
{
  AdwWindow        parent_instance;

  /* template widgets */
  GtkWidget       *export_button;
  GtkWidget       *print_button;
  GtkWidget       *sections_box;
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;

  /* owned */
  FlContext       *context;
  FlWeeklyList    *list;
  FlWeeklyPrint   *print;       /* of the print operation running, else NULL */
  GtkListBox      *sections[FL_N_WEEKLY_SECTIONS];   /* unowned, NULL when empty */
};

G_DEFINE_FINAL_TYPE (FlWeeklyWindow, fl_weekly_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* helpers */

/* GSettings weekly-*-count, else 3/2/1. */
static void
_weekly_counts (GSettings        *settings,
                FlWeeklySettings *counts)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  const struct { const char *key; guint *value; } keys[] = {
    { "weekly-call-count", &counts->call_today },
    { "weekly-tech-count", &counts->tech_support },
    { "weekly-review-count", &counts->friday_review },
  };

  fl_weekly_settings_init_default (counts);
  if (settings == NULL)
    return;
  g_object_get (settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (schema != NULL && g_settings_schema_has_key (schema, keys[i].key))
      *keys[i].value = (guint) MAX (0, g_settings_get_int (settings, keys[i].key));
}

static void
_toast (FlWeeklyWindow *self,
        const char     *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* "Mon 2026-11-23 18:00" in the data's zone. */
static char *
_format_due (gint64     time,
             GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;

  if (local == NULL)
    return g_strdup ("");
  /* Translators: a due time in the weekly list (g_date_time_format), e.g. "Mon 2026-11-23 18:00" */
  return g_date_time_format (local, _("%a %Y-%m-%d %H:%M"));
}

static GtkWidget *
_make_row (FlWeeklyWindow     *self,
           const FlWeeklyItem *item)
{
  FlStore *store = fl_context_get_store (self->context);
  FlRep *rep = fl_store_get_rep (store, item->owner, NULL);
  g_autofree char *due = _format_due (item->due, fl_context_get_time_zone (self->context));
  g_autofree char *subtitle = NULL;
  g_autofree char *rank_text = g_strdup_printf ("%u", item->rank);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *rank = gtk_label_new (rank_text);
  GtkWidget *chevron = gtk_image_new_from_icon_name ("go-next-symbolic");

  /* Translators: under an item of the weekly list: owner and due time,
   * e.g. "王强 · due Mon 2026-11-23 18:00" */
  subtitle = g_strdup_printf (_("%s · due %s"), rep != NULL ? rep->name : item->owner, due);
  g_clear_pointer (&rep, fl_rep_free);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);

  gtk_widget_add_css_class (rank, "title-3");
  gtk_widget_add_css_class (rank, "numeric");
  gtk_widget_set_size_request (rank, 28, -1);
  gtk_widget_set_valign (rank, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), rank);

  /* The line opens its customer, opportunity or pilot in the main window. */
  gtk_widget_add_css_class (chevron, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), chevron);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Show on the Map"));
  g_object_set_data_full (G_OBJECT (row), "link", g_strdup (item->link), g_free);
  return row;
}

/* The main window: the one this list belongs to, else the application's. */
static FlWindow *
_main_window (FlWeeklyWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (FL_IS_WINDOW (parent))
    return FL_WINDOW (parent);
  for (GList *l = application != NULL ? gtk_application_get_windows (application) : NULL;
       l != NULL; l = l->next)
    if (FL_IS_WINDOW (l->data))
      return FL_WINDOW (l->data);
  return NULL;
}

static void
on_row_activated_cb (FlWeeklyWindow *self,
                     GtkListBoxRow  *row,
                     GtkListBox     *list_box)
{
  const char *link = g_object_get_data (G_OBJECT (row), "link");
  FlWindow *window = _main_window (self);

  if (link == NULL || window == NULL)
    return;
  if (!fl_window_open_link (window, link))
    {
      _toast (self, _("This line’s customer, opportunity or pilot is no longer in the data."));
      return;
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
_show_error (FlWeeklyWindow *self,
             const char     *message)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("This week’s list could not be made"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), message);
  gtk_box_append (GTK_BOX (self->sections_box), page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "weekly.print", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "weekly.export-pdf", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "weekly.export-csv", FALSE);
  gtk_widget_set_sensitive (self->export_button, FALSE);
}

static void
_populate (FlWeeklyWindow *self)
{
  FlStore *store = fl_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *monday = NULL;
  g_autofree char *subtitle = NULL;
  FlWeeklySettings counts;

  _weekly_counts (fl_context_get_settings (self->context), &counts);
  self->list = fl_weekly_load_or_generate (store, fl_context_get_now (self->context), &counts,
                                           &error);
  if (self->list == NULL)
    {
      _show_error (self, error->message);
      return;
    }

  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (self->list->monday);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, fl_store_get_time_zone (store));

    /* Translators: when the weekly list was generated (g_date_time_format),
     * e.g. "Monday 2026-11-23 08:00" */
    monday = g_date_time_format (local, _("%A %Y-%m-%d %H:%M"));
  }
  /* Translators: the weekly window's subtitle: ISO week and when the list was
   * generated, e.g. "2026-W48 · generated Monday 2026-11-23 08:00" */
  subtitle = g_strdup_printf (_("%s · generated %s"), self->list->week, monday);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  for (guint s = 0; s < FL_N_WEEKLY_SECTIONS; s++)
    {
      GtkWidget *heading = gtk_label_new (fl_weekly_section_get_label (s));
      GtkWidget *list_box = NULL;

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_widget_set_margin_top (heading, s == 0 ? 0 : 18);
      gtk_widget_set_margin_bottom (heading, 6);
      gtk_box_append (GTK_BOX (self->sections_box), heading);

      for (guint i = 0; i < self->list->items->len; i++)
        {
          const FlWeeklyItem *item = g_ptr_array_index (self->list->items, i);

          if (item->section != s)
            continue;
          if (list_box == NULL)
            {
              list_box = gtk_list_box_new ();
              gtk_list_box_set_selection_mode (GTK_LIST_BOX (list_box), GTK_SELECTION_NONE);
              gtk_widget_add_css_class (list_box, "boxed-list");
              g_signal_connect_object (list_box, "row-activated",
                                       G_CALLBACK (on_row_activated_cb), self,
                                       G_CONNECT_SWAPPED);
              gtk_box_append (GTK_BOX (self->sections_box), list_box);
            }
          gtk_list_box_append (GTK_LIST_BOX (list_box), _make_row (self, item));
        }
      if (list_box == NULL)
        {
          GtkWidget *empty = gtk_label_new (_("Nothing this week."));

          gtk_label_set_xalign (GTK_LABEL (empty), 0);
          gtk_widget_add_css_class (empty, "dim-label");
          gtk_box_append (GTK_BOX (self->sections_box), empty);
        }
      self->sections[s] = GTK_LIST_BOX (list_box);
    }
}

/* printing */

static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   gpointer           user_data)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (user_data);
  guint n_pages;

  n_pages = fl_weekly_print_paginate (self->print, gtk_print_context_get_cairo_context (context),
                                      gtk_print_context_get_width (context),
                                      gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation, (int) n_pages);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_nr,
                 gpointer           user_data)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (user_data);

  fl_weekly_print_draw_page (self->print, gtk_print_context_get_cairo_context (context),
                             (guint) page_nr);
}

static void
on_print_done_cb (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  gpointer                 user_data)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (user_data);

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      /* Translators: %s is the reason */
      text = g_strdup_printf (_("Could not print the list: %s"),
                              error != NULL ? error->message : _("unknown error"));
      _toast (self, text);
    }
  g_clear_pointer (&self->print, fl_weekly_print_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "weekly.print", TRUE);
  g_object_unref (operation);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (widget);
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr(GError) error = NULL;
  GtkPrintOperation *operation;
  GtkPrintOperationResult result;

  if (self->list == NULL || self->print != NULL)
    return;
  self->print = fl_weekly_print_new (self->list, fl_context_get_store (self->context));
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_job_name (operation, fl_weekly_print_get_title (self->print));
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), self);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), self);
  g_signal_connect (operation, "done", G_CALLBACK (on_print_done_cb), self);
  gtk_widget_action_set_enabled (widget, "weekly.print", FALSE);

  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_WINDOW (self), &error);
  /* Synchronous backends do not emit "done". */
  if (result != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    {
      if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
        {
          g_autofree char *text = g_strdup_printf (_("Could not print the list: %s"),
                                                   error->message);

          _toast (self, text);
        }
      g_signal_handlers_disconnect_by_data (operation, self);
      g_clear_pointer (&self->print, fl_weekly_print_free);
      gtk_widget_action_set_enabled (widget, "weekly.print", TRUE);
      g_object_unref (operation);
    }
}

/* export */

typedef gboolean (*ExportFunc) (FlWeeklyWindow *self, const char *path, GError **error);

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       gpointer         user_data)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (user_data);
  ExportFunc export = g_object_get_data (G_OBJECT (dialog), "fl-export");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    {
      path = g_file_get_path (file);
      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("“%s” is not a file on this computer"), uri);
        }
      else if (export (self, path, &error))
        {
          g_autofree char *name = g_file_get_basename (file);
          /* Translators: %s is a file name */
          g_autofree char *text = g_strdup_printf (_("Saved “%s”"), name);

          _toast (self, text);
        }
      if (error != NULL)
        {
          /* Translators: %s is the reason */
          g_autofree char *text = g_strdup_printf (_("Could not export the list: %s"),
                                                   error->message);

          _toast (self, text);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
_choose_and_export (FlWeeklyWindow *self,
                    const char     *title,
                    const char     *extension,
                    const char     *filter_name,
                    const char     *mime_type,
                    ExportFunc      export)
{
  g_autofree char *name = fl_weekly_window_suggest_name (self, extension);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  if (self->list == NULL)
    return;
  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "fl-export", export);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _choose_and_export (FL_WEEKLY_WINDOW (widget), _("Export as PDF"), "pdf", _("PDF documents"),
                      "application/pdf", fl_weekly_window_export_pdf);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _choose_and_export (FL_WEEKLY_WINDOW (widget), _("Export as CSV"), "csv",
                      _("CSV spreadsheets"), "text/csv", fl_weekly_window_export_csv);
}

/* GObject */

static void
fl_weekly_window_constructed (GObject *object)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (object);

  G_OBJECT_CLASS (fl_weekly_window_parent_class)->constructed (object);
  g_return_if_fail (self->context != NULL);
  _populate (self);
}

static void
fl_weekly_window_dispose (GObject *object)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_WEEKLY_WINDOW);
  g_clear_object (&self->context);
  g_clear_pointer (&self->list, fl_weekly_list_free);
  g_clear_pointer (&self->print, fl_weekly_print_free);
  G_OBJECT_CLASS (fl_weekly_window_parent_class)->dispose (object);
}

static void
fl_weekly_window_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (object);

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
fl_weekly_window_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FlWeeklyWindow *self = FL_WEEKLY_WINDOW (object);

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
fl_weekly_window_class_init (FlWeeklyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fl_weekly_window_constructed;
  object_class->dispose = fl_weekly_window_dispose;
  object_class->get_property = fl_weekly_window_get_property;
  object_class->set_property = fl_weekly_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fieldlight/Fieldlight/fl-weekly-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlWeeklyWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, FlWeeklyWindow, print_button);
  gtk_widget_class_bind_template_child (widget_class, FlWeeklyWindow, sections_box);
  gtk_widget_class_bind_template_child (widget_class, FlWeeklyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FlWeeklyWindow, window_title);

  gtk_widget_class_install_action (widget_class, "weekly.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "weekly.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "weekly.export-csv", NULL, export_csv_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "weekly.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fl_weekly_window_init (FlWeeklyWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* public API */

FlWeeklyWindow *
fl_weekly_window_new (GtkWindow *parent,
                      FlContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (FL_IS_CONTEXT (context), NULL);

  return g_object_new (FL_TYPE_WEEKLY_WINDOW,
                       "context", context,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent)
                                                      : NULL,
                       NULL);
}

const FlWeeklyList *
fl_weekly_window_get_list (FlWeeklyWindow *self)
{
  g_return_val_if_fail (FL_IS_WEEKLY_WINDOW (self), NULL);
  return self->list;
}

GtkListBox *
fl_weekly_window_get_section (FlWeeklyWindow  *self,
                              FlWeeklySection  section)
{
  g_return_val_if_fail (FL_IS_WEEKLY_WINDOW (self), NULL);
  g_return_val_if_fail (section < FL_N_WEEKLY_SECTIONS, NULL);
  return self->sections[section];
}

char *
fl_weekly_window_suggest_name (FlWeeklyWindow *self,
                               const char     *extension)
{
  g_return_val_if_fail (FL_IS_WEEKLY_WINDOW (self), NULL);
  return g_strdup_printf ("fieldlight-%s.%s", self->list != NULL ? self->list->week : "weekly",
                          extension);
}

gboolean
fl_weekly_window_export_pdf (FlWeeklyWindow  *self,
                             const char      *path,
                             GError         **error)
{
  g_return_val_if_fail (FL_IS_WEEKLY_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (self->list != NULL, FALSE);

  return fl_weekly_print_to_pdf (self->list, fl_context_get_store (self->context), path, error);
}

gboolean
fl_weekly_window_export_csv (FlWeeklyWindow  *self,
                             const char      *path,
                             GError         **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (FL_IS_WEEKLY_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (self->list != NULL, FALSE);

  csv = fl_weekly_to_csv (self->list, fl_context_get_time_zone (self->context));
  return g_file_set_contents_full (path, csv, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}
