/* fl-core.h — umbrella header of the Fieldlight core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-types.h"
#include "fl-time.h"
#include "fl-json.h"
#include "fl-geo.h"
#include "fl-dataset.h"
#include "fl-store.h"
#include "fl-store-pool.h"
#include "fl-rules.h"
#include "fl-suggest.h"
#include "fl-weekly.h"
#include "fl-execute.h"
#include "fl-process.h"
#include "fl-category-profile.h"
#include "fl-customer-profile.h"
#include "fl-rep-profile.h"
#include "fl-demo.h"
