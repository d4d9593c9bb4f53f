# Loader strategies on relationships: dynamic, joined by default, raise, noload.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import raiseload, lazyload

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(30))
    books = db.relationship('Book', backref='author', lazy='dynamic')
    awards = db.relationship('Award', lazy='joined')

class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(30))
    year = db.Column(db.Integer)
    author_id = db.Column(db.Integer, db.ForeignKey('author.id'))

class Award(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey('author.id'))

db.create_all()
ursula = Author(name='Ursula')
db.session.add(ursula)
ursula.books.append(Book(title='Lathe', year=1971))
ursula.books.append(Book(title='Dispossessed', year=1974))
ursula.awards.append(Award())
db.session.commit()
ursula.books.filter(Book.year > 1972).all()
ursula.books.count()
db.session.expire_all()
a = Author.query.first()
len(a.awards)
b = Book.query.options(raiseload(Book.author)).first()
b.author
Book.query.options(lazyload(Book.author)).first().author.name
