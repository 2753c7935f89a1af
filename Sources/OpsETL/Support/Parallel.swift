import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Runs `body(i)` for every i in 0..<count on Dispatch's worker pool and returns the
/// results in index order.
///
/// Errors are rethrown in index order, not completion order, so the same input always
/// reports the same error (STYLE: fixed order). Each index writes only its own slot,
/// so no lock is needed.
public func parallelMap<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
    if count == 0 { return [] }
    if count == 1 { return [try body(0)] }
    let slots = UnsafeMutableBufferPointer<Result<T, any Error>?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer { slots.deinitialize(); slots.deallocate() }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        nonisolated(unsafe) let slots = slots
        DispatchQueue.concurrentPerform(iterations: count) { i in
            slots[i] = Result { try body(i) }
        }
    }
    return try slots.map { try $0!.get() }
}

/// Runs independent jobs concurrently and returns their results in the order given.
///
/// `a` runs on the calling thread and `b` on a thread of its own, joined before this returns, not
/// as two iterations of one `concurrentPerform`: libdispatch divides a nested apply's width by the
/// outer one's, so with two cores each job's own `parallelMap` (a file's chunks, the dedupe's
/// groups) ran on one thread and a core idled once the shorter job was done (issue 15).
public func concurrently<A, B>(_ a: () throws -> A, _ b: () throws -> B) throws -> (A, B) {
    try withoutActuallyEscaping(b) { b in
        let job = ThreadJob(b)
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        let context = Unmanaged.passRetained(job as AnyObject).toOpaque()
        let started = pthread_create(&thread, &attributes, { context in
            (Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as! any Runnable).run()
            return nil
        }, context) == 0
        pthread_attr_destroy(&attributes)
        if !started {
            Unmanaged<AnyObject>.fromOpaque(context).release()
            job.run()   // no thread to be had: one job after the other
        }
        let ra = Result { try a() }
        if started { pthread_join(thread, nil) }   // `b` ran, and the thread let go of it
        return (try ra.get(), try job.result!.get())
    }
}

private protocol Runnable: AnyObject { func run() }

/// `concurrently`'s second job: run once, on its thread, which lets go of the closure before it ends.
private final class ThreadJob<B>: Runnable, @unchecked Sendable {
    private var body: (() throws -> B)?
    private(set) var result: Result<B, any Error>?
    init(_ body: @escaping () throws -> B) { self.body = body }
    func run() {
        result = Result { try body!() }
        body = nil
    }
}
