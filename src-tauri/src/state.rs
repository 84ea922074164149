//! The open archive the commands share, and the one way commands reach it.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use dangan::{Actor, ApiError, Archive, ErrorCode};

pub struct AppState {
    /// The archive, or why it could not be opened (shown by every command, so the window can say
    /// so instead of failing to start).
    archive: Result<Arc<Mutex<Archive>>, ApiError>,
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
        let archive = Archive::resolve_dir(explicit_dir)
            .and_then(Archive::open)
            .map(|archive| Arc::new(Mutex::new(archive)))
            .map_err(|err| ApiError::from_error(&err));
        if let Err(err) = &archive {
            eprintln!("dangan-app: {}", err.message);
        }
        AppState {
            archive,
            session: Mutex::new(None),
            roster_cancel: Arc::new(AtomicBool::new(false)),
            pdf_cancel: Arc::new(AtomicBool::new(false)),
            pdf_dirs: Mutex::new(Vec::new()),
        }
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
        let archive = self.archive.clone()?;
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
        let archive = self.archive.clone()?;
        let actor = self.actor()?;
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

fn internal(message: &str) -> ApiError {
    ApiError {
        code: "internal".to_string(),
        message: message.to_string(),
        details: serde_json::Value::Null,
    }
}
