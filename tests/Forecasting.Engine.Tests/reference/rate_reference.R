# Reference numbers for RateModelTests: R's glm with a log(population) offset (base R 4.2 stats).
# Run: Rscript rate_reference.R   (the printed numbers are copied into the tests)
p <- function(name, x) cat(name, paste(sprintf("%.10g", x), collapse = ", "), "\n")

# Case 1: yearly admissions of people 65+ per head, 12 years, with a population projection for 5 more.
y <- c(410, 428, 455, 449, 478, 502, 497, 530, 541, 566, 580, 604)
pop <- c(41200, 41900, 42700, 43300, 44100, 45000, 45600, 46500, 47300, 48200, 49000, 49900)
popf <- c(50800, 51700, 52500, 53400, 54300)
t <- seq_along(y)
fit <- glm(y ~ t, family = poisson, offset = log(pop))
p("coef", coef(fit))
p("se", sqrt(diag(vcov(fit))))
p("deviance", deviance(fit))
p("pearson_dispersion", sum(residuals(fit, type = "pearson")^2) / df.residual(fit))
p("forecast", predict(fit, newdata = data.frame(t = 13:17, pop = popf), type = "response"))
# Damped trend on the log rate (phi per step): log rate_{n+h} = fitted log rate at n + b (phi + ... + phi^h).
phi <- 0.8
last <- coef(fit)[1] + coef(fit)[2] * length(y)
p("forecast_damped", exp(last + coef(fit)[2] * cumsum(phi^(1:5))) * popf)

# Case 2: quarterly counts with a season, overdispersed (quasi-Poisson dispersion above 1).
yq <- c(35, 12, 25, 45, 41, 14, 40, 23, 60, 30, 17, 41, 47, 38, 25, 58, 52, 19, 46, 37)
popq <- 9000 + 35 * (1:20)
tq <- 1:20
sq <- factor(((tq - 1) %% 4) + 1)
fq <- glm(yq ~ tq + sq, family = poisson, offset = log(popq))
p("q_coef", coef(fq))
p("q_se", sqrt(diag(vcov(fq))))
p("q_pearson_dispersion", sum(residuals(fq, type = "pearson")^2) / df.residual(fq))
p("q_forecast", predict(fq, newdata = data.frame(tq = 21:24, sq = factor(1:4, levels = 1:4), popq = 9000 + 35 * (21:24)), type = "response"))
