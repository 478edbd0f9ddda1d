/* fl-demo.c — the deterministic demo data generator (SPEC §9)
 *
 * A food distributor in Zhejiang: reps, stores, 12 weeks of visits,
 * opportunities, talk-track pilots, handled cases and a few actions. Every
 * random choice comes from one seeded xoshiro256** generator per phase, so
 * (seed, now, scale) always give the same dataset, and a change in one phase
 * does not reshuffle the others.
 *
 * The colour mix of the map is not forced: each prefecture has a profile
 * (fl-demo-names.c) that sets how often actions are missed, how many
 * customers drift away, how many big opportunities are left alone and which
 * category its team is weak in. Cities without a churn profile never miss a
 * committed action twice in a row, their big opportunities all moved within
 * the last 4 weeks, and their teams convert near the province average.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fl-demo.h"
#include "fl-demo-private.h"
#include "fl-time.h"

#define BASE_REPS          217
#define BASE_CUSTOMERS     2500
#define BASE_VISITS        50000
#define BASE_OPPORTUNITIES 500
#define BASE_CASES         300
#define N_PILOTS           6
#define VISIT_DAYS         84      /* 12 weeks before the day of now */
#define N_HEALTH_WEEKS     6
#define WEAK_WEEKS         6       /* a weak team is weak over the last 6 weeks */
#define WEAK_FACTOR        0.42    /* a weak team's conversion vs. the province's */
#define STALL_VALUE        50000.0
#define MAX_SCALE          200.0
#define DAY                86400

enum {
  STREAM_REPS = 1,
  STREAM_CUSTOMERS,
  STREAM_VISITS,
  STREAM_TIMES,
  STREAM_SIGNED,
  STREAM_OPPORTUNITIES,
  STREAM_PILOTS,
  STREAM_CASES,
  STREAM_ACTIONS,
};

/* xoshiro256** seeded through splitmix64 */

