/* fl-store.c — the SQLite cache: schema, migrations, import/export, lookups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fl-dataset-private.h"
#include "fl-store-private.h"
#include "fl-sync-store.h"
#include "fl-time.h"

struct _FlStore
{
  GObject     parent_instance;

  /* owned */
  char       *path;
  sqlite3    *db;
  GHashTable *stmts;          /* const char *sql (borrowed literal) → sqlite3_stmt* */
  GTimeZone  *tz;
  char       *province_code;
  char       *province_name;
  gboolean    empty;

  /* fl_store_begin() nesting: 0 outside a transaction, then 1 + savepoints */
  guint       tx_depth;
  gboolean    tx_changed;     /* emit "changed" when the outermost one commits */
  gboolean    tx_doomed;      /* an inner level rolled back: the commit fails */
  /* bulk merges (_fl_store_add_merged_visits) */
  gint64      tx_visits_at_start;   /* -1: not read yet */
  gint64      tx_visits_merged;
  GPtrArray  *deferred_indexes;     /* CREATE INDEX statements to run before COMMIT */
  GPtrArray  *deferred_triggers;    /* the visit summary's, likewise */
  gboolean    tx_bulk;              /* the page cache is raised until the end */
  guint       cache_kib;            /* the page cache outside bulk writes */
  /* fl_store_begin_bulk_load(): mirrors the meta key META_BULK_LOAD */
  gboolean    bulk_load;
  GCancellable *cancellable;        /* fl_store_set_cancellable() */
};

G_DEFINE_FINAL_TYPE (FlStore, fl_store, G_TYPE_OBJECT)

static char     *dup_bulk_marker  (FlStore     *self,
                                   GError     **error);
static gboolean  bulk_owner_alive (const char  *marker);

/* Page cache of a connection, and of one running an import (index builds). */
#define CACHE_KIB 2048
#define IMPORT_CACHE_KIB 65536

/* A transaction that merges at least this many visits, and at least as many
 * as the table held when it began, builds the indexes below once at its
 * commit instead of row by row (see _fl_store_add_merged_visits()). */
#define BULK_MIN_VISITS 20000

static const char * const bulk_indexes[] = {
  "visits_by_customer", "visits_by_rep", "pitches_by_week",
};

/* What a bulk load spanning transactions drops (fl_store_begin_bulk_load()):
 * every secondary index of visits and pitches whose rows a pull from scratch
 * inserts in random order. pitches_by_visit stays (pitches arrive in visit
 * order, and merges delete a visit's pitches through it), as do the UNIQUE
 * indexes (the merge looks ids up). */
static const char * const bulk_load_indexes[] = {
  "visits_by_customer", "visits_by_rep", "visits_by_start", "visits_by_uploaded",
  "pitches_by_week",
};

/* Meta key of a bulk load in progress: the SQL that ends it. */
#define META_BULK_LOAD "store.bulk_load"

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Schema migrations: entry i brings the schema from version i to i + 1.
 * Never edit a released entry; append a new one and bump
 * FL_STORE_SCHEMA_VERSION.
 *
 * Pitches are denormalised with their visit's start and ISO week (in the
 * dataset's time zone), the rep, the rep's region and the product's
 * category, so that the gap rule is one aggregate that SQLite streams from
 * the covering index pitches_by_week (no sort, ~200 result rows).
 * visits_by_customer covers the churn rule's exact query.
 *
 * Version 2 adds customer_visits, the summary of each customer's two most
 * recent visits (see fl-store-private.h), kept by triggers on visits, and an
 * index on visits.uploaded for fl_store_get_newest_upload().
 *
 * Version 3 is for sync. A pulled page may hold visits whose rep or product
 * is not (yet) in the cache: their pitches keep NULL in region or category
 * (the gap rule skips them) until the rep or product arrives, when the merge
 * fills them in (see fl-sync-store.c). SQLite cannot drop NOT NULL in place,
 * so pitches is rebuilt. It also adds the outbox of locally created actions,
 * and makes the visit summary's triggers cheaper for merges: an inserted
 * visit updates its customer's row from that row alone, an update that does
 * not touch the summary's columns does nothing. */

/* The two most recent visits (start, then id, descending: the order of the
 * churn rule) of the customers whose visits match @where, one row each. */
#define SUMMARY_COLUMNS \
  "customer, last_id, last_start, last_achieved, before_id, before_start, before_achieved"
#define SUMMARY_SELECT(where) \
  "SELECT customer, max (CASE n WHEN 1 THEN id END), max (CASE n WHEN 1 THEN start END), " \
  "max (CASE n WHEN 1 THEN achieved END), max (CASE n WHEN 2 THEN id END), " \
  "max (CASE n WHEN 2 THEN start END), max (CASE n WHEN 2 THEN achieved END) " \
  "FROM (SELECT customer, id, start, prev_action_achieved AS achieved, row_number () OVER " \
  "(PARTITION BY customer ORDER BY start DESC, id DESC) AS n FROM visits " where ") " \
  "WHERE n <= 2 GROUP BY customer"
#define SUMMARY_REFRESH(customer) \
  "DELETE FROM customer_visits WHERE customer = " customer ";" \
  "INSERT INTO customer_visits (" SUMMARY_COLUMNS ") " \
  SUMMARY_SELECT ("WHERE customer = " customer) ";"

/* NEW, a visit just inserted, becomes its customer's last visit when it is
 * more recent than the last one, or the one before when it is more recent
 * than that one (or there was a single visit). */
#define SUMMARY_NEWER(start, id) "(excluded.last_start, excluded.last_id) > (" start ", " id ")"
#define SUMMARY_INSERT \
  "INSERT INTO customer_visits (" SUMMARY_COLUMNS ") " \
  "VALUES (NEW.customer, NEW.id, NEW.start, NEW.prev_action_achieved, NULL, NULL, NULL) " \
  "ON CONFLICT (customer) DO UPDATE SET " \
  "before_id = CASE WHEN " SUMMARY_NEWER ("last_start", "last_id") \
  "  THEN last_id ELSE excluded.last_id END, " \
  "before_start = CASE WHEN " SUMMARY_NEWER ("last_start", "last_id") \
  "  THEN last_start ELSE excluded.last_start END, " \
  "before_achieved = CASE WHEN " SUMMARY_NEWER ("last_start", "last_id") \
  "  THEN last_achieved ELSE excluded.last_achieved END, " \
  "last_id = CASE WHEN " SUMMARY_NEWER ("last_start", "last_id") \
  "  THEN excluded.last_id ELSE last_id END, " \
  "last_start = CASE WHEN " SUMMARY_NEWER ("last_start", "last_id") \
  "  THEN excluded.last_start ELSE last_start END, " \
  "last_achieved = CASE WHEN " SUMMARY_NEWER ("last_start", "last_id") \
  "  THEN excluded.last_achieved ELSE last_achieved END " \
  "WHERE before_id IS NULL OR " SUMMARY_NEWER ("before_start", "before_id") ";"

/* The whole summary: for each customer, its two latest visits found through
 * visits_by_customer read backwards (3× faster than SUMMARY_SELECT's window
 * over every visit, which sorts them all; same rows). */
static const char summary_rebuild_sql[] =
  "DELETE FROM customer_visits;"
  "INSERT INTO customer_visits (" SUMMARY_COLUMNS ") "
  "SELECT c.customer, v1.id, v1.start, v1.prev_action_achieved, "
  "       v2.id, v2.start, v2.prev_action_achieved "
  "FROM (SELECT d.customer, "
  "        (SELECT rowid FROM visits WHERE customer = d.customer "
  "         ORDER BY start DESC, id DESC LIMIT 1) AS r1, "
  "        (SELECT rowid FROM visits WHERE customer = d.customer "
  "         ORDER BY start DESC, id DESC LIMIT 1 OFFSET 1) AS r2 "
  "      FROM (SELECT DISTINCT customer FROM visits) AS d) AS c "
  "JOIN visits AS v1 ON v1.rowid = c.r1 "
  "LEFT JOIN visits AS v2 ON v2.rowid = c.r2;";

