#!/usr/bin/env bash
# The published backend plugin must carry the root migrations (the design card keeps
# them at the repository root): pack it and look for every migration file.
set -euo pipefail
cd "$(dirname "$0")/../plugins/pod-watch-backend"
listing=$(yarn pack --dry-run)
missing=0
for file in ../../migrations/*.js; do
  name="migrations/$(basename "$file")"
  if ! grep -qF "$name" <<<"$listing"; then
    echo "packed plugin lacks $name"
    missing=1
  fi
done
[ -d migrations ] && { echo "prepack copy was not cleaned up"; exit 1; }
[ "$missing" = 0 ] && echo "packed plugin carries all $(ls ../../migrations/*.js | wc -l) migrations"
exit "$missing"
