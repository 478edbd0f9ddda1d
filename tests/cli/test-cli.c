/* test-cli.c — the fieldlight command line, run as a process (FIELDLIGHT_BIN)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define NOW "2026-11-23T09:00:00+08:00"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
_result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/* Runs fieldlight with the NULL-terminated arguments. */
static void
_run (Result     *result,
      const char *first,
      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("FIELDLIGHT_BIN");
  va_list ap;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (char *) bin);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  if (result->status != 0)
    g_test_message ("exit %d, stderr: %s", result->status, result->err);
}

static char *
_tmp_path (const char *name)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives each test a private, removed-afterwards HOME. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

static JsonObject *
_parse_status (const char *text,
               JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static char *
_demo_status (void)
{
  Result r = { 0 };
  char *out;

  _run (&r, "--demo", "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  out = g_steal_pointer (&r.out);
  _result_clear (&r);
  return out;
}

static void
test_help (void)
{
  Result r = { 0 };
  const char *options[] = { "--demo", "--dataset", "--now", "--scale", "--seed", "--cache",
                            "--print-status", "--export-dataset", "--region", "--screenshot",
                            "--version", "--execute", "--kind", "--export-weekly" };

  _run (&r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    g_assert_nonnull (strstr (r.out, options[i]));
  _result_clear (&r);

  _run (&r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "fieldlight "));
  _result_clear (&r);
}

static void
test_print_status (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *first = _demo_status ();
  g_autofree char *second = _demo_status ();
  JsonObject *doc;
  JsonArray *regions, *alerts;
  guint n_status[3] = { 0 };

  /* Deterministic. */
  g_assert_cmpstr (first, ==, second);

  doc = _parse_status (first, parser);
  g_assert_cmpstr (json_object_get_string_member (doc, "format"), ==, "fieldlight-status");
  g_assert_cmpint (json_object_get_int_member (doc, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (doc, "now"), ==, NOW);
  regions = json_object_get_array_member (doc, "regions");
  alerts = json_object_get_array_member (doc, "alerts");
  g_assert_nonnull (regions);
  g_assert_nonnull (alerts);
  g_assert_cmpuint (json_array_get_length (regions), ==, 11);
  for (guint i = 0; i < json_array_get_length (regions); i++)
    {
      JsonObject *region = json_array_get_object_element (regions, i);
      const char *status = json_object_get_string_member (region, "status");

      if (g_str_equal (status, "green"))
        n_status[0]++;
      else if (g_str_equal (status, "yellow"))
        n_status[1]++;
      else if (g_str_equal (status, "red"))
        n_status[2]++;
      else
        g_assert_not_reached ();
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (region, "top")),
                        <=, 3);
    }
  g_assert_cmpuint (n_status[0], >, 0);
  g_assert_cmpuint (n_status[1], >, 0);
  g_assert_cmpuint (n_status[2], >, 0);
  g_assert_cmpuint (json_array_get_length (alerts), >, 0);
}

static void
test_export_roundtrip (void)
{
  g_autofree char *path = _tmp_path ("export.json");
  g_autofree char *demo = _demo_status ();
  Result r = { 0 };

  _run (&r, "--demo", "--now", NOW, "--export-dataset", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  _result_clear (&r);

  _run (&r, "--dataset", path, "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, demo);
  _result_clear (&r);
}

/* Writes the demo export with visits[0].start replaced; returns the visit id. */
static char *
_write_bad_dataset (const char *good,
                    const char *bad)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *visit;

  json_parser_load_from_file (parser, good, &error);
  g_assert_no_error (error);
  visit = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "visits"),
    0);
  json_object_set_string_member (visit, "start", "last tuesday");
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_to_file (generator, bad, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (visit, "id"));
}

