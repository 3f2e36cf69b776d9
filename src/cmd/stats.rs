//! `followup stats`: placeholder replaced below in this session.
use crate::cli::StatsArgs;
use crate::error::{Error, Result};
use crate::{Ctx, Output};
pub fn run(_: &StatsArgs, _: &Ctx) -> Result<Output> {
    Err(Error::Refused("stats is being built".into()))
}
