/* fl-sync-client.c — the desktop's sync engine (libsoup 3, async)
 *
 * One SoupSession per client. A sync is a chain of callbacks on the main
 * thread: GET changes → apply the page in a worker (its own FlStore on the
 * same file, one transaction) → … → push the due outbox entries one by one.
 * Only the worker touches the worker store, and only the main thread touches
 * the client and its store.
 *
 * A pull from scratch (no cursor of this server and user, or 410) clears the
 * cache only in the transaction of its first page, once that page arrived
 * and is valid: offline, or with a server that answers badly, the cache
 * keeps what it had. Actions still waiting in the outbox are kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl-json-scan.h"
#include "fl-sync-client.h"
#include "fl-token-store.h"

#define PAGE_LIMIT          5000
/* A long pull applies several pages per transaction: far fewer commits, and
 * the first ones (into an empty or small cache) become bulk writes (indexes
 * built once at their commit, see fl-store-private.h). A transaction
 * commits once it holds BATCH_MIN_RECORDS records, or after BATCH_MAX_S
 * seconds (the window's connection may want to write; its busy timeout is
 * 5 s), or at the last page; each page saves its cursor in it, so a crash
 * resumes from the last committed cursor. */
#define BATCH_MIN_RECORDS   100000
#define BATCH_MAX_S         4.0
/* A pull that announces at least this many records to come is a bulk load
 * (fl_store_begin_bulk_load()): the indexes that a merge would update in
 * random order, and the visit summary, are built once at its end instead of
 * row by row for each page (a merge into a big cache costs several times an
 * append). */
#define BULK_LOAD_MIN_RECORDS 100000
/* Pages fetched or being fetched beyond the one the worker applies. */
#define FETCH_AHEAD         2
/* The worker's page cache: random index updates of a big merge stay in it. */
#define WORKER_CACHE_KIB    32768
#define DEFAULT_TIMEOUT_S   30
#define IDLE_TIMEOUT_S      60
#define PERIODIC_SYNC_S     300
#define BACKOFF_MIN_S       2.0
#define BACKOFF_MAX_S       600.0
#define USER_AGENT          "Fieldlight/0.1"

#define META_CURSOR         "sync.cursor"
#define META_CURSOR_OWNER   "sync.cursor-owner"
#define META_LAST_SYNC      "sync.last-sync"
#define META_SERVER         "sync.server"
#define META_USER           "sync.user"

struct _FlSyncClient
{
  GObject          parent_instance;

  /* owned */
  FlStore         *store;
  char            *server_url;     /* normalised, ends with '/' */
  SoupSession     *session;
  GNetworkMonitor *monitor;
  char            *user;
  char            *token;
  guint            timeout_s;

  FlSyncState      state;
  double           progress;
  gint64           last_sync;
  gint64           offline_since;
  char            *error_message;
  guint            queued;
  gboolean         token_in_memory_only;
  FlSyncStats      stats;

  GTask           *running;        /* the sync in progress (borrowed: the chain owns it) */
  GPtrArray       *waiting;        /* GTask*: callers joined to the running sync */

  gboolean         automatic;
  guint            timer_id;
  int              failures;       /* consecutive failed automatic syncs */
  gulong           network_changed_id;

  /* test hooks */
  int              kill_after_page;
  int              wait_after_page;
  int              kill_after_push;
  int              page_limit;
  int              pushes;
  guint64          batch_records;
  guint64          bulk_min_records;
  double           batch_seconds;
};

G_DEFINE_TYPE (FlSyncClient, fl_sync_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (fl-sync-error-quark, fl_sync_error)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_LAST_SYNC,
  PROP_OFFLINE_SINCE,
  PROP_ERROR_MESSAGE,
  PROP_QUEUED,
  PROP_USER,
  PROP_TOKEN_IN_MEMORY_ONLY,
  PROP_SERVER_URL,
  N_PROPS
};

enum
{
  SIGNAL_DATA_CHANGED,
  SIGNAL_ACTION_REJECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The state of one sync_async. */
typedef struct
{
  FlStore   *worker_store;   /* opened by the first worker, then passed along */
  char      *cursor;
  char      *owner;          /* "<server> <user>": whose cursor it is */
  gboolean   clear_first;    /* a pull from scratch: the next page clears the cache */
  gboolean   tx_open;        /* the worker store holds applied pages not committed yet */
  gboolean   bulk_load;      /* the worker store is in a bulk load, to end at the last page */
  guint64    tx_records;     /* records in that transaction */
  gint64     tx_started;     /* when it began, monotonic µs */
  GError    *pending_error;  /* _finish_sync waits for the last commit */
  gboolean   restarted;      /* restarted from scratch after a 410 (only once) */
  gboolean   data_changed;
  guint      page;
  guint64    changes;
  GPtrArray *outbox;         /* FlOutboxEntry*: due entries */
  guint      next_entry;
  gboolean   finished;
  /* Pipelining: the next pages are fetched while the worker applies this
   * one. A page's cursor is read from its beginning as soon as it arrives,
   * and the page after it is asked for at once, up to FETCH_AHEAD pages. */
  guint         applying;        /* the page in the worker, 0: none */
  guint         fetch_after;     /* the page whose cursor the last fetch used */
  GQueue        fetches;         /* of Fetch*, in page order, until consumed */
  gboolean      awaiting_fetch;  /* consume it as soon as it completes */
  GCancellable *fetch_cancellable;
  gulong        cancelled_id;
} SyncData;

/* One GET of the changes. */
typedef struct _Fetch
{
  GTask       *task;       /* the sync (owned) */
  guint        after_page; /* the page whose cursor it used */
  SoupMessage *message;
  GBytes      *body;
  GError      *error;
  gboolean     done;
  /* A page (200) is decoded in a worker as soon as it arrives. */
  struct _PageJob *job;
  gboolean     decoding;
} Fetch;

/* One page, handed to a worker thread. */
typedef struct _PageJob
{
  /* in */
  GTask     *sync;           /* the sync (not owned; alive while the job runs) */
  FlStore   *store;          /* NULL: open one on @path */
  char      *path;
  GBytes    *body;           /* NULL: only commit the open transaction */
  gboolean   clear;          /* the first page of a pull from scratch */
  gboolean   force_commit;   /* commit after this page (test hooks) */
  guint64    tx_records;     /* records already in the open transaction */
  gint64     tx_started;     /* when it began (monotonic µs) */
  guint64    batch_records;  /* commit once it holds this many */
  double     batch_seconds;  /* or is this old */
  guint64    bulk_min_records;
  gboolean   tx_open;        /* a transaction is open (jobs without a body) */
  char      *owner;
  guint      page;
  /* out */
  char      *cursor;
  gboolean   more;
  gint64     remaining;      /* -1: unknown */
  guint64    n_records;
  gboolean   committed;      /* the transaction was committed after this page */
  gboolean   bulk_load;      /* the store is in a bulk load after this job */
  /* decoded (by _decode_page(), maybe in another thread before the job runs) */
  gboolean   decoded;
  GError    *decode_error;   /* the page is not valid */
  gboolean   decode_invalid; /* … in its content: the pages before it are kept */
  FlDataset *fragment;
  GPtrArray *ids_by_kind[FL_N_ENTITY_KINDS];   /* deletes */
  gint64     decode_us;
} PageJob;

static void _pull_next  (GTask *task);
static void _fetch_page (GTask *task, guint after_page);
static void _fetch_page_with_cursor (GTask *task, guint after_page, const char *cursor);
static void _fetch_ahead (struct _Fetch *fetch);
static void _consume_fetch (GTask *task);
static void _push_next  (GTask *task);
static void _run_page_job (GTask *task, struct _PageJob *job, GAsyncReadyCallback callback);
static void _schedule   (FlSyncClient *self, double delay_s);

/* helpers */

static void _page_job_free (struct _PageJob *job);

static void
_fetch_free (Fetch *fetch)
{
  g_clear_pointer (&fetch->job, _page_job_free);
  g_clear_object (&fetch->task);
  g_clear_object (&fetch->message);
  g_clear_pointer (&fetch->body, g_bytes_unref);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

/* In-flight fetches are only detached: their callbacks free them. */
static void
_drop_fetch (SyncData *data)
{
  Fetch *fetch;

  while ((fetch = g_queue_pop_head (&data->fetches)) != NULL)
    {
      if (fetch->done && !fetch->decoding)
        _fetch_free (fetch);
    }
}

static void
_sync_data_free (SyncData *data)
{
  g_queue_clear_full (&data->fetches, (GDestroyNotify) _fetch_free);
  g_clear_object (&data->fetch_cancellable);
  g_clear_object (&data->worker_store);
  g_clear_error (&data->pending_error);
  g_free (data->cursor);
  g_free (data->owner);
  g_clear_pointer (&data->outbox, g_ptr_array_unref);
  g_free (data);
}

static void
_page_job_free (PageJob *job)
{
  g_clear_object (&job->store);
  g_free (job->path);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->owner);
  g_free (job->cursor);
  g_clear_error (&job->decode_error);
  g_clear_pointer (&job->fragment, fl_dataset_free);
  for (guint k = 0; k < FL_N_ENTITY_KINDS; k++)
    g_clear_pointer (&job->ids_by_kind[k], g_ptr_array_unref);
  g_free (job);
}

static void
_set_state (FlSyncClient *self,
            FlSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
_set_progress (FlSyncClient *self,
               double        progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
_set_error_message (FlSyncClient *self,
                    const char   *message)
{
  if (g_strcmp0 (self->error_message, message) == 0)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
_set_offline_since (FlSyncClient *self,
                    gint64        since)
{
  if (self->offline_since == since)
    return;
  self->offline_since = since;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
}

static void
_set_token_in_memory_only (FlSyncClient *self,
                           gboolean      in_memory)
{
  if (self->token_in_memory_only == in_memory)
    return;
  self->token_in_memory_only = in_memory;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_IN_MEMORY_ONLY]);
}

static void
_set_user (FlSyncClient *self,
           const char   *user)
{
  if (g_strcmp0 (self->user, user) == 0)
    return;
  g_free (self->user);
  self->user = g_strdup (user);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static gint64
_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Exponential from 2 s to 10 min, ±25 % jitter; @attempts ≥ 1. */
static double
_backoff_seconds (int attempts)
{
  double delay = BACKOFF_MIN_S * pow (2.0, MIN (MAX (attempts, 1) - 1, 20));

  delay = MIN (delay, BACKOFF_MAX_S);
  return delay * g_random_double_range (0.75, 1.25);
}

static void
_refresh_queued (FlSyncClient *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  guint queued;

  entries = fl_store_list_outbox (self->store,
                                  (1u << FL_OUTBOX_QUEUED) | (1u << FL_OUTBOX_SENT), &error);
  if (entries == NULL)
    {
      g_warning ("Cannot read the outbox: %s", error->message);
      return;
    }
  queued = entries->len;
  self->stats.queued = queued;
  if (self->queued == queued)
    return;
  self->queued = queued;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUED]);
}

static char *
_owner_key (FlSyncClient *self)
{
  return g_strdup_printf ("%s %s", self->server_url, self->user != NULL ? self->user : "");
}

/* Loopback: 127.0.0.0/8, ::1 and "localhost". */
static gboolean
_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static char *
_normalise_url (const char  *url,
                gboolean    *out_loopback,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  const char *scheme;
  const char *host;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address: %s"), url, local_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address: it must start with https://"), url);
      return NULL;
    }
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address: it names no host"), url);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address: it must not hold a user name, "
                     "a query or a fragment"), url);
      return NULL;
    }
  *out_loopback = _host_is_loopback (host);
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !*out_loopback)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is refused: plain http:// is only allowed to this computer "
                     "(127.0.0.1, ::1, localhost); use https://"), url);
      return NULL;
    }
  path = g_str_has_suffix (g_uri_get_path (uri), "/")
         ? g_strdup (g_uri_get_path (uri))
         : g_strconcat (g_uri_get_path (uri), "/", NULL);
  return g_uri_join (G_URI_FLAGS_NONE,
                     g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http",
                     NULL, host, g_uri_get_port (uri), path, NULL, NULL);
}

