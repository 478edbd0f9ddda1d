/* main.c — fieldlight: locale set-up, then the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "fl-cli.h"

/* Translations of the build tree when running from it (tests, `meson devenv`):
 * FIELDLIGHT_LOCALEDIR wins; else the build tree's po/ if this executable lives
 * in the build tree and it holds catalogues; else the installed LOCALEDIR. */
static const char *
_locale_dir (void)
{
  static char *dir;
  const char *env = g_getenv ("FIELDLIGHT_LOCALEDIR");
  g_autofree char *exe = NULL;

  if (env != NULL && *env != '\0')
    return env;
#ifdef FL_BUILD_ROOT
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL && g_str_has_prefix (exe, FL_BUILD_ROOT G_DIR_SEPARATOR_S))
    {
      g_autofree char *po = g_build_filename (FL_BUILD_ROOT, "po", NULL);
      g_autofree char *probe = g_build_filename (po, "zh_CN", "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);

      if (g_file_test (probe, G_FILE_TEST_EXISTS))
        return dir = g_steal_pointer (&po);
    }
#endif
  return LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  gint64 start_us = fl_cli_get_process_start_time ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, _locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return fl_cli_run (argc, argv, start_us);
}
