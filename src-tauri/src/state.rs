//! The open archive the commands share, and the one way commands reach it.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dangan::cipher::Secret;
use dangan::{Actor, ApiError, Archive, ArchiveError, ErrorCode, backup};

/// How often the app asks the core whether a scheduled backup is due while it stays open (the
/// policy stored in the archive decides whether one is).
const BACKUP_CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// Opens a second connection to the archive folder `root`, for work that must not hold the
/// shared archive's mutex (the backups), with the archive's passphrase when it is encrypted.
pub fn open_second(root: &Path, secret: Option<&Secret>) -> Result<Archive, ArchiveError> {
    Archive::open_existing_with(root, secret)
}

/// The passphrase of an unlocked encrypted archive, for the backups' own connections (the
/// shared `Archive` holds its own copy). Set by `unlock`, None for a plain archive; wiped from
/// memory when dropped (`Secret` zeroizes itself).
type SharedSecret = Arc<Mutex<Option<Secret>>>;

pub struct AppState {
    /// The archive, or why it could not be opened (shown by every command, so the window can say
    /// so instead of failing to start). An encrypted archive starts as `passphrase_required`
    /// and is opened by `unlock`.
    archive: Mutex<Result<Arc<Mutex<Archive>>, ApiError>>,
    /// The archive folder, to open an encrypted archive once its passphrase is given and for the
    /// backups' own connection.
    root: Option<PathBuf>,
    /// See `SharedSecret`.
    secret: SharedSecret,
    /// Held while a backup or a restore runs, so that the scheduled backup, 立即备份 and 恢复
    /// never overlap (a restore refuses to swap while another connection is open).
    backup_lock: Arc<Mutex<()>>,
    /// The logged-in user (`session_login`), or None: every command but the session ones
    /// refuses with `not_logged_in` then (see `actor`).
    session: Mutex<Option<Actor>>,
    /// Set by `roster_cancel` to stop the running roster preview or import (it writes nothing).
    roster_cancel: Arc<AtomicBool>,
    /// Set by `pdf_cancel` to stop the running PDF batch; cleared when a batch starts.
    pdf_cancel: Arc<AtomicBool>,
    /// Folders the user chose for a batch this session: the preview may read PDFs there too.
    pdf_dirs: Mutex<Vec<PathBuf>>,
}

impl AppState {
    pub fn open(explicit_dir: Option<PathBuf>) -> AppState {
        let root = Archive::resolve_dir(explicit_dir);
        let archive = root
            .as_ref()
            .map_err(ApiError::from_error)
            .and_then(|dir| open_archive(dir, None));
        if let Err(err) = &archive {
            eprintln!("dangan-app: {}", err.message);
        }
        AppState {
            archive: Mutex::new(archive),
            root: root.ok(),
            secret: Arc::new(Mutex::new(None)),
            backup_lock: Arc::new(Mutex::new(())),
            session: Mutex::new(None),
            roster_cancel: Arc::new(AtomicBool::new(false)),
            pdf_cancel: Arc::new(AtomicBool::new(false)),
            pdf_dirs: Mutex::new(Vec::new()),
        }
    }

    /// Starts the thread that makes the scheduled backup now and every hour while the app is
    /// open, each time on a connection of its own (never the shared archive's mutex), and only
    /// if the archive's backup policy says one is due. It acts as `Actor::system()`: the program,
    /// not whoever is logged in (nobody may be).
    ///
    /// An encrypted archive starts it once unlocked (`unlock`); a locked one has nothing to
    /// back up yet.
    pub fn start_backup_schedule(&self) {
        let (Some(root), Ok(_)) = (self.root.clone(), self.archive()) else {
            return;
        };
        let lock = Arc::clone(&self.backup_lock);
        let secret = Arc::clone(&self.secret);
        let actor = Actor::system();
        let spawned = std::thread::Builder::new()
            .name("scheduled-backup".to_string())
            .spawn(move || {
                loop {
                    scheduled_backup(&root, &secret, &actor, &lock);
                    std::thread::sleep(BACKUP_CHECK_EVERY);
                }
            });
        if let Err(err) = spawned {
            eprintln!("dangan-app: cannot start the scheduled backup: {err}");
        }
    }