static SoupMessage *
_new_message (FlSyncClient *self,
              const char   *method,
              const char   *path_and_query,
              gboolean      authorised)
{
  g_autofree char *url = g_strconcat (self->server_url, path_and_query, NULL);
  SoupMessage *message = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  soup_message_headers_replace (headers, "Accept", "application/json");
  if (authorised && self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  return message;
}

static gboolean
_is_network_error (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_CANCELLED;
  return error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR;
}

/* A failed request (no HTTP status) → FL_SYNC_ERROR_NETWORK in plain words
 * (libsoup's own errors, e.g. a garbled HTTP answer: FL_SYNC_ERROR_PROTOCOL). */
static GError *
_network_error (FlSyncClient *self,
                GError       *error)
{
  GError *result;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    result = g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_NETWORK,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "The server %s did not answer within %u second",
                                       "The server %s did not answer within %u seconds",
                                       self->timeout_s),
                          self->server_url, self->timeout_s);
  else if (!_is_network_error (error))
    result = g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_PROTOCOL,
                          _("The answer of the server %s cannot be read: %s"),
                          self->server_url, error->message);
  else if (error->domain == G_TLS_ERROR)
    result = g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_NETWORK,
                          _("The secure connection to %s failed: %s"),
                          self->server_url, error->message);
  else
    result = g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_NETWORK,
                          _("Cannot reach the server %s: %s"),
                          self->server_url, error->message);
  return result;
}

/* Reads {"error": {"code", "message"}}; either may come back NULL. */
static void
_parse_error_body (GBytes  *body,
                   char   **out_code,
                   char   **out_message)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *node;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  *out_code = NULL;
  *out_message = NULL;
  if (data == NULL || size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  node = json_object_get_member (json_node_get_object (root), "error");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  node = json_object_get_member (object, "code");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    *out_code = g_strdup (json_node_get_string (node));
  node = json_object_get_member (object, "message");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    *out_message = g_strdup (json_node_get_string (node));
}

/* An HTTP status that is not a success → a GError in plain words. */
static GError *
_http_error (SoupMessage *message,
             GBytes      *body)
{
  guint status = soup_message_get_status (message);
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;
  const char *detail;

  _parse_error_body (body, &code, &text);
  detail = text != NULL ? text : soup_message_get_reason_phrase (message);
  if (detail == NULL || *detail == '\0')
    detail = soup_status_get_phrase (status);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      if (g_strcmp0 (code, "invalid_credentials") == 0)
        detail = _("wrong user name or password");
      else if (g_strcmp0 (code, "unauthorized") == 0)
        detail = _("the sign-in has expired or was revoked; sign in again");
      return g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH,
                          _("The server refused the sign-in: %s"), detail);
    }
  if (status >= 500)
    return g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_SERVER,
                        _("The server failed (%u): %s"), status, detail);
  if (status == SOUP_STATUS_FORBIDDEN)
    return g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_SERVER,
                        _("The server refused the request (%u): %s"), status, detail);
  return g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_PROTOCOL,
                      _("Unexpected answer from the server (%u): %s"), status, detail);
}

static void
_forget_token (FlSyncClient *self)
{
  if (self->token == NULL)
    return;
  g_clear_pointer (&self->token, g_free);
  if (self->user != NULL)
    fl_token_store_clear_async (self->server_url, self->user, NULL, NULL, NULL);
}

