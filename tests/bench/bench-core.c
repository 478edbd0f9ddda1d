/* bench-core.c — the core's figures on a province-scale data set
 *
 * Generates the demo data at --scale (default 20: ~1,000,000 visits, 50,000
 * customers, 10,000 opportunities), writes it as a dataset file, reads it back,
 * imports it into a cache file and evaluates the rules. Prints one line per
 * figure; asserts nothing (targets are in the README).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>

#include "fl-core.h"

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) generated = NULL;
  g_autoptr(FlDataset) loaded = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *dataset_path = NULL;
  g_autofree char *store_path = NULL;
  double scale = 20;
  char *now_str = NULL;
  char *out_dir = NULL;
  gint64 now = 0;
  gint64 start;
  GOptionEntry entries[] = {
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Demo scale (20 ≈ 1,000,000 visits)", "N" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_str, "Evaluation time (RFC 3339)", "TIME" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Keep the dataset and cache in DIR (cache at DIR/cache.sqlite)", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— Fieldlight core benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-core: %s\n", error->message);
      return 2;
    }

  if (!fl_time_parse_rfc3339 (now_str ? now_str : "2026-11-23T09:00:00+08:00", &now))
    {
      g_printerr ("bench-core: --now is not an RFC 3339 time\n");
      return 2;
    }

  if (out_dir)
    {
      cache_dir = g_strdup (out_dir);
      g_mkdir_with_parents (cache_dir, 0700);
    }
  else if (!(cache_dir = g_dir_make_tmp ("fieldlight-bench-XXXXXX", &error)))
    {
      g_printerr ("bench-core: %s\n", error->message);
      return 1;
    }
  dataset_path = g_build_filename (cache_dir, "dataset.json", NULL);
  store_path = g_build_filename (cache_dir, "cache.sqlite", NULL);
  g_unlink (store_path);

  start = g_get_monotonic_time ();
  generated = fl_demo_generate (FL_DEMO_DEFAULT_SEED, now, scale, &error);
  if (!generated)
    {
      g_printerr ("bench-core: generate: %s\n", error->message);
      return 1;
    }
  g_print ("generate: %.0f ms (%u visits, %u customers, %u opportunities)\n", ms_since (start),
           generated->visits->len, generated->customers->len, generated->opportunities->len);

  start = g_get_monotonic_time ();
  if (!fl_dataset_write_to_file (generated, dataset_path, &error))
    {
      g_printerr ("bench-core: write: %s\n", error->message);
      return 1;
    }
  g_print ("write dataset file: %.0f ms\n", ms_since (start));
  g_clear_pointer (&generated, fl_dataset_free);

  start = g_get_monotonic_time ();
  loaded = fl_dataset_load_from_file (dataset_path, &error);
  if (!loaded)
    {
      g_printerr ("bench-core: read: %s\n", error->message);
      return 1;
    }
  g_print ("read + validate dataset file: %.0f ms\n", ms_since (start));

  start = g_get_monotonic_time ();
  store = fl_store_open (store_path, &error);
  if (!store || !fl_store_import_dataset (store, loaded, &error))
    {
      g_printerr ("bench-core: import: %s\n", error->message);
      return 1;
    }
  g_print ("import into the cache: %.0f ms\n", ms_since (start));
  g_clear_pointer (&loaded, fl_dataset_free);
  g_print ("peak RSS (generate + read + import): %.1f MiB\n", peak_rss_kib () / 1024.0);

  /* Re-open so the evaluation starts from a cold connection, as the app does. */
  g_clear_object (&store);
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(FlStore) fresh = NULL;
      g_autoptr(FlEvaluation) evaluation = NULL;
      guint n_pending = 0;

      start = g_get_monotonic_time ();
      fresh = fl_store_open (store_path, &error);
      evaluation = fresh ? fl_rules_evaluate (fresh, now, NULL, &error) : NULL;
      if (!evaluation)
        {
          g_printerr ("bench-core: evaluate: %s\n", error->message);
          return 1;
        }
      for (guint r = 0; r < evaluation->regions->len; r++)
        n_pending += ((FlRegionState *) g_ptr_array_index (evaluation->regions, r))->n_pending;
      g_print ("rule evaluation #%d (open + evaluate): %.0f ms (%u alerts, %u pending)\n",
               i + 1, ms_since (start), evaluation->alerts->len, n_pending);
    }

  /* Replaying the past (--now three weeks earlier): the customers visited
   * since then take the exact churn query instead of the visit summary. */
  {
    g_autoptr(FlStore) fresh = NULL;
    g_autoptr(FlEvaluation) evaluation = NULL;
    gint64 past = now - 21 * G_GINT64_CONSTANT (86400);

    start = g_get_monotonic_time ();
    fresh = fl_store_open (store_path, &error);
    evaluation = fresh ? fl_rules_evaluate (fresh, past, NULL, &error) : NULL;
    if (!evaluation)
      {
        g_printerr ("bench-core: evaluate: %s\n", error->message);
        return 1;
      }
    g_print ("rule evaluation 3 weeks earlier (open + evaluate, replay): %.0f ms (%u alerts)\n",
             ms_since (start), evaluation->alerts->len);
  }

  if (!out_dir)
    {
      g_unlink (dataset_path);
      g_unlink (store_path);
      {
        g_autofree char *wal = g_strconcat (store_path, "-wal", NULL);
        g_autofree char *shm = g_strconcat (store_path, "-shm", NULL);
        g_unlink (wal);
        g_unlink (shm);
      }
      g_rmdir (cache_dir);
    }
  return 0;
}
