# IntegrityError on UNIQUE and NOT NULL, PendingRollbackError, recovering with rollback.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import IntegrityError

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    handle = db.Column(db.String(30), unique=True, nullable=False)
    email = db.Column(db.String(80), nullable=False)

def join(handle, email):
    db.session.add(Member(handle=handle, email=email))
    try:
        db.session.commit()
        return 'joined'
    except IntegrityError as exc:
        db.session.rollback()
        return f'rejected: {exc.orig}'

db.create_all()
join('sam', 'sam@example.org')
join('sam', 'other@example.org')
join('tess', None)
db.session.add(Member(handle='sam', email='x@example.org'))
db.session.commit()
Member.query.count()
db.session.rollback()
Member.query.count()
e = None
try:
    db.session.add(Member(handle='sam', email='y@example.org'))
    db.session.flush()
except IntegrityError as err:
    e = err

type(e).__name__, type(e.orig).__name__, e.orig.args
db.session.rollback()
Member.query.filter_by(handle='nobody').one()
