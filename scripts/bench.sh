#!/usr/bin/env bash
# scripts/bench.sh: payoutmon's benchmarks, whole-process figures included.
#
#   scripts/bench.sh                 # everything (the 10M store takes a while the first time)
#   STEPS="frame visidata" scripts/bench.sh
#   SIZES="10k 1M" RUNS=3 scripts/bench.sh
#
# Steps (STEPS, in this order): build stores import reconcile indexed frame nopayout visidata render poll incremental
#   build        swift build -c release --scratch-path .build-bench (payoutmon, payoutmon-bench)
#   stores       payoutmon-bench build-store for each of SIZES (kept in .bench-data/, reused)
#   import       per format: sqlite3 .import vs the importer alone (no reconciliation)
#                on 1M-row files
#   reconcile    per format: the real `payoutmon import` against sqlite3 .import of the same
#                file, at 100k (RUNS_SMALL) and 1M (RUNS_LARGE) rows; PM_BEFORE=older
#                binary runs the 100k file too; keeps the canonical 1M store for nopayout
#   indexed      sqlite3 .import of the 1M-row canonical file into a plain table and into
#                one with the eight indexes the store keeps on transactions (the same
#                shapes on the CSV's columns): what the indexes alone cost SQLite
#   frame        the real binary under a pseudo-terminal (200x60) to its first complete
#                frame, per store size; peak memory (/usr/bin/time -v); key-to-frame times
#   nopayout     first frame and peak memory on that store of 1M sales without payouts
#                against the 10k store
#   visidata     VisiData (installed with apt-get if missing) opening the 1M-row
#                transactions CSV to its first screen of data, alternated with payoutmon
#   render       in-process render+diff per frame at 200x60
#   poll         no-change poll and commit-to-snapshot of 1,000 rows
#   incremental  1,000 new transactions imported (with reconciliation) into each store
#
# Results: one JSON object a line in $OUT/results.jsonl, logs beside it. Generated data
# lives in .bench-data/ (gitignored). The machine is whatever runs this: run it on a
# quiet one, or compare ratios measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=${RUNS:-5}
SIZES=${SIZES:-"10k 1M 10M"}
STEPS=${STEPS:-"build stores import indexed frame visidata render poll incremental"}
DATA=${BENCH_DATA:-$ROOT/.bench-data}
SCRATCH=${SCRATCH:-.build-bench}
IMPORT_ROWS=${IMPORT_ROWS:-1M}
OUT=${OUT:-$DATA/results-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$DATA" "$OUT"
RESULTS=$OUT/results.jsonl
BIN=$ROOT/$SCRATCH/release
PM=$BIN/payoutmon
PB=$BIN/payoutmon-bench
# An empty config home: `payoutmon` runs on its documented defaults, not a user's config.
export XDG_CONFIG_HOME=$OUT/config XDG_DATA_HOME=$OUT/data
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"

has_step() { [[ " $STEPS " == *" $1 "* ]]; }
say() { printf '\n== %s\n' "$*" >&2; }
rows_of() { case $1 in *k|*K) echo $(( ${1%?} * 1000 ));; *m|*M) echo $(( ${1%?} * 1000000 ));; *) echo "$1";; esac; }
store_of() { echo "$DATA/rows-$(rows_of "$1")/store.sqlite"; }
dir_of() { echo "$DATA/rows-$(rows_of "$1")"; }
emit() { echo "$1" >> "$RESULTS"; echo "$1"; }

# ---------------------------------------------------------------------------
# The pseudo-terminal harness: starts a program on a 200x60 pty, reads everything it
# draws, and reports (ms since just before fork): the first byte, the chunk where the
# marker text first appeared, the end of the burst of output around it (no output for
# --quiet-ms), the program's own first-frame stamp from PAYOUTMON_BENCH_REPORT, and exit.
cat > "$OUT/ptyrun.py" <<'PY'
import argparse, fcntl, json, os, pty, select, signal, struct, sys, termios, time
p = argparse.ArgumentParser()
p.add_argument('--marker', default='')
p.add_argument('--rows', type=int, default=60)
p.add_argument('--cols', type=int, default=200)
p.add_argument('--timeout', type=float, default=300)
p.add_argument('--quiet-ms', type=int, default=150)
p.add_argument('--report')
p.add_argument('--kill', action='store_true', help='kill the program once its first screen is complete')
p.add_argument('cmd', nargs=argparse.REMAINDER)
a = p.parse_args()
if a.cmd and a.cmd[0] == '--':
    a.cmd = a.cmd[1:]
