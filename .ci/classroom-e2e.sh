#!/usr/bin/env bash
# Chapter 7's commands as a teacher and a student type them, from this clone: the teacher starts
# `swift run kata classroom`, the student runs `swift run kata join … --fingerprint …` with what the
# banner printed, then `swift run kata`, and the teacher's `kata classroom export` holds the
# student's row. The teacher is then stopped, the student checks again (the report waits), and
# a restarted teacher receives it. Run by .ci/run; fails on the first step that does not hold.
set -euo pipefail
cd "$(dirname "$0")/.."
class=$(mktemp -d /tmp/classroom-e2e.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
teacher=
stop_teacher() { if [[ -n $teacher ]]; then kill "$teacher" 2>/dev/null || true; wait "$teacher" 2>/dev/null || true; teacher=; fi; }
trap 'stop_teacher; rm -rf "$class" .kata-classroom' EXIT

start_teacher() {
    swift run kata classroom --port "$port" --folder "$class" >"$class/banner.txt" 2>"$class/build.txt" &
    teacher=$!
    for _ in $(seq 1 600); do  # the first start builds the server: up to ten minutes
        grep -q "^The board:" "$class/banner.txt" 2>/dev/null && return 0
        kill -0 "$teacher" 2>/dev/null || { cat "$class/build.txt" "$class/banner.txt"; echo "classroom-e2e: the server did not start"; exit 1; }
        sleep 1
    done
    echo "classroom-e2e: no banner after ten minutes"; exit 1
}

start_teacher
cat "$class/banner.txt"
code=$(sed -n 's/^Join code: *//p' "$class/banner.txt")
fingerprint=$(sed -n 's/^CA fingerprint: *//p' "$class/banner.txt")
rm -rf .kata-classroom
swift run kata join "https://127.0.0.1:$port" --name ci-student --code "$code" --fingerprint "$fingerprint"
swift run kata >/dev/null

# The report goes in the background: wait for the teacher's export to show the student's row.
has_row() { swift run kata classroom export --folder "$class" 2>/dev/null | grep -q "^ci-student,"; }
for _ in $(seq 1 60); do has_row && break; sleep 1; done
has_row || { echo "classroom-e2e: the teacher's export has no row for ci-student"; exit 1; }
echo "classroom-e2e: the student's board reached the teacher"

# Teacher down: the student's check does not wait for it; the report waits and goes later.
stop_teacher
cp Exercises/Solutions/01-tcp/GreetAndReply.swift Exercises/01-tcp/GreetAndReply.swift
trap 'stop_teacher; git checkout -q -- Exercises/01-tcp/GreetAndReply.swift; rm -rf "$class" .kata-classroom' EXIT
swift run kata >/dev/null
start_teacher
swift run kata >/dev/null  # nothing changed: a check also sends what waits
done_row() { swift run kata classroom export --folder "$class" 2>/dev/null | grep -q "^ci-student,greet-and-reply,done"; }
for _ in $(seq 1 60); do done_row && break; sleep 1; done
done_row || { echo "classroom-e2e: the report made while the teacher was down never arrived"; swift run kata classroom export --folder "$class" | head -5; exit 1; }
echo "classroom-e2e: the report made while the teacher was down arrived after the restart"
