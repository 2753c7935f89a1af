/// Support: glibc malloc controls (malloc.h, not in the Glibc module).
///
/// `malloc_trim` hands freed heap memory back to the system. glibc keeps what a stage freed for
/// later allocations, so without it a process's resident memory is the high-water mark of every
/// stage so far, not what is alive.
@_silgen_name("malloc_trim") func mallocTrim(_ pad: Int) -> Int32

@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// One malloc arena for the whole process (glibc's `M_ARENA_MAX`, -8), set by the CLI before any
/// thread starts. By default glibc gives threads arenas of their own (up to 8 per core); a stage's
/// rows are allocated on one thread and freed on another, and what one arena frees the next
/// stage's threads could not reuse, so the peak held freed memory besides the live rows (issue 15:
/// 1.43–1.52 GB on the 2 M shop, 1.38–1.39 GB with one arena). The hot paths allocate per chunk,
/// never per row, so the arena's lock is not contended.
public func useOneMallocArena() {
    _ = mallopt(-8, 1)
}
