# Declaring models: table names, column types, defaults, repr, create_all.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from datetime import date

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class LibraryMember(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    nickname = db.Column(db.String(40), unique=True, nullable=False)
    email = db.Column(db.String(120), index=True)
    joined = db.Column(db.Date, default=date(2024, 5, 1))
    active = db.Column(db.Boolean, default=True)
    rating = db.Column(db.Float)

class Shelf(db.Model):
    __tablename__ = 'shelves'
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.Text, nullable=False)

    def __repr__(self):
        return f'<Shelf {self.label!r}>'

LibraryMember.__tablename__
Shelf.__table__.name
db.create_all()
m = LibraryMember(nickname='ada', email='ada@example.org')
m
print(m.id, m.active, m.joined)
db.session.add(m)
db.session.commit()
m
print(m.id, m.active, m.joined, m.rating)
s = Shelf(label='Poetry')
db.session.add(s)
db.session.commit()
s
Shelf.query.all()
[c.name for c in LibraryMember.__table__.columns]
