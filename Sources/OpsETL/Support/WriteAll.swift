import Foundation

/// Support: `write(2)` until every byte is written (a write may write fewer, or be interrupted).
/// Returns nil on success, else the `errno` of the failing call; callers name the file in their error.
func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
    var done = 0
    while done < buffer.count {
        let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        if n == 0 { return EIO }
        done += n
    }
    return nil
}
