#!/usr/bin/env bash
# Waits (at most a minute) for the planning `kata` starts in the background after a kata build
# through SwiftPM (Sources/KataRunner/DefaultPlan.swift), and prints the log's last line. Run from
# the package's root. Exits 1 if it did not end in time.
log=.build/kata-default-plan.log
[ -f "$log" ] || exit 0
for _ in $(seq 600); do
    if grep -q '^kata: planned again' "$log"; then
        tail -1 "$log"
        exit 0
    fi
    sleep 0.1
done
echo "the background planning did not end within a minute: $log"
exit 1
