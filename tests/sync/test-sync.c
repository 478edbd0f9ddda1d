/* test-sync.c — the sync engine end to end: `fieldlight --sync` (FIELDLIGHT_BIN)
 * against the real fieldlight-server (FIELDLIGHT_SERVER_BIN) on loopback, and
 * against a fake server in this process that answers badly.
 *
 * No sleeps: every wait is for a line of output, a process exit or a callback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <sqlite3.h>

#include "fl-core.h"
#include "fl-sync-store.h"

#define NOW "2026-11-23T09:00:00+08:00"

/* Shared by every test: a small demo dataset file and its status. */
static char *shared_dir;
static char *dataset_path;
static char *dataset_status;

typedef struct
{
  int      status;     /* exit status, or -signal */
  char    *out;
  char    *err;
} Result;

static void
_result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static char *
_tmp_path (const char *name)
{
  /* G_TEST_OPTION_ISOLATE_DIRS: a private HOME per test, removed afterwards. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

/* Helpers (servers, the bus) die with the test, even when an assertion
 * aborts it: left over, they would hold the test runner's pipes. */
static void
_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
_spawn_helper (GSubprocessFlags   flags,
               GError           **error,
               const char        *first,
               ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;

  g_subprocess_launcher_set_child_setup (launcher, _die_with_parent, NULL, NULL);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

static GSubprocessLauncher *
_launcher (GSubprocessFlags   flags,
           const char * const *env)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* No keyring in these tests: the token lives in memory (and is said so). */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/bus", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "FIELDLIGHT_PASSWORD");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  return launcher;
}

static void
_finish_result (Result      *result,
                GSubprocess *process)
{
  if (g_subprocess_get_if_exited (process))
    result->status = g_subprocess_get_exit_status (process);
  else
    result->status = -g_subprocess_get_term_sig (process);
  if (result->status != 0)
    g_test_message ("exit %d, stderr: %s", result->status, result->err);
}

static GPtrArray *
_argv_from (const char *bin,
            va_list     ap)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) bin);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs fieldlight (env: name/value pairs, NULL-terminated) to its end. */
static void
_run (Result             *result,
      const char * const *env,
      ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("FIELDLIGHT_BIN");
  va_list ap;

  g_assert_nonnull (bin);
  va_start (ap, env);
  argv = _argv_from (bin, ap);
  va_end (ap);
  launcher = _launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  _finish_result (result, process);
}

static void
on_communicated_cb (GObject      *source,
                    GAsyncResult *async_result,
                    gpointer      user_data)
{
  Result *result = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), async_result,
                                        &result->out, &result->err, &error);
  g_assert_no_error (error);
  _finish_result (result, G_SUBPROCESS (source));
  g_object_set_data (source, "done", GINT_TO_POINTER (1));
}

