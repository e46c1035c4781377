import COpenSSL
import TestSupport
import Testing

@testable import NodeNet

/// A context without a `ca` of its own trusts the system's CAs, read once per process and shared,
/// as Node shares its root store (reading the bundle took 150 ms of the loop per context).
@Suite @NodeActor struct SystemTrustTests {
    @Test func contextsWithoutACAShareOneStoreOfTheSystemsCertificates() throws {
        let client = try SecureContext(TLSOptions(), isServer: false)
        let another = try SecureContext(TLSOptions(), isServer: false)
        let shared = try #require(SystemTrust.store)
        #expect(SSL_CTX_get_cert_store(client.pointer) == shared)
        #expect(SSL_CTX_get_cert_store(another.pointer) == shared)
        // The distribution's bundle (ca-certificates) is in it: a hundred and more roots.
        #expect(objectCount(shared) > 100)
    }

    @Test func aContextWithItsOwnCATrustsOnlyThatAndLeavesTheSharedStoreAlone() async throws {
        let certs = try await TestCertificates.forTest()
        let shared = try #require(SystemTrust.store)
        let before = objectCount(shared)
        let own = try SecureContext(TLSOptions(ca: [certs.caCert]), isServer: false)
        let store = try #require(SSL_CTX_get_cert_store(own.pointer))
        #expect(store != shared)
        #expect(objectCount(store) == 1)
        #expect(objectCount(shared) == before)
    }
}

/// How many certificates (and CRLs) `store` holds.
private func objectCount(_ store: OpaquePointer) -> Int32 {
    OPENSSL_sk_num(X509_STORE_get0_objects(store))
}
