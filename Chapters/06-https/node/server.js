// server.js — §6: an HTTPS server, the Node twin of `https-server`.
// Usage: node server.js [keys folder] [port]   (defaults: keys, 8443; port 0 = any free port)
// Make the keys first: swift run tls-certs keys
const https = require('https');
const fs = require('fs');
const path = require('path');

const folder = process.argv[2] ?? 'keys';
const read = (name) => fs.readFileSync(path.join(folder, name));

const server = https.createServer({ key: read('server.key'), cert: read('server.crt') }, (req, res) => {
  const tls = `${req.socket.getProtocol()}, ${req.socket.getCipher().standardName}`;
  console.log(`${req.method} ${req.url} over ${tls}`);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`hello over HTTPS (${tls})\n`);
});
// A client that does not trust our CA, or plain HTTP on this port, ends here.
server.on('tlsClientError', (error) => console.log(`a client's handshake failed: ${error.code}`));
server.listen(Number(process.argv[3] ?? 8443), '127.0.0.1', () => {
  const port = server.address().port;
  console.log(`HTTPS server on https://localhost:${port}/`);
  console.log(`try: curl --cacert keys/ca.crt https://localhost:${port}/`);
});