/* Like _run, while this thread's main loop serves the fake server. */
static void
_run_async (Result             *result,
            const char * const *env,
            ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("FIELDLIGHT_BIN");
  va_list ap;

  g_assert_nonnull (bin);
  va_start (ap, env);
  argv = _argv_from (bin, ap);
  va_end (ap);
  launcher = _launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated_cb, result);
  while (g_object_get_data (G_OBJECT (process), "done") == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static char *
_status_of_cache (const char *cache)
{
  Result result = { 0, };
  char *out;

  _run (&result, NULL, "--cache", cache, "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (result.status, ==, 0);
  out = g_steal_pointer (&result.out);
  _result_clear (&result);
  return out;
}

static char *
_status_of_dataset (const char *path)
{
  Result result = { 0, };
  char *out;

  _run (&result, NULL, "--dataset", path, "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (result.status, ==, 0);
  out = g_steal_pointer (&result.out);
  _result_clear (&result);
  return out;
}

static void
_assert_same_status (const char *expected,
                     const char *actual)
{
  if (g_strcmp0 (expected, actual) != 0)
    {
      g_autofree char *a = _tmp_path ("expected-status.json");
      g_autofree char *b = _tmp_path ("actual-status.json");

      g_file_set_contents (a, expected, -1, NULL);
      g_file_set_contents (b, actual, -1, NULL);
      g_test_message ("status documents differ: %s %s", a, b);
    }
  g_assert_cmpstr (expected, ==, actual);
}

static guint64
_synced_changes (const char *summary)
{
  const char *p = strstr (summary, "Synced ");
  g_autoptr(GString) digits = g_string_new (NULL);

  g_assert_nonnull (p);
  for (p += strlen ("Synced "); *p != ' ' && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_ascii_strtoull (digits->str, NULL, 10);
}

static char *
_cache_path (const char *cache)
{
  return g_build_filename (cache, "cache.sqlite", NULL);
}

/* fieldlight-server */

typedef struct
{
  GSubprocess *process;
  char        *url;
  char        *db;
} Server;

static gboolean
_have_server (void)
{
  const char *bin = g_getenv ("FIELDLIGHT_SERVER_BIN");

  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("FIELDLIGHT_SERVER_BIN is not set or not built");
      return FALSE;
    }
  return TRUE;
}

/* Runs fieldlight-server to its end; returns its stdout. */
static char *
_server_run (const char *first,
             ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list ap;

  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) g_getenv ("FIELDLIGHT_SERVER_BIN"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_test_message ("fieldlight-server failed: %s", err);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

/* Creates a user; returns the one-time password (the last word printed). */
static char *
_server_add_user (const char *db,
                  const char *name,
                  const char *regions)
{
  g_autofree char *out = _server_run ("--db", db, "--now", NOW, "--add-user", name,
                                      "--regions", regions, NULL);
  g_auto(GStrv) words = g_strsplit_set (g_strstrip (out), " \t\n", -1);
  guint n = g_strv_length (words);

  g_assert_cmpuint (n, >, 0);
  return g_strdup (words[n - 1]);
}

static void
_server_start (Server     *server,
               const char *db,
               const char *listen)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  server->db = g_strdup (db);
  server->process = _spawn_helper (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                  | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                  g_getenv ("FIELDLIGHT_SERVER_BIN"), "--db", db,
                                  "--listen", listen, "--now", NOW, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_free (server->url);
  server->url = g_strdup (g_strstrip (line));
}

static void
_server_kill (Server *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

static void
_server_clear (Server *server)
{
  _server_kill (server);
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->db, g_free);
}

/* "host:port" of the URL, to listen there again. */
static char *
_listen_address (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
}

/* A server seeded with the shared dataset and one manager of everything. */
static void
_seeded_server (Server  *server,
                char   **out_password)
{
  g_autofree char *db = _tmp_path ("server.sqlite");
  g_autofree char *out = _server_run ("--db", db, "--now", NOW, "--import", dataset_path, NULL);

  *out_password = _server_add_user (db, "zhang", "all");
  _server_start (server, db, "127.0.0.1:0");
}

static void
_sync (Result     *result,
       const char *cache,
       const char *url,
       const char *password,
       const char *extra_name,
       const char *extra_value)
{
  const char *env[] = { "FIELDLIGHT_PASSWORD", password, extra_name, extra_value, NULL };

  _run (result, env, "--cache", cache, "--server", url, "--user", "zhang", "--sync", NULL);
}

/* tests: command line only */

static void
test_url_policy (void)
{
  Result result = { 0, };
  g_autofree char *cache = _tmp_path ("cache");
  const char *env[] = { "FIELDLIGHT_PASSWORD", "x", NULL };

  _run (&result, env, "--cache", cache, "--server", "http://example.com/", "--user", "zhang",
        "--sync", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "plain http:// is only allowed"));
  _result_clear (&result);

  _run (&result, env, "--cache", cache, "--server", "ftp://127.0.0.1/", "--user", "zhang",
        "--sync", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "not a valid server address"));
  _result_clear (&result);

  /* Nothing to sync with yet. */
  _run (&result, NULL, "--cache", cache, "--sync", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "--server"));
  _result_clear (&result);
}

/* tests: the fake server */

typedef struct
{
  SoupServer *server;
  char       *url;
  const char *mode;
  GBytes     *valid_page;
  guint       logins;
  guint       changes_requests;
} Fake;

static GBytes *
_page_from_dataset (const char *path,
                    const char *cursor)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *dataset;
  g_autoptr(GList) members = NULL;
  char *text;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  dataset = json_node_get_object (json_parser_get_root (parser));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "fieldlight-changes");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "cursor");
  json_builder_add_string_value (builder, cursor);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "remaining");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "dataset");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "timezone");
  json_builder_add_string_value (builder, json_object_get_string_member (dataset, "timezone"));
  json_builder_set_member_name (builder, "province");
  json_builder_add_value (builder, json_node_copy (json_object_get_member (dataset, "province")));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "upserts");
  json_builder_begin_object (builder);
  members = json_object_get_members (dataset);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (dataset, l->data);

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          json_builder_set_member_name (builder, l->data);
          json_builder_add_value (builder, json_node_copy (node));
        }
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "deletes");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  return g_bytes_new_take (text, strlen (text));
}

static void
_respond (SoupServerMessage *message,
          guint              status,
          const char        *body)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static void
on_fake_login_cb (SoupServer        *server,
                  SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Fake *fake = user_data;

  fake->logins++;
  if (g_strcmp0 (fake->mode, "bad-login") == 0)
    _respond (message, 401, "{\"error\": {\"code\": \"invalid_credentials\", "
                            "\"message\": \"Wrong user name or password.\"}}");
  else
    _respond (message, 200, "{\"token\": \"fake-token\", \"user\": \"zhang\", "
                            "\"regions\": [\"*\"], \"expires\": \"2026-12-27T09:00:00+08:00\"}");
}

static void
on_fake_changes_cb (SoupServer        *server,
                    SoupServerMessage *message,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  Fake *fake = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");

  fake->changes_requests++;
  g_assert_cmpstr (auth, ==, "Bearer fake-token");
  if (g_strcmp0 (fake->mode, "valid") == 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (fake->valid_page, &size);

      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                        data, size);
    }
  else if (g_strcmp0 (fake->mode, "malformed") == 0)
    _respond (message, 200, "{\"format\": \"fieldlight-changes\", \"version\": 1, \"cur");
  else if (g_strcmp0 (fake->mode, "wrong-types") == 0)
    _respond (message, 200,
              "{\"format\": \"fieldlight-changes\", \"version\": 1, \"cursor\": \"c2\", "
              "\"more\": false, \"remaining\": 0, \"upserts\": {\"visits\": [{\"id\": \"v-x1\", "
              "\"customer\": \"c-0001\", \"rep\": \"r-001\", \"start\": 12, "
              "\"end\": \"2026-11-20T09:25:00+08:00\", \"uploaded\": \"2026-11-20T10:02:00+08:00\", "
              "\"committed_action\": \"x\", \"prev_action_achieved\": null}]}, \"deletes\": {}}");
  else if (g_strcmp0 (fake->mode, "wrong-header") == 0)
    _respond (message, 200,
              "{\"format\": \"fieldlight-changes\", \"version\": 1, \"cursor\": \"c2\", "
              "\"more\": \"yes\", \"upserts\": {}, \"deletes\": {\"visits\": [\"v-000001\"]}}");
  else if (g_strcmp0 (fake->mode, "500") == 0)
    _respond (message, 500, "{\"error\": {\"code\": \"internal\", "
                            "\"message\": \"The disk is full.\"}}");
  else if (g_strcmp0 (fake->mode, "401") == 0)
    _respond (message, 401, "{\"error\": {\"code\": \"unauthorized\", "
                            "\"message\": \"Unknown token.\"}}");
  else if (g_strcmp0 (fake->mode, "slow") == 0)
    soup_server_message_pause (message);   /* never answered */
  else if (g_strcmp0 (fake->mode, "hangup") == 0)
    {
      /* The connection drops before any answer: offline. */
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);

      g_io_stream_close (stream, NULL, NULL);
    }
  else
    g_assert_not_reached ();
}

