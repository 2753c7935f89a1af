import Dispatch

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
public func concurrently<A, B>(_ a: () throws -> A, _ b: () throws -> B) throws -> (A, B) {
    var ra: Result<A, any Error>?
    var rb: Result<B, any Error>?
    try withoutActuallyEscaping(a) { a in
        try withoutActuallyEscaping(b) { b in
            nonisolated(unsafe) let a = a, b = b
            _ = try parallelMap(2) { i -> Void in
                if i == 0 { ra = Result { try a() } } else { rb = Result { try b() } }
            }
        }
    }
    return (try ra!.get(), try rb!.get())
}
