/* placeholder, being written */
#include "fl-core.h"
int
main (int argc, char **argv)
{
  return 0;
}
