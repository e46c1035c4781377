// wire.js — §3.2: one request and its response exactly as they cross the wire, line by line,
// with each line's ending shown (⏎ = CRLF, ↵ = a bare LF), so the head, the blank line and the
// body can be seen. Node twin of `http-events wire`.
// Usage: node wire.js   (the events server of server.js runs on a free port of 127.0.0.1)
const net = require('net');
const { once } = require('events');
const { startEventsServer } = require('./server');

// Prints each line with its ending made visible.
function printLines(text) {
  let line = '';
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\r' && text[i + 1] === '\n') {
      console.log(`${line}⏎`);
      line = '';
      i += 1;
    } else if (text[i] === '\n') {
      console.log(`${line}↵`);
      line = '';
    } else {
      line += text[i];
    }
  }
  if (line !== '') console.log(line);
}

(async () => {
  const server = startEventsServer(0, '127.0.0.1');
  await once(server, 'listening');

  const request = 'GET /index.html?lang=zh HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: http-events\r\nAccept: */*\r\n\r\n';
  const socket = net.connect(server.address().port, '127.0.0.1');
  let response = '';
  socket.on('data', (chunk) => { response += chunk.toString(); });
  // Done once the head is complete and the body's last line has come (our body ends in \n).
  await new Promise((done) => {
    socket.on('data', () => { if (response.endsWith('\n') && response.includes('\r\n\r\n')) done(); });
    socket.write(request);
  });

  console.log(`\n--- request (${Buffer.byteLength(request)} bytes) ---`);
  printLines(request);
  console.log(`--- response (${Buffer.byteLength(response)} bytes) ---`);
  printLines(response);
  socket.destroy();
  server.close();
})();
