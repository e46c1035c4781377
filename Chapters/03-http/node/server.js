// server.js — the §3.3 HTTP server that prints each of its events as it fires, Node twin of
// `http-events` (serve mode). Every line names the connection the event came on.
// Usage: node server.js [port] [host]   (defaults 1337, 127.0.0.1; port 0 = any free port)
// Try it: node server.js, then: curl -v http://127.0.0.1:1337/  (or see demo.js)
const http = require('http');
const net = require('net');

// Uploads bigger than this are refused at 'checkContinue'.
const uploadLimit = 1024;

function startEventsServer(port, host, onListening = () => {}) {
  // Connections are numbered in the order they arrive; each one counts its requests.
  const numbers = new WeakMap();
  const counts = new WeakMap();
  let last = 0;
  const number = (socket) => numbers.get(socket) ?? 0;
  const requests = (socket) => counts.get(socket) ?? 0;
  const request = (socket) => { // one more request on `socket`; returns its connection number
    counts.set(socket, requests(socket) + 1);
    return number(socket);
  };
  const requestLine = (req) => `${req.method} ${req.url} HTTP/${req.httpVersion}`;

  const server = http.createServer((req, res) => {
    const id = request(req.socket);
    // Counted now: requests that arrive together all fire 'request' before any fires 'end'.
    const nth = requests(req.socket);
    console.log(`request #${id} ${requestLine(req)}`);
    req.on('data', () => {}); // read the body (if any), or 'end' never comes
    req.on('end', () => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`hello from http-events: request ${nth} on connection #${id}\n`);
    });
  });

  server.on('connection', (socket) => {
    last += 1;
    numbers.set(socket, last);
    const id = last;
    console.log(`connection #${id} from ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`);
    socket.on('close', () => console.log(`connection #${id} closed after ${requests(socket)} request(s)`));
  });

  // Expect: 100-continue: the client waits for our go-ahead before it sends the body.
  server.on('checkContinue', (req, res) => {
    const id = request(req.socket);
    const length = Number(req.headers['content-length']) || 0;
    const line = `checkContinue #${id} ${requestLine(req)} (Content-Length: ${length})`;
    if (length > uploadLimit) {
      // Refusing is our choice of status; the client then never sends the body.
      console.log(`${line} → 417`);
      res.writeHead(417);
      res.end();
      return;
    }
    console.log(`${line} → 100 Continue`);
    res.writeContinue();
    let received = 0;
    req.on('data', (chunk) => { received += chunk.length; });
    req.on('end', () => res.end(`received ${received} bytes\n`));
  });

  // Any other Expect value: we know none of them.
  server.on('checkExpectation', (req, res) => {
    const id = request(req.socket);
    console.log(`checkExpectation #${id} ${requestLine(req)} (Expect: ${req.headers.expect ?? ''}) → 417`);
    res.writeHead(417);
    res.end();
  });

  // CONNECT host:port: the socket leaves HTTP and becomes one end of a tunnel.
  server.on('connect', (req, socket, head) => {
    const id = request(socket);
    console.log(`connect #${id} CONNECT ${req.url} HTTP/${req.httpVersion} → tunnel`);
    openTunnel(socket, req.url, head);
  });

  // Upgrade: echo — a toy protocol that sends every byte back.
  server.on('upgrade', (req, socket, head) => {
    const id = request(socket);
    const proto = req.headers.upgrade ?? '';
    const line = `upgrade #${id} ${requestLine(req)} (Upgrade: ${proto})`;
    if (proto.toLowerCase() !== 'echo') {
      console.log(`${line} → 400`);
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    console.log(`${line} → 101`);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
    // From here on the bytes are not HTTP.
    if (head.length > 0) socket.write(head);
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('end', () => socket.end());
    // The socket is ours now, errors included: a reset client must not end the server.
    socket.on('error', () => socket.destroy());
  });

  server.on('clientError', (err, socket) => {
    const id = number(socket);
    const status = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 }[err.code] ?? 400;
    console.log(`clientError #${id} ${err.code} → ${socket.bytesWritten === 0 ? status : 'closed'}`);
    // As Node's default: answer only if nothing was written yet, then close.
    if (socket.bytesWritten === 0 && !socket.destroyed) {
      socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
    }
    socket.destroy();
  });

  server.on('error', (err) => console.log(`server error: ${err.message}`));
  server.listen(port, host, () => {
    const { port } = server.address();
    console.log(`listening on http://${host}:${port}/`);
    onListening(port);
  });
  return server;
}

// A CONNECT tunnel: a TCP connection to `target` (host:port), joined to the client's socket.
function openTunnel(client, target, head) {
  const parts = target.split(':').filter((part) => part !== '');
  if (parts.length !== 2 || !/^\d+$/.test(parts[1]) || Number(parts[1]) > 65535) {
    client.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return;
  }
  const upstream = net.connect(Number(parts[1]), parts[0]);
  upstream.on('connect', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  upstream.on('error', (err) => {
    if (client.bytesWritten === 0) client.write('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
    client.end();
    console.log(`tunnel to ${target} failed: ${err.code}`);
  });
  client.on('error', () => upstream.destroy());
}

module.exports = { startEventsServer };

if (require.main === module) {
  startEventsServer(Number(process.argv[2] ?? 1337), process.argv[3] ?? '127.0.0.1');
}
