//! The unit of work: turns a session's pending changes into an ordered flush plan, the way
//! SQLAlchemy's `UOWTransaction` does. Objects are registered for save or delete (and more
//! are pulled in by relationship processors: children whose foreign key changes, orphans),
//! then per-mapper actions are sorted: first by their sort key (action kind, then
//! `module.ClassName`), then topologically by the dependencies relationships impose (parents
//! inserted before children, children deleted before parents). A mapper that depends on
//! itself (a self-referential relationship) is broken into per-object actions.
//!
//! A plan can run in one go (`flush`) or one step at a time (the UI's commit stepper).

use std::collections::{HashMap, HashSet};

use indexmap::{IndexMap, IndexSet};

use super::mapper::{Direction, MapperId, PropIdx};
use super::state::ObjId;
use super::{Host, Orm, OrmError, OrmResult, SessionId};

/// One node of the flush graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    SaveUpdateAll(MapperId),
    DeleteAll(MapperId),
    /// A relationship's processing after saves (`delete: false`) or before deletes.
    ProcessAll { mapper: MapperId, prop: PropIdx, delete: bool },
    SaveUpdateState(ObjId),
    DeleteState(ObjId),
}

/// Objects registered with the flush: for delete or save.
#[derive(Debug, Default, Clone)]
pub struct Registered {
    pub states: IndexMap<ObjId, bool>,
}

impl Registered {
    fn register(&mut self, obj: ObjId, delete: bool) {
        match self.states.get(&obj) {
            // A delete wins over a save registered by a relationship processor.
            Some(true) => {}
            _ => {
                self.states.insert(obj, delete);
            }
        }
    }

    pub fn is_delete(&self, obj: ObjId) -> Option<bool> {
        self.states.get(&obj).copied()
    }
}

/// One step of a flush plan, with what it does and why it comes where it does.
#[derive(Clone, Debug)]
pub struct PlanStep {
    pub action: Action,
    /// The objects the step writes (inserts, updates or deletes), in statement order.
    pub objects: Vec<ObjId>,
    /// "INSERT into post (2 rows)".
    pub summary: String,
    /// "post depends on user: post.user_id references user.id".
    pub reason: Option<String>,
}

/// A computed flush, run all at once or step by step.
#[derive(Clone, Debug)]
pub struct FlushPlan {
    pub session: SessionId,
    pub registered: Registered,
    pub steps: Vec<PlanStep>,
    pub next: usize,
    /// Objects whose state the finished flush must update.
    pub(crate) inserted: Vec<ObjId>,
    pub(crate) deleted: Vec<ObjId>,
    pub(crate) association_pairs_done: HashSet<(u32, ObjId, ObjId)>,
}

impl FlushPlan {
    pub fn is_done(&self) -> bool {
        self.next >= self.steps.len()
    }
}

struct Graph {
    actions: IndexSet<Action>,
    edges: HashSet<(Action, Action)>,
}

impl Graph {
    fn add(&mut self, action: Action) -> Action {
        self.actions.insert(action);
        action
    }

    fn edge(&mut self, before: Action, after: Action) {
        // A self-dependency (before == after) is kept: it marks a cycle, and the mapper is
        // then split into per-object actions.
        self.add(before);
        self.add(after);
        self.edges.insert((before, after));
    }
}

impl Orm {
    /// `session.flush()`.
    pub fn flush(&mut self, host: &mut dyn Host, session: SessionId) -> OrmResult<()> {
        let Some(mut plan) = self.plan_flush(host, session)? else { return Ok(()) };
        while !plan.is_done() {
            self.run_flush_step(host, &mut plan)?;
        }
        self.finish_flush(plan);
        Ok(())
    }

