// client.js — §3.3 from the client's side: http.request fires every event of the events server
// (server.js), and prints what it saw. Node twin of `http-events client`.
// Without --url it starts the events server itself, so its lines and the server's interleave.
// Usage: node client.js [--url http://host:port]   (any server: the Swift one, or server.js)
const http = require('http');
const net = require('net');
const { once } = require('events');
const { startEventsServer } = require('./server');

// The options an `http://host:port/path` URL gives; null if it is not such a URL.
function optionsFrom(url) {
  if (!url.startsWith('http://')) return null;
  let parsed;
  try { parsed = new URL(url); } catch { return null; }
  return {
    // http.request wants an IPv6 address without its brackets.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(parsed.port || 80),
    method: 'GET',
    path: parsed.pathname + parsed.search,
  };
}

// Sends one request (`send` writes and ends it) and prints the answer's status and body.
function exchange(options, send) {
  return new Promise((done) => {
    const req = http.request(options, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk.toString(); });
      res.on('end', () => {
        const text = body === '' ? '' : `: ${body.endsWith('\n') ? body.slice(0, -1) : body}`;
        console.log(`client: ${options.method} ${options.path} → ${res.statusCode} ${res.statusMessage}${text}`);
        done();
      });
    });
    req.on('error', (err) => {
      console.log(`client: ${options.method} ${options.path} → ${err.code} (${err.message})`);
      done();
    });
    send(req);
  });
}

async function driveEveryEvent(url) {
  // A plain TCP echo server, the far end of the CONNECT tunnel.
  const echo = net.createServer((socket) => socket.on('data', (data) => socket.write(data)));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  let server = null;
  let base = url ?? '';
  if (url === undefined) {
    const local = startEventsServer(0, '127.0.0.1');
    await once(local, 'listening');
    base = `http://127.0.0.1:${local.address().port}`;
    server = local;
  }
  const options = optionsFrom(base);
  if (options === null) {
    console.log(`not an http:// URL: ${base}`);
    process.exitCode = 1;
    echo.close();
    return;
  }
  // One connection at a time, kept alive: the keep-alive step shows it reused.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  options.agent = agent;

  console.log('\n== keep-alive: two requests through one agent ==');
  for (const path of ['/first', '/second']) {
    await exchange({ ...options, path }, (req) => req.end());
  }
  agent.destroy();
  // From here on each request has a connection of its own, closed after it.
  options.agent = false;

  console.log('\n== Expect: 100-continue, a small upload ==');
  const upload = { ...options, method: 'POST', path: '/upload' };
  upload.headers = { Expect: '100-continue', 'Content-Length': '5' };
  await exchange(upload, (req) => {
    // Node sends the head at once and holds the body until the server says 100 Continue.
    req.on('continue', () => {
      console.log('client: continue → sending the body');
      req.end('hello');
    });
  });

  console.log('\n== Expect: 100-continue, too big ==');
  upload.headers = { Expect: '100-continue', 'Content-Length': '4096' };
  await exchange(upload, (req) => {
    // Never fires: the server answers 417 instead, and the body is never sent.
    req.on('continue', () => req.end(Buffer.alloc(4096)));
  });

  console.log('\n== Expect: something else ==');
  const magic = { ...options, headers: { Expect: 'magic' } };
  await exchange(magic, (req) => req.end());

  console.log('\n== CONNECT: a tunnel to an echo server ==');
  const tunnel = { ...options, method: 'CONNECT', path: `127.0.0.1:${echo.address().port}` };
  await new Promise((done) => {
    const req = http.request(tunnel);
    // A 2xx answer hands us the raw socket; from here on it is the echo server's bytes.
    req.on('connect', (res, socket) => {
      // Only the code: the phrase is the server's in Node, the standard one in the Swift twin.
      console.log(`client: connect ${res.statusCode}`);
      socket.on('data', (data) => {
        console.log(`client: through the tunnel: ${data.toString()}`);
        socket.end();
      });
      socket.on('close', () => done());
      socket.write('ping');
    });
    // Any other answer (a proxy's 407, say) is an ordinary response.
    req.on('response', (res) => {
      console.log(`client: no tunnel: ${res.statusCode}`);
      res.resume();
      done();
    });
    req.on('error', (err) => {
      console.log(`client: error ${err.code}`);
      done();
    });
    req.end();
  });

  console.log('\n== Upgrade: echo ==');
  const upgrade = { ...options, path: '/echo', headers: { Upgrade: 'echo', Connection: 'Upgrade' } };
  await new Promise((done) => {
    const req = http.request(upgrade);
    // A 101 hands us the raw socket, now speaking the toy echo protocol.
    req.on('upgrade', (res, socket) => {
      console.log(`client: upgrade ${res.statusCode} ${res.statusMessage}`);
      socket.on('data', (data) => {
        console.log(`client: echoed: ${data.toString()}`);
        socket.end();
      });
      socket.on('close', () => done());
      socket.write('hello, raw bytes');
    });
    req.on('response', (res) => {
      console.log(`client: not upgraded: ${res.statusCode}`);
      res.resume();
      done();
    });
    req.on('error', () => done());
    req.end();
  });

  console.log("\n== a method the server's parser refuses ==");
  await exchange({ ...options, method: 'FOO' }, (req) => req.end());

  console.log('\n== an oversized header ==');
  await exchange({ ...options, headers: { 'X-Big': 'a'.repeat(17000) } }, (req) => req.end());

  if (server !== null) await new Promise((done) => server.close(() => done()));
  echo.close();
}

// --url http://host:port (or --url=…); without it, the events server starts here.
function urlArgument(args) {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--url') return args[i + 1] ?? '';
    if (args[i].startsWith('--url=')) return args[i].slice('--url='.length);
  }
  return undefined;
}

driveEveryEvent(urlArgument(process.argv.slice(2)));
