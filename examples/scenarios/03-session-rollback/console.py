# Added objects are pending: in the session, not yet in the database.
savings = Account(owner="Noor", balance=100)
db.session.add(savings)
savings in db.session.new

# Commit flushes (INSERT) and ends the transaction (COMMIT).
db.session.commit()
savings.id

# A change makes the object dirty; nothing is sent yet.
savings.balance = 250
savings in db.session.dirty

# Rollback discards the change: the next access reloads the committed value.
db.session.rollback()
savings.balance

# A pending object that is rolled back leaves the session again.
spare = Account(owner="Noor")
db.session.add(spare)
db.session.rollback()
spare in db.session, Account.query.count()

# After a commit, attributes are expired and reload on first access (watch the SELECT).
savings.balance = 300
db.session.commit()
savings.balance
