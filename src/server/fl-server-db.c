/* fl-server-db.c — fieldlight-server's database
 *
 * Messages are English, like the whole server (see fl-server.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fl-auth.h"
#include "fl-json.h"
#include "fl-server-db.h"
#include "fl-store-private.h"

struct _FlServerDb
{
  GObject  parent_instance;

  /* owned */
  FlStore *store;
};

G_DEFINE_FINAL_TYPE (FlServerDb, fl_server_db, G_TYPE_OBJECT)

/* The server's own tables. TEXT primary keys are automatic indexes, which
 * the store's import (it drops and rebuilds explicit indexes) leaves alone. */
static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS server_meta ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS users ("
  "  name       TEXT PRIMARY KEY NOT NULL,"
  "  salt       TEXT NOT NULL,"
  "  iterations INTEGER NOT NULL,"
  "  hash       TEXT NOT NULL,"
  "  regions    TEXT NOT NULL,"             /* JSON array of codes, ["*"]: all */
  "  created    INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS tokens ("
  "  hash    TEXT PRIMARY KEY NOT NULL,"    /* hex SHA-256 of the token */
  "  user    TEXT NOT NULL,"
  "  expires INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS action_results ("
  "  id      TEXT PRIMARY KEY NOT NULL,"    /* the action's id */
  "  user    TEXT NOT NULL,"
  "  status  INTEGER NOT NULL,"
  "  body    TEXT NOT NULL,"
  "  created INTEGER NOT NULL);"
  /* One row per entity, the latest change: the triggers insert a row and
   * delete the older ones. (Not INSERT OR REPLACE on a UNIQUE (kind, id):
   * inside a trigger the outer statement's conflict clause, e.g. the store's
   * upserts, overrides the inner one.) */
  "CREATE TABLE IF NOT EXISTS changes ("
  "  seq     INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind    TEXT NOT NULL,"                /* the dataset's array name */
  "  id      TEXT NOT NULL,"
  "  region  TEXT,"                         /* NULL with regions NULL: global */
  "  regions TEXT,"                         /* pilots: JSON array of codes */
  "  deleted INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS changes_by_entity ON changes (kind, id, seq);";

/* SQL expressions over a row "R." (NEW. or OLD. in triggers). */
#define CUSTOMER_REGION(c) "COALESCE((SELECT region FROM customers WHERE id = " c "), '')"
#define ALERT_REST(a) "substr(" a ", instr(" a ", ':') + 1)"
#define ALERT_SUBJECT(a) "substr(" ALERT_REST (a) ", 1, instr(" ALERT_REST (a) ", ':') - 1)"
/* An action is in the region of its alert (FORMATS.md §2 ids); unknown: ''
 * (only managers of every region see it). */
#define ACTION_REGION(a) \
  "COALESCE(CASE substr(" a ", 1, instr(" a ", ':') - 1)" \
  " WHEN 'churn' THEN (SELECT region FROM customers WHERE id = " ALERT_SUBJECT (a) ")" \
  " WHEN 'stall' THEN (SELECT c.region FROM opportunities AS o JOIN customers AS c" \
  "   ON c.id = o.customer WHERE o.id = " ALERT_SUBJECT (a) ")" \
  " WHEN 'gap' THEN " ALERT_SUBJECT (a) " END, '')"

typedef struct
{
  const char *table;     /* also the change kind: the dataset's array name */
  const char *id_col;
  const char *region;    /* NULL: global (or pilots: by "regions") */
  const char *regions;
  const char *list_ids;
} LoggedTable;

/* In FlEntityKind order. */
static const LoggedTable logged_tables[FL_N_ENTITY_KINDS] = {
  { "regions", "code", "R.code", NULL, "SELECT code FROM regions" },
  { "reps", "id", "R.region", NULL, "SELECT id FROM reps" },
  { "categories", "id", NULL, NULL, "SELECT id FROM categories" },
  { "products", "id", NULL, NULL, "SELECT id FROM products" },
  { "customers", "id", "R.region", NULL, "SELECT id FROM customers" },
  { "visits", "id", CUSTOMER_REGION ("R.customer"), NULL, "SELECT id FROM visits" },
  { "opportunities", "id", CUSTOMER_REGION ("R.customer"), NULL,
    "SELECT id FROM opportunities" },
  { "pilots", "id", NULL, "R.regions", "SELECT id FROM pilots" },
  { "cases", "id", "R.region", NULL, "SELECT id FROM cases" },
  { "actions", "id", ACTION_REGION ("R.alert"), NULL, "SELECT id FROM actions" },
};

/* Keeps only the newest log row of one entity. */
#define KEEP_NEWEST(kind, id) \
  " DELETE FROM changes WHERE kind = '" kind "' AND id = " id \
  " AND seq < (SELECT max(seq) FROM changes WHERE kind = '" kind "' AND id = " id ");"

#define LOG_CUSTOMER(row) \
  " INSERT INTO changes (kind, id, region, regions, deleted)" \
  " SELECT 'customers', id, region, NULL, 0 FROM customers WHERE id = " row ".customer;" \
  KEEP_NEWEST ("customers", row ".customer")

#define VISIT_ID(row) "(SELECT id FROM visits WHERE rowid = " row ".visit)"
#define LOG_VISIT(row) \
  " INSERT INTO changes (kind, id, region, regions, deleted)" \
  " SELECT 'visits', v.id, " CUSTOMER_REGION ("v.customer") ", NULL, 0" \
  " FROM visits AS v WHERE v.rowid = " row ".visit;" \
  KEEP_NEWEST ("visits", VISIT_ID (row))

/* Health snapshots belong to their customer, pitches to their visit. Only
 * the pitch's own columns make the visit change: the denormalised ones
 * (category, region…) follow other entities. */
static const char dependent_triggers_sql[] =
  "CREATE TRIGGER IF NOT EXISTS fl_log_health_ins AFTER INSERT ON health BEGIN"
  LOG_CUSTOMER ("NEW") " END;"
  "CREATE TRIGGER IF NOT EXISTS fl_log_health_upd AFTER UPDATE ON health BEGIN"
  LOG_CUSTOMER ("NEW") " END;"
  "CREATE TRIGGER IF NOT EXISTS fl_log_health_del AFTER DELETE ON health BEGIN"
  LOG_CUSTOMER ("OLD") " END;"
  "CREATE TRIGGER IF NOT EXISTS fl_log_pitches_ins AFTER INSERT ON pitches BEGIN"
  LOG_VISIT ("NEW") " END;"
  "CREATE TRIGGER IF NOT EXISTS fl_log_pitches_upd AFTER UPDATE OF product, signed ON pitches"
  " BEGIN" LOG_VISIT ("NEW") " END;"
  "CREATE TRIGGER IF NOT EXISTS fl_log_pitches_del AFTER DELETE ON pitches BEGIN"
  LOG_VISIT ("OLD") " END;";

/* Which change rows a scope (?2: JSON array of codes, NULL: all) sees. */
#define SCOPE_FILTER \
  "(?2 IS NULL" \
  " OR (region IS NULL AND regions IS NULL)" \
  " OR region IN (SELECT value FROM json_each(?2))" \
  " OR (regions IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(changes.regions) AS p" \
  "     WHERE p.value IN (SELECT value FROM json_each(?2)))))"

/* Helpers */

static gboolean
exec_sql (FlServerDb  *self,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  if (sqlite3_exec (_fl_store_get_db (self->store), sql, NULL, NULL, NULL) != SQLITE_OK)
    return _fl_store_fail (self->store, error, "%s", what);
  return TRUE;
}

/* @expr over "R." for @row ("NEW" or "OLD"); NULL gives "NULL". */
static char *
replace_row (const char *expr,
             const char *row)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *prefix = NULL;

  if (expr == NULL)
    return g_strdup ("NULL");
  parts = g_strsplit (expr, "R.", -1);
  prefix = g_strconcat (row, ".", NULL);
  return g_strjoinv (prefix, parts);
}

