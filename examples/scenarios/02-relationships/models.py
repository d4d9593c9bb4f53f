# Three kinds of relationship between a library's tables.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///relationships.db"
db = SQLAlchemy(app)

# Many-to-many needs an association table of foreign keys.
book_topics = db.Table(
    "book_topics",
    db.Column("book_id", db.Integer, db.ForeignKey("book.id")),
    db.Column("topic_id", db.Integer, db.ForeignKey("topic.id")),
)


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), nullable=False)
    # One-to-many: an author has many books; backref adds Book.author.
    books = db.relationship("Book", backref="author")
    # One-to-one: uselist=False gives a single object instead of a list.
    badge = db.relationship("Badge", back_populates="author", uselist=False)


class Badge(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"), unique=True)
    author = db.relationship("Author", back_populates="badge")


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"))
    topics = db.relationship("Topic", secondary=book_topics, backref="books")


class Topic(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(30), unique=True)
