#!/usr/bin/env Rscript
# Reference values for src/measure/stats.c from R's stats package.
#
# Writes r.tsv next to this script in the same layout as statsmodels.tsv:
#   id <TAB> function <TAB> inputs <TAB> expected <TAB> call
# with space-separated name=value pairs (17 significant digits). Also
# cross-checks the Wilson and Clopper-Pearson values that generate.py takes
# from statsmodels. Not run by `make check`.
#
#   apt-get install -y r-base-core
#   Rscript tests/reference/generate.R
#
# Byar's interval and the funnel limits are not functions of base R: they
# are computed here from their published formulas with R's qnorm (the funnel
# proportion limits with PHEindicatormethods' `sigma_adjustment` formula,
# transcribed), so they check parity's code against an independent
# implementation rather than against a package function.

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(script)) dirname(normalizePath(script)) else "."

rows <- character(0)
# Inputs are short decimals (15 digits show them exactly); results get the
# 17 digits that identify a double.
num <- function(v, digits) {
  if (is.na(v)) "nan" else if (is.infinite(v)) ifelse(v > 0, "inf", "-inf")
  else trimws(formatC(v, digits = digits, format = "g"))
}
pairs <- function(l, digits) {
  paste(names(l), vapply(l, num, "", digits), sep = "=", collapse = " ")
}
add <- function(id, fun, inputs, expected, call) {
  rows <<- c(rows, paste(id, fun, pairs(inputs, 15), pairs(expected, 17), call,
                         sep = "\t"))
}

# Wilson (prop.test without continuity correction) and Clopper-Pearson
# (binom.test): cross-checks of statsmodels.
props <- list(c(10, 75, 0.95), c(0, 20, 0.95), c(1, 2, 0.95), c(2, 2, 0.95),
              c(0, 1, 0.95), c(40123, 150000, 0.95), c(7, 40, 0.998))
for (p in props) {
  x <- p[1]; n <- p[2]; conf <- p[3]
  w <- suppressWarnings(prop.test(x, n, conf.level = conf, correct = FALSE))$conf.int
  add(sprintf("r-wilson-%gof%g-%g", x, n, conf), "wilson",
      list(x = x, n = n, conf = conf), list(low = w[1], high = w[2]),
      sprintf("prop.test(%g, %g, conf.level = %g, correct = FALSE)$conf.int", x, n, conf))
  b <- binom.test(x, n, conf.level = conf)$conf.int
  add(sprintf("r-cp-%gof%g-%g", x, n, conf), "clopper_pearson",
      list(x = x, n = n, conf = conf), list(low = b[1], high = b[2]),
      sprintf("binom.test(%g, %g, conf.level = %g)$conf.int", x, n, conf))
}

# Exact Poisson limits for a count (what stats_byar uses below 10).
for (p in list(c(0, 0.95), c(1, 0.95), c(5, 0.95), c(9, 0.95), c(9, 0.998),
               c(20, 0.95), c(100, 0.95))) {
  o <- p[1]; conf <- p[2]
  ci <- poisson.test(o, conf.level = conf)$conf.int
  add(sprintf("poisson-exact-%g-%g", o, conf), "poisson_exact",
      list(o = o, conf = conf), list(low = ci[1], high = ci[2]),
      sprintf("poisson.test(%g, conf.level = %g)$conf.int", o, conf))
}

# Byar's approximation, from its formula (Breslow and Day 1987).
byar <- function(o, conf) {
  z <- qnorm(1 - (1 - conf) / 2)
  c(o * (1 - 1 / (9 * o) - z / (3 * sqrt(o)))^3,
    (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * sqrt(o + 1)))^3)
}
for (p in list(c(10, 0.95), c(20, 0.95), c(100, 0.95), c(12.5, 0.95),
               c(1000, 0.998), c(150000, 0.95))) {
  ci <- byar(p[1], p[2])
  add(sprintf("byar-%g-%g", p[1], p[2]), "byar", list(o = p[1], conf = p[2]),
      list(low = ci[1], high = ci[2]),
      "o(1 - 1/(9o) - z/(3 sqrt(o)))^3, (o+1)(1 - 1/(9(o+1)) + z/(3 sqrt(o+1)))^3, z = qnorm(1 - alpha/2)")
}

