#!/usr/bin/env bash
# Benchmarks followup against the physical floor: `cat` of the same files from a warm cache.
# Usage: bench/run.sh                  (1k, 10k and 50k customers x 30 entries)
#        SIZES="1000 10000" bench/run.sh
# Prints a markdown table: mean time, ratio to cat, peak memory. Needs hyperfine (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 50000"}
ENTRIES=${ENTRIES:-30}
TODAY=2026-11-26
WORK=${WORK:-/tmp/followup-bench}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release -q --example gen
cargo build --release -q
BIN=$PWD/target/release/followup
GEN=$PWD/target/release/examples/gen

folder() { # customers -> a generated folder, made once
  local dir=$WORK/$1
  [ -d "$dir" ] || "$GEN" --customers "$1" --entries "$ENTRIES" "$dir" 2>/dev/null
  echo "$dir"
}

peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

mean_ms() { # hyperfine's mean in ms for one shell-free command
  hyperfine -N -i --warmup 2 --runs "${RUNS:-10}" --export-json "$WORK/h.json" "$1" >/dev/null 2>&1
  python3 -c "import json;print('%.1f' % (json.load(open('$WORK/h.json'))['results'][0]['mean']*1000))"
}

echo "| customers | command | mean ms | x cat | peak MB |"
echo "| ---: | --- | ---: | ---: | ---: |"
small=$(folder 10)
small_log=$(mean_ms "$BIN -C $small --today $TODAY log $(basename "$(find "$small/customers" -name '*.md' | sort | head -1)" .md) -m bench --by bench")
for n in $SIZES; do
  dir=$(folder "$n")
  find "$dir/customers" -name '*.md' -print0 | xargs -0 cat >/dev/null # warm the cache
  cat_ms=$(mean_ms "$PWD/bench/cat-all.sh $dir")
  echo "| $n | cat (floor) | $cat_ms | 1.0 | - |"
  for cmd in "due" "list" "check" "stats --period month"; do
    ms=$(mean_ms "$BIN -C $dir --today $TODAY $cmd")
    kb=$(peak_kb "$BIN" -C "$dir" --today $TODAY $cmd)
    echo "| $n | $cmd | $ms | $(python3 -c "print('%.2f' % ($ms/$cat_ms))") | $(python3 -c "print('%.0f' % ($kb/1024))") |"
  done
  stem=$(basename "$(find "$dir/customers" -name '*.md' | sort | head -1)" .md)
  ms=$(mean_ms "$BIN -C $dir --today $TODAY log $stem -m bench --by bench")
  echo "| $n | log (vs $small_log ms on 10 customers) | $ms | $(python3 -c "print('%.2f' % ($ms/$small_log))") x small | - |"
done

echo
echo "One customer with many entries (cost per entry must stay flat):"
echo
echo "| entries | file | due ms | check ms | log ms | merge-driver ms |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in ${BIG_ENTRIES:-1000 5000 20000}; do
  dir=$WORK/one-$n
  [ -d "$dir" ] || "$GEN" --customers 1 --entries "$n" "$dir" 2>/dev/null
  file=$(find "$dir/customers" -name '*.md')
  stem=$(basename "$file" .md)
  cp "$file" "$WORK/base.md"
  { cat "$file"; printf '\n## 2026-11-26 phone @a\n\nOurs.\n'; } >"$WORK/ours.md"
  { cat "$file"; printf '\n## 2026-11-25 email @b\n\nTheirs.\n'; } >"$WORK/theirs.md"
  due=$(mean_ms "$BIN -C $dir --today $TODAY due")
  check=$(mean_ms "$BIN -C $dir --today $TODAY check")
  log=$(mean_ms "$BIN -C $dir --today $TODAY log $stem -m bench --by bench")
  # The driver rewrites OURS: merge into a copy each run.
  merge=$(mean_ms "sh -c 'cp $WORK/ours.md $WORK/ours-run.md && $BIN merge-driver $WORK/base.md $WORK/ours-run.md $WORK/theirs.md'")
  echo "| $n | $(du -h "$file" | cut -f1) | $due | $check | $log | $merge |"
done
