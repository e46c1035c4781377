/// Lookups by object identity, in code that is not the loop's own. A closure formed in
/// `@NodeActor` code and called by the standard library (`firstIndex(where:)`,
/// `removeAll(where:)`) checks at each call that it runs on the loop, about 430 instructions per
/// element; here the closure is not isolated, so nothing is checked.
extension Array where Element: AnyObject {
    /// Where `object` itself is.
    func firstIndex(ofIdentical object: Element) -> Int? {
        firstIndex { $0 === object }
    }

    /// Removes `object` itself, wherever it is.
    mutating func removeAll(identicalTo object: Element) {
        removeAll { $0 === object }
    }
}
