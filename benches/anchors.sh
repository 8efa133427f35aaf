#!/usr/bin/env bash
# Whole-process speed of phare against the tools users would otherwise use, measured in the
# same run (ratios hold on a noisy machine, absolute times drift). Needs ../shared (geodata and
# bench scripts), hyperfine (apt-get install hyperfine) and the anchors, installed once by
# ../shared/bench/setup-anchors.sh.
#   bash benches/anchors.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
G=../shared/geodata
A=../shared/bench/run-anchor.sh
OUT=$(mktemp -d)
cargo build --release --quiet
P=target/release/phare
[ -f "$OUT/points.csv" ] || bash "$A" points-csv 1000000 "$OUT/points.csv"
MAP="map --level commune --value density --method quantile --classes 7 --size 3000 --boundaries $G/communes.geojson"
hyperfine -N -w 1 -r "$RUNS" --export-markdown "$OUT/lookup.md" \
  "$P lookup --points $OUT/points.csv --boundaries $G/communes.geojson -o $OUT/located.csv" \
  "bash $A pip-sjoin 1000000"
hyperfine -N -w 1 -r "$RUNS" --export-markdown "$OUT/png.md" \
  "$P $MAP -o $OUT/density.png" "bash $A gpd-communes-quantiles"
hyperfine -N -w 1 -r "$RUNS" --export-markdown "$OUT/svg.md" \
  "$P $MAP -o $OUT/density.svg" "bash $A ms-communes"
hyperfine -N -w 3 -r 20 --export-markdown "$OUT/cold.md" \
  "$P lookup --code 69123" "$P lookup --at 4.8357,45.7676" "$P map -o $OUT/main.png"
cat "$OUT"/*.md
