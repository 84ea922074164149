//! The secrets of an encrypted archive and the primitives over them.
//!
//! - `Secret`: the passphrase. SQLCipher derives the database key from it (PBKDF2-HMAC-SHA512,
//!   256,000 iterations, a per-file salt).
//! - `FileKey`: 32 random bytes made when an archive is encrypted, from which the attachment
//!   cipher key and the name key are derived (HMAC-SHA256 with fixed labels). It is kept in
//!   `files/key`, sealed with a key derived from the passphrase by argon2id (random salt and the
//!   cost parameters stored beside it), so that the attachments are exactly as hard to open as
//!   the database. Changing the passphrase rewraps this one small file; the attachments keep
//!   their key, so a backup made before the change still finds its files.
//! - Each attachment is sealed with XChaCha20-Poly1305 under a random 192-bit nonce, its
//!   plaintext SHA-256 as associated data (a file moved to another name fails to open), and
//!   stored under HMAC-SHA256(name key, SHA-256): a known document's hash does not reveal that
//!   the archive holds it.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Block, Params, Version};
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// The environment variable the CLI reads the passphrase from (`DANGAN_PASSWORD` is a user's
/// login password, not this).
pub const PASSPHRASE_ENV: &str = "DANGAN_PASSPHRASE";

/// The archive's passphrase. Never printed (`Debug` hides it).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

/// The passphrase's bytes are overwritten when the last copy goes.
impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl Secret {
    /// A passphrase; None for an empty one (an empty key would leave SQLCipher unkeyed).
    pub fn new(passphrase: impl Into<String>) -> Option<Secret> {
        let passphrase = passphrase.into();
        (!passphrase.is_empty()).then_some(Secret(passphrase))
    }

    /// The passphrase in `DANGAN_PASSPHRASE`, if set and not empty.
    pub fn from_env() -> Option<Secret> {
        std::env::var(PASSPHRASE_ENV).ok().and_then(Secret::new)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// A cryptographic operation failed: a wrong key, or a file that is not what it claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unsealed;

const FILE_MAGIC: &[u8; 8] = b"DGNFILE1";
const KEY_MAGIC: &[u8; 8] = b"DGNKEY01";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const SALT_LEN: usize = 16;
/// Bytes a sealed attachment has beyond its content.
pub(crate) const SEALED_OVERHEAD: u64 = (FILE_MAGIC.len() + NONCE_LEN + TAG_LEN) as u64;

/// The file under `files/` holding the wrapped file key, and the one a passphrase change writes
/// before the database is swapped.
pub(crate) const KEY_FILE: &str = "key";
pub(crate) const NEXT_KEY_FILE: &str = "key.next";

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

fn hmac(key: &[u8], data: &[&[u8]]) -> Result<[u8; 32], Unsealed> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).map_err(|_| Unsealed)?;
    for part in data {
        mac.update(part);
    }
    Ok(mac.finalize().into_bytes().into())
}

fn seal_with(key: &[u8; 32], aad: &[u8], plain: &[u8]) -> Result<([u8; 24], Vec<u8>), Unsealed> {
    let cipher = XChaCha20Poly1305::new(&Key::from(*key));
    let nonce = random::<NONCE_LEN>();
    let sealed = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad })
        .map_err(|_| Unsealed)?;
    Ok((nonce, sealed))
}

fn open_with(key: &[u8; 32], aad: &[u8], nonce: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Unsealed> {
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| Unsealed)?;
    XChaCha20Poly1305::new(&Key::from(*key))
        .decrypt(&XNonce::from(nonce), Payload { msg: sealed, aad })
        .map_err(|_| Unsealed)
}

/// The key of an encrypted archive's attachments.
#[derive(Clone)]
pub(crate) struct FileKey {
    master: [u8; 32],
    content: [u8; 32],
    names: [u8; 32],
}

/// The key bytes are overwritten when the last copy goes.
impl Drop for FileKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.master);
        zeroize::Zeroize::zeroize(&mut self.content);
        zeroize::Zeroize::zeroize(&mut self.names);
    }
}

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FileKey(<hidden>)")
    }
}

impl FileKey {
    fn from_master(master: [u8; 32]) -> Result<FileKey, Unsealed> {
        Ok(FileKey {
            master,
            content: hmac(&master, &[b"dangan attachment content v1"])?,
            names: hmac(&master, &[b"dangan attachment names v1"])?,
        })
    }

    pub(crate) fn generate() -> Result<FileKey, Unsealed> {
        FileKey::from_master(random())
    }

    /// The name a file with this plaintext SHA-256 is stored under (64 hex digits).
    pub(crate) fn stored_name(&self, sha256: &str) -> Result<String, Unsealed> {
        Ok(hex::encode(hmac(&self.names, &[sha256.as_bytes()])?))
    }

    /// `plain` sealed for storage: magic, nonce, ciphertext and tag.
    pub(crate) fn seal(&self, sha256: &str, plain: &[u8]) -> Result<Vec<u8>, Unsealed> {
        let aad = [FILE_MAGIC.as_slice(), sha256.as_bytes()].concat();
        let (nonce, sealed) = seal_with(&self.content, &aad, plain)?;
        Ok([FILE_MAGIC.as_slice(), &nonce, &sealed].concat())
    }

