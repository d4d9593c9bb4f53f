# Lazy loading and the N+1 pattern versus joinedload and selectinload.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import joinedload, selectinload

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Course(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(40))
    lessons = db.relationship('Lesson', backref='course', order_by='Lesson.position')

class Lesson(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    position = db.Column(db.Integer)
    course_id = db.Column(db.Integer, db.ForeignKey('course.id'))

db.create_all()
for t in ['Algebra', 'Biology', 'Chemistry']:
    course = Course(title=t)
    course.lessons = [Lesson(position=p) for p in (2, 1)]
    db.session.add(course)

db.session.commit()
db.session.expire_all()
for course in Course.query.all():
    print(course.title, [l.position for l in course.lessons])

db.session.expire_all()
for course in Course.query.options(joinedload(Course.lessons)).all():
    print(course.title, len(course.lessons))

db.session.expire_all()
for course in Course.query.options(selectinload(Course.lessons)).all():
    print(course.title, len(course.lessons))

lesson = Lesson.query.first()
lesson.course.title
