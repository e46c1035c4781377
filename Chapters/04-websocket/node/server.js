// server.js — the §4 updates server at ws://127.0.0.1:12010/updates, Node twin of `websocket serve`.
// It echoes every message unchanged (text as text, binary as binary); GET / serves the page that
// runs the book's client in a browser. Node 20 has no WebSocket server (programs use the `ws`
// package), so this does what the book describes by hand: the handshake in the http server's
// 'upgrade' event, then RFC 6455 frames straight on the socket.
// Usage: node server.js [port] [host]   (defaults 12010, 127.0.0.1; port 0 = any free port)
// Try it: node server.js, then open http://127.0.0.1:12010/ (or: node client.js ws://127.0.0.1:12010/updates)
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

// Appended to the client's key (RFC 6455 §1.3). The book prints 258EAFA5-E914-47DA-C5AB0DCB5B11,
// which lost a group: no client accepts what it gives.
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
// The subprotocols we speak: we choose the first the client offers that is here.
const protocols = ['chat', 'superchat'];
// The `ws` package's limits: the largest message, and how long to wait for the peer's close.
const maxPayload = 100 * 1024 * 1024;
// NodeNet's bound on the fragments of one message (`ws` has none): empty fragments cost nothing
// to keep, but without a bound a client could keep a message open for ever with them.
const maxFragments = 100_000;
const closeTimeout = 30_000;

// The page is the Swift program's own, read out of its string literal, so there is one copy.
function booksClientPage() {
  const source = fs.readFileSync(path.join(__dirname, '..', 'BooksClientPage.swift'), 'utf8');
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.startsWith('let booksClientPage = """'));
  const end = lines.findIndex((line, i) => i > start && line.trim() === '"""');
  if (start < 0 || end < 0 || lines.slice(start + 1, end).some((line) => line.includes('\\'))) {
    // A backslash would be a Swift escape or interpolation, which this little reader does not know.
    throw new Error('BooksClientPage.swift: no plain """ literal found');
  }
  // A multiline literal loses the closing """'s indentation, and the newline just before it.
  const indent = lines[end].length - lines[end].trimStart().length;
  return lines.slice(start + 1, end).map((line) => line.slice(Math.min(indent, line.search(/\S|$/)))).join('\n');
}

// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
const acceptFor = (key) => crypto.createHash('sha1').update(key + GUID).digest('base64');

// RFC 6455 asks for base64 of exactly 16 bytes: 22 digits and "==". The book's sample
// dGhlIHNhbXBsZSBub25jZQ lacks its "==" and is refused, as common servers refuse it.
const isValidKey = (key) => /^[A-Za-z0-9+/]{22}==$/.test(key ?? '');

// Whether a comma-separated header (`keep-alive, Upgrade`) holds `token`, in any case.
const hasToken = (header, token) =>
  (header ?? '').split(',').some((part) => part.trim().toLowerCase() === token);

// `chat, superchat` → ['chat', 'superchat']; null if malformed (an empty or repeated name).
function offeredProtocols(header) {
  if (header === undefined) return [];
  const names = header.split(',').map((name) => name.replace(/^[ \t]+|[ \t]+$/g, ''));
  if (names.includes('') || new Set(names).size !== names.length) return null;
  return names;
}

// Why an upgrade request is refused (RFC 6455 §4.2.1, checked in the order `ws` checks it), or null.
function refusalOf(req, servicePath) {
  const refuse = (status, message) => ({ status, message });
  if (req.method !== 'GET') return refuse(405, 'Invalid HTTP method');
  if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) {
    return refuse(400, 'Invalid HTTP version');
  }
  if (!hasToken(req.headers.upgrade, 'websocket')) return refuse(400, 'Invalid Upgrade header');
  if (!hasToken(req.headers.connection, 'upgrade')) return refuse(400, 'Invalid Connection header');
  if (!isValidKey(req.headers['sec-websocket-key'])) {
    return refuse(400, 'Missing or invalid Sec-WebSocket-Key header');
  }
  if (req.headers['sec-websocket-version'] !== '13') {
    return refuse(426, 'Unsupported WebSocket version (this server speaks 13)');
  }
  if (offeredProtocols(req.headers['sec-websocket-protocol']) === null) {
    return refuse(400, 'Invalid Sec-WebSocket-Protocol header');
  }
  const requestPath = req.url.split('?')[0];
  if (requestPath !== servicePath) return refuse(400, `No WebSocket service at ${requestPath}`);
  return null;
}