static gboolean
create_triggers (FlServerDb  *self,
                 GError     **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (logged_tables); i++)
    {
      const LoggedTable *t = &logged_tables[i];
      g_autofree char *region_new = replace_row (t->region, "NEW");
      g_autofree char *region_old = replace_row (t->region, "OLD");
      g_autofree char *regions_new = replace_row (t->regions, "NEW");
      g_autofree char *regions_old = replace_row (t->regions, "OLD");
      static const char * const events[] = { "INSERT", "UPDATE" };
      static const char * const suffixes[] = { "ins", "upd" };

      for (guint e = 0; e < G_N_ELEMENTS (events); e++)
        g_string_append_printf (sql,
                                "CREATE TRIGGER IF NOT EXISTS fl_log_%s_%s AFTER %s ON %s BEGIN"
                                " INSERT INTO changes (kind, id, region, regions, deleted)"
                                " VALUES ('%s', NEW.%s, %s, %s, 0);"
                                " DELETE FROM changes WHERE kind = '%s' AND id = NEW.%s AND seq <"
                                " (SELECT max(seq) FROM changes WHERE kind = '%s' AND id = NEW.%s);"
                                " END;",
                                t->table, suffixes[e], events[e], t->table,
                                t->table, t->id_col, region_new, regions_new,
                                t->table, t->id_col, t->table, t->id_col);

      /* A delete goes to whoever received the entity: keep its logged region. */
      if (t->region != NULL)
        g_string_append_printf (sql,
                                "CREATE TRIGGER IF NOT EXISTS fl_log_%s_del"
                                " AFTER DELETE ON %s BEGIN"
                                " INSERT INTO changes (kind, id, region, regions, deleted)"
                                " VALUES ('%s', OLD.%s, COALESCE((SELECT region FROM changes"
                                " WHERE kind = '%s' AND id = OLD.%s ORDER BY seq DESC LIMIT 1),"
                                " %s), %s, 1);",
                                t->table, t->table, t->table, t->id_col, t->table, t->id_col,
                                region_old, regions_old);
      else
        g_string_append_printf (sql,
                                "CREATE TRIGGER IF NOT EXISTS fl_log_%s_del"
                                " AFTER DELETE ON %s BEGIN"
                                " INSERT INTO changes (kind, id, region, regions, deleted)"
                                " VALUES ('%s', OLD.%s, NULL, %s, 1);",
                                t->table, t->table, t->table, t->id_col, regions_old);
      g_string_append_printf (sql,
                              " DELETE FROM changes WHERE kind = '%s' AND id = OLD.%s AND seq <"
                              " (SELECT max(seq) FROM changes WHERE kind = '%s' AND id = OLD.%s);"
                              " END;",
                              t->table, t->id_col, t->table, t->id_col);
    }
  g_string_append (sql, dependent_triggers_sql);

  return exec_sql (self, sql->str, "Could not create the change log triggers", error);
}

