/* The ingest floor: libcsv scanning the same bytes with empty callbacks, on one core.
 *
 * Usage: csv_floor FILE...  — prints {"bytes": B, "rows": R, "seconds": S} on stdout.
 * Reads each file in 1 MiB blocks with read(2) and feeds them to csv_parse with callbacks
 * that only count, using the same options as opsetl's parser (CSV_REPALL_NL, no space
 * characters, the space function installed only around runs of spaces and tabs, as
 * LibCSVParser.parseSegments does). Nothing else happens to the data, so no CSV ingest
 * through libcsv on one core can be faster than this. */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long rows;

static void on_field(void *data, size_t len, void *ctx) { (void)data; (void)len; (void)ctx; }
static void on_row(int terminator, void *ctx) { (void)terminator; (void)ctx; rows++; }
static int no_space(unsigned char c) { (void)c; return 0; }

/* One csv_parse per stretch without 0x20/0x09 (no space function: an inline compare) and
 * one per run of spaces and tabs (with no_space); libcsv reports the same as one call. */
static size_t parse_segmented(struct csv_parser *p, const char *b, size_t n) {
    size_t pos = 0, done = 0;
    const char *tab = memchr(b, '\t', n);
    size_t next_tab = tab ? (size_t)(tab - b) : n;
    while (pos < n) {
        if (next_tab < pos) { tab = memchr(b + pos, '\t', n - pos); next_tab = tab ? (size_t)(tab - b) : n; }
        const char *sp = next_tab > pos ? memchr(b + pos, ' ', next_tab - pos) : NULL;
        size_t next = sp ? (size_t)(sp - b) : next_tab;
        if (next > pos) { csv_set_space_func(p, NULL); done += csv_parse(p, b + pos, next - pos, on_field, on_row, NULL); }
        if (next >= n) break;
        size_t end = next + 1;
        while (end < n && (b[end] == ' ' || b[end] == '\t')) end++;
        csv_set_space_func(p, no_space);
        done += csv_parse(p, b + next, end - next, on_field, on_row, NULL);
        pos = end;
    }
    csv_set_space_func(p, no_space);
    return done;
}

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
            if (parse_segmented(&p, block, (size_t)n) != (size_t)n) {
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
