/* fl-execute-button.c — the Execute split button of a pending item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-execute-button.h"

GtkWidget *
fl_execute_button_new (const char         *alert_id,
                       const FlSuggestion *suggestion)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *button;

  g_return_val_if_fail (alert_id != NULL, NULL);

  for (FlActionKind kind = 0; kind < FL_N_ACTION_KINDS; kind++)
    {
      g_autofree char *target = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (suggestion != NULL && kind == suggestion->kind)
        continue;
      target = g_strdup_printf ("%s|%s", alert_id, fl_action_kind_to_string (kind));
      item = g_menu_item_new (fl_action_kind_get_label (kind), NULL);
      g_menu_item_set_action_and_target_value (item, "win.execute-alert",
                                               g_variant_new_string (target));
      g_menu_append_item (menu, item);
    }

  button = adw_split_button_new ();
  /* Translators: the button that carries out the suggested action on an item. */
  adw_split_button_set_label (ADW_SPLIT_BUTTON (button), _("Execute"));
  adw_split_button_set_menu_model (ADW_SPLIT_BUTTON (button), G_MENU_MODEL (menu));
  adw_split_button_set_dropdown_tooltip (ADW_SPLIT_BUTTON (button), _("Other Actions"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.execute-alert");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_string (alert_id));
  if (suggestion != NULL)
    {
      /* Translators: tooltip of "Execute"; %s is an action, e.g. "Call today". */
      g_autofree char *tooltip = g_strdup_printf (_("Execute: %s"),
                                                  fl_action_kind_get_label (suggestion->kind));

      gtk_widget_set_tooltip_text (button, tooltip);
    }
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_add_css_class (button, "execute-button");
  return button;
}
