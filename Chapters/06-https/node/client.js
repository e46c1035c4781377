// client.js — §6: a verified HTTPS request, the Node twin of `https-server client`.
// Usage: node client.js [keys folder] [url]   (defaults: keys, https://localhost:8443/)
const https = require('https');
const fs = require('fs');
const path = require('path');

const folder = process.argv[2] ?? 'keys';
const url = process.argv[3] ?? 'https://localhost:8443/';

// Our CA is the only one trusted, and the host name must match the certificate.
const request = https.get(url, { ca: fs.readFileSync(path.join(folder, 'ca.crt')), agent: false }, (res) => {
  const certificate = res.socket.getPeerCertificate();
  console.log(`client: ${res.statusCode} from CN=${certificate.subject.CN}, issued by CN=${certificate.issuer.CN}`);
  res.on('data', (data) => process.stdout.write(`client: ${data}`));
});
request.on('error', (error) => {
  console.log(`client: ${error.code}: ${error.message}`);
  process.exitCode = 1;
});
