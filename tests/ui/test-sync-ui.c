/* test-sync-ui.c — the sync indicator, "Sync Now", preferences, data age, first run
 *
 * A real FlSyncClient talks to a SoupServer in this process (127.0.0.1, port
 * 0, answered from this test's main loop: async requests only) or to a closed
 * port (offline). Needs a display (run under `xvfb-run -a`); skips without one.
 * FIELDLIGHT_TEST_SCREENSHOTS=DIR saves the window and popovers as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fl-context.h"
#include "fl-preferences-window.h"
#include "fl-sync-indicator.h"
#include "fl-window.h"
#include "fl-ui-test.h"

static gboolean have_display;
static char *tmp_dir;

/* ---- helpers ------------------------------------------------------------------------------ */

/* @path: NULL for an in-memory store; @empty: no data at all. */
static FlStore *
_make_store (const char *path,
             gboolean    empty)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (path, &error);

  g_assert_no_error (error);
  if (!empty)
    {
      g_autoptr(FlDataset) dataset = fl_ui_test_demo ();

      g_assert_true (fl_store_import_dataset (store, dataset, &error));
      g_assert_no_error (error);
    }
  return g_steal_pointer (&store);
}

static char *
_new_cache_path (const char *name)
{
  g_autofree char *dir = g_build_filename (tmp_dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, "cache.sqlite", NULL);
}

static GSettings *
_settings (void)
{
  GSettings *settings = fl_context_lookup_settings ();

  g_assert_nonnull (settings);
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "stale-after-hours");
  g_settings_reset (settings, "palette");
  return settings;
}

static FlContext *
_make_context (FlStore   *store,
               GSettings *settings)
{
  g_autoptr(GError) error = NULL;
  FlContext *context = fl_context_new (store, settings);

  fl_context_set_fixed_now (context, fl_ui_test_now ());
  g_assert_true (fl_context_reevaluate (context, &error));
  g_assert_no_error (error);
  return context;
}

static GskRenderNode *
_snapshot_widget (GtkWidget *widget,
                  int        width,
                  int        height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  return gtk_snapshot_free_to_node (snapshot);
}

/* Any native widget (window, popover) as a texture. A dialog window may draw
 * nothing through its paintable: its content is drawn instead. */