static void
test_invalid_dataset (void)
{
  g_autofree char *good = _tmp_path ("good.json");
  g_autofree char *bad = _tmp_path ("bad.json");
  g_autofree char *syntax = _tmp_path ("syntax.json");
  g_autofree char *out = _tmp_path ("out.json");
  g_autofree char *cache = _tmp_path ("cache-bad");
  g_autofree char *cache_file = g_build_filename (cache, "cache.sqlite", NULL);
  g_autofree char *visit_id = NULL;
  Result r = { 0 };

  _run (&r, "--demo", "--now", NOW, "--export-dataset", good, NULL);
  g_assert_cmpint (r.status, ==, 0);
  _result_clear (&r);
  visit_id = _write_bad_dataset (good, bad);

  /* A validation error names the entity and the field; nothing is written. */
  _run (&r, "--dataset", bad, "--now", NOW, "--print-status", "--export-dataset", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_str_has_prefix (r.err, "fieldlight: "));
  g_assert_nonnull (strstr (r.err, "start"));
  g_assert_nonnull (strstr (r.err, visit_id));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  _result_clear (&r);

  /* …and does not touch an explicit cache. */
  _run (&r, "--dataset", bad, "--cache", cache, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_false (g_file_test (cache_file, G_FILE_TEST_EXISTS));
  _result_clear (&r);

  /* Not JSON at all. */
  g_assert_true (g_file_set_contents (syntax, "{\"format\": ", -1, NULL));
  _run (&r, "--dataset", syntax, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_str_has_prefix (r.err, "fieldlight: "));
  _result_clear (&r);

  /* No such file. */
  _run (&r, "--dataset", "/nonexistent/dataset.json", "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/dataset.json"));
  _result_clear (&r);
}

