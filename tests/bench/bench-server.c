/* bench-server.c — what fieldlight-server spends on an initial pull
 *
 * Seeds a server database with the demo data at --scale (default 20: the
 * 1,000,000-visit demo, 215 pages of 5,000) or copies --db, starts
 * FIELDLIGHT_SERVER_BIN on loopback and pulls every page (GET
 * /api/v1/changes, --limit per page) --runs times. Prints, per run, the
 * server's CPU time (user + system, from /proc) in all and per page, and the
 * wall time; then the median. The server is another process, so the
 * synchronous requests are fine (PITFALLS.md). Asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOW "2026-11-23T09:00:00+08:00"

static const char *server_bin;

static char *
run_tool (GError **error,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) server_bin);
  va_start (ap, error);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, error))
    return NULL;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "fieldlight-server failed: %s", err);
      g_free (out);
      return NULL;
    }
  return g_strstrip (out);
}

/* User + system CPU seconds of @pid so far. */
static double
process_cpu_seconds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(after_name = strrchr (text, ')')))
    return -1;
  /* Fields after the name start at 3 (state); utime and stime are 14 and 15. */
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static GBytes *
get (SoupSession  *session,
     const char   *url,
     const char   *token,
     const char   *body,
     GError      **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (body != NULL ? "POST" : "GET", url);
  GBytes *reply;

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (!(reply = soup_session_send_and_read (session, msg, NULL, error)))
    return NULL;
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: HTTP %u", url,
                   soup_message_get_status (msg));
      g_bytes_unref (reply);
      return NULL;
    }
  return reply;
}

/* The cursor and "more" from the head of a page, without parsing 2 MB. */
static gboolean
parse_head (GBytes   *page,
            char    **out_cursor,
            gboolean *out_more)
{
  gsize length;
  const char *data = g_bytes_get_data (page, &length);
  g_autofree char *head = g_strndup (data, MIN (length, 400));
  const char *cursor = strstr (head, "\"cursor\":\"");
  const char *end;

  if (cursor == NULL || !(end = strchr (cursor + 10, '"')))
    return FALSE;
  *out_cursor = g_strndup (cursor + 10, end - cursor - 10);
  *out_more = strstr (head, "\"more\":true") != NULL;
  return TRUE;
}

typedef struct
{
  guint  pages;
  double megabytes;
  double cpu_s;
  double wall_s;
} Run;

static gboolean
pull_all (SoupSession  *session,
          const char   *base_url,
          const char   *password,
          const char   *pid,
          guint         limit,
          Run          *run,
          GError      **error)
{
  g_autofree char *login_url = g_strconcat (base_url, "api/v1/login", NULL);
  g_autofree char *login_body = g_strdup_printf ("{\"user\":\"bench\",\"password\":\"%s\"}",
                                                 password);
  g_autoptr(GBytes) login = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  g_autofree char *cursor = g_strdup ("");
  gboolean more = TRUE;
  double cpu_start;
  gint64 start;

  if (!(login = get (session, login_url, NULL, login_body, error)) ||
      !(root = json_from_string (g_bytes_get_data (login, NULL), error)))
    return FALSE;
  token = g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));

  memset (run, 0, sizeof *run);
  cpu_start = process_cpu_seconds (pid);
  start = g_get_monotonic_time ();
  while (more)
    {
      g_autofree char *url = g_strdup_printf ("%sapi/v1/changes?limit=%u&cursor=%s", base_url,
                                              limit, cursor);
      g_autoptr(GBytes) page = get (session, url, token, NULL, error);

      if (page == NULL)
        return FALSE;
      g_free (cursor);
      if (!parse_head (page, &cursor, &more))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "page %u has no cursor",
                       run->pages + 1);
          return FALSE;
        }
      run->pages++;
      run->megabytes += g_bytes_get_size (page) / 1e6;
    }
  run->wall_s = (g_get_monotonic_time () - start) / 1e6;
  run->cpu_s = process_cpu_seconds (pid) - cpu_start;
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) server_out = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *password = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *scale_str = NULL;
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  double scale = 20;
  char *source_db = NULL;
  int limit = 5000, runs = 3;
  int status = EXIT_SUCCESS;
  gint64 start;
  GOptionEntry entries[] = {
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Demo scale (20 ≈ 1,000,000 visits)", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &source_db,
      "Pull from a copy of this server database instead", "FILE" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "Records per page (default 5000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Pulls (default 3)", "N" },
    { NULL }
  };

  context = g_option_context_new ("— fieldlight-server pull benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (!(server_bin = g_getenv ("FIELDLIGHT_SERVER_BIN")))
    {
      g_printerr ("bench-server: set FIELDLIGHT_SERVER_BIN (meson benchmark does)\n");
      return EXIT_FAILURE;
    }
  if (!(tmp_dir = g_dir_make_tmp ("fieldlight-bench-server-XXXXXX", &error)))
    goto fail;
  db_path = g_build_filename (tmp_dir, "server.sqlite", NULL);

  start = g_get_monotonic_time ();
  if (source_db != NULL)
    {
      g_autoptr(GFile) from = g_file_new_for_path (source_db);
      g_autoptr(GFile) to = g_file_new_for_path (db_path);

      if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
        goto fail;
      g_print ("copy %s: %.1f s\n", source_db, (g_get_monotonic_time () - start) / 1e6);
    }
  else
    {
      g_autofree char *out = NULL;

      scale_str = g_strdup_printf ("%g", scale);
      if (!(out = run_tool (&error, "--db", db_path, "--demo", "--scale", scale_str,
                            "--now", NOW, NULL)))
        goto fail;
      g_print ("seed, scale %g: %.1f s\n", scale, (g_get_monotonic_time () - start) / 1e6);
    }
  if (!(password = run_tool (&error, "--db", db_path, "--now", NOW, "--add-user", "bench",
                             "--regions", "all", NULL)))
    goto fail;

  {
    const char * const server_argv[] = {
      server_bin, "--db", db_path, "--listen", "127.0.0.1:0", "--now", NOW, NULL,
    };
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);

    if (!(server = g_subprocess_launcher_spawnv (launcher, server_argv, &error)))
      goto fail;
  }
  server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  if (!(base_url = g_data_input_stream_read_line_utf8 (server_out, NULL, NULL, &error)))
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "the server did not start");
      goto fail;
    }
  pid = g_strdup (g_subprocess_get_identifier (server));

  session = soup_session_new ();
  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 300);
  for (int i = 0; i < runs; i++)
    {
      Run run;

      if (!pull_all (session, base_url, password, pid, limit, &run, &error))
        goto fail;
      g_print ("pull %d: %u pages, %.0f MB, server CPU %.2f s (%.1f ms/page), wall %.2f s\n",
               i + 1, run.pages, run.megabytes, run.cpu_s, 1000 * run.cpu_s / run.pages,
               run.wall_s);
      g_array_append_val (cpu, run.cpu_s);
    }
  if (cpu->len > 0)
    {
      g_array_sort (cpu, compare_doubles);
      g_print ("server CPU per pull, median of %u: %.2f s\n", cpu->len,
               g_array_index (cpu, double, cpu->len / 2));
    }
  goto out;

fail:
  g_printerr ("bench-server: %s\n", error->message);
  status = EXIT_FAILURE;
out:
  if (server != NULL)
    {
      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
    }
  if (tmp_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (tmp_dir);
    }
  g_free (source_db);
  return status;
}
