#!/bin/sh
# CSV import rate: generates a customer file (default 100,000 rows, Chinese
# headers, owners spread over the demo team, half of them with a next
# follow-up) and times `followupd import` into a fresh SQLite file, then
# imports it again (every row unchanged). See docs/BENCHMARKS.md.
#
#   bench/import_bench.sh [path/to/followupd]      (default build/followupd)
#   BENCH_ROWS=20000 BENCH_BATCH=1000 bench/import_bench.sh
set -eu
BIN=${1:-build/followupd}
ROWS=${BENCH_ROWS:-100000}
BATCH=${BENCH_BATCH:-500}
CONFIG=${BENCH_CONFIG:-config/demo.json}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

awk -v rows="$ROWS" 'BEGIN {
    print "外部编号,客户名称,公司,联系电话,负责人,客户分级,客户类型,金额,标签,下次跟进,跟进内容"
    split("wang maria li", owner, " ")
    split("A B C", tier, " ")
    split("潜在 活跃 沉默 流失风险 新客户", stage, " ")
    for (i = 1; i <= rows; i++) {
        next_fu = (i % 2) ? sprintf("2099-%02d-%02d 10:00", (i % 12) + 1, (i % 28) + 1) : ""
        printf "BENCH-%06d,客户 %d,\"公司 %d, 有限公司\",138%08d,%s,%s,%s,\"%d,000\",重点、华南,%s,回访\n",
               i, i, i, i, owner[(i % 3) + 1], tier[(i % 3) + 1], stage[(i % 5) + 1], i % 900 + 1, next_fu
    }
}' > "$WORK/customers.csv"

run() {
    label=$1
    shift
    start=$(date +%s.%N)
    "$BIN" import "$WORK/customers.csv" --as admin -c "$CONFIG" --db "$WORK/bench.db" --batch "$BATCH" --no-progress "$@"
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v n="$ROWS" -v l="$label" \
        'BEGIN { printf "%s: %d rows in %.2f s = %.0f rows/s\n", l, n, e - s, n / (e - s) }'
}

echo "file: $(wc -c < "$WORK/customers.csv") bytes, $ROWS rows, batch $BATCH"
run "dry run (validate + rolled back)" --dry-run
run "first import (all created)"
run "second import (all unchanged)"
