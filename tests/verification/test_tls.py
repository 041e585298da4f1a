"""TLS (issue 13, item 5): the server behind TLS with the district's own CA, certificates made here.

The client, configured with the CA bundle in ``budgetwatch.toml``, syncs; a server whose certificate was
issued by another CA, or for another host name, is refused with a clear Chinese message; and no code
path of the client turns certificate verification off.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sync.client.config import load_config
from sync.client.errors import TlsError
from sync.client.progress import CancelToken, Traffic
from sync.client.transport import Transport
from sync.server import db
from tests.server.ops_world import assert_converged, fill_district, user_on
from tests.verification.figures import count
from tests.verification.processes import ROOT, ServerProcess

NOW = dt.datetime.now(dt.UTC)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(key, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def make_ca(folder: Path, common: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(_name(common))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                                content_commitment=False, key_encipherment=False,
                                                data_encipherment=False, key_agreement=False, encipher_only=False,
                                                decipher_only=False), critical=True)
                   .sign(key, hashes.SHA256()))
    path = folder / f"{common}.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key, path


def make_server_cert(folder: Path, ca: x509.Certificate, ca_key, names: list[str], label: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    alternatives = [x509.IPAddress(ipaddress.ip_address(n)) if n[0].isdigit() else x509.DNSName(n) for n in names]
    certificate = (x509.CertificateBuilder().subject_name(_name(names[0])).issuer_name(ca.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=30))
                   .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = folder / f"{label}.pem", folder / f"{label}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    _write_key(key, key_path)
    return cert_path, key_path


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, Path]:
    """The district's CA and a server certificate for ``localhost`` signed by it; a stranger's CA."""
    folder = tmp_path_factory.mktemp("pki")
    district, district_key, district_path = make_ca(folder, "通川区人大 CA")
    _stranger, _stranger_key, stranger_path = make_ca(folder, "Stranger CA")
    certificate, key = make_server_cert(folder, district, district_key, ["localhost"], "server")
    return {"ca": district_path, "stranger": stranger_path, "cert": certificate, "key": key}


@pytest.fixture(scope="module")
def tls_server(pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls-server")
    url = f"sqlite:///{folder / 'server.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    fill_district(engine)
    server = ServerProcess(url, folder / "server.log", tls=(pki["cert"], pki["key"], pki["ca"]), host="localhost")
    server.start()
    yield server, engine
    server.stop()
    engine.dispose()


def _configured(home: Path, server: str, bundle: Path):
    """``budgetwatch.toml`` in the user's data dir, as the district's installer leaves it."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "budgetwatch.toml").write_text(f'server = "{server}"\nca_bundle = "{bundle}"\n', encoding="utf-8")
    return load_config(home)


def test_the_client_syncs_over_tls_with_the_districts_ca(tls_server, pki, tmp_path):
    server, engine = tls_server
    config = _configured(tmp_path / "pc", server.url, pki["ca"])
    deputy = user_on(tmp_path / "pc", config.server, "deputy01")
    deputy.queue_suggestion("加密连接上的建议", "511702001")
    report = deputy.sync(config=config)
    assert report.rows_pulled > 0 and report.commands_pushed == 1
    assert_converged(deputy, engine)
    count("TLS: verified connections that synced")


@pytest.mark.parametrize(("bundle", "host", "message"), [
    ("stranger", "localhost", "不是由受信任的机构签发的"),
    ("ca", "127.0.0.1", "证书上的名称与地址 127.0.0.1 不符"),
], ids=["untrusted-ca", "wrong-host"])
def test_an_untrusted_or_wrong_host_certificate_is_refused_clearly(tls_server, pki, tmp_path, bundle, host, message):
    server, _engine = tls_server
    url = f"https://{host}:{server.port}"
    config = _configured(tmp_path / "pc", url, pki[bundle])
    deputy = user_on(tmp_path / "pc", url, "deputy01")
    with pytest.raises(TlsError) as refused:
        deputy.sync(config=config)
    text = str(refused.value)
    assert message in text and url in text and "\n" not in text, text
    with deputy.replica() as replica:
        assert replica.cursor() is None  # nothing came through
    count("TLS: bad certificates refused")


def test_the_system_trust_store_is_used_when_no_bundle_is_configured(tls_server):
    server, _engine = tls_server
    transport = Transport(server.url, CancelToken(), Traffic(), retries=0)
    with pytest.raises(TlsError, match="系统的根证书"):
        transport.request("GET", "/health", where="检查")
    transport.close()
    count("TLS: bad certificates refused")


def test_a_download_from_an_untrusted_server_is_refused_as_such_not_as_offline(tls_server, tmp_path):
    server, _engine = tls_server
    transport = Transport(server.url, CancelToken(), Traffic(), retries=0)
    with (tmp_path / "file").open("wb") as target, pytest.raises(TlsError, match="不是由受信任的机构签发的"):
        transport.download("/attachments/x/content", target, where="下载附件")
    transport.close()
    count("TLS: bad certificates refused")


#: every way Python code could switch certificate or host name checking off
TURNING_VERIFICATION_OFF = re.compile(
    r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|assert_hostname\s*=\s*False|"
    r"_create_unverified_context|disable_warnings|InsecureRequestWarning|PYTHONHTTPSVERIFY|cert_reqs")


def test_no_code_path_turns_verification_off():
    sources = [path for folder in ("sync", "desktop") for path in (ROOT / folder).rglob("*.py")]
    assert len(sources) > 50
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}" for path in sources
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if TURNING_VERIFICATION_OFF.search(line)]
    assert found == []
    # The one place the client sets ``verify``: the configured bundle, else True (the system's roots).
    assert Transport("https://x", CancelToken(), Traffic(), ca_bundle=None)._verify is True
    count("TLS: source files checked for verification switched off", len(sources))
