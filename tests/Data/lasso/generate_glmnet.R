#!/usr/bin/Rscript
# glmnet's own solutions on the diabetes data (diabetes.csv, diabetes_weights.csv; see generate_models.py), for the
# tests of standardization: Lasso paths with intercept = TRUE and standardize = TRUE, without and with the sample
# weights, on 20 lambdas from the unweighted problem's lambda_max down to 1e-3 of it, converged to thresh = 1e-16.
# Run once from this folder (r-cran-glmnet); the tests only read diabetes_glmnet.csv:
# weighted (0/1), lambda, intercept, coefficients on the original scale.
suppressMessages(library(glmnet))
d <- read.csv("diabetes.csv")
x <- as.matrix(d[, 1:10]); y <- d$y
w <- read.csv("diabetes_weights.csv")$weight
xs <- scale(x, center = TRUE, scale = apply(x, 2, function(v) sqrt(mean((v - mean(v))^2))))
lmax <- max(abs(crossprod(xs, y - mean(y)))) / nrow(x)
lam <- lmax * 10^seq(0, -3, length.out = 20)
rows <- NULL
for (weighted in c(0, 1)) {
  fit <- glmnet(x, y, weights = if (weighted == 1) w else rep(1, nrow(x)), lambda = lam, intercept = TRUE, standardize = TRUE,
                thresh = 1e-16, maxit = 1e8)
  B <- as.matrix(coef(fit))
  rows <- rbind(rows, cbind(weighted, fit$lambda, t(B)))
}
colnames(rows) <- c("weighted", "lambda", "intercept", colnames(x))
write.csv(format(rows, digits = 17), "diabetes_glmnet.csv", row.names = FALSE, quote = FALSE)