typedef struct { guint64 s[4]; } Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void
rng_init (Rng     *rng,
          guint64  seed,
          guint64  stream)
{
  guint64 x = seed ^ (stream * G_GUINT64_CONSTANT (0xd1b54a32d192ed03));

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* uniform in [0, 1) */
static inline double
rng_double (Rng *rng)
{
  return (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* uniform in [0, n) */
static inline guint
rng_below (Rng   *rng,
           guint  n)
{
  return (guint) (((rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* uniform in [lo, hi] */
static inline int
rng_int (Rng *rng,
         int  lo,
         int  hi)
{
  return lo + (int) rng_below (rng, (guint) (hi - lo + 1));
}

static inline double
rng_uniform (Rng    *rng,
             double  lo,
             double  hi)
{
  return lo + (hi - lo) * rng_double (rng);
}

static inline gboolean
rng_chance (Rng    *rng,
            double  p)
{
  return rng_double (rng) < p;
}

static double
rng_normal (Rng *rng)
{
  double u1 = 1.0 - rng_double (rng);   /* (0, 1] */
  double u2 = rng_double (rng);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static guint
rng_weighted (Rng          *rng,
              const double *weights,
              guint         n)
{
  double total = 0, x;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  x = rng_double (rng) * total;
  for (guint i = 0; i < n; i++)
    {
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  return n - 1;
}

/* Zipf-like pick favouring the front of a frequency-ordered list */
static guint
rng_frequent (Rng   *rng,
              guint  n)
{
  double u = rng_double (rng);

  return MIN (n - 1, (guint) (u * u * n));
}

static void
shuffle_uints (Rng   *rng,
               guint *v,
               guint  n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = rng_below (rng, i);
      guint t = v[i - 1];

      v[i - 1] = v[j];
      v[j] = t;
    }
}

/* Generator state */

typedef struct
{
  const FlDemoCity *def;          /* NULL: a region the tables don't know */
  FlDemoProfile     profile;
  FlRegion         *region;       /* borrowed from the dataset */
  const char       *short_name;
  double            weight;
  double            team_factor;  /* conversion vs. the province, non-weak weeks */
  FlPoint          *centres;      /* per place: its seat, or the label point */
  GArray           *reps;         /* of guint */
  GArray           *customers;    /* of guint */
} City;

typedef struct
{
  guint  city;
  double skill[8];                /* per category */
} RepInfo;

typedef struct
{
  guint      city, rep;
  char       tier;
  gboolean   drifting;
  guint      drift_len;           /* the last drift_len visits all missed */
  gint       recover_at;          /* missed at visits recover_at and +1, then caught up */
  gint       recover_visit;       /* the visit that raised that past alert */
  guint      n_visits;
  guint      seen;
  FlAchieved last_state;
  gboolean   last_nothing;        /* the previous visit committed nothing */
  gint       last_visit, prev_visit;
} CustInfo;

typedef struct
{
  guint32 customer;
  guint32 rep;
  gint32  day;
  guint32 key;
  gint64  start, end;
} Draft;

typedef struct
{
  guint64 bucket;                 /* city, category, week */
  double  key;                    /* weighted-sampling key, smaller wins */
  guint32 visit;
  guint32 pitch;
} PitchRef;

typedef struct
{
  guint64     seed;
  gint64      now;
  double      scale;
  GTimeZone  *tz;
  FlDataset  *ds;

  gint32      day_now;            /* local day of now */
  gint32      monday0;            /* Monday of the week containing now */
  gint32      cache_first;
  guint       cache_len;
  gint64     *day_starts;

  City       *cities;
  guint       n_cities;
  RepInfo    *reps;
  guint       n_reps;
  CustInfo   *custs;
  guint       n_custs;
  Draft      *drafts;
  guint       n_drafts;
  guint      *opp_city;           /* per opportunity, in id order */
  gint32     *workdays;
  guint       n_workdays;
} Gen;

static void
gen_clear (Gen *gen)
{
  for (guint i = 0; i < gen->n_cities; i++)
    {
      g_free (gen->cities[i].centres);
      g_clear_pointer (&gen->cities[i].reps, g_array_unref);
      g_clear_pointer (&gen->cities[i].customers, g_array_unref);
    }
  g_free (gen->cities);
  g_free (gen->reps);
  g_free (gen->custs);
  g_free (gen->drafts);
  g_free (gen->opp_city);
  g_free (gen->workdays);
  g_free (gen->day_starts);
  g_clear_pointer (&gen->tz, g_time_zone_unref);
  g_clear_pointer (&gen->ds, fl_dataset_free);
}

/* Midnight of @day in the dataset's time zone (Asia/Shanghai has no DST, so
 * times of day are added as seconds). */
static gint64
day_start (Gen    *gen,
           gint32  day)
{
  gint64 off = (gint64) day - gen->cache_first;

  if (off >= 0 && off < gen->cache_len)
    return gen->day_starts[off];
  return fl_day_at (day, 0, 0, gen->tz);
}

static gint64
day_at (Gen    *gen,
        gint32  day,
        int     minutes)
{
  return day_start (gen, day) + (gint64) minutes * 60;
}

/* 0 = Monday … 6 = Sunday; day 0 (1970-01-01) was a Thursday. */
static int
weekday_of (gint32 day)
{
  return (int) (((gint64) day + 3) % 7 + 7) % 7;
}

/* Week relative to the week containing now (0), negative in the past. */
static int
week_of (Gen    *gen,
         gint32  day)
{
  gint32 d = day - gen->monday0;

  return d >= 0 ? d / 7 : -((-d + 6) / 7);
}

static int
id_width (guint count,
          int   minimum)
{
  int w = 1;

  while (count >= 10)
    {
      count /= 10;
      w++;
    }
  return MAX (w, minimum);
}

/* Largest-remainder apportionment of @total over @n weights, each share at
 * least @minimum when the total allows it. */
static void
apportion (guint         total,
           const double *weights,
           guint         n,
           guint         minimum,
           guint        *out)
{
  double sum = 0;
  guint given = 0;
  g_autofree double *rem = g_new0 (double, n);

  if ((guint64) minimum * n > total)
    minimum = 0;
  for (guint i = 0; i < n; i++)
    sum += weights[i];
  for (guint i = 0; i < n; i++)
    {
      double exact = sum > 0 ? (double) (total - minimum * n) * weights[i] / sum : 0;

      out[i] = minimum + (guint) floor (exact);
      rem[i] = exact - floor (exact);
      given += out[i];
    }
  while (given < total)
    {
      guint best = 0;

      for (guint i = 1; i < n; i++)
        if (rem[i] > rem[best])
          best = i;
      out[best]++;
      rem[best] = -1;
      given++;
    }
}

static guint
scaled (guint  base,
        double scale)
{
  return (guint) MAX (1.0, floor (base * scale + 0.5));
}

/* Regions, categories, products */

static int
compare_regions (gconstpointer a,
                 gconstpointer b)
{
  const FlRegion *ra = *(FlRegion * const *) a;
  const FlRegion *rb = *(FlRegion * const *) b;

  return strcmp (ra->code, rb->code);
}

static gboolean
gen_regions (Gen     *gen,
             GError **error)
{
  g_autoptr(GPtrArray) features = NULL;
  GPtrArray *regions = gen->ds->regions;

  features = fl_geo_load_zhejiang (error);
  if (features == NULL)
    return FALSE;
  if (features->len == 0)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("Demo data: the bundled Zhejiang map has no prefectures"));
      return FALSE;
    }

  for (guint i = 0; i < features->len; i++)
    {
      FlGeoFeature *f = g_ptr_array_index (features, i);
      FlRegion *r = g_new0 (FlRegion, 1);

      r->code = g_strdup (f->code);
      r->name = g_strdup (f->name);
      r->geometry = fl_geometry_copy (f->geometry);
      r->has_label_point = TRUE;
      r->label_point = f->has_label_point ? f->label_point
                                          : fl_geometry_label_point (f->geometry);
      g_ptr_array_add (regions, r);
    }
  g_ptr_array_sort (regions, compare_regions);

  gen->n_cities = regions->len;
  gen->cities = g_new0 (City, gen->n_cities);
  for (guint i = 0; i < regions->len; i++)
    {
      City *city = &gen->cities[i];
      FlRegion *r = g_ptr_array_index (regions, i);

      city->region = r;
      city->reps = g_array_new (FALSE, FALSE, sizeof (guint));
      city->customers = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint j = 0; j < _fl_demo_n_cities; j++)
        if (g_str_equal (_fl_demo_cities[j].code, r->code))
          city->def = &_fl_demo_cities[j];

      if (city->def != NULL)
        {
          city->profile = city->def->profile;
          city->short_name = city->def->short_name;
          city->weight = city->def->weight;
          city->centres = g_new0 (FlPoint, city->def->n_places);
          for (guint j = 0; j < city->def->n_places; j++)
            {
              const FlDemoPlace *p = &city->def->places[j];

              /* A seat outside the outline (coarse map data) falls back
               * to the label point, so placement never loops in vain. */
              if (fl_geometry_contains (r->geometry, p->lon, p->lat))
                city->centres[j] = (FlPoint) { p->lon, p->lat };
              else
                city->centres[j] = r->label_point;
            }
        }
      else
        {
          city->profile = (FlDemoProfile) { 0.08, 0.0, 0.0, -1, 0.03 };
          city->short_name = r->name;
          city->weight = 5.0;
        }
    }
  return TRUE;
}

static void
gen_products (Gen *gen)
{
  for (guint i = 0; i < _fl_demo_n_categories; i++)
    {
      FlProductCategory *c = g_new0 (FlProductCategory, 1);

      c->id = g_strdup (_fl_demo_categories[i].id);
      c->name = g_strdup (_fl_demo_categories[i].name);
      c->avg_order_value = _fl_demo_categories[i].avg_order_value;
      g_ptr_array_add (gen->ds->categories, c);
    }
  for (guint i = 0; i < _fl_demo_n_products; i++)
    {
      FlProduct *p = g_new0 (FlProduct, 1);

      p->id = g_strdup_printf ("p-%03u", i + 1);
      p->name = g_strdup (_fl_demo_products[i].name);
      p->category = g_strdup (_fl_demo_categories[_fl_demo_products[i].category].id);
      g_ptr_array_add (gen->ds->products, p);
    }
}

/* Reps */

static char *
make_person_name (Rng *rng)
{
  const char *surname = _fl_demo_surnames[rng_frequent (rng, _fl_demo_n_surnames)];
  const char *given;

  if (rng_chance (rng, 0.6))
    given = _fl_demo_given_male[rng_below (rng, _fl_demo_n_given_male)];
  else
    given = _fl_demo_given_female[rng_below (rng, _fl_demo_n_given_female)];
  return g_strconcat (surname, given, NULL);
}

static void
gen_reps (Gen *gen)
{
  Rng rng;
  guint n = gen->scale <= 1.0 ? BASE_REPS : scaled (BASE_REPS, gen->scale);
  int width = id_width (n, 3);
  g_autofree double *weights = g_new0 (double, gen->n_cities);
  g_autofree guint *counts = g_new0 (guint, gen->n_cities);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  guint k = 0;

  rng_init (&rng, gen->seed, STREAM_REPS);
  for (guint i = 0; i < gen->n_cities; i++)
    weights[i] = gen->cities[i].weight;
  apportion (n, weights, gen->n_cities, 2, counts);

  gen->n_reps = n;
  gen->reps = g_new0 (RepInfo, n);
  for (guint c = 0; c < gen->n_cities; c++)
    {
      City *city = &gen->cities[c];

      /* Team-level conversion: near the province average, never far below. */
      city->team_factor = rng_uniform (&rng, 0.95, 1.08);

      for (guint j = 0; j < counts[c]; j++, k++)
        {
          FlRep *rep = g_new0 (FlRep, 1);
          RepInfo *info = &gen->reps[k];
          double skill = CLAMP (exp (0.2 * rng_normal (&rng)), 0.6, 1.6);
          char *name = make_person_name (&rng);
          const char *prefix;

          for (guint tries = 0; g_hash_table_contains (names, name) && tries < 20; tries++)
            {
              g_free (name);
              name = make_person_name (&rng);
            }
          if (g_hash_table_contains (names, name))
            {
              char *longer = g_strconcat (name, _fl_demo_given_male[k % _fl_demo_n_given_male],
                                          NULL);
              g_free (name);
              name = longer;
            }

          rep->id = g_strdup_printf ("r-%0*u", width, k + 1);
          rep->name = name;
          rep->region = g_strdup (city->region->code);
          prefix = _fl_demo_phone_prefixes[rng_below (&rng, _fl_demo_n_phone_prefixes)];
          rep->phone = g_strdup_printf ("%s%08u", prefix, rng_below (&rng, 100000000));
          g_hash_table_add (names, rep->name);
          g_ptr_array_add (gen->ds->reps, rep);

          info->city = c;
          for (guint cat = 0; cat < _fl_demo_n_categories; cat++)
            info->skill[cat] = skill * CLAMP (exp (0.15 * rng_normal (&rng)), 0.7, 1.4);
          /* In a weak team, some reps barely close the category: the detail
           * view shows who pulls the rate down. */
          if (city->profile.gap_category >= 0 && rng_chance (&rng, 0.45))
            info->skill[city->profile.gap_category] *= 0.25;
          g_array_append_val (city->reps, k);
        }
    }
}

/* Customers */

static void
place_customer (Gen        *gen,
                Rng        *rng,
                City       *city,
                guint       place,
                FlCustomer *c)
{
  const FlGeometry *g = city->region->geometry;

  if (city->centres != NULL)
    {
      FlPoint centre = city->centres[place];

      for (guint i = 0; i < 30; i++)
        {
          double lon = centre.x + 0.06 * rng_normal (rng);
          double lat = centre.y + 0.05 * rng_normal (rng);

          if (fl_geometry_contains (g, lon, lat))
            {
              c->lon = lon;
              c->lat = lat;
              return;
            }
        }
    }
  for (guint i = 0; i < 2000; i++)
    {
      double lon = rng_uniform (rng, g->min_x, g->max_x);
      double lat = rng_uniform (rng, g->min_y, g->max_y);

      if (fl_geometry_contains (g, lon, lat))
        {
          c->lon = lon;
          c->lat = lat;
          return;
        }
    }
  c->lon = city->region->label_point.x;
  c->lat = city->region->label_point.y;
}

static char *
make_store_name (Rng        *rng,
                 City       *city,
                 guint       place,
                 char        tier,
                 GHashTable *names)
{
  guint t = tier - 'A';
  char *name = NULL;

  for (guint tries = 0; tries < 12; tries++)
    {
      const char *where;
      const char *brand = _fl_demo_brands[rng_below (rng, _fl_demo_n_brands)];
      const char *type = _fl_demo_store_types[t][rng_below (rng, _fl_demo_n_store_types[t])];

      if (city->def != NULL)
        {
          const FlDemoPlace *p = &city->def->places[place];

          where = rng_chance (rng, 0.2) ? p->name : p->short_name;
        }
      else
        where = city->short_name;

      g_free (name);
      name = g_strconcat (where, brand, type, NULL);
      if (tries >= 3)
        {
          char *branch = g_strconcat (name, _fl_demo_branch_suffixes[rng_below (rng,
                                        _fl_demo_n_branch_suffixes)], NULL);
          g_free (name);
          name = branch;
        }
      if (!g_hash_table_contains (names, name))
        return name;
    }
  /* Practically unreachable: number the branch. */
  for (guint n = 2;; n++)
    {
      char *numbered = g_strdup_printf ("%s%u号店", name, n);

      if (!g_hash_table_contains (names, numbered))
        {
          g_free (name);
          return numbered;
        }
      g_free (numbered);
    }
}

static void
gen_health (Gen        *gen,
            Rng        *rng,
            FlCustomer *c,
            CustInfo   *info,
            char        weeks[][12])
{
  double base[FL_N_HEALTH_DIMENSIONS], trend[FL_N_HEALTH_DIMENSIONS];
  double tier_bonus = c->tier == 'A' ? 10 : c->tier == 'B' ? 4 : -4;
  gboolean improving = rng_chance (rng, 0.72);
  const FlDemoProfile *p = &gen->cities[info->city].profile;

  base[0] = 68 + tier_bonus + 8 * rng_normal (rng);        /* cooperation stability */
  base[1] = 55 + 14 * rng_normal (rng);                    /* new product acceptance */
  base[2] = 32 + 12 * rng_normal (rng) + 80 * p->p_not_achieved; /* competitor penetration */
  base[3] = 62 + tier_bonus + 10 * rng_normal (rng);       /* sell-through */
  base[4] = 68 + 9 * rng_normal (rng);                     /* inventory health */
  base[5] = 84 + 8 * rng_normal (rng) - 40 * p->p_not_achieved; /* payment punctuality */

  for (guint d = 0; d < FL_N_HEALTH_DIMENSIONS; d++)
    {
      double step = improving ? rng_uniform (rng, 0.5, 2.5) : rng_uniform (rng, -1.5, 0.8);

      /* competitor penetration: lower is better */
      trend[d] = d == 2 ? -step : step;
    }
  if (info->drifting)
    {
      trend[0] = -rng_uniform (rng, 3, 6);
      trend[2] = rng_uniform (rng, 3, 6);
      trend[5] = -rng_uniform (rng, 1, 4);
    }

  c->health = g_array_sized_new (FALSE, TRUE, sizeof (FlHealth), N_HEALTH_WEEKS);
  for (guint w = 0; w < N_HEALTH_WEEKS; w++)
    {
      FlHealth h;

      memset (&h, 0, sizeof h);
      memcpy (h.week, weeks[w], sizeof h.week);
      for (guint d = 0; d < FL_N_HEALTH_DIMENSIONS; d++)
        {
          double v = base[d] + trend[d] * ((double) w - (N_HEALTH_WEEKS - 1))
                     + 1.5 * rng_normal (rng);

          h.scores[d] = (int) CLAMP (floor (v + 0.5), 0, 100);
        }
      g_array_append_val (c->health, h);
    }
}

static double
tier_revenue (Rng  *rng,
              char  tier)
{
  double lo, hi, v;

  switch (tier)
    {
    case 'A': lo = 150000; hi = 600000; break;
    case 'B': lo = 40000; hi = 150000; break;
    default:  lo = 5000; hi = 40000; break;
    }
  /* log-uniform: many small, a few large */
  v = lo * exp (rng_double (rng) * log (hi / lo));
  return floor (v / 100 + 0.5) * 100;
}

static void
gen_customers (Gen *gen)
{
  Rng rng;
  guint n = MAX (scaled (BASE_CUSTOMERS, gen->scale), gen->n_cities);
  int width = id_width (n, 4);
  g_autofree double *weights = g_new0 (double, gen->n_cities);
  g_autofree guint *counts = g_new0 (guint, gen->n_cities);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint *order = g_new0 (guint, n);
  char weeks[N_HEALTH_WEEKS][12];
  guint k = 0;

  rng_init (&rng, gen->seed, STREAM_CUSTOMERS);
  for (guint w = 0; w < N_HEALTH_WEEKS; w++)
    {
      gint32 monday = gen->monday0 - 7 * (N_HEALTH_WEEKS - w);
      g_autofree char *week = fl_iso_week_format (day_at (gen, monday, 12 * 60), gen->tz);

      memset (weeks[w], 0, sizeof weeks[w]);
      g_strlcpy (weeks[w], week, sizeof weeks[w]);
    }

  for (guint i = 0; i < gen->n_cities; i++)
    weights[i] = gen->cities[i].weight;
  apportion (n, weights, gen->n_cities, 1, counts);

  gen->n_custs = n;
  gen->custs = g_new0 (CustInfo, n);

  /* Stores are numbered in a shuffled order, so ids do not follow cities. */
  for (guint i = 0; i < n; i++)
    order[i] = i;
  shuffle_uints (&rng, order, n);

  for (guint c = 0; c < gen->n_cities; c++)
    {
      City *city = &gen->cities[c];
      g_autofree guint *reps = g_memdup2 (city->reps->data, city->reps->len * sizeof (guint));
      guint n_drift = 0;

      shuffle_uints (&rng, reps, city->reps->len);

      for (guint j = 0; j < counts[c]; j++)
        {
          guint idx = order[k++];
          CustInfo *info = &gen->custs[idx];
          double u = rng_double (&rng);

          info->city = c;
          info->rep = reps[j % city->reps->len];
          info->tier = u < 0.15 ? 'A' : u < 0.50 ? 'B' : 'C';
          info->last_visit = info->prev_visit = -1;
          info->recover_at = info->recover_visit = -1;
          info->last_state = FL_ACHIEVED_NULL;
          g_array_append_val (city->customers, idx);
        }

      /* Drifting customers: the rep missed the last promises twice or more. */
      if (city->profile.drift_rate > 0 && city->customers->len > 0)
        {
          g_autofree guint *pick = g_memdup2 (city->customers->data,
                                              city->customers->len * sizeof (guint));

          n_drift = MAX (2, (guint) floor (city->profile.drift_rate * city->customers->len + 0.5));
          n_drift = MIN (n_drift, city->customers->len);
          shuffle_uints (&rng, pick, city->customers->len);
          for (guint j = 0; j < n_drift; j++)
            {
              gen->custs[pick[j]].drifting = TRUE;
              gen->custs[pick[j]].drift_len = rng_chance (&rng, 0.7) ? 2 : 3;
            }
        }
    }

  /* Create the customers in id order. */
  for (guint i = 0; i < n; i++)
    {
      CustInfo *info = &gen->custs[i];
      City *city = &gen->cities[info->city];
      FlCustomer *c = g_new0 (FlCustomer, 1);
      guint place = 0;

      if (city->def != NULL)
        {
          double pw[32];

          for (guint j = 0; j < city->def->n_places && j < G_N_ELEMENTS (pw); j++)
            pw[j] = city->def->places[j].weight;
          place = rng_weighted (&rng, pw, MIN (city->def->n_places, G_N_ELEMENTS (pw)));
        }

      c->id = g_strdup_printf ("c-%0*u", width, i + 1);
      c->tier = info->tier;
      c->name = make_store_name (&rng, city, place, c->tier, names);
      g_hash_table_add (names, c->name);
      c->region = g_strdup (city->region->code);
      c->owner_rep = g_strdup (((FlRep *) g_ptr_array_index (gen->ds->reps, info->rep))->id);
      c->has_location = TRUE;
      place_customer (gen, &rng, city, place, c);
      c->lat = floor (c->lat * 1e5 + 0.5) / 1e5;
      c->lon = floor (c->lon * 1e5 + 0.5) / 1e5;
      c->revenue_90d = tier_revenue (&rng, c->tier);
      gen_health (gen, &rng, c, info, weeks);
      g_ptr_array_add (gen->ds->customers, c);
    }
}

/* Visits */

static int
compare_drafts_by_rep_day (gconstpointer a,
                           gconstpointer b)
{
  const Draft *da = a, *db = b;

  if (da->rep != db->rep)
    return da->rep < db->rep ? -1 : 1;
  if (da->day != db->day)
    return da->day < db->day ? -1 : 1;
  if (da->key != db->key)
    return da->key < db->key ? -1 : 1;
  return da->customer < db->customer ? -1 : da->customer > db->customer;
}

static int
compare_drafts_by_start (gconstpointer a,
                         gconstpointer b)
{
  const Draft *da = a, *db = b;

  if (da->start != db->start)
    return da->start < db->start ? -1 : 1;
  return da->customer < db->customer ? -1 : da->customer > db->customer;
}

static void
gen_visit_plan (Gen *gen)
{
  Rng rng;
  guint target = scaled (BASE_VISITS, gen->scale);
  g_autofree double *w = g_new0 (double, gen->n_custs);
  g_autofree guint *idx = NULL;
  double sum = 0, carry;
  guint n_drafts = 0;

  rng_init (&rng, gen->seed, STREAM_VISITS);

  /* Working days (Monday–Saturday) of the 12 weeks before today. */
  gen->workdays = g_new0 (gint32, VISIT_DAYS);
  for (gint32 d = gen->day_now - VISIT_DAYS; d < gen->day_now; d++)
    if (weekday_of (d) != 6)
      gen->workdays[gen->n_workdays++] = d;

  for (guint i = 0; i < gen->n_custs; i++)
    {
      char t = gen->custs[i].tier;

      w[i] = (t == 'A' ? 2.8 : t == 'B' ? 2.0 : 1.2) * rng_uniform (&rng, 0.75, 1.25);
      sum += w[i];
    }

  /* Randomised rounding keeps the total on target. */
  carry = rng_double (&rng);
  for (guint i = 0; i < gen->n_custs; i++)
    {
      CustInfo *info = &gen->custs[i];
      double exact = target * w[i] / sum + carry;
      guint k = (guint) floor (exact);

      carry = exact - k;
      k = CLAMP (k, info->drifting ? 3 : 1, gen->n_workdays - 2);
      info->n_visits = k;
      n_drafts += k;

      /* A past scare that was handled: two misses in a row weeks ago, then
       * back on track. It shows in the week-over-week map, not today. */
      if (!info->drifting && k >= 6
          && rng_chance (&rng, gen->cities[info->city].profile.drift_rate > 0 ? 0.04 : 0.02))
        info->recover_at = rng_int (&rng, MAX (1, (int) k - 10), (int) k - 3);
    }

  gen->drafts = g_new0 (Draft, n_drafts);
  idx = g_new0 (guint, gen->n_workdays);
  for (guint i = 0; i < gen->n_custs; i++)
    {
      CustInfo *info = &gen->custs[i];
      guint k = info->n_visits;
      double step = (double) gen->n_workdays / k;
      double phase = rng_double (&rng);
      int jitter = (int) floor ((step - 1) / 2);

      for (guint j = 0; j < k; j++)
        {
          int v = (int) floor ((j + phase) * step);

          if (jitter > 0)
            v += rng_int (&rng, -jitter, jitter);
          v = MAX (v, 0);
          if (j > 0)
            v = MAX (v, (int) idx[j - 1] + 1);
          idx[j] = (guint) v;
        }
      for (guint j = k; j-- > 0;)
        {
          guint limit = j + 1 < k ? idx[j + 1] - 1 : gen->n_workdays - 1;

          idx[j] = MIN (idx[j], limit);
        }
      for (guint j = 0; j < k; j++)
        {
          Draft *d = &gen->drafts[gen->n_drafts++];

          d->customer = i;
          d->rep = info->rep;
          d->day = gen->workdays[idx[j]];
          d->key = (guint32) (rng_next (&rng) >> 32);
        }
    }

  /* Each rep's day: visits one after the other, with travel and lunch. */
  qsort (gen->drafts, gen->n_drafts, sizeof (Draft), compare_drafts_by_rep_day);
  rng_init (&rng, gen->seed, STREAM_TIMES);
  for (guint i = 0; i < gen->n_drafts;)
    {
      guint j = i, end = i;
      int t = 8 * 60 + 30 + rng_int (&rng, 0, 50);

      while (end < gen->n_drafts && gen->drafts[end].rep == gen->drafts[i].rep
             && gen->drafts[end].day == gen->drafts[i].day)
        end++;
      /* a light day often starts after lunch (mornings go to the office) */
      if (end - i <= 3 && rng_chance (&rng, 0.35))
        t = 13 * 60 + 30 + rng_int (&rng, 0, 60);
      for (; j < end; j++)
        {
          Draft *d = &gen->drafts[j];
          char tier = gen->custs[d->customer].tier;
          int dur = tier == 'A' ? rng_int (&rng, 25, 60)
                    : tier == 'B' ? rng_int (&rng, 20, 50) : rng_int (&rng, 15, 40);

          if (t >= 11 * 60 + 40 && t < 13 * 60)
            t = 13 * 60 + rng_int (&rng, 0, 20);
          d->start = day_at (gen, d->day, t);
          d->end = d->start + (gint64) dur * 60;
          t += dur + rng_int (&rng, 10, 40);
        }
      i = j;
    }
  qsort (gen->drafts, gen->n_drafts, sizeof (Draft), compare_drafts_by_start);
}

static guint
pick_keyword (Rng          *rng,
              const City   *city,
              gboolean      drifting_now)
{
  /* 缺货 竞品压价 临期品 账期紧 陈列位置差 新品不动销
   * 促销支持不足 物流慢 价格倒挂 退换货难 冰柜不足 进场费高 */
  double w[] = { 12, 12, 8, 8, 10, 10, 9, 7, 6, 6, 5, 5 };
  const FlDemoProfile *p = &city->profile;

  G_STATIC_ASSERT (G_N_ELEMENTS (w) == 12);
  if (drifting_now)
    {
      w[1] += 30;
      w[3] += 15;
      w[8] += 12;
    }
  if (p->drift_rate > 0)
    {
      w[1] += 6;
      w[3] += 4;
    }
  if (p->stall_rate > 0)
    w[8] += 5;
  if (p->gap_category >= 0)
    {
      w[5] += 8;
      w[6] += 5;
      if (p->gap_category == 3)
        w[10] += 8;
    }
  return rng_weighted (rng, w, MIN (G_N_ELEMENTS (w), _fl_demo_n_pain_keywords));
}

static const char *
pick_action (Rng   *rng,
             gint   keyword)
{
  if (keyword >= 0 && rng_chance (rng, 0.85))
    {
      const char * const *list = _fl_demo_keyword_actions[keyword];
      guint n = g_strv_length ((char **) list);

      return list[rng_below (rng, n)];
    }
  return _fl_demo_generic_actions[rng_below (rng, _fl_demo_n_generic_actions)];
}

/* Same ownership as the reader's arrays: fl_visit_free() only unrefs. */
static void
pitch_clear (gpointer data)
{
  FlPitch *pitch = data;

  g_clear_pointer (&pitch->product, g_free);
}

static GArray *
new_pitch_array (guint reserve)
{
  GArray *pitches = g_array_sized_new (FALSE, TRUE, sizeof (FlPitch), reserve);

  g_array_set_clear_func (pitches, pitch_clear);
  return pitches;
}

static void
add_pitch (GArray     *pitches,
           guint       product)
{
  FlPitch p = { g_strdup_printf ("p-%03u", product + 1), FALSE };

  g_array_append_val (pitches, p);
}

static gboolean
has_product (GArray *pitches,
             guint   product)
{
  char id[16];

  g_snprintf (id, sizeof id, "p-%03u", product + 1);
  for (guint i = 0; i < pitches->len; i++)
    if (g_str_equal (g_array_index (pitches, FlPitch, i).product, id))
      return TRUE;
  return FALSE;
}

static guint
pick_product (Rng        *rng,
              const City *city,
              guint      *out_category)
{
  double w[8];
  guint cat, n = 0, chosen;

  for (guint i = 0; i < _fl_demo_n_categories && i < G_N_ELEMENTS (w); i++)
    w[i] = _fl_demo_categories[i].pitch_weight
           * ((int) i == city->profile.gap_category ? 1.8 : 1.0);
  cat = rng_weighted (rng, w, MIN (_fl_demo_n_categories, G_N_ELEMENTS (w)));
  for (guint i = 0; i < _fl_demo_n_products; i++)
    n += _fl_demo_products[i].category == cat;
  chosen = rng_below (rng, n);
  for (guint i = 0; i < _fl_demo_n_products; i++)
    if (_fl_demo_products[i].category == cat && chosen-- == 0)
      {
        *out_category = cat;
        return i;
      }
  g_assert_not_reached ();
}

static void
gen_visits (Gen *gen)
{
  Rng rng;
  int width = id_width (gen->n_drafts, 6);

  rng_init (&rng, gen->seed, STREAM_VISITS + 100);
  for (guint i = 0; i < gen->n_drafts; i++)
    {
      Draft *d = &gen->drafts[i];
      CustInfo *info = &gen->custs[d->customer];
      City *city = &gen->cities[info->city];
      FlCustomer *cust = g_ptr_array_index (gen->ds->customers, d->customer);
      FlRep *rep = g_ptr_array_index (gen->ds->reps, d->rep);
      FlVisit *v = g_new0 (FlVisit, 1);
      guint remaining = info->n_visits - info->seen;   /* this one included */
      gint seen = (gint) info->seen;
      gboolean past_streak = seen == info->recover_at || seen == info->recover_at + 1;
      gboolean streak = (info->drifting && remaining <= info->drift_len) || past_streak;
      gboolean before_streak = (info->drifting && remaining <= info->drift_len + 1)
                               || seen == info->recover_at - 1 || seen == info->recover_at;
      gboolean nothing;
      guint n_kw, n_pitches;
      gint kw0 = -1;
      double u;

      v->id = g_strdup_printf ("v-%0*u", width, i + 1);
      v->customer = g_strdup (cust->id);
      v->rep = g_strdup (rep->id);
      v->start = d->start;
      v->end = d->end;
      if (rng_chance (&rng, city->profile.late_upload))
        v->uploaded = d->end + 2 * 3600 + rng_int (&rng, 10, 20 * 60) * 60;
      else
        v->uploaded = d->end + rng_int (&rng, 3, 110) * 60;
      v->uploaded = MAX (MIN (v->uploaded, gen->now), d->end);

      /* Was the promise of the previous visit kept? */
      if (info->seen == 0 || info->last_nothing)
        v->prev_action_achieved = FL_ACHIEVED_NULL;
      else if (streak)
        {
          v->prev_action_achieved = FL_ACHIEVED_FALSE;
          if (seen == info->recover_at + 1)
            info->recover_visit = (gint) i;
        }
      else if (info->last_state == FL_ACHIEVED_FALSE)
        v->prev_action_achieved = FL_ACHIEVED_TRUE;   /* a miss is caught up at once */
      else
        v->prev_action_achieved = rng_chance (&rng, city->profile.p_not_achieved)
                                  ? FL_ACHIEVED_FALSE : FL_ACHIEVED_TRUE;

      /* Pain keywords and the committed action that answers them. */
      u = rng_double (&rng);
      n_kw = streak ? 1 + (u < 0.5) : u < 0.1 ? 0 : u < 0.7 ? 1 : 2;
      v->pain_keywords = g_new0 (char *, n_kw + 1);
      for (guint k = 0; k < n_kw; k++)
        {
          guint kw = pick_keyword (&rng, city, streak);

          if (k == 1 && (gint) kw == kw0)
            kw = (kw + 1) % _fl_demo_n_pain_keywords;
          if (k == 0)
            kw0 = kw;
          v->pain_keywords[k] = g_strdup (_fl_demo_pain_keywords[kw]);
        }
      nothing = !before_streak && remaining > 1 && rng_chance (&rng, 0.05);
      v->committed_action = g_strdup (nothing ? _fl_demo_no_action : pick_action (&rng, kw0));

      if (rng_chance (&rng, 0.92))
        {
          int days = cust->tier == 'A' ? rng_int (&rng, 3, 7)
                     : cust->tier == 'B' ? rng_int (&rng, 5, 10) : rng_int (&rng, 7, 14);
          gint32 day = d->day + days;

          if (weekday_of (day) == 6)
            day++;
          v->has_next_follow_up = TRUE;
          v->next_follow_up = day_at (gen, day, rng_chance (&rng, 0.5) ? 10 * 60 : 14 * 60 + 30);
        }

      v->photos = rng_chance (&rng, 0.1) ? -1 : rng_int (&rng, 0, cust->tier == 'A' ? 5 : 3);
      if (rng_chance (&rng, 0.4))
        {
          v->has_competitor_price = TRUE;
          v->competitor_price = rng_int (&rng, 6, 136) * 0.5;
        }
      if (rng_chance (&rng, 0.55))
        {
          v->has_shelf_share = TRUE;
          v->shelf_share = rng_int (&rng, 5, 60) / 100.0;
        }

      u = rng_double (&rng);
      n_pitches = u < 0.3 ? 0 : u < 0.65 ? 1 : u < 0.9 ? 2 : 3;
      v->pitches = new_pitch_array (n_pitches);
      for (guint k = 0; k < n_pitches; k++)
        {
          guint cat;
          guint product = pick_product (&rng, city, &cat);

          if (!has_product (v->pitches, product))
            add_pitch (v->pitches, product);
        }

      info->last_nothing = nothing;
      info->last_state = v->prev_action_achieved;
      info->prev_visit = info->last_visit;
      info->last_visit = (gint) i;
      info->seen++;
      g_ptr_array_add (gen->ds->visits, v);
    }
}

static guint
product_category (const char *product_id)
{
  guint64 n = g_ascii_strtoull (product_id + 2, NULL, 10);

  g_assert (n >= 1 && n <= _fl_demo_n_products);
  return _fl_demo_products[n - 1].category;
}

/* A weak team must pitch its category at least this often in the weeks the
 * rule looks at, also at small scales (FORMATS.md §2 needs 10 a week). */
static void
top_up_weak_pitches (Gen *gen)
{
  Rng rng;
  GPtrArray *visits = gen->ds->visits;
  g_autofree guint *counts = g_new0 (guint, gen->n_cities * WEAK_WEEKS);
  gboolean any = FALSE;

  for (guint i = 0; i < visits->len; i++)
    {
      FlVisit *v = g_ptr_array_index (visits, i);
      Draft *d = &gen->drafts[i];
      guint c = gen->custs[d->customer].city;
      int cat = gen->cities[c].profile.gap_category;
      int week = week_of (gen, d->day);

      if (cat < 0 || week < -WEAK_WEEKS || week >= 0)
        continue;
      for (guint k = 0; k < v->pitches->len; k++)
        counts[c * WEAK_WEEKS + (week + WEAK_WEEKS)]
          += product_category (g_array_index (v->pitches, FlPitch, k).product) == (guint) cat;
    }
  for (guint c = 0; c < gen->n_cities; c++)
    for (guint w = 0; w < WEAK_WEEKS; w++)
      any |= gen->cities[c].profile.gap_category >= 0 && counts[c * WEAK_WEEKS + w] < 12;
  if (!any)
    return;

  rng_init (&rng, gen->seed, STREAM_SIGNED + 100);
  for (guint i = 0; i < visits->len; i++)
    {
      FlVisit *v = g_ptr_array_index (visits, i);
      Draft *d = &gen->drafts[i];
      guint c = gen->custs[d->customer].city;
      int cat = gen->cities[c].profile.gap_category;
      int week = week_of (gen, d->day);
      guint *count, product;

      if (cat < 0 || week < -WEAK_WEEKS || week >= 0 || v->pitches->len >= 3)
        continue;
      count = &counts[c * WEAK_WEEKS + (week + WEAK_WEEKS)];
      if (*count >= 12)
        continue;
      do
        product = rng_below (&rng, _fl_demo_n_products);
      while (_fl_demo_products[product].category != (guint) cat);
      if (has_product (v->pitches, product))
        continue;
      add_pitch (v->pitches, product);
      (*count)++;
    }
}

static int
compare_pitch_refs (gconstpointer a,
                    gconstpointer b)
{
  const PitchRef *pa = a, *pb = b;

  if (pa->bucket != pb->bucket)
    return pa->bucket < pb->bucket ? -1 : 1;
  if (pa->key != pb->key)
    return pa->key < pb->key ? -1 : 1;
  if (pa->visit != pb->visit)
    return pa->visit < pb->visit ? -1 : 1;
  return pa->pitch < pb->pitch ? -1 : pa->pitch > pb->pitch;
}

/* Who signs: per city × category × week, the number of signings follows the
 * team's rate (rounded up for a normal team with enough pitches, down for a
 * weak one), so sampling noise cannot invent or hide a capability gap; which
 * pitches sign is a weighted draw by rep skill. */
static void
assign_signed (Gen *gen)
{
  Rng rng;
  GPtrArray *visits = gen->ds->visits;
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (PitchRef));
  guint n_cat = _fl_demo_n_categories;

  rng_init (&rng, gen->seed, STREAM_SIGNED);
  for (guint i = 0; i < visits->len; i++)
    {
      FlVisit *v = g_ptr_array_index (visits, i);
      Draft *d = &gen->drafts[i];
      guint city = gen->custs[d->customer].city;
      int week = week_of (gen, d->day);

      for (guint k = 0; k < v->pitches->len; k++)
        {
          guint cat = product_category (g_array_index (v->pitches, FlPitch, k).product);
          double w = gen->reps[d->rep].skill[cat];
          PitchRef r;

          r.bucket = ((guint64) city * n_cat + cat) * 64 + (guint64) (week + 32);
          r.key = -log (1.0 - rng_double (&rng)) / w;
          r.visit = i;
          r.pitch = k;
          g_array_append_val (refs, r);
        }
    }
  g_array_sort (refs, compare_pitch_refs);

  for (guint i = 0; i < refs->len;)
    {
      PitchRef *first = &g_array_index (refs, PitchRef, i);
      guint64 bucket = first->bucket;
      int week = (int) (bucket % 64) - 32;
      guint cat = (guint) ((bucket / 64) % n_cat);
      guint city = (guint) (bucket / 64 / n_cat);
      gboolean weak = gen->cities[city].profile.gap_category == (int) cat
                      && week >= -WEAK_WEEKS;
      double rate = _fl_demo_categories[cat].conversion
                    * (weak ? WEAK_FACTOR : gen->cities[city].team_factor);
      guint j = i, n, target;
      double exact;

      while (j < refs->len && g_array_index (refs, PitchRef, j).bucket == bucket)
        j++;
      n = j - i;
      exact = n * rate;
      if (n < 10)
        target = (guint) floor (exact + 0.5);
      else if (weak)
        target = (guint) floor (exact);
      else
        target = (guint) ceil (exact - 1e-9);
      target = MIN (target, n);
      for (guint k = 0; k < target; k++)
        {
          PitchRef *r = &g_array_index (refs, PitchRef, i + k);
          FlVisit *v = g_ptr_array_index (visits, r->visit);

          g_array_index (v->pitches, FlPitch, r->pitch).is_signed = TRUE;
        }
      i = j;
    }
}

/* Opportunities */

static double
opportunity_value (Rng *rng)
{
  /* log-normal around 45,000 CNY, 5,000–300,000 (redrawn, not clamped, so
   * the bounds get no spikes), rounded to 500 */
  for (guint tries = 0; tries < 50; tries++)
    {
      double v = floor (45000 * exp (0.85 * rng_normal (rng)) / 500 + 0.5) * 500;

      if (v >= 5000 && v <= 300000)
        return v;
    }
  return 45000;
}

static gint64
progress_time (Gen    *gen,
               Rng    *rng,
               int     min_days_ago,
               int     max_days_ago)
{
  gint32 day = gen->day_now - rng_int (rng, min_days_ago, max_days_ago);

  return day_at (gen, day, rng_int (rng, 9 * 60, 18 * 60));
}

static guint
pick_customer_for_opportunity (Gen  *gen,
                               Rng  *rng,
                               City *city)
{
  for (guint tries = 0;; tries++)
    {
      guint idx = g_array_index (city->customers, guint, rng_below (rng, city->customers->len));
      char t = gen->custs[idx].tier;
      double keep = t == 'A' ? 1.0 : t == 'B' ? 0.6 : 0.2;

      if (tries > 20 || rng_chance (rng, keep))
        return idx;
    }
}

static void
gen_opportunities (Gen *gen)
{
  Rng rng;
  guint n = scaled (BASE_OPPORTUNITIES, gen->scale);
  g_autofree double *weights = g_new0 (double, gen->n_cities);
  g_autofree guint *counts = g_new0 (guint, gen->n_cities);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GArray) big = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) where = g_array_new (FALSE, FALSE, sizeof (guint));
  int width;

  rng_init (&rng, gen->seed, STREAM_OPPORTUNITIES);
  for (guint i = 0; i < gen->n_cities; i++)
    weights[i] = gen->cities[i].weight;
  apportion (n, weights, gen->n_cities, 0, counts);

  for (guint c = 0; c < gen->n_cities; c++)
    {
      City *city = &gen->cities[c];
      guint first = all->len, n_stall;

      if (city->customers->len == 0)
        continue;
      for (guint j = 0; j < counts[c]; j++)
        {
          FlOpportunity *o = g_new0 (FlOpportunity, 1);
          guint cust = pick_customer_for_opportunity (gen, &rng, city);
          double u = rng_double (&rng);

          o->customer = g_strdup (((FlCustomer *) g_ptr_array_index (gen->ds->customers,
                                                                     cust))->id);
          g_array_append_val (where, c);
          o->value = opportunity_value (&rng);
          o->stage = u < 0.55 ? FL_STAGE_OPEN : u < 0.85 ? FL_STAGE_WON : FL_STAGE_LOST;
          o->custom_requirement = rng_chance (&rng, o->value > STALL_VALUE ? 0.4 : 0.15);
          if (o->stage != FL_STAGE_OPEN)
            o->last_progress = progress_time (gen, &rng, 1, VISIT_DAYS);
          else if (o->value > STALL_VALUE)
            o->last_progress = progress_time (gen, &rng, 1, 27);
          else
            o->last_progress = progress_time (gen, &rng, 1, 70);
          g_ptr_array_add (all, o);
        }

      if (city->profile.stall_rate <= 0)
        continue;

      /* Big opportunities nobody moved for over a month. */
      g_array_set_size (big, 0);
      for (guint j = first; j < all->len; j++)
        {
          FlOpportunity *o = g_ptr_array_index (all, j);

          if (o->stage == FL_STAGE_OPEN && o->value > STALL_VALUE)
            g_array_append_val (big, j);
        }
      n_stall = MAX (2, (guint) floor (city->profile.stall_rate * big->len + 0.5));
      for (guint j = first; j < all->len && big->len < n_stall; j++)
        {
          FlOpportunity *o = g_ptr_array_index (all, j);

          if (o->stage == FL_STAGE_OPEN && o->value > STALL_VALUE)
            continue;
          o->stage = FL_STAGE_OPEN;
          o->value = rng_int (&rng, 120, 400) * 500.0;
          g_array_append_val (big, j);
        }
      shuffle_uints (&rng, (guint *) big->data, big->len);
      for (guint j = 0; j < MIN (n_stall, big->len); j++)
        {
          FlOpportunity *o = g_ptr_array_index (all, g_array_index (big, guint, j));

          o->last_progress = progress_time (gen, &rng, 32, 75);
        }
    }

  /* Shuffle so ids do not follow cities. */
  for (guint i = all->len; i > 1; i--)
    {
      guint j = rng_below (&rng, i);
      gpointer t = all->pdata[i - 1];
      guint tc = g_array_index (where, guint, i - 1);

      all->pdata[i - 1] = all->pdata[j];
      all->pdata[j] = t;
      g_array_index (where, guint, i - 1) = g_array_index (where, guint, j);
      g_array_index (where, guint, j) = tc;
    }
  width = id_width (all->len, 4);
  gen->opp_city = g_new0 (guint, all->len + 1);
  for (guint i = 0; i < all->len; i++)
    {
      FlOpportunity *o = g_ptr_array_index (all, i);

      gen->opp_city[i] = g_array_index (where, guint, i);
      o->id = g_strdup_printf ("o-%0*u", width, i + 1);
      g_ptr_array_add (gen->ds->opportunities, o);
    }
}

/* Pilots */

static int
compare_pilots (gconstpointer a,
                gconstpointer b)
{
  const FlPilot *pa = *(FlPilot * const *) a;
  const FlPilot *pb = *(FlPilot * const *) b;

  return pa->start < pb->start ? -1 : pa->start > pb->start;
}

static void
gen_pilots (Gen *gen)
{
  Rng rng;
  /* in which week, relative to now's, each pilot's two weeks end */
  static const int end_weeks[N_PILOTS] = { -7, -4, -2, -1, 0, 1 };
  guint titles[16];
  g_autoptr(GPtrArray) pilots = g_ptr_array_new ();

  rng_init (&rng, gen->seed, STREAM_PILOTS);
  for (guint i = 0; i < _fl_demo_n_pilot_titles && i < G_N_ELEMENTS (titles); i++)
    titles[i] = i;
  shuffle_uints (&rng, titles, MIN (_fl_demo_n_pilot_titles, G_N_ELEMENTS (titles)));

  for (guint i = 0; i < N_PILOTS; i++)
    {
      FlPilot *p = g_new0 (FlPilot, 1);
      guint n_regions = MIN ((guint) rng_int (&rng, 1, 3), gen->n_cities);
      g_autofree guint *cities = g_new0 (guint, gen->n_cities);
      guint owner_city;
      GArray *reps;

      for (guint c = 0; c < gen->n_cities; c++)
        cities[c] = c;
      shuffle_uints (&rng, cities, gen->n_cities);
      owner_city = cities[0];
      /* regions in code order */
      for (guint a = 0; a < n_regions; a++)
        for (guint b = a + 1; b < n_regions; b++)
          if (cities[b] < cities[a])
            {
              guint t = cities[a];

              cities[a] = cities[b];
              cities[b] = t;
            }
      p->regions = g_new0 (char *, n_regions + 1);
      for (guint a = 0; a < n_regions; a++)
        p->regions[a] = g_strdup (gen->cities[cities[a]].region->code);

      p->title = g_strdup (_fl_demo_pilot_titles[titles[i % _fl_demo_n_pilot_titles]]);
      /* the last day (start + 13) falls on Monday–Friday of its week */
      p->start = gen->monday0 + 7 * end_weeks[i] + rng_int (&rng, 0, 4) - 13;
      reps = gen->cities[owner_city].reps;
      p->owner = g_strdup (((FlRep *) g_ptr_array_index (gen->ds->reps,
                            g_array_index (reps, guint, rng_below (&rng, reps->len))))->id);
      g_ptr_array_add (pilots, p);
    }
  g_ptr_array_sort (pilots, compare_pilots);
  for (guint i = 0; i < pilots->len; i++)
    {
      FlPilot *p = g_ptr_array_index (pilots, i);

      p->id = g_strdup_printf ("pl-%02u", i + 1);
      g_ptr_array_add (gen->ds->pilots, p);
    }
}

/* Cases: handled alerts of the past. Different situations are won by
 * different action kinds, so suggestions vary from alert to alert. */

static FlActionKind
preferred_kind (FlAlertCategory  category,
                const City      *city,
                char             tier,
                int              keyword,
                int              product_category)
{
  switch (category)
    {
    case FL_ALERT_CHURN:
      if (city->def != NULL && g_str_equal (city->def->code, "330600"))
        return FL_ACTION_SEND_SAMPLE;
      switch (keyword)
        {
        case 1: case 8:     /* 竞品压价, 价格倒挂 */
          return FL_ACTION_PRICE_REVIEW;
        case 2: case 5:     /* 临期品, 新品不动销 */
          return FL_ACTION_SEND_SAMPLE;
        case 3: case 11:    /* 账期紧, 进场费高 */
          return FL_ACTION_MANAGER_JOINS_VISIT;
        default:
          return tier == 'A' ? FL_ACTION_MANAGER_JOINS_VISIT : FL_ACTION_CALL_TODAY;
        }
    case FL_ALERT_STALL:
      if (keyword == 1 || keyword == 8)
        return FL_ACTION_PRICE_REVIEW;
      return tier == 'A' ? FL_ACTION_MANAGER_JOINS_VISIT : FL_ACTION_ESCALATE_TECH;
    case FL_ALERT_GAP:
    case FL_N_ALERT_CATEGORIES:
    default:
      switch (product_category)
        {
        case 1: case 3:     /* snacks, frozen: let them taste it */
          return FL_ACTION_SEND_SAMPLE;
        case 2: case 5:     /* beverages, grain & oil: price-driven */
          return FL_ACTION_PRICE_REVIEW;
        case 4:
          return FL_ACTION_MANAGER_JOINS_VISIT;
        default:
          return FL_ACTION_TALK_TRACK_TRAINING;
        }
    }
}

static int
compare_cases (gconstpointer a,
               gconstpointer b)
{
  const FlCase *ca = *(FlCase * const *) a;
  const FlCase *cb = *(FlCase * const *) b;

  return ca->closed < cb->closed ? -1 : ca->closed > cb->closed;
}

static void
gen_cases (Gen *gen)
{
  static const FlActionKind churn_kinds[] = {
    FL_ACTION_SEND_SAMPLE, FL_ACTION_CALL_TODAY, FL_ACTION_MANAGER_JOINS_VISIT,
    FL_ACTION_PRICE_REVIEW,
  };
  static const FlActionKind stall_kinds[] = {
    FL_ACTION_ESCALATE_TECH, FL_ACTION_MANAGER_JOINS_VISIT, FL_ACTION_PRICE_REVIEW,
    FL_ACTION_CALL_TODAY,
  };
  static const FlActionKind gap_kinds[] = {
    FL_ACTION_TALK_TRACK_TRAINING, FL_ACTION_SEND_SAMPLE, FL_ACTION_MANAGER_JOINS_VISIT,
    FL_ACTION_PRICE_REVIEW,
  };
  Rng rng;
  guint n = scaled (BASE_CASES, gen->scale);
  int width = id_width (n, 3);
  g_autofree double *weights = g_new0 (double, gen->n_cities);
  g_autoptr(GPtrArray) cases = g_ptr_array_new ();

  rng_init (&rng, gen->seed, STREAM_CASES);
  for (guint i = 0; i < gen->n_cities; i++)
    weights[i] = gen->cities[i].weight;

  for (guint i = 0; i < n; i++)
    {
      FlCase *c = g_new0 (FlCase, 1);
      guint ci = rng_weighted (&rng, weights, gen->n_cities);
      City *city = &gen->cities[ci];
      double u = rng_double (&rng);
      int keyword = -1, product_cat = -1;
      FlActionKind preferred;
      const FlActionKind *kinds;
      gint32 day;

      c->category = u < 0.45 ? FL_ALERT_CHURN : u < 0.75 ? FL_ALERT_STALL : FL_ALERT_GAP;
      c->region = g_strdup (city->region->code);
      if (c->category != FL_ALERT_GAP)
        {
          u = rng_double (&rng);
          c->customer_tier = u < 0.25 ? 'A' : u < 0.65 ? 'B' : 'C';
        }
      if (c->category == FL_ALERT_CHURN)
        keyword = (int) pick_keyword (&rng, city, rng_chance (&rng, 0.5));
      else if (c->category == FL_ALERT_STALL && rng_chance (&rng, 0.4))
        {
          static const int stall_keywords[] = { 1, 3, 8 };

          keyword = stall_keywords[rng_below (&rng, G_N_ELEMENTS (stall_keywords))];
        }
      else if (c->category == FL_ALERT_GAP)
        {
          product_cat = (int) rng_below (&rng, _fl_demo_n_categories);
          c->product_category = g_strdup (_fl_demo_categories[product_cat].id);
        }
      if (keyword >= 0)
        c->pain_keyword = g_strdup (_fl_demo_pain_keywords[keyword]);

      preferred = preferred_kind (c->category, city, c->customer_tier, keyword, product_cat);
      kinds = c->category == FL_ALERT_CHURN ? churn_kinds
              : c->category == FL_ALERT_STALL ? stall_kinds : gap_kinds;
      c->action_kind = rng_chance (&rng, 0.5) ? preferred : kinds[rng_below (&rng, 4)];
      c->resolved_within_14d = rng_chance (&rng, c->action_kind == preferred ? 0.74 : 0.33);

      if (c->category == FL_ALERT_GAP)
        c->label = g_strdup_printf ("%s%s团队案例", city->short_name,
                                    _fl_demo_categories[product_cat].short_name);
      else if (rng_chance (&rng, 0.85))
        c->label = g_strdup_printf ("%s%s总案例", city->short_name,
                                    _fl_demo_surnames[rng_frequent (&rng,
                                                                    _fl_demo_n_surnames)]);

      day = gen->day_now - rng_int (&rng, 15, 365);
      c->closed = day_at (gen, day, rng_int (&rng, 16 * 60, 19 * 60));
      g_ptr_array_add (cases, c);
    }

  g_ptr_array_sort (cases, compare_cases);
  for (guint i = 0; i < cases->len; i++)
    {
      FlCase *c = g_ptr_array_index (cases, i);

      c->id = g_strdup_printf ("case-%0*u", width, i + 1);
      g_ptr_array_add (gen->ds->cases, c);
    }
}

/* Actions: the manager already handled a few of today's alerts. Only where
 * a city has more than one alert of a kind, so no colour changes. */

static char *
make_uuid (Rng *rng)
{
  guint64 hi = rng_next (rng), lo = rng_next (rng);

  hi = (hi & G_GUINT64_CONSTANT (0xffffffffffff0fff)) | G_GUINT64_CONSTANT (0x4000);
  lo = (lo & G_GUINT64_CONSTANT (0x3fffffffffffffff)) | G_GUINT64_CONSTANT (0x8000000000000000);
  return g_strdup_printf ("%08x-%04x-%04x-%04x-%012" G_GINT64_MODIFIER "x",
                          (guint) (hi >> 32), (guint) ((hi >> 16) & 0xffff),
                          (guint) (hi & 0xffff), (guint) (lo >> 48),
                          (guint64) (lo & G_GUINT64_CONSTANT (0xffffffffffff)));
}

static void
add_action_at (Gen          *gen,
               Rng          *rng,
               char         *alert_id,
               FlActionKind  kind,
               gint64        created)
{
  FlAction *a = g_new0 (FlAction, 1);

  a->id = make_uuid (rng);
  a->alert = alert_id;
  a->kind = kind;
  a->created = created;
  a->created_by = g_strdup ("m-zhang");
  g_ptr_array_add (gen->ds->actions, a);
}

static void
add_action (Gen          *gen,
            Rng          *rng,
            char         *alert_id,
            FlActionKind  kind,
            gint64        raised)
{
  gint64 lo = raised + 3600, hi = gen->now - 300;
  gint64 created = hi;

  /* the manager acts in office hours of the last two days, after the alert */
  for (guint tries = 0; tries < 20; tries++)
    {
      gint32 day = gen->day_now - rng_int (rng, 0, 1);
      gint64 t = day_at (gen, day, rng_int (rng, 8 * 60 + 30, 20 * 60));

      if (t >= lo && t <= hi)
        {
          created = t;
          break;
        }
      if (tries == 19 && hi >= lo)
        created = hi - rng_int (rng, 0, (int) MIN ((hi - lo) / 60, 30)) * 60;
    }
  add_action_at (gen, rng, alert_id, kind, created);
}

static void
gen_actions (Gen *gen)
{
  Rng rng;
  guint n_actions = 0;

  rng_init (&rng, gen->seed, STREAM_ACTIONS);

  /* About half of the past scares were handled by the manager the next day. */
  for (guint i = 0; i < gen->n_custs; i++)
    {
      CustInfo *info = &gen->custs[i];
      FlVisit *v;
      gint64 created;

      if (info->recover_visit < 0 || !rng_chance (&rng, 0.5))
        continue;
      v = g_ptr_array_index (gen->ds->visits, info->recover_visit);
      created = day_at (gen, fl_day_of (v->start, gen->tz) + 1, rng_int (&rng, 9 * 60, 18 * 60));
      if (created > gen->now - 300)
        continue;
      add_action_at (gen, &rng,
                     g_strdup_printf ("churn:%s:%s", v->customer, v->id),
                     rng_chance (&rng, 0.6) ? FL_ACTION_CALL_TODAY : FL_ACTION_SEND_SAMPLE,
                     created);
    }

  for (guint c = 0; c < gen->n_cities && n_actions < 6; c++)
    {
      City *city = &gen->cities[c];
      g_autoptr(GArray) churn = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) stall = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint j = 0; j < city->customers->len; j++)
        {
          guint idx = g_array_index (city->customers, guint, j);
          CustInfo *info = &gen->custs[idx];
          FlVisit *last, *prev;

          if (info->last_visit < 0 || info->prev_visit < 0)
            continue;
          last = g_ptr_array_index (gen->ds->visits, info->last_visit);
          prev = g_ptr_array_index (gen->ds->visits, info->prev_visit);
          if (last->prev_action_achieved == FL_ACHIEVED_FALSE
              && prev->prev_action_achieved == FL_ACHIEVED_FALSE)
            g_array_append_val (churn, idx);
        }
      for (guint j = 0; j < gen->ds->opportunities->len; j++)
        {
          FlOpportunity *o = g_ptr_array_index (gen->ds->opportunities, j);

          if (gen->opp_city[j] == c && o->stage == FL_STAGE_OPEN && o->value > STALL_VALUE
              && (gen->now - o->last_progress) / DAY >= 30)
            g_array_append_val (stall, j);
        }

      if (churn->len >= 2)
        {
          guint idx = g_array_index (churn, guint, rng_below (&rng, churn->len));
          FlCustomer *cust = g_ptr_array_index (gen->ds->customers, idx);
          FlVisit *last = g_ptr_array_index (gen->ds->visits, gen->custs[idx].last_visit);

          add_action (gen, &rng, g_strdup_printf ("churn:%s:%s", cust->id, last->id),
                      FL_ACTION_CALL_TODAY, last->start);
          n_actions++;
        }
      else if (stall->len >= 2)
        {
          FlOpportunity *o = g_ptr_array_index (gen->ds->opportunities,
                                                g_array_index (stall, guint,
                                                               rng_below (&rng, stall->len)));

          add_action (gen, &rng,
                      g_strdup_printf ("stall:%s:%" G_GINT64_FORMAT, o->id, o->last_progress),
                      o->custom_requirement ? FL_ACTION_ESCALATE_TECH
                                            : FL_ACTION_MANAGER_JOINS_VISIT,
                      o->last_progress + 30 * (gint64) DAY);
          n_actions++;
        }

      /* A weak team that also has other trouble: its training is booked. */
      if (city->profile.gap_category >= 0 && city->profile.drift_rate > 0
          && city->profile.stall_rate > 0)
        {
          gint64 week_end = day_start (gen, gen->monday0);
          g_autofree char *week = fl_iso_week_format (week_end - 12 * 3600, gen->tz);

          add_action (gen, &rng,
                      g_strdup_printf ("gap:%s:%s:%s", city->region->code,
                                       _fl_demo_categories[city->profile.gap_category].id, week),
                      FL_ACTION_TALK_TRACK_TRAINING, week_end);
          n_actions++;
        }
    }
}

