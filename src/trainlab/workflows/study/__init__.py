"""Studies: strategies side by side over seeds, with a store, statistics and a report."""
