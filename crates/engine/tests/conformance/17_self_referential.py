# A self-referential relationship: employees and their managers.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Employee(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(30))
    manager_id = db.Column(db.Integer, db.ForeignKey('employee.id'))
    reports = db.relationship('Employee', backref=db.backref('manager', remote_side=[id]))

    def __repr__(self):
        return f'<Employee {self.name}>'

db.create_all()
ceo = Employee(name='Ines')
cto = Employee(name='Omar', manager=ceo)
dev = Employee(name='Yuki', manager=cto)
db.session.add(dev)
db.session.commit()
Employee.query.filter_by(name='Yuki').one().manager.manager
[e.name for e in Employee.query.filter_by(name='Ines').one().reports]
Employee.query.filter(Employee.manager_id.is_(None)).all()
