/* fl-auth.h — passwords, tokens and randomness for fieldlight-server
 *
 * Passwords are stored as an iterated, salted SHA-256; tokens as a plain
 * SHA-256 (they are 256 random bits: no dictionary to defend against).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Rounds of SHA-256 for new password hashes (stored per user, so it can grow). */
#define FL_AUTH_ITERATIONS 20000
#define FL_AUTH_PASSWORD_LENGTH 16

/* Fills @buf from /dev/urandom. */
gboolean  fl_auth_random_bytes     (guint8      *buf,
                                    gsize        len,
                                    GError     **error);
/* 16 random bytes, hex. */
char     *fl_auth_new_salt         (GError     **error);
/* FL_AUTH_PASSWORD_LENGTH characters from an unambiguous alphabet. */
char     *fl_auth_new_password     (GError     **error);
/* 32 random bytes, base64url without padding: 43 characters. */
char     *fl_auth_new_token        (GError     **error);

/* Hex SHA-256 iterated @iterations times over @salt and @password. */
char     *fl_auth_hash_password    (const char  *salt,
                                    guint        iterations,
                                    const char  *password);
/* Compares in time independent of where the strings differ. */
gboolean  fl_auth_verify_password  (const char  *salt,
                                    guint        iterations,
                                    const char  *password,
                                    const char  *expected_hash);
/* Hex SHA-256 of the token. */
char     *fl_auth_hash_token       (const char  *token);
/* Constant-time equality of two strings of the same length. */
gboolean  fl_auth_equal            (const char  *a,
                                    const char  *b);

G_END_DECLS
