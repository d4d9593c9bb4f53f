//! Tables and columns as SQLAlchemy Core declares them (`Table`, `Column`, `ForeignKey`,
//! `MetaData`). Models and `db.Table(...)` association tables both end up here; the DDL and
//! every statement the ORM builds read their shape from it.

use crate::sql::Datum;

/// A column type as the model declared it (`db.String(80)`, `Mapped[int]`, ...).
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnType {
    Integer,
    BigInteger,
    SmallInteger,
    String(Option<u32>),
    Text,
    Unicode(Option<u32>),
    UnicodeText,
    Boolean,
    Float,
    Numeric { precision: Option<u32>, scale: Option<u32> },
    Date,
    DateTime,
    Time,
    LargeBinary,
    Enum(Vec<String>),
    Json,
    /// `Uuid` / `Uuid(as_uuid=False)`: loads as `uuid.UUID` objects, or as hyphenated strings.
    Uuid { as_uuid: bool },
}

impl ColumnType {
    /// A value read back from the database as this type's result processor hands it to
    /// Python: SQLite keeps JSON as text, which SQLAlchemy's JSON type decodes.
    pub fn process_result(&self, value: Datum) -> Datum {
        match (self, value) {
            (ColumnType::Json, Datum::Text(text)) => serde_json::from_str(&text).map_or(Datum::Text(text), |json| Datum::Json(Box::new(json))),
            (ColumnType::Uuid { as_uuid }, Datum::Text(text)) => match u128::from_str_radix(&text, 16) {
                Ok(number) if text.len() == 32 && *as_uuid => Datum::Uuid(number),
                Ok(number) if text.len() == 32 => Datum::Text(crate::sql::value::hyphenated_uuid(number)),
                _ => Datum::Text(text),
            },
            (_, value) => value,
        }
    }

    /// The name SQLAlchemy's type has in Python (`String(length=80)` prints as `VARCHAR(80)` in
    /// DDL but the type object is `String`).
    pub fn python_name(&self) -> &'static str {
        match self {
            ColumnType::Integer => "Integer",
            ColumnType::BigInteger => "BigInteger",
            ColumnType::SmallInteger => "SmallInteger",
            ColumnType::String(_) => "String",
            ColumnType::Text => "Text",
            ColumnType::Unicode(_) => "Unicode",
            ColumnType::UnicodeText => "UnicodeText",
            ColumnType::Boolean => "Boolean",
            ColumnType::Float => "Float",
            ColumnType::Numeric { .. } => "Numeric",
            ColumnType::Date => "Date",
            ColumnType::DateTime => "DateTime",
            ColumnType::Time => "Time",
            ColumnType::LargeBinary => "LargeBinary",
            ColumnType::Enum(_) => "Enum",
            ColumnType::Json => "JSON",
            ColumnType::Uuid { .. } => "Uuid",
        }
    }

    /// Whether SQLite treats the column as an alias of the rowid when it is the only primary
    /// key column (then a NULL or missing value gets the next id).
    pub fn is_integer(&self) -> bool {
        matches!(self, ColumnType::Integer | ColumnType::BigInteger | ColumnType::SmallInteger)
    }
}

/// A handle to a callable owned by the host (a Python function such as `datetime.utcnow`):
/// the ORM cannot run Python, so it asks the host through [`crate::orm::Host`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HostCallable(pub u32);

/// `default=` / `onupdate=` of a column: a value, or a callable run at flush time.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnDefault {
    Value(Datum),
    Callable(HostCallable),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForeignKey {
    /// As written: `'user.id'`.
    pub target: String,
    pub target_table: String,
    pub target_column: String,
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
}

impl ForeignKey {
    /// Parses `'table.column'`; `None` when the text has no dot.
    pub fn parse(target: &str) -> Option<ForeignKey> {
        let (table, column) = target.rsplit_once('.')?;
        if table.is_empty() || column.is_empty() {
            return None;
        }
        Some(ForeignKey {
            target: target.to_string(),
            target_table: table.to_string(),
            target_column: column.to_string(),
            ondelete: None,
            onupdate: None,
        })
    }
}

/// Identifies a `Column` object across the declarations that mention it (for example
/// `remote_side=[id]` names the column object of the class body, not a string).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ColumnId(pub u32);

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub id: ColumnId,
    pub name: String,
    pub column_type: ColumnType,
    pub primary_key: bool,
    pub nullable: bool,
    pub unique: bool,
    pub index: bool,
    pub default: Option<ColumnDefault>,
    pub onupdate: Option<ColumnDefault>,
    pub server_default: Option<String>,
    pub foreign_key: Option<ForeignKey>,
    pub autoincrement: bool,
}

impl Column {
    /// A column as `Column(name, type)` makes it: nullable unless it is a primary key.
    pub fn new(id: ColumnId, name: &str, column_type: ColumnType) -> Column {
        Column {
            id,
            name: name.to_string(),
            column_type,
            primary_key: false,
            nullable: true,
            unique: false,
            index: false,
            default: None,
            onupdate: None,
            server_default: None,
            foreign_key: None,
            autoincrement: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub u32);

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn primary_key(&self) -> impl Iterator<Item = (usize, &Column)> {
        self.columns.iter().enumerate().filter(|(_, c)| c.primary_key)
    }

    /// The single INTEGER primary key column SQLite fills in itself, if the table has one.
    pub fn rowid_column(&self) -> Option<usize> {
        let mut pk = self.primary_key();
        match (pk.next(), pk.next()) {
            (Some((i, c)), None) if c.column_type.is_integer() && c.autoincrement => Some(i),
            _ => None,
        }
    }

    /// Tables this one references through foreign keys (itself excluded).
    pub fn referenced_tables(&self) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .filter_map(|c| c.foreign_key.as_ref())
            .map(|fk| fk.target_table.as_str())
            .filter(move |t| *t != self.name)
    }
}

