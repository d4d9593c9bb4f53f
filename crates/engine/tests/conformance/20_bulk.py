# Bulk UPDATE and DELETE from queries, and how objects already loaded catch up.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Task(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(30))
    points = db.Column(db.Integer)
    done = db.Column(db.Boolean, default=False)

db.create_all()
db.session.add_all([Task(title=t, points=p) for t, p in [('wash', 3), ('cook', 5), ('read', 1), ('walk', 8)]])
db.session.commit()
tasks = Task.query.order_by(Task.id).all()
Task.query.filter(Task.points > 2).update({Task.points: Task.points * 2})
[t.points for t in tasks]
Task.query.filter_by(title='read').update({'done': True}, synchronize_session='fetch')
tasks[2].done
Task.query.filter(Task.points >= 10).delete()
db.session.commit()
[t.title for t in Task.query.order_by(Task.title)]
db.session.execute(db.update(Task).where(Task.done == False).values(points=0)).rowcount
db.session.commit()
db.session.query(Task.title, Task.points).order_by(Task.id).all()
