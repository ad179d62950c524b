# Reference values for tests/stats/test_stats_collapsed_strata.py, from R survey 4.1.1 (R 4.2.2):
#   Rscript tests/stats/data/collapsed_strata.R
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust")
d <- read.csv(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "design_survey.csv"))
# one point per district: keep the first point of each district (all strata lonely), pool them
first <- tapply(d$point, d$district, min)
one <- d[d$point %in% first, ]
pooled <- svydesign(ids = ~point, strata = ~I(rep("pooled", nrow(one))), weights = ~w, nest = TRUE, data = one)
a <- subset(pooled, !is.na(score))
m <- svymean(~score, a, na.rm = TRUE, deff = "replace")
ci <- confint(m, df = degf(a))
cat(sprintf("%.17g", c(coef(m), SE(m), ci[1], ci[2], degf(a))), sep = ", "); cat("\n")
# district 3 against the rest of the city
weighted <- svydesign(ids = ~point, strata = ~district, weights = ~w, nest = TRUE, data = d)
fit <- svyglm(score ~ I(district == 3), weighted)
co <- summary(fit)$coefficients[2, ]
cat(sprintf("%.17g", c(co[1], co[2], co[4], fit$df.residual)), sep = ", "); cat("\n")