static gboolean
drop_triggers (FlServerDb  *self,
               GError     **error)
{
  static const char sql[] =
    "SELECT name FROM sqlite_schema"
    " WHERE type = 'trigger' AND name LIKE 'fl\\_log\\_%' ESCAPE '\\'";
  sqlite3 *db = _fl_store_get_db (self->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _fl_store_fail (self->store, error, "Could not list the change log triggers");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self->store, error, "Could not list the change log triggers");

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\"",
                                               (char *) g_ptr_array_index (names, i));

      if (!exec_sql (self, drop, "Could not drop a change log trigger", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
set_server_meta (FlServerDb  *self,
                 const char  *key,
                 const char  *value,
                 GError     **error)
{
  static const char sql[] =
    "INSERT INTO server_meta (key, value) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _fl_store_fail (self->store, error, "Could not write the server setting “%s”",
                           key);
  return TRUE;
}

static gboolean
new_epoch (FlServerDb  *self,
           GError     **error)
{
  guint8 bytes[8];
  g_autofree char *epoch = NULL;

  if (!fl_auth_random_bytes (bytes, sizeof bytes, error))
    return FALSE;
  epoch = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes, sizeof bytes);
  epoch[16] = '\0';
  return set_server_meta (self, "epoch", epoch, error);
}

/* The change log from scratch: every entity once, in dependency order. */
static gboolean
rebuild_changes (FlServerDb  *self,
                 GError     **error)
{
  static const char sql[] =
    "DELETE FROM changes;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'regions', code, code, NULL, 0 FROM regions ORDER BY code;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'reps', id, region, NULL, 0 FROM reps ORDER BY rowid;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'categories', id, NULL, NULL, 0 FROM categories ORDER BY rowid;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'products', id, NULL, NULL, 0 FROM products ORDER BY rowid;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'customers', id, region, NULL, 0 FROM customers ORDER BY rowid;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'visits', v.id, COALESCE(c.region, ''), NULL, 0"
    " FROM visits AS v LEFT JOIN customers AS c ON c.id = v.customer ORDER BY v.rowid;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'opportunities', o.id, COALESCE(c.region, ''), NULL, 0"
    " FROM opportunities AS o LEFT JOIN customers AS c ON c.id = o.customer ORDER BY o.rowid;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'pilots', id, NULL, regions, 0 FROM pilots ORDER BY rowid;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'cases', id, region, NULL, 0 FROM cases ORDER BY rowid;"
    "INSERT INTO changes (kind, id, region, regions, deleted)"
    " SELECT 'actions', id, " ACTION_REGION ("alert") ", NULL, 0 FROM actions ORDER BY rowid;";

  return exec_sql (self, sql, "Could not rebuild the change log", error);
}

