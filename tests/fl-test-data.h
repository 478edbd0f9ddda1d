/* fl-test-data.h — small builders shared by the core's unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-core.h"

G_BEGIN_DECLS

/* An RFC 3339 time as Unix seconds (asserts it parses). */
gint64   fl_test_time       (const char *rfc3339);
/* A region with a 1°×1° square outline (119–120 E, 29–30 N). */
void     fl_test_add_region (FlDataset  *dataset,
                             const char *code,
                             const char *name);
/* A rep named "Rep <id>". */
void     fl_test_add_rep    (FlDataset  *dataset,
                             const char *id,
                             const char *region);
/* A private in-memory store holding @dataset (asserts the import works). */
FlStore *fl_test_import     (FlDataset  *dataset);

G_END_DECLS