/* Ends the running sync: state, signals, the waiting callers, the next run. */
static void
_finish_sync_now (GTask  *task,
                  GError *error)
{
  FlSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  double next_s = -1;

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = NULL;
  data->finished = TRUE;
  g_cancellable_cancel (data->fetch_cancellable);
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), data->cancelled_id);
  data->cancelled_id = 0;
  _drop_fetch (data);
  self->stats.changes = data->changes;
  self->stats.pages = data->page;
  g_clear_object (&data->worker_store);

  g_object_freeze_notify (G_OBJECT (self));
  _refresh_queued (self);
  if (data->data_changed)
    g_signal_emit (self, signals[SIGNAL_DATA_CHANGED], 0);

  if (error == NULL)
    {
      self->failures = 0;
      _set_error_message (self, NULL);
      _set_offline_since (self, 0);
      _set_progress (self, 1.0);
      _set_state (self, FL_SYNC_STATE_IDLE);
      next_s = PERIODIC_SYNC_S;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _set_state (self, self->token == NULL ? FL_SYNC_STATE_SIGNED_OUT
                        : self->offline_since != 0 ? FL_SYNC_STATE_OFFLINE
                        : FL_SYNC_STATE_IDLE);
    }
  else
    {
      _set_error_message (self, error->message);
      self->failures++;
      if (g_error_matches (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NETWORK))
        {
          if (self->offline_since == 0)
            _set_offline_since (self, _now ());
          _set_state (self, FL_SYNC_STATE_OFFLINE);
          next_s = _backoff_seconds (self->failures);
        }
      else if (g_error_matches (error, FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH))
        {
          /* No retry until someone signs in again. */
          _forget_token (self);
          _set_offline_since (self, 0);
          _set_state (self, FL_SYNC_STATE_ERROR);
        }
      else if (g_error_matches (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_SIGNED_IN))
        {
          _set_state (self, FL_SYNC_STATE_SIGNED_OUT);
        }
      else
        {
          _set_offline_since (self, 0);
          _set_state (self, FL_SYNC_STATE_ERROR);
          next_s = _backoff_seconds (self->failures);
        }
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (self->automatic && next_s >= 0)
    {
      /* A queued action coming due (undo window, retry) comes first. */
      g_autoptr(GPtrArray) entries =
        fl_store_list_outbox (self->store, 1u << FL_OUTBOX_QUEUED, NULL);

      for (guint i = 0; entries != NULL && i < entries->len; i++)
        {
          FlOutboxEntry *entry = g_ptr_array_index (entries, i);

          next_s = MIN (next_s, MAX (1.0, (double) (entry->not_before - _now ())));
        }
      _schedule (self, next_s);
    }

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *other = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (other, g_error_copy (error));
      else
        g_task_return_boolean (other, TRUE);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_last_commit_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  SyncData *data = g_task_get_task_data (task);
  PageJob *job = g_task_get_task_data (G_TASK (result));

  data->worker_store = g_steal_pointer (&job->store);
  data->bulk_load = job->bulk_load;
  g_task_propagate_boolean (G_TASK (result), NULL);
  _finish_sync_now (task, g_steal_pointer (&data->pending_error));
}

/* Ends the running sync, after committing the pages applied so far (the
 * pull failed between pages, or was cancelled). */
static void
_finish_sync (GTask  *task,
              GError *error)
{
  SyncData *data = g_task_get_task_data (task);

  if (!data->tx_open && !data->bulk_load)
    {
      _finish_sync_now (task, error);
      return;
    }
  data->pending_error = error;
  _run_page_job (task, g_new0 (PageJob, 1), on_last_commit_cb);
  data->tx_open = FALSE;
}

/* The worker: parse, validate and apply one page. */

static gboolean
_parse_deletes (JsonObject  *deletes,
                const char  *what,
                GPtrArray  **ids_by_kind,
                guint64     *n_records,
                GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (deletes);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (deletes, name);
      FlEntityKind kind;
      JsonArray *array;

      /* Unknown kinds: a newer server; ignored like unknown keys. */
      if (!fl_entity_kind_from_string (name, &kind))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: field “deletes.%s” is not an array"), what, name);
          return FALSE;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *id = NULL;

          if (JSON_NODE_HOLDS_VALUE (element)
              && json_node_get_value_type (element) == G_TYPE_STRING)
            id = json_node_get_string (element);
          if (id == NULL || !fl_json_is_valid_id (id))
            {
              g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                           _("%s: deletes.%s[%u] is not a valid id"), what, name, i);
              return FALSE;
            }
          g_ptr_array_add (ids_by_kind[kind], (gpointer) id);
        }
      *n_records += json_array_get_length (array);
    }
  return TRUE;
}

static gboolean
_parse_header (JsonObject  *dataset,
               const char  *what,
               FlDataset   *fragment,
               GError     **error)
{
  const char *timezone = NULL;
  JsonObject *province;
  const char *code, *name;

  if (!fl_json_get_opt_string (dataset, what, "timezone", &timezone, error))
    return FALSE;
  if (timezone != NULL)
    {
      GTimeZone *tz = g_time_zone_new_identifier (timezone);

      if (tz == NULL)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("%s: field “timezone” is not a known time zone: “%s”"),
                       what, timezone);
          return FALSE;
        }
      g_time_zone_unref (tz);
      g_free (fragment->timezone);
      fragment->timezone = g_strdup (timezone);
    }
  if (json_object_has_member (dataset, "province"))
    {
      if (!fl_json_get_object (dataset, what, "province", &province, error)
          || !fl_json_get_string (province, what, "code", &code, error)
          || !fl_json_get_string (province, what, "name", &name, error))
        return FALSE;
      g_free (fragment->province_code);
      g_free (fragment->province_name);
      fragment->province_code = g_strdup (code);
      fragment->province_name = g_strdup (name);
    }
  return TRUE;
}

/* Validation errors → FL_SYNC_ERROR_PROTOCOL "Page N from the server is not
 * valid: …", with @what ("page N") taken off the front of the detail. */
static GError *
_invalid_page_error (guint        page,
                     const char  *what,
                     GError      *error)
{
  const char *detail = error->message;
  gsize len = strlen (what);

  if (g_ascii_strncasecmp (detail, what, len) == 0 && detail[len] == ':')
    detail += len + 1;
  while (*detail == ' ')
    detail++;
  return g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_PROTOCOL,
                      _("Page %u from the server is not valid: %s"), page, detail);
}

/* Commits the pages applied so far (after a failure: best effort; on error
 * the transaction goes and the cursor stays at the last commit), and ends
 * the bulk load of the pull, if any: the cache must be whole when the sync
 * stops, even half way. @tx_open: a transaction is open. */
static gboolean
_commit_open (PageJob  *job,
              gboolean  tx_open)
{
  g_autoptr(GError) error = NULL;

  if (job->store != NULL && fl_store_get_bulk_load (job->store))
    {
      if (!tx_open && !fl_store_begin (job->store, &error))
        goto failed;
      tx_open = TRUE;
      if (!fl_store_end_bulk_load (job->store, &error))
        goto failed;
    }
  if (!tx_open || fl_store_commit (job->store, &error))
    return TRUE;

failed:
  g_warning ("Cannot save the pages pulled so far: %s", error->message);
  if (tx_open)
    fl_store_rollback (job->store);
  return FALSE;
}

/* The fast way through a valid page: its members but "upserts" parsed into
 * @small, and its entities read by fl_dataset_load_fragment_fast(). FALSE
 * when anything is unusual: then the page goes the slow way, which says
 * what is wrong. */
static gboolean
_parse_page_fast (const char  *data,
                  gsize        size,
                  JsonObject **small,
                  FlDataset  **fragment)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(FlDataset) upserts = NULL;
  FlJsonScanner scanner;
  FlJsonSpan key, value;
  gboolean found;

  fl_json_scanner_init (&scanner, "<page>", data, size);
  if (!fl_json_scanner_open (&scanner, '{', NULL))
    return FALSE;
  for (;;)
    {
      g_autoptr(JsonNode) key_node = NULL;
      const char *name;

      if (!fl_json_scanner_next_member (&scanner, &key, &value, &found, NULL))
        return FALSE;
      if (!found)
        break;
      if (!(key_node = fl_json_scanner_parse_span_root (&scanner, parser, &key, NULL)))
        return FALSE;
      name = json_node_get_string (key_node);
      if (name == NULL || json_object_has_member (object, name)
          || (strcmp (name, "upserts") == 0 && upserts != NULL))
        return FALSE;
      if (strcmp (name, "upserts") == 0)
        {
          if (data[value.start] != '{'
              || !(upserts = fl_dataset_load_fragment_fast (data + value.start,
                                                            value.end - value.start)))
            return FALSE;
        }
      else
        {
          JsonNode *member = fl_json_scanner_parse_span_root (&scanner, parser, &value, NULL);

          if (member == NULL)
            return FALSE;
          json_object_set_member (object, name, member);
        }
    }
  if (!fl_json_scanner_finish (&scanner, NULL) || upserts == NULL)
    return FALSE;

  *small = g_steal_pointer (&object);
  *fragment = g_steal_pointer (&upserts);
  return TRUE;
}

