"""Tabular data sets: CSV files and scikit-learn's bundled tables (classification, regression)."""
