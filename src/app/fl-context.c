/* fl-context.c — the services of one running app: store, settings, clock, evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fl-context.h"

#define SETTINGS_SCHEMA_ID APP_ID
#define DEFAULT_STALE_AFTER_HOURS 24
#define META_SYNC_SERVER    "sync.server"
#define META_SYNC_LAST_SYNC "sync.last-sync"

struct _FlContext
{
  GObject         parent_instance;

  /* owned */
  FlStore        *store;
  FlStorePool    *reader_pool;
  GSettings      *settings;
  FlEvaluation   *evaluation;
  GHashTable     *suggestions;    /* alert id → FlSuggestion*, of the evaluation shown */
  GHashTable     *executed;       /* action id → alert id, executed in this session */
  FlRuleSettings  rules;
  GCancellable   *cancellable;    /* of the evaluations in a worker */
  guint64         serial;         /* of the last evaluation requested */
  guint64         installed;      /* of the evaluation shown */
  gint64          now;
  gint64          data_time;
  FlPalette       palette;
  guint           clock_id;
  gboolean        now_fixed;
  gboolean        data_synced;
  gboolean        stale;
  gboolean        first_run;

  /* sync */
  FlSyncClient   *sync_client;
  FlStore        *sync_store;     /* the client's store: self->store, or the cache file */
  GCancellable   *sync_cancellable;
  char           *sync_url;       /* as configured */
  char           *cache_path;
  gboolean        sync_enabled;
  gboolean        sync_evaluating;
  gboolean        sync_pages_arrived;
  gboolean        sync_evaluate_again;
};

G_DEFINE_FINAL_TYPE (FlContext, fl_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_NOW,
  PROP_NOW_FIXED,
  PROP_EVALUATION,
  PROP_PALETTE,
  PROP_DATA_TIME,
  PROP_DATA_SYNCED,
  PROP_STALE,
  PROP_FIRST_RUN,
  PROP_SYNC_CLIENT,
  N_PROPS
};

enum {
  CHANGED,
  ACTION_REJECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const rule_keys[] = {
  "stall-min-value", "stall-min-days", "gap-ratio", "gap-min-pitches",
};

/* helpers */

static gint64
_real_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
_read_rule_settings (FlContext *self)
{
  fl_rule_settings_init_default (&self->rules);
  if (self->settings == NULL)
    return;

  self->rules.stall_min_value = g_settings_get_double (self->settings, "stall-min-value");
  self->rules.stall_min_days = g_settings_get_int (self->settings, "stall-min-days");
  self->rules.gap_ratio = g_settings_get_double (self->settings, "gap-ratio");
  self->rules.gap_min_pitches = g_settings_get_int (self->settings, "gap-min-pitches");
}

static gboolean
_palette_from_setting (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  g_value_set_int (value, g_strcmp0 (name, "colorblind") == 0
                            ? FL_PALETTE_COLORBLIND : FL_PALETTE_GNOME);
  return TRUE;
}

static GVariant *
_palette_to_setting (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  return g_variant_new_string (g_value_get_int (value) == FL_PALETTE_COLORBLIND
                                 ? "colorblind" : "gnome");
}

/* Loopback: 127.0.0.0/8, ::1 and "localhost" (as the sync engine says). */
static gboolean
_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gint64
_store_meta_time (FlStore    *store,
                  const char *key)
{
  g_autofree char *value = fl_store_dup_meta (store, key);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static int
_stale_after_hours (FlContext *self)
{
  return self->settings != NULL ? g_settings_get_int (self->settings, "stale-after-hours")
                                : DEFAULT_STALE_AFTER_HOURS;
}

static void
_refresh_stale (FlContext *self)
{
  gboolean stale = self->data_time > 0
                   && self->now - self->data_time > (gint64) _stale_after_hours (self) * 3600;

  if (self->stale == stale)
    return;
  self->stale = stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
}

/* The data is as current as the last complete pull; data never synced (the
 * demo, a data set file) as its newest visit upload. */
static void
_refresh_data_time (FlContext *self)
{
  gint64 synced = 0;
  gboolean data_synced;

  if (self->sync_client != NULL && self->sync_store == self->store)
    synced = fl_sync_client_get_last_sync (self->sync_client);
  else if (fl_store_get_path (self->store) != NULL)
    synced = _store_meta_time (self->store, META_SYNC_LAST_SYNC);

  data_synced = synced > 0;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->data_synced != data_synced)
    {
      self->data_synced = data_synced;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_SYNCED]);
    }
  fl_context_set_data_time (self, data_synced ? synced : fl_store_get_newest_upload (self->store));
  g_object_thaw_notify (G_OBJECT (self));
}

