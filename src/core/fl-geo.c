/* placeholder, being written */
#include "fl-core.h"
