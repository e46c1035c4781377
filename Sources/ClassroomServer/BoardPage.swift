/// The teacher's page: plain HTML and JavaScript served by the classroom server itself (no CDN,
/// so it works on a LAN with no internet). It draws the board it comes with at once, then opens
/// `/live` with the token of its own address and draws each board it is sent. Student text
/// (names, messages) is only ever set as `textContent`, never parsed as HTML.
enum BoardPage {
    /// The page, with `board` (its JSON) to draw before the WebSocket is open.
    static func html(board json: String) -> String {
        // In a <script> element only `</script` could end the JSON early; `<` never appears
        // outside a JSON string, where `\u003c` means the same.
        template.replacingOccurrences(
            of: "BOARD_JSON", with: json.replacingOccurrences(of: "<", with: "\\u003c"))
    }

    private static let template = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Classroom board</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 1em; color: #222; }
          h1 { font-size: 1.3em; margin: 0 0 .3em; }
          #status { font-size: .9em; color: #666; }
          table { border-collapse: collapse; margin: .8em 0; }
          th, td { border: 1px solid #ddd; padding: 2px; text-align: center; }
          th.exercise { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal;
            font-size: .8em; white-space: nowrap; padding: 4px 2px; }
          th.student { text-align: left; padding: 2px 8px; white-space: nowrap; }
          td.cell { width: 18px; height: 18px; font-size: .8em; cursor: default; }
          td.done { background: #3b9b4a; color: #fff; }
          td.failing { background: #d9473f; color: #fff; cursor: pointer; }
          td.not-started { background: #f2f2f2; color: #aaa; }
          tr.stuck td { font-weight: bold; color: #d9473f; }
          #help li { margin: .2em 0; }
          #detail { white-space: pre-wrap; background: #fff4f3; border: 1px solid #d9473f; padding: .5em;
            display: none; max-width: 60em; }
          .legend span { display: inline-block; padding: 0 .5em; margin-right: .5em; }
        </style>
        </head>
        <body>
        <h1>Classroom board</h1>
        <div id="status">connecting…</div>
        <div class="legend"><span class="done" style="background:#3b9b4a;color:#fff">✓ done</span><span
          style="background:#d9473f;color:#fff">✗ failing</span><span style="background:#f2f2f2">· not started</span></div>
        <table id="board"><thead></thead><tbody></tbody><tfoot></tfoot></table>
        <pre id="detail"></pre>
        <h2>Who needs help (longest stuck first)</h2>
        <ol id="help"></ol>
        <script id="initial" type="application/json">BOARD_JSON</script>
        <script>
        "use strict";
        const token = new URLSearchParams(location.search).get("token") || "";
        const status = document.getElementById("status");
        const marks = { "done": "✓", "failing": "✗", "not-started": "·" };

        function el(tag, text, className) {
          const node = document.createElement(tag);
          if (text !== undefined) node.textContent = text;
          if (className) node.className = className;
          return node;
        }
        function clock(iso) { return iso ? new Date(iso).toLocaleTimeString() : ""; }
        function minutes(iso) { return Math.max(0, Math.round((Date.now() - new Date(iso)) / 60000)); }

        function draw(board) {
          const table = document.getElementById("board");
          const head = el("tr");
          head.appendChild(el("th", "student", "student"));
          for (const name of board.exercises) head.appendChild(el("th", name, "exercise"));
          table.tHead.replaceChildren(head);
          const rows = [];
          const stuck = new Map(board.exercises.map(name => [name, 0]));
          const help = [];
          for (const student of board.students) {
            const row = el("tr");
            row.dataset.student = student.name;
            const who = el("th", student.name, "student");
            who.title = student.lastReportAt ? "last report " + clock(student.lastReportAt) : "joined, no report yet";
            row.appendChild(who);
            const lines = new Map(student.exercises.map(line => [line.exercise, line]));
            for (const name of board.exercises) {
              const line = lines.get(name) || { state: "not-started" };
              const cell = el("td", marks[line.state], "cell " + line.state);
              cell.dataset.exercise = name;
              cell.dataset.state = line.state;
              const since = line.changedAt ? " since " + clock(line.changedAt) : "";
              cell.title = student.name + " · " + name + ": " + line.state + since +
                (line.message ? "\\n" + line.message : "");
              if (line.state === "failing") {
                stuck.set(name, stuck.get(name) + 1);
                help.push({ student: student.name, exercise: name, since: line.changedAt, message: line.message });
                cell.onclick = () => {
                  const detail = document.getElementById("detail");
                  detail.textContent = cell.title;
                  detail.style.display = "block";
                };
              }
              row.appendChild(cell);
            }
            rows.push(row);
          }
          table.tBodies[0].replaceChildren(...rows);
          const counts = el("tr", undefined, "stuck");
          counts.appendChild(el("th", "stuck here", "student"));
          for (const name of board.exercises) {
            const cell = el("td", stuck.get(name) ? String(stuck.get(name)) : "");
            cell.dataset.exercise = name;
            cell.dataset.stuck = String(stuck.get(name));
            counts.appendChild(cell);
          }
          table.tFoot.replaceChildren(counts);
          help.sort((a, b) => new Date(a.since) - new Date(b.since));
          document.getElementById("help").replaceChildren(...help.map(entry => {
            const item = el("li", entry.student + " on " + entry.exercise + ", stuck " + minutes(entry.since) +
              " min (since " + clock(entry.since) + ")");
            item.dataset.student = entry.student;
            if (entry.message) item.title = entry.message;
            return item;
          }));
          status.textContent = board.students.length + " students · updated " + new Date().toLocaleTimeString();
          status.dataset.updates = String(Number(status.dataset.updates || 0) + 1);
        }

        function connect() {
          const ws = new WebSocket("wss://" + location.host + "/live?token=" + encodeURIComponent(token));
          ws.onmessage = event => draw(JSON.parse(event.data));
          ws.onclose = () => { status.textContent = "disconnected: reconnecting…"; setTimeout(connect, 2000); };
        }
        draw(JSON.parse(document.getElementById("initial").textContent));
        connect();
        </script>
        </body>
        </html>
        """
}
