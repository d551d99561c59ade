# Reference numbers for ReconciliationTests (base R matrix algebra, no packages).
# Run: Rscript reconciliation_reference.R   (R 4.2; the printed numbers are copied into the tests)
#
# Hierarchy: Total -> A, B; A -> A1, A2; B -> B1, B2, B3. Node order: Total, A, B, A1, A2, B1, B2, B3.
S <- rbind(c(1,1,1,1,1), c(1,1,0,0,0), c(0,0,1,1,1), diag(5))
n <- nrow(S); m <- ncol(S)

# In-sample one-step residuals, 24 periods x 8 nodes, from a fixed formula (the tests build the same matrix).
T <- 24
res <- outer(1:T, 1:n, function(t, i) sin(1.3 * t + 0.7 * i) + 0.4 * cos(2.1 * t * i) + 0.05 * i * ((t %% 5) - 2))
res[, 1] <- res[, 1] + res[, 4] + res[, 6]   # the total's errors share the parts' errors
res[, 2] <- res[, 2] + 0.8 * res[, 4]

# Base (incoherent) forecasts, two horizons, one column per step.
base <- cbind(c(120, 50, 66, 21, 27, 20, 25, 23),
              c(125, 52, 70, 22, 28, 21, 26, 24))

# hts / fable min_trace(method = "mint_shrink"): Schafer-Strimmer shrinkage of the uncentred covariance toward its diagonal.
covm <- crossprod(res) / T
tar <- diag(diag(covm))
corm <- cov2cor(covm)
xs <- scale(res, center = FALSE, scale = sqrt(diag(covm)))
v <- (1 / (T * (T - 1))) * (crossprod(xs^2) - 1 / T * (crossprod(xs))^2)
diag(v) <- 0
d <- (corm - cov2cor(tar))^2
lambda <- max(min(sum(v) / sum(d), 1), 0)
W <- lambda * tar + (1 - lambda) * covm

gls <- function(W) { Wi <- solve(W); solve(t(S) %*% Wi %*% S) %*% t(S) %*% Wi }
P_bu <- cbind(matrix(0, m, n - m), diag(m))
P_ols <- gls(diag(n))
P_wls <- gls(diag(rowSums(S)))          # structural scaling
P_mint <- gls(W)

p <- function(name, x) cat(name, paste(sprintf("%.10f", x), collapse = ", "), "\n")
p("lambda", lambda)
p("bu", S %*% P_bu %*% base)
p("ols", S %*% P_ols %*% base)
p("wls_struct", S %*% P_wls %*% base)
p("mint_shrink", S %*% P_mint %*% base)

# Top level kept: minimise (yhat - S b)' W^-1 (yhat - S b) subject to sum(b) = yhat_Total, solved as the KKT system.
kkt <- function(W, yhat) {
  Wi <- solve(W)
  A <- rbind(cbind(t(S) %*% Wi %*% S, rep(1, m)), c(rep(1, m), 0))
  rhs <- c(t(S) %*% Wi %*% yhat, yhat[1])
  S %*% solve(A, rhs)[1:m]
}
p("mint_shrink_top", cbind(kkt(W, base[, 1]), kkt(W, base[, 2])))
p("ols_top", cbind(kkt(diag(n), base[, 1]), kkt(diag(n), base[, 2])))
