/* main.c — fieldlight-server: the reference sync backend (docs/api.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fl-demo.h"
#include "fl-server.h"
#include "fl-time.h"

static char *opt_db;
static char *opt_listen;
static char *opt_now;
static gboolean opt_demo;
static double opt_scale = 1.0;
static gint64 opt_seed = FL_DEMO_DEFAULT_SEED;
static char *opt_import;
static char *opt_add_user;
static char *opt_regions;

static const GOptionEntry entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "The database (created if missing)", "FILE" },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    "Serve the API on this address (default 127.0.0.1:8080; port 0 picks one)", "ADDR:PORT" },
  { "now", 0, 0, G_OPTION_ARG_STRING, &opt_now,
    "Fix the server's clock (RFC 3339, for tests)", "TIME" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo, "Load (or merge) the demo data set", NULL },
  { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &opt_scale,
    "Demo size: 1 ≈ 50,000 visits, 20 ≈ 1,000,000", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Demo random seed", "N" },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, &opt_import,
    "Load (or merge) a dataset file (FORMATS.md §1)", "FILE" },
  { "add-user", 0, 0, G_OPTION_ARG_STRING, &opt_add_user,
    "Create a manager (or reset their password) and print a one-time password", "NAME" },
  { "regions", 0, 0, G_OPTION_ARG_STRING, &opt_regions,
    "The new manager's regions: region codes separated by commas, or “all”", "CODE,CODE|all" },
  { NULL }
};

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Stopping");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
load_data (FlServerDb  *db,
           gint64       now,
           GError     **error)
{
  g_autoptr(FlDataset) dataset = NULL;
  gint64 started = g_get_monotonic_time ();
  guint upserted = 0, deleted = 0;

  if (opt_demo)
    dataset = fl_demo_generate ((guint64) opt_seed, now, opt_scale, error);
  else
    dataset = fl_dataset_load_from_file (opt_import, error);
  if (dataset == NULL)
    return FALSE;

  if (!fl_server_db_load_dataset (db, dataset, &upserted, &deleted, error))
    return FALSE;

  g_message ("Loaded %s: %u entities written, %u deleted, in %.1f s",
             opt_demo ? "the demo data" : opt_import, upserted, deleted,
             (g_get_monotonic_time () - started) / 1e6);
  return TRUE;
}

static char *
add_user (FlServerDb  *db,
          gint64       now,
          GError     **error)
{
  g_auto(GStrv) regions = NULL;

  if (opt_regions == NULL || *opt_regions == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--add-user needs --regions CODE,CODE or --regions all");
      return NULL;
    }

  if (g_ascii_strcasecmp (opt_regions, "all") != 0)
    {
      regions = g_strsplit (opt_regions, ",", -1);
      for (guint i = 0; regions[i] != NULL; i++)
        g_strstrip (regions[i]);
    }

  return fl_server_db_add_user (db, opt_add_user, (const char * const *) regions, now, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlServerDb) db = NULL;
  g_autoptr(FlServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *password = NULL;
  g_autofree char *url = NULL;
  gint64 now = 0;

  /* API messages are English by design; only the character set follows
   * the environment. */
  setlocale (LC_ALL, "");
  setlocale (LC_MESSAGES, "C");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "The reference backend of Fieldlight: serves the sync API of "
                                "docs/api.md from one SQLite file.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fieldlight-server: %s\n", error->message);
      return 2;
    }
  if (opt_db == NULL)
    {
      g_printerr ("fieldlight-server: --db FILE is required (see --help)\n");
      return 2;
    }
  if (opt_demo && opt_import != NULL)
    {
      g_printerr ("fieldlight-server: give --demo or --import, not both\n");
      return 2;
    }
  if (opt_regions != NULL && opt_add_user == NULL)
    {
      g_printerr ("fieldlight-server: --regions goes with --add-user\n");
      return 2;
    }
  if (opt_now != NULL && !fl_time_parse_rfc3339 (opt_now, &now))
    {
      g_printerr ("fieldlight-server: --now “%s” is not an RFC 3339 time\n", opt_now);
      return 2;
    }
  if (!(opt_scale > 0 && opt_scale <= 1000))
    {
      g_printerr ("fieldlight-server: --scale must be in (0, 1000]\n");
      return 2;
    }

  if (!(db = fl_server_db_open (opt_db, &error)))
    {
      g_printerr ("fieldlight-server: %s\n", error->message);
      return 1;
    }

  if ((opt_demo || opt_import != NULL) &&
      !load_data (db, now != 0 ? now : g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      g_printerr ("fieldlight-server: %s\n", error->message);
      return 1;
    }

  if (opt_add_user != NULL &&
      !(password = add_user (db, now != 0 ? now : g_get_real_time () / G_USEC_PER_SEC, &error)))
    {
      g_printerr ("fieldlight-server: %s\n", error->message);
      return 1;
    }

  if (opt_listen == NULL && (opt_demo || opt_import != NULL || opt_add_user != NULL))
    {
      if (password != NULL)
        {
          g_print ("%s\n", password);
          fflush (stdout);
        }
      return 0;
    }

  server = fl_server_new (db, now);
  if (!(url = fl_server_listen (server, opt_listen != NULL ? opt_listen : "127.0.0.1:8080",
                                &error)))
    {
      g_printerr ("fieldlight-server: %s\n", error->message);
      return 1;
    }

  /* The URL first: tests and scripts read it to find the port. */
  g_print ("%s\n", url);
  if (password != NULL)
    g_print ("%s\n", password);
  fflush (stdout);
  g_message ("Serving %s on %s", opt_db, url);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_main_loop_run (loop);

  fl_server_stop (server);
  return 0;
}
