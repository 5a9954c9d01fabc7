"""User-facing errors: one line that names the key, the value and what is allowed."""

from __future__ import annotations


class UserInputError(Exception):
    """A problem with what the user gave us (config file, override, option).

    The CLI prints ``str(error)`` as a single line and exits with code 2.
    """

    exit_code = 2


class ConfigError(UserInputError):
    """A config value is missing, unknown, of the wrong type or out of range."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"{key} = {_show(value)}: {allowed}")


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."
