/* fl-sync-store.h — what sync needs from the core: partial datasets,
 * per-entity upserts and deletes, metadata, transactions and the outbox
 *
 * A *fragment* is a JSON object holding any of the entity arrays of
 * FORMATS.md §1 ("regions", "reps", …, "actions") and nothing else: the unit
 * of a pull page. Its entities are validated like the dataset reader does
 * (types, enums, ranges, ids, duplicates within the fragment), but references
 * are not checked, because they may point to entities of other pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

typedef enum
{
  FL_ENTITY_REGION,
  FL_ENTITY_REP,
  FL_ENTITY_CATEGORY,
  FL_ENTITY_PRODUCT,
  FL_ENTITY_CUSTOMER,
  FL_ENTITY_VISIT,
  FL_ENTITY_OPPORTUNITY,
  FL_ENTITY_PILOT,
  FL_ENTITY_CASE,
  FL_ENTITY_ACTION,
  FL_N_ENTITY_KINDS
} FlEntityKind;

/* The dataset's array name: "regions", "reps", "categories", … */
const char *fl_entity_kind_to_string   (FlEntityKind  kind);
gboolean    fl_entity_kind_from_string (const char   *str,
                                        FlEntityKind *out);
/* The GPtrArray of @dataset that holds entities of @kind. */
GPtrArray  *fl_dataset_get_entities    (FlDataset    *dataset,
                                        FlEntityKind  kind);
/* The id (regions: the code) of an element of that array. */
const char *fl_entity_get_id           (FlEntityKind  kind,
                                        gconstpointer entity);

/* Fragment codec. @what prefixes error messages ("page 3"). The returned
 * dataset has empty arrays for absent members and NULL header fields. */
FlDataset  *fl_dataset_load_fragment   (JsonObject   *object,
                                        const char   *what,
                                        GError      **error);
/* The same from the JSON text of the object, faster (no JsonNode tree for
 * visits), for valid fragments only: NULL, with no error, whenever anything
 * is unusual; then parse the text and call fl_dataset_load_fragment(), which
 * says what is wrong. */
FlDataset  *fl_dataset_load_fragment_fast (const char *data,
                                           gsize       length);
/* Appends {"visits":[…],…} holding the non-empty arrays, times in @tz. */
void        fl_dataset_write_fragment  (FlDataset    *fragment,
                                        GTimeZone    *tz,
                                        GString      *out);

/* The same bytes written entity by entity (a server's pull page): add the
 * entities grouped by kind, in FlEntityKind order, then close. */
typedef struct _FlFragmentWriter FlFragmentWriter;

FlFragmentWriter *fl_fragment_writer_new   (GString          *out,
                                            GTimeZone        *tz);
void        fl_fragment_writer_add     (FlFragmentWriter *self,
                                        FlEntityKind  kind,
                                        gconstpointer entity);
void        fl_fragment_writer_close   (FlFragmentWriter *self);
void        fl_fragment_writer_free    (FlFragmentWriter *self);

/* Transactions: fl_store_merge_dataset and fl_store_delete_entities run in
 * their own transaction unless one is open. */
gboolean    fl_store_begin             (FlStore      *self,
                                        GError      **error);
gboolean    fl_store_commit            (FlStore      *self,
                                        GError      **error);
void        fl_store_rollback          (FlStore      *self);

/* Inserts or replaces every entity of @fragment (header fields, when set,
 * replace the stored timezone/province). Keeps derived tables (pitches,
 * per-customer summaries) consistent. */
gboolean    fl_store_merge_dataset     (FlStore      *self,
                                        FlDataset    *fragment,
                                        GError      **error);
/* Deletes entities by id (unknown ids are ignored), with their dependent
 * rows (a visit's pitches, a customer's health snapshots). */
gboolean    fl_store_delete_entities   (FlStore      *self,
                                        FlEntityKind  kind,
                                        const char * const *ids,
                                        guint         n_ids,
                                        GError      **error);
/* Deletes every entity (regions … actions, with health snapshots, pitches,
 * the visit summary and stored weekly lists) but the actions that have an
 * outbox entry still QUEUED or SENT: the start of a pull from scratch. One
 * DELETE per table, in the open transaction (or its own). */
