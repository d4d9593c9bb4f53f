# Two SQLAlchemy() instances on apps with the same file database see each other's committed
# rows (one SQLite file); their metadata and sessions stay their own.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

instances = []
for round in range(2):
    app = Flask(__name__)
    app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///notes.db'
    db = SQLAlchemy(app)
    class Note(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        text = db.Column(db.String(40))
    with app.app_context():
        db.create_all()
        db.session.add(Note(text=f'round {round}'))
        db.session.commit()
        print(round, [n.text for n in Note.query.order_by(Note.id)])
    instances.append((app, db, Note))

(app1, db1, Note1), (app2, db2, Note2) = instances
with app1.app_context():
    db1.session.add(Note1(text='from the first'))
    db1.session.commit()

with app2.app_context():
    texts = [n.text for n in Note2.query.order_by(Note2.id)]

texts, db1.metadata is db2.metadata