// The refusal as a whole HTTP response; the connection closes after it.
function refusalResponse({ status, message }) {
  // 426 tells the client which version we do speak.
  const extra = status === 426 ? 'Sec-WebSocket-Version: 13\r\n' : '';
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n${extra}` +
    `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`;
}

const opcodes = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa };

// One frame from the server: FIN set, never masked (only clients mask), the shortest length field.
function frame(opcode, payload) {
  let header;
  if (payload.length < 126) {
    header = Buffer.from([0x80 | opcode, payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.from([0x80 | opcode, 126, 0, 0]);
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}

// Close codes that may travel in a close frame; 1005, 1006 and 1015 only describe a closed
// connection locally.
const isValidCloseCode = (code) =>
  (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

// Text must be UTF-8; `fatal` makes a bad byte an error instead of a U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decodeText = (bytes) => { try { return utf8.decode(bytes); } catch { return null; } };

// Reads frames out of the byte stream of a client's socket; calls `onFrame` with each whole one
// (fin, opcode, unmasked payload), or `onViolation(code)` once, for a frame we must refuse.
function frameReader(onFrame, onViolation) {
  let chunks = [];
  let buffered = 0;
  let needed = 2; // bytes for the next step: a header's first two, or a whole frame
  let broken = false;

  // Parses one frame at the start of `buf`: its size in bytes, 0 if incomplete, -1 if refused.
  function parse(buf) {
    const wait = (bytes) => { needed = bytes; return 0; };
    const refuse = (code) => { onViolation(code); return -1; };
    if (buf.length < 2) return wait(2);
    const fin = (buf[0] & 0x80) !== 0;
    const opcode = buf[0] & 0x0f;
    const masked = (buf[1] & 0x80) !== 0;
    // 7 bits of length; 126: the next 16 bits hold it; 127: the next 64.
    let length = buf[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return wait(4);
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return wait(10);
      const big = buf.readBigUInt64BE(2);
      length = big > BigInt(maxPayload) ? Infinity : Number(big);
      offset = 10;
    }
    // Refused as soon as the header shows it: nothing to gain from reading the payload first.
    const control = opcode >= 0x8;
    if (length > maxPayload) return refuse(1009);
    if (control && (length > 125 || !fin)) return refuse(1002); // control frames: short, whole
    if ((buf[0] & 0x70) !== 0) return refuse(1002); // RSV1-3: no extension was agreed on
    if (!Object.values(opcodes).includes(opcode)) return refuse(1002);
    if (!masked) return refuse(1002); // a client must mask every frame
    const size = offset + 4 + length;
    if (buf.length < size) return wait(size);
    // Each payload byte is XORed with a byte of the 4-byte masking key, in turn.
    const key = buf.subarray(offset, offset + 4);
    const payload = Buffer.from(buf.subarray(offset + 4, size));
    for (let i = 0; i < payload.length; i += 1) payload[i] ^= key[i & 3];
    onFrame(fin, opcode, payload);
    return size;
  }

  return function read(chunk) {
    if (broken) return;
    chunks.push(chunk);
    buffered += chunk.length;
    // Bytes are joined only when a step can be taken: a 1 MiB frame is copied once, not per chunk.
    if (buffered < needed) return;
    let buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    for (;;) {
      const size = parse(buf);
      if (size < 0) { broken = true; chunks = []; return; }
      if (size === 0) break;
      buf = buf.subarray(size);
    }
    chunks = buf.length > 0 ? [buf] : [];
    buffered = buf.length;
  };
}

// The server's end of one connection: echoes messages, answers pings, closes as RFC 6455 §7 asks.
// `onMessage` gets each whole message ({ text, bytes } or { bytes }), `onClose` the close event.
function serveConnection(socket, head, onMessage, onClose) {
  let closeFrameSent = false;
  let closeFrameReceived = false;
  let failed = false;
  let closeCode = 1006; // the TCP connection ended without a close frame, until one comes
  let closeReason = '';
  let closeTimer = null;
  let fragments = null; // the frames so far of a fragmented message: { opcode, parts, size, count }

  const send = (opcode, payload) => { if (!socket.destroyed) socket.write(frame(opcode, payload)); };

  function sendClose(code, reason) {
    if (closeFrameSent) return;
    closeFrameSent = true;
    const payload = code === null ? Buffer.alloc(0) : Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);
    send(opcodes.close, payload);
    // Whoever has both close frames ends the TCP connection; the peer's FIN then closes it.
    if (closeFrameReceived) socket.end();
    closeTimer = setTimeout(() => socket.destroy(), closeTimeout).unref();
  }

  // The client broke the protocol: tell it why, and end without waiting for its answer.
  function fail(code) {
    if (failed) return;
    failed = true;
    sendClose(code, '');
    socket.end();
  }

  function receivedClose(payload) {
    let code = 1005; // a close frame without a code
    let reason = '';
    if (payload.length === 1) return fail(1002);
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      if (!isValidCloseCode(code)) return fail(1002);
      reason = decodeText(payload.subarray(2));
      if (reason === null) return fail(1007);
    }
    closeFrameReceived = true;
    closeCode = code;
    closeReason = reason;
    if (closeFrameSent) socket.end();
    // Answered with the same code and reason, as `ws` does; an empty frame if the peer gave none.
    else sendClose(code === 1005 ? null : code, reason);
  }

  function deliver(opcode, payload) {
    if (opcode === opcodes.text) {
      const text = decodeText(payload);
      if (text === null) return fail(1007);
      onMessage({ text, bytes: payload });
    } else {
      onMessage({ bytes: payload });
    }
    // The echo: the same bytes, the same kind.
    if (!closeFrameSent) send(opcode, payload);
  }

  function received(fin, opcode, payload) {
    if (failed || closeFrameReceived) return;
    if (opcode === opcodes.text || opcode === opcodes.binary) {
      if (fragments !== null) return fail(1002); // a new message before the last one ended
      if (fin) return deliver(opcode, payload);
      fragments = { opcode, parts: [payload], size: payload.length, count: 1 };
    } else if (opcode === opcodes.continuation) {
      if (fragments === null) return fail(1002); // nothing to continue
      fragments.count += 1;
      if (fragments.count > maxFragments) return fail(1009);
      // An empty fragment is counted, not kept (as `ws` skips it).
      if (payload.length > 0) fragments.parts.push(payload);
      fragments.size += payload.length;
      if (fragments.size > maxPayload) return fail(1009);
      if (fin) {
        const { opcode: kind, parts } = fragments;
        fragments = null;
        deliver(kind, Buffer.concat(parts));
      }
    } else if (opcode === opcodes.ping) {
      // Answered at once with the same bytes, even between the fragments of a message.
      if (!closeFrameSent) send(opcodes.pong, payload);
    } else if (opcode === opcodes.close) {
      receivedClose(payload);
    }
    // A pong needs nothing.
  }

  const read = frameReader(received, fail);
  socket.on('data', read);
  // The client's FIN: ours follows (an http server's sockets stay half-open otherwise).
  socket.on('end', () => socket.end());
  // The socket is ours now, errors included: a reset client must not end the server.
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    clearTimeout(closeTimer);
    onClose({ code: closeCode, reason: closeReason, wasClean: closeFrameSent && closeFrameReceived });
  });
  // Frames that came in the same packet as the handshake.
  if (head.length > 0) read(head);
}

// A message in one line: its kind, its size, and its start.
function describe(message) {
  if (message.text === undefined) {
    const shown = [...message.bytes.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    return `binary (${message.bytes.length} bytes): ${shown}${message.bytes.length > 8 ? ' …' : ''}`;
  }
  // 60 characters as a reader counts them (grapheme clusters, as Swift's String does), not UTF-16 units.
  const characters = [];
  for (const { segment } of new Intl.Segmenter().segment(message.text)) {
    characters.push(segment);
    if (characters.length > 60) break;
  }
  const shown = characters.length > 60 ? `${characters.slice(0, 60).join('')}…` : message.text;
  return `text (${message.bytes.length} bytes): ${shown}`;
}

// A browser opens a WebSocket wherever a page asks, sending this server's cookies: a page on any
// other site could talk to us as our user. So only our own pages may connect (null: accepted).
function refusalOfOrigin(req) {
  const origin = req.headers.origin;
  if (origin === undefined || origin === `http://${req.headers.host ?? ''}`) return null;
  console.log(`refused a WebSocket for a page from ${origin}`);
  return { status: 403, message: `Pages from ${origin} may not connect here\n` };
}

