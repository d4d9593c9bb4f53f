# Create, read, update, delete with the legacy query API and with 2.0-style select().
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Gadget(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True, nullable=False)
    price = db.Column(db.Integer)

db.create_all()
db.session.add_all([Gadget(name='lamp', price=30), Gadget(name='kettle', price=25), Gadget(name='fan', price=40)])
db.session.commit()
Gadget.query.all()
g = db.session.get(Gadget, 2)
g.name
g.price = 27
db.session.dirty
db.session.commit()
db.session.execute(db.select(Gadget).filter_by(name='kettle')).scalar_one().price
lamp = Gadget.query.filter_by(name='lamp').first()
db.session.delete(lamp)
db.session.deleted
db.session.commit()
[x.name for x in db.session.scalars(db.select(Gadget).order_by(Gadget.id))]
Gadget.query.get(1) is None
db.session.get(Gadget, 3).name
Gadget.query.count()