static GdkTexture *
_render_native (GtkWidget *widget)
{
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_nonnull (renderer);
  g_assert_cmpint (width, >, 0);
  node = _snapshot_widget (widget, width, height);
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* A 32-bit ZPixmap XWD dump (what `xwd` writes on a 24-bit screen) as a texture. */
static GdkTexture *
_texture_from_xwd (GBytes *xwd)
{
  gsize size;
  const guchar *data = g_bytes_get_data (xwd, &size);
  guint32 header[25];
  g_autofree guchar *rgb = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint32 width, height, stride, offset;

  if (size < sizeof header)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    header[i] = GUINT32_FROM_BE (((const guint32 *) data)[i]);
  width = header[4];
  height = header[5];
  stride = header[12];
  offset = header[0] + header[19] * 12;
  if (header[11] != 32 || header[7] != 0 || (gsize) offset + (gsize) stride * height > size)
    return NULL;
  rgb = g_malloc ((gsize) width * height * 3);
  for (guint32 y = 0; y < height; y++)
    for (guint32 x = 0; x < width; x++)
      {
        const guchar *p = data + offset + (gsize) y * stride + (gsize) x * 4;
        guchar *q = rgb + ((gsize) y * width + x) * 3;

        q[0] = p[2];
        q[1] = p[1];
        q[2] = p[0];
      }
  bytes = g_bytes_new_take (g_steal_pointer (&rgb), (gsize) width * height * 3);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
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
  texture = _render_native (widget);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  if (texture == NULL && GDK_IS_X11_SURFACE (gtk_native_get_surface (GTK_NATIVE (widget))))
    {
      /* A dialog window draws nothing through its paintable here: take the X pixels. */
      g_autofree char *xid = g_strdup_printf (
        "%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (widget))));
      g_autoptr(GSubprocess) xwd = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL,
                                                      "xwd", "-silent", "-id", xid, NULL);
      g_autoptr(GBytes) dump = NULL;

      if (xwd == NULL || !g_subprocess_communicate (xwd, NULL, NULL, &dump, NULL, NULL)
          || (texture = _texture_from_xwd (dump)) == NULL)
        return;
    }
  g_assert_nonnull (texture);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* A button bound to @action_name inside @widget (popovers included). */
static GtkWidget *
_find_action_button (GtkWidget  *widget,
                     const char *action_name)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = _find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
_save_popover (FlWindow   *window,
               const char *name)
{
  FlSyncIndicator *indicator = fl_window_get_sync_indicator (window);
  GtkWidget *popover;

  if (g_getenv ("FIELDLIGHT_TEST_SCREENSHOTS") == NULL)
    return;
  fl_sync_indicator_popup (indicator);
  popover = fl_ui_test_find_first (GTK_WIDGET (indicator), GTK_TYPE_POPOVER, NULL);
  g_assert_nonnull (popover);
  fl_ui_test_wait_for_frame (popover);
  _maybe_save (popover, name);
  fl_sync_indicator_popdown (indicator);
}

/* A loopback port nothing listens on: connections are refused at once. */
static guint16
_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

/* The cache looks synced before with @client's account: no pull from scratch
 * (which would first clear the cache). */
static void
_pretend_synced (FlStore      *store,
                 FlSyncClient *client,
                 const char   *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = g_strdup_printf ("%s %s", fl_sync_client_get_server_url (client),
                                            user);

  g_assert_true (fl_store_set_meta (store, "sync.cursor", "c0", &error));
  g_assert_true (fl_store_set_meta (store, "sync.cursor-owner", owner, &error));
  g_assert_no_error (error);
}

/* ---- a small sync server in this process --------------------------------------------------- */

typedef struct
{
  SoupServer        *server;
  char              *url;
  char              *page;            /* the body of GET changes */
  guint              n_logins;
  guint              n_changes;
  guint              n_actions;
  gboolean           reject_token;    /* changes → 401 */
  gboolean           pause_changes;
  SoupServerMessage *paused;
} TestServer;

static void
_reply_json (SoupServerMessage *msg,
             guint              status,
             const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
on_login_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  TestServer *test_server = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;
  const char *password = NULL;

  test_server->n_logins++;
  root = json_from_string (body->data != NULL ? body->data : "", NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    password = json_object_get_string_member_with_default (json_node_get_object (root),
                                                           "password", NULL);
  if (g_strcmp0 (password, "right") == 0)
    _reply_json (msg, 200, "{\"token\": \"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\", "
                           "\"user\": \"zhang\", \"regions\": [\"*\"], "
                           "\"expires\": \"2026-12-27T09:00:00+08:00\"}");
  else
    _reply_json (msg, 401, "{\"error\": {\"code\": \"invalid_credentials\", "
                           "\"message\": \"Wrong user name or password.\"}}");
}

static void
_answer_changes (TestServer        *test_server,
                 SoupServerMessage *msg)
{
  if (test_server->reject_token)
    _reply_json (msg, 401, "{\"error\": {\"code\": \"unauthorized\", "
                           "\"message\": \"The token has expired.\"}}");
  else
    _reply_json (msg, 200, test_server->page);
}

static void
on_changes_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TestServer *test_server = user_data;

  test_server->n_changes++;
  if (test_server->pause_changes)
    {
      g_assert_null (test_server->paused);
      test_server->paused = g_object_ref (msg);
      soup_server_message_pause (msg);
      return;
    }
  _answer_changes (test_server, msg);
}

/* Every action is refused: someone else was faster. */
static void
on_actions_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TestServer *test_server = user_data;

  test_server->n_actions++;
  _reply_json (msg, 409, "{\"error\": {\"code\": \"already_actioned\", "
                         "\"message\": \"Li Na already sent a sample for this alert.\"}}");
}

static void
_test_server_resume (TestServer *test_server)
{
  g_autoptr(SoupServerMessage) msg = g_steal_pointer (&test_server->paused);

  g_assert_nonnull (msg);
  test_server->pause_changes = FALSE;
  _answer_changes (test_server, msg);
  soup_server_message_unpause (msg);
}

static const char empty_page[] =
  "{\"format\": \"fieldlight-changes\", \"version\": 1, \"cursor\": \"c1\", \"more\": false, "
  "\"remaining\": 0, \"upserts\": {}, \"deletes\": {}}";

static TestServer *
_test_server_new (void)
{
  TestServer *test_server = g_new0 (TestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  test_server->server = soup_server_new (NULL, NULL);
  test_server->page = g_strdup (empty_page);
  soup_server_add_handler (test_server->server, "/api/v1/login", on_login_cb, test_server, NULL);
  soup_server_add_handler (test_server->server, "/api/v1/changes", on_changes_cb, test_server,
                           NULL);
  soup_server_add_handler (test_server->server, "/api/v1/actions", on_actions_cb, test_server,
                           NULL);
  g_assert_true (soup_server_listen_local (test_server->server, 0,
                                           SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (test_server->server);
  g_assert_nonnull (uris);
  test_server->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return test_server;
}

static void
_test_server_free (TestServer *test_server)
{
  g_clear_object (&test_server->paused);
  soup_server_disconnect (test_server->server);
  g_object_unref (test_server->server);
  g_free (test_server->url);
  g_free (test_server->page);
  g_free (test_server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, _test_server_free)

/* ---- predicates ---------------------------------------------------------------------------- */

typedef struct
{
  GtkWidget  *root;
  const char *needle;
} LabelWait;

static gboolean
_has_label_containing (GtkWidget  *widget,
                       const char *needle)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (_has_label_containing (child, needle))
      return TRUE;
  return FALSE;
}

static gboolean
_label_shown (gpointer data)
{
  LabelWait *wait = data;

  return _has_label_containing (wait->root, wait->needle);
}

typedef struct
{
  FlSyncIndicator *indicator;
  const char      *icon_name;
} IconWait;

static gboolean
_indicator_icon_is (gpointer data)
{
  IconWait *wait = data;

  return g_strcmp0 (fl_sync_indicator_get_icon_name (wait->indicator), wait->icon_name) == 0;
}

static void
_wait_for_icon (FlWindow   *window,
                const char *icon_name)
{
  IconWait wait = { fl_window_get_sync_indicator (window), icon_name };
  g_autofree char *what = g_strdup_printf ("the indicator to show %s", icon_name);

  fl_ui_test_spin_until (_indicator_icon_is, &wait, what);
}

static gboolean
_client_exists (gpointer data)
{
  return fl_context_get_sync_client (FL_CONTEXT (data)) != NULL;
}

typedef struct
{
  guint *counter;
  guint  above;
} CountWait;

static gboolean
_count_above (gpointer data)
{
  CountWait *wait = data;

  return *wait->counter > wait->above;
}

static gboolean
_store_is_file (gpointer data)
{
  return fl_store_get_path (fl_context_get_store (FL_CONTEXT (data))) != NULL;
}

static gboolean
_sign_in_error_shown (gpointer data)
{
  return fl_preferences_window_get_sign_in_error (FL_PREFERENCES_WINDOW (data)) != NULL;
}

static gboolean
_sync_action_enabled (FlWindow *window)
{
  GtkWidget *button = _find_action_button (GTK_WIDGET (fl_window_get_sync_indicator (window)),
                                           "win.sync");

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

/* ---- tests --------------------------------------------------------------------------------- */

/* No server configured: "not connected", nothing to sync. */
static void
test_no_server (void)
{
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) context = NULL;
  FlSyncIndicator *indicator;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  store = _make_store (NULL, FALSE);
  context = _make_context (store, NULL);
  fl_context_set_sync_enabled (context, TRUE);
  g_assert_null (fl_context_get_sync_client (context));

  window = fl_ui_test_open_window (context);
  indicator = fl_window_get_sync_indicator (window);
  g_assert_cmpstr (fl_sync_indicator_get_icon_name (indicator), ==, "network-server-symbolic");
  g_assert_cmpstr (fl_sync_indicator_get_title (indicator), ==, "Not connected to a server");
  g_assert_false (_sync_action_enabled (window));
  g_assert_false (fl_window_get_welcome_shown (window));
  g_assert_false (fl_window_get_data_age_stale (window));
  _save_popover (window, "sync-not-connected");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A server that cannot be reached: "Offline since …", cached data on the map. */
static void
test_offline (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) context = NULL;
  FlSyncIndicator *indicator;
  FlSyncClient *client;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  settings = _settings ();
  path = _new_cache_path ("offline");
  store = _make_store (path, FALSE);
  /* Synced three hours ago (the real clock: sync times are real). */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             g_get_real_time () / G_USEC_PER_SEC - 3 * 3600);

    g_assert_true (fl_store_set_meta (store, "sync.last-sync", last, &error));
    g_assert_no_error (error);
  }
  url = g_strdup_printf ("http://127.0.0.1:%u", _closed_port ());
  g_settings_set_string (settings, "server-url", url);
  context = fl_context_new (store, settings);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (fl_context_reevaluate (context, &error));
    g_assert_no_error (error);
  }
  window = fl_ui_test_open_window (context);
  indicator = fl_window_get_sync_indicator (window);

  /* Without a token (no keyring here): signed out, nothing to sync. */
  fl_context_set_sync_enabled (context, TRUE);
  client = fl_context_get_sync_client (context);
  g_assert_nonnull (client);
  _wait_for_icon (window, "avatar-default-symbolic");
  g_assert_cmpstr (fl_sync_indicator_get_title (indicator), ==, "Signed out");
  g_assert_false (_sync_action_enabled (window));
  g_assert_true (fl_context_get_data_synced (context));
  g_assert_false (fl_context_get_stale (context));
  g_assert_cmpstr (fl_window_get_data_age_text (window), ==, "Data as of 3 hours ago");

  /* A token: the automatic sync fails to connect. */
  _pretend_synced (store, client, "zhang");
  fl_sync_client_set_token (client, "zhang", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  _wait_for_icon (window, "network-offline-symbolic");
  g_assert_cmpint (fl_sync_client_get_state (client), ==, FL_SYNC_STATE_OFFLINE);
  g_assert_true (g_str_has_prefix (fl_sync_indicator_get_title (indicator), "Offline since "));
  g_assert_cmpstr (fl_sync_indicator_get_last_sync_text (indicator), ==, "3 hours ago");
  g_assert_cmpstr (fl_sync_indicator_get_queued_text (indicator), ==, "0");
  g_assert_true (g_str_has_prefix (fl_window_get_data_age_text (window), "Offline since "));
  g_assert_nonnull (strstr (fl_window_get_data_age_text (window), "showing cached data"));
  /* Retrying by hand is allowed while offline. */
  g_assert_true (_sync_action_enabled (window));
  _maybe_save (GTK_WIDGET (window), "sync-offline-window");
  _save_popover (window, "sync-offline-popover");

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "server-url");
}

/* The preferences refuse plain http:// to another computer, inline. */
static void
test_preferences_url (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) context = NULL;
  FlPreferencesWindow *preferences;
  AdwEntryRow *row;
  FlWindow *window;
  const struct
  {
    const char *url;
    gboolean    accepted;
  } cases[] = {
    { "http://example.com", FALSE },
    { "ftp://127.0.0.1/", FALSE },
    { "https://user@example.com", FALSE },
    { "http://127.0.0.1:8080", TRUE },
    { "http://[::1]:8080/fieldlight/", TRUE },
    { "http://localhost:9000", TRUE },
    { "https://example.com", TRUE },
  };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  settings = _settings ();
  store = _make_store (NULL, FALSE);
  context = _make_context (store, settings);
  window = fl_ui_test_open_window (context);
  preferences = fl_window_show_preferences (window);
  g_assert_true (fl_window_show_preferences (window) == preferences);
  row = fl_preferences_window_get_server_row (preferences);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *saved = NULL;
      g_autofree char *before = g_settings_get_string (settings, "server-url");

      gtk_editable_set_text (GTK_EDITABLE (row), cases[i].url);
      g_assert_null (fl_preferences_window_get_server_error (preferences));
      g_signal_emit_by_name (row, "apply");
      saved = g_settings_get_string (settings, "server-url");
      if (cases[i].accepted)
        {
          g_assert_null (fl_preferences_window_get_server_error (preferences));
          g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
          g_assert_cmpstr (saved, ==, cases[i].url);
        }
      else
        {
          const char *message = fl_preferences_window_get_server_error (preferences);

          g_assert_nonnull (message);
          g_assert_nonnull (strstr (message, cases[i].url));
          g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
          g_assert_cmpstr (saved, ==, before);
          if (i == 0)
            {
              g_assert_nonnull (strstr (message, "https://"));
              _maybe_save (GTK_WIDGET (preferences), "preferences-refused-url");
            }
        }
    }

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "server-url");
}

