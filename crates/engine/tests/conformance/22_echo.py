# SQLALCHEMY_ECHO prints every statement as SQLAlchemy logs it.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
app.config['SQLALCHEMY_ECHO'] = True
db = SQLAlchemy(app)

class Bird(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20))

db.create_all()
db.session.add(Bird(kind='wren'))
db.session.commit()
Bird.query.first().kind
