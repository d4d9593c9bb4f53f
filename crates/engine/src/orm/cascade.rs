//! Relationship cascades (`cascade="all, delete-orphan"`): which session operations follow a
//! relationship from a parent to its related objects.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cascade {
    pub save_update: bool,
    pub merge: bool,
    pub expunge: bool,
    pub delete: bool,
    pub delete_orphan: bool,
    pub refresh_expire: bool,
}

impl Default for Cascade {
    /// SQLAlchemy's default: `"save-update, merge"`.
    fn default() -> Cascade {
        Cascade {
            save_update: true,
            merge: true,
            expunge: false,
            delete: false,
            delete_orphan: false,
            refresh_expire: false,
        }
    }
}

impl Cascade {
    pub fn none() -> Cascade {
        Cascade {
            save_update: false,
            merge: false,
            expunge: false,
            delete: false,
            delete_orphan: false,
            refresh_expire: false,
        }
    }

    /// Parses a comma-separated cascade string with SQLAlchemy's option names and error.
    pub fn parse(text: &str) -> Result<Cascade, String> {
        let mut cascade = Cascade::none();
        let mut unknown = Vec::new();
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word {
                "all" => {
                    cascade.save_update = true;
                    cascade.merge = true;
                    cascade.expunge = true;
                    cascade.delete = true;
                    cascade.refresh_expire = true;
                }
                "save-update" => cascade.save_update = true,
                "merge" => cascade.merge = true,
                "expunge" => cascade.expunge = true,
                "delete" => cascade.delete = true,
                "delete-orphan" => cascade.delete_orphan = true,
                "refresh-expire" => cascade.refresh_expire = true,
                "none" => {}
                other => unknown.push(format!("'{other}'")),
            }
        }
        if !unknown.is_empty() {
            unknown.sort();
            return Err(format!("Invalid cascade option(s): {}", unknown.join(", ")));
        }
        Ok(cascade)
    }
}
