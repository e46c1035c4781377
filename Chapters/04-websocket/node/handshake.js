// handshake.js — §4.1 the handshake step by step, Node twin of `websocket handshake`: how the
// server computes Sec-WebSocket-Accept for RFC 6455's sample key (and with the book's GUID), then a
// live handshake with the updates server (server.js) byte for byte, and the book's own request.
// Usage: node handshake.js
const net = require('net');
const crypto = require('crypto');
const { startUpdatesServer, GUID, acceptFor } = require('./server');

// Prints each step from the key to the accept value.
function explainAccept(key) {
  const joined = key + GUID;
  const digest = crypto.createHash('sha1').update(key + GUID).digest();
  const accept = digest.toString('base64');
  console.log(`key          ${key}`);
  console.log(`key + GUID   ${joined}`);
  console.log(`SHA-1        ${digest.toString('hex')}`);
  console.log(`base64       ${accept}`);
}

// Sends a request's lines over a plain TCP connection and prints both sides; resolves with the
// answer's head, line by line.
function exchange(lines, port) {
  for (const line of lines) console.log(`> ${line}`);
  return new Promise((done) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      // The head ends at the blank line; a refusal's short body comes with it.
      const answer = received.toString().split('\r\n');
      if (!answer.includes('')) return;
      if (answer[answer.length - 1] === '') answer.pop();
      for (const line of answer) console.log(line === '' ? '<' : `< ${line}`);
      socket.destroy();
      done(answer);
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

async function showTheHandshake() {
  console.log("== §4.1 Sec-WebSocket-Accept, step by step (RFC 6455's sample key) ==");
  const sample = 'dGhlIHNhbXBsZSBub25jZQ==';
  explainAccept(sample);
  // The book's GUID lost a group of digits: the value a client computes never matches.
  const booksGUID = '258EAFA5-E914-47DA-C5AB0DCB5B11';
  const booksAccept = crypto.createHash('sha1').update(sample + booksGUID).digest('base64');
  console.log(`with the book's GUID ${booksGUID}: ${booksAccept}, which every client refuses`);

  let server;
  const port = await new Promise((done) => { server = startUpdatesServer(0, '127.0.0.1', done); });

  console.log('\n== §4.1 a live handshake with the updates server ==');
  // A client's key: 16 random bytes, base64.
  const key = crypto.randomBytes(16).toString('base64');
  const request = [
    'GET /updates HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Protocol: chat, superchat', 'Sec-WebSocket-Version: 13',
  ];
  // We hang up without a close frame; the server's "closed: 1006" line belongs to this exchange,
  // so wait for the server's end of it too (this listener runs after the server's own).
  const serverEnded = new Promise((done) => server.once('upgrade', (req, socket) => socket.once('close', done)));
  const answer = await exchange(request, port);
  await serverEnded;
  const accept = answer.find((line) => line.toLowerCase().startsWith('sec-websocket-accept:'))?.split(' ').pop();
  explainAccept(key);
  console.log(`the server's answer matches: ${accept === acceptFor(key) ? 'yes' : 'no'}`);

  console.log('\n== §4.1 the book\'s request as printed: its key lacks its "==" ==');
  await exchange([
    'GET /updates HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: webSocket', 'Connection: Upgrade',
    'sec-WebSocket-key: dGhlIHNhbXBsZSBub25jZQ', 'sec-WebSocket-protocol: chat, superchat',
    'sec-WebSocket-Version: 13',
  ], port);
  await new Promise((done) => server.close(() => done()));
}

showTheHandshake();
