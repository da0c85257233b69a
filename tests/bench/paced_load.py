"""Open-loop load at a fixed rate: request i is due at t0 + i/rate, and its latency counts from
that due time, so that a slow server cannot hide its queue (no coordinated omission).

usage: paced_load.py URL COOKIE RATE SECONDS [CONNECTIONS]
"""
import asyncio
import sys
import time
from urllib.parse import urlsplit


async def worker(queue, host, port, path, cookie, latencies, errors):
    reader, writer = await asyncio.open_connection(host, port)
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/html\r\n"
               f"Cookie: {cookie}\r\nConnection: keep-alive\r\n\r\n").encode()
    while True:
        due = await queue.get()
        if due is None:
            writer.close()
            return
        writer.write(request)
        await writer.drain()
        status = (await reader.readline()).split()[1]
        length, chunked = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            if name.lower() == "transfer-encoding" and "chunked" in value:
                chunked = True
        if chunked:
            while (size := int((await reader.readline()).strip(), 16)) > 0:
                await reader.readexactly(size + 2)
            await reader.readline()
        else:
            await reader.readexactly(length)
        latencies.append(time.perf_counter() - due)
        if status != b"200":
            errors.append(status)


async def main():
    url, cookie, rate, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    connections = int(sys.argv[5]) if len(sys.argv) > 5 else 32
    parts = urlsplit(url)
    queue, latencies, errors = asyncio.Queue(), [], []
    workers = [asyncio.create_task(worker(queue, parts.hostname, parts.port, parts.path, cookie, latencies, errors))
               for _ in range(connections)]
    total = int(rate * seconds)
    start = time.perf_counter()
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait(due)
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000
    print(f"  paced {rate:.0f} req/s for {seconds:.0f} s: {len(latencies)} requests in {elapsed:.1f} s "
          f"({len(latencies) / elapsed:.0f} req/s), non-200: {len(errors)}")
    print(f"  latency p50 {pct(50):.1f} ms, p95 {pct(95):.1f} ms, p99 {pct(99):.1f} ms, max {latencies[-1] * 1000:.1f} ms")


asyncio.run(main())
