#!/usr/bin/python3
"""Generates the scikit-learn references for the tests of the library's glmnet / scikit-learn features (elastic net,
intercept, sample weights, cross-validation) on real data: the diabetes set bundled with scikit-learn (442 x 10).
Run once from this folder (scikit-learn 1.2 from Debian's python3-sklearn); the tests only read the CSVs.
generate_glmnet.R adds glmnet's own results for standardization.

Files (every CSV has a header row):
  diabetes.csv                 the data: the ten features, then y
  diabetes_weights.csv         one sample weight per row (uniform on [0.5, 2], seed 7)
  diabetes_folds.csv           one fold id in 0..4 per row (a seeded shuffle cut in five blocks)
  diabetes_enet.csv            ElasticNet at several (alpha, l1_ratio, fit_intercept): alpha, l1_ratio, fit_intercept, intercept, coefficients
  diabetes_weighted_path.csv   Lasso(fit_intercept=True) with the sample weights along a 30-alpha grid, warm started
                               (lasso_path with sample_weight): alpha, intercept, coefficients
  diabetes_cv.csv              LassoCV with the explicit folds on a 40-alpha grid: alpha, mean_mse, se_mse, then one MSE column per fold
  diabetes_cv_weighted.csv     the same with the sample weights (LassoCV.fit(..., sample_weight)), grid of the weighted problem
  diabetes_cv_choices.csv      per run (unweighted, weighted): alpha_min (LassoCV's alpha_) and alpha_1se from its curve
"""
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, LassoCV

TOL, MAX_ITER = 1e-13, 1_000_000


def write(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


data = load_diabetes()
X, y = data.data, data.target
n, p = X.shape
names = list(data.feature_names)
write("diabetes.csv", names + ["y"], np.column_stack([X, y]))

rng = np.random.default_rng(7)
sw = rng.uniform(0.5, 2.0, n)
write("diabetes_weights.csv", ["weight"], sw[:, None])

order = np.random.default_rng(11).permutation(n)
folds = np.empty(n, dtype=int)
for f, block in enumerate(np.array_split(order, 5)):
    folds[block] = f
write("diabetes_folds.csv", ["fold"], folds[:, None])

# Elastic net at a few points of its grid, with and without the intercept.
rows = []
for fit_intercept in (True, False):
    Xc = X - X.mean(axis=0) if fit_intercept else X
    yc = y - y.mean() if fit_intercept else y
    for l1_ratio in (0.5, 0.9):
        alpha_max = np.abs(Xc.T @ yc).max() / (n * l1_ratio)
        for frac in (0.5, 0.1, 0.01, 0.001):
            m = ElasticNet(alpha=alpha_max * frac, l1_ratio=l1_ratio, fit_intercept=fit_intercept, tol=TOL, max_iter=MAX_ITER).fit(X, y)
            rows.append([alpha_max * frac, l1_ratio, float(fit_intercept), m.intercept_, *m.coef_])
write("diabetes_enet.csv", ["alpha", "l1_ratio", "fit_intercept", "intercept"] + names, rows)

# The weighted Lasso path: scikit-learn's ElasticNet.fit rescales the weights to sum to n, centers X and y by their
# weighted means and multiplies the rows by sqrt(weight); the grid starts at the weighted problem's alpha_max.
swn = sw * (n / sw.sum())
xm, ym = np.average(X, axis=0, weights=swn), np.average(y, weights=swn)
Xw, yw = (X - xm) * np.sqrt(swn)[:, None], (y - ym) * np.sqrt(swn)
alpha_max = np.abs(Xw.T @ yw).max() / n
grid = alpha_max * np.logspace(0, -3, 30)
model = Lasso(fit_intercept=True, tol=TOL, max_iter=MAX_ITER, warm_start=True)
rows = []
for a in grid:
    model.set_params(alpha=a).fit(X, y, sample_weight=sw)
    rows.append([a, model.intercept_, *model.coef_])
write("diabetes_weighted_path.csv", ["alpha", "intercept"] + names, rows)

# Cross-validation with the explicit folds; LassoCV's alpha_ is the arg-min of the mean over folds, and the
# one-standard-error choice is cv.glmnet's rule on the same curve (standard error = sample sd over sqrt(K)).
splits = [(np.where(folds != f)[0], np.where(folds == f)[0]) for f in range(5)]
choices = []
for weighted, out in ((False, "diabetes_cv.csv"), (True, "diabetes_cv_weighted.csv")):
    if weighted:
        cv = LassoCV(alphas=alpha_max * np.logspace(0, -3, 40), cv=splits, fit_intercept=True, tol=TOL, max_iter=MAX_ITER).fit(X, y, sample_weight=sw)
    else:
        cv = LassoCV(n_alphas=40, eps=1e-3, cv=splits, fit_intercept=True, tol=TOL, max_iter=MAX_ITER).fit(X, y)
    mse = cv.mse_path_
    mean = mse.mean(axis=1)
    se = mse.std(axis=1, ddof=1) / np.sqrt(mse.shape[1])
    best = int(np.argmin(mean))
    one_se = int(np.where(mean <= mean[best] + se[best])[0][0])
    assert cv.alpha_ == cv.alphas_[best]
    write(out, ["alpha", "mean_mse", "se_mse"] + [f"fold{f}" for f in range(5)], np.column_stack([cv.alphas_, mean, se, mse]))
    choices.append([float(weighted), cv.alpha_, cv.alphas_[one_se]])
write("diabetes_cv_choices.csv", ["weighted", "alpha_min", "alpha_1se"], choices)
