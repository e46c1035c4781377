import NIOCore
import Testing

@testable import NodeNet

/// Addresses as Node prints them (`rinfo.address`, `socket.remoteAddress`): an IPv4 address is
/// formatted by NodeNet itself, and must read exactly as `inet_ntop` writes it.
@Suite struct AddressTextTests {
    @Test(arguments: [
        "0.0.0.0", "127.0.0.1", "255.255.255.255", "10.0.100.9", "192.168.1.10", "1.22.103.250",
        "100.99.10.0",
    ])
    func anIPv4AddressReadsAsInetNtopWritesIt(_ text: String) throws {
        let address = try SocketAddress(ipAddress: text, port: 41234)
        let info = AddressInfo(address)
        #expect(info.address == text)
        #expect(info.address == address.ipAddress)
        #expect(info.family == "IPv4")
        #expect(info.port == 41234)
    }

    @Test func anIPv6AddressKeepsItsFamily() throws {
        let info = AddressInfo(try SocketAddress(ipAddress: "::1", port: 80))
        #expect(info.address == "::1")
        #expect(info.family == "IPv6")
        #expect(info.port == 80)
    }
}
