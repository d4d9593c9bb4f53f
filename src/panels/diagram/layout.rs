//! Where the ER diagram puts things. Tables are laid out in layers by foreign-key depth (a
//! table sits right of every table it references, association tables right of both sides),
//! stacked in each layer in a fixed order, so the same models always give the same picture and
//! no two boxes overlap. Foreign keys connect the referencing column to the referenced one;
//! relationships connect table headers, a many-to-many through its association table.

use std::collections::HashMap;

use sqla_engine::playground::views::{SchemaColumn, SchemaRelationship, SchemaTable, SchemaView};

/// Monospace text metrics of the diagram's 12 px font (the stylesheet sets it).
pub const CHAR_WIDTH: f64 = 7.3;
pub const LINE_HEIGHT: f64 = 18.0;
const HEADER_HEIGHT: f64 = 26.0;
const BOX_PADDING: f64 = 10.0;
const MARGIN: f64 = 16.0;
/// Room between layers for the lines and their labels.
const LAYER_GAP: f64 = 170.0;
const BOX_GAP: f64 = 36.0;
const LABEL_HEIGHT: f64 = 30.0;

#[derive(Clone, Debug, PartialEq)]
pub struct TableBox {
    pub name: String,
    /// "Model: User" for mapped tables, "association table" for the others.
    pub subtitle: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub columns: Vec<ColumnLine>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColumnLine {
    pub name: String,
    pub sql_type: String,
    /// "PK", "FK", "UQ", "NULL" (nullable), space separated.
    pub marks: String,
    /// Baseline of the line's text.
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForeignKeyLine {
    /// `post.user_id → user.id`, for the line's tooltip.
    pub title: String,
    /// SVG path data.
    pub path: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RelationshipLine {
    pub title: String,
    pub path: String,
    /// The label's lines and its centre.
    pub label: Vec<String>,
    pub label_x: f64,
    pub label_y: f64,
    pub label_width: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub tables: Vec<TableBox>,
    pub foreign_keys: Vec<ForeignKeyLine>,
    pub relationships: Vec<RelationshipLine>,
}

impl TableBox {
    fn right(&self) -> f64 {
        self.x + self.width
    }

    fn header_y(&self) -> f64 {
        self.y + HEADER_HEIGHT / 2.0
    }

    /// The vertical middle of a column's line (the first line for an unknown column).
    fn column_y(&self, column: &str) -> f64 {
        let line = self.columns.iter().find(|line| line.name == column).or(self.columns.first());
        line.map_or(self.header_y(), |line| line.y - LINE_HEIGHT / 2.0 + 4.0)
    }

    #[cfg(test)]
    fn overlaps(&self, other: &TableBox) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.y + other.height && other.y < self.y + self.height
    }
}

pub fn layout(schema: &SchemaView) -> Layout {
    let depths = depths(&schema.tables);
    let layer_count = depths.iter().copied().max().map_or(0, |deepest| deepest + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (table, depth) in depths.iter().enumerate() {
        if let Some(layer) = layers.get_mut(*depth) {
            layer.push(table);
        }
    }
    let mut boxes: Vec<Option<TableBox>> = vec![None; schema.tables.len()];
    let mut x = MARGIN;
    let mut height: f64 = 0.0;
    for layer in &mut layers {
        // Tables near the ones they reference, to keep lines short; name order breaks ties.
        layer.sort_by(|a, b| {
            let (ya, yb) = (referenced_y(schema, &boxes, *a), referenced_y(schema, &boxes, *b));
            ya.total_cmp(&yb).then_with(|| schema.tables[*a].name.cmp(&schema.tables[*b].name))
        });
        let mut y = MARGIN;
        let mut width: f64 = 0.0;
        for table in layer.iter() {
            let table_box = table_box(&schema.tables[*table], x, y);
            y += table_box.height + BOX_GAP;
            width = width.max(table_box.width);
            boxes[*table] = Some(table_box);
        }
        height = height.max(y - BOX_GAP + MARGIN);
        x += width + LAYER_GAP;
    }
    let tables: Vec<TableBox> = boxes.into_iter().flatten().collect();
    let by_name: HashMap<&str, &TableBox> = tables.iter().map(|table| (table.name.as_str(), table)).collect();
    let foreign_keys = schema
        .tables
        .iter()
        .flat_map(|table| table.columns.iter().map(move |column| (table, column)))
        .filter_map(|(table, column)| foreign_key_line(&by_name, table, column))
        .collect();
    let mut relationships: Vec<RelationshipLine> =
        schema.relationships.iter().filter(|relationship| is_drawn(schema, relationship)).filter_map(|relationship| relationship_line(&by_name, relationship)).collect();
    separate_labels(&mut relationships);
    let width = (x - LAYER_GAP + MARGIN).max(MARGIN * 2.0);
    let label_bottom = relationships.iter().map(|line| line.label_y + LABEL_HEIGHT).fold(0.0, f64::max);
    Layout { width, height: height.max(label_bottom).max(MARGIN * 2.0), tables, foreign_keys, relationships }
}

/// Each table's layer: 0 for tables that reference no other, else one more than the deepest
/// table it references. A cycle of foreign keys is cut where it closes.
fn depths(tables: &[SchemaTable]) -> Vec<usize> {
    let index: HashMap<&str, usize> = tables.iter().enumerate().map(|(i, table)| (table.name.as_str(), i)).collect();
    let references: Vec<Vec<usize>> = tables
        .iter()
        .enumerate()
        .map(|(i, table)| {
            let mut targets: Vec<usize> =
                table.columns.iter().filter_map(|column| column.foreign_key.as_deref()).filter_map(|target| index.get(target_table(target)).copied()).filter(|target| *target != i).collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        })
        .collect();
    let mut depth: Vec<Option<usize>> = vec![None; tables.len()];
    let mut visiting = vec![false; tables.len()];
    for table in 0..tables.len() {
        depth_of(table, &references, &mut depth, &mut visiting);
    }
    depth.into_iter().map(|depth| depth.unwrap_or(0)).collect()
}

fn depth_of(table: usize, references: &[Vec<usize>], depth: &mut [Option<usize>], visiting: &mut [bool]) -> usize {
    if let Some(known) = depth[table] {
        return known;
    }
    if visiting[table] {
        return 0;
    }
    visiting[table] = true;
    let deepest = references[table].iter().map(|target| depth_of(*target, references, depth, visiting) + 1).max().unwrap_or(0);
    visiting[table] = false;
    depth[table] = Some(deepest);
    deepest
}

/// `user` of `user.id`.
fn target_table(target: &str) -> &str {
    target.rsplit_once('.').map_or(target, |(table, _)| table)
}

/// Where the tables a table references sit (for ordering a layer), or after all of them.
fn referenced_y(schema: &SchemaView, boxes: &[Option<TableBox>], table: usize) -> f64 {
    let ys: Vec<f64> = schema.tables[table]
        .columns
        .iter()
        .filter_map(|column| column.foreign_key.as_deref())
        .filter_map(|target| boxes.iter().flatten().find(|placed| placed.name == target_table(target)))
        .map(|placed| placed.y)
        .collect();
    if ys.is_empty() {
        f64::MAX
    } else {
        ys.iter().sum::<f64>() / ys.len() as f64
    }
}

fn table_box(table: &SchemaTable, x: f64, y: f64) -> TableBox {
    let subtitle = match &table.class_name {
        Some(class) => format!("model {class}"),
        None => "association table".to_owned(),
    };
    let columns: Vec<ColumnLine> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| ColumnLine {
            name: column.name.clone(),
            sql_type: column.sql_type.clone(),
            marks: marks(column),
            y: y + HEADER_HEIGHT + BOX_PADDING + LINE_HEIGHT * (i as f64 + 0.75),
        })
        .collect();
    let widest_column = columns.iter().map(|line| line.name.chars().count() + line.sql_type.chars().count() + line.marks.chars().count() + 4).max().unwrap_or(0);
    let characters = widest_column.max(table.name.chars().count() + subtitle.chars().count() + 3);
    TableBox {
        name: table.name.clone(),
        subtitle,
        x,
        y,
        width: characters as f64 * CHAR_WIDTH + 2.0 * BOX_PADDING,
        height: HEADER_HEIGHT + 2.0 * BOX_PADDING + LINE_HEIGHT * columns.len() as f64,
        columns,
    }
}

fn marks(column: &SchemaColumn) -> String {
    let mut marks = Vec::new();
    if column.primary_key {
        marks.push("PK");
    }
    if column.foreign_key.is_some() {
        marks.push("FK");
    }
    if column.unique {
        marks.push("UQ");
    }
    if column.nullable && !column.primary_key {
        marks.push("NULL");
    }
    marks.join(" ")
}

/// A cubic curve leaving `from` and arriving at `to` horizontally.
fn curve(from: (f64, f64), to: (f64, f64)) -> String {
    let bend = ((to.0 - from.0).abs() / 2.0).max(40.0);
    let (out, back) = if to.0 >= from.0 { (bend, -bend) } else { (-bend, bend) };
    format!("M {:.1} {:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}", from.0, from.1, from.0 + out, from.1, to.0 + back, to.1, to.0, to.1)
}

/// A loop on a box's right side, for a table that references itself.
fn self_loop(table: &TableBox, from_y: f64, to_y: f64) -> String {
    let x = table.right();
    format!("M {x:.1} {from_y:.1} C {:.1} {from_y:.1}, {:.1} {to_y:.1}, {x:.1} {to_y:.1}", x + 60.0, x + 60.0)
}

fn foreign_key_line(boxes: &HashMap<&str, &TableBox>, table: &SchemaTable, column: &SchemaColumn) -> Option<ForeignKeyLine> {
    let target = column.foreign_key.as_deref()?;
    let (target_name, target_column) = target.rsplit_once('.')?;
    let (child, parent) = (boxes.get(table.name.as_str())?, boxes.get(target_name)?);
    let from_y = child.column_y(&column.name);
    let to_y = parent.column_y(target_column);
    let path = if child.name == parent.name {
        self_loop(child, from_y, to_y)
    } else if child.x >= parent.right() {
        curve((child.x, from_y), (parent.right(), to_y))
    } else {
        curve((child.right(), from_y), (parent.x, to_y))
    };
    Some(ForeignKeyLine { title: format!("{}.{} → {target}", table.name, column.name), path })
}

/// A relationship and its reverse are one line, drawn for one of the two: the one-to-many
/// side, else the one-to-one side, else the first declared.
fn is_drawn(schema: &SchemaView, relationship: &SchemaRelationship) -> bool {
    let Some(reverse_name) = &relationship.reverse else { return true };
    let position = |wanted: &SchemaRelationship| schema.relationships.iter().position(|candidate| candidate == wanted);
    let reverse = schema.relationships.iter().find(|other| {
        other.from_table == relationship.to_table && other.to_table == relationship.from_table && &other.name == reverse_name
    });
    let Some(reverse) = reverse else { return true };
    let rank = |kind: &str| match kind {
        "one-to-many" => 0,
        "one-to-one" => 1,
        "many-to-many" => 2,
        _ => 3,
    };
    (rank(relationship.kind), position(relationship)) < (rank(reverse.kind), position(reverse))
}

fn relationship_line(boxes: &HashMap<&str, &TableBox>, relationship: &SchemaRelationship) -> Option<RelationshipLine> {
    let from = boxes.get(relationship.from_table.as_str())?;
    let to = boxes.get(relationship.to_table.as_str())?;
    let mut label = vec![format!("{}.{} → {}", relationship.class_name, relationship.name, relationship.to_table)];
    if let Some(reverse) = &relationship.reverse {
        label.push(format!("↔ {reverse} (reverse)"));
    }
    let kind = match &relationship.secondary {
        Some(secondary) => format!("{} via {secondary}", relationship.kind),
        None => relationship.kind.to_owned(),
    };
    label.push(kind);
    let title = label.join(", ");
    // Relationships join table headers; foreign keys join column lines.
    let (path, middle) = match relationship.secondary.as_deref().and_then(|secondary| boxes.get(secondary)) {
        Some(association) => {
            let first = connect(from, association);
            let second = connect(association, to);
            (format!("{} {}", first.0, second.0), (association.x + association.width / 2.0, association.y - 8.0))
        }
        None if from.name == to.name => (self_loop(from, from.header_y() - 6.0, from.header_y() + 6.0), (from.right() + 40.0, from.header_y())),
        None => connect(from, to),
    };
    let label_width = label.iter().map(|line| line.chars().count()).max().unwrap_or(0) as f64 * CHAR_WIDTH;
    Some(RelationshipLine { title, path, label, label_x: middle.0, label_y: middle.1, label_width })
}

/// A curve between two boxes' headers, on the sides that face each other; and its middle.
fn connect(from: &TableBox, to: &TableBox) -> (String, (f64, f64)) {
    let (start, end) = if to.x >= from.right() {
        ((from.right(), from.header_y()), (to.x, to.header_y()))
    } else if from.x >= to.right() {
        ((from.x, from.header_y()), (to.right(), to.header_y()))
    } else {
        // Same layer: both on the right side.
        ((from.right(), from.header_y()), (to.right(), to.header_y()))
    };
    let path = if start.0 == end.0 {
        let x = start.0;
        format!("M {x:.1} {:.1} C {:.1} {:.1}, {:.1} {:.1}, {x:.1} {:.1}", start.1, x + 80.0, start.1, x + 80.0, end.1, end.1)
    } else {
        curve(start, end)
    };
    let middle_x = if start.0 == end.0 { start.0 + 60.0 } else { (start.0 + end.0) / 2.0 };
    (path, (middle_x, (start.1 + end.1) / 2.0))
}

/// Moves labels down until none overlaps another.
fn separate_labels(lines: &mut [RelationshipLine]) {
    for i in 0..lines.len() {
        loop {
            let moved = (0..i).find(|j| labels_overlap(&lines[i], &lines[*j]));
            match moved {
                Some(j) => lines[i].label_y = lines[j].label_y + label_height(&lines[j]),
                None => break,
            }
        }
    }
}

fn label_height(line: &RelationshipLine) -> f64 {
    line.label.len() as f64 * 14.0 + 4.0
}

fn labels_overlap(a: &RelationshipLine, b: &RelationshipLine) -> bool {
    (a.label_x - b.label_x).abs() * 2.0 < a.label_width + b.label_width
        && a.label_y < b.label_y + label_height(b)
        && b.label_y < a.label_y + label_height(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqla_engine::playground::Playground;

    const MODELS: &str = "\
tags = db.Table('tags', db.Column('tag_id', db.Integer, db.ForeignKey('tag.id')), db.Column('post_id', db.Integer, db.ForeignKey('post.id')))
class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)
    posts = db.relationship('Post', backref='author')
class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey('user.id'), nullable=False)
    tags = db.relationship('Tag', secondary=tags, backref='posts')
class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
class Employee(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    manager_id = db.Column(db.Integer, db.ForeignKey('employee.id'))
    reports = db.relationship('Employee', backref=db.backref('manager', remote_side=[id]))
";

    fn schema() -> SchemaView {
        let mut playground = Playground::new();
        let applied = playground.apply_models(MODELS, false);
        assert_eq!(applied.run.error.map(|error| error.traceback), None);
        playground.schema()
    }

    /// Whether any two table boxes overlap (the layout promises they never do).
    fn any_overlap(layout: &Layout) -> bool {
        layout.tables.iter().enumerate().any(|(i, a)| layout.tables.iter().skip(i + 1).any(|b| a.overlaps(b)))
    }

    fn table<'a>(layout: &'a Layout, name: &str) -> &'a TableBox {
        layout.tables.iter().find(|table| table.name == name).unwrap_or_else(|| panic!("no box for {name}"))
    }

