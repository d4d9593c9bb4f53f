# Apply already ran db.create_all(): the SQL tab shows a CREATE TABLE per model.
# Table names come from class names.
Gardener.__tablename__, SeedPacket.__tablename__

# Every column is described on the table the model maps to.
[column.name for column in SeedPacket.__table__.columns]

# Making an object sends nothing: it is transient, not in any session yet.
ivy = Gardener(name="Ivy", joined=date(2024, 3, 1))

# It has no primary key until a flush inserts it.
print(ivy.id)

# Column defaults are filled in when the row is inserted, not before.
packet = SeedPacket(variety="Moneymaker")
print(packet.grams)

db.session.add_all([ivy, packet])
db.session.commit()

# After the INSERTs the ids and the default are known; without a __repr__ of its own a
# model shows its class and primary key.
ivy, packet, packet.grams
