/* fl-weekly.h — the weekly key-action list, frozen per week (SPEC §6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

/* The sections in the order of the list and of the CSV export. */
typedef enum
{
  FL_WEEKLY_CALL_TODAY,
  FL_WEEKLY_TECH_SUPPORT,
  FL_WEEKLY_FRIDAY_REVIEW,
  FL_N_WEEKLY_SECTIONS
} FlWeeklySection;

/* How many rows each section has at most (settings weekly-*-count). */
typedef struct
{
  guint call_today;       /* 3 */
  guint tech_support;     /* 2 */
  guint friday_review;    /* 1 */
} FlWeeklySettings;

void fl_weekly_settings_init_default (FlWeeklySettings *settings);

typedef struct
{
  FlWeeklySection  section;
  guint            rank;       /* 1, 2, … within the section */
  char            *subject;    /* customer, opportunity or pilot id */
  char            *title;      /* translated, one line */
  char            *owner;      /* rep id */
  gint64           due;        /* Unix seconds */
  char            *link;       /* "customer:<id>", "opportunity:<id>", "pilot:<id>" */

  /* What the title is made of (kept, so that a frozen list can be shown
   * in another locale): customer name / customer name / pilot title, and
   * the money or the pilot's last day (day number). */
  char            *name;
  double           value;
  gint32           last_day;
} FlWeeklyItem;

typedef struct
{
  char      *week;        /* ISO week of @monday, e.g. "2026-W48" */
  gint64     monday;      /* M: that week's Monday 08:00 in the dataset's zone */
  gint64     generated;   /* the "now" at which it was generated */
  GPtrArray *items;       /* FlWeeklyItem*, in section order, then rank */
} FlWeeklyList;

void          fl_weekly_list_free          (FlWeeklyList            *list);

const char   *fl_weekly_section_to_string  (FlWeeklySection          section);
/* Translated heading, e.g. "Call today". */
const char   *fl_weekly_section_get_label  (FlWeeklySection          section);

/* Monday 08:00 (the store's zone) of the week containing @now. */
gint64        fl_weekly_monday             (FlStore                 *store,
                                            gint64                   now);

/* Computes the list of FORMATS.md §5 for the week containing @now, as of
 * that week's Monday 08:00, without storing it. @counts NULL: 3/2/1. */
FlWeeklyList *fl_weekly_compute            (FlStore                 *store,
                                            gint64                   now,
                                            const FlWeeklySettings  *counts,
                                            GError                 **error);

/* The list kept for the week containing @now: the stored one when this week
 * already has one (unchanged, whatever changed since), else computed and
 * stored. */
FlWeeklyList *fl_weekly_load_or_generate   (FlStore                 *store,
                                            gint64                   now,
                                            const FlWeeklySettings  *counts,
                                            GError                 **error);

/* CSV of FORMATS.md §5 (header, CRLF-free "\n" lines, RFC 4180 quoting),
 * due times in @tz. */
char         *fl_weekly_to_csv             (FlWeeklyList            *list,
                                            GTimeZone               *tz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlWeeklyList, fl_weekly_list_free)

G_END_DECLS