/* The configured server: the setting, else the last sign-in kept in the cache. */
static char *
_dup_server_url (FlContext *self)
{
  g_autofree char *url = NULL;

  if (self->settings != NULL)
    url = g_settings_get_string (self->settings, "server-url");
  if (url != NULL && *g_strstrip (url) != '\0')
    return g_steal_pointer (&url);
  if (fl_store_get_path (self->store) != NULL)
    return fl_store_dup_meta (self->store, META_SYNC_SERVER);
  return NULL;
}

static void
_refresh_first_run (FlContext *self)
{
  g_autofree char *url = _dup_server_url (self);
  gboolean first_run = fl_store_get_path (self->store) == NULL && self->cache_path != NULL
                       && (url == NULL || *url == '\0');

  if (self->first_run == first_run)
    return;
  self->first_run = first_run;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_RUN]);
}

/* The store the next evaluation reads: the synced cache as soon as pages
 * arrived (an evaluation that finds it still empty is dropped). */
static FlStore *
_target_store (FlContext *self)
{
  if (self->sync_store != NULL && self->sync_store != self->store && self->sync_pages_arrived)
    return self->sync_store;
  return self->store;
}

/* An evaluation in a worker thread, on its own connection to the cache. */
typedef struct
{
  char           *path;
  FlStore        *store;          /* evaluated (by path): shown with the result */
  gint64          now;
  FlRuleSettings  rules;
  guint64         serial;
  gboolean        empty;          /* the worker found no data */
  GHashTable     *suggestions;    /* computed in the worker too */
} EvaluateData;

static void
_evaluate_data_free (EvaluateData *data)
{
  g_free (data->path);
  g_clear_object (&data->store);
  g_clear_pointer (&data->suggestions, g_hash_table_unref);
  g_free (data);
}

/* A missing suggestion only hides a sentence: the map is still right. */
static GHashTable *
_suggest (FlStore      *store,
          FlEvaluation *evaluation)
{
  g_autoptr(GError) error = NULL;
  GHashTable *suggestions = fl_suggest_for_evaluation (store, evaluation, &error);

  if (suggestions == NULL)
    g_warning ("Could not compute the suggestions: %s", error->message);
  return suggestions;
}

static void
_evaluate_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  EvaluateData *data = task_data;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  FlEvaluation *evaluation;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = fl_store_open (data->path, &error);
  if (store != NULL)
    data->empty = fl_store_is_empty (store);
  evaluation = store != NULL ? fl_rules_evaluate (store, data->now, &data->rules, &error) : NULL;
  if (evaluation != NULL)
    data->suggestions = _suggest (store, evaluation);
  if (evaluation == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, evaluation, (GDestroyNotify) fl_evaluation_free);
}

/* The store of synced data replaces the in-memory demo of a first run. A new
 * connection: the client's own one keeps the metadata it read when empty. */
static void
_replace_store (FlContext *self,
                FlStore   *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) fresh = fl_store_open (fl_store_get_path (store), &error);

  if (fresh == NULL)
    {
      g_warning ("Could not open the synced cache: %s", error->message);
      return;
    }
  g_set_object (&self->store, fresh);
  g_set_object (&self->sync_store, fresh);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  _refresh_first_run (self);
  _refresh_data_time (self);
}

