#!/usr/bin/python3
"""The engine's Lasso path against glmnet and scikit-learn at matched duality gaps, one core each.

Usage: glmnet_compare.py ENGINE [--rounds 3] [--problems wide,tall,diabetes,poly3,digits] [--no-sklearn] [--out FILE.md]

Every side solves the same plain Lasso, (1/(2n)) ||y - Xb||^2 + alpha ||b||_1 (glmnet with intercept = FALSE,
standardize = FALSE; the real data sets are centered and standardized here first, so that this is the fit either
library would make with an intercept and standardization), on the same 100 alphas from alpha_max down to 1e-3 of it.
Each side is judged by the largest duality gap over the path, by one formula (scikit-learn's, unscaled: the gap of
1/2 ||y - Xb||^2 + n alpha ||b||_1, as in lasso_compare.py): the engine recomputes its own from scratch
(lasso-bench --gaps-out), glmnet's and scikit-learn's are computed here from their coefficients.

The sides have different stopping rules (the engine and scikit-learn stop on the gap, glmnet on the size of its
coordinate moves), so each is swept over its knob: the engine's tol, glmnet's thresh. For a target gap, a side's
time is that of its cheapest setting whose largest gap reached the target ("reached"), and also the log-log
interpolation along its time-gap front ("interp."), which stands for a setting between two measured ones.

Timing: every command runs under `taskset -c 0`; each setting is timed in each of --rounds rounds, the rounds
alternate which side goes first, and the best wall and best CPU time are kept. Times are measured inside each
process around the path alone (the engine's Stopwatch and process CPU time, R's system.time, Python's
perf_counter / process_time): reading the data and starting the runtime are left out for all. scikit-learn runs
with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset and one BLAS thread.

Problems: wide (n = 1000, p = 10000) and tall (n = 10000, p = 1000) come from lasso_compare.py's generator (seed 0,
20 true nonzeros, noise 0.5); diabetes is scikit-learn's bundled set (442 x 10); poly3 is diabetes with all
monomials of degree up to 3 (442 x 285, the classic LARS-paper expansion taken one degree further); digits is
scikit-learn's bundled 8 x 8 digits (1797 x 61 non-constant pixels) with the digit as the target.
"""
import argparse, os, re, subprocess, sys, tempfile, time
import numpy as np

ENGINE_TOLS = [1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6]
SMALL_EXTRA_TOLS = [1e-7, 1e-8]
GLMNET_THRESHOLDS = [1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13]
TARGETS = [1e-3, 1e-4, 1e-5, 1e-6]  # gap targets, times ||y||^2
PIN = ["taskset", "-c", "0"]


def gaps_of(X, y, alphas, B):
    """scikit-learn's Lasso duality gap of each column of B (p x m) at the matching alpha."""
    n = X.shape[0]
    R = y[:, None] - X @ B
    C = X.T @ R
    lam = n * np.asarray(alphas)
    dual = np.abs(C).max(axis=0)
    scale = np.where(dual > lam, lam / np.maximum(dual, 1e-300), 1.0)
    return 0.5 * (R * R).sum(0) * (1 + scale ** 2) + lam * np.abs(B).sum(0) - scale * (R.T @ y)


def write_bin(path, X, y):
    with open(path, "wb") as f:
        np.array(X.shape, dtype="<i8").tofile(f)
        np.ascontiguousarray(X, dtype="<f8").tofile(f)
        np.asarray(y, dtype="<f8").tofile(f)


def read_bin(path):
    with open(path, "rb") as f:
        n, p = np.fromfile(f, dtype="<i8", count=2)
        X = np.fromfile(f, dtype="<f8", count=n * p).reshape(n, p)
        y = np.fromfile(f, dtype="<f8", count=n)
    return X, y


def standardized(X, y):
    X = X - X.mean(axis=0)
    sd = np.sqrt((X * X).mean(axis=0))
    keep = sd > 0
    return X[:, keep] / sd[keep], y - y.mean()


def make_problem(name):
    if name in ("wide", "tall"):
        n, p = (1000, 10000) if name == "wide" else (10000, 1000)
        rng = np.random.default_rng(0)
        X = rng.standard_normal((n, p))
        w = np.zeros(p)
        w[rng.choice(p, 20, replace=False)] = rng.standard_normal(20)
        return X, X @ w + 0.5 * rng.standard_normal(n)
    from sklearn.datasets import load_diabetes, load_digits
    if name == "diabetes":
        d = load_diabetes()
        return standardized(d.data, d.target)
    if name == "poly3":
        from sklearn.preprocessing import PolynomialFeatures
        d = load_diabetes()
        return standardized(PolynomialFeatures(3, include_bias=False).fit_transform(d.data), d.target)
    if name == "digits":
        d = load_digits()
        return standardized(d.data, d.target.astype(float))
    raise SystemExit(f"unknown problem {name}")


