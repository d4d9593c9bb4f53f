import uuid
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)
class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    code = db.Column(db.String(50))
class Box:
    def __repr__(self):
        return 'Box()'
db.create_all()
db.session.add(Thing(name='a', code='x'))
db.session.commit()
key = uuid.UUID('12345678-1234-5678-1234-567812345678')
thing = Thing(name='b', code=key)
thing.code
db.session.add(thing)
db.session.commit()
db.session.rollback()
Thing.query.filter_by(code=Box()).all()
Thing.query.count()
db.session.add(Thing(name=[1, 2]))
db.session.commit()
db.session.rollback()
db.session.execute(text('SELECT :k'), {'k': Box()}).all()
db.session.rollback()
thing.code = str(key)
db.session.add(thing)
db.session.commit()
[(t.name, t.code) for t in Thing.query.all()]
