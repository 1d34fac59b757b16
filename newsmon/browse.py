"""``newsmon browse``: Datasette on 127.0.0.1 over the database, read-only."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from storage import BrowseTarget


def serve(target: BrowseTarget, port: int) -> int:
    """Run Datasette until it stops (Ctrl-C or SIGTERM); returns the exit code to use."""
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(target.metadata))
        cmd = [sys.executable, "-m", "datasette", "serve", target.path]
        cmd += ["--host", "127.0.0.1", "--port", str(port), "--metadata", str(meta)]
        proc = subprocess.Popen(cmd)
        signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
        try:
            code = proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            code = proc.wait()
    return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code