/* Shows @evaluation (of @store) and its @suggestions (nullable) unless a newer
 * one is shown already; takes both. */
static void
_install_evaluation (FlContext    *self,
                     FlEvaluation *evaluation,
                     GHashTable   *suggestions,
                     FlStore      *store,
                     guint64       serial)
{
  if (serial < self->installed)
    {
      fl_evaluation_free (evaluation);
      g_clear_pointer (&suggestions, g_hash_table_unref);
      return;
    }

  if (store != NULL && store != self->store)
    _replace_store (self, store);
  self->installed = serial;
  g_clear_pointer (&self->evaluation, fl_evaluation_free);
  g_clear_pointer (&self->suggestions, g_hash_table_unref);
  self->evaluation = evaluation;
  self->suggestions = suggestions;
  if (self->now != evaluation->now)
    {
      self->now = evaluation->now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
      _refresh_stale (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVALUATION]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_evaluated_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FlContext *self = FL_CONTEXT (source_object);
  g_autoptr(GTask) task = G_TASK (user_data);
  EvaluateData *data = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  FlEvaluation *evaluation;

  evaluation = g_task_propagate_pointer (G_TASK (result), &error);
  if (evaluation == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->store != self->store && data->empty)
    {
      /* The synced cache was just cleared: keep showing what is shown. */
      fl_evaluation_free (evaluation);
      g_task_return_boolean (task, TRUE);
      return;
    }
  _install_evaluation (self, evaluation, g_steal_pointer (&data->suggestions), data->store,
                       data->serial);
  g_task_return_boolean (task, TRUE);
}

static void
on_clock_evaluated_cb (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fl_context_reevaluate_finish (FL_CONTEXT (source_object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not evaluate the rules: %s", error->message);
}

/* A local action changed one alert: patch the evaluation shown (counts, status
 * and TOP 3 of its region) so that the map recolours in this very frame,
 * whatever the size of the cache. A full evaluation follows (_reconcile). */
static void
_patch_alert (FlContext  *self,
              const char *alert_id,
              gboolean    actioned)
{
  g_autoptr(GPtrArray) pending = NULL;
  FlRegionState *state;
  FlAlert *alert;
  guint categories = 0;

  if (self->evaluation == NULL)
    return;
  alert = fl_evaluation_find_alert (self->evaluation, alert_id);
  if (alert == NULL || alert->actioned == actioned)
    return;

  alert->actioned = actioned;
  state = fl_evaluation_find_region (self->evaluation, alert->region);
  if (state != NULL)
    {
      if (actioned)
        {
          state->pending[alert->category]--;
          state->n_pending--;
        }
      else
        {
          state->pending[alert->category]++;
          state->n_pending++;
        }
      for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
        categories += state->pending[c] > 0;
      state->status = categories == 0 ? FL_STATUS_GREEN
                      : categories == 1 ? FL_STATUS_YELLOW
                      : FL_STATUS_RED;

      pending = fl_evaluation_region_alerts (self->evaluation, state->code, TRUE);
      state->n_top = MIN (pending->len, G_N_ELEMENTS (state->top));
      for (guint i = 0; i < G_N_ELEMENTS (state->top); i++)
        state->top[i] = i < state->n_top ? g_ptr_array_index (pending, i) : NULL;
    }

  /* Results of evaluations requested before the action would undo the patch. */
  self->installed = ++self->serial;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVALUATION]);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The push waits for the undo window: the client schedules it. Only when the
 * action went into the store it syncs (not into the demo shown on a first run). */
static void
_outbox_changed (FlContext *self)
{
  if (self->sync_client != NULL && self->sync_store == self->store)
    fl_sync_client_outbox_changed (self->sync_client);
}

static void
on_reconciled_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fl_context_reevaluate_finish (FL_CONTEXT (source_object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not evaluate the rules after an action: %s", error->message);
}

/* The full evaluation after a patch (in a worker for a cache file). */
static void
_reconcile (FlContext *self)
{
  fl_context_reevaluate_async (self, NULL, on_reconciled_cb, NULL);
}

/* callbacks */

static gboolean
on_clock_tick_cb (gpointer user_data)
{
  FlContext *self = FL_CONTEXT (user_data);

  /* In a worker: no frame is late once a minute. */
  fl_context_reevaluate_async (self, NULL, on_clock_evaluated_cb, NULL);
  return G_SOURCE_CONTINUE;
}

/* sync */

static void _update_sync_client (FlContext *self);

static void
on_sync_evaluated_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  FlContext *self = FL_CONTEXT (source_object);
  g_autoptr(GError) error = NULL;

  if (!fl_context_reevaluate_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not evaluate the rules on the synced data: %s", error->message);
    }
  self->sync_evaluating = FALSE;
  if (self->sync_evaluate_again)
    {
      self->sync_evaluate_again = FALSE;
      self->sync_evaluating = TRUE;
      fl_context_reevaluate_async (self, self->sync_cancellable, on_sync_evaluated_cb, NULL);
    }
}

/* Pages arrive faster than the rules run on a big sync: one evaluation at a
 * time, and one more after it for whatever arrived meanwhile. */
static void
on_sync_data_changed_cb (FlContext    *self,
                         FlSyncClient *client)
{
  g_autoptr(GError) error = NULL;

  /* The worker's connection may have written the time zone and province
   * of a cache that was empty when this one opened it. */
  if (!fl_store_reload_meta (self->store, &error))
    g_warning ("%s", error->message);
  if (self->sync_store != NULL && self->sync_store != self->store
      && !fl_store_reload_meta (self->sync_store, NULL))
    g_warning ("Could not read the settings of the synced cache");
  self->sync_pages_arrived = TRUE;
  if (self->sync_evaluating)
    {
      self->sync_evaluate_again = TRUE;
      return;
    }
  self->sync_evaluating = TRUE;
  fl_context_reevaluate_async (self, self->sync_cancellable, on_sync_evaluated_cb, NULL);
}

static void
on_sync_last_sync_changed_cb (FlContext    *self,
                              GParamSpec   *pspec,
                              FlSyncClient *client)
{
  _refresh_data_time (self);
}

static void
on_sync_action_rejected_cb (FlContext    *self,
                            const char   *action_id,
                            const char   *message,
                            FlSyncClient *client)
{
  /* The server dropped the action: its alert is pending again. */
  g_hash_table_remove (self->executed, action_id);
  fl_context_reevaluate_async (self, self->sync_cancellable, on_clock_evaluated_cb, NULL);
  g_signal_emit (self, signals[ACTION_REJECTED], 0, action_id, message);
}

static void
on_token_restored_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* No keyring: the user signs in (preferences) and is told the token is not kept. */
  if (!fl_sync_client_restore_token_finish (FL_SYNC_CLIENT (source_object), result, &error)
      && error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No token from the keyring: %s", error->message);
}

static void
_drop_sync_client (FlContext *self)
{
  if (self->sync_client == NULL)
    return;

  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  g_signal_handlers_disconnect_by_data (self->sync_client, self);
  fl_sync_client_set_automatic (self->sync_client, FALSE);
  g_clear_object (&self->sync_client);
  g_clear_object (&self->sync_store);
  g_clear_pointer (&self->sync_url, g_free);
  self->sync_evaluating = FALSE;
  self->sync_evaluate_again = FALSE;
  self->sync_pages_arrived = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_CLIENT]);
}

