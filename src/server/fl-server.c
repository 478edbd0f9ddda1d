/* fl-server.c — the HTTP side of fieldlight-server (docs/api.md)
 *
 * One SoupServer in the main thread. Requests are short: a pull page is a
 * bounded number of rows read in one SQLite read transaction and written as
 * one JSON string handed to libsoup without a copy.
 *
 * API messages are English on purpose (docs/api.md: `message` is for humans,
 * English); they are not marked for translation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fl-json.h"
#include "fl-rules.h"
#include "fl-server.h"
#include "fl-store-private.h"
#include "fl-time.h"

struct _FlServer
{
  GObject       parent_instance;

  /* owned */
  FlServerDb   *db;
  SoupServer   *soup;
  FlEvaluation *evaluation;     /* cache for push checks */
  gint64        evaluation_version;
  gint64        fixed_now;
};

G_DEFINE_FINAL_TYPE (FlServer, fl_server, G_TYPE_OBJECT)

/* A real clock may reuse an evaluation this long (seconds). */
#define EVALUATION_MAX_AGE 60

typedef struct
{
  FlServer          *self;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;
  GHashTable        *query;
  FlServerUser      *user;      /* owned, once authenticated */
  gint64             started;   /* monotonic µs */
} Request;

static void
request_clear (Request *req)
{
  g_clear_pointer (&req->user, fl_server_user_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Request, request_clear)

/* fl-dataset.h declares no autoptr for actions. */
typedef FlAction FlOwnedAction;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlOwnedAction, fl_action_free)

/* Helpers */

static gint64
server_now (FlServer *self)
{
  return self->fixed_now != 0 ? self->fixed_now : g_get_real_time () / G_USEC_PER_SEC;
}

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  if (str != NULL)
    {
      for (const char *p = str; *p != '\0'; p++)
        {
          guchar c = *p;

          switch (c)
            {
            case '"':
              g_string_append (out, "\\\"");
              break;
            case '\\':
              g_string_append (out, "\\\\");
              break;
            case '\n':
              g_string_append (out, "\\n");
              break;
            case '\r':
              g_string_append (out, "\\r");
              break;
            case '\t':
              g_string_append (out, "\\t");
              break;
            default:
              if (c < 0x20)
                g_string_append_printf (out, "\\u%04x", c);
              else
                g_string_append_c (out, c);
            }
        }
    }
  g_string_append_c (out, '"');
}

static void
append_nullable_string (GString    *out,
                        const char *str)
{
  if (str == NULL)
    g_string_append (out, "null");
  else
    append_json_string (out, str);
}

static void
append_action (GString        *out,
               const FlAction *action,
               GTimeZone      *tz)
{
  char created[FL_RFC3339_BUF_SIZE];

  fl_time_format_rfc3339_buf (action->created, tz, created);
  g_string_append (out, "{\"id\":");
  append_json_string (out, action->id);
  g_string_append (out, ",\"alert\":");
  append_json_string (out, action->alert);
  g_string_append (out, ",\"kind\":");
  append_json_string (out, fl_action_kind_to_string (action->kind));
  g_string_append (out, ",\"created\":");
  append_json_string (out, created);
  g_string_append (out, ",\"created_by\":");
  append_json_string (out, action->created_by);
  g_string_append_c (out, '}');
}

static void
log_request (Request *req,
             guint    status,
             gsize    length)
{
  double ms = (g_get_monotonic_time () - req->started) / 1000.0;
  const char *user = req->user != NULL ? req->user->name : "-";

  if (status >= 500)
    g_warning ("%s %s %u %" G_GSIZE_FORMAT " B %.1f ms user %s",
               req->method, req->path, status, length, ms, user);
  else
    g_message ("%s %s %u %" G_GSIZE_FORMAT " B %.1f ms user %s",
               req->method, req->path, status, length, ms, user);
}

/* Takes @body. */
static void
respond_json (Request *req,
              guint    status,
              GString *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  gsize length = body->len;

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), length);
  log_request (req, status, length);
}

static void
respond_empty (Request *req,
               guint    status)
{
  soup_server_message_set_status (req->msg, status, NULL);
  log_request (req, status, 0);
}

