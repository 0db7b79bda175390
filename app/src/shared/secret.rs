//! The server secret (`SECRET_KEY`) and what is signed with it.
//!
//! Never serialised, logged or sent to the browser: `Debug` prints
//! `[redacted]`, and there is no `Serialize`. Signatures are HMAC-SHA256,
//! checked in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// At least 32 bytes of key material.
#[derive(Clone)]
pub struct SecretKey(std::sync::Arc<[u8]>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

pub const MIN_SECRET_BYTES: usize = 32;

/// `N` bytes from the OS generator: nonces, lease tokens, keys.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// 16 random bytes as 32 lowercase hex digits.
pub fn random_hex() -> String {
    random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl SecretKey {
    /// A key from raw bytes; `None` when shorter than 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        (bytes.len() >= MIN_SECRET_BYTES).then(|| Self(bytes.into()))
    }

    /// A fresh random key (32 bytes from the OS generator).
    pub fn generate() -> Self {
        Self(random_bytes::<MIN_SECRET_BYTES>().as_slice().into())
    }

    /// The key as lowercase hex, for writing the generated key to its file.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses `SECRET_KEY`: hex (64 or more digits) or base64 of at least
    /// 32 bytes.
    pub fn parse(text: &str) -> Option<Self> {
        use base64::Engine as _;
        let text = text.trim();
        if text.len() >= 2 * MIN_SECRET_BYTES
            && text.len().is_multiple_of(2)
            && text.bytes().all(|b| b.is_ascii_hexdigit())
        {
            let bytes: Option<Vec<u8>> = (0..text.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
                .collect();
            return bytes.and_then(|b| Self::from_bytes(&b));
        }
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::URL_SAFE,
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ];
        engines
            .iter()
            .find_map(|e| e.decode(text).ok())
            .and_then(|b| Self::from_bytes(&b))
    }

    fn mac(&self, purpose: &str, message: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        // The purpose separates signatures made for different things.
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(message.as_bytes());
        mac
    }

    /// The signature of `message` for `purpose`, base64url without padding.
    pub fn sign(&self, purpose: &str, message: &str) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(self.mac(purpose, message).finalize().into_bytes())
    }

    /// Whether `signature` is this key's signature of `message` for
    /// `purpose` (constant-time comparison).
    pub fn verify(&self, purpose: &str, message: &str, signature: &str) -> bool {
        use base64::Engine as _;
        let Ok(sig) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        self.mac(purpose, message).verify_slice(&sig).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_from_hex_or_base64_and_must_be_long_enough() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        assert!(SecretKey::parse(hex).is_some());
        assert!(SecretKey::parse(&hex[..62]).is_none());
        assert!(SecretKey::parse("c2hvcnQ=").is_none());
        assert!(SecretKey::parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").is_some());
        assert!(SecretKey::parse("not a key at all").is_none());
        let k = SecretKey::generate();
        assert_eq!(SecretKey::parse(&k.to_hex()).unwrap().to_hex(), k.to_hex());
        assert_eq!(format!("{k:?}"), "SecretKey([redacted])");
    }

    #[test]
    fn signatures_verify_only_for_their_key_purpose_and_message() {
        let k = SecretKey::generate();
        let sig = k.sign("device", "v1.7.abc");
        assert!(k.verify("device", "v1.7.abc", &sig));
        assert!(!k.verify("device", "v1.8.abc", &sig));
        assert!(!k.verify("other", "v1.7.abc", &sig));
        assert!(!SecretKey::generate().verify("device", "v1.7.abc", &sig));
        assert!(!k.verify("device", "v1.7.abc", "!!"));
    }
}
