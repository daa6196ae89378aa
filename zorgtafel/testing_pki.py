"""A throw-away PKI for tests: a CA, a server certificate for 127.0.0.1/localhost and client
certificates in the PKIoverheid shape (the party's OIN as the subject serialNumber), and the
suite's own service certificates (a URI SAN ``urn:zorgtafel:service:<name>``, for relays)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, TypedDict, Unpack

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


class _IssueOptions(TypedDict, total=False):
    eku: Iterable[x509.ObjectIdentifier]
    san: list[x509.GeneralName] | None
    expired: bool


@dataclass
class Issued:
    cert_pem: bytes
    key_pem: bytes


class TestCA:
    __test__ = False  # not a pytest class

    def __init__(self, name: str = "Zorgtafel Test CA") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = dt.datetime.now(dt.timezone.utc)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(self.key, hashes.SHA256())
        )
        self.cert_pem = self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(
        self,
        subject: list[tuple[x509.ObjectIdentifier, str]],
        *,
        eku: Iterable[x509.ObjectIdentifier] = (ExtendedKeyUsageOID.CLIENT_AUTH,),
        san: list[x509.GeneralName] | None = None,
        expired: bool = False,
    ) -> Issued:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.timezone.utc)
        start, end = (
            (now - dt.timedelta(days=10), now - dt.timedelta(days=1))
            if expired
            else (now - dt.timedelta(hours=1), now + dt.timedelta(days=5))
        )
        b = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(o, v) for o, v in subject]))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
        )
        if eku:
            b = b.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
        if san:
            b = b.add_extension(x509.SubjectAlternativeName(san), critical=False)
        cert = b.sign(self.key, hashes.SHA256())
        return Issued(cert.public_bytes(serialization.Encoding.PEM), _pem_key(key))

    def server(self) -> Issued:
        return self.issue(
            [(NameOID.COMMON_NAME, "localhost")],
            eku=(ExtendedKeyUsageOID.SERVER_AUTH,),
            san=[x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
        )

    def client(self, oin: str, **kw: Unpack[_IssueOptions]) -> Issued:
        return self.issue(
            [(NameOID.ORGANIZATION_NAME, "Test party"), (NameOID.SERIAL_NUMBER, oin)], **kw
        )

    def service(self, name: str, oin: str | None = None) -> Issued:
        """A service's certificate as components/cert-manager issues it: server and client
        usage, the names it is called by, its service name as a URI SAN (what makes its calls
        relays where this CA is the relay CA), and the host organisation's OIN when given."""
        subject = [(NameOID.COMMON_NAME, "localhost")]
        if oin is not None:
            subject += [
                (NameOID.ORGANIZATION_NAME, "Host organisation"),
                (NameOID.SERIAL_NUMBER, oin),
            ]
        return self.issue(
            subject,
            eku=(ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH),
            san=[
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.UniformResourceIdentifier(f"urn:zorgtafel:service:{name}"),
            ],
        )

    def write_server_files(self, directory: Path) -> dict[str, str]:
        directory.mkdir(parents=True, exist_ok=True)
        server = self.server()
        (directory / "server.crt").write_bytes(server.cert_pem)
        (directory / "server.key").write_bytes(server.key_pem)
        (directory / "ca.crt").write_bytes(self.cert_pem)
        return {
            "tls_cert_file": str(directory / "server.crt"),
            "tls_key_file": str(directory / "server.key"),
            "tls_client_ca_file": str(directory / "ca.crt"),
        }
