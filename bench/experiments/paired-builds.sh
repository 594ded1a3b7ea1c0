#!/bin/bash
# Two builds of teqlctl on the lab, taken in turns: `lab reset`, a cold apply, a no-op, each build
# N times. The wall time of each CLI process, as the bench's own. Another build to compare with:
#   git worktree add /tmp/wt-old <sha> && ln -s "$PWD/node_modules" /tmp/wt-old/ && (cd /tmp/wt-old && npm run build)
#   bench/experiments/paired-builds.sh /tmp/wt-old "$PWD" 4
set -u
old=$1 new=$2 n=${3:-4}
inv=$new/inventories/lab.yml
for i in $(seq "$n"); do
  for d in "$old" "$new"; do
    flock /tmp/teqlctl-lab.lock node "$d/dist/cli/main.js" lab reset >/dev/null 2>&1 || { echo "lab reset failed" >&2; exit 1; }
    s=$(date +%s.%N); node "$d/dist/cli/main.js" play "$d/playbooks/teql.yml" -i "$inv" --yes >/dev/null 2>&1; rc1=$?; m=$(date +%s.%N)
    node "$d/dist/cli/main.js" play "$d/playbooks/teql.yml" -i "$inv" --yes >/dev/null 2>&1; rc2=$?; e=$(date +%s.%N)
    echo "$d cold $(awk "BEGIN { print $m - $s }") s (exit $rc1) no-op $(awk "BEGIN { print $e - $m }") s (exit $rc2)"
  done
done