static const char * const migrations[] = {
  /* 0 → 1: initial schema */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE regions ("
  "  code            TEXT NOT NULL UNIQUE,"
  "  name            TEXT NOT NULL,"
  "  has_label_point INTEGER NOT NULL,"
  "  label_x         REAL NOT NULL,"
  "  label_y         REAL NOT NULL,"
  "  geometry        TEXT NOT NULL);"
  "CREATE TABLE reps ("
  "  id     TEXT NOT NULL UNIQUE,"
  "  name   TEXT NOT NULL,"
  "  region TEXT NOT NULL,"
  "  phone  TEXT);"
  "CREATE INDEX reps_by_region ON reps (region);"
  "CREATE TABLE categories ("
  "  id              TEXT NOT NULL UNIQUE,"
  "  name            TEXT NOT NULL,"
  "  avg_order_value REAL NOT NULL);"
  "CREATE TABLE products ("
  "  id       TEXT NOT NULL UNIQUE,"
  "  name     TEXT NOT NULL,"
  "  category TEXT NOT NULL);"
  "CREATE TABLE customers ("
  "  id          TEXT NOT NULL UNIQUE,"
  "  name        TEXT NOT NULL,"
  "  region      TEXT NOT NULL,"
  "  owner_rep   TEXT NOT NULL,"
  "  tier        TEXT NOT NULL,"
  "  lat         REAL,"
  "  lon         REAL,"
  "  revenue_90d REAL NOT NULL);"
  "CREATE INDEX customers_by_region ON customers (region);"
  "CREATE TABLE health ("
  "  customer               TEXT NOT NULL,"
  "  week                   TEXT NOT NULL,"
  "  cooperation_stability  INTEGER NOT NULL,"
  "  new_product_acceptance INTEGER NOT NULL,"
  "  competitor_penetration INTEGER NOT NULL,"
  "  sell_through           INTEGER NOT NULL,"
  "  inventory_health       INTEGER NOT NULL,"
  "  payment_punctuality    INTEGER NOT NULL);"
  "CREATE INDEX health_by_customer ON health (customer, week);"
  "CREATE TABLE visits ("
  "  id                   TEXT NOT NULL UNIQUE,"
  "  customer             TEXT NOT NULL,"
  "  rep                  TEXT NOT NULL,"
  "  start                INTEGER NOT NULL,"
  "  \"end\"                INTEGER NOT NULL,"
  "  uploaded             INTEGER NOT NULL,"
  "  pain_keywords        TEXT NOT NULL,"      /* JSON array of strings */
  "  committed_action     TEXT NOT NULL,"
  "  next_follow_up       INTEGER,"
  "  prev_action_achieved INTEGER,"            /* 1, 0 or NULL */
  "  photos               INTEGER,"
  "  competitor_price     REAL,"
  "  shelf_share          REAL);"
  "CREATE INDEX visits_by_customer ON visits (customer, start, id, prev_action_achieved);"
  "CREATE INDEX visits_by_start ON visits (start);"
  "CREATE INDEX visits_by_rep ON visits (rep, start);"
  "CREATE TABLE pitches ("
  "  visit    INTEGER NOT NULL,"                /* visits.rowid */
  "  product  TEXT NOT NULL,"
  "  signed   INTEGER NOT NULL,"
  "  start    INTEGER NOT NULL,"                /* the visit's start */
  "  week     INTEGER NOT NULL,"                /* its ISO week's Monday 00:00 (meta timezone) */
  "  rep      TEXT NOT NULL,"                   /* the visit's rep */
  "  region   TEXT NOT NULL,"                   /* the rep's region */
  "  category TEXT NOT NULL);"                  /* the product's category */
  "CREATE INDEX pitches_by_visit ON pitches (visit);"
  "CREATE INDEX pitches_by_week ON pitches (week, region, category, signed);"
  "CREATE TABLE opportunities ("
  "  id                 TEXT NOT NULL UNIQUE,"
  "  customer           TEXT NOT NULL,"
  "  value              REAL NOT NULL,"
  "  stage              TEXT NOT NULL,"
  "  custom_requirement INTEGER NOT NULL,"
  "  last_progress      INTEGER NOT NULL);"
  "CREATE INDEX opportunities_by_customer ON opportunities (customer);"
  "CREATE TABLE pilots ("
  "  id      TEXT NOT NULL UNIQUE,"
  "  title   TEXT NOT NULL,"
  "  regions TEXT NOT NULL,"                    /* JSON array of region codes */
  "  start   INTEGER NOT NULL,"                 /* day number */
  "  owner   TEXT NOT NULL);"
  "CREATE TABLE cases ("
  "  id                  TEXT NOT NULL UNIQUE,"
  "  category            TEXT NOT NULL,"
  "  region              TEXT NOT NULL,"
  "  customer_tier       TEXT,"
  "  product_category    TEXT,"
  "  pain_keyword        TEXT,"
  "  action_kind         TEXT NOT NULL,"
  "  resolved_within_14d INTEGER NOT NULL,"
  "  label               TEXT,"
  "  closed              INTEGER NOT NULL);"
  "CREATE TABLE actions ("
  "  id         TEXT NOT NULL UNIQUE,"
  "  alert      TEXT NOT NULL,"
  "  kind       TEXT NOT NULL,"
  "  created    INTEGER NOT NULL,"
  "  created_by TEXT NOT NULL);"
  "CREATE INDEX actions_by_alert ON actions (alert, created);",

  /* 1 → 2: the visit summary for the churn rule; the newest upload */
  "CREATE INDEX visits_by_uploaded ON visits (uploaded);"
  "CREATE TABLE customer_visits ("
  "  customer        TEXT NOT NULL UNIQUE,"
  "  last_id         TEXT NOT NULL,"             /* the most recent visit */
  "  last_start      INTEGER NOT NULL,"
  "  last_achieved   INTEGER,"                   /* its prev_action_achieved */
  "  before_id       TEXT,"                      /* the one before, or NULL */
  "  before_start    INTEGER,"
  "  before_achieved INTEGER);"
  "CREATE INDEX customer_visits_by_last_start ON customer_visits (last_start, customer);"
  "CREATE INDEX customer_visits_churn ON customer_visits (last_start) "
  "  WHERE last_achieved = 0 AND before_achieved = 0;"
  "CREATE TRIGGER visits_summary_insert AFTER INSERT ON visits BEGIN "
  SUMMARY_REFRESH ("NEW.customer")
  "END;"
  "CREATE TRIGGER visits_summary_delete AFTER DELETE ON visits BEGIN "
  SUMMARY_REFRESH ("OLD.customer")
  "END;"
  "CREATE TRIGGER visits_summary_update "
  "  AFTER UPDATE OF id, customer, start, prev_action_achieved ON visits BEGIN "
  SUMMARY_REFRESH ("OLD.customer")
  SUMMARY_REFRESH ("NEW.customer")
  "END;"
  "INSERT INTO customer_visits (" SUMMARY_COLUMNS ") " SUMMARY_SELECT ("") ";",

  /* 2 → 3: sync (pitches of unknown reps and products; the outbox) */
  "CREATE TABLE pitches_v3 ("
  "  visit    INTEGER NOT NULL,"
  "  product  TEXT NOT NULL,"
  "  signed   INTEGER NOT NULL,"
  "  start    INTEGER NOT NULL,"
  "  week     INTEGER NOT NULL,"
  "  rep      TEXT NOT NULL,"
  "  region   TEXT,"                            /* NULL: the rep is not in the cache */
  "  category TEXT);"                           /* NULL: the product is not in the cache */
  "INSERT INTO pitches_v3 (rowid, visit, product, signed, start, week, rep, region, category) "
  "  SELECT rowid, visit, product, signed, start, week, rep, region, category FROM pitches;"
  "DROP TABLE pitches;"
  "ALTER TABLE pitches_v3 RENAME TO pitches;"
  "CREATE INDEX pitches_by_visit ON pitches (visit);"
  "CREATE INDEX pitches_by_week ON pitches (week, region, category, signed);"
  "CREATE INDEX pitches_unresolved ON pitches (product) WHERE category IS NULL;"
  /* A visit inserted updates its customer's summary from the summary alone
   * (a merge of a million visits would otherwise re-rank each customer's
   * visits once per visit); an update recomputes it only when one of the
   * summary's columns changed. */
  "DROP TRIGGER IF EXISTS visits_summary_insert;"
  "DROP TRIGGER IF EXISTS visits_summary_update;"
  "CREATE TRIGGER visits_summary_insert AFTER INSERT ON visits BEGIN "
  SUMMARY_INSERT
  "END;"
  "CREATE TRIGGER visits_summary_update "
  "  AFTER UPDATE OF id, customer, start, prev_action_achieved ON visits "
  "  WHEN (OLD.id, OLD.customer, OLD.start, OLD.prev_action_achieved) IS NOT "
  "       (NEW.id, NEW.customer, NEW.start, NEW.prev_action_achieved) BEGIN "
  SUMMARY_REFRESH ("OLD.customer")
  SUMMARY_REFRESH ("NEW.customer")
  "END;"
  /* IF NOT EXISTS: a test may fake an older file by lowering user_version */
  "CREATE TABLE IF NOT EXISTS outbox ("
  "  action_id   TEXT PRIMARY KEY NOT NULL,"
  "  seq         INTEGER NOT NULL UNIQUE,"     /* creation order */
  "  alert       TEXT NOT NULL,"                /* the action's fields, kept after a */
  "  kind        TEXT NOT NULL,"                /* rejection deleted it from actions */
  "  created     INTEGER NOT NULL,"
  "  created_by  TEXT NOT NULL,"
  "  state       TEXT NOT NULL,"                /* queued, sent, accepted, rejected */
  "  attempts    INTEGER NOT NULL,"
  "  not_before  INTEGER NOT NULL,"
  "  reason_code TEXT,"
  "  reason      TEXT);",

  /* 3 → 4: the weekly key-action lists, kept per ISO week (fl-weekly.c); they
   * were created on first use before. */
  "CREATE TABLE IF NOT EXISTS weekly_lists ("
  "  week      TEXT PRIMARY KEY NOT NULL,"
  "  generated INTEGER NOT NULL,"
  "  json      TEXT NOT NULL);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == FL_STORE_SCHEMA_VERSION);

/* Every table of the content, in dependency order: what an import replaces. */
static const char * const tables[] = {
  "meta", "regions", "reps", "categories", "products", "customers", "health",
  "visits", "pitches", "opportunities", "pilots", "cases", "actions", "customer_visits",
};

/* The sync state an import keeps; with tables[], the whitelist of fl_store_count(). */
static const char * const sync_tables[] = {
  "outbox",
};

/* Helpers */

static void
replace_str (char       **ptr,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*ptr);
  *ptr = copy;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

gboolean
_fl_store_fail (FlStore     *self,
                GError     **error,
                const char  *format,
                ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, FL_ERROR, FL_ERROR_STORE, "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3 *
_fl_store_get_db (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  return self->db;
}

FlCachedStmt *
_fl_store_prepare (FlStore     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (self->stmts, sql);
  if (stmt != NULL)
    return stmt;

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _fl_store_fail (self, error, _("Could not prepare a query of the cache"));
      g_debug ("Failed statement: %s", sql);
      return NULL;
    }

  g_hash_table_insert (self->stmts, (gpointer) sql, stmt);
  return stmt;
}

static gboolean
exec_sql (FlStore     *self,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _fl_store_fail (self, error, "%s", what);
  return TRUE;
}

gboolean
_fl_store_rebuild_visit_summary (FlStore  *self,
                                 GError  **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);

  return exec_sql (self, summary_rebuild_sql, _("Could not summarize the visits"), error);
}

/* Runs a cached statement that returns no rows. */
static gboolean
step_done (FlStore      *self,
           sqlite3_stmt *stmt)
{
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
begin (FlStore  *self,
       GError  **error)
{
  return exec_sql (self, "BEGIN IMMEDIATE", _("Could not start a transaction"), error);
}

static gboolean
commit (FlStore  *self,
        GError  **error)
{
  return exec_sql (self, "COMMIT", _("Could not commit a transaction"), error);
}

static void
rollback (FlStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
get_user_version (FlStore  *self,
                  GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int version;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      _fl_store_fail (self, error, _("Could not read the schema version of the cache %s"),
                      self->path ? self->path : ":memory:");
      return -1;
    }

  version = sqlite3_column_int (stmt, 0);
  return version;
}

static gboolean
migrate (FlStore  *self,
         GError  **error)
{
  int version;

  version = get_user_version (self, error);
  if (version < 0)
    return FALSE;

  if (version > FL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                   _("The cache %s was written by a newer version of Fieldlight "
                     "(schema version %d; this version understands up to %d)"),
                   self->path ? self->path : ":memory:", version, FL_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (; version < FL_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = NULL;
      g_autofree char *what = NULL;

      what = g_strdup_printf (_("Could not upgrade the cache to schema version %d"), version + 1);
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!begin (self, error))
        return FALSE;
      if (!exec_sql (self, migrations[version], what, error) ||
          !exec_sql (self, set_version, what, error) ||
          !commit (self, error))
        {
          rollback (self);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
load_meta (FlStore  *self,
           GError  **error)
{
  static const char sql[] = "SELECT key, value FROM meta";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autofree char *tz_name = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  g_clear_pointer (&self->province_code, g_free);
  g_clear_pointer (&self->province_name, g_free);
  self->bulk_load = FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (g_strcmp0 (key, "timezone") == 0)
        replace_str (&tz_name, value);
      else if (g_strcmp0 (key, "province_code") == 0)
        replace_str (&self->province_code, value);
      else if (g_strcmp0 (key, "province_name") == 0)
        replace_str (&self->province_name, value);
      else if (g_strcmp0 (key, META_BULK_LOAD) == 0)
        self->bulk_load = TRUE;
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read the cache’s settings"));

  g_clear_pointer (&self->tz, g_time_zone_unref);
  self->empty = tz_name == NULL;
  if (tz_name != NULL)
    self->tz = g_time_zone_new_identifier (tz_name);
  if (self->tz == NULL)
    self->tz = g_time_zone_new_utc ();

  return TRUE;
}

/* A JSON array of strings, as the dataset file and SQLite's json_each() read it. */
static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
strv_to_json (const char * const *strv)
{
  GString *out = g_string_new ("[");

  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, strv[i]);
    }
  g_string_append_c (out, ']');

  return g_string_free (out, FALSE);
}

/* Reads what strv_to_json() wrote (and plain JSON escapes), calling @add
 * with each item decoded (in a buffer reused for the next); FALSE if
 * malformed. */
gboolean
_fl_store_parse_json_strv (const char       *json,
                           FlJsonStrvAddFunc add,
                           gpointer          user_data)
{
  g_autoptr(GString) item = g_string_new (NULL);
  const char *p = json;

  if (p == NULL || *p++ != '[')
    return FALSE;

  if (*p == ']')
    p++;
  else
    for (;;)
      {
        g_string_truncate (item, 0);
        if (*p++ != '"')
          return FALSE;

        while (*p != '"')
          {
            const char *run = p;

            if (*p == '\0')
              return FALSE;
            if (*p != '\\')
              {
                while (*p != '"' && *p != '\\' && *p != '\0')
                  p++;
                g_string_append_len (item, run, p - run);
                continue;
              }
            p++;
            switch (*p)
              {
              case '"': case '\\': case '/':
                g_string_append_c (item, *p);
                break;
              case 'b': g_string_append_c (item, '\b'); break;
              case 'f': g_string_append_c (item, '\f'); break;
              case 'n': g_string_append_c (item, '\n'); break;
              case 'r': g_string_append_c (item, '\r'); break;
              case 't': g_string_append_c (item, '\t'); break;
              case 'u':
                {
                  char hex[5] = { 0 };
                  guint64 code;

                  if (strnlen (p + 1, 4) < 4)
                    return FALSE;
                  memcpy (hex, p + 1, 4);
                  if (!g_ascii_string_to_unsigned (hex, 16, 0, 0xffff, &code, NULL) ||
                      (code >= 0xd800 && code <= 0xdfff))
                    return FALSE;
                  g_string_append_unichar (item, (gunichar) code);
                  p += 4;
                }
                break;
              default:
                return FALSE;
              }
            p++;
          }
        p++;
        add (item->str, item->len, user_data);

        if (*p == ',')
          p++;
        else if (*p == ']')
          {
            p++;
            break;
          }
        else
          return FALSE;
      }

  return *p == '\0';
}

static void
add_to_strv_builder (const char *item,
                     gsize       len,
                     gpointer    user_data)
{
  g_strv_builder_add (user_data, item);
}

/* NULL if malformed. */
static char **
strv_from_json (const char *json)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!_fl_store_parse_json_strv (json, add_to_strv_builder, builder))
    return NULL;
  return g_strv_builder_end (builder);
}

static void
bind_opt_text (sqlite3_stmt *stmt,
               int           index,
               const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_opt_double (sqlite3_stmt *stmt,
                 int           index,
                 gboolean      present,
                 double        value)
{
  if (present)
    sqlite3_bind_double (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
column_is_null (sqlite3_stmt *stmt,
                int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL;
}

static GArray *
new_health_array (void)
{
  return g_array_new (FALSE, TRUE, sizeof (FlHealth));
}

static void
clear_pitch (gpointer data)
{
  FlPitch *pitch = data;

  g_clear_pointer (&pitch->product, g_free);
}

static GArray *
new_pitch_array (void)
{
  GArray *pitches = g_array_new (FALSE, TRUE, sizeof (FlPitch));

  g_array_set_clear_func (pitches, clear_pitch);
  return pitches;
}

/* GObject */

static void
fl_store_finalize (GObject *object)
{
  FlStore *self = (FlStore *) object;

  g_clear_pointer (&self->stmts, g_hash_table_unref);
  g_clear_pointer (&self->deferred_indexes, g_ptr_array_unref);
  g_clear_pointer (&self->deferred_triggers, g_ptr_array_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->province_code, g_free);
  g_clear_pointer (&self->province_name, g_free);

  G_OBJECT_CLASS (fl_store_parent_class)->finalize (object);
}

static void
fl_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  FlStore *self = FL_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_store_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  FlStore *self = FL_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_store_class_init (FlStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_store_finalize;
  object_class->get_property = fl_store_get_property;
  object_class->set_property = fl_store_set_property;

  /**
   * FlStore:path:
   * The database file, or %NULL for a private in-memory cache.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FlStore::changed:
   * Emitted after the content changed through this store (an import, an
   * action added or removed), so that derived views can re-evaluate.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fl_store_init (FlStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       finalize_stmt);
  self->empty = TRUE;
  self->cache_kib = CACHE_KIB;
}

/* Public API */

/**
 * fl_store_open:
 * @path: (nullable): the database file (created if missing), or %NULL for a
 *   private in-memory cache
 * @error: return location for a #GError
 *
 * Opens the cache, creating or migrating its schema. A schema newer than
 * %FL_STORE_SCHEMA_VERSION is refused with %FL_ERROR_STORE.
 *
 * Returns: (transfer full): the store, or %NULL on error
 */
FlStore *
fl_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(FlStore) self = NULL;
  const char *filename = path != NULL ? path : ":memory:";
  static const char * const pragmas[] = {
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = OFF",
    "PRAGMA temp_store = MEMORY",
    /* INSERT OR REPLACE of a visit then fires the delete trigger of the
     * summary for the row it replaces (the triggers do not recurse). */
    "PRAGMA recursive_triggers = ON",
    /* Resident memory: the rules read a few MiB (the churn rule reads the
     * visit summary, not the visits), and mapped file pages count in RSS as
     * much as the page cache does. The import raises the cache while it runs. */
    "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB),
    "PRAGMA mmap_size = 0",
  };

  self = g_object_new (FL_TYPE_STORE, "path", path, NULL);

  if (sqlite3_open_v2 (filename, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      if (self->db == NULL)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                       _("Could not open the cache %s: out of memory"), filename);
          return NULL;
        }
      _fl_store_fail (self, error, _("Could not open the cache %s"), filename);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  for (guint i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      g_autofree char *what = g_strdup_printf (_("Could not configure the cache %s"), filename);

      if (!exec_sql (self, pragmas[i], what, error))
        return NULL;
    }

  if (!migrate (self, error) || !load_meta (self, error))
    return NULL;

  if (self->bulk_load)
    {
      g_autofree char *marker = dup_bulk_marker (self, NULL);

      /* A bulk load is running on another connection (a sync's worker):
       * leave it alone; this one was not begun here. */
      self->bulk_load = FALSE;
      if (marker != NULL && bulk_owner_alive (marker))
        return g_steal_pointer (&self);

      /* It was interrupted (the process died during a big pull): what it
       * has committed stays, and the cache gets its indexes back. */
      self->bulk_load = TRUE;
      g_debug ("Ending the interrupted bulk load of %s", filename);
      if (!fl_store_begin (self, error))
        return NULL;
      if (!fl_store_end_bulk_load (self, error) || !fl_store_commit (self, error))
        {
          fl_store_rollback (self);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/* SQLite's progress handler: a non-zero return stops the statement running
 * (SQLITE_INTERRUPT). Unlike sqlite3_interrupt () it cannot miss a statement
 * that starts just after the cancellation. */
static int
_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data));
}

/* Instructions of the SQLite VM between two looks at the cancellable. */
#define PROGRESS_STEPS 4096

/**
 * fl_store_set_cancellable:
 * @cancellable: (nullable): stops the connection's statements once cancelled
 *
 * For a worker's connection: cancelling the work it runs (a page replaced by
 * another, a region switched) stops its query instead of letting it run to
 * the end on a core the window needs. A statement stopped so fails like any
 * other (its caller's error), with SQLite's "interrupted".
 */
void
fl_store_set_cancellable (FlStore      *self,
                          GCancellable *cancellable)
{
  g_return_if_fail (FL_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!g_set_object (&self->cancellable, cancellable))
    return;
  if (cancellable != NULL)
    sqlite3_progress_handler (self->db, PROGRESS_STEPS, _progress_cb, cancellable);
  else
    sqlite3_progress_handler (self->db, 0, NULL, NULL);
}

const char *
fl_store_get_path (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  return self->path;
}

/**
 * fl_store_is_empty:
 * Returns: %TRUE until a dataset has been imported
 */
gboolean
fl_store_is_empty (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), TRUE);
  return self->empty;
}

/**
 * fl_store_get_time_zone:
 * Returns: (transfer none): the dataset's time zone (UTC while empty)
 */
GTimeZone *
fl_store_get_time_zone (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  return self->tz;
}

const char *
fl_store_get_province_code (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  return self->province_code;
}

const char *
fl_store_get_province_name (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  return self->province_name;
}

/* Transactions */

static GPtrArray *drop_derived (FlStore     *self,
                                const char  *type,
                                GError     **error);

/* Back to the normal page cache after a bulk merge. */
static void
end_bulk (FlStore *self)
{
  if (self->tx_bulk)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%u", self->cache_kib);

      exec_sql (self, sql, "", NULL);
    }
  self->tx_bulk = FALSE;
  g_clear_pointer (&self->deferred_indexes, g_ptr_array_unref);
  g_clear_pointer (&self->deferred_triggers, g_ptr_array_unref);
}

/* Recreates what _fl_store_add_merged_visits() dropped. IF NOT EXISTS: a
 * savepoint rolled back since may have brought some back. */
static gboolean
build_deferred_indexes (FlStore  *self,
                        GError  **error)
{
  gint64 start = g_get_monotonic_time ();
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < self->deferred_indexes->len; i++)
    ok = exec_sql (self, g_ptr_array_index (self->deferred_indexes, i),
                   _("Could not index the cache"), error);
  ok = ok && _fl_store_rebuild_visit_summary (self, error);
  for (guint i = 0; ok && i < self->deferred_triggers->len; i++)
    ok = exec_sql (self, g_ptr_array_index (self->deferred_triggers, i),
                   _("Could not restore the triggers of the cache"), error);

  if (ok)
    {
      g_debug ("Built the deferred indexes and visit summary in %.0f ms",
               (g_get_monotonic_time () - start) / 1000.0);
      g_clear_pointer (&self->deferred_indexes, g_ptr_array_unref);
      g_clear_pointer (&self->deferred_triggers, g_ptr_array_unref);
    }
  return ok;
}

