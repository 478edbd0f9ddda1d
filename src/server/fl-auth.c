/* fl-auth.c — passwords, tokens and randomness for fieldlight-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "fl-auth.h"

/* No 0/O, 1/l/I: the password is read off a terminal and typed again. */
static const char password_alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFHJKLMNPQRTUVWXY3479";

gboolean
fl_auth_random_bytes (guint8  *buf,
                      gsize    len,
                      GError **error)
{
  gsize done = 0;
  int fd;

  fd = g_open ("/dev/urandom", O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not open /dev/urandom: %s", g_strerror (saved));
      return FALSE;
    }

  while (done < len)
    {
      ssize_t n = read (fd, buf + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : EIO;

          g_close (fd, NULL);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "Could not read /dev/urandom: %s", g_strerror (saved));
          return FALSE;
        }
      done += n;
    }

  g_close (fd, NULL);
  return TRUE;
}

static char *
to_hex (const guint8 *bytes,
        gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[bytes[i] >> 4];
      out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
  out[len * 2] = '\0';
  return out;
}

char *
fl_auth_new_salt (GError **error)
{
  guint8 bytes[16];

  if (!fl_auth_random_bytes (bytes, sizeof bytes, error))
    return NULL;
  return to_hex (bytes, sizeof bytes);
}

char *
fl_auth_new_password (GError **error)
{
  const gsize n_chars = sizeof password_alphabet - 1;
  const guint limit = 256 - 256 % n_chars;   /* rejection sampling: no modulo bias */
  GString *out = g_string_sized_new (FL_AUTH_PASSWORD_LENGTH);

  while (out->len < FL_AUTH_PASSWORD_LENGTH)
    {
      guint8 bytes[32];

      if (!fl_auth_random_bytes (bytes, sizeof bytes, error))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      for (gsize i = 0; i < sizeof bytes && out->len < FL_AUTH_PASSWORD_LENGTH; i++)
        {
          if (bytes[i] < limit)
            g_string_append_c (out, password_alphabet[bytes[i] % n_chars]);
        }
    }

  return g_string_free (out, FALSE);
}

char *
fl_auth_new_token (GError **error)
{
  guint8 bytes[32];
  g_autofree char *b64 = NULL;
  char *p;

  if (!fl_auth_random_bytes (bytes, sizeof bytes, error))
    return NULL;

  b64 = g_base64_encode (bytes, sizeof bytes);
  for (p = b64; *p != '\0'; p++)
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

  return g_steal_pointer (&b64);
}

char *
fl_auth_hash_password (const char *salt,
                       guint       iterations,
                       const char *password)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize salt_len = strlen (salt);
  gsize password_len = strlen (password);

  g_checksum_update (checksum, (const guchar *) salt, salt_len);
  g_checksum_update (checksum, (const guchar *) password, password_len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  for (guint i = 1; i < iterations; i++)
    {
      g_checksum_reset (checksum);
      g_checksum_update (checksum, digest, sizeof digest);
      g_checksum_update (checksum, (const guchar *) salt, salt_len);
      g_checksum_update (checksum, (const guchar *) password, password_len);
      digest_len = sizeof digest;
      g_checksum_get_digest (checksum, digest, &digest_len);
    }

  return to_hex (digest, sizeof digest);
}

gboolean
fl_auth_equal (const char *a,
               const char *b)
{
  gsize len_a = strlen (a);
  gsize len_b = strlen (b);
  guint8 diff = len_a != len_b;

  /* Walk the expected length whatever the input, so timing says nothing. */
  for (gsize i = 0; i < len_b; i++)
    diff |= (guint8) (i < len_a ? a[i] : 0) ^ (guint8) b[i];

  return diff == 0;
}

gboolean
fl_auth_verify_password (const char *salt,
                         guint       iterations,
                         const char *password,
                         const char *expected_hash)
{
  g_autofree char *hash = fl_auth_hash_password (salt, iterations, password);

  return fl_auth_equal (hash, expected_hash);
}

char *
fl_auth_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}
