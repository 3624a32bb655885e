//! Tokens and password hashes.

use crate::domain::Password;
use crate::error::AppError;
use argon2::password_hash::{PasswordHash, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::OnceLock;

/// Purpose of sealed and hashed ID card numbers.
pub const ID_NUMBER: &str = "id-number";

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
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).unwrap_or_else(|_| unreachable!("constant parameters are valid"))
}

fn argon2_with(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on the hashing workers (it takes tens of milliseconds of CPU and
/// 19 MiB of memory).
pub async fn hash_password(password: &Password) -> Result<String, AppError> {
    let password = password.expose().to_owned();
    hashers().run(move |memory| hash_with(memory, password.as_bytes())).await?.map_err(|e| AppError::from(anyhow::anyhow!("hashing failed: {e}")))
}

/// Verifies `password` against `stored`. With no stored hash (unknown account) it still
/// verifies against a dummy hash, so an unknown phone number costs the same time as a
/// wrong password and timing reveals nothing.
pub async fn verify_password(stored: Option<String>, password: String) -> Result<bool, AppError> {
    let dummy = match stored {
        Some(_) => None,
        None => Some(dummy_hash().await?),
    };
    hashers()
        .run(move |memory| {
            let known = stored.is_some();
            let hash = stored.or(dummy).unwrap_or_default();
            known & verify_with(memory, &hash, password.as_bytes())
        })
        .await
}

fn hash_with(memory: &mut Vec<Block>, password: &[u8]) -> Result<String, argon2::password_hash::Error> {
    use argon2::password_hash::{Output, ParamsString};
    let params = params();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    memory.resize(params.block_count(), Block::default());
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon2_with(params.clone()).hash_password_into_with_memory(password, salt_bytes, out, &mut memory[..]).map_err(|_| argon2::password_hash::Error::Crypto)
    })?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Checks `password` against a PHC string, with the parameters it names, in the
/// worker's memory. `Output`'s comparison is constant-time.
fn verify_with(memory: &mut Vec<Block>, stored: &str, password: &[u8]) -> bool {
    use argon2::password_hash::Output;
    let mut check = || -> Result<bool, argon2::password_hash::Error> {
        let parsed = PasswordHash::new(stored)?;
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed.version.map(Version::try_from).transpose()?.unwrap_or_default();
        let params = Params::try_from(&parsed)?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Ok(false);
        };
        // A stored hash naming far more memory than ours is refused, not allocated:
        // a bad row must not exhaust the server. Within that, older parameters verify.
        if params.block_count() > 4 * params_block_count() {
            return Ok(false);
        }
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        memory.resize(memory.len().max(params.block_count()), Block::default());
        let blocks = params.block_count();
        let computed = Output::init_with(expected.len(), |out| {
            Argon2::new(algorithm, version, params)
                .hash_password_into_with_memory(password, salt_bytes, out, &mut memory[..blocks])
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })?;
        Ok(computed == expected)
    };
    check().unwrap_or(false)
}

fn params_block_count() -> usize {
    params().block_count()
}

async fn dummy_hash() -> Result<String, AppError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| async {
            hashers().run(|memory| hash_with(memory, b"bianmin-dummy-password")).await?.map_err(|e| AppError::from(anyhow::anyhow!("hashing failed: {e}")))
        })
        .await
        .cloned()
}

/// A job for a hashing worker: it gets the worker's Argon2 memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// A fixed number of hashing threads, one per core, each keeping its own 19 MiB of
/// Argon2 memory for every hash it computes.
///
/// Hashing on tokio's blocking pool (up to 512 threads, each allocating and freeing
/// 19 MiB per hash) let a registration rush of 64 at a time grow the server to 4 GB
/// that the allocator never returned. Here memory is bounded by workers × 19 MiB, and
/// a rush waits in the queue instead; the CPU could not hash faster anyway.
pub struct Hashers {
    jobs: tokio::sync::mpsc::Sender<Job>,
}

/// The process's hashing workers, started on first use. A process-wide pool, like
/// tokio's own: the CLI, the seed and every app state share the cores alike.
pub fn hashers() -> &'static Hashers {
    static HASHERS: OnceLock<Hashers> = OnceLock::new();
    HASHERS.get_or_init(|| Hashers::start(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

impl Hashers {
    fn start(workers: usize) -> Hashers {
        let (jobs, queue) = tokio::sync::mpsc::channel::<Job>(1024);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for n in 0..workers {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new().name(format!("argon2-{n}")).spawn(move || {
                let mut memory = Vec::new();
                loop {
                    // One idle worker waits on the queue at a time; the lock is
                    // released as soon as it has a job.
                    let job = match queue.lock() {
                        Ok(mut queue) => queue.blocking_recv(),
                        Err(_) => None,
                    };
                    match job {
                        Some(job) => job(&mut memory),
                        None => return,
                    }
                }
            });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "could not start a hashing worker");
            }
        }
        Hashers { jobs }
    }

    /// Runs `work` on a worker with its memory and returns what it returned.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static) -> Result<T, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _ = tx.send(work(memory));
        });
        self.jobs.send(job).await.map_err(|_| anyhow::anyhow!("the hashing workers have stopped"))?;
        rx.await.map_err(|_| AppError::from(anyhow::anyhow!("a hashing job was dropped")))
    }
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

    #[tokio::test]
    async fn hashes_from_the_workers_verify_with_the_argon2_crate_and_back() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_password(&Password::parse("青山绿水2025", None).expect("valid")).await.expect("hash");
        let parsed = PasswordHash::new(&ours).expect("PHC string");
        assert!(argon2_with(params()).verify_password("青山绿水2025".as_bytes(), &parsed).is_ok(), "the crate accepts our hash");
        let salt = SaltString::generate(&mut OsRng);
        let theirs = argon2_with(params()).hash_password(b"another-password", &salt).expect("hash").to_string();
        assert!(verify_password(Some(theirs.clone()), "another-password".into()).await.expect("verify"), "we accept the crate's hash");
        assert!(!verify_password(Some(theirs), "Another-password".into()).await.expect("verify"));
        assert!(!verify_password(Some("not a hash".into()), "x".into()).await.expect("verify"));
    }

    #[tokio::test]
    async fn many_hashes_at_once_all_finish() {
        let pw = Password::parse("青山绿水2025", None).expect("valid");
        let hashes = futures_util::future::join_all((0..8).map(|_| hash_password(&pw))).await;
        assert!(hashes.iter().all(|h| h.as_ref().is_ok_and(|h| h.starts_with("$argon2id$"))));
    }
}
