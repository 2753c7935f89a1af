extension IntegratedData {
    /// The same data restricted to the users `users` (ascending indices into `self.users`): their
    /// sales (salesByUser rebuilt), their event streams (same events, same order), spend kept.
    ///
    /// Why: a user partition's data as the analyses see it, for checking that partials of
    /// disjoint user sets merge into the whole run's results. The users get the dense indices
    /// 0 ..< users.count in the given order; event names keep their ids.
    func restricted(to users: [Int]) -> IntegratedData {
        var kept: [User] = []
        kept.reserveCapacity(users.count)
        var sales: [Sale] = []
        var salesStart = [0]
        salesStart.reserveCapacity(users.count + 1)
        var events: [EventStream.Event] = []
        var eventStart = [0]
        eventStart.reserveCapacity(users.count + 1)
        for (i, u) in users.enumerated() {
            precondition(i == 0 || users[i - 1] < u, "IntegratedData.restricted: users must be ascending")
            kept.append(self.users[u])
            for var sale in salesByUser.of(u) {
                sale.user = Int32(i)
                sales.append(sale)
            }
            salesStart.append(sales.count)
            events.append(contentsOf: stream.events(of: u))
            eventStart.append(events.count)
        }
        // Each user's events are already in stream order; the stream's stable per-user sort keeps it.
        let restrictedStream = EventStream(names: stream.names, userStart: eventStart, unsorted: events)
        return IntegratedData(zone: zone, since: since, asOf: asOf, users: kept,
                              salesByUser: SalesByUser(grouped: sales, start: salesStart), spend: spend,
                              stream: restrictedStream, hasEventsInput: hasEventsInput, hasSpendInput: hasSpendInput)
    }
}