static void G_GNUC_PRINTF (4, 5)
respond_error (Request    *req,
               guint       status,
               const char *code,
               const char *format,
               ...)
{
  g_autofree char *message = NULL;
  GString *body = g_string_new ("{\"error\":{\"code\":");
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  append_json_string (body, code);
  g_string_append (body, ",\"message\":");
  append_json_string (body, message);
  g_string_append (body, "}}");

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                  "WWW-Authenticate", "Bearer realm=\"fieldlight\"");
  respond_json (req, status, body);
}

static void
respond_internal (Request *req,
                  GError  *error)
{
  g_warning ("%s %s failed: %s", req->method, req->path, error->message);
  respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                 "The server failed; nothing was changed.");
}

static gboolean
check_method (Request    *req,
              const char *allowed)
{
  if (strcmp (req->method, allowed) == 0)
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Allow", allowed);
  respond_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                 "%s takes %s, not %s.", req->path, allowed, req->method);
  return FALSE;
}

/* Sets req->user, or responds 401 (or 500) and returns FALSE. */
static gboolean
authenticate (Request *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GError) error = NULL;
  const char *token;

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    {
      respond_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                     "This endpoint needs an “Authorization: Bearer” token; sign in first.");
      return FALSE;
    }
  for (token = value + 7; *token == ' '; token++)
    ;

  req->user = fl_server_db_authenticate (req->self->db, token, server_now (req->self), &error);
  if (error != NULL)
    {
      respond_internal (req, error);
      return FALSE;
    }
  if (req->user == NULL)
    {
      respond_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                     "The token is unknown, revoked or expired; sign in again.");
      return FALSE;
    }
  return TRUE;
}

/* The request body as a JSON object, or responds 400/413 and returns NULL. */
static JsonObject *
read_json_object (Request *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length > FL_SERVER_MAX_BODY)
    {
      respond_error (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                     "The request body has %" G_GSIZE_FORMAT " bytes; the limit is %d.",
                     length, FL_SERVER_MAX_BODY);
      return NULL;
    }
  if (length == 0 || data == NULL ||
      !json_parser_load_from_data (parser, data, length, &error))
    {
      respond_error (req, SOUP_STATUS_BAD_REQUEST, "malformed", "The body is not JSON: %s",
                     error != NULL ? error->message : "it is empty");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      respond_error (req, SOUP_STATUS_BAD_REQUEST, "malformed",
                     "The body must be a JSON object.");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static FlEvaluation *
get_evaluation (FlServer  *self,
                gint64     now,
                GError   **error)
{
  gint64 version = fl_server_db_get_last_seq (self->db, error);
  FlRuleSettings settings;

  if (version < 0)
    return NULL;

  if (self->evaluation != NULL && self->evaluation_version == version &&
      (self->evaluation->now == now ||
       (self->fixed_now == 0 && now - self->evaluation->now < EVALUATION_MAX_AGE)))
    return self->evaluation;

  g_clear_pointer (&self->evaluation, fl_evaluation_free);
  fl_rule_settings_init_default (&settings);
  if (!(self->evaluation = fl_rules_evaluate (fl_server_db_get_store (self->db), now,
                                              &settings, error)))
    return NULL;
  self->evaluation_version = version;
  return self->evaluation;
}

/* Cursors: base64url of "epoch:seq:remaining". */
static char *
encode_cursor (const char *epoch,
               gint64      seq,
               gint64      remaining)
{
  g_autofree char *plain = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                            epoch, seq, remaining);
  char *b64 = g_base64_encode ((const guchar *) plain, strlen (plain));

  for (char *p = b64; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return b64;
}

static gboolean
decode_cursor (const char  *cursor,
               char       **out_epoch,
               gint64      *out_seq,
               gint64      *out_remaining)
{
  g_autoptr(GString) b64 = g_string_new (cursor);
  g_autofree guchar *plain = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  gsize length = 0;

  if (b64->len > 200)
    return FALSE;
  for (gsize i = 0; i < b64->len; i++)
    {
      char c = b64->str[i];

      if (c == '-')
        b64->str[i] = '+';
      else if (c == '_')
        b64->str[i] = '/';
      else if (!g_ascii_isalnum (c))
        return FALSE;
    }
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');

  plain = g_base64_decode (b64->str, &length);
  text = g_strndup ((const char *) plain, length);
  if (strlen (text) != length || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) != 3 || *parts[0] == '\0' ||
      !g_ascii_string_to_signed (parts[1], 10, 0, G_MAXINT64, out_seq, NULL) ||
      !g_ascii_string_to_signed (parts[2], 10, 0, G_MAXINT64, out_remaining, NULL))
    return FALSE;

  *out_epoch = g_strdup (parts[0]);
  return TRUE;
}

