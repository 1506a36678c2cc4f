#!/usr/bin/env bash
# Reruns the load benchmark of docs/performance.md on one engine and scale:
#   scripts/perf/run.sh sqlite 0.01            # or postgres 0.1, ...
# It builds harambee, generates the reference data set once (kept in
# .cache/perf, reused by later runs), copies it so that the run's writes do
# not change the next run's data, starts the server, measures start-up,
# runs harambee bench (DURATION, default 2m, 32 clients) and writes the
# table and the JSON report to .cache/perf/result-ENGINE-SCALE.{txt,json}.
# PostgreSQL: PERF_PG (default postgres://postgres@127.0.0.1:5432) must
# allow CREATE DATABASE. Harambee reaches a server on this machine through
# its Unix socket in PERF_PG_SOCKET (default /var/run/postgresql; empty: use
# PERF_PG): half the round trip of TCP on loopback (pgbench, one client:
# 0.06 ms against 0.12), and the generator and the logged-in pages are
# chains of round trips.
set -euo pipefail
engine=${1:?engine: sqlite or postgres}
scale=${2:?scale: 0.01, 0.1 or 1}
duration=${DURATION:-2m}
solo=${SOLO:-5s}
pg=${PERF_PG:-postgres://postgres@127.0.0.1:5432}
socket=${PERF_PG_SOCKET-/var/run/postgresql}
pgdsn() {
	if [ -n "$socket" ] && [ -S "$socket/.s.PGSQL.5432" ]; then
		echo "postgres://${pg#postgres://}/$1?host=$socket" | sed -E 's#//([^@/]*@)?[^/]*/#//\1/#'
	else
		echo "$pg/$1?sslmode=disable"
	fi
}
cd "$(dirname "$0")/../.."
dir=.cache/perf
mkdir -p "$dir"
go build -o "$dir/harambee" ./cmd/harambee
bin="$dir/harambee"
tag=$(echo "$scale" | tr -d .)
if [ "$engine" = sqlite ]; then
	src="$dir/scale$tag.db"
	if [ ! -f "$src" ]; then
		/usr/bin/time -f "generation: %e s, peak memory %M KB" "$bin" generate --scale "$scale" --db "sqlite:$src"
	fi
	rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
	"$bin" backup --db "sqlite:$src" --out "$dir/run.db" 2>/dev/null || cp "$src" "$dir/run.db"
	dsn="sqlite:$dir/run.db"
else
	db="perf_scale$tag"
	if ! psql "$pg/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
		psql -q "$pg/postgres" -c "CREATE DATABASE $db"
		/usr/bin/time -f "generation: %e s, peak memory %M KB" "$bin" generate --scale "$scale" --db "$(pgdsn "$db")"
	fi
	psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS perf_run" -c "CREATE DATABASE perf_run TEMPLATE $db"
	dsn=$(pgdsn perf_run)
fi
out="$dir/result-$engine-$scale"
start=$(date +%s.%N)
"$bin" serve --addr 127.0.0.1:18080 --db "$dsn" >"$out.serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:18080/healthz >/dev/null; do sleep 0.05; done
echo "start-up to /healthz: $(echo "$(date +%s.%N) - $start" | bc) s" | tee "$out.txt"
"$bin" bench --url http://127.0.0.1:18080 --db "$dsn" --duration "$duration" --solo "$solo" --pid "$pid" --json "$out.json" | tee -a "$out.txt"
