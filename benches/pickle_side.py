#!/usr/bin/env python3
"""The tutorial's side of benches/compare_pickle.py, one job per process, so that whole
processes can be timed (each job's cost is its time minus `none`'s):

    pickle_side.py none                  imports, nothing else
    pickle_side.py load F                pickle.load of F
    pickle_side.py dump F OUT            pickle.load of F, then pickle.dump to OUT + fsync
    pickle_side.py change F              load, change one grade, dump to a temporary file,
                                         fsync, rename over F, fsync the directory (the
                                         durability gradebook's save has); with --time,
                                         prints the seconds from the load to the end
    pickle_side.py report F              load, every final (the mean of the percents), the
                                         class statistics and the top student, json.dumps
                                         of the report to stdout
    pickle_side.py import J OUT          json.load of J (gradebook's export), pickle.dump to
                                         OUT + fsync

The data is the tutorial's approach: a dict student -> {assessment: grade}.
"""
import json
import os
import pickle
import statistics
import sys
import time


def load(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def dump(data, path):
    with open(path, "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        f.flush()
        os.fsync(f.fileno())


def letter(final):
    for grade, low in (("A", 90), ("B", 80), ("C", 70), ("D", 60)):
        if final >= low:
            return grade
    return "F"


def report(data):
    finals = {}
    for name, grades in data.items():
        graded = [g for g in grades.values() if g is not None]
        finals[name] = sum(graded) / len(graded) if graded else None
    order = sorted((n for n, f in finals.items() if f is not None), key=lambda n: -finals[n])
    ranks = {name: rank for rank, name in enumerate(order, 1)}
    scored = [finals[n] for n in order]
    top = scored[0] if scored else None
    doc = {
        "course": "Synthetic",
        "students": [
            {
                "name": name,
                "final": None if finals[name] is None else round(finals[name], 2),
                "letter": None if finals[name] is None else letter(finals[name]),
                "rank": ranks.get(name),
                "grades": grades,
            }
            for name, grades in data.items()
        ],
        "stats": {
            "count": len(scored),
            "mean": statistics.fmean(scored) if scored else None,
            "median": statistics.median(scored) if scored else None,
            "std_dev": statistics.stdev(scored) if len(scored) > 1 else None,
            "min": min(scored) if scored else None,
            "max": max(scored) if scored else None,
        },
        "top": [{"name": n, "final": finals[n]} for n in order if finals[n] == top],
    }
    sys.stdout.write(json.dumps(doc, indent=2))


def main(args):
    job = args[0]
    if job == "none":
        return
    if job == "load":
        load(args[1])
    elif job == "dump":
        dump(load(args[1]), args[2])
    elif job == "change":
        path = args[1]
        started = time.perf_counter()
        data = load(path)
        first = next(iter(data))
        grades = data[first]
        key = next(iter(grades))
        grades[key] = 10.0 if grades[key] != 10.0 else 20.0
        temp = path + ".tmp"
        dump(data, temp)
        os.rename(temp, path)
        d = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        os.fsync(d)
        os.close(d)
        if "--time" in args:
            print(time.perf_counter() - started)
    elif job == "report":
        report(load(args[1]))
    elif job == "import":
        with open(args[1], "rb") as f:
            data = json.load(f)
        dump(data, args[2])
    else:
        sys.exit(f"unknown job {job}")


if __name__ == "__main__":
    main(sys.argv[1:])
