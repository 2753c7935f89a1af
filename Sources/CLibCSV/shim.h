// libcsv (Debian: libcsv-dev) installs /usr/include/csv.h and libcsv.so, no .pc file.
#include <csv.h>
