/* test-weekly-ui.c — the weekly key-action window: opened from the main window,
 * its rows are the list of FORMATS.md §5, its PDF export is one A4 page
 *
 * Needs a display (run under `xvfb-run -a`); skips without one.
 * FIELDLIGHT_TEST_SCREENSHOTS=DIR saves the weekly window as weekly-window.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-context.h"
#include "fl-weekly-window.h"
#include "fl-window.h"
#include "fl-ui-test.h"

static gboolean have_display;

static FlWeeklyWindow *
_find_weekly_window (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (FL_IS_WEEKLY_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
_weekly_gone (gpointer data)
{
  return _find_weekly_window () == NULL;
}

static void
_maybe_save (GtkWidget  *widget,
             const char *name)
{
  const char *dir = g_getenv ("FIELDLIGHT_TEST_SCREENSHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;
  fl_ui_test_wait_for_frame (widget);
  texture = fl_ui_test_render_widget (widget);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* The titles of the rows shown for @section. */
static GPtrArray *
_shown_titles (FlWeeklyWindow  *window,
               FlWeeklySection  section)
{
  GtkListBox *list_box = fl_weekly_window_get_section (window, section);
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  if (list_box == NULL)
    return titles;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list_box)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_assert_true (ADW_IS_ACTION_ROW (row));
      g_ptr_array_add (titles,
                       g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))));
    }
  return titles;
}

static char *
_pdfinfo (const char *pdf)
{
  g_autofree char *program = g_find_program_in_path ("pdfinfo");
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;
  const char *argv[] = { program, pdf, NULL };

  if (program == NULL)
    return NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  return out;
}

static void
test_weekly_window (void)
{
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlWeeklyList) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *info = NULL;
  g_autofree char *name = NULL;
  const guint counts[] = { 3, 2, 1 };
  FlWeeklyWindow *weekly;
  FlWindow *window;
  gint64 now;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  now = fl_ui_test_now ();
  context = fl_ui_test_make_context (NULL);
  expected = fl_weekly_compute (fl_context_get_store (context), now, NULL, &error);
  g_assert_no_error (error);

  window = fl_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  fl_ui_test_spin_until (fl_ui_test_first_frame_done, window, "the first complete frame");

  g_assert_null (_find_weekly_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.weekly-list", NULL));
  weekly = _find_weekly_window ();
  g_assert_nonnull (weekly);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (weekly)) == GTK_WINDOW (window));
  g_assert_false (gtk_window_get_modal (GTK_WINDOW (weekly)));
  fl_ui_test_wait_for_frame (GTK_WIDGET (weekly));

  /* Activating again raises the same window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.weekly-list", NULL));
  g_assert_true (_find_weekly_window () == weekly);

  g_assert_nonnull (fl_weekly_window_get_list (weekly));
  g_assert_cmpstr (fl_weekly_window_get_list (weekly)->week, ==, "2026-W48");
  g_assert_cmpstr (expected->week, ==, "2026-W48");
  for (FlWeeklySection s = 0; s < FL_N_WEEKLY_SECTIONS; s++)
    {
      g_autoptr(GPtrArray) shown = _shown_titles (weekly, s);
      guint n = 0;

      for (guint i = 0; i < expected->items->len; i++)
        {
          const FlWeeklyItem *item = g_ptr_array_index (expected->items, i);

          if (item->section != s)
            continue;
          g_assert_cmpuint (n, <, shown->len);
          g_assert_cmpstr (g_ptr_array_index (shown, n), ==, item->title);
          n++;
        }
      g_test_message ("%s: %u rows", fl_weekly_section_to_string (s), shown->len);
      g_assert_cmpuint (shown->len, ==, n);
      if (s == FL_WEEKLY_FRIDAY_REVIEW)
        g_assert_cmpuint (shown->len, <=, counts[s]);
      else
        g_assert_cmpuint (shown->len, ==, counts[s]);
    }

  _maybe_save (GTK_WIDGET (weekly), "weekly-window");

  /* What the export menu writes, without its file chooser. */
  name = fl_weekly_window_suggest_name (weekly, "pdf");
  g_assert_cmpstr (name, ==, "fieldlight-2026-W48.pdf");
  dir = g_dir_make_tmp ("fieldlight-test-weekly-XXXXXX", &error);
  g_assert_no_error (error);
  pdf = g_build_filename (dir, name, NULL);
  g_assert_true (fl_weekly_window_export_pdf (weekly, pdf, &error));
  g_assert_no_error (error);
  csv_path = g_build_filename (dir, "fieldlight-2026-W48.csv", NULL);
  g_assert_true (fl_weekly_window_export_csv (weekly, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "section,rank,title,owner,due,link\n"));

  info = _pdfinfo (pdf);
  if (info != NULL)
    {
      const char *pages = strstr (info, "Pages:");

      g_assert_nonnull (pages);
      g_assert_cmpint (g_ascii_strtoll (pages + strlen ("Pages:"), NULL, 10), ==, 1);
      g_assert_nonnull (strstr (info, "A4"));
    }
  else
    {
      g_autofree char *data = NULL;

      g_assert_true (g_file_get_contents (pdf, &data, NULL, &error));
      g_assert_true (g_str_has_prefix (data, "%PDF-"));
      g_test_message ("pdfinfo not installed: page count not checked");
    }

  /* A failing export says where. */
  {
    g_autofree char *bad = g_build_filename (dir, "missing", "out.pdf", NULL);

    g_assert_false (fl_weekly_window_export_pdf (weekly, bad, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  g_unlink (pdf);
  g_unlink (csv_path);
  g_rmdir (dir);

  /* Closing (Escape is bound to window.close). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (weekly), "window.close", NULL));
  fl_ui_test_spin_until (_weekly_gone, NULL, "the weekly window to close");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  have_display = fl_ui_test_init_display ();

  g_test_add_func ("/weekly-ui/window", test_weekly_window);
  return g_test_run ();
}