/* Drops the indexes named (those that exist) and returns the statements
 * that create them again (IF NOT EXISTS). */
static GPtrArray *
drop_indexes (FlStore            *self,
              const char * const *names,
              guint               n_names,
              GError            **error)
{
  static const char schema_sql[] =
    "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1";
  g_autoptr(GPtrArray) create = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_names; i++)
    {
      g_autoptr(FlCachedStmt) stmt = NULL;
      g_autofree char *drop = NULL;
      const char *sql;

      if (!(stmt = _fl_store_prepare (self, schema_sql, error)))
        return NULL;
      sqlite3_bind_text (stmt, 1, names[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        continue;   /* dropped already */
      sql = (const char *) sqlite3_column_text (stmt, 0);
      if (!g_str_has_prefix (sql, "CREATE INDEX "))
        continue;
      g_ptr_array_add (create, g_strconcat ("CREATE INDEX IF NOT EXISTS ",
                                            sql + strlen ("CREATE INDEX "), NULL));
      g_clear_pointer (&stmt, _fl_cached_stmt_release);

      drop = g_strdup_printf ("DROP INDEX \"%s\"", names[i]);
      if (!exec_sql (self, drop, _("Could not prepare the cache for a bulk merge"), error))
        return NULL;
    }

  return g_steal_pointer (&create);
}

gboolean
_fl_store_add_merged_visits (FlStore  *self,
                             guint     n,
                             GError  **error)
{
  static const char count_sql[] = "SELECT coalesce (max (rowid), 0) FROM visits";
  g_autoptr(GPtrArray) create = NULL;

  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  self->tx_visits_merged += n;
  if (self->bulk_load || self->deferred_indexes != NULL
      || self->tx_visits_merged < BULK_MIN_VISITS)
    return TRUE;

  if (self->tx_visits_at_start < 0)
    {
      g_autoptr(FlCachedStmt) stmt = NULL;

      /* Its largest rowid, not its count: a lookup, not a scan (and the
       * visits of this transaction are counted too, which only delays). */
      if (!(stmt = _fl_store_prepare (self, count_sql, error)))
        return FALSE;
      if (sqlite3_step (stmt) != SQLITE_ROW)
        return _fl_store_fail (self, error, _("Could not count the visits"));
      self->tx_visits_at_start = sqlite3_column_int64 (stmt, 0);
    }
  if (self->tx_visits_merged < self->tx_visits_at_start)
    return TRUE;

  if (!(create = drop_indexes (self, bulk_indexes, G_N_ELEMENTS (bulk_indexes), error)))
    return FALSE;

  /* The visit summary too: its triggers cost more than the inserts. */
  if (!(self->deferred_triggers = drop_derived (self, "trigger", error)))
    return FALSE;

  g_debug ("Bulk merge: %" G_GINT64_FORMAT " visits in a transaction that began with %"
           G_GINT64_FORMAT "; %u indexes and the visit summary deferred to its commit",
           self->tx_visits_merged, self->tx_visits_at_start, create->len);
  self->deferred_indexes = g_steal_pointer (&create);

  /* Fewer dirty pages written to the WAL and read back before the commit. */
  self->tx_bulk = exec_sql (self, "PRAGMA cache_size = -" G_STRINGIFY (IMPORT_CACHE_KIB), "",
                            NULL);
  return TRUE;
}

static const char *
bulk_owner_line (void)
{
  static char line[32];

  if (line[0] == '\0')
    g_snprintf (line, sizeof line, "-- pid %ld", (long) getpid ());
  return line;
}

/* The bulk load recorded in the cache, or NULL with *@error unset when there
 * is none. */
static char *
dup_bulk_marker (FlStore  *self,
                 GError  **error)
{
  static const char get_sql[] = "SELECT value FROM meta WHERE key = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, get_sql, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, META_BULK_LOAD, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return column_dup (stmt, 0);
  if (rc != SQLITE_DONE)
    _fl_store_fail (self, error, _("Could not read the state of a bulk load"));
  return NULL;
}

/* Whether the process that began the bulk load @marker still runs. */
static gboolean
bulk_owner_alive (const char *marker)
{
  long pid = 0;

  if (sscanf (marker, "-- pid %ld", &pid) != 1 || pid <= 0)
    return FALSE;
  if ((pid_t) pid == getpid ())
    return TRUE;
  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

gboolean
_fl_store_check_not_bulk_loading (FlStore  *self,
                                  GError  **error)
{
  g_autofree char *marker = NULL;
  g_autoptr(GError) local_error = NULL;

  marker = dup_bulk_marker (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (marker != NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_CONFLICT,
                   _("The cache is being filled by a sync; try again when it has finished"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_bulk_marker (FlStore     *self,
                   const char  *sql,
                   GError     **error)
{
  static const char set_sql[] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)";
  static const char delete_sql[] = "DELETE FROM meta WHERE key = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql != NULL ? set_sql : delete_sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, META_BULK_LOAD, -1, SQLITE_STATIC);
  if (sql != NULL)
    sqlite3_bind_text (stmt, 2, sql, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not save the state of a bulk load"));
  return TRUE;
}

/**
 * fl_store_begin_bulk_load:
 * @self: a #FlStore, in a transaction
 * @error: return location for a #GError
 *
 * Starts a bulk load that spans transactions (a pull of a whole data set,
 * page by page): drops the secondary indexes of visits and pitches and the
 * visit summary's triggers, and records in the cache how to build them
 * again, all in the open transaction. Until fl_store_end_bulk_load(), merges
 * only append, queries that need those indexes are slow or fail, and the
 * visit summary is stale: the rules must not run on the cache. Should the
 * process die in between, the next fl_store_open() ends the bulk load.
 * Does nothing when one is in progress.
 *
 * Returns: %TRUE on success (on error, roll the transaction back)
 */
gboolean
fl_store_begin_bulk_load (FlStore  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) indexes = NULL;
  g_autoptr(GPtrArray) triggers = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->bulk_load)
    return TRUE;

  if (!(indexes = drop_indexes (self, bulk_load_indexes, G_N_ELEMENTS (bulk_load_indexes),
                                error)))
    return FALSE;
  if (!(triggers = drop_derived (self, "trigger", error)))
    return FALSE;
  /* A bulk merge of this transaction dropped some already. */
  if (self->deferred_indexes != NULL)
    g_ptr_array_extend_and_steal (indexes, g_steal_pointer (&self->deferred_indexes));
  if (self->deferred_triggers != NULL)
    g_ptr_array_extend_and_steal (triggers, g_steal_pointer (&self->deferred_triggers));

  /* One script for sqlite3_exec(): the indexes, then the triggers (the
   * summary is rebuilt between them, see fl_store_end_bulk_load()). */
  for (guint i = 0; i < indexes->len; i++)
    g_string_append_printf (sql, "%s;\n", (char *) g_ptr_array_index (indexes, i));
  g_string_append (sql, "-- triggers\n");
  for (guint i = 0; i < triggers->len; i++)
    g_string_append_printf (sql, "%s;\n", (char *) g_ptr_array_index (triggers, i));

  /* Its first line names the process running it (see fl_store_open()). */
  g_string_prepend (sql, "\n");
  g_string_prepend (sql, bulk_owner_line ());
  if (!write_bulk_marker (self, sql->str, error))
    return FALSE;

  g_debug ("Bulk load: %u indexes and %u triggers dropped until its end",
           indexes->len, triggers->len);
  self->bulk_load = TRUE;
  return TRUE;
}

/**
 * fl_store_end_bulk_load:
 * @self: a #FlStore, in a transaction
 * @error: return location for a #GError
 *
 * Ends the bulk load of fl_store_begin_bulk_load() in the open transaction:
 * builds the indexes, the whole visit summary and its triggers again (a few
 * seconds at 1,000,000 visits). Does nothing when none is in progress.
 *
 * Returns: %TRUE on success (on error, roll the transaction back)
 */
gboolean
fl_store_end_bulk_load (FlStore  *self,
                        GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *cache = NULL;
  gint64 start = g_get_monotonic_time ();
  char *triggers;
  gboolean ok;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (!self->bulk_load)
    return TRUE;

  script = dup_bulk_marker (self, &local_error);
  if (script == NULL)
    {
      if (local_error == NULL)
        {
          /* Ended by another connection meanwhile. */
          self->bulk_load = FALSE;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Sorting for the index builds wants a big page cache. */
  exec_sql (self, "PRAGMA cache_size = -" G_STRINGIFY (IMPORT_CACHE_KIB), "", NULL);
  triggers = strstr (script, "-- triggers\n");
  if (triggers != NULL)
    {
      *triggers = '\0';
      triggers += strlen ("-- triggers\n");
    }
  ok = exec_sql (self, script, _("Could not index the cache"), error)
       && _fl_store_rebuild_visit_summary (self, error)
       && (triggers == NULL
           || exec_sql (self, triggers, _("Could not restore the triggers of the cache"), error))
       && write_bulk_marker (self, NULL, error);
  cache = g_strdup_printf ("PRAGMA cache_size = -%u", self->cache_kib);
  exec_sql (self, cache, "", NULL);
  if (!ok)
    return FALSE;

  g_debug ("Bulk load ended: indexes and visit summary built in %.0f ms",
           (g_get_monotonic_time () - start) / 1000.0);
  self->bulk_load = FALSE;
  _fl_store_changed (self);
  return TRUE;
}

gboolean
fl_store_get_bulk_load (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  return self->bulk_load;
}

/**
 * fl_store_begin:
 * @self: a #FlStore
 * @error: return location for a #GError
 *
 * Opens a transaction. Calls nest: inside an open transaction this only
 * counts, and each fl_store_begin() is matched by fl_store_commit() or
 * fl_store_rollback(). Nesting is flat (no savepoints: with a savepoint
 * open, SQLite journals every page first written, which made a bulk merge
 * in a transaction several times slower): rolling back an inner level
 * dooms the whole transaction, whose outermost commit then fails. The
 * "changed" signal of the writes made inside is emitted when the outermost
 * transaction commits.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_begin (FlStore  *self,
                GError  **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);

  if (self->tx_depth == 0)
    {
      if (!begin (self, error))
        return FALSE;
      self->tx_changed = FALSE;
      self->tx_doomed = FALSE;
      self->tx_visits_at_start = -1;
      self->tx_visits_merged = 0;
      end_bulk (self);
    }

  self->tx_depth++;
  return TRUE;
}

/**
 * fl_store_commit:
 * @self: a #FlStore
 * @error: return location for a #GError
 *
 * Ends the innermost level; the outermost one commits. On error the
 * transaction stays open: call fl_store_rollback().
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_commit (FlStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_doomed)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                   _("Could not commit a transaction: a part of it failed"));
      return FALSE;
    }

  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      return TRUE;
    }

  if (self->deferred_indexes != NULL && !build_deferred_indexes (self, error))
    return FALSE;
  if (!commit (self, error))
    return FALSE;

  self->tx_depth = 0;
  end_bulk (self);
  if (self->tx_changed)
    {
      self->tx_changed = FALSE;
      g_signal_emit (self, signals[CHANGED], 0);
    }
  return TRUE;
}

/**
 * fl_store_rollback:
 * @self: a #FlStore
 *
 * Ends the innermost level: the outermost one undoes everything written in
 * the transaction, an inner one dooms it (see fl_store_begin()).
 */
void
fl_store_rollback (FlStore *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FL_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth > 1)
    {
      self->tx_doomed = TRUE;
      self->tx_depth--;
      return;
    }

  /* SQLite may have rolled back by itself already (I/O error, full disk). */
  rollback (self);
  self->tx_depth = 0;
  self->tx_changed = FALSE;
  self->tx_doomed = FALSE;
  end_bulk (self);

  /* The time zone and province may have been changed by what was undone. */
  if (!load_meta (self, &error))
    g_warning ("%s", error->message);
}

void
_fl_store_changed (FlStore *self)
{
  if (self->tx_depth > 0)
    self->tx_changed = TRUE;
  else
    g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
_fl_store_reload_meta (FlStore  *self,
                       GError  **error)
{
  return load_meta (self, error);
}

gboolean
fl_store_reload_meta (FlStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth == 0, FALSE);

  return load_meta (self, error);
}

gboolean
_fl_store_in_transaction (FlStore *self)
{
  return self->tx_depth > 0;
}

/**
 * fl_store_set_cache_size:
 * @self: a #FlStore
 * @kib: the page cache of this connection, KiB
 *
 * For a connection that writes much (a sync's worker): merges into a big
 * cache touch index pages in random order, and a small page cache makes
 * each of them a read. Bulk writes raise it further while they run.
 */
void
fl_store_set_cache_size (FlStore *self,
                         guint    kib)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (FL_IS_STORE (self));

  self->cache_kib = MAX (kib, 256);
  if (self->tx_bulk)
    return;
  sql = g_strdup_printf ("PRAGMA cache_size = -%u", self->cache_kib);
  exec_sql (self, sql, "", NULL);
}

/* Import */

static gboolean
insert_meta (FlStore     *self,
             const char  *key,
             const char  *value,
             GError     **error)
{
  static const char sql[] = "INSERT INTO meta (key, value) VALUES (?1, ?2)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value != NULL ? value : "", -1, SQLITE_STATIC);
  if (!step_done (self, stmt))
    return _fl_store_fail (self, error, _("Could not import the setting “%s”"), key);
  return TRUE;
}

/* Row binders, shared by the import and the merge (fl-sync-store.c): each
 * binds ?1… in the order of its FL_STORE_*_COLUMNS list. */

gboolean
_fl_store_bind_region (sqlite3_stmt    *stmt,
                       const FlRegion  *region,
                       GError         **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (region->geometry == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("region %s: field “geometry” is missing"), region->code);
      return FALSE;
    }
  node = fl_geometry_to_json (region->geometry);

  sqlite3_bind_text (stmt, 1, region->code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, region->name, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, region->has_label_point ? 1 : 0);
  sqlite3_bind_double (stmt, 4, region->label_point.x);
  sqlite3_bind_double (stmt, 5, region->label_point.y);
  sqlite3_bind_text (stmt, 6, json_to_string (node, FALSE), -1, g_free);
  return TRUE;
}

void
_fl_store_bind_rep (sqlite3_stmt *stmt,
                    const FlRep  *rep)
{
  sqlite3_bind_text (stmt, 1, rep->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rep->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rep->region, -1, SQLITE_STATIC);
  bind_opt_text (stmt, 4, rep->phone);
}

void
_fl_store_bind_category (sqlite3_stmt            *stmt,
                         const FlProductCategory *category)
{
  sqlite3_bind_text (stmt, 1, category->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, category->name, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 3, category->avg_order_value);
}

void
_fl_store_bind_product (sqlite3_stmt    *stmt,
                        const FlProduct *product)
{
  sqlite3_bind_text (stmt, 1, product->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, product->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, product->category, -1, SQLITE_STATIC);
}

void
_fl_store_bind_customer (sqlite3_stmt     *stmt,
                         const FlCustomer *customer)
{
  char tier[2] = { customer->tier, '\0' };

  sqlite3_bind_text (stmt, 1, customer->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, customer->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, customer->region, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, customer->owner_rep, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, tier, -1, SQLITE_TRANSIENT);
  bind_opt_double (stmt, 6, customer->has_location, customer->lat);
  bind_opt_double (stmt, 7, customer->has_location, customer->lon);
  sqlite3_bind_double (stmt, 8, customer->revenue_90d);
}

void
_fl_store_bind_health (sqlite3_stmt   *stmt,
                       const char     *customer,
                       const FlHealth *health)
{
  sqlite3_bind_text (stmt, 1, customer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, health->week, -1, SQLITE_STATIC);
  for (int k = 0; k < FL_N_HEALTH_DIMENSIONS; k++)
    sqlite3_bind_int (stmt, 3 + k, health->scores[k]);
}

void
_fl_store_bind_visit (sqlite3_stmt  *stmt,
                      const FlVisit *visit)
{
  char *keywords = strv_to_json ((const char * const *) visit->pain_keywords);

  sqlite3_bind_text (stmt, 1, visit->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, visit->customer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, visit->rep, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, visit->start);
  sqlite3_bind_int64 (stmt, 5, visit->end);
  sqlite3_bind_int64 (stmt, 6, visit->uploaded);
  sqlite3_bind_text (stmt, 7, keywords, -1, g_free);
  sqlite3_bind_text (stmt, 8, visit->committed_action, -1, SQLITE_STATIC);
  if (visit->has_next_follow_up)
    sqlite3_bind_int64 (stmt, 9, visit->next_follow_up);
  else
    sqlite3_bind_null (stmt, 9);
  if (visit->prev_action_achieved == FL_ACHIEVED_NULL)
    sqlite3_bind_null (stmt, 10);
  else
    sqlite3_bind_int (stmt, 10, visit->prev_action_achieved == FL_ACHIEVED_TRUE);
  if (visit->photos >= 0)
    sqlite3_bind_int (stmt, 11, visit->photos);
  else
    sqlite3_bind_null (stmt, 11);
  bind_opt_double (stmt, 12, visit->has_competitor_price, visit->competitor_price);
  bind_opt_double (stmt, 13, visit->has_shelf_share, visit->shelf_share);
}

void
_fl_store_bind_pitch (sqlite3_stmt  *stmt,
                      sqlite3_int64  visit_rowid,
                      const FlVisit *visit,
                      const FlPitch *pitch,
                      gint64         week,
                      const char    *region,
                      const char    *category)
{
  sqlite3_bind_int64 (stmt, 1, visit_rowid);
  sqlite3_bind_text (stmt, 2, pitch->product, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, pitch->is_signed ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, visit->start);
  sqlite3_bind_int64 (stmt, 5, week);
  sqlite3_bind_text (stmt, 6, visit->rep, -1, SQLITE_STATIC);
  bind_opt_text (stmt, 7, region);
  bind_opt_text (stmt, 8, category);
}

void
_fl_store_bind_opportunity (sqlite3_stmt        *stmt,
                            const FlOpportunity *opportunity)
{
  sqlite3_bind_text (stmt, 1, opportunity->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, opportunity->customer, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 3, opportunity->value);
  sqlite3_bind_text (stmt, 4, fl_stage_to_string (opportunity->stage), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, opportunity->custom_requirement ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, opportunity->last_progress);
}

void
_fl_store_bind_pilot (sqlite3_stmt  *stmt,
                      const FlPilot *pilot)
{
  sqlite3_bind_text (stmt, 1, pilot->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, pilot->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, strv_to_json ((const char * const *) pilot->regions), -1, g_free);
  sqlite3_bind_int (stmt, 4, pilot->start);
  sqlite3_bind_text (stmt, 5, pilot->owner, -1, SQLITE_STATIC);
}

void
_fl_store_bind_case (sqlite3_stmt *stmt,
                     const FlCase *c)
{
  char tier[2] = { c->customer_tier, '\0' };

  sqlite3_bind_text (stmt, 1, c->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, fl_alert_category_to_string (c->category), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, c->region, -1, SQLITE_STATIC);
  if (c->customer_tier != 0)
    sqlite3_bind_text (stmt, 4, tier, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  bind_opt_text (stmt, 5, c->product_category);
  bind_opt_text (stmt, 6, c->pain_keyword);
  sqlite3_bind_text (stmt, 7, fl_action_kind_to_string (c->action_kind), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, c->resolved_within_14d ? 1 : 0);
  bind_opt_text (stmt, 9, c->label);
  sqlite3_bind_int64 (stmt, 10, c->closed);
}

void
_fl_store_bind_action (sqlite3_stmt   *stmt,
                       const FlAction *action)
{
  sqlite3_bind_text (stmt, 1, action->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, action->alert, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, fl_action_kind_to_string (action->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, action->created);
  sqlite3_bind_text (stmt, 5, action->created_by, -1, SQLITE_STATIC);
}

static gboolean
import_regions (FlStore    *self,
                GPtrArray  *regions,
                GError    **error)
{
  static const char sql[] =
    "INSERT INTO regions (" FL_STORE_REGION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  for (guint i = 0; i < regions->len; i++)
    {
      FlRegion *region = g_ptr_array_index (regions, i);

      if (!_fl_store_bind_region (stmt, region, error))
        return FALSE;
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import region %s"), region->code);
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
import_reps (FlStore    *self,
             GPtrArray  *reps,
             GError    **error)
{
  static const char sql[] = "INSERT INTO reps (" FL_STORE_REP_COLUMNS ") VALUES (?1, ?2, ?3, ?4)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  for (guint i = 0; i < reps->len; i++)
    {
      FlRep *rep = g_ptr_array_index (reps, i);

      _fl_store_bind_rep (stmt, rep);
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import rep %s"), rep->id);
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
import_categories (FlStore    *self,
                   GPtrArray  *categories,
                   GError    **error)
{
  static const char sql[] =
    "INSERT INTO categories (" FL_STORE_CATEGORY_COLUMNS ") VALUES (?1, ?2, ?3)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  for (guint i = 0; i < categories->len; i++)
    {
      FlProductCategory *category = g_ptr_array_index (categories, i);

      _fl_store_bind_category (stmt, category);
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import category %s"), category->id);
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
import_products (FlStore    *self,
                 GPtrArray  *products,
                 GError    **error)
{
  static const char sql[] =
    "INSERT INTO products (" FL_STORE_PRODUCT_COLUMNS ") VALUES (?1, ?2, ?3)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  for (guint i = 0; i < products->len; i++)
    {
      FlProduct *product = g_ptr_array_index (products, i);

      _fl_store_bind_product (stmt, product);
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import product %s"), product->id);
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
import_customers (FlStore    *self,
                  GPtrArray  *customers,
                  GError    **error)
{
  static const char sql[] =
    "INSERT INTO customers (" FL_STORE_CUSTOMER_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  static const char health_sql[] =
    "INSERT INTO health (" FL_STORE_HEALTH_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) health_stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)) ||
      !(health_stmt = _fl_store_prepare (self, health_sql, error)))
    return FALSE;

  for (guint i = 0; i < customers->len; i++)
    {
      FlCustomer *customer = g_ptr_array_index (customers, i);

      _fl_store_bind_customer (stmt, customer);
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import customer %s"), customer->id);
      sqlite3_reset (stmt);

      for (guint j = 0; customer->health != NULL && j < customer->health->len; j++)
        {
          const FlHealth *health = &g_array_index (customer->health, FlHealth, j);

          _fl_store_bind_health (health_stmt, customer->id, health);
          if (!step_done (self, health_stmt))
            return _fl_store_fail (self, error, _("Could not import customer %s: health week %s"),
                                   customer->id, health->week);
          sqlite3_reset (health_stmt);
        }
    }

  return TRUE;
}

static GHashTable *
index_strings (GPtrArray *array,
               gsize      key_offset,
               gsize      value_offset)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < array->len; i++)
    {
      char *element = g_ptr_array_index (array, i);

      g_hash_table_insert (index, G_STRUCT_MEMBER (char *, element, key_offset),
                           G_STRUCT_MEMBER (char *, element, value_offset));
    }

  return index;
}

static gboolean
import_visits (FlStore    *self,
               FlDataset  *dataset,
               GTimeZone  *tz,
               GError    **error)
{
  static const char sql[] =
    "INSERT INTO visits (" FL_STORE_VISIT_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
  static const char pitch_sql[] =
    "INSERT INTO pitches (" FL_STORE_PITCH_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) pitch_stmt = NULL;
  g_autoptr(GHashTable) rep_region = NULL;
  g_autoptr(GHashTable) product_category = NULL;
  GPtrArray *visits = dataset->visits;

  if (!(stmt = _fl_store_prepare (self, sql, error)) ||
      !(pitch_stmt = _fl_store_prepare (self, pitch_sql, error)))
    return FALSE;

  rep_region = index_strings (dataset->reps, G_STRUCT_OFFSET (FlRep, id),
                              G_STRUCT_OFFSET (FlRep, region));
  product_category = index_strings (dataset->products, G_STRUCT_OFFSET (FlProduct, id),
                                    G_STRUCT_OFFSET (FlProduct, category));

  for (guint i = 0; i < visits->len; i++)
    {
      FlVisit *visit = g_ptr_array_index (visits, i);
      const char *region;
      sqlite3_int64 rowid;
      gint64 week = 0;

      region = g_hash_table_lookup (rep_region, visit->rep);
      if (region == NULL)
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("visit %s: field “rep”: no rep has the id “%s”"),
                       visit->id, visit->rep);
          return FALSE;
        }

      _fl_store_bind_visit (stmt, visit);
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import visit %s"), visit->id);
      sqlite3_reset (stmt);

      rowid = sqlite3_last_insert_rowid (self->db);
      if (visit->pitches != NULL && visit->pitches->len > 0)
        week = fl_iso_week_start (visit->start, tz);

      for (guint j = 0; visit->pitches != NULL && j < visit->pitches->len; j++)
        {
          const FlPitch *pitch = &g_array_index (visit->pitches, FlPitch, j);
          const char *category = g_hash_table_lookup (product_category, pitch->product);

          if (category == NULL)
            {
              g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                           _("visit %s: pitches[%u]: field “product”: "
                             "no product has the id “%s”"),
                           visit->id, j, pitch->product);
              return FALSE;
            }

          _fl_store_bind_pitch (pitch_stmt, rowid, visit, pitch, week, region, category);
          if (!step_done (self, pitch_stmt))
            return _fl_store_fail (self, error, _("Could not import visit %s: pitches[%u]"),
                                   visit->id, j);
          sqlite3_reset (pitch_stmt);
        }
    }

  return TRUE;
}

static gboolean
import_opportunities (FlStore    *self,
                      GPtrArray  *opportunities,
                      GError    **error)
{
  static const char sql[] =
    "INSERT INTO opportunities (" FL_STORE_OPPORTUNITY_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  for (guint i = 0; i < opportunities->len; i++)
    {
      FlOpportunity *opportunity = g_ptr_array_index (opportunities, i);

      _fl_store_bind_opportunity (stmt, opportunity);
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import opportunity %s"),
                               opportunity->id);
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
import_pilots (FlStore    *self,
               GPtrArray  *pilots,
               GError    **error)
{
  static const char sql[] =
    "INSERT INTO pilots (" FL_STORE_PILOT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  for (guint i = 0; i < pilots->len; i++)
    {
      FlPilot *pilot = g_ptr_array_index (pilots, i);

      _fl_store_bind_pilot (stmt, pilot);
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import pilot %s"), pilot->id);
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
import_cases (FlStore    *self,
              GPtrArray  *cases,
              GError    **error)
{
  static const char sql[] =
    "INSERT INTO cases (" FL_STORE_CASE_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  g_autoptr(FlCachedStmt) stmt = NULL;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  for (guint i = 0; i < cases->len; i++)
    {
      FlCase *c = g_ptr_array_index (cases, i);

      _fl_store_bind_case (stmt, c);
      if (!step_done (self, stmt))
        return _fl_store_fail (self, error, _("Could not import case %s"), c->id);
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
insert_action (FlStore         *self,
               const FlAction  *action,
               GError         **error)
{
  static const char sql[] =
    "INSERT INTO actions (" FL_STORE_ACTION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5)";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  _fl_store_bind_action (stmt, action);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_CONFLICT,
                   _("Could not save action %s: an action with this id already exists"),
                   action->id);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not save action %s"), action->id);

  return TRUE;
}

/* Drops the secondary indexes (@type "index") or the triggers that keep the
 * visit summary (@type "trigger"); returns the statements that recreate them. */
static GPtrArray *
drop_derived (FlStore     *self,
              const char  *type,
              GError     **error)
{
  static const char sql[] =
    "SELECT name, sql FROM sqlite_schema WHERE type = ?1 AND sql IS NOT NULL "
    "AND (type = 'index' OR name GLOB 'visits_summary_*') ORDER BY rowid";
  g_autoptr(GPtrArray) create = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) drop = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _fl_store_fail (self, error, _("Could not read the schema of the cache"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (drop, g_strdup_printf ("DROP %s \"%s\"", type,
                                              sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (create, column_dup (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    {
      _fl_store_fail (self, error, _("Could not read the schema of the cache"));
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < drop->len; i++)
    {
      if (!exec_sql (self, g_ptr_array_index (drop, i),
                     _("Could not prepare the cache for an import"), error))
        return NULL;
    }

  return g_steal_pointer (&create);
}

static gboolean
import_all (FlStore    *self,
            FlDataset  *dataset,
            GTimeZone  *tz,
            GError    **error)
{
  g_autoptr(GPtrArray) indexes = NULL;
  g_autoptr(GPtrArray) triggers = NULL;
  gint64 t0, t1, t2, t3;

  /* The triggers that keep the visit summary would otherwise run once per
   * visit deleted and inserted: rebuild the summary once at the end instead. */
  if (!(triggers = drop_derived (self, "trigger", error)))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s", tables[i]);
      g_autofree char *what = g_strdup_printf (_("Could not clear the table “%s” of the cache"),
                                               tables[i]);

      if (!exec_sql (self, sql, what, error))
        return FALSE;
    }

  /* Building the indexes once at the end is several times faster than
   * maintaining them row by row; DDL is transactional, so a failure still
   * rolls back to the old content with its indexes. */
  if (!(indexes = drop_derived (self, "index", error)))
    return FALSE;

  t0 = g_get_monotonic_time ();
  if (!insert_meta (self, "timezone", dataset->timezone, error) ||
      !insert_meta (self, "province_code", dataset->province_code, error) ||
      !insert_meta (self, "province_name", dataset->province_name, error) ||
      !import_regions (self, dataset->regions, error) ||
      !import_reps (self, dataset->reps, error) ||
      !import_categories (self, dataset->categories, error) ||
      !import_products (self, dataset->products, error) ||
      !import_customers (self, dataset->customers, error) ||
      !import_visits (self, dataset, tz, error) ||
      !import_opportunities (self, dataset->opportunities, error) ||
      !import_pilots (self, dataset->pilots, error) ||
      !import_cases (self, dataset->cases, error))
    return FALSE;

  for (guint i = 0; i < dataset->actions->len; i++)
    {
      if (!insert_action (self, g_ptr_array_index (dataset->actions, i), error))
        return FALSE;
    }

  t1 = g_get_monotonic_time ();
  for (guint i = 0; i < indexes->len; i++)
    {
      if (!exec_sql (self, g_ptr_array_index (indexes, i), _("Could not index the cache"), error))
        return FALSE;
    }

  t2 = g_get_monotonic_time ();
  if (!_fl_store_rebuild_visit_summary (self, error))
    return FALSE;
  for (guint i = 0; i < triggers->len; i++)
    {
      if (!exec_sql (self, g_ptr_array_index (triggers, i),
                     _("Could not restore the triggers of the cache"), error))
        return FALSE;
    }

  t3 = g_get_monotonic_time ();
  if (!exec_sql (self, "ANALYZE", _("Could not analyze the cache"), error))
    return FALSE;

  g_debug ("Imported the dataset: rows %.0f ms, indexes %.0f ms, visit summary %.0f ms, "
           "analyze %.0f ms", (t1 - t0) / 1000.0, (t2 - t1) / 1000.0, (t3 - t2) / 1000.0,
           (g_get_monotonic_time () - t3) / 1000.0);
  return TRUE;
}

/**
 * fl_store_import_dataset:
 * @self: a #FlStore
 * @dataset: a validated dataset
 * @error: return location for a #GError
 *
 * Replaces the whole content of the cache with @dataset in one transaction:
 * on error nothing is changed.
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_import_dataset (FlStore    *self,
                         FlDataset  *dataset,
                         GError    **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  gboolean ok;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (dataset != NULL, FALSE);

  tz = dataset->timezone != NULL ? g_time_zone_new_identifier (dataset->timezone) : NULL;
  if (tz == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("dataset: field “timezone” is not a known time zone"));
      return FALSE;
    }

  if (!begin (self, error))
    return FALSE;

  exec_sql (self, "PRAGMA cache_size = -" G_STRINGIFY (IMPORT_CACHE_KIB), "", NULL);
  ok = import_all (self, dataset, tz, error) && commit (self, error);
  exec_sql (self, "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB), "", NULL);
  if (!ok)
    {
      rollback (self);
      return FALSE;
    }

  /* Move the new content out of the (now huge) WAL, so that readers and the
   * next open do not have to index it. Failing here loses nothing. */
  if (sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL)
      != SQLITE_OK)
    g_debug ("Checkpoint after import: %s", sqlite3_errmsg (self->db));

  if (!load_meta (self, error))
    return FALSE;

  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* Export */

static gboolean
export_meta (FlStore    *self,
             FlDataset  *dataset,
             GError    **error)
{
  static const char sql[] = "SELECT key, value FROM meta";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (g_strcmp0 (key, "timezone") == 0)
        replace_str (&dataset->timezone, value);
      else if (g_strcmp0 (key, "province_code") == 0)
        replace_str (&dataset->province_code, value);
      else if (g_strcmp0 (key, "province_name") == 0)
        replace_str (&dataset->province_name, value);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read the cache’s settings"));

  return TRUE;
}

static FlRegion *
read_region (FlStore       *self,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autofree char *what = NULL;
  FlRegion *region = g_new0 (FlRegion, 1);
  const char *geometry = (const char *) sqlite3_column_text (stmt, 5);

  region->code = column_dup (stmt, 0);
  region->name = column_dup (stmt, 1);
  region->has_label_point = sqlite3_column_int (stmt, 2) != 0;
  region->label_point.x = sqlite3_column_double (stmt, 3);
  region->label_point.y = sqlite3_column_double (stmt, 4);

  what = g_strdup_printf (_("region %s: geometry"), region->code);
  if (!(region->geometry = fl_geometry_from_data (geometry != NULL ? geometry : "",
                                                  sqlite3_column_bytes (stmt, 5), what, NULL)))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                   _("Could not read region %s: its stored geometry is corrupt"), region->code);
      fl_region_free (region);
      return NULL;
    }

  return region;
}

static gboolean
export_regions (FlStore    *self,
                GPtrArray  *out,
                const char *sql,
                GError    **error)
{
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlRegion *region = read_region (self, stmt, error);

      if (region == NULL)
        return FALSE;
      g_ptr_array_add (out, region);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read the regions"));

  return TRUE;
}

static gpointer
read_rep (sqlite3_stmt *stmt)
{
  FlRep *rep = g_new0 (FlRep, 1);

  rep->id = column_dup (stmt, 0);
  rep->name = column_dup (stmt, 1);
  rep->region = column_dup (stmt, 2);
  rep->phone = column_dup (stmt, 3);
  return rep;
}

static gpointer
read_category (sqlite3_stmt *stmt)
{
  FlProductCategory *category = g_new0 (FlProductCategory, 1);

  category->id = column_dup (stmt, 0);
  category->name = column_dup (stmt, 1);
  category->avg_order_value = sqlite3_column_double (stmt, 2);
  return category;
}

static gpointer
read_product (sqlite3_stmt *stmt)
{
  FlProduct *product = g_new0 (FlProduct, 1);

  product->id = column_dup (stmt, 0);
  product->name = column_dup (stmt, 1);
  product->category = column_dup (stmt, 2);
  return product;
}

static FlCustomer *
read_customer (sqlite3_stmt *stmt)
{
  FlCustomer *customer = g_new0 (FlCustomer, 1);
  const char *tier = (const char *) sqlite3_column_text (stmt, 4);

  customer->id = column_dup (stmt, 0);
  customer->name = column_dup (stmt, 1);
  customer->region = column_dup (stmt, 2);
  customer->owner_rep = column_dup (stmt, 3);
  customer->tier = tier != NULL ? tier[0] : 'C';
  customer->has_location = !column_is_null (stmt, 5);
  customer->lat = sqlite3_column_double (stmt, 5);
  customer->lon = sqlite3_column_double (stmt, 6);
  customer->revenue_90d = sqlite3_column_double (stmt, 7);
  customer->health = new_health_array ();
  return customer;
}

static void
read_health (sqlite3_stmt *stmt,
             int           first_column,
             FlHealth     *health)
{
  g_strlcpy (health->week, (const char *) sqlite3_column_text (stmt, first_column),
             sizeof health->week);
  for (int k = 0; k < FL_N_HEALTH_DIMENSIONS; k++)
    health->scores[k] = sqlite3_column_int (stmt, first_column + 1 + k);
}

static FlVisit *
read_visit (sqlite3_stmt  *stmt,
            GError       **error)
{
  FlVisit *visit = g_new0 (FlVisit, 1);

  visit->id = column_dup (stmt, 0);
  visit->customer = column_dup (stmt, 1);
  visit->rep = column_dup (stmt, 2);
  visit->start = sqlite3_column_int64 (stmt, 3);
  visit->end = sqlite3_column_int64 (stmt, 4);
  visit->uploaded = sqlite3_column_int64 (stmt, 5);
  visit->pain_keywords = strv_from_json ((const char *) sqlite3_column_text (stmt, 6));
  visit->committed_action = column_dup (stmt, 7);
  visit->has_next_follow_up = !column_is_null (stmt, 8);
  visit->next_follow_up = sqlite3_column_int64 (stmt, 8);
  if (column_is_null (stmt, 9))
    visit->prev_action_achieved = FL_ACHIEVED_NULL;
  else
    visit->prev_action_achieved = sqlite3_column_int (stmt, 9) ? FL_ACHIEVED_TRUE
                                                               : FL_ACHIEVED_FALSE;
  visit->photos = column_is_null (stmt, 10) ? -1 : sqlite3_column_int (stmt, 10);
  visit->has_competitor_price = !column_is_null (stmt, 11);
  visit->competitor_price = sqlite3_column_double (stmt, 11);
  visit->has_shelf_share = !column_is_null (stmt, 12);
  visit->shelf_share = sqlite3_column_double (stmt, 12);
  visit->pitches = new_pitch_array ();

  if (visit->pain_keywords == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                   _("Could not read visit %s: its stored pain keywords are corrupt"), visit->id);
      fl_visit_free (visit);
      return NULL;
    }

  return visit;
}

static gpointer
read_opportunity (sqlite3_stmt *stmt)
{
  FlOpportunity *opportunity = g_new0 (FlOpportunity, 1);
  FlStage stage = FL_STAGE_OPEN;

  opportunity->id = column_dup (stmt, 0);
  opportunity->customer = column_dup (stmt, 1);
  opportunity->value = sqlite3_column_double (stmt, 2);
  fl_stage_from_string ((const char *) sqlite3_column_text (stmt, 3), &stage);
  opportunity->stage = stage;
  opportunity->custom_requirement = sqlite3_column_int (stmt, 4) != 0;
  opportunity->last_progress = sqlite3_column_int64 (stmt, 5);
  return opportunity;
}

static FlPilot *
read_pilot (sqlite3_stmt  *stmt,
            GError       **error)
{
  FlPilot *pilot = g_new0 (FlPilot, 1);

  pilot->id = column_dup (stmt, 0);
  pilot->title = column_dup (stmt, 1);
  pilot->regions = strv_from_json ((const char *) sqlite3_column_text (stmt, 2));
  pilot->start = sqlite3_column_int (stmt, 3);
  pilot->owner = column_dup (stmt, 4);

  if (pilot->regions == NULL)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_STORE,
                   _("Could not read pilot %s: its stored regions are corrupt"), pilot->id);
      fl_pilot_free (pilot);
      return NULL;
    }

  return pilot;
}

static gpointer
read_case (sqlite3_stmt *stmt)
{
  FlCase *c = g_new0 (FlCase, 1);
  const char *tier = (const char *) sqlite3_column_text (stmt, 3);
  FlAlertCategory category = FL_ALERT_CHURN;
  FlActionKind kind = FL_ACTION_SEND_SAMPLE;

  c->id = column_dup (stmt, 0);
  fl_alert_category_from_string ((const char *) sqlite3_column_text (stmt, 1), &category);
  c->category = category;
  c->region = column_dup (stmt, 2);
  c->customer_tier = tier != NULL ? tier[0] : 0;
  c->product_category = column_dup (stmt, 4);
  c->pain_keyword = column_dup (stmt, 5);
  fl_action_kind_from_string ((const char *) sqlite3_column_text (stmt, 6), &kind);
  c->action_kind = kind;
  c->resolved_within_14d = sqlite3_column_int (stmt, 7) != 0;
  c->label = column_dup (stmt, 8);
  c->closed = sqlite3_column_int64 (stmt, 9);
  return c;
}

static gboolean
export_simple (FlStore      *self,
               const char   *sql,
               GPtrArray    *out,
               gpointer    (*read) (sqlite3_stmt *stmt),
               const char   *what,
               GError      **error)
{
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, read (stmt));
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, "%s", what);

  return TRUE;
}

static gboolean
export_customers (FlStore    *self,
                  FlDataset  *dataset,
                  GError    **error)
{
  static const char sql[] =
    "SELECT " FL_STORE_CUSTOMER_COLUMNS " FROM customers ORDER BY rowid";
  static const char health_sql[] =
    "SELECT " FL_STORE_HEALTH_COLUMNS " FROM health ORDER BY rowid";
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _fl_store_fail (self, error, _("Could not read the customers"));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlCustomer *customer = read_customer (stmt);

      g_ptr_array_add (dataset->customers, customer);
      g_hash_table_insert (by_id, customer->id, customer);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read the customers"));

  g_clear_pointer (&stmt, sqlite3_finalize);
  if (sqlite3_prepare_v2 (self->db, health_sql, -1, &stmt, NULL) != SQLITE_OK)
    return _fl_store_fail (self, error, _("Could not read the customers’ health"));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlCustomer *customer = g_hash_table_lookup (by_id, sqlite3_column_text (stmt, 0));
      FlHealth health = { { 0 } };

      if (customer == NULL)
        continue;
      read_health (stmt, 1, &health);
      g_array_append_val (customer->health, health);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read the customers’ health"));

  return TRUE;
}

static gboolean
export_visits (FlStore    *self,
               FlDataset  *dataset,
               GError    **error)
{
  static const char sql[] =
    "SELECT " FL_STORE_VISIT_COLUMNS ", rowid FROM visits ORDER BY rowid";
  static const char pitch_sql[] =
    "SELECT visit, product, signed FROM pitches ORDER BY visit, rowid";
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) pitch_stmt = NULL;
  int rc, pitch_rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, pitch_sql, -1, &pitch_stmt, NULL) != SQLITE_OK)
    return _fl_store_fail (self, error, _("Could not read the visits"));

  /* Both are ordered by visit rowid: merge them. */
  pitch_rc = sqlite3_step (pitch_stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      sqlite3_int64 rowid = sqlite3_column_int64 (stmt, 13);
      FlVisit *visit = read_visit (stmt, error);

      if (visit == NULL)
        return FALSE;
      g_ptr_array_add (dataset->visits, visit);

      while (pitch_rc == SQLITE_ROW && sqlite3_column_int64 (pitch_stmt, 0) < rowid)
        pitch_rc = sqlite3_step (pitch_stmt);
      while (pitch_rc == SQLITE_ROW && sqlite3_column_int64 (pitch_stmt, 0) == rowid)
        {
          FlPitch pitch;

          pitch.product = column_dup (pitch_stmt, 1);
          pitch.is_signed = sqlite3_column_int (pitch_stmt, 2) != 0;
          g_array_append_val (visit->pitches, pitch);
          pitch_rc = sqlite3_step (pitch_stmt);
        }
    }
  if (rc != SQLITE_DONE || (pitch_rc != SQLITE_DONE && pitch_rc != SQLITE_ROW))
    return _fl_store_fail (self, error, _("Could not read the visits"));

  return TRUE;
}