/* Sign in through the preferences, then every state of the indicator, and
 * Ctrl+R / win.sync each start a sync. */
static void
test_sign_in_and_sync (void)
{
  g_autoptr(TestServer) server = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) context = NULL;
  FlPreferencesWindow *preferences;
  FlSyncIndicator *indicator;
  FlSyncClient *client;
  FlWindow *window;
  CountWait wait;
  GtkShortcutAction *shortcut_action = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  server = _test_server_new ();
  settings = _settings ();
  path = _new_cache_path ("sign-in");
  store = _make_store (path, FALSE);
  context = _make_context (store, settings);
  fl_context_set_sync_enabled (context, TRUE);
  window = fl_ui_test_open_window (context);
  indicator = fl_window_get_sync_indicator (window);
  g_assert_null (fl_context_get_sync_client (context));

  /* The address typed in is applied by Sign In; a wrong password says so inline. */
  preferences = fl_window_show_preferences (window);
  gtk_editable_set_text (GTK_EDITABLE (fl_preferences_window_get_server_row (preferences)),
                         server->url);
  fl_preferences_window_sign_in (preferences, "zhang", "wrong");
  g_assert_true (_client_exists (context));
  client = fl_context_get_sync_client (context);
  _pretend_synced (store, client, "zhang");
  fl_ui_test_spin_until (_sign_in_error_shown, preferences, "the sign-in error");
  g_assert_cmpuint (server->n_logins, ==, 1);
  g_assert_null (fl_sync_client_get_token (client));
  _maybe_save (GTK_WIDGET (preferences), "preferences-sign-in-error");

  /* The right one: signed in, the automatic sync runs at once. */
  fl_preferences_window_sign_in (preferences, "zhang", "right");
  fl_ui_test_spin_until (fl_ui_test_synced, client, "the first sync");
  g_assert_null (fl_preferences_window_get_sign_in_error (preferences));
  g_assert_cmpuint (server->n_changes, >=, 1);
  _wait_for_icon (window, "emblem-synchronizing-symbolic");
  g_assert_cmpstr (fl_sync_indicator_get_title (indicator), ==, "Up to date");
  g_assert_cmpstr (fl_sync_indicator_get_last_sync_text (indicator), !=, "Never");
  g_assert_true (fl_context_get_data_synced (context));
  g_assert_true (_sync_action_enabled (window));
  _maybe_save (GTK_WIDGET (preferences), "preferences-signed-in");
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* win.sync: a request; while it runs, the spinner and the progress bar, and
   * "Sync Now" is disabled. */
  server->pause_changes = TRUE;
  wait = (CountWait) { &server->n_changes, server->n_changes };
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  fl_ui_test_spin_until (_count_above, &wait, "a pull after win.sync");
  _wait_for_icon (window, "spinner");
  g_assert_cmpint (fl_sync_client_get_state (client), ==, FL_SYNC_STATE_SYNCING);
  g_assert_cmpstr (fl_sync_indicator_get_title (indicator), ==, "Syncing…");
  g_assert_cmpfloat (fl_sync_indicator_get_progress (indicator), >=, 0.0);
  g_assert_false (_sync_action_enabled (window));
  g_assert_true (g_str_has_prefix (fl_window_get_data_age_text (window), "Syncing… "));
  _save_popover (window, "sync-syncing-popover");
  _test_server_resume (server);
  fl_ui_test_spin_until (fl_ui_test_synced, client, "the sync to finish");
  g_assert_true (_sync_action_enabled (window));

  /* Ctrl+R is bound to win.sync on the window class. */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && shortcut_action == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
          continue;
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
            GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
            GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

            if (GTK_IS_NAMED_ACTION (action)
                && g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                              "win.sync") == 0
                && GTK_IS_KEYVAL_TRIGGER (trigger)
                && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_r
                && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))
                   == GDK_CONTROL_MASK)
              shortcut_action = g_object_ref (action);
          }
      }
  }
  g_assert_nonnull (shortcut_action);
  wait = (CountWait) { &server->n_changes, server->n_changes };
  g_assert_true (gtk_shortcut_action_activate (shortcut_action, 0, GTK_WIDGET (window), NULL));
  fl_ui_test_spin_until (_count_above, &wait, "a pull after Ctrl+R");
  fl_ui_test_spin_until (fl_ui_test_synced, client, "the sync after Ctrl+R");
  g_object_unref (shortcut_action);

  /* A queued action the server refuses: the queue shows it, then a toast says why. */
  {
    FlEvaluation *evaluation = fl_context_get_evaluation (context);
    FlAlert *alert = g_ptr_array_index (evaluation->alerts, 0);
    FlAction action = { "6f1c0a4e-2b7d-4c1e-9a35-0d8f2f6b1e11", alert->id,
                        FL_ACTION_SEND_SAMPLE, fl_ui_test_now (), "zhang" };
    g_autoptr(GError) error = NULL;
    LabelWait label_wait = { GTK_WIDGET (window), "Li Na already sent a sample" };

    g_assert_true (fl_store_queue_action (store, &action, 0, &error));
    g_assert_no_error (error);
    fl_sync_client_outbox_changed (client);
    g_assert_cmpuint (fl_sync_client_get_queued (client), ==, 1);
    g_assert_cmpstr (fl_sync_indicator_get_queued_text (indicator), ==, "1");
    _save_popover (window, "sync-queued-popover");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
    fl_ui_test_spin_until (_label_shown, &label_wait, "the toast of the refused action");
    fl_ui_test_spin_until (fl_ui_test_synced, client, "the end of the sync that pushed");
    g_assert_cmpuint (server->n_actions, ==, 1);
    g_assert_cmpuint (fl_sync_client_get_queued (client), ==, 0);
    g_assert_cmpstr (fl_sync_indicator_get_queued_text (indicator), ==, "0");
    _maybe_save (GTK_WIDGET (window), "sync-rejected-toast");
  }

  /* The server refuses the token: an error in plain words. */
  server->reject_token = TRUE;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  _wait_for_icon (window, "dialog-warning-symbolic");
  g_assert_cmpint (fl_sync_client_get_state (client), ==, FL_SYNC_STATE_ERROR);
  g_assert_cmpstr (fl_sync_indicator_get_title (indicator), ==, "Sync failed");
  g_assert_cmpstr (fl_sync_indicator_get_description (indicator), ==,
                   fl_sync_client_get_error_message (client));
  /* The token is gone: only signing in again helps, not "Sync Now". */
  if (fl_sync_client_get_token (client) == NULL)
    g_assert_false (_sync_action_enabled (window));
  _save_popover (window, "sync-error-popover");

  /* Signing out: nothing to sync until the next sign-in. */
  server->reject_token = FALSE;
  preferences = fl_window_show_preferences (window);
  fl_sync_client_sign_out (client);
  _wait_for_icon (window, "avatar-default-symbolic");
  g_assert_false (_sync_action_enabled (window));
  gtk_window_destroy (GTK_WINDOW (preferences));

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "server-url");
}

