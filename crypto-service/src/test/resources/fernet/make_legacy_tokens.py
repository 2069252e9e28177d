"""Makes Fernet tokens the way the earlier CloudSentinel-AI system did, for crypto-service's legacy tests."""
import base64
import json

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

SALT_B64 = "bGVnYWN5LXRlc3Qtc2FsdC0wMDAwMDAwMDAwMDAwMDA="  # test-only
MASTER_KEYS = ["legacy-test-master-key-one", "legacy-test-master-key-two"]  # test-only


def fernet_key(master_key: str) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=base64.b64decode(SALT_B64), iterations=100_000)
    return base64.urlsafe_b64encode(kdf.derive(f"{master_key}:v1".encode("utf-8")))


tokens = []
for index, master in enumerate(MASTER_KEYS):
    key = fernet_key(master)
    for plaintext in [b"", b"sk-legacy-openai-key-" + str(index).encode(), bytes(range(256)) * 4]:
        tokens.append({
            "masterKey": master,
            "plaintextBase64": base64.b64encode(plaintext).decode(),
            "token": Fernet(key).encrypt(plaintext).decode(),
        })
raw = Fernet.generate_key()
tokens.append({"rawKey": raw.decode(), "plaintextBase64": base64.b64encode(b"raw fernet key").decode(),
               "token": Fernet(raw).encrypt(b"raw fernet key").decode()})
print(json.dumps({"saltBase64": SALT_B64, "masterKeys": MASTER_KEYS, "tokens": tokens}, indent=2))