marker = a.marker.encode()
if a.report and os.path.exists(a.report):
    os.unlink(a.report)
t0 = time.monotonic_ns()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', a.rows, a.cols, 0, 0))
    os.execvp(a.cmd[0], a.cmd)
tail = b''
first = marker_at = last = exit_at = None
deadline = time.monotonic() + a.timeout
nbytes = 0
while True:
    wait = a.quiet_ms / 1000 if (marker_at and a.kill) else max(0.0, deadline - time.monotonic())
    r, _, _ = select.select([fd], [], [], wait)
    if not r:
        break
    try:
        data = os.read(fd, 1 << 16)
    except OSError:
        data = b''
    now = time.monotonic_ns()
    if not data:
        exit_at = now
        break
    nbytes += len(data)
    if first is None:
        first = now
    if marker_at is None and marker:
        tail = (tail + data)[-(len(marker) + (1 << 16)):]
        if marker in tail:
            marker_at = now
    if marker_at is not None and (last is None or now - last < a.quiet_ms * 1_000_000):
        last = now
status = None
if a.kill or exit_at is None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
_, status = os.waitpid(pid, 0)
if exit_at is None and not a.kill:
    exit_at = time.monotonic_ns()
ms = lambda t: None if t is None else round((t - t0) / 1e6, 3)
out = {'first_byte_ms': ms(first), 'marker_ms': ms(marker_at), 'burst_end_ms': ms(last),
       'exit_ms': ms(exit_at) if not a.kill else None, 'bytes': nbytes, 'status': status}
if a.report and os.path.exists(a.report):
    frames = []
    for line in open(a.report):
        k, v = line.split()
        if k == 'first_frame_ns':
            out['hook_first_frame_ms'] = round((int(v) - t0) / 1e6, 3)
        elif k == 'frame_ns':
            frames.append(int(v) / 1e6)
    if frames:
        frames.sort()
        out['frames'] = len(frames)
        out['frame_ms_median'] = round(frames[len(frames) // 2], 4)
        out['frame_ms_p95'] = round(frames[int(len(frames) * 0.95)], 4)
        out['frame_ms_max'] = round(frames[-1], 4)
print(json.dumps(out))
PY

# Median and range of a list of numbers (one a line) as JSON.
cat > "$OUT/stats.py" <<'PY'
import json, sys
xs = sorted(float(x) for x in sys.stdin.read().split() if x not in ('None', 'null', ''))
if not xs:
    print('null'); sys.exit()
n = len(xs)
med = xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
print(json.dumps({'median': round(med, 4), 'min': round(xs[0], 4), 'max': round(xs[-1], 4), 'n': n, 'samples': xs}))
PY
stats() { python3 "$OUT/stats.py"; }
jget() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); v=d.get(sys.argv[2]); print('' if v is None else v)" "$1" "$2"; }
maxrss_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
# User + system CPU seconds: on a shared machine wall time also counts waiting for a core.
cpu_s() { awk -F': ' '/User time|System time/ {t += $2} END {print t}' "$1"; }
elapsed_s() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }

# ---------------------------------------------------------------------------
say "machine"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "kernel: $(uname -sr)"
  echo "swift: $(swift --version 2>&1 | head -1)"
  echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
  if command -v vd >/dev/null; then echo "visidata: $(vd --version 2>&1 | head -1)"; fi
} | tee "$OUT/machine.txt" >&2

# The machine may be shared: sample the load average every 10 s for the record.
( while :; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 10; done ) > "$OUT/load.txt" &
LOAD_PID=$!
trap 'kill "$LOAD_PID" 2>/dev/null || true' EXIT

if has_step build; then
  say "build (release, $SCRATCH)"
  swift build -c release --scratch-path "$SCRATCH" --product payoutmon 2>&1 | tail -3 >&2
  swift build -c release --scratch-path "$SCRATCH" --product payoutmon-bench 2>&1 | tail -3 >&2
fi

# The run uses copies of the binaries, so a rebuild during a long run cannot change them
# under it (short names: they also stay clear of anyone's `pkill -f payoutmon`).
mkdir -p "$OUT/bin"
cp "$BIN/payoutmon" "$OUT/bin/pm"
cp "$BIN/payoutmon-bench" "$OUT/bin/pmbench"
PM=$OUT/bin/pm
PB=$OUT/bin/pmbench
echo "binaries: $(sha256sum "$PM" | cut -c1-16) pm, $(sha256sum "$PB" | cut -c1-16) pmbench, built from $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' + uncommitted changes')" | tee -a "$OUT/machine.txt" >&2

