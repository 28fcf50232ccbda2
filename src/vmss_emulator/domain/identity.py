"""A minimal Entra ID (AAD): the emulator's service principal, its tokens and their verification.

Tokens are RS256 JWTs shaped like Entra ID's v1 access tokens (`iss`, `tid`, `oid`, `appid`), so
that clients which decode them (az reads `tid`) find what they expect.
"""

from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from vmss_emulator._utils.clock import Clock
from vmss_emulator.domain.context import CloudSettings
from vmss_emulator.domain.errors import AuthenticationFailed, ExpiredAuthenticationToken, InvalidAuthenticationToken

TOKEN_LIFETIME = 3599
_CACHE_SIZE = 256


class AadError(Exception):
    """An error of the token endpoint, in AAD's own shape (not ARM's envelope)."""

    def __init__(self, status: int, error: str, description: str, codes: list[int]) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.codes = codes

    def body(self, now_iso: str, trace_id: str) -> dict[str, Any]:
        return {
            "error": self.error,
            "error_description": f"{self.description}\r\nTrace ID: {trace_id}\r\nTimestamp: {now_iso}",
            "error_codes": self.codes,
            "timestamp": now_iso,
            "trace_id": trace_id,
            "correlation_id": trace_id,
        }


def generate_signing_key() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class VerifiedToken:
    claims: dict[str, Any]


class TokenIssuer:
    def __init__(self, settings: CloudSettings, clock: Clock, private_key_pem: bytes) -> None:
        self.settings = settings
        self.clock = clock
        key = serialization.load_pem_private_key(private_key_pem, password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        # Loading the PEM costs ~50 ms (key checks); signing with the loaded key costs ~1 ms.
        self._private_key = key
        self._public_key = key.public_key()
        numbers = self._public_key.public_numbers()
        self.key_id = _b64url(hashlib.sha256(str(numbers.n).encode()).digest()[:20])
        self._n = _b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big"))
        self._e = _b64url(numbers.e.to_bytes(3, "big"))
        self._verified: OrderedDict[str, dict[str, Any]] = OrderedDict()

    @property
    def issuer(self) -> str:
        return f"https://sts.windows.net/{self.settings.tenant_id}/"

    def jwks(self) -> dict[str, Any]:
        return {"keys": [{"kty": "RSA", "use": "sig", "kid": self.key_id, "n": self._n, "e": self._e}]}

    # -- issuing ----------------------------------------------------------------------------------

    def check_client(self, client_id: str, client_secret: str | None) -> None:
        s = self.settings
        if client_id.lower() != s.client_id.lower():
            raise AadError(
                400,
                "unauthorized_client",
                f"AADSTS700016: Application with identifier '{client_id}' was not found in the directory "
                f"'{s.tenant_id}'. This can happen if the application has not been installed by the administrator "
                "of the tenant or consented to by any user in the tenant. You may have sent your authentication "
                "request to the wrong tenant.",
                [700016],
            )
        if client_secret != s.client_secret:
            raise AadError(
                401,
                "invalid_client",
                f"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the "
                f"client secret value, not the client secret ID, for a secret added to app '{s.client_id}'.",
                [7000215],
            )

    def issue(self, scope: str, *, with_id_token: bool = False) -> dict[str, Any]:
        """The token endpoint's reply for the service principal and the requested scope.

        Like Entra ID, a client-credentials reply carries no id_token (az treats one as a user login);
        `with_id_token` adds the id_token and client_info that user-facing flows return.
        """
        now = int(self.clock.now())
        resource = scope.split(" ")[0]
        if resource.endswith("/.default"):
            resource = resource[: -len("/.default")]
        s = self.settings
        oid = "22222222-2222-2222-2222-222222222222"
        claims = {
            "aud": resource,
            "iss": self.issuer,
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_LIFETIME,
            "aio": "emulator",
            "appid": s.client_id,
            "appidacr": "1",
            "idp": self.issuer,
            "idtyp": "app",
            "oid": oid,
            "rh": "emulator",
            "sub": oid,
            "tid": s.tenant_id,
            "uti": "emulator",
            "ver": "1.0",
        }
        headers = {"kid": self.key_id, "x5t": self.key_id}
        access_token = jwt.encode(claims, self._private_key, algorithm="RS256", headers=headers)
        id_claims = {
            "aud": s.client_id,
            "iss": f"https://login.microsoftonline.com/{s.tenant_id}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_LIFETIME,
            "oid": oid,
            "sub": oid,
            "tid": s.tenant_id,
            "ver": "2.0",
        }
        client_info = _b64url(orjson.dumps({"uid": oid, "utid": s.tenant_id}))
        reply: dict[str, Any] = {
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "ext_expires_in": TOKEN_LIFETIME,
            "access_token": access_token,
        }
        if with_id_token:
            id_claims["preferred_username"] = f"{s.client_id}@vmssemulator.onmicrosoft.com"
            reply["id_token"] = jwt.encode(id_claims, self._private_key, algorithm="RS256", headers=headers)
            reply["client_info"] = client_info
        return reply

    # -- verifying --------------------------------------------------------------------------------

    def verify_header(self, authorization: str | None) -> dict[str, Any]:
        """Check an ARM request's Authorization header; raise ARM's 401 errors."""
        if not authorization:
            raise AuthenticationFailed("Authentication failed. The 'Authorization' header is missing.")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed(
                "Authentication failed. The 'Authorization' header is provided in an invalid format."
            )
        return self.verify(token.strip())

    def verify(self, token: str) -> dict[str, Any]:
        claims = self._verified.get(token)
        if claims is None:
            try:
                claims = jwt.decode(
                    token,
                    self._public_key,
                    algorithms=["RS256"],
                    options={"verify_aud": False, "verify_exp": False, "verify_nbf": False},
                    issuer=self.issuer,
                )
            except jwt.PyJWTError:
                raise InvalidAuthenticationToken("The access token is invalid.") from None
            self._verified[token] = claims
            if len(self._verified) > _CACHE_SIZE:
                self._verified.popitem(last=False)
        # Expiry is checked against the issuer's clock (real time in the emulator; tests may give it a fake one).
        now = self.clock.now()
        if claims["exp"] < now:
            from vmss_emulator._utils.clock import iso_z

            raise ExpiredAuthenticationToken(
                f"The access token expiry UTC time '{iso_z(claims['exp'])}' is earlier than current UTC time "
                f"'{iso_z(now)}'."
            )
        return claims
