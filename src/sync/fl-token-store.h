/* fl-token-store.h — bearer tokens in the desktop keyring (libsecret)
 *
 * Schema "io.github.fieldlight.Fieldlight.Token", attributes "server" (the
 * base URL) and "user". Every call is asynchronous; when no Secret Service is
 * reachable the calls fail (G_IO_ERROR, G_DBUS_ERROR or SECRET_ERROR) and the
 * caller keeps the token in memory only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      fl_token_store_save_async    (const char          *server,
                                        const char          *user,
                                        const char          *token,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  fl_token_store_save_finish   (GAsyncResult        *result,
                                        GError             **error);

/* Finishes with NULL and no error when no token is stored. */
void      fl_token_store_lookup_async  (const char          *server,
                                        const char          *user,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *fl_token_store_lookup_finish (GAsyncResult        *result,
                                        GError             **error);

void      fl_token_store_clear_async   (const char          *server,
                                        const char          *user,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  fl_token_store_clear_finish  (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
