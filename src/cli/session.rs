//! The CLI's side of accounts and of the archive's passphrase: the passphrase of an encrypted
//! archive (`DANGAN_PASSPHRASE` or a prompt, asked once per run and asked first), who is running
//! the command (`--user`/`DANGAN_USER`, the password from `DANGAN_PASSWORD` or a prompt), the
//! first admin of `init` and `demo`, and `dangan user`. Only parsing, prompting and printing: the
//! core decides.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::OnceLock;

use clap::{Args, Subcommand};
use dangan::auth::{self, AuthError, NewUser, PASSWORD_ENV, UserSummary};
use dangan::cipher::Secret;
use dangan::{Actor, Archive, Role};

use super::{Failure, JsonFlag, print};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (admin). The new password comes from DANGAN_NEW_PASSWORD or a prompt.
    Add(UserAddArgs),
    /// List the accounts with role, scope and lock (admin).
    List(JsonFlag),
    /// Change your own password (the old one is the one you logged in with; the new one comes
    /// from DANGAN_NEW_PASSWORD or a prompt).
    Passwd(JsonFlag),
    /// Set another user's password (admin); clears a lock.
    Reset {
        name: String,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Lift a lock after repeated wrong passwords (admin).
    Unlock {
        name: String,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Disable an account (admin): it can no longer log in; its history is kept. Not your own
    /// account, not the last enabled admin.
    Disable {
        name: String,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Enable a disabled account again (admin).
    Enable {
        name: String,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Change a user's role (admin): admin, counselor, secretary, clerk or viewer. Not your own,
    /// not the last enabled admin's.
    Role {
        name: String,
        #[arg(value_parser = parse_role)]
        role: Role,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Replace a user's scope by these units (admin): ids, unit names or college/branch.
    Scope {
        name: String,
        #[arg(required = true)]
        units: Vec<String>,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    name: String,
    /// admin, counselor, secretary, clerk or viewer.
    #[arg(long, value_parser = parse_role)]
    role: Role,
    /// A unit the user sees with everything below it (id, name or college/branch); repeatable.
    /// Needed for counselor, secretary and viewer.
    #[arg(long = "scope", value_name = "UNIT")]
    scopes: Vec<String>,
    /// The name shown in the app (default: the username).
    #[arg(long)]
    display_name: Option<String>,
    #[command(flatten)]
    output: JsonFlag,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::from_code(text)
        .ok_or_else(|| "expected admin, counselor, secretary, clerk or viewer".to_string())
}

/// The environment variable a new password (user add / passwd / reset) is read from.
pub const NEW_PASSWORD_ENV: &str = "DANGAN_NEW_PASSWORD";

fn password_from(env: &str, prompt: &str) -> Result<Option<String>, Failure> {
    if let Ok(password) = std::env::var(env) {
        return Ok(Some(password));
    }
    ask(prompt)
}

/// Asks on the terminal without echo; None when there is no terminal (never waits on a pipe).
fn ask(prompt: &str) -> Result<Option<String>, Failure> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    rpassword::prompt_password(prompt)
        .map(Some)
        .map_err(|err| Failure {
            code: "io",
            message: format!("cannot read the password: {err}"),
        })
}

/// A new password: from `env`, or typed twice.
fn new_password(env: &str) -> Result<String, Failure> {
    if let Ok(password) = std::env::var(env) {
        return Ok(password);
    }
    let first = ask("新密码：")?.ok_or(Failure {
        code: "login_required",
        message: format!("no terminal to ask for the new password: set {env}"),
    })?;
    let second = ask("再输入一次：")?.unwrap_or_default();
    if first != second {
        return Err(Failure {
            code: "invalid_argument",
            message: "两次输入的密码不一致".to_string(),
        });
    }
    Ok(first)
}

/// The passphrase of this run, once known (None: the archive is plain, or nobody gave one).
static PASSPHRASE: OnceLock<Option<Secret>> = OnceLock::new();

/// Sets this run's passphrase: `init --encrypt`'s new one, before the archive is created.
pub fn set_passphrase(secret: Secret) {
    let _ = PASSPHRASE.set(Some(secret));
}

/// The passphrase for the archive in `dir`: DANGAN_PASSPHRASE, else typed at a prompt when the
/// archive is encrypted and a terminal is there to ask (else the core says it is required).
/// Asked once: every open of this run uses the same answer.
pub fn passphrase(dir: &Path) -> Result<Option<&'static Secret>, Failure> {
    if let Some(known) = PASSPHRASE.get() {
        return Ok(known.as_ref());
    }
    let found = match Secret::from_env() {
        Some(secret) => Some(secret),
        None if Archive::is_encrypted_at(dir)? && std::io::stdin().is_terminal() => {
            let typed =
                rpassword::prompt_password("档案口令 (passphrase): ").map_err(|err| Failure {
                    code: "io",
                    message: format!("cannot read the passphrase: {err}"),
                })?;
            Secret::new(typed)
        }
        None => None,
    };
    Ok(PASSPHRASE.get_or_init(|| found).as_ref())
}

/// Opens the archive in `dir`, which must exist, with its passphrase when it is encrypted.
pub fn open_existing(dir: &Path) -> Result<Archive, Failure> {
    Ok(Archive::open_existing_with(dir, passphrase(dir)?)?)
}

/// Opens the archive in `dir`, creating it (encrypted when a passphrase was given) if needed.
pub fn open(dir: &Path) -> Result<Archive, Failure> {
    Ok(Archive::open_with(dir, passphrase(dir)?)?)
}

/// Logs `user` in to the archive at `dir` (which must exist): the archive is opened with its
/// passphrase first, so a wrong passphrase is refused (exit 9) before any password is asked.
pub fn login(dir: &Path, user: Option<&str>) -> Result<Actor, Failure> {
    let archive = open_existing(dir)?;
    login_to(&archive, user)
}

fn login_to(archive: &Archive, user: Option<&str>) -> Result<Actor, Failure> {
    let user = user.ok_or(AuthError::LoginRequired)?;
    let password = password_from(PASSWORD_ENV, &format!("{user} 的密码："))?
        .ok_or(AuthError::LoginRequired)?;
    Ok(auth::login(archive, user, &password)?)
}

/// `init`: the first admin of an archive without accounts (named by `--user`, default `admin`,
/// the password from DANGAN_PASSWORD or typed twice); on an archive with accounts, a login.
pub fn init_actor(dir: &Path, user: Option<&str>) -> Result<Actor, Failure> {
    let mut archive = open(dir)?;
    if auth::has_accounts(&archive)? {
        return login_to(&archive, user);
    }
    let password = new_password(PASSWORD_ENV)?;
    Ok(auth::bootstrap_admin(
        &mut archive,
        user.unwrap_or("admin"),
        &password,
    )?)
}

/// `demo`: in an archive without accounts, the demo admin (its password is the shown one); else
/// a login as an admin.
pub fn demo_actor(dir: &Path, user: Option<&str>) -> Result<Actor, Failure> {
    let mut archive = open(dir)?;
    if auth::has_accounts(&archive)? {
        let actor = login_to(&archive, user)?;
        auth::require_admin(&archive, &actor)?;
        return Ok(actor);
    }
    // Refused before an admin with a public password is created in a real archive.
    dangan::demo::check_empty(&archive)?;
    let admin = &auth::DEMO_ACCOUNTS[0];
    Ok(auth::bootstrap_admin(
        &mut archive,
        admin.username,
        admin.password,
    )?)
}

fn describe_user(u: &UserSummary) -> String {
    let scope = if u.scope.is_empty() {
        "全部".to_string()
    } else {
        u.scope.join("、")
    };
    let lock = u
        .locked_until
        .as_deref()
        .map(|t| format!("  锁定至 {t}"))
        .unwrap_or_default();
    let disabled = if u.disabled { "  已停用" } else { "" };
    format!(
        "{}\t{}\t{}\t{}\t{scope}{lock}{disabled}",
        u.id,
        u.username,
        u.display_name,
        u.role.as_code()
    )
}

fn units(archive: &Archive, texts: &[String]) -> Result<Vec<i64>, Failure> {
    texts
        .iter()
        .map(|t| auth::find_unit(archive, t).map_err(Failure::from))
        .collect()
}

pub fn user_command(dir: &Path, actor: &Actor, command: UserCommand) -> Result<(), Failure> {
    let mut archive = open_existing(dir)?;
    match command {
        UserCommand::Add(args) => {
            // Refused before asking for a password the actor could not use.
            auth::require_admin(&archive, actor)?;
            let scope_unit_ids = units(&archive, &args.scopes)?;
            let password = new_password(NEW_PASSWORD_ENV)?;
            let user = auth::create_user(
                &mut archive,
                actor,
                &NewUser {
                    username: args.name,
                    display_name: args.display_name,
                    role: args.role,
                    password,
                    scope_unit_ids,
                },
            )?;
            print(args.output.json, &user, || {
                format!("created {}", describe_user(&user))
            })
        }
        UserCommand::List(out) => {
            let users = auth::list_users(&archive, actor)?;
            print(out.json, &users, || {
                users
                    .iter()
                    .map(describe_user)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        UserCommand::Passwd(out) => {
            let old = std::env::var(PASSWORD_ENV).ok();
            let old = match old {
                Some(old) => old,
                None => ask("旧密码：")?.ok_or(AuthError::LoginRequired)?,
            };
            let new = new_password(NEW_PASSWORD_ENV)?;
            auth::change_password(&mut archive, actor, &old, &new)?;
            let result = serde_json::json!({ "username": actor.name(), "changed": true });
            print(out.json, &result, || "password changed".to_string())
        }
        UserCommand::Reset { name, output } => {
            auth::require_admin(&archive, actor)?;
            let new = new_password(NEW_PASSWORD_ENV)?;
            auth::reset_password(&mut archive, actor, &name, &new)?;
            let result = serde_json::json!({ "username": name, "reset": true });
            print(output.json, &result, || format!("password of {name} reset"))
        }
        UserCommand::Unlock { name, output } => {
            auth::unlock(&mut archive, actor, &name)?;
            let result = serde_json::json!({ "username": name, "unlocked": true });
            print(output.json, &result, || format!("{name} unlocked"))
        }
        UserCommand::Disable { name, output } => {
            let user = auth::set_disabled(&mut archive, actor, &name, true)?;
            print(output.json, &user, || describe_user(&user))
        }
        UserCommand::Enable { name, output } => {
            let user = auth::set_disabled(&mut archive, actor, &name, false)?;
            print(output.json, &user, || describe_user(&user))
        }
        UserCommand::Role { name, role, output } => {
            let user = auth::set_role(&mut archive, actor, &name, role)?;
            print(output.json, &user, || describe_user(&user))
        }
        UserCommand::Scope {
            name,
            units: texts,
            output,
        } => {
            let ids = units(&archive, &texts)?;
            let user = auth::set_scopes(&mut archive, actor, &name, &ids)?;
            print(output.json, &user, || describe_user(&user))
        }
    }
}