static void
_fake_start (Fake *fake)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, "/api/v1/login", on_fake_login_cb, fake, NULL);
  soup_server_add_handler (fake->server, "/api/v1/changes", on_fake_changes_cb, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  g_assert_nonnull (uris);
  fake->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fake->valid_page = _page_from_dataset (dataset_path, "c1");
}

static void
_fake_clear (Fake *fake)
{
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_clear_pointer (&fake->url, g_free);
  g_clear_pointer (&fake->valid_page, g_bytes_unref);
}

/* Syncs a valid page, then @mode must fail with @expected and change nothing. */
static void
_check_bad_answer (const char *mode,
                   const char *expected,
                   const char *timeout)
{
  Fake fake = { .mode = "valid" };
  Result result = { 0, };
  g_autofree char *cache = _tmp_path ("cache");
  g_autofree char *before = _tmp_path ("before.json");
  g_autofree char *after = _tmp_path ("after.json");
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *path = _cache_path (cache);
  g_autofree char *cursor = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *env[] = { "FIELDLIGHT_PASSWORD", "pw", "FIELDLIGHT_SYNC_TIMEOUT", timeout, NULL };

  _fake_start (&fake);
  _run_async (&result, env, "--cache", cache, "--server", fake.url, "--user", "zhang",
              "--sync", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "Synced "));
  _result_clear (&result);
  _assert_same_status (dataset_status, _status_of_cache (cache));
  _run (&result, NULL, "--cache", cache, "--export-dataset", before, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);

  fake.mode = mode;
  _run_async (&result, env, "--cache", cache, "--server", fake.url, "--user", "zhang",
              "--sync", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_test_message ("%s → %s", mode, result.err);
  g_assert_nonnull (strstr (result.err, expected));
  g_assert_cmpuint (fake.changes_requests, ==, 2);
  _result_clear (&result);

  /* Nothing changed: same data, same cursor. */
  _run (&result, NULL, "--cache", cache, "--export-dataset", after, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  g_file_get_contents (before, &before_text, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (after, &after_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (before_text, ==, after_text);
  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  cursor = fl_store_dup_meta (store, "sync.cursor");
  g_assert_cmpstr (cursor, ==, "c1");

  _fake_clear (&fake);
}

static void
test_fake_malformed (void)
{
  _check_bad_answer ("malformed", "Page 1 from the server is not valid: not JSON", "30");
}

static void
test_fake_wrong_types (void)
{
  _check_bad_answer ("wrong-types", "Page 1 from the server is not valid: visit", "30");
  _check_bad_answer ("wrong-header", "Page 1 from the server is not valid", "30");
}

static void
test_fake_500 (void)
{
  _check_bad_answer ("500", "The server failed (500): The disk is full.", "30");
}

static void
test_fake_401 (void)
{
  _check_bad_answer ("401", "The server refused the sign-in:", "30");
}

static void
test_fake_timeout (void)
{
  _check_bad_answer ("slow", "did not answer within 1 second", "1");
}

static void
test_fake_bad_login (void)
{
  Fake fake = { .mode = "bad-login" };
  Result result = { 0, };
  g_autofree char *cache = _tmp_path ("cache");
  const char *env[] = { "FIELDLIGHT_PASSWORD", "wrong", NULL };

  _fake_start (&fake);
  _run_async (&result, env, "--cache", cache, "--server", fake.url, "--user", "zhang",
              "--sync", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err,
                            "The server refused the sign-in: wrong user name or password"));
  g_assert_cmpuint (fake.changes_requests, ==, 0);
  _result_clear (&result);
  _fake_clear (&fake);
}

/* TLS is verified: a server whose certificate no authority signed is
 * refused before anything (the password included) is sent; trusted, the
 * same server works over https://. */
static void
test_fake_tls_untrusted (void)
{
  Fake fake = { .mode = "valid" };
  Result result = { 0, };
  g_autofree char *cache = _tmp_path ("cache");
  g_autofree char *pem = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                "tls-self-signed.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  const char *env[] = { "FIELDLIGHT_PASSWORD", "secret", NULL };
  GSList *uris;

  certificate = g_tls_certificate_new_from_file (pem, &error);
  if (certificate == NULL || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }
  fake.server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (fake.server, "/api/v1/login", on_fake_login_cb, &fake, NULL);
  soup_server_add_handler (fake.server, "/api/v1/changes", on_fake_changes_cb, &fake, NULL);
  soup_server_listen_local (fake.server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake.server);
  g_assert_nonnull (uris);
  fake.url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_true (g_str_has_prefix (fake.url, "https://127.0.0.1:"));
  fake.valid_page = _page_from_dataset (dataset_path, "c1");

  _run_async (&result, env, "--cache", cache, "--server", fake.url, "--user", "zhang",
              "--sync", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "The secure connection to"));
  g_assert_cmpuint (fake.logins, ==, 0);
  g_assert_cmpuint (fake.changes_requests, ==, 0);
  _result_clear (&result);

  /* The same server, its certificate trusted: signs in and syncs over TLS. */
  {
    const char *trusting[] = { "FIELDLIGHT_PASSWORD", "secret",
                               "FIELDLIGHT_TEST_CA_FILE", pem, NULL };

    _run_async (&result, trusting, "--cache", cache, "--server", fake.url, "--user", "zhang",
                "--sync", NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_true (g_str_has_prefix (result.out, "Synced "));
    g_assert_cmpuint (fake.logins, ==, 1);
    g_assert_cmpuint (fake.changes_requests, >=, 1);
    _result_clear (&result);
  }
  _fake_clear (&fake);
}

static void _queue (const char *cache,
                    const char *id,
                    const char *alert);

/* A cache holding the shared dataset (as the embedded demo leaves it), never
 * synced. */
static void
_fill_cache (const char *cache)
{
  g_autofree char *path = _cache_path (cache);
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (cache, 0700), ==, 0);
  dataset = fl_dataset_load_from_file (dataset_path, &error);
  g_assert_no_error (error);
  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_import_dataset (store, dataset, &error));
  g_assert_no_error (error);
}