static void
test_invalid_options (void)
{
  Result r = { 0 };

  _run (&r, "--demo", "--now", "next monday", "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "--now"));
  g_assert_nonnull (strstr (r.err, "next monday"));
  _result_clear (&r);

  _run (&r, "--demo", "--now", NOW, "--region", "999999", "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "999999"));
  _result_clear (&r);

  _run (&r, "--demo", "--now", NOW, "--export-dataset", "/nonexistent-dir/x.json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent-dir/x.json"));
  _result_clear (&r);

  /* Usage errors: exit 2. */
  _run (&r, "--no-such-option", NULL);
  g_assert_cmpint (r.status, ==, 2);
  _result_clear (&r);
  _run (&r, "--demo", "--dataset", "x.json", "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 2);
  _result_clear (&r);
  _run (&r, "--demo", "--print-status", "stray", NULL);
  g_assert_cmpint (r.status, ==, 2);
  _result_clear (&r);
  _run (&r, "--scale", "many", NULL);
  g_assert_cmpint (r.status, ==, 2);
  _result_clear (&r);
}

static void
test_cache (void)
{
  g_autofree char *dataset = _tmp_path ("cache-src.json");
  g_autofree char *cache = _tmp_path ("cache");
  g_autofree char *empty = _tmp_path ("cache-empty");
  g_autofree char *cache_file = g_build_filename (cache, "cache.sqlite", NULL);
  g_autofree char *demo = _demo_status ();
  Result r = { 0 };

  _run (&r, "--demo", "--now", NOW, "--export-dataset", dataset, NULL);
  g_assert_cmpint (r.status, ==, 0);
  _result_clear (&r);

  /* --dataset with --cache fills the cache… */
  _run (&r, "--dataset", dataset, "--cache", cache, "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, demo);
  g_assert_true (g_file_test (cache_file, G_FILE_TEST_IS_REGULAR));
  _result_clear (&r);

  /* …which a later run reads without any data option. */
  _run (&r, "--cache", cache, "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, demo);
  _result_clear (&r);

  /* An empty cache falls back to the demo data. */
  _run (&r, "--cache", empty, "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, demo);
  _result_clear (&r);
}

static guint32
_be32 (const guchar *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
test_screenshot (void)
{
  g_autofree char *png = _tmp_path ("shot.png");
  g_autofree char *contents = NULL;
  gsize length = 0;
  Result r = { 0 };

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under xvfb-run -a)");
      return;
    }

  g_setenv ("FIELDLIGHT_TIMING", "1", TRUE);
  _run (&r, "--demo", "--now", NOW, "--region", "330700", "--screenshot", png, NULL);
  g_unsetenv ("FIELDLIGHT_TIMING");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "first-frame-ms: "));
  _result_clear (&r);

  g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 24);
  g_assert_cmpint (memcmp (contents, "\x89PNG\r\n\x1a\n", 8), ==, 0);
  g_assert_cmpint (memcmp (contents + 12, "IHDR", 4), ==, 0);
  g_assert_cmpuint (_be32 ((const guchar *) contents + 16), ==, 1280);
  g_assert_cmpuint (_be32 ((const guchar *) contents + 20), ==, 800);

  /* An unwritable output fails with a message, status 1. */
  _run (&r, "--demo", "--now", NOW, "--screenshot", "/nonexistent-dir/shot.png", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent-dir/shot.png"));
  _result_clear (&r);
}

/* Sum of a region's pending counts in a status document. */
static gint64
_region_pending (JsonObject *doc,
                 const char *code)
{
  JsonArray *regions = json_object_get_array_member (doc, "regions");

  for (guint i = 0; i < json_array_get_length (regions); i++)
    {
      JsonObject *region = json_array_get_object_element (regions, i);
      JsonObject *pending;
      gint64 sum = 0;

      if (!g_str_equal (json_object_get_string_member (region, "code"), code))
        continue;
      pending = json_object_get_object_member (region, "pending");
      sum += json_object_get_int_member (pending, "churn");
      sum += json_object_get_int_member (pending, "stall");
      sum += json_object_get_int_member (pending, "gap");
      return sum;
    }
  g_assert_not_reached ();
}

static JsonObject *
_find_alert (JsonObject *doc,
             const char *id)
{
  JsonArray *alerts = json_object_get_array_member (doc, "alerts");

  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject *alert = json_array_get_object_element (alerts, i);

      if (g_str_equal (json_object_get_string_member (alert, "id"), id))
        return alert;
    }
  return NULL;
}

static void
test_execute (void)
{
  g_autofree char *cache = _tmp_path ("cache-execute");
  g_autofree char *exported = _tmp_path ("execute-export.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) after_parser = json_parser_new ();
  g_autoptr(JsonParser) export_parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *alert_id = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *region = NULL;
  JsonObject *doc, *after, *alert;
  JsonArray *regions, *actions;
  gint64 pending_before;
  gboolean found = FALSE;
  Result r = { 0 };

  /* Fill the cache, and take the top alert of the first region that has one. */
  _run (&r, "--demo", "--cache", cache, "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  doc = _parse_status (r.out, parser);
  regions = json_object_get_array_member (doc, "regions");
  for (guint i = 0; i < json_array_get_length (regions) && alert_id == NULL; i++)
    {
      JsonObject *object = json_array_get_object_element (regions, i);
      JsonArray *top = json_object_get_array_member (object, "top");

      if (json_array_get_length (top) >= 2)
        {
          alert_id = g_strdup (json_array_get_string_element (top, 0));
          second_id = g_strdup (json_array_get_string_element (top, 1));
          region = g_strdup (json_object_get_string_member (object, "code"));
        }
    }
  g_assert_nonnull (alert_id);
  g_assert_cmpstr (json_object_get_string_member (_find_alert (doc, alert_id), "state"), ==,
                   "pending");
  pending_before = _region_pending (doc, region);
  _result_clear (&r);

  _run (&r, "--cache", cache, "--now", NOW, "--execute", alert_id, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "Executed "));
  g_assert_nonnull (strstr (r.out, "it will be sent at the next sync"));
  _result_clear (&r);

  /* Actioned; the region has one pending item less. */
  _run (&r, "--cache", cache, "--now", NOW, "--print-status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  after = _parse_status (r.out, after_parser);
  alert = _find_alert (after, alert_id);
  g_assert_nonnull (alert);
  g_assert_cmpstr (json_object_get_string_member (alert, "state"), ==, "actioned");
  g_assert_cmpint (_region_pending (after, region), ==, pending_before - 1);
  _result_clear (&r);

  /* The same alert again: already handled. */
  _run (&r, "--cache", cache, "--now", NOW, "--execute", alert_id, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, alert_id));
  g_assert_nonnull (strstr (r.err, "already"));
  _result_clear (&r);

  /* Unknown alert: the message names it. */
  _run (&r, "--cache", cache, "--now", NOW, "--execute", "churn:c-9999:v-nope", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "churn:c-9999:v-nope"));
  _result_clear (&r);

  /* Unknown kind; --kind alone; --execute on data in memory only. */
  _run (&r, "--cache", cache, "--now", NOW, "--execute", second_id, "--kind", "pray", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "pray"));
  _result_clear (&r);
  _run (&r, "--cache", cache, "--kind", "call_today", NULL);
  g_assert_cmpint (r.status, ==, 2);
  _result_clear (&r);
  _run (&r, "--demo", "--now", NOW, "--execute", second_id, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--cache"));
  _result_clear (&r);

  /* An explicit kind and author, kept in the cache. */
  _run (&r, "--cache", cache, "--now", NOW, "--execute", second_id, "--kind", "price_review",
        "--user", "boss", NULL);
  g_assert_cmpint (r.status, ==, 0);
  _result_clear (&r);
  _run (&r, "--cache", cache, "--now", NOW, "--export-dataset", exported, NULL);
  g_assert_cmpint (r.status, ==, 0);
  _result_clear (&r);
  json_parser_load_from_file (export_parser, exported, &error);
  g_assert_no_error (error);
  actions = json_object_get_array_member (
    json_node_get_object (json_parser_get_root (export_parser)), "actions");
  for (guint i = 0; i < json_array_get_length (actions); i++)
    {
      JsonObject *action = json_array_get_object_element (actions, i);

      if (!g_str_equal (json_object_get_string_member (action, "alert"), second_id))
        continue;
      g_assert_false (found);
      found = TRUE;
      g_assert_cmpstr (json_object_get_string_member (action, "kind"), ==, "price_review");
      g_assert_cmpstr (json_object_get_string_member (action, "created_by"), ==, "boss");
      g_assert_cmpstr (json_object_get_string_member (action, "created"), ==, NOW);
      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (action, "id")));
    }
  g_assert_true (found);
}