static void
_update_sync_client (FlContext *self)
{
  g_autofree char *url = self->sync_enabled ? _dup_server_url (self) : NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (url == NULL || *url == '\0')
    {
      _drop_sync_client (self);
      _refresh_data_time (self);
      return;
    }
  if (self->sync_client != NULL && g_strcmp0 (url, self->sync_url) == 0)
    return;
  _drop_sync_client (self);

  /* The engine writes into a file (its worker opens its own connection). */
  if (fl_store_get_path (self->store) != NULL)
    store = g_object_ref (self->store);
  else if (self->cache_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->cache_path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_warning ("Cannot sync: cache directory “%s”: %s", dir, g_strerror (saved_errno));
          return;
        }
      store = fl_store_open (self->cache_path, &error);
      if (store == NULL)
        {
          g_warning ("Cannot sync: %s", error->message);
          return;
        }
    }
  else
    return;   /* the demo or a data set without a cache: nothing to sync into */

  self->sync_client = fl_sync_client_new (store, url, &error);
  if (self->sync_client == NULL)
    {
      g_warning ("Cannot sync with “%s”: %s", url, error->message);
      return;
    }
  self->sync_store = g_steal_pointer (&store);
  self->sync_url = g_steal_pointer (&url);
  self->sync_cancellable = g_cancellable_new ();

  g_signal_connect_object (self->sync_client, "data-changed",
                           G_CALLBACK (on_sync_data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync_client, "notify::last-sync",
                           G_CALLBACK (on_sync_last_sync_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync_client, "action-rejected",
                           G_CALLBACK (on_sync_action_rejected_cb), self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_CLIENT]);
  _refresh_data_time (self);

  /* Automatic first: a restored token starts a sync at once. */
  fl_sync_client_set_automatic (self->sync_client, TRUE);
  fl_sync_client_restore_token_async (self->sync_client, NULL, self->sync_cancellable,
                                      on_token_restored_cb, NULL);
}

