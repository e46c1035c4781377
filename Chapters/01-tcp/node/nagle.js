// nagle.js — many tiny writes, with and without Nagle's algorithm (socket.setNoDelay).
// A receiver on 127.0.0.1 counts how many 'data' events the bytes arrive in; results vary by machine.
// Usage: node nagle.js [count] [size]   (defaults: 200 writes of 10 bytes)
const net = require('net');
const { once } = require('events');

const count = Number(process.argv[2] ?? 200);
const size = Number(process.argv[3] ?? 10);

// The receiver: for each connection, tally what arrives until the sender ends.
const receiver = net.createServer();
let tally; // filled in by the connection of the current round
receiver.on('connection', (socket) => {
  const t = { events: 0, bytes: 0, largest: 0 };
  socket.on('data', (d) => {
    t.events += 1;
    t.bytes += d.length;
    t.largest = Math.max(t.largest, d.length);
  });
  socket.on('end', () => tally(t));
});

async function round(noDelay) {
  const received = new Promise((resolve) => { tally = resolve; });
  const client = net.connect(receiver.address().port, '127.0.0.1');
  await once(client, 'connect');
  if (noDelay) client.setNoDelay(true);

  const chunk = Buffer.alloc(size, 'n');
  const start = process.hrtime.bigint();
  // One write per millisecond, as the Swift program does, so the receiver reads in between.
  await new Promise((done) => {
    let left = count;
    const writeNext = () => {
      if (left === 0) { client.end(); return done(); }
      left -= 1;
      client.write(chunk);
      setTimeout(writeNext, 1);
    };
    writeNext();
  });
  const t = await received;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;

  console.log(noDelay ? 'setNoDelay(true) — Nagle off' : 'default — Nagle on');
  console.log(`  writes: ${count} x ${size} bytes`);
  console.log(`  data events at receiver: ${t.events}`);
  console.log(`  total bytes: ${t.bytes}, largest chunk: ${t.largest}`);
  console.log(`  elapsed: ${ms.toFixed(2)} ms`);
}

(async () => {
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  await round(false);
  await round(true);
  receiver.close();
})();