    /// Autoflush before a query or lazy load, when enabled.
    pub fn autoflush(&mut self, host: &mut dyn Host, session: SessionId) -> OrmResult<()> {
        let data = self.session(session);
        if !data.autoflush || data.no_autoflush_depth > 0 || data.flushing || self.capture.is_some() {
            return Ok(());
        }
        self.session_mut(session).autoflushing = true;
        let flushed = self.flush(host, session);
        self.session_mut(session).autoflushing = false;
        flushed.map_err(|mut error| {
            if error.orig.is_some() {
                error.message = format!(
                    "(raised as a result of Query-invoked autoflush; consider using a \
                     session.no_autoflush block if this flush is occurring prematurely)\n{}",
                    error.message
                );
                // PendingRollbackError repeats the error as the user saw it.
                if let Some(stored) = self.flush_failure_mut(session) {
                    *stored = error.clone();
                }
            }
            error
        })
    }

    fn has_changes(&self, session: SessionId) -> bool {
        let data = self.session(session);
        !data.new.is_empty() || !data.deleted.is_empty() || data.modified.iter().any(|o| self.instances.get(*o).is_modified())
    }

    /// Computes the flush plan (relationship processors may load collections with SELECTs to
    /// know their history, as SQLAlchemy's presort step does). `None` when nothing changed.
    pub fn plan_flush(&mut self, host: &mut dyn Host, session: SessionId) -> OrmResult<Option<FlushPlan>> {
        self.check_usable(session)?;
        if self.session(session).flushing {
            return Err(OrmError::invalid_request("Session is already flushing"));
        }
        if !self.has_changes(session) {
            return Ok(None);
        }
        self.registry.configure()?;
        self.session_mut(session).flushing = true;
        let planned = self.build_plan(host, session);
        self.session_mut(session).flushing = false;
        match planned {
            Ok(plan) => Ok(Some(plan)),
            Err(error) => {
                self.fail_transaction(session, &error);
                Err(error)
            }
        }
    }

    fn build_plan(&mut self, host: &mut dyn Host, session: SessionId) -> OrmResult<FlushPlan> {
        let mut registered = Registered::default();
        let data = self.session(session);
        let marked: Vec<ObjId> = data.deleted.iter().copied().collect();
        let saves: Vec<ObjId> = data
            .new
            .iter()
            .chain(data.modified.iter())
            .copied()
            .filter(|o| !data.deleted.contains(o))
            .collect();
        for obj in saves {
            registered.register(obj, false);
        }
        for obj in marked {
            registered.register(obj, true);
        }
        self.presort(host, session, &mut registered)?;
        let steps = self.sorted_steps(&registered)?;
        Ok(FlushPlan {
            session,
            registered,
            steps,
            next: 0,
            inserted: vec![],
            deleted: vec![],
            association_pairs_done: HashSet::new(),
        })
    }

