/* test-reject-ui.c — two desktops handle the same alert; the backend refuses the second
 *
 * The real fieldlight-server (FIELDLIGHT_SERVER_BIN) on loopback, seeded with
 * the demo and two managers. Desktop A is the command line (FIELDLIGHT_BIN,
 * its own cache, user "li"); desktop B is the real window in this process
 * (user "zhang"). B executes an alert in the pane; its sync pulls, and right
 * then (the client's "data-changed", before the push) A executes the same
 * alert and sends it. B's push gets 409 already_actioned: the alert is pending
 * again on B's map and pane, and a toast says who handled it, in words.
 * B's next sync brings A's action: the alert is actioned (by li) everywhere.
 *
 * Needs a display (run under `xvfb-run -a`); skips without one or without the
 * two programs. No sleeps: every wait is for a process, a signal or a frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "fl-context.h"
#include "fl-region-layer.h"
#include "fl-window.h"
#include "fl-ui-test.h"

#define FAILSAFE_SECONDS 60

static gboolean have_display;
static char *tmp_dir;

/* ---- waiting ------------------------------------------------------------------------------ */

/* ---- processes ---------------------------------------------------------------------------- */

/* Left over, a server would hold the test runner's pipes. */
static void
_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Runs @argv to its end (env: name/value pairs); asserts success; returns stdout. */
static char *
_run (const char * const *env,
      const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* No keyring: tokens live in memory only. */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/fieldlight-test-bus", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "FIELDLIGHT_PASSWORD");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_test_message ("%s failed: %s", argv[0], err);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

/* Creates a manager of every region; returns the one-time password (the last word). */
static char *
_add_user (const char *db,
           const char *name)
{
  const char *argv[] = { g_getenv ("FIELDLIGHT_SERVER_BIN"), "--db", db, "--now", FL_UI_TEST_NOW,
                         "--add-user", name, "--regions", "all", NULL };
  g_autofree char *out = _run (NULL, argv);
  g_auto(GStrv) words = g_strsplit_set (g_strstrip (out), " \t\n", -1);
  guint n = g_strv_length (words);

  g_assert_cmpuint (n, >, 0);
  return g_strdup (words[n - 1]);
}

typedef struct
{
  GSubprocess *process;
  char        *url;
  char        *password_zhang;
  char        *password_li;
} Server;

static void
_server_start (Server *server)
{
  g_autofree char *db = g_build_filename (tmp_dir, "server.sqlite", NULL);
  const char *seed[] = { g_getenv ("FIELDLIGHT_SERVER_BIN"), "--db", db, "--now", FL_UI_TEST_NOW,
                         "--demo", NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_free (_run (NULL, seed));
  server->password_zhang = _add_user (db, "zhang");
  server->password_li = _add_user (db, "li");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, _die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawn (launcher, &error,
                                                 g_getenv ("FIELDLIGHT_SERVER_BIN"), "--db", db,
                                                 "--listen", "127.0.0.1:0",
                                                 "--now", FL_UI_TEST_NOW, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  server->url = g_strdup (g_strstrip (line));
}

static void
_server_stop (Server *server)
{
  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->password_zhang, g_free);
  g_clear_pointer (&server->password_li, g_free);
}

/* Desktop A: `fieldlight --cache DIR …` as li. */
typedef struct
{
  Server     *server;
  char       *cache_dir;
  char       *alert_id;     /* set: execute it at B's next pull */
  gboolean    done;
} DesktopA;

static void
_desktop_a_sync (DesktopA *a)
{
  const char *env[] = { "FIELDLIGHT_PASSWORD", a->server->password_li, NULL };
  const char *argv[] = { g_getenv ("FIELDLIGHT_BIN"), "--cache", a->cache_dir,
                         "--now", FL_UI_TEST_NOW, "--server", a->server->url, "--user", "li",
                         "--sync", NULL };

  g_free (_run (env, argv));
}

static void
_desktop_a_execute (DesktopA *a)
{
  const char *argv[] = { g_getenv ("FIELDLIGHT_BIN"), "--cache", a->cache_dir,
                         "--now", FL_UI_TEST_NOW, "--user", "li", "--execute", a->alert_id, NULL };

  g_free (_run (NULL, argv));
}

/* B pulled and is about to push: A handles the same alert first. */
static void
on_b_data_changed_cb (FlSyncClient *client,
                      gpointer      user_data)
{
  DesktopA *a = user_data;

  if (a->alert_id == NULL || a->done)
    return;
  a->done = TRUE;
  _desktop_a_execute (a);
  _desktop_a_sync (a);
}

/* ---- the window's state ------------------------------------------------------------------- */

/* A click on the main part of the first "Execute" split button of @alert_id in the pane. */
static void
_click_execute (FlRegionPane *pane,
                const char   *alert_id)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GtkWidget *button = NULL;

  fl_ui_test_collect (GTK_WIDGET (pane), ADW_TYPE_SPLIT_BUTTON, all);
  for (guint i = 0; i < all->len && button == NULL; i++)
    {
      GVariant *target = gtk_actionable_get_action_target_value (g_ptr_array_index (all, i));

      if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), alert_id) == 0)
        for (GtkWidget *child = gtk_widget_get_first_child (g_ptr_array_index (all, i));
             child != NULL && button == NULL; child = gtk_widget_get_next_sibling (child))
          if (GTK_IS_BUTTON (child))
            button = child;
    }
  g_assert_nonnull (button);
  g_object_ref (button);
  g_signal_emit_by_name (button, "clicked");
  g_object_unref (button);
}