/* Parses and validates a page (no store): fills job->fragment, ids_by_kind,
 * cursor, more, remaining and n_records, or job->decode_error. Runs in a
 * worker, maybe while the page before is being applied in another. */
static void
_decode_page (PageJob *job)
{
  GError **error = &job->decode_error;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(FlDataset) fragment = NULL;
  g_autoptr(JsonObject) empty = json_object_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *what = g_strdup_printf ("page %u", job->page);
  GPtrArray **ids_by_kind = job->ids_by_kind;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) small = NULL;
  JsonNode *node;
  JsonObject *object;
  JsonObject *upserts = empty;
  const char *format, *cursor;
  gint64 version;
  gboolean present = FALSE;
  gsize size;
  const char *data = g_bytes_get_data (job->body, &size);
  gint64 t0 = g_get_monotonic_time ();

  job->decoded = TRUE;
  for (guint k = 0; k < FL_N_ENTITY_KINDS; k++)
    ids_by_kind[k] = g_ptr_array_new ();

  if (data != NULL && _parse_page_fast (data, size, &small, &fragment))
    {
      object = small;
      goto parsed;
    }
  root = fl_json_parse_data (data != NULL ? data : "", size, parser, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_PROTOCOL,
                   _("Page %u from the server is not valid: not JSON: %s"),
                   job->page, local_error->message);
      goto out;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_PROTOCOL,
                   _("Page %u from the server is not valid: not a JSON object"), job->page);
      goto out;
    }
  object = json_node_get_object (root);

parsed:
  if (!fl_json_get_string (object, what, "format", &format, &local_error)
      || !fl_json_get_int (object, what, "version", &version, &local_error)
      || !fl_json_get_string (object, what, "cursor", &cursor, &local_error)
      || !fl_json_get_bool (object, what, "more", &job->more, &local_error)
      || !fl_json_get_opt_int (object, what, "remaining", &present, &job->remaining,
                               &local_error))
    goto invalid;
  if (g_strcmp0 (format, "fieldlight-changes") != 0 || version != 1)
    {
      g_set_error (&local_error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: not a version 1 “fieldlight-changes” document"), what);
      goto invalid;
    }
  if (!present)
    job->remaining = -1;
  job->cursor = g_strdup (cursor);

  if (fragment == NULL)
    {
      node = json_object_get_member (object, "upserts");
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          if (!fl_json_get_object (object, what, "upserts", &upserts, &local_error))
            goto invalid;
        }
      fragment = fl_dataset_load_fragment (upserts, what, &local_error);
      if (fragment == NULL)
        goto invalid;
    }
  node = json_object_get_member (object, "dataset");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *header;

      if (!fl_json_get_object (object, what, "dataset", &header, &local_error)
          || !_parse_header (header, what, fragment, &local_error))
        goto invalid;
    }
  node = json_object_get_member (object, "deletes");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *deletes;

      if (!fl_json_get_object (object, what, "deletes", &deletes, &local_error)
          || !_parse_deletes (deletes, what, ids_by_kind, &job->n_records, &local_error))
        goto invalid;
    }
  for (guint k = 0; k < FL_N_ENTITY_KINDS; k++)
    job->n_records += fl_dataset_get_entities (fragment, k)->len;

  job->fragment = g_steal_pointer (&fragment);
  goto out;

invalid:
  g_propagate_error (error, _invalid_page_error (job->page, what, local_error));
  local_error = NULL;
  job->decode_invalid = TRUE;

out:
  job->decode_us = g_get_monotonic_time () - t0;
}

static gboolean
_apply_page (PageJob  *job,
             GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *what = g_strdup_printf ("page %u", job->page);
  GPtrArray **ids_by_kind = job->ids_by_kind;
  FlDataset *fragment;
  gint64 t2, t3, t4;
  gboolean ok = FALSE;

  if (!job->decoded)
    _decode_page (job);
  if (job->decode_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->decode_error));
      if (job->decode_invalid)
        goto invalid_kept;
      goto out;
    }
  fragment = job->fragment;

  /* One transaction: all of the page or nothing. */
  if (job->store == NULL)
    {
      job->store = fl_store_open (job->path, error);
      if (job->store == NULL)
        goto out;
      fl_store_set_cache_size (job->store, WORKER_CACHE_KIB);
    }
  if (job->tx_records == 0 && !fl_store_begin (job->store, error))
    goto out;
  /* Before the clear, which is cheaper without the indexes too. */
  if (job->more && job->remaining >= 0 && (guint64) job->remaining >= job->bulk_min_records
      && !fl_store_begin_bulk_load (job->store, &local_error))
    goto failed;
  if (job->clear && !fl_store_clear_synced (job->store, &local_error))
    goto failed;
  t2 = g_get_monotonic_time ();
  if (!fl_store_merge_dataset (job->store, fragment, &local_error))
    goto failed;
  for (guint k = 0; k < FL_N_ENTITY_KINDS; k++)
    {
      if (ids_by_kind[k]->len > 0
          && !fl_store_delete_entities (job->store, k,
                                        (const char * const *) ids_by_kind[k]->pdata,
                                        ids_by_kind[k]->len, &local_error))
        goto failed;
    }
  if (!fl_store_set_meta (job->store, META_CURSOR, job->cursor, &local_error)
      || !fl_store_set_meta (job->store, META_CURSOR_OWNER, job->owner, &local_error))
    goto failed;
  if (!job->more)
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, _now ());

      if (!fl_store_set_meta (job->store, META_LAST_SYNC, now, &local_error)
          || !fl_store_end_bulk_load (job->store, &local_error))
        goto failed;
    }
  if (!job->more || job->force_commit
      || job->tx_records + job->n_records >= job->batch_records
      || (g_get_monotonic_time () - job->tx_started) / (double) G_USEC_PER_SEC
         >= job->batch_seconds)
    {
      t3 = g_get_monotonic_time ();
      if (!fl_store_commit (job->store, &local_error))
        goto failed;
      job->committed = TRUE;
    }
  else
    t3 = g_get_monotonic_time ();
  t4 = g_get_monotonic_time ();
  g_debug ("Page %u: %" G_GSIZE_FORMAT " bytes, %" G_GUINT64_FORMAT " records: decoded in "
           "%.0f ms, merged in %.0f ms, committed in %.0f ms%s", job->page,
           g_bytes_get_size (job->body), job->n_records, job->decode_us / 1000.0,
           (t3 - t2) / 1000.0, (t4 - t3) / 1000.0, job->committed ? "" : " (not yet: batched)");
  ok = TRUE;
  goto out;

failed:
  /* Pages applied before this one in the transaction go too: the cursor
   * goes back to the last commit with them. */
  fl_store_rollback (job->store);
  job->tx_records = 0;
  if (g_error_matches (local_error, FL_ERROR, FL_ERROR_INVALID_DATA))
    goto invalid;
  g_set_error (error, local_error->domain, local_error->code,
               _("Cannot save page %u in the cache: %s"), job->page, local_error->message);
  goto out;

invalid:
  g_propagate_error (error, _invalid_page_error (job->page, what, local_error));
  local_error = NULL;
invalid_kept:
  /* This page wrote nothing: keep the pages before it. */
  if (job->tx_records > 0 || (job->store != NULL && fl_store_get_bulk_load (job->store)))
    job->committed = _commit_open (job, job->tx_records > 0);

out:
  job->bulk_load = job->store != NULL && fl_store_get_bulk_load (job->store);
  return ok;
}

