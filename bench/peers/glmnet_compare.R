# glmnet's side of bench/peers/glmnet_compare.py: fits the Lasso path of one problem at each threshold, timed, and
# writes the coefficients for the caller to judge with the same duality-gap formula as the engine's.
# Usage: Rscript glmnet_compare.R DATA.bin GRID.txt OUT_PREFIX THRESH[,THRESH...] [TYPE[,TYPE...]]
#   DATA.bin: int64 n, int64 p, X row-major float64, y float64 (the engine's lasso-bench format)
#   GRID.txt: the lambdas (= scikit-learn's alphas), one per line, decreasing
#   TYPE: glmnet's type.gaussian, "naive" (its default for p >= 500) or "covariance" (its default below)
# For each (type, threshold) it prints "type thresh wall_s cpu_s npasses" and writes OUT_PREFIX_<type>_<thresh>.bin
# (the p x nlambda coefficient matrix, column-major float64). intercept = FALSE and standardize = FALSE: the problem
# is the plain Lasso (1/(2n)) ||y - Xb||^2 + lambda ||b||_1 that the engine solves.
suppressMessages(library(glmnet))
args <- commandArgs(TRUE)
f <- file(args[1], "rb")
h <- readBin(f, "integer", 2, size = 8)
n <- h[1]; p <- h[2]
x <- matrix(readBin(f, "double", n * p), nrow = n, ncol = p, byrow = TRUE)
y <- readBin(f, "double", n)
close(f)
lambda <- scan(args[2], quiet = TRUE)
thresholds <- as.numeric(strsplit(args[4], ",")[[1]])
types <- if (length(args) >= 5) strsplit(args[5], ",")[[1]] else if (p < 500) "covariance" else "naive"
for (type in types) for (th in thresholds) {
  t <- system.time(fit <- glmnet(x, y, lambda = lambda, intercept = FALSE, standardize = FALSE, thresh = th,
                                 maxit = 1e8, type.gaussian = type))
  out <- file(sprintf("%s_%s_%g.bin", args[3], type, th), "wb")
  writeBin(as.vector(as.matrix(fit$beta)), out, size = 8)
  close(out)
  cat(sprintf("%s %g %.6f %.6f %d\n", type, th, t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], fit$npasses))
}
