/* bench-ui.c — interaction latency of the real window on a province-scale cache
 *
 * Opens the window (1280×800) on a cache file (--cache FILE, e.g. the one
 * bench-core leaves with --out; without it the demo at --scale is generated
 * into a temporary file first) and measures, for each interaction, from the
 * synthesized event to the end of the frame clock's "after-paint" of the frame
 * that shows the result:
 *   - region:   the map's "region-activated" (what a click on a tile emits) → pane drawn
 *   - execute:  "clicked" on the pane's Execute button of an alert whose execution
 *               changes its tile's colour → tile recoloured (then undone)
 *   - detail:   a TOP-3 row activated → item detail drawn
 *   - customer: fl_window_open_link ("customer:…") → customer page drawn
 *   - rep:      fl_window_open_link ("rep:…") → rep page drawn
 *   - redraw:   nothing but a redraw of the window (the pane open): the frame's own cost
 * Each --repeat times (default 20). Before each event the app is left until it
 * drew no frame for 50 ms (the previous event's late results, e.g. a region's
 * process figures from a worker, are in), so that the figure is the work plus
 * one frame, not the wait for the previous frame's slot. Animations are off: the result is in the
 * first frame. Prints, per interaction, the median and the maximum of
 * "to frame" (event → after-paint), "to layout" (event → the start of that
 * frame's layout phase) and of the parts: "handler" (the event's synchronous
 * work), "queue" (until the frame starts: other main-loop sources — under X11
 * mostly GDK's compute-size idle, which measures the whole window when a resize
 * was queued, i.e. the measure half of the layout), "update" (tick callbacks),
 * "layout" (measure and allocate) and "paint" (snapshot, render, after-paint).
 * The clock is idle before each event, so the frame is not held back for the
 * refresh rate (the "redraw" row shows it: ~0.3 ms). BENCH_TRACE=1 prints each
 * phase's start and end per run (emission hooks run before GTK's handlers,
 * "… end" after them). Asserts nothing. Needs a display (run under xvfb-run with
 * GSK_RENDERER=cairo).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-context.h"
#include "fl-window.h"
#include "fl-ui-test.h"

#define FAILSAFE_SECONDS 120

/* What is measured per run, in ms (see _measure ()). */
enum
{
  FIGURE_FRAME,      /* event → end of after-paint of the next frame */
  FIGURE_TO_LAYOUT,  /* event → start of that frame's layout phase */
  FIGURE_HANDLER,    /* the event's synchronous work */
  FIGURE_QUEUE,      /* end of the work → the frame starts (other main-loop sources, clock) */
  FIGURE_UPDATE,     /* the frame's start → its layout (events flushed, tick callbacks) */
  FIGURE_LAYOUT,     /* layout phase: measure, allocate */
  FIGURE_PAINT,      /* paint phase (snapshot, render) and after-paint */
  N_FIGURES
};

static const char *const figure_names[N_FIGURES] = {
  "to frame", "to layout", " handler", " queue", " update", " layout", " paint",
};

typedef struct
{
  const char *name;
  GArray     *figures[N_FIGURES];  /* double each */
} Series;

/* ---- waiting ------------------------------------------------------------------------------ */

/* Lets the main loop run until @clock painted no frame for @ms: what the
 * last event left to do (a worker's result arriving, the rows of a second
 * frame) is done, and the next event's frame is not held back for the slot
 * of one drawn just before it (the clock keeps frames a refresh apart). */
static void
_settle (GdkFrameClock *clock,
         guint          ms)
{
  gint64 counter;

  do
    {
      gboolean done = FALSE;

      counter = gdk_frame_clock_get_frame_counter (clock);
      g_timeout_add (ms, fl_ui_test_set_flag_cb, &done);
      fl_ui_test_spin_until (fl_ui_test_flag_set, &done, "the main loop to settle");
    }
  while (gdk_frame_clock_get_frame_counter (clock) != counter);
}

typedef struct
{
  GdkFrameClock *clock;
  gboolean       painted;
  gint64         frame_at;     /* the frame starts: "before-paint" */
  gint64         layout_at;    /* the layout phase starts (sizes, allocation) */
  gint64         paint_at;     /* the paint phase starts (snapshot, render) */
  gint64         painted_at;   /* the end of "after-paint" */
} Frame;

/* The surface's own handlers of the clock's phases (GTK's layout and paint)
 * are connected before ours, so a handler of ours runs at the *end* of a
 * phase; emission hooks run before every handler, at its start. */
