/// Support: glibc's `malloc_trim` (malloc.h, not in the Glibc module): hands freed heap memory back
/// to the system. glibc keeps what a stage freed for later allocations, so without it a process's
/// resident memory is the high-water mark of every stage so far, not what is alive.
@_silgen_name("malloc_trim") func mallocTrim(_ pad: Int) -> Int32
