"""The whole table, in the lecture's order."""

from __future__ import annotations

from trainlab.config.catalogue._row import Row
from trainlab.config.catalogue.rows_data import DATA_ROWS
from trainlab.config.catalogue.rows_training import TRAINING_ROWS

#: every strategy, in the lecture's order
ROWS: tuple[Row, ...] = DATA_ROWS + TRAINING_ROWS
