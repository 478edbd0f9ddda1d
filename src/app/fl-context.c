/* fl-context.c — the services of one running app: store, settings, clock, evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fl-context.h"
/* For the one query the store has no public call for yet (newest upload). */
#include "fl-store-private.h"

#define SETTINGS_SCHEMA_ID APP_ID

struct _FlContext
{
  GObject         parent_instance;

  /* owned */
  FlStore        *store;
  GSettings      *settings;
  FlEvaluation   *evaluation;
  FlRuleSettings  rules;
  gint64          now;
  gint64          data_time;
  FlPalette       palette;
  guint           clock_id;
  gboolean        now_fixed;
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
  N_PROPS
};

enum {
  CHANGED,
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

/* "Data as of": the newest visit upload in the cache, 0 when there is none.
 * There is no index on visits.uploaded: a full scan costs ~100 ms and maps the
 * whole table (RSS) at 1,000,000 visits. Uploads follow their visit within
 * days, so the newest upload is among the most recently started visits, which
 * the visits_by_start index yields at once. */
static gint64
_query_data_time (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlCachedStmt) stmt =
    _fl_store_prepare (store,
                       "SELECT max(uploaded) FROM "
                       "(SELECT uploaded FROM visits ORDER BY start DESC LIMIT 5000)",
                       &error);

  if (stmt == NULL)
    {
      g_warning ("Could not read the data age: %s", error->message);
      return 0;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

/* callbacks */

static gboolean
on_clock_tick_cb (gpointer user_data)
{
  FlContext *self = FL_CONTEXT (user_data);
  g_autoptr(GError) error = NULL;

  if (!fl_context_reevaluate (self, &error))
    g_warning ("Could not evaluate the rules: %s", error->message);
  return G_SOURCE_CONTINUE;
}

static void
on_settings_changed_cb (FlContext  *self,
                        const char *key,
                        GSettings  *settings)
{
  g_autoptr(GError) error = NULL;

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
  self->data_time = _query_data_time (self->store);
  /* The rules count whole days and the map shows relative times: a minute is fine. */
  self->clock_id = g_timeout_add_seconds (60, on_clock_tick_cb, self);
}

static void
fl_context_dispose (GObject *object)
{
  FlContext *self = FL_CONTEXT (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
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
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fl_context_init (FlContext *self)
{
  fl_rule_settings_init_default (&self->rules);
}

/* public API */

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
  gint64 now;

  g_return_val_if_fail (FL_IS_CONTEXT (self), FALSE);

  now = self->now_fixed ? self->now : _real_now ();
  evaluation = fl_rules_evaluate (self->store, now, &self->rules, error);
  if (evaluation == NULL)
    return FALSE;

  g_clear_pointer (&self->evaluation, fl_evaluation_free);
  self->evaluation = evaluation;
  if (self->now != now)
    {
      self->now = now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVALUATION]);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
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
}
