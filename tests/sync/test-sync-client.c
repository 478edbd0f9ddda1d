/* test-sync-client.c — FlSyncClient's automatic mode and state machine, in process
 *
 * A real FlSyncClient on a file-backed FlStore (a private directory per test)
 * talks to a SoupServer answered from this test's main loop (127.0.0.1, port
 * 0; async requests only). No sleeps: every wait spins the main loop until a
 * condition holds, with a fail-safe timeout that fails the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fl-core.h"
#include "fl-sync-client.h"

#define FAILSAFE_SECONDS 20
#define TOKEN            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
#define ACTION_ID        "6f1c0a4e-2b7d-4c1e-9a35-0d8f2f6b1e11"

static const char empty_page[] =
  "{\"format\": \"fieldlight-changes\", \"version\": 1, \"cursor\": \"c1\", \"more\": false, "
  "\"remaining\": 0, \"upserts\": {}, \"deletes\": {}}";

/* ---- waiting ------------------------------------------------------------------------------- */

static gboolean
_set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Predicate) (gpointer data);

static void
_spin_until (Predicate   predicate,
             gpointer    data,
             const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (FAILSAFE_SECONDS, _set_flag_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %d s waiting for %s", FAILSAFE_SECONDS, what);
  g_source_remove (id);
}

/* ---- a small sync server in this process --------------------------------------------------- */

typedef struct
{
  SoupServer *server;
  guint       port;
  char       *url;
  GString    *log;          /* one letter a request: C (GET changes), A (POST actions) */
  GPtrArray  *action_ids;   /* ids of the POSTed actions, in order */
  gboolean    reject_token; /* changes → 401 */
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
on_changes_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TestServer *test_server = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  g_string_append_c (test_server->log, 'C');
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, SOUP_METHOD_GET);
  if (test_server->reject_token)
    {
      _reply_json (msg, 401, "{\"error\": {\"code\": \"unauthorized\", "
                             "\"message\": \"The token has expired.\"}}");
      return;
    }
  g_assert_cmpstr (auth, ==, "Bearer " TOKEN);
  _reply_json (msg, 200, empty_page);
}

static void
on_actions_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TestServer *test_server = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;
  const char *id = NULL;

  g_string_append_c (test_server->log, 'A');
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, SOUP_METHOD_POST);
  root = json_from_string (body->data != NULL ? body->data : "", NULL);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  id = json_object_get_string_member_with_default (json_node_get_object (root), "id", NULL);
  g_assert_nonnull (id);
  g_ptr_array_add (test_server->action_ids, g_strdup (id));
  _reply_json (msg, 201, body->data);
}

