#!/usr/bin/env python3
"""Gradebook against the tutorial's approach (pickle, json), side by side in one run, at
the three scales of PRODUCT.md: a class (30 students x 5 assessments), a school (5,000 x
40) and the stress case (100,000 x 10 = 1M grades). Checks the targets of PRODUCT.md 2.5.

    python3 benches/compare_pickle.py [RUNS] [ROUNDS]

Each figure is the median of RUNS timings (default 11); the whole comparison is done
ROUNDS times (default 3) and each target is given as the median of the rounds with their
range. Whole processes are timed by `store_timing run` (spawn, wait), each minus the time
of the same program doing nothing (`gradebook --version`, `python3 pickle_side.py none`,
`store_timing none`), so that only the work is compared. Peak memory is the process's
maximum resident size.

In process:   our load and save (store_timing bench) against pickle.load and
              pickle.dump + fsync of the equivalent dict student -> {assessment: grade}.
Processes:    load      `gradebook course list`       pickle_side.py load
                        against store_timing read (a fresh process reading the same bytes)
              save      `gradebook grade` minus `course list`;  pickle_side.py dump minus
                        load; store_timing write (the same bytes + fsync)
              report    `gradebook report --json`     pickle_side.py report
              import    `gradebook import json`       pickle_side.py import
              a change  `gradebook grade` (class)     pickle_side.py change (same durability),
                        timed inside Python from the load to the directory's fsync
"""
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 11
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SCALES = [("class", 30, 5), ("school", 5000, 40), ("stress", 100_000, 10)]
GRADEBOOK = os.path.join(ROOT, "target/release/gradebook")
TIMING = os.path.join(ROOT, "target/release/examples/store_timing")
PY = [sys.executable, os.path.join(ROOT, "benches/pickle_side.py")]