if has_step stores; then
  for size in $SIZES; do
    n=$(rows_of "$size")
    if [[ -f $(store_of "$size") ]]; then
      say "store $size: $(store_of "$size") exists (delete it to rebuild); bringing it to this payoutmon's schema"
      # A file already in the store changes nothing but upgrades an older schema: timed.
      t0=$(date +%s.%N)
      "$PM" import --db "$(store_of "$size")" "$(dir_of "$size")/merchants.csv" >&2
      emit "{\"command\":\"upgrade\",\"size\":\"$size\",\"seconds\":$(awk "BEGIN { print $(date +%s.%N) - $t0 }")}"
      continue
    fi
    say "store $size: generate and import"
    "$PB" build-store --rows "$n" --dir "$(dir_of "$size")" 2> >(tee "$OUT/build-$size.log" >&2) | while read -r line; do emit "$line"; done
  done
fi

# ---------------------------------------------------------------------------
# Imports, side by side with sqlite3: one scratch store, fresh for every run.
db=$OUT/import.sqlite
fdir=$DATA/formats
FORMATS=${FORMATS:-"canonical cn-settlement adyen-sdr stripe-payout-recon"}
fresh() { rm -f "$db" "$db-wal" "$db-shm"; }
sq_import() { # file -> seconds (.import into a plain table, no indexes, no checks)
  fresh
  /usr/bin/time -v -o "$OUT/time.txt" sqlite3 "$db" ".mode csv" ".import '$1' t" 2>> "$OUT/sqlite.log"
  elapsed_s "$OUT/time.txt"
}
pm_import() { # format file [binary] -> "seconds maxrss_kb cpu_seconds" (the real command, reconciling)
  fresh
  /usr/bin/time -v -o "$OUT/time.txt" "${3:-$PM}" import --quiet --db "$db" --format "$1" --merchant 898440358300001 "$2" > "$OUT/pm-import.log" 2>&1 \
    || { cat "$OUT/pm-import.log" >&2; exit 1; }
  echo "$(elapsed_s "$OUT/time.txt") $(maxrss_kb "$OUT/time.txt") $(cpu_s "$OUT/time.txt")"
}
format_files() { # rows... -> the generated file of each format in $fdir
  mkdir -p "$fdir"
  for f in $FORMATS; do
    for rows in "$@"; do
      [[ -f $fdir/$f-$rows.csv ]] || emit "$("$PB" format-file --rows "$rows" --format "$f" --out "$fdir/$f-$rows.csv")"
    done
  done
}

# ---------------------------------------------------------------------------
if has_step import; then
  # Per format, on files of IMPORT_ROWS (1M) rows: sqlite3 .import into a plain table
  # and the importer alone (parse, check, insert; no reconciliation: payoutmon-bench
  # import-file), RUNS times each, back to back. The command users run, reconciling,
  # is the `reconcile` step.
  n=$(rows_of "$IMPORT_ROWS")
  format_files $n
  for f in $FORMATS; do
    file=$fdir/$f-$n.csv
    lines=$(( $(wc -l < "$file") - 1 ))
    say "import $f: $lines rows, $RUNS runs of sqlite3 .import / importer alone"
    for k in sq alone alonerss; do : > "$OUT/imp-$f-$k.txt"; done
    for r in $(seq "$RUNS"); do
      s=$(sq_import "$file"); echo "$s" >> "$OUT/imp-$f-sq.txt"
      fresh; j=$("$PB" import-file --file "$file" --store "$db")
      q=$(jget "$j" seconds); echo "$q" >> "$OUT/imp-$f-alone.txt"; echo $(( $(jget "$j" peak_rss) / 1024 )) >> "$OUT/imp-$f-alonerss.txt"
      echo "  run $r: sqlite3 ${s}s  importer alone ${q}s (peak RSS $(( $(jget "$j" peak_rss) / 1024 )) kB)" >&2
    done
    fresh
    emit "{\"command\":\"import-compare\",\"format\":\"$f\",\"rows\":$lines,\"sqlite3_import_s\":$(stats < "$OUT/imp-$f-sq.txt"),\"importer_no_reconcile_s\":$(stats < "$OUT/imp-$f-alone.txt"),\"importer_no_reconcile_maxrss_kb\":$(stats < "$OUT/imp-$f-alonerss.txt")}"
  done