typedef struct
{
  FlContext  *context;
  FlWindow   *window;
  const char *alert_id;
  gboolean    actioned;
} AlertWait;

static gboolean
_alert_state_is (gpointer data)
{
  AlertWait *wait = data;
  FlEvaluation *evaluation = fl_context_get_evaluation (wait->context);
  FlAlert *alert = evaluation != NULL ? fl_evaluation_find_alert (evaluation, wait->alert_id)
                                      : NULL;

  return alert != NULL && alert->actioned == wait->actioned;
}

static gboolean
_rejected (gpointer data)
{
  AlertWait *wait = data;

  return fl_window_get_rejection_toast (wait->window) != NULL
         && fl_ui_test_synced (fl_context_get_sync_client (wait->context))
         && _alert_state_is (wait);
}

static gboolean
_regions_evaluated (gpointer data)
{
  FlEvaluation *evaluation = fl_context_get_evaluation (FL_CONTEXT (data));

  return evaluation != NULL && evaluation->regions->len == 11;
}

static void
on_login_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_sync_client_login_finish (FL_SYNC_CLIENT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static guint
_n_outbox (FlStore       *store,
           FlOutboxState  state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = fl_store_list_outbox (store, 1u << state, &error);

  g_assert_no_error (error);
  return entries->len;
}

/* A session of desktop B on the cache @path: signed in as zhang, synced. */
static FlContext *
_open_desktop_b (const char *path,
                 GSettings  *settings,
                 const char *password,
                 gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (path, &error);
  FlContext *context;
  FlSyncClient *client;
  gboolean logged_in = FALSE;

  g_assert_no_error (error);
  context = fl_context_new (store, settings);
  fl_context_set_fixed_now (context, now);
  g_assert_true (fl_context_reevaluate (context, &error));
  g_assert_no_error (error);
  fl_context_set_sync_enabled (context, TRUE);
  client = fl_context_get_sync_client (context);
  g_assert_nonnull (client);
  fl_sync_client_login_async (client, "zhang", password, NULL, on_login_done_cb, &logged_in);
  fl_ui_test_spin_until (fl_ui_test_flag_set, &logged_in, "zhang to sign in");
  fl_ui_test_spin_until (fl_ui_test_synced, client, "B's sync");
  fl_ui_test_spin_until (_regions_evaluated, context, "the evaluation of the synced data");
  return context;
}

/* ---- the test ----------------------------------------------------------------------------- */

static void
test_rejected_by_server (void)
{
  Server server = { 0 };
  DesktopA a = { 0 };
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *b_dir = NULL;
  g_autofree char *b_path = NULL;
  g_autofree char *alert_id = NULL;
  g_autofree char *region = NULL;
  g_autofree char *title = NULL;
  FlRegionStatus before, after;
  FlEvaluation *evaluation;
  const FlAlert *picked;
  FlSyncClient *client;
  FlRegionPane *pane;
  FlWindow *window;
  AdwToast *toast;
  AlertWait wait;
  const char *toast_title;
  guint n_pending, n_actioned;
  gint64 now;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  if (g_getenv ("FIELDLIGHT_BIN") == NULL || g_getenv ("FIELDLIGHT_SERVER_BIN") == NULL
      || !g_file_test (g_getenv ("FIELDLIGHT_SERVER_BIN"), G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("FIELDLIGHT_BIN or FIELDLIGHT_SERVER_BIN is not set or not built");
      return;
    }
  g_assert_true (fl_time_parse_rfc3339 (FL_UI_TEST_NOW, &now));

  _server_start (&server);

  /* Desktop A has the data too. */
  a.server = &server;
  a.cache_dir = g_build_filename (tmp_dir, "desktop-a", NULL);
  _desktop_a_sync (&a);

  /* Desktop B: this window, on its own cache file, signed in as zhang. The
   * cache was synced before (an earlier session): the window starts on its data. */
  settings = fl_context_lookup_settings ();
  g_assert_nonnull (settings);
  g_settings_set_string (settings, "server-url", server.url);
  b_dir = g_build_filename (tmp_dir, "desktop-b", NULL);
  g_assert_cmpint (g_mkdir_with_parents (b_dir, 0700), ==, 0);
  b_path = g_build_filename (b_dir, "cache.sqlite", NULL);
  g_object_unref (_open_desktop_b (b_path, settings, server.password_zhang, now));
  context = _open_desktop_b (b_path, settings, server.password_zhang, now);
  client = fl_context_get_sync_client (context);
  g_assert_cmpstr (fl_store_get_province_name (fl_context_get_store (context)), ==, "浙江省");

  evaluation = fl_context_get_evaluation (context);
  picked = fl_ui_test_pick_alert (evaluation, &before, &after);
  if (picked == NULL)
    g_error ("no alert whose execution changes its region's colour");
  alert_id = g_strdup (picked->id);
  region = g_strdup (picked->region);
  title = fl_alert_dup_title (fl_context_get_store (context), picked);
  g_test_message ("both desktops act on %s in %s (%s → %s)", alert_id, region,
                  fl_region_status_to_string (before), fl_region_status_to_string (after));

  window = fl_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  fl_ui_test_spin_until (fl_ui_test_first_frame_done, window, "the first complete frame");
  fl_window_show_region (window, region);
  pane = fl_window_get_region_pane (window);
  g_assert_cmpint (fl_ui_test_status_in_pixels (window, region), ==, before);
  n_pending = fl_region_pane_get_n_pending_rows (pane);
  n_actioned = fl_region_pane_get_n_actioned_rows (pane);

  /* B executes; the automatic sync sends it at once (the undo window counts
   * from the fixed "now", long past on the real clock). A acts in between. */
  a.alert_id = alert_id;
  g_signal_connect (client, "data-changed", G_CALLBACK (on_b_data_changed_cb), &a);
  _click_execute (pane, alert_id);
  g_assert_cmpint (fl_ui_test_status_in_pixels (window, region), ==, after);
  /* (The pane follows a frame later; by then the sync may have brought the
   * rejection: its rows are checked once that is in.) */

  wait = (AlertWait) { context, window, alert_id, FALSE };
  fl_ui_test_spin_until (_rejected, &wait, "the rejection of B's action");
  g_assert_true (a.done);
  g_assert_cmpuint (_n_outbox (fl_context_get_store (context), FL_OUTBOX_REJECTED), ==, 1);
  g_assert_cmpuint (_n_outbox (fl_context_get_store (context), FL_OUTBOX_QUEUED), ==, 0);

  /* Pending again: the pane's rows and the tile's colour. */
  fl_ui_test_wait_for_pane (pane);
  g_assert_cmpuint (fl_region_pane_get_n_pending_rows (pane), ==, n_pending);
  g_assert_cmpuint (fl_region_pane_get_n_actioned_rows (pane), ==, n_actioned);
  g_assert_cmpint (fl_ui_test_status_in_pixels (window, region), ==, before);

  /* Who, what and when in words; no ids, no wire names. */
  toast = fl_window_get_rejection_toast (window);
  g_assert_nonnull (toast);
  toast_title = adw_toast_get_title (toast);
  g_test_message ("toast: %s", toast_title);
  {
    g_autofree char *escaped_title = g_markup_escape_text (title, -1);
    g_autofree char *expected = g_strdup_printf ("Not recorded: li already handled “%s” (",
                                                 escaped_title);

    g_assert_true (g_str_has_prefix (toast_title, expected));
  }
  g_assert_true (g_str_has_suffix (toast_title, ", 2026-11-23 09:00)"));
  g_assert_null (strstr (toast_title, alert_id));
  g_assert_null (strstr (toast_title, "+08:00"));
  if (g_getenv ("FIELDLIGHT_TEST_SCREENSHOTS") != NULL)
    {
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *path = g_build_filename (g_getenv ("FIELDLIGHT_TEST_SCREENSHOTS"),
                                                "rejected-toast.png", NULL);

      fl_ui_test_wait_for_frame (GTK_WIDGET (window));
      texture = fl_window_render_texture (window, &error);
      g_assert_no_error (error);
      g_assert_true (gdk_texture_save_to_png (texture, path));
    }

  /* The next sync brings li's action: handled, by li. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  wait.actioned = TRUE;
  fl_ui_test_spin_until (_alert_state_is, &wait, "li's action on B's map");
  fl_ui_test_spin_until (fl_ui_test_synced, client, "B's second sync");
  fl_ui_test_wait_for_pane (pane);
  g_assert_cmpuint (fl_region_pane_get_n_pending_rows (pane), ==, n_pending - 1);
  g_assert_cmpuint (fl_region_pane_get_n_actioned_rows (pane), ==, n_actioned + 1);
  g_assert_cmpint (fl_ui_test_status_in_pixels (window, region), ==, after);

  g_signal_handlers_disconnect_by_func (client, on_b_data_changed_cb, &a);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "server-url");
  g_free (a.cache_dir);
  _server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  fl_ui_test_set_failsafe (FAILSAFE_SECONDS);
  tmp_dir = g_dir_make_tmp ("fieldlight-test-reject-ui-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  cache_dir = g_build_filename (tmp_dir, "xdg-cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  /* No keyring: the token lives in memory (and no D-Bus is started). */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/fieldlight-test-bus", TRUE);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

  have_display = fl_ui_test_init_display ();

  g_test_add_func ("/reject-ui/two-desktops", test_rejected_by_server);

  status = g_test_run ();
  fl_ui_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
