# Expiring, refreshing, merging and detaching objects, and the errors on the way.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(30))
    qty = db.Column(db.Integer, default=1)

db.create_all()
db.session.add_all([Item(label='pen'), Item(label='ink', qty=3)])
db.session.commit()
pen = db.session.get(Item, 1)
pen.qty = 9
db.session.expire(pen)
pen.qty
db.session.execute(db.update(Item).where(Item.id == 1).values(qty=5))
pen.qty
db.session.refresh(pen)
pen.qty
db.session.commit()
db.session.expunge(pen)
inspect(pen).detached
pen.label
copy = Item(id=2, label='ink v2')
merged = db.session.merge(copy)
merged is copy, merged.label, merged in db.session
db.session.commit()
db.session.get(Item, 2).label
db.session.close()
pen.qty
gone = db.session.get(Item, 2)
db.session.execute(db.delete(Item).where(Item.id == 2))
db.session.commit()
gone.label
