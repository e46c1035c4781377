// server.js — the book's §1.2 TCP server, Node twin of the Swift port.
// Greets each visitor, answers every message with 你好, and notes when they leave.
// Usage: node server.js [port] [host]   (port defaults to 3000; no host = all interfaces)
// Try it: node server.js, then in another terminal: node client.js
const net = require('net');

const port = Number(process.argv[2] ?? 3000);
const host = process.argv[3]; // undefined → listen everywhere, like the book

const server = net.createServer((socket) => {
  socket.write('欢迎光临《深入浅出node.js》');
  socket.on('data', () => socket.write('你好'));
  socket.on('end', () => console.log('连接断开'));
  socket.on('error', (err) => console.log(`连接出错: ${err.code}`));
});

server.listen(port, host, () => {
  console.log(`正在监听${server.address().port}端口`);
});