static char *
_export (const char *cache,
         const char *name)
{
  Result result = { 0, };
  g_autofree char *file = _tmp_path (name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  _run (&result, NULL, "--cache", cache, "--export-dataset", file, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  g_file_get_contents (file, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* A first sync (no cursor) that fails before a valid page arrived leaves
 * what the cache held: offline, or a page that is not valid. */
static void
test_fake_first_sync_fails (void)
{
  const char * const modes[] = { "hangup", "Cannot reach the server",
                                 "malformed", "Page 1 from the server is not valid",
                                 "500", "The server failed (500)" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i += 2)
    {
      Fake fake = { .mode = modes[i] };
      Result result = { 0, };
      g_autofree char *cache = _tmp_path (modes[i]);
      g_autofree char *path = _cache_path (cache);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *cursor = NULL;
      g_autoptr(FlStore) store = NULL;
      g_autoptr(GError) error = NULL;
      const char *env[] = { "FIELDLIGHT_PASSWORD", "pw", NULL };

      _fill_cache (cache);
      _queue (cache, "6f1c0a4e-2b7d-4c1e-9a35-0d8f2f6b1e99", "churn:c-0001:v-000001");
      before = _export (cache, "before.json");
      _fake_start (&fake);
      _run_async (&result, env, "--cache", cache, "--server", fake.url, "--user", "zhang",
                  "--sync", NULL);
      g_test_message ("%s → %s", modes[i], result.err);
      g_assert_cmpint (result.status, ==, 1);
      g_assert_nonnull (strstr (result.err, modes[i + 1]));
      g_assert_cmpuint (fake.changes_requests, >, 0);
      _result_clear (&result);
      _fake_clear (&fake);

      after = _export (cache, "after.json");
      g_assert_cmpstr (before, ==, after);
      store = fl_store_open (path, &error);
      g_assert_no_error (error);
      cursor = fl_store_dup_meta (store, "sync.cursor");
      g_assert_null (cursor);
    }
}

/* tests: the real server */

static void
test_initial_and_incremental (void)
{
  Server server = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *cache = _tmp_path ("cache");
  g_autofree char *changed_path = _tmp_path ("changed.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *import_out = NULL;
  JsonObject *dataset;
  JsonArray *visits;
  JsonObject *opportunity;
  guint64 changes;

  if (!_have_server ())
    return;
  _seeded_server (&server, &password);

  _sync (&result, cache, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_test_message ("%s", result.out);
  g_assert_true (g_str_has_prefix (result.out, "Synced "));
  g_assert_nonnull (strstr (result.err, "kept for this run only"));
  /* Every record of the data set, once. */
  {
    g_autoptr(FlDataset) exported = fl_dataset_load_from_file (dataset_path, NULL);
    guint64 records = 0;

    g_assert_nonnull (exported);
    for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
      records += fl_dataset_get_entities (exported, kind)->len;
    g_assert_cmpuint (_synced_changes (result.out), ==, records);
  }
  _result_clear (&result);
  _assert_same_status (dataset_status, _status_of_cache (cache));

  /* Server-side changes: 10 visits deleted, an opportunity changed. */
  json_parser_load_from_file (parser, dataset_path, &error);
  g_assert_no_error (error);
  dataset = json_node_get_object (json_parser_get_root (parser));
  visits = json_object_get_array_member (dataset, "visits");
  for (int i = 0; i < 10; i++)
    json_array_remove_element (visits, 0);
  opportunity = json_array_get_object_element (json_object_get_array_member (dataset,
                                                                             "opportunities"), 0);
  json_object_set_double_member (opportunity, "value", 123456.0);
  json_object_set_string_member (opportunity, "last_progress", "2026-09-01T10:00:00+08:00");
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_to_file (generator, changed_path, &error);
  g_assert_no_error (error);
  import_out = _server_run ("--db", server.db, "--now", NOW, "--import", changed_path, NULL);

  _sync (&result, cache, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_test_message ("%s", result.out);
  changes = _synced_changes (result.out);
  g_assert_cmpuint (changes, >=, 11);
  g_assert_cmpuint (changes, <, 100);
  _result_clear (&result);
  {
    g_autofree char *expected = _status_of_dataset (changed_path);
    g_autofree char *actual = _status_of_cache (cache);

    g_assert_cmpstr (expected, !=, dataset_status);
    _assert_same_status (expected, actual);
  }

  /* Nothing new: nothing synced. */
  _sync (&result, cache, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpuint (_synced_changes (result.out), ==, 0);
  _result_clear (&result);

  _server_clear (&server);
}

static void
test_wrong_password (void)
{
  Server server = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *cache = _tmp_path ("cache");

  if (!_have_server ())
    return;
  _seeded_server (&server, &password);
  _sync (&result, cache, server.url, "not-the-password", NULL, NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err,
                            "The server refused the sign-in: wrong user name or password"));
  _result_clear (&result);
  _server_clear (&server);
}

static char *
_pending_alert (const char *status,
                guint       skip)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *alerts;

  json_parser_load_from_data (parser, status, -1, &error);
  g_assert_no_error (error);
  alerts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "alerts");
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject *alert = json_array_get_object_element (alerts, i);

      if (g_strcmp0 (json_object_get_string_member (alert, "state"), "pending") == 0
          && skip-- == 0)
        return g_strdup (json_object_get_string_member (alert, "id"));
    }
  g_assert_not_reached ();
}

static void
_queue (const char *cache,
        const char *id,
        const char *alert)
{
  g_autofree char *path = _cache_path (cache);
  g_autoptr(FlStore) store = fl_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  FlAction action = { (char *) id, (char *) alert, FL_ACTION_SEND_SAMPLE, 0, (char *) "zhang" };

  g_assert_nonnull (store);
  g_assert_true (fl_time_parse_rfc3339 (NOW, &action.created));
  fl_store_queue_action (store, &action, 0, &error);
  g_assert_no_error (error);
}

static FlOutboxState
_outbox_state (const char *cache,
               const char *id)
{
  g_autofree char *path = _cache_path (cache);
  g_autoptr(FlStore) store = fl_store_open (path, NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (store);
  entries = fl_store_list_outbox (store, 0xf, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      FlOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->action->id, id) == 0)
        return entry->state;
    }
  g_assert_not_reached ();
}

static void
_set_outbox_state (const char    *cache,
                   const char    *id,
                   FlOutboxState  state)
{
  g_autofree char *path = _cache_path (cache);
  g_autoptr(FlStore) store = fl_store_open (path, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (store);
  fl_store_update_outbox (store, id, state, 0, 0, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Actions naming @alert in the cache. */
static guint
_count_actions (const char *cache,
                const char *alert)
{
  g_autofree char *path = _cache_path (cache);
  g_autoptr(FlStore) store = fl_store_open (path, NULL);
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_nonnull (store);
  dataset = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < dataset->actions->len; i++)
    {
      FlAction *action = g_ptr_array_index (dataset->actions, i);

      if (g_strcmp0 (action->alert, alert) == 0)
        n++;
    }
  return n;
}

static void
test_outbox (void)
{
  Server server = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *desk1 = _tmp_path ("desk1");
  g_autofree char *desk2 = _tmp_path ("desk2");
  g_autofree char *desk3 = _tmp_path ("desk3");
  g_autofree char *alert_x = NULL;
  g_autofree char *alert_y = NULL;
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *a2 = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();

  if (!_have_server ())
    return;
  _seeded_server (&server, &password);
  alert_x = _pending_alert (dataset_status, 0);
  alert_y = _pending_alert (dataset_status, 1);

  /* Two desktops. */
  _sync (&result, desk1, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  _sync (&result, desk2, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);

  /* Both queue the same action (same UUID); desk2 also another on the same alert. */
  _queue (desk1, a, alert_x);
  _queue (desk2, a, alert_x);
  _queue (desk2, a2, alert_x);

  _sync (&result, desk1, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "1 actions sent, 0 rejected, 0 queued"));
  _result_clear (&result);
  g_assert_cmpint (_outbox_state (desk1, a), ==, FL_OUTBOX_ACCEPTED);

  _sync (&result, desk2, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "1 actions sent, 1 rejected, 0 queued"));
  g_assert_nonnull (strstr (result.err, a2));
  _result_clear (&result);
  g_assert_cmpint (_outbox_state (desk2, a), ==, FL_OUTBOX_ACCEPTED);
  g_assert_cmpint (_outbox_state (desk2, a2), ==, FL_OUTBOX_REJECTED);

  /* Sent again (as after a lost answer): a replay, nothing new. */
  _set_outbox_state (desk1, a, FL_OUTBOX_QUEUED);
  _sync (&result, desk1, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "1 actions sent, 0 rejected"));
  _result_clear (&result);

  /* The answer is lost after the server committed: the client dies. */
  _queue (desk1, b, alert_y);
  _sync (&result, desk1, server.url, password, "FIELDLIGHT_TEST_KILL_AFTER_PUSH", "1");
  g_assert_cmpint (result.status, ==, -SIGKILL);
  _result_clear (&result);
  g_assert_cmpint (_outbox_state (desk1, b), ==, FL_OUTBOX_SENT);
  _sync (&result, desk1, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "1 actions sent, 0 rejected, 0 queued"));
  _result_clear (&result);
  g_assert_cmpint (_outbox_state (desk1, b), ==, FL_OUTBOX_ACCEPTED);

  /* What the server holds, seen by a third desktop: exactly one of each. */
  _sync (&result, desk3, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  g_assert_cmpuint (_count_actions (desk3, alert_x), ==, 1);
  g_assert_cmpuint (_count_actions (desk3, alert_y), ==, 1);
  /* And desk2 learnt that the alert is actioned by a. */
  _sync (&result, desk2, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  g_assert_cmpuint (_count_actions (desk2, alert_x), ==, 1);
  _assert_same_status (_status_of_cache (desk3), _status_of_cache (desk2));

  _server_clear (&server);
}

/* The bulk load marker of a pull left in the cache file, read without
 * opening a store (which would end the bulk load). */
static gboolean
_has_bulk_marker (const char *cache)
{
  g_autofree char *path = _cache_path (cache);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT 1 FROM meta WHERE key = 'store.bulk_load'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return found;
}

/* @data: non-NULL for the variant in which every pull is a bulk load. */
static void
_set_bulk (gconstpointer data)
{
  if (data != NULL)
    g_setenv ("FIELDLIGHT_TEST_BULK_MIN", "1", TRUE);
  else
    g_unsetenv ("FIELDLIGHT_TEST_BULK_MIN");
}

/* Execute on a train: the action is queued offline, the sync fails and
 * keeps it, and once the server is back it is sent exactly once. */
static void
test_execute_offline (void)
{
  Server server = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *desk = _tmp_path ("desk");
  g_autofree char *other = _tmp_path ("other");
  g_autofree char *listen = NULL;
  g_autofree char *alert = NULL;
  g_autofree char *db = NULL;

  if (!_have_server ())
    return;
  _seeded_server (&server, &password);
  alert = _pending_alert (dataset_status, 2);
  _sync (&result, desk, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);

  /* Offline. */
  listen = _listen_address (server.url);
  db = g_strdup (server.db);
  _server_kill (&server);
  _run (&result, NULL, "--cache", desk, "--now", NOW, "--execute", alert, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  g_assert_cmpuint (_count_actions (desk, alert), ==, 1);
  _sync (&result, desk, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "Cannot reach the server"));
  _result_clear (&result);
  g_assert_cmpuint (_count_actions (desk, alert), ==, 1);

  /* Back: sent once, and only once. */
  _server_start (&server, db, listen);
  _sync (&result, desk, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "1 actions sent, 0 rejected, 0 queued"));
  _result_clear (&result);
  _sync (&result, desk, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "0 actions sent, 0 rejected, 0 queued"));
  _result_clear (&result);
  _sync (&result, other, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  g_assert_cmpuint (_count_actions (other, alert), ==, 1);
  _assert_same_status (_status_of_cache (other), _status_of_cache (desk));

  _server_clear (&server);
}

static void
test_server_killed (gconstpointer data)
{
  Server server = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *cache = _tmp_path ("cache");
  g_autofree char *listen = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err_lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *partial = NULL;
  const char *env[] = { "FIELDLIGHT_PASSWORD", NULL, "FIELDLIGHT_TEST_PAGE_LIMIT", "1000",
                        "FIELDLIGHT_TEST_WAIT_AFTER_PAGE", "2", NULL };
  gsize written;

  if (!_have_server ())
    return;
  _set_bulk (data);
  _seeded_server (&server, &password);
  env[1] = password;
  listen = _listen_address (server.url);

  launcher = _launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                        | G_SUBPROCESS_FLAGS_STDERR_PIPE, env);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FIELDLIGHT_BIN"),
                                         "--cache", cache, "--server", server.url,
                                         "--user", "zhang", "--sync", NULL);
  g_assert_no_error (error);
  err_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line_utf8 (err_lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  while (!g_str_has_prefix (line, "fieldlight-test: page 2 committed"));

  /* The server dies between two pages. */
  _server_kill (&server);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), "\n", 1, &written, NULL,
                             &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result.out, &result.err, &error);
  g_assert_no_error (error);
  _finish_result (&result, process);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "Cannot reach the server"));
  _result_clear (&result);

  /* The cache is consistent (two pages in) and usable: a bulk load was
   * ended when the sync stopped. */
  g_assert_false (_has_bulk_marker (cache));
  partial = _status_of_cache (cache);
  g_assert_nonnull (partial);

  /* Back, at the same address: the next sync resumes and completes. */
  _server_start (&server, server.db, listen);
  _sync (&result, cache, server.url, password, "FIELDLIGHT_TEST_PAGE_LIMIT", "1000");
  g_assert_cmpint (result.status, ==, 0);
  g_test_message ("%s", result.out);
  _result_clear (&result);
  _assert_same_status (dataset_status, _status_of_cache (cache));
  g_assert_false (_has_bulk_marker (cache));

  _server_clear (&server);
  _set_bulk (NULL);
}

