/// SplitMix64: a small generator whose whole sequence follows from its seed, so that input number
/// `n` of a run with seed `s` is the same bytes on every machine and in every process.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// The generator for input `index` of a run seeded with `seed`: each input has a stream of its
    /// own, so a worker can start anywhere and the parent can remake one input alone.
    public init(seed: UInt64, index: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (index &+ 1) &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number in `0..<bound` (`bound` > 0).
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// True once in `odds` calls, on average.
    mutating func oneIn(_ odds: Int) -> Bool {
        below(odds) == 0
    }
}

/// FNV-1a of `bytes`: how a target picks, from the input alone, where to cut it into reads, so a
/// saved input replays exactly.
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3
    }
    return hash
}
