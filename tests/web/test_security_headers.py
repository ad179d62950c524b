"""Every response carries the security headers a penetration test looks for first."""
from __future__ import annotations

from surveyor import create_app


def test_pages_files_and_errors_carry_the_headers(client):
    for path in ("/login", "/static/css/surveyor.css", "/no-such-page"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "'unsafe-eval'" not in policy, path
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=(self)" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers, "plain HTTP in tests: no HSTS"


def test_hsts_where_cookies_are_secure(tmp_path):
    app = create_app({"SURVEYOR_ENV": "test", "SESSION_COOKIE_SECURE": True, "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    response = app.test_client().get("/static/css/surveyor.css")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_a_request_larger_than_sixteen_photos_is_refused_before_it_is_read(app, client):
    limit = app.config["PHOTO_MAX_MB"] * 1024 * 1024 * 16
    assert app.config["MAX_CONTENT_LENGTH"] == limit
    response = client.post("/login", data=b"x" * (limit + 1), content_type="application/octet-stream")
    assert response.status_code == 413 and "Traceback" not in response.get_data(as_text=True)
