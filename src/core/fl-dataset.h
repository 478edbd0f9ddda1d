/* fl-dataset.h — the in-memory dataset of FORMATS.md §1, reader and writer
 *
 * FlDataset is a plain container of plain structs (all strings owned). It is
 * the unit of import and export; the running app works on FlStore instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include "fl-types.h"
#include "fl-geo.h"

G_BEGIN_DECLS

#define FL_N_HEALTH_DIMENSIONS 6
/* order of FlHealth.scores: cooperation_stability, new_product_acceptance,
 * competitor_penetration, sell_through, inventory_health, payment_punctuality */
extern const char * const fl_health_dimension_keys[FL_N_HEALTH_DIMENSIONS];

typedef struct {
  char       *code;
  char       *name;
  gboolean    has_label_point;   /* FALSE: computed from the geometry on read */
  FlPoint     label_point;
  FlGeometry *geometry;
} FlRegion;

typedef struct { char *id, *name, *region, *phone /* nullable */; } FlRep;
typedef struct { char *id, *name; double avg_order_value; } FlProductCategory;
typedef struct { char *id, *name, *category; } FlProduct;

typedef struct {
  char week[12];                          /* "2026-W47" */
  int  scores[FL_N_HEALTH_DIMENSIONS];    /* 0..100 */
} FlHealth;

typedef struct {
  char     *id, *name, *region, *owner_rep;
  char      tier;                         /* 'A', 'B' or 'C' */
  gboolean  has_location;
  double    lat, lon;
  double    revenue_90d;
  GArray   *health;                       /* of FlHealth, may be empty */
} FlCustomer;

typedef struct { char *product; gboolean is_signed; } FlPitch;

typedef struct {
  char       *id, *customer, *rep;
  gint64      start, end, uploaded;       /* Unix seconds */
  char      **pain_keywords;              /* NULL-terminated, never NULL */
  char       *committed_action;
  gboolean    has_next_follow_up;
  gint64      next_follow_up;
  FlAchieved  prev_action_achieved;
  int         photos;                     /* -1: absent */
  gboolean    has_competitor_price;
  double      competitor_price;
  gboolean    has_shelf_share;
  double      shelf_share;
  GArray     *pitches;                    /* of FlPitch */
} FlVisit;

typedef struct {
  char     *id, *customer;
  double    value;
  FlStage   stage;
  gboolean  custom_requirement;
  gint64    last_progress;
} FlOpportunity;

typedef struct {
  char   *id, *title;
  char  **regions;                        /* NULL-terminated */
  gint32  start;                          /* day number, see fl_date_parse() */
  char   *owner;
} FlPilot;

typedef struct {
  char            *id;
  FlAlertCategory  category;
  char            *region;
  char             customer_tier;         /* 0: null */
  char            *product_category;      /* nullable */
  char            *pain_keyword;          /* nullable */
  FlActionKind     action_kind;
  gboolean         resolved_within_14d;
  char            *label;                 /* nullable */
  gint64           closed;
} FlCase;

typedef struct {
  char         *id, *alert;
  FlActionKind  kind;
  gint64        created;
  char         *created_by;
} FlAction;

typedef struct {
  char      *timezone;                    /* IANA name, e.g. "Asia/Shanghai" */
  char      *province_code, *province_name;
  GPtrArray *regions, *reps, *categories, *products, *customers,
            *visits, *opportunities, *pilots, *cases, *actions;
} FlDataset;

/* An empty dataset (all arrays empty, with their free functions set); its
 * timezone is "Asia/Shanghai", the province NULL. */
FlDataset  *fl_dataset_new              (void);
void        fl_dataset_free             (FlDataset   *dataset);
/* The zone named by @dataset->timezone, or UTC when that is NULL or unknown.
 * Transfer full: release it with g_time_zone_unref(). */
GTimeZone  *fl_dataset_get_time_zone    (FlDataset   *dataset);

/* Reader: full validation (types, enums, ranges, unique ids, references).
 * On error returns NULL and the message names entity, id/index and field
 * (FL_ERROR_INVALID_DATA; malformed JSON too). load_from_file passes I/O
 * errors (G_FILE_ERROR) through; its messages start with the path.
 * Streams: the file is scanned once, then each array element is parsed on
 * its own (at most one element tree per thread), so memory stays near the
 * size of the result (1,000,000 visits, ~470 MB file: ~8–10 s on 2 cores,
 * ~575 MB peak). */
FlDataset  *fl_dataset_load_from_data   (const char  *data,
                                         gsize        length,
                                         GError     **error);
FlDataset  *fl_dataset_load_from_file   (const char  *path,
                                         GError     **error);

/* Writer: FORMATS.md §1, times formatted in the dataset's time zone.
 * Writes to a temporary file and renames it, so a failure leaves @path as it was. */
gboolean    fl_dataset_write_to_file    (FlDataset   *dataset,
                                         const char  *path,
                                         GError     **error);
GBytes     *fl_dataset_write_to_bytes   (FlDataset   *dataset,
                                         GError     **error);

/* Element constructors/destructors used by the GPtrArrays' free funcs. */
void fl_region_free        (FlRegion *r);
void fl_rep_free           (FlRep *r);
void fl_product_category_free (FlProductCategory *c);
void fl_product_free       (FlProduct *p);
void fl_customer_free      (FlCustomer *c);
void fl_visit_free         (FlVisit *v);
void fl_opportunity_free   (FlOpportunity *o);
void fl_pilot_free         (FlPilot *p);
void fl_case_free          (FlCase *c);
void fl_action_free        (FlAction *a);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlDataset, fl_dataset_free)

G_END_DECLS
