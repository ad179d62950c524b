# Reference values for tests/stats/test_stats_design.py, from R's survey package.
#
#   Rscript tests/stats/data/design_survey.R        (Debian: apt-get install r-cran-survey)
#
# Prints one Python assignment per reference, pasted into the test module next to the R call
# that made it. Run with R 4.2.2 and survey 4.1.1. R is not needed to run the tests.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust")  # the engine's default; see surveyor/stats/design.py

here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
d <- read.csv(file.path(here, "design_survey.csv"))
d$top <- as.numeric(d$score >= 4)
d$bottom <- as.numeric(d$score <= 2)
d$nps <- 100 * ((d$recommend >= 9) - (d$recommend <= 6))

show <- function(name, values) {
  cat(name, " = [", paste(sprintf("%.17g", values), collapse = ", "), "]\n", sep = "")
}
# mean, se, ci_low, ci_high, df, deff of svymean(~var) on the rows that answered var
mean_row <- function(design, var) {
  answered <- subset(design, !is.na(design$variables[[var]]))
  # na.rm: a calibrated design keeps the other rows, with zero weight
  m <- svymean(as.formula(paste0("~", var)), answered, na.rm = TRUE, deff = "replace")
  df <- degf(answered)
  ci <- confint(m, df = df)
  c(coef(m), SE(m), ci[1], ci[2], df, deff(m))
}

unweighted <- svydesign(ids = ~point, strata = ~district, nest = TRUE, data = d)
weighted <- svydesign(ids = ~point, strata = ~district, weights = ~w, nest = TRUE, data = d)
show("UNWEIGHTED_MEAN", mean_row(unweighted, "score"))
show("WEIGHTED_MEAN", mean_row(weighted, "score"))
show("CLUSTER_ONLY_MEAN", mean_row(svydesign(ids = ~point, weights = ~w, data = d), "score"))
show("STRATA_ONLY_MEAN", mean_row(svydesign(ids = ~1, strata = ~district, weights = ~w, data = d),
                                  "score"))

# one cluster in districts 4 and 9: each lonely option
lonely <- d[d$lonely == "True", ]
for (option in c("adjust", "average", "remove")) {
  options(survey.lonely.psu = option)
  des <- svydesign(ids = ~point, strata = ~district, weights = ~w, nest = TRUE, data = lonely)
  show(paste0("LONELY_", toupper(option)), mean_row(des, "score"))
}
options(survey.lonely.psu = "adjust")

# domain (district) means: each district's rows as a subset of the whole design (the same
# estimates and standard errors as svyby(~score, ~district, weighted, svymean, na.rm = TRUE)),
# each with its own df
districts <- sapply(1:13, function(k) mean_row(subset(weighted, district == k), "score"))
by <- svyby(~score, ~district, weighted, svymean, na.rm = TRUE)
stopifnot(all.equal(districts[1, ], unname(coef(by)), tolerance = 1e-14),
          all.equal(districts[2, ], unname(SE(by)), tolerance = 1e-14))
for (column in 1:6) show(paste0("DISTRICTS_", column), districts[column, ])

# shares: Korn & Graubard's interval and the mean's se and deff
share_row <- function(design, var) {
  answered <- subset(design, !is.na(score))
  p <- svyciprop(as.formula(paste0("~", var)), answered, method = "beta")
  m <- svymean(as.formula(paste0("~", var)), answered, deff = "replace")
  c(coef(m), SE(m), attr(p, "ci"), deff(m))
}
show("TOP_BOX", share_row(weighted, "top"))
show("BOTTOM_BOX", share_row(weighted, "bottom"))
show("NPS", mean_row(weighted, "nps"))

# test that the 13 district means are equal: the working Wald test with Satterthwaite's
# approximation; F = chisq / (q mean(lambda)) on q mean(lambda)^2 / mean(lambda^2) and ddf
model <- svyglm(score ~ factor(district), weighted)
test <- regTermTest(model, ~factor(district), method = "WorkingWald",
                    lrt.approximation = "satterthwaite")
lambda <- test$lambda
show("DISTRICT_TEST", c(test$chisq / (test$df * mean(lambda)),
                        test$df * mean(lambda)^2 / mean(lambda^2), test$ddf, test$p))
# pairwise differences: the coefficient of a model on the pair's answers (b - a)
for (pair in list(c(1, 2), c(3, 11), c(5, 13))) {
  pair_model <- svyglm(score ~ factor(district), subset(weighted, district %in% pair))
  row <- summary(pair_model)$coefficients[2, ]
  show(sprintf("PAIR_%d_%d", pair[1], pair[2]),
       c(row[1], row[2], row[3], pair_model$df.residual, row[4]))
}

# change between two months: the coefficient of month in a design-based regression
change <- svyglm(score ~ month, subset(weighted, month %in% c("1403-01", "1403-02")))
ci <- confint(change, df = change$df.residual)
show("MONTH_CHANGE", c(coef(change)[2], SE(change)[2], coef(change)[2] / SE(change)[2],
                       change$df.residual, summary(change)$coefficients[2, 4], ci[2, ]))
month_by <- svyby(~score, ~month, weighted, svymean, na.rm = TRUE)
show("MONTH_MEAN", coef(month_by))
show("MONTH_SE", SE(month_by))

# raking to two margins, and the same weights without the calibration
raked <- rake(unweighted, list(~visitor, ~gender),
              list(data.frame(visitor = c("pilgrim", "resident"), Freq = c(350000, 650000)),
                   data.frame(gender = c("f", "m"), Freq = c(500000, 500000))),
              control = list(maxit = 500, epsilon = 1e-12))
show("RAKED_WEIGHT_RANGE", range(weights(raked) / mean(weights(raked))))
show("RAKED_MEAN", mean_row(raked, "score"))
top <- svymean(~top, subset(raked, !is.na(score)), na.rm = TRUE, deff = "replace")
show("RAKED_TOP_BOX", c(coef(top), SE(top), deff(top)))
plain <- svydesign(ids = ~point, strata = ~district, nest = TRUE,
                   weights = ~raked_w, data = transform(d, raked_w = weights(raked)))
show("RAKED_MEAN_IGNORING_CALIBRATION", mean_row(plain, "score"))
