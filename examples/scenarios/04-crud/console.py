# Create: add objects and commit.
db.session.add_all([Task(title="Water the ferns"), Task(title="Repot the cactus"), Task(title="Buy compost")])
db.session.commit()

# Read: every row, or one by primary key.
Task.query.all()
db.session.get(Task, 2)

# Read: the 2.0 style builds a select() and executes it.
db.session.execute(db.select(Task).filter_by(title="Buy compost")).scalar_one()

# Update: change the attribute, then commit (an UPDATE of that column only).
task = db.session.get(Task, 1)
task.done = True
db.session.commit()

# Delete: mark the object, then commit (a DELETE).
db.session.delete(db.session.get(Task, 3))
db.session.commit()

Task.query.all()

# get() of a missing key returns None; get_or_404 would raise a 404 in a view.
print(db.session.get(Task, 3))
