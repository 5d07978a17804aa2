"""What the Paho helper scripts share: one JSON line per event on stdout, and failing with one."""
import json
import sys


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def fail(message):
    emit({"event": "error", "message": message})
    sys.exit(1)
