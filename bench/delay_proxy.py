#!/usr/bin/env python3
"""A TCP proxy that adds a fixed one-way delay, to measure over a slow link on loopback.

  delay_proxy.py LISTEN_PORT UPSTREAM_PORT [--delay-ms 10] [--count-file FILE]

Listens on 127.0.0.1:LISTEN_PORT and relays every connection to 127.0.0.1:UPSTREAM_PORT.
Every chunk is delivered DELAY ms after it was read, in both directions, so a request and its
response take one extra round trip of 2 x DELAY; bandwidth is not limited. A new connection
waits one round trip (2 x DELAY) before any byte passes, as a TCP handshake would. TLS passes
through untouched. With --count-file the number of connections accepted so far is written
there after each accept (the benchmark reads how many connections a client opened).
Prints "listening" once the socket is bound.
"""
import argparse
import asyncio


class Relay:
    def __init__(self, upstream_port, delay, count_file):
        self.upstream_port = upstream_port
        self.delay = delay
        self.count_file = count_file
        self.accepted = 0

    async def pump(self, reader, writer):
        """Reads chunks and hands them to a delayed writer, preserving order."""
        queue = asyncio.Queue()

        async def deliver():
            loop = asyncio.get_running_loop()
            while True:
                due, data = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if data is None:
                    break
                writer.write(data)
                await writer.drain()
            try:
                if writer.can_write_eof():
                    writer.write_eof()
            except OSError:
                pass

        task = asyncio.create_task(deliver())
        loop = asyncio.get_running_loop()
        try:
            while True:
                data = await reader.read(65536)
                queue.put_nowait((loop.time() + self.delay, data or None))
                if not data:
                    break
        except (ConnectionError, OSError):
            queue.put_nowait((loop.time(), None))
        try:
            await task
        except (ConnectionError, OSError):
            pass

    async def handle(self, client_reader, client_writer):
        self.accepted += 1
        if self.count_file:
            with open(self.count_file, "w") as f:
                f.write(f"{self.accepted}\n")
        await asyncio.sleep(2 * self.delay)  # the handshake's round trip
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(self.pump(client_reader, up_writer),
                             self.pump(up_reader, client_writer),
                             return_exceptions=True)
        for w in (client_writer, up_writer):
            w.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("listen_port", type=int)
    ap.add_argument("upstream_port", type=int)
    ap.add_argument("--delay-ms", type=float, default=10)
    ap.add_argument("--count-file")
    a = ap.parse_args()
    relay = Relay(a.upstream_port, a.delay_ms / 1000, a.count_file)
    server = await asyncio.start_server(relay.handle, "127.0.0.1", a.listen_port, backlog=1024)
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