    /// The content of a sealed file, if it was sealed under this key for this hash.
    pub(crate) fn open(&self, sha256: &str, stored: &[u8]) -> Result<Vec<u8>, Unsealed> {
        let header = FILE_MAGIC.len() + NONCE_LEN;
        if stored.len() < header + TAG_LEN || &stored[..FILE_MAGIC.len()] != FILE_MAGIC {
            return Err(Unsealed);
        }
        let aad = [FILE_MAGIC.as_slice(), sha256.as_bytes()].concat();
        open_with(
            &self.content,
            &aad,
            &stored[FILE_MAGIC.len()..header],
            &stored[header..],
        )
    }

    /// The key wrapped under `secret` (argon2id with a fresh salt), as `files/key` holds it.
    pub(crate) fn wrap(&self, secret: &Secret) -> Result<Vec<u8>, Unsealed> {
        let params = Params::default();
        let salt = random::<SALT_LEN>();
        let (m, t, p) = (params.m_cost(), params.t_cost(), params.p_cost());
        let header = [
            KEY_MAGIC.as_slice(),
            &m.to_le_bytes(),
            &t.to_le_bytes(),
            &p.to_le_bytes(),
            &salt,
        ]
        .concat();
        let kek = derive(secret, &salt, m, t, p)?;
        let (nonce, sealed) = seal_with(&kek, &header, &self.master)?;
        Ok([header.as_slice(), &nonce, &sealed].concat())
    }

    /// The key in a `files/key` file, if `secret` is the passphrase it was wrapped under.
    pub(crate) fn unwrap(bytes: &[u8], secret: &Secret) -> Result<FileKey, Unsealed> {
        let header_len = KEY_MAGIC.len() + 12 + SALT_LEN;
        if bytes.len() != header_len + NONCE_LEN + 32 + TAG_LEN
            || &bytes[..KEY_MAGIC.len()] != KEY_MAGIC
        {
            return Err(Unsealed);
        }
        let word = |at: usize| -> Result<u32, Unsealed> {
            let four: [u8; 4] = bytes[at..at + 4].try_into().map_err(|_| Unsealed)?;
            Ok(u32::from_le_bytes(four))
        };
        let (m, t, p) = (word(8)?, word(12)?, word(16)?);
        let salt = &bytes[20..header_len];
        let kek = derive(secret, salt, m, t, p)?;
        let master = open_with(
            &kek,
            &bytes[..header_len],
            &bytes[header_len..header_len + NONCE_LEN],
            &bytes[header_len + NONCE_LEN..],
        )?;
        FileKey::from_master(master.try_into().map_err(|_| Unsealed)?)
    }
}

fn derive(secret: &Secret, salt: &[u8], m: u32, t: u32, p: u32) -> Result<[u8; 32], Unsealed> {
    let params = Params::new(m, t, p, Some(32)).map_err(|_| Unsealed)?;
    let mut out = [0u8; 32];
    // The memory argon2 works in, allocated here (argon2's `alloc` feature would pull in
    // password-hash and a second rand_core for nothing).
    let mut blocks = vec![Block::default(); params.block_count()];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into_with_memory(secret.expose().as_bytes(), salt, &mut out, &mut blocks)
        .map_err(|_| Unsealed)?;
    Ok(out)
}

/// Writes `bytes` to `target` through a temporary file in the same folder, fsynced and renamed:
/// the target is either the old file or the whole new one.
pub(crate) fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|err| err.error)?;
    crate::db::backups::sync_dir(target);
    Ok(())
}

/// Why the file key of an encrypted archive could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyProblem {
    /// `files/key` is missing although the folder holds files.
    Missing(PathBuf),
    /// `files/key` does not open with this passphrase (nor does a pending `key.next`).
    Unreadable(PathBuf),
    Io(PathBuf, String),
}