static void
_page_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PageJob *job = task_data;
  GError *error = NULL;

  if (job->body == NULL)
    {
      if (job->store == NULL)
        job->store = fl_store_open (job->path, NULL);
      job->committed = job->store != NULL && _commit_open (job, job->tx_open);
      job->bulk_load = job->store != NULL && fl_store_get_bulk_load (job->store);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (_apply_page (job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
_run_page_job (GTask               *task,
               PageJob             *job,
               GAsyncReadyCallback  callback)
{
  FlSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  GTask *worker;

  job->sync = task;
  job->store = g_steal_pointer (&data->worker_store);
  job->tx_records = data->tx_open ? data->tx_records : 0;
  job->tx_open = data->tx_open;
  job->bulk_min_records = self->bulk_min_records;
  job->tx_started = data->tx_open ? data->tx_started : g_get_monotonic_time ();
  job->batch_records = self->batch_records;
  job->batch_seconds = self->batch_seconds;
  job->force_commit = job->force_commit
                      || (self->kill_after_page > 0 && job->page == (guint) self->kill_after_page)
                      || (self->wait_after_page > 0 && job->page == (guint) self->wait_after_page);
  job->path = g_strdup (fl_store_get_path (self->store));
  job->owner = g_strdup (data->owner);
  /* Not cancellable: a running transaction ends by itself. */
  worker = g_task_new (self, NULL, callback, task);
  g_task_set_source_tag (worker, _run_page_job);
  g_task_set_task_data (worker, job, (GDestroyNotify) _page_job_free);
  g_task_run_in_thread (worker, _page_thread);
  g_object_unref (worker);
}

/* callbacks */

static void
on_page_applied_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FlSyncClient *self = FL_SYNC_CLIENT (source);
  GTask *task = user_data;
  SyncData *data = g_task_get_task_data (task);
  PageJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  data->worker_store = g_steal_pointer (&job->store);
  data->bulk_load = job->bulk_load;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Committed or rolled back by the worker. */
      data->tx_open = FALSE;
      _finish_sync (task, error);
      return;
    }

  if (job->committed)
    {
      data->tx_open = FALSE;
      data->tx_records = 0;
    }
  else
    {
      if (!data->tx_open)
        data->tx_started = job->tx_started;
      data->tx_open = TRUE;
      data->tx_records += job->n_records;
    }
  data->page++;
  data->clear_first = FALSE;
  data->changes += job->n_records;
  data->data_changed = TRUE;
  g_free (data->cursor);
  data->cursor = g_steal_pointer (&job->cursor);
  if (self->kill_after_page > 0 && data->page == (guint) self->kill_after_page)
    raise (SIGKILL);
  if (self->wait_after_page > 0 && data->page == (guint) self->wait_after_page)
    {
      char line[16];

      /* The test does something (kills the server) and then says go on. */
      fprintf (stderr, "fieldlight-test: page %u committed\n", data->page);
      fflush (stderr);
      if (fgets (line, sizeof line, stdin) == NULL)
        {
          /* End of input: go on as well. */
        }
    }

  if (job->remaining >= 0)
    _set_progress (self, (double) data->changes / (double) (data->changes + job->remaining));
  data->applying = 0;
  if (job->more)
    {
      Fetch *next;

      if (data->fetch_after < data->page)
        _fetch_page (task, data->page);
      next = g_queue_peek_head (&data->fetches);
      if (next != NULL && next->done)
        _consume_fetch (task);
      else
        data->awaiting_fetch = TRUE;
      return;
    }

  self->last_sync = _now ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
  /* Re-evaluate now, while the push runs. */
  g_signal_emit (self, signals[SIGNAL_DATA_CHANGED], 0);
  data->data_changed = FALSE;
  _push_next (task);
}

/* Hands the fetched answer on: a page to apply, a restart, or the end. */
static void
_consume_fetch (GTask *task)
{
  FlSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  Fetch *fetch = g_queue_peek_head (&data->fetches);
  guint status;

  if (fetch->decoding)
    {
      /* on_decoded_cb() comes back here. */
      data->awaiting_fetch = TRUE;
      return;
    }
  g_queue_pop_head (&data->fetches);
  data->awaiting_fetch = FALSE;
  /* Room in the queue: ask for the page after the newest one now. */
  _fetch_ahead (g_queue_is_empty (&data->fetches) ? fetch : g_queue_peek_tail (&data->fetches));
  if (fetch->body == NULL)
    {
      _finish_sync (task, _network_error (self, fetch->error));
      _fetch_free (fetch);
      return;
    }
  status = soup_message_get_status (fetch->message);
  if (status == SOUP_STATUS_OK)
    {
      PageJob *job = fetch->job != NULL ? g_steal_pointer (&fetch->job) : g_new0 (PageJob, 1);

      if (job->body == NULL)
        job->body = g_steal_pointer (&fetch->body);
      job->clear = data->clear_first;
      job->page = data->page + 1;
      data->applying = job->page;
      _run_page_job (task, job, on_page_applied_cb);
      _fetch_free (fetch);
      return;
    }
  if (status == SOUP_STATUS_GONE || status == SOUP_STATUS_BAD_REQUEST)
    {
      g_autofree char *code = NULL;
      g_autofree char *text = NULL;

      /* The server's data was rebuilt (or the cursor is not its own):
       * start again from scratch, once. */
      _parse_error_body (fetch->body, &code, &text);
      if (!data->restarted && (g_strcmp0 (code, "cursor_expired") == 0
                               || g_strcmp0 (code, "bad_cursor") == 0))
        {
          _fetch_free (fetch);
          data->restarted = TRUE;
          data->clear_first = TRUE;
          g_clear_pointer (&data->cursor, g_free);
          _pull_next (task);
          return;
        }
    }
  _finish_sync (task, _http_error (fetch->message, fetch->body));
  _fetch_free (fetch);
}

/* The cursor and "more" of a page, read from its beginning (the server
 * writes them before the entities); FALSE when they are not there. The
 * worker validates the whole page later. */
static gboolean
_peek_cursor (GBytes    *body,
              char     **cursor,
              gboolean  *more)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  FlJsonScanner scanner;
  FlJsonSpan key, value;
  gboolean found, has_more = FALSE;

  if (data == NULL)
    return FALSE;
  fl_json_scanner_init (&scanner, "<page>", data, size);
  if (!fl_json_scanner_open (&scanner, '{', NULL))
    return FALSE;
  while (*cursor == NULL || !has_more)
    {
      g_autoptr(JsonNode) node = NULL;

      if (!fl_json_scanner_next_key (&scanner, &key, &found, NULL) || !found
          || data[scanner.pos] == '{' || data[scanner.pos] == '['
          || !fl_json_scanner_skip_value (&scanner, &value, NULL))
        break;
      if (key.end - key.start == strlen ("\"cursor\"")
          && memcmp (data + key.start, "\"cursor\"", key.end - key.start) == 0
          && (node = fl_json_scanner_parse_span_root (&scanner, parser, &value, NULL))
          && json_node_get_value_type (node) == G_TYPE_STRING)
        *cursor = g_strdup (json_node_get_string (node));
      else if (key.end - key.start == strlen ("\"more\"")
               && memcmp (data + key.start, "\"more\"", key.end - key.start) == 0)
        {
          has_more = TRUE;
          *more = value.end - value.start == 4 && memcmp (data + value.start, "true", 4) == 0;
        }
    }
  if (*cursor == NULL || !has_more)
    {
      g_clear_pointer (cursor, g_free);
      return FALSE;
    }
  return TRUE;
}

/* A page arrived: ask for the one after it now if its cursor says so. */
static void
_fetch_ahead (Fetch *fetch)
{
  SyncData *data = g_task_get_task_data (fetch->task);
  g_autofree char *cursor = NULL;
  gboolean more = FALSE;

  /* Only from the newest page asked for, and not too far ahead. */
  if (!fetch->done || fetch->body == NULL
      || soup_message_get_status (fetch->message) != SOUP_STATUS_OK
      || fetch->after_page != data->fetch_after
      || data->fetches.length >= FETCH_AHEAD
      || !_peek_cursor (fetch->body, &cursor, &more) || !more)
    return;
  _fetch_page_with_cursor (fetch->task, fetch->after_page + 1, cursor);
}