static Frame *current_frame;

static gboolean
_phase_hook (GSignalInvocationHint *hint,
             guint                  n_param_values,
             const GValue          *param_values,
             gpointer               user_data)
{
  Frame *frame = current_frame;
  gint64 *at;

  if (frame == NULL || frame->painted || g_value_get_object (&param_values[0]) != frame->clock)
    return TRUE;
  at = (gint64 *) ((char *) frame + GPOINTER_TO_SIZE (user_data));
  if (*at == 0)
    *at = g_get_monotonic_time ();
  return TRUE;
}

static gint64 trace_start;

static gboolean
_trace_hook (GSignalInvocationHint *hint,
             guint                  n_param_values,
             const GValue          *param_values,
             gpointer               user_data)
{
  if (current_frame != NULL)
    g_printerr ("  trace %7.1f ms %s\n", (g_get_monotonic_time () - trace_start) / 1000.0,
                (const char *) user_data);
  return TRUE;
}

static void
_trace_after_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  if (current_frame != NULL)
    g_printerr ("  trace %7.1f ms %s\n", (g_get_monotonic_time () - trace_start) / 1000.0,
                (const char *) user_data);
}

static void
_add_phase_hooks (void)
{
  if (g_getenv ("BENCH_TRACE") != NULL)
    {
      const char *names[] = { "flush-events", "before-paint", "update", "layout", "paint",
                              "after-paint", "resume-events" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        g_signal_add_emission_hook (g_signal_lookup (names[i], GDK_TYPE_FRAME_CLOCK), 0,
                                    _trace_hook, (gpointer) names[i], NULL);
      g_signal_add_emission_hook (g_signal_lookup ("layout", GDK_TYPE_SURFACE), 0,
                                  _trace_hook, (gpointer) "surface-layout", NULL);
    }

  static const struct { const char *signal; gsize offset; } hooks[] = {
    { "before-paint", G_STRUCT_OFFSET (Frame, frame_at) },
    { "layout", G_STRUCT_OFFSET (Frame, layout_at) },
    { "paint", G_STRUCT_OFFSET (Frame, paint_at) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (hooks); i++)
    g_signal_add_emission_hook (g_signal_lookup (hooks[i].signal, GDK_TYPE_FRAME_CLOCK), 0,
                                _phase_hook, GSIZE_TO_POINTER (hooks[i].offset), NULL);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  Frame *frame = user_data;

  if (!frame->painted)
    {
      frame->painted = TRUE;
      frame->painted_at = g_get_monotonic_time ();
    }
}

static gboolean
_painted (gpointer data)
{
  return ((Frame *) data)->painted;
}

typedef void (*Interaction) (gpointer data);

/* One measurement: @interaction's handler time and the time to the end of
 * the next frame's after-paint. */
static void
_measure (FlWindow    *window,
          Series      *series,
          Interaction  interaction,
          gpointer     data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  Frame frame = { clock, FALSE, 0, 0, 0, 0 };
  double values[N_FIGURES];
  gint64 start, handled;
  gulong id;

  _settle (clock, 50);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &frame);
  current_frame = &frame;
  start = trace_start = g_get_monotonic_time ();
  interaction (data);
  handled = g_get_monotonic_time ();
  if (g_getenv ("BENCH_TRACE") != NULL)
    g_printerr ("  trace %7.1f ms handler done (event at %.6f s, CLOCK_MONOTONIC)\n",
                (handled - start) / 1000.0, start / 1e6);
  /* Whatever the interaction changed, a frame shows it. */
  gtk_widget_queue_draw (GTK_WIDGET (window));
  fl_ui_test_spin_until (_painted, &frame, "the frame after the event");
  current_frame = NULL;
  g_signal_handler_disconnect (clock, id);
  /* A phase that was not requested is not emitted: it took no time. */
  if (frame.frame_at == 0)
    frame.frame_at = handled;
  if (frame.paint_at == 0)
    frame.paint_at = frame.painted_at;
  if (frame.layout_at == 0)
    frame.layout_at = frame.paint_at;
  values[FIGURE_FRAME] = (frame.painted_at - start) / 1000.0;
  values[FIGURE_TO_LAYOUT] = (frame.layout_at - start) / 1000.0;
  values[FIGURE_HANDLER] = (handled - start) / 1000.0;
  values[FIGURE_QUEUE] = (frame.frame_at - handled) / 1000.0;
  values[FIGURE_UPDATE] = (frame.layout_at - frame.frame_at) / 1000.0;
  values[FIGURE_LAYOUT] = (frame.paint_at - frame.layout_at) / 1000.0;
  values[FIGURE_PAINT] = (frame.painted_at - frame.paint_at) / 1000.0;
  for (guint i = 0; i < N_FIGURES; i++)
    g_array_append_val (series->figures[i], values[i]);
}

static int
_compare_double (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
_print_stats (const char *name,
              const char *what,
              GArray     *values)
{
  double median, max;

  if (values->len == 0)
    {
      g_print ("%-9s %-10s no samples\n", name, what);
      return;
    }
  g_array_sort (values, _compare_double);
  median = values->len % 2 ? g_array_index (values, double, values->len / 2)
                           : (g_array_index (values, double, values->len / 2 - 1)
                              + g_array_index (values, double, values->len / 2)) / 2;
  max = g_array_index (values, double, values->len - 1);
  g_print ("%-9s %-10s median %6.1f ms   max %6.1f ms   (%u runs)\n", name, what, median, max,
           values->len);
}

static void
_print_series (Series *series)
{
  for (guint i = 0; i < N_FIGURES; i++)
    _print_stats (series->name, figure_names[i], series->figures[i]);
}

static void
_series_init (Series     *series,
              const char *name)
{
  series->name = name;
  for (guint i = 0; i < N_FIGURES; i++)
    series->figures[i] = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
_series_clear (Series *series)
{
  for (guint i = 0; i < N_FIGURES; i++)
    g_array_unref (series->figures[i]);
}

/* ---- interactions ------------------------------------------------------------------------- */

typedef struct
{
  FlWindow   *window;
  FlContext  *context;
  const char *arg;
  guint       n_changed;
} Bench;

/* Nothing: the cost of a frame of the whole window by itself. */
static void
_nothing (gpointer data)
{
}

static void
_click_region (gpointer data)
{
  Bench *bench = data;

  g_signal_emit_by_name (fl_window_get_map_view (bench->window), "region-activated", bench->arg);
}

/* The main part of the first Execute split button of bench->arg in the pane. */
static GtkWidget *
_execute_button (Bench *bench)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  fl_ui_test_collect (GTK_WIDGET (fl_window_get_region_pane (bench->window)),
                      ADW_TYPE_SPLIT_BUTTON, all);
  for (guint i = 0; i < all->len; i++)
    {
      GVariant *target = gtk_actionable_get_action_target_value (g_ptr_array_index (all, i));

      if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), bench->arg) == 0)
        for (GtkWidget *child = gtk_widget_get_first_child (g_ptr_array_index (all, i));
             child != NULL; child = gtk_widget_get_next_sibling (child))
          if (GTK_IS_BUTTON (child))
            return child;
    }
  return NULL;
}