/* Another process (`--import`) may have replaced the time zone or the
 * province since this store read them: follow the file. */
static gboolean
refresh_meta (FlStore  *store,
              GError  **error)
{
  g_autofree char *timezone = fl_store_dup_meta (store, "timezone");
  g_autofree char *code = fl_store_dup_meta (store, "province_code");
  g_autofree char *name = fl_store_dup_meta (store, "province_name");

  if (g_strcmp0 (timezone, g_time_zone_get_identifier (fl_store_get_time_zone (store))) == 0 &&
      g_strcmp0 (code, fl_store_get_province_code (store)) == 0 &&
      g_strcmp0 (name, fl_store_get_province_name (store)) == 0)
    return TRUE;
  return _fl_store_reload_meta (store, error);
}

/* Endpoints */

static void
handle_login (Request *req)
{
  FlServer *self = req->self;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  char expires_buf[FL_RFC3339_BUF_SIZE];
  const char *name, *password;
  gint64 expires;
  GString *body;

  if (!check_method (req, "POST") || !(object = read_json_object (req)))
    return;

  if (!fl_json_get_string (object, "login", "user", &name, &error) ||
      !fl_json_get_string (object, "login", "password", &password, &error))
    {
      respond_error (req, SOUP_STATUS_BAD_REQUEST, "malformed", "%s", error->message);
      return;
    }

  req->user = fl_server_db_check_password (self->db, name, password, &error);
  if (error != NULL)
    {
      respond_internal (req, error);
      return;
    }
  if (req->user == NULL)
    {
      g_message ("Failed sign-in for user “%s”", name);
      respond_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                     "Wrong user name or password.");
      return;
    }

  expires = server_now (self) + FL_SERVER_TOKEN_LIFETIME;
  if (!(token = fl_server_db_new_token (self->db, req->user->name, expires, &error)))
    {
      respond_internal (req, error);
      return;
    }

  fl_time_format_rfc3339_buf (expires, fl_store_get_time_zone (fl_server_db_get_store (self->db)),
                              expires_buf);
  body = g_string_new ("{\"token\":");
  append_json_string (body, token);
  g_string_append (body, ",\"user\":");
  append_json_string (body, req->user->name);
  g_string_append (body, ",\"regions\":[");
  for (guint i = 0; req->user->regions[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      append_json_string (body, req->user->regions[i]);
    }
  g_string_append (body, "],\"expires\":");
  append_json_string (body, expires_buf);
  g_string_append_c (body, '}');
  respond_json (req, SOUP_STATUS_OK, body);
}

static void
handle_logout (Request *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autoptr(GError) error = NULL;
  const char *token;

  if (!check_method (req, "POST") || !authenticate (req))
    return;

  for (token = soup_message_headers_get_one (headers, "Authorization") + 7; *token == ' '; token++)
    ;
  if (!fl_server_db_revoke_token (req->self->db, token, &error))
    {
      respond_internal (req, error);
      return;
    }
  respond_empty (req, SOUP_STATUS_NO_CONTENT);
}

