"""`GET /widget.js` serves the embeddable element; `GET /` is the demo page that embeds it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.settings import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("widget-api"))))


def test_widget_is_a_cacheable_cross_origin_javascript_module(client: TestClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "customElements.define(TAG, MesAiChat)" in response.text
    assert len(response.content) < 30_000


def test_a_matching_etag_gets_304_without_a_body(client: TestClient) -> None:
    etag = client.get("/widget.js").headers["etag"]
    again = client.get("/widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get("/widget.js", headers={"If-None-Match": '"other"'}).status_code == 200


def test_widget_inserts_html_only_through_an_inert_template(client: TestClient) -> None:
    source = client.get("/widget.js").text
    assert re.findall(r"\w+\.innerHTML\s*=", source) == ["t.innerHTML ="]
    assert 'document.createElement("template")' in source
    for sink in ("insertAdjacentHTML", "outerHTML", "document.write", "eval(", "new Function"):
        assert sink not in source


def test_demo_page_embeds_the_widget_and_shows_the_snippet(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<script type="module" src="/widget.js"' in page
    assert '&lt;script type="module" src="http://testserver/widget.js"' in page
    assert 'data-key=""' in page


def test_demo_page_key_is_escaped(client: TestClient) -> None:
    page = client.get("/", params={"key": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in page
    assert 'data-key="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
