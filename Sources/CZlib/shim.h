// zlib (Debian: zlib1g-dev) installs /usr/include/zlib.h and libz.so: gzip inputs (SPEC §3.2).
#include <zlib.h>
