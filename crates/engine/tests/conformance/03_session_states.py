# Object states through add, flush, commit, rollback, expunge and close.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200), nullable=False)

def state(obj):
    i = inspect(obj)
    for name in ['transient', 'pending', 'persistent', 'deleted', 'detached']:
        if getattr(i, name):
            return name

db.create_all()
n = Note(text='first')
state(n)
db.session.add(n)
state(n), n in db.session, list(db.session.new) == [n]
db.session.flush()
state(n), n.id
db.session.commit()
state(n)
n.text = 'changed'
db.session.dirty
inspect(n).attrs.text.history
db.session.rollback()
n.text
db.session.delete(n)
state(n)
db.session.flush()
state(n)
db.session.rollback()
state(n), n.text
db.session.expunge(n)
state(n)
db.session.add(n)
state(n)
db.session.close()
state(n)
m = Note(text='second')
db.session.add(m)
db.session.rollback()
state(m), m.id
