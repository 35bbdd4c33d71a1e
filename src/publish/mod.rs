//! `kanko publish`: uploads a built `dist/` to a website so that it is never half-updated.
//!
//! Only what changed by content is sent (against a manifest kept on the target, written
//! last); files go up in an order where nothing links to a file not there yet; each file is
//! written under a temporary name and renamed into place; deletions come after everything
//! else and only touch files kanko itself published. An interrupted publish leaves a journal
//! on the target so that running the same command again finishes the job.

/// `t!` with format arguments: Japanese or English by the UI language.
macro_rules! pt {
    ($ja:literal, $en:literal $(, $($a:tt)*)?) => {
        if $crate::i18n::japanese() {
            format!($ja $(, $($a)*)?)
        } else {
            format!($en $(, $($a)*)?)
        }
    };
}

mod config;
mod file;
mod plan;
mod run;
mod s3;
mod settings;
mod sftp;
mod target;

pub use run::run;
