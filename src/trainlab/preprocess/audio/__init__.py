"""Audio preprocessing: band filters, pre-emphasis, spectrograms, and the fitted front end."""