function startUpdatesServer(port, host, onListening = () => {}) {
  const page = booksClientPage();
  const server = http.createServer((req, res) => {
    if (req.url !== '/' && !req.url.startsWith('/?')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not here: the page is at /, the WebSocket at /updates\n');
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page);
  });

  let connections = 0;
  // The handshake (§4.1): an HTTP request with Upgrade: websocket, answered 101 and the accept value.
  server.on('upgrade', (req, socket, head) => {
    const refusal = refusalOf(req, '/updates') ?? refusalOfOrigin(req);
    if (refusal !== null) {
      socket.on('error', () => socket.destroy());
      socket.end(refusalResponse(refusal), () => socket.destroy());
      return;
    }
    const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
    const chosen = offered.find((name) => protocols.includes(name));
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptFor(req.headers['sec-websocket-key'])}\r\n` +
      `${chosen === undefined ? '' : `Sec-WebSocket-Protocol: ${chosen}\r\n`}\r\n`);
    // From here on the bytes are WebSocket frames (§4.2).
    connections += 1;
    const id = connections;
    console.log(`connection #${id} from ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? 0}, subprotocol: ${chosen ?? 'none'}`);
    serveConnection(socket, head, (message) => console.log(`#${id} ${describe(message)}`), (event) => {
      const reason = event.reason === '' ? '' : ` "${event.reason}"`;
      console.log(`#${id} closed: ${event.code}${reason}${event.wasClean ? '' : ' (not clean)'}`);
    });
  });

  server.listen(port, host, () => {
    const bound = server.address().port;
    console.log(`WebSocket server on ws://${host}:${bound}/updates; the book's client: http://${host}:${bound}/`);
    onListening(bound);
  });
  return server;
}

module.exports = { startUpdatesServer, GUID, acceptFor };

if (require.main === module) {
  startUpdatesServer(Number(process.argv[2] ?? 12010), process.argv[3] ?? '127.0.0.1');
}
