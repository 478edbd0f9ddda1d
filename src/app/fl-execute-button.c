/* fl-execute-button.c — the Execute split button of a pending item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-execute-button.h"
#include "fl-tooltip.h"

/* What the menu needs, kept until it is built. */
typedef struct
{
  char *alert_id;
  int   suggested;   /* FlActionKind, or -1 */
} MenuData;

static void
_menu_data_free (gpointer data)
{
  MenuData *menu_data = data;

  g_free (menu_data->alert_id);
  g_free (menu_data);
}

static GMenuModel *
_menu_new (const char *alert_id,
           int         suggested)
{
  GMenu *menu = g_menu_new ();

  for (FlActionKind kind = 0; kind < FL_N_ACTION_KINDS; kind++)
    {
      g_autofree char *target = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if ((int) kind == suggested)
        continue;
      target = g_strdup_printf ("%s|%s", alert_id, fl_action_kind_to_string (kind));
      item = g_menu_item_new (fl_action_kind_get_label (kind), NULL);
      g_menu_item_set_action_and_target_value (item, "win.execute-alert",
                                               g_variant_new_string (target));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

/* The menu (and its popover, which tracks the window's actions) is built when
 * the arrow is first opened: a pane shows dozens of these buttons, and a
 * popover menu per button costs more than the rest of its row. */
static void
_create_popup_cb (GtkMenuButton *menu_button,
                  gpointer       user_data)
{
  MenuData *menu_data = user_data;
  g_autoptr(GMenuModel) menu = NULL;

  /* Once: the popover stays with the button. */
  if (gtk_menu_button_get_menu_model (menu_button) != NULL)
    return;
  menu = _menu_new (menu_data->alert_id, menu_data->suggested);
  gtk_menu_button_set_menu_model (menu_button, menu);
}

static GtkMenuButton *
_find_menu_button (GtkWidget *split_button)
{
  for (GtkWidget *child = gtk_widget_get_first_child (split_button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_MENU_BUTTON (child))
      return GTK_MENU_BUTTON (child);
  return NULL;
}

GtkWidget *
fl_execute_button_new (const char         *alert_id,
                       const FlSuggestion *suggestion)
{
  GtkMenuButton *menu_button;
  GtkWidget *button;
  MenuData *menu_data;

  g_return_val_if_fail (alert_id != NULL, NULL);

  button = adw_split_button_new ();
  /* Translators: the button that carries out the suggested action on an item. */
  adw_split_button_set_label (ADW_SPLIT_BUTTON (button), _("Execute"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.execute-alert");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_string (alert_id));

  menu_data = g_new0 (MenuData, 1);
  menu_data->alert_id = g_strdup (alert_id);
  menu_data->suggested = suggestion != NULL ? (int) suggestion->kind : -1;
  menu_button = _find_menu_button (button);
  if (menu_button != NULL)
    {
      gtk_menu_button_set_create_popup_func (menu_button, _create_popup_cb, menu_data,
                                             _menu_data_free);
      fl_tooltip_set (GTK_WIDGET (menu_button), _("Other Actions"));
    }
  else
    {
      /* Not the AdwSplitButton this was written for: the menu at once. */
      g_autoptr(GMenuModel) menu = _menu_new (alert_id, menu_data->suggested);

      adw_split_button_set_dropdown_tooltip (ADW_SPLIT_BUTTON (button), _("Other Actions"));
      adw_split_button_set_menu_model (ADW_SPLIT_BUTTON (button), menu);
      _menu_data_free (menu_data);
    }

  if (suggestion != NULL)
    {
      /* Translators: tooltip of "Execute"; %s is an action, e.g. "Call today". */
      g_autofree char *tooltip = g_strdup_printf (_("Execute: %s"),
                                                  fl_action_kind_get_label (suggestion->kind));

      fl_tooltip_set (button, tooltip);
    }
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_add_css_class (button, "execute-button");
  return button;
}
