/* fl-format.c — numbers and times as people read them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fl-format.h"

/* Digits of the integer @value with "," every three digits (locale-independent, so
 * the C locale of tests and a zh_CN desktop read the same). */
static char *
_group_thousands (gint64 value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, ABS (value));
  GString *out = g_string_new (value < 0 ? "-" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

gboolean
fl_format_use_chinese_units (void)
{
  const char * const *langs = g_get_language_names ();

  /* The first entry is the user's preferred language ("C" when none). */
  return langs[0] != NULL && g_str_has_prefix (langs[0], "zh");
}

char *
fl_format_money (double value)
{
  if (fl_format_use_chinese_units ())
    {
      if (fabs (value) >= 10000.0)
        {
          /* In tenths of 万 (1,000 yuan), rounded once so 99,960 gives "10.0 万元". */
          gint64 tenths = llround (fabs (value) / 1000.0);
          g_autofree char *whole = _group_thousands (tenths / 10);

          return g_strdup_printf ("%s%s.%d 万元", value < 0 ? "-" : "", whole,
                                  (int) (tenths % 10));
        }
      else
        {
          g_autofree char *plain = _group_thousands (llround (value));
          return g_strdup_printf ("%s 元", plain);
        }
    }
  else
    {
      g_autofree char *plain = _group_thousands (llround (value));

      /* Translators: an amount of money in yuan; %s is the number, e.g. "80,000". */
      return g_strdup_printf (_("¥%s"), plain);
    }
}

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