    #[test]
    fn tables_sit_right_of_the_tables_they_reference_and_never_overlap() {
        let layout = layout(&schema());
        assert_eq!(layout.tables.len(), 5);
        assert!(!any_overlap(&layout));
        assert!(table(&layout, "post").x > table(&layout, "user").x);
        assert!(table(&layout, "tags").x > table(&layout, "post").x);
        assert!(table(&layout, "tags").x > table(&layout, "tag").x);
        assert!(layout.tables.iter().all(|table| table.x + table.width <= layout.width && table.y + table.height <= layout.height));
    }

    #[test]
    fn the_same_models_give_the_same_picture() {
        assert_eq!(layout(&schema()), layout(&schema()));
    }

    #[test]
    fn every_foreign_key_is_a_line_and_each_relationship_pair_one_labelled_line() {
        let layout = layout(&schema());
        let titles: Vec<&str> = layout.foreign_keys.iter().map(|line| line.title.as_str()).collect();
        // In the order the tables were declared (`tags` first), as the models' metadata lists them.
        assert_eq!(titles, ["tags.tag_id → tag.id", "tags.post_id → post.id", "post.user_id → user.id", "employee.manager_id → employee.id"]);
        let labels: Vec<String> = layout.relationships.iter().map(|line| line.label.join(" | ")).collect();
        assert_eq!(
            labels,
            [
                "User.posts → post | ↔ author (reverse) | one-to-many",
                "Post.tags → tag | ↔ posts (reverse) | many-to-many via tags",
                "Employee.reports → employee | ↔ manager (reverse) | one-to-many",
            ]
        );
    }

    #[test]
    fn column_lines_mark_keys_uniqueness_and_nullability() {
        let layout = layout(&schema());
        let user = table(&layout, "user");
        let marks: Vec<(&str, &str)> = user.columns.iter().map(|line| (line.name.as_str(), line.marks.as_str())).collect();
        assert_eq!(marks, [("id", "PK"), ("name", "UQ")]);
        let tags = table(&layout, "tags");
        assert_eq!(tags.columns[0].marks, "FK NULL");
        assert_eq!(tags.subtitle, "association table");
    }

    #[test]
    fn an_empty_schema_is_an_empty_picture() {
        let layout = layout(&SchemaView::default());
        assert!(layout.tables.is_empty());
        assert!(layout.width > 0.0 && layout.height > 0.0);
    }
}
