/* fl-token-store.c — bearer tokens in the desktop keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "fl-token-store.h"

/* helpers */

static const SecretSchema *
_schema (void)
{
  static const SecretSchema schema = {
    "io.github.fieldlight.Fieldlight.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* callbacks */

static void
on_store_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_lookup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

static void
on_clear_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: nothing was stored, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* public API */

void
fl_token_store_save_async (const char          *server,
                           const char          *user,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_return_if_fail (server != NULL && user != NULL && token != NULL);

  g_task_set_source_tag (task, fl_token_store_save_async);
  /* TRANSLATORS: the keyring item's label: user name, then the server URL */
  label = g_strdup_printf (_("Fieldlight sign-in of %s on %s"), user, server);
  secret_password_store (_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, on_store_done_cb, task,
                         "server", server, "user", user, NULL);
}

gboolean
fl_token_store_save_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fl_token_store_lookup_async (const char          *server,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (server != NULL && user != NULL);

  g_task_set_source_tag (task, fl_token_store_lookup_async);
  secret_password_lookup (_schema (), cancellable, on_lookup_done_cb, task,
                          "server", server, "user", user, NULL);
}

char *
fl_token_store_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  char *secret;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  /* Hand out plain g_free()-able memory; the secret's own copy is wiped. */
  secret = g_task_propagate_pointer (G_TASK (result), error);
  if (secret != NULL)
    {
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      return copy;
    }
  return NULL;
}

void
fl_token_store_clear_async (const char          *server,
                            const char          *user,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (server != NULL && user != NULL);

  g_task_set_source_tag (task, fl_token_store_clear_async);
  secret_password_clear (_schema (), cancellable, on_clear_done_cb, task,
                         "server", server, "user", user, NULL);
}

gboolean
fl_token_store_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
