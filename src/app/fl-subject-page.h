/* fl-subject-page.h — what the drill-down pages (customer, rep, category, pilot) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every subject the user can open is named by a link string, the same
 * notation as the weekly list's CSV (FORMATS.md §5), extended:
 *   "customer:<id>", "opportunity:<id>", "pilot:<id>",
 *   "rep:<id>", "category:<id>", "alert:<id>".
 * An opportunity opens its customer's page with the opportunity highlighted.
 *
 * Each page is a GtkWidget with a "context" property (FlContext), a subject
 * id property, a title for the breadcrumb, and the signal
 *   "open-link" (const char *link)
 * emitted when the user activates a link on the page (a rep's name, a
 * customer, an alert row …). The container (the region pane) handles it.
 * Pages follow the context's "changed" (re-query on re-evaluation).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FL_LINK_ALERT,
  FL_LINK_CUSTOMER,
  FL_LINK_OPPORTUNITY,
  FL_LINK_REP,
  FL_LINK_CATEGORY,
  FL_LINK_PILOT,
} FlLinkKind;

/* Parses "kind:id"; FALSE for anything else (unknown kind, empty id).
 * @id: out, transfer full. */
gboolean  fl_link_parse   (const char  *link,
                           FlLinkKind  *kind,
                           char       **id);
/* Transfer full. */
char     *fl_link_build   (FlLinkKind   kind,
                           const char  *id);

G_END_DECLS