def sklearn_worker(data, grid, tol, out):
    """Runs in its own pinned process (see run_sklearn): times lasso_path and saves the coefficients."""
    from sklearn.linear_model import lasso_path
    X, y = read_bin(data)
    alphas = np.loadtxt(grid)
    X = np.asfortranarray(X)
    t0, c0 = time.perf_counter(), time.process_time()
    _, coefs, _ = lasso_path(X, y, alphas=alphas, tol=tol, max_iter=100000)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    np.save(out, coefs)
    print(f"{wall!r} {cpu!r}")


def engine_repeats(engine):
    """Whether lasso-bench can time several runs in one process (--repeat), so that compiling the solver on its
    first call (a few tens of milliseconds, which dominates the smallest problems) is left out like R's loading
    of glmnet; without it every engine time includes that first-call cost."""
    help_text = subprocess.run([engine, "lasso-bench", "--help"], capture_output=True, text=True).stdout
    return "--repeat" in help_text


def run_engine(engine, data, tol, tmp, repeat):
    gaps = os.path.join(tmp, "engine_gaps.csv")
    extra = ["--repeat", str(repeat)] if repeat > 1 else []
    out = subprocess.run(PIN + [engine, "lasso-bench", "--data", data, "--tol", repr(tol), "--gaps-out", gaps] + extra,
                         check=True, capture_output=True, text=True).stdout
    # With --repeat the best of the runs in the process is reported as best_seconds / best_cpu_seconds.
    best = re.search(r"best_seconds=([0-9.eE+-]+)", out)
    wall = float(best.group(1) if best else re.search(r"\bseconds=([0-9.eE+-]+)", out).group(1))
    best_cpu = re.search(r"best_cpu_seconds=([0-9.eE+-]+)", out)
    cpu = float(best_cpu.group(1) if best_cpu else re.search(r"cpu_seconds=([0-9.eE+-]+)", out).group(1))
    return wall, cpu, np.loadtxt(gaps, delimiter=",", skiprows=1)[:, 1].max()


def run_glmnet(script, data, grid, types, X, y, alphas, tmp):
    prefix = os.path.join(tmp, "glmnet")
    out = subprocess.run(PIN + ["/usr/bin/Rscript", script, data, grid, prefix, ",".join(f"{t:g}" for t in GLMNET_THRESHOLDS),
                                ",".join(types)], check=True, capture_output=True, text=True).stdout
    results = {}
    for line in out.strip().splitlines():
        kind, th, wall, cpu, _ = line.split()
        B = np.fromfile(f"{prefix}_{kind}_{th}.bin", dtype="<f8").reshape(len(alphas), X.shape[1]).T
        results[(kind, float(th))] = (float(wall), float(cpu), gaps_of(X, y, alphas, B).max())
    return results


def run_sklearn(data, grid, tol, X, y, alphas, tmp):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    out = os.path.join(tmp, "sklearn.npy")
    line = subprocess.run(PIN + ["/usr/bin/python3", os.path.abspath(__file__), "--sklearn-worker", data, grid, repr(tol), out],
                          check=True, capture_output=True, text=True, env=env).stdout.split()
    return float(line[0]), float(line[1]), gaps_of(X, y, alphas, np.load(out)).max()


def front(points):
    """The time-gap front of a side: (gap, time) pairs where no faster setting has a smaller or equal gap."""
    best, out = np.inf, []
    for gap, t in sorted(points, key=lambda q: (q[1], q[0])):
        if gap < best:
            out.append((gap, t))
            best = gap
    return out  # gaps decreasing, times increasing


def time_at(points, target):
    """(reached, interpolated) time for a largest gap of at most target; None where no setting got there."""
    f = front(points)
    reached = min((t for g, t in f if g <= target), default=None)
    if not f or target < f[-1][0]:
        return reached, None
    if target >= f[0][0]:
        return reached, f[0][1]
    for (g0, t0), (g1, t1) in zip(f, f[1:]):
        if g0 >= target >= g1:
            if g0 == g1:
                return reached, t1
            u = (np.log(target) - np.log(g0)) / (np.log(g1) - np.log(g0))
            return reached, float(np.exp(np.log(t0) + u * (np.log(t1) - np.log(t0))))
    return reached, None


