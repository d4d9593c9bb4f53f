db.session.add_all([Member(login="ana", secret="tulips"), Member(login="ben", secret="otters")])
db.session.commit()

# text() runs SQL as written; :login is a bound parameter.
db.session.execute(text("SELECT id, login FROM member WHERE login = :login"), {"login": "ana"}).all()

# What an attacker types into a login form.
typed = "nobody' OR '1'='1"

# Pasting input into the SQL string changes the statement itself: every secret leaks.
unsafe = "SELECT login, secret FROM member WHERE login = '" + typed + "'"
print(unsafe)
db.session.execute(text(unsafe)).all()

# As a parameter it is only a value: no login is equal to it.
db.session.execute(text("SELECT login, secret FROM member WHERE login = :login"), {"login": typed}).all()

# The ORM always binds values too.
Member.query.filter_by(login=typed).all()
