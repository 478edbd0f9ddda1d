/* fl-test-data.h — small builders shared by the core's unit tests
 *
 * Every builder appends to the dataset and returns what it added (borrowed:
 * the dataset owns it), so that a test can adjust a field the defaults do not
 * cover. Ids the caller leaves NULL are "<prefix>-<index in the array>".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-core.h"

G_BEGIN_DECLS

/* Times */

/* An RFC 3339 time as Unix seconds (asserts it parses). */
gint64              fl_test_time              (const char *rfc3339);
/* A "YYYY-MM-DD" date as a day number, as in FlPilot.start (asserts it parses). */
gint32              fl_test_date              (const char *date);

/* Datasets */

/* An empty dataset in Asia/Shanghai for province 330000 浙江省. */
FlDataset          *fl_test_dataset_new       (void);
/* A region with a 1°×1° square outline (119–120 E, 29–30 N). */
void                fl_test_add_region        (FlDataset  *dataset,
                                               const char *code,
                                               const char *name);
/* A rep named "Rep <id>", no phone. */
FlRep              *fl_test_add_rep           (FlDataset  *dataset,
                                               const char *id,
                                               const char *region);
FlProductCategory  *fl_test_add_category      (FlDataset  *dataset,
                                               const char *id,
                                               const char *name,
                                               double      avg_order_value);
/* @name NULL: "Product <id>". */
FlProduct          *fl_test_add_product       (FlDataset  *dataset,
                                               const char *id,
                                               const char *name,
                                               const char *category);
/* @name NULL: "Customer <id>". No health snapshots. */
FlCustomer         *fl_test_add_customer      (FlDataset  *dataset,
                                               const char *id,
                                               const char *name,
                                               const char *region,
                                               const char *owner_rep,
                                               char        tier,
                                               double      revenue_90d);
/* A snapshot of @week (e.g. "2026-W48") scoring @score on every dimension.
 * The pointer is into customer->health: valid until the next append. */
FlHealth           *fl_test_add_health        (FlCustomer *customer,
                                               const char *week,
                                               int         score);
/* A visit of 30 min at @start, uploaded an hour after @start, committing
 * "follow up"; no keywords, photos (-1), follow-up, competitor notes or
 * pitches. @id NULL: "v-<index>". */
FlVisit            *fl_test_add_visit         (FlDataset  *dataset,
                                               const char *id,
                                               const char *customer,
                                               const char *rep,
                                               gint64      start,
                                               FlAchieved  achieved);
/* Replaces @visit's pain keywords by the comma-separated @keywords (NULL: none). */
void                fl_test_visit_set_keywords (FlVisit    *visit,
                                                const char *keywords);
/* Appends @n pitches of @product to @visit, the first @n_signed of them signed. */
void                fl_test_add_pitches       (FlVisit    *visit,
                                               const char *product,
                                               int         n,
                                               int         n_signed);
/* A visit "pv-<index>" at @start (RFC 3339) as fl_test_add_visit() makes it,
 * achieved null, carrying fl_test_add_pitches(). */
FlVisit            *fl_test_add_pitch_visit   (FlDataset  *dataset,
                                               const char *customer,
                                               const char *rep,
                                               const char *start,
                                               const char *product,
                                               int         n,
                                               int         n_signed);
FlOpportunity      *fl_test_add_opportunity   (FlDataset  *dataset,
                                               const char *id,
                                               const char *customer,
                                               double      value,
                                               FlStage     stage,
                                               gboolean    custom_requirement,
                                               gint64      last_progress);
/* A call_today action by "m-test" on @alert. @id NULL: "a-<index>". */
FlAction           *fl_test_add_action        (FlDataset  *dataset,
                                               const char *id,
                                               const char *alert,
                                               gint64      created);
/* A pilot from day @start (see fl_test_date()) in the comma-separated @regions. */
FlPilot            *fl_test_add_pilot         (FlDataset  *dataset,
                                               const char *id,
                                               const char *title,
                                               gint32      start,
                                               const char *owner,
                                               const char *regions);

/* Stores */

/* A private in-memory store holding @dataset (asserts the import works). */
FlStore            *fl_test_import            (FlDataset  *dataset);
/* Imports @dataset again into @store, replacing its data (asserts it works). */
void                fl_test_reimport          (FlStore    *store,
                                               FlDataset  *dataset);
/* The rules evaluated on @store at @now; @settings NULL: the defaults
 * (asserts it works). Free with fl_evaluation_free(). */
FlEvaluation       *fl_test_evaluate          (FlStore              *store,
                                               gint64                now,
                                               const FlRuleSettings *settings);

G_END_DECLS
