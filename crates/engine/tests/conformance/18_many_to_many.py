# Many-to-many: adding and removing through both sides, deleting an owner cleans its links.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

enrolment = db.Table('enrolment',
    db.Column('student_id', db.Integer, db.ForeignKey('student.id'), primary_key=True),
    db.Column('club_id', db.Integer, db.ForeignKey('club.id')))

class Student(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(30))
    clubs = db.relationship('Club', secondary=enrolment, back_populates='members')

class Club(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(30))
    members = db.relationship('Student', secondary=enrolment, back_populates='clubs')

db.create_all()
chess, drama = Club(name='chess'), Club(name='drama')
ana = Student(name='Ana', clubs=[chess])
ben = Student(name='Ben')
drama.members.append(ben)
db.session.add_all([ana, ben])
db.session.commit()
db.session.execute(enrolment.select()).all()
ana.clubs.append(drama)
ben.clubs.remove(drama)
db.session.commit()
sorted(db.session.execute(enrolment.select()).all())
db.session.delete(ana)
db.session.commit()
db.session.execute(enrolment.select()).all()
[c.name for c in Club.query.order_by(Club.name)]
