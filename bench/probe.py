"""The ``/api/health`` prober, in a process of its own (``python -m bench.probe URL``).

Until its standard input closes, it sends ``GET /api/health`` every 25 ms, each on a new connection (so the kernel
spreads the probes over every web process, as a load balancer's checks would be), and then prints the latencies in
ms as one JSON list. Run inside the load generator, the probe's own timing included the generator's event loop,
which is busy with a hundred responses at once at the end of a burst: that is the client's lag, not the server's.
"""

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit

INTERVAL = 0.025


def main(url: str) -> None:
    parts = urlsplit(url)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    latencies: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
        try:
            conn.request("GET", "/api/health")
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"/api/health answered {response.status}")
        finally:
            conn.close()
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(INTERVAL)
    print(json.dumps(latencies))


if __name__ == "__main__":
    main(sys.argv[1])
