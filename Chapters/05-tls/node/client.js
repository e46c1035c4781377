// client.js — §5: the TLS client with its own certificate, the Node twin of `tls-certs client`.
// Usage: node client.js [keys folder] [port] [host]   (defaults: keys, 8000, localhost)
const tls = require('tls');
const fs = require('fs');
const path = require('path');

const folder = process.argv[2] ?? 'keys';
const read = (name) => fs.readFileSync(path.join(folder, name));
const host = process.argv[4] ?? 'localhost';

const socket = tls.connect({
  port: Number(process.argv[3] ?? 8000),
  host,
  // The Swift client sends the host as SNI by default; Node does only when told.
  servername: host,
  key: read('client.key'),
  cert: read('client.crt'),
  ca: read('ca.crt'),
});
socket.on('secureConnect', () => {
  const server = socket.getPeerCertificate();
  console.log(`client: ${host} presented CN=${server.subject.CN}, issued by CN=${server.issuer.CN}`);
  console.log(`client: server authorized: ${socket.authorized}`);
  socket.write('你好，TLS');
});
socket.on('data', (data) => {
  console.log(`client: echo: ${data}`);
  socket.end();
});
socket.on('error', (error) => {
  console.log(`client: refused: ${error.code}: ${error.message}`);
  process.exitCode = 1;
});