def fmt(t):
    return "—" if t is None else f"{t:.3f}"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--sklearn-worker":
        sklearn_worker(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("engine")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--problems", default="wide,tall,diabetes,poly3,digits")
    ap.add_argument("--no-sklearn", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args()
    engine = os.path.abspath(a.engine)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "glmnet_compare.R")
    tmp = tempfile.mkdtemp(prefix="glmnet_compare_")
    repeat = 3 if engine_repeats(engine) else 1
    report = [f"# Lasso path, engine vs glmnet vs scikit-learn at matched largest duality gap",
              f"One core each (taskset -c 0), best of {a.rounds} interleaved rounds; 100 alphas, eps 1e-3. "
              f"Machine: {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}, "
              f"load average at start {os.getloadavg()[0]:.2f}. Engine times "
              + ("are the best of 3 runs in one process, each on a freshly read problem (first-call compilation excluded; the Gram matrix and the int8 copy of X built and timed every run)." if repeat > 1 else
                 "include compiling the solver on its first call (one run per process)."), ""]
    for name in a.problems.split(","):
        X, y = make_problem(name)
        n, p = X.shape
        data = os.path.join(tmp, f"{name}.bin")
        write_bin(data, X, y)
        alphas = np.abs(X.T @ y).max() / n * 1e-3 ** (np.arange(100) / 99)
        grid = os.path.join(tmp, f"{name}_grid.txt")
        np.savetxt(grid, alphas, fmt="%.17g")
        yy = y @ y
        small = n * p <= 1_000_000
        tols = ENGINE_TOLS + (SMALL_EXTRA_TOLS if small else [])
        types = ["covariance", "naive"] if p < 500 or n > p else ["naive"]
        eng, glm = {}, {}
        for r in range(a.rounds):
            order = ("engine", "glmnet") if r % 2 == 0 else ("glmnet", "engine")
            for side in order:
                if side == "engine":
                    for tol in tols:
                        wall, cpu, gap = run_engine(engine, data, tol, tmp, repeat)
                        w0, c0, _ = eng.get(tol, (np.inf, np.inf, gap))
                        eng[tol] = (min(w0, wall), min(c0, cpu), gap)
                else:
                    for key, (wall, cpu, gap) in run_glmnet(script, data, grid, types, X, y, alphas, tmp).items():
                        w0, c0, _ = glm.get(key, (np.inf, np.inf, gap))
                        glm[key] = (min(w0, wall), min(c0, cpu), gap)
            print(f"{name}: round {r + 1} of {a.rounds} done", file=sys.stderr)
        skl = {}
        if not a.no_sklearn:
            for tol in ([1e-4, 1e-6] if small else [1e-4]):
                skl[tol] = run_sklearn(data, grid, tol, X, y, alphas, tmp)
        report += [f"## {name}: n = {n}, p = {p}, ||y||^2 = {yy:.4g}", "",
                   "| side | setting | wall s | CPU s | largest gap | gap / ||y||^2 |", "| --- | --- | ---: | ---: | ---: | ---: |"]
        for tol, (w, c, g) in eng.items():
            report.append(f"| engine | tol {tol:g} | {w:.3f} | {c:.3f} | {g:.3e} | {g / yy:.2e} |")
        for (kind, th), (w, c, g) in sorted(glm.items()):
            report.append(f"| glmnet {kind} | thresh {th:g} | {w:.3f} | {c:.3f} | {g:.3e} | {g / yy:.2e} |")
        for tol, (w, c, g) in skl.items():
            report.append(f"| scikit-learn | tol {tol:g} | {w:.3f} | {c:.3f} | {g:.3e} | {g / yy:.2e} |")
        report += ["", "Time to a largest gap of at most target x ||y||^2 (wall s; reached / interp.; speed-ups are the other side's time over the engine's, by CPU time in brackets):", "",
                   "| target | engine | glmnet | scikit-learn | speed-up vs glmnet | speed-up vs scikit-learn |", "| ---: | ---: | ---: | ---: | ---: | ---: |"]
        for target in TARGETS:
            g = target * yy
            e_r, e_i = time_at([(v[2], v[0]) for v in eng.values()], g)
            m_r, m_i = time_at([(v[2], v[0]) for v in glm.values()], g)
            s_r, s_i = time_at([(v[2], v[0]) for v in skl.values()], g)
            sc_r, _ = time_at([(v[2], v[1]) for v in skl.values()], g)
            ec_r, ec_i = time_at([(v[2], v[1]) for v in eng.values()], g)
            mc_r, mc_i = time_at([(v[2], v[1]) for v in glm.values()], g)

            def ratio(num, den):
                return "—" if num is None or den is None else f"{num / den:.2f}x"
            report.append(f"| {target:g} | {fmt(e_r)} / {fmt(e_i)} | {fmt(m_r)} / {fmt(m_i)} | {fmt(s_r)} / {fmt(s_i)} | "
                          f"{ratio(m_r, e_r)} / {ratio(m_i, e_i)} ({ratio(mc_r, ec_r)} / {ratio(mc_i, ec_i)}) | {ratio(s_r, e_r)} ({ratio(sc_r, ec_r)}) |")
        report.append("")
        print("\n".join(report[-(len(eng) + len(glm) + len(skl) + len(TARGETS) + 8):]), file=sys.stderr)
    text = "\n".join(report)
    print(text)
    if a.out:
        with open(a.out + ".tmp", "w") as f:
            f.write(text + "\n")
        os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    main()