static void
_decode_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  _decode_page (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
on_decoded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  SyncData *data = g_task_get_task_data (fetch->task);

  fetch->decoding = FALSE;
  if (data->finished || g_queue_find (&data->fetches, fetch) == NULL)
    {
      _fetch_free (fetch);
      return;
    }
  if (data->awaiting_fetch && g_queue_peek_head (&data->fetches) == fetch)
    _consume_fetch (fetch->task);
}

/* A page arrived: decode it now, while the page before is being applied
 * (the worker applying a page then only writes). */
static void
_decode_ahead (Fetch *fetch)
{
  g_autoptr(GTask) worker = NULL;
  PageJob *job;

  if (fetch->body == NULL || soup_message_get_status (fetch->message) != SOUP_STATUS_OK)
    return;
  job = g_new0 (PageJob, 1);
  job->body = g_bytes_ref (fetch->body);
  job->page = fetch->after_page + 1;
  fetch->job = job;
  fetch->decoding = TRUE;
  worker = g_task_new (NULL, NULL, on_decoded_cb, fetch);
  g_task_set_source_tag (worker, _decode_ahead);
  g_task_set_task_data (worker, job, NULL);
  g_task_run_in_thread (worker, _decode_thread);
}

static void
on_fetched_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  SyncData *data = g_task_get_task_data (fetch->task);

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                   &fetch->error);
  fetch->done = TRUE;
  if (data->finished || g_queue_find (&data->fetches, fetch) == NULL)
    {
      /* The sync ended meanwhile (or this fetch was superseded). */
      _fetch_free (fetch);
      return;
    }
  _fetch_ahead (fetch);
  _decode_ahead (fetch);
  if (data->awaiting_fetch && g_queue_peek_head (&data->fetches) == fetch)
    _consume_fetch (fetch->task);
}

/* GET the page after @after_page, with the cursor that page committed. */
static void
_fetch_page_with_cursor (GTask      *task,
                         guint       after_page,
                         const char *cursor)
{
  FlSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  Fetch *fetch;

  if (cursor != NULL && *cursor != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      path = g_strdup_printf ("api/v1/changes?limit=%d&cursor=%s", self->page_limit, escaped);
    }
  else
    path = g_strdup_printf ("api/v1/changes?limit=%d", self->page_limit);

  fetch = g_new0 (Fetch, 1);
  fetch->task = g_object_ref (task);
  fetch->after_page = after_page;
  fetch->message = _new_message (self, SOUP_METHOD_GET, path, TRUE);
  g_queue_push_tail (&data->fetches, fetch);
  data->fetch_after = after_page;
  soup_session_send_and_read_async (self->session, fetch->message, G_PRIORITY_DEFAULT,
                                    data->fetch_cancellable, on_fetched_cb, fetch);
}

static void
_fetch_page (GTask *task,
             guint  after_page)
{
  SyncData *data = g_task_get_task_data (task);

  _fetch_page_with_cursor (task, after_page, data->cursor);
}

static void
_pull_next (GTask *task)
{
  SyncData *data = g_task_get_task_data (task);

  _drop_fetch (data);
  _fetch_page (task, data->page);
  data->awaiting_fetch = TRUE;
}

/* push */

static GBytes *
_action_body (FlSyncClient   *self,
              const FlAction *action)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created = fl_time_format_rfc3339 (action->created,
                                                     fl_store_get_time_zone (self->store));
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, action->id);
  json_builder_set_member_name (builder, "alert");
  json_builder_add_string_value (builder, action->alert);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, fl_action_kind_to_string (action->kind));
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "created_by");
  json_builder_add_string_value (builder, action->created_by != NULL ? action->created_by
                                          : self->user);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  return g_bytes_new_take (text, strlen (text));
}

/* Back to QUEUED for a retry, after a failure that is not the action's fault. */
static gboolean
_requeue (FlSyncClient   *self,
          FlOutboxEntry  *entry,
          gboolean        count_attempt,
          GError        **error)
{
  int attempts = entry->attempts + (count_attempt ? 1 : 0);
  gint64 not_before = count_attempt ? _now () + (gint64) _backoff_seconds (attempts)
                                    : entry->not_before;

  return fl_store_update_outbox (self->store, entry->action->id, FL_OUTBOX_QUEUED,
                                 attempts, not_before, NULL, NULL, error);
}

static void
on_pushed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  GTask *task = user_data;
  FlSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  FlOutboxEntry *entry = g_ptr_array_index (data->outbox, data->next_entry - 1);
  SoupMessage *message = soup_session_get_async_result_message (session, result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GError *store_error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (session, result, &error);
  self->pushes++;
  if (self->kill_after_push > 0 && self->pushes == self->kill_after_push)
    raise (SIGKILL);
  if (body == NULL)
    {
      /* Cancelled: it may have arrived; it stays SENT and is resent later. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !_requeue (self, entry, TRUE, &store_error))
        {
          _finish_sync (task, store_error);
          return;
        }
      _finish_sync (task, _network_error (self, error));
      return;
    }

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_OK || status == SOUP_STATUS_CREATED)
    {
      if (!fl_store_update_outbox (self->store, entry->action->id, FL_OUTBOX_ACCEPTED,
                                   entry->attempts + 1, entry->not_before, NULL, NULL,
                                   &store_error))
        {
          _finish_sync (task, store_error);
          return;
        }
      self->stats.accepted++;
    }
  else if (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_FORBIDDEN
           || status == SOUP_STATUS_CONFLICT || status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE
           || status == SOUP_STATUS_UNPROCESSABLE_ENTITY)
    {
      g_autofree char *code = NULL;
      g_autofree char *text = NULL;

      /* The server will never take it: the alert counts as pending again. */
      _parse_error_body (body, &code, &text);
      if (text == NULL)
        text = g_strdup (soup_status_get_phrase (status));
      if (!fl_store_update_outbox (self->store, entry->action->id, FL_OUTBOX_REJECTED,
                                   entry->attempts + 1, entry->not_before,
                                   code != NULL ? code : "rejected", text, &store_error))
        {
          _finish_sync (task, store_error);
          return;
        }
      self->stats.rejected++;
      data->data_changed = TRUE;
      g_signal_emit (self, signals[SIGNAL_ACTION_REJECTED], 0, entry->action->id, text);
    }
  else
    {
      /* 401: not the action's fault; 5xx, 408, 429…: retry later. */
      gboolean auth = status == SOUP_STATUS_UNAUTHORIZED;

      if (!_requeue (self, entry, !auth, &store_error))
        {
          _finish_sync (task, store_error);
          return;
        }
      _finish_sync (task, _http_error (message, body));
      return;
    }
  _push_next (task);
}

static void
_push_next (GTask *task)
{
  FlSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  FlOutboxEntry *entry;

  if (data->outbox == NULL)
    {
      gint64 now = _now ();

      data->outbox = fl_store_list_outbox (self->store,
                                           (1u << FL_OUTBOX_QUEUED) | (1u << FL_OUTBOX_SENT),
                                           &error);
      if (data->outbox == NULL)
        {
          _finish_sync (task, error);
          return;
        }
      /* Due: everything SENT (no answer yet), QUEUED whose time has come. */
      for (guint i = data->outbox->len; i > 0; i--)
        {
          FlOutboxEntry *e = g_ptr_array_index (data->outbox, i - 1);

          if (e->state == FL_OUTBOX_QUEUED && e->not_before > now)
            g_ptr_array_remove_index (data->outbox, i - 1);
        }
    }
  if (data->next_entry >= data->outbox->len)
    {
      _finish_sync (task, NULL);
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      _finish_sync (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("Operation was cancelled")));
      return;
    }

  entry = g_ptr_array_index (data->outbox, data->next_entry++);
  /* SENT before it leaves: after a crash it is sent again with the same id. */
  if (!fl_store_update_outbox (self->store, entry->action->id, FL_OUTBOX_SENT,
                               entry->attempts, entry->not_before, NULL, NULL, &error))
    {
      _finish_sync (task, error);
      return;
    }
  body = _action_body (self, entry->action);
  message = _new_message (self, SOUP_METHOD_POST, "api/v1/actions", TRUE);
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_pushed_cb, task);
}

/* automatic mode */

