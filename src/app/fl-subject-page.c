/* fl-subject-page.c — link strings of the drill-down pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fl-subject-page.h"

#include <string.h>

static const char * const link_prefixes[] = {
  [FL_LINK_ALERT] = "alert",
  [FL_LINK_CUSTOMER] = "customer",
  [FL_LINK_OPPORTUNITY] = "opportunity",
  [FL_LINK_REP] = "rep",
  [FL_LINK_CATEGORY] = "category",
  [FL_LINK_PILOT] = "pilot",
};

gboolean
fl_link_parse (const char  *link,
               FlLinkKind  *kind,
               char       **id)
{
  const char *colon;

  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (link == NULL || (colon = strchr (link, ':')) == NULL || colon[1] == '\0')
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (link_prefixes); i++)
    {
      gsize len = strlen (link_prefixes[i]);

      if ((gsize) (colon - link) == len && strncmp (link, link_prefixes[i], len) == 0)
        {
          *kind = (FlLinkKind) i;
          *id = g_strdup (colon + 1);
          return TRUE;
        }
    }

  return FALSE;
}

char *
fl_link_build (FlLinkKind  kind,
               const char *id)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (link_prefixes), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_strconcat (link_prefixes[kind], ":", id, NULL);
}
