// client.js — send one datagram, print the first reply, done (§2, dgram).
// Usage: node client.js [host] [port] message...   (defaults 127.0.0.1, 41234, "hello")
// UDP has no connection and no retries: if nothing comes back within 2000 ms we give up (exit 1).
const dgram = require('dgram');

const host = process.argv[2] ?? '127.0.0.1';
const port = Number(process.argv[3] ?? 41234);
const words = process.argv.slice(4);
const message = words.length > 0 ? words.join(' ') : 'hello';
const TIMEOUT = 2000;

const client = dgram.createSocket('udp4');

const timer = setTimeout(() => {
  console.log(`no reply within ${TIMEOUT} ms (UDP does not retry)`);
  process.exitCode = 1;
  client.close();
}, TIMEOUT);

client.once('message', (reply) => {
  clearTimeout(timer);
  console.log(`client got: ${reply}`);
  client.close();
});

client.on('error', (err) => {
  // e.g. ECONNREFUSED can show up on some systems when nobody listens; keep waiting for the timer
  console.error(`client error: ${err.message}`);
});

client.send(message, port, host);