fi

# ---------------------------------------------------------------------------
if has_step reconcile; then
  # The issue-19 comparison: per format, `payoutmon import` (reconciling, as users run
  # it) against sqlite3 .import of the same file into a plain table, back to back, at
  # IMPORT_ROWS/10 (RUNS_SMALL times) and IMPORT_ROWS (RUNS_LARGE times). With
  # PM_BEFORE=/path/to/an/older/payoutmon, that binary runs the small file too, in the
  # same rounds. The canonical file's store at IMPORT_ROWS (a million sales that no
  # settlement report covers) is kept as $DATA/nopayout-N/store.sqlite for `nopayout`.
  RUNS_SMALL=${RUNS_SMALL:-3}
  RUNS_LARGE=${RUNS_LARGE:-1}
  n=$(rows_of "$IMPORT_ROWS")
  small=$(( n / 10 ))
  format_files $n $small
  for f in $FORMATS; do
    for k in sqs pms pmscpu pmsrss bes sql pml pmlcpu pmlrss; do : > "$OUT/rec-$f-$k.txt"; done
    say "reconciling import, $f: $small rows x $RUNS_SMALL, $n rows x $RUNS_LARGE (sqlite3 .import beside each)"
    for r in $(seq "$RUNS_SMALL"); do
      s=$(sq_import "$fdir/$f-$small.csv"); echo "$s" >> "$OUT/rec-$f-sqs.txt"
      read -r p rss cpu <<< "$(pm_import "$f" "$fdir/$f-$small.csv")"
      echo "$p" >> "$OUT/rec-$f-pms.txt"; echo "$cpu" >> "$OUT/rec-$f-pmscpu.txt"; echo "$rss" >> "$OUT/rec-$f-pmsrss.txt"
      line="  $small rows, run $r: sqlite3 ${s}s, payoutmon import ${p}s (${cpu}s CPU, peak RSS $rss kB)"
      if [[ -n ${PM_BEFORE:-} ]]; then
        read -r b _ _ <<< "$(pm_import "$f" "$fdir/$f-$small.csv" "$PM_BEFORE")"
        echo "$b" >> "$OUT/rec-$f-bes.txt"; line="$line, before ${b}s"
      fi
      echo "$line" >&2
    done
    for r in $(seq "$RUNS_LARGE"); do
      s=$(sq_import "$fdir/$f-$n.csv"); echo "$s" >> "$OUT/rec-$f-sql.txt"
      read -r p rss cpu <<< "$(pm_import "$f" "$fdir/$f-$n.csv")"
      echo "$p" >> "$OUT/rec-$f-pml.txt"; echo "$cpu" >> "$OUT/rec-$f-pmlcpu.txt"; echo "$rss" >> "$OUT/rec-$f-pmlrss.txt"
      echo "  $n rows, run $r: sqlite3 ${s}s, payoutmon import ${p}s (${cpu}s CPU, peak RSS $rss kB)" >&2
      if [[ $f == canonical && $r == 1 ]]; then
        mkdir -p "$DATA/nopayout-$n"; rm -f "$DATA/nopayout-$n/store.sqlite"*
        sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null; cp "$db" "$DATA/nopayout-$n/store.sqlite"
      fi
    done
    before=""
    [[ -s $OUT/rec-$f-bes.txt ]] && before=",\"before_small_s\":$(stats < "$OUT/rec-$f-bes.txt")"
    emit "{\"command\":\"reconcile-import\",\"format\":\"$f\",\"rows_small\":$(( $(wc -l < "$fdir/$f-$small.csv") - 1 )),\"rows\":$(( $(wc -l < "$fdir/$f-$n.csv") - 1 )),\"sqlite3_small_s\":$(stats < "$OUT/rec-$f-sqs.txt"),\"payoutmon_small_s\":$(stats < "$OUT/rec-$f-pms.txt"),\"payoutmon_small_cpu_s\":$(stats < "$OUT/rec-$f-pmscpu.txt"),\"payoutmon_small_maxrss_kb\":$(stats < "$OUT/rec-$f-pmsrss.txt"),\"sqlite3_s\":$(stats < "$OUT/rec-$f-sql.txt"),\"payoutmon_s\":$(stats < "$OUT/rec-$f-pml.txt"),\"payoutmon_cpu_s\":$(stats < "$OUT/rec-$f-pmlcpu.txt"),\"payoutmon_maxrss_kb\":$(stats < "$OUT/rec-$f-pmlrss.txt")$before}"
  done
  fresh
