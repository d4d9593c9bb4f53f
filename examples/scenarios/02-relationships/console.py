ursula = Author(name="Ursula")
book = Book(title="The Dispossessed")

# Appending to one side sets the other side at once, before anything is sent.
ursula.books.append(book)
book.author is ursula

# One-to-one: a single object, kept in sync both ways too.
ursula.badge = Badge()
ursula.badge.author is ursula

# Many-to-many: each side is a list.
politics = Topic(label="politics")
book.topics.append(politics)
[b.title for b in politics.books]

# Adding the author cascades to the book, the badge and the topic.
db.session.add(ursula)
db.session.commit()

# The flush inserted parents first, then children and the association row (see SQL).
book.author_id, ursula.badge.author_id
db.session.execute(db.select(book_topics.c.book_id, book_topics.c.topic_id)).all()
