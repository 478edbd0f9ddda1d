/* fl-dataset-private.h — dataset internals shared with the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-dataset.h"

G_BEGIN_DECLS

/* An empty dataset with NULL header fields: a fragment (fl-sync-store.h). */
FlDataset *_fl_dataset_new_fragment (void);

G_END_DECLS
