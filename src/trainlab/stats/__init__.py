"""Statistics for comparing strategies: intervals, paired tests, transferability."""