static void
on_settings_changed_cb (FlContext  *self,
                        const char *key,
                        GSettings  *settings)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (key, "server-url") == 0)
    {
      _refresh_first_run (self);
      _update_sync_client (self);
      return;
    }
  if (g_strcmp0 (key, "stale-after-hours") == 0)
    {
      _refresh_stale (self);
      return;
    }
  if (!g_strv_contains (rule_keys, key))
    return;
  _read_rule_settings (self);
  if (self->evaluation != NULL && !fl_context_reevaluate (self, &error))
    g_warning ("Could not evaluate the rules: %s", error->message);
}

/* overrides */

static void
fl_context_constructed (GObject *object)
{
  FlContext *self = FL_CONTEXT (object);

  G_OBJECT_CLASS (fl_context_parent_class)->constructed (object);

  _read_rule_settings (self);
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_settings_bind_with_mapping (self->settings, "palette", self, "palette",
                                    G_SETTINGS_BIND_DEFAULT,
                                    _palette_from_setting, _palette_to_setting, NULL, NULL);
    }

  self->now = _real_now ();
  _refresh_data_time (self);
  _refresh_first_run (self);
  /* The rules count whole days and the map shows relative times: a minute is fine. */
  self->clock_id = g_timeout_add_seconds (60, on_clock_tick_cb, self);
}

