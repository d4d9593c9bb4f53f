# Seeds the snapshot fuzz target: a small database with every column type, NULLs, a
# foreign key, unique and indexed columns. fuzz/run.sh encodes it with
# `bench_engine --snapshot`.
import datetime
from decimal import Decimal
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)
    born = db.Column(db.Date)
    active = db.Column(db.Boolean, default=True)

class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.Text, index=True)
    price = db.Column(db.Numeric(10, 2))
    rating = db.Column(db.Float)
    added = db.Column(db.DateTime)
    cover = db.Column(db.LargeBinary)
    extra = db.Column(db.JSON)
    author_id = db.Column(db.Integer, db.ForeignKey('author.id'))

with app.app_context():
    db.create_all()
    ada = Author(name='Ada', born=datetime.date(1815, 12, 10))
    db.session.add_all([ada, Author(name='Grace', active=False)])
    db.session.add(Book(title='Notes', price=Decimal('12.50'), rating=4.5,
                        added=datetime.datetime(2024, 2, 29, 23, 59, 58, 123456),
                        cover=b'\x00\xff', extra={'tags': ['a', 'é']}, author_id=1))
    db.session.add(Book(title=None))
    db.session.commit()
