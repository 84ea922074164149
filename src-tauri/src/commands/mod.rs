//! One file per backend area, each command named `<area>_<verb>` after the core function it calls.

pub mod appraisals;
pub mod archive;
pub mod audit;
pub mod backup;
pub mod documents;
pub mod lifecycle;
pub mod meetings;
pub mod members;
pub mod org;
pub mod pdf;
pub mod reminders;
pub mod reports;
pub mod roster;
pub mod search;
pub mod session;
pub mod stats;
pub mod upload;
pub mod users;