static gboolean
store_has_content (FlServerDb *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (logged_tables); i++)
    {
      if (fl_store_count (self->store, logged_tables[i].table) > 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
prepare_schema (FlServerDb  *self,
                GError     **error)
{
  g_autofree char *epoch = NULL;
  gboolean rebuild;

  if (!fl_store_begin (self->store, error))
    return FALSE;

  if (!exec_sql (self, schema_sql, "Could not create the server tables", error))
    goto fail;

  if (!(epoch = fl_server_db_dup_epoch (self, error)) && error != NULL && *error != NULL)
    goto fail;

  /* A database made by the desktop app, or by an older server: log it all. */
  rebuild = fl_server_db_get_last_seq (self, NULL) == 0 && store_has_content (self);
  if ((epoch == NULL || rebuild) && !new_epoch (self, error))
    goto fail;
  if (rebuild && !rebuild_changes (self, error))
    goto fail;
  if (!create_triggers (self, error))
    goto fail;

  return fl_store_commit (self->store, error);

fail:
  fl_store_rollback (self->store);
  return FALSE;
}

static char *
strv_to_json (const char * const *strv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static FlServerUser *
user_new (const char *name,
          const char *regions_json)
{
  g_autoptr(FlServerUser) user = g_new0 (FlServerUser, 1);
  g_autoptr(JsonNode) node = json_from_string (regions_json, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean all = FALSE;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *code = json_array_get_string_element (array, i);

          if (code == NULL)
            continue;
          if (strcmp (code, "*") == 0)
            all = TRUE;
          g_strv_builder_add (builder, code);
        }
    }

  user->name = g_strdup (name);
  if (all)
    {
      user->regions = g_new0 (char *, 2);
      user->regions[0] = g_strdup ("*");
    }
  else
    {
      user->regions = g_strv_builder_end (builder);
      user->scope_json = strv_to_json ((const char * const *) user->regions);
    }

  return g_steal_pointer (&user);
}

static GHashTable *
list_store_ids (FlServerDb    *self,
                FlEntityKind   kind,
                GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = _fl_store_get_db (self->store);
  int rc;

  if (sqlite3_prepare_v2 (db, logged_tables[kind].list_ids, -1, &stmt, NULL) != SQLITE_OK)
    {
      _fl_store_fail (self->store, error, "Could not list the %s of the server",
                      logged_tables[kind].table);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      _fl_store_fail (self->store, error, "Could not list the %s of the server",
                      logged_tables[kind].table);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

/* The store's merge writes only what differs (fl-sync-store.c), so the
 * triggers log real changes only; what is missing from @dataset is deleted. */
static gboolean
merge_dataset (FlServerDb  *self,
               FlDataset   *dataset,
               guint       *out_upserted,
               guint       *out_deleted,
               GError     **error)
{
  GPtrArray *deleted[FL_N_ENTITY_KINDS] = { NULL, };
  guint n_deleted = 0;
  gint64 last_seq;
  gboolean ok = FALSE;

  for (int kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    {
      GPtrArray *entities = fl_dataset_get_entities (dataset, kind);
      g_autoptr(GHashTable) stored = NULL;
      GHashTableIter iter;
      gpointer key;

      deleted[kind] = g_ptr_array_new_with_free_func (g_free);
      if (!(stored = list_store_ids (self, kind, error)))
        goto out;
      for (guint i = 0; i < entities->len; i++)
        g_hash_table_remove (stored, fl_entity_get_id (kind, g_ptr_array_index (entities, i)));
      g_hash_table_iter_init (&iter, stored);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (deleted[kind], g_strdup (key));
      n_deleted += deleted[kind]->len;
    }

  if (!fl_store_begin (self->store, error))
    goto out;
  if ((last_seq = fl_server_db_get_last_seq (self, error)) < 0 ||
      !fl_store_merge_dataset (self->store, dataset, error))
    goto rollback;
  /* Dependents first. */
  for (int kind = FL_N_ENTITY_KINDS - 1; kind >= 0; kind--)
    {
      if (deleted[kind]->len > 0 &&
          !fl_store_delete_entities (self->store, kind,
                                     (const char * const *) deleted[kind]->pdata,
                                     deleted[kind]->len, error))
        goto rollback;
    }
  if (!fl_store_commit (self->store, error))
    goto rollback;

  /* Every entity written or deleted has one log row past the old end. */
  *out_upserted = fl_server_db_count_changes (self, last_seq, NULL, NULL) - n_deleted;
  *out_deleted = n_deleted;
  ok = TRUE;
  goto out;

rollback:
  fl_store_rollback (self->store);
out:
  for (int kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    g_clear_pointer (&deleted[kind], g_ptr_array_unref);
  return ok;
}

static FlAction *
action_from_row (sqlite3_stmt *stmt)
{
  FlAction *action = g_new0 (FlAction, 1);
  FlActionKind kind = FL_ACTION_SEND_SAMPLE;

  action->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  action->alert = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  fl_action_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &kind);
  action->kind = kind;
  action->created = sqlite3_column_int64 (stmt, 3);
  action->created_by = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  return action;
}

/* GObject */

static void
fl_server_db_finalize (GObject *object)
{
  FlServerDb *self = FL_SERVER_DB (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (fl_server_db_parent_class)->finalize (object);
}

static void
fl_server_db_class_init (FlServerDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_server_db_finalize;
}

static void
fl_server_db_init (FlServerDb *self)
{
}

/* Public API */

void
fl_server_user_free (FlServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_strfreev (user->regions);
  g_free (user->scope_json);
  g_free (user);
}

gboolean
fl_server_user_has_region (FlServerUser *user,
                           const char   *code)
{
  if (user->scope_json == NULL)
    return TRUE;
  return code != NULL && g_strv_contains ((const char * const *) user->regions, code);
}

void
fl_change_free (FlChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_free (change);
}

FlServerDb *
fl_server_db_open (const char  *path,
                   GError     **error)
{
  g_autoptr(FlServerDb) self = g_object_new (FL_TYPE_SERVER_DB, NULL);

  g_return_val_if_fail (path != NULL, NULL);

  if (!(self->store = fl_store_open (path, error)))
    return NULL;
  if (!prepare_schema (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

FlStore *
fl_server_db_get_store (FlServerDb *self)
{
  g_return_val_if_fail (FL_IS_SERVER_DB (self), NULL);
  return self->store;
}

gboolean
fl_server_db_load_dataset (FlServerDb  *self,
                           FlDataset   *dataset,
                           guint       *out_upserted,
                           guint       *out_deleted,
                           GError     **error)
{
  guint upserted = 0, deleted = 0;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (dataset != NULL, FALSE);

  if (store_has_content (self))
    {
      if (!merge_dataset (self, dataset, &upserted, &deleted, error))
        return FALSE;
    }
  else
    {
      /* Logging a million rows one trigger at a time is slow: import with
       * the triggers off, then log everything in one statement per kind. */
      if (!fl_store_begin (self->store, error))
        return FALSE;
      if (!drop_triggers (self, error) || !fl_store_commit (self->store, error))
        {
          fl_store_rollback (self->store);
          return FALSE;
        }

      if (!fl_store_import_dataset (self->store, dataset, error))
        {
          create_triggers (self, NULL);
          return FALSE;
        }

      if (!fl_store_begin (self->store, error))
        return FALSE;
      if (!rebuild_changes (self, error) || !new_epoch (self, error) ||
          !create_triggers (self, error) || !fl_store_commit (self->store, error))
        {
          fl_store_rollback (self->store);
          return FALSE;
        }

      for (int kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
        upserted += fl_dataset_get_entities (dataset, kind)->len;
    }

  if (out_upserted != NULL)
    *out_upserted = upserted;
  if (out_deleted != NULL)
    *out_deleted = deleted;
  return TRUE;
}

/* Users and tokens */

char *
fl_server_db_add_user (FlServerDb          *self,
                       const char          *name,
                       const char * const  *regions,
                       gint64               now,
                       GError             **error)
{
  static const char upsert_sql[] =
    "INSERT INTO users (name, salt, iterations, hash, regions, created)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (name) DO UPDATE SET salt = excluded.salt, iterations = excluded.iterations,"
    " hash = excluded.hash, regions = excluded.regions";
  static const char revoke_sql[] = "DELETE FROM tokens WHERE user = ?1";
  static const char * const all[] = { "*", NULL };
  g_autofree char *password = NULL;
  g_autofree char *salt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *regions_json = NULL;
  g_autoptr(FlCachedStmt) upsert = NULL;
  g_autoptr(FlCachedStmt) revoke = NULL;
  gboolean every = regions == NULL || g_strv_contains (regions, "*");

  g_return_val_if_fail (FL_IS_SERVER_DB (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!fl_json_is_valid_id (name))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   "user “%s”: a user name has 1 to 64 bytes", name);
      return NULL;
    }
  if (!every && (regions[0] == NULL))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   "user %s: no region given", name);
      return NULL;
    }
  for (guint i = 0; !every && regions[i] != NULL; i++)
    {
      g_autofree char *region_name = fl_store_dup_region_name (self->store, regions[i]);

      if (region_name == NULL && store_has_content (self))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       "user %s: “%s” is not a region of the server's data",
                       name, regions[i]);
          return NULL;
        }
    }

  if (!(password = fl_auth_new_password (error)) || !(salt = fl_auth_new_salt (error)))
    return NULL;
  hash = fl_auth_hash_password (salt, FL_AUTH_ITERATIONS, password);
  regions_json = strv_to_json (every ? all : regions);

  if (!(upsert = _fl_store_prepare (self->store, upsert_sql, error)) ||
      !(revoke = _fl_store_prepare (self->store, revoke_sql, error)))
    return NULL;
  if (!fl_store_begin (self->store, error))
    return NULL;

  sqlite3_bind_text (upsert, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 2, salt, -1, SQLITE_STATIC);
  sqlite3_bind_int (upsert, 3, FL_AUTH_ITERATIONS);
  sqlite3_bind_text (upsert, 4, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 5, regions_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 6, now);
  sqlite3_bind_text (revoke, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (upsert) != SQLITE_DONE || sqlite3_step (revoke) != SQLITE_DONE)
    {
      _fl_store_fail (self->store, error, "Could not save user %s", name);
      fl_store_rollback (self->store);
      return NULL;
    }
  if (!fl_store_commit (self->store, error))
    {
      fl_store_rollback (self->store);
      return NULL;
    }

  return g_steal_pointer (&password);
}

FlServerUser *
fl_server_db_check_password (FlServerDb  *self,
                             const char  *name,
                             const char  *password,
                             GError     **error)
{
  static const char sql[] = "SELECT salt, iterations, hash, regions FROM users WHERE name = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), NULL);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      /* Spend the same time as for a known user: no probing for names. */
      g_autofree char *hash = fl_auth_hash_password ("0000000000000000", FL_AUTH_ITERATIONS,
                                                     password);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _fl_store_fail (self->store, error, "Could not read user %s", name);
      return NULL;
    }

  if (!fl_auth_verify_password ((const char *) sqlite3_column_text (stmt, 0),
                                sqlite3_column_int (stmt, 1), password,
                                (const char *) sqlite3_column_text (stmt, 2)))
    return NULL;

  return user_new (name, (const char *) sqlite3_column_text (stmt, 3));
}

char *
fl_server_db_new_token (FlServerDb  *self,
                        const char  *user,
                        gint64       expires,
                        GError     **error)
{
  static const char sql[] = "INSERT INTO tokens (hash, user, expires) VALUES (?1, ?2, ?3)";
  static const char purge_sql[] = "DELETE FROM tokens WHERE expires <= ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) purge = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), NULL);

  if (!(token = fl_auth_new_token (error)))
    return NULL;
  hash = fl_auth_hash_token (token);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)) ||
      !(purge = _fl_store_prepare (self->store, purge_sql, error)))
    return NULL;
  /* Tokens live 30 days: anything that expired 30 days before this one did. */
  sqlite3_bind_int64 (purge, 1, expires - 2 * 30 * 24 * 3600);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, expires);
  if (sqlite3_step (purge) != SQLITE_DONE || sqlite3_step (stmt) != SQLITE_DONE)
    {
      _fl_store_fail (self->store, error, "Could not save a token for user %s", user);
      return NULL;
    }

  return g_steal_pointer (&token);
}

