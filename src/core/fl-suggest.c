/* fl-suggest.c — one suggestion per alert, learnt from past cases (SPEC §5)
 *
 * FORMATS.md §4, with the two points it leaves open decided here:
 * - exemplar: among resolved cases of the chosen kind closed at the same
 *   instant, the smallest id (byte order) wins;
 * - candidates exist but none of the taken ones was resolved within 14 days:
 *   every kind present has 0 resolved, so the tie-breaks decide (ratio 0 for
 *   all, then the order of FlActionKind) among the kinds present in the taken
 *   cases; resolved is 0, of counts that kind, the exemplar is null and the
 *   sentence says "0 of N" without naming a case.
 * Fields that do not apply to a category never match (churn and stall have no
 * product category, gap no tier or keyword, stall no keyword); null fields of
 * a case never match.
 *
 * Speed: the cases are read once and grouped into profiles (category, region,
 * tier, product category, keyword) with per-kind counts and exemplars, so an
 * alert costs one pass over its category's few hundred profiles, whatever
 * the number of cases; alerts that compare the same (same region, tier,
 * category, keywords) share one computation, and the lookups run in one read
 * transaction. 6,000 cases and 3,000 alerts: a few ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fl-suggest.h"
#include "fl-store-private.h"

#define N_LEVELS 5        /* similarity 0..4 */
#define MIN_TAKEN 3

typedef struct
{
  const char *id;         /* in CaseBase.chunk */
  const char *label;      /* nullable */
  gint64      closed;
} CaseRef;

/* The cases of one category that agree on every field compared. */
typedef struct
{
  int          region;    /* interned index, -1: null */
  char         tier;      /* 0: null */
  int          product;
  int          keyword;
  guint        n;         /* cases, all kinds */
  guint        total[FL_N_ACTION_KINDS];
  guint        resolved[FL_N_ACTION_KINDS];
  CaseRef     *exemplar[FL_N_ACTION_KINDS];   /* borrowed from CaseBase.refs */
} Profile;

typedef struct
{
  GHashTable *strings;    /* interned string → GINT_TO_POINTER (index + 1) */
  GPtrArray  *string_list;
  GPtrArray  *refs;       /* CaseRef*, owned */
  GStringChunk *chunk;    /* their strings */
  GArray     *profiles[FL_N_ALERT_CATEGORIES];   /* of Profile */
  guint8     *similarity;   /* scratch: one per profile of the largest category */
} CaseBase;

/* What an alert is compared on. */
typedef struct
{
  int      region;
  char     tier;
  int      product;
  int      keywords[8];   /* interned keywords of the most recent visit */
  guint    n_keywords;
  gboolean custom_requirement;   /* stall: for the fallback */
} AlertProfile;

void
fl_suggestion_free (FlSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;

  g_free (suggestion->exemplar_id);
  g_free (suggestion->exemplar_label);
  g_free (suggestion->text);
  g_free (suggestion);
}

static void
case_base_clear (CaseBase *base)
{
  g_clear_pointer (&base->strings, g_hash_table_unref);
  g_clear_pointer (&base->string_list, g_ptr_array_unref);
  g_clear_pointer (&base->refs, g_ptr_array_unref);
  g_clear_pointer (&base->chunk, g_string_chunk_free);
  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    g_clear_pointer (&base->profiles[c], g_array_unref);
  g_clear_pointer (&base->similarity, g_free);
}

static int
intern (CaseBase   *base,
        const char *str)
{
  gpointer value;
  char *copy;

  if (str == NULL)
    return -1;
  if ((value = g_hash_table_lookup (base->strings, str)) != NULL)
    return GPOINTER_TO_INT (value) - 1;

  copy = g_strdup (str);
  g_ptr_array_add (base->string_list, copy);
  g_hash_table_insert (base->strings, copy, GINT_TO_POINTER ((int) base->string_list->len));
  return (int) base->string_list->len - 1;
}

/* -1 when no case has @str: it cannot match anything */
static int
lookup_interned (CaseBase   *base,
                 const char *str)
{
  return str != NULL ? GPOINTER_TO_INT (g_hash_table_lookup (base->strings, str)) - 1 : -1;
}

