//! The edge that touches the outside world: the folder on disk (`store`, on the safe file
//! primitives of `files`), the `git` program (`git`), the git-ignored private overlay
//! (`overlay`), turning a CUSTOMER argument into a file (`resolve`) and the one HTTP call, to a
//! chat robot's webhook (`http`). Everything else in the crate is pure and is handed what these
//! read.

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
