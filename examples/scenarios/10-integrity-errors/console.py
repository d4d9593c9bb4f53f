sign_up("zed")

# The same handle again: UNIQUE refuses it, the function rolls back.
sign_up("zed")

# NOT NULL: a player without a handle. The error shows here, as it would in a shell.
db.session.add(Player())
db.session.commit()

# After a failed flush the session refuses everything until rollback().
Player.query.count()
db.session.rollback()
Player.query.count()

# Catching the error yourself.
try:
    db.session.add(Player(handle="zed"))
    db.session.commit()
except IntegrityError as error:
    db.session.rollback()
    print(type(error.orig).__name__, error.orig)
