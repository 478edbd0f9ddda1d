/* fl-json.h — typed JSON member access with errors that name the culprit
 *
 * Every getter returns FALSE and sets FL_ERROR_INVALID_DATA with a message
 * such as "visit v-12: field “start” is not an RFC 3339 time". @what names the
 * entity ("visit v-12", "regions[3]"); it comes first in the message.
 * Used by the dataset reader (and, later, the sync client and the server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Required members. */
gboolean fl_json_get_string  (JsonObject *obj, const char *what, const char *member,
                              const char **out, GError **error);
/* Like fl_json_get_string, and checks the FORMATS.md id rules (1..64 bytes). */
gboolean fl_json_get_id      (JsonObject *obj, const char *what, const char *member,
                              const char **out, GError **error);
gboolean fl_json_get_double  (JsonObject *obj, const char *what, const char *member,
                              double *out, GError **error);
gboolean fl_json_get_int     (JsonObject *obj, const char *what, const char *member,
                              gint64 *out, GError **error);
gboolean fl_json_get_bool    (JsonObject *obj, const char *what, const char *member,
                              gboolean *out, GError **error);
gboolean fl_json_get_time    (JsonObject *obj, const char *what, const char *member,
                              gint64 *out, GError **error);
gboolean fl_json_get_date    (JsonObject *obj, const char *what, const char *member,
                              gint32 *out, GError **error);
gboolean fl_json_get_array   (JsonObject *obj, const char *what, const char *member,
                              JsonArray **out, GError **error);
gboolean fl_json_get_object  (JsonObject *obj, const char *what, const char *member,
                              JsonObject **out, GError **error);

/* Required member whose value may be JSON null (→ *out = NULL). */
gboolean fl_json_get_nullable_string (JsonObject *obj, const char *what, const char *member,
                                      const char **out, GError **error);

/* Optional members: absent (or JSON null) → *out_present = FALSE, no error. */
gboolean fl_json_get_opt_string (JsonObject *obj, const char *what, const char *member,
                                 const char **out, GError **error);
gboolean fl_json_get_opt_double (JsonObject *obj, const char *what, const char *member,
                                 gboolean *out_present, double *out, GError **error);
gboolean fl_json_get_opt_int    (JsonObject *obj, const char *what, const char *member,
                                 gboolean *out_present, gint64 *out, GError **error);
gboolean fl_json_get_opt_time   (JsonObject *obj, const char *what, const char *member,
                                 gboolean *out_present, gint64 *out, GError **error);
gboolean fl_json_get_opt_array  (JsonObject *obj, const char *what, const char *member,
                                 JsonArray **out, GError **error);

/* TRUE when @str follows the FORMATS.md id rules: 1..64 bytes. */
gboolean fl_json_is_valid_id    (const char *str);

G_END_DECLS