static double
_mean_luminance (FlWindow *window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  FlMapView *map_view = fl_window_get_map_view (window);
  graphene_rect_t bounds;
  double sum = 0;
  guint n = 0;
  int width, height;
  gsize stride;

  fl_ui_test_wait_for_frame (GTK_WIDGET (window));
  texture = fl_window_render_texture (window, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (map_view), GTK_WIDGET (window), &bounds));

  /* The middle of the map (the province), away from the caption and legend. */
  for (int y = bounds.origin.y + bounds.size.height * .3;
       y < bounds.origin.y + bounds.size.height * .7; y += 2)
    for (int x = bounds.origin.x + bounds.size.width * .3;
         x < bounds.origin.x + bounds.size.width * .7; x += 2)
      {
        const guchar *p = pixels + (gsize) y * stride + (gsize) x * 4;

        sum += .0722 * p[0] + .7152 * p[1] + .2126 * p[2];
        n++;
      }
  g_assert_cmpuint (n, >, 0);
  return sum / n;
}

/* Data older than "stale-after-hours": the caption warns and the tiles fade. */
static void
test_stale (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) context = NULL;
  FlWindow *window;
  gint64 data_time;
  double fresh, stale;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  settings = _settings ();
  store = _make_store (NULL, FALSE);
  context = _make_context (store, settings);
  data_time = fl_context_get_data_time (context);
  g_assert_cmpint (data_time, >, 0);
  g_assert_false (fl_context_get_data_synced (context));
  g_assert_false (fl_context_get_stale (context));

  window = fl_ui_test_open_window (context);
  g_assert_false (fl_window_get_data_age_stale (window));
  g_assert_true (g_str_has_prefix (fl_window_get_data_age_text (window), "Data as of "));
  fresh = _mean_luminance (window);

  /* Two hours past the threshold. */
  fl_context_set_fixed_now (context, data_time + 26 * 3600);
  g_assert_true (fl_context_get_stale (context));
  g_assert_true (fl_window_get_data_age_stale (window));
  g_assert_cmpstr (fl_window_get_data_age_text (window), ==, "Data as of 1 day ago");
  stale = _mean_luminance (window);
  g_assert_cmpfloat (stale, >, fresh + 8);
  _maybe_save (GTK_WIDGET (window), "map-stale");

  /* A longer setting: fresh again. */
  g_settings_set_int (settings, "stale-after-hours", 48);
  g_assert_false (fl_context_get_stale (context));
  g_assert_false (fl_window_get_data_age_stale (window));
  g_assert_cmpfloat (G_APPROX_VALUE (_mean_luminance (window), fresh, 0.5), ==, TRUE);

  g_settings_set_int (settings, "stale-after-hours", 25);
  g_assert_true (fl_context_get_stale (context));

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "stale-after-hours");
}

