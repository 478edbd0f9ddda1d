/* test-server.c — fieldlight-server as a process (FIELDLIGHT_SERVER_BIN), over HTTP
 *
 * One server runs for the whole program on a temporary database seeded with
 * the demo data at scale 0.1, with two managers: "alice" (330700 only) and
 * "boss" (every region). The server is another process, so synchronous
 * requests are fine here (PITFALLS.md: never in the server's own thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "fl-rules.h"
#include "fl-server-db.h"
#include "fl-store.h"
#include "fl-sync-store.h"
#include "fl-time.h"

#define NOW "2026-11-23T09:00:00+08:00"
#define SCOPE "330700"
/* Over the 1 MiB limit of docs/api.md. */
#define FL_SERVER_TEST_LARGE (1024 * 1024 + 4096)

static const char * const kinds[] = {
  "regions", "reps", "categories", "products", "customers",
  "visits", "opportunities", "pilots", "cases", "actions",
};
#define N_KINDS G_N_ELEMENTS (kinds)

static char *tmp_dir;
static char *db_path;
static char *base_url;          /* without the trailing slash */
static char *alice_password;
static char *boss_password;
static GSubprocess *server;
static SoupSession *session;

/* Helpers */

static char *
_run_server_tool (const char *first,
                  ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list ap;

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
    g_error ("fieldlight-server failed: %s", err);
  return g_strstrip (out);
}

typedef struct
{
  guint       status;
  JsonNode   *root;
  JsonObject *object;   /* borrowed from root */
} Response;

static void
_response_clear (Response *response)
{
  g_clear_pointer (&response->root, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, _response_clear)

static void
_http (Response   *response,
       const char *method,
       const char *path,
       const char *token,
       const char *body,
       gssize      body_len)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->root = NULL;
  response->object = NULL;

  data = g_bytes_get_data (reply, &length);
  if (length > 0)
    {
      g_assert_cmpstr (soup_message_headers_get_content_type (
                         soup_message_get_response_headers (msg), NULL), ==, "application/json");
      response->root = json_from_string (data, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (response->root));
      response->object = json_node_get_object (response->root);
    }
}

/* Asserts an error response with this status and code. */
static void
_assert_error (Response   *response,
               guint       status,
               const char *code)
{
  JsonObject *error;

  if (response->root != NULL && response->status != status)
    {
      g_autofree char *text = json_to_string (response->root, FALSE);

      g_test_message ("unexpected response %u: %s", response->status, text);
    }
  g_assert_cmpuint (response->status, ==, status);
  g_assert_nonnull (response->object);
  error = json_object_get_object_member (response->object, "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
}

static char *
_login (const char *user,
        const char *password)
{
  g_auto(Response) r = { 0, };
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"%s\"}",
                                           user, password);

  _http (&r, "POST", "/api/v1/login", NULL, body, -1);
  g_assert_cmpuint (r.status, ==, 200);
  return g_strdup (json_object_get_string_member (r.object, "token"));
}

/* What a client accumulates from pulling: kind → id → entity (ref'd). */
typedef struct
{
  GHashTable *upserts[N_KINDS];
  GHashTable *deletes[N_KINDS];
  char       *cursor;
  guint       pages;
} Pulled;

static void
_pulled_clear (Pulled *pulled)
{
  for (guint k = 0; k < N_KINDS; k++)
    {
      g_clear_pointer (&pulled->upserts[k], g_hash_table_unref);
      g_clear_pointer (&pulled->deletes[k], g_hash_table_unref);
    }
  g_clear_pointer (&pulled->cursor, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pulled, _pulled_clear)

static const char *
_entity_id (guint       kind,
            JsonObject *entity)
{
  return json_object_get_string_member (entity, kind == 0 ? "code" : "id");
}

static JsonArray *_opt_array (JsonObject *object, const char *member);

/* Pulls from @cursor (NULL: the beginning) until "more" is false; every
 * entity must come at most once. */
static void
_pull (Pulled     *pulled,
       const char *token,
       const char *cursor,
       guint       limit)
{
  gint64 last_remaining = G_MAXINT64;

  for (guint k = 0; k < N_KINDS; k++)
    {
      pulled->upserts[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) json_object_unref);
      pulled->deletes[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  pulled->cursor = g_strdup (cursor);
  pulled->pages = 0;

  for (;;)
    {
      g_auto(Response) r = { 0, };
      g_autofree char *path = NULL;
      g_autofree char *escaped = NULL;
      JsonObject *upserts, *deletes, *dataset;
      gint64 remaining;
      guint n_records = 0;

      escaped = g_uri_escape_string (pulled->cursor != NULL ? pulled->cursor : "", NULL, FALSE);
      path = g_strdup_printf ("/api/v1/changes?limit=%u&cursor=%s", limit, escaped);
      _http (&r, "GET", path, token, NULL, 0);
      g_assert_cmpuint (r.status, ==, 200);
      pulled->pages++;

      g_assert_cmpstr (json_object_get_string_member (r.object, "format"), ==,
                       "fieldlight-changes");
      g_assert_cmpint (json_object_get_int_member (r.object, "version"), ==, 1);
      dataset = json_object_get_object_member (r.object, "dataset");
      g_assert_cmpstr (json_object_get_string_member (dataset, "timezone"), ==, "Asia/Shanghai");
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (dataset, "province"), "code"), ==,
                       "330000");

      upserts = json_object_get_object_member (r.object, "upserts");
      deletes = json_object_get_object_member (r.object, "deletes");
      for (guint k = 0; k < N_KINDS; k++)
        {
          JsonArray *array = _opt_array (upserts, kinds[k]);

          for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
            {
              JsonObject *entity = json_array_get_object_element (array, i);
              const char *id = _entity_id (k, entity);

              g_assert_false (g_hash_table_contains (pulled->upserts[k], id));
              g_hash_table_insert (pulled->upserts[k], g_strdup (id), json_object_ref (entity));
              n_records++;
            }

          array = _opt_array (deletes, kinds[k]);
          for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
            {
              const char *id = json_array_get_string_element (array, i);

              g_assert_false (g_hash_table_contains (pulled->deletes[k], id));
              g_hash_table_add (pulled->deletes[k], g_strdup (id));
              n_records++;
            }
        }
      g_assert_cmpuint (n_records, <=, limit);

      g_free (pulled->cursor);
      pulled->cursor = g_strdup (json_object_get_string_member (r.object, "cursor"));
      remaining = json_object_get_int_member (r.object, "remaining");
      g_assert_cmpint (remaining, <, last_remaining);
      last_remaining = remaining;
      if (!json_object_get_boolean_member (r.object, "more"))
        {
          g_assert_cmpint (remaining, ==, 0);
          break;
        }
      g_assert_cmpuint (n_records, ==, limit);
    }
}

