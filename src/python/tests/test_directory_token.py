"""Signing in with a token of the council's directory: a server trusting a local issuer (an HTTP server in this
process publishing its discovery document and signing key, as an OpenID Connect provider does), and clients
sending its tokens."""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import forecasting_client as fc
from conftest import COUNCIL, _free_port, start_server, stop_server

AUDIENCE = "api://forecasting-python-test"
KEY_ID = "python-test-key"


class LocalIssuer:
    """Signs tokens and serves /.well-known/openid-configuration and its key set on a loopback port."""

    def __init__(self):
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        public.update(kid=KEY_ID, use="sig", alg="RS256")
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler({"keys": [public]}))
        self.issuer = f"http://127.0.0.1:{self._http.server_address[1]}/harbridge/v2.0"
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def _handler(self, keys):
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                documents = {
                    "/harbridge/v2.0/.well-known/openid-configuration": {
                        "issuer": issuer.issuer,
                        "jwks_uri": issuer.issuer + "/keys",
                        "authorization_endpoint": issuer.issuer + "/authorize",
                        "token_endpoint": issuer.issuer + "/token",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    },
                    "/harbridge/v2.0/keys": keys,
                }
                body = json.dumps(documents.get(self.path)).encode()
                self.send_response(200 if self.path in documents else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def token(self, role: str, group: str = "harbridge-staff", name: str = "jane.doe@harbridge.test",
              audience: str = AUDIENCE, expires_in: float = 3600, key=None) -> str:
        expires = int(time.time() + expires_in)
        claims = {"iss": self.issuer, "aud": audience, "sub": "sub-" + name, "preferred_username": name,
                  "roles": [role], "groups": [group], "iat": expires - 7200, "nbf": expires - 7200, "exp": expires}
        return jwt.encode(claims, key or self.private_key, algorithm="RS256", headers={"kid": KEY_ID})

    def close(self):
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture(scope="module")
def directory_server():
    """A server on an empty store that takes the local issuer's tokens: app roles give roles, the group councils."""
    if shutil.which("dotnet") is None:
        pytest.fail("dotnet is not on PATH: the tests need the .NET SDK to run the server")
    issuer = LocalIssuer()
    workdir = Path(tempfile.mkdtemp(prefix="forecasting-pytest-directory-"))
    address = f"http://127.0.0.1:{_free_port()}"
    grants = [("roles", "Forecasting.Commissioner", "commissioner", None),
              ("roles", "Forecasting.Analyst", "analyst", None),
              ("groups", "harbridge-staff", None, COUNCIL)]
    settings = [f"--Auth:Directory:Authority={issuer.issuer}", f"--Auth:Directory:Audiences:0={AUDIENCE}"]
    for i, (claim, value, role, council) in enumerate(grants):
        settings += [f"--Auth:Directory:Grants:{i}:Claim={claim}", f"--Auth:Directory:Grants:{i}:Value={value}"]
        settings += [f"--Auth:Directory:Grants:{i}:Role={role}"] if role else []
        settings += [f"--Auth:Directory:Grants:{i}:Councils:0={council}"] if council else []
    process, log, log_path = start_server(address, workdir, f"--Store:Path={workdir / 'directory.duckdb'}",
                                          "--Store:SeedDirectory=", *settings)
    try:
        probe = fc.Client(address, token=issuer.token("Forecasting.Commissioner"), timeout=5, retries=1)
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with code {process.returncode}:\n{log_path.read_text()[-4000:]}")
            try:
                probe.status()
                break
            except fc.ForecastingError as e:
                if e.code != grpc.StatusCode.UNAVAILABLE or time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer a valid token ({e}):\n{log_path.read_text()[-4000:]}")
            time.sleep(0.3)
        probe.close()
        yield address, issuer
    finally:
        stop_server(process, log, workdir)
        issuer.close()


def test_a_valid_token_acts_with_its_granted_role(directory_server):
    address, issuer = directory_server
    # The audit trail is for analysts only: the analyst app role reaches it.
    with fc.Client(address, token=issuer.token("Forecasting.Analyst")) as analyst:
        assert analyst.audit(limit=5) is not None
    asked = []
    with fc.Client(address, token=lambda: asked.append(1) or issuer.token("Forecasting.Commissioner")) as reader:
        reader.status()
        reader.status()
    assert len(asked) == 2


def test_expired_and_other_audience_tokens_are_unauthenticated(directory_server):
    address, issuer = directory_server
    for token, reason in ((issuer.token("Forecasting.Analyst", expires_in=-600), "expired"),
                          (issuer.token("Forecasting.Analyst", audience="api://another-app"), "audience")):
        with fc.Client(address, token=token, retries=1) as client:
            with pytest.raises(fc.ForecastingError) as refused:
                client.status()
        assert refused.value.code == grpc.StatusCode.UNAUTHENTICATED
        assert reason in refused.value.details


def test_a_token_granted_only_reading_may_not_write(directory_server):
    address, issuer = directory_server
    with fc.Client(address, token=issuer.token("Forecasting.Commissioner")) as commissioner:
        commissioner.status()
        with pytest.raises(fc.ForecastingError) as refused:
            commissioner.create_scenario("Not allowed", council=COUNCIL)
    assert refused.value.code == grpc.StatusCode.PERMISSION_DENIED
    assert "strategy_lead" in refused.value.details


def test_a_key_and_a_token_together_are_refused_without_quoting_the_token(monkeypatch):
    secret = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"
    with pytest.raises(ValueError, match="api_key or token, not both"):
        fc.Client("http://127.0.0.1:1", "dev-analyst-key", token=secret)
    with pytest.raises(ValueError, match="the token alone") as prefixed:
        fc.Client("http://127.0.0.1:1", token="Bearer " + secret)
    assert secret not in str(prefixed.value)
    monkeypatch.setenv("FORECASTING_API_KEY", "dev-analyst-key")
    monkeypatch.setenv("FORECASTING_TOKEN", secret)
    with pytest.raises(ValueError, match="both set"):
        fc.Client("http://127.0.0.1:1")
    # An argument wins over the environment: the token argument is used, not the key of the environment.
    client = fc.Client("http://127.0.0.1:1", token="t0k3n")
    assert client._metadata() == (("authorization", "Bearer t0k3n"),)
    client.close()
