//! ORM statements: `select(User)`, `session.query(User.name, func.count(...))` and friends,
//! as data, and their compilation to a SQL `Select` with SQLAlchemy's labels (legacy `Query`
//! labels every column `table_column`; 2.0 `select()` labels only what needs a name), FROM
//! lists, joins inferred from relationships and foreign keys, and eager-load joins.

use std::collections::HashMap;

use super::mapper::{ColRef, Direction, MapperId, PropIdx, Relationship};
use super::schema::ColumnType;
use super::{Orm, OrmError, OrmResult};
use crate::sql::{BinaryOp, Datum, Expr, FromClause, Join, JoinKind, OrderBy, ResultColumn, Select, Source};

/// One item of the SELECT list, as the ORM sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Entity {
    /// A mapped class (or an alias of it): every column, loaded into objects.
    Mapper { mapper: MapperId, alias: Option<String> },
    /// A column or SQL expression; `key` names it in result rows (`row.username`).
    Column { expr: Expr, label: Option<String>, key: String },
}

/// Where a join goes.
#[derive(Clone, Debug, PartialEq)]
pub enum JoinTarget {
    /// `.join(Post)` (ON inferred from foreign keys unless given).
    Mapper { mapper: MapperId, alias: Option<String> },
    /// `.join(User.posts)`: along a relationship from its parent.
    Relationship { parent: MapperId, parent_alias: Option<String>, prop: PropIdx, alias: Option<String> },
    /// `.join(association_table)`.
    Table { name: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct JoinClause {
    pub target: JoinTarget,
    pub on: Option<Expr>,
    pub outer: bool,
}

/// How a relationship loads: `joinedload(User.posts)`, `selectinload(...)`, `lazyload`...
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LoaderKind {
    Joined,
    Selectin,
    Lazy,
    Raise,
    NoLoad,
}

/// A loader option for a path of relationships (`joinedload(A.b).selectinload(B.c)`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoadOption {
    pub path: Vec<(MapperId, PropIdx)>,
    pub kind: LoaderKind,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct OrmSelect {
    /// Built by the legacy `Query` API (labels `table_column`, uniquing of joined-eager rows).
    pub legacy: bool,
    pub entities: Vec<Entity>,
    pub select_from: Option<MapperId>,
    pub joins: Vec<JoinClause>,
    pub criteria: Vec<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Vec<Expr>,
    pub order_by: Vec<OrderBy>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub distinct: bool,
    pub options: Vec<LoadOption>,
    pub populate_existing: bool,
}

impl OrmSelect {
    pub fn of_mapper(mapper: MapperId, legacy: bool) -> OrmSelect {
        OrmSelect { legacy, entities: vec![Entity::Mapper { mapper, alias: None }], ..OrmSelect::default() }
    }

    pub fn and_where(&mut self, criterion: Expr) {
        self.criteria.push(criterion);
    }
}

/// How result columns map back to entities.
#[derive(Clone, Debug)]
pub enum RowPart {
    /// Columns `start..start + props.len()` load an object of `mapper` (prop per column).
    Object { mapper: MapperId, start: usize, props: Vec<PropIdx> },
    /// A column expression; `result_type` is the mapped column's type when the expression is
    /// one (its result processor applies).
    Value { index: usize, result_type: Option<ColumnType> },
}

/// A relationship loaded by a LEFT OUTER JOIN in the same statement.
#[derive(Clone, Debug)]
pub struct JoinedLoad {
    /// Index into `parts` of the parent entity.
    pub parent_part: usize,
    pub prop: PropIdx,
    pub target: MapperId,
    pub start: usize,
    pub props: Vec<PropIdx>,
}

#[derive(Clone, Debug)]
pub struct Compiled {
    pub select: Select,
    pub parts: Vec<RowPart>,
    /// Result row keys (`row.username`), one per entity.
    pub keys: Vec<String>,
    pub joined: Vec<JoinedLoad>,
}

/// Counters for SQLAlchemy's anonymous names within one statement (`count_1`, `anon_1`).
#[derive(Default)]
pub struct Names {
    counters: HashMap<String, usize>,
}

impl Names {
    pub fn next(&mut self, base: &str) -> String {
        let n = self.counters.entry(base.to_string()).or_insert(0);
        *n += 1;
        format!("{base}_{n}")
    }
}

impl Orm {
    pub fn table_name(&self, mapper: MapperId) -> &str {
        &self.registry.metadata.table(self.registry.mapper(mapper).table).name
    }

    /// `table.column` of a mapper's column property, through an alias if given.
    pub fn column_expr(&self, mapper: MapperId, alias: Option<&str>, prop: PropIdx) -> OrmResult<Expr> {
        let m = self.registry.mapper(mapper);
        let column = m.column_of(prop).ok_or_else(|| OrmError::invalid_request("not a column attribute"))?;
        let name = &self.registry.metadata.table(m.table).columns[column].name;
        Ok(Expr::column(alias.unwrap_or_else(|| self.table_name(mapper)), name))
    }

    fn col_expr(&self, col: ColRef, alias: Option<&str>) -> Expr {
        let table = self.registry.metadata.table(col.table);
        Expr::column(alias.unwrap_or(&table.name), &table.columns[col.column].name)
    }

    /// The ON clause of a one-to-many or many-to-one relationship: `user.id = post.user_id`
    /// (referenced column = foreign key), each side through its alias.
    pub fn relationship_join(&self, relationship: &Relationship, parent_alias: Option<&str>, target_alias: Option<&str>) -> Expr {
        let (referenced_alias, fk_alias) = match relationship.direction {
            Direction::ManyToOne => (target_alias, parent_alias),
            _ => (parent_alias, target_alias),
        };
        let terms = relationship.pairs.iter().map(|(referenced, fk)| {
            Expr::binary(self.col_expr(*referenced, referenced_alias), BinaryOp::Eq, self.col_expr(*fk, fk_alias))
        });
        and_all(&terms.collect::<Vec<_>>()).unwrap_or(Expr::Literal(Datum::Bool(true)))
    }

    /// The entity `filter_by()` applies to: the last joined entity, else the first one
    /// selected (for a column, the mapper of its table).
    pub fn filter_by_target(&self, statement: &OrmSelect) -> Option<(MapperId, Option<String>)> {
        for join in statement.joins.iter().rev() {
            match &join.target {
                JoinTarget::Mapper { mapper, alias } => return Some((*mapper, alias.clone())),
                JoinTarget::Relationship { parent, prop, alias, .. } => {
                    let target = self.registry.mapper(*parent).relationship(*prop)?.target;
                    return Some((target, alias.clone()));
                }
                JoinTarget::Table { .. } => {}
            }
        }
        statement.entities.iter().find_map(|e| match e {
            Entity::Mapper { mapper, alias } => Some((*mapper, alias.clone())),
            Entity::Column { expr, .. } => referenced_tables(expr).into_iter().find_map(|source| match source {
                Source::Table { name, .. } => {
                    let table = self.registry.metadata.table_id(&name)?;
                    self.registry.mapper_for_table(table).map(|m| (m, None))
                }
                Source::Subquery { .. } => None,
            }),
        })
    }

    /// Compiles an ORM select to SQL.
    pub fn compile_select(&self, statement: &OrmSelect) -> OrmResult<Compiled> {
        let mut names = Names::default();
        let mut columns = Vec::new();
        let mut parts = Vec::new();
        let mut keys = Vec::new();
        let mut froms: Vec<Source> = Vec::new();
        let add_from = |froms: &mut Vec<Source>, source: Source| {
            if !froms.contains(&source) {
                froms.push(source);
            }
        };
        for entity in &statement.entities {
            match entity {
                Entity::Mapper { mapper, alias } => {
                    let (start, props) = self.entity_columns(*mapper, alias.as_deref(), statement.legacy, &mut columns);
                    parts.push(RowPart::Object { mapper: *mapper, start, props });
                    keys.push(alias.clone().unwrap_or_else(|| self.registry.mapper(*mapper).class_name.clone()));
                    add_from(&mut froms, Source::Table { name: self.table_name(*mapper).to_string(), alias: alias.clone() });
                }
                Entity::Column { expr, label, key } => {
                    let label = match (label, expr) {
                        (Some(l), _) => Some(l.clone()),
                        (None, Expr::Column { table: Some(t), name }) if statement.legacy => Some(format!("{t}_{name}")),
                        (None, Expr::Column { .. } | Expr::Star) => None,
                        (None, Expr::Function { name, .. }) => Some(names.next(name)),
                        (None, _) => Some(names.next("anon")),
                    };
                    let result_type = match expr {
                        Expr::Column { table: Some(table), name } => self
                            .registry
                            .metadata
                            .table_id(table)
                            .and_then(|id| self.registry.metadata.table(id).columns.iter().find(|c| &c.name == name))
                            .map(|c| c.column_type.clone()),
                        _ => None,
                    };
                    parts.push(RowPart::Value { index: columns.len(), result_type });
                    keys.push(key.clone());
                    for table in referenced_tables(expr) {
                        add_from(&mut froms, table);
                    }
                    columns.push(ResultColumn { expr: expr.clone(), label });
                }
            }
        }
        if let Some(mapper) = statement.select_from {
            froms.retain(|f| !matches!(f, Source::Table { name, alias: None } if name == self.table_name(mapper)));
            froms.insert(0, Source::Table { name: self.table_name(mapper).to_string(), alias: None });
        }
        // Tables only named in WHERE / ORDER BY also go into FROM, as SQLAlchemy does; a
        // joined table leaves the FROM list when its join is added below.
        let mentioned = statement.criteria.iter().chain(&statement.having).chain(statement.order_by.iter().map(|o| &o.expr));
        for expr in mentioned {
            for table in referenced_tables(expr) {
                add_from(&mut froms, table);
            }
        }
        let mut joins = Vec::new();
        for join in &statement.joins {
            let (source, on) = self.compile_join(join, &froms, &joins)?;
            froms.retain(|f| *f != source);
            joins.push(Join { kind: if join.outer { JoinKind::LeftOuter } else { JoinKind::Inner }, source, on });
        }
        let mut order_by = statement.order_by.clone();
        let mut joined = Vec::new();
        let main_columns = columns.len();
        let user_joins = joins.len();
        // Joined eager loads: `joinedload()` options, and relationships declared
        // `lazy='joined'` unless an option says otherwise.
        let mut eager: Vec<(MapperId, PropIdx)> = statement
            .options
            .iter()
            .filter(|o| o.kind == LoaderKind::Joined && o.path.len() == 1)
            .map(|o| o.path[0])
            .collect();
        for entity in &statement.entities {
            let Entity::Mapper { mapper, .. } = entity else { continue };
            for (prop, relationship) in self.registry.mapper(*mapper).relationships() {
                let overridden = statement.options.iter().any(|o| o.path.first() == Some(&(*mapper, prop)));
                if relationship.lazy == super::mapper::Lazy::Joined && !overridden && !eager.contains(&(*mapper, prop)) {
                    eager.push((*mapper, prop));
                }
            }
        }
        for (parent_mapper, prop) in eager {
            let Some(parent_part) = parts.iter().position(|p| matches!(p, RowPart::Object { mapper, .. } if *mapper == parent_mapper)) else {
                continue;
            };
            let Some(relationship) = self.registry.mapper(parent_mapper).relationship(prop).cloned() else { continue };
            let alias = names.next(self.table_name(relationship.target));
            let parent_alias = match &statement.entities[parent_part] {
                Entity::Mapper { alias, .. } => alias.clone(),
                _ => None,
            };
            let (start, props) = self.entity_columns(relationship.target, Some(&alias), true, &mut columns);
            if let Some(secondary) = relationship.secondary {
                let secondary_name = self.registry.metadata.table(secondary).name.clone();
                let secondary_alias = names.next(&secondary_name);
                let (first, second) = self.many_to_many_joins(&relationship, parent_alias.as_deref(), &secondary_alias, &alias);
                joins.push(Join { kind: JoinKind::LeftOuter, source: Source::Table { name: secondary_name, alias: Some(secondary_alias) }, on: first });
                joins.push(Join { kind: JoinKind::LeftOuter, source: Source::Table { name: self.table_name(relationship.target).to_string(), alias: Some(alias.clone()) }, on: second });
            } else {
                let on = self.relationship_join(&relationship, parent_alias.as_deref(), Some(&alias));
                joins.push(Join { kind: JoinKind::LeftOuter, source: Source::Table { name: self.table_name(relationship.target).to_string(), alias: Some(alias.clone()) }, on });
            }
            order_by.extend(self.relationship_order_by(&relationship, Some(&alias)));
            joined.push(JoinedLoad { parent_part, prop, target: relationship.target, start, props });
        }
        let wraps = (statement.limit.is_some() || statement.offset.is_some())
            && joined.iter().any(|j| self.registry.mapper(match &parts[j.parent_part] {
                RowPart::Object { mapper, .. } => *mapper,
                RowPart::Value { .. } => return false,
            }).relationship(j.prop).is_some_and(|r| r.uselist));
        let eager_joins = joins.split_off(user_joins);
        let eager_order = order_by.split_off(statement.order_by.len());
        let mut sources = froms.into_iter();
        let from = sources.next().map(|base| {
            // Further FROM entries with no join between them: `FROM a, b`.
            let mut all_joins: Vec<Join> = sources
                .map(|source| Join { kind: JoinKind::Cross, source, on: Expr::Literal(Datum::Bool(true)) })
                .collect();
            all_joins.extend(joins);
            FromClause { base, joins: all_joins }
        });
        if wraps {
            // A LIMIT must count parent rows, not joined ones: SQLAlchemy selects the
            // parents in a subquery and joins the eager collections to it.
            let eager_columns = columns.split_off(main_columns);
            let inner = Select {
                distinct: statement.distinct,
                columns,
                from,
                where_clause: and_all(&statement.criteria),
                group_by: statement.group_by.clone(),
                having: and_all(&statement.having),
                order_by: order_by.clone(),
                limit: statement.limit,
                offset: statement.offset,
            };
            let anon = names.next("anon");
            let outer_name = |expr: &Expr| -> Option<String> {
                inner.columns.iter().find(|c| c.expr == *expr).and_then(|c| c.label.clone())
            };
            let rewrite = |expr: &Expr| rewrite_columns(expr, &|e| outer_name(e).map(|label| Expr::column(&anon, &label)));
            let mut outer_columns: Vec<ResultColumn> = inner
                .columns
                .iter()
                .map(|c| {
                    let label = c.label.clone().unwrap_or_default();
                    ResultColumn { expr: Expr::column(&anon, &label), label: Some(format!("{anon}_{label}")) }
                })
                .collect();
            outer_columns.extend(eager_columns);
            let joins = eager_joins.into_iter().map(|j| Join { kind: j.kind, source: j.source, on: rewrite(&j.on) }).collect();
            let mut outer_order: Vec<OrderBy> = order_by.iter().map(|o| OrderBy { expr: rewrite(&o.expr), descending: o.descending }).collect();
            outer_order.extend(eager_order);
            let select = Select {
                columns: outer_columns,
                from: Some(FromClause { base: Source::Subquery { select: Box::new(inner), alias: anon.clone() }, joins }),
                order_by: outer_order,
                ..Select::default()
            };
            return Ok(Compiled { select, parts, keys, joined });
        }
        let mut from = from;
        if let Some(from) = &mut from {
            from.joins.extend(eager_joins);
        }
        order_by.extend(eager_order);
        let select = Select {
            distinct: statement.distinct,
            columns,
            from,
            where_clause: and_all(&statement.criteria),
            group_by: statement.group_by.clone(),
            having: and_all(&statement.having),
            order_by,
            limit: statement.limit,
            offset: statement.offset,
        };
        Ok(Compiled { select, parts, keys, joined })
    }

    /// Appends a mapper's columns to the SELECT list; returns where they start and the
    /// property loaded from each.
    fn entity_columns(&self, mapper: MapperId, alias: Option<&str>, labelled: bool, columns: &mut Vec<ResultColumn>) -> (usize, Vec<PropIdx>) {
        let start = columns.len();
        let m = self.registry.mapper(mapper);
        let table = self.registry.metadata.table(m.table);
        let qualifier = alias.unwrap_or(&table.name);
        let mut props = Vec::new();
        for (index, column) in table.columns.iter().enumerate() {
            let Some(prop) = m.prop_for_column(index) else { continue };
            let label = labelled.then(|| format!("{qualifier}_{}", column.name));
            columns.push(ResultColumn { expr: Expr::column(qualifier, &column.name), label });
            props.push(prop);
        }
        (start, props)
    }

    /// `ORDER BY` of a relationship's `order_by=`, against an alias of the target.
    pub(crate) fn relationship_order_by(&self, relationship: &Relationship, alias: Option<&str>) -> Vec<OrderBy> {
        relationship
            .spec
            .order_by
            .iter()
            .filter_map(|spec| match spec {
                super::mapper::OrderBySpec::Column { column, descending } => {
                    let col = self.registry.column_by_id(*column)?;
                    Some(OrderBy { expr: self.col_expr(col, alias), descending: *descending })
                }
                super::mapper::OrderBySpec::Text(_) => None,
            })
            .collect()
    }

    /// The two ON clauses joining a many-to-many's association table and target.
    fn many_to_many_joins(&self, relationship: &Relationship, parent_alias: Option<&str>, secondary_alias: &str, target_alias: &str) -> (Expr, Expr) {
        let join = |pairs: &[(ColRef, ColRef)], owner_alias: Option<&str>| {
            let mut terms = pairs.iter().map(|(referenced, association)| {
                Expr::binary(self.col_expr(*referenced, owner_alias), BinaryOp::Eq, self.col_expr(*association, Some(secondary_alias)))
            });
            let first = terms.next().unwrap_or(Expr::Literal(Datum::Bool(true)));
            terms.fold(first, |acc, t| Expr::binary(acc, BinaryOp::And, t))
        };
        (join(&relationship.pairs, parent_alias), join(&relationship.secondary_pairs, Some(target_alias)))
    }

    fn compile_join(&self, join: &JoinClause, froms: &[Source], previous: &[Join]) -> OrmResult<(Source, Expr)> {
        match &join.target {
            JoinTarget::Relationship { parent, parent_alias, prop, alias } => {
                let relationship = self
                    .registry
                    .mapper(*parent)
                    .relationship(*prop)
                    .cloned()
                    .ok_or_else(|| OrmError::invalid_request("join target is not a relationship"))?;
                let source = Source::Table { name: self.table_name(relationship.target).to_string(), alias: alias.clone() };
                let on = match &join.on {
                    Some(on) => on.clone(),
                    None => self.relationship_join(&relationship, parent_alias.as_deref(), alias.as_deref()),
                };
                Ok((source, on))
            }
            JoinTarget::Mapper { mapper, alias } => {
                let source = Source::Table { name: self.table_name(*mapper).to_string(), alias: alias.clone() };
                if let Some(on) = &join.on {
                    return Ok((source, on.clone()));
                }
                let left: Vec<&Source> = froms.iter().chain(previous.iter().map(|j| &j.source)).collect();
                let on = self.infer_join(&left, *mapper, alias.as_deref())?;
                Ok((source, on))
            }
            JoinTarget::Table { name } => {
                let source = Source::Table { name: name.clone(), alias: None };
                let on = join.on.clone().ok_or_else(|| OrmError::invalid_request(format!("join to table '{name}' needs an ON clause")))?;
                Ok((source, on))
            }
        }
    }

    /// The ON clause SQLAlchemy finds between what is already selected and a new table: the
    /// foreign keys between them (`band.id = album.band_id`).
    fn infer_join(&self, left: &[&Source], target: MapperId, target_alias: Option<&str>) -> OrmResult<Expr> {
        let target_table_id = self.registry.mapper(target).table;
        let target_table = self.registry.metadata.table(target_table_id);
        let mut conditions = Vec::new();
        for source in left {
            let Source::Table { name, alias } = source else { continue };
            let Some(left_id) = self.registry.metadata.table_id(name) else { continue };
            let left_table = self.registry.metadata.table(left_id);
            let left_q = alias.as_deref().unwrap_or(name);
            let target_q = target_alias.unwrap_or(&target_table.name);
            for column in &target_table.columns {
                if let Some(fk) = &column.foreign_key {
                    if fk.target_table == left_table.name {
                        conditions.push(Expr::binary(Expr::column(left_q, &fk.target_column), BinaryOp::Eq, Expr::column(target_q, &column.name)));
                    }
                }
            }
            for column in &left_table.columns {
                if let Some(fk) = &column.foreign_key {
                    if fk.target_table == target_table.name {
                        conditions.push(Expr::binary(Expr::column(target_q, &fk.target_column), BinaryOp::Eq, Expr::column(left_q, &column.name)));
                    }
                }
            }
            if !conditions.is_empty() {
                break;
            }
        }
        match conditions.len() {
            0 => Err(OrmError::invalid_request(format!(
                "Don't know how to join to <Mapper at 0x...; {}>. Please use the .select_from() method to establish an explicit left side, as well as providing an explicit ON clause if not present already to help resolve the ambiguity.",
                self.registry.mapper(target).class_name
            ))),
            1 => Ok(conditions.remove(0)),
            _ => Err(OrmError::invalid_request(format!(
                "Can't determine join between the selected tables and '{}'; tables have more than one foreign key constraint relationship between them. Please specify the 'onclause' of this join explicitly.",
                target_table.name
            ))),
        }
    }
}

pub(crate) fn and_all(terms: &[Expr]) -> Option<Expr> {
    let mut iter = terms.iter().cloned();
    let first = iter.next()?;
    Some(iter.fold(first, |acc, t| Expr::binary(acc, BinaryOp::And, t)))
}

/// The expression with column references replaced where `replace` says so.
fn rewrite_columns(expr: &Expr, replace: &dyn Fn(&Expr) -> Option<Expr>) -> Expr {
    if let Some(replaced) = replace(expr) {
        return replaced;
    }
    let boxed = |e: &Expr| Box::new(rewrite_columns(e, replace));
    match expr {
        Expr::Binary { op, left, right } => Expr::Binary { op: *op, left: boxed(left), right: boxed(right) },
        Expr::Unary { op, expr } => Expr::Unary { op: *op, expr: boxed(expr) },
        Expr::IsNull { expr, negated } => Expr::IsNull { expr: boxed(expr), negated: *negated },
        Expr::Function { name, args, distinct } => Expr::Function { name: name.clone(), args: args.iter().map(|a| rewrite_columns(a, replace)).collect(), distinct: *distinct },
        other => other.clone(),
    }
}

/// Tables (with aliases) an expression reads columns of.
pub fn referenced_tables(expr: &Expr) -> Vec<Source> {
    let mut out = Vec::new();
    collect_tables(expr, &mut out);
    out
}

fn collect_tables(expr: &Expr, out: &mut Vec<Source>) {
    let mut push = |name: &str| {
        let source = Source::Table { name: name.to_string(), alias: None };
        if !out.contains(&source) {
            out.push(source);
        }
    };
    match expr {
        Expr::Column { table: Some(t), .. } => push(t),
        Expr::Binary { left, right, .. } => {
            collect_tables(left, out);
            collect_tables(right, out);
        }
        Expr::Unary { expr, .. } | Expr::IsNull { expr, .. } | Expr::Cast { expr, .. } | Expr::Grouping(expr) => collect_tables(expr, out),
        Expr::InList { expr, list, .. } => {
            collect_tables(expr, out);
            list.iter().for_each(|e| collect_tables(e, out));
        }
        Expr::InSelect { expr, .. } => collect_tables(expr, out),
        Expr::Between { expr, low, high, .. } => {
            collect_tables(expr, out);
            collect_tables(low, out);
            collect_tables(high, out);
        }
        Expr::Like { expr, pattern, .. } => {
            collect_tables(expr, out);
            collect_tables(pattern, out);
        }
        Expr::Function { args, .. } => args.iter().for_each(|e| collect_tables(e, out)),
        Expr::Case { operand, whens, else_result } => {
            if let Some(o) = operand {
                collect_tables(o, out);
            }
            for (w, t) in whens {
                collect_tables(w, out);
                collect_tables(t, out);
            }
            if let Some(e) = else_result {
                collect_tables(e, out);
            }
        }
        _ => {}
    }
}

impl Orm {
    /// `SELECT count(*) AS count_1 FROM (<statement>) AS anon_1`, as legacy `Query.count()`
    /// and Flask-SQLAlchemy's pagination count.
    pub fn count_statement(&self, statement: &OrmSelect) -> OrmResult<Select> {
        let mut inner = statement.clone();
        inner.options.clear();
        let mut inner = self.compile_select(&inner)?.select;
        if !statement.legacy {
            // A subquery's columns need names: 2.0 selects label them by column name.
            for column in &mut inner.columns {
                if column.label.is_none() {
                    if let Expr::Column { name, .. } = &column.expr {
                        column.label = Some(name.clone());
                    }
                }
            }
            inner.order_by.clear();
        }
        Ok(Select {
            columns: vec![ResultColumn { expr: Expr::function("count", vec![Expr::Star]), label: Some("count_1".into()) }],
            from: Some(FromClause { base: Source::Subquery { select: Box::new(inner), alias: "anon_1".into() }, joins: vec![] }),
            ..Select::default()
        })
    }
}