    /// Relationship processors register the objects a change drags in (SQLAlchemy's
    /// `presort_saves` / `presort_deletes`), until nothing new is registered.
    fn presort(&mut self, host: &mut dyn Host, session: SessionId, registered: &mut Registered) -> OrmResult<()> {
        let mut done: HashSet<(ObjId, bool)> = HashSet::new();
        loop {
            let todo: Vec<(ObjId, bool)> = registered
                .states
                .iter()
                .map(|(o, d)| (*o, *d))
                .filter(|entry| !done.contains(entry))
                .collect();
            if todo.is_empty() {
                return Ok(());
            }
            for (obj, delete) in todo {
                done.insert((obj, delete));
                let mapper = self.registry.mapper(self.instances.get(obj).mapper).clone();
                for (prop, relationship) in mapper.relationships() {
                    if relationship.spec.viewonly || relationship.direction != Direction::OneToMany {
                        if relationship.direction == Direction::ManyToMany && delete && !relationship.spec.passive_deletes {
                            // Association rows of a deleted object are found by loading the
                            // collection.
                            self.related_for_cascade(host, obj, prop)?;
                        }
                        continue;
                    }
                    let loaded = self.instances.get(obj).value(prop).is_some();
                    if delete {
                        if relationship.spec.passive_deletes && !loaded {
                            continue;
                        }
                        let children = self.related_for_cascade(host, obj, prop)?;
                        for child in children {
                            if registered.is_delete(child) == Some(true) {
                                continue;
                            }
                            if !relationship.cascade.delete {
                                registered.register(child, false);
                            }
                        }
                        for child in self.removed_children(obj, prop) {
                            if relationship.cascade.delete_orphan && !self.has_parent(child, relationship) {
                                registered.register(child, true);
                            }
                        }
                    } else {
                        for child in self.added_children(obj, prop) {
                            if registered.is_delete(child) != Some(true) {
                                registered.register(child, false);
                            }
                        }
                        for child in self.removed_children(obj, prop) {
                            if relationship.cascade.delete_orphan {
                                if !self.has_parent(child, relationship) && self.instances.get(child).key.is_some() {
                                    registered.register(child, true);
                                    let mut cascaded = Vec::new();
                                    self.cascade_objects(child, |c| c.delete, &mut cascaded);
                                    for c in cascaded {
                                        registered.register(c, true);
                                    }
                                }
                            } else if self.instances.get(child).session == Some(session) {
                                registered.register(child, false);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Children a one-to-many collection gained since the last flush.
    pub(crate) fn added_children(&self, obj: ObjId, prop: PropIdx) -> Vec<ObjId> {
        let history = self.history(obj, prop);
        history.added.iter().filter_map(object_of).collect()
    }

    pub(crate) fn removed_children(&self, obj: ObjId, prop: PropIdx) -> Vec<ObjId> {
        let history = self.history(obj, prop);
        history.deleted.iter().filter_map(object_of).collect()
    }

    /// Whether `child` currently belongs to a parent through `relationship` (its reverse
    /// many-to-one points somewhere): SQLAlchemy's `hasparent`.
    pub(crate) fn has_parent(&self, child: ObjId, relationship: &super::mapper::Relationship) -> bool {
        match relationship.reverse {
            Some(reverse) => matches!(self.instances.get(child).value(reverse), Some(super::AttrValue::Object(Some(_)))),
            None => false,
        }
    }

    /// Builds the action graph and sorts it into steps.
    fn sorted_steps(&self, registered: &Registered) -> OrmResult<Vec<PlanStep>> {
        let mut graph = Graph { actions: IndexSet::new(), edges: HashSet::new() };
        let mut mappers: IndexSet<MapperId> = IndexSet::new();
        for obj in registered.states.keys() {
            mappers.insert(self.instances.get(*obj).mapper);
        }
        for mapper in mappers.clone() {
            let saves = graph.add(Action::SaveUpdateAll(mapper));
            let deletes = graph.add(Action::DeleteAll(mapper));
            graph.edge(saves, deletes);
        }
        for mapper in mappers {
            for (prop, relationship) in self.registry.mapper(mapper).relationships() {
                if relationship.spec.viewonly {
                    continue;
                }
                let target = relationship.target;
                let after_save = Action::ProcessAll { mapper, prop, delete: false };
                let before_delete = Action::ProcessAll { mapper, prop, delete: true };
                let parent_saves = Action::SaveUpdateAll(mapper);
                let parent_deletes = Action::DeleteAll(mapper);
                let child_saves = Action::SaveUpdateAll(target);
                let child_deletes = Action::DeleteAll(target);
                graph.edge(child_saves, child_deletes);
                match relationship.direction {
                    Direction::OneToMany => {
                        graph.edge(parent_saves, after_save);
                        graph.edge(after_save, child_saves);
                        graph.edge(after_save, child_deletes);
                        graph.edge(child_saves, parent_deletes);
                        graph.edge(child_deletes, parent_deletes);
                        graph.edge(before_delete, child_saves);
                        graph.edge(before_delete, child_deletes);
                    }
                    Direction::ManyToOne => {
                        graph.edge(child_saves, after_save);
                        graph.edge(after_save, parent_saves);
                        graph.edge(parent_saves, child_deletes);
                        graph.edge(parent_deletes, child_deletes);
                        graph.add(before_delete);
                    }
                    Direction::ManyToMany => {
                        graph.edge(parent_saves, after_save);
                        graph.edge(child_saves, after_save);
                        graph.edge(after_save, child_deletes);
                        graph.edge(before_delete, parent_saves);
                        graph.edge(before_delete, parent_deletes);
                        graph.edge(before_delete, child_deletes);
                        graph.edge(before_delete, child_saves);
                    }
                }
            }
        }
        self.split_cycles(&mut graph, registered);
        let mut order: Vec<Action> = graph.actions.iter().copied().collect();
        order.sort_by_cached_key(|a| self.sort_key(*a));
        let layers = layered_sort(&graph.edges, &order).map_err(|_| {
            OrmError::new(super::ErrorKind::CircularDependency, "Circular dependency detected.")
        })?;
        let mut steps = Vec::new();
        for layer in layers {
            // Within a layer, per-object actions of one mapper run together (SQLAlchemy's
            // execute_aggregate), so their rows can share statements.
            let mut grouped: IndexMap<(u8, MapperId), Vec<ObjId>> = IndexMap::new();
            for action in layer {
                match action {
                    Action::SaveUpdateState(obj) => {
                        grouped.entry((0, self.instances.get(obj).mapper)).or_default().push(obj)
                    }
                    Action::DeleteState(obj) => grouped.entry((1, self.instances.get(obj).mapper)).or_default().push(obj),
                    other => {
                        if let Some(step) = self.step_for(other, registered, &graph.edges, None) {
                            steps.push(step);
                        }
                    }
                }
            }
            for ((kind, mapper), objects) in grouped {
                let action = if kind == 0 { Action::SaveUpdateAll(mapper) } else { Action::DeleteAll(mapper) };
                if let Some(step) = self.step_for(action, registered, &graph.edges, Some(objects)) {
                    steps.push(step);
                }
            }
        }
        Ok(steps)
    }

    /// Replaces the per-mapper actions of mappers caught in a cycle (self-referential
    /// relationships) by per-object actions ordered by the objects' own links.
    fn split_cycles(&self, graph: &mut Graph, registered: &Registered) {
        let cyclic: Vec<MapperId> = graph
            .edges
            .iter()
            .filter_map(|(a, b)| match (a, b) {
                (Action::SaveUpdateAll(x), Action::SaveUpdateAll(y)) if x == y => Some(*x),
                _ => None,
            })
            .chain(self.cyclic_mappers(graph))
            .collect::<IndexSet<_>>()
            .into_iter()
            .collect();
        if cyclic.is_empty() {
            return;
        }
        graph.edges.retain(|(a, b)| a != b);
        for mapper in &cyclic {
            let saves = Action::SaveUpdateAll(*mapper);
            let deletes = Action::DeleteAll(*mapper);
            let objects: Vec<(ObjId, bool)> = registered
                .states
                .iter()
                .filter(|(o, _)| self.instances.get(**o).mapper == *mapper)
                .map(|(o, d)| (*o, *d))
                .collect();
            let per_object: Vec<Action> = objects
                .iter()
                .map(|(o, delete)| if *delete { Action::DeleteState(*o) } else { Action::SaveUpdateState(*o) })
                .collect();
            // Edges to and from the mapper-level actions now attach to every object action.
            let edges: Vec<(Action, Action)> = graph.edges.iter().copied().collect();
            for (a, b) in edges {
                let touches = |x: Action| x == saves || x == deletes;
                if !touches(a) && !touches(b) {
                    continue;
                }
                graph.edges.remove(&(a, b));
                let expand = |x: Action| -> Vec<Action> {
                    if x == saves {
                        per_object.iter().copied().filter(|p| matches!(p, Action::SaveUpdateState(_))).collect()
                    } else if x == deletes {
                        per_object.iter().copied().filter(|p| matches!(p, Action::DeleteState(_))).collect()
                    } else {
                        vec![x]
                    }
                };
                for from in expand(a) {
                    for to in expand(b) {
                        if from != to && !(is_process(from) && is_process(to)) {
                            graph.edges.insert((from, to));
                        }
                    }
                }
            }
            graph.actions.shift_remove(&saves);
            graph.actions.shift_remove(&deletes);
            for action in &per_object {
                graph.actions.insert(*action);
            }
            // Object-level links: a parent row is inserted before its children and deleted
            // after them.
            for (obj, delete) in &objects {
                for (parent, _) in self.parents_within(*obj, *mapper) {
                    match (registered.is_delete(parent), delete) {
                        (Some(false), false) => {
                            graph.edges.insert((Action::SaveUpdateState(parent), Action::SaveUpdateState(*obj)));
                        }
                        (Some(true), true) => {
                            graph.edges.insert((Action::DeleteState(*obj), Action::DeleteState(parent)));
                        }
                        _ => {}
                    }
                }
            }
            // The relationship processing of a split mapper runs per object, inside the saves.
            graph.edges.retain(|(a, b)| {
                !(matches!(a, Action::ProcessAll { mapper: m, .. } if m == mapper)
                    || matches!(b, Action::ProcessAll { mapper: m, .. } if m == mapper))
            });
            graph.actions.retain(|a| !matches!(a, Action::ProcessAll { mapper: m, .. } if m == mapper));
        }
    }

    /// Mappers on a cycle of the per-mapper graph.
    fn cyclic_mappers(&self, graph: &Graph) -> Vec<MapperId> {
        let mut successors: HashMap<Action, Vec<Action>> = HashMap::new();
        for (a, b) in &graph.edges {
            successors.entry(*a).or_default().push(*b);
        }
        let mut cyclic = Vec::new();
        for start in graph.actions.iter().copied() {
            let Action::SaveUpdateAll(mapper) = start else { continue };
            let mut stack = vec![start];
            let mut seen = HashSet::new();
            while let Some(node) = stack.pop() {
                for next in successors.get(&node).into_iter().flatten() {
                    if *next == start {
                        cyclic.push(mapper);
                        stack.clear();
                        break;
                    }
                    if seen.insert(*next) {
                        stack.push(*next);
                    }
                }
            }
        }
        cyclic
    }

    /// Objects of the same mapper that `obj` hangs from (self-referential parents).
    fn parents_within(&self, obj: ObjId, mapper: MapperId) -> Vec<(ObjId, PropIdx)> {
        let mut parents = Vec::new();
        for (prop, relationship) in self.registry.mapper(mapper).relationships() {
            if relationship.target != mapper {
                continue;
            }
            match relationship.direction {
                Direction::ManyToOne => {
                    for parent in self.loaded_related(obj, prop) {
                        parents.push((parent, prop));
                    }
                }
                Direction::OneToMany => {
                    // obj is a parent of each child in its collection: reported from the child.
                }
                Direction::ManyToMany => {}
            }
        }
        // One-to-many links seen from the child: any object whose collection holds obj.
        for other in self.instances_of(mapper) {
            for (prop, relationship) in self.registry.mapper(mapper).relationships() {
                if relationship.target == mapper
                    && relationship.direction == Direction::OneToMany
                    && self.loaded_related(other, prop).contains(&obj)
                    && !parents.iter().any(|(p, _)| *p == other)
                {
                    parents.push((other, prop));
                }
            }
        }
        parents
    }

    fn instances_of(&self, mapper: MapperId) -> Vec<ObjId> {
        self.sessions
            .iter()
            .flat_map(|s| s.identity_map.objects().chain(s.new.iter().copied()).collect::<Vec<_>>())
            .filter(|o| self.instances.get(*o).mapper == mapper)
            .collect()
    }

    /// SQLAlchemy's `sort_key` of an action.
    fn sort_key(&self, action: Action) -> (String, String, bool) {
        let key = |m: MapperId| self.registry.mapper(m).sort_key.clone();
        match action {
            Action::SaveUpdateAll(m) => ("SaveUpdateAll".into(), key(m), false),
            Action::DeleteAll(m) => ("DeleteAll".into(), key(m), false),
            Action::ProcessAll { mapper, prop, delete } => {
                let name = self.registry.mapper(mapper).props[prop].key().to_string();
                ("ProcessAll".into(), format!("{}_{name}", key(mapper)), delete)
            }
            Action::SaveUpdateState(o) => ("SaveUpdateState".into(), key(self.instances.get(o).mapper), false),
            Action::DeleteState(o) => ("DeleteState".into(), key(self.instances.get(o).mapper), false),
        }
    }

    /// A plan step for an action, or `None` when it has nothing to do.
    fn step_for(
        &self,
        action: Action,
        registered: &Registered,
        edges: &HashSet<(Action, Action)>,
        objects: Option<Vec<ObjId>>,
    ) -> Option<PlanStep> {
        let objects_of = |mapper: MapperId, delete: bool| -> Vec<ObjId> {
            registered
                .states
                .iter()
                .filter(|(o, d)| **d == delete && self.instances.get(**o).mapper == mapper)
                .map(|(o, _)| *o)
                .collect()
        };
        match action {
            Action::SaveUpdateAll(mapper) | Action::DeleteAll(mapper) => {
                let delete = matches!(action, Action::DeleteAll(_));
                let objects = objects.unwrap_or_else(|| objects_of(mapper, delete));
                let objects = self.sort_for_statements(objects);
                if objects.is_empty() {
                    return None;
                }
                let table = &self.registry.metadata.table(self.registry.mapper(mapper).table).name;
                let summary = if delete {
                    format!("DELETE from {table} ({} row{})", objects.len(), plural(objects.len()))
                } else {
                    let inserts = objects.iter().filter(|o| self.instances.get(**o).key.is_none()).count();
                    let updates = objects.len() - inserts;
                    match (inserts, updates) {
                        (i, 0) => format!("INSERT into {table} ({i} row{})", plural(i)),
                        (0, u) => format!("UPDATE {table} ({u} row{})", plural(u)),
                        (i, u) => format!("INSERT into {table} ({i} row{}), UPDATE {table} ({u} row{})", plural(i), plural(u)),
                    }
                };
                Some(PlanStep { action, objects, summary, reason: self.reason_for(action, edges, registered) })
            }
            Action::ProcessAll { mapper, prop, delete } => {
                let relationship = self.registry.mapper(mapper).relationship(prop)?;
                if relationship.direction != Direction::ManyToMany {
                    // One-to-many and many-to-one processing only copies key values between
                    // objects; it runs as part of the neighbouring saves.
                    return None;
                }
                let parents = objects_of(mapper, delete);
                if parents.is_empty() {
                    return None;
                }
                let secondary = relationship.secondary.map(|t| self.registry.metadata.table(t).name.clone())?;
                let summary = if delete {
                    format!("DELETE association rows from {secondary}")
                } else {
                    format!("INSERT/DELETE association rows of {secondary}")
                };
                Some(PlanStep { action, objects: parents, summary, reason: Some(format!(
                    "{secondary} rows need both sides' primary keys: {} rows are written first",
                    if delete { "they are deleted before the" } else { "the related" }
                )) })
            }
            Action::SaveUpdateState(_) | Action::DeleteState(_) => None,
        }
    }

    /// Pending objects in `add` order, then persistent ones by primary key (SQLAlchemy's
    /// `_sort_states`).
    pub(crate) fn sort_for_statements(&self, mut objects: Vec<ObjId>) -> Vec<ObjId> {
        objects.sort_by(|a, b| {
            let (sa, sb) = (self.instances.get(*a), self.instances.get(*b));
            match (&sa.key, &sb.key) {
                (None, None) => sa.insert_order.cmp(&sb.insert_order),
                (None, Some(_)) => std::cmp::Ordering::Less,
                (Some(_), None) => std::cmp::Ordering::Greater,
                (Some(ka), Some(kb)) => compare_keys(ka, kb),
            }
        });
        objects
    }

    /// Why an action comes after others: the relationships that order it.
    fn reason_for(&self, action: Action, edges: &HashSet<(Action, Action)>, registered: &Registered) -> Option<String> {
        let (mapper, delete) = match action {
            Action::SaveUpdateAll(m) => (m, false),
            Action::DeleteAll(m) => (m, true),
            _ => return None,
        };
        let table = |m: MapperId| self.registry.metadata.table(self.registry.mapper(m).table).name.clone();
        let mut reasons = Vec::new();
        for other in self.registry.mapper_ids() {
            if other == mapper || !registered.states.keys().any(|o| self.instances.get(*o).mapper == other) {
                continue;
            }
            let other_action = if delete { Action::DeleteAll(other) } else { Action::SaveUpdateAll(other) };
            let depends = edges.iter().any(|(a, b)| *a == other_action && (*b == action || reaches(edges, *b, action)));
            if depends {
                let fk = self.foreign_key_between(mapper, other).or_else(|| self.foreign_key_between(other, mapper));
                let detail = fk.map(|text| format!(" ({text})")).unwrap_or_default();
                reasons.push(if delete {
                    format!("{} rows are deleted first: they reference {}{detail}", table(other), table(mapper))
                } else {
                    format!("{} depends on {}{detail}", table(mapper), table(other))
                });
            }
        }
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }

    /// `post.user_id references user.id` when `from`'s table has a foreign key to `to`'s.
    fn foreign_key_between(&self, from: MapperId, to: MapperId) -> Option<String> {
        let metadata = &self.registry.metadata;
        let from_table = metadata.table(self.registry.mapper(from).table);
        let to_table = metadata.table(self.registry.mapper(to).table);
        from_table.columns.iter().find_map(|c| {
            let fk = c.foreign_key.as_ref()?;
            (fk.target_table == to_table.name).then(|| format!("{}.{} references {}", from_table.name, c.name, fk.target))
        })
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn is_process(action: Action) -> bool {
    matches!(action, Action::ProcessAll { .. })
}

fn object_of(value: &super::AttrValue) -> Option<ObjId> {
    match value {
        super::AttrValue::Object(o) => *o,
        _ => None,
    }
}

fn reaches(edges: &HashSet<(Action, Action)>, from: Action, to: Action) -> bool {
    let mut stack = vec![from];
    let mut seen = HashSet::new();
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        for (a, b) in edges {
            if *a == node && seen.insert(*b) {
                stack.push(*b);
            }
        }
    }
    false
}

pub(crate) fn compare_keys(a: &super::identity::IdentityKey, b: &super::identity::IdentityKey) -> std::cmp::Ordering {
    use crate::sql::Datum;
    for (x, y) in a.values().zip(b.values()) {
        let ordering = match (x, y) {
            (Datum::Int(x), Datum::Int(y)) => x.cmp(y),
            (Datum::Text(x), Datum::Text(y)) => x.cmp(y),
            (x, y) => format!("{x:?}").cmp(&format!("{y:?}")),
        };
        if ordering.is_ne() {
            return ordering;
        }
    }
    std::cmp::Ordering::Equal
}

/// SQLAlchemy's `topological.sort_as_subsets`: repeatedly takes, in the given order, every
/// node none of whose predecessors is still waiting.
pub(crate) fn layered_sort(edges: &HashSet<(Action, Action)>, order: &[Action]) -> Result<Vec<Vec<Action>>, ()> {
    let mut predecessors: HashMap<Action, Vec<Action>> = HashMap::new();
    for (a, b) in edges {
        predecessors.entry(*b).or_default().push(*a);
    }
    let mut waiting: IndexSet<Action> = order.iter().copied().collect();
    let mut layers = Vec::new();
    while !waiting.is_empty() {
        let ready: Vec<Action> = waiting
            .iter()
            .copied()
            .filter(|node| predecessors.get(node).is_none_or(|ps| ps.iter().all(|p| !waiting.contains(p))))
            .collect();
        if ready.is_empty() {
            return Err(());
        }
        for node in &ready {
            waiting.shift_remove(node);
        }
        layers.push(ready);
    }
    Ok(layers)
}
