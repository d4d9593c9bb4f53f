# Raw SQL with text() and bound parameters; why string formatting is unsafe.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Login(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(30))
    secret = db.Column(db.String(30))

db.create_all()
db.session.add_all([Login(name='ann', secret='s1'), Login(name='bob', secret='s2')])
db.session.commit()
typed = "nobody' OR '1'='1"
unsafe = "SELECT name FROM login WHERE name = '" + typed + "'"
db.session.execute(text(unsafe)).all()
db.session.execute(text('SELECT name FROM login WHERE name = :n'), {'n': typed}).all()
Login.query.filter_by(name=typed).all()
db.session.execute(text('SELECT id, name FROM login ORDER BY id')).mappings().all()
db.session.execute(text('UPDATE login SET secret = :s WHERE name = :n'), {'s': 'new', 'n': 'bob'}).rowcount
db.session.commit()
db.session.execute(text('SELECT secret FROM login WHERE id = :i'), {'i': 2}).scalar()
