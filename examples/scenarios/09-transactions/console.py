db.session.add_all([Wallet(owner="kim", coins=50), Wallet(owner="lee", coins=10)])
db.session.commit()

# Both UPDATEs go out in one transaction, ended by COMMIT.
transfer("kim", "lee", 20)

# Not enough coins: nothing was flushed yet, the rollback forgets the change.
transfer("lee", "kim", 100)

# An unknown wallet: the query raises NoResultFound, the transaction rolls back.
transfer("kim", "zed", 5)

[(w.owner, w.coins) for w in Wallet.query.order_by(Wallet.owner)]

# A savepoint: begin_nested() can roll back part of a transaction.
kim = Wallet.query.filter_by(owner="kim").one()
kim.coins = 0
# Send the UPDATE now, so that the savepoint comes after it.
db.session.flush()
nested = db.session.begin_nested()
kim.coins = -5
nested.rollback()
kim.coins
db.session.commit()
