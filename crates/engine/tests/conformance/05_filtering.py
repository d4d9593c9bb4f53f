# Filtering and sorting: filter_by, filter with operators, like, in_, order_by, limit, offset.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import or_, and_, not_, desc

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class City(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
    country = db.Column(db.String(40))
    population = db.Column(db.Integer)

db.create_all()
for name, country, pop in [('Lyon', 'France', 520000), ('Porto', 'Portugal', 230000), ('lille', 'France', 230000), ('Oslo', 'Norway', 700000), ('Bergen', 'Norway', None)]:
    db.session.add(City(name=name, country=country, population=pop))

db.session.commit()
City.query.filter_by(country='France').all()
[c.name for c in City.query.filter(City.population > 300000)]
[c.name for c in City.query.filter(City.name.like('l%'))]
[c.name for c in City.query.filter(City.name.ilike('L%')).order_by(City.name)]
[c.name for c in City.query.filter(City.country.in_(['Norway', 'Portugal'])).order_by(desc(City.name))]
[c.name for c in City.query.filter(or_(City.population == None, City.population < 250000))]
[c.name for c in City.query.filter(and_(City.country == 'France', not_(City.name.startswith('L'))))]
[c.name for c in City.query.order_by(City.population, City.name)]
[c.name for c in City.query.order_by(City.population.desc()).limit(2).offset(1)]
City.query.filter(City.population.between(200000, 600000)).count()
City.query.filter(City.population.is_(None)).one().name
City.query.filter(City.name.contains('er')).first()
[c.name for c in City.query.filter(City.name.endswith('o'), City.population != 230000)]
print(City.query.filter_by(country='Norway').order_by(City.name))
