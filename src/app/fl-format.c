/* fl-format.c — times as people read them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fl-format.h"

char *
fl_format_relative_time (gint64 time,
                         gint64 now)
{
  gint64 delta = now - time;
  gint64 abs_delta = ABS (delta);

  if (abs_delta < 60)
    return g_strdup (_("just now"));

  if (delta > 0)
    {
      if (delta < 3600)
        {
          int n = (int) (delta / 60);
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago",
                                               "%d minutes ago", n), n);
        }
      if (delta < 86400)
        {
          int n = (int) (delta / 3600);
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago",
                                               "%d hours ago", n), n);
        }
      {
        int n = (int) (delta / 86400);
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago",
                                             "%d days ago", n), n);
      }
    }
  else
    {
      if (abs_delta < 3600)
        {
          int n = (int) (abs_delta / 60);
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute",
                                               "in %d minutes", n), n);
        }
      if (abs_delta < 86400)
        {
          int n = (int) (abs_delta / 3600);
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d hour",
                                               "in %d hours", n), n);
        }
      {
        int n = (int) (abs_delta / 86400);
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d day",
                                             "in %d days", n), n);
      }
    }
}

char *
fl_format_exact_time (gint64     time,
                      GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = tz != NULL ? g_date_time_to_timezone (utc, tz) : g_date_time_to_local (utc);
  /* Translators: an exact date and time (strftime format), shown in tooltips. */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}
