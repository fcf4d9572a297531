#!/usr/bin/env bash
# `make test`'s runner: runs every "name=command" stage in order, all of them even when one
# fails (a lint error must not hide a failing test), then prints a table of each stage's
# result and seconds. Exits 1 when any stage failed.
set -uo pipefail
names=() results=() seconds=()
status=0
for stage in "$@"; do
	name=${stage%%=*}
	command=${stage#*=}
	echo "== $name: $command"
	start=$SECONDS
	if bash -c "$command"; then result=passed; else result=FAILED; status=1; fi
	names+=("$name") results+=("$result") seconds+=($((SECONDS - start)))
done
printf '\n%-10s %-7s %7s\n' stage result seconds
for i in "${!names[@]}"; do
	printf '%-10s %-7s %7s\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
done
printf '%-10s %-7s %7s\n' total "$([ "$status" = 0 ] && echo passed || echo FAILED)" "$SECONDS"
exit "$status"
