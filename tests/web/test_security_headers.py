"""Every response carries a strict Content-Security-Policy and the usual security headers."""


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_api_and_error_responses_carry_the_headers_too(client):
    for path in ("/api/v1/regions", "/no/such/page", "/healthz"):
        assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"


def test_pages_contain_no_inline_script_or_style(client):
    for path in ("/", "/login", "/no/such/page"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html and "<style" not in html
