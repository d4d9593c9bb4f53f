import uuid
import sqlalchemy
from sqlalchemy import types
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)
class Token(db.Model):
    id = db.Column(db.Uuid, primary_key=True, default=uuid.uuid4)
    other = db.Column(sqlalchemy.Uuid(as_uuid=False))
    third = db.Column(types.Uuid)
    name = db.Column(db.String(20))
db.create_all()
key = uuid.UUID('12345678-1234-5678-1234-567812345678')
t = Token(id=key, other='aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', name='a')
db.session.add(t)
db.session.commit()
u = Token(name='b')
db.session.add(u)
db.session.commit()
isinstance(u.id, uuid.UUID)
got = Token.query.filter_by(id=key).first()
got.id, got.other, got.third
Token.query.filter(Token.id == key).count()
db.session.get(Token, key).name
type(u.id).__name__
Token.query.filter(Token.id.in_([key])).all() == [got]
