//! Mappers: how a model class maps onto a table. A [`Registry`] holds the tables
//! ([`MetaData`]) and the mappers of one declarative base; `configure` resolves what
//! declarations leave symbolic (relationship targets by class name, directions, foreign-key
//! pairs, backrefs) the way SQLAlchemy's `configure_mappers()` does, on first use.

use std::collections::HashMap;

use super::cascade::Cascade;
use super::schema::{ColumnId, MetaData, MetaDataId, TableId};
use super::OrmError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MapperId(pub u32);

/// Index of a property within its mapper's `props`.
pub type PropIdx = usize;

/// A column of a table, by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ColRef {
    pub table: TableId,
    pub column: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lazy {
    Select,
    Joined,
    Selectin,
    Dynamic,
    Raise,
    NoLoad,
}

impl Lazy {
    pub fn parse(text: &str) -> Option<Lazy> {
        Some(match text {
            "select" | "True" => Lazy::Select,
            "joined" | "False" => Lazy::Joined,
            "selectin" => Lazy::Selectin,
            "dynamic" => Lazy::Dynamic,
            "raise" | "raise_on_sql" => Lazy::Raise,
            "noload" => Lazy::NoLoad,
            _ => return None,
        })
    }
}

/// `order_by=` of a relationship: resolved to a column of the target table at configure time
/// (a string like `'Lesson.position'` or `'Lesson.position.desc()'` names one).
#[derive(Clone, Debug, PartialEq)]
pub enum OrderBySpec {
    Column { column: ColumnId, descending: bool },
    Text(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    OneToMany,
    ManyToOne,
    ManyToMany,
}

/// A `relationship()` (or `db.backref()`) as declared, before configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RelationshipSpec {
    /// Target class name as written: `'Post'` or the class itself.
    pub target: String,
    /// Association table name for many-to-many.
    pub secondary: Option<String>,
    pub back_populates: Option<String>,
    pub backref: Option<Box<BackrefSpec>>,
    pub uselist: Option<bool>,
    pub lazy: Option<Lazy>,
    pub order_by: Vec<OrderBySpec>,
    pub cascade: Option<String>,
    pub passive_deletes: bool,
    pub remote_side: Vec<ColumnId>,
    pub foreign_keys: Vec<ColumnId>,
    pub viewonly: bool,
    /// `overlaps="a,b"`: relationships it may write the same columns as, without a warning.
    pub overlaps: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BackrefSpec {
    pub name: String,
    /// Keyword arguments of `db.backref(name, ...)`; `target` is filled at configure time.
    pub options: RelationshipSpec,
}

/// A configured relationship.
#[derive(Clone, Debug)]
pub struct Relationship {
    pub key: String,
    pub spec: RelationshipSpec,
    pub target: MapperId,
    pub direction: Direction,
    pub uselist: bool,
    pub lazy: Lazy,
    pub cascade: Cascade,
    /// For one-to-many and many-to-one: (referenced column, foreign-key column) pairs, the
    /// referenced side being the "one" side's primary key.
    pub pairs: Vec<(ColRef, ColRef)>,
    /// For many-to-many: the association table, (parent column, association column) and
    /// (target column, association column) pairs.
    pub secondary: Option<TableId>,
    pub secondary_pairs: Vec<(ColRef, ColRef)>,
    /// The property on the target that mirrors this one (backref / back_populates).
    pub reverse: Option<PropIdx>,
}

impl Relationship {
    /// The side whose columns hold the foreign key (the "many" side), for `pairs`.
    pub fn fk_side_is_local(&self) -> bool {
        self.direction == Direction::ManyToOne
    }
}

#[derive(Clone, Debug)]
pub enum Property {
    Column { key: String, column: usize },
    Relationship(RelationshipSlot),
}

/// A relationship property before and after configuration.
#[derive(Clone, Debug)]
pub enum RelationshipSlot {
    Declared { key: String, spec: RelationshipSpec },
    Configured(Box<Relationship>),
}

impl Property {
    pub fn key(&self) -> &str {
        match self {
            Property::Column { key, .. } => key,
            Property::Relationship(RelationshipSlot::Declared { key, .. }) => key,
            Property::Relationship(RelationshipSlot::Configured(r)) => &r.key,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Mapper {
    pub class_name: String,
    /// `module.ClassName`: SQLAlchemy orders a flush's independent work by this key.
    pub sort_key: String,
    pub table: TableId,
    pub props: Vec<Property>,
    pub prop_index: HashMap<String, PropIdx>,
    /// Column properties of the primary key, in table order.
    pub pk_props: Vec<PropIdx>,
}

impl Mapper {
    pub fn prop(&self, key: &str) -> Option<PropIdx> {
        self.prop_index.get(key).copied()
    }

    pub fn column_of(&self, prop: PropIdx) -> Option<usize> {
        match self.props.get(prop) {
            Some(Property::Column { column, .. }) => Some(*column),
            _ => None,
        }
    }

    pub fn relationship(&self, prop: PropIdx) -> Option<&Relationship> {
        match self.props.get(prop) {
            Some(Property::Relationship(RelationshipSlot::Configured(r))) => Some(r),
            _ => None,
        }
    }

    /// The column property mapped to table column `column`.
    pub fn prop_for_column(&self, column: usize) -> Option<PropIdx> {
        self.props.iter().position(|p| matches!(p, Property::Column { column: c, .. } if *c == column))
    }

    pub fn relationships(&self) -> impl Iterator<Item = (PropIdx, &Relationship)> {
        self.props.iter().enumerate().filter_map(|(i, p)| match p {
            Property::Relationship(RelationshipSlot::Configured(r)) => Some((i, &**r)),
            _ => None,
        })
    }

    pub fn column_props(&self) -> impl Iterator<Item = (PropIdx, &str, usize)> {
        self.props.iter().enumerate().filter_map(|(i, p)| match p {
            Property::Column { key, column } => Some((i, key.as_str(), *column)),
            _ => None,
        })
    }
}

/// What a model class declares, handed over by the host when the class statement runs.
#[derive(Clone, Debug)]
pub struct ClassDeclaration {
    pub class_name: String,
    pub module: String,
    pub table: TableId,
    /// Attribute name → column name, in declaration order (mixins first, as Python's MRO
    /// collects them).
    pub columns: Vec<(String, String)>,
    pub relationships: Vec<(String, RelationshipSpec)>,
}

/// The mappers and tables of one declarative base.
#[derive(Debug, Default)]
pub struct Registry {
    pub metadata: MetaData,
    pub mappers: Vec<Mapper>,
    configured: bool,
    /// Warnings configuration found (SQLAlchemy's `SAWarning` texts), for the host to issue.
    warnings: Vec<String>,
}

impl Registry {
    pub fn mapper(&self, id: MapperId) -> &Mapper {
        // MapperIds are only made by `map_class` of this registry.
        &self.mappers[id.0 as usize]
    }

    /// The class a name means to the declarative base of `near` (a mapper of it): the one
    /// mapped last under that name, as SQLAlchemy's string lookup keeps the newest.
    pub fn mapper_by_name(&self, near: MapperId, class_name: &str) -> Option<MapperId> {
        let base = self.metadata_of(near);
        self.mappers
            .iter()
            .rposition(|m| m.class_name == class_name && self.metadata.owner(m.table) == base)
            .map(|i| MapperId(i as u32))
    }

    /// The `MetaData` of a mapper's table, which stands for its declarative base.
    pub fn metadata_of(&self, mapper: MapperId) -> MetaDataId {
        self.metadata.owner(self.mapper(mapper).table)
    }

    pub fn mapper_for_table(&self, table: TableId) -> Option<MapperId> {
        self.mappers.iter().position(|m| m.table == table).map(|i| MapperId(i as u32))
    }

    pub fn mapper_ids(&self) -> impl Iterator<Item = MapperId> {
        (0..self.mappers.len() as u32).map(MapperId)
    }

    /// Adds a mapper for a declared class. Relationships stay symbolic until [`configure`].
    pub fn map_class(&mut self, decl: ClassDeclaration) -> Result<MapperId, OrmError> {
        let table = self.metadata.table(decl.table).clone();
        let mut props = Vec::new();
        let mut prop_index = HashMap::new();
        for (key, column_name) in &decl.columns {
            let column = table.column_index(column_name).ok_or_else(|| {
                OrmError::argument(format!("table '{}' has no column '{column_name}'", table.name))
            })?;
            prop_index.insert(key.clone(), props.len());
            props.push(Property::Column { key: key.clone(), column });
        }
        let pk_props = table
            .primary_key()
            .filter_map(|(i, _)| props.iter().position(|p| matches!(p, Property::Column { column, .. } if *column == i)))
            .collect::<Vec<_>>();
        if pk_props.is_empty() {
            return Err(OrmError::argument(format!(
                "Mapper Mapper[{}({})] could not assemble any primary key columns for mapped \
                 table '{}'",
                decl.class_name, table.name, table.name
            )));
        }
        for (key, spec) in decl.relationships {
            prop_index.insert(key.clone(), props.len());
            props.push(Property::Relationship(RelationshipSlot::Declared { key, spec }));
        }
        self.mappers.push(Mapper {
            sort_key: format!("{}.{}", decl.module, decl.class_name),
            class_name: decl.class_name,
            table: decl.table,
            props,
            prop_index,
            pk_props,
        });
        self.configured = false;
        Ok(MapperId(self.mappers.len() as u32 - 1))
    }

    /// Resolves every declared relationship, as `configure_mappers()` does: idempotent, cheap
    /// when nothing new was mapped.
    pub fn configure(&mut self) -> Result<(), OrmError> {
        if self.configured {
            return Ok(());
        }
        for mapper in 0..self.mappers.len() {
            let mut prop = 0;
            while prop < self.mappers[mapper].props.len() {
                if let Property::Relationship(RelationshipSlot::Declared { key, spec }) =
                    &self.mappers[mapper].props[prop]
                {
                    let (key, spec) = (key.clone(), spec.clone());
                    self.configure_relationship(MapperId(mapper as u32), prop, key, spec)?;
                }
                prop += 1;
            }
        }
        self.configured = true;
        self.warnings.extend(self.overlap_warnings());
        Ok(())
    }

    /// The warnings found since the last call (e.g. by `configure`), oldest first.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// SQLAlchemy's warning for relationships that copy values into the same column without
    /// being linked by `back_populates` / `backref` (or `overlaps=`), checked in
    /// configuration order as each relationship's sync targets are recorded.
    fn overlap_warnings(&self) -> Vec<String> {
        let column_name = |c: &ColRef| {
            let table = self.metadata.table(c.table);
            format!("{}.{}", table.name, table.columns.get(c.column).map_or("?", |col| col.name.as_str()))
        };
        // Per written column: the relationships writing it and the column each copies from.
        let mut writers: Vec<(ColRef, Vec<(MapperId, PropIdx, ColRef)>)> = Vec::new();
        let mut warnings = Vec::new();
        for (m, mapper) in self.mappers.iter().enumerate() {
            let parent = MapperId(m as u32);
            for (prop, _) in mapper.props.iter().enumerate() {
                let Some(rel) = mapper.relationship(prop) else { continue };
                if rel.spec.viewonly {
                    continue;
                }
                let name = format!("{}.{}", mapper.class_name, rel.key);
                for (from, to) in rel.pairs.iter().chain(rel.secondary_pairs.iter()) {
                    let index = match writers.iter().position(|(c, _)| c == to) {
                        Some(i) => i,
                        None => {
                            writers.push((*to, Vec::new()));
                            writers.len() - 1
                        }
                    };
                    // (other relationship's name, its key, the column it copies from)
                    let mut conflicts: Vec<(String, &str, &ColRef)> = Vec::new();
                    for (other_mapper, other_prop, other_from) in &writers[index].1 {
                        let other_class = &self.mapper(*other_mapper).class_name;
                        let Some(other) = self.mapper(*other_mapper).relationship(*other_prop) else { continue };
                        let same = *other_mapper == parent && *other_prop == prop;
                        let linked = (rel.target == *other_mapper && rel.reverse == Some(*other_prop)) || (other.target == parent && other.reverse == Some(prop));
                        let allowed = rel.spec.overlaps.contains(&other.key) || other.spec.overlaps.contains(&rel.key);
                        if !same && !linked && !allowed {
                            conflicts.push((format!("{other_class}.{}", other.key), &other.key, other_from));
                        }
                    }
                    if !conflicts.is_empty() {
                        let mut described: Vec<String> =
                            conflicts.iter().map(|(other, _, other_from)| format!("'{other}' (copies {} to {})", column_name(other_from), column_name(to))).collect();
                        described.sort();
                        let mut keys: Vec<&str> = conflicts.iter().map(|(_, key, _)| *key).collect();
                        keys.sort();
                        warnings.push(format!(
                            "relationship '{name}' will copy column {} to column {}, which conflicts with relationship(s): {}. \
                             If this is not the intention, consider if these relationships should be linked with back_populates, \
                             or if viewonly=True should be applied to one or more if they are read-only. For the less common case \
                             that foreign key constraints are partially overlapping, the orm.foreign() annotation can be used to \
                             isolate the columns that should be written towards.   To silence this warning, add the parameter \
                             'overlaps=\"{}\"' to the '{name}' relationship. (Background on this warning at: https://sqlalche.me/e/20/qzyx)",
                            column_name(from),
                            column_name(to),
                            described.join(", "),
                            keys.join(","),
                        ));
                    }
                    writers[index].1.push((parent, prop, *from));
                }
            }
        }
        warnings
    }

    fn configure_relationship(
        &mut self,
        parent: MapperId,
        prop: PropIdx,
        key: String,
        spec: RelationshipSpec,
    ) -> Result<(), OrmError> {
        let parent_mapper = self.mapper(parent);
        let target = self.mapper_by_name(parent, &spec.target).ok_or_else(|| {
            OrmError::invalid_request(format!(
                "When initializing mapper Mapper[{}({})], expression '{}' failed to locate a \
                 name ('{}'). If this is a class name, consider adding this relationship() to \
                 the <class '__main__.{}'> class after both dependent classes have been defined.",
                parent_mapper.class_name,
                self.metadata.table(parent_mapper.table).name,
                spec.target,
                spec.target,
                parent_mapper.class_name
            ))
        })?;
        let join = super::relationships::resolve_join(self, parent, target, &key, &spec)?;
        let mut spec = spec;
        spec.order_by = spec
            .order_by
            .iter()
            .map(|o| self.resolve_order_by(target, o))
            .collect::<Result<Vec<Vec<_>>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        let uselist = spec.uselist.unwrap_or(join.direction != Direction::ManyToOne);
        let cascade = match &spec.cascade {
            Some(text) => Cascade::parse(text).map_err(OrmError::argument)?,
            None => Cascade::default(),
        };
        let relationship = Relationship {
            key: key.clone(),
            target,
            direction: join.direction,
            uselist,
            lazy: spec.lazy.unwrap_or(Lazy::Select),
            cascade,
            pairs: join.pairs,
            secondary: join.secondary,
            secondary_pairs: join.secondary_pairs,
            reverse: None,
            spec: spec.clone(),
        };
        self.mappers[parent.0 as usize].props[prop] =
            Property::Relationship(RelationshipSlot::Configured(Box::new(relationship)));

        if let Some(backref) = &spec.backref {
            self.add_backref(parent, prop, target, backref)?;
        } else if let Some(other) = &spec.back_populates {
            self.link_back_populates(parent, prop, target, other)?;
        }
        Ok(())
    }

    /// `backref='author'` creates the mirror relationship on the target class.
    fn add_backref(
        &mut self,
        parent: MapperId,
        prop: PropIdx,
        target: MapperId,
        backref: &BackrefSpec,
    ) -> Result<(), OrmError> {
        if self.mapper(target).prop(&backref.name).is_some() {
            return Err(OrmError::argument(format!(
                "Error creating backref '{}' on relationship '{}.{}': property of that name \
                 exists on mapper 'Mapper[{}({})]'",
                backref.name,
                self.mapper(parent).class_name,
                self.mapper(parent).props[prop].key(),
                self.mapper(target).class_name,
                self.metadata.table(self.mapper(target).table).name,
            )));
        }
        let mut spec = backref.options.clone();
        spec.target = self.mapper(parent).class_name.clone();
        spec.secondary = self
            .mapper(parent)
            .relationship(prop)
            .and_then(|r| r.secondary)
            .map(|t| self.metadata.table(t).name.clone());
        spec.back_populates = Some(self.mapper(parent).props[prop].key().to_string());
        if spec.foreign_keys.is_empty() {
            spec.foreign_keys = self.mapper(parent).relationship(prop).map(|r| r.spec.foreign_keys.clone()).unwrap_or_default();
        }
        let forward = self.mapper(parent).relationship(prop).cloned();
        // A self-referential backref mirrors the forward direction unless told otherwise.
        if let Some(forward) = &forward {
            if forward.target == parent && spec.remote_side.is_empty() && forward.direction == Direction::ManyToOne {
                spec.remote_side = forward.pairs.iter().map(|(_, fk)| self.column_id(*fk)).collect();
            }
        }
        let target_mapper = &mut self.mappers[target.0 as usize];
        let backref_prop = target_mapper.props.len();
        target_mapper.prop_index.insert(backref.name.clone(), backref_prop);
        target_mapper.props.push(Property::Relationship(RelationshipSlot::Declared {
            key: backref.name.clone(),
            spec: spec.clone(),
        }));
        let configured = self.configure_backref_side(target, backref_prop, backref.name.clone(), spec);
        configured?;
        self.set_reverse(parent, prop, backref_prop);
        self.set_reverse(target, backref_prop, prop);
        Ok(())
    }

    fn configure_backref_side(
        &mut self,
        mapper: MapperId,
        prop: PropIdx,
        key: String,
        mut spec: RelationshipSpec,
    ) -> Result<(), OrmError> {
        // The reverse link is set by the caller; do not chase back_populates again.
        spec.back_populates = None;
        self.configure_relationship(mapper, prop, key, spec)
    }

    fn link_back_populates(
        &mut self,
        parent: MapperId,
        prop: PropIdx,
        target: MapperId,
        other: &str,
    ) -> Result<(), OrmError> {
        let other_prop = self.mapper(target).prop(other).ok_or_else(|| {
            OrmError::invalid_request(format!(
                "Mapper 'Mapper[{}({})]' has no property '{}'.  If this property was indicated \
                 from other mappers or configure events, ensure registry.configure() has been \
                 called.",
                self.mapper(target).class_name,
                self.metadata.table(self.mapper(target).table).name,
                other
            ))
        })?;
        self.set_reverse(parent, prop, other_prop);
        Ok(())
    }

    fn set_reverse(&mut self, mapper: MapperId, prop: PropIdx, reverse: PropIdx) {
        if let Some(Property::Relationship(RelationshipSlot::Configured(r))) =
            self.mappers[mapper.0 as usize].props.get_mut(prop)
        {
            r.reverse = Some(reverse);
        }
    }

    /// `order_by='Lesson.position'` (or `'Lesson.position.desc()'`, `'desc(Lesson.position)'`,
    /// `'position'`): the target's columns it names.
    fn resolve_order_by(&self, target: MapperId, spec: &OrderBySpec) -> Result<Vec<OrderBySpec>, OrmError> {
        let OrderBySpec::Text(text) = spec else { return Ok(vec![spec.clone()]) };
        let mut out = Vec::new();
        for term in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (inner, descending) = if let Some(inner) = term.strip_prefix("desc(").and_then(|t| t.strip_suffix(')')) {
                (inner.trim(), true)
            } else if let Some(inner) = term.strip_prefix("asc(").and_then(|t| t.strip_suffix(')')) {
                (inner.trim(), false)
            } else if let Some(inner) = term.strip_suffix(".desc()") {
                (inner, true)
            } else if let Some(inner) = term.strip_suffix(".asc()") {
                (inner, false)
            } else {
                (term, false)
            };
            let (class, attribute) = match inner.rsplit_once('.') {
                Some((class, attribute)) => (Some(class), attribute),
                None => (None, inner),
            };
            let mapper = match class {
                Some(name) => self.mapper_by_name(target, name),
                None => Some(target),
            };
            let column = mapper.and_then(|m| {
                let mapper = self.mapper(m);
                mapper.prop(attribute).and_then(|p| mapper.column_of(p)).map(|c| self.metadata.table(mapper.table).columns[c].id)
            });
            match column {
                Some(column) => out.push(OrderBySpec::Column { column, descending }),
                None => {
                    return Err(OrmError::argument(format!(
                        "Could not resolve order_by expression '{text}': name a column of the related class, like 'Class.column' or 'Class.column.desc()'"
                    )))
                }
            }
        }
        Ok(out)
    }

    pub fn column_id(&self, col: ColRef) -> ColumnId {
        self.metadata.table(col.table).columns[col.column].id
    }

    /// Finds a column by its id in any table.
    pub fn column_by_id(&self, id: ColumnId) -> Option<ColRef> {
        self.metadata.tables().find_map(|(table, t)| {
            t.columns.iter().position(|c| c.id == id).map(|column| ColRef { table, column })
        })
    }
}
