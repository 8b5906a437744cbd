"""A real IMAP server on 127.0.0.1 for the mail tests (pymap, in memory), a test-time
certificate, and a small TCP proxy that terminates TLS or cuts a connection mid-fetch."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER = "alex"
PASSWORD = "correct horse"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert, key) files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "followup-tui test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pymap exited: {process.stdout.read() if process.stdout else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError("pymap did not start listening")


@contextlib.contextmanager
def pymap_server(cert: Path, key: Path) -> Iterator[int]:
    """pymap's in-memory backend on 127.0.0.1, STARTTLS with `cert`: yields its port."""
    port = free_port()
    pymap = shutil.which("pymap") or str(Path(sys.executable).parent / "pymap")
    process = subprocess.Popen(
        [pymap, "--host", "127.0.0.1", "--port", str(port), "--cert", str(cert),
         "--key", str(key), "dict", "--demo-user", USER, "--demo-password", PASSWORD],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


class Proxy:
    """127.0.0.1 TCP proxy to `upstream`: optionally the TLS end (implicit TLS, as port
    993), optionally cutting the connection once the client asks for a message body."""

    def __init__(self, upstream: int, *, tls: ssl.SSLContext | None = None,
                 cut_on: bytes | None = None, cut_after: int = 200):
        self.upstream = upstream
        self.tls = tls
        self.cut_on = cut_on
        self.cut_after = cut_after
        self.cuts = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closing = True
        self.listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            if self.tls is not None:
                client = self.tls.wrap_socket(client, server_side=True)
            server = socket.create_connection(("127.0.0.1", self.upstream))
        except OSError:
            client.close()
            return
        triggered = threading.Event()

        def upward() -> None:
            with contextlib.suppress(OSError):
                while data := client.recv(65536):
                    if self.cut_on is not None and self.cut_on in data:
                        triggered.set()
                    server.sendall(data)
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_WR)

        def downward() -> None:
            sent_after = 0
            with contextlib.suppress(OSError):
                while data := server.recv(65536):
                    if triggered.is_set():
                        data = data[: self.cut_after - sent_after]
                        client.sendall(data)
                        sent_after += len(data)
                        if sent_after >= self.cut_after:
                            self.cuts += 1
                            break
                        continue
                    client.sendall(data)
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

        threading.Thread(target=upward, daemon=True).start()
        threading.Thread(target=downward, daemon=True).start()