/* Public API */

FlDataset *
fl_demo_generate (guint64   seed,
                  gint64    now,
                  double    scale,
                  GError  **error)
{
  Gen gen;
  FlDataset *ds;

  if (!isfinite (scale) || scale <= 0 || scale > MAX_SCALE)
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("Demo data: scale %g is out of range (0, %g]"), scale, MAX_SCALE);
      return NULL;
    }

  memset (&gen, 0, sizeof gen);
  gen.seed = seed;
  gen.now = now;
  gen.scale = scale;
  gen.tz = g_time_zone_new_identifier ("Asia/Shanghai");
  if (gen.tz == NULL)
    gen.tz = g_time_zone_new_offset (8 * 3600);
  gen.ds = ds = fl_dataset_new ();
  g_free (ds->timezone);
  ds->timezone = g_strdup ("Asia/Shanghai");
  ds->province_code = g_strdup ("330000");
  ds->province_name = g_strdup ("浙江省");

  gen.day_now = fl_day_of (now, gen.tz);
  gen.monday0 = gen.day_now - weekday_of (gen.day_now);
  gen.cache_first = gen.day_now - VISIT_DAYS - 7;
  gen.cache_len = VISIT_DAYS + 7 + 30;
  gen.day_starts = g_new0 (gint64, gen.cache_len);
  for (guint i = 0; i < gen.cache_len; i++)
    gen.day_starts[i] = fl_day_at (gen.cache_first + (gint32) i, 0, 0, gen.tz);

  if (!gen_regions (&gen, error))
    {
      gen_clear (&gen);
      return NULL;
    }
  gen_products (&gen);
  gen_reps (&gen);
  gen_customers (&gen);
  gen_visit_plan (&gen);
  gen_visits (&gen);
  top_up_weak_pitches (&gen);
  assign_signed (&gen);
  gen_opportunities (&gen);
  gen_pilots (&gen);
  gen_cases (&gen);
  gen_actions (&gen);

  gen.ds = NULL;
  gen_clear (&gen);
  return ds;
}
