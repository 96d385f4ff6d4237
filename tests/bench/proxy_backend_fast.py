"""A fast HTTP/1.1 backend for the proxy benchmark (asyncio, keep-alive,
pipelining): every request head gets a 2-byte 200 answer, so the backends
are not what limits the proxy under test.

  proxy_backend_fast.py ADDR PORT
"""
import asyncio
import sys

REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.t = transport
        self.buf = b""

    def data_received(self, data):
        self.buf += data
        n = self.buf.count(b"\r\n\r\n")
        if n:
            self.buf = self.buf[self.buf.rfind(b"\r\n\r\n") + 4:]
            self.t.write(REPLY * n)
            if b"connection: close" in data.lower():
                self.t.close()


async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(Echo, sys.argv[1], int(sys.argv[2]), backlog=1024,
                                   reuse_address=True)
    await srv.serve_forever()


asyncio.run(main())