FlServerUser *
fl_server_db_authenticate (FlServerDb  *self,
                           const char  *token,
                           gint64       now,
                           GError     **error)
{
  static const char sql[] =
    "SELECT u.name, u.regions FROM tokens AS t JOIN users AS u ON u.name = t.user"
    " WHERE t.hash = ?1 AND t.expires > ?2";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), NULL);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return NULL;
  hash = fl_auth_hash_token (token);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _fl_store_fail (self->store, error, "Could not check a token");
      return NULL;
    }

  return user_new ((const char *) sqlite3_column_text (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1));
}

gboolean
fl_server_db_revoke_token (FlServerDb  *self,
                           const char  *token,
                           GError     **error)
{
  static const char sql[] = "DELETE FROM tokens WHERE hash = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), FALSE);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return FALSE;
  hash = fl_auth_hash_token (token);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _fl_store_fail (self->store, error, "Could not revoke a token");
  return TRUE;
}

/* The change log */

char *
fl_server_db_dup_epoch (FlServerDb  *self,
                        GError     **error)
{
  static const char sql[] = "SELECT value FROM server_meta WHERE key = 'epoch'";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), NULL);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    _fl_store_fail (self->store, error, "Could not read the data epoch");
  return NULL;
}

gint64
fl_server_db_get_last_seq (FlServerDb  *self,
                           GError     **error)
{
  static const char sql[] = "SELECT COALESCE(max(seq), 0) FROM changes";
  g_autoptr(FlCachedStmt) stmt = NULL;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), -1);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _fl_store_fail (self->store, error, "Could not read the change log");
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

