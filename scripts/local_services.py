"""Start and stop the local stand-ins for AWS and MongoDB Atlas used by `make demo` and molecule.

    local_services.py start   # moto server on https://127.0.0.1:4566, Atlas emulator on 127.0.0.1:4580
    local_services.py stop    # stops only what `start` started (pid files under build/local-services)
    local_services.py env     # prints the environment variables the inventories read

moto serves HTTPS with a certificate signed by a throw-away CA made here on first start
(build/local-services/tls/ca.pem; AWS_CA_BUNDLE points at it). TLS matters: the state bucket's
policy denies every request without TLS, and moto evaluates bucket policies.

Ports come from PLATFORM_MOTO_PORT and PLATFORM_ATLAS_PORT. A port taken by a process this script
did not start is an error (its state would leak into the run); this script only stops processes
it started itself.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import ipaddress
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# moto needs about 3 s to start on an idle machine; a loaded CI runner (stages in parallel) may take far longer.
STARTUP_SECONDS = 180
STATE_DIR = ROOT / "build" / "local-services"
HOST = "127.0.0.1"
MOTO_PORT = int(os.environ.get("PLATFORM_MOTO_PORT", "4566"))
ATLAS_PORT = int(os.environ.get("PLATFORM_ATLAS_PORT", "4580"))
ATLAS_SERVER = ROOT / "tests" / "emulators" / "atlas" / "server.py"
MOTO_SERVER = ROOT / "tests" / "emulators" / "moto" / "server.py"
TLS_DIR = STATE_DIR / "tls"
CA_FILE = TLS_DIR / "ca.pem"
# Credentials the local inventory uses; they only mean something to the emulators.
LOCAL_ENV = {
    "PLATFORM_AWS_ENDPOINT_URL": f"https://{HOST}:{MOTO_PORT}",
    "AWS_ENDPOINT_URL": f"https://{HOST}:{MOTO_PORT}",
    "AWS_CA_BUNDLE": str(CA_FILE),
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "MONGODB_ATLAS_BASE_URL": f"http://{HOST}:{ATLAS_PORT}",
}


def _services() -> list[dict]:
    services = [
        {
            "name": "moto",
            "port": MOTO_PORT,
            "health": f"https://{HOST}:{MOTO_PORT}/moto-api/",
            # moto's command line with the IAM Identity Center calls Terraform needs (tests/emulators/moto/server.py)
            "cmd": [
                sys.executable,
                str(MOTO_SERVER),
                *("-H", HOST, "-p", str(MOTO_PORT)),
                *("--ssl-cert", str(TLS_DIR / "server.pem"), "--ssl-key", str(TLS_DIR / "server-key.pem")),
            ],
        }
    ]
    if ATLAS_SERVER.exists():
        services.append(
            {
                "name": "atlas",
                "port": ATLAS_PORT,
                "health": f"http://{HOST}:{ATLAS_PORT}/api/atlas/v2",
                "cmd": [sys.executable, str(ATLAS_SERVER), "--host", HOST, "--port", str(ATLAS_PORT)],
            }
        )
    return services


def ensure_tls() -> None:
    """Create a CA and a server certificate for 127.0.0.1/localhost unless they exist and are valid."""
    from cryptography import x509

    server_cert = TLS_DIR / "server.pem"
    now = datetime.datetime.now(datetime.timezone.utc)
    TLS_DIR.mkdir(parents=True, exist_ok=True)
    # Several starts may run at once (parallel molecule scenarios, make build): one creates the files, the
    # others wait for it and use them.
    with open(TLS_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if server_cert.exists() and CA_FILE.exists():
            cert = x509.load_pem_x509_certificate(server_cert.read_bytes())
            if cert.not_valid_after_utc > now + datetime.timedelta(days=1):
                return
        _create_tls(now, server_cert)


def _create_tls(now, server_cert: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def write_key(key, path: Path) -> None:
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        path.chmod(0o600)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "chatbot.platform local CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    write_key(key, TLS_DIR / "server-key.pem")
    server_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    CA_FILE.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))


def _answers(url: str) -> bool:
    context = ssl.create_default_context(cafile=str(CA_FILE)) if url.startswith("https") and CA_FILE.exists() else None
    try:
        with urllib.request.urlopen(url, timeout=1, context=context):  # noqa: S310 - loopback URL built above
            return True
    except urllib.error.HTTPError:
        return True  # an HTTP error status still means the server is up
    except (urllib.error.URLError, OSError):
        return False


def start() -> int:
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    ensure_tls()
    for svc in _services():
        pid_file = STATE_DIR / f"{svc['name']}-{svc['port']}.pid"
        if _answers(svc["health"]):
            if pid_file.exists():
                print(f"local-services: {svc['name']} (started earlier by this script) already answers on {HOST}:{svc['port']}")
                continue
            print(
                f"local-services: something this script did not start already listens on {HOST}:{svc['port']}; "
                f"stop it or choose another port (PLATFORM_{svc['name'].upper()}_PORT)",
                file=sys.stderr,
            )
            return 1
        log = open(STATE_DIR / f"{svc['name']}-{svc['port']}.log", "ab")  # noqa: SIM115 - handed to the child process
        proc = subprocess.Popen(svc["cmd"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
        pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(svc["health"]):
            if proc.poll() is not None or time.monotonic() > deadline:
                print(f"local-services: {svc['name']} did not start; see {STATE_DIR / (svc['name'] + '-' + str(svc['port']) + '.log')}", file=sys.stderr)
                stop()
                return 1
            time.sleep(0.2)
        print(f"local-services: started {svc['name']} on {HOST}:{svc['port']} (pid {proc.pid})")
    return 0


def stop() -> int:
    for svc in _services():
        pid_file = STATE_DIR / f"{svc['name']}-{svc['port']}.pid"
        if not pid_file.exists():
            continue
        pid = int(pid_file.read_text().strip() or 0)
        pid_file.unlink()
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        # Wait for the whole process group, not only its leader; a group that ends between the last look and
        # SIGKILL is what we wanted anyway, so that race is not an error.
        for _attempt in range(100):
            try:
                os.killpg(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        print(f"local-services: stopped {svc['name']} (pid {pid})")
    return 0


def env() -> int:
    for key, value in LOCAL_ENV.items():
        print(f"export {key}={value}")
    return 0


def main(argv: list[str]) -> int:
    commands = {"start": start, "stop": stop, "env": env}
    if len(argv) != 2 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[1]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