/* The more recent closing wins; at the same instant the smaller id. */
static gboolean
is_better_exemplar (const CaseRef *candidate,
                    const CaseRef *current)
{
  if (current == NULL)
    return TRUE;
  if (candidate->closed != current->closed)
    return candidate->closed > current->closed;
  return strcmp (candidate->id, current->id) < 0;
}

typedef struct
{
  int category, tier, region, product, keyword;
} ProfileKey;

static guint
profile_key_hash (gconstpointer data)
{
  const ProfileKey *key = data;

  return ((((guint) key->category * 31u + (guint) key->tier) * 31u + (guint) key->region) * 31u +
          (guint) key->product) * 31u + (guint) key->keyword;
}

static gboolean
profile_key_equal (gconstpointer a,
                   gconstpointer b)
{
  return memcmp (a, b, sizeof (ProfileKey)) == 0;
}

/* @index: ProfileKey → profile index + 1 */
static Profile *
find_profile (CaseBase   *base,
              GHashTable *index,
              guint       category,
              int         region,
              char        tier,
              int         product,
              int         keyword)
{
  ProfileKey key = { (int) category, tier, region, product, keyword };
  gpointer value = g_hash_table_lookup (index, &key);
  GArray *profiles = base->profiles[category];
  Profile profile = { 0, };

  if (value != NULL)
    return &g_array_index (profiles, Profile, GPOINTER_TO_UINT (value) - 1);

  profile.region = region;
  profile.tier = tier;
  profile.product = product;
  profile.keyword = keyword;
  g_array_append_val (profiles, profile);
  g_hash_table_insert (index, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (profiles->len));
  return &g_array_index (profiles, Profile, profiles->len - 1);
}

static gboolean
load_cases (FlStore   *store,
            CaseBase  *base,
            GError   **error)
{
  static const char sql[] =
    "SELECT id, category, region, customer_tier, product_category, pain_keyword, "
    "action_kind, resolved_within_14d, label, closed FROM cases";
  g_autoptr(FlCachedStmt) stmt = NULL;
  g_autoptr(GHashTable) index = g_hash_table_new_full (profile_key_hash, profile_key_equal, g_free,
                                                      NULL);
  guint n_max = 0;
  int rc;

  base->strings = g_hash_table_new (g_str_hash, g_str_equal);
  base->string_list = g_ptr_array_new_with_free_func (g_free);
  base->refs = g_ptr_array_new_with_free_func (g_free);
  base->chunk = g_string_chunk_new (16384);
  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    base->profiles[c] = g_array_new (FALSE, TRUE, sizeof (Profile));

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *category_str = (const char *) sqlite3_column_text (stmt, 1);
      const char *tier_str = (const char *) sqlite3_column_text (stmt, 3);
      const char *kind_str = (const char *) sqlite3_column_text (stmt, 6);
      FlAlertCategory category;
      FlActionKind kind;
      Profile *profile;
      CaseRef *ref;

      if (!fl_alert_category_from_string (category_str, &category))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("case %s: field “%s” has an unknown value “%s”"), id, "category",
                       category_str);
          return FALSE;
        }
      if (!fl_action_kind_from_string (kind_str, &kind))
        {
          g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                       _("case %s: field “%s” has an unknown value “%s”"), id, "action_kind",
                       kind_str);
          return FALSE;
        }

      profile = find_profile (base, index, category,
                              intern (base, (const char *) sqlite3_column_text (stmt, 2)),
                              tier_str != NULL ? tier_str[0] : 0,
                              intern (base, (const char *) sqlite3_column_text (stmt, 4)),
                              intern (base, (const char *) sqlite3_column_text (stmt, 5)));
      profile->n++;
      profile->total[kind]++;
      if (sqlite3_column_int (stmt, 7) == 0)
        continue;

      profile->resolved[kind]++;
      ref = g_new (CaseRef, 1);
      ref->id = g_string_chunk_insert (base->chunk, id);
      ref->label = sqlite3_column_type (stmt, 8) == SQLITE_NULL ? NULL
                   : g_string_chunk_insert (base->chunk,
                                            (const char *) sqlite3_column_text (stmt, 8));
      ref->closed = sqlite3_column_int64 (stmt, 9);
      g_ptr_array_add (base->refs, ref);
      if (is_better_exemplar (ref, profile->exemplar[kind]))
        profile->exemplar[kind] = ref;
    }
  if (rc != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not read the cases"));

  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    n_max = MAX (n_max, base->profiles[c]->len);
  base->similarity = g_new0 (guint8, MAX (n_max, 1));

  return TRUE;
}