/* First run: the demo stands in for an empty cache and no server is set. */
static void
test_welcome (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) context = NULL;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  settings = _settings ();
  path = _new_cache_path ("welcome");
  store = _make_store (NULL, FALSE);
  context = _make_context (store, settings);
  g_assert_false (fl_context_get_first_run (context));   /* --demo: no cache */
  fl_context_set_cache_path (context, path);
  g_assert_true (fl_context_get_first_run (context));

  window = fl_ui_test_open_window (context);
  g_assert_true (fl_window_get_welcome_shown (window));
  _maybe_save (GTK_WIDGET (window), "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.explore-demo", NULL));
  g_assert_false (fl_window_get_welcome_shown (window));
  gtk_window_destroy (GTK_WINDOW (window));

  /* A server configured: no welcome. */
  g_settings_set_string (settings, "server-url", "https://sales.example.com");
  g_assert_false (fl_context_get_first_run (context));
  window = fl_ui_test_open_window (context);
  g_assert_false (fl_window_get_welcome_shown (window));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "server-url");
}

/* First run → connect: the synced cache replaces the demo on the map. */
static void
test_first_sync_replaces_demo (void)
{
  g_autoptr(TestServer) server = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) context = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(JsonNode) header = NULL;
  FlPreferencesWindow *preferences;
  FlSyncClient *client;
  FlWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  server = _test_server_new ();
  settings = _settings ();
  path = _new_cache_path ("first-sync");
  store = _make_store (NULL, FALSE);
  context = _make_context (store, settings);
  fl_context_set_cache_path (context, path);
  fl_context_set_sync_enabled (context, TRUE);

  /* The server's data: the demo again, as one page. */
  dataset = fl_ui_test_demo ();
  g_string_append (page, "{\"format\": \"fieldlight-changes\", \"version\": 1, "
                         "\"cursor\": \"c1\", \"more\": false, \"remaining\": 0, "
                         "\"dataset\": {\"timezone\": \"Asia/Shanghai\", \"province\": "
                         "{\"code\": \"330000\", \"name\": \"浙江省\"}}, \"upserts\": ");
  fl_dataset_write_fragment (dataset, fl_store_get_time_zone (store), page);
  g_string_append (page, ", \"deletes\": {}}");
  header = json_from_string (page->str, NULL);
  g_assert_nonnull (header);
  g_free (server->page);
  server->page = g_strdup (page->str);

  window = fl_ui_test_open_window (context);
  g_assert_true (fl_window_get_welcome_shown (window));
  preferences = fl_window_show_preferences (window);
  gtk_editable_set_text (GTK_EDITABLE (fl_preferences_window_get_server_row (preferences)),
                         server->url);
  g_signal_emit_by_name (fl_preferences_window_get_server_row (preferences), "apply");
  g_assert_null (fl_preferences_window_get_server_error (preferences));
  g_assert_false (fl_context_get_first_run (context));
  g_assert_false (fl_window_get_welcome_shown (window));
  client = fl_context_get_sync_client (context);
  g_assert_nonnull (client);
  g_assert_null (fl_store_get_path (fl_context_get_store (context)));

  fl_preferences_window_sign_in (preferences, "zhang", "right");
  fl_ui_test_spin_until (fl_ui_test_synced, client, "the first sync");
  gtk_window_destroy (GTK_WINDOW (preferences));
  /* The evaluation of the synced cache arrives from a worker. */
  fl_ui_test_spin_until (_store_is_file, context, "the synced cache on the map");
  g_assert_cmpstr (fl_store_get_path (fl_context_get_store (context)), ==, path);
  g_assert_true (fl_context_get_data_synced (context));
  g_assert_cmpuint (fl_context_get_evaluation (context)->regions->len, ==, 11);
  _maybe_save (GTK_WIDGET (window), "first-sync-done");

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "server-url");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("fieldlight-test-sync-ui-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  cache_dir = g_build_filename (tmp_dir, "xdg-cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  /* No keyring in the test: the token lives in memory (and no D-Bus is started). */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/fieldlight-test-bus", TRUE);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

  have_display = fl_ui_test_init_display ();

  g_test_add_func ("/sync-ui/no-server", test_no_server);
  g_test_add_func ("/sync-ui/offline", test_offline);
  g_test_add_func ("/sync-ui/preferences-url", test_preferences_url);
  g_test_add_func ("/sync-ui/sign-in-and-sync", test_sign_in_and_sync);
  g_test_add_func ("/sync-ui/stale", test_stale);
  g_test_add_func ("/sync-ui/welcome", test_welcome);
  g_test_add_func ("/sync-ui/first-sync-replaces-demo", test_first_sync_replaces_demo);

  status = g_test_run ();
  fl_ui_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
