//! Password hashing: argon2id (m = 19456 KiB, t = 2, p = 1, the OWASP
//! minimum), run on the blocking pool with a bound on how many hashes run at
//! once, so a burst of logins cannot starve the async executor or exhaust
//! memory. Unknown accounts are verified against a dummy hash, so timing does
//! not reveal which accounts exist.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordVerifier, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password, computed once, verified against when the
/// account does not exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    let random = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(random.as_str().as_bytes(), &salt)
        .expect("hashing a random password")
        .to_string()
});

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    max_wait: std::time::Duration,
}

impl Hasher {
    /// `concurrency` hashes may run at once; more wait their turn, for up
    /// to a minute.
    pub fn new(concurrency: usize) -> Self {
        Self::bounded(concurrency, std::time::Duration::from_secs(60))
    }

    /// `concurrency` hashes at once (at least one); a hash that waits
    /// longer than `max_wait` for its turn is refused with
    /// [`AppError::Unavailable`] ("busy, try again"), so a storm of
    /// sign-ins queues instead of taking the CPU from page rendering, and
    /// nobody waits for a timeout.
    pub fn bounded(concurrency: usize, max_wait: std::time::Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            max_wait,
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = match tokio::time::timeout(self.max_wait, self.permits.acquire()).await {
            Ok(permit) => permit.map_err(|_| AppError::Internal)?,
            Err(_) => {
                tracing::warn!("password hashing queue full: answering busy");
                return Err(AppError::Unavailable);
            }
        };
        tokio::task::spawn_blocking(work).await.map_err(|err| {
            tracing::error!(error = %err, "password hashing task failed");
            AppError::Internal
        })
    }

    /// A PHC-format argon2id hash of the password.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await?
        .map_err(|err| {
            tracing::error!(error = %err, "could not hash password");
            AppError::Internal
        })
    }

    /// Whether the password matches; with no stored hash the dummy hash is
    /// verified instead and the answer is always false.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, AppError> {
        self.blocking(move || {
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let Ok(parsed) = PasswordHash::new(&phc) else {
                tracing::error!("stored password hash does not parse");
                return false;
            };
            let ok = argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            known && ok
        })
        .await
    }

    /// Computes the dummy hash now rather than on the first unknown login.
    pub fn warm_up() {
        LazyLock::force(&DUMMY_HASH);
    }
}

#[cfg(test)]
mod queue_tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_that_waits_too_long_is_answered_busy() {
        let hasher = Hasher::bounded(1, std::time::Duration::from_millis(20));
        let held = hasher.permits.clone().try_acquire_owned().unwrap();
        let res = hasher.verify("kopi-tubruk".into(), None).await;
        assert_eq!(res, Err(AppError::Unavailable));
        drop(held);
        assert_eq!(hasher.verify("kopi-tubruk".into(), None).await, Ok(false));
    }
}
