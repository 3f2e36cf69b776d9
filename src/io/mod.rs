//! The edge that touches the outside world: the folder on disk (`store`), the `git` program
//! (`git`), the git-ignored private overlay (`overlay`) and turning a CUSTOMER argument into a
//! file (`resolve`). Everything else in the crate is pure and is handed what these read.

pub(crate) mod git;
pub(crate) mod overlay;
pub(crate) mod resolve;
pub(crate) mod store;
