"""The scenario schema, its loading from TOML and ``--set`` overrides, and its checks."""
