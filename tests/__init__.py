"""countersim's test suite (a package, so that `tests.helpers` is this folder's even where
another installed distribution ships a top-level `tests` package, as Ciw does)."""
