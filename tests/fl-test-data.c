/* fl-test-data.c — small builders shared by the core's unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "fl-test-data.h"

gint64
fl_test_time (const char *rfc3339)
{
  gint64 t = 0;

  g_assert_true (fl_time_parse_rfc3339 (rfc3339, &t));
  return t;
}

void
fl_test_add_region (FlDataset  *dataset,
                    const char *code,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  FlRegion *region = g_new0 (FlRegion, 1);

  node = json_from_string ("{\"type\": \"Polygon\", \"coordinates\": "
                           "[[[119, 29], [120, 29], [120, 30], [119, 30], [119, 29]]]}", &error);
  g_assert_no_error (error);

  region->code = g_strdup (code);
  region->name = g_strdup (name);
  region->geometry = fl_geometry_from_json (node, "test", &error);
  g_assert_no_error (error);
  region->has_label_point = TRUE;
  region->label_point.x = 119.5;
  region->label_point.y = 29.5;
  g_ptr_array_add (dataset->regions, region);
}

void
fl_test_add_rep (FlDataset  *dataset,
                 const char *id,
                 const char *region)
{
  FlRep *rep = g_new0 (FlRep, 1);

  rep->id = g_strdup (id);
  rep->name = g_strdup_printf ("Rep %s", id);
  rep->region = g_strdup (region);
  g_ptr_array_add (dataset->reps, rep);
}

FlStore *
fl_test_import (FlDataset *dataset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (NULL, &error);

  g_assert_no_error (error);
  fl_store_import_dataset (store, dataset, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}
