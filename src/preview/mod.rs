//! `kanko serve`'s preview: builds into a temporary folder, serves it on 127.0.0.1 (`http`),
//! watches the reports and rebuilds what changed (`server`).

pub mod hosts;
pub mod http;
pub mod server;
