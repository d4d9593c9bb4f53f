# Counting, summing and averaging the readings of weather stations.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///aggregation.db"
db = SQLAlchemy(app)


class Reading(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    station = db.Column(db.String(20), nullable=False)
    celsius = db.Column(db.Float, nullable=False)
    rain_mm = db.Column(db.Integer, nullable=False, default=0)
