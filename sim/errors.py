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
        super().__init__(f"{one_line(key)} = {_show(value)}: {one_line(allowed)}")


def one_line(text: str) -> str:
    """``text`` with control characters escaped, so a message stays on one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else one_line(str(value))
    return text if len(text) <= 80 else text[:77] + "..."