/* Splits one CSV line (RFC 4180 quoting, no line breaks in fields). */
static GPtrArray *
_csv_fields (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        {
          g_string_append_c (field, '"');
          p++;
        }
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == ',' && !quoted)
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else
        g_string_append_c (field, *p);
    }
  g_assert_false (quoted);
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  return fields;
}

/* Runs a program of poppler-utils; NULL (test skipped) when it is missing. */
static char *
_poppler (const char *program,
          const char *pdf,
          const char *extra)
{
  g_autofree char *path = g_find_program_in_path (program);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;
  const char *argv[] = { program, pdf, extra, NULL };

  if (path == NULL)
    return NULL;
  argv[0] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  return out;
}

static char *
_strip_spaces (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
test_export_weekly (void)
{
  g_autofree char *csv = _tmp_path ("week.csv");
  g_autofree char *pdf = _tmp_path ("week.pdf");
  g_autofree char *dataset = _tmp_path ("week-data.json");
  g_autofree char *contents = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *customer_name = NULL;
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;
  g_autofree char *stripped = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *sections[] = { "call_today", "tech_support", "friday_review" };
  const char *prefixes[] = { "customer:", "opportunity:", "pilot:" };
  guint counts[3] = { 0 };
  guint section = 0;
  JsonArray *customers;
  const char *pages;
  Result r = { 0 };

  _run (&r, "--demo", "--now", NOW, "--export-weekly", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  _result_clear (&r);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_suffix (contents, "\n"));
  contents[strlen (contents) - 1] = '\0';
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "section,rank,title,owner,due,link");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) fields = _csv_fields (lines[i]);

      g_assert_cmpuint (fields->len, ==, 6);
      while (section < 3 && !g_str_equal (g_ptr_array_index (fields, 0), sections[section]))
        section++;
      g_assert_cmpuint (section, <, 3);        /* section order */
      counts[section]++;
      g_assert_cmpuint (g_ascii_strtoull (g_ptr_array_index (fields, 1), NULL, 10), ==,
                        counts[section]);
      g_assert_cmpstr (g_ptr_array_index (fields, 2), !=, "");
      g_assert_true (g_str_has_prefix (g_ptr_array_index (fields, 3), "r-"));
      g_assert_true (g_str_has_suffix (g_ptr_array_index (fields, 4), "+08:00"));
      g_assert_true (g_str_has_prefix (g_ptr_array_index (fields, 5), prefixes[section]));
      if (customer == NULL && section == 0)
        customer = g_strdup ((char *) g_ptr_array_index (fields, 5) + strlen ("customer:"));
    }
  g_assert_cmpuint (counts[0], ==, 3);
  g_assert_cmpuint (counts[1], ==, 2);
  g_assert_cmpuint (counts[2], <=, 1);
  g_assert_nonnull (customer);

  /* That customer's name, from the same data. */
  _run (&r, "--demo", "--now", NOW, "--export-dataset", dataset, NULL);
  g_assert_cmpint (r.status, ==, 0);
  _result_clear (&r);
  json_parser_load_from_file (parser, dataset, &error);
  g_assert_no_error (error);
  customers = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "customers");
  for (guint i = 0; i < json_array_get_length (customers); i++)
    {
      JsonObject *object = json_array_get_object_element (customers, i);

      if (g_str_equal (json_object_get_string_member (object, "id"), customer))
        customer_name = g_strdup (json_object_get_string_member (object, "name"));
    }
  g_assert_nonnull (customer_name);

  /* PDF: one A4 page with the Chinese names as text. */
  _run (&r, "--demo", "--now", NOW, "--export-weekly", pdf, NULL);
  g_assert_cmpint (r.status, ==, 0);
  _result_clear (&r);
  info = _poppler ("pdfinfo", pdf, NULL);
  if (info == NULL)
    {
      g_test_skip ("pdfinfo/pdftotext not installed (poppler-utils)");
      return;
    }
  pages = strstr (info, "Pages:");
  g_assert_nonnull (pages);
  g_assert_cmpint (g_ascii_strtoll (pages + strlen ("Pages:"), NULL, 10), ==, 1);
  g_assert_nonnull (strstr (info, "A4"));
  g_assert_nonnull (strstr (info, "Weekly key-action list"));
  text = _poppler ("pdftotext", pdf, "-");
  g_assert_nonnull (text);
  stripped = _strip_spaces (text);
  g_assert_nonnull (strstr (stripped, customer_name));
  g_assert_nonnull (strstr (stripped, "customer:" ));

  /* Errors: an unknown extension, an unwritable path. */
  _run (&r, "--demo", "--now", NOW, "--export-weekly", "week.txt", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "week.txt"));
  _result_clear (&r);
  _run (&r, "--demo", "--now", NOW, "--export-weekly", "/nonexistent-dir/week.pdf", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent-dir/week.pdf"));
  _result_clear (&r);
  _run (&r, "--demo", "--now", NOW, "--export-weekly", "/nonexistent-dir/week.csv", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent-dir/week.csv"));
  _result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/print-status", test_print_status);
  g_test_add_func ("/cli/export-roundtrip", test_export_roundtrip);
  g_test_add_func ("/cli/invalid-dataset", test_invalid_dataset);
  g_test_add_func ("/cli/invalid-options", test_invalid_options);
  g_test_add_func ("/cli/cache", test_cache);
  g_test_add_func ("/cli/screenshot", test_screenshot);
  g_test_add_func ("/cli/execute", test_execute);
  g_test_add_func ("/cli/export-weekly", test_export_weekly);
  return g_test_run ();
}
