# Mixins share columns and methods between models.
from datetime import datetime

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///mixins.db"
db = SQLAlchemy(app)


class TimestampMixin:
    created = db.Column(db.DateTime, nullable=False, default=datetime.now)
    updated = db.Column(db.DateTime, onupdate=datetime.now)


class DictMixin:
    def to_dict(self, *names):
        return {name: getattr(self, name) for name in names}


class Note(TimestampMixin, DictMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200), nullable=False)


class Label(DictMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20), nullable=False)
