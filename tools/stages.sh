#!/usr/bin/env bash
# `make test`'s runner: runs every "name=command" stage in order, all of them even when one
# fails (a lint error must not hide a failing test), then prints a table of each stage's
# result and seconds. A stage named "name&" runs beside the stages that follow it (its output
# is shown when it ends): single-threaded checks then share the machine with the next stage.
# Exits 1 when any stage failed.
set -uo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
names=() pids=()

finish() { # index: waits for a background stage and shows its output
	wait "${pids[$1]}"
	echo "== ${names[$1]} (ran beside the next stages)"
	cat "$work/$1.log"
}

for stage in "$@"; do
	i=${#names[@]}
	name=${stage%%=*}
	command=${stage#*=}
	if [[ $name == *'&' ]]; then
		names+=("${name%&}")
		echo "== ${name%&}: $command (beside the next stages; its output comes when it ends)"
		(
			start=$SECONDS
			bash -c "$command" >"$work/$i.log" 2>&1
			echo "$? $((SECONDS - start))" >"$work/$i.result"
		) &
		pids+=($!)
		continue
	fi
	names+=("$name") pids+=("")
	echo "== $name: $command"
	start=$SECONDS
	bash -c "$command"
	echo "$? $((SECONDS - start))" >"$work/$i.result"
done
for i in "${!pids[@]}"; do
	[ -n "${pids[$i]}" ] && finish "$i"
done

status=0
printf '\n%-10s %-7s %7s\n' stage result seconds
for i in "${!names[@]}"; do
	read -r code seconds <"$work/$i.result"
	result=passed
	[ "$code" = 0 ] || { result=FAILED; status=1; }
	printf '%-10s %-7s %7s\n' "${names[$i]}" "$result" "$seconds"
done
printf '%-10s %-7s %7s\n' total "$([ "$status" = 0 ] && echo passed || echo FAILED)" "$SECONDS"
exit "$status"
