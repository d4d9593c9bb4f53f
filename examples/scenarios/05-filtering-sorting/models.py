# Filtering and sorting a shelf of records.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///filtering.db"
db = SQLAlchemy(app)


class Record(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    artist = db.Column(db.String(40), nullable=False)
    album = db.Column(db.String(60), nullable=False)
    year = db.Column(db.Integer)

    def __repr__(self):
        return f"<Record {self.album!r}>"
