#!/usr/bin/python3
"""scikit-learn's lasso_path and lars_path and a numpy loop for the factorized gradient descent, side by side with
the engine on the same problems. Usage: lasso_compare.py ENGINE [--n 1000 --p 10000] [--skip-sklearn-cd]

The Lasso data are generated here (numpy, seed 0) and handed to the engine as a binary file
(int64 n, int64 p, X row-major float64, y float64), so both solve exactly the same problem. Duality gaps are
recomputed here for both solutions with the same formula (scikit-learn's, unscaled: compared with tol * ||y||^2).
Both wall and CPU times are printed: on a shared machine the CPU time (process time, single-threaded BLAS via
OMP_NUM_THREADS=1 in lasso_compare.sh) is the steadier of the two.
"""
import argparse, os, re, subprocess, sys, tempfile, time
import numpy as np
from sklearn.linear_model import lasso_path, lars_path


def gap(X, y, w, alpha, positive=False):
    n = X.shape[0]
    lam = n * alpha
    r = y - X @ w
    c = X.T @ r
    dual = c.max() if positive else np.abs(c).max()
    scale = lam / dual if dual > lam else 1.0
    return 0.5 * (r @ r) * (1 + scale * scale) + lam * np.abs(w).sum() - scale * (r @ y)


def write_bin(path, X, y):
    with open(path, "wb") as f:
        np.array(X.shape, dtype="<i8").tofile(f)
        np.ascontiguousarray(X, dtype="<f8").tofile(f)
        np.asarray(y, dtype="<f8").tofile(f)


def engine(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("engine")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--p", type=int, default=10000)
    ap.add_argument("--tol", type=float, default=1e-8)
    ap.add_argument("--skip-sklearn-cd", action="store_true")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="lasso_compare_")

    # 1. Coordinate-descent path, n x p, 100 alphas, eps 1e-3.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((a.n, a.p))
    w = np.zeros(a.p)
    w[rng.choice(a.p, 20, replace=False)] = rng.standard_normal(20)
    y = X @ w + 0.5 * rng.standard_normal(a.n)
    data = os.path.join(tmp, "lasso.bin")
    write_bin(data, X, y)
    gaps_csv = os.path.join(tmp, "engine_gaps.csv")
    out = engine([a.engine, "lasso-bench", "--data", data, "--tol", repr(a.tol), "--gaps-out", gaps_csv])
    t_engine = float(re.search(r"\bseconds=([0-9.eE+-]+)", out).group(1))
    c_engine = float(re.search(r"cpu_seconds=([0-9.eE+-]+)", out).group(1))
    eg = np.loadtxt(gaps_csv, delimiter=",", skiprows=1)
    tol_abs = a.tol * (y @ y)
    print(f"lasso path {a.n} x {a.p}, 100 alphas, eps 1e-3, tol {a.tol:g} (gap bound {tol_abs:.3e})")
    print(f"  engine coordinate descent: {t_engine:8.2f} s wall, {c_engine:8.2f} s CPU, largest gap {eg[:, 1].max():.3e}")
    if not a.skip_sklearn_cd:
        t0, c0 = time.perf_counter(), time.process_time()
        alphas, coefs, _ = lasso_path(X, y, n_alphas=100, eps=1e-3, tol=a.tol)
        t_sk, c_sk = time.perf_counter() - t0, time.process_time() - c0
        sg = np.array([gap(X, y, coefs[:, k], alphas[k]) for k in range(len(alphas))])
        worse = int(np.sum(eg[:, 1] > np.maximum(sg, tol_abs) * (1 + 1e-9)))
        print(f"  sklearn lasso_path:        {t_sk:8.2f} s wall, {c_sk:8.2f} s CPU, largest gap {sg.max():.3e}")
        print(f"  speed-up {t_sk / t_engine:.1f}x wall, {c_sk / c_engine:.1f}x CPU; alphas where the engine's gap exceeds max(sklearn's gap, tol*||y||^2): {worse}")
        print(f"  max |alpha_engine - alpha_sklearn| = {np.abs(eg[:, 0] - alphas).max():.2e}")

    # 2. Exact path (LARS-Lasso) on a tall problem, where both run to alpha = 0 (least squares).
    nl, pl = 1000, 300
    Xl, yl = X[:nl, :pl], y[:nl]
    csv = os.path.join(tmp, "lars.csv")
    np.savetxt(csv, np.column_stack([Xl, yl]), delimiter=",", header=",".join([f"x{j}" for j in range(pl)] + ["y"]), comments="")
    t0, c0 = time.perf_counter(), time.process_time()
    la, _, lc = lars_path(Xl, yl, method="lasso", max_iter=100000)
    t_lars, c_lars = time.perf_counter() - t0, time.process_time() - c0
    out = engine([a.engine, "lasso-path", "--data", csv, "--exact", "--out", tmp])
    t_exact = float(re.search(r"in ([0-9.]+) ms", out).group(1)) / 1e3
    bp = int(re.search(r"(\d+) breakpoints", out).group(1))
    ours = np.loadtxt(os.path.join(tmp, "lasso-path", "lasso_path_exact.csv"), delimiter=",", skiprows=1)
    end_diff = np.abs(ours[-1, 1:pl + 1] - lc[:, -1]).max()
    print(f"exact path {nl} x {pl}: engine homotopy {t_exact:.3f} s wall ({bp} breakpoints), "
          f"sklearn lars_path {t_lars:.3f} s wall, {c_lars:.3f} s CPU ({len(la)} breakpoints); ratio {t_lars / t_exact:.1f}x wall; "
          f"max |end difference| {end_diff:.1e}")

    # 3. Factorized gradient descent, 20 x 40, 300,000 steps.
    rng = np.random.default_rng(1)
    A = rng.standard_normal((20, 40))
    A /= np.linalg.norm(A, axis=0)
    xs = np.zeros(40)
    xs[rng.choice(40, 10, replace=False)] = np.abs(rng.standard_normal(10) / np.sqrt(10))
    b = A @ xs
    x = np.full(40, 1e-3)
    rec = np.empty((30001, 40))
    rec[0] = x
    t0 = time.perf_counter()
    for k in range(1, 300001):
        x = x - 1e-3 * 2 * x * (A.T @ (A @ (x * x) - b))
        if k % 10 == 0:
            rec[k // 10] = x
    t_np = time.perf_counter() - t0
    out = engine([a.engine, "implicit-l1", "--out", tmp, "--quiet"])
    t_gd = float(re.search(r"in ([0-9.]+) ms", out).group(1)) / 1e3
    print(f"factorized GD 20 x 40, 300,000 steps: engine {t_gd * 1e3:.1f} ms, numpy loop {t_np * 1e3:.0f} ms; ratio {t_np / t_gd:.0f}x")


if __name__ == "__main__":
    main()
