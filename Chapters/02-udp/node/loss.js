// loss.js — UDP does not promise delivery: a relay drops datagrams on purpose and nobody resends.
// sender → relay (drops each datagram with probability dropPercent/100) → receiver, all on 127.0.0.1.
// The drops come from a seeded PRNG (mulberry32, seed 42), so every run drops the same datagrams.
// Usage: node loss.js [count] [dropPercent]   (defaults 100, 30)
const dgram = require('dgram');
const { once } = require('events');

const HOST = '127.0.0.1';
const count = Number(process.argv[2] ?? 100);
const dropPercent = Number(process.argv[3] ?? 30);

// mulberry32: a tiny 32-bit PRNG; returns floats in [0, 1).
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(42);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function bound(socket) {
  socket.bind(0, HOST);
  await once(socket, 'listening');
  return socket;
}

(async () => {
  const receiver = await bound(dgram.createSocket('udp4'));
  const relay = await bound(dgram.createSocket('udp4'));
  const sender = dgram.createSocket('udp4');

  const arrived = new Set();
  receiver.on('message', (msg) => arrived.add(Number(String(msg).slice(1))));

  let forwarded = 0;
  let dropped = 0;
  relay.on('message', (msg) => {
    if (random() < dropPercent / 100) {
      dropped += 1;
      return;
    }
    forwarded += 1;
    relay.send(msg, receiver.address().port, HOST);
  });

  const relayPort = relay.address().port;
  for (let i = 1; i <= count; i += 1) {
    sender.send(`#${i}`, relayPort, HOST);
    await sleep(1);
  }
  await sleep(200);

  const missing = [];
  for (let i = 1; i <= count; i += 1) if (!arrived.has(i)) missing.push(i);
  const shown = missing.slice(0, 10).join(', ');
  const more = missing.length > 10;
  console.log(`sent ${count}, relayed ${forwarded}, dropped ${dropped}, received ${arrived.size}`);
  console.log(`missing: ${missing.length === 0 ? 'none' : shown}${more ? ' …' : ''}`);

  sender.close();
  relay.close();
  receiver.close();
})();
