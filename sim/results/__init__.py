"""Results folders: files, statistics, paired comparisons and the report."""
