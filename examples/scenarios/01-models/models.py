# A model is a class that maps to a table: each db.Column becomes a column.
from datetime import date

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///models.db"
db = SQLAlchemy(app)


class Gardener(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)
    joined = db.Column(db.Date)


class SeedPacket(db.Model):
    # No __tablename__: the class name becomes seed_packet.
    id = db.Column(db.Integer, primary_key=True)
    variety = db.Column(db.String(60), nullable=False)
    grams = db.Column(db.Float, default=5.0)

    def __repr__(self):
        return f"<SeedPacket {self.variety!r}>"