static void
fl_context_dispose (GObject *object)
{
  FlContext *self = FL_CONTEXT (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  _drop_sync_client (self);
  if (self->settings != NULL)
    g_settings_unbind (self, "palette");
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (fl_context_parent_class)->dispose (object);
}

static void
fl_context_finalize (GObject *object)
{
  FlContext *self = FL_CONTEXT (object);

  g_clear_pointer (&self->evaluation, fl_evaluation_free);
  g_clear_pointer (&self->suggestions, g_hash_table_unref);
  g_clear_pointer (&self->executed, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reader_pool);
  g_free (self->cache_path);

  G_OBJECT_CLASS (fl_context_parent_class)->finalize (object);
}

static void
fl_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FlContext *self = FL_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_NOW:
      g_value_set_int64 (value, self->now);
      break;
    case PROP_NOW_FIXED:
      g_value_set_boolean (value, self->now_fixed);
      break;
    case PROP_EVALUATION:
      g_value_set_pointer (value, self->evaluation);
      break;
    case PROP_PALETTE:
      g_value_set_int (value, self->palette);
      break;
    case PROP_DATA_TIME:
      g_value_set_int64 (value, self->data_time);
      break;
    case PROP_DATA_SYNCED:
      g_value_set_boolean (value, self->data_synced);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;
    case PROP_FIRST_RUN:
      g_value_set_boolean (value, self->first_run);
      break;
    case PROP_SYNC_CLIENT:
      g_value_set_object (value, self->sync_client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FlContext *self = FL_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_PALETTE:
      fl_context_set_palette (self, g_value_get_int (value));
      break;
    case PROP_DATA_TIME:
      fl_context_set_data_time (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_context_class_init (FlContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = fl_context_constructed;
  object_class->dispose = fl_context_dispose;
  object_class->finalize = fl_context_finalize;
  object_class->get_property = fl_context_get_property;
  object_class->set_property = fl_context_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOW] =
    g_param_spec_int64 ("now", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOW_FIXED] =
    g_param_spec_boolean ("now-fixed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVALUATION] =
    g_param_spec_pointer ("evaluation", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PALETTE] =
    g_param_spec_int ("palette", NULL, NULL, FL_PALETTE_GNOME, FL_PALETTE_COLORBLIND,
                      FL_PALETTE_GNOME,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA_TIME] =
    g_param_spec_int64 ("data-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA_SYNCED] =
    g_param_spec_boolean ("data-synced", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRST_RUN] =
    g_param_spec_boolean ("first-run", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_CLIENT] =
    g_param_spec_object ("sync-client", NULL, NULL, FL_TYPE_SYNC_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ACTION_REJECTED] =
    g_signal_new ("action-rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
fl_context_init (FlContext *self)
{
  fl_rule_settings_init_default (&self->rules);
  self->cancellable = g_cancellable_new ();
  self->executed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Two: a page and the region's figures may load at once. */
  self->reader_pool = fl_store_pool_new (2);
}

/* public API */

FlStorePool *
fl_context_get_reader_pool (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  return self->reader_pool;
}

GSettings *
fl_context_lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* g_settings_new() aborts on a missing schema: look first. */
  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

FlContext *
fl_context_new (FlStore   *store,
                GSettings *settings)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (FL_TYPE_CONTEXT, "store", store, "settings", settings, NULL);
}

FlStore *
fl_context_get_store (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  return self->store;
}

GSettings *
fl_context_get_settings (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  return self->settings;
}

GTimeZone *
fl_context_get_time_zone (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  return fl_store_get_time_zone (self->store);
}

void
fl_context_set_fixed_now (FlContext *self,
                          gint64     now)
{
  g_return_if_fail (FL_IS_CONTEXT (self));

  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (!self->now_fixed)
    {
      self->now_fixed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW_FIXED]);
    }
  if (self->now != now)
    {
      self->now = now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
      _refresh_stale (self);
    }
}

gboolean
fl_context_get_now_fixed (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), FALSE);
  return self->now_fixed;
}

gint64
fl_context_get_now (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), 0);
  return self->now;
}

const FlRuleSettings *
fl_context_get_rule_settings (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  return &self->rules;
}

gboolean
fl_context_reevaluate (FlContext  *self,
                       GError    **error)
{
  FlEvaluation *evaluation;
  guint64 serial;
  gint64 now;

  g_return_val_if_fail (FL_IS_CONTEXT (self), FALSE);

  serial = ++self->serial;
  now = self->now_fixed ? self->now : _real_now ();
  evaluation = fl_rules_evaluate (self->store, now, &self->rules, error);
  if (evaluation == NULL)
    return FALSE;

  _install_evaluation (self, evaluation, _suggest (self->store, evaluation), NULL, serial);
  return TRUE;
}

/**
 * fl_context_reevaluate_async:
 * @self: a #FlContext
 * @cancellable: (nullable): a #GCancellable
 * @callback: (nullable): called in the calling thread's main context when done
 * @user_data: for @callback
 *
 * fl_context_reevaluate() in a worker thread with its own connection to the
 * cache file (an in-memory cache is evaluated at once, in this thread). The
 * result is shown ("changed") before @callback runs, unless an evaluation
 * requested later has been shown already. Disposing of @self cancels.
 */