static JsonArray *
_opt_array (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_node_get_array (node);
}

static guint
_count_upserts (Pulled *pulled)
{
  guint n = 0;

  for (guint k = 0; k < N_KINDS; k++)
    n += g_hash_table_size (pulled->upserts[k]);
  return n;
}

static FlDataset *
_export_server_data (void)
{
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  FlDataset *dataset;

  store = fl_store_open (db_path, &error);
  g_assert_no_error (error);
  dataset = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  return dataset;
}

static GPtrArray *
_dataset_array (FlDataset *dataset,
                guint      kind)
{
  GPtrArray *arrays[N_KINDS] = {
    dataset->regions, dataset->reps, dataset->categories, dataset->products,
    dataset->customers, dataset->visits, dataset->opportunities, dataset->pilots,
    dataset->cases, dataset->actions,
  };

  return arrays[kind];
}

/* The region of an action's alert, from its id (FORMATS.md §2). */
static const char *
_alert_region (FlDataset  *dataset,
               const char *alert)
{
  g_auto(GStrv) parts = g_strsplit (alert, ":", 3);
  const char *customer = NULL;

  if (g_strv_length (parts) < 2)
    return NULL;
  if (strcmp (parts[0], "gap") == 0)
    {
      for (guint i = 0; i < dataset->regions->len; i++)
        {
          FlRegion *region = g_ptr_array_index (dataset->regions, i);

          if (strcmp (region->code, parts[1]) == 0)
            return region->code;
        }
      return NULL;
    }
  if (strcmp (parts[0], "churn") == 0)
    customer = parts[1];
  else
    {
      for (guint i = 0; i < dataset->opportunities->len; i++)
        {
          FlOpportunity *o = g_ptr_array_index (dataset->opportunities, i);

          if (strcmp (o->id, parts[1]) == 0)
            customer = o->customer;
        }
    }
  for (guint i = 0; customer != NULL && i < dataset->customers->len; i++)
    {
      FlCustomer *c = g_ptr_array_index (dataset->customers, i);

      if (strcmp (c->id, customer) == 0)
        return c->region;
    }
  return NULL;
}

static FlAlert *
_find_alert (FlEvaluation *evaluation,
             gboolean      in_scope,
             GHashTable   *actioned)
{
  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if ((strcmp (alert->region, SCOPE) == 0) == in_scope && !alert->actioned &&
          !g_hash_table_contains (actioned, alert->id))
        return alert;
    }
  g_assert_not_reached ();
}

static FlEvaluation *
_evaluate (GHashTable **out_actioned)
{
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  FlRuleSettings settings;
  FlEvaluation *evaluation;
  gint64 now;

  g_assert_true (fl_time_parse_rfc3339 (NOW, &now));
  store = fl_store_open (db_path, &error);
  g_assert_no_error (error);
  fl_rule_settings_init_default (&settings);
  evaluation = fl_rules_evaluate (store, now, &settings, &error);
  g_assert_no_error (error);

  dataset = fl_store_export_dataset (store, &error);
  g_assert_no_error (error);
  *out_actioned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < dataset->actions->len; i++)
    g_hash_table_add (*out_actioned,
                      g_strdup (((FlAction *) g_ptr_array_index (dataset->actions, i))->alert));
  return evaluation;
}

static char *
_action_json (const char *id,
              const char *alert)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"alert\":\"%s\",\"kind\":\"call_today\","
                          "\"created\":\"2026-11-23T09:10:00+08:00\",\"created_by\":\"forged\"}",
                          id, alert);
}

/* Tests */

static void
test_login (void)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) bad = { 0, };
  g_auto(Response) unknown = { 0, };
  g_auto(Response) malformed = { 0, };
  g_auto(Response) wrong_type = { 0, };
  g_auto(Response) wrong_method = { 0, };
  g_autofree char *body = g_strdup_printf ("{\"user\":\"boss\",\"password\":\"%s\"}",
                                           boss_password);
  JsonArray *regions;
  gint64 expires;

  _http (&r, "POST", "/api/v1/login", NULL, body, -1);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpuint (strlen (json_object_get_string_member (r.object, "token")), ==, 43);
  g_assert_cmpstr (json_object_get_string_member (r.object, "user"), ==, "boss");
  regions = json_object_get_array_member (r.object, "regions");
  g_assert_cmpuint (json_array_get_length (regions), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (regions, 0), ==, "*");
  g_assert_true (fl_time_parse_rfc3339 (json_object_get_string_member (r.object, "expires"),
                                        &expires));
  g_assert_cmpstr (json_object_get_string_member (r.object, "expires"), ==,
                   "2026-12-23T09:00:00+08:00");

  _http (&bad, "POST", "/api/v1/login", NULL,
         "{\"user\":\"alice\",\"password\":\"not-her-password\"}", -1);
  _assert_error (&bad, 401, "invalid_credentials");

  _http (&unknown, "POST", "/api/v1/login", NULL, "{\"user\":\"eve\",\"password\":\"x\"}", -1);
  _assert_error (&unknown, 401, "invalid_credentials");

  _http (&malformed, "POST", "/api/v1/login", NULL, "{\"user\":", -1);
  _assert_error (&malformed, 400, "malformed");

  _http (&wrong_type, "POST", "/api/v1/login", NULL, "{\"user\":7,\"password\":\"x\"}", -1);
  _assert_error (&wrong_type, 400, "malformed");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (wrong_type.object, "error"),
                              "message"), "user"));

  _http (&wrong_method, "GET", "/api/v1/login", NULL, NULL, 0);
  _assert_error (&wrong_method, 405, "method_not_allowed");
}