/* Keywords of a visit as the store writes them (a JSON array of strings). */
static void
add_keywords (CaseBase     *base,
              AlertProfile *profile,
              const char   *json)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  if (json == NULL || strcmp (json, "[]") == 0)
    return;

  /* the common case, no escapes: split between the quotes */
  if (strchr (json, '\\') == NULL)
    {
      const char *p = json;

      while ((p = strchr (p, '"')) != NULL &&
             profile->n_keywords < G_N_ELEMENTS (profile->keywords))
        {
          const char *end = strchr (p + 1, '"');
          g_autofree char *keyword = NULL;
          int index;

          if (end == NULL)
            break;
          keyword = g_strndup (p + 1, end - p - 1);
          if ((index = lookup_interned (base, keyword)) >= 0)
            profile->keywords[profile->n_keywords++] = index;
          p = end + 1;
        }
      return;
    }

  node = json_from_string (json, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *keyword = json_node_get_string (json_array_get_element (array, i));
      int index;

      if (profile->n_keywords < G_N_ELEMENTS (profile->keywords) &&
          (index = lookup_interned (base, keyword)) >= 0)
        profile->keywords[profile->n_keywords++] = index;
    }
}

static char
tier_of_column (sqlite3_stmt *stmt,
                int           column)
{
  const char *tier = (const char *) sqlite3_column_text (stmt, column);

  return tier != NULL ? tier[0] : 0;
}

static gboolean
profile_alert (FlStore        *store,
               CaseBase       *base,
               const FlAlert  *alert,
               AlertProfile   *profile,
               GError        **error)
{
  static const char customer_sql[] = "SELECT tier FROM customers WHERE id = ?1";
  static const char visit_sql[] = "SELECT pain_keywords FROM visits WHERE id = ?1";
  static const char opportunity_sql[] =
    "SELECT c.tier, o.custom_requirement FROM opportunities AS o "
    "JOIN customers AS c ON c.id = o.customer WHERE o.id = ?1";
  int rc;

  memset (profile, 0, sizeof *profile);
  profile->region = lookup_interned (base, alert->region);
  profile->product = -1;

  switch (alert->category)
    {
    case FL_ALERT_CHURN:
      {
        g_autoptr(FlCachedStmt) customer = NULL;
        g_autoptr(FlCachedStmt) visit = NULL;

        if (!(customer = _fl_store_prepare (store, customer_sql, error)) ||
            !(visit = _fl_store_prepare (store, visit_sql, error)))
          return FALSE;

        sqlite3_bind_text (customer, 1, alert->subject, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step (customer)) == SQLITE_ROW)
          profile->tier = tier_of_column (customer, 0);
        else if (rc != SQLITE_DONE)
          return _fl_store_fail (store, error, _("Could not read customer %s"), alert->subject);

        if (alert->visit_last == NULL)
          break;
        sqlite3_bind_text (visit, 1, alert->visit_last, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step (visit)) == SQLITE_ROW)
          add_keywords (base, profile, (const char *) sqlite3_column_text (visit, 0));
        else if (rc != SQLITE_DONE)
          return _fl_store_fail (store, error, _("Could not read visit %s"), alert->visit_last);
      }
      break;

    case FL_ALERT_STALL:
      {
        g_autoptr(FlCachedStmt) opportunity = NULL;

        if (!(opportunity = _fl_store_prepare (store, opportunity_sql, error)))
          return FALSE;

        sqlite3_bind_text (opportunity, 1, alert->subject, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step (opportunity)) == SQLITE_ROW)
          {
            profile->tier = tier_of_column (opportunity, 0);
            profile->custom_requirement = sqlite3_column_int (opportunity, 1) != 0;
          }
        else if (rc != SQLITE_DONE)
          return _fl_store_fail (store, error, _("Could not read opportunity %s"),
                                 alert->subject);
      }
      break;

    case FL_ALERT_GAP:
      profile->product = lookup_interned (base, alert->subject);
      break;

    case FL_N_ALERT_CATEGORIES:
    default:
      g_return_val_if_reached (FALSE);
    }

  return TRUE;
}