def median_time(f, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process(cmd, setup=None, runs=RUNS):
    """Median wall time of running `cmd` to its end, and its largest peak memory (bytes),
    both measured by `store_timing run` (a small process, so that the peak is the
    command's own)."""
    times, peak = [], 0
    for i in range(runs):
        if setup:
            setup(i)
        done = subprocess.run([TIMING, "run"] + cmd, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{cmd} failed: {done.stderr}")
        result = json.loads(done.stdout)
        times.append(result["seconds"])
        peak = max(peak, result["peak"])
    return statistics.median(times), peak


def the_dict(students, assessments):
    """The same data as gradebook::sample::synthetic."""
    names = [f"A{j}" for j in range(assessments)]
    return {f"Student {i:06}": {names[j]: ((7 * i + 13 * j) % 1000) / 10 for j in range(assessments)}
            for i in range(students)}


def one_round(students, assessments):
    m = {}
    with tempfile.TemporaryDirectory() as d:
        ours = json.loads(subprocess.run([TIMING, "bench", str(students), str(assessments), d, str(RUNS)],
                                         capture_output=True, text=True, check=True).stdout)
        data = os.path.join(d, "gradebook.postcard")
        m["bytes"] = ours["bytes"]
        m["load_ours"], m["save_ours"] = ours["load_s"], ours["save_s"]
        m["read_raw"], m["write_raw"] = ours["raw_read_s"], ours["raw_write_fsync_s"]

        # In process: pickle.load (the object kept, as ours is) and pickle.dump + fsync.
        pkl = os.path.join(d, "grades.pkl")
        book = the_dict(students, assessments)
        out = os.path.join(d, "out.pkl")

        def dump():
            with open(out, "wb") as f:
                pickle.dump(book, f, protocol=pickle.HIGHEST_PROTOCOL)
                f.flush()
                os.fsync(f.fileno())
        m["save_pickle"] = median_time(dump)
        os.replace(out, pkl)
        m["pickle_bytes"] = os.path.getsize(pkl)
        kept = []

        def load():
            with open(pkl, "rb") as f:
                kept.append(pickle.load(f))
        m["load_pickle"] = median_time(load)
        kept.clear()
        del book

        # Whole processes.
        export = os.path.join(d, "all.json")
        subprocess.run([GRADEBOOK, "--file", data, "export", "json", "-o", export], check=True,
                       capture_output=True)
        m["json_bytes"] = os.path.getsize(export)
        m["p_none_ours"], _ = process([GRADEBOOK, "--version"])
        m["p_none_py"], _ = process(PY + ["none"])
        m["p_none_raw"], _ = process([TIMING, "none"])
        m["p_load_ours"], m["peak_load_ours"] = process([GRADEBOOK, "--file", data, "course", "list"])
        m["p_load_py"], _ = process(PY + ["load", pkl])
        m["p_read_raw"], _ = process([TIMING, "read", data])
        m["p_grade_ours"], _ = process_grade(data, ["10", "20"])
        m["p_dump_py"], _ = process(PY + ["dump", pkl, out])
        m["p_write_raw"], _ = process([TIMING, "write", os.path.join(d, "raw.bin"), str(ours["bytes"])])
        m["p_report_ours"], m["peak_report_ours"] = process([GRADEBOOK, "--file", data, "report", "--json"])
        m["p_report_py"], m["peak_report_py"] = process(PY + ["report", pkl])
        target = os.path.join(d, "imported.postcard")

        def fresh(_):
            for suffix in ["", ".journal", ".lock"]:
                if os.path.exists(target + suffix):
                    os.remove(target + suffix)
        m["p_import_ours"], m["peak_import_ours"] = process(
            [GRADEBOOK, "--file", target, "import", "json", export], setup=fresh)
        m["p_import_py"], m["peak_import_py"] = process(PY + ["import", export, out])
        m["p_change_py"], _ = process(PY + ["change", pkl])
        # The same change timed inside Python (load to directory fsync): free of the
        # interpreter's start, whose noise is larger than the work at class size.
        m["change_py"] = statistics.median(
            float(subprocess.run(PY + ["change", pkl, "--time"], capture_output=True, text=True,
                                 check=True).stdout)
            for _ in range(RUNS))
    return m


def process_grade(data, values):
    """`gradebook grade` changing one grade back and forth, so that every run saves."""
    cmd = [GRADEBOOK, "--file", data, "grade", "Student 000000", "-a", "A0"]
    times = []
    for i in range(RUNS):
        t, _ = process(cmd + [values[i % 2]], runs=1)
        times.append(t)
    return statistics.median(times), 0


def targets(label, m):
    """(name, value, want, met) for one round."""
    load_p = m["p_load_ours"] - m["p_none_ours"]
    save_p = m["p_grade_ours"] - m["p_load_ours"]
    out = []
    if label == "stress":
        mb = 1 << 20
        out += [
            ("load in process vs pickle.load", m["load_pickle"] / m["load_ours"], ">= 10x", lambda r: r >= 10),
            ("load as processes vs pickle.load", (m["p_load_py"] - m["p_none_py"]) / load_p, ">= 8x",
             lambda r: r >= 8),
            ("load as a process / a fresh process's read", load_p / (m["p_read_raw"] - m["p_none_raw"]), "<= 3x",
             lambda r: r <= 3),
            ("save as processes vs pickle.dump + fsync", (m["p_dump_py"] - m["p_load_py"]) / save_p, ">= 3x",
             lambda r: r >= 3),
            ("save as a process / write + fsync", save_p / (m["p_write_raw"] - m["p_none_raw"]), "<= 2x",
             lambda r: r <= 2),
            ("report --json vs pickle + finals + json.dumps",
             (m["p_report_py"] - m["p_none_py"]) / (m["p_report_ours"] - m["p_none_ours"]), ">= 10x",
             lambda r: r >= 10),
            ("report --json peak memory / (3 x file + 20 MB)",
             m["peak_report_ours"] / (3 * m["bytes"] + 20 * mb), "<= 1", lambda r: r <= 1),
            ("import json vs json.load + pickle.dump + fsync",
             (m["p_import_py"] - m["p_none_py"]) / (m["p_import_ours"] - m["p_none_ours"]), ">= 3x",
             lambda r: r >= 3),
            ("import json peak memory / (3 x file + 20 MB)",
             m["peak_import_ours"] / (3 * m["json_bytes"] + 20 * mb), "<= 1", lambda r: r <= 1),
        ]
    if label == "class":
        out.append(("a whole grade command vs pickle load + change + dump (same durability)",
                    m["change_py"] / (m["p_grade_ours"] - m["p_none_ours"]), ">= 1x",
                    lambda r: r >= 1))
    return out


def ms(x):
    return f"{x * 1e3:9.2f} ms"


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "store_timing"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    print(f"medians of {RUNS} runs, {ROUNDS} rounds; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    ok = True
    for label, students, assessments in SCALES:
        rounds = [one_round(students, assessments) for _ in range(ROUNDS)]
        m = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
        print(f"\n{label}: {students:,} students x {assessments} assessments "
              f"(file {m['bytes']:,} B, pickle {m['pickle_bytes']:,} B, JSON {m['json_bytes']:,} B)")
        print(f"  in process  load {ms(m['load_ours'])} (pickle {ms(m['load_pickle'])}, read {ms(m['read_raw'])})"
              f"   save {ms(m['save_ours'])} (pickle {ms(m['save_pickle'])}, write+fsync {ms(m['write_raw'])})")
        print(f"  processes   --version {ms(m['p_none_ours'])}  course list {ms(m['p_load_ours'])}"
              f"  grade {ms(m['p_grade_ours'])}  report --json {ms(m['p_report_ours'])}"
              f"  import json {ms(m['p_import_ours'])}")
        print(f"              python none {ms(m['p_none_py'])}  load {ms(m['p_load_py'])}  dump {ms(m['p_dump_py'])}"
              f"  report {ms(m['p_report_py'])}  import {ms(m['p_import_py'])}  change {ms(m['p_change_py'])}"
              f" (inside Python {ms(m['change_py'])})")
        print(f"              store_timing none {ms(m['p_none_raw'])}  read {ms(m['p_read_raw'])}"
              f"  write {ms(m['p_write_raw'])}")
        print(f"  peak memory report --json {m['peak_report_ours'] / 1e6:.1f} MB (python {m['peak_report_py'] / 1e6:.1f}),"
              f" import json {m['peak_import_ours'] / 1e6:.1f} MB (python {m['peak_import_py'] / 1e6:.1f})")
        per_round = [targets(label, r) for r in rounds]
        for i, (name, _, want, test) in enumerate(per_round[0]):
            values = [t[i][1] for t in per_round]
            mid = statistics.median(values)
            met = test(mid)
            ok &= met
            print(f"  {'met    ' if met else 'NOT MET'}  {name}: {mid:.2f} "
                  f"(range {min(values):.2f}-{max(values):.2f}; want {want})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
