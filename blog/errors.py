"""Errors whose message is meant for the person running the crawl, as one line."""

from __future__ import annotations

#: the exit status of bad input (an unknown option, a bad URL or file, an unusable
#: archive): what the README's exit-status table says, the same for every command
EXIT_BAD_INPUT = 2


class UserFacingError(Exception):
    """An expected failure: the command prints its message, no traceback, and exits non-zero."""


class BadSpiderArgument(UserFacingError, ValueError):
    """A ``-a`` option the spider cannot work with."""
