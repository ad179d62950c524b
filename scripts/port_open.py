"""Exit 0 if something accepts TCP connections on HOST PORT (used by `make test` to find PostgreSQL)."""
import socket
import sys

try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
except OSError:
    sys.exit(1)