static void
on_auto_sync_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  /* State and error-message tell the UI; the next run is already scheduled. */
  fl_sync_client_sync_finish (FL_SYNC_CLIENT (source), result, NULL);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  FlSyncClient *self = user_data;

  self->timer_id = 0;
  if (self->automatic && self->running == NULL && self->token != NULL)
    fl_sync_client_sync_async (self, NULL, on_auto_sync_done_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
_schedule (FlSyncClient *self,
           double        delay_s)
{
  guint ms = (guint) (MAX (delay_s, 0.0) * 1000.0);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, ms, on_timer_cb, self, NULL);
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       FlSyncClient    *self)
{
  /* A hint only (it lies here): try soon, the request decides. */
  if (available && self->automatic && self->running == NULL
      && (self->state == FL_SYNC_STATE_OFFLINE || self->state == FL_SYNC_STATE_ERROR)
      && self->token != NULL)
    _schedule (self, 1.0);
}

/* login */

typedef struct
{
  char *user;
  char *token;
} LoginData;

static void
_login_data_free (LoginData *data)
{
  g_free (data->user);
  g_free (data->token);
  g_free (data);
}

static void
on_token_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FlSyncClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!fl_token_store_save_finish (result, &error))
    {
      g_debug ("The keyring cannot keep the token (%s): it lives in memory only",
               error->message);
      _set_token_in_memory_only (self, TRUE);
    }
  else
    _set_token_in_memory_only (self, FALSE);
  g_task_return_boolean (task, TRUE);
}

static void
on_login_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GTask) task = user_data;
  FlSyncClient *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (session, result);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *token = NULL;
  JsonNode *root;
  GError *failure = NULL;
  gsize size;
  const char *bytes;

  body = soup_session_send_and_read_finish (session, result, &error);
  if (body == NULL)
    failure = _network_error (self, error);
  else if (soup_message_get_status (message) != SOUP_STATUS_OK)
    failure = _http_error (message, body);
  else
    {
      bytes = g_bytes_get_data (body, &size);
      if (!json_parser_load_from_data (parser, bytes != NULL ? bytes : "", size, &error)
          || (root = json_parser_get_root (parser)) == NULL
          || !JSON_NODE_HOLDS_OBJECT (root)
          || !fl_json_get_string (json_node_get_object (root), "login", "token", &token,
                                  &error)
          || *token == '\0')
        failure = g_error_new (FL_SYNC_ERROR, FL_SYNC_ERROR_PROTOCOL,
                               _("The server's answer to the sign-in is not valid: %s"),
                               error != NULL ? error->message : _("empty token"));
    }
  if (failure != NULL)
    {
      _set_error_message (self, failure->message);
      g_task_return_error (task, failure);
      return;
    }

  data->token = g_strdup (token);
  fl_sync_client_set_token (self, data->user, data->token);
  if (!fl_store_set_meta (self->store, META_SERVER, self->server_url, &error)
      || !fl_store_set_meta (self->store, META_USER, data->user, &error))
    g_warning ("Cannot remember the sign-in: %s", error->message);
  fl_token_store_save_async (self->server_url, data->user, data->token,
                             g_task_get_cancellable (task), on_token_saved_cb,
                             g_object_ref (task));
}

static void
on_token_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FlSyncClient *self = g_task_get_source_object (task);
  const char *user = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *token = fl_token_store_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (token != NULL)
    {
      fl_sync_client_set_token (self, user, token);
      _set_token_in_memory_only (self, FALSE);
    }
  g_task_return_boolean (task, token != NULL);
}

/* overrides */

static void
fl_sync_client_dispose (GObject *object)
{
  FlSyncClient *self = FL_SYNC_CLIENT (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->monitor);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (fl_sync_client_parent_class)->dispose (object);
}

static void
fl_sync_client_finalize (GObject *object)
{
  FlSyncClient *self = FL_SYNC_CLIENT (object);

  g_free (self->server_url);
  g_free (self->user);
  g_free (self->token);
  g_free (self->error_message);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (fl_sync_client_parent_class)->finalize (object);
}

static void
fl_sync_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FlSyncClient *self = FL_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_OFFLINE_SINCE:
      g_value_set_int64 (value, self->offline_since);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_QUEUED:
      g_value_set_uint (value, self->queued);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_TOKEN_IN_MEMORY_ONLY:
      g_value_set_boolean (value, self->token_in_memory_only);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_sync_client_class_init (FlSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = fl_sync_client_dispose;
  object_class->finalize = fl_sync_client_finalize;
  object_class->get_property = fl_sync_client_get_property;

  /* An int (FlSyncState) rather than a registered enum: no enum type is
   * generated in this project. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, FL_SYNC_STATE_SIGNED_OUT, FL_SYNC_STATE_ERROR,
                      FL_SYNC_STATE_SIGNED_OUT, flags);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_OFFLINE_SINCE] =
    g_param_spec_int64 ("offline-since", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_QUEUED] =
    g_param_spec_uint ("queued", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_TOKEN_IN_MEMORY_ONLY] =
    g_param_spec_boolean ("token-in-memory-only", NULL, NULL, FALSE, flags);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_DATA_CHANGED] =
    g_signal_new ("data-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ACTION_REJECTED] =
    g_signal_new ("action-rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
fl_sync_client_init (FlSyncClient *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->timeout_s = DEFAULT_TIMEOUT_S;
  self->page_limit = PAGE_LIMIT;
  self->batch_records = BATCH_MIN_RECORDS;
  self->batch_seconds = BATCH_MAX_S;
  self->bulk_min_records = BULK_LOAD_MIN_RECORDS;
}

/* public API */

FlSyncClient *
fl_sync_client_new (FlStore     *store,
                    const char  *server_url,
                    GError     **error)
{
  g_autoptr(FlSyncClient) self = NULL;
  g_autofree char *url = NULL;
  g_autofree char *last = NULL;
  gboolean loopback = FALSE;
  const char *hook;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (fl_store_get_path (store) != NULL, NULL);

  url = _normalise_url (server_url, &loopback, error);
  if (url == NULL)
    return NULL;

  self = g_object_new (FL_TYPE_SYNC_CLIENT, NULL);
  self->store = g_object_ref (store);
  self->server_url = g_steal_pointer (&url);
  self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                 "timeout", self->timeout_s,
                                                 "idle-timeout", IDLE_TIMEOUT_S,
                                                 NULL);
  /* Loopback never goes through a proxy ($http_proxy would catch it). */
  if (loopback)
    soup_session_set_proxy_resolver (self->session, NULL);

  last = fl_store_dup_meta (store, META_LAST_SYNC);
  if (last != NULL)
    self->last_sync = g_ascii_strtoll (last, NULL, 10);
  _refresh_queued (self);

  hook = g_getenv ("FIELDLIGHT_TEST_KILL_AFTER_PAGE");
  if (hook != NULL)
    self->kill_after_page = atoi (hook);
  hook = g_getenv ("FIELDLIGHT_TEST_KILL_AFTER_PUSH");
  if (hook != NULL)
    self->kill_after_push = atoi (hook);
  hook = g_getenv ("FIELDLIGHT_TEST_WAIT_AFTER_PAGE");
  if (hook != NULL)
    self->wait_after_page = atoi (hook);
  hook = g_getenv ("FIELDLIGHT_TEST_PAGE_LIMIT");
  if (hook != NULL && atoi (hook) > 0)
    self->page_limit = atoi (hook);
  hook = g_getenv ("FIELDLIGHT_TEST_BATCH");
  if (hook != NULL)
    self->batch_records = g_ascii_strtoull (hook, NULL, 10);
  hook = g_getenv ("FIELDLIGHT_TEST_BULK_MIN");
  if (hook != NULL)
    self->bulk_min_records = g_ascii_strtoull (hook, NULL, 10);
  /* Tests trust their own certificate authority (and only it). */
  hook = g_getenv ("FIELDLIGHT_TEST_CA_FILE");
  if (hook != NULL)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (hook, error);

      if (database == NULL)
        return NULL;
      soup_session_set_tls_database (self->session, database);
    }
  hook = g_getenv ("FIELDLIGHT_TEST_BATCH_SECONDS");
  if (hook != NULL)
    self->batch_seconds = g_ascii_strtod (hook, NULL);

  return g_steal_pointer (&self);
}

