/* fl-cli-sync.h — `fieldlight --sync`: sign in, sync to completion, summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Syncs the cache in @cache_dir (NULL: the default location) with
 * @server_url (NULL: the server of the last sign-in, from the cache's
 * metadata) as @user (NULL: the user of the last sign-in). The password comes
 * from $FIELDLIGHT_PASSWORD, else the token kept in the keyring is used, else
 * it is asked for on the terminal (without echo). Prints a one-line summary
 * on stdout. Returns 0, or FL_CLI_EXIT_FAILURE with @error set.
 * $FIELDLIGHT_SYNC_TIMEOUT (seconds) overrides the request timeout (tests). */
int     fl_cli_sync_run   (const char  *cache_dir,
                           const char  *server_url,
                           const char  *user,
                           GError     **error);

G_END_DECLS