static void
_click_execute (gpointer data)
{
  Bench *bench = data;
  GtkWidget *button = _execute_button (bench);

  g_assert (button != NULL);
  g_object_ref (button);
  g_signal_emit_by_name (button, "clicked");
  g_object_unref (button);
}

static void
_activate_top_row (gpointer data)
{
  Bench *bench = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *top_row = NULL;

  fl_ui_test_collect (GTK_WIDGET (fl_window_get_region_pane (bench->window)),
                      GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len && top_row == NULL; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (rows, i), "top-row"))
      top_row = g_ptr_array_index (rows, i);
  g_assert (top_row != NULL);
  g_signal_emit_by_name (gtk_widget_get_parent (top_row), "row-activated", top_row);
}

static void
_open_link (gpointer data)
{
  Bench *bench = data;

  if (!fl_window_open_link (bench->window, bench->arg))
    g_error ("cannot open %s", bench->arg);
}

static void
on_changed_cb (FlContext *context,
               gpointer   user_data)
{
  ((Bench *) user_data)->n_changed++;
}

static gboolean
_changed_twice (gpointer data)
{
  return ((Bench *) data)->n_changed >= 2;
}

/* ---- main --------------------------------------------------------------------------------- */

static char *
_make_cache (double      scale,
             gint64      now,
             const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDataset) dataset = NULL;
  g_autoptr(FlStore) store = NULL;
  char *path = g_build_filename (dir, "cache.sqlite", NULL);
  gint64 start = g_get_monotonic_time ();

  g_print ("generating the demo at scale %g into %s…\n", scale, path);
  dataset = fl_demo_generate (FL_DEMO_DEFAULT_SEED, now, scale, &error);
  if (dataset == NULL || (store = fl_store_open (path, &error)) == NULL
      || !fl_store_import_dataset (store, dataset, &error))
    g_error ("bench-ui: %s", error->message);
  g_print ("cache ready in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
  return path;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlContext) context = NULL;
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) reps = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tmp_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *alert_id = NULL;
  g_autofree char *execute_region = NULL;
  g_autofree char *region_a = NULL;
  g_autofree char *region_b = NULL;
  char *cache = NULL;
  char *now_str = NULL;
  char *only = NULL;
  double scale = 20;
  int repeat = 20;
  FlEvaluation *evaluation;
  FlRegionPane *pane;
  FlWindow *window;
  Series idle, region, execute, detail, customer, rep;
  Bench bench = { 0 };
  gint64 now, start;
  GOptionEntry entries[] = {
    { "cache", 0, 0, G_OPTION_ARG_FILENAME, &cache, "The cache file (else generated)", "FILE" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Demo scale without --cache (20 ≈ 1,000,000 "
      "visits)", "N" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_str, "Evaluation time (RFC 3339)", "TIME" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs per interaction (default 20)", "N" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Only this interaction (region, execute, detail, "
      "customer, rep)", "NAME" },
    { NULL }
  };

  fl_ui_test_set_failsafe (FAILSAFE_SECONDS);
  option_context = g_option_context_new ("— Fieldlight interaction latency");
  g_option_context_add_main_entries (option_context, entries, NULL);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      g_printerr ("bench-ui: %s\n", error->message);
      return 2;
    }
  if (!fl_time_parse_rfc3339 (now_str != NULL ? now_str : "2026-11-23T09:00:00+08:00", &now))
    {
      g_printerr ("bench-ui: --now is not an RFC 3339 time\n");
      return 2;
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  if (!fl_ui_test_init_display ())
    {
      g_printerr ("bench-ui: no display (run under xvfb-run)\n");
      return 77;
    }
  _add_phase_hooks ();

  if (cache == NULL)
    {
      tmp_dir = g_dir_make_tmp ("fieldlight-bench-ui-XXXXXX", &error);
      if (tmp_dir == NULL)
        g_error ("bench-ui: %s", error->message);
      path = _make_cache (scale, now, tmp_dir);
    }
  else
    path = g_strdup (cache);

  start = g_get_monotonic_time ();
  store = fl_store_open (path, &error);
  if (store == NULL)
    g_error ("bench-ui: %s", error->message);
  context = fl_context_new (store, NULL);
  fl_context_set_fixed_now (context, now);
  if (!fl_context_reevaluate (context, &error))
    g_error ("bench-ui: %s", error->message);
  g_print ("cache %s: %" G_GINT64_FORMAT " visits, evaluated in %.0f ms\n", path,
           fl_store_count (store, "visits"), (g_get_monotonic_time () - start) / 1000.0);

  window = fl_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  fl_ui_test_spin_until (fl_ui_test_first_frame_done, window, "the first complete frame");
  if (g_getenv ("BENCH_TRACE") != NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
      static const char * const ends[][2] = {
        { "before-paint", "before-paint end" }, { "update", "update end" },
        { "layout", "layout end" }, { "paint", "paint end" },
      };

      for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
        g_signal_connect_after (clock, ends[i][0], G_CALLBACK (_trace_after_cb),
                                (gpointer) ends[i][1]);
    }
  pane = fl_window_get_region_pane (window);
  bench.window = window;
  bench.context = context;
  g_signal_connect (context, "changed", G_CALLBACK (on_changed_cb), &bench);

  /* Subjects: the two regions with the most pending items, an alert of the
   * first, the customers of churn alerts and the reps of their visits. */
  evaluation = fl_context_get_evaluation (context);
  for (guint i = 0; i < evaluation->regions->len; i++)
    {
      const FlRegionState *state = g_ptr_array_index (evaluation->regions, i);

      if (region_a == NULL || state->n_pending
          > fl_evaluation_find_region (evaluation, region_a)->n_pending)
        {
          g_free (region_b);
          region_b = g_steal_pointer (&region_a);
          region_a = g_strdup (state->code);
        }
      else if (region_b == NULL || state->n_pending
               > fl_evaluation_find_region (evaluation, region_b)->n_pending)
        {
          g_free (region_b);
          region_b = g_strdup (state->code);
        }
    }
  for (guint i = 0; i < evaluation->alerts->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);

      if (alert->actioned)
        continue;
      if (alert->category == FL_ALERT_CHURN && customers->len < (guint) repeat)
        {
          FlVisit *visit = fl_store_get_visit (store, alert->visit_last, NULL);

          g_ptr_array_add (customers, g_strdup_printf ("customer:%s", alert->subject));
          if (visit != NULL)
            {
              g_ptr_array_add (reps, g_strdup_printf ("rep:%s", visit->rep));
              fl_visit_free (visit);
            }
        }
    }
  /* Execute: an alert whose execution changes its tile's colour. */
  {
    FlRegionStatus before, after;
    const FlAlert *picked = fl_ui_test_pick_alert (evaluation, &before, &after);

    if (picked != NULL)
      {
        alert_id = g_strdup (picked->id);
        execute_region = g_strdup (picked->region);
      }
  }
  if (region_a == NULL || region_b == NULL || alert_id == NULL || customers->len == 0
      || reps->len == 0)
    g_error ("bench-ui: the data has too few alerts (or none whose execution changes a "
             "tile's colour)");

  _series_init (&idle, "redraw");
  _series_init (&region, "region");
  _series_init (&execute, "execute");
  _series_init (&detail, "detail");
  _series_init (&customer, "customer");
  _series_init (&rep, "rep");

