#!/usr/bin/env bash
# Runs `make <stage>` for each stage given, in order; stops at the first failure and prints a
# table of stage, result and seconds either way.
set -u
results=()
status=0
for stage in "$@"; do
  printf '\n==== stage %s ====\n' "$stage"
  start=$(date +%s)
  if make --no-print-directory "$stage"; then
    results+=("$stage|passed|$(( $(date +%s) - start ))")
  else
    status=$?
    results+=("$stage|FAILED|$(( $(date +%s) - start ))")
    break
  fi
done
printf '\n==== summary ====\n'
printf '%-16s %-8s %8s\n' stage result seconds
for row in "${results[@]}"; do
  IFS='|' read -r name result secs <<<"$row"
  printf '%-16s %-8s %8s\n' "$name" "$result" "$secs"
done
ran=${#results[@]}
for stage in "${@:ran+1}"; do printf '%-16s %-8s %8s\n' "$stage" "not run" "-"; done
if [ "$status" -ne 0 ]; then
  echo "make test: FAILED (stage ${results[-1]%%|*})"
  echo "stages: $(( ${#results[@]} - 1 )) passed, 1 failed"
else
  echo "make test: all ${#results[@]} stages passed"
  echo "stages: ${#results[@]} passed, 0 failed"
fi
exit "$status"
