//! How two mapped tables join for a `relationship()`: the direction (one-to-many,
//! many-to-one, many-to-many) and the column pairs, worked out from the foreign keys as
//! SQLAlchemy's `RelationshipProperty` does when no `primaryjoin` is given.

use super::mapper::{ColRef, Direction, MapperId, Registry, RelationshipSpec};
use super::schema::TableId;
use super::OrmError;

pub struct JoinInfo {
    pub direction: Direction,
    /// (referenced column, foreign-key column).
    pub pairs: Vec<(ColRef, ColRef)>,
    pub secondary: Option<TableId>,
    pub secondary_pairs: Vec<(ColRef, ColRef)>,
}

/// Foreign-key columns of `from` that reference table `to`, as (referenced, fk) pairs.
fn fk_pairs(registry: &Registry, from: TableId, to: TableId, only: &[ColRef]) -> Vec<(ColRef, ColRef)> {
    let metadata = &registry.metadata;
    let to_table = metadata.table(to);
    metadata
        .table(from)
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, column)| {
            let fk = column.foreign_key.as_ref()?;
            if fk.target_table != to_table.name {
                return None;
            }
            let referenced = to_table.column_index(&fk.target_column)?;
            Some((ColRef { table: to, column: referenced }, ColRef { table: from, column: i }))
        })
        .filter(|(_, fk)| only.is_empty() || only.contains(fk))
        .collect()
}

pub fn resolve_join(
    registry: &Registry,
    parent: MapperId,
    target: MapperId,
    key: &str,
    spec: &RelationshipSpec,
) -> Result<JoinInfo, OrmError> {
    let parent_mapper = registry.mapper(parent);
    let parent_table = parent_mapper.table;
    let target_table = registry.mapper(target).table;
    let name = format!("{}.{}", parent_mapper.class_name, key);
    let only: Vec<ColRef> = spec.foreign_keys.iter().filter_map(|id| registry.column_by_id(*id)).collect();

    if let Some(secondary_name) = &spec.secondary {
        let secondary = registry.metadata.table_in(registry.metadata_of(parent), secondary_name).ok_or_else(|| {
            OrmError::invalid_request(format!(
                "When initializing mapper {}, expression '{secondary_name}' failed to locate a \
                 name ('{secondary_name}').",
                name
            ))
        })?;
        let pairs = fk_pairs(registry, secondary, parent_table, &only);
        let secondary_pairs = fk_pairs(registry, secondary, target_table, &only);
        if parent_table == target_table {
            return Err(OrmError::not_supported(format!(
                "relationship {name}: a self-referential many-to-many needs primaryjoin and \
                 secondaryjoin expressions, which the playground does not support yet"
            )));
        }
        if pairs.is_empty() || secondary_pairs.is_empty() {
            return Err(OrmError::argument(format!(
                "Could not determine join condition between parent/child tables on \
                 relationship {name} - there are no foreign keys linking these tables via \
                 secondary table '{secondary_name}'.  Ensure that referencing columns are \
                 associated with a ForeignKey or ForeignKeyConstraint, or specify 'primaryjoin' \
                 and 'secondaryjoin' expressions."
            )));
        }
        return Ok(JoinInfo {
            direction: Direction::ManyToMany,
            pairs,
            secondary: Some(secondary),
            secondary_pairs,
        });
    }

    let to_parent = fk_pairs(registry, target_table, parent_table, &only);
    let to_target = fk_pairs(registry, parent_table, target_table, &only);
    let no_keys = || {
        OrmError::argument(format!(
            "Could not determine join condition between parent/child tables on relationship \
             {name} - there are no foreign keys linking these tables.  Ensure that referencing \
             columns are associated with a ForeignKey or ForeignKeyConstraint, or specify a \
             'primaryjoin' expression."
        ))
    };
    let ambiguous = || {
        OrmError::argument(format!(
            "Could not determine join condition between parent/child tables on relationship \
             {name} - there are multiple foreign key paths linking the tables.  Specify the \
             'foreign_keys' argument, providing a list of those columns which should be counted \
             as containing a foreign key reference to the parent table."
        ))
    };

    if parent_table == target_table {
        // Self-referential: remote_side naming the referenced (primary key) column makes this
        // the many-to-one side; otherwise it is one-to-many.
        if to_parent.is_empty() {
            return Err(no_keys());
        }
        if to_parent.len() > 1 {
            return Err(ambiguous());
        }
        let remote: Vec<ColRef> = spec.remote_side.iter().filter_map(|id| registry.column_by_id(*id)).collect();
        let many_to_one = to_parent.iter().any(|(referenced, _)| remote.contains(referenced));
        let direction = if many_to_one { Direction::ManyToOne } else { Direction::OneToMany };
        return Ok(JoinInfo { direction, pairs: to_parent, secondary: None, secondary_pairs: vec![] });
    }

    // Composite foreign keys cannot exist here (GlueSQL has no composite keys), so each
    // foreign-key column is one path; more than one path needs `foreign_keys=`.
    match (to_parent.len(), to_target.len()) {
        (0, 0) => Err(no_keys()),
        (1, 0) => Ok(JoinInfo { direction: Direction::OneToMany, pairs: to_parent, secondary: None, secondary_pairs: vec![] }),
        (0, 1) => Ok(JoinInfo { direction: Direction::ManyToOne, pairs: to_target, secondary: None, secondary_pairs: vec![] }),
        _ => Err(ambiguous()),
    }
}
