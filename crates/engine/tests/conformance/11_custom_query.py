# A custom query class with helper methods, set per model with query_class.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.query import Query

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class PlantQuery(Query):
    def thirsty(self):
        return self.filter(Plant.water_every <= 3)

    def by_name(self, name):
        return self.filter_by(name=name).first()

class Plant(db.Model):
    query_class = PlantQuery
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(30))
    water_every = db.Column(db.Integer)

db.create_all()
db.session.add_all([Plant(name='fern', water_every=2), Plant(name='cactus', water_every=20), Plant(name='basil', water_every=1)])
db.session.commit()
[p.name for p in Plant.query.thirsty().order_by(Plant.name)]
Plant.query.by_name('cactus').water_every
Plant.query.by_name('rose')
type(Plant.query).__name__
Plant.query.thirsty().count()
