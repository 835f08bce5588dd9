"""The sync cycle: push the outbox, pull the feed, ask again for the unreadable, fetch files.

``run.SyncCycle`` is the cycle and its ``SyncReport``; the other modules are
its phases. Nothing is imported here, so that ``import sync`` stays light.
"""
