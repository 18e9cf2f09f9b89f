import { Socket } from 'node:net';

/**
 * Requests so malformed that no route sees them (headers over 16 KB, broken HTTP) are
 * answered here, still in the contract's error shape, and the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();

    return;
  }

  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const message = tooLarge
    ? 'Request headers or URL too large (16 KB at most)'
    : 'Malformed HTTP request';
  const body = JSON.stringify({
    error: { message, type: 'bad_request_error', param: null, code: String(status) },
  });

  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