gboolean    fl_store_clear_synced      (FlStore      *self,
                                        GError      **error);
/* A fragment holding the entities of @kind with these ids (unknown skipped). */
FlDataset  *fl_store_export_entities   (FlStore      *self,
                                        FlEntityKind  kind,
                                        const char * const *ids,
                                        guint         n_ids,
                                        GError      **error);

/* For a server's pull page: writes the entities of @rows (and @children),
 * statements over the store's tables that the caller prepared and bound, as
 * fl_store_export_entities() reads them, without a lookup per id. See
 * fl-sync-store.c for the columns. Not for regions and pilots. */
struct sqlite3_stmt;
gboolean    fl_store_write_entity_rows (FlStore      *self,
                                        FlEntityKind  kind,
                                        struct sqlite3_stmt *rows,
                                        struct sqlite3_stmt *children,
                                        FlFragmentWriter *writer,
                                        GError      **error);

/* A bulk load spanning transactions, for a pull of many records: see
 * fl-store.c. Both calls need an open transaction. */
gboolean    fl_store_begin_bulk_load   (FlStore      *self,
                                        GError      **error);
gboolean    fl_store_end_bulk_load     (FlStore      *self,
                                        GError      **error);
gboolean    fl_store_get_bulk_load     (FlStore      *self);

/* The page cache of this connection (default 2 MiB), e.g. for a sync's
 * worker that merges a large pull. */
void        fl_store_set_cache_size    (FlStore      *self,
                                        guint         kib);

/* Reads the time zone and province again: another connection (a sync's
 * worker) may have written them since this one opened the cache. */
gboolean    fl_store_reload_meta       (FlStore      *self,
                                        GError      **error);

/* Free-form metadata (sync cursor, server URL, user, last sync time…). */
char       *fl_store_dup_meta          (FlStore      *self,
                                        const char   *key);
gboolean    fl_store_set_meta          (FlStore      *self,
                                        const char   *key,
                                        const char   *value,   /* NULL deletes */
                                        GError      **error);

/* The outbox of locally created actions (SPEC §5, §8). */
typedef enum
{
  FL_OUTBOX_QUEUED,     /* waiting (maybe for its undo window or a retry) */
  FL_OUTBOX_SENT,       /* sent, no answer yet (a crash here → resend, same UUID) */
  FL_OUTBOX_ACCEPTED,
  FL_OUTBOX_REJECTED,   /* @reason says why; the action no longer counts */
} FlOutboxState;

typedef struct
{
  FlAction      *action;
  FlOutboxState  state;
  int            attempts;
  gint64         not_before;   /* Unix seconds: undo window end or next retry */
  char          *reason;       /* rejected: the server's human message */
  char          *reason_code;  /* rejected: the server's machine code */
} FlOutboxEntry;

void        fl_outbox_entry_free       (FlOutboxEntry *entry);
const char *fl_outbox_state_to_string  (FlOutboxState  state);

/* Adds the action and its outbox entry in one transaction. */
gboolean    fl_store_queue_action      (FlStore      *self,
                                        const FlAction *action,
                                        gint64        not_before,
                                        GError      **error);
/* Undo before sending: removes a QUEUED action and its entry; fails with
 * FL_ERROR_CONFLICT when it was already sent. */
gboolean    fl_store_unqueue_action    (FlStore      *self,
                                        const char   *action_id,
                                        GError      **error);
/* Entries in creation order; @states_mask: bit (1 << FlOutboxState). */
GPtrArray  *fl_store_list_outbox       (FlStore      *self,
                                        guint         states_mask,
                                        GError      **error);
gboolean    fl_store_update_outbox     (FlStore      *self,
                                        const char   *action_id,
                                        FlOutboxState state,
                                        int           attempts,
                                        gint64        not_before,
                                        const char   *reason_code,
                                        const char   *reason,
                                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlOutboxEntry, fl_outbox_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlFragmentWriter, fl_fragment_writer_free)

G_END_DECLS
