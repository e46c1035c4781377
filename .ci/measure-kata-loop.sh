#!/usr/bin/env bash
# The student's kata loop, timed as a new student meets it (never a test: the numbers depend on
# the machine and its load). On a fresh clone of this repository's HEAD:
#   1. the first `swift run kata` (builds the runner, then the exercises and their tests);
#   2. `swift run kata` again, nothing changed;
#   3. a save of the current exercise (a wrong attempt, then the right one), then `swift run kata`;
#      then a save that only moves lines (rebuilt without SwiftPM), also without `swift run`;
#      then three saves in a row, as a student makes them; then two that add a helper function;
#      then one that changes the signature of the function the test calls, and one that undoes it;
#   4. the whole board: every exercise's file changed at once (the reference solutions copied
#      in), so that every suite runs; then every file saved again with a comment added;
#   5. `swift run kata hint`;
#   6. on a second fresh clone, the README's order: `swift run tour`, then the first `swift run kata`.
# Not part of CI. Usage: .ci/measure-kata-loop.sh [folder]   (default: a new folder under /tmp)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d /tmp/kata-loop.XXXXXX)}
git clone -q "$root" "$work/clone"
cd "$work/clone"
echo "Fresh clone of $(git rev-parse --short HEAD) in $work/clone; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Runs a command, keeps its output in $work/last.txt, prints the seconds it took on the clock and
# in CPU (user + system, its children included): on a loaded machine the second says more.
timed() {
    local label=$1
    shift
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$work/cpu.txt" "$@" >"$work/last.txt" 2>&1 || true
    end=$(date +%s%N)
    printf '%-62s %7.1f s  (CPU %6.1f s)\n' "$label" "$(echo "($end - $start) / 1000000000" | bc -l)" \
        "$(tail -1 "$work/cpu.txt" | awk '{print $1 + $2}')"
    settle
}

# After a kata build through SwiftPM, `kata` plans the package again in the background
# (DefaultPlan), while the student reads the board. A student takes longer than that before the
# next save; this waits as long as it takes and says how long that was.
settle() {
    local start ended
    [ -f .build/kata-default-plan.log ] || return 0
    start=$(date +%s%N)
    ended=$(bash "$root/.ci/await-default-plan.sh" || true)
    printf '%-62s %7.1f s  (%s)\n' "   the background planning ended this much later" \
        "$(echo "($(date +%s%N) - $start) / 1000000000" | bc -l)" "$ended"
    rm -f .build/kata-default-plan.log
}

# The first exercise in kata.json, its file, and its reference solution.
read -r folder file < <(python3 -c '
import json; m = json.load(open("Exercises/kata.json")); c = m["chapters"][0]
print(c["folder"], c["exercises"][0]["file"])')
mine="Exercises/$folder/$file"
solution="Exercises/Solutions/$folder/$file"

timed "1. first swift run kata (fresh clone)" swift run kata
timed "2. swift run kata again, nothing changed" swift run kata
printf '\n// a first try\n' >>"$mine"
timed "3a. after a save of $file (not yet right)" swift run kata
grep -m1 -A2 "^Next:" "$work/last.txt" | sed 's/^/      /' || true
cp "$solution" "$mine"
timed "3b. after a save of $file (right)" swift run kata
grep -m1 "Kata:" "$work/last.txt" | sed 's/^/      /' || true
timed "3c. the same, without swift run's own check (.build/debug/kata)" .build/debug/kata
# A change inside the file only (its lines move): rebuilt without SwiftPM (QuickBuild).
{ echo; cat "$mine"; } >"$work/moved.swift" && cp "$work/moved.swift" "$mine"
timed "3d. a save that changes lines inside $file (passing)" swift run kata
timed "3e. the same save in kata watch's loop (.build/debug/kata)" sh -c "{ echo; cat '$mine'; } >'$work/moved.swift' && cp '$work/moved.swift' '$mine' && .build/debug/kata"
# A student saves many times in a row: the steady state, once SwiftPM's plan is the kata's own.
for n in 1 2 3; do
    printf '\n// save %s\n' "$n" >>"$mine"
    timed "3f. save $n of three in a row (passing), swift run kata" swift run kata
done
# A helper of the student's own, which no test names: the tests are relinked, not recompiled.
for n in 1 2; do
    printf '\nprivate func helper%s() -> Int { %s }\n' "$n" "$n" >>"$mine"
    timed "3g. a save that adds a helper function ($n of two), swift run kata" swift run kata
done
# The function the test calls, with a new parameter (a default keeps the test's call): the test
# files that spell its name are recompiled, the others not (TestsRecompile); then back again.
sed -i 's/reply: String)/reply: String, closing: Bool = false)/' "$mine"
timed "3h. a save that changes a function the test calls, swift run kata" swift run kata
grep -m1 "Kata:" "$work/last.txt" | sed 's/^/      /' || true
sed -i 's/reply: String, closing: Bool = false)/reply: String)/' "$mine"
timed "3h. the save that changes it back, swift run kata" swift run kata
for copy in Exercises/Solutions/*/*.swift; do
    cp "$copy" "Exercises/${copy#Exercises/Solutions/}"
done
timed "4. the whole board, every file changed (solutions copied in)" swift run kata
grep -m1 "Kata:" "$work/last.txt" | sed 's/^/      /' || true
for copy in Exercises/Solutions/*/*.swift; do
    printf '\n// saved again\n' >>"Exercises/${copy#Exercises/Solutions/}"
done
timed "4b. every file saved again, what they declare unchanged" swift run kata
timed "5. swift run kata hint" swift run kata hint
git clone -q "$root" "$work/toured"
cd "$work/toured"
timed "6a. swift run tour on a second fresh clone" swift run tour
timed "6b. then the first swift run kata (the runtime already built)" swift run kata
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Output of the last step: $work/last.txt"