static void
test_client_killed_pull (gconstpointer data)
{
  Server server = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *cache = _tmp_path ("cache");
  g_autofree char *reference = _tmp_path ("reference");
  guint64 total, rest;

  if (!_have_server ())
    return;
  _set_bulk (data);
  _seeded_server (&server, &password);

  _sync (&result, reference, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  total = _synced_changes (result.out);
  _result_clear (&result);

  {
    const char *env[] = { "FIELDLIGHT_PASSWORD", password, "FIELDLIGHT_TEST_PAGE_LIMIT", "1000",
                          "FIELDLIGHT_TEST_KILL_AFTER_PAGE", "3", NULL };

    _run (&result, env, "--cache", cache, "--server", server.url, "--user", "zhang", "--sync",
          NULL);
    g_assert_cmpint (result.status, ==, -SIGKILL);
    _result_clear (&result);
  }
  /* Killed in the middle of a bulk load: the next open of the cache ends it. */
  g_assert_cmpint (_has_bulk_marker (cache), ==, data != NULL);

  /* Restart: resumes after page 3, nothing lost, nothing twice. */
  _sync (&result, cache, server.url, password, "FIELDLIGHT_TEST_PAGE_LIMIT", "1000");
  g_assert_cmpint (result.status, ==, 0);
  rest = _synced_changes (result.out);
  _result_clear (&result);
  g_assert_cmpuint (rest, >, 0);
  g_assert_cmpuint (rest, <, total);
  _assert_same_status (dataset_status, _status_of_cache (cache));
  {
    g_autofree char *a = _cache_path (cache);
    g_autofree char *b = _cache_path (reference);
    g_autoptr(FlStore) sa = fl_store_open (a, NULL);
    g_autoptr(FlStore) sb = fl_store_open (b, NULL);
    const char *tables[] = { "visits", "customers", "opportunities", "actions", "reps" };

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      g_assert_cmpint (fl_store_count (sa, tables[i]), ==, fl_store_count (sb, tables[i]));
  }
  g_assert_false (_has_bulk_marker (cache));

  _server_clear (&server);
  _set_bulk (NULL);
}

/* The server's data is rebuilt (410 cursor_expired): the client pulls from
 * scratch; what the server no longer has goes, the queued action stays. */
static void
test_cursor_expired (void)
{
  Server server = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *cache = _tmp_path ("cache");
  g_autofree char *reference = _tmp_path ("reference");
  g_autofree char *path = _cache_path (cache);
  g_autofree char *listen = NULL;
  g_autofree char *db = NULL;
  g_autofree char *out = NULL;
  g_autofree char *alert = NULL;
  g_autofree char *queued = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  guint64 total;

  if (!_have_server ())
    return;
  _seeded_server (&server, &password);
  listen = _listen_address (server.url);
  alert = _pending_alert (dataset_status, 0);

  _sync (&result, cache, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  total = _synced_changes (result.out);
  _result_clear (&result);

  /* Locally: an action waiting (its undo window runs for an hour), and a
   * visit the rebuilt server will not have. */
  {
    g_autoptr(FlStore) store = fl_store_open (path, &error);
    FlAction action = { queued, alert, FL_ACTION_SEND_SAMPLE, 0, (char *) "zhang" };
    g_autoptr(FlDataset) fragment = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_no_error (error);
    g_assert_true (fl_time_parse_rfc3339 (NOW, &action.created));
    g_assert_true (fl_store_queue_action (store, &action, g_get_real_time () / G_USEC_PER_SEC
                                                          + 3600, &error));
    g_assert_no_error (error);
    json_parser_load_from_data (parser,
      "{\"visits\": [{\"id\": \"v-stale\", \"customer\": \"c-0001\", \"rep\": \"r-001\","
      " \"start\": \"2026-11-20T09:00:00+08:00\", \"end\": \"2026-11-20T10:00:00+08:00\","
      " \"uploaded\": \"2026-11-20T10:05:00+08:00\", \"pain_keywords\": [],"
      " \"committed_action\": \"x\", \"prev_action_achieved\": null, \"pitches\": []}]}",
      -1, &error);
    g_assert_no_error (error);
    fragment = fl_dataset_load_fragment (json_node_get_object (json_parser_get_root (parser)),
                                         "test", &error);
    g_assert_no_error (error);
    g_assert_true (fl_store_merge_dataset (store, fragment, &error));
    g_assert_no_error (error);
  }

  /* The server's database is rebuilt: a new epoch, at the same address. */
  _server_kill (&server);
  db = _tmp_path ("server-rebuilt.sqlite");
  out = _server_run ("--db", db, "--now", NOW, "--import", dataset_path, NULL);
  g_free (password);
  password = _server_add_user (db, "zhang", "all");
  _server_start (&server, db, listen);

  _sync (&result, cache, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_test_message ("%s", result.out);
  g_assert_cmpuint (_synced_changes (result.out), ==, total);
  g_assert_nonnull (strstr (result.out, "0 actions sent, 0 rejected, 1 queued"));
  _result_clear (&result);

  g_assert_cmpint (_outbox_state (cache, queued), ==, FL_OUTBOX_QUEUED);
  g_assert_cmpuint (_count_actions (cache, alert), ==, 1);
  _sync (&result, reference, server.url, password, NULL, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  {
    g_autofree char *b = _cache_path (reference);
    g_autoptr(FlStore) sa = fl_store_open (path, NULL);
    g_autoptr(FlStore) sb = fl_store_open (b, NULL);
    const char *tables[] = { "visits", "pitches", "customers", "health", "opportunities",
                             "reps", "regions", "customer_visits" };

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      g_assert_cmpint (fl_store_count (sa, tables[i]), ==, fl_store_count (sb, tables[i]));
    g_assert_cmpint (fl_store_count (sa, "actions"), ==, fl_store_count (sb, "actions") + 1);
  }

  _server_clear (&server);
}

static void
test_scope (void)
{
  Server server = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *li_password = NULL;
  g_autofree char *cache = _tmp_path ("cache");
  g_autofree char *path = _cache_path (cache);
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  const char *env[] = { "FIELDLIGHT_PASSWORD", NULL, NULL };

  if (!_have_server ())
    return;
  _seeded_server (&server, &password);
  li_password = _server_add_user (server.db, "li", "330700");
  env[1] = li_password;
  _run (&result, env, "--cache", cache, "--server", server.url, "--user", "li", "--sync", NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);

  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  dataset = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dataset->customers->len, >, 0);
  for (guint i = 0; i < dataset->customers->len; i++)
    g_assert_cmpstr (((FlCustomer *) g_ptr_array_index (dataset->customers, i))->region, ==,
                     "330700");
  for (guint i = 0; i < dataset->regions->len; i++)
    g_assert_cmpstr (((FlRegion *) g_ptr_array_index (dataset->regions, i))->code, ==,
                     "330700");

  _server_clear (&server);
}

/* A private session bus with an unlocked gnome-keyring (PITFALLS.md). */
typedef struct
{
  GSubprocess *bus;
  GSubprocess *keyring;
  char        *address;
  gboolean     appeared;
  gboolean     exited;
} Keyring;

static void
on_keyring_exited_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Keyring *keyring = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  keyring->exited = TRUE;
}

static void
on_secrets_appeared_cb (GDBusConnection *connection,
                        const char      *name,
                        const char      *owner,
                        gpointer         user_data)
{
  Keyring *keyring = user_data;

  keyring->appeared = TRUE;
}

static gboolean
_keyring_start (Keyring *keyring)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *dbus = g_find_program_in_path ("dbus-daemon");
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  gsize written;
  guint watch;

  if (dbus == NULL || daemon == NULL)
    {
      g_test_skip ("dbus-daemon or gnome-keyring-daemon is not installed");
      return FALSE;
    }
  keyring->bus = _spawn_helper (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                dbus, "--session", "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (keyring->bus));
  keyring->address = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (keyring->address);

  /* Its control socket goes there (a fresh, isolated directory). */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_runtime_dir (), 0700), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", keyring->address, TRUE);
  /* The isolated directories (the keyring file goes to XDG_DATA_HOME). */
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  /* Without --foreground it returns once the keyring is unlocked (with
   * --foreground the bus name comes before that); it ends with the bus. */
  keyring->keyring = g_subprocess_launcher_spawn (launcher, &error, daemon,
                                                  "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring->keyring), "pw", 2,
                             &written, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (keyring->keyring), NULL, &error);
  g_assert_no_error (error);

  /* Ready when the Secret Service is on the bus. */
  connection = g_dbus_connection_new_for_address_sync (keyring->address,
                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                 | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  watch = g_bus_watch_name_on_connection (connection, "org.freedesktop.secrets",
                                          G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          on_secrets_appeared_cb, NULL, keyring, NULL);
  g_subprocess_wait_async (keyring->keyring, NULL, on_keyring_exited_cb, keyring);
  while (!keyring->exited || !(keyring->appeared || !g_subprocess_get_successful (keyring->keyring)))
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  if (!keyring->appeared)
    {
      g_test_skip ("gnome-keyring-daemon did not start");
      return FALSE;
    }
  return TRUE;
}

static void
_keyring_stop (Keyring *keyring)
{
  while (keyring->keyring != NULL && !keyring->exited)
    g_main_context_iteration (NULL, TRUE);
  if (keyring->bus != NULL)
    {
      g_subprocess_force_exit (keyring->bus);
      g_subprocess_wait (keyring->bus, NULL, NULL);
    }
  g_clear_object (&keyring->keyring);
  g_clear_object (&keyring->bus);
  g_clear_pointer (&keyring->address, g_free);
}

static void
test_keyring (void)
{
  Server server = { 0, };
  Keyring keyring = { 0, };
  Result result = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *again = NULL;
  g_autofree char *cache = _tmp_path ("cache");

  if (!_have_server ())
    return;
  if (!_keyring_start (&keyring))
    {
      _keyring_stop (&keyring);
      return;
    }
  _seeded_server (&server, &password);

  {
    const char *env[] = { "FIELDLIGHT_PASSWORD", password,
                          "DBUS_SESSION_BUS_ADDRESS", keyring.address, NULL };

    _run (&result, env, "--cache", cache, "--server", server.url, "--user", "zhang", "--sync",
          NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_test_message ("%s%s", result.out, result.err);
    g_assert_null (strstr (result.err, "kept for this run only"));
    _result_clear (&result);
  }
  {
    const char *env[] = { "DBUS_SESSION_BUS_ADDRESS", keyring.address, NULL };

    /* The token from the keyring, the server and user from the cache. */
    _run (&result, env, "--cache", cache, "--sync", NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_true (g_str_has_prefix (result.out, "Synced 0 changes"));
    _result_clear (&result);

    /* A new password revokes the tokens: refused, and forgotten. */
    again = _server_add_user (server.db, "zhang", "all");
    _run (&result, env, "--cache", cache, "--sync", NULL);
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "The server refused the sign-in"));
    _result_clear (&result);
    _run (&result, env, "--cache", cache, "--sync", NULL);
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "not signed in"));
    _result_clear (&result);
  }

  _server_clear (&server);
  _keyring_stop (&keyring);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  Result result = { 0, };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  shared_dir = g_dir_make_tmp ("fieldlight-sync-XXXXXX", &error);
  g_assert_no_error (error);
  dataset_path = g_build_filename (shared_dir, "dataset.json", NULL);
  _run (&result, NULL, "--demo", "--scale", "0.1", "--now", NOW, "--export-dataset",
        dataset_path, NULL);
  g_assert_cmpint (result.status, ==, 0);
  _result_clear (&result);
  dataset_status = _status_of_dataset (dataset_path);

  g_test_add_func ("/sync/url-policy", test_url_policy);
  g_test_add_func ("/sync/fake/malformed", test_fake_malformed);
  g_test_add_func ("/sync/fake/wrong-types", test_fake_wrong_types);
  g_test_add_func ("/sync/fake/http-500", test_fake_500);
  g_test_add_func ("/sync/fake/http-401", test_fake_401);
  g_test_add_func ("/sync/fake/timeout", test_fake_timeout);
  g_test_add_func ("/sync/fake/bad-login", test_fake_bad_login);
  g_test_add_func ("/sync/fake/tls-untrusted", test_fake_tls_untrusted);
  g_test_add_func ("/sync/fake/first-sync-fails", test_fake_first_sync_fails);
  g_test_add_func ("/sync/server/initial-and-incremental", test_initial_and_incremental);
  g_test_add_func ("/sync/server/wrong-password", test_wrong_password);
  g_test_add_func ("/sync/server/outbox", test_outbox);
  g_test_add_func ("/sync/server/execute-offline", test_execute_offline);
  g_test_add_data_func ("/sync/server/server-killed", NULL, test_server_killed);
  g_test_add_data_func ("/sync/server/server-killed-bulk", "bulk", test_server_killed);
  g_test_add_data_func ("/sync/server/client-killed-pull", NULL, test_client_killed_pull);
  g_test_add_data_func ("/sync/server/client-killed-pull-bulk", "bulk",
                        test_client_killed_pull);
  g_test_add_func ("/sync/server/cursor-expired", test_cursor_expired);
  g_test_add_func ("/sync/server/scope", test_scope);
  g_test_add_func ("/sync/server/keyring", test_keyring);
  status = g_test_run ();

  g_unlink (dataset_path);
  g_rmdir (shared_dir);
  g_free (dataset_path);
  g_free (shared_dir);
  g_free (dataset_status);
  return status;
}
