#!/usr/bin/env python3
"""Clients that leave in the middle of downloads, as a load generator does when its time is up.

usage: leave_mid_download.py PORT TOKEN PATH
Eight connections each keep requests for PATH in flight (pipelined) for 1.5 s, reading
replies in large chunks, then close with replies still coming: the server is writing a file
to a socket whose peer is gone.
"""
import socket
import sys
import threading
import time


def client(port, request):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        end = time.time() + 1.5
        s.sendall(request * 4)
        while time.time() < end:
            if not s.recv(1 << 20):
                break
            s.sendall(request)
        s.close()
    except OSError:
        pass


def main():
    port, token, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    request = ("GET %s HTTP/1.1\r\nHost: a\r\nAuthorization: %s\r\n\r\n" % (path, token)).encode()
    threads = [threading.Thread(target=client, args=(port, request)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
