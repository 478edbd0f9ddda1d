/* fl-cli.c — the command line: options, headless commands, then the GUI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <time.h>
#include <unistd.h>

#include "fl-application.h"
#include "fl-cli.h"
#include "fl-cli-sync.h"
#include "fl-context.h"
#include "fl-subject-page.h"
#include "fl-weekly-print.h"

typedef struct
{
  gboolean  demo;
  char     *dataset;
  char     *now;
  double    scale;
  gint64    seed;
  char     *cache;
  gboolean  print_status;
  char     *export_dataset;
  char     *region;
  char     *open;
  char     *screenshot;
  gboolean  version;
  char     *server;
  char     *user;
  gboolean  sync;
  char     *execute;
  char     *kind;
  char     *export_weekly;
  char    **rest;
} FlCliOptions;

static void
_options_clear (FlCliOptions *options)
{
  g_free (options->dataset);
  g_free (options->now);
  g_free (options->cache);
  g_free (options->export_dataset);
  g_free (options->region);
  g_free (options->open);
  g_free (options->screenshot);
  g_free (options->server);
  g_free (options->user);
  g_free (options->execute);
  g_free (options->kind);
  g_free (options->export_weekly);
  g_strfreev (options->rest);
}

/* helpers */

gint64
fl_cli_get_process_start_time (void)
{
  gint64 now_us = g_get_monotonic_time ();
  g_autofree char *stat = NULL;
  const char *p;
  struct timespec boot;
  guint64 start_ticks = 0;
  long ticks_per_second = sysconf (_SC_CLK_TCK);
  gint64 age_us;

  /* Field 22 of /proc/self/stat is the start time in clock ticks since boot;
   * the command name (field 2) may contain spaces, so count from its ')'. */
  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL)
      || (p = strrchr (stat, ')')) == NULL
      || ticks_per_second <= 0
      || clock_gettime (CLOCK_BOOTTIME, &boot) != 0)
    return now_us;

  p++;
  for (int field = 3; field <= 22; field++)
    {
      char *end;

      while (*p == ' ')
        p++;
      if (field == 22)
        {
          start_ticks = g_ascii_strtoull (p, &end, 10);
          if (end == p)
            return now_us;
          break;
        }
      while (*p != ' ' && *p != '\0')
        p++;
    }

  age_us = ((gint64) boot.tv_sec * G_USEC_PER_SEC + boot.tv_nsec / 1000)
           - (gint64) (start_ticks * G_USEC_PER_SEC / (guint64) ticks_per_second);
  if (age_us < 0 || age_us > 60 * G_USEC_PER_SEC)
    return now_us;
  return now_us - age_us;
}

static char *
_default_cache_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "fieldlight", NULL);
}

static FlStore *
_open_cache (const char  *dir,
             GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "cache.sqlite", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cache directory “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }
  return fl_store_open (path, error);
}

static FlDataset *
_load_input (const FlCliOptions  *options,
             gint64               now,
             GError             **error)
{
  if (options->dataset != NULL)
    {
      /* Its errors name the file. */
      return fl_dataset_load_from_file (options->dataset, error);
    }
  return fl_demo_generate ((guint64) options->seed, now, options->scale, error);
}

/* Opens the store the options ask for. When the demo stands in for an empty
 * cache, *@empty_cache_path is that cache's file, for a first sync to fill. */
