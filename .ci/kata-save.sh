#!/usr/bin/env bash
# A student's saves on the real package, as the README's loop meets them after the first build:
# the first exercise solved (through `swift build`), then a save that only moves its lines, which
# `kata` rebuilds without SwiftPM and still reports as done. That save is checked as `kata watch`
# meets it, by the built `kata` (`swift run` writes SwiftPM's build database itself, in the same
# .build/), and SwiftPM's build database stays untouched; then `swift run kata` agrees. The
# student's file is put back as it was at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
read -r folder file < <(python3 -c '
import json; m = json.load(open("Exercises/kata.json")); c = m["chapters"][0]
print(c["folder"], c["exercises"][0]["file"])')
mine="Exercises/$folder/$file"
work=$(mktemp -d)
cp "$mine" "$work/as-it-was.swift"
trap 'cp "$work/as-it-was.swift" "$mine"; rm -rf "$work"' EXIT

board() {
    "$@" >"$work/board.txt" 2>&1 || { cat "$work/board.txt"; exit 1; }
    grep -m1 "Kata:" "$work/board.txt"
}
cp "Exercises/Solutions/$folder/$file" "$mine"
board swift run kata | grep -q "1 of" || { echo "CI: the solved first exercise is not done"; cat "$work/board.txt"; exit 1; }
# That build went through SwiftPM, so `kata` is planning the package again in the background,
# which writes SwiftPM's build database: the save below is checked once that is over.
bash .ci/await-default-plan.sh
before=$(stat -c %y .build/build.db)
{ echo; cat "Exercises/Solutions/$folder/$file"; } >"$mine"
board .build/debug/kata | grep -q "1 of" || {
    echo "CI: a save that moves lines broke the exercise"
    cat "$work/board.txt"
    exit 1
}
if [[ $(stat -c %y .build/build.db) != "$before" ]]; then
    echo "CI: a save that changed only lines inside the file went through SwiftPM"
    exit 1
fi
board swift run kata | grep -q "1 of" || { echo "CI: swift run kata disagrees"; cat "$work/board.txt"; exit 1; }
echo "CI: a save inside a file was rebuilt without SwiftPM and checked"
