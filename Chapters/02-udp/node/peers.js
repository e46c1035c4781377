// peers.js — one UDP socket talks to three peers: no connect, no accept, just addresses.
// The hub greets each peer; each peer answers; replies are sorted by peer number before printing.
// Usage: node peers.js   (everything on 127.0.0.1, ports picked by the system)
const dgram = require('dgram');
const { once } = require('events');

const HOST = '127.0.0.1';
const N = 3;

async function bound(socket) {
  socket.bind(0, HOST);
  await once(socket, 'listening');
  return socket;
}

(async () => {
  const hub = await bound(dgram.createSocket('udp4'));
  const peers = [];
  for (let n = 1; n <= N; n += 1) {
    const peer = await bound(dgram.createSocket('udp4'));
    peer.on('message', (msg, rinfo) => peer.send(`peer ${n} here`, rinfo.port, rinfo.address));
    peers.push(peer);
  }

  const replies = [];
  const allIn = new Promise((resolve) => {
    hub.on('message', (msg, rinfo) => {
      const text = String(msg);
      replies.push({ n: Number(text.split(' ')[1]), text, from: `${rinfo.address}:${rinfo.port}` });
      if (replies.length === N) resolve();
    });
  });

  peers.forEach((peer, i) => hub.send(`hello peer ${i + 1}`, peer.address().port, HOST));
  await allIn;

  replies.sort((x, y) => x.n - y.n);
  for (const r of replies) console.log(`hub got "${r.text}" from ${r.from}`);
  console.log(`one socket, ${N} peers, no connections`);

  hub.close();
  peers.forEach((peer) => peer.close());
})();
