# What the database refuses, and how to recover.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import IntegrityError

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///integrity.db"
db = SQLAlchemy(app)


class Player(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    handle = db.Column(db.String(20), unique=True, nullable=False)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"))


class Team(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20), nullable=False)


def sign_up(handle):
    """Adds a player, or reports that the handle is taken."""
    db.session.add(Player(handle=handle))
    try:
        db.session.commit()
        return f"welcome, {handle}"
    except IntegrityError as error:
        db.session.rollback()
        return f"cannot sign up {handle}: {error.orig}"
