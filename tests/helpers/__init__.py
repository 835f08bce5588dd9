"""Real peers for the tests: small servers on loopback."""
