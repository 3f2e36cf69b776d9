#!/usr/bin/env bash
# Benchmarks followup against the physical floor: `cat` of the same files from a warm page cache.
# Usage: bench/run.sh                          (1k and 10k customers x 30 entries)
#        SIZES="1000 10000 50000" bench/run.sh
#        BEFORE=/path/to/old/followup bench/run.sh   (adds the old binary's figures beside)
#        BIG_ENTRIES="" bench/run.sh                 (skips the one-customer table)
# Prints a markdown table. Times are hyperfine's mean wall time and the mean CPU time
# (user + system; the machine may be shared, CPU time is the steadier figure); "x cat" is the
# CPU-time ratio to cat. Peak memory is the maximum resident set (GNU time).
# Read cache states: "warm" = .followup/ up to date; "pull" = 100 files rewritten (new mtime,
# same size) before each run, as after a `git pull`; "none" = FOLLOWUP_NO_CACHE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000"}
ENTRIES=${ENTRIES:-30}
TODAY=2026-11-26
WORK=${WORK:-/tmp/followup-bench}
mkdir -p "$WORK"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release -q --example gen --example parse_floor
cargo build --release -q
BIN=$PWD/target/release/followup
GEN=$PWD/target/release/examples/gen
FLOOR=$PWD/target/release/examples/parse_floor
BEFORE=${BEFORE:-}

folder() { # customers -> a generated folder, made once
  local dir=$WORK/$1
  if [ ! -d "$dir" ]; then
    "$GEN" --customers "$1" --entries "$ENTRIES" "$dir" 2>/dev/null
    sleep 3 # out of the cache's racy window: files this new are read again on every run
  fi
  echo "$dir"
}

# Rewrites 100 customer files with their own bytes: new mtime and ctime, same size — what a
# pull that touched them looks like to the cache (it must re-read exactly those).
cat >"$WORK/pull100.sh" <<'EOF'
#!/bin/sh
find "$1/customers" -name '*.md' | sort | head -100 | while read -r f; do cp -p "$f" "$f.tmp" && cat "$f.tmp" >"$f" && rm "$f.tmp"; done
EOF
chmod +x "$WORK/pull100.sh"

peak_mb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }

# hyperfine on one command (no shell); prints "wall_ms cpu_ms". $PREPARE runs before each run.
measure() {
  local args=(-N -i --warmup 2 --runs "${RUNS:-10}" --export-json "$WORK/h.json")
  [ -n "${PREPARE:-}" ] && args+=(--prepare "$PREPARE")
  hyperfine "${args[@]}" "$1" >/dev/null 2>&1
  python3 -c "
import json; r = json.load(open('$WORK/h.json'))['results'][0]
print('%.0f %.0f' % (r['mean'] * 1000, (r['user'] + r['system']) * 1000))"
}

ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

row() { # size label cat_cpu command... (env: PREPARE, FOLLOWUP_NO_CACHE via env)
  local n=$1 label=$2 cat_cpu=$3; shift 3
  read -r wall cpu < <(measure "$*")
  local mem; mem=$(peak_mb "$@")
  local before="" 
  if [ -n "$BEFORE" ]; then
    local old=("$BEFORE" "${@:2}")
    read -r owall ocpu < <(measure "${old[*]}")
    before=" | $owall / $ocpu | $(ratio "$ocpu" "$cat_cpu") | $(peak_mb "${old[@]}")"
  fi
  echo "| $n | $label | $wall / $cpu | $(ratio "$cpu" "$cat_cpu") | $mem$before |"
}

if [ -n "$BEFORE" ]; then
  echo "| customers | command (cache) | ms wall / cpu | x cat | peak MB | before: ms wall / cpu | before: x cat | before: peak MB |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
else
  echo "| customers | command (cache) | ms wall / cpu | x cat | peak MB |"
  echo "| ---: | --- | ---: | ---: | ---: |"
