#!/usr/bin/env python3
"""Side by side in one run, at the stress case of PRODUCT.md (100,000 students × 10
assessments = 1M grades) and the two smaller scales: gradebook's load and save against
the tutorial's approach (pickle.load, and pickle.dump + fsync, of the equivalent dict
student -> {assessment: grade}), and against plainly reading, and writing + fsyncing,
the same number of bytes. Prints medians and ratios.

    python3 benches/compare_pickle.py [RUNS]
"""
import json, os, pickle, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 11
SCALES = [("class", 30, 5), ("school", 5000, 40), ("stress", 100_000, 10)]


def median_time(runs, f):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def the_dict(students, assessments):
    """The same data as gradebook::sample::synthetic."""
    names = [f"A{j}" for j in range(assessments)]
    return {f"Student {i:06}": {names[j]: ((7 * i + 13 * j) % 1000) / 10 for j in range(assessments)}
            for i in range(students)}


def pickle_times(data, directory):
    path = os.path.join(directory, "grades.pkl")

    def dump():
        with open(path, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())

    kept = []

    def load():
        # Load is read, check, decode: the result is kept, so freeing it is not timed
        # (the Rust side keeps its gradebook too).
        with open(path, "rb") as f:
            kept.append(pickle.load(f))

    save = median_time(RUNS, dump)
    load_t = median_time(RUNS, load)
    kept.clear()
    return save, load_t, os.path.getsize(path)


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "store_timing"], cwd=ROOT, check=True)
    timing = os.path.join(ROOT, "target/release/examples/store_timing")
    print(f"medians of {RUNS} runs; ratios > 1 mean gradebook is faster or smaller")
    ok = True
    for label, students, assessments in SCALES:
        with tempfile.TemporaryDirectory() as d:
            ours = json.loads(subprocess.run([timing, str(students), str(assessments), d, str(RUNS)],
                                             capture_output=True, text=True, check=True).stdout)
            p_save, p_load, p_size = pickle_times(the_dict(students, assessments), d)
        print(f"\n{label}: {students:,} students × {assessments} assessments")
        print(f"  file size       gradebook {ours['bytes']:>12,} B   pickle {p_size:>12,} B   ratio {p_size / ours['bytes']:6.2f}x")
        print(f"  load            gradebook {ours['load_s'] * 1e3:10.2f} ms   pickle {p_load * 1e3:10.2f} ms   ratio {p_load / ours['load_s']:6.1f}x")
        print(f"  save + fsync    gradebook {ours['save_s'] * 1e3:10.2f} ms   pickle {p_save * 1e3:10.2f} ms   ratio {p_save / ours['save_s']:6.1f}x")
        print(f"  vs the machine  save / (write + fsync same bytes) {ours['save_s'] / ours['raw_write_fsync_s']:5.2f}"
              f"   load / read same bytes {ours['load_s'] / ours['raw_read_s']:6.1f}")
        if label == "stress":
            targets = [
                ("load at least 10x faster than pickle.load", p_load / ours["load_s"] >= 10),
                ("save at least 3x faster than pickle.dump + fsync", p_save / ours["save_s"] >= 3),
                ("file no larger than the pickle", ours["bytes"] <= p_size),
                ("save within 2x of writing + fsyncing the bytes", ours["save_s"] <= 2 * ours["raw_write_fsync_s"]),
                ("load within 3x of reading the bytes", ours["load_s"] <= 3 * ours["raw_read_s"]),
            ]
            print("\ntargets at the stress case:")
            for name, met in targets:
                print(f"  {'met    ' if met else 'NOT MET'}  {name}")
                ok &= met
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