static void
test_unauthorized (void)
{
  g_autofree char *token = _login ("alice", alice_password);
  g_auto(Response) missing = { 0, };
  g_auto(Response) bogus = { 0, };
  g_auto(Response) push = { 0, };
  g_auto(Response) unknown = { 0, };
  g_auto(Response) ok = { 0, };
  g_auto(Response) logout = { 0, };
  g_auto(Response) after = { 0, };

  _http (&missing, "GET", "/api/v1/changes", NULL, NULL, 0);
  _assert_error (&missing, 401, "unauthorized");
  _http (&bogus, "GET", "/api/v1/changes", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, 0);
  _assert_error (&bogus, 401, "unauthorized");
  _http (&push, "POST", "/api/v1/actions", NULL, "{}", -1);
  _assert_error (&push, 401, "unauthorized");
  _http (&unknown, "GET", "/api/v1/nothing", token, NULL, 0);
  _assert_error (&unknown, 404, "not_found");

  _http (&ok, "GET", "/api/v1/changes?limit=1", token, NULL, 0);
  g_assert_cmpuint (ok.status, ==, 200);
  _http (&logout, "POST", "/api/v1/logout", token, NULL, 0);
  g_assert_cmpuint (logout.status, ==, 204);
  _http (&after, "GET", "/api/v1/changes?limit=1", token, NULL, 0);
  _assert_error (&after, 401, "unauthorized");
}

static void
test_pull_all (void)
{
  g_autofree char *token = _login ("boss", boss_password);
  g_autoptr(FlDataset) expected = _export_server_data ();
  g_auto(Pulled) pulled = { 0, };
  g_auto(Response) bad = { 0, };
  g_auto(Response) expired = { 0, };
  g_auto(Response) bad_limit = { 0, };
  g_autofree char *forged = NULL;
  g_autofree char *path = NULL;
  guint total = 0;

  _pull (&pulled, token, NULL, 500);
  for (guint k = 0; k < N_KINDS; k++)
    {
      GPtrArray *array = _dataset_array (expected, k);

      g_test_message ("%s: %u", kinds[k], array->len);
      g_assert_cmpuint (g_hash_table_size (pulled.upserts[k]), ==, array->len);
      g_assert_cmpuint (g_hash_table_size (pulled.deletes[k]), ==, 0);
      total += array->len;
    }
  g_assert_cmpuint (g_hash_table_size (pulled.upserts[5]), >, 3000);
  g_assert_cmpuint (pulled.pages, ==, (total + 499) / 500);

  _http (&bad, "GET", "/api/v1/changes?cursor=not-a-cursor!", token, NULL, 0);
  _assert_error (&bad, 400, "bad_cursor");

  /* A cursor of another epoch: what a rebuilt database sees. */
  forged = g_base64_encode ((const guchar *) "0123456789abcdef:1:0", 20);
  g_strdelimit (forged, "=", '\0');
  g_strdelimit (forged, "+", '-');
  g_strdelimit (forged, "/", '_');
  path = g_strdup_printf ("/api/v1/changes?cursor=%s", forged);
  _http (&expired, "GET", path, token, NULL, 0);
  _assert_error (&expired, 410, "cursor_expired");

  _http (&bad_limit, "GET", "/api/v1/changes?limit=-3", token, NULL, 0);
  _assert_error (&bad_limit, 400, "malformed");
}

