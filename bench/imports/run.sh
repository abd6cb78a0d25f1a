#!/usr/bin/env bash
# Bounded memory of `tribune import disqus`: generates a 100,000-post export (about
# 60 MB), imports it into a fresh SQLite database with the debug binary, and prints the
# peak resident set size (GNU time's "Maximum resident set size"), then imports a
# 10,000-post file the same way: the two peaks should be close (memory does not grow
# with the file). Usage: bench/imports/run.sh [posts] (from the repository root, after
# `cargo build`).
set -euo pipefail
posts="${1:-100000}"
bin="${TRIBUNE_BIN:-target/debug/tribune}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf '[[sites]]\nslug = "demo"\nname = "Bench"\norigin = "https://news.example"\n' > "$dir/site.toml"
for n in 10000 "$posts"; do
  python3 bench/imports/disqus_gen.py "$n" > "$dir/export-$n.xml"
  size=$(du -h "$dir/export-$n.xml" | cut -f1)
  TRIBUNE_CONFIG="$dir/site.toml" TRIBUNE_DATABASE__URL="sqlite://$dir/db-$n.sqlite?mode=rwc" \
    /usr/bin/time -v "$bin" import disqus "$dir/export-$n.xml" --site demo \
    > "$dir/report-$n.txt" 2> "$dir/time-$n.txt"
  rss=$(grep "Maximum resident set size" "$dir/time-$n.txt" | awk '{print $NF}')
  wall=$(grep "Elapsed (wall clock)" "$dir/time-$n.txt" | awk '{print $NF}')
  echo "$n posts ($size): peak RSS ${rss} KiB, ${wall} wall"
  sed 's/^/  /' "$dir/report-$n.txt" | head -4
done
