"""Keys, roles, origins and rate limits over real HTTP; the keys CLI; serve's loopback rule."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.ratelimit import RateLimiter
from assistant.access import AccessError, is_loopback, normalise_origin, route_allowed
from assistant.cli import app
from assistant.settings import Settings
from assistant.storage import Database
from tests.api.conftest import LiveServer, tenant_name

SITE = "https://clinic.example"


def test_local_mode_acts_as_the_local_admin_without_a_key(local_server: LiveServer) -> None:
    with local_server.client() as http:
        assert http.get("/v1/conversations").status_code == 200
        assert http.get("/v1/documents").status_code == 200


def test_once_a_key_exists_requests_without_one_are_refused(server: LiveServer) -> None:
    with server.client() as http:
        response = http.get("/v1/conversations")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_a_key_is_read_from_bearer_or_x_api_key(server: LiveServer, header: str) -> None:
    secret = server.key(tenant_name("hdr"))
    value = f"Bearer {secret}" if header == "Authorization" else secret
    with server.client(**{header: value}) as http:
        assert http.get("/v1/conversations").status_code == 200


def test_unknown_and_revoked_keys_are_refused(server: LiveServer) -> None:
    info, secret = server.db.create_key(tenant_name("rev"), "practitioner", [], 100)
    with server.client(secret) as http:
        assert http.get("/v1/conversations").status_code == 200
        server.db.revoke_key(info.id)
        assert http.get("/v1/conversations").status_code == 401
    with server.client("mes_not-a-real-key") as http:
        assert http.get("/v1/conversations").status_code == 401


# (role, method, path, allowed) over real routes; other roles' limits follow the contract.
ROUTES = [
    ("widget", "GET", "/v1/documents", False),
    ("widget", "GET", "/v1/conversations", False),
    ("widget", "POST", "/v1/guard", False),
    ("widget", "GET", "/v1/search?q=gait", True),
    ("practitioner", "GET", "/v1/documents", False),
    ("practitioner", "GET", "/v1/conversations", True),
    ("admin", "GET", "/v1/documents", True),
]


@pytest.mark.parametrize(("role", "method", "path", "allowed"), ROUTES)
def test_each_role_reaches_only_its_routes(
    server: LiveServer, role: str, method: str, path: str, allowed: bool
) -> None:
    secret = server.key(tenant_name(role), role, [SITE] if role == "widget" else [])
    with server.client(secret, Origin=SITE) as http:
        response = http.request(method, path, json={"text": "gait"} if method == "POST" else None)
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_widget_key_is_refused_from_a_foreign_or_missing_origin(server: LiveServer) -> None:
    secret = server.key(tenant_name("wid"), "widget", [SITE])
    for headers in ({"Origin": "https://evil.example"}, {}):
        with server.client(secret, **headers) as http:
            response = http.get("/v1/search", params={"q": "gait"})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "origin_not_allowed"
        assert "access-control-allow-origin" not in response.headers


# Headers of a widget request without Origin (a browser sends none on a same-origin GET);
# "OWN" stands for the server's own origin. (headers, allowed)
NO_ORIGIN = [
    ({"Sec-Fetch-Site": "same-origin"}, True),
    ({"Sec-Fetch-Site": "same-origin", "Referer": "OWN/?key=x"}, True),
    ({"Referer": SITE + "/practice/contact"}, True),
    ({"Referer": "OWN/"}, True),
    ({"Sec-Fetch-Site": "same-origin", "Referer": "https://evil.example/"}, False),
    ({"Sec-Fetch-Site": "cross-site", "Referer": SITE + "/"}, False),
    ({"Sec-Fetch-Site": "same-site"}, False),
    ({"Sec-Fetch-Site": "none"}, False),
    ({"Referer": "https://evil.example/page"}, False),
    ({"Referer": "not a url"}, False),
]


@pytest.mark.parametrize(("headers", "allowed"), NO_ORIGIN)
def test_widget_key_without_origin_is_judged_by_fetch_metadata_and_referer(
    server: LiveServer, headers: dict[str, str], allowed: bool
) -> None:
    secret = server.key(tenant_name("wsame"), "widget", [SITE])
    sent = {k: v.replace("OWN", server.url) for k, v in headers.items()}
    with server.client(secret, **sent) as http:
        response = http.get("/v1/search", params={"q": "gait"})
    assert response.status_code == (200 if allowed else 403), response.text
    assert "access-control-allow-origin" not in response.headers
    if not allowed:
        assert response.json()["error"]["code"] == "origin_not_allowed"


def test_widget_downloads_its_chat_draft_from_a_same_origin_page(server: LiveServer) -> None:
    secret = server.key(tenant_name("wdl"), "widget", [SITE])
    with server.client(secret, Origin=SITE) as http:  # a browser sends Origin on POST
        first = http.post("/v1/chat", json={"message": "session log for Maria Gomez today: "
                          "3x10 sit-to-stand, BP 128/82 before, 136/84 after, RPE 5"}).json()
        second = http.post("/v1/chat", json={
            "message": "She was referred by Dr. Alan Patel for a right total knee replacement",
            "conversation_id": first["conversation_id"],
        }).json()
    link = second["draft"]["downloads"]["pdf"]
    page = {"Sec-Fetch-Site": "same-origin", "Referer": f"{server.url}/?key=x"}
    with server.client(secret, **page) as http:  # the GET download: no Origin header
        download = http.get(link)
    assert download.status_code == 200, download.text
    assert download.content.startswith(b"%PDF")
    with server.client(secret, **{"Sec-Fetch-Site": "cross-site"}) as http:
        assert http.get(link).status_code == 403


def test_widget_key_from_its_origin_gets_cors_headers(server: LiveServer) -> None:
    secret = server.key(tenant_name("wid"), "widget", [SITE + "/"])
    with server.client(secret, Origin=SITE) as http:
        response = http.get("/v1/search", params={"q": "gait"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SITE
    assert "Origin" in response.headers["vary"]


def test_preflight_is_answered_only_for_origins_of_active_keys(server: LiveServer) -> None:
    server.key(tenant_name("wid"), "widget", ["https://preflight.example"])
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    with server.client() as http:
        ok = http.options("/v1/chat", headers={"Origin": "https://preflight.example", **ask})
        bad = http.options("/v1/chat", headers={"Origin": "https://evil.example", **ask})
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == "https://preflight.example"
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    assert bad.status_code == 403
    assert "access-control-allow-origin" not in bad.headers


def test_over_the_rate_limit_is_a_429_with_retry_after(server: LiveServer) -> None:
    secret = server.key(tenant_name("rate"), "practitioner", rate=3)
    with server.client(secret) as http:
        codes = [http.get("/v1/conversations") for _ in range(8)]  # per worker: <= 2 x 3 pass
    assert [r.status_code for r in codes[:3]] == [200, 200, 200]
    limited = next(r for r in codes if r.status_code != 200)
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1


def test_rate_limiter_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [limiter.acquire("k", 2) for _ in range(2)] == [0.0, 0.0]
    wait = limiter.acquire("k", 2)
    assert wait == pytest.approx(30.0)
    now[0] += 30.0
    assert limiter.acquire("k", 2) == 0.0
    assert limiter.acquire("other", 2) == 0.0


@pytest.mark.parametrize(
    ("role", "method", "route", "allowed"),
    [
        ("widget", "POST", "/v1/chat", True),
        ("widget", "GET", "/v1/chat/drafts/{draft_id}", True),
        ("widget", "POST", "/v1/feedback", True),
        ("widget", "POST", "/v1/chat/completions", False),
        ("widget", "DELETE", "/v1/conversations/{conversation_id}", False),
        ("practitioner", "POST", "/v1/documents", False),
        ("practitioner", "POST", "/v1/chat/completions", True),
        ("admin", "DELETE", "/v1/documents/{doc_id}", True),
    ],
)
def test_route_policy_table(role: str, method: str, route: str, allowed: bool) -> None:
    assert route_allowed(role, method, route) is allowed


def test_origins_are_normalised_and_paths_refused() -> None:
    assert normalise_origin("HTTPS://Clinic.Example:8443/") == "https://clinic.example:8443"
    for bad in ("clinic.example", "https://clinic.example/page", "ftp://clinic.example"):
        with pytest.raises(AccessError):
            normalise_origin(bad)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


@pytest.fixture()
def cli_env(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("MES_DATA_DIR", str(tmp_path))
    return Settings()


def test_keys_cli_creates_lists_and_revokes(cli_env: Settings) -> None:
    runner = CliRunner()
    made = runner.invoke(
        app, ["keys", "create", "--tenant", "valley", "--role", "widget", "--origin", SITE, "--rate", "30"]
    )
    assert made.exit_code == 0, made.output
    secret = next(w for w in made.output.split() if w.startswith("mes_"))
    db = Database(cli_env)
    info = db.authenticate(secret)
    assert info is not None and info.tenant == "valley" and info.role == "widget"
    assert info.origins == [SITE] and info.rate_limit_per_min == 30
    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0 and info.id in listed.output and secret not in listed.output
    revoked = runner.invoke(app, ["keys", "revoke", info.id])
    assert revoked.exit_code == 0
    assert db.authenticate(secret) is None
    again = runner.invoke(app, ["keys", "revoke", info.id])
    assert again.exit_code == 2 and "error:" in again.output
    db.close()


@pytest.mark.parametrize(
    "args",
    [
        ["--tenant", "valley", "--role", "owner"],
        ["--tenant", "valley", "--role", "widget"],
        ["--tenant", "valley", "--role", "widget", "--origin", "clinic.example/page"],
        ["--tenant", "../etc", "--role", "admin"],
    ],
)
def test_keys_cli_refuses_bad_input_with_one_error_line(cli_env: Settings, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["keys", "create", *args])
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output


def test_serve_refuses_a_public_host_in_local_mode(cli_env: Settings) -> None:
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8765"])
    assert result.exit_code == 2
    assert "loopback" in result.output
