# Reference values for IntermittentModelTests.cs (R 4, forecast 8.20). Re-run: Rscript croston_reference.R
suppressMessages(library(forecast))
y1 <- c(0,2,0,0,1,0,3,0,0,0,1,0,0,2,0,0,0,4,0,1,0,0,0,2)
y2 <- c(5,0,0,3,0,7,0,0,0,2,0,0,1,0,6,0,0,0,0,3,0,2,0,0,0,0,4,0,1,0)
for (y in list(y1, y2)) {
  for (a in c(0.1, 0.3)) {
    f <- croston(y, h = 3, alpha = a)
    cat(sprintf("alpha=%g mean=%s\n", a, paste(sprintf("%.12g", f$mean), collapse = ",")))
    cat(sprintf("fitted=%s\n", paste(sprintf("%.12g", f$fitted), collapse = ",")))
  }
}