fi
small=$(folder 10)
small_stem=$(basename "$(find "$small/customers" -name '*.md' | sort | head -1)" .md)
read -r small_log_wall small_log_cpu < <(measure "$BIN -C $small --today $TODAY log $small_stem -m bench --by bench")
for n in $SIZES; do
  dir=$(folder "$n")
  find "$dir/customers" -name '*.md' -print0 | xargs -0 cat >/dev/null # warm the page cache
  read -r cat_wall cat_cpu < <(measure "$PWD/bench/cat-all.sh $dir")
  echo "| $n | cat (floor) | $cat_wall / $cat_cpu | 1.00 | - |$([ -n "$BEFORE" ] && echo " | | | |")"
  read -r md_wall md_cpu < <(measure "$FLOOR $dir")
  echo "| $n | pulldown-cmark alone (floor of the reader) | $md_wall / $md_cpu | $(ratio "$md_cpu" "$cat_cpu") | $(peak_mb "$FLOOR" "$dir") |$([ -n "$BEFORE" ] && echo " | | | |")"
  for cmd in "due" "list" "stats" "pipeline" "check"; do
    [ -n "$BEFORE" ] && [ "$cmd" = pipeline ] && continue # the old binary has no pipeline
    "$BIN" -C "$dir" --today $TODAY $cmd >/dev/null # fill the cache
    row "$n" "$cmd (warm)" "$cat_cpu" "$BIN" -C "$dir" --today $TODAY $cmd
    PREPARE="$WORK/pull100.sh $dir" row "$n" "$cmd (pull of 100 files)" "$cat_cpu" "$BIN" -C "$dir" --today $TODAY $cmd
    FOLLOWUP_NO_CACHE=1 row "$n" "$cmd (none)" "$cat_cpu" "$BIN" -C "$dir" --today $TODAY $cmd
  done
  stem=$(basename "$(find "$dir/customers" -name '*.md' | sort | head -1)" .md)
  read -r log_wall log_cpu < <(measure "$BIN -C $dir --today $TODAY log $stem -m bench --by bench")
  echo "| $n | log (10 customers: $small_log_wall / $small_log_cpu ms) | $log_wall / $log_cpu | $(ratio "$log_cpu" "$small_log_cpu") x small | - |"
done

[ -n "${BIG_ENTRIES-x}" ] || exit 0 # BIG_ENTRIES="" skips the one-customer table
echo
echo "One customer with many entries (cost per entry must stay flat):"
echo
echo "| entries | file | due ms | check ms | log ms | merge-driver ms |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in ${BIG_ENTRIES:-1000 5000 20000}; do
  dir=$WORK/one-$n
  [ -d "$dir" ] || { "$GEN" --customers 1 --entries "$n" "$dir" 2>/dev/null && sleep 3; }
  file=$(find "$dir/customers" -name '*.md')
  stem=$(basename "$file" .md)
  cp "$file" "$WORK/base.md"
  { cat "$file"; printf '\n## 2026-11-26 phone @a\n\nOurs.\n'; } >"$WORK/ours.md"
  { cat "$file"; printf '\n## 2026-11-25 email @b\n\nTheirs.\n'; } >"$WORK/theirs.md"
  due=$(measure "$BIN -C $dir --today $TODAY due" | cut -d' ' -f1)
  check=$(measure "$BIN -C $dir --today $TODAY check" | cut -d' ' -f1)
  log=$(measure "$BIN -C $dir --today $TODAY log $stem -m bench --by bench" | cut -d' ' -f1)
  # The driver rewrites OURS: merge into a copy each run.
  merge=$(measure "sh -c 'cp $WORK/ours.md $WORK/ours-run.md && $BIN merge-driver $WORK/base.md $WORK/ours-run.md $WORK/theirs.md'" | cut -d' ' -f1)
  echo "| $n | $(du -h "$file" | cut -f1) | $due | $check | $log | $merge |"
done
