import Hummingbird
import YachaqDomain

/// A response written by `JSONText` instead of Foundation's encoder: the same bytes, for
/// the lists of profiles a user waits on (shortlists, searches, profiles).
struct WrittenJSON<Value: JSONTextWritable & Sendable>: ResponseGenerator {
    let value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let bytes = JSONText.of(value, capacity: 16_384)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension Items: JSONTextWritable where Item: JSONTextWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.key("items")
            json.array(items)
        }
    }
}
