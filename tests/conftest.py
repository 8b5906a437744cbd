"""Shared fixtures; each area keeps its own in a module imported here."""

from tests.support.app import *  # noqa: F403