fi

# ---------------------------------------------------------------------------
if has_step indexed; then
  n=$(rows_of "$IMPORT_ROWS")
  file=$DATA/formats/canonical-$n.csv
  [[ -f $file ]] || emit "$("$PB" format-file --rows "$n" --format canonical --out "$file")"
  db=$OUT/indexed.sqlite
  cols="merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref"
  indexes="CREATE UNIQUE INDEX t_key ON t (merchant_id, terminal_id, batch_no, trace_no, rrn, kind);
    CREATE INDEX t_newest ON t (occurred_at DESC);
    CREATE INDEX t_rrn ON t (rrn);
    CREATE INDEX t_terminal ON t (terminal_id, occurred_at DESC);
    CREATE INDEX t_amount ON t (amount);
    CREATE INDEX t_card ON t (card_number);
    CREATE INDEX t_payout ON t (merchant_id, payout_ref);
    CREATE INDEX t_batch ON t (merchant_id, batch_no);"
  say "sqlite3 .import of $n canonical rows: plain table vs the store's eight indexes ($RUNS runs)"
  : > "$OUT/idx-plain.txt"; : > "$OUT/idx-indexed.txt"
  for r in $(seq "$RUNS"); do
    rm -f "$db"; sqlite3 "$db" "CREATE TABLE t ($cols);"
    /usr/bin/time -v -o "$OUT/time.txt" sqlite3 "$db" ".mode csv" ".import --skip 1 '$file' t" 2>> "$OUT/sqlite.log"
    p=$(elapsed_s "$OUT/time.txt"); echo "$p" >> "$OUT/idx-plain.txt"
    rm -f "$db"; sqlite3 "$db" "CREATE TABLE t ($cols); $indexes"
    /usr/bin/time -v -o "$OUT/time.txt" sqlite3 "$db" ".mode csv" ".import --skip 1 '$file' t" 2>> "$OUT/sqlite.log"
    i=$(elapsed_s "$OUT/time.txt"); echo "$i" >> "$OUT/idx-indexed.txt"
    echo "  run $r: plain ${p}s  with the eight indexes ${i}s" >&2
  done
  rm -f "$db"
  emit "{\"command\":\"sqlite3-indexes\",\"rows\":$n,\"plain_s\":$(stats < "$OUT/idx-plain.txt"),\"indexed_s\":$(stats < "$OUT/idx-indexed.txt")}"
fi

# ---------------------------------------------------------------------------
# The monitor under a pty: PAYOUTMON_BENCH_FRAMES=0 makes it quit right after its first
# complete frame (Sources/payoutmon/BenchHooks.swift); the frame's flush stamps the time.
monitor_once() { # store frames -> JSON
  local store=$1 frames=$2
  PAYOUTMON_BENCH_FRAMES=$frames PAYOUTMON_BENCH_REPORT=$OUT/hook.txt TERM=xterm-256color LANG=C.UTF-8 \
    python3 "$OUT/ptyrun.py" --report "$OUT/hook.txt" --timeout 120 -- "$PM" monitor --db "$store"
}

monitor_works() {
  local j
  j=$(monitor_once "$1" 0)
  [[ -n $(jget "$j" hook_first_frame_ms) ]]
}

