#!/usr/bin/env python3
"""Side by side in one run: scikit-learn's LinearRegression.fit against gradebook's fit on
the same 1M observations, plus an accuracy check of the model numbers against
scikit-learn and of the prediction intervals against statsmodels on varied data sets.

    pip install scikit-learn statsmodels
    python3 benches/compare_fit.py
"""
import json, os, statistics, subprocess, sys, tempfile, time

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, r2_score

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = 21


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "fit_timing"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target/release/examples/fit_timing"), os.path.join(ROOT, "target/release/gradebook")


def speed(fit_timing):
    rng = np.random.default_rng(42)
    n = 1_000_000
    hours = rng.uniform(1, 25, n)
    scores = np.clip(50 + 2 * hours + rng.normal(0, 5, n), 0, 100)
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(np.column_stack([hours, scores]).astype("<f8").tobytes())
    ours = json.loads(subprocess.run([fit_timing, f.name, str(RUNS)], capture_output=True, text=True, check=True).stdout)
    os.unlink(f.name)
    X = hours.reshape(-1, 1)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        model = LinearRegression().fit(X, scores)
        times.append(time.perf_counter() - start)
    sk = statistics.median(times)
    assert abs(ours["slope"] - model.coef_[0]) <= 1e-9 * abs(model.coef_[0]), (ours, model.coef_)
    print(f"fit of {n:,} observations, median of {RUNS} runs")
    print(f"  scikit-learn LinearRegression.fit  {sk * 1e3:8.2f} ms")
    print(f"  gradebook predictor::fit           {ours['median_s'] * 1e3:8.2f} ms")
    print(f"  ratio                              {sk / ours['median_s']:8.1f}x  (target: at least 10x)")


def accuracy(gradebook):
    import statsmodels.api as sm
    rng = np.random.default_rng(7)
    worst_model, worst_interval = 0.0, 0.0
    for trial in range(25):
        n = int(rng.integers(3, 400))
        x = rng.uniform(0, 168, n) if trial % 3 else 100 + rng.uniform(0, 1e-3, n)
        y = np.clip(30 + 0.3 * x + rng.normal(0, 10, n), 0, 100)
        d = tempfile.mkdtemp()
        data, study = os.path.join(d, "g.postcard"), os.path.join(d, "s.csv")
        with open(study, "w") as fh:
            fh.write("hours,score\n")
            fh.writelines(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(x, y))
        run = lambda *a: subprocess.run([gradebook, "--file", data, *a], check=True, capture_output=True, text=True).stdout
        run("course", "add", "T"); run("import", "study", study); run("train")
        queries = [float(x.min()), float(x.mean()), 12.5, 150.0]
        out = json.loads(run("predict", *map(repr, queries), "--json"))
        model = LinearRegression().fit(x.reshape(-1, 1), y)
        pred = model.predict(x.reshape(-1, 1))
        ref = dict(slope=model.coef_[0], intercept=model.intercept_, mse=mean_squared_error(y, pred), r2=r2_score(y, pred))
        for k, v in ref.items():
            worst_model = max(worst_model, abs(out["model"][k] - v) / max(abs(v), 1e-300))
        frame = sm.OLS(y, sm.add_constant(x)).fit().get_prediction(
            sm.add_constant(np.array(queries), has_constant="add")).summary_frame(alpha=0.05)
        for i, p in enumerate(out["predictions"]):
            for k, col in (("low", "obs_ci_lower"), ("high", "obs_ci_upper")):
                worst_interval = max(worst_interval, abs(p[k] - frame[col].iloc[i]) / abs(frame[col].iloc[i]))
    print(f"accuracy on 25 data sets: model numbers within {worst_model:.1e} of scikit-learn (need 1e-9), "
          f"intervals within {worst_interval:.1e} of statsmodels (need 1e-6)")
    return worst_model <= 1e-9 and worst_interval <= 1e-6


if __name__ == "__main__":
    fit_timing, gradebook = build()
    speed(fit_timing)
    sys.exit(0 if accuracy(gradebook) else 1)
