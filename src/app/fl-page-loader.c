/* fl-page-loader.c — a drill-down page's core query, off the main thread
 *
 * STYLE §8: SQLite work that can take more than a frame runs in a worker on
 * its own connection. The category and pilot profiles take 25–320 ms on
 * 1,000,000 visits, a rep's first one ~50 ms: run in the main thread, each
 * would freeze the window for several frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-page-loader.h"

/* A load quicker than this never shows the spinner. */
#define SPINNER_DELAY_MS 150

#define SPINNER_DELAY_KEY "fl-page-spinner-delay"

/* ---- a load ---------------------------------------------------------------------------------- */

typedef struct
{
  guint64         serial;
  gint64          requested;     /* monotonic µs */
  gint64          query_us;      /* set by the worker */
  char           *path;
  FlPageRequest   request;
  FlStorePool    *pool;
  FlPageLoadFunc  load;
  GDestroyNotify  result_free;
} LoadData;

static void
_load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->request.id);
  g_clear_object (&data->pool);
  g_free (data);
}

static void
_load_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  FlStore *store;
  gpointer result;

  /* Replaced before it started: skip the query. */
  if (g_task_return_error_if_cancelled (task))
    return;
  store = fl_store_pool_take (data->pool, data->path, cancellable, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->query_us = g_get_monotonic_time ();
  result = data->load (store, &data->request, &error);
  data->query_us = g_get_monotonic_time () - data->query_us;
  fl_store_pool_give_back (data->pool, store);
  if (result == NULL && g_task_return_error_if_cancelled (task))
    return;
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, data->result_free);
}

/* ---- FlPageLoader ---------------------------------------------------------------------------- */

struct _FlPageLoader
{
  GObject           parent_instance;

  /* borrowed */
  gpointer          page;

  FlPageLoadFunc    load;
  GDestroyNotify    result_free;
  FlPageLoadedFunc  loaded;

  /* owned */
  GCancellable     *cancellable;   /* of the worker running, NULL when none runs */
  LoadData         *waiting;       /* the request to start when it is done */
  guint64           serial;        /* of the latest request: only its result is delivered */
  gboolean          loading;
};

