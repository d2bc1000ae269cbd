"""`tsum serve`'s API key and CORS (serve/auth.py, serve/middleware.py): which calls need the key,
the bearer header's edge cases, LibreTranslate's api_key statuses, and preflights for the
configured origin only."""

from __future__ import annotations

import httpx
import pytest
from support.common import TRANSLATION_PAIRS
from support.server import API_KEY, BEARER, ORIGIN, post

DA, EN = TRANSLATION_PAIRS[0]

# -- which calls need the key, and CORS ------------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {API_KEY}", API_KEY, f"Bearer {API_KEY}x"])
def test_v1_calls_need_the_bearer_key(locked, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in (("GET", "/v1/health"), ("GET", "/v1/models"), ("POST", "/v1/translate")):
        response = httpx.request(method, f"{locked.url}{path}", headers=headers, json={"text": "Hej"})
        assert response.status_code == 401, path
        assert response.json() == {"error": "invalid or missing API key: send Authorization: Bearer KEY"}
        assert response.headers["www-authenticate"] == "Bearer"


def test_the_right_bearer_key_is_accepted(locked):
    response = post(locked, {"text": "Banken hæver renten.", "summary": False}, headers=BEARER)
    assert response.status_code == 200
    assert response.json()["translation"] == "The bank raises the interest rate."


def test_libretranslate_calls_need_api_key_with_its_statuses(locked):
    """As LibreTranslate: a missing key 400, a wrong one 403; /languages needs none."""
    missing = {"error": "Please contact the server operator to get an API key (pass api_key)"}
    for path, data in (("/translate", {"q": "Hej", "source": "da", "target": "en"}), ("/detect", {"q": "Hej"})):
        for key, status, answer in ((None, 400, missing), ("wrong", 403, {"error": "Invalid API key"})):
            payload = {**data, **({"api_key": key} if key else {})}
            response = httpx.post(f"{locked.url}{path}", data=payload)
            assert (response.status_code, response.json()) == (status, answer)
    assert httpx.get(f"{locked.url}/languages").status_code == 200
    assert httpx.get(f"{locked.url}/languages", params={"api_key": "wrong"}).status_code == 200
    response = httpx.post(
        f"{locked.url}/translate",
        json={"q": "Banken hæver renten.", "source": "da", "target": "en", "api_key": API_KEY},
    )
    assert response.json() == {"translatedText": "The bank raises the interest rate."}


def test_cors_only_for_the_configured_origin(server, locked):
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    allowed = httpx.options(f"{locked.url}/v1/translate", headers=preflight)
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ORIGIN
    other = httpx.options(f"{locked.url}/v1/translate", headers={**preflight, "Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    default = httpx.get(f"{server.url}/v1/health", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in default.headers
    assert httpx.options(f"{server.url}/v1/translate", headers=preflight).status_code == 405


# -- edge cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization, status",
    [
        (f"bearer {API_KEY}", 200),  # the scheme is case-insensitive (RFC 7235)
        (f"Bearer    {API_KEY}", 200),
        (f"Basic {API_KEY}", 401),
        ("Bearer", 401),
        (f"Bearer {API_KEY}x", 401),
        (f"Bearer {API_KEY[:-1]}", 401),
    ],
)
def test_bearer_key_edge_cases(locked, authorization, status):
    response = httpx.post(
        f"{locked.url}/v1/translate",
        json={"text": DA, "summary": False},
        headers={"Authorization": authorization},
        timeout=60,
    )
    assert response.status_code == status, response.text
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


def test_which_calls_the_key_guards(locked):
    # /v1/* all need the bearer key, health included (it names the models); api_key in the body
    # does not count there. The page is open: it holds no data and asks for the key itself.
    assert httpx.post(f"{locked.url}/v1/translate", json={"text": DA, "api_key": API_KEY}).status_code == 401
    assert httpx.get(f"{locked.url}/v1/health").status_code == 401
    assert httpx.get(f"{locked.url}/").status_code == 200
    lt = {"q": DA, "source": "da", "target": "en"}
    assert httpx.post(f"{locked.url}/translate?api_key={API_KEY}", data=lt).json() == {"translatedText": EN}
    assert httpx.post(f"{locked.url}/translate", json={**lt, "api_key": API_KEY}).status_code == 200
    # LibreTranslate's statuses: a wrong key 403, a missing (or empty) one 400; a Bearer header is no api_key.
    assert httpx.post(f"{locked.url}/translate", json={**lt, "api_key": 0}).status_code == 403
    assert httpx.post(f"{locked.url}/translate", data={**lt, "api_key": ""}).status_code == 400
    assert httpx.post(f"{locked.url}/translate", data=lt, headers=BEARER).status_code == 400
    assert httpx.get(f"{locked.url}/languages?api_key={API_KEY}").status_code == 200


def test_preflight_is_answered_only_for_the_configured_origin(server, locked):
    preflight = {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    allowed = httpx.options(f"{locked.url}/v1/translate", headers=preflight)
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ORIGIN
    other = httpx.options(f"{locked.url}/v1/translate", headers={**preflight, "Origin": "http://evil.example"})
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    assert other.headers["content-type"] == "application/json" and "--cors-origin" in other.json()["error"]
    without_cors = httpx.options(f"{server.url}/v1/translate", headers=preflight)
    assert without_cors.status_code == 405 and "access-control-allow-origin" not in without_cors.headers
