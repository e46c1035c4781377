/// The page `GET /` serves: the book's §4 client, corrected, in a browser. Every 50 ms, when
/// nothing is waiting in `bufferedAmount`, it sends an update; it lists what comes back. With
/// `?count=N` it stops after N updates and closes once all N have come back.
let booksClientPage = """
    <!doctype html>
    <html lang="en">
    <meta charset="utf-8">
    <title>§4 WebSocket: the book's client</title>
    <h1>§4 构建WebSocket服务 · the book's client</h1>
    <p>State: <b id="state">connecting</b>, sent <b id="sent">0</b>, echoed <b id="echoed">0</b>.</p>
    <ol id="replies"></ol>
    <script>
    // The book's client, with its one fix: the method is send(), not sent().
    const socket = new WebSocket('ws://' + location.host + '/updates', ['chat', 'superchat']);
    const limit = Number(new URLSearchParams(location.search).get('count') || 0);
    let sent = 0;
    let echoed = 0;

    function getUpdateData() {
      sent += 1;
      document.getElementById('sent').textContent = sent;
      return JSON.stringify({ update: sent });
    }

    socket.onopen = function () {
      document.getElementById('state').textContent = 'open (' + (socket.protocol || 'no subprotocol') + ')';
      const timer = setInterval(function () {
        if (limit > 0 && sent >= limit) { clearInterval(timer); return; }
        if (socket.bufferedAmount === 0) {
          socket.send(getUpdateData());
        }
      }, 50);
    };

    socket.onmessage = function (event) {
      echoed += 1;
      document.getElementById('echoed').textContent = echoed;
      const item = document.createElement('li');
      item.textContent = event.data;
      document.getElementById('replies').append(item);
      console.log('echoed: ' + event.data);
      if (limit > 0 && echoed === limit) socket.close(1000, 'done');
    };

    socket.onclose = function (event) {
      document.getElementById('state').textContent = 'closed (' + event.code + ')';
      console.log('closed: ' + event.code + ' ' + event.reason);
    };
    </script>
    </html>

    """
