"""DPoP proofs (RFC 9449) as a client makes them, with PyJWT: independent of the server's JOSE code."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm


@dataclass
class DPoPKey:
    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )

    @property
    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(ECAlgorithm.to_jwk(self.private.public_key()))
        return jwk

    @property
    def thumbprint(self) -> str:
        """RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace."""
        jwk = self.public_jwk
        members = json.dumps({k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"))
        return base64.urlsafe_b64encode(hashlib.sha256(members.encode()).digest()).rstrip(b"=").decode()

    def proof(
        self,
        url: str,
        method: str = "POST",
        *,
        iat: float | None = None,
        jti: str | None = None,
        header: dict[str, Any] | None = None,
    ) -> str:
        claims = {
            "jti": jti or secrets.token_urlsafe(16),
            "htm": method,
            "htu": url,
            "iat": int(iat if iat is not None else time.time()),
        }
        headers = {"typ": "dpop+jwt", "jwk": self.public_jwk, **(header or {})}
        return jwt.encode(claims, self.private, algorithm="ES256", headers=headers)
