// events.js — watch the §1.3 server and socket events fire, one small scene at a time.
// Every line is "server <event>" or "socket(<side>) <event>", side = server-side | client.
// Usage: node events.js [port]   (default 0 = any free port; everything runs on 127.0.0.1)
const net = require('net');
const { once } = require('events');

const HOST = '127.0.0.1';
const wanted = Number(process.argv[2] ?? 0);
const log = (line) => console.log(line);
const scene = (title) => log(`\n--- ${title} ---`);

const server = net.createServer();
server.on('listening', () => log(`server listening (port ${server.address().port})`));
server.on('connection', () => log('server connection'));
server.on('close', () => log('server close'));

// Print the common socket events; resolves when the socket has closed.
function trace(socket, side, { showData = true } = {}) {
  const tag = `socket(${side})`;
  socket.on('connect', () => log(`${tag} connect`));
  if (showData) socket.on('data', (d) => log(`${tag} data "${d}"`));
  socket.on('end', () => log(`${tag} end`));
  socket.on('finish', () => log(`${tag} finish`));
  socket.on('error', (err) => log(`${tag} error ${err.code} (during ${err.syscall ?? 'I/O'})`));
  socket.on('close', (hadError) => log(`${tag} close hadError=${hadError}`));
  return new Promise((resolve) => socket.once('close', resolve)); // (events.once would reject on 'error')
}

// Let the next accepted socket be set up by `setup`; tells us when it is accepted and closed.
function nextConnection(setup) {
  let closed;
  const accepted = new Promise((resolve) => {
    server.once('connection', (socket) => {
      closed = setup(socket);
      resolve(socket);
    });
  });
  return { accepted, closed: () => accepted.then(() => closed) };
}

async function listening() {
  scene('a. listening, then a second server on the same port');
  server.listen(wanted, HOST);
  await once(server, 'listening');
  const port = server.address().port;
  const second = net.createServer();
  second.listen(port, HOST);
  const [err] = await once(second, 'error');
  log(`server error ${err.code} (a second server tried port ${port})`);
  return port;
}

async function pingPong(port) {
  scene('b. connect, data, end, finish, close');
  const peer = nextConnection((s) => {
    const closed = trace(s, 'server-side');
    s.on('data', () => s.write('pong'));
    return closed;
  });
  const client = net.connect(port, HOST);
  const clientClosed = trace(client, 'client');
  client.on('connect', () => client.write('ping'));
  client.on('data', () => client.end());
  await Promise.all([clientClosed, peer.closed()]);
}

async function drain(port) {
  scene('c. drain: the server-side socket stops reading');
  const peer = nextConnection((s) => {
    s.pause(); // do not read: the bytes pile up in the kernel, then in the client
    let events = 0, bytes = 0;
    s.on('data', (d) => { events += 1; bytes += d.length; });
    s.on('end', () => log(`socket(server-side) read ${bytes} bytes in ${events} data events`));
    return trace(s, 'server-side', { showData: false });
  });
  const client = net.connect(port, HOST);
  const clientClosed = trace(client, 'client');
  const [serverSide] = await Promise.all([peer.accepted, once(client, 'connect')]);

  // write() says false as soon as more than the high-water mark is queued; we keep going
  // until the bytes really stay queued in Node (writableLength > 0): the kernel buffers are full.
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let writes = 0;
  for (;;) {
    writes += 1;
    if (!client.write(chunk) && client.writableLength > 0) break;
  }
  log(`socket(client) write() returned false after ${writes} writes of 64 KiB, writableLength=${client.writableLength}`);

  log('socket(server-side) resume()');
  serverSide.resume();
  await once(client, 'drain');
  log('socket(client) drain');
  client.end();
  await Promise.all([clientClosed, peer.closed()]);
}

async function reset(port) {
  scene('d. reset: the server-side socket is reset on arrival');
  const peer = nextConnection((s) => {
    const closed = trace(s, 'server-side');
    s.resetAndDestroy(); // sends RST instead of FIN
    return closed;
  });
  const client = net.connect(port, HOST);
  await Promise.all([trace(client, 'client'), peer.closed()]);
}

async function timeout(port) {
  scene('e. timeout: 200 ms of silence');
  const peer = nextConnection((s) => trace(s, 'server-side'));
  const client = net.connect(port, HOST);
  const clientClosed = trace(client, 'client');
  client.setTimeout(200);
  client.on('timeout', () => {
    log(`socket(client) timeout (still open: destroyed=${client.destroyed})`);
    client.end(); // a timeout only warns; closing is up to us
  });
  await Promise.all([clientClosed, peer.closed()]);
}

async function closing() {
  scene('f. server.close()');
  server.close();
  await once(server, 'close');
}

(async () => {
  const port = await listening();
  await pingPong(port);
  await drain(port);
  await reset(port);
  await timeout(port);
  await closing();
})();
