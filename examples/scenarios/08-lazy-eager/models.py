# Loading related objects: lazily (one query each), or eagerly (all at once).
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import joinedload, selectinload

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///loading.db"
db = SQLAlchemy(app)


class Band(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
    songs = db.relationship("Song", backref="band")


class Song(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(60), nullable=False)
    band_id = db.Column(db.Integer, db.ForeignKey("band.id"))