GPtrArray *
fl_server_db_read_changes (FlServerDb  *self,
                           gint64       after,
                           const char  *scope_json,
                           guint        limit,
                           GError     **error)
{
  static const char sql[] =
    "SELECT seq, kind, id, deleted FROM changes WHERE seq > ?1 AND " SCOPE_FILTER
    " ORDER BY seq LIMIT ?3";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_change_free);
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), NULL);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  if (scope_json != NULL)
    sqlite3_bind_text (stmt, 2, scope_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind_name = (const char *) sqlite3_column_text (stmt, 1);
      FlChange *change;
      int kind;

      for (kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
        {
          if (strcmp (logged_tables[kind].table, kind_name) == 0)
            break;
        }
      if (kind == FL_N_ENTITY_KINDS)
        continue;

      change = g_new0 (FlChange, 1);
      change->seq = sqlite3_column_int64 (stmt, 0);
      change->kind = kind;
      change->id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      change->deleted = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (changes, change);
    }
  if (rc != SQLITE_DONE)
    {
      _fl_store_fail (self->store, error, "Could not read the change log");
      return NULL;
    }

  return g_steal_pointer (&changes);
}

/* The upserts of one kind on a page: the log rows after ?1 up to ?3 that
 * the scope ?2 sees. "+kind" keeps SQLite on the seq range (the primary
 * key) rather than on changes_by_entity, which would visit every row of the
 * kind; the range is read in seq order, so ORDER BY c.seq costs no sort. */
#define PAGE_KEYS(kind) \
  "(SELECT seq, id AS change_id FROM changes WHERE seq > ?1 AND seq <= ?3" \
  " AND +kind = '" kind "' AND deleted = 0 AND " SCOPE_FILTER ") AS c"
#define PAGE_ROWS(table, columns) \
  "SELECT " columns " FROM " PAGE_KEYS (table) \
  " CROSS JOIN " table " ON " table ".id = c.change_id ORDER BY c.seq"

/* In FlEntityKind order; NULL: by id (regions, pilots: a few). The columns
 * are those of fl_store_write_entity_rows(); the child rows are in the order
 * of the store's lookups (ORDER BY rowid). */
