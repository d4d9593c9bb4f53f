# Nested transactions: begin_nested() and its SessionTransaction, session-level commit and
# rollback with savepoints open, the savepoint-per-item pattern, and SQLite's driver quirk.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import IntegrityError

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Badge(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(20), unique=True, nullable=False)

db.create_all()
db.session.add(Badge(code='gold'))
outer = db.session.begin_nested()
db.session.add(Badge(code='silver'))
db.session.commit()
outer.is_active, db.session().in_nested_transaction(), Badge.query.count()
outer.commit()
outer.rollback()
for code in ['bronze', 'gold', 'iron']:
    try:
        with db.session.begin_nested():
            db.session.add(Badge(code=code))
    except IntegrityError as error:
        print('skipped', code, error.orig)

db.session.commit()
sorted(b.code for b in Badge.query.all())
sp = db.session.begin_nested()
db.session.add(Badge(code='tin'))
sp.commit()
db.session.rollback()
Badge.query.count()
first = db.session.begin_nested()
db.session.add(Badge(code='lead'))
second = db.session.begin_nested()
db.session.add(Badge(code='zinc'))
first.rollback()
second.is_active, first.is_active, Badge.query.count()
db.session.rollback()
