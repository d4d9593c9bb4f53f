# Transactions: commit, rollback of several changes, savepoints with begin_nested.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Account(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner = db.Column(db.String(30), unique=True)
    balance = db.Column(db.Integer, nullable=False, default=0)

def transfer(src, dst, amount):
    a = Account.query.filter_by(owner=src).one()
    b = Account.query.filter_by(owner=dst).one()
    a.balance -= amount
    b.balance += amount
    if a.balance < 0:
        db.session.rollback()
        return 'refused'
    db.session.commit()
    return 'done'

db.create_all()
db.session.add_all([Account(owner='kim', balance=50), Account(owner='lee')])
db.session.commit()
transfer('kim', 'lee', 20)
transfer('kim', 'lee', 100)
[(x.owner, x.balance) for x in Account.query.order_by(Account.owner)]
nested = db.session.begin_nested()
db.session.add(Account(owner='max', balance=5))
nested.rollback()
Account.query.count()
with db.session.begin_nested():
    db.session.add(Account(owner='nia', balance=7))

db.session.commit()
[x.owner for x in Account.query.order_by(Account.id)]