static void
test_pull_scoped (void)
{
  g_autofree char *token = _login ("alice", alice_password);
  g_autoptr(FlDataset) data = _export_server_data ();
  g_autoptr(GHashTable) customers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) opportunities = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(Pulled) pulled = { 0, };
  guint expected[N_KINDS] = { 0, };
  GHashTableIter iter;
  gpointer value;

  /* What 330700 should get, from the server's data. */
  for (guint i = 0; i < data->regions->len; i++)
    expected[0] += strcmp (((FlRegion *) g_ptr_array_index (data->regions, i))->code, SCOPE) == 0;
  for (guint i = 0; i < data->reps->len; i++)
    expected[1] += strcmp (((FlRep *) g_ptr_array_index (data->reps, i))->region, SCOPE) == 0;
  expected[2] = data->categories->len;
  expected[3] = data->products->len;
  for (guint i = 0; i < data->customers->len; i++)
    {
      FlCustomer *c = g_ptr_array_index (data->customers, i);

      if (strcmp (c->region, SCOPE) == 0)
        {
          g_hash_table_add (customers, c->id);
          expected[4]++;
        }
    }
  for (guint i = 0; i < data->visits->len; i++)
    {
      FlVisit *v = g_ptr_array_index (data->visits, i);

      expected[5] += g_hash_table_contains (customers, v->customer);
    }
  for (guint i = 0; i < data->opportunities->len; i++)
    {
      FlOpportunity *o = g_ptr_array_index (data->opportunities, i);

      if (g_hash_table_contains (customers, o->customer))
        {
          g_hash_table_add (opportunities, o->id);
          expected[6]++;
        }
    }
  for (guint i = 0; i < data->pilots->len; i++)
    expected[7] += g_strv_contains ((const char * const *)
                                    ((FlPilot *) g_ptr_array_index (data->pilots, i))->regions,
                                    SCOPE);
  for (guint i = 0; i < data->cases->len; i++)
    expected[8] += strcmp (((FlCase *) g_ptr_array_index (data->cases, i))->region, SCOPE) == 0;
  for (guint i = 0; i < data->actions->len; i++)
    expected[9] += g_strcmp0 (_alert_region (data, ((FlAction *) g_ptr_array_index (data->actions,
                                                                                   i))->alert),
                              SCOPE) == 0;

  _pull (&pulled, token, NULL, 500);
  for (guint k = 0; k < N_KINDS; k++)
    {
      g_test_message ("%s: %u of %u", kinds[k], g_hash_table_size (pulled.upserts[k]),
                      _dataset_array (data, k)->len);
      g_assert_cmpuint (g_hash_table_size (pulled.upserts[k]), ==, expected[k]);
    }
  g_assert_cmpuint (expected[4], >, 0);
  g_assert_cmpuint (expected[4], <, data->customers->len);

  /* And every record really is 330700's. */
  g_hash_table_iter_init (&iter, pulled.upserts[4]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_cmpstr (json_object_get_string_member (value, "region"), ==, SCOPE);
  g_hash_table_iter_init (&iter, pulled.upserts[1]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_cmpstr (json_object_get_string_member (value, "region"), ==, SCOPE);
  g_hash_table_iter_init (&iter, pulled.upserts[8]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_cmpstr (json_object_get_string_member (value, "region"), ==, SCOPE);
  g_hash_table_iter_init (&iter, pulled.upserts[5]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_true (g_hash_table_contains (pulled.upserts[4],
                                          json_object_get_string_member (value, "customer")));
  g_hash_table_iter_init (&iter, pulled.upserts[6]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_true (g_hash_table_contains (pulled.upserts[4],
                                          json_object_get_string_member (value, "customer")));
}

static void
test_push (void)
{
  g_autofree char *token = _login ("alice", alice_password);
  g_autoptr(GHashTable) actioned = NULL;
  g_autoptr(FlEvaluation) evaluation = _evaluate (&actioned);
  FlAlert *mine = _find_alert (evaluation, TRUE, actioned);
  FlAlert *theirs = _find_alert (evaluation, FALSE, actioned);
  g_autofree char *forged = _action_json ("9b7d0c1e-0000-4000-8000-000000000001", theirs->id);
  g_autofree char *first = _action_json ("9b7d0c1e-0000-4000-8000-000000000002", mine->id);
  g_autofree char *second = _action_json ("9b7d0c1e-0000-4000-8000-000000000003", mine->id);
  g_autofree char *gone = _action_json ("9b7d0c1e-0000-4000-8000-000000000004",
                                        "churn:c-nobody:v-nothing");
  g_autoptr(FlDataset) before = _export_server_data ();
  g_autoptr(FlDataset) after = NULL;
  g_autofree char *huge = NULL;
  g_auto(Response) r403 = { 0, };
  g_auto(Response) r201 = { 0, };
  g_auto(Response) r200 = { 0, };
  g_auto(Response) r409 = { 0, };
  g_auto(Response) r409_again = { 0, };
  g_auto(Response) r_gone = { 0, };
  g_auto(Response) r_gone_again = { 0, };
  g_auto(Response) r_json = { 0, };
  g_auto(Response) r_type = { 0, };
  g_auto(Response) r_missing = { 0, };
  g_auto(Response) r_large = { 0, };
  g_autofree char *body201 = NULL;
  g_autofree char *body200 = NULL;
  const char *message;
  guint n = 0;

  _http (&r403, "POST", "/api/v1/actions", token, forged, -1);
  _assert_error (&r403, 403, "out_of_scope");

  _http (&r201, "POST", "/api/v1/actions", token, first, -1);
  g_assert_cmpuint (r201.status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (r201.object, "created_by"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (r201.object, "alert"), ==, mine->id);
  _http (&r200, "POST", "/api/v1/actions", token, first, -1);
  g_assert_cmpuint (r200.status, ==, 200);
  body201 = json_to_string (r201.root, FALSE);
  body200 = json_to_string (r200.root, FALSE);
  g_assert_cmpstr (body201, ==, body200);

  _http (&r409, "POST", "/api/v1/actions", token, second, -1);
  _assert_error (&r409, 409, "already_actioned");
  message = json_object_get_string_member (json_object_get_object_member (r409.object, "error"),
                                           "message");
  g_assert_nonnull (strstr (message, "alice"));
  g_assert_nonnull (strstr (message, "2026-11-23T09:10:00+08:00"));
  _http (&r409_again, "POST", "/api/v1/actions", token, second, -1);
  _assert_error (&r409_again, 409, "already_actioned");

  _http (&r_gone, "POST", "/api/v1/actions", token, gone, -1);
  _assert_error (&r_gone, 409, "alert_gone");
  _http (&r_gone_again, "POST", "/api/v1/actions", token, gone, -1);
  _assert_error (&r_gone_again, 409, "alert_gone");

  _http (&r_json, "POST", "/api/v1/actions", token, "{\"id\": \"x\", ", -1);
  _assert_error (&r_json, 400, "malformed");
  _http (&r_type, "POST", "/api/v1/actions", token,
         "{\"id\":\"9b7d0c1e-0000-4000-8000-000000000005\",\"alert\":\"gap:330700:x:2026-W47\","
         "\"kind\":5,\"created\":\"2026-11-23T09:10:00+08:00\"}", -1);
  _assert_error (&r_type, 400, "malformed");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (r_type.object, "error"), "message"),
                            "kind"));
  _http (&r_missing, "POST", "/api/v1/actions", token, "{\"alert\":\"x\"}", -1);
  _assert_error (&r_missing, 400, "malformed");

  huge = g_strnfill (FL_SERVER_TEST_LARGE, ' ');
  huge[0] = '{';
  huge[FL_SERVER_TEST_LARGE - 1] = '}';
  _http (&r_large, "POST", "/api/v1/actions", token, huge, FL_SERVER_TEST_LARGE);
  _assert_error (&r_large, 413, "too_large");

  /* Exactly one action more on the server, and it is alice's. */
  after = _export_server_data ();
  g_assert_cmpuint (after->actions->len, ==, before->actions->len + 1);
  for (guint i = 0; i < after->actions->len; i++)
    {
      FlAction *action = g_ptr_array_index (after->actions, i);

      if (strcmp (action->alert, mine->id) == 0)
        {
          g_assert_cmpstr (action->created_by, ==, "alice");
          n++;
        }
    }
  g_assert_cmpuint (n, ==, 1);
}

static void
test_incremental (void)
{
  g_autofree char *boss = _login ("boss", boss_password);
  g_autofree char *alice = _login ("alice", alice_password);
  g_autoptr(GHashTable) actioned = NULL;
  g_autoptr(FlEvaluation) evaluation = _evaluate (&actioned);
  FlAlert *theirs = _find_alert (evaluation, FALSE, actioned);
  g_autofree char *action = _action_json ("9b7d0c1e-0000-4000-8000-000000000010", theirs->id);
  g_autoptr(FlDataset) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *modified_path = g_build_filename (tmp_dir, "modified.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *old_name = NULL;
  g_auto(Pulled) boss_all = { 0, };
  g_auto(Pulled) alice_all = { 0, };
  g_auto(Pulled) boss_push = { 0, };
  g_auto(Pulled) alice_push = { 0, };
  g_auto(Pulled) boss_import = { 0, };
  g_auto(Pulled) alice_import = { 0, };
  g_auto(Response) pushed = { 0, };
  FlCustomer *renamed = NULL;
  FlVisit *removed = NULL;

  _pull (&boss_all, boss, NULL, 5000);
  _pull (&alice_all, alice, NULL, 5000);

  /* A push by someone else in another region: boss sees it, alice does not. */
  _http (&pushed, "POST", "/api/v1/actions", boss, action, -1);
  g_assert_cmpuint (pushed.status, ==, 201);
  _pull (&boss_push, boss, boss_all.cursor, 500);
  g_assert_cmpuint (_count_upserts (&boss_push), ==, 1);
  g_assert_true (g_hash_table_contains (boss_push.upserts[9],
                                        "9b7d0c1e-0000-4000-8000-000000000010"));
  _pull (&alice_push, alice, alice_all.cursor, 500);
  g_assert_cmpuint (_count_upserts (&alice_push), ==, 0);

  /* A re-import beside the running server: one customer renamed, one visit
   * gone, everything else identical, so nothing else may be logged. */
  data = _export_server_data ();
  for (guint i = 0; i < data->customers->len && renamed == NULL; i++)
    {
      FlCustomer *c = g_ptr_array_index (data->customers, i);

      if (strcmp (c->region, SCOPE) == 0)
        renamed = c;
    }
  for (guint i = data->visits->len; i > 0 && removed == NULL; i--)
    {
      FlVisit *v = g_ptr_array_index (data->visits, i - 1);

      if (strcmp (v->customer, renamed->id) == 0)
        removed = v;
    }
  g_assert_nonnull (renamed);
  g_assert_nonnull (removed);
  old_name = renamed->name;
  renamed->name = g_strconcat (old_name, "（新）", NULL);
  g_free (g_steal_pointer (&old_name));
  g_ptr_array_remove (data->visits, removed);   /* frees it */
  removed = NULL;
  g_assert_true (fl_dataset_write_to_file (data, modified_path, &error));
  g_assert_no_error (error);

  out = _run_server_tool ("--db", db_path, "--import", modified_path, NULL);

  _pull (&boss_import, boss, boss_push.cursor, 500);
  g_assert_cmpuint (_count_upserts (&boss_import), ==, 1);
  g_assert_true (g_hash_table_contains (boss_import.upserts[4], renamed->id));
  g_assert_cmpstr (json_object_get_string_member (g_hash_table_lookup (boss_import.upserts[4],
                                                                       renamed->id), "name"), ==,
                   renamed->name);
  g_assert_cmpuint (g_hash_table_size (boss_import.deletes[5]), ==, 1);

  _pull (&alice_import, alice, alice_push.cursor, 500);
  g_assert_cmpuint (_count_upserts (&alice_import), ==, 1);
  g_assert_true (g_hash_table_contains (alice_import.upserts[4], renamed->id));
  g_assert_cmpuint (g_hash_table_size (alice_import.deletes[5]), ==, 1);
  {
    GHashTableIter iter;
    gpointer id;

    g_hash_table_iter_init (&iter, alice_import.deletes[5]);
    g_assert_true (g_hash_table_iter_next (&iter, &id, NULL));
    g_assert_true (g_hash_table_contains (alice_all.upserts[5], id));
    g_assert_true (g_hash_table_contains (boss_import.deletes[5], id));
  }
}

/* Pull pages, byte for byte as the server built them before it streamed
 * them from a join (fl_store_export_entities() per kind, then
 * fl_dataset_write_fragment()), and the writer's numbers and times as
 * printf wrote them. */

static GBytes *
_http_raw (const char *path,
           const char *token)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return reply;
}

/* The seq of a cursor: base64url of "epoch:seq:remaining". */
static gint64
_cursor_seq (const char *cursor)
{
  g_autoptr(GString) b64 = g_string_new (cursor);
  g_autofree guchar *plain = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  gsize length;

  g_strdelimit (b64->str, "-", '+');
  g_strdelimit (b64->str, "_", '/');
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  plain = g_base64_decode (b64->str, &length);
  text = g_strndup ((const char *) plain, length);
  parts = g_strsplit (text, ":", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  return g_ascii_strtoll (parts[1], NULL, 10);
}

static void
_assert_same_bytes (const char *what,
                    const char *actual,
                    gsize       actual_len,
                    GString    *expected)
{
  gsize i;

  for (i = 0; i < MIN (actual_len, expected->len) && actual[i] == expected->str[i]; i++)
    ;
  if (i < actual_len || i < expected->len)
    {
      gsize from = i > 80 ? i - 80 : 0;
      g_autofree char *got = g_strndup (actual + from, MIN (actual_len - from, 240));
      g_autofree char *want = g_strndup (expected->str + from, MIN (expected->len - from, 240));

      g_test_message ("%s: differs at byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                      " (expected %" G_GSIZE_FORMAT ")\n got: %s\nwant: %s",
                      what, i, actual_len, expected->len, got, want);
    }
  g_assert_cmpuint (actual_len, ==, expected->len);
  g_assert_cmpint (memcmp (actual, expected->str, actual_len), ==, 0);
}

/* The page after @after as the server wrote it before: the header from
 * @header (its own code did not change), then the upserts read back by id. */
static GString *
_expected_page (FlServerDb *db,
                const char *scope_json,
                gint64      after,
                guint       limit,
                JsonObject *header)
{
  FlStore *store = fl_server_db_get_store (db);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(FlDataset) fragment = fl_dataset_new ();
  GString *out = g_string_new (NULL);
  guint n_lists = 0;

  g_string_append_printf (out, "{\"format\":\"fieldlight-changes\",\"version\":1,"
                          "\"cursor\":\"%s\",\"more\":%s,\"remaining\":%" G_GINT64_FORMAT
                          ",\"dataset\":{\"timezone\":\"%s\",\"province\":{\"code\":\"%s\","
                          "\"name\":\"%s\"}},\"upserts\":",
                          json_object_get_string_member (header, "cursor"),
                          json_object_get_boolean_member (header, "more") ? "true" : "false",
                          json_object_get_int_member (header, "remaining"),
                          g_time_zone_get_identifier (fl_store_get_time_zone (store)),
                          fl_store_get_province_code (store), fl_store_get_province_name (store));

  changes = fl_server_db_read_changes (db, after, scope_json, limit + 1, &error);
  g_assert_no_error (error);
  if (changes->len > limit)
    g_ptr_array_set_size (changes, limit);

  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      g_autoptr(FlDataset) exported = NULL;
      g_autofree gpointer *entities = NULL;
      gsize n = 0;

      for (guint i = 0; i < changes->len; i++)
        {
          FlChange *change = g_ptr_array_index (changes, i);

          if (change->kind == kind && !change->deleted)
            g_ptr_array_add (ids, change->id);
        }
      exported = fl_store_export_entities (store, kind, (const char * const *) ids->pdata,
                                           ids->len, &error);
      g_assert_no_error (error);
      entities = g_ptr_array_steal (fl_dataset_get_entities (exported, kind), &n);
      for (gsize i = 0; i < n; i++)
        g_ptr_array_add (fl_dataset_get_entities (fragment, kind), entities[i]);
    }
  fl_dataset_write_fragment (fragment, fl_store_get_time_zone (store), out);

  g_string_append (out, ",\"deletes\":{");
  for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      guint n = 0;

      for (guint i = 0; i < changes->len; i++)
        {
          FlChange *change = g_ptr_array_index (changes, i);

          if (change->kind != kind || !change->deleted)
            continue;
          if (n++ == 0)
            g_string_append_printf (out, "%s\"%s\":[", n_lists++ > 0 ? "," : "", kinds[kind]);
          else
            g_string_append_c (out, ',');
          g_string_append_printf (out, "\"%s\"", change->id);
        }
      if (n > 0)
        g_string_append_c (out, ']');
    }
  g_string_append (out, "}}");
  return out;
}

/* Pulls everything in pages of @limit; each page must be the expected bytes. */
static guint
_pull_and_compare (FlServerDb *db,
                   const char *user,
                   const char *password,
                   guint       limit)
{
  g_autofree char *token = _login (user, password);
  g_autoptr(FlServerUser) server_user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = g_strdup ("");
  guint pages = 0;

  server_user = fl_server_db_check_password (db, user, password, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server_user);

  for (gboolean more = TRUE; more; pages++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?limit=%u&cursor=%s", limit,
                                               cursor);
      g_autoptr(GBytes) body = _http_raw (path, token);
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GString) expected = NULL;
      g_autofree char *what = NULL;
      gsize length;
      const char *data = g_bytes_get_data (body, &length);
      JsonObject *object;

      root = json_from_string (data, &error);
      g_assert_no_error (error);
      object = json_node_get_object (root);
      expected = _expected_page (db, server_user->scope_json,
                                 *cursor != '\0' ? _cursor_seq (cursor) : 0, limit, object);
      what = g_strdup_printf ("%s, page %u", user, pages + 1);
      _assert_same_bytes (what, data, length, expected);

      more = json_object_get_boolean_member (object, "more");
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (object, "cursor"));
    }
  return pages;
}