static gboolean
export_pilots (FlStore    *self,
               FlDataset  *dataset,
               GError    **error)
{
  static const char sql[] = "SELECT " FL_STORE_PILOT_COLUMNS " FROM pilots ORDER BY rowid";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlPilot *pilot = read_pilot (stmt, error);

      if (pilot == NULL)
        return FALSE;
      g_ptr_array_add (dataset->pilots, pilot);
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read the pilots"));

  return TRUE;
}

static gboolean
export_cases (FlStore    *self,
              FlDataset  *dataset,
              GError    **error)
{
  static const char sql[] = "SELECT " FL_STORE_CASE_COLUMNS " FROM cases ORDER BY rowid";
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (dataset->cases, read_case (stmt));
  if (rc != SQLITE_DONE)
    return _fl_store_fail (self, error, _("Could not read the cases"));

  return TRUE;
}

static gpointer
read_action (sqlite3_stmt *stmt)
{
  FlAction *action = g_new0 (FlAction, 1);
  FlActionKind kind = FL_ACTION_SEND_SAMPLE;

  action->id = column_dup (stmt, 0);
  action->alert = column_dup (stmt, 1);
  fl_action_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &kind);
  action->kind = kind;
  action->created = sqlite3_column_int64 (stmt, 3);
  action->created_by = column_dup (stmt, 4);
  return action;
}

