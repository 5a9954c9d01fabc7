"""The simulation itself: no files, statistics or plots."""