void
fl_context_reevaluate_async (FlContext           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  EvaluateData *data;
  FlStore *store;
  const char *path;

  g_return_if_fail (FL_IS_CONTEXT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_context_reevaluate_async);

  store = _target_store (self);
  path = fl_store_get_path (store);
  if (path == NULL)
    {
      GError *error = NULL;

      if (fl_context_reevaluate (self, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }

  data = g_new0 (EvaluateData, 1);
  data->path = g_strdup (path);
  data->store = g_object_ref (store);
  data->now = self->now_fixed ? self->now : _real_now ();
  data->rules = self->rules;
  data->serial = ++self->serial;

  /* The worker's own task: its result is shown before @task completes. */
  worker = g_task_new (self, self->cancellable, on_evaluated_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, _evaluate_thread);
  g_task_set_task_data (worker, data, (GDestroyNotify) _evaluate_data_free);
  g_task_run_in_thread (worker, _evaluate_thread);
}

/**
 * fl_context_reevaluate_finish:
 * Returns: %TRUE when the evaluation succeeded (and is shown, or a newer one
 *   is); %FALSE with the error otherwise
 */
gboolean
fl_context_reevaluate_finish (FlContext     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

FlEvaluation *
fl_context_get_evaluation (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  return self->evaluation;
}

FlPalette
fl_context_get_palette (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), FL_PALETTE_GNOME);
  return self->palette;
}

void
fl_context_set_palette (FlContext *self,
                        FlPalette  palette)
{
  g_return_if_fail (FL_IS_CONTEXT (self));

  if (self->palette == palette)
    return;
  self->palette = palette;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PALETTE]);
}

gint64
fl_context_get_data_time (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), 0);
  return self->data_time;
}

void
fl_context_set_data_time (FlContext *self,
                          gint64     data_time)
{
  g_return_if_fail (FL_IS_CONTEXT (self));

  if (self->data_time == data_time)
    return;
  self->data_time = data_time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_TIME]);
  _refresh_stale (self);
}

void
fl_context_set_sync_enabled (FlContext *self,
                             gboolean   enabled)
{
  g_return_if_fail (FL_IS_CONTEXT (self));

  enabled = !!enabled;
  if (self->sync_enabled == enabled)
    return;
  self->sync_enabled = enabled;
  _update_sync_client (self);
}

FlSyncClient *
fl_context_get_sync_client (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  return self->sync_client;
}

void
fl_context_set_cache_path (FlContext  *self,
                           const char *path)
{
  g_return_if_fail (FL_IS_CONTEXT (self));

  if (g_strcmp0 (self->cache_path, path) == 0)
    return;
  g_free (self->cache_path);
  self->cache_path = g_strdup (path);
  _refresh_first_run (self);
  if (self->sync_client == NULL)
    _update_sync_client (self);
}

const char *
fl_context_get_cache_path (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  return self->cache_path;
}

gboolean
fl_context_get_first_run (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), FALSE);
  return self->first_run;
}

gboolean
fl_context_get_data_synced (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), FALSE);
  return self->data_synced;
}

gboolean
fl_context_get_stale (FlContext *self)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), FALSE);
  return self->stale;
}

gboolean
fl_context_check_server_url (const char  *url,
                             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);

  /* The messages are the sync engine's (one translation). */
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address: %s"), url, local_error->message);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address: it must start with https://"), url);
      return FALSE;
    }
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address: it names no host"), url);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address: it must not hold a user name, "
                     "a query or a fragment"), url);
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !_host_is_loopback (host))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is refused: plain http:// is only allowed to this computer "
                     "(127.0.0.1, ::1, localhost); use https://"), url);
      return FALSE;
    }
  return TRUE;
}