static const char * const page_rows_sql[FL_N_ENTITY_KINDS] = {
  NULL,
  PAGE_ROWS ("reps", FL_STORE_REP_COLUMNS),
  PAGE_ROWS ("categories", FL_STORE_CATEGORY_COLUMNS),
  PAGE_ROWS ("products", FL_STORE_PRODUCT_COLUMNS),
  PAGE_ROWS ("customers", FL_STORE_CUSTOMER_COLUMNS ", c.seq"),
  /* A visit's pitches come with it: one row per pitch. (A subquery names
   * the pitch columns: pitches has a start and a rep too.) */
  "SELECT " FL_STORE_VISIT_COLUMNS ", c.seq, p.pitch_product, p.pitch_signed"
  " FROM " PAGE_KEYS ("visits") " CROSS JOIN visits ON visits.id = c.change_id"
  " LEFT JOIN (SELECT visit AS pitch_visit, product AS pitch_product, signed AS pitch_signed,"
  "            rowid AS pitch_rowid FROM pitches) AS p ON p.pitch_visit = visits.rowid"
  " ORDER BY c.seq, p.pitch_rowid",
  PAGE_ROWS ("opportunities", FL_STORE_OPPORTUNITY_COLUMNS),
  NULL,
  PAGE_ROWS ("cases", FL_STORE_CASE_COLUMNS),
  PAGE_ROWS ("actions", FL_STORE_ACTION_COLUMNS),
};

static const char page_health_sql[] =
  "SELECT c.seq, h.week, h.cooperation_stability, h.new_product_acceptance,"
  " h.competitor_penetration, h.sell_through, h.inventory_health, h.payment_punctuality"
  " FROM " PAGE_KEYS ("customers") " CROSS JOIN customers ON customers.id = c.change_id"
  " CROSS JOIN health AS h ON h.customer = customers.id ORDER BY c.seq, h.rowid";
static const char page_ids_sql[] =
  "SELECT id FROM changes WHERE seq > ?1 AND seq <= ?3 AND +kind = ?4 AND deleted = 0"
  " AND " SCOPE_FILTER " ORDER BY seq";

static void
bind_page (sqlite3_stmt *stmt,
           gint64        after,
           const char   *scope_json,
           gint64        last)
{
  sqlite3_bind_int64 (stmt, 1, after);
  if (scope_json != NULL)
    sqlite3_bind_text (stmt, 2, scope_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, last);
}

/* Regions and pilots: few, read by id. */
static gboolean
write_upserts_by_id (FlServerDb        *self,
                     FlEntityKind       kind,
                     gint64             after,
                     gint64             last,
                     const char        *scope_json,
                     FlFragmentWriter  *writer,
                     GError           **error)
{
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(FlDataset) fragment = NULL;
  GPtrArray *entities;
  int rc;

  if (!(stmt = _fl_store_prepare (self->store, page_ids_sql, error)))
    return FALSE;
  bind_page (stmt, after, scope_json, last);
  sqlite3_bind_text (stmt, 4, logged_tables[kind].table, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self->store, error, "Could not read the change log");

  if (!(fragment = fl_store_export_entities (self->store, kind, (const char * const *) ids->pdata,
                                             ids->len, error)))
    return FALSE;
  entities = fl_dataset_get_entities (fragment, kind);
  for (guint i = 0; i < entities->len; i++)
    fl_fragment_writer_add (writer, kind, g_ptr_array_index (entities, i));
  return TRUE;
}

