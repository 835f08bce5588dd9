"""Pieces of the HTTP transport (``sync.transport``): errors, bodies, retries, URLs.

Kept apart so each stays small; callers import from ``sync.transport``.
"""
