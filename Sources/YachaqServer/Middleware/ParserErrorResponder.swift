import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import YachaqDomain

/// A request that is not even valid HTTP never reaches the router; Hummingbird answers it
/// with a bare 400. This channel handler answers first, as a problem like every other: 414
/// when the request line or a header is longer than the decoder takes (80 KB; in practice
/// a giant URL), 400 for anything else malformed, then closes the connection.
final class ParserErrorResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let problem =
            error == .headerOverflow
            ? Problem(.uriTooLong, detail: "The URL or a header is too long: at most 80 KB in all.")
            : Problem(.badRequest, detail: "The request is not valid HTTP/1.1.")
        let body = ByteBuffer(bytes: (try? JSONCoding.encoder.encode(problem)) ?? Data())
        var head = HTTPResponse(status: problem.status)
        head.headerFields[.contentType] = "application/problem+json"
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
