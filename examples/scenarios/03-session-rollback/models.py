# The session stages changes; commit sends them, rollback throws them away.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///session.db"
db = SQLAlchemy(app)


class Account(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner = db.Column(db.String(40), nullable=False)
    balance = db.Column(db.Integer, nullable=False, default=0)
