// events.js — the four UDP socket events the book lists for §2: listening, message, error, close.
// Each scene runs after the previous one has finished; one line per event.
// Usage: node events.js   (everything on 127.0.0.1, ports picked by the system)
const dgram = require('dgram');
const { once } = require('events');

const HOST = '127.0.0.1';
const log = (line) => console.log(line);

(async () => {
  // scene 1: socket A binds to any free port → 'listening'
  const a = dgram.createSocket('udp4');
  a.on('listening', () => log('event: listening'));
  a.bind(0, HOST);
  await once(a, 'listening');
  const port = a.address().port;

  // scene 2: an unbound socket B sends "ping" to A → A's 'message' (B's port varies, so not shown)
  const b = dgram.createSocket('udp4');
  const got = new Promise((resolve) => {
    a.once('message', (msg, rinfo) => {
      log(`event: message "${msg}" from ${rinfo.address} (${rinfo.size} bytes)`);
      resolve();
    });
  });
  b.send('ping', port, HOST);
  await got;

  // scene 3: socket C tries to bind A's port without reuseAddr → C's 'error'
  const c = dgram.createSocket('udp4');
  const failed = new Promise((resolve) => {
    c.once('error', (err) => {
      log(`event: error ${err.code}`);
      resolve();
    });
  });
  c.bind(port, HOST);
  await failed;

  // scene 4: A.close() → 'close'; sending afterwards throws right away
  a.on('close', () => log('event: close'));
  a.close();
  await once(a, 'close');
  try {
    a.send('too late', port, HOST);
  } catch (err) {
    log(`send after close: ${err.code}`);
  }

  b.close();
  c.close();
})();