void
fl_sync_client_login_async (FlSyncClient        *self,
                            const char          *user,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  LoginData *data;
  char *text;

  g_return_if_fail (FL_IS_SYNC_CLIENT (self));
  g_return_if_fail (user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_sync_client_login_async);
  data = g_new0 (LoginData, 1);
  data->user = g_strdup (user);
  g_task_set_task_data (task, data, (GDestroyNotify) _login_data_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  body = g_bytes_new_take (text, strlen (text));

  message = _new_message (self, SOUP_METHOD_POST, "api/v1/login", FALSE);
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    cancellable, on_login_cb, g_steal_pointer (&task));
}

gboolean
fl_sync_client_login_finish (FlSyncClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fl_sync_client_set_token (FlSyncClient *self,
                          const char   *user,
                          const char   *token)
{
  g_return_if_fail (FL_IS_SYNC_CLIENT (self));
  g_return_if_fail (user != NULL && token != NULL);

  g_free (self->token);
  self->token = g_strdup (token);
  g_object_freeze_notify (G_OBJECT (self));
  _set_user (self, user);
  _set_error_message (self, NULL);
  if (self->state == FL_SYNC_STATE_SIGNED_OUT || self->state == FL_SYNC_STATE_ERROR)
    _set_state (self, FL_SYNC_STATE_IDLE);
  g_object_thaw_notify (G_OBJECT (self));
  if (self->automatic && self->running == NULL)
    _schedule (self, 0);
}

const char *
fl_sync_client_get_token (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), NULL);

  return self->token;
}

void
fl_sync_client_sign_out (FlSyncClient *self)
{
  g_return_if_fail (FL_IS_SYNC_CLIENT (self));

  if (self->token != NULL)
    {
      g_autoptr(SoupMessage) message = _new_message (self, SOUP_METHOD_POST,
                                                     "api/v1/logout", TRUE);

      /* Best effort: the token is forgotten here whatever the server says. */
      soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    }
  _forget_token (self);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_object_freeze_notify (G_OBJECT (self));
  _set_error_message (self, NULL);
  _set_offline_since (self, 0);
  _set_token_in_memory_only (self, FALSE);
  _set_state (self, FL_SYNC_STATE_SIGNED_OUT);
  g_object_thaw_notify (G_OBJECT (self));
}

void
fl_sync_client_restore_token_async (FlSyncClient        *self,
                                    const char          *user,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stored = NULL;

  g_return_if_fail (FL_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_sync_client_restore_token_async);
  if (user == NULL)
    {
      g_autofree char *server = fl_store_dup_meta (self->store, META_SERVER);

      stored = fl_store_dup_meta (self->store, META_USER);
      if (stored == NULL || g_strcmp0 (server, self->server_url) != 0)
        {
          g_task_return_boolean (task, FALSE);
          return;
        }
      user = stored;
    }
  g_task_set_task_data (task, g_strdup (user), g_free);
  fl_token_store_lookup_async (self->server_url, user, cancellable, on_token_found_cb,
                               g_steal_pointer (&task));
}

gboolean
fl_sync_client_restore_token_finish (FlSyncClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fl_sync_client_sync_async (FlSyncClient        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  SyncData *data;
  g_autofree char *owner = NULL;
  g_autofree char *cursor_owner = NULL;

  g_return_if_fail (FL_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_sync_client_sync_async);
  if (self->token == NULL)
    {
      g_task_return_new_error (task, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_SIGNED_IN,
                               _("Not signed in to %s"), self->server_url);
      g_object_unref (task);
      return;
    }
  if (self->running != NULL)
    {
      /* Join the running sync: one at a time. */
      g_ptr_array_add (self->waiting, task);
      return;
    }

  g_clear_handle_id (&self->timer_id, g_source_remove);
  data = g_new0 (SyncData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) _sync_data_free);
  self->running = task;
  memset (&self->stats, 0, sizeof self->stats);
  data->fetch_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                                g_object_ref (data->fetch_cancellable),
                                                g_object_unref);

  g_object_freeze_notify (G_OBJECT (self));
  _set_progress (self, 0.0);
  _set_state (self, FL_SYNC_STATE_SYNCING);
  g_object_thaw_notify (G_OBJECT (self));

  /* A cursor of another server or account is worthless: start over. */
  owner = _owner_key (self);
  cursor_owner = fl_store_dup_meta (self->store, META_CURSOR_OWNER);
  if (g_strcmp0 (owner, cursor_owner) == 0)
    data->cursor = fl_store_dup_meta (self->store, META_CURSOR);
  data->owner = g_steal_pointer (&owner);

  /* Without a cursor the pull starts from scratch: whatever the cache holds
   * (demo data, another account's, a rebuilt server's) goes with the first
   * page, in its transaction. */
  if (data->cursor == NULL || *data->cursor == '\0')
    {
      g_clear_pointer (&data->cursor, g_free);
      data->clear_first = TRUE;
    }
  _pull_next (task);
}

gboolean
fl_sync_client_sync_finish (FlSyncClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fl_sync_client_set_automatic (FlSyncClient *self,
                              gboolean      automatic)
{
  g_return_if_fail (FL_IS_SYNC_CLIENT (self));

  automatic = !!automatic;
  if (self->automatic == automatic)
    return;
  self->automatic = automatic;
  if (automatic)
    {
      if (self->monitor == NULL)
        self->monitor = g_object_ref (g_network_monitor_get_default ());
      self->network_changed_id =
        g_signal_connect_object (self->monitor, "network-changed",
                                 G_CALLBACK (on_network_changed_cb), self, 0);
      if (self->running == NULL && self->token != NULL)
        _schedule (self, 0);
    }
  else
    {
      g_clear_signal_handler (&self->network_changed_id, self->monitor);
      g_clear_handle_id (&self->timer_id, g_source_remove);
    }
}

void
fl_sync_client_set_timeout (FlSyncClient *self,
                            guint         seconds)
{
  g_return_if_fail (FL_IS_SYNC_CLIENT (self));

  self->timeout_s = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
}

void
fl_sync_client_outbox_changed (FlSyncClient *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  double next_s = -1;

  g_return_if_fail (FL_IS_SYNC_CLIENT (self));

  _refresh_queued (self);
  if (!self->automatic || self->running != NULL || self->token == NULL)
    return;
  entries = fl_store_list_outbox (self->store, 1u << FL_OUTBOX_QUEUED, NULL);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      FlOutboxEntry *entry = g_ptr_array_index (entries, i);
      double due = MAX (0.0, (double) (entry->not_before - _now ()));

      next_s = next_s < 0 ? due : MIN (next_s, due);
    }
  /* Only bring the next run forward. */
  if (next_s >= 0 && (self->timer_id == 0 || next_s < 1.0 || self->state == FL_SYNC_STATE_IDLE))
    _schedule (self, next_s);
}

void
fl_sync_client_get_stats (FlSyncClient *self,
                          FlSyncStats  *out)
{
  g_return_if_fail (FL_IS_SYNC_CLIENT (self));
  g_return_if_fail (out != NULL);

  *out = self->stats;
}

FlSyncState
fl_sync_client_get_state (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), FL_SYNC_STATE_SIGNED_OUT);
  return self->state;
}

double
fl_sync_client_get_progress (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), 0.0);
  return self->progress;
}

gint64
fl_sync_client_get_last_sync (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), 0);
  return self->last_sync;
}

gint64
fl_sync_client_get_offline_since (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), 0);
  return self->offline_since;
}

const char *
fl_sync_client_get_error_message (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), NULL);
  return self->error_message;
}

guint
fl_sync_client_get_queued (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), 0);
  return self->queued;
}

const char *
fl_sync_client_get_server_url (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), NULL);
  return self->server_url;
}

const char *
fl_sync_client_get_user (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), NULL);
  return self->user;
}

gboolean
fl_sync_client_get_token_in_memory_only (FlSyncClient *self)
{
  g_return_val_if_fail (FL_IS_SYNC_CLIENT (self), FALSE);
  return self->token_in_memory_only;
}