static gboolean
ensure_array (GPtrArray      **array,
              GDestroyNotify   free_func)
{
  if (*array == NULL)
    *array = g_ptr_array_new_with_free_func (free_func);
  return TRUE;
}

/**
 * fl_store_export_dataset:
 * @self: a #FlStore
 * @error: return location for a #GError
 *
 * Reads the whole content back, in the order it was imported (actions added
 * later come last).
 *
 * Returns: (transfer full): the dataset, or %NULL on error
 */
FlDataset *
fl_store_export_dataset (FlStore  *self,
                         GError  **error)
{
  static const char regions_sql[] =
    "SELECT " FL_STORE_REGION_COLUMNS " FROM regions ORDER BY rowid";
  static const char reps_sql[] = "SELECT " FL_STORE_REP_COLUMNS " FROM reps ORDER BY rowid";
  static const char categories_sql[] =
    "SELECT " FL_STORE_CATEGORY_COLUMNS " FROM categories ORDER BY rowid";
  static const char products_sql[] =
    "SELECT " FL_STORE_PRODUCT_COLUMNS " FROM products ORDER BY rowid";
  static const char opportunities_sql[] =
    "SELECT " FL_STORE_OPPORTUNITY_COLUMNS " FROM opportunities ORDER BY rowid";
  static const char actions_sql[] =
    "SELECT " FL_STORE_ACTION_COLUMNS " FROM actions ORDER BY rowid";
  g_autoptr(FlDataset) dataset = NULL;
  gboolean in_transaction;
  gboolean ok;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  dataset = fl_dataset_new ();
  ensure_array (&dataset->regions, (GDestroyNotify) fl_region_free);
  ensure_array (&dataset->reps, (GDestroyNotify) fl_rep_free);
  ensure_array (&dataset->categories, (GDestroyNotify) fl_product_category_free);
  ensure_array (&dataset->products, (GDestroyNotify) fl_product_free);
  ensure_array (&dataset->customers, (GDestroyNotify) fl_customer_free);
  ensure_array (&dataset->visits, (GDestroyNotify) fl_visit_free);
  ensure_array (&dataset->opportunities, (GDestroyNotify) fl_opportunity_free);
  ensure_array (&dataset->pilots, (GDestroyNotify) fl_pilot_free);
  ensure_array (&dataset->cases, (GDestroyNotify) fl_case_free);
  ensure_array (&dataset->actions, (GDestroyNotify) fl_action_free);

  /* One read transaction, so that the snapshot is consistent (inside an open
   * transaction: what it wrote so far). */
  in_transaction = self->tx_depth > 0;
  if (!in_transaction && !exec_sql (self, "BEGIN", _("Could not start a transaction"), error))
    return NULL;

  ok = export_meta (self, dataset, error) &&
       export_regions (self, dataset->regions, regions_sql, error) &&
       export_simple (self, reps_sql, dataset->reps, read_rep,
                      _("Could not read the reps"), error) &&
       export_simple (self, categories_sql, dataset->categories, read_category,
                      _("Could not read the categories"), error) &&
       export_simple (self, products_sql, dataset->products, read_product,
                      _("Could not read the products"), error) &&
       export_customers (self, dataset, error) &&
       export_visits (self, dataset, error) &&
       export_simple (self, opportunities_sql, dataset->opportunities,
                      read_opportunity, _("Could not read the opportunities"), error) &&
       export_pilots (self, dataset, error) &&
       export_cases (self, dataset, error) &&
       export_simple (self, actions_sql, dataset->actions, read_action,
                      _("Could not read the actions"), error);

  if (!in_transaction)
    rollback (self);

  if (!ok)
    return NULL;

  return g_steal_pointer (&dataset);
}