    /// Runs a backup job on a connection of its own (on a blocking thread, holding the backup
    /// lock but not the archive's mutex): the other commands keep working during the copy.
    pub async fn run_backup<T, E>(
        &self,
        job: impl FnOnce(&mut Archive, &Actor) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: ErrorCode,
    {
        self.archive()?;
        let actor = self.actor()?;
        let root = self
            .root
            .clone()
            .ok_or_else(|| internal("no archive folder"))?;
        let lock = Arc::clone(&self.backup_lock);
        let secret = Arc::clone(&self.secret);
        tauri::async_runtime::spawn_blocking(move || {
            let _guard = lock
                .lock()
                .map_err(|_| internal("the backup lock was poisoned"))?;
            let mut archive = open_second(&root, current_secret(&secret)?.as_ref())
                .map_err(|err| ApiError::from_error(&err))?;
            as_current(&mut archive, &actor, job)
        })
        .await
        .map_err(|err| internal(&err.to_string()))?
    }

    /// `run_mut` holding the backup lock too: for the restore, which swaps the database under
    /// the shared connection and must not meet a backup's connection.
    pub async fn run_restore<T, E>(
        &self,
        job: impl FnOnce(&mut Archive, &Actor) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: ErrorCode,
    {
        let archive = self.archive()?;
        let actor = self.actor()?;
        let lock = Arc::clone(&self.backup_lock);
        tauri::async_runtime::spawn_blocking(move || {
            let _guard = lock
                .lock()
                .map_err(|_| internal("the backup lock was poisoned"))?;
            let mut archive = archive
                .lock()
                .map_err(|_| internal("the archive lock was poisoned"))?;
            as_current(&mut archive, &actor, job)
        })
        .await
        .map_err(|err| internal(&err.to_string()))?
    }

    /// Runs `job` on the archive without a session: only for logging in and what the login page
    /// shows (whether the archive is a demo).
    pub async fn run_unauthenticated<T, E>(
        &self,
        job: impl FnOnce(&mut Archive) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: ErrorCode,
    {
        let archive = self.archive()?;
        tauri::async_runtime::spawn_blocking(move || {
            let mut archive = archive
                .lock()
                .map_err(|_| internal("the archive lock was poisoned"))?;
            job(&mut archive).map_err(|err| ApiError::from_error(&err))
        })
        .await
        .map_err(|err| internal(&err.to_string()))?
    }

    /// Starts (Some) or ends (None) the session.
    pub fn set_session(&self, actor: Option<Actor>) {
        if let Ok(mut session) = self.session.lock() {
            *session = actor;
        }
    }

    /// The logged-in user, or `not_logged_in`: the one place every command's actor comes from.
    pub fn actor(&self) -> Result<Actor, ApiError> {
        self.session
            .lock()
            .map_err(|_| internal("the session lock was poisoned"))?
            .clone()
            .ok_or_else(|| ApiError {
                code: "not_logged_in".to_string(),
                message: "请先登录".to_string(),
                details: serde_json::Value::Null,
            })
    }

    fn archive(&self) -> Result<Arc<Mutex<Archive>>, ApiError> {
        self.archive
            .lock()
            .map_err(|_| internal("the archive lock was poisoned"))?
            .clone()
    }

    /// Whether the archive waits for its passphrase (it is encrypted and not unlocked yet).
    pub fn locked(&self) -> bool {
        matches!(self.archive(), Err(err) if err.code == "passphrase_required")
    }

    /// Opens the encrypted archive with `passphrase` (off the UI thread: the key derivation takes
    /// a moment). A wrong one leaves the state as it was, so the user can try again. Nobody is
    /// logged in yet, so it tells nothing about the archive: the login page comes next. Starts
    /// the scheduled backup, which a locked archive could not run.
    pub async fn unlock(&self, passphrase: String) -> Result<(), ApiError> {
        if !self.locked() {
            // Already open (or failing for another reason, which this reports).
            return self.archive().map(|_| ());
        }
        let dir = self
            .root
            .clone()
            .ok_or_else(|| internal("no archive folder"))?;
        let secret = Secret::new(passphrase).ok_or_else(|| ApiError {
            code: "passphrase_wrong".to_string(),
            message: "the passphrase is empty".to_string(),
            details: serde_json::Value::Null,
        })?;
        let kept = secret.clone();
        let archive =
            tauri::async_runtime::spawn_blocking(move || open_archive(&dir, Some(&secret)))
                .await
                .map_err(|err| internal(&err.to_string()))??;
        *self
            .secret
            .lock()
            .map_err(|_| internal("the passphrase lock was poisoned"))? = Some(kept);
        *self
            .archive
            .lock()
            .map_err(|_| internal("the archive lock was poisoned"))? = Ok(archive);
        self.start_backup_schedule();
        Ok(())
    }

    /// The PDF batch's cancel flag.
    pub fn pdf_cancel(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.pdf_cancel)
    }

    /// The folders chosen for batches this session.
    pub fn pdf_dirs(&self) -> Vec<PathBuf> {
        self.pdf_dirs.lock().map(|d| d.clone()).unwrap_or_default()
    }

    /// Remembers a folder chosen for a batch.
    pub fn add_pdf_dir(&self, dir: PathBuf) {
        if let Ok(mut dirs) = self.pdf_dirs.lock()
            && !dirs.contains(&dir)
        {
            dirs.push(dir);
        }
    }

    /// The flag that cancels the running roster preview or import.
    pub fn roster_cancel(&self) -> Arc<AtomicBool> {
        self.roster_cancel.clone()
    }

    /// Runs `job` against the archive on a blocking thread, so the UI thread never waits on SQLite.
    /// Refused with `not_logged_in` without a session.
    pub async fn run<T, E>(
        &self,
        job: impl FnOnce(&Archive, &Actor) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: ErrorCode,
    {
        self.run_mut(move |archive, actor| job(archive, actor))
            .await
    }

    /// Like `run`, for jobs that write.
    pub async fn run_mut<T, E>(
        &self,
        job: impl FnOnce(&mut Archive, &Actor) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: ErrorCode,
    {
        let archive = self.archive()?;
        let actor = self.actor()?;
        tauri::async_runtime::spawn_blocking(move || {
            let mut archive = archive
                .lock()
                .map_err(|_| internal("the archive lock was poisoned"))?;
            as_current(&mut archive, &actor, job)
        })
        .await
        .map_err(|err| internal(&err.to_string()))?
    }
}

/// Runs `job` as the session's actor as its account stands now (disabled, or with another role
/// or scope since the login: `auth::refresh`), mapping either error for the UI.
fn as_current<T, E: ErrorCode>(
    archive: &mut Archive,
    actor: &Actor,
    job: impl FnOnce(&mut Archive, &Actor) -> Result<T, E>,
) -> Result<T, ApiError> {
    let actor = dangan::auth::refresh(archive, actor).map_err(|err| ApiError::from_error(&err))?;
    job(archive, &actor).map_err(|err| ApiError::from_error(&err))
}

/// One scheduled-backup check; what happened goes to stderr (the app has no other log yet).
fn scheduled_backup(root: &Path, secret: &SharedSecret, actor: &Actor, lock: &Mutex<()>) {
    let Ok(_guard) = lock.lock() else {
        return;
    };
    let made = current_secret(secret)
        .and_then(|secret| {
            open_second(root, secret.as_ref()).map_err(|err| ApiError::from_error(&err))
        })
        .and_then(|mut archive| {
            backup::backup_if_due(&mut archive, actor, chrono::Utc::now())
                .map_err(|err| ApiError::from_error(&err))
        });
    match made {
        Ok(Some(record)) => eprintln!(
            "dangan-app: scheduled backup {} ({} bytes, {} ms)",
            record.file, record.bytes, record.millis
        ),
        Ok(None) => {}
        Err(err) => eprintln!("dangan-app: scheduled backup failed: {}", err.message),
    }
}

/// A copy of the passphrase for one backup connection (dropped, and wiped, when it is done).
fn current_secret(secret: &SharedSecret) -> Result<Option<Secret>, ApiError> {
    Ok(secret
        .lock()
        .map_err(|_| internal("the passphrase lock was poisoned"))?
        .clone())
}

fn open_archive(dir: &Path, secret: Option<&Secret>) -> Result<Arc<Mutex<Archive>>, ApiError> {
    Archive::open_with(dir, secret)
        .map(|archive| Arc::new(Mutex::new(archive)))
        .map_err(|err| ApiError::from_error(&err))
}

fn internal(message: &str) -> ApiError {
    ApiError {
        code: "internal".to_string(),
        message: message.to_string(),
        details: serde_json::Value::Null,
    }
}
