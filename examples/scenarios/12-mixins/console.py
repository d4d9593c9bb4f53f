# The mixin's columns belong to every model that uses it (see CREATE TABLE note).
[column.name for column in Note.__table__.columns]
[column.name for column in Label.__table__.columns]

note = Note(text="buy string")
db.session.add_all([note, Label(name="errands")])
db.session.commit()

# The default filled created; updated stays empty until an UPDATE.
isinstance(note.created, datetime), note.updated

note.text = "buy twine"
db.session.commit()
note.updated is not None and note.updated >= note.created

# The mixin's method works on both models.
note.to_dict("id", "text")
Label.query.first().to_dict("name")