/**
 * fl_server_db_write_upserts:
 * @self: a #FlServerDb
 * @kind: the kind to write
 * @after: the page starts after this seq
 * @last: the seq of the page's last change
 * @scope_json: (nullable): the user's regions, as fl_server_db_read_changes()
 * @writer: the page's upserts
 * @error: return location for a #GError
 *
 * Writes the entities of @kind that the changes after @after up to @last
 * seen by @scope_json upsert, in log order, as fl_store_export_entities()
 * reads them: one query joining the log with the entity table (and a
 * visit's pitches; one more for a customer's health) rather than lookups by
 * id.
 * Needs the caller's read transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_server_db_write_upserts (FlServerDb        *self,
                            FlEntityKind       kind,
                            gint64             after,
                            gint64             last,
                            const char        *scope_json,
                            FlFragmentWriter  *writer,
                            GError           **error)
{
  g_autoptr(FlCachedStmt) rows = NULL;
  g_autoptr(FlCachedStmt) children = NULL;
  const char *children_sql = NULL;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (kind < FL_N_ENTITY_KINDS, FALSE);
  g_return_val_if_fail (writer != NULL, FALSE);

  if (page_rows_sql[kind] == NULL)
    return write_upserts_by_id (self, kind, after, last, scope_json, writer, error);

  if (kind == FL_ENTITY_CUSTOMER)
    children_sql = page_health_sql;

  if (!(rows = _fl_store_prepare (self->store, page_rows_sql[kind], error)) ||
      (children_sql != NULL && !(children = _fl_store_prepare (self->store, children_sql, error))))
    return FALSE;
  bind_page (rows, after, scope_json, last);
  if (children != NULL)
    bind_page (children, after, scope_json, last);

  return fl_store_write_entity_rows (self->store, kind, rows, children, writer, error);
}

void
fl_change_page_clear (FlChangePage *page)
{
  for (guint kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
    g_clear_pointer (&page->deletes[kind], g_ptr_array_unref);
  memset (page, 0, sizeof *page);
}

/**
 * fl_server_db_read_page:
 * @self: a #FlServerDb
 * @after: the page starts after this seq
 * @scope_json: (nullable): the user's regions, as fl_server_db_read_changes()
 * @limit: the most changes on the page
 * @page: (out caller-allocates): the page; clear it with fl_change_page_clear()
 * @error: return location for a #GError
 *
 * What a pull page needs of fl_server_db_read_changes() (@limit + 1 rows):
 * the bounds and counts, and only the ids of deletes, without an allocation
 * per change.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_server_db_read_page (FlServerDb    *self,
                        gint64         after,
                        const char    *scope_json,
                        guint          limit,
                        FlChangePage  *page,
                        GError       **error)
{
  static const char sql[] =
    "SELECT seq, kind, deleted, CASE WHEN deleted THEN id END FROM changes"
    " WHERE seq > ?1 AND " SCOPE_FILTER " ORDER BY seq LIMIT ?3";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  memset (page, 0, sizeof *page);
  page->last_seq = after;
  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after);
  if (scope_json != NULL)
    sqlite3_bind_text (stmt, 2, scope_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind_name = (const char *) sqlite3_column_text (stmt, 1);
      int kind;

      for (kind = 0; kind < FL_N_ENTITY_KINDS; kind++)
        {
          if (g_strcmp0 (logged_tables[kind].table, kind_name) == 0)
            break;
        }
      if (kind == FL_N_ENTITY_KINDS)
        continue;
      if (page->n_changes == limit)
        {
          page->more = TRUE;
          continue;
        }

      page->n_changes++;
      page->last_seq = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_int (stmt, 2) == 0)
        {
          page->n_upserts[kind]++;
          continue;
        }
      if (page->deletes[kind] == NULL)
        page->deletes[kind] = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (page->deletes[kind],
                       g_strdup ((const char *) sqlite3_column_text (stmt, 3)));
    }
  if (rc != SQLITE_DONE)
    {
      fl_change_page_clear (page);
      return _fl_store_fail (self->store, error, "Could not read the change log");
    }

  return TRUE;
}

gint64
fl_server_db_count_changes (FlServerDb  *self,
                            gint64       after,
                            const char  *scope_json,
                            GError     **error)
{
  static const char sql[] = "SELECT count(*) FROM changes WHERE seq > ?1 AND " SCOPE_FILTER;
  g_autoptr(FlCachedStmt) stmt = NULL;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), -1);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, after);
  if (scope_json != NULL)
    sqlite3_bind_text (stmt, 2, scope_json, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _fl_store_fail (self->store, error, "Could not count the changes");
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* Push results */

gboolean
fl_server_db_lookup_result (FlServerDb  *self,
                            const char  *action_id,
                            guint       *out_status,
                            char       **out_body,
                            GError     **error)
{
  static const char sql[] = "SELECT status, body FROM action_results WHERE id = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), FALSE);

  *out_status = 0;
  *out_body = NULL;
  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, action_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_status = sqlite3_column_int (stmt, 0);
      *out_body = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self->store, error, "Could not read the result of action %s",
                           action_id);
  return TRUE;
}

gboolean
fl_server_db_store_result (FlServerDb  *self,
                           const char  *action_id,
                           const char  *user,
                           guint        status,
                           const char  *body,
                           gint64       now,
                           GError     **error)
{
  static const char sql[] =
    "INSERT INTO action_results (id, user, status, body, created) VALUES (?1, ?2, ?3, ?4, ?5)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), FALSE);

  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, action_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, status);
  sqlite3_bind_text (stmt, 4, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _fl_store_fail (self->store, error, "Could not save the result of action %s",
                           action_id);
  return TRUE;
}

gboolean
fl_server_db_find_alert_action (FlServerDb  *self,
                                const char  *alert,
                                const char  *exclude_id,
                                FlAction   **out_action,
                                GError     **error)
{
  static const char sql[] =
    "SELECT id, alert, kind, created, created_by FROM actions"
    " WHERE alert = ?1 AND id <> ?2 ORDER BY created, id LIMIT 1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), FALSE);

  *out_action = NULL;
  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, alert, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, exclude_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_action = action_from_row (stmt);
  else if (rc != SQLITE_DONE)
    return _fl_store_fail (self->store, error, "Could not read the actions of alert %s", alert);
  return TRUE;
}

gboolean
fl_server_db_get_action (FlServerDb  *self,
                         const char  *action_id,
                         FlAction   **out_action,
                         GError     **error)
{
  static const char sql[] =
    "SELECT id, alert, kind, created, created_by FROM actions WHERE id = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_DB (self), FALSE);

  *out_action = NULL;
  if (!(stmt = _fl_store_prepare (self->store, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, action_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_action = action_from_row (stmt);
  else if (rc != SQLITE_DONE)
    return _fl_store_fail (self->store, error, "Could not read action %s", action_id);
  return TRUE;
}
