#!/usr/bin/python3
"""Generates the scikit-learn reference paths the Lasso tests compare with. Run once; the tests only read the CSVs.

For each case: {case}.csv holds the data (columns x1..xp, then y, with a header row, the format `engine lasso-path`
reads), {case}_cd.csv and {case}_cd_positive.csv hold sklearn.linear_model.lasso_path on its default-shaped grid
(alpha, then one column per feature), and {case}_lars.csv / {case}_lars_positive.csv hold lars_path(method="lasso")
breakpoints in the same layout.
"""
import numpy as np
from sklearn.linear_model import lasso_path, lars_path

CASES = {"tall": (40, 8, 11), "wide": (15, 30, 12), "square": (25, 25, 13)}


def write(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


for case, (n, p, seed) in CASES.items():
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    support = rng.choice(p, size=max(2, p // 4), replace=False)
    w[support] = rng.standard_normal(support.size)
    y = X @ w + 0.1 * rng.standard_normal(n)
    features = [f"x{j + 1}" for j in range(p)]
    write(f"{case}.csv", features + ["y"], np.column_stack([X, y]))
    for positive in (False, True):
        suffix = "_positive" if positive else ""
        alphas, coefs, _ = lasso_path(X, y, n_alphas=30, eps=1e-3, tol=1e-14, max_iter=1_000_000, positive=positive)
        write(f"{case}_cd{suffix}.csv", ["alpha"] + features, np.column_stack([alphas, coefs.T]))
        alphas, _, coefs = lars_path(X, y, method="lasso", positive=positive)
        write(f"{case}_lars{suffix}.csv", ["alpha"] + features, np.column_stack([alphas, coefs.T]))

# At scikit-learn's default tolerance each alpha still gets at least one coordinate pass, so warm starts never
# leave a row equal to the previous one; {case}_cd_tol4.csv is the default 100-alpha path at tol=1e-4.
for case in CASES:
    data = np.loadtxt(f"{case}.csv", delimiter=",", skiprows=1)
    X, y = data[:, :-1], data[:, -1]
    alphas, coefs, _ = lasso_path(X, y, n_alphas=100, eps=1e-3, tol=1e-4)
    write(f"{case}_cd_tol4.csv", ["alpha"] + [f"x{j + 1}" for j in range(X.shape[1])], np.column_stack([alphas, coefs.T]))
