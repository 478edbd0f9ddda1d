/* fl-alert-row.c — the rows that show one alert and the small widgets they are made of
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"
#include <glib/gi18n.h>
#include "fl-alert-row.h"
#include "fl-execute-button.h"
#include "fl-format.h"
#include "fl-subject-page.h"
#include "fl-text.h"
#include "fl-tooltip.h"

const char *
fl_alert_category_icon_name (FlAlertCategory category)
{
  switch (category)
    {
    case FL_ALERT_CHURN:
      return "avatar-default-symbolic";
    case FL_ALERT_STALL:
      return "alarm-symbolic";
    case FL_ALERT_GAP:
      return "system-users-symbolic";
    case FL_N_ALERT_CATEGORIES:
    default:
      return "dialog-warning-symbolic";
    }
}

GtkWidget *
fl_wrapped_label_new (const char *text,
                      const char *css_class)
{
  GtkWidget *label = fl_text_new (text);

  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

GtkWidget *
fl_chevron_new (const char *tooltip)
{
  GtkWidget *chevron = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_widget_set_valign (chevron, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (chevron, "dim-label");
  fl_tooltip_set (chevron, tooltip);
  return chevron;
}

GtkWidget *
fl_text_row_new (const char *title,
                 const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

GtkWidget *
fl_info_row_new (const char *title,
                 const char *subtitle,
                 const char *value,
                 const char *link)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = fl_row_grid_new (row, 12, 10);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;

  gtk_widget_add_css_class (row, "info-row");
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (text_box), fl_wrapped_label_new (title, NULL));
  if (subtitle != NULL)
    {
      label = fl_wrapped_label_new (subtitle, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (text_box), label);
    }
  gtk_grid_attach (GTK_GRID (grid), text_box, 0, 0, 1, 1);
  if (value != NULL)
    {
      label = gtk_label_new (value);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "numeric");
      gtk_grid_attach (GTK_GRID (grid), label, 1, 0, 1, 1);
    }
  if (link != NULL)
    {
      gtk_grid_attach (GTK_GRID (grid), fl_chevron_new (NULL), 2, 0, 1, 1);
      g_object_set_data_full (G_OBJECT (row), "link", g_strdup (link), g_free);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), link != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  return row;
}

GtkWidget *
fl_row_grid_new (GtkWidget *row,
                 int        column_spacing,
                 int        margin_y)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), column_spacing);
  gtk_widget_set_margin_top (grid, margin_y);
  gtk_widget_set_margin_bottom (grid, margin_y);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);
  return grid;
}

GtkWidget *
fl_suggestion_label_new (FlContext     *context,
                         const FlAlert *alert)
{
  const FlSuggestion *suggestion = fl_context_get_suggestion (context, alert->id);
  GtkWidget *label;

  if (suggestion == NULL || suggestion->text == NULL)
    return NULL;
  label = fl_wrapped_label_new (suggestion->text, "suggestion");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

char *
fl_alert_dup_display_title (FlContext     *context,
                            const FlAlert *alert)
{
  char *title = fl_alert_dup_title (fl_context_get_store (context), alert);

  return title != NULL ? title : g_strdup (alert->id);
}

char *
fl_alert_dup_meta (FlContext     *context,
                   const FlAlert *alert)
{
  g_autofree char *money = fl_format_money (alert->value_at_risk);
  g_autofree char *when = fl_format_relative_time (alert->raised, fl_context_get_now (context));
  g_autofree char *money_part = NULL;
  g_autofree char *raised_part = NULL;

  /* Translators: %s is an amount of money, e.g. "80,000 CNY". */
  money_part = g_strdup_printf (_("%s at risk"), money);
  /* Translators: %s is a relative time, e.g. "3 days ago". */
  raised_part = g_strdup_printf (_("raised %s"), when);
  return g_strdup_printf ("%s · %s", money_part, raised_part);
}

char *
fl_alert_dup_risk_subtitle (const FlAlert *alert)
{
  g_autofree char *money = fl_format_money (alert->value_at_risk);

  /* Translators: under a pending item: its category and value at risk, e.g.
   * "Customer churn · ¥126,000 at risk" */
  return g_strdup_printf (_("%s · %s at risk"), fl_alert_category_get_label (alert->category),
                          money);
}

GtkWidget *
fl_alert_row_new (FlContext       *context,
                  const FlAlert   *alert,
                  const char      *title,
                  const char      *title_class,
                  const char      *meta,
                  FlAlertRowFlags  flags)
{
  gboolean show_state = (flags & FL_ALERT_ROW_SHOW_STATE) != 0;
  GtkWidget *row, *grid, *icon, *text_box, *label;

  g_return_val_if_fail (FL_IS_CONTEXT (context), NULL);

  row = gtk_list_box_row_new ();
  g_object_set_data_full (G_OBJECT (row), "alert-id", g_strdup (alert->id), g_free);

  grid = fl_row_grid_new (row, 12, 10);

  icon = gtk_image_new_from_icon_name (fl_alert_category_icon_name (alert->category));
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 2);
  fl_tooltip_set (icon, fl_alert_category_get_label (alert->category));
  gtk_grid_attach (GTK_GRID (grid), icon, 0, 0, 1, 1);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_grid_attach (GTK_GRID (grid), text_box, 1, 0, 1, 1);

  gtk_box_append (GTK_BOX (text_box), fl_wrapped_label_new (title, title_class));

  if (show_state && alert->actioned)
    {
      GtkWidget *state = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

      gtk_widget_add_css_class (row, "actioned");
      gtk_box_append (GTK_BOX (state), gtk_image_new_from_icon_name ("object-select-symbolic"));
      /* Translators: an alert on which an action was executed. */
      label = gtk_label_new (_("Actioned"));
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_box_append (GTK_BOX (state), label);
      gtk_box_append (GTK_BOX (text_box), state);
    }

  label = fl_wrapped_label_new (meta, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (text_box), label);

  if (!show_state || !alert->actioned)
    {
      GtkWidget *button;

      label = fl_suggestion_label_new (context, alert);
      if (label != NULL)
        gtk_box_append (GTK_BOX (text_box), label);
      button = fl_execute_button_new (alert->id,
                                      fl_context_get_suggestion (context, alert->id));
      gtk_widget_set_halign (button, GTK_ALIGN_END);
      if ((flags & FL_ALERT_ROW_SPACED_BUTTON) != 0)
        gtk_widget_set_margin_top (button, 6);
      gtk_box_append (GTK_BOX (text_box), button);
    }
  gtk_grid_attach (GTK_GRID (grid), fl_chevron_new (_("Show the Evidence")), 2, 0, 1, 1);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  return row;
}

GtkWidget *
fl_alert_action_row_new (FlContext     *context,
                         const FlAlert *alert,
                         const char    *title,
                         const char    *subtitle)
{
  g_autofree char *risk = NULL;
  GtkWidget *row, *icon;

  g_return_val_if_fail (FL_IS_CONTEXT (context), NULL);

  if (subtitle == NULL)
    subtitle = risk = fl_alert_dup_risk_subtitle (alert);
  row = fl_text_row_new (title != NULL ? title : alert->id, subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_add_css_class (row, alert->actioned ? "actioned-row" : "pending-row");
  g_object_set_data_full (G_OBJECT (row), "link", fl_link_build (FL_LINK_ALERT, alert->id),
                          g_free);

  if (!alert->actioned)
    {
      GtkWidget *button = fl_execute_button_new (alert->id,
                                                 fl_context_get_suggestion (context, alert->id));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  icon = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  return row;
}
