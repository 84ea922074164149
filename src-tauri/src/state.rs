//! The open archive the commands share, and the one way commands reach it.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use dangan::cipher::Secret;
use dangan::{Actor, ApiError, Archive, ArchiveInfo, ErrorCode};

pub struct AppState {
    /// The archive, or why it could not be opened (shown by every command, so the window can say
    /// so instead of failing to start). An encrypted archive starts as `passphrase_required`
    /// and is opened by `unlock`.
    archive: Mutex<Result<Arc<Mutex<Archive>>, ApiError>>,
    /// The archive folder, kept to open an encrypted archive once its passphrase is given.
    dir: Option<PathBuf>,
    actor: Actor,
    /// Set by `roster_cancel` to stop the running roster preview or import (it writes nothing).
    roster_cancel: Arc<AtomicBool>,
    /// Set by `pdf_cancel` to stop the running PDF batch; cleared when a batch starts.
    pdf_cancel: Arc<AtomicBool>,
    /// Folders the user chose for a batch this session: the preview may read PDFs there too.
    pdf_dirs: Mutex<Vec<PathBuf>>,
}

impl AppState {
    pub fn open(explicit_dir: Option<PathBuf>) -> AppState {
        let dir = Archive::resolve_dir(explicit_dir);
        let archive = dir
            .as_ref()
            .map_err(ApiError::from_error)
            .and_then(|dir| open_archive(dir, None));
        if let Err(err) = &archive {
            eprintln!("dangan-app: {}", err.message);
        }
        AppState {
            archive: Mutex::new(archive),
            dir: dir.ok(),
            actor: Actor::local_admin(),
            roster_cancel: Arc::new(AtomicBool::new(false)),
            pdf_cancel: Arc::new(AtomicBool::new(false)),
            pdf_dirs: Mutex::new(Vec::new()),
        }
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
    /// a moment). A wrong one leaves the state as it was, so the user can try again.
    pub async fn unlock(&self, passphrase: String) -> Result<ArchiveInfo, ApiError> {
        if !self.locked() {
            // Already open (or failing for another reason): nothing to unlock.
            let archive = self.archive()?;
            let actor = self.actor.clone();
            return tauri::async_runtime::spawn_blocking(move || {
                let archive = archive
                    .lock()
                    .map_err(|_| internal("the archive lock was poisoned"))?;
                archive
                    .info(&actor)
                    .map_err(|err| ApiError::from_error(&err))
            })
            .await
            .map_err(|err| internal(&err.to_string()))?;
        }
        let dir = self
            .dir
            .clone()
            .ok_or_else(|| internal("no archive folder"))?;
        let secret = Secret::new(passphrase).ok_or_else(|| ApiError {
            code: "passphrase_wrong".to_string(),
            message: "the passphrase is empty".to_string(),
            details: serde_json::Value::Null,
        })?;
        let actor = self.actor.clone();
        let opened = tauri::async_runtime::spawn_blocking(move || {
            let archive = open_archive(&dir, Some(&secret))?;
            let info = archive
                .lock()
                .map_err(|_| internal("the archive lock was poisoned"))?
                .info(&actor)
                .map_err(|err| ApiError::from_error(&err))?;
            Ok::<_, ApiError>((archive, info))
        })
        .await
        .map_err(|err| internal(&err.to_string()))??;
        let (archive, info) = opened;
        *self
            .archive
            .lock()
            .map_err(|_| internal("the archive lock was poisoned"))? = Ok(archive);
        Ok(info)
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
        let actor = self.actor.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut archive = archive
                .lock()
                .map_err(|_| internal("the archive lock was poisoned"))?;
            job(&mut archive, &actor).map_err(|err| ApiError::from_error(&err))
        })
        .await
        .map_err(|err| internal(&err.to_string()))?
    }
}

fn open_archive(
    dir: &std::path::Path,
    secret: Option<&Secret>,
) -> Result<Arc<Mutex<Archive>>, ApiError> {
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