if has_step frame; then
  say "first frame of the real binary, 200x60 ($RUNS rounds over: $SIZES)"
  ok=1
  for size in $SIZES; do
    if ! monitor_works "$(store_of "$size")"; then
      echo "payoutmon monitor drew no frame under the hook on $(store_of "$size"); is the launcher wired to BenchHooks.wrap?" >&2
      "$PM" monitor --db "$(store_of "$size")" < /dev/null 2>&1 | head -3 >&2 || true
      ok=0; break
    fi
  done
  if [[ $ok == 1 ]]; then
    for size in $SIZES; do : > "$OUT/ff-$size.txt"; : > "$OUT/ffexit-$size.txt"; : > "$OUT/rss-$size.txt"; done
    for r in $(seq "$RUNS"); do
      for size in $SIZES; do
        j=$(monitor_once "$(store_of "$size")" 0)
        jget "$j" hook_first_frame_ms >> "$OUT/ff-$size.txt"
        jget "$j" exit_ms >> "$OUT/ffexit-$size.txt"
        PAYOUTMON_BENCH_FRAMES=0 TERM=xterm-256color LANG=C.UTF-8 python3 "$OUT/ptyrun.py" --timeout 120 -- \
          /usr/bin/time -v -o "$OUT/time.txt" "$PM" monitor --db "$(store_of "$size")" > /dev/null
        maxrss_kb "$OUT/time.txt" >> "$OUT/rss-$size.txt"
        echo "  round $r $size: first frame $(jget "$j" hook_first_frame_ms) ms, exit $(jget "$j" exit_ms) ms, peak RSS $(tail -1 "$OUT/rss-$size.txt") kB" >&2
      done
    done
    # The floor: the same binary starting and exiting with no store and no terminal work.
    : > "$OUT/version.txt"
    for r in $(seq "$RUNS"); do
      j=$(TERM=xterm-256color LANG=C.UTF-8 python3 "$OUT/ptyrun.py" --timeout 60 -- "$PM" --version)
      jget "$j" exit_ms >> "$OUT/version.txt"
    done
    emit "{\"command\":\"process-floor\",\"what\":\"payoutmon --version under the pty\",\"exit_ms\":$(stats < "$OUT/version.txt")}"
    for size in $SIZES; do
      # Key to flushed frame: 400 scripted ↓/↑ keys, each a new frame.
      k=$(monitor_once "$(store_of "$size")" 400)
      emit "{\"command\":\"monitor-first-frame\",\"size\":\"$size\",\"first_frame_ms\":$(stats < "$OUT/ff-$size.txt"),\"exit_ms\":$(stats < "$OUT/ffexit-$size.txt"),\"maxrss_kb\":$(stats < "$OUT/rss-$size.txt"),\"key_to_frame\":$k}"
      emit "$("$PB" frame --store "$(store_of "$size")" --runs "$RUNS")"
    done
  fi
fi

if has_step nopayout; then
  # First frame and peak memory on the store of a million sales without payouts (kept
  # by the `reconcile` step) against the 10k store, alternated, RUNS rounds.
  np=$DATA/nopayout-$(rows_of "$IMPORT_ROWS")/store.sqlite
  small=$(store_of 10k)
  if [[ ! -f $np || ! -f $small ]]; then
    echo "nopayout: needs $np (the reconcile step) and $small (the stores step with SIZES=10k)" >&2
  else
    : > "$OUT/np-ff-big.txt"; : > "$OUT/np-ff-small.txt"; : > "$OUT/np-rss-big.txt"; : > "$OUT/np-rss-small.txt"
    for r in $(seq "$RUNS"); do
      for which in small big; do
        st=$small; [[ $which == big ]] && st=$np
        j=$(monitor_once "$st" 0)
        jget "$j" hook_first_frame_ms >> "$OUT/np-ff-$which.txt"
        PAYOUTMON_BENCH_FRAMES=0 TERM=xterm-256color LANG=C.UTF-8 python3 "$OUT/ptyrun.py" --timeout 120 -- \
          /usr/bin/time -v -o "$OUT/time.txt" "$PM" monitor --db "$st" > /dev/null
        maxrss_kb "$OUT/time.txt" >> "$OUT/np-rss-$which.txt"
      done
      echo "  round $r: 10k $(tail -1 "$OUT/np-ff-small.txt") ms ($(tail -1 "$OUT/np-rss-small.txt") kB), no-payout $(tail -1 "$OUT/np-ff-big.txt") ms ($(tail -1 "$OUT/np-rss-big.txt") kB)" >&2
    done
    emit "{\"command\":\"nopayout-frame\",\"store\":\"$np\",\"transactions\":$(sqlite3 "$np" "SELECT COUNT(*) FROM txn"),\"first_frame_ms\":$(stats < "$OUT/np-ff-big.txt"),\"maxrss_kb\":$(stats < "$OUT/np-rss-big.txt"),\"first_frame_10k_ms\":$(stats < "$OUT/np-ff-small.txt"),\"maxrss_10k_kb\":$(stats < "$OUT/np-rss-small.txt")}"
  fi
fi

