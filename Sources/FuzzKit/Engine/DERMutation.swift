/// Structure-aware mutations of DER (ASN.1): the bytes are parsed into their tag-length-value
/// tree, one node is changed (its content, its tag, its children, or its length field), and the
/// tree is written back with every enclosing length fixed. A byte flip in a certificate usually
/// breaks an outer length and stops the parser at the first step; this reaches the fields inside.
enum DERMutation {
    /// Mutates `bytes` if they parse as DER; false if they do not (the caller mutates bytes).
    static func mutate(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> Bool {
        guard let roots = DERNode.parseAll(bytes[...]), !roots.isEmpty else { return false }
        var nodes: [DERNode] = []
        for root in roots { root.collect(into: &nodes) }
        let node = nodes[random.below(nodes.count)]
        switch random.below(7) {
        case 0, 1: mutateContent(of: node, &random)
        case 2: node.tag = [tags[random.below(tags.count)]]
        case 3:
            // A length field that lies, or a long form where a short one belongs (DER forbids it).
            node.lengthField =
                [
                    [0x80], [0x81, UInt8(truncatingIfNeeded: node.encodedContent.count)],
                    [0x84, 0x7F, 0xFF, 0xFF, 0xFF],
                    [UInt8(truncatingIfNeeded: node.encodedContent.count + 1)],
                    [UInt8(truncatingIfNeeded: max(0, node.encodedContent.count - 1))],
                ][random.below(5)]
        default:
            guard var children = node.children, !children.isEmpty else {
                mutateContent(of: node, &random)
                break
            }
            let at = random.below(children.count)
            switch random.below(3) {
            case 0: children.remove(at: at)
            case 1: children.insert(children[random.below(children.count)].copy(), at: at)
            default: children.swapAt(at, random.below(children.count))
            }
            node.children = children
        }
        bytes = roots.flatMap { $0.encoded }
        return true
    }

    /// Universal and context tags parsers switch on.
    private static let tags: [UInt8] = [
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x16, 0x17, 0x18, 0x1E, 0x30, 0x31, 0x80, 0x82, 0x87,
        0xA0, 0xA3,
    ]

    /// Contents that test integer and string handling: empty, zero, negative, wider than 64 bits.
    private static let contents: [[UInt8]] = [
        [], [0x00], [0x01], [0x80], [0xFF], [0x7F, 0xFF, 0xFF, 0xFF], [0x00, 0x80, 0, 0, 0, 0, 0, 0, 0],
        [0x01, 0, 0, 0, 0, 0, 0, 0, 0x01], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        Array(repeating: 0x41, count: 300), [0xC3, 0x28], Array("2.5.4.3".utf8), Array("991231235959Z".utf8),
        Array("99991231235959Z".utf8), [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01],
    ]

    private static func mutateContent(of node: DERNode, _ random: inout SeededRandom) {
        node.children = nil
        var content = node.content
        switch random.below(5) {
        case 0: content = contents[random.below(contents.count)]
        case 1 where !content.isEmpty: content[random.below(content.count)] ^= 1 << UInt8(random.below(8))
        case 2 where !content.isEmpty:
            content[random.below(content.count)] =
                Mutator.interestingBytes[random.below(Mutator.interestingBytes.count)]
        case 3:
            content.insert(
                contentsOf: (0..<(1 + random.below(9))).map { _ in UInt8(truncatingIfNeeded: random.next()) },
                at: random.below(content.count + 1))
        default: content = Array(content.prefix(random.below(content.count + 1)))
        }
        node.content = content
    }
}

/// One tag-length-value of DER, with its children when it is constructed (or an OCTET or BIT
/// STRING that holds DER, as certificate extensions and public keys do).
private final class DERNode {
    var tag: [UInt8]
    /// The content bytes, for a node without children.
    var content: [UInt8]
    var children: [DERNode]?
    /// Bytes before the children inside the content (a BIT STRING's unused-bits count).
    var lead: [UInt8] = []
    /// A length field written instead of the right one, by a mutation.
    var lengthField: [UInt8]?

    init(tag: [UInt8], content: [UInt8], children: [DERNode]?) {
        self.tag = tag
        self.content = content
        self.children = children
    }

    func copy() -> DERNode {
        let copy = DERNode(tag: tag, content: content, children: children?.map { $0.copy() })
        copy.lead = lead
        copy.lengthField = lengthField
        return copy
    }

    func collect(into nodes: inout [DERNode]) {
        nodes.append(self)
        for child in children ?? [] { child.collect(into: &nodes) }
    }

    var encodedContent: [UInt8] {
        guard let children else { return content }
        return lead + children.flatMap { $0.encoded }
    }

    var encoded: [UInt8] {
        let body = encodedContent
        return tag + (lengthField ?? Self.length(body.count)) + body
    }

    static func length(_ count: Int) -> [UInt8] {
        guard count >= 0x80 else { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    /// Every node of `bytes`, back to back; nil unless they parse to the last byte.
    static func parseAll(_ bytes: ArraySlice<UInt8>, depth: Int = 0) -> [DERNode]? {
        guard depth < 24 else { return nil }
        var nodes: [DERNode] = []
        var rest = bytes
        while !rest.isEmpty {
            guard let (node, after) = parseOne(rest, depth: depth) else { return nil }
            nodes.append(node)
            rest = after
        }
        return nodes
    }

    private static func parseOne(_ bytes: ArraySlice<UInt8>, depth: Int) -> (DERNode, ArraySlice<UInt8>)? {
        var index = bytes.startIndex
        guard index < bytes.endIndex else { return nil }
        let tag = bytes[index]
        // Multi-byte tags are not used by X.509: refuse rather than guess.
        guard tag & 0x1F != 0x1F else { return nil }
        index += 1
        guard index < bytes.endIndex else { return nil }
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...3).contains(count), index + count <= bytes.endIndex else { return nil }
            length = bytes[index..<(index + count)].reduce(0) { $0 << 8 | Int($1) }
            index += count
        }
        guard index + length <= bytes.endIndex else { return nil }
        let content = bytes[index..<(index + length)]
        let node = DERNode(tag: [tag], content: Array(content), children: nil)
        if tag & 0x20 != 0 {
            node.children = parseAll(content, depth: depth + 1)
        } else if tag == 0x04, let inner = parseAll(content, depth: depth + 1), !inner.isEmpty {
            node.children = inner
        } else if tag == 0x03, content.first == 0,
            let inner = parseAll(content.dropFirst(), depth: depth + 1),
            !inner.isEmpty
        {
            node.lead = [0]
            node.children = inner
        }
        return (node, bytes[(index + length)...])
    }
}
