# Mixins: shared columns and methods; defaults and onupdate from callables.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

counter = [0]
def next_stamp():
    counter[0] += 1
    return counter[0]

class StampMixin:
    created = db.Column(db.Integer, default=next_stamp)
    updated = db.Column(db.Integer, default=next_stamp, onupdate=next_stamp)

    def describe(self):
        return f'{type(self).__name__} created={self.created} updated={self.updated}'

class Ticket(StampMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    subject = db.Column(db.String(60))

db.create_all()
[c.name for c in Ticket.__table__.columns]
t = Ticket(subject='printer jam')
db.session.add(t)
db.session.commit()
t.describe()
t.subject = 'printer fixed'
db.session.commit()
t.describe()
hasattr(Ticket, 'describe'), issubclass(Ticket, StampMixin)