#define RUN(name) (only == NULL || g_strcmp0 (only, name) == 0)
  fl_window_show_region (window, region_a);
  for (int i = 0; RUN ("redraw") && i < repeat; i++)
    _measure (window, &idle, _nothing, &bench);
  for (int i = 0; RUN ("region") && i < repeat; i++)
    {
      bench.arg = i % 2 == 0 ? region_b : region_a;
      _measure (window, &region, _click_region, &bench);
    }
  fl_window_show_region (window, execute_region);
  for (int i = 0; RUN ("execute") && i < repeat; i++)
    {
      g_autofree char *action_id = NULL;
      GVariant *target;
      AdwToast *toast;

      bench.arg = alert_id;
      bench.n_changed = 0;
      _measure (window, &execute, _click_execute, &bench);
      /* The evaluation in the worker comes back; then undo, and again. */
      fl_ui_test_spin_until (_changed_twice, &bench, "the evaluation after Execute");
      toast = fl_window_get_undo_toast (window);
      g_assert (toast != NULL);
      target = adw_toast_get_action_target_value (toast);
      action_id = g_variant_dup_string (target, NULL);
      bench.n_changed = 0;
      gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-action", "s", action_id);
      fl_ui_test_spin_until (_changed_twice, &bench, "the evaluation after Undo");
    }
  fl_window_show_region (window, region_a);
  for (int i = 0; RUN ("detail") && i < repeat; i++)
    {
      _measure (window, &detail, _activate_top_row, &bench);
      fl_region_pane_navigate_to (pane, 0);
    }
  for (int i = 0; RUN ("customer") && i < repeat; i++)
    {
      bench.arg = g_ptr_array_index (customers, i % customers->len);
      _measure (window, &customer, _open_link, &bench);
      fl_region_pane_navigate_to (pane, 0);
    }
  for (int i = 0; RUN ("rep") && i < repeat; i++)
    {
      bench.arg = g_ptr_array_index (reps, i % reps->len);
      _measure (window, &rep, _open_link, &bench);
      fl_region_pane_navigate_to (pane, 0);
    }

#undef RUN
  g_print ("interaction latency (event → end of after-paint of the frame showing it), "
           "1280×800, animations off;\n"
           "  to layout: event → the frame's layout starts; handler: the event's own work; "
           "queue: until the frame starts;\n"
           "  update: frame start → layout (events, tick callbacks); layout: measure and "
           "allocate; paint: snapshot, render\n");
  _print_series (&idle);
  _print_series (&region);
  _print_series (&execute);
  _print_series (&detail);
  _print_series (&customer);
  _print_series (&rep);

  _series_clear (&idle);
  _series_clear (&region);
  _series_clear (&execute);
  _series_clear (&detail);
  _series_clear (&customer);
  _series_clear (&rep);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&context);
  g_clear_object (&store);
  if (tmp_dir != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (tmp_dir);
    }
  return 0;
}
