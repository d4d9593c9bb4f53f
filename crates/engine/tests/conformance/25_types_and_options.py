# Column types, passive deletes, raise/noload loaders, attribute history, exists and mappings.
from datetime import date, datetime, time
from decimal import Decimal
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect, exists, select

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Shelf(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.Unicode(30), nullable=False)
    mood = db.Column(db.Enum('calm', 'busy', name='mood'), default='calm')
    price = db.Column(db.Numeric(8, 2))
    weight = db.Column(db.Float)
    opened = db.Column(db.Time)
    bought = db.Column(db.Date)
    checked = db.Column(db.DateTime)
    blob = db.Column(db.LargeBinary)
    extra = db.Column(db.JSON)
    big = db.Column(db.BigInteger)
    small = db.Column(db.SmallInteger)
    notes = db.Column(db.Text)
    boxes = db.relationship('Box', backref='shelf', passive_deletes=True, lazy='raise')

class Box(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    shelf_id = db.Column(db.Integer, db.ForeignKey('shelf.id', ondelete='CASCADE'))
    tag = db.Column(db.String(10))

db.create_all()
s = Shelf(label='north', price=Decimal('12.50'), weight=1.5, opened=time(9, 30), bought=date(2024, 2, 29), checked=datetime(2024, 3, 1, 8, 0, 5), blob=b'\x00\x01', extra={'a': [1, 2]}, big=2**40, small=7, notes='long text')
db.session.add(s)
db.session.add_all([Box(tag='x', shelf=s), Box(tag='y', shelf=s)])
db.session.commit()
s = db.session.get(Shelf, 1)
(s.label, s.mood, s.price, s.weight, s.opened, s.bought, s.checked, s.blob, s.extra, s.big, s.small, s.notes)
s.boxes
Box.query.options(db.noload(Box.shelf)).first().shelf
s.label = 'south'
inspect(s).attrs.label.history
inspect(s).modified, s in db.session.dirty
db.session.query(exists().where(Box.tag == 'x')).scalar()
db.session.query(Box.query.filter(Box.tag == 'z').exists()).scalar()
db.session.execute(select(Box.id, Box.tag).order_by(Box.id)).mappings().all()
Box.query.with_entities(Box.tag).order_by(Box.tag.desc()).all()
db.session.delete(s)
db.session.commit()
Box.query.count()
db.first_or_404(select(Box).where(Box.tag == 'x'))
