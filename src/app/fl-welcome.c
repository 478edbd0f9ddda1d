/* fl-welcome.c — the first run: explore the demo, or connect to a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fl-welcome.h"

struct _FlWelcome
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (FlWelcome, fl_welcome, ADW_TYPE_BIN)

/* helpers */

static GtkWidget *
_pill_button (const char *label,
              const char *action_name,
              gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_widget_add_css_class (button, "pill");
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

/* overrides */

static void
fl_welcome_class_init (FlWelcomeClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "welcome");
}

static void
fl_welcome_init (FlWelcome *self)
{
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GdkDisplay *display = gdk_display_get_default ();

  /* The application icon from the resources, installed or not (an
   * AdwApplication adds this path too; windows built without one do not). */
  if (display != NULL)
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                      "/io/github/fieldlight/Fieldlight/icons");

  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons),
                  _pill_button (_("_Explore the Demo"), "win.explore-demo", TRUE));
  gtk_box_append (GTK_BOX (buttons),
                  _pill_button (_("_Connect to a Server…"), "app.preferences", FALSE));

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), APP_ID);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Welcome to Fieldlight"));
  adw_status_page_set_description (
    ADW_STATUS_PAGE (page),
    _("See at a glance which cities of your province need attention today, and what to do "
      "about them.\n\nExplore a demo province with generated data, or connect to your "
      "company’s Fieldlight server to see your own regions."));
  adw_status_page_set_child (ADW_STATUS_PAGE (page), buttons);
  adw_bin_set_child (ADW_BIN (self), page);
}

/* public API */

GtkWidget *
fl_welcome_new (void)
{
  return g_object_new (FL_TYPE_WELCOME, NULL);
}
