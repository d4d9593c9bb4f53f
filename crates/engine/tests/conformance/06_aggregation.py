# Aggregates: count, sum, avg, min, max, group_by, having, labels.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Sale(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    region = db.Column(db.String(20))
    amount = db.Column(db.Integer)
    discount = db.Column(db.Float)

db.create_all()
db.session.add_all([Sale(region='north', amount=10, discount=0.5), Sale(region='south', amount=7, discount=1.25), Sale(region='north', amount=5), Sale(region='east', amount=12, discount=0.0)])
db.session.commit()
Sale.query.count()
db.session.query(func.sum(Sale.amount)).scalar()
db.session.query(func.avg(Sale.amount)).scalar()
db.session.query(func.min(Sale.amount), func.max(Sale.amount)).one()
db.session.query(func.avg(Sale.discount)).scalar()
db.session.query(Sale.region, func.count(Sale.id)).group_by(Sale.region).order_by(Sale.region).all()
db.session.query(Sale.region, func.sum(Sale.amount).label('total')).group_by(Sale.region).having(func.sum(Sale.amount) > 10).all()
rows = db.session.execute(db.select(Sale.region, func.count().label('n')).group_by(Sale.region).order_by(func.count().desc(), Sale.region)).all()
rows
rows[0].n, rows[0].region
db.session.scalar(db.select(func.count(Sale.id)).where(Sale.amount > 6))
db.session.query(func.count(func.distinct(Sale.region))).scalar()
db.session.query(Sale.amount * 2).order_by(Sale.id).all()
