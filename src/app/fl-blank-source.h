/* fl-blank-source.h — an offline map source whose tiles are one plain colour
 *
 * The viewport needs a reference map source before it can project anything
 * (see PITFALLS.md); this one never touches the network or the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define FL_TYPE_BLANK_SOURCE (fl_blank_source_get_type ())
G_DECLARE_FINAL_TYPE (FlBlankSource, fl_blank_source, FL, BLANK_SOURCE, ShumateMapSource)

FlBlankSource *fl_blank_source_new       (void);
/* The colour of the tiles handed out from now on. */
void           fl_blank_source_set_color (FlBlankSource *self,
                                          const GdkRGBA *color);

G_END_DECLS
