"""Declared and observed: when a self-diagnostic and the programme's open data disagree strongly.

A structure rating E6 (quality results published) at least HIGH_RATE % while it published no
indicator result, in a network whose results are in the open data; or rating E7 (user opinion
taken into account) at least HIGH_RATE % while fewer than LOW_ANSWERED % of its published
experiences have an answer. Questions to check with the structure, never verdicts: the open
data may lag, name the structure otherwise, or the structure may publish elsewhere. The rule
itself is sql/marts/declared_vs_observed.sql; these are its parameters."""

HIGH_RATE = 75.0
LOW_ANSWERED = 25.0
THRESHOLDS = {"high_rate": HIGH_RATE, "low_answered": LOW_ANSWERED}