/// Identifies one `MetaData` (one declarative base's, one `SQLAlchemy()` instance's, one
/// `MetaData()` object's): table names are unique within it, not across them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MetaDataId(pub u32);

/// Every table the ORM knows, each owned by one `MetaData` ([`MetaDataId`]), in the order they
/// were declared. Kept in one store so that table and column ids are unique across all of them.
#[derive(Clone, Debug, Default)]
pub struct MetaData {
    tables: Vec<Table>,
    /// The `MetaData` each table (by index) belongs to.
    owners: Vec<MetaDataId>,
    next_column_id: u32,
    /// The last id [`MetaData::new_metadata`] gave out (0 is the default one's).
    last_metadata: u32,
}

impl MetaData {
    pub fn new_column_id(&mut self) -> ColumnId {
        self.next_column_id += 1;
        ColumnId(self.next_column_id)
    }

    /// A new, empty `MetaData`.
    pub fn new_metadata(&mut self) -> MetaDataId {
        self.last_metadata += 1;
        MetaDataId(self.last_metadata)
    }

    /// Adds a table to the default `MetaData` (native callers with a single schema).
    pub fn add_table(&mut self, table: Table) -> Result<TableId, String> {
        self.add_table_to(MetaDataId::default(), table)
    }

    /// Adds a table to `metadata`, where its name must be new (as `Table()` requires).
    pub fn add_table_to(&mut self, metadata: MetaDataId, table: Table) -> Result<TableId, String> {
        if self.table_in(metadata, &table.name).is_some() {
            return Err(format!(
                "Table '{}' is already defined for this MetaData instance.  Specify \
                 'extend_existing=True' to redefine options and columns on an existing Table \
                 object.",
                table.name
            ));
        }
        self.tables.push(table);
        self.owners.push(metadata);
        Ok(TableId(self.tables.len() as u32 - 1))
    }

    /// The table of that name, the most recently declared if several `MetaData` have one (a
    /// name in SQL text does not say which).
    pub fn table_id(&self, name: &str) -> Option<TableId> {
        self.tables.iter().rposition(|t| t.name == name).map(|i| TableId(i as u32))
    }

    /// The table of that name in `metadata`.
    pub fn table_in(&self, metadata: MetaDataId, name: &str) -> Option<TableId> {
        self.tables_of(Some(metadata)).find(|(_, t)| t.name == name).map(|(id, _)| id)
    }

    pub fn table(&self, id: TableId) -> &Table {
        // TableIds are only made by add_table of this MetaData, so the index exists.
        &self.tables[id.0 as usize]
    }

    /// The `MetaData` a table belongs to.
    pub fn owner(&self, id: TableId) -> MetaDataId {
        self.owners[id.0 as usize]
    }

    pub fn tables(&self) -> impl Iterator<Item = (TableId, &Table)> {
        self.tables.iter().enumerate().map(|(i, t)| (TableId(i as u32), t))
    }

    /// The tables of one `MetaData` (`None`: of all of them), in declaration order.
    pub fn tables_of(&self, metadata: Option<MetaDataId>) -> impl Iterator<Item = (TableId, &Table)> {
        self.tables().filter(move |(id, _)| metadata.is_none_or(|m| self.owner(*id) == m))
    }

    /// Tables in dependency order (referenced tables first), as `metadata.sorted_tables`:
    /// ties in name order.
    pub fn sorted_tables(&self, metadata: Option<MetaDataId>) -> Vec<TableId> {
        let mut by_name: Vec<TableId> = self.tables_of(metadata).map(|(id, _)| id).collect();
        by_name.sort_by(|a, b| self.table(*a).name.cmp(&self.table(*b).name));
        self.dependency_order(by_name)
    }

    /// Tables in dependency order with ties in declaration order, as `create_all()` and
    /// `drop_all()` order them.
    pub fn creation_order(&self, metadata: Option<MetaDataId>) -> Vec<TableId> {
        self.dependency_order(self.tables_of(metadata).map(|(id, _)| id).collect())
    }

    /// SQLAlchemy's layered topological sort: each round takes, in the given order, every
    /// table whose referenced tables are done.
    fn dependency_order(&self, tables: Vec<TableId>) -> Vec<TableId> {
        let mut remaining = tables;
        let mut done: Vec<TableId> = Vec::new();
        while !remaining.is_empty() {
            let ready: Vec<TableId> = remaining
                .iter()
                .copied()
                .filter(|id| {
                    self.table(*id).referenced_tables().all(|dep| {
                        done.iter().any(|d| self.table(*d).name == dep)
                            || !remaining.iter().any(|r| self.table(*r).name == dep)
                    })
                })
                .collect();
            // A foreign-key cycle: emit the rest as they come, as SQLAlchemy does with a
            // warning (the tables are created with the constraints inline either way).
            let ready = if ready.is_empty() { remaining.clone() } else { ready };
            remaining.retain(|r| !ready.contains(r));
            done.extend(ready);
        }
        done
    }
}
