//! The model: what a sales folder's files mean, as plain data. A customer file split into front
//! matter and body (`document`), its log entries (`entry`), its typed profile (`customer`), the
//! team's settings (`config`), customer names as identities and file names (`names`), dates and
//! durations, and the changes a command can make to a file.
//! Pure: bytes and text in, data out; nothing here touches the disk or the clock.

pub(crate) mod collate;
pub(crate) mod compose;
pub(crate) mod config;
pub(crate) mod customer;
pub(crate) mod dates;
pub(crate) mod diagnostic;
pub(crate) mod document;
pub(crate) mod edit;
pub(crate) mod entry;
pub(crate) mod intern;
pub(crate) mod names;
pub(crate) mod plan;
pub(crate) mod reader;
pub(crate) mod record;
pub(crate) mod schema;
pub(crate) mod sheet;
pub(crate) mod summary;
pub(crate) mod toml_path;