G_DEFINE_FINAL_TYPE (FlPageLoader, fl_page_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
_set_loading (FlPageLoader *self,
              gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The page is filled before "loading" turns FALSE: whoever waits for it
 * finds the result on screen. */
static void
_deliver (FlPageLoader *self,
          gpointer      result,
          const GError *error)
{
  gboolean was_loading = self->loading;

  self->loading = FALSE;
  self->loaded (self->page, result, error);
  if (was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void _start (FlPageLoader *self,
                    LoadData     *data);

static void
on_loaded_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  FlPageLoader *self = FL_PAGE_LOADER (source_object);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gpointer profile;

  g_clear_object (&self->cancellable);
  profile = g_task_propagate_pointer (G_TASK (result), &error);
  /* A newer request or a cancel bumped the serial (and cancelled this one). */
  if (data->serial == self->serial)
    {
      gint64 arrived = g_get_monotonic_time ();

      _deliver (self, profile, error);
      g_debug ("Page of “%s”: query %.1f ms in a worker, back %.1f ms after the request, "
               "filled in %.1f ms", data->request.id, data->query_us / 1000.0,
               (arrived - data->requested) / 1000.0, (g_get_monotonic_time () - arrived) / 1000.0);
    }
  else if (profile != NULL)
    self->result_free (profile);

  if (self->waiting != NULL && self->cancellable == NULL)
    _start (self, g_steal_pointer (&self->waiting));
}

static void
_start (FlPageLoader *self,
        LoadData     *data)
{
  g_autoptr(GTask) task = NULL;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_loaded_cb, NULL);
  g_task_set_source_tag (task, fl_page_loader_load);
  g_task_set_name (task, "[fieldlight] page load");
  g_task_set_task_data (task, data, (GDestroyNotify) _load_data_free);
  g_task_run_in_thread (task, _load_thread);
}

static void
fl_page_loader_dispose (GObject *object)
{
  FlPageLoader *self = FL_PAGE_LOADER (object);

  self->serial++;
  g_clear_pointer (&self->waiting, _load_data_free);
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (fl_page_loader_parent_class)->dispose (object);
}

static void
fl_page_loader_finalize (GObject *object)
{
  FlPageLoader *self = FL_PAGE_LOADER (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fl_page_loader_parent_class)->finalize (object);
}

static void
fl_page_loader_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FlPageLoader *self = FL_PAGE_LOADER (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_page_loader_class_init (FlPageLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_page_loader_dispose;
  object_class->finalize = fl_page_loader_finalize;
  object_class->get_property = fl_page_loader_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_page_loader_init (FlPageLoader *self)
{
}

FlPageLoader *
fl_page_loader_new (FlPageLoadFunc    load,
                    GDestroyNotify    result_free,
                    FlPageLoadedFunc  loaded,
                    gpointer          page)
{
  FlPageLoader *self;

  g_return_val_if_fail (load != NULL && result_free != NULL && loaded != NULL, NULL);

  self = g_object_new (FL_TYPE_PAGE_LOADER, NULL);
  self->load = load;
  self->result_free = result_free;
  self->loaded = loaded;
  self->page = page;
  return self;
}

void
fl_page_loader_load (FlPageLoader *self,
                     FlContext    *context,
                     const char   *id)
{
  FlStore *store;
  const char *path;
  LoadData *data;

  g_return_if_fail (FL_IS_PAGE_LOADER (self));
  g_return_if_fail (FL_IS_CONTEXT (context));
  g_return_if_fail (id != NULL);

  self->serial++;
  g_clear_pointer (&self->waiting, _load_data_free);
  /* The worker running keeps going (SQLite cannot be stopped half-way
   * cheaply); its result will be dropped. */
  g_cancellable_cancel (self->cancellable);

  store = fl_context_get_store (context);
  path = fl_store_get_path (store);
  if (path == NULL)
    {
      /* The in-memory demo: small, and only this thread's connection sees it. */
      FlPageRequest request = {
        .id = (char *) id,
        .now = fl_context_get_now (context),
        .rules = *fl_context_get_rule_settings (context),
      };
      g_autoptr(GError) error = NULL;
      gpointer result = self->load (store, &request, &error);

      _deliver (self, result, error);
      return;
    }

  data = g_new0 (LoadData, 1);
  data->serial = self->serial;
  data->requested = g_get_monotonic_time ();
  data->path = g_strdup (path);
  data->request.id = g_strdup (id);
  data->request.now = fl_context_get_now (context);
  data->request.rules = *fl_context_get_rule_settings (context);
  data->pool = g_object_ref (fl_context_get_reader_pool (context));
  data->load = self->load;
  data->result_free = self->result_free;

  if (self->cancellable != NULL)
    self->waiting = data;
  else
    _start (self, data);
  _set_loading (self, TRUE);
}

void
fl_page_loader_cancel (FlPageLoader *self)
{
  g_return_if_fail (FL_IS_PAGE_LOADER (self));

  self->serial++;
  g_clear_pointer (&self->waiting, _load_data_free);
  g_cancellable_cancel (self->cancellable);
  _set_loading (self, FALSE);
}

gboolean
fl_page_loader_get_loading (FlPageLoader *self)
{
  g_return_val_if_fail (FL_IS_PAGE_LOADER (self), FALSE);
  return self->loading;
}

/* ---- the delayed spinner --------------------------------------------------------------------- */

static void
_remove_source (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

static gboolean
on_spinner_delay_cb (gpointer user_data)
{
  GtkWidget *spinner = user_data;

  g_object_steal_data (G_OBJECT (spinner), SPINNER_DELAY_KEY);
  gtk_spinner_start (GTK_SPINNER (spinner));
  return G_SOURCE_REMOVE;
}

void
fl_page_spinner_start (GtkWidget *spinner)
{
  guint id;

  g_return_if_fail (GTK_IS_SPINNER (spinner));

  /* A stopped spinner draws nothing but keeps its place: nothing moves, and
   * no frame is drawn for it before the delay. */
  gtk_spinner_stop (GTK_SPINNER (spinner));
  id = g_timeout_add (SPINNER_DELAY_MS, on_spinner_delay_cb, spinner);
  g_source_set_name_by_id (id, "[fieldlight] page spinner delay");
  /* Replacing the data removes a delay already running; so does finalize. */
  g_object_set_data_full (G_OBJECT (spinner), SPINNER_DELAY_KEY, GUINT_TO_POINTER (id),
                          _remove_source);
}

void
fl_page_spinner_stop (GtkWidget *spinner)
{
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  g_object_set_data (G_OBJECT (spinner), SPINNER_DELAY_KEY, NULL);
  gtk_spinner_stop (GTK_SPINNER (spinner));
}
