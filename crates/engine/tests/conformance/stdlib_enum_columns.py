# Enum columns typed by a Python enum class: names stored, members loaded and bound.
import enum
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Mapped, mapped_column

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Mood(enum.Enum):
    calm = 1
    busy = 2
    stressed = 3

class Size(str, enum.Enum):
    SMALL = 's'
    LARGE = 'l'

class Person(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    mood = db.Column(db.Enum(Mood), default=Mood.calm)
    size: Mapped[Size] = mapped_column(default=Size.SMALL)

    def __repr__(self):
        return f'<Person {self.id} {self.mood.name}>'

db.create_all()
db.session.add(Person())
db.session.add(Person(mood=Mood.busy, size=Size.LARGE))
db.session.add(Person(mood='stressed'))
db.session.commit()
[p.mood for p in Person.query.all()]
[p.size for p in Person.query.all()]
Person.query.filter(Person.mood == Mood.busy).all()
Person.query.filter_by(mood=Mood.calm).count()
Person.query.filter(Person.mood != Mood.calm).order_by(Person.id).all()
Person.query.filter(Person.size == Size.LARGE).first()
p = db.session.get(Person, 1)
p.mood is Mood.calm
p.mood = Mood.stressed
db.session.commit()
db.session.get(Person, 1).mood
repr(db.Enum(Mood))