static FlStore *
_open_store (const FlCliOptions  *options,
             gint64               now,
             char               **empty_cache_path,
             GError             **error)
{
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autofree char *cache_dir = NULL;
  g_autoptr(GError) local_error = NULL;

  if (options->dataset != NULL || options->demo)
    {
      /* Validate everything before anything is written. */
      dataset = _load_input (options, now, error);
      if (dataset == NULL)
        return NULL;
      store = options->cache != NULL ? _open_cache (options->cache, error)
                                     : fl_store_open (NULL, error);
      if (store == NULL || !fl_store_import_dataset (store, dataset, error))
        return NULL;
      return g_steal_pointer (&store);
    }

  cache_dir = options->cache != NULL ? g_strdup (options->cache) : _default_cache_dir ();
  store = _open_cache (cache_dir, &local_error);
  if (store == NULL && options->cache != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (store == NULL)
    g_printerr ("fieldlight: %s; %s\n", local_error->message,
                _("showing the demo data instead"));

  if (store == NULL || fl_store_is_empty (store))
    {
      /* Nothing synced yet: the demo data, in memory only. */
      if (store != NULL)
        *empty_cache_path = g_strdup (fl_store_get_path (store));
      g_clear_object (&store);
      dataset = fl_demo_generate ((guint64) options->seed, now, options->scale, error);
      if (dataset == NULL)
        return NULL;
      store = fl_store_open (NULL, error);
      if (store == NULL || !fl_store_import_dataset (store, dataset, error))
        return NULL;
      return g_steal_pointer (&store);
    }

  return g_steal_pointer (&store);
}

typedef struct
{
  FlApplication *app;
  gboolean       failed;
} Evaluation;

static void
on_evaluated_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Evaluation *evaluation = user_data;
  g_autoptr(GError) error = NULL;

  if (fl_context_reevaluate_finish (FL_CONTEXT (source_object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_printerr ("fieldlight: %s\n", error->message);
  evaluation->failed = TRUE;
  g_application_quit (G_APPLICATION (evaluation->app));
}

static int
_usage_error (GOptionContext *context,
              const char     *message)
{
  g_printerr ("fieldlight: %s\n", message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return FL_CLI_EXIT_USAGE;
}

static int
_failure (const char *message)
{
  g_printerr ("fieldlight: %s\n", message);
  return FL_CLI_EXIT_FAILURE;
}

/* The manager recorded as the author of an executed action: --user, else
 * the last user signed in to the server from this cache, else the login. */
static char *
_dup_manager (const FlCliOptions *options,
              FlStore            *store)
{
  char *user;

  if (options->user != NULL && *options->user != '\0')
    return g_strdup (options->user);
  user = fl_store_dup_meta (store, "sync.user");
  if (user != NULL && *user != '\0')
    return user;
  g_free (user);
  return g_strdup (g_get_user_name ());
}

/* `--execute ALERT_ID [--kind KIND]`: on the cache, without an undo window
 * (nobody can undo in a script), so that the next `--sync` sends it. */
static int
_execute (const FlCliOptions *options,
          FlContext          *context,
          FlActionKind        kind,
          gboolean            has_kind,
          gint64              now)
{
  FlStore *store = fl_context_get_store (context);
  g_autoptr(GError) error = NULL;
  g_autofree char *manager = _dup_manager (options, store);
  g_autofree char *title = NULL;
  FlAction *action;

  action = fl_execute_alert_full (store, fl_context_get_evaluation (context),
                                  fl_context_get_rule_settings (context), options->execute,
                                  has_kind ? (int) kind : -1, manager, now, 0, &title, &error);
  if (action == NULL)
    return _failure (error->message);
  /* Translators: after `fieldlight --execute`: the action kind, the alert's
   * title, the action's id */
  g_print (_("Executed %s on %s (action %s); it will be sent at the next sync\n"),
           fl_action_kind_get_label (action->kind), title, action->id);
  fl_action_free (action);
  return 0;
}

static void
_weekly_counts (GSettings        *settings,
                FlWeeklySettings *counts)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  const struct { const char *key; guint *value; } keys[] = {
    { "weekly-call-count", &counts->call_today },
    { "weekly-tech-count", &counts->tech_support },
    { "weekly-review-count", &counts->friday_review },
  };

  fl_weekly_settings_init_default (counts);
  if (settings == NULL)
    return;
  g_object_get (settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (schema != NULL && g_settings_schema_has_key (schema, keys[i].key))
      *keys[i].value = (guint) MAX (0, g_settings_get_int (settings, keys[i].key));
}

/* `--export-weekly OUT.csv|OUT.pdf`: the list kept for this week in the cache
 * (computed, not kept, for data that lives in memory only). */
static int
_export_weekly (const FlCliOptions *options,
                FlContext          *context,
                gboolean            pdf,
                gint64              now)
{
  FlStore *store = fl_context_get_store (context);
  g_autoptr(FlWeeklyList) list = NULL;
  g_autoptr(GError) error = NULL;
  FlWeeklySettings counts;

  _weekly_counts (fl_context_get_settings (context), &counts);
  list = fl_store_get_path (store) != NULL
           ? fl_weekly_load_or_generate (store, now, &counts, &error)
           : fl_weekly_compute (store, now, &counts, &error);
  if (list == NULL)
    return _failure (error->message);

  if (pdf)
    {
      if (!fl_weekly_print_to_pdf (list, store, options->export_weekly, &error))
        {
          g_autofree char *message = g_strdup_printf ("--export-weekly: %s", error->message);

          return _failure (message);
        }
    }
  else
    {
      g_autofree char *csv = fl_weekly_to_csv (list, fl_store_get_time_zone (store));

      if (!g_file_set_contents_full (options->export_weekly, csv, -1,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
        {
          g_autofree char *message = g_strdup_printf ("--export-weekly: %s", error->message);

          return _failure (message);
        }
    }
  return 0;
}

/* public API */

int
fl_cli_run (int     argc,
            char  **argv,
            gint64  start_us)
{
  FlCliOptions options = { .scale = 1.0, .seed = FL_DEMO_DEFAULT_SEED };
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options.demo,
      N_("Use the built-in demo data set (Zhejiang, generated for --now)"), NULL },
    { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &options.dataset,
      N_("Load the data set FILE (JSON, see FORMATS.md)"), N_("FILE") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &options.now,
      N_("Evaluate the rules at TIME (RFC 3339, e.g. 2026-11-23T09:00:00+08:00) "
         "instead of the clock"), N_("TIME") },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &options.scale,
      N_("Size of the demo data (default 1; 20 gives about 1,000,000 visits)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options.seed,
      N_("Seed of the demo data (default 20261123)"), N_("N") },
    { "cache", 0, 0, G_OPTION_ARG_FILENAME, &options.cache,
      N_("Keep the cache in DIR (DIR/cache.sqlite); with --demo or --dataset, "
         "replace its content"), N_("DIR") },
    { "print-status", 0, 0, G_OPTION_ARG_NONE, &options.print_status,
      N_("Print the region statuses and alerts as JSON, then exit"), NULL },
    { "export-dataset", 0, 0, G_OPTION_ARG_FILENAME, &options.export_dataset,
      N_("Write the current data to FILE as a data set, then exit"), N_("FILE") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &options.region,
      N_("Open the pane of the region CODE (e.g. 330700 for 金华市)"), N_("CODE") },
    { "open", 0, 0, G_OPTION_ARG_STRING, &options.open,
      N_("Open a customer, opportunity, rep, category, pilot or alert, e.g. customer:c-0001 "
         "(the links of the weekly list)"), N_("LINK") },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &options.screenshot,
      N_("Save the first complete frame of the window (1280×800) to OUT.png, then exit"),
      N_("OUT.png") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &options.server,
      N_("The sync server (https://…, or http:// on this computer)"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &options.user,
      N_("Sign in to the server as NAME (password from FIELDLIGHT_PASSWORD or the terminal)"),
      N_("NAME") },
    { "sync", 0, 0, G_OPTION_ARG_NONE, &options.sync,
      N_("Sync the cache with the server (by default the last one signed in to), "
         "print a summary; then exit unless --print-status or --export-dataset follow"), NULL },
    { "execute", 0, 0, G_OPTION_ARG_STRING, &options.execute,
      N_("Handle the alert ID with its suggested action (or --kind) in the cache, then exit "
         "unless --print-status follows; the next --sync sends it"), N_("ALERT_ID") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &options.kind,
      N_("With --execute: the action instead of the suggestion (send_sample, call_today, "
         "escalate_tech, manager_joins_visit, talk_track_training, price_review)"),
      N_("KIND") },
    { "export-weekly", 0, 0, G_OPTION_ARG_FILENAME, &options.export_weekly,
      N_("Write this week's key-action list to OUT.csv or OUT.pdf (A4), then exit"),
      N_("OUT.csv|OUT.pdf") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
      N_("Show the version, then exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) fl_context = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *description = NULL;
  g_autofree char *empty_cache_path = NULL;
  gint64 now = 0;
  int status = 0;
  FlActionKind kind = FL_ACTION_CALL_TODAY;
  gboolean weekly_pdf = FALSE;
  gboolean headless;

  g_set_prgname ("fieldlight");
  g_set_application_name (_("Fieldlight"));

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("The sales war map: which cities need attention today, and what to do.\n"
      "Without --print-status, --export-dataset, --execute or --export-weekly, opens the "
      "window."));
  description = g_strdup_printf ("%s\n\n%s\n\n%s",
    _("Data: --dataset or --demo load that data (into the cache only when --cache is\n"
      "given); otherwise the cache is opened, and when it is empty the demo data is\n"
      "shown."),
    _("Examples:\n"
      "  fieldlight --demo --now 2026-11-23T09:00:00+08:00 --print-status\n"
      "  fieldlight --demo --export-dataset demo.json\n"
      "  fieldlight --dataset demo.json --region 330700 --screenshot map.png\n"
      "  fieldlight --demo --open customer:c-0001 --screenshot customer.png\n"
      "  fieldlight --cache DIR --execute churn:c-0001:v-000001 && fieldlight --cache DIR --sync\n"
      "  fieldlight --export-weekly week.pdf"),
    _("Exit status: 0 success, 1 invalid input or failure (nothing is written),\n"
      "2 wrong usage."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = _usage_error (context, error->message);
      goto out;
    }
  if (options.rest != NULL && options.rest[0] != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"),
                                                  options.rest[0]);
      status = _usage_error (context, message);
      goto out;
    }
  if (options.demo && options.dataset != NULL)
    {
      status = _usage_error (context, _("--demo and --dataset cannot be combined"));
      goto out;
    }
  if (options.kind != NULL && options.execute == NULL)
    {
      status = _usage_error (context, _("--kind goes with --execute"));
      goto out;
    }
  if (options.execute != NULL && (options.demo || options.dataset != NULL)
      && options.cache == NULL)
    {
      status = _usage_error (context,
                             _("--execute with --demo or --dataset needs --cache DIR: the action "
                               "is kept in the cache (data loaded in memory only is gone at "
                               "exit)"));
      goto out;
    }
  if (options.version)
    {
      g_print ("fieldlight %s\n", PACKAGE_VERSION);
      goto out;
    }

  /* Invalid values: exit 1, nothing written. */
  if (options.now != NULL)
    {
      if (!fl_time_parse_rfc3339 (options.now, &now))
        {
          g_autofree char *message =
            g_strdup_printf (_("--now: “%s” is not an RFC 3339 time "
                               "(e.g. 2026-11-23T09:00:00+08:00)"), options.now);
          status = _failure (message);
          goto out;
        }
    }
  else
    now = g_get_real_time () / G_USEC_PER_SEC;
  if (!(options.scale > 0.0 && options.scale <= 1000.0))
    {
      g_autofree char *message = g_strdup_printf (_("--scale: %g is not between 0 and 1000"),
                                                  options.scale);
      status = _failure (message);
      goto out;
    }
  if (options.seed < 0)
    {
      status = _failure (_("--seed: must not be negative"));
      goto out;
    }

  if (options.kind != NULL && !fl_action_kind_from_string (options.kind, &kind))
    {
      g_autofree char *message =
        g_strdup_printf (_("--kind: unknown action kind “%s” (one of send_sample, call_today, "
                           "escalate_tech, manager_joins_visit, talk_track_training, "
                           "price_review)"), options.kind);
      status = _failure (message);
      goto out;
    }
  if (options.export_weekly != NULL)
    {
      g_autofree char *lower = g_utf8_strdown (options.export_weekly, -1);

      weekly_pdf = g_str_has_suffix (lower, ".pdf");
      if (!weekly_pdf && !g_str_has_suffix (lower, ".csv"))
        {
          g_autofree char *message =
            g_strdup_printf (_("--export-weekly: “%s” ends neither in .csv nor in .pdf"),
                             options.export_weekly);
          status = _failure (message);
          goto out;
        }
    }
  headless = options.print_status || options.export_dataset != NULL
             || options.execute != NULL || options.export_weekly != NULL;

  if (options.screenshot != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (options.screenshot);

      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *message =
            g_strdup_printf (_("--screenshot: cannot write “%s”: no directory “%s”"),
                             options.screenshot, dir);
          status = _failure (message);
          goto out;
        }
    }

  if (options.sync && (options.demo || options.dataset != NULL))
    {
      status = _usage_error (context, _("--sync cannot be combined with --demo or --dataset"));
      goto out;
    }
  /* With --execute, the sync comes after it (below), to send it at once. */
  if (options.sync && options.execute == NULL)
    {
      status = fl_cli_sync_run (options.cache, options.server, options.user, &error);
      if (status != 0)
        {
          status = _failure (error->message);
          goto out;
        }
      if (!headless && options.screenshot == NULL)
        goto out;
    }

  store = _open_store (&options, now, &empty_cache_path, &error);
  if (store == NULL)
    {
      status = _failure (error->message);
      goto out;
    }

  if (options.execute != NULL && fl_store_get_path (store) == NULL)
    {
      g_autofree char *dir = empty_cache_path != NULL ? g_path_get_dirname (empty_cache_path)
                                                      : _default_cache_dir ();
      g_autofree char *message =
        g_strdup_printf (_("--execute: the cache in “%s” is empty or cannot be opened; sync it "
                           "first (--sync), or fill it with --demo --cache DIR"), dir);
      status = _failure (message);
      goto out;
    }

  if (options.region != NULL)
    {
      g_autofree char *name = fl_store_dup_region_name (store, options.region);

      if (name == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("--region: unknown region code “%s”"),
                                                      options.region);
          status = _failure (message);
          goto out;
        }
    }

  if (options.open != NULL)
    {
      g_autofree char *link_id = NULL;
      FlLinkKind link_kind;

      if (!fl_link_parse (options.open, &link_kind, &link_id))
        {
          g_autofree char *message =
            g_strdup_printf (_("--open: “%s” is not a link (KIND:ID, KIND one of customer, "
                               "opportunity, rep, category, pilot, alert)"), options.open);
          status = _failure (message);
          goto out;
        }
    }

  settings = fl_context_lookup_settings ();
  fl_context = fl_context_new (store, settings);
  if (options.now != NULL)
    fl_context_set_fixed_now (fl_context, now);
  if (empty_cache_path != NULL)
    fl_context_set_cache_path (fl_context, empty_cache_path);

  /* Headless commands need the evaluation now; the window evaluates in a
   * worker, beside GTK's start-up (see below). */
  if (headless && !fl_context_reevaluate (fl_context, &error))
    {
      status = _failure (error->message);
      goto out;
    }

  if (options.execute != NULL)
    {
      status = _execute (&options, fl_context, kind, options.kind != NULL, now);
      if (status != 0)
        goto out;
      if (options.sync)
        {
          /* The sync opens the cache on its own connection. */
          status = fl_cli_sync_run (options.cache, options.server, options.user, &error);
          if (status != 0)
            {
              status = _failure (error->message);
              goto out;
            }
        }
      if ((options.print_status || options.export_dataset != NULL)
          && !fl_context_reevaluate (fl_context, &error))
        {
          status = _failure (error->message);
          goto out;
        }
    }

  if (options.export_weekly != NULL)
    {
      status = _export_weekly (&options, fl_context, weekly_pdf, now);
      if (status != 0)
        goto out;
    }

  if (options.export_dataset != NULL)
    {
      g_autoptr(FlDataset) dataset = fl_store_export_dataset (store, &error);

      if (dataset == NULL || !fl_dataset_write_to_file (dataset, options.export_dataset, &error))
        {
          g_autofree char *message = g_strdup_printf ("%s: %s", options.export_dataset,
                                                      error->message);
          status = _failure (message);
          goto out;
        }
    }

  if (options.print_status)
    {
      FlEvaluation *evaluation = fl_context_get_evaluation (fl_context);
      g_autoptr(GHashTable) suggestions = fl_suggest_for_evaluation (store, evaluation, &error);
      g_autofree char *json = NULL;

      if (suggestions == NULL)
        {
          status = _failure (error->message);
          goto out;
        }
      json = fl_evaluation_to_status_json (evaluation, suggestions,
                                           fl_store_get_time_zone (store));
      g_print ("%s\n", json);
    }

  if (headless && options.screenshot == NULL)
    goto out;

  /* The window. */
  {
    GApplicationFlags flags = G_APPLICATION_NON_UNIQUE;
    g_autoptr(FlApplication) app = NULL;
    char *app_argv[] = { argv[0], NULL };
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Evaluation evaluation = { NULL, FALSE };

    app = fl_application_new (fl_context, flags);
    /* Start the rules as early as possible, in a worker with its own
     * connection: they run while GTK and libadwaita initialise and the window
     * is built; the map shows its colours when they arrive. */
    evaluation.app = app;
    if (fl_context_get_evaluation (fl_context) == NULL)
      fl_context_reevaluate_async (fl_context, cancellable, on_evaluated_cb, &evaluation);
    fl_application_set_start_time (app, start_us);
    if (options.region != NULL)
      fl_application_set_initial_region (app, options.region);
    if (options.open != NULL)
      fl_application_set_initial_link (app, options.open);
    if (options.screenshot != NULL)
      fl_application_set_screenshot (app, options.screenshot);

    status = g_application_run (G_APPLICATION (app), 1, app_argv);
    /* @evaluation lives on this stack: a late callback must not touch it. */
    g_cancellable_cancel (cancellable);
    if (status == 0)
      status = evaluation.failed ? FL_CLI_EXIT_FAILURE : fl_application_get_exit_status (app);
  }

out:
  _options_clear (&options);
  return status;
}
