"""Round-trip time of a trivial statement in a Jupyter kernel driven by jupyter_client (ipykernel).

Usage: python jupyter_roundtrip.py REPETITIONS
Prints the median seconds of `x = 1` from execute request to execute reply, after warm-up.
"""
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel


def main(repetitions):
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        for _ in range(5):
            client.execute_interactive("x = 1", timeout=30)
        samples = []
        for _ in range(repetitions):
            start = time.perf_counter()
            client.execute_interactive("x = 1", timeout=30)
            samples.append(time.perf_counter() - start)
        print("%.9f" % statistics.median(samples))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