/**
 * fl_store_list_regions:
 * Returns: (transfer full) (element-type FlRegion): the regions ordered by code
 */
GPtrArray *
fl_store_list_regions (FlStore  *self,
                       GError  **error)
{
  static const char sql[] =
    "SELECT code, name, has_label_point, label_x, label_y, geometry FROM regions ORDER BY code";
  g_autoptr(GPtrArray) regions = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  regions = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_region_free);
  if (!export_regions (self, regions, sql, error))
    return NULL;

  return g_steal_pointer (&regions);
}

/* Lookups */

typedef enum
{
  LOOKUP_CUSTOMER,
  LOOKUP_OPPORTUNITY,
  LOOKUP_REP,
  LOOKUP_CATEGORY,
  LOOKUP_VISIT,
} LookupKind;

static gboolean
lookup_row (FlStore       *self,
            sqlite3_stmt  *stmt,
            LookupKind     kind,
            const char    *id,
            GError       **error)
{
  int rc;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;

  if (rc != SQLITE_DONE)
    {
      switch (kind)
        {
        case LOOKUP_CUSTOMER:
          return _fl_store_fail (self, error, _("Could not read customer %s"), id);
        case LOOKUP_OPPORTUNITY:
          return _fl_store_fail (self, error, _("Could not read opportunity %s"), id);
        case LOOKUP_REP:
          return _fl_store_fail (self, error, _("Could not read rep %s"), id);
        case LOOKUP_CATEGORY:
          return _fl_store_fail (self, error, _("Could not read category %s"), id);
        case LOOKUP_VISIT:
        default:
          return _fl_store_fail (self, error, _("Could not read visit %s"), id);
        }
    }

  switch (kind)
    {
    case LOOKUP_CUSTOMER:
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, _("Customer %s is not in the cache"), id);
      break;
    case LOOKUP_OPPORTUNITY:
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, _("Opportunity %s is not in the cache"),
                   id);
      break;
    case LOOKUP_REP:
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, _("Rep %s is not in the cache"), id);
      break;
    case LOOKUP_CATEGORY:
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, _("Category %s is not in the cache"), id);
      break;
    case LOOKUP_VISIT:
    default:
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, _("Visit %s is not in the cache"), id);
      break;
    }

  return FALSE;
}

