/// Partition: `DataFacts` in a partial file (docs/partitioned.md, "analyze partial").
extension DataFacts {
    func encode(into w: inout PartWriter) {
        func set(_ s: Set<String>) { w.strings(s.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }) }
        w.strings(eventNames)
        set(roiChannels)
        set(allChannels)
        w.int(keptSales)
        w.bool(anyPurchase)
    }

    static func decode(from r: inout PartReader) throws -> DataFacts {
        DataFacts(eventNames: try r.strings(), roiChannels: Set(try r.strings()), allChannels: Set(try r.strings()),
                  keptSales: try r.int(), anyPurchase: try r.bool())
    }
}
