import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemOf } from '../errors/problem';

/**
 * Node's HTTP parser refuses some requests before Express sees them: a request line and
 * headers over `--max-http-header-size` (16 KiB), or broken framing (a bad chunk size,
 * Content-Length with Transfer-Encoding). Node's own answer is a bare status with no body;
 * API.md promises problem+json for every error, so those answers are written here.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  // An `Expect` other than 100-continue: Node would answer a bare 417. RFC 9110 lets a server
  // ignore an expectation it does not know, so the request is served as if it had none.
  server.on('checkExpectation', (req, res) => server.emit('request', req, res));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A response already under way on this connection cannot be followed by another.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
      return;
    }
    const problem = err.code === 'HPE_HEADER_OVERFLOW'
      ? problemOf('HEADERS_TOO_LARGE', 'The request line and headers exceed the server\'s limit of 16 KiB')
      : problemOf('VALIDATION_FAILED', 'The request is not well-formed HTTP/1.1', [{ field: 'request', message: 'malformed HTTP framing' }]);
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
