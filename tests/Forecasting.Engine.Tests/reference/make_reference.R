# Reference values for ReferenceAgreementTests.cs, computed with R's forecast package.
# Re-run: Rscript make_reference.R /work/shared/bench/m1.csv > reference_values.txt
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
m1 <- read.csv(if (length(args) > 0) args[1] else "m1.csv", stringsAsFactors = FALSE)
get <- function(id) { r <- m1[m1$id == id, ]; as.numeric(strsplit(trimws(r$train), " +")[[1]]) }
fmt <- function(x) paste0("{ ", paste(sprintf("%.10g", x), collapse = ", "), " }")
out <- function(name, x) cat(name, "=", fmt(x), "\n")
half95 <- function(f) (f$upper[, "95%"] - f$mean) / qnorm(0.975)

series <- list(
  YAF2 = ts(get("YAF2"), frequency = 1),
  QNB1 = ts(get("QNB1"), frequency = 4),
  MNB1 = ts(get("MNB1"), frequency = 12),
  AirPassengers = AirPassengers)
for (nm in names(series)) out(paste0(nm, ".y"), series[[nm]])

h <- 8
for (nm in c("YAF2", "QNB1")) {
  y <- series[[nm]]
  out(paste0(nm, ".naive"), naive(y, h)$mean)
  out(paste0(nm, ".naive.sd"), half95(naive(y, h)))
  out(paste0(nm, ".drift"), rwf(y, h, drift = TRUE)$mean)
  out(paste0(nm, ".drift.sd"), half95(rwf(y, h, drift = TRUE)))
  out(paste0(nm, ".theta"), thetaf(y, h)$mean)
  f <- ets(y, model = "ANN"); out(paste0(nm, ".ets_ANN"), forecast(f, h)$mean); out(paste0(nm, ".ets_ANN.par"), coef(f))
  out(paste0(nm, ".ets_ANN.sd"), half95(forecast(f, h)))
  f <- ets(y, model = "AAN", damped = FALSE); out(paste0(nm, ".ets_AAN"), forecast(f, h)$mean); out(paste0(nm, ".ets_AAN.par"), coef(f))
  f <- ets(y, model = "AAN", damped = TRUE); out(paste0(nm, ".ets_AAdN"), forecast(f, h)$mean); out(paste0(nm, ".ets_AAdN.par"), coef(f))
  out(paste0(nm, ".ets_AAdN.sigma2"), f$sigma2)
}
for (nm in c("QNB1", "MNB1", "AirPassengers")) {
  y <- series[[nm]]
  out(paste0(nm, ".snaive"), snaive(y, 2 * frequency(y))$mean)
  out(paste0(nm, ".theta"), thetaf(y, 2 * frequency(y))$mean)
}
f <- ets(AirPassengers, model = "MAM", damped = FALSE)
out("AirPassengers.ets_MAM", forecast(f, 24)$mean); out("AirPassengers.ets_MAM.par", coef(f)[c("alpha", "beta", "gamma")])
out("AirPassengers.ets_MAM.sigma2", f$sigma2)
f <- ets(AirPassengers, model = "AAA", damped = FALSE)
out("AirPassengers.ets_AAA", forecast(f, 24)$mean)
out("AirPassengers.ets_AAA.sigma2", f$sigma2)
cat("version forecast", as.character(packageVersion("forecast")), "\n")
