import NodeNet

extension HTTPServerOptions {
    /// A head clock a crowded loop cannot eat, for servers whose tests expect an honest client's
    /// first request to be answered: that head must be in within `headersTimeout` of accept, and
    /// a whole `swift test` on two cores has left the shared loop over 4 s behind its timers (with
    /// 2 and 3 s, whole runs answered honest first requests 408).
    public static var crowdedMachineHeadClock: Self { HTTPServerOptions(headersTimeout: 8000) }
}