/// Loads the file key of an encrypted archive from `files/key`, creating one when the folder has
/// no files yet (a new encrypted archive). Finishes an interrupted passphrase change: when the
/// database opened with `secret` (the caller checked) but `key` does not, a `key.next` that does
/// is the change's new key and takes its place; a `key.next` left by a change that never swapped
/// its database is removed.
pub(crate) fn load_file_key(files_dir: &Path, secret: &Secret) -> Result<FileKey, KeyProblem> {
    let path = files_dir.join(KEY_FILE);
    let next = files_dir.join(NEXT_KEY_FILE);
    let io = |path: &Path, err: std::io::Error| KeyProblem::Io(path.to_path_buf(), err.to_string());
    match fs::read(&path) {
        Ok(bytes) => {
            if let Ok(key) = FileKey::unwrap(&bytes, secret) {
                let _ = fs::remove_file(&next);
                return Ok(key);
            }
            match fs::read(&next) {
                Ok(bytes) => {
                    let key = FileKey::unwrap(&bytes, secret)
                        .map_err(|_| KeyProblem::Unreadable(path.clone()))?;
                    fs::rename(&next, &path).map_err(|err| io(&path, err))?;
                    crate::db::backups::sync_dir(&path);
                    Ok(key)
                }
                Err(_) => Err(KeyProblem::Unreadable(path)),
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if holds_files(files_dir).map_err(|err| io(files_dir, err))? {
                return Err(KeyProblem::Missing(path));
            }
            let key = FileKey::generate().map_err(|_| KeyProblem::Unreadable(path.clone()))?;
            let wrapped = key
                .wrap(secret)
                .map_err(|_| KeyProblem::Unreadable(path.clone()))?;
            write_atomically(&path, &wrapped).map_err(|err| io(&path, err))?;
            Ok(key)
        }
        Err(err) => Err(io(&path, err)),
    }
}

/// Whether the store holds any stored file (in a two-character subfolder).
fn holds_files(files_dir: &Path) -> std::io::Result<bool> {
    Ok(!stored_files(files_dir)?.is_empty())
}

/// Every file in the store: `files/xx/<64 hex>`.
pub(crate) fn stored_files(files_dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    let dirs = match fs::read_dir(files_dir) {
        Ok(dirs) => dirs,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(err) => return Err(err),
    };
    for dir in dirs {
        let dir = dir?;
        if !dir.file_type()?.is_dir() || dir.file_name().len() != 2 {
            continue;
        }
        for file in fs::read_dir(dir.path())? {
            let file = file?;
            let name = file.file_name().to_string_lossy().to_string();
            let is_hash = name.len() == 64
                && name
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if is_hash && file.file_type()?.is_file() {
                found.push((name, file.path()));
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> Secret {
        Secret::new(s).unwrap()
    }

    #[test]
    fn a_sealed_file_opens_only_under_its_key_and_hash() {
        let key = FileKey::generate().unwrap();
        let sealed = key.seal("aa", "入党申请书".as_bytes()).unwrap();
        assert_eq!(
            sealed.len() as u64,
            "入党申请书".len() as u64 + SEALED_OVERHEAD
        );
        assert!(!sealed.windows(6).any(|w| w == "入党".as_bytes()));
        assert_eq!(key.open("aa", &sealed).unwrap(), "入党申请书".as_bytes());
        assert_eq!(key.open("bb", &sealed), Err(Unsealed));
        let other = FileKey::generate().unwrap();
        assert_eq!(other.open("aa", &sealed), Err(Unsealed));
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(key.open("aa", &flipped), Err(Unsealed));
        // Random nonces: the same content seals differently each time.
        assert_ne!(key.seal("aa", b"x").unwrap(), key.seal("aa", b"x").unwrap());
    }

    #[test]
    fn names_are_keyed() {
        let a = FileKey::generate().unwrap();
        let b = FileKey::generate().unwrap();
        let sha = "ab".repeat(32);
        let name = a.stored_name(&sha).unwrap();
        assert_eq!(name.len(), 64);
        assert_eq!(name, a.stored_name(&sha).unwrap());
        assert_ne!(name, sha);
        assert_ne!(name, b.stored_name(&sha).unwrap());
    }

    #[test]
    fn a_wrapped_key_unwraps_only_with_its_passphrase() {
        let key = FileKey::generate().unwrap();
        let wrapped = key.wrap(&secret("正确的口令")).unwrap();
        let back = FileKey::unwrap(&wrapped, &secret("正确的口令")).unwrap();
        assert_eq!(back.master, key.master);
        assert!(FileKey::unwrap(&wrapped, &secret("错误的口令")).is_err());
        assert!(FileKey::unwrap(&wrapped[1..], &secret("正确的口令")).is_err());
    }

    #[test]
    fn an_interrupted_passphrase_change_is_finished_or_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path();
        let key = load_file_key(files, &secret("old")).unwrap();
        // The new key file was written but the database was never swapped: forgotten.
        fs::write(files.join(NEXT_KEY_FILE), key.wrap(&secret("new")).unwrap()).unwrap();
        let again = load_file_key(files, &secret("old")).unwrap();
        assert_eq!(again.master, key.master);
        assert!(!files.join(NEXT_KEY_FILE).exists());
        // The database was swapped (it opened with "new") but the key file was not renamed.
        fs::write(files.join(NEXT_KEY_FILE), key.wrap(&secret("new")).unwrap()).unwrap();
        let after = load_file_key(files, &secret("new")).unwrap();
        assert_eq!(after.master, key.master);
        assert!(!files.join(NEXT_KEY_FILE).exists());
        assert!(load_file_key(files, &secret("old")).is_err());
    }

    #[test]
    fn a_missing_key_is_not_replaced_when_files_exist() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("ab");
        fs::create_dir_all(&sub).unwrap();
        fs::write(sub.join("ab".repeat(32)), b"sealed").unwrap();
        assert!(matches!(
            load_file_key(dir.path(), &secret("x")),
            Err(KeyProblem::Missing(_))
        ));
    }
}