static void
handle_changes (Request *req)
{
  FlServer *self = req->self;
  FlStore *store = fl_server_db_get_store (self->db);
  sqlite3 *db = _fl_store_get_db (store);
  GTimeZone *tz;
  const char *cursor = req->query != NULL ? g_hash_table_lookup (req->query, "cursor") : NULL;
  const char *limit_str = req->query != NULL ? g_hash_table_lookup (req->query, "limit") : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *cursor_epoch = NULL;
  g_autofree char *next_cursor = NULL;
  g_auto(FlChangePage) page = { 0, };
  g_autoptr(GString) body = NULL;
  g_autoptr(FlFragmentWriter) writer = NULL;
  guint64 limit = FL_SERVER_DEFAULT_LIMIT;
  gint64 after = 0, estimate = -1, remaining;
  gboolean first;

  if (!check_method (req, "GET") || !authenticate (req))
    return;

  if (limit_str != NULL &&
      !g_ascii_string_to_unsigned (limit_str, 10, 1, G_MAXUINT32, &limit, NULL))
    {
      respond_error (req, SOUP_STATUS_BAD_REQUEST, "malformed",
                     "Query parameter “limit” must be a positive integer, not “%s”.",
                     limit_str);
      return;
    }
  limit = MIN (limit, FL_SERVER_MAX_LIMIT);

  if (cursor != NULL && *cursor != '\0' &&
      !decode_cursor (cursor, &cursor_epoch, &after, &estimate))
    {
      respond_error (req, SOUP_STATUS_BAD_REQUEST, "bad_cursor",
                     "The cursor was not issued by this server; pull again without one.");
      return;
    }

  /* One read transaction: the log and the entities it names agree. */
  if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      _fl_store_fail (store, &error, "Could not start a read transaction");
      respond_internal (req, error);
      return;
    }

  if (!refresh_meta (store, &error))
    goto internal;
  tz = fl_store_get_time_zone (store);
  if (!(epoch = fl_server_db_dup_epoch (self->db, &error)))
    {
      if (error == NULL)
        g_set_error (&error, FL_ERROR, FL_ERROR_STORE, "The database has no epoch");
      goto internal;
    }
  if (cursor_epoch != NULL &&
      (strcmp (cursor_epoch, epoch) != 0 || after > fl_server_db_get_last_seq (self->db, NULL)))
    {
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      respond_error (req, SOUP_STATUS_GONE, "cursor_expired",
                     "The server's data was rebuilt since this cursor; pull again without one.");
      return;
    }

  if (!fl_server_db_read_page (self->db, after, req->user->scope_json, limit, &page, &error))
    goto internal;

  first = estimate < 0;
  if (first && (estimate = fl_server_db_count_changes (self->db, after, req->user->scope_json,
                                                       &error)) < 0)
    goto internal;
  remaining = page.more ? MAX (estimate - (gint64) page.n_changes, 1) : 0;

  next_cursor = encode_cursor (epoch, page.last_seq, remaining);
  body = g_string_sized_new (4096 + page.n_changes * 450);
  g_string_append (body, "{\"format\":\"fieldlight-changes\",\"version\":1,\"cursor\":");
  append_json_string (body, next_cursor);
  g_string_append_printf (body, ",\"more\":%s,\"remaining\":%" G_GINT64_FORMAT,
                          page.more ? "true" : "false", remaining);
  g_string_append (body, ",\"dataset\":{\"timezone\":");
  append_json_string (body, g_time_zone_get_identifier (tz));
  g_string_append (body, ",\"province\":{\"code\":");
  append_nullable_string (body, fl_store_get_province_code (store));
  g_string_append (body, ",\"name\":");
  append_nullable_string (body, fl_store_get_province_name (store));
  g_string_append (body, "}},\"upserts\":");

  /* The entities of the page's range straight from the tables into the
   * body, kind after kind, in log order within a kind. */
  writer = fl_fragment_writer_new (body, tz);
  for (int kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      if (page.n_upserts[kind] > 0 &&
          !fl_server_db_write_upserts (self->db, kind, after, page.last_seq,
                                       req->user->scope_json, writer, &error))
        goto internal;
    }
  fl_fragment_writer_close (writer);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

  g_string_append (body, ",\"deletes\":{");
  for (int kind = 0, n = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      GPtrArray *ids = page.deletes[kind];

      if (ids == NULL)
        continue;
      if (n++ > 0)
        g_string_append_c (body, ',');
      append_json_string (body, fl_entity_kind_to_string (kind));
      g_string_append (body, ":[");
      for (guint i = 0; i < ids->len; i++)
        {
          if (i > 0)
            g_string_append_c (body, ',');
          append_json_string (body, g_ptr_array_index (ids, i));
        }
      g_string_append_c (body, ']');
    }
  g_string_append (body, "}}");

  respond_json (req, SOUP_STATUS_OK, g_steal_pointer (&body));
  return;

