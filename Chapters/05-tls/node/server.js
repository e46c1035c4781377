// server.js — §5: a mutual-TLS echo server, the Node twin of `tls-certs server`.
// Usage: node server.js [keys folder] [port]   (defaults: keys, 8000; port 0 = any free port)
// Make the keys first: swift run tls-certs keys
const tls = require('tls');
const fs = require('fs');
const path = require('path');

const folder = process.argv[2] ?? 'keys';
const read = (name) => fs.readFileSync(path.join(folder, name));

const server = tls.createServer({
  key: read('server.key'),
  cert: read('server.crt'),
  ca: read('ca.crt'),
  // Ask every client for a certificate from our CA.
  requestCert: true,
}, (socket) => {
  const client = socket.getPeerCertificate().subject;
  const name = client && client.CN ? `CN=${client.CN}` : 'no certificate';
  console.log(`server: secure connection from ${name}, authorized: ${socket.authorized}`);
  console.log(`server: ${socket.getProtocol()}, ${socket.getCipher().standardName}`);
  socket.on('data', (data) => socket.write(data));
});
// A certificate the server cannot verify is refused as "socket hang up"; the socket says why.
server.on('tlsClientError', (error, socket) => {
  const why = socket.authorizationError ? ` (${socket.authorizationError})` : '';
  console.log(`server: refused a client: ${error.code}${why}`);
});
server.listen(Number(process.argv[3] ?? 8000), '127.0.0.1', () => {
  console.log(`server: listening on 127.0.0.1:${server.address().port}`);
});
