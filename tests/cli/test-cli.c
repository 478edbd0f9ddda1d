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
                            "--version" };

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
  return g_test_run ();
}
