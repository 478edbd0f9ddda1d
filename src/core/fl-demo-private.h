/* fl-demo-private.h — word lists and tables of the demo data generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A county-level division (区/县/县级市) with the approximate position of its
 * seat, used to name stores and to place them around it. */
typedef struct
{
  const char *name;         /* "永康市" */
  const char *short_name;   /* "永康" */
  double      lon, lat;
  double      weight;       /* share of the prefecture's stores */
} FlDemoPlace;

/* How a prefecture's data is shaped. The demo's colour mix comes from these
 * rates, never from forcing a colour. */
typedef struct
{
  double p_not_achieved;    /* chance a committed action is missed */
  double drift_rate;        /* share of customers drifting away (missed twice); 0: none */
  double stall_rate;        /* share of big open opportunities left > 30 days; 0: none */
  int    gap_category;      /* index of a category the team is weak in, -1: none */
  double late_upload;       /* share of visits uploaded more than 2 h after their end */
} FlDemoProfile;

typedef struct
{
  const char        *code;
  const char        *short_name;   /* "金华" */
  double             weight;       /* relative size (reps, stores, visits) */
  FlDemoProfile      profile;
  const FlDemoPlace *places;
  guint              n_places;
} FlDemoCity;

typedef struct
{
  const char *id;
  const char *name;
  const char *short_name;          /* "乳品", for case labels */
  double      avg_order_value;
  double      conversion;          /* province-typical signed ÷ pitched */
  double      pitch_weight;        /* share of pitches */
} FlDemoCategory;

typedef struct
{
  const char *name;
  guint       category;            /* index into _fl_demo_categories */
} FlDemoProduct;

extern const FlDemoCity     _fl_demo_cities[];
extern const guint          _fl_demo_n_cities;

extern const FlDemoCategory _fl_demo_categories[];
extern const guint          _fl_demo_n_categories;

extern const FlDemoProduct  _fl_demo_products[];
extern const guint          _fl_demo_n_products;

/* Ordered by frequency (most common first). */
extern const char * const   _fl_demo_surnames[];
extern const guint          _fl_demo_n_surnames;
extern const char * const   _fl_demo_given_male[];
extern const guint          _fl_demo_n_given_male;
extern const char * const   _fl_demo_given_female[];
extern const guint          _fl_demo_n_given_female;

extern const char * const   _fl_demo_brands[];
extern const guint          _fl_demo_n_brands;
/* Store types per tier: [0] A, [1] B, [2] C. */
extern const char * const  *_fl_demo_store_types[3];
extern const guint          _fl_demo_n_store_types[3];
extern const char * const   _fl_demo_branch_suffixes[];
extern const guint          _fl_demo_n_branch_suffixes;

/* Pain keywords; committed actions answer them, index for index. */
extern const char * const   _fl_demo_pain_keywords[];
extern const guint          _fl_demo_n_pain_keywords;
extern const char * const  *_fl_demo_keyword_actions[];   /* NULL-terminated lists */
extern const char * const   _fl_demo_generic_actions[];
extern const guint          _fl_demo_n_generic_actions;
/* The committed action of a routine visit: nothing new promised. */
extern const char * const   _fl_demo_no_action;

extern const char * const   _fl_demo_pilot_titles[];
extern const guint          _fl_demo_n_pilot_titles;

extern const char * const   _fl_demo_phone_prefixes[];
extern const guint          _fl_demo_n_phone_prefixes;

G_END_DECLS
