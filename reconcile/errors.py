"""The exception tree of the core and the exit statuses the CLI maps them to."""
from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # `check`: findings at or above the --fail-on threshold
    ERROR = 2  # usage or input error
    INTERRUPTED = 130


class ReconcileError(Exception):
    """Base of every error the core raises on purpose; the message is one line for the user."""


class InputError(ReconcileError):
    """A source cannot be read or used (missing, empty, binary, undecodable, ...)."""

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class ConfigError(ReconcileError):
    """A config file or lexicon extension is invalid."""
