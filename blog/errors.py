"""Errors whose message is meant for the person running the crawl, as one line."""

from __future__ import annotations


class UserFacingError(Exception):
    """An expected failure: the command prints its message, no traceback, and exits non-zero."""


class BadSpiderArgument(UserFacingError, ValueError):
    """A ``-a`` option the spider cannot work with."""
