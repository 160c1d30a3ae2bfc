"""TOTP second factor: secrets encrypted at rest, codes checked with a replay guard."""

from __future__ import annotations

import hmac
import io
import os
from pathlib import Path

import pyotp
import qrcode
import qrcode.image.svg
from cryptography.fernet import Fernet, InvalidToken

from raytranscribe.errors import UserError

ISSUER = "raytranscribe"
# Accept the previous and next 30 s step for clock drift between the phone and this machine.
DRIFT_STEPS = 1


class TotpVault:
    """Encrypts TOTP secrets with a Fernet key kept in its own owner-only file, outside the database."""

    def __init__(self, key_file: Path) -> None:
        self.fernet = Fernet(_load_or_create_key(key_file))

    def new_secret(self) -> str:
        return pyotp.random_base32()

    def seal(self, secret: str) -> bytes:
        return self.fernet.encrypt(secret.encode())

    def unseal(self, token: bytes) -> str:
        try:
            return self.fernet.decrypt(token).decode()
        except InvalidToken:
            raise UserError("TOTP key file does not match the user store (ui.key_file)") from None

    @staticmethod
    def matching_step(secret: str, code: str, now: float) -> int | None:
        """The time step whose code equals ``code`` (within drift), or None. Constant-time compare."""
        code = code.strip().replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            return None
        totp = pyotp.TOTP(secret)
        current = int(now) // totp.interval
        found = None
        for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
            if hmac.compare_digest(totp.generate_otp(step), code):
                found = step
        return found

    @staticmethod
    def enrollment_svg(secret: str, username: str) -> str:
        """QR code of the otpauth:// URI as inline SVG (no image file, no external renderer)."""
        uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
        buf = io.BytesIO()
        qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buf)
        return buf.getvalue().decode().split("?>", 1)[-1].strip()  # drop the XML prolog for inline HTML


def _load_or_create_key(key_file: Path) -> bytes:
    if key_file.exists():
        if key_file.stat().st_mode & 0o077:
            raise UserError(f"TOTP key file must be readable by its owner only (chmod 600): {key_file}")
        return key_file.read_bytes().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Fernet.generate_key()
    fd = os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key
