"""Shared fixtures; each area keeps its own in a module imported here."""

from tests.app_fixtures import *  # noqa: F403
