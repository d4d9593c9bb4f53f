//! The Session: the objects it tracks (`new`, `dirty`, `deleted`, the identity map), how
//! they move through their lifecycle (transient → pending → persistent → deleted/detached),
//! and its transaction: autobegin, commit, rollback, savepoints, and the "rollback pending"
//! state after a failed flush, as SQLAlchemy 2.0's `Session` behaves.

use std::collections::HashSet;

use indexmap::IndexSet;

use super::cascade::Cascade;
use super::identity::IdentityMap;
use super::mapper::PropIdx;
use super::state::{AttrValue, ObjId, ObjectState, Slot};
use super::{ErrorKind, Host, Orm, OrmError, OrmResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SessionId(pub u32);

/// Objects whose fate a transaction decides: restored or expunged on rollback.
#[derive(Clone, Debug, Default)]
pub struct TransactionScope {
    /// Objects made persistent by a flush in this transaction.
    pub inserted: Vec<ObjId>,
    /// Objects whose DELETE was flushed in this transaction.
    pub deleted: Vec<ObjId>,
    /// Objects modified in this transaction (a savepoint rollback expires only these).
    pub modified: IndexSet<ObjId>,
    /// For a nested transaction: its `SAVEPOINT` name once sent.
    pub savepoint: Option<String>,
    /// Names a nested transaction for the `SessionTransaction` that `begin_nested()` returned.
    pub id: u64,
    /// A nested transaction whose flush failed: rolled back to its savepoint already, it makes
    /// the session raise PendingRollbackError until it (or the whole session) is rolled back.
    pub failed: Option<OrmError>,
}

#[derive(Clone, Debug)]
pub enum TransactionState {
    /// No transaction yet: the next operation begins one (autobegin).
    Idle,
    /// A transaction, with a stack of savepoints (`begin_nested`) on top of the root.
    Active(Vec<TransactionScope>),
    /// A flush failed: everything but `rollback()` / `close()` raises PendingRollbackError.
    /// (The scope collects what happens meanwhile, to be discarded.)
    Failed(OrmError, TransactionScope),
}

#[derive(Clone, Debug)]
pub struct SessionData {
    pub engine: usize,
    pub identity_map: IdentityMap,
    /// Pending objects, in `add` order.
    pub new: IndexSet<ObjId>,
    /// Objects marked with `session.delete()` and not flushed yet.
    pub deleted: IndexSet<ObjId>,
    /// Persistent objects with attribute changes since the last flush.
    pub modified: IndexSet<ObjId>,
    pub autoflush: bool,
    pub expire_on_commit: bool,
    pub no_autoflush_depth: u32,
    pub transaction: TransactionState,
    /// The database connection has an open transaction (`BEGIN (implicit)` was sent).
    pub connection_open: bool,
    pub flushing: bool,
    /// The flush running is an autoflush (its statements are logged as such).
    pub autoflushing: bool,
    /// The last `TransactionScope::id` given out.
    pub last_scope_id: u64,
}

impl SessionData {
    pub fn new(engine: usize) -> SessionData {
        SessionData {
            engine,
            identity_map: IdentityMap::default(),
            new: IndexSet::new(),
            deleted: IndexSet::new(),
            modified: IndexSet::new(),
            autoflush: true,
            expire_on_commit: true,
            no_autoflush_depth: 0,
            transaction: TransactionState::Idle,
            connection_open: false,
            flushing: false,
            autoflushing: false,
            last_scope_id: 0,
        }
    }

    /// The innermost transaction scope, beginning the transaction if there is none. A failed
    /// transaction stays failed (until `rollback()`): what it records then is discarded.
    pub fn scope(&mut self) -> &mut TransactionScope {
        if matches!(self.transaction, TransactionState::Idle) {
            self.transaction = TransactionState::Active(vec![TransactionScope::default()]);
        }
        match &mut self.transaction {
            TransactionState::Active(scopes) => {
                if scopes.is_empty() {
                    scopes.push(TransactionScope::default());
                }
                let last = scopes.len() - 1;
                &mut scopes[last]
            }
            TransactionState::Failed(_, scratch) => scratch,
            // Idle was replaced above.
            TransactionState::Idle => unreachable!("the transaction was begun above"),
        }
    }

    pub fn in_transaction(&self) -> bool {
        !matches!(self.transaction, TransactionState::Idle)
    }

    pub fn in_nested_transaction(&self) -> bool {
        matches!(&self.transaction, TransactionState::Active(scopes) if scopes.len() > 1)
    }
}

impl Orm {
    pub fn new_session(&mut self, engine: usize) -> SessionId {
        self.sessions.push(SessionData::new(engine));
        SessionId(self.sessions.len() as u32 - 1)
    }

    pub fn session(&self, id: SessionId) -> &SessionData {
        // SessionIds are only made by new_session, and sessions are never removed.
        &self.sessions[id.0 as usize]
    }

    pub fn session_mut(&mut self, id: SessionId) -> &mut SessionData {
        &mut self.sessions[id.0 as usize]
    }

    /// Raises PendingRollbackError when a failed flush left the session needing rollback().
    pub fn check_usable(&self, session: SessionId) -> OrmResult<()> {
        match self.flush_failure(session) {
            Some(original) => Err(pending_rollback_error(original)),
            None => Ok(()),
        }
    }

    /// The flush error that deactivated the session's transaction (or its innermost
    /// savepoint), if one did.
    pub fn flush_failure(&self, session: SessionId) -> Option<&OrmError> {
        match &self.session(session).transaction {
            TransactionState::Failed(original, _) => Some(original),
            TransactionState::Active(scopes) => scopes.last().and_then(|s| s.failed.as_ref()),
            TransactionState::Idle => None,
        }
    }

    pub fn flush_failure_mut(&mut self, session: SessionId) -> Option<&mut OrmError> {
        match &mut self.session_mut(session).transaction {
            TransactionState::Failed(original, _) => Some(original),
            TransactionState::Active(scopes) => scopes.last_mut().and_then(|s| s.failed.as_mut()),
            TransactionState::Idle => None,
        }
    }

    /// `session.add(obj)`, cascading along `save-update` relationships.
    pub fn add(&mut self, session: SessionId, obj: ObjId) -> OrmResult<()> {
        let mut visited = Vec::new();
        self.add_one(session, obj, true)?;
        self.cascade_objects(obj, |c| c.save_update, &mut visited);
        for related in visited {
            self.add_one(session, related, false)?;
        }
        Ok(())
    }

    fn add_one(&mut self, session: SessionId, obj: ObjId, head: bool) -> OrmResult<()> {
        let state = self.instances.get(obj);
        if let Some(other) = state.session {
            if other != session {
                return Err(OrmError::invalid_request(format!(
                    "Object '{}' is already attached to session '{}' (this is '{}')",
                    self.instance_address(obj),
                    other.0 + 1,
                    session.0 + 1
                )));
            }
            // Re-adding an object marked for deletion does not undelete it (as in SQLAlchemy).
            return Ok(());
        }
        match state.state() {
            ObjectState::Transient => {
                let order = self.instances.next_insert_order();
                let state = self.instances.get_mut(obj);
                state.session = Some(session);
                state.insert_order = order;
                self.session_mut(session).new.insert(obj);
                self.session_mut(session).scope();
            }
            ObjectState::Detached => self.attach_detached(session, obj, head)?,
            _ => {}
        }
        Ok(())
    }

    /// A detached object re-enters the session (`session.add(detached)`).
    fn attach_detached(&mut self, session: SessionId, obj: ObjId, head: bool) -> OrmResult<()> {
        let Some(key) = self.instances.get(obj).key.clone() else { return Ok(()) };
        if let Some(existing) = self.session(session).identity_map.get(&key) {
            if existing != obj {
                let _ = head;
                return Err(OrmError::invalid_request(format!(
                    "Can't attach instance {}; another instance with key {} is already present in \
                     this session.",
                    self.instance_address(obj),
                    self.key_repr(&key)
                )));
            }
        }
        let state = self.instances.get_mut(obj);
        state.session = Some(session);
        state.deleted = false;
        let modified = state.is_modified();
        let data = self.session_mut(session);
        data.identity_map.insert(key, obj);
        if modified {
            data.modified.insert(obj);
        }
        data.scope();
        Ok(())
    }

    /// `(User, (1,), None)` as SQLAlchemy prints identity keys.
    pub fn key_repr(&self, key: &super::identity::IdentityKey) -> String {
        let mapper = self.registry.mapper(key.mapper);
        let values: Vec<String> = key.values().map(crate::sql::Datum::echo_repr).collect();
        let tuple = if values.len() == 1 { format!("({},)", values[0]) } else { format!("({})", values.join(", ")) };
        format!("(<class '__main__.{}'>, {tuple}, None)", mapper.class_name)
    }

    /// Objects reachable from `obj` through loaded relationships whose cascade passes `follow`,
    /// depth first in property order (the order SQLAlchemy's cascade_iterator visits them).
    pub(crate) fn cascade_objects(&self, obj: ObjId, follow: impl Fn(&Cascade) -> bool + Copy, out: &mut Vec<ObjId>) {
        // What `out` holds, to look in: a collection may hold thousands of objects.
        let mut seen: HashSet<ObjId> = out.iter().copied().collect();
        self.cascade_into(obj, follow, out, &mut seen);
    }

    fn cascade_into(&self, obj: ObjId, follow: impl Fn(&Cascade) -> bool + Copy, out: &mut Vec<ObjId>, seen: &mut HashSet<ObjId>) {
        let mapper = self.registry.mapper(self.instances.get(obj).mapper);
        for (prop, relationship) in mapper.relationships() {
            if !follow(&relationship.cascade) {
                continue;
            }
            for related in self.loaded_related(obj, prop) {
                if related != obj && seen.insert(related) {
                    out.push(related);
                    self.cascade_into(related, follow, out, seen);
                }
            }
        }
    }

    /// Related objects of a loaded relationship (and those queued for an unloaded one).
    pub(crate) fn loaded_related(&self, obj: ObjId, prop: PropIdx) -> Vec<ObjId> {
        let state = self.instances.get(obj);
        let mut related = match state.values.get(prop) {
            Some(Slot::Loaded(AttrValue::Objects(items))) => items.clone(),
            Some(Slot::Loaded(AttrValue::Object(Some(o)))) => vec![*o],
            _ => vec![],
        };
        if let Some(ops) = state.pending_ops.get(&prop) {
            for op in ops {
                if let super::state::PendingOp::Append(o) = op {
                    if !related.contains(o) {
                        related.push(*o);
                    }
                }
            }
        }
        related
    }

    /// `save-update` cascade when `parent.prop` gains `child`: the child joins the parent's
    /// session.
    pub(crate) fn cascade_save_update(&mut self, parent: ObjId, prop: PropIdx, child: ObjId) {
        let Some(session) = self.instances.get(parent).session else { return };
        let Ok(relationship) = self.relationship_of(parent, prop) else { return };
        if relationship.cascade.save_update && self.instances.get(child).session.is_none() {
            // Errors (the child belongs to another session) surface at flush, as in SQLAlchemy.
            let _ = self.add(session, child);
        }
    }

    /// `session.delete(obj)`: marks it (and `delete`-cascaded related objects, loading them as
    /// needed) for deletion at the next flush.
    pub fn delete(&mut self, host: &mut dyn Host, session: SessionId, obj: ObjId) -> OrmResult<()> {
        match self.object_state(obj) {
            ObjectState::Transient => {
                return Err(OrmError::new(
                    ErrorKind::InvalidRequest,
                    format!("Instance '{}' is not persisted", self.instance_address(obj)),
                ))
            }
            ObjectState::Pending => {
                return Err(OrmError::invalid_request(format!(
                    "Instance '{}' is not persisted",
                    self.instance_address(obj)
                )))
            }
            ObjectState::Deleted => return Ok(()),
            ObjectState::Detached => self.attach_detached(session, obj, true)?,
            ObjectState::Persistent => {}
        }
        if self.instances.get(obj).session != Some(session) {
            return Err(OrmError::invalid_request(format!(
                "Object '{}' is already attached to another session",
                self.instance_address(obj)
            )));
        }
        let mut targets = vec![obj];
        let mut seen: HashSet<ObjId> = HashSet::from([obj]);
        let mut index = 0;
        while index < targets.len() {
            let current = targets[index];
            index += 1;
            let mapper = self.registry.mapper(self.instances.get(current).mapper).clone();
            for (prop, relationship) in mapper.relationships() {
                if !relationship.cascade.delete {
                    continue;
                }
                for related in self.related_for_cascade(host, current, prop)? {
                    if self.instances.get(related).key.is_some() && seen.insert(related) {
                        targets.push(related);
                    }
                }
            }
        }
        for target in targets {
            if self.instances.get(target).session.is_none() {
                self.attach_detached(session, target, false)?;
            }
            let data = self.session_mut(session);
            data.deleted.insert(target);
            data.scope();
        }
        Ok(())
    }

    /// Related objects of a relationship, loading it if needed (delete cascade and
    /// delete-time foreign-key nulling load collections, as SQLAlchemy does).
    pub(crate) fn related_for_cascade(&mut self, host: &mut dyn Host, obj: ObjId, prop: PropIdx) -> OrmResult<Vec<ObjId>> {
        match self.get_attribute(host, obj, prop)? {
            AttrValue::Objects(items) => Ok(items),
            AttrValue::Object(item) => Ok(item.into_iter().collect()),
            AttrValue::Column(_) => Ok(vec![]),
        }
    }

    /// `obj in session`.
    pub fn contains(&self, session: SessionId, obj: ObjId) -> bool {
        let state = self.instances.get(obj);
        state.session == Some(session) && !state.deleted
    }

    /// `session.expunge(obj)`, cascading along `expunge` relationships.
    pub fn expunge(&mut self, session: SessionId, obj: ObjId) -> OrmResult<()> {
        if self.instances.get(obj).session != Some(session) {
            return Err(OrmError::invalid_request(format!(
                "Instance {} is not present in this Session",
                self.instance_address(obj)
            )));
        }
        let mut related = Vec::new();
        self.cascade_objects(obj, |c| c.expunge, &mut related);
        for target in std::iter::once(obj).chain(related) {
            if self.instances.get(target).session == Some(session) {
                self.detach(session, target);
            }
        }
        Ok(())
    }

    /// Removes an object from the session: pending objects become transient, persistent ones
    /// detached.
    pub(crate) fn detach(&mut self, session: SessionId, obj: ObjId) {
        let key = self.instances.get(obj).key.clone();
        let data = self.session_mut(session);
        data.new.shift_remove(&obj);
        data.deleted.shift_remove(&obj);
        data.modified.shift_remove(&obj);
        if let Some(key) = &key {
            if data.identity_map.get(key) == Some(obj) {
                data.identity_map.remove(key);
            }
        }
        self.instances.get_mut(obj).session = None;
    }

    /// Detaches many objects at once: removing them one by one from the ordered `new`,
    /// `deleted` and `modified` sets would shift the rest each time (quadratic when a rollback
    /// or `expunge_all()` lets go of 100,000 pending objects).
    pub(crate) fn detach_all(&mut self, session: SessionId, objects: &[ObjId]) {
        let leaving: HashSet<ObjId> = objects.iter().copied().collect();
        if leaving.is_empty() {
            return;
        }
        for obj in &leaving {
            let key = self.instances.get_mut(*obj).key.clone();
            self.instances.get_mut(*obj).session = None;
            let data = self.session_mut(session);
            if let Some(key) = &key {
                if data.identity_map.get(key) == Some(*obj) {
                    data.identity_map.remove(key);
                }
            }
        }
        let data = self.session_mut(session);
        data.new.retain(|o| !leaving.contains(o));
        data.deleted.retain(|o| !leaving.contains(o));
        data.modified.retain(|o| !leaving.contains(o));
    }

    /// `session.expunge_all()`.
    pub fn expunge_all(&mut self, session: SessionId) {
        let tracked = self.tracked(session);
        self.detach_all(session, &tracked);
    }

    /// Every object the session tracks: the identity map, then pending objects.
    pub fn tracked(&self, session: SessionId) -> Vec<ObjId> {
        let data = self.session(session);
        data.identity_map.objects().chain(data.new.iter().copied()).collect()
    }

    /// `session.new`.
    pub fn new_objects(&self, session: SessionId) -> Vec<ObjId> {
        self.session(session).new.iter().copied().collect()
    }

    /// `session.dirty`: persistent objects with attribute set operations, net change or not.
    pub fn dirty_objects(&self, session: SessionId) -> Vec<ObjId> {
        let data = self.session(session);
        data.modified
            .iter()
            .copied()
            .filter(|o| !data.deleted.contains(o) && self.instances.get(*o).is_modified())
            .collect()
    }

    /// `session.deleted`: objects marked for deletion, not flushed yet.
    pub fn deleted_objects(&self, session: SessionId) -> Vec<ObjId> {
        self.session(session).deleted.iter().copied().collect()
    }

    /// `session.is_modified(obj)`: whether a flush would change anything for it.
    pub fn is_modified(&self, obj: ObjId) -> bool {
        let state = self.instances.get(obj);
        state.committed.iter().any(|(prop, before)| match (before, state.values.get(*prop)) {
            (Slot::Loaded(old), Some(Slot::Loaded(new))) => old != new,
            (Slot::Unloaded, Some(Slot::Loaded(_))) => true,
            _ => false,
        })
    }

    /// `session.expire(obj[, attrs])`.
    pub fn expire(&mut self, obj: ObjId, props: Option<&[PropIdx]>) -> OrmResult<()> {
        if self.instances.get(obj).key.is_none() || self.instances.get(obj).session.is_none() {
            return Err(OrmError::invalid_request(format!(
                "Instance '{}' is not persistent within this Session",
                self.instance_address(obj)
            )));
        }
        let state = self.instances.get_mut(obj);
        match props {
            None => state.expire(),
            Some(props) => {
                for prop in props {
                    if let Some(slot) = state.values.get_mut(*prop) {
                        *slot = Slot::Unloaded;
                    }
                    state.committed.remove(prop);
                    state.pending_ops.remove(prop);
                }
            }
        }
        if !self.instances.get(obj).is_modified() {
            if let Some(session) = self.instances.get(obj).session {
                self.session_mut(session).modified.shift_remove(&obj);
            }
        }
        Ok(())
    }

    /// `session.expire_all()` (and the expiry at commit). Weak references to Python objects
    /// that are gone are dropped meanwhile, so that their memory is given back.
    pub fn expire_all(&mut self, session: SessionId) {
        let objects: Vec<ObjId> = self.session(session).identity_map.objects().collect();
        for obj in objects {
            let state = self.instances.get_mut(obj);
            state.expire();
            state.release_dead_host_object();
        }
        self.session_mut(session).modified.clear();
    }

    /// Starts `session.begin_nested()`: a nested transaction whose `SAVEPOINT` is sent when a
    /// statement first needs the connection inside it.
    /// `session.begin_nested()`: a savepoint (sent when a statement first needs it); returns
    /// the id its `SessionTransaction` commits or rolls back by.
    pub fn begin_nested(&mut self, host: &mut dyn Host, session: SessionId) -> OrmResult<u64> {
        self.check_usable(session)?;
        // SQLAlchemy flushes before every begin_nested(), whatever autoflush says.
        self.flush(host, session)?;
        let data = self.session_mut(session);
        data.scope();
        data.last_scope_id += 1;
        let id = data.last_scope_id;
        if let TransactionState::Active(scopes) = &mut data.transaction {
            scopes.push(TransactionScope { id, ..TransactionScope::default() });
        }
        Ok(id)
    }

    /// Whether the nested transaction `id` is still open.
    pub fn nested_is_active(&self, session: SessionId, id: u64) -> bool {
        self.nested_position(session, id).is_some()
    }

    fn nested_position(&self, session: SessionId, id: u64) -> Option<usize> {
        match &self.session(session).transaction {
            TransactionState::Active(scopes) => scopes.iter().skip(1).position(|s| s.id == id).map(|i| i + 1),
            _ => None,
        }
    }

    /// `session.commit()`: flush, release every savepoint (innermost first), COMMIT, then
    /// expire everything (expire_on_commit).
    pub fn commit(&mut self, host: &mut dyn Host, session: SessionId) -> OrmResult<()> {
        self.check_usable(session)?;
        self.flush(host, session)?;
        while self.session(session).in_nested_transaction() {
            self.release_savepoint(session)?;
        }
        if self.session(session).connection_open {
            self.db_commit(session)?;
        }
        let data = self.session_mut(session);
        let scopes = match std::mem::replace(&mut data.transaction, TransactionState::Idle) {
            TransactionState::Active(scopes) => scopes,
            _ => vec![],
        };
        let expire = data.expire_on_commit;
        for scope in &scopes {
            for obj in &scope.deleted {
                // Deleted objects leave the session once the deletion is committed.
                let state = self.instances.get_mut(*obj);
                if state.session == Some(session) {
                    state.session = None;
                    state.deleted = false;
                }
            }
        }
        if expire {
            self.expire_all(session);
        }
        Ok(())
    }

    /// `nested.commit()`: flush, then release this savepoint (and any opened inside it).
    pub fn commit_nested(&mut self, host: &mut dyn Host, session: SessionId, id: u64) -> OrmResult<()> {
        let Some(position) = self.nested_position(session, id) else { return Err(transaction_closed()) };
        self.check_usable(session)?;
        self.flush(host, session)?;
        while self.nested_position(session, id).is_some_and(|p| p >= position) {
            self.release_savepoint(session)?;
        }
        Ok(())
    }

    /// `nested.rollback()`: back to this savepoint (discarding any opened inside it); objects
    /// changed since revert as SQLAlchemy's `_restore_snapshot` does.
    pub fn rollback_nested(&mut self, session: SessionId, id: u64) -> OrmResult<()> {
        let Some(position) = self.nested_position(session, id) else { return Err(transaction_closed()) };
        let TransactionState::Active(scopes) = &mut self.session_mut(session).transaction else { return Ok(()) };
        // The outermost discarded savepoint is the one to go back to (inner savepoints are
        // sent only after it; an unsent one has nothing to undo). One whose flush failed was
        // rolled back to then.
        let target_failed = scopes.get(position).is_some_and(|s| s.failed.is_some()) && scopes.len() == position + 1;
        let discarded = merge_scopes(scopes.split_off(position));
        if let (Some(name), false) = (&discarded.savepoint, target_failed) {
            self.db_rollback_to_savepoint(session, name)?;
        }
        self.restore_after_rollback(session, discarded, true);
        Ok(())
    }

    fn release_savepoint(&mut self, session: SessionId) -> OrmResult<()> {
        let TransactionState::Active(scopes) = &mut self.session_mut(session).transaction else {
            return Ok(());
        };
        let Some(scope) = scopes.pop() else { return Ok(()) };
        if let Some(parent) = scopes.last_mut() {
            parent.inserted.extend(scope.inserted.iter().copied());
            parent.deleted.extend(scope.deleted.iter().copied());
            parent.modified.extend(scope.modified.iter().copied());
        }
        if let Some(name) = &scope.savepoint {
            self.db_release_savepoint(session, name)?;
        }
        Ok(())
    }

    /// `session.rollback()`: rolls back the whole transaction, savepoints and all (SQLAlchemy
    /// 2.0); objects revert as its `_restore_snapshot` does.
    pub fn rollback(&mut self, session: SessionId) -> OrmResult<()> {
        let data = self.session_mut(session);
        match std::mem::replace(&mut data.transaction, TransactionState::Idle) {
            TransactionState::Idle => Ok(()),
            // The flush failure already rolled back the database and reverted the objects.
            TransactionState::Failed(..) => Ok(()),
            TransactionState::Active(scopes) => {
                if self.session(session).connection_open {
                    self.db_rollback(session)?;
                }
                self.restore_after_rollback(session, merge_scopes(scopes), false);
                Ok(())
            }
        }
    }

    /// After a rollback: objects inserted in the rolled-back scope and pending objects become
    /// transient, deleted ones come back, and loaded state is expired (all of it, or for a
    /// savepoint only what changed inside it).
    fn restore_after_rollback(&mut self, session: SessionId, scope: TransactionScope, savepoint_only: bool) {
        let mut leaving: Vec<ObjId> = self.session(session).new.iter().copied().collect();
        leaving.extend(scope.inserted.iter().copied());
        let attached: Vec<ObjId> = leaving.iter().copied().filter(|o| self.instances.get(*o).session == Some(session)).collect();
        self.detach_all(session, &attached);
        for obj in leaving {
            self.instances.get_mut(obj).key = None;
        }
        let marked: Vec<ObjId> = self.session(session).deleted.iter().copied().collect();
        // Rows the rolled-back scope both inserted and deleted never existed outside it: their
        // objects stay transient. A deleted object nothing refers to any more is gone, as in
        // SQLAlchemy's weak identity map.
        let inserted: HashSet<ObjId> = scope.inserted.iter().copied().collect();
        let revived: Vec<ObjId> = scope.deleted.iter().copied().chain(marked).filter(|o| !inserted.contains(o)).collect();
        for obj in revived {
            if !self.still_referenced(session, obj) {
                self.detach(session, obj);
                continue;
            }
            let state = self.instances.get_mut(obj);
            state.deleted = false;
            if let Some(key) = state.key.clone() {
                state.session = Some(session);
                self.session_mut(session).identity_map.insert(key, obj);
            }
        }
        self.session_mut(session).deleted.clear();
        let to_expire: Vec<ObjId> = if savepoint_only {
            let data = self.session(session);
            data.identity_map
                .objects()
                .filter(|o| scope.modified.contains(o) || data.modified.contains(o))
                .collect()
        } else {
            self.session(session).identity_map.objects().collect()
        };
        for obj in to_expire {
            self.instances.get_mut(obj).expire();
            self.session_mut(session).modified.shift_remove(&obj);
        }
    }

    /// `session.close()`: expunges everything and ends the transaction (ROLLBACK if open).
    pub fn close(&mut self, session: SessionId) -> OrmResult<()> {
        if self.session(session).connection_open {
            self.db_rollback(session)?;
        }
        let pending: Vec<ObjId> = self.session(session).new.iter().copied().collect();
        self.expunge_all(session);
        for obj in pending {
            self.instances.get_mut(obj).key = None;
        }
        self.session_mut(session).transaction = TransactionState::Idle;
        Ok(())
    }

    /// Marks the session failed after a flush error: the database transaction is rolled back
    /// and objects revert now (as SQLAlchemy's flush does), and the session raises
    /// PendingRollbackError until `rollback()`.
    pub(crate) fn fail_transaction(&mut self, session: SessionId, error: &OrmError) {
        if let TransactionState::Active(scopes) = &mut self.session_mut(session).transaction {
            if scopes.len() > 1 {
                // Inside begin_nested(): only the savepoint is rolled back; the nested
                // transaction stays, deactivated, until it is rolled back itself.
                let Some(scope) = scopes.pop() else { return };
                let (id, savepoint) = (scope.id, scope.savepoint.clone());
                if let Some(name) = &savepoint {
                    // The flush error is what the user needs to see.
                    let _ = self.db_rollback_to_savepoint(session, name);
                }
                self.restore_after_rollback(session, scope, true);
                if let TransactionState::Active(scopes) = &mut self.session_mut(session).transaction {
                    scopes.push(TransactionScope { id, savepoint, failed: Some(error.clone()), ..TransactionScope::default() });
                }
                return;
            }
        }
        if self.session(session).connection_open {
            // The flush error is what the user needs to see; a failing ROLLBACK adds nothing.
            let _ = self.db_rollback(session);
        }
        let scopes = match std::mem::replace(&mut self.session_mut(session).transaction, TransactionState::Idle) {
            TransactionState::Active(scopes) => scopes,
            _ => vec![],
        };
        self.restore_after_rollback(session, merge_scopes(scopes), false);
        self.session_mut(session).transaction = TransactionState::Failed(error.clone(), TransactionScope::default());
    }
}

/// The scopes of a transaction and its savepoints as one.
/// Several scopes as one: their objects together; the outermost's savepoint and id.
fn merge_scopes(scopes: Vec<TransactionScope>) -> TransactionScope {
    let mut iter = scopes.into_iter();
    let Some(first) = iter.next() else { return TransactionScope::default() };
    iter.fold(first, |mut all, s| {
        all.inserted.extend(s.inserted);
        all.deleted.extend(s.deleted);
        all.modified.extend(s.modified);
        all
    })
}

/// SQLAlchemy's error for a `SessionTransaction` used after it ended.
fn transaction_closed() -> OrmError {
    OrmError::new(ErrorKind::ResourceClosed, "This transaction is closed")
}

/// SQLAlchemy's message for using a session whose flush failed.
fn pending_rollback_error(original: &OrmError) -> OrmError {
    OrmError::with_code(
        ErrorKind::PendingRollback,
        format!(
            "This Session's transaction has been rolled back due to a previous exception during \
             flush. To begin a new transaction with this Session, first issue \
             Session.rollback(). Original exception was: {}",
            original.message
        ),
        "7s2a",
    )
}
