/* fl-sync-client.h — the desktop's sync engine (libsoup 3, async)
 *
 * Pulls changes page by page (applied in a worker thread on its own
 * connection; a page is never split between transactions, a long pull
 * commits every 100,000 records or 4 s with the cursor of its last page),
 * then pushes the due outbox entries. A pull from scratch clears the cache
 * (but the unsent actions) in the transaction of its first valid page.
 * Failed requests switch the client to offline; it retries with exponential
 * backoff and jitter. See docs/api.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include "fl-core.h"
#include "fl-sync-store.h"

G_BEGIN_DECLS

#define FL_SYNC_ERROR (fl_sync_error_quark ())

typedef enum
{
  FL_SYNC_ERROR_INSECURE_URL,   /* http:// to a non-loopback host, or a bad URL */
  FL_SYNC_ERROR_AUTH,           /* 401: wrong password, expired token */
  FL_SYNC_ERROR_NETWORK,        /* no connection, timeout, TLS failure */
  FL_SYNC_ERROR_SERVER,         /* 5xx or an error body */
  FL_SYNC_ERROR_PROTOCOL,       /* malformed or unexpected response */
  FL_SYNC_ERROR_NOT_SIGNED_IN,
} FlSyncError;

typedef enum
{
  FL_SYNC_STATE_SIGNED_OUT,
  FL_SYNC_STATE_IDLE,      /* online, last sync succeeded */
  FL_SYNC_STATE_SYNCING,
  FL_SYNC_STATE_OFFLINE,   /* requests fail for network reasons; retrying */
  FL_SYNC_STATE_ERROR,     /* the server refused (auth, protocol): see error-message */
} FlSyncState;

#define FL_TYPE_SYNC_CLIENT (fl_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (FlSyncClient, fl_sync_client, FL, SYNC_CLIENT, GObject)

GQuark        fl_sync_error_quark              (void);

/* @store must be a file-backed store (the worker opens its own connection on
 * the same file). Fails with FL_SYNC_ERROR_INSECURE_URL for a refused URL. */
FlSyncClient *fl_sync_client_new               (FlStore      *store,
                                                const char   *server_url,
                                                GError      **error);

void          fl_sync_client_login_async       (FlSyncClient *self,
                                                const char   *user,
                                                const char   *password,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer      user_data);
gboolean      fl_sync_client_login_finish      (FlSyncClient *self,
                                                GAsyncResult *result,
                                                GError      **error);
/* Uses a token kept from an earlier login (e.g. from the keyring). */
void          fl_sync_client_set_token         (FlSyncClient *self,
                                                const char   *user,
                                                const char   *token);
const char   *fl_sync_client_get_token         (FlSyncClient *self);
void          fl_sync_client_sign_out          (FlSyncClient *self);

/* Pull to completion, then push every due outbox entry. */
void          fl_sync_client_sync_async        (FlSyncClient *self,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer      user_data);
gboolean      fl_sync_client_sync_finish       (FlSyncClient *self,
                                                GAsyncResult *result,
                                                GError      **error);

/* Sync again by itself: after local actions (when their undo window ends),
 * periodically, and with backoff while offline. */
void          fl_sync_client_set_automatic     (FlSyncClient *self,
                                                gboolean      automatic);

FlSyncState   fl_sync_client_get_state         (FlSyncClient *self);
double        fl_sync_client_get_progress      (FlSyncClient *self);   /* 0..1 */
gint64        fl_sync_client_get_last_sync     (FlSyncClient *self);   /* 0: never */
gint64        fl_sync_client_get_offline_since (FlSyncClient *self);   /* 0: online */
const char   *fl_sync_client_get_error_message (FlSyncClient *self);
guint         fl_sync_client_get_queued        (FlSyncClient *self);
const char   *fl_sync_client_get_server_url    (FlSyncClient *self);
const char   *fl_sync_client_get_user          (FlSyncClient *self);

/* TRUE when the keyring (Secret Service) could not keep the token: it lives
 * in this process only and the user has to sign in again next time. */
gboolean      fl_sync_client_get_token_in_memory_only (FlSyncClient *self);

/* Request timeout in seconds (default 30). */
void          fl_sync_client_set_timeout       (FlSyncClient *self,
                                                guint         seconds);

/* Looks up the token of @user (NULL: the user of the last sign-in, kept in
 * the store's metadata "sync.user") for this server in the keyring and uses
 * it. Finishes TRUE when one was found, FALSE without an error when none is
 * stored, FALSE with an error when the keyring cannot be reached. */
void          fl_sync_client_restore_token_async  (FlSyncClient *self,
                                                   const char   *user,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer      user_data);
gboolean      fl_sync_client_restore_token_finish (FlSyncClient *self,
                                                   GAsyncResult *result,
                                                   GError      **error);

/* Tell the client that the outbox changed (an action was queued or undone):
 * refreshes "queued" and, in automatic mode, schedules the push. */
void          fl_sync_client_outbox_changed    (FlSyncClient *self);

/* Figures of the last sync_async (for summaries). */
typedef struct
{
  guint64 changes;     /* upserts + deletes applied */
  guint   pages;
  guint   accepted;    /* actions the server accepted (201 or replay 200) */
  guint   rejected;    /* actions the server refused (409, 403, 400) */
  guint   queued;      /* outbox entries still waiting */
} FlSyncStats;

void          fl_sync_client_get_stats         (FlSyncClient *self,
                                                FlSyncStats  *out);

/* Properties (all notify, on the main thread): "state", "progress",
 * "last-sync", "offline-since", "error-message", "queued", "user",
 * "token-in-memory-only", "server-url" (read-only).
 * Signals: "data-changed" () — pages were applied, re-evaluate;
 *          "action-rejected" (const char *action_id, const char *message).
 *
 * Store metadata: "sync.cursor" (with "sync.cursor-owner", the server and user
 * it belongs to: a cursor of another account is ignored and the cache pulled
 * again from scratch), "sync.last-sync" (Unix seconds of the last complete
 * pull), "sync.server" and "sync.user" (the last sign-in).
 *
 * Test hooks (environment, read by fl_sync_client_new, for the crash tests):
 * FIELDLIGHT_TEST_KILL_AFTER_PAGE=N raises SIGKILL right after page N of a
 * pull was committed; FIELDLIGHT_TEST_KILL_AFTER_PUSH=N raises SIGKILL when
 * the answer to the Nth pushed action has arrived, before it is recorded
 * (the server committed, the client never learns it);
 * FIELDLIGHT_TEST_WAIT_AFTER_PAGE=N prints "fieldlight-test: page N committed"
 * on stderr after page N and reads a line from stdin before going on (so a
 * test can kill the server between two pages); FIELDLIGHT_TEST_PAGE_LIMIT=N
 * asks for pages of N records instead of 5000; FIELDLIGHT_TEST_BATCH=N and
 * FIELDLIGHT_TEST_BATCH_SECONDS=S change when a long pull commits (N records,
 * S seconds). The pages named by the KILL/WAIT hooks are always committed.
 * FIELDLIGHT_TEST_BULK_MIN=N makes a pull announcing N records or more a bulk
 * load (default 100,000); FIELDLIGHT_TEST_CA_FILE=PEM trusts the certificate
 * authorities of that file, and only them (the https:// tests). */

G_END_DECLS