internal:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  respond_internal (req, error);
}

/* Responds with a stored result: a replay. */
static void
replay_result (Request    *req,
               guint       status,
               const char *body)
{
  respond_json (req, status == SOUP_STATUS_CREATED ? SOUP_STATUS_OK : status,
                g_string_new (body));
}

/* Responds @status with an error and remembers it for replays. */
static void
reject_action (Request        *req,
               const FlAction *action,
               guint           status,
               const char     *code,
               const char     *message)
{
  g_autoptr(GError) error = NULL;
  GString *body = g_string_new ("{\"error\":{\"code\":");

  append_json_string (body, code);
  g_string_append (body, ",\"message\":");
  append_json_string (body, message);
  g_string_append (body, "}}");

  if (!fl_server_db_store_result (req->self->db, action->id, req->user->name, status, body->str,
                                  server_now (req->self), &error))
    {
      g_string_free (body, TRUE);
      respond_internal (req, error);
      return;
    }
  respond_json (req, status, body);
}

static void
handle_actions (Request *req)
{
  FlServer *self = req->self;
  FlStore *store = fl_server_db_get_store (self->db);
  GTimeZone *tz = fl_store_get_time_zone (store);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) wrapper = NULL;
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(FlDataset) fragment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_body = NULL;
  g_autoptr(FlOwnedAction) other = NULL;
  g_autoptr(FlOwnedAction) existing = NULL;
  FlEvaluation *evaluation;
  FlAlert *alert;
  FlAction *action;
  guint stored_status;
  gint64 version_before;
  GString *body;

  if (!check_method (req, "POST") || !authenticate (req) || !(object = read_json_object (req)))
    return;

  /* The server says who did it, and validates like the dataset reader. */
  json_object_set_string_member (object, "created_by", req->user->name);
  array = json_array_new ();
  json_array_add_object_element (array, json_object_ref (object));
  wrapper = json_object_new ();
  json_object_set_array_member (wrapper, "actions", json_array_ref (array));
  if (!(fragment = fl_dataset_load_fragment (wrapper, "action", &error)))
    {
      respond_error (req, SOUP_STATUS_BAD_REQUEST, "malformed", "%s", error->message);
      return;
    }
  if (fragment->actions->len != 1)
    {
      respond_error (req, SOUP_STATUS_BAD_REQUEST, "malformed", "The body is not one action.");
      return;
    }
  action = g_ptr_array_index (fragment->actions, 0);

  if (!fl_server_db_lookup_result (self->db, action->id, &stored_status, &stored_body, &error))
    goto internal;
  if (stored_status != 0)
    {
      replay_result (req, stored_status, stored_body);
      return;
    }
  /* Known without a recorded result: it came with the data. */
  if (!fl_server_db_get_action (self->db, action->id, &existing, &error))
    goto internal;
  if (existing != NULL)
    {
      body = g_string_new (NULL);
      append_action (body, existing, tz);
      respond_json (req, SOUP_STATUS_OK, body);
      return;
    }

  if (!(evaluation = get_evaluation (self, server_now (self), &error)))
    goto internal;
  alert = fl_evaluation_find_alert (evaluation, action->alert);
  if (alert == NULL)
    {
      g_autofree char *message =
        g_strdup_printf ("Alert %s is not raised on the server now; the data changed.",
                         action->alert);

      reject_action (req, action, SOUP_STATUS_CONFLICT, "alert_gone", message);
      return;
    }
  if (!fl_server_user_has_region (req->user, alert->region))
    {
      respond_error (req, SOUP_STATUS_FORBIDDEN, "out_of_scope",
                     "Alert %s belongs to region %s, which user %s is not responsible for.",
                     action->alert, alert->region, req->user->name);
      return;
    }

  if (!fl_server_db_find_alert_action (self->db, action->alert, action->id, &other, &error))
    goto internal;
  if (other != NULL)
    {
      char when[FL_RFC3339_BUF_SIZE];
      g_autofree char *message = NULL;

      fl_time_format_rfc3339_buf (other->created, tz, when);
      message = g_strdup_printf ("Alert %s was already actioned by %s at %s (%s).",
                                 action->alert, other->created_by, when,
                                 fl_action_kind_to_string (other->kind));
      reject_action (req, action, SOUP_STATUS_CONFLICT, "already_actioned", message);
      return;
    }

  body = g_string_new (NULL);
  append_action (body, action, tz);
  version_before = fl_server_db_get_last_seq (self->db, NULL);
  if (!fl_store_begin (store, &error))
    {
      g_string_free (body, TRUE);
      goto internal;
    }
  if (!fl_store_add_action (store, action, &error) ||
      !fl_server_db_store_result (self->db, action->id, req->user->name, SOUP_STATUS_CREATED,
                                  body->str, server_now (self), &error) ||
      !fl_store_commit (store, &error))
    {
      fl_store_rollback (store);
      g_string_free (body, TRUE);
      goto internal;
    }
  /* An action changes no alert's existence: the cached evaluation stays valid. */
  if (self->evaluation_version == version_before)
    self->evaluation_version = fl_server_db_get_last_seq (self->db, NULL);

  respond_json (req, SOUP_STATUS_CREATED, body);
  return;