FlCustomer *
fl_store_get_customer (FlStore     *self,
                       const char  *id,
                       GError     **error)
{
  static const char sql[] =
    "SELECT " FL_STORE_CUSTOMER_COLUMNS " FROM customers WHERE id = ?1";
  static const char health_sql[] =
    "SELECT week, cooperation_stability, new_product_acceptance, competitor_penetration, "
    "sell_through, inventory_health, payment_punctuality FROM health "
    "WHERE customer = ?1 ORDER BY rowid";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) health_stmt = NULL;
  FlCustomer *customer;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = _fl_store_prepare (self, sql, error)) ||
      !(health_stmt = _fl_store_prepare (self, health_sql, error)) ||
      !lookup_row (self, stmt, LOOKUP_CUSTOMER, id, error))
    return NULL;

  customer = read_customer (stmt);

  sqlite3_bind_text (health_stmt, 1, id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (health_stmt)) == SQLITE_ROW)
    {
      FlHealth health = { { 0 } };

      read_health (health_stmt, 0, &health);
      g_array_append_val (customer->health, health);
    }
  if (rc != SQLITE_DONE)
    {
      fl_customer_free (customer);
      _fl_store_fail (self, error, _("Could not read customer %s: health"), id);
      return NULL;
    }

  return customer;
}

