//! The edge that touches the outside world: the folder on disk (`store`, on the safe file
//! primitives of `files`, with the read cache of `cache`), the `git` program (`git`), the
//! git-ignored private overlay (`overlay`), turning a CUSTOMER argument into a file (`resolve`),
//! spreadsheets read (`sheet`) and databases written (`sqlite`), the person at the terminal and
//! their editor (`terminal`) and the one HTTP call, to a chat robot's webhook (`http`).
//! Everything else in the crate is pure and is handed what these read; no filesystem or process
//! call lives outside this folder.

pub(crate) mod cache;
pub(crate) mod files;
pub(crate) mod git;
pub(crate) mod http;
pub(crate) mod overlay;
pub(crate) mod resolve;
pub(crate) mod sheet;
pub(crate) mod sqlite;
pub(crate) mod store;
pub(crate) mod terminal;
