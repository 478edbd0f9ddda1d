/* fl-test-data.c — small builders shared by the core's unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "fl-test-data.h"

/* Times */

gint64
fl_test_time (const char *rfc3339)
{
  gint64 t = 0;

  g_assert_true (fl_time_parse_rfc3339 (rfc3339, &t));
  return t;
}

gint32
fl_test_date (const char *date)
{
  gint32 day = 0;

  g_assert_true (fl_date_parse (date, &day));
  return day;
}

/* Datasets */

FlDataset *
fl_test_dataset_new (void)
{
  FlDataset *dataset = fl_dataset_new ();

  g_free (dataset->timezone);
  dataset->timezone = g_strdup ("Asia/Shanghai");
  dataset->province_code = g_strdup ("330000");
  dataset->province_name = g_strdup ("浙江省");
  return dataset;
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

FlRep *
fl_test_add_rep (FlDataset  *dataset,
                 const char *id,
                 const char *region)
{
  FlRep *rep = g_new0 (FlRep, 1);

  rep->id = g_strdup (id);
  rep->name = g_strdup_printf ("Rep %s", id);
  rep->region = g_strdup (region);
  g_ptr_array_add (dataset->reps, rep);
  return rep;
}

FlProductCategory *
fl_test_add_category (FlDataset  *dataset,
                      const char *id,
                      const char *name,
                      double      avg_order_value)
{
  FlProductCategory *category = g_new0 (FlProductCategory, 1);

  category->id = g_strdup (id);
  category->name = g_strdup (name);
  category->avg_order_value = avg_order_value;
  g_ptr_array_add (dataset->categories, category);
  return category;
}

FlProduct *
fl_test_add_product (FlDataset  *dataset,
                     const char *id,
                     const char *name,
                     const char *category)
{
  FlProduct *product = g_new0 (FlProduct, 1);

  product->id = g_strdup (id);
  product->name = name != NULL ? g_strdup (name) : g_strdup_printf ("Product %s", id);
  product->category = g_strdup (category);
  g_ptr_array_add (dataset->products, product);
  return product;
}

FlCustomer *
fl_test_add_customer (FlDataset  *dataset,
                      const char *id,
                      const char *name,
                      const char *region,
                      const char *owner_rep,
                      char        tier,
                      double      revenue_90d)
{
  FlCustomer *customer = g_new0 (FlCustomer, 1);

  customer->id = g_strdup (id);
  customer->name = name != NULL ? g_strdup (name) : g_strdup_printf ("Customer %s", id);
  customer->region = g_strdup (region);
  customer->owner_rep = g_strdup (owner_rep);
  customer->tier = tier;
  customer->revenue_90d = revenue_90d;
  customer->health = g_array_new (FALSE, TRUE, sizeof (FlHealth));
  g_ptr_array_add (dataset->customers, customer);
  return customer;
}

FlHealth *
fl_test_add_health (FlCustomer *customer,
                    const char *week,
                    int         score)
{
  FlHealth health = { { 0 } };

  g_strlcpy (health.week, week, sizeof health.week);
  for (guint k = 0; k < FL_N_HEALTH_DIMENSIONS; k++)
    health.scores[k] = score;
  g_array_append_val (customer->health, health);
  return &g_array_index (customer->health, FlHealth, customer->health->len - 1);
}

static void
clear_pitch (gpointer data)
{
  g_free (((FlPitch *) data)->product);
}

FlVisit *
fl_test_add_visit (FlDataset  *dataset,
                   const char *id,
                   const char *customer,
                   const char *rep,
                   gint64      start,
                   FlAchieved  achieved)
{
  FlVisit *visit = g_new0 (FlVisit, 1);

  visit->id = id != NULL ? g_strdup (id) : g_strdup_printf ("v-%u", dataset->visits->len);
  visit->customer = g_strdup (customer);
  visit->rep = g_strdup (rep);
  visit->start = start;
  visit->end = start + 1800;
  visit->uploaded = start + 3600;
  visit->pain_keywords = g_new0 (char *, 1);
  visit->committed_action = g_strdup ("follow up");
  visit->prev_action_achieved = achieved;
  visit->photos = -1;
  visit->pitches = g_array_new (FALSE, TRUE, sizeof (FlPitch));
  g_array_set_clear_func (visit->pitches, clear_pitch);
  g_ptr_array_add (dataset->visits, visit);
  return visit;
}

void
fl_test_visit_set_keywords (FlVisit    *visit,
                            const char *keywords)
{
  g_strfreev (visit->pain_keywords);
  visit->pain_keywords = keywords != NULL ? g_strsplit (keywords, ",", -1) : g_new0 (char *, 1);
}

void
fl_test_add_pitches (FlVisit    *visit,
                     const char *product,
                     int         n,
                     int         n_signed)
{
  for (int i = 0; i < n; i++)
    {
      FlPitch pitch = { g_strdup (product), i < n_signed };

      g_array_append_val (visit->pitches, pitch);
    }
}

FlVisit *
fl_test_add_pitch_visit (FlDataset  *dataset,
                         const char *customer,
                         const char *rep,
                         const char *start,
                         const char *product,
                         int         n,
                         int         n_signed)
{
  g_autofree char *id = g_strdup_printf ("pv-%u", dataset->visits->len);
  FlVisit *visit = fl_test_add_visit (dataset, id, customer, rep, fl_test_time (start),
                                      FL_ACHIEVED_NULL);

  fl_test_add_pitches (visit, product, n, n_signed);
  return visit;
}

FlOpportunity *
fl_test_add_opportunity (FlDataset  *dataset,
                         const char *id,
                         const char *customer,
                         double      value,
                         FlStage     stage,
                         gboolean    custom_requirement,
                         gint64      last_progress)
{
  FlOpportunity *opportunity = g_new0 (FlOpportunity, 1);

  opportunity->id = g_strdup (id);
  opportunity->customer = g_strdup (customer);
  opportunity->value = value;
  opportunity->stage = stage;
  opportunity->custom_requirement = custom_requirement;
  opportunity->last_progress = last_progress;
  g_ptr_array_add (dataset->opportunities, opportunity);
  return opportunity;
}

FlAction *
fl_test_add_action (FlDataset  *dataset,
                    const char *id,
                    const char *alert,
                    gint64      created)
{
  FlAction *action = g_new0 (FlAction, 1);

  action->id = id != NULL ? g_strdup (id) : g_strdup_printf ("a-%u", dataset->actions->len);
  action->alert = g_strdup (alert);
  action->kind = FL_ACTION_CALL_TODAY;
  action->created = created;
  action->created_by = g_strdup ("m-test");
  g_ptr_array_add (dataset->actions, action);
  return action;
}

FlPilot *
fl_test_add_pilot (FlDataset  *dataset,
                   const char *id,
                   const char *title,
                   gint32      start,
                   const char *owner,
                   const char *regions)
{
  FlPilot *pilot = g_new0 (FlPilot, 1);

  pilot->id = g_strdup (id);
  pilot->title = g_strdup (title);
  pilot->regions = g_strsplit (regions, ",", -1);
  pilot->start = start;
  pilot->owner = g_strdup (owner);
  g_ptr_array_add (dataset->pilots, pilot);
  return pilot;
}

/* Stores */

FlStore *
fl_test_import (FlDataset *dataset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (NULL, &error);

  g_assert_no_error (error);
  fl_test_reimport (store, dataset);
  return g_steal_pointer (&store);
}

void
fl_test_reimport (FlStore   *store,
                  FlDataset *dataset)
{
  g_autoptr(GError) error = NULL;

  fl_store_import_dataset (store, dataset, &error);
  g_assert_no_error (error);
}

FlEvaluation *
fl_test_evaluate (FlStore              *store,
                  gint64                now,
                  const FlRuleSettings *settings)
{
  g_autoptr(GError) error = NULL;
  FlEvaluation *evaluation = fl_rules_evaluate (store, now, settings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (evaluation);
  return evaluation;
}