FlOpportunity *
fl_store_get_opportunity (FlStore     *self,
                          const char  *id,
                          GError     **error)
{
  static const char sql[] =
    "SELECT " FL_STORE_OPPORTUNITY_COLUMNS " FROM opportunities WHERE id = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = _fl_store_prepare (self, sql, error)) ||
      !lookup_row (self, stmt, LOOKUP_OPPORTUNITY, id, error))
    return NULL;

  return read_opportunity (stmt);
}

FlRep *
fl_store_get_rep (FlStore     *self,
                  const char  *id,
                  GError     **error)
{
  static const char sql[] = "SELECT " FL_STORE_REP_COLUMNS " FROM reps WHERE id = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = _fl_store_prepare (self, sql, error)) ||
      !lookup_row (self, stmt, LOOKUP_REP, id, error))
    return NULL;

  return read_rep (stmt);
}

FlProductCategory *
fl_store_get_category (FlStore     *self,
                       const char  *id,
                       GError     **error)
{
  static const char sql[] =
    "SELECT " FL_STORE_CATEGORY_COLUMNS " FROM categories WHERE id = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = _fl_store_prepare (self, sql, error)) ||
      !lookup_row (self, stmt, LOOKUP_CATEGORY, id, error))
    return NULL;

  return read_category (stmt);
}

FlVisit *
fl_store_get_visit (FlStore     *self,
                    const char  *id,
                    GError     **error)
{
  static const char sql[] =
    "SELECT " FL_STORE_VISIT_COLUMNS ", rowid FROM visits WHERE id = ?1";
  static const char pitch_sql[] =
    "SELECT product, signed FROM pitches WHERE visit = ?1 ORDER BY rowid";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(FlCachedStmt) pitch_stmt = NULL;
  FlVisit *visit;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = _fl_store_prepare (self, sql, error)) ||
      !(pitch_stmt = _fl_store_prepare (self, pitch_sql, error)) ||
      !lookup_row (self, stmt, LOOKUP_VISIT, id, error))
    return NULL;

  if (!(visit = read_visit (stmt, error)))
    return NULL;

  sqlite3_bind_int64 (pitch_stmt, 1, sqlite3_column_int64 (stmt, 13));
  while ((rc = sqlite3_step (pitch_stmt)) == SQLITE_ROW)
    {
      FlPitch pitch;

      pitch.product = column_dup (pitch_stmt, 0);
      pitch.is_signed = sqlite3_column_int (pitch_stmt, 1) != 0;
      g_array_append_val (visit->pitches, pitch);
    }
  if (rc != SQLITE_DONE)
    {
      fl_visit_free (visit);
      _fl_store_fail (self, error, _("Could not read visit %s: pitches"), id);
      return NULL;
    }

  return visit;
}

/* The entities without a public lookup: a row by id, or FL_ERROR_NOT_FOUND. */
static gpointer
read_by_id (FlStore       *self,
            FlEntityKind   kind,
            const char    *id,
            GError       **error)
{
  static const char * const sql[FL_N_ENTITY_KINDS] = {
    [FL_ENTITY_REGION] = "SELECT " FL_STORE_REGION_COLUMNS " FROM regions WHERE code = ?1",
    [FL_ENTITY_PRODUCT] = "SELECT " FL_STORE_PRODUCT_COLUMNS " FROM products WHERE id = ?1",
    [FL_ENTITY_PILOT] = "SELECT " FL_STORE_PILOT_COLUMNS " FROM pilots WHERE id = ?1",
    [FL_ENTITY_CASE] = "SELECT " FL_STORE_CASE_COLUMNS " FROM cases WHERE id = ?1",
    [FL_ENTITY_ACTION] = "SELECT " FL_STORE_ACTION_COLUMNS " FROM actions WHERE id = ?1",
  };
  g_autoptr(FlCachedStmt) stmt = NULL;
  int rc;

  g_assert (sql[kind] != NULL);
  if (!(stmt = _fl_store_prepare (self, sql[kind], error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND, "%s %s", fl_entity_kind_to_string (kind),
                   id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _fl_store_fail (self, error, _("Could not read the %s of the cache"),
                      fl_entity_kind_to_string (kind));
      return NULL;
    }

  switch (kind)
    {
    case FL_ENTITY_REGION:
      return read_region (self, stmt, error);
    case FL_ENTITY_PRODUCT:
      return read_product (stmt);
    case FL_ENTITY_PILOT:
      return read_pilot (stmt, error);
    case FL_ENTITY_CASE:
      return read_case (stmt);
    case FL_ENTITY_ACTION:
    default:
      return read_action (stmt);
    }
}

FlPilot *
fl_store_get_pilot (FlStore     *self,
                    const char  *id,
                    GError     **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return read_by_id (self, FL_ENTITY_PILOT, id, error);
}

/**
 * fl_store_export_entities:
 * @self: a #FlStore
 * @kind: the kind of the entities
 * @ids: (array length=n_ids): their ids (region codes for regions)
 * @n_ids: the number of ids
 * @error: return location for a #GError
 *
 * Reads entities back by id, with their health snapshots or pitches, in the
 * order of @ids. Unknown ids are skipped.
 *
 * Returns: (transfer full): a fragment (NULL header fields), or %NULL on error
 */
FlDataset *
fl_store_export_entities (FlStore             *self,
                          FlEntityKind         kind,
                          const char * const  *ids,
                          guint                n_ids,
                          GError             **error)
{
  g_autoptr(FlDataset) fragment = NULL;
  GPtrArray *out;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (kind < FL_N_ENTITY_KINDS, NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  fragment = _fl_dataset_new_fragment ();
  out = fl_dataset_get_entities (fragment, kind);

  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gpointer entity;

      switch (kind)
        {
        case FL_ENTITY_REP:
          entity = fl_store_get_rep (self, ids[i], &local_error);
          break;
        case FL_ENTITY_CATEGORY:
          entity = fl_store_get_category (self, ids[i], &local_error);
          break;
        case FL_ENTITY_CUSTOMER:
          entity = fl_store_get_customer (self, ids[i], &local_error);
          break;
        case FL_ENTITY_VISIT:
          entity = fl_store_get_visit (self, ids[i], &local_error);
          break;
        case FL_ENTITY_OPPORTUNITY:
          entity = fl_store_get_opportunity (self, ids[i], &local_error);
          break;
        case FL_ENTITY_REGION:
        case FL_ENTITY_PRODUCT:
        case FL_ENTITY_PILOT:
        case FL_ENTITY_CASE:
        case FL_ENTITY_ACTION:
        case FL_N_ENTITY_KINDS:
        default:
          entity = read_by_id (self, kind, ids[i], &local_error);
          break;
        }

      if (entity != NULL)
        g_ptr_array_add (out, entity);
      else if (!g_error_matches (local_error, FL_ERROR, FL_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  return g_steal_pointer (&fragment);
}

char *
fl_store_dup_region_name (FlStore    *self,
                          const char *code)
{
  static const char sql[] = "SELECT name FROM regions WHERE code = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  if (code == NULL || !(stmt = _fl_store_prepare (self, sql, NULL)))
    return NULL;

  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return column_dup (stmt, 0);
}

/**
 * fl_store_get_newest_upload:
 * @self: a #FlStore
 *
 * The "data as of" time: the newest upload of a visit record (one lookup in
 * the index visits_by_uploaded).
 *
 * Returns: Unix seconds, or 0 when there is no visit (or on error)
 */
gint64
fl_store_get_newest_upload (FlStore *self)
{
  static const char sql[] = "SELECT max (uploaded) FROM visits";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), 0);

  if (!(stmt = _fl_store_prepare (self, sql, &error)))
    {
      g_warning ("%s", error->message);
      return 0;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

/* Actions */

/**
 * fl_store_add_action:
 * @self: a #FlStore
 * @action: the action; its id must be new
 * @error: return location for a #GError
 *
 * Records an executed action. An action whose id already exists is refused
 * with %FL_ERROR_CONFLICT (the id is the idempotency key).
 *
 * Returns: %TRUE on success
 */
gboolean
fl_store_add_action (FlStore         *self,
                     const FlAction  *action,
                     GError         **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && action->id != NULL && action->alert != NULL, FALSE);

  if (!insert_action (self, action, error))
    return FALSE;

  _fl_store_changed (self);
  return TRUE;
}

/**
 * fl_store_remove_action:
 * Removes an action (undo). An unknown id is %FL_ERROR_NOT_FOUND.
 */
gboolean
fl_store_remove_action (FlStore     *self,
                        const char  *action_id,
                        GError     **error)
{
  static const char sql[] = "DELETE FROM actions WHERE id = ?1";
  g_autoptr(FlCachedStmt) stmt = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (action_id != NULL, FALSE);

  if (!(stmt = _fl_store_prepare (self, sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, action_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt))
    return _fl_store_fail (self, error, _("Could not remove action %s"), action_id);

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_NOT_FOUND,
                   _("Could not remove action %s: there is no such action"), action_id);
      return FALSE;
    }

  _fl_store_changed (self);
  return TRUE;
}

/**
 * fl_store_count:
 * @table: one of the store's tables ("visits", "pitches", "customers", …)
 *
 * Returns: the number of rows, or -1 for an unknown table or on error
 */
gint64
fl_store_count (FlStore    *self,
                const char *table)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  guint i;

  g_return_val_if_fail (FL_IS_STORE (self), -1);

  for (i = 0; table != NULL && i < G_N_ELEMENTS (tables) + G_N_ELEMENTS (sync_tables); i++)
    {
      const char *known = i < G_N_ELEMENTS (tables) ? tables[i]
                                                    : sync_tables[i - G_N_ELEMENTS (tables)];

      if (strcmp (known, table) == 0)
        break;
    }
  if (table == NULL || i == G_N_ELEMENTS (tables) + G_N_ELEMENTS (sync_tables))
    return -1;

  sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int64 (stmt, 0);
}
