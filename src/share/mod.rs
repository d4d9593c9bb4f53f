//! Sharing: Share puts the models and the console inputs into the page address's fragment;
//! opening such a link shows what it would run, and runs it only when asked.
//!
//! - [`link`]: the fragment's format (versioned JSON, deflated, base64url)
//! - [`dialog`]: the Share dialog and the question a shared link asks on opening

pub mod dialog;
pub mod link;