/* Changes whose log order is not the tables' order, with everything the
 * writer escapes or omits, and deletes: then every page of both users. */
static void
test_pages_as_exported (void)
{
  g_autoptr(FlServerDb) db = NULL;
  g_autoptr(FlDataset) data = _export_server_data ();
  g_autoptr(FlDataset) fragment = fl_dataset_new ();
  g_autoptr(GError) error = NULL;
  const char *deleted_visits[2], *deleted_case;
  FlVisit *v;
  FlCustomer *c;
  guint n_visits = data->visits->len;

  g_assert_cmpuint (n_visits, >, 100);
  db = fl_server_db_open (db_path, &error);
  g_assert_no_error (error);

  /* 40 visits, newest first: their new seqs run against their rowids. */
  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (fragment->visits,
                     g_ptr_array_steal_index (data->visits, data->visits->len - 1 - i * 3));
  v = g_ptr_array_index (fragment->visits, 0);
  g_free (v->committed_action);
  v->committed_action = g_strdup ("say \"hi\" \\ o/\n\tnext\001 line, 价格");
  g_strfreev (v->pain_keywords);
  v->pain_keywords = g_strsplit ("quo\"te|back\\slash|é/ü||\001", "|", -1);
  v->photos = -1;
  v->has_next_follow_up = FALSE;
  v->prev_action_achieved = FL_ACHIEVED_NULL;
  v->has_competitor_price = TRUE;
  v->competitor_price = 0.1 + 0.2;
  v->has_shelf_share = TRUE;
  v->shelf_share = 1e-7;
  v = g_ptr_array_index (fragment->visits, 1);
  g_array_set_size (v->pitches, 0);
  v->has_competitor_price = TRUE;
  v->competitor_price = 1234567.125;
  v->has_shelf_share = FALSE;
  v->prev_action_achieved = FL_ACHIEVED_FALSE;
  v = g_ptr_array_index (fragment->visits, 2);
  for (guint i = 0; i < 3; i++)
    {
      FlPitch pitch = {
        g_strdup (((FlProduct *) g_ptr_array_index (data->products, i * 2))->id), i == 1,
      };

      g_array_append_val (v->pitches, pitch);
    }
  g_strfreev (v->pain_keywords);
  v->pain_keywords = g_new0 (char *, 1);

  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (fragment->customers, g_ptr_array_steal_index (data->customers, 7 * i + 3));
  c = g_ptr_array_index (fragment->customers, 0);
  c->has_location = FALSE;
  c->revenue_90d = 123.456;
  g_array_set_size (c->health, 0);
  c = g_ptr_array_index (fragment->customers, 1);
  for (guint i = 0; i < c->health->len; i++)
    g_array_index (c->health, FlHealth, i).scores[2] = (int) (i * 17 % 101);
  c->lat = 29.999999999999996;

  g_assert_true (fl_store_merge_dataset (fl_server_db_get_store (db), fragment, &error));
  g_assert_no_error (error);

  deleted_visits[0] = ((FlVisit *) g_ptr_array_index (data->visits, 10))->id;
  deleted_visits[1] = ((FlVisit *) g_ptr_array_index (data->visits, n_visits / 2))->id;
  deleted_case = ((FlCase *) g_ptr_array_index (data->cases, 0))->id;
  g_assert_true (fl_store_delete_entities (fl_server_db_get_store (db), FL_ENTITY_VISIT,
                                           deleted_visits, 2, &error));
  g_assert_no_error (error);
  g_assert_true (fl_store_delete_entities (fl_server_db_get_store (db), FL_ENTITY_CASE,
                                           &deleted_case, 1, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (_pull_and_compare (db, "boss", boss_password, 700), >, 5);
  g_assert_cmpuint (_pull_and_compare (db, "alice", alice_password, 100), >, 3);
}

/* What the writer printed with printf, for the numbers. */
static char *
_printf_number (double value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    value = 0.0;
  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}

static void
test_writer_numbers (void)
{
  static const double specials[] = {
    0.0, -0.0, 0.5, -2.5, 0.1 + 0.2, 1e-4, 9.9999e-5, 1.00000000000001e-4, 1e-5, 5e-324,
    1e15, 1e15 - 0.5, 999999999999999.9, 123456789012345.6, 99999999999999.98, 1e16, 1e17 + 1,
    1.7976931348623157e308, -1e300, 2.2250738585072014e-308, 29.885146, 120.300781, 0.18,
    1800, 24700, 53, 4503599627370495.5, 9007199254740993.0, 0.3, 1.0 / 3, 2.0 / 3, 100.0 / 7,
  };
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(FlDataset) fragment = fl_dataset_new ();
  g_autoptr(GString) expected = g_string_new ("{\n\"categories\": [\n");
  g_autoptr(GString) actual = g_string_new (NULL);

  g_array_append_vals (values, specials, G_N_ELEMENTS (specials));
  for (guint i = 0; i < 60000; i++)
    {
      double value;

      switch (i % 4)
        {
        case 0:   /* a decimal of 1 to 17 digits with 0 to 18 decimals */
          {
            guint digits = g_rand_int_range (rand, 1, 18);
            double n = floor (g_rand_double (rand) * pow (10, digits));

            value = n / pow (10, g_rand_int_range (rand, 0, 19));
          }
          break;
        case 1:   /* six decimals, like coordinates and shares */
          value = g_rand_int_range (rand, 0, 200000000) / 1e6;
          break;
        case 2:   /* any magnitude */
          value = exp (g_rand_double_range (rand, -30, 45));
          break;
        case 3:   /* any bits */
        default:
          {
            guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

            memcpy (&value, &bits, sizeof value);
          }
          break;
        }
      if (g_rand_boolean (rand))
        value = -value;
      g_array_append_val (values, value);
    }

  for (guint i = 0; i < values->len; i++)
    {
      FlProductCategory *category = g_new0 (FlProductCategory, 1);
      g_autofree char *number = _printf_number (g_array_index (values, double, i));

      category->id = g_strdup_printf ("k%u", i);
      category->name = g_strdup ("n");
      category->avg_order_value = g_array_index (values, double, i);
      g_ptr_array_add (fragment->categories, category);
      g_string_append_printf (expected, "  {\"id\":\"k%u\",\"name\":\"n\",\"avg_order_value\":%s}%s",
                              i, number, i + 1 < values->len ? ",\n" : "\n");
    }
  g_string_append (expected, "]\n}");

  fl_dataset_write_fragment (fragment, tz, actual);
  _assert_same_bytes ("numbers", actual->str, actual->len, expected);
}

/* Times as fl_time_format_rfc3339() writes them, in one fragment per zone
 * so that the writer's caches see sorted and shuffled times, transitions,
 * offsets of half hours and of seconds (local mean time), and years beyond
 * four digits. */
static void
test_writer_times (void)
{
  static const char * const zones[] = {
    "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "America/St_Johns",
    "Australia/Lord_Howe", "Pacific/Chatham", "Europe/Amsterdam", "UTC",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (47);

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zones[z]);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(FlDataset) fragment = fl_dataset_new ();
      g_autoptr(GString) expected = g_string_new ("{\n\"actions\": [\n");
      g_autoptr(GString) actual = g_string_new (NULL);
      static const gint64 specials[] = {
        0, -1, 1, -86400, -2208988800, -2840140800, -62135596800, -62135596801,
        253402300799, 253402300800, -70000000000, 300000000000,
      };
      gint64 t;

      g_assert_nonnull (tz);
      g_array_append_vals (times, specials, G_N_ELEMENTS (specials));
      /* Every 20 minutes through 2026 (both transitions of the north). */
      g_assert_true (fl_time_parse_rfc3339 ("2026-01-01T00:00:00Z", &t));
      for (guint i = 0; i < 365 * 72; i++, t += 1200)
        g_array_append_val (times, t);
      for (guint i = 0; i < 20000; i++)
        {
          t = g_rand_int_range (rand, -1000000, 1000000) * (gint64) 4000 + g_rand_int (rand) % 4000;
          g_array_append_val (times, t);
        }

      for (guint i = 0; i < times->len; i++)
        {
          FlAction *action = g_new0 (FlAction, 1);
          g_autofree char *formatted = NULL;

          action->id = g_strdup ("a");
          action->alert = g_strdup ("x");
          action->kind = FL_ACTION_CALL_TODAY;
          action->created = g_array_index (times, gint64, i);
          action->created_by = g_strdup ("u");
          g_ptr_array_add (fragment->actions, action);
          formatted = fl_time_format_rfc3339 (action->created, tz);
          g_string_append_printf (expected,
                                  "  {\"id\":\"a\",\"alert\":\"x\",\"kind\":\"%s\",\"created\":\"%s\","
                                  "\"created_by\":\"u\"}%s",
                                  fl_action_kind_to_string (FL_ACTION_CALL_TODAY), formatted,
                                  i + 1 < times->len ? ",\n" : "\n");
        }
      g_string_append (expected, "]\n}");

      fl_dataset_write_fragment (fragment, tz, actual);
      _assert_same_bytes (zones[z], actual->str, actual->len, expected);
    }
}

/* The fragment writer writes what fl_dataset_write_fragment() writes. */
static void
test_fragment_writer (void)
{
  g_autoptr(FlDataset) data = _export_server_data ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");

  /* Every kind, some kinds only, none. */
  for (guint mask = 0; mask < 3; mask++)
    {
      g_autoptr(FlDataset) fragment = fl_dataset_new ();
      g_autoptr(GString) expected = g_string_new ("[");
      g_autoptr(GString) actual = g_string_new ("[");
      g_autoptr(FlFragmentWriter) writer = fl_fragment_writer_new (actual, tz);

      for (FlEntityKind kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
        {
          GPtrArray *all = fl_dataset_get_entities (data, kind);
          GPtrArray *some = fl_dataset_get_entities (fragment, kind);

          if (mask == 2 || (mask == 1 && kind % 3 != 1))
            continue;
          for (guint i = 0; i < MIN (all->len, 4); i++)
            {
              g_ptr_array_add (some, g_ptr_array_steal_index (all, 0));
              fl_fragment_writer_add (writer, kind, g_ptr_array_index (some, i));
            }
        }
      fl_fragment_writer_close (writer);
      fl_dataset_write_fragment (fragment, tz, expected);
      _assert_same_bytes ("fragment", actual->str, actual->len, expected);
    }
}

/* Set-up */

/* The server must not outlive a failed test. */
static void
_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start_server (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autofree char *line = NULL;
  const char * const argv[] = {
    g_getenv ("FIELDLIGHT_SERVER_BIN"), "--db", db_path, "--listen", "127.0.0.1:0",
    "--now", NOW, NULL,
  };

  g_subprocess_launcher_set_child_setup (launcher, _die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (input, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/"));
  line[strlen (line) - 1] = '\0';
  base_url = g_steal_pointer (&line);
}

static void
stop_server (void)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_clear_object (&server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("FIELDLIGHT_SERVER_BIN"));

  tmp_dir = g_dir_make_tmp ("fieldlight-server-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "server.db", NULL);

  alice_password = _run_server_tool ("--db", db_path, "--demo", "--scale", "0.1", "--now", NOW,
                                     "--add-user", "alice", "--regions", SCOPE, NULL);
  boss_password = _run_server_tool ("--db", db_path, "--add-user", "boss", "--regions", "all",
                                    NULL);
  g_assert_cmpuint (strlen (alice_password), ==, 16);
  g_assert_cmpuint (strlen (boss_password), ==, 16);
  g_assert_cmpstr (alice_password, !=, boss_password);

  start_server ();
  session = soup_session_new ();
  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 60);

  g_test_add_func ("/server/login", test_login);
  g_test_add_func ("/server/unauthorized", test_unauthorized);
  g_test_add_func ("/server/pull-all", test_pull_all);
  g_test_add_func ("/server/pull-scoped", test_pull_scoped);
  g_test_add_func ("/server/push", test_push);
  g_test_add_func ("/server/incremental", test_incremental);
  g_test_add_func ("/server/pages-as-exported", test_pages_as_exported);
  g_test_add_func ("/server/writer-numbers", test_writer_numbers);
  g_test_add_func ("/server/writer-times", test_writer_times);
  g_test_add_func ("/server/fragment-writer", test_fragment_writer);
  status = g_test_run ();

  g_clear_object (&session);
  stop_server ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  return status;
}