# ---------------------------------------------------------------------------
if has_step visidata; then
  if ! command -v vd >/dev/null; then
    say "installing VisiData (apt-get install visidata)"
    if [[ $(id -u) == 0 ]]; then apt-get install -y visidata >&2; else sudo apt-get install -y visidata >&2; fi
  fi
  size=1M
  csv=$(dir_of "$size")/transactions-001.csv
  # The first data row's RRN: it is on VisiData's first screen once rows show.
  marker=$(sed -n 2p "$csv" | cut -d, -f6)
  say "VisiData vs payoutmon to a first screen at $size rows ($RUNS rounds; VisiData marker: $marker)"
  : > "$OUT/vd.txt"; : > "$OUT/vd-burst.txt"; : > "$OUT/pm-vs.txt"
  vdhome=$OUT/vdhome; mkdir -p "$vdhome"
  for r in $(seq "$RUNS"); do
    j=$(HOME=$vdhome TERM=xterm-256color LANG=C.UTF-8 python3 "$OUT/ptyrun.py" --marker "$marker" --kill --timeout 300 -- vd --quitguard=False "$csv")
    jget "$j" marker_ms >> "$OUT/vd.txt"; jget "$j" burst_end_ms >> "$OUT/vd-burst.txt"
    m=$(monitor_once "$(store_of "$size")" 0)
    jget "$m" hook_first_frame_ms >> "$OUT/pm-vs.txt"
    echo "  round $r: VisiData marker $(jget "$j" marker_ms) ms (burst end $(jget "$j" burst_end_ms) ms); payoutmon $(jget "$m" hook_first_frame_ms) ms" >&2
  done
  emit "{\"command\":\"visidata\",\"size\":\"$size\",\"csv_rows\":$(( $(wc -l < "$csv") - 1 )),\"visidata_first_screen_ms\":$(stats < "$OUT/vd.txt"),\"visidata_burst_end_ms\":$(stats < "$OUT/vd-burst.txt"),\"payoutmon_first_frame_ms\":$(stats < "$OUT/pm-vs.txt")}"
fi

if has_step render; then
  for size in $SIZES; do
    say "render $size"
    emit "$("$PB" render --store "$(store_of "$size")" --frames 2000 --runs "$RUNS")"
  done
fi

# poll and incremental write to the store: they work on a copy, so the stores stay as
# built and every run of this script measures the same data.
work_copy() { # size -> path of a fresh copy
  local w=$OUT/work-$(rows_of "$1").sqlite
  rm -f "$w" "$w-wal" "$w-shm"
  cp --sparse=always "$(store_of "$1")" "$w"
  echo "$w"
}

if has_step poll; then
  for size in $SIZES; do
    say "poll $size (on a copy of the store)"
    w=$(work_copy "$size")
    emit "$("$PB" poll --store "$w" --dir "$(dir_of "$size")" --runs "$RUNS")"
    rm -f "$w" "$w-wal" "$w-shm"
  done
fi

if has_step incremental; then
  for size in $SIZES; do
    say "incremental $size (on a copy of the store)"
    w=$(work_copy "$size")
    emit "$("$PB" incremental --store "$w" --dir "$(dir_of "$size")" --rows 1000 --runs "$RUNS")"
    rm -f "$w" "$w-wal" "$w-shm"
  done
fi

# ---------------------------------------------------------------------------
say "summary (medians; ranges in $RESULTS)"
python3 - "$RESULTS" <<'PY' | tee "$OUT/summary.txt"
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith('{')]
def med(x): return None if not x else x['median']
def f(x, unit=''): return '-' if x is None else f'{x:,.3g}{unit}' if x < 100 else f'{x:,.0f}{unit}'
by = {}
for r in rs: by.setdefault(r['command'], []).append(r)
for r in by.get('import-compare', []):
    n, sn = r['rows'], r.get('rows_small')
    sq, alone = med(r['sqlite3_import_s']), med(r['importer_no_reconcile_s'])
    print(f"import {r['format']:<20} sqlite3 {f(n/sq)} rows/s | importer alone {f(n/alone)} rows/s ({alone/sq if sq else 0:.1f}x sqlite3's time)", end='')
    sqs, full = med(r.get('sqlite3_import_small_s')), med(r.get('payoutmon_import_small_s'))
    if sqs and full: print(f" | payoutmon import {f(sn/full)} rows/s at {sn:,} rows ({full/sqs:.0f}x sqlite3's time)", end='')
    full1 = med(r.get('payoutmon_import_s'))
    if full1: print(f", {f(n/full1)} rows/s at {n:,}", end='')
    m1, ms = med(r.get('payoutmon_import_maxrss_kb')), med(r.get('payoutmon_import_small_maxrss_kb'))
    if m1 and ms: print(f"; peak RSS {ms/1024:.0f} -> {m1/1024:.0f} MiB", end='')
    print()
