import Hummingbird
import YachaqAssets

/// `GET /openapi.yaml`: the API description, one of the assets.
struct DocumentationController {
    let document: ByteBuffer

    init(assets: AssetTree) throws { document = ByteBuffer(string: try assets.text("openapi.yaml")) }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: document))
        }
    }
}
