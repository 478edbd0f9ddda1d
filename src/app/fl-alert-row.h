/* fl-alert-row.h — the rows that show one alert, shared by the region pane, the
 * customer, rep and category pages, and the small widgets they are made of
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include "fl-context.h"

G_BEGIN_DECLS

/* The symbolic icon of an alert category. */
const char *fl_alert_category_icon_name (FlAlertCategory category);

/* Left-aligned text that wraps (at word or character boundaries), asking for
 * about 20 characters of natural width: an FlText; @css_class may be NULL. */
GtkWidget  *fl_wrapped_label_new        (const char      *text,
                                         const char      *css_class);

/* The dim "go-next" chevron that says a row opens something. */
GtkWidget  *fl_chevron_new              (const char      *tooltip);

/* An AdwActionRow showing @title over @subtitle (may be NULL) as plain text,
 * each on as many lines as it needs. */
GtkWidget  *fl_text_row_new             (const char      *title,
                                         const char      *subtitle);

/* A row of a list: @title over @subtitle (may be NULL), both wrapped FlText,
 * @value (may be NULL) at its end; with @link (may be NULL), activatable with a
 * chevron and the link as its "link" data. Cheaper to lay out than an
 * AdwActionRow with wrapped labels (GTK 4.8 shapes those at every width its
 * box tries). */
GtkWidget  *fl_info_row_new             (const char      *title,
                                         const char      *subtitle,
                                         const char      *value,
                                         const char      *link);

/* A GtkGrid made the child of @row (a GtkListBoxRow), 12 px from its sides and
 * @margin_y from its top and bottom, its columns @column_spacing apart. A
 * grid, not a horizontal box: GtkBox gives a column of wrapped labels its
 * width for the row's height, which overflows the row (GTK 4.8). */
GtkWidget  *fl_row_grid_new             (GtkWidget       *row,
                                         int              column_spacing,
                                         int              margin_y);

/* The suggestion of @alert as a dim wrapped label, or NULL when there is none. */
GtkWidget  *fl_suggestion_label_new     (FlContext       *context,
                                         const FlAlert   *alert);

/* The alert's one-line title (fl_alert_dup_title()), or its id. */
char       *fl_alert_dup_display_title  (FlContext       *context,
                                         const FlAlert   *alert);

/* "80,000 CNY at risk · raised 3 days ago" (relative to the context's now) */
char       *fl_alert_dup_meta           (FlContext       *context,
                                         const FlAlert   *alert);

/* "Customer churn · 126,000 CNY at risk" */
char       *fl_alert_dup_risk_subtitle  (const FlAlert   *alert);

typedef enum
{
  FL_ALERT_ROW_DEFAULT       = 0,
  /* an actioned alert says so ("Actioned", and the row has the class "actioned")
   * and has no Execute button */
  FL_ALERT_ROW_SHOW_STATE    = 1 << 0,
  /* some room above the Execute button */
  FL_ALERT_ROW_SPACED_BUTTON = 1 << 1,
} FlAlertRowFlags;

/* A GtkListBoxRow: the category icon, @title (class @title_class), @meta (dim
 * caption), the suggestion and the Execute split button of fl-execute-button.h
 * (pending alerts), a chevron; the row carries "alert-id" and is labelled
 * @title for assistive technologies. The caller sets its class and tooltip. */
GtkWidget  *fl_alert_row_new            (FlContext       *context,
                                         const FlAlert   *alert,
                                         const char      *title,
                                         const char      *title_class,
                                         const char      *meta,
                                         FlAlertRowFlags  flags);

/* An AdwActionRow: @title (the alert id when NULL) over @subtitle (when NULL,
 * fl_alert_dup_risk_subtitle()), Execute when the alert is pending, a go-next
 * icon; activatable, classed "pending-row" or "actioned-row", with the data
 * "link" = "alert:<id>" (the page's row-activated handler emits it). */
GtkWidget  *fl_alert_action_row_new     (FlContext       *context,
                                         const FlAlert   *alert,
                                         const char      *title,
                                         const char      *subtitle);

G_END_DECLS
