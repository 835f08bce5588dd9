"""What a broken or hostile server may send, and a loopback server that sends it."""
