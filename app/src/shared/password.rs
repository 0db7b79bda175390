//! Password hashing: argon2id (m = 19456 KiB, t = 2, p = 1, the OWASP
//! minimum), run on a few low-priority threads of its own, with a bound on
//! how many hashes run at once, so a burst of logins cannot starve the
//! async executor or page rendering, or exhaust memory. Unknown accounts are verified against a dummy hash, so timing does
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

type Job = Box<dyn FnOnce() + Send>;

/// Runs the calling thread only when no other thread of the portal wants
/// the CPU (Linux `SCHED_IDLE`; elsewhere the lowest priority).
fn lower_priority() {
    use thread_priority::*;
    #[cfg(target_os = "linux")]
    let result = set_thread_priority_and_policy(
        thread_native_id(),
        ThreadPriority::Min,
        ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
    );
    #[cfg(not(target_os = "linux"))]
    let result = set_current_thread_priority(ThreadPriority::Min);
    if let Err(err) = result {
        tracing::debug!(?err, "could not lower the hashing thread's priority");
    }
}

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    max_wait: std::time::Duration,
    jobs: std::sync::mpsc::Sender<Job>,
}

impl Hasher {
    /// `concurrency` hashes may run at once; more wait their turn, for up
    /// to a minute.
    pub fn new(concurrency: usize) -> Self {
        Self::bounded(concurrency, std::time::Duration::from_secs(60))
    }

    /// `concurrency` hashes at once (at least one), each on a thread of
    /// its own that runs at the lowest CPU priority, so page rendering
    /// always comes first when both want the CPU. A hash that waits longer
    /// than `max_wait` for its turn is refused with
    /// [`AppError::Unavailable`] ("busy, try again"): a storm of sign-ins
    /// queues instead of slowing every page, and nobody waits for a
    /// timeout. The threads end when the last clone of the hasher is
    /// dropped.
    pub fn bounded(concurrency: usize, max_wait: std::time::Duration) -> Self {
        let concurrency = concurrency.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..concurrency {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else { return };
                        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
                            tracing::error!("password hashing panicked");
                        }
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "could not start a password hashing thread");
            }
        }
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            max_wait,
            jobs,
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
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| {
                tracing::error!("password hashing threads are gone");
                AppError::Internal
            })?;
        result.await.map_err(|_| {
            tracing::error!("password hashing task failed");
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
