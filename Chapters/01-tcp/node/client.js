// client.js — a tiny telnet: what you type goes to the server, what it sends is printed.
// Usage: node client.js [port] [host]   (defaults 3000, 127.0.0.1)
// Ctrl-D (end of stdin) half-closes the connection; the program exits once the socket closes.
const net = require('net');

const port = Number(process.argv[2] ?? 3000);
const host = process.argv[3] ?? '127.0.0.1';

const socket = net.connect(port, host);

process.stdin.pipe(socket, { end: false }); // we call end() ourselves below
socket.pipe(process.stdout);

process.stdin.on('end', () => socket.end());
socket.on('close', () => process.exit(0));
socket.on('error', (err) => {
  console.error(`连接失败: ${err.message}`);
  process.exit(1);
});