internal:
  respond_internal (req, error);
}

/* Callbacks */

static void
on_early_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > FL_SERVER_MAX_BODY)
    {
      g_auto(Request) req = {
        .self = user_data, .msg = msg, .path = path, .query = query,
        .method = soup_server_message_get_method (msg), .started = g_get_monotonic_time (),
      };

      /* Answer before reading the body, and do not keep the connection. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      respond_error (&req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                     "The request body has %" G_GOFFSET_FORMAT " bytes; the limit is %d.",
                     soup_message_headers_get_content_length (headers), FL_SERVER_MAX_BODY);
    }
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  g_auto(Request) req = {
    .self = user_data, .msg = msg, .path = path, .query = query,
    .method = soup_server_message_get_method (msg), .started = g_get_monotonic_time (),
  };

  if (strcmp (path, "/api/v1/changes") == 0)
    handle_changes (&req);
  else if (strcmp (path, "/api/v1/actions") == 0)
    handle_actions (&req);
  else if (strcmp (path, "/api/v1/login") == 0)
    handle_login (&req);
  else if (strcmp (path, "/api/v1/logout") == 0)
    handle_logout (&req);
  else
    respond_error (&req, SOUP_STATUS_NOT_FOUND, "not_found", "There is no endpoint %s.", path);
}

/* GObject */

static void
fl_server_dispose (GObject *object)
{
  FlServer *self = FL_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (fl_server_parent_class)->dispose (object);
}

static void
fl_server_finalize (GObject *object)
{
  FlServer *self = FL_SERVER (object);

  g_clear_pointer (&self->evaluation, fl_evaluation_free);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (fl_server_parent_class)->finalize (object);
}

static void
fl_server_class_init (FlServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_server_dispose;
  object_class->finalize = fl_server_finalize;
}

static void
fl_server_init (FlServer *self)
{
}

/* Public API */

FlServer *
fl_server_new (FlServerDb *db,
               gint64      now)
{
  FlServer *self;

  g_return_val_if_fail (FL_IS_SERVER_DB (db), NULL);

  self = g_object_new (FL_TYPE_SERVER, NULL);
  self->db = g_object_ref (db);
  self->fixed_now = now;
  self->soup = soup_server_new ("server-header", "fieldlight-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, on_early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_request_cb, self, NULL);
  return self;
}

char *
fl_server_listen (FlServer    *self,
                  const char  *address,
                  GError     **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSList *uris;
  char *url;
  const char *host;
  guint16 port;

  g_return_val_if_fail (FL_IS_SERVER (self), NULL);

  if (!(connectable = g_network_address_parse (address, 8080, error)))
    return NULL;
  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable));
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen %s: “%s” is not an IP address", address, host);
      return NULL;
    }

  port = g_network_address_get_port (G_NETWORK_ADDRESS (connectable));
  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->soup, socket_address, 0, error))
    return NULL;

  uris = soup_server_get_uris (self->soup);
  url = uris != NULL ? g_uri_to_string (uris->data) : NULL;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

void
fl_server_stop (FlServer *self)
{
  g_return_if_fail (FL_IS_SERVER (self));

  soup_server_disconnect (self->soup);
}
