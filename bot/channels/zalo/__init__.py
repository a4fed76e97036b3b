"""Zalo Bot API channel: a thin async client and the update translator."""
