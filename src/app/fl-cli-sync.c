/* fl-cli-sync.c — `fieldlight --sync`: sign in, sync to completion, summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fl-cli.h"
#include "fl-cli-sync.h"
#include "fl-sync-client.h"
#include "fl-token-store.h"

/* Runs the default main context until an async call finishes. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

/* helpers */

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

static void
_wait (Waiter *waiter)
{
  if (waiter->result == NULL)
    g_main_loop_run (waiter->loop);
}

static void
_waiter_reset (Waiter *waiter)
{
  g_clear_object (&waiter->result);
}

/* 12345 → "12,345". */
static char *
_group_thousands (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* Reads a password from the controlling terminal without echo. */
static char *
_prompt_password (const char  *user,
                  const char  *server,
                  GError     **error)
{
  struct termios saved, quiet;
  g_autoptr(GString) password = g_string_new (NULL);
  g_autofree char *prompt = NULL;
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  gboolean echo_off;
  char c;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("no password for %s: set FIELDLIGHT_PASSWORD or run in a terminal"),
                   user);
      return NULL;
    }
  prompt = g_strdup_printf (_("Password of %s on %s: "), user, server);
  if (write (fd, prompt, strlen (prompt)) < 0)
    {
      /* The prompt is a courtesy; reading still works. */
    }
  echo_off = tcgetattr (fd, &saved) == 0;
  if (echo_off)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (fd, TCSAFLUSH, &quiet);
    }
  while (read (fd, &c, 1) == 1 && c != '\n' && c != '\r')
    g_string_append_c (password, c);
  if (echo_off)
    tcsetattr (fd, TCSAFLUSH, &saved);
  if (write (fd, "\n", 1) < 0)
    {
      /* Nothing to do. */
    }
  close (fd);
  if (password->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("no password given for %s"), user);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&password), FALSE);
}

static void
on_action_rejected_cb (FlSyncClient *client,
                       const char   *action_id,
                       const char   *message,
                       gpointer      user_data)
{
  g_printerr (_("fieldlight: the server rejected action %s: %s\n"), action_id, message);
}

static gboolean
_sign_in (FlSyncClient  *client,
          FlStore       *store,
          const char    *user,
          Waiter        *waiter,
          GError       **error)
{
  const char *password = g_getenv ("FIELDLIGHT_PASSWORD");
  g_autofree char *prompted = NULL;
  g_autoptr(GError) keyring_error = NULL;
  gboolean found;

  if (password == NULL || *password == '\0')
    {
      /* A token kept by an earlier sign-in. */
      fl_sync_client_restore_token_async (client, user, NULL, on_done_cb, waiter);
      _wait (waiter);
      found = fl_sync_client_restore_token_finish (client, waiter->result, &keyring_error);
      _waiter_reset (waiter);
      if (found)
        return TRUE;
      if (keyring_error != NULL)
        g_debug ("No token from the keyring: %s", keyring_error->message);
      if (user == NULL)
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_SIGNED_IN,
                       _("not signed in to %s: give --user NAME (the password comes from "
                         "FIELDLIGHT_PASSWORD or the terminal)"),
                       fl_sync_client_get_server_url (client));
          return FALSE;
        }
      prompted = _prompt_password (user, fl_sync_client_get_server_url (client), error);
      if (prompted == NULL)
        return FALSE;
      password = prompted;
    }
  else if (user == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_SIGNED_IN,
                   _("FIELDLIGHT_PASSWORD is set but no user: give --user NAME"));
      return FALSE;
    }

  fl_sync_client_login_async (client, user, password, NULL, on_done_cb, waiter);
  _wait (waiter);
  if (!fl_sync_client_login_finish (client, waiter->result, error))
    {
      _waiter_reset (waiter);
      return FALSE;
    }
  _waiter_reset (waiter);
  if (fl_sync_client_get_token_in_memory_only (client))
    g_printerr (_("fieldlight: no keyring available: the sign-in is kept for this run "
                  "only\n"));
  return TRUE;
}

/* public API */

int
fl_cli_sync_run (const char  *cache_dir,
                 const char  *server_url,
                 const char  *user,
                 GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stored_server = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *pages = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Waiter waiter = { loop, NULL };
  const char *timeout = g_getenv ("FIELDLIGHT_SYNC_TIMEOUT");
  FlSyncStats stats;
  gint64 started;
  gboolean ok;

  dir = cache_dir != NULL ? g_strdup (cache_dir)
                          : g_build_filename (g_get_user_data_dir (), "fieldlight", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cache directory “%s”: %s"), dir, g_strerror (saved_errno));
      return FL_CLI_EXIT_FAILURE;
    }
  path = g_build_filename (dir, "cache.sqlite", NULL);
  store = fl_store_open (path, error);
  if (store == NULL)
    return FL_CLI_EXIT_FAILURE;

  stored_server = fl_store_dup_meta (store, "sync.server");
  if (server_url == NULL)
    server_url = stored_server;
  if (server_url == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_SIGNED_IN,
                   _("--sync: no server yet for the cache in “%s”: give --server URL"), dir);
      return FL_CLI_EXIT_FAILURE;
    }
  client = fl_sync_client_new (store, server_url, error);
  if (client == NULL)
    return FL_CLI_EXIT_FAILURE;
  if (timeout != NULL && g_ascii_strtoull (timeout, NULL, 10) > 0)
    fl_sync_client_set_timeout (client, (guint) g_ascii_strtoull (timeout, NULL, 10));
  g_signal_connect (client, "action-rejected", G_CALLBACK (on_action_rejected_cb), NULL);

  if (!_sign_in (client, store, user, &waiter, error))
    return FL_CLI_EXIT_FAILURE;

  started = g_get_monotonic_time ();
  fl_sync_client_sync_async (client, NULL, on_done_cb, &waiter);
  _wait (&waiter);
  ok = fl_sync_client_sync_finish (client, waiter.result, error);
  _waiter_reset (&waiter);
  if (!ok)
    {
      if (error != NULL && g_error_matches (*error, FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH)
          && fl_sync_client_get_user (client) != NULL)
        {
          /* The client forgets the refused token; make sure the keyring has
           * too before this process ends. */
          fl_token_store_clear_async (fl_sync_client_get_server_url (client),
                                      fl_sync_client_get_user (client), NULL,
                                      on_done_cb, &waiter);
          _wait (&waiter);
          fl_token_store_clear_finish (waiter.result, NULL);
          _waiter_reset (&waiter);
        }
      return FL_CLI_EXIT_FAILURE;
    }

  fl_sync_client_get_stats (client, &stats);
  changes = _group_thousands (stats.changes);
  pages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", stats.pages),
                           stats.pages);
  /* Translators: "Synced 1,000 changes (1 page) in 0.21 s from http://…; …" */
  g_print (_("Synced %s changes (%s) in %.2f s from %s; %u actions sent, %u rejected, "
             "%u queued\n"),
           changes, pages, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
           fl_sync_client_get_server_url (client), stats.accepted, stats.rejected,
           stats.queued);
  return 0;
}