const FlSuggestion *
fl_context_get_suggestion (FlContext  *self,
                           const char *alert_id)
{
  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (alert_id != NULL, NULL);

  return self->suggestions != NULL ? g_hash_table_lookup (self->suggestions, alert_id) : NULL;
}

/**
 * fl_context_execute:
 * @self: a #FlContext
 * @alert_id: a pending alert of the evaluation shown
 * @kind: an #FlActionKind, or -1 for the suggestion
 * @error: return location for a #GError
 *
 * Executes @kind on @alert_id (fl_execute_alert()) as the signed-in user (else
 * the account's user name), at "now" (the real clock's second unless fixed),
 * shows the alert actioned at once ("changed"), re-evaluates and tells the
 * sync client that the outbox changed.
 *
 * Returns: (transfer full): the action (fl_action_free()), or %NULL
 */
FlAction *
fl_context_execute (FlContext   *self,
                    const char  *alert_id,
                    int          kind,
                    GError     **error)
{
  const FlSuggestion *suggestion;
  const char *user = NULL;
  FlAction *action;
  gint64 now;

  g_return_val_if_fail (FL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (alert_id != NULL, NULL);
  g_return_val_if_fail (kind >= -1 && kind < FL_N_ACTION_KINDS, NULL);

  if (self->sync_client != NULL)
    user = fl_sync_client_get_user (self->sync_client);
  if (user == NULL || *user == '\0')
    user = g_get_user_name ();
  /* The time of the click, not the minute of the last evaluation: the undo
   * window counts from it. */
  now = self->now_fixed ? self->now : _real_now ();

  /* The suggestion shown is the one executed (and no reading of all cases again). */
  if (kind < 0 && (suggestion = fl_context_get_suggestion (self, alert_id)) != NULL)
    kind = (int) suggestion->kind;
  /* The evaluation shown saves running the rules on the whole cache again. */
  action = fl_execute_alert_full (self->store, self->evaluation, &self->rules, alert_id, kind,
                                  user, now, FL_EXECUTE_UNDO_SECONDS, NULL, error);
  if (action == NULL)
    return NULL;

  g_hash_table_replace (self->executed, g_strdup (action->id), g_strdup (alert_id));
  _patch_alert (self, alert_id, TRUE);
  _outbox_changed (self);
  _reconcile (self);
  return action;
}

/**
 * fl_context_undo:
 * @self: a #FlContext
 * @action_id: an action of fl_context_execute()
 * @error: return location for a #GError
 *
 * Undoes @action_id while it is still queued (fl_execute_undo()): its alert is
 * pending again at once.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_context_undo (FlContext   *self,
                 const char  *action_id,
                 GError     **error)
{
  const char *alert_id;

  g_return_val_if_fail (FL_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (action_id != NULL, FALSE);

  if (!fl_execute_undo (self->store, action_id, error))
    return FALSE;

  alert_id = g_hash_table_lookup (self->executed, action_id);
  if (alert_id != NULL)
    _patch_alert (self, alert_id, FALSE);
  g_hash_table_remove (self->executed, action_id);
  _outbox_changed (self);
  _reconcile (self);
  return TRUE;
}

gboolean
fl_context_follow (FlContext **slot,
                   FlContext  *context,
                   gpointer    instance,
                   GCallback   changed_cb,
                   GCallback   palette_cb)
{
  g_return_val_if_fail (slot != NULL, FALSE);
  g_return_val_if_fail (context == NULL || FL_IS_CONTEXT (context), FALSE);

  if (*slot == context)
    return FALSE;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, changed_cb, instance);
      if (palette_cb != NULL)
        g_signal_handlers_disconnect_by_func (*slot, palette_cb, instance);
    }
  g_set_object (slot, context);
  if (context != NULL)
    {
      g_signal_connect_object (context, "changed", changed_cb, instance, G_CONNECT_SWAPPED);
      if (palette_cb != NULL)
        g_signal_connect_object (context, "notify::palette", palette_cb, instance,
                                 G_CONNECT_SWAPPED);
    }
  return TRUE;
}