static guint8
similarity (const Profile      *profile,
            const AlertProfile *alert)
{
  guint8 n = 0;

  n += profile->region >= 0 && profile->region == alert->region;
  n += profile->tier != 0 && profile->tier == alert->tier;
  n += profile->product >= 0 && profile->product == alert->product;
  if (profile->keyword >= 0)
    for (guint i = 0; i < alert->n_keywords; i++)
      if (alert->keywords[i] == profile->keyword)
        {
          n++;
          break;
        }
  return n;
}

typedef struct
{
  guint    total[FL_N_ACTION_KINDS];
  guint    resolved[FL_N_ACTION_KINDS];
  CaseRef *exemplar[FL_N_ACTION_KINDS];
} Taken;

static void
taken_add (Taken         *taken,
           const Profile *profile)
{
  for (guint k = 0; k < FL_N_ACTION_KINDS; k++)
    {
      taken->total[k] += profile->total[k];
      taken->resolved[k] += profile->resolved[k];
      if (profile->exemplar[k] != NULL && is_better_exemplar (profile->exemplar[k],
                                                              taken->exemplar[k]))
        taken->exemplar[k] = profile->exemplar[k];
    }
}

static FlActionKind
fallback_kind (FlAlertCategory     category,
               const AlertProfile *alert)
{
  switch (category)
    {
    case FL_ALERT_CHURN:
      return FL_ACTION_CALL_TODAY;
    case FL_ALERT_STALL:
      return alert->custom_requirement ? FL_ACTION_ESCALATE_TECH : FL_ACTION_MANAGER_JOINS_VISIT;
    case FL_ALERT_GAP:
    case FL_N_ALERT_CATEGORIES:
    default:
      return FL_ACTION_TALK_TRACK_TRAINING;
    }
}

static FlSuggestion *
suggest (CaseBase           *base,
         FlAlertCategory     category,
         const AlertProfile *alert)
{
  GArray *profiles = base->profiles[category];
  FlSuggestion *suggestion = g_new0 (FlSuggestion, 1);
  guint level_n[N_LEVELS] = { 0, };
  guint n_taken = 0;
  int lowest = N_LEVELS;
  CaseRef *exemplar = NULL;
  Taken taken;
  int best = -1;

  memset (&taken, 0, sizeof taken);

  for (guint i = 0; i < profiles->len; i++)
    {
      const Profile *profile = &g_array_index (profiles, Profile, i);
      guint8 level = similarity (profile, alert);

      base->similarity[i] = level;
      level_n[level] += profile->n;
    }

  /* the highest level present, then lower ones whole while fewer than 3 */
  for (int l = N_LEVELS - 1; l >= 0 && n_taken < MIN_TAKEN; l--)
    if (level_n[l] > 0)
      {
        n_taken += level_n[l];
        lowest = l;
      }
  for (guint i = 0; i < profiles->len; i++)
    if (base->similarity[i] >= lowest)
      taken_add (&taken, &g_array_index (profiles, Profile, i));

  /* most resolved, then the higher ratio, then the order of the kinds */
  for (guint k = 0; k < FL_N_ACTION_KINDS; k++)
    {
      guint64 lhs, rhs;

      if (taken.total[k] == 0)
        continue;
      if (best < 0 || taken.resolved[k] > taken.resolved[best])
        {
          best = (int) k;
          continue;
        }
      if (taken.resolved[k] < taken.resolved[best])
        continue;
      lhs = (guint64) taken.resolved[k] * taken.total[best];
      rhs = (guint64) taken.resolved[best] * taken.total[k];
      if (lhs > rhs)
        best = (int) k;
    }

  if (best < 0)
    suggestion->kind = fallback_kind (category, alert);
  else
    {
      suggestion->kind = (FlActionKind) best;
      suggestion->resolved = taken.resolved[best];
      suggestion->of = taken.total[best];
      exemplar = taken.exemplar[best];
    }

  if (exemplar != NULL)
    {
      suggestion->exemplar_id = g_strdup (exemplar->id);
      suggestion->exemplar_label = g_strdup (exemplar->label != NULL ? exemplar->label
                                                                     : exemplar->id);
    }
  suggestion->text = fl_suggestion_dup_text (suggestion->kind, suggestion->resolved,
                                             suggestion->of, suggestion->exemplar_label);
  return suggestion;
}

