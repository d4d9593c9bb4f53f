ada, bo, cy = Customer(name="Ada"), Customer(name="Bo"), Customer(name="Cy")
ada.orders = [Order(total=30), Order(total=120)]
bo.orders = [Order(total=15)]
db.session.add_all([ada, bo, cy])
db.session.commit()

# join() follows the foreign key; filter on the joined table.
Customer.query.join(Order).filter(Order.total > 100).all()

# A customer appears once per matching order: distinct() removes repeats.
Customer.query.join(Customer.orders).filter(Order.total > 10).distinct().order_by(Customer.name).all()

# Select columns from both tables.
db.session.query(Customer.name, Order.total).join(Order).order_by(Order.total).all()

# outerjoin keeps customers without orders (their order columns are None).
db.session.query(Customer.name, func.count(Order.id)).outerjoin(Order).group_by(Customer.id).order_by(Customer.name).all()

# The 2.0 style.
db.session.execute(db.select(Order.total).join(Order.customer).where(Customer.name == "Ada").order_by(Order.total)).scalars().all()
