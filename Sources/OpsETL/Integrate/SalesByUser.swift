/// Integrate: the kept, non-excluded sales grouped by user, built once for every analysis.
///
/// Compressed sparse rows: `sales[start[u] ..< start[u + 1]]` are user u's sales in input
/// order. Retention (revenue per period) and ROI (attributed revenue) both walk users, so
/// one counting sort here replaces a grouping pass in each.
public struct SalesByUser: Sendable {
    public let start: [Int]
    public let sales: [IntegratedData.Sale]

    init(_ sales: [IntegratedData.Sale], userCount: Int) {
        var start = [Int](repeating: 0, count: userCount + 1)
        for s in sales { start[Int(s.user) + 1] += 1 }
        for u in 0..<userCount { start[u + 1] += start[u] }
        var grouped = sales   // same elements, reordered below
        var fill = start
        grouped.withUnsafeMutableBufferPointer { out in
            for s in sales {
                out[fill[Int(s.user)]] = s
                fill[Int(s.user)] += 1
            }
        }
        self.start = start
        self.sales = grouped
    }

    /// Sales already grouped by user (user u's at `start[u] ..< start[u + 1]`, in input order).
    init(grouped: [IntegratedData.Sale], start: [Int]) {
        self.start = start
        self.sales = grouped
    }

    /// User u's sales, in input order.
    @inline(__always) public func of(_ user: Int) -> ArraySlice<IntegratedData.Sale> {
        sales[start[user]..<start[user + 1]]
    }
}
