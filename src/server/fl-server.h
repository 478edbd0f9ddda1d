/* fl-server.h — the HTTP side of fieldlight-server (docs/api.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fl-server-db.h"

G_BEGIN_DECLS

#define FL_SERVER_MAX_BODY (1024 * 1024)
#define FL_SERVER_DEFAULT_LIMIT 5000
#define FL_SERVER_MAX_LIMIT 20000
#define FL_SERVER_TOKEN_LIFETIME (30 * 24 * 3600)

#define FL_TYPE_SERVER (fl_server_get_type ())
G_DECLARE_FINAL_TYPE (FlServer, fl_server, FL, SERVER, GObject)

/* @now: a fixed clock (Unix seconds) for tests, or 0 for the real one. */
FlServer *fl_server_new    (FlServerDb  *db,
                            gint64       now);
/* @address: "ADDR:PORT" (an IP literal or localhost; port 0 picks one).
 * Returns the base URL, e.g. "http://127.0.0.1:41234/". */
char     *fl_server_listen (FlServer    *self,
                            const char  *address,
                            GError     **error);
void      fl_server_stop   (FlServer    *self);

G_END_DECLS
