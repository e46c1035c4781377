import NodeNet
import TestSupport
import Testing

/// Keys: generation, PEM in the forms OpenSSL writes, and OpenSSL's and Node's views of them.
@Suite(.timeLimit(.minutes(1))) struct CryptoKeyTests {
    @Test func rsaKeysExportPEMThatOpenSSLAccepts() async throws {
        let (privateKey, publicKey) = try crypto.generateKeyPairSync(.rsa())
        #expect(privateKey.type == .private)
        #expect(publicKey.type == .public)
        #expect(privateKey.asymmetricKeyType == "rsa")
        #expect(
            privateKey.asymmetricKeyDetails
                == AsymmetricKeyDetails(modulusLength: 2048, publicExponent: 65537))
        #expect(publicKey.asymmetricKeyDetails == privateKey.asymmetricKeyDetails)

        let pkcs8 = try privateKey.export(type: .pkcs8)
        let pkcs1 = try privateKey.export(format: .pem, type: .pkcs1)
        let spki = try publicKey.export(type: .spki)
        let publicPKCS1 = try publicKey.export(type: .pkcs1)
        #expect(pkcs8.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
        #expect(spki.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(publicPKCS1.hasPrefix("-----BEGIN RSA PUBLIC KEY-----\n"))

        try await withFolder { folder in
            try folder.write("pkcs8.key", pkcs8)
            try folder.write("pkcs1.key", pkcs1)
            try folder.write("public.pem", spki)
            #expect(
                try await openssl("rsa", "-check", "-noout", "-in", "pkcs8.key", in: folder).output
                    == "RSA key ok\n")
            #expect(
                try await openssl("rsa", "-check", "-noout", "-in", "pkcs1.key", in: folder).output
                    == "RSA key ok\n")
            try await openssl("pkey", "-pubin", "-in", "public.pem", "-noout", in: folder)
            // OpenSSL derives the same public key from our private key as we did.
            #expect(try await openssl("pkey", "-in", "pkcs8.key", "-pubout", in: folder).output == spki)
        }

        // Every form reads back to the same key.
        #expect(try crypto.createPrivateKey(pkcs1).export(type: .pkcs8) == pkcs8)
        #expect(try crypto.createPrivateKey(Buffer(pkcs8)).export(type: .pkcs1) == pkcs1)
        #expect(try crypto.createPublicKey(publicPKCS1).export(type: .spki) == spki)
        #expect(try crypto.createPublicKey(pkcs8).export(type: .spki) == spki)
        #expect(try crypto.createPublicKey(privateKey).export(type: .spki) == spki)
        #expect(try crypto.createPublicKey(spki).type == .public)
    }

    @Test func ecKeysNameTheirCurve() async throws {
        let (privateKey, publicKey) = try crypto.generateKeyPairSync(.ec(namedCurve: "P-256"))
        #expect(privateKey.asymmetricKeyType == "ec")
        #expect(publicKey.asymmetricKeyDetails == AsymmetricKeyDetails(namedCurve: "prime256v1"))
        let sec1 = try privateKey.export(type: .sec1)
        #expect(sec1.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
        try await withFolder { folder in
            try folder.write("ec.key", try privateKey.export(type: .pkcs8))
            try folder.write("sec1.key", sec1)
            try await openssl("ec", "-check", "-noout", "-in", "ec.key", in: folder)
            try await openssl("ec", "-check", "-noout", "-in", "sec1.key", in: folder)
            // Named, not explicit, parameters: TLS refuses explicit ones.
            let text = try await openssl("ec", "-noout", "-text", "-in", "sec1.key", in: folder).output
            #expect(text.contains("ASN1 OID: prime256v1"))
        }
        #expect(try crypto.createPrivateKey(sec1).asymmetricKeyDetails.namedCurve == "prime256v1")
        let p384 = try crypto.generateKeyPairSync(.ec(namedCurve: "secp384r1")).publicKey
        #expect(p384.asymmetricKeyDetails.namedCurve == "secp384r1")
    }

    @Test func readsTheKeysOpenSSLWrites() async throws {
        try await withFolder { folder in
            // The book's commands: a 1024-bit key in OpenSSL 1.x's format, then its public key.
            try await openssl("genrsa", "-traditional", "-out", "server.key", "1024", in: folder)
            try await openssl("rsa", "-in", "server.key", "-pubout", "-out", "server.pem", in: folder)
            let book = try folder.read("server.key")
            #expect(book.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
            let privateKey = try crypto.createPrivateKey(book)
            #expect(privateKey.asymmetricKeyDetails.modulusLength == 1024)
            let publicKey = try crypto.createPublicKey(try folder.read("server.pem"))
            #expect(try publicKey.export(type: .spki) == folder.read("server.pem"))
            #expect(try crypto.createPublicKey(privateKey).export(type: .spki) == folder.read("server.pem"))

            // OpenSSL 3's defaults: PKCS#8, and an EC key after its parameters block.
            try await openssl("genrsa", "-out", "new.key", "2048", in: folder)
            #expect(
                try crypto.createPrivateKey(folder.read("new.key")).asymmetricKeyDetails.modulusLength == 2048
            )
            try await openssl("ecparam", "-genkey", "-name", "prime256v1", "-out", "ec.key", in: folder)
            #expect(
                try crypto.createPrivateKey(folder.read("ec.key")).asymmetricKeyDetails.namedCurve
                    == "prime256v1")
        }
    }

    @Test func encryptedKeysNeedTheirPassphrase() async throws {
        try await withFolder { folder in
            try await openssl(
                "genrsa", "-aes256", "-passout", "pass:secret", "-out", "pkcs8.key", "1024", in: folder)
            try await openssl(
                "genrsa", "-traditional", "-aes256", "-passout", "pass:secret", "-out", "pkcs1.key", "1024",
                in: folder)
            for file in ["pkcs8.key", "pkcs1.key"] {
                let pem = try folder.read(file)
                #expect(try crypto.createPrivateKey(pem, passphrase: "secret").asymmetricKeyType == "rsa")
                // Node's codes for a missing and a wrong passphrase (no terminal prompt).
                #expect { try crypto.createPrivateKey(pem) } throws: { error in
                    (error as? NodeError)?.code == "ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED"
                }
                // A wrong passphrase decrypts to garbage whose CBC padding is still valid about one
                // time in 256; the garbage then fails to decode (ERR_OSSL_UNSUPPORTED, in Node too).
                // So: every wrong passphrase fails, and nearly all of them with BAD_DECRYPT.
                var codes: [String?] = []
                for attempt in 1...4 {
                    #expect { try crypto.createPrivateKey(pem, passphrase: "wrong\(attempt)") } throws: {
                        error in
                        codes.append((error as? NodeError)?.code)
                        return true
                    }
                }
                #expect(
                    codes.allSatisfy { ["ERR_OSSL_BAD_DECRYPT", "ERR_OSSL_UNSUPPORTED"].contains($0) },
                    "\(codes)")
                #expect(codes.contains("ERR_OSSL_BAD_DECRYPT"), "\(codes)")
            }
        }
    }

    @Test func badInputThrowsNodesErrors() throws {
        #expect(
            throws: NodeError(
                code: "ERR_OSSL_UNSUPPORTED", message: "error:1E08010C:DECODER routines::unsupported")
        ) { try crypto.createPrivateKey("garbage") }
        #expect(
            throws: NodeError(
                code: "ERR_OSSL_UNSUPPORTED", message: "error:1E08010C:DECODER routines::unsupported")
        ) { try crypto.createPublicKey("garbage") }
        #expect(throws: NodeError(code: "ERR_CRYPTO_INVALID_CURVE", message: "Invalid EC curve name")) {
            try crypto.generateKeyPairSync(.ec(namedCurve: "nope"))
        }
        let ec = try ecKey()
        #expect(
            throws: NodeError(
                code: "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS",
                message: "The selected key encoding pkcs1 can only be used for RSA keys.")
        ) { try ec.export(type: .pkcs1) }
        #expect(
            throws: NodeError(
                code: "ERR_INVALID_ARG_VALUE",
                message: "The property 'options.type' is invalid. Received 'spki'")
        ) { try ec.export(type: .spki) }
        // Key sizes OpenSSL refuses come back with its reason, not a crash.
        #expect { try crypto.generateKeyPairSync(.rsa(modulusLength: 256)) } throws: { error in
            (error as? NodeError)?.code.hasPrefix("ERR_OSSL_") == true
        }
    }

    /// Found by `fuzz pem-der`: reading the details of such a key trapped.
    @Test func anRSAExponentWiderThanAnIntIsLeftOutOfTheDetails() throws {
        // n from a 1024-bit test key, e = 2^64 + 1; Node prints publicExponent: 18446744073709551617n.
        let key = try crypto.createPublicKey(
            """
            -----BEGIN RSA PUBLIC KEY-----
            MIGPAoGBAMJ42tcXj5+xcoF6fXBtoI3YTv55fD4PVOLkyP8F9n9R6+PRt/3E66Tz
            knzTTW3KT2RVfMeR+J/wqRlZfevHENChb1H2zfuVPpDyTa6uwlpWABHn2vWZHEx9
            i9bdY9c4HZYW8diu3m8wVwqzr+lpKEamxe6cvZbTq6RU8voBtlhzAgkBAAAAAAAA
            AAE=
            -----END RSA PUBLIC KEY-----
            """)
        #expect(key.asymmetricKeyDetails == AsymmetricKeyDetails(modulusLength: 1024, publicExponent: nil))
    }

    @Test func nodeReadsOurKeysAsTheSameKeys() async throws {
        let (privateKey, publicKey) = try crypto.generateKeyPairSync(.rsa(modulusLength: 2048))
        let (ecPrivate, _) = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1"))
        try await withFolder { folder in
            try folder.write("rsa.key", try privateKey.export(type: .pkcs1))
            try folder.write("ec.key", try ecPrivate.export(type: .sec1))
            let output = try await node(
                """
                const crypto = require('crypto'), fs = require('fs');
                for (const file of ['rsa.key', 'ec.key']) {
                  const key = crypto.createPrivateKey(fs.readFileSync(file));
                  const d = key.asymmetricKeyDetails;
                  console.log(key.asymmetricKeyType, d.modulusLength ?? d.namedCurve);
                  process.stdout.write(crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' }));
                }
                """, in: folder)
            let expected =
                "rsa 2048\n" + (try publicKey.export(type: .spki)) + "ec prime256v1\n"
                + (try crypto.createPublicKey(ecPrivate).export(type: .spki))
            #expect(output == expected)
        }
    }
}
