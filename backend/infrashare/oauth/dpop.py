"""DPoP (RFC 9449) at the token endpoint: proofs of possession that bind refresh tokens to a key.

A client sends a ``DPoP`` header holding a JWT signed with its own key pair (the public key in
the ``jwk`` header). A refresh token issued with a valid proof is bound to that key's RFC 7638
thumbprint (``jkt``); refreshing it then needs a fresh proof signed with the same key, so a
stolen refresh token is useless without the client's private key (RFC 9700 §2.2.2 asks this
for public clients). Access tokens stay bearer tokens (``token_type: Bearer``, RFC 9449 §5
allows binding the refresh token alone).

JOSE work (signature, key import, thumbprint) is joserfc's, the library Authlib's own token
generators use; here only the RFC's checks on the proof's header and claims.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from authlib.oauth2 import OAuth2Error
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infrashare.oauth.models import DPoPProofSeen

HEADER = "DPoP"
ALGORITHMS = ["ES256", "ES384", "RS256", "PS256"]
MAX_AGE = timedelta(minutes=5)
CLOCK_SKEW = timedelta(seconds=60)


class InvalidDPoPProof(OAuth2Error):
    error = "invalid_dpop_proof"
    status_code = 400


@dataclass(frozen=True)
class DPoPProof:
    jkt: str
    jti: str
    issued_at: datetime


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))


def _header_of(proof: str) -> dict[str, Any]:
    try:
        header: dict[str, Any] = jws.extract_compact(proof.encode()).headers()
    except (JoseError, ValueError) as exc:
        raise InvalidDPoPProof("The DPoP proof is not a compact JWS.") from exc
    if header.get("typ") != "dpop+jwt":
        raise InvalidDPoPProof("The DPoP proof's typ must be dpop+jwt.")
    if header.get("alg") not in ALGORITHMS:
        raise InvalidDPoPProof(f"The DPoP proof's alg must be one of {', '.join(ALGORITHMS)}.")
    jwk = header.get("jwk")
    if not isinstance(jwk, dict) or jwk.get("kty") not in ("EC", "RSA") or "d" in jwk:
        raise InvalidDPoPProof("The DPoP proof's jwk must be a public EC or RSA key.")
    return header


def _claims_of(proof: str, header: dict[str, Any]) -> tuple[dict[str, Any], str]:
    try:
        key = JWKRegistry.import_key(header["jwk"])
        claims: dict[str, Any] = jwt.decode(proof, key, algorithms=[header["alg"]]).claims
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidDPoPProof("The DPoP proof's signature does not verify with its jwk.") from exc
    return claims, key.thumbprint()


def _check_claims(claims: dict[str, Any], method: str, url: str, now: datetime) -> datetime:
    jti, iat = claims.get("jti"), claims.get("iat")
    if not isinstance(jti, str) or not 8 <= len(jti) <= 256:
        raise InvalidDPoPProof("The DPoP proof needs a unique jti.")
    if claims.get("htm") != method:
        raise InvalidDPoPProof(f"The DPoP proof's htm must be {method}.")
    if not isinstance(claims.get("htu"), str) or _without_query(claims["htu"]) != _without_query(url):
        raise InvalidDPoPProof(f"The DPoP proof's htu must be {_without_query(url)}.")
    if not isinstance(iat, int | float):
        raise InvalidDPoPProof("The DPoP proof needs iat.")
    issued = datetime.fromtimestamp(iat, now.tzinfo)
    if issued < now - MAX_AGE or issued > now + CLOCK_SKEW:
        raise InvalidDPoPProof("The DPoP proof is too old or from the future; make a fresh one.")
    return issued


def verify_proof(proof: str, method: str, url: str, now: datetime) -> DPoPProof:
    """The proof's key thumbprint, once its header, signature and claims are right for this request."""
    header = _header_of(proof)
    claims, jkt = _claims_of(proof, header)
    issued = _check_claims(claims, method, url, now)
    return DPoPProof(jkt=jkt, jti=claims["jti"], issued_at=issued)


def remember(session: Session, proof: DPoPProof, now: datetime) -> None:
    """Refuses a proof seen before (RFC 9449 §11.1); forgets proofs older than the window."""
    session.execute(delete(DPoPProofSeen).where(DPoPProofSeen.expires_at < now))
    key = hashlib.sha256(f"{proof.jkt}.{proof.jti}".encode()).hexdigest()
    try:
        with session.begin_nested():
            session.add(DPoPProofSeen(proof_hash=key, expires_at=proof.issued_at + MAX_AGE + CLOCK_SKEW))
    except IntegrityError as exc:
        raise InvalidDPoPProof("This DPoP proof was used already; make a fresh one.") from exc