static void
_test_server_listen (TestServer *test_server)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (soup_server_listen_local (test_server->server, test_server->port,
                                           SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
}

static TestServer *
_test_server_new (void)
{
  TestServer *test_server = g_new0 (TestServer, 1);
  GSList *uris;

  test_server->server = soup_server_new (NULL, NULL);
  test_server->log = g_string_new (NULL);
  test_server->action_ids = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (test_server->server, "/api/v1/changes", on_changes_cb, test_server,
                           NULL);
  soup_server_add_handler (test_server->server, "/api/v1/actions", on_actions_cb, test_server,
                           NULL);
  _test_server_listen (test_server);
  uris = soup_server_get_uris (test_server->server);
  g_assert_nonnull (uris);
  test_server->port = g_uri_get_port (uris->data);
  test_server->url = g_strdup_printf ("http://127.0.0.1:%u", test_server->port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return test_server;
}

static void
_test_server_free (TestServer *test_server)
{
  soup_server_disconnect (test_server->server);
  g_object_unref (test_server->server);
  g_free (test_server->url);
  g_string_free (test_server->log, TRUE);
  g_ptr_array_unref (test_server->action_ids);
  g_free (test_server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, _test_server_free)

/* ---- fixtures ------------------------------------------------------------------------------ */

/* An empty cache file in this test's private directory. */
static FlStore *
_make_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  FlStore *store;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_cache_dir (), "cache.sqlite", NULL);
  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static FlSyncClient *
_make_client (FlStore    *store,
              TestServer *test_server)
{
  g_autoptr(GError) error = NULL;
  FlSyncClient *client = fl_sync_client_new (store, test_server->url, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  fl_sync_client_set_timeout (client, 5);
  return client;
}

static gboolean
_is_offline (gpointer data)
{
  return fl_sync_client_get_state (data) == FL_SYNC_STATE_OFFLINE;
}

static gboolean
_is_error (gpointer data)
{
  return fl_sync_client_get_state (data) == FL_SYNC_STATE_ERROR;
}

static gboolean
_synced (gpointer data)
{
  return fl_sync_client_get_state (data) == FL_SYNC_STATE_IDLE
         && fl_sync_client_get_last_sync (data) != 0;
}

static gboolean
_pushed (gpointer data)
{
  return fl_sync_client_get_state (data) == FL_SYNC_STATE_IDLE
         && fl_sync_client_get_queued (data) == 0;
}

static void
on_sync_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (fl_sync_client_sync_finish (FL_SYNC_CLIENT (source), result, error)
                  && *error != NULL);
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "no error: done");
}

static gboolean
_has_error (gpointer data)
{
  return *(GError **) data != NULL;
}

/* ---- tests --------------------------------------------------------------------------------- */

/* Refused connections → OFFLINE with offline-since; the server comes back on
 * the same port → the client retries by itself after its backoff and is IDLE. */
static void
test_offline_then_back (void)
{
  g_autoptr(TestServer) test_server = _test_server_new ();
  g_autoptr(FlStore) store = _make_store ();
  g_autoptr(FlSyncClient) client = NULL;
  g_autofree char *last = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 offline_at, since;

  soup_server_disconnect (test_server->server);
  client = _make_client (store, test_server);
  g_assert_cmpint (fl_sync_client_get_state (client), ==, FL_SYNC_STATE_SIGNED_OUT);
  fl_sync_client_set_token (client, "zhang", TOKEN);
  g_assert_cmpint (fl_sync_client_get_state (client), ==, FL_SYNC_STATE_IDLE);
  g_assert_cmpint (fl_sync_client_get_last_sync (client), ==, 0);

  fl_sync_client_set_automatic (client, TRUE);
  _spin_until (_is_offline, client, "the client to go offline");
  offline_at = g_get_monotonic_time ();
  since = fl_sync_client_get_offline_since (client);
  g_assert_cmpint (since, >=, before);
  g_assert_cmpint (since, <=, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_nonnull (fl_sync_client_get_error_message (client));
  g_assert_nonnull (strstr (fl_sync_client_get_error_message (client), "Cannot reach"));
  g_assert_cmpint (fl_sync_client_get_last_sync (client), ==, 0);
  g_assert_cmpstr (fl_sync_client_get_token (client), ==, TOKEN);
  g_assert_cmpstr (test_server->log->str, ==, "");

  /* Back on the same port: nobody asks the client, it retries by itself. */
  _test_server_listen (test_server);
  _spin_until (_synced, client, "the automatic retry to sync");
  /* Not at once: after the first backoff step (2 s ± 25 %). */
  g_assert_cmpint (g_get_monotonic_time () - offline_at, >=, 1400 * 1000);
  g_assert_cmpstr (test_server->log->str, ==, "C");
  g_assert_cmpint (fl_sync_client_get_offline_since (client), ==, 0);
  g_assert_null (fl_sync_client_get_error_message (client));
  g_assert_cmpint (fl_sync_client_get_last_sync (client), >=, before);
  g_assert_cmpfloat (fl_sync_client_get_progress (client), ==, 1.0);
  last = fl_store_dup_meta (store, "sync.last-sync");
  g_assert_nonnull (last);
  g_assert_cmpint (g_ascii_strtoll (last, NULL, 10), ==, fl_sync_client_get_last_sync (client));
}

/* An action due already is pushed once, after the pull, by the automatic
 * sync; its entry becomes ACCEPTED and "queued" drops to 0. */
static void
test_queued_action_pushed (void)
{
  g_autoptr(TestServer) test_server = _test_server_new ();
  g_autoptr(FlStore) store = _make_store ();
  g_autoptr(FlSyncClient) client = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  FlAction action = { ACTION_ID, "al-1", FL_ACTION_SEND_SAMPLE, now - 60, "zhang" };
  FlOutboxEntry *entry;
  FlSyncStats stats;

  g_assert_true (fl_store_queue_action (store, &action, now - 10, &error));
  g_assert_no_error (error);
  client = _make_client (store, test_server);
  g_assert_cmpuint (fl_sync_client_get_queued (client), ==, 1);
  fl_sync_client_set_token (client, "zhang", TOKEN);
  fl_sync_client_set_automatic (client, TRUE);
  _spin_until (_pushed, client, "the automatic push");

  g_assert_cmpstr (test_server->log->str, ==, "CA");
  g_assert_cmpuint (test_server->action_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (test_server->action_ids, 0), ==, ACTION_ID);
  fl_sync_client_get_stats (client, &stats);
  g_assert_cmpuint (stats.accepted, ==, 1);
  g_assert_cmpuint (stats.rejected, ==, 0);
  g_assert_cmpuint (stats.queued, ==, 0);

  entries = fl_store_list_outbox (store, 0xf, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->action->id, ==, ACTION_ID);
  g_assert_cmpint (entry->state, ==, FL_OUTBOX_ACCEPTED);
  g_assert_cmpint (entry->attempts, ==, 1);

  /* Another sync does not send it again. */
  fl_sync_client_sync_async (client, NULL, on_sync_done_cb, &error);
  _spin_until (_has_error, &error, "the second sync");
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpstr (test_server->log->str, ==, "CAC");
  g_assert_cmpuint (test_server->action_ids->len, ==, 1);
  g_assert_cmpuint (fl_sync_client_get_queued (client), ==, 0);
}

/* An action queued with an undo window, outside any sync: outbox_changed
 * schedules the automatic push for when the window ends, not before. */
static void
test_undo_window_push (void)
{
  g_autoptr(TestServer) test_server = _test_server_new ();
  g_autoptr(FlStore) store = _make_store ();
  g_autoptr(FlSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now;
  FlAction action = { ACTION_ID, "al-1", FL_ACTION_CALL_TODAY, 0, "zhang" };

  client = _make_client (store, test_server);
  fl_sync_client_set_token (client, "zhang", TOKEN);
  fl_sync_client_set_automatic (client, TRUE);
  _spin_until (_synced, client, "the first automatic sync");
  g_assert_cmpstr (test_server->log->str, ==, "C");

  now = g_get_real_time () / G_USEC_PER_SEC;
  action.created = now;
  g_assert_true (fl_store_queue_action (store, &action, now + 2, &error));
  g_assert_no_error (error);
  fl_sync_client_outbox_changed (client);
  g_assert_cmpuint (fl_sync_client_get_queued (client), ==, 1);
  _spin_until (_pushed, client, "the push after the undo window");
  g_assert_cmpint (g_get_real_time () / G_USEC_PER_SEC, >=, now + 2);
  g_assert_cmpstr (test_server->log->str, ==, "CCA");
  g_assert_cmpuint (test_server->action_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (test_server->action_ids, 0), ==, ACTION_ID);
}

/* 401 on changes → ERROR, the token forgotten, no retry. */
static void
test_unauthorized (void)
{
  g_autoptr(TestServer) test_server = _test_server_new ();
  g_autoptr(FlStore) store = _make_store ();
  g_autoptr(FlSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  test_server->reject_token = TRUE;
  client = _make_client (store, test_server);
  fl_sync_client_set_token (client, "zhang", TOKEN);
  fl_sync_client_set_automatic (client, TRUE);
  _spin_until (_is_error, client, "the refused sign-in");

  g_assert_cmpstr (test_server->log->str, ==, "C");
  g_assert_null (fl_sync_client_get_token (client));
  g_assert_cmpint (fl_sync_client_get_offline_since (client), ==, 0);
  g_assert_cmpint (fl_sync_client_get_last_sync (client), ==, 0);
  g_assert_nonnull (fl_sync_client_get_error_message (client));
  g_assert_nonnull (strstr (fl_sync_client_get_error_message (client), "sign in again"));

  /* Without a token a sync does not even ask the server. */
  fl_sync_client_sync_async (client, NULL, on_sync_done_cb, &error);
  _spin_until (_has_error, &error, "the refused sync");
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_SIGNED_IN);
  g_assert_cmpstr (test_server->log->str, ==, "C");
}

int
main (int   argc,
      char *argv[])
{
  /* Never the user's keyring: forgetting a token must fail quietly here. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/fieldlight-test-bus", TRUE);
  g_unsetenv ("FIELDLIGHT_TEST_KILL_AFTER_PAGE");
  g_unsetenv ("FIELDLIGHT_TEST_KILL_AFTER_PUSH");
  g_unsetenv ("FIELDLIGHT_TEST_WAIT_AFTER_PAGE");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sync-client/offline-then-back", test_offline_then_back);
  g_test_add_func ("/sync-client/queued-action-pushed", test_queued_action_pushed);
  g_test_add_func ("/sync-client/undo-window-push", test_undo_window_push);
  g_test_add_func ("/sync-client/unauthorized", test_unauthorized);
  return g_test_run ();
}
