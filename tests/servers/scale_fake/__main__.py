"""Demo: ``python -m tests.servers.scale_fake [port]`` serves the fake on 127.0.0.1."""

import sys

import uvicorn

from . import create_app

if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    print(f"Scale fake on http://127.0.0.1:{port}  (api key: live_test_key; v1 base /v1)")
    uvicorn.run(create_app(), host="127.0.0.1", port=port, log_level="warning")
