// server.js — a UDP echo-ish server (§2, dgram), Node twin of the Swift port.
// Prints every datagram it gets and answers the sender with "你好, <message>".
// Usage: node server.js [port] [host]   (defaults 41234, 0.0.0.0; port 0 = any free port)
// Try it: node server.js, then in another terminal: node client.js 127.0.0.1 41234 hello
const dgram = require('dgram');

const port = Number(process.argv[2] ?? 41234);
const host = process.argv[3] ?? '0.0.0.0';

const server = dgram.createSocket('udp4');

server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`server listening ${address}:${port}`);
});

server.on('message', (msg, rinfo) => {
  console.log(`server got: ${msg} from ${rinfo.address}:${rinfo.port} (${rinfo.size} bytes)`);
  server.send(`你好, ${msg}`, rinfo.port, rinfo.address);
});

server.on('error', (err) => {
  console.log(`server error: ${err.message}`);
  server.close();
});

server.bind(port, host);
