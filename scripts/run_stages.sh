#!/usr/bin/env bash
# Runs `make <stage>` for each stage given, STAGE_JOBS of them at a time (default 2), and prints a table
# of stage, result, wall seconds and CPU seconds at the end.
#
# Stages are started in the order given (put the longest first), whenever a slot is free and no stage
# of the same lock group runs: the groups in STAGE_LOCK_GROUPS (space-separated, stages joined by
# commas) share files or ports under build/ and never overlap. Each stage's output goes to
# build/stages/<stage>.log and is printed whole when the stage ends, so outputs never interleave.
# After the first failure no new stage starts; the running ones finish and are reported.
set -u
jobs_max=${STAGE_JOBS:-2}
# sanity and units stage the collection in the same folder; charts and security render the chart into the
# same folder.
lock_groups=${STAGE_LOCK_GROUPS:-"sanity,units charts,security"}
logs=build/stages
mkdir -p "$logs"

group_of() {
  local group
  for group in $lock_groups; do
    if [[ ",$group," == *",$1,"* ]]; then
      echo "$group"
      return
    fi
  done
  echo "$1"
}

declare -A pid_stage=() started=() result=() seconds=() group_busy=()
queue=("$@")
failed=""
wall_start=$(date +%s)

start_stage() {
  local stage=$1
  started[$stage]=$(date +%s)
  group_busy[$(group_of "$stage")]=1
  # The stage's CPU time (user + system of every process it waited for) goes to <stage>.cpu: beside the wall
  # time it shows whether a stage computes or waits.
  bash -c 'make --no-print-directory "$1" >"$2.log" 2>&1; rc=$?; times >"$2.cpu"; exit "$rc"' stage "$stage" "$logs/$stage" &
  pid_stage[$!]=$stage
  printf '==== stage %s started (%d running)\n' "$stage" "${#pid_stage[@]}"
}

while :; do
  if [ -z "$failed" ]; then
    remaining=()
    for stage in "${queue[@]}"; do
      if [ "${#pid_stage[@]}" -lt "$jobs_max" ] && [ -z "${group_busy[$(group_of "$stage")]:-}" ]; then
        start_stage "$stage"
      else
        remaining+=("$stage")
      fi
    done
    queue=("${remaining[@]}")
  fi
  [ "${#pid_stage[@]}" -eq 0 ] && break
  finished=""
  wait -n -p finished "${!pid_stage[@]}"
  rc=$?
  stage=${pid_stage[$finished]}
  unset "pid_stage[$finished]"
  unset "group_busy[$(group_of "$stage")]"
  seconds[$stage]=$(($(date +%s) - ${started[$stage]}))
  printf '\n==== stage %s (%ss) ====\n' "$stage" "${seconds[$stage]}"
  cat "$logs/$stage.log"
  if [ "$rc" -eq 0 ]; then
    result[$stage]=passed
  else
    result[$stage]=FAILED
    [ -n "$failed" ] || failed=$stage
  fi
done

# cpu_seconds STAGE: user + system seconds from bash's `times` line ("0m1.5s 0m0.2s"), or - when unknown.
cpu_seconds() {
  local line
  line=$(tail -1 "$logs/$1.cpu" 2>/dev/null) || { echo -; return; }
  awk '{ total = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); total += p[1] * 60 + p[2] } printf "%d", total }' <<<"$line"
}

printf '\n==== summary ====\n'
printf '%-16s %-8s %8s %8s\n' stage result seconds cpu
passed=0
nfailed=0
for stage in "$@"; do
  printf '%-16s %-8s %8s %8s\n' "$stage" "${result[$stage]:-not run}" "${seconds[$stage]:--}" "$(cpu_seconds "$stage")"
  case ${result[$stage]:-} in
    passed) passed=$((passed + 1)) ;;
    FAILED) nfailed=$((nfailed + 1)) ;;
  esac
done
echo "wall time: $(($(date +%s) - wall_start))s with $jobs_max stage(s) at a time"
if [ -n "$failed" ]; then
  echo "make test: FAILED (stage $failed)"
  echo "stages: $passed passed, $nfailed failed"
  exit 1
fi
echo "make test: all $passed stages passed"
echo "stages: $passed passed, 0 failed"
