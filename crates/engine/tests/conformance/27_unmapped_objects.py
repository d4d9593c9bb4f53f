from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)
class Lamp(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    watts = db.Column(db.Integer)
db.create_all()
missing = Lamp.query.filter_by(watts=60).first()
db.session.delete(missing)
db.session.add(60)
db.session.add_all([Lamp(watts=40), 'bulb'])
db.session.expunge(None)
db.session.expire(3.5)
db.session.merge(None)
Lamp(watts=5) in db.session
'lamp' in db.session
inspect(None)
inspect(Lamp(watts=7)).transient
db.session.delete(Lamp(watts=9))
db.session.rollback()
db.session.add(Lamp(watts=100))
db.session.commit()
Lamp.query.count()
