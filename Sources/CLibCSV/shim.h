// libcsv (Debian: libcsv-dev) installs /usr/include/csv.h and libcsv.so, no .pc file.
#include <csv.h>
// malloc_usable_size: the growth policy of the buffer libcsv reallocates (Support/LibCSV.swift).
#include <malloc.h>
