/* The ingest floor: libcsv scanning the same bytes with empty callbacks, on one core.
 *
 * Usage: csv_floor FILE...  — prints {"bytes": B, "rows": R, "seconds": S} on stdout.
 * Reads each file in 1 MiB blocks with read(2) and feeds them to csv_parse with callbacks
 * that only count, using the same options as opsetl's parser (CSV_REPALL_NL, no space
 * characters). Nothing else happens to the data, so no CSV ingest through libcsv on one
 * core can be faster than this. */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static unsigned long long rows;

static void on_field(void *data, size_t len, void *ctx) { (void)data; (void)len; (void)ctx; }
static void on_row(int terminator, void *ctx) { (void)terminator; (void)ctx; rows++; }
static int no_space(unsigned char c) { (void)c; return 0; }

int main(int argc, char **argv) {
    static char block[1 << 20];
    unsigned long long bytes = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) { perror(argv[i]); return 1; }
        struct csv_parser p;
        csv_init(&p, CSV_REPALL_NL);
        csv_set_space_func(&p, no_space);
        ssize_t n;
        while ((n = read(fd, block, sizeof block)) > 0) {
            if (csv_parse(&p, block, (size_t)n, on_field, on_row, NULL) != (size_t)n) {
                fprintf(stderr, "%s: %s\n", argv[i], csv_strerror(csv_error(&p)));
                return 1;
            }
            bytes += (unsigned long long)n;
        }
        csv_fini(&p, on_field, on_row, NULL);
        csv_free(&p);
        close(fd);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("{\"bytes\": %llu, \"rows\": %llu, \"seconds\": %.6f}\n", bytes, rows, s);
    return 0;
}
