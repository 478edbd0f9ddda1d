/* fl-demo.h — the deterministic demo data generator (SPEC §9)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-dataset.h"

G_BEGIN_DECLS

#define FL_DEMO_DEFAULT_SEED 20261123

/* The same (@seed, @now, @scale) always gives the same dataset.
 * Scale 1: Zhejiang's 11 prefectures, ~217 reps, ~2,500 customers,
 * ~50,000 visits over 12 weeks before @now, ~500 opportunities, pilots and
 * cases; scale N multiplies customers, visits and opportunities by N
 * (scale 20 ≈ 1,000,000 visits, 50,000 customers, 10,000 opportunities). */
FlDataset *fl_demo_generate (guint64   seed,
                             gint64    now,
                             double    scale,
                             GError  **error);

G_END_DECLS
