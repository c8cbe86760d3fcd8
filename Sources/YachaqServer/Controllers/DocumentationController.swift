import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the API description, shipped as a resource of this module.
struct DocumentationController {
    static let openAPIDocument: ByteBuffer = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = FileManager.default.contents(atPath: url.path)
        else { preconditionFailure("openapi.yaml is missing from the YachaqServer bundle") }
        return ByteBuffer(bytes: data)
    }()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: Self.openAPIDocument))
        }
    }
}
