#!/usr/bin/env bash
# Score the seed articles and this held-out set with the shared scorer (../shared/eval).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
shared="$root/../shared/eval"
echo "== seeds (../shared/corpus/seeds)"
bash "$shared/run.sh" "$root/../shared/corpus/seeds" "$shared/gold" "$(mktemp -d)" | tail -6
echo "== held-out (bench/eval)"
bash "$shared/run.sh" "$root/bench/eval/corpus" "$root/bench/eval/gold" "$(mktemp -d)" | tail -6
