db.session.add_all([
    Record(artist="Nina Simone", album="Pastel Blues", year=1965),
    Record(artist="Miles Davis", album="Kind of Blue", year=1959),
    Record(artist="Nina Simone", album="Wild Is the Wind", year=1966),
    Record(artist="Alice Coltrane", album="Journey in Satchidananda", year=1971),
    Record(artist="Sun Ra", album="Lanquidity", year=None),
])
db.session.commit()

# filter_by: keyword equality on the model's columns.
Record.query.filter_by(artist="Nina Simone").all()

# filter: any expression; LIKE is case-insensitive for ASCII in SQLite.
Record.query.filter(Record.album.like("%blue%")).all()

# Combine conditions, and sort; desc() reverses the order.
Record.query.filter(Record.year >= 1960, Record.year < 1970).order_by(Record.year.desc()).all()

# NULLs sort first in SQLite's ascending order.
[r.year for r in Record.query.order_by(Record.year).all()]

# in_, limit and offset.
Record.query.filter(Record.artist.in_(["Sun Ra", "Miles Davis"])).order_by(Record.album).limit(1).offset(1).all()

# The 2.0 style says the same with select().where().
db.session.scalars(db.select(Record).where(Record.year.is_(None))).all()
