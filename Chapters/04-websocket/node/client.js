// client.js — the book's §4 client, corrected (the method is send(), not sent()), on Node's own
// WebSocket, Node twin of `websocket client`. Once open, every 50 ms, if nothing is still
// buffered, it sends an update; it prints each echo, and closes after --count of them (0: never).
// Without a URL it starts the updates server (server.js) here first, so both sides print.
// Usage: node client.js [ws://host:port/updates] [--count N]   (count defaults to 10)
// Node 20 keeps its WebSocket behind --experimental-websocket: without it, this re-runs itself with it.
if (typeof WebSocket === 'undefined') {
  const { spawnSync } = require('child_process');
  if (process.execArgv.includes('--experimental-websocket')) {
    console.error('this Node has no WebSocket client, even with --experimental-websocket');
    process.exit(1);
  }
  // Warnings off: the "experimental feature" notice is not part of the chapter's output.
  const flags = [...process.execArgv, '--experimental-websocket', '--no-warnings'];
  const child = spawnSync(process.execPath, [...flags, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
const { startUpdatesServer } = require('./server');

async function runTheBooksClient(url, count) {
  let server = null;
  let target = url;
  if (url === undefined) {
    const port = await new Promise((done) => { server = startUpdatesServer(0, '127.0.0.1', done); });
    target = `ws://127.0.0.1:${port}/updates`;
  }
  await new Promise((done) => {
    // The book's code from here, the browser's API as it wrote it.
    const socket = new WebSocket(target, ['chat', 'superchat']);
    let sent = 0;
    let echoed = 0;
    let timer;

    function getUpdateData() {
      sent += 1;
      return JSON.stringify({ update: sent });
    }

    socket.onopen = function () {
      console.log(`client: open, subprotocol: ${socket.protocol || 'none'}`);
      timer = setInterval(function () {
        if (count > 0 && sent === count) return;
        // Only when the last update has left: a slow network is never flooded.
        if (socket.bufferedAmount === 0) {
          socket.send(getUpdateData());
        }
      }, 50);
    };

    socket.onmessage = function (event) {
      echoed += 1;
      // A binary message comes as a Blob (the default binaryType), its size in bytes.
      console.log(`client: echoed: ${typeof event.data === 'string' ? event.data : `${event.data.size} bytes`}`);
      if (count > 0 && echoed === count) socket.close(1000, 'done');
    };

    socket.onclose = function (event) {
      clearInterval(timer);
      console.log(`client: closed: ${event.code} ${event.reason}`);
      done();
    };
    // The book's code ends here.

    // The error event carries no cause (a browser's tells nothing either): its message is generic.
    socket.onerror = function (event) {
      console.log(`client: error: ${event.message}`);
      // Node 20's WebSocket stays CONNECTING after a failed handshake and never fires close:
      // close it here, as a browser would (1006: no close frame).
      if (socket.readyState === WebSocket.CONNECTING) socket.onclose({ code: 1006, reason: '' });
    };
  });
  if (server !== null) await new Promise((done) => server.close(() => done()));
}

// [url] [--count N] (or --count=N), in any order.
function parseArguments(args) {
  let url;
  let count = 10;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--count') {
      count = Number(args[i + 1]);
      i += 1;
    } else if (args[i].startsWith('--count=')) {
      count = Number(args[i].slice('--count='.length));
    } else {
      url = args[i];
    }
  }
  if (!Number.isInteger(count)) {
    console.error('usage: node client.js [ws://host:port/updates] [--count N]');
    process.exit(64);
  }
  return { url, count };
}

const { url, count } = parseArguments(process.argv.slice(2));
runTheBooksClient(url, count).catch((error) => {
  // new WebSocket throws (a SyntaxError, as in browsers) for a URL it cannot connect to.
  console.log(`client: error: ${error.message}`);
  console.log('client: closed: 1006 ');
});
