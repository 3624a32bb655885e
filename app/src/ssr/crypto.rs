//! Tokens and password hashes.

use crate::domain::Password;
use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::OnceLock;

/// A fresh random token of 256 bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing is not recoverable; fall back would be unsafe.
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("operating system random source failed: {e}"));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Keyed hash of a token, as stored in the database (hex, 64 characters).
pub fn token_hash(key: &[u8; 32], token: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(token.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Personal data sealed at rest: XChaCha20-Poly1305 with a random 192-bit nonce,
/// stored as base64 of `nonce || ciphertext`. `purpose` is bound as associated data,
/// so a sealed ID number cannot be replayed into another kind of field.
pub fn seal(key: &[u8; 32], purpose: &str, plaintext: &str) -> String {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).unwrap_or_else(|e| panic!("operating system random source failed: {e}"));
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext.as_bytes(), aad: purpose.as_bytes() })
        .unwrap_or_else(|_| unreachable!("encryption of an in-memory buffer cannot fail"));
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
}

/// Opens what [`seal`] made; an error when the key, purpose or bytes do not match.
pub fn open(key: &[u8; 32], purpose: &str, sealed: &str) -> Result<String, AppError> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(sealed).map_err(|e| anyhow::anyhow!("sealed value is not base64: {e}"))?;
    if bytes.len() < 24 + 16 {
        return Err(anyhow::anyhow!("sealed value too short").into());
    }
    let cipher = XChaCha20Poly1305::new(key.into());
    let plain = cipher
        .decrypt(XNonce::from_slice(&bytes[..24]), Payload { msg: &bytes[24..], aad: purpose.as_bytes() })
        .map_err(|_| anyhow::anyhow!("sealed value does not open with this key"))?;
    String::from_utf8(plain).map_err(|e| anyhow::anyhow!("sealed value is not text: {e}").into())
}

/// The keyed hash an ID number is looked up by (never the number itself).
pub fn lookup_hash(key: &[u8; 32], purpose: &str, value: &str) -> String {
    token_hash(key, &format!("{purpose}:{value}"))
}

/// argon2id with the OWASP minimum: 19 MiB memory, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_else(|_| unreachable!("constant parameters are valid"));
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on the blocking pool (it takes tens of milliseconds of CPU).
pub async fn hash_password(password: &Password) -> Result<String, AppError> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| anyhow::anyhow!("hashing task failed: {e}"))?
    .map_err(|e| AppError::from(anyhow::anyhow!("hashing failed: {e}")))
}

/// Verifies `password` against `stored`. With no stored hash (unknown account) it still
/// verifies against a dummy hash, so an unknown phone number costs the same time as a
/// wrong password and timing reveals nothing.
pub async fn verify_password(stored: Option<String>, password: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        known && ok
    })
    .await
    .map_err(|e| AppError::from(anyhow::anyhow!("verify task failed: {e}")))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"bianmin-dummy-password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hashes_are_keyed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert!(a.len() >= 43);
        assert_ne!(token_hash(&[1; 32], &a), token_hash(&[2; 32], &a));
        assert_eq!(token_hash(&[1; 32], &a).len(), 64);
    }

    #[test]
    fn sealed_values_open_only_with_their_key_and_purpose() {
        let sealed = seal(&[7; 32], "id", "11010519491231002X");
        assert!(!sealed.contains("19491231"));
        assert_ne!(sealed, seal(&[7; 32], "id", "11010519491231002X"), "a fresh nonce each time");
        assert_eq!(open(&[7; 32], "id", &sealed).expect("opens"), "11010519491231002X");
        assert!(open(&[8; 32], "id", &sealed).is_err(), "wrong key");
        assert!(open(&[7; 32], "phone", &sealed).is_err(), "wrong purpose");
        let mut tampered = sealed.clone().into_bytes();
        tampered[40] = if tampered[40] == b'A' { b'B' } else { b'A' };
        assert!(open(&[7; 32], "id", &String::from_utf8(tampered).expect("ascii")).is_err(), "tampered");
        assert_eq!(lookup_hash(&[7; 32], "id", "x"), lookup_hash(&[7; 32], "id", "x"));
    }

    #[tokio::test]
    async fn passwords_verify_only_against_their_hash() {
        let pw = Password::parse("青山绿水2025", None).expect("valid");
        let hash = hash_password(&pw).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password(Some(hash.clone()), "青山绿水2025".into()).await.expect("verify"));
        assert!(!verify_password(Some(hash), "wrong-password".into()).await.expect("verify"));
        assert!(!verify_password(None, "bianmin-dummy-password".into()).await.expect("verify"));
    }
}
