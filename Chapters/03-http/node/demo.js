// demo.js — §3.2 and §3.3 on the wire: raw requests, written byte for byte, that make the events
// server (server.js) fire each of its events. Node twin of `http-events demo`.
// The server's lines and the client's interleave in the order things happen.
// Usage: node demo.js   (everything on 127.0.0.1, ports picked by the system)
const net = require('net');
const { once } = require('events');
const { startEventsServer } = require('./server');

// Each scenario ends when both ends of its connection have closed, so the lines come in a fixed
// order. The server-side socket's 'close' calls whatever this points to at the time.
let serverSideClosed = () => {};

// The first line of a message, cut at 60 characters.
function firstLine(message) {
  const line = message.split('\r\n').find((l) => l !== '') ?? message;
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

// Sends `messages` on a new connection (waiting for `waitBetween` after each but the last),
// prints the first line of each message and of what came back, and stops when `finished` is
// true of the reply or the server closes.
function scenario(title, port, messages, { waitBetween = () => true, finished = () => false } = {}) {
  console.log(`\n== ${title} ==`);
  return new Promise((done) => {
    let left = 2; // the client's socket and the server's
    const tick = () => { left -= 1; if (left === 0) done(); };
    serverSideClosed = tick;

    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    let next = 0;
    const sendNext = () => {
      const message = messages[next];
      next += 1;
      console.log(`client sends: ${firstLine(message)}`);
      socket.write(message);
    };
    socket.on('data', (chunk) => {
      const before = reply.length;
      reply += chunk.toString();
      for (const line of reply.slice(before).split('\r\n')) {
        if (line.startsWith('HTTP/1.')) console.log(`client got:   ${line}`);
      }
      if (next < messages.length && waitBetween(reply)) {
        sendNext();
      } else if (next === messages.length && finished(reply)) {
        const lines = reply.split(/\r\n|\r|\n/).filter((l) => l !== '');
        console.log(`client got:   …${(lines.at(-1) ?? '').slice(-40)}`);
        socket.end();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      console.log('client: connection closed');
      tick();
    });
    sendNext();
  });
}

const count = (text, piece) => text.split(piece).length - 1;

(async () => {
  // A plain TCP echo server, the far end of the CONNECT tunnel.
  const echo = net.createServer((socket) => socket.on('data', (d) => socket.write(d)));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const echoPort = echo.address().port;

  let port = 0;
  const server = startEventsServer(0, '127.0.0.1', (p) => { port = p; });
  await once(server, 'listening');
  server.on('connection', (socket) => socket.on('close', () => serverSideClosed()));
  const get = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';

  await scenario('keep-alive: two requests, one connection', port, [get, get],
    { finished: (r) => count(r, 'hello') === 2 });
  await scenario('HTTP/1.0: the connection closes after the answer', port, ['GET / HTTP/1.0\r\n\r\n']);
  await scenario('Expect: 100-continue, accepted', port,
    ['POST /upload HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n', 'hello'],
    { waitBetween: (r) => r.includes('100 Continue'), finished: (r) => r.includes('received 5 bytes') });
  await scenario('Expect: 100-continue, refused', port,
    ['POST /upload HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 4096\r\n\r\n']);
  await scenario('Expect: something else', port, ['GET / HTTP/1.1\r\nHost: localhost\r\nExpect: magic\r\n\r\n'],
    { finished: (r) => r.endsWith('0\r\n\r\n') });
  await scenario('CONNECT: a tunnel to an echo server', port,
    [`CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nHost: 127.0.0.1:${echoPort}\r\n\r\n`, 'ping through the tunnel'],
    { waitBetween: (r) => r.includes('200 Connection Established'),
      finished: (r) => r.endsWith('ping through the tunnel') });
  await scenario('Upgrade: echo', port,
    ['GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n', 'hello, raw bytes'],
    { waitBetween: (r) => r.includes('101 Switching'), finished: (r) => r.endsWith('hello, raw bytes') });
  await scenario('a malformed request', port, ['FOO / HTTP/1.1\r\nHost: localhost\r\n\r\n']);
  await scenario('an oversized header', port,
    [`GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(17000)}\r\n\r\n`]);

  await new Promise((done) => server.close(done));
  echo.close();
})();