static FlSuggestion *
suggestion_copy (const FlSuggestion *suggestion)
{
  FlSuggestion *copy = g_memdup2 (suggestion, sizeof *suggestion);

  copy->exemplar_id = g_strdup (suggestion->exemplar_id);
  copy->exemplar_label = g_strdup (suggestion->exemplar_label);
  copy->text = g_strdup (suggestion->text);
  return copy;
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* Alerts with the same key get the same suggestion. */
static char *
profile_key (FlAlertCategory  category,
             AlertProfile    *profile)
{
  GString *key = g_string_sized_new (64);

  qsort (profile->keywords, profile->n_keywords, sizeof (int), compare_ints);
  g_string_append_printf (key, "%d/%d/%d/%d/%d", category, profile->region, profile->tier,
                          profile->product, profile->custom_requirement);
  for (guint i = 0; i < profile->n_keywords; i++)
    g_string_append_printf (key, "/%d", profile->keywords[i]);
  return g_string_free (key, FALSE);
}

/* @memo (nullable): profile key → FlSuggestion* */
static FlSuggestion *
suggest_for_alert (FlStore        *store,
                   CaseBase       *base,
                   GHashTable     *memo,
                   const FlAlert  *alert,
                   GError        **error)
{
  g_autofree char *key = NULL;
  AlertProfile profile;
  FlSuggestion *suggestion;

  g_return_val_if_fail (alert->category < FL_N_ALERT_CATEGORIES, NULL);

  if (!profile_alert (store, base, alert, &profile, error))
    return NULL;
  if (memo == NULL)
    return suggest (base, alert->category, &profile);

  key = profile_key (alert->category, &profile);
  if ((suggestion = g_hash_table_lookup (memo, key)) == NULL)
    {
      suggestion = suggest (base, alert->category, &profile);
      g_hash_table_insert (memo, g_steal_pointer (&key), suggestion);
    }
  return suggestion_copy (suggestion);
}

/* Many single-row reads: one read transaction instead of one lock each.
 * Nothing to do inside the caller's transaction. */
static gboolean
begin_read (FlStore   *store,
            gboolean  *out_begun,
            GError   **error)
{
  static const char sql[] = "BEGIN DEFERRED";
  g_autoptr(FlCachedStmt) stmt = NULL;

  *out_begun = FALSE;
  if (!sqlite3_get_autocommit (_fl_store_get_db (store)))
    return TRUE;

  if (!(stmt = _fl_store_prepare (store, sql, error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _fl_store_fail (store, error, _("Could not start a transaction"));

  *out_begun = TRUE;
  return TRUE;
}

static void
end_read (FlStore  *store,
          gboolean  begun)
{
  static const char sql[] = "COMMIT";
  g_autoptr(FlCachedStmt) stmt = NULL;

  /* a read transaction: nothing to lose if the commit fails */
  if (begun && (stmt = _fl_store_prepare (store, sql, NULL)) != NULL &&
      sqlite3_step (stmt) != SQLITE_DONE)
    g_warning ("Could not end a read transaction: %s",
               sqlite3_errmsg (_fl_store_get_db (store)));
}

/**
 * fl_suggest_for_alert:
 * @store: the cache @alert was derived from
 * @alert: a pending or actioned alert
 * @error: return location for an error
 *
 * Computes the suggestion of FORMATS.md §4 for @alert. Reads every case:
 * for more than one alert, use fl_suggest_for_evaluation().
 *
 * Returns: (transfer full): the suggestion, or %NULL with @error set
 */
FlSuggestion *
fl_suggest_for_alert (FlStore        *store,
                      const FlAlert  *alert,
                      GError        **error)
{
  CaseBase base = { NULL, };
  FlSuggestion *suggestion = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (alert != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (load_cases (store, &base, error))
    suggestion = suggest_for_alert (store, &base, NULL, alert, error);
  case_base_clear (&base);

  return suggestion;
}

/**
 * fl_suggest_for_evaluation:
 * @store: the cache @evaluation was computed from
 * @evaluation: an evaluation
 * @error: return location for an error
 *
 * Computes the suggestion of every alert of @evaluation, pending and
 * actioned, reading the cases once.
 *
 * Returns: (transfer full) (element-type utf8 FlSuggestion): alert id →
 *   suggestion, both owned by the table; %NULL with @error set
 */
GHashTable *
fl_suggest_for_evaluation (FlStore       *store,
                           FlEvaluation  *evaluation,
                           GError       **error)
{
  g_autoptr(GHashTable) suggestions = NULL;
  g_autoptr(GHashTable) memo = NULL;
  CaseBase base = { NULL, };
  gboolean begun = FALSE;
  gboolean ok;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (evaluation != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  suggestions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) fl_suggestion_free);
  memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) fl_suggestion_free);
  if (!begin_read (store, &begun, error))
    return NULL;

  ok = load_cases (store, &base, error);
  for (guint i = 0; ok && i < evaluation->alerts->len; i++)
    {
      const FlAlert *alert = g_ptr_array_index (evaluation->alerts, i);
      FlSuggestion *suggestion = suggest_for_alert (store, &base, memo, alert, error);

      if (suggestion == NULL)
        ok = FALSE;
      else
        g_hash_table_replace (suggestions, g_strdup (alert->id), suggestion);
    }
  case_base_clear (&base);
  end_read (store, begun);

  return ok ? g_steal_pointer (&suggestions) : NULL;
}

/* One sentence per kind and case: based on an exemplar, on cases none of
 * which was resolved, or on no case at all. Whole sentences, so that
 * translators can reorder (zh_CN puts "of" before "resolved"). */

static char *
text_with_exemplar (FlActionKind  kind,
                    guint         resolved,
                    guint         of,
                    const char   *label)
{
  switch (kind)
    {
    case FL_ACTION_SEND_SAMPLE:
      /* Translators: %s is the exemplar case's label (e.g. "绍兴王总案例"), then
       * "resolved M of N"; zh_CN e.g.
       * "建议立即发送定制化样品+本地成功案例视频（参考%1$s，同类%3$u例中%2$u例14天内化解）" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Send a tailored sample and a local success-case video "
                                           "(see %s: resolved %u of %u similar case within 14 days).",
                                           "Send a tailored sample and a local success-case video "
                                           "(see %s: resolved %u of %u similar cases within 14 days).",
                                           of), label, resolved, of);
    case FL_ACTION_CALL_TODAY:
      /* Translators: %s is the exemplar case's label, then "resolved M of N" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Call the customer today "
                                           "(see %s: resolved %u of %u similar case within 14 days).",
                                           "Call the customer today "
                                           "(see %s: resolved %u of %u similar cases within 14 days).",
                                           of), label, resolved, of);
    case FL_ACTION_ESCALATE_TECH:
      /* Translators: %s is the exemplar case's label, then "resolved M of N" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Bring in technical and solution staff together "
                                           "(see %s: resolved %u of %u similar case within 14 days).",
                                           "Bring in technical and solution staff together "
                                           "(see %s: resolved %u of %u similar cases within 14 days).",
                                           of), label, resolved, of);
    case FL_ACTION_MANAGER_JOINS_VISIT:
      /* Translators: %s is the exemplar case's label, then "resolved M of N" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Have the manager join the next visit "
                                           "(see %s: resolved %u of %u similar case within 14 days).",
                                           "Have the manager join the next visit "
                                           "(see %s: resolved %u of %u similar cases within 14 days).",
                                           of), label, resolved, of);
    case FL_ACTION_TALK_TRACK_TRAINING:
      /* Translators: %s is the exemplar case's label, then "resolved M of N" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Train the team on the category's talk track "
                                           "(see %s: resolved %u of %u similar case within 14 days).",
                                           "Train the team on the category's talk track "
                                           "(see %s: resolved %u of %u similar cases within 14 days).",
                                           of), label, resolved, of);
    case FL_ACTION_PRICE_REVIEW:
      /* Translators: %s is the exemplar case's label, then "resolved M of N" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Review the price with the competitor's price at hand "
                                           "(see %s: resolved %u of %u similar case within 14 days).",
                                           "Review the price with the competitor's price at hand "
                                           "(see %s: resolved %u of %u similar cases within 14 days).",
                                           of), label, resolved, of);
    case FL_N_ACTION_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
text_without_exemplar (FlActionKind kind,
                       guint        resolved,
                       guint        of)
{
  switch (kind)
    {
    case FL_ACTION_SEND_SAMPLE:
      /* Translators: no similar case was resolved; "M of N similar cases" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Send a tailored sample and a local success-case video "
                                           "(%u of %u similar case resolved within 14 days).",
                                           "Send a tailored sample and a local success-case video "
                                           "(%u of %u similar cases resolved within 14 days).",
                                           of), resolved, of);
    case FL_ACTION_CALL_TODAY:
      /* Translators: no similar case was resolved; "M of N similar cases" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Call the customer today "
                                           "(%u of %u similar case resolved within 14 days).",
                                           "Call the customer today "
                                           "(%u of %u similar cases resolved within 14 days).",
                                           of), resolved, of);
    case FL_ACTION_ESCALATE_TECH:
      /* Translators: no similar case was resolved; "M of N similar cases" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Bring in technical and solution staff together "
                                           "(%u of %u similar case resolved within 14 days).",
                                           "Bring in technical and solution staff together "
                                           "(%u of %u similar cases resolved within 14 days).",
                                           of), resolved, of);
    case FL_ACTION_MANAGER_JOINS_VISIT:
      /* Translators: no similar case was resolved; "M of N similar cases" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Have the manager join the next visit "
                                           "(%u of %u similar case resolved within 14 days).",
                                           "Have the manager join the next visit "
                                           "(%u of %u similar cases resolved within 14 days).",
                                           of), resolved, of);
    case FL_ACTION_TALK_TRACK_TRAINING:
      /* Translators: no similar case was resolved; "M of N similar cases" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Train the team on the category's talk track "
                                           "(%u of %u similar case resolved within 14 days).",
                                           "Train the team on the category's talk track "
                                           "(%u of %u similar cases resolved within 14 days).",
                                           of), resolved, of);
    case FL_ACTION_PRICE_REVIEW:
      /* Translators: no similar case was resolved; "M of N similar cases" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Review the price with the competitor's price at hand "
                                           "(%u of %u similar case resolved within 14 days).",
                                           "Review the price with the competitor's price at hand "
                                           "(%u of %u similar cases resolved within 14 days).",
                                           of), resolved, of);
    case FL_N_ACTION_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
text_fallback (FlActionKind kind)
{
  switch (kind)
    {
    case FL_ACTION_SEND_SAMPLE:
      return _("No similar past cases: send a tailored sample and a local success-case video.");
    case FL_ACTION_CALL_TODAY:
      return _("No similar past cases: call the customer today.");
    case FL_ACTION_ESCALATE_TECH:
      return _("No similar past cases: bring in technical and solution staff together.");
    case FL_ACTION_MANAGER_JOINS_VISIT:
      return _("No similar past cases: have the manager join the next visit.");
    case FL_ACTION_TALK_TRACK_TRAINING:
      return _("No similar past cases: train the team on the category's talk track.");
    case FL_ACTION_PRICE_REVIEW:
      return _("No similar past cases: review the price with the competitor's price at hand.");
    case FL_N_ACTION_KINDS:
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * fl_suggestion_dup_text:
 * @kind: the suggested kind
 * @resolved: taken cases of @kind resolved within 14 days
 * @of: taken cases of @kind; 0: the fallback (no similar case)
 * @exemplar_label: (nullable): the exemplar's label (or id); %NULL when no
 *   taken case of @kind was resolved
 *
 * Returns: (transfer full): the one translated sentence of FORMATS.md §4
 */
char *
fl_suggestion_dup_text (FlActionKind  kind,
                        guint         resolved,
                        guint         of,
                        const char   *exemplar_label)
{
  g_return_val_if_fail (kind < FL_N_ACTION_KINDS, NULL);

  if (of == 0)
    return g_strdup (text_fallback (kind));
  if (exemplar_label == NULL)
    return text_without_exemplar (kind, resolved, of);
  return text_with_exemplar (kind, resolved, of, exemplar_label);
}