for r in by.get('reconcile-import', []):
    sn, n = r['rows_small'], r['rows']
    sqs, pms, sq, pm = med(r['sqlite3_small_s']), med(r['payoutmon_small_s']), med(r['sqlite3_s']), med(r['payoutmon_s'])
    line = (f"payoutmon import {r['format']:<20} {sn:,} rows {f(pms)} s = {sqs/pms:.3f}x sqlite3's speed ({f(sqs)} s); "
            f"{n:,} rows {f(pm)} s = {sq/pm:.3f}x ({f(sq)} s); {n:,} / ten times {sn:,}: {pm / (10 * pms):.2f}x; "
            f"peak RSS {med(r['payoutmon_maxrss_kb'])/1024:.0f} MiB")
    if r.get('before_small_s'): line += f"; before {f(med(r['before_small_s']))} s at {sn:,} ({med(r['before_small_s'])/pms:.2f}x the time)"
    print(line)
for r in by.get('nopayout-frame', []):
    a, b = med(r['first_frame_10k_ms']), med(r['first_frame_ms'])
    print(f"first frame, {r['transactions']:,} sales without payouts {f(b)} ms ({med(r['maxrss_kb'])/1024:.1f} MiB) vs 10k store {f(a)} ms ({med(r['maxrss_10k_kb'])/1024:.1f} MiB): {b/a:.2f}x")
for r in by.get('sqlite3-indexes', []):
    p, i = med(r['plain_s']), med(r['indexed_s'])
    print(f"sqlite3 .import {r['rows']:,} canonical rows: plain table {f(r['rows']/p)} rows/s, with the store's eight indexes {f(r['rows']/i)} rows/s ({i/p:.1f}x the time)")
ff = {r['size']: r for r in by.get('monitor-first-frame', [])}
for size, r in ff.items():
    k = r.get('key_to_frame', {})
    print(f"monitor {size:>4}: first frame {f(med(r['first_frame_ms']))} ms, exit {f(med(r['exit_ms']))} ms, peak RSS {med(r['maxrss_kb'])/1024:.1f} MiB, key->frame median {k.get('frame_ms_median')} ms p95 {k.get('frame_ms_p95')} ms")
sizes = list(ff)
if len(sizes) >= 2:
    a, b = med(ff[sizes[0]]['first_frame_ms']), med(ff[sizes[-1]]['first_frame_ms'])
    print(f"first frame {sizes[-1]} / {sizes[0]}: {b/a:.2f}x")
for r in by.get('process-floor', []):
    print(f"process floor (payoutmon --version): {f(med(r['exit_ms']))} ms")
for r in by.get('frame', []):
    print(f"in-process first frame {r['store'].split('/')[-2]}: {f(med(r['first_frame_ms']))} ms (open+snapshot {f(med(r['open_and_snapshot_ms']))} ms, render {f(med(r['reduce_and_render_ms']))} ms)")
for r in by.get('visidata', []):
    v, p = med(r['visidata_first_screen_ms']), med(r['payoutmon_first_frame_ms'])
    print(f"VisiData first screen at {r['csv_rows']:,} rows {f(v)} ms vs payoutmon {f(p)} ms: {v/p:.1f}x")
for r in by.get('render', []):
    print(f"render+diff 200x60 {r['store'].split('/')[-2]}: {med(r['render_diff_ms_per_frame']):.3f} ms/frame")
for r in by.get('poll', []):
    print(f"poll {r['store_rows']:,}: no change {med(r['no_change_poll_ms'])*1000:.1f} us, commit->snapshot {f(med(r['commit_to_snapshot_ms']))} ms, first poll {f(r['first_poll_ms'])} ms")
inc = by.get('incremental', [])
for r in inc:
    print(f"incremental {r['store_rows']:,}: 1,000 transactions {f(med(r['txn_import_ms']))} ms, their payouts+items {f(med(r['settlement_import_ms']))} ms")
if len(inc) >= 2:
    a, b = med(inc[0]['txn_import_ms']), med(inc[-1]['txn_import_ms'])
    print(f"incremental ratio {inc[-1]['store_rows']:,} / {inc[0]['store_rows']:,}: {b/a:.2f}x")
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt" >&2
say "done: $RESULTS"
