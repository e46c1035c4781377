import ClassroomWire
import Foundation
import NodeNet

/// A request that is refused: its status and the ``ErrorBody`` that names the problem.
struct Refusal: Error {
    let status: Int
    let body: ErrorBody
    /// Seconds to wait before asking again (`Retry-After`), for a `429`.
    var retryAfter: Int?

    init(_ status: Int, _ error: String, _ message: String) {
        self.status = status
        body = ErrorBody(error: error, message: message)
    }
}

extension ServerResponse {
    /// Answers with `value` as JSON.
    func json(_ status: Int, _ value: some Encodable) {
        let data = (try? ClassroomJSON.encoder().encode(value)) ?? Data("{}".utf8)
        writeHead(status, ["Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"])
        end(Buffer([UInt8](data)))
    }

    /// Answers with a refusal's status and body. A 401 says which scheme to use (RFC 6750); a 413
    /// closes the connection, as the rest of the body is not worth reading.
    func refuse(_ refusal: Refusal) {
        if refusal.status == 401 { setHeader("WWW-Authenticate", "Bearer") }
        if refusal.status == 413 { shouldKeepAlive = false }
        if let seconds = refusal.retryAfter { setHeader("Retry-After", "\(seconds)") }
        json(refusal.status, refusal.body)
    }

    /// Answers with `text` of type `contentType`.
    func send(_ status: Int, _ contentType: String, _ text: String) {
        writeHead(status, ["Content-Type": contentType, "Cache-Control": "no-store"])
        end(text)
    }
}

extension IncomingMessage {
    /// The path without its query.
    var path: String { String(url.prefix { $0 != "?" }) }

    /// The value of `name` in the query, percent-decoded.
    func query(_ name: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == name }?.value
    }

    /// The token of `Authorization: Bearer <token>`.
    var bearerToken: String? {
        guard let header = headers["authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    // excerpt: body
    /// Reads the body, up to `limit` bytes: a declared or streamed body past it is refused with
    /// `413` as soon as that is known, and nothing of it is kept.
    func readBody(limit: Int, _ done: @escaping @NodeActor (Result<[UInt8], Refusal>) -> Void) {
        let tooLarge = Refusal(413, "too-large", "the body is larger than \(limit) bytes")
        if let declared = headers["content-length"].flatMap(Int.init), declared > limit {
            return done(.failure(tooLarge))
        }
        var bytes: [UInt8] = []
        var finished = false
        on(.data) { chunk in
            guard !finished else { return }
            bytes += chunk.bytes
            if bytes.count > limit {
                finished = true
                bytes = []
                done(.failure(tooLarge))
            }
        }
        on(.end) {
            guard !finished else { return }
            finished = true
            done(.success(bytes))
        }
    }
    // end excerpt
}

/// Decodes a JSON body as `T`, or refuses it with `400 bad-json` saying what was wrong.
func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> Result<T, Refusal> {
    do {
        return .success(try ClassroomJSON.decoder().decode(type, from: Data(bytes)))
    } catch let DecodingError.keyNotFound(key, _) {
        return .failure(Refusal(400, "bad-json", "the field \(key.stringValue) is missing"))
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
        return .failure(Refusal(400, "bad-json", "the field \(fieldPath(context)) has the wrong type"))
    } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
        return .failure(Refusal(400, "bad-json", "the field \(fieldPath(context)) is not valid"))
    } catch {
        return .failure(Refusal(400, "bad-json", "the body is not valid JSON"))
    }
}

private func fieldPath(_ context: DecodingError.Context) -> String {
    context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
}
