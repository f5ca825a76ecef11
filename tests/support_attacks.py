"""The harness of the attack tests: canary secrets, `leak_checked` (an attack runs under `LeakCheck` with the canaries,
and what it returns or raises is checked too), and `hostile_server`, which serves raw bytes from a loopback socket
for answers no well-behaved server would send."""
import functools, gzip, socket, threading, time

from domo_routes.fake import LeakCheck

CANARY_PASSWORD, CANARY_TOKEN = 'CANARY-pass"word\\-7f3a9c1e', 'CANARY-token-0a1b2c3d4e5f6a7b8c9d'


def leak_checked(attack):
    """An async test from an async attack: it runs under `LeakCheck(CANARY_PASSWORD, CANARY_TOKEN)`, which collects all
    that it printed or logged (every logger at DEBUG), what it returned and the error it raised; a canary anywhere fails"""
    @functools.wraps(attack)
    async def test(*args, **kwargs):
        with LeakCheck(CANARY_PASSWORD, CANARY_TOKEN) as check:
            try: observed = await attack(*args, **kwargs)
            except Exception as e: check.add(e); raise
            check.add(observed)
        check.assert_clean()
    return test


class hostile_server:
    "A loopback server that answers each connection with `respond(socket, request_bytes)`; `received` keeps what came in"
    def __init__(self, respond):
        self.respond, self.received = respond, []
        self.sock = socket.socket(); self.sock.bind(('127.0.0.1', 0)); self.sock.listen(16)
        self.url = f'http://127.0.0.1:{self.sock.getsockname()[1]}'
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try: conn, _ = self.sock.accept()
            except OSError: return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        conn.settimeout(5)
        data = b''
        try:
            while b'\r\n\r\n' not in data: data += conn.recv(65536) or b'\r\n\r\n'
            head, _, rest = data.partition(b'\r\n\r\n')
            length = int(next((l.split(b':')[1] for l in head.split(b'\r\n') if l.lower().startswith(b'content-length:')), 0))
            while len(rest) < length: rest += conn.recv(65536) or b'x' * length
            self.received.append(head + b'\r\n\r\n' + rest)
            self.respond(conn, head)
        except OSError: pass
        finally: conn.close()

    def __enter__(self): return self

    def __exit__(self, *exc):
        try: self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread, which then ends
        except OSError: pass
        self.sock.close()


# hostile answers

def endless(conn, head):
    "A chunked answer that never ends"
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n')
    chunk = b'[' + b'0,' * 32767 + b'0'
    try:
        while True: conn.sendall(b'%x\r\n%s\r\n' % (len(chunk), chunk))
    except OSError: pass


def declared_huge(conn, head):
    "An answer that declares 400 MB"
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400000000\r\n\r\n[')
    time.sleep(1)


def gzip_bomb(conn, head):
    "64 MiB of spaces, gzipped"
    body = gzip.compress(b' ' * (64 * 2**20))
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n' % len(body) + body)


def drip(conn, head):
    "One byte every half second"
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n')
    try:
        for _ in range(100): conn.sendall(b' '); time.sleep(0.5)
    except OSError: pass


def bad_gzip(conn, head):
    "A body labelled gzip that is not"
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnot-gzip!!')


def cut_short(conn, head):
    "A body shorter than its Content-Length, then the connection closed"
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a": ')


def deep_json(conn, head):
    "JSON nested 3,000 deep"
    body = b'[' * 3000 + b']' * 3000
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(body) + body)