# Exact conditional test and interval for a ratio of two Poisson rates.
for (p in list(c(0, 100, 5, 200), c(5, 100, 0, 200), c(3, 50, 10, 60),
               c(1, 1, 1, 2), c(2, 2, 2, 2), c(20, 1000, 12, 3000),
               c(400, 10000, 350, 12000), c(0, 10, 1, 10), c(7, 75, 7, 75))) {
  a <- p[1]; t1 <- p[2]; c <- p[3]; t2 <- p[4]
  r <- poisson.test(c(a, c), c(t1, t2))
  add(sprintf("rate-exact-%g-%g-%g-%g", a, t1, c, t2),
      if (c == 0) "rate_exact_edge" else "rate_exact",
      list(a = a, t1 = t1, c = c, t2 = t2, conf = 0.95),
      list(ratio = unname(r$estimate), low = r$conf.int[1],
           high = r$conf.int[2], p = r$p.value),
      sprintf("poisson.test(c(%g, %g), c(%g, %g))", a, c, t1, t2))
}

# Adjusted p-values with a missing value: p.adjust leaves NA out of n.
ps <- c(0.01, NA, 0.04, 0.03)
for (m in c("bonferroni", "holm")) {
  adj <- p.adjust(ps, method = m)
  add(sprintf("%s-with-missing", m), m,
      setNames(as.list(ps), paste0("p", seq_along(ps) - 1)),
      setNames(as.list(adj), paste0("adj", seq_along(adj) - 1)),
      sprintf("p.adjust(c(0.01, NA, 0.04, 0.03), method = \"%s\")", m))
}

# Funnel limits for a proportion, as PHEindicatormethods (R/Funnels.R)
# computes them: `sigma_adjustment` with p = 0.975 (95%) or 0.999 (99.8%),
# limited to [0, 1].
sigma_adjustment <- function(p, population, average_proportion, side) {
  first_part <- average_proportion * (population / qnorm(p)^2 + 1)
  adj <- sqrt((-8 * average_proportion * (population / qnorm(p)^2 + 1))^2 -
              64 * (1 / qnorm(p)^2 + 1 / population) * average_proportion *
              (population * (average_proportion * (population / qnorm(p)^2 + 2) - 1) +
               qnorm(p)^2 * (average_proportion - 1)))
  last_part <- (1 / qnorm(p)^2 + 1 / population)
  r <- if (side == "low") (first_part - adj / 8) / last_part
       else (first_part + adj / 8) / last_part
  r / population
}
for (p in list(c(0.2, 10, 0.95), c(0.2, 100, 0.95), c(0.2, 1000, 0.95),
               c(0.467, 5000, 0.998), c(0.01, 50, 0.95), c(0.01, 50, 0.998),
               c(0.116, 150000, 0.998), c(0.95, 30, 0.95))) {
  p0 <- p[1]; n <- p[2]; conf <- p[3]
  q <- 1 - (1 - conf) / 2
  add(sprintf("funnel-prop-%g-%g-%g", p0, n, conf), "funnel_proportion",
      list(p0 = p0, n = n, conf = conf),
      list(low = max(0, sigma_adjustment(q, n, p0, "low")),
           high = min(1, sigma_adjustment(q, n, p0, "high"))),
      sprintf("PHEindicatormethods sigma_adjustment(%g, %g, %g, side), limited to [0, 1]", q, n, p0))
}

# Funnel limits for a ratio on the log scale.
for (p in list(c(1, 0.25, 0.95), c(1, 0.25, 0.998), c(1.3, 0.05, 0.95),
               c(0.7, 1.2, 0.998))) {
  z <- qnorm(1 - (1 - p[3]) / 2)
  add(sprintf("funnel-ratio-%g-%g-%g", p[1], p[2], p[3]), "funnel_ratio",
      list(target = p[1], se = p[2], conf = p[3]),
      list(low = p[1] * exp(-z * p[2]), high = p[1] * exp(z * p[2])),
      "target * exp(-/+ qnorm(1 - alpha/2) * se)")
}

out <- file.path(here, "r.tsv")
writeLines(c(sprintf("# Generated by tests/reference/generate.R with %s (stats package).",
                     R.version.string),
             "# id\tfunction\tinputs\texpected\tcall", rows), out)
message(length(rows), " cases")
