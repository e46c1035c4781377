import NodeNet

/// §5.1.2 (数字证书): from a key to a certificate, through a certificate signing request (CSR).
///
/// The server makes a CSR (`openssl req -new -key server.key -out server.csr`): its name and its
/// public key, signed with its private key so the CA knows the requester holds it. The CA checks
/// that signature and signs the request into a certificate (`openssl x509 -req -CA ca.crt -CAkey
/// ca.key -days 365`).
///
/// Do both steps. Make a CSR from `privateKey` whose subject is `CN=<host>` and which asks for the
/// subjectAltNames `DNS:<host>` and `IP:127.0.0.1`: a client checks a host name against the DNS
/// names (the CN counts only in a certificate without any), and an IP address against the IP
/// names only. Have `ca` sign it for `days` days from now. Return the certificate as PEM text, the
/// contents of `server.crt`.
public func signServerCertificate(
    host: String, privateKey: KeyObject, ca: CertificateAuthority, days: Int
) throws -> String {
    // Your code here.
    ""
}
