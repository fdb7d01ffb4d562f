"""Sample rows for the shop, written once: seeding an already seeded database does nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from .models import Category, Customer, Order, OrderLine, Product, Tag

CUSTOMERS = [  # name, email, country, phone
    ("Ann Lee", "ann@example.org", "DE", "+49 30 1234567"),
    ("Bob Marsh", "bob@example.com", "GB", None),
    ("Chloé Dubois", "chloe@example.fr", "FR", "+33 1 23 45 67 89"),
    ("Dan Wu", "dan@example.com", "US", None),
]
TAGS = ["bestseller", "retro", "sale", "vinyl"]
PRODUCTS = [  # name, sku, category, price, in stock, tags
    ("Dune", "BOO-001", Category.books, "9.99", True, ["bestseller"]),
    ("Neuromancer", "BOO-002", Category.books, "12.50", True, ["retro"]),
    ("Chess set", "GAM-001", Category.games, "45.00", True, []),
    ("Tetris cartridge", "GAM-002", Category.games, "25.00", False, ["retro", "sale"]),
    ("Kind of Blue", "MUS-001", Category.music, "19.90", True, ["vinyl", "bestseller"]),
    ("Abbey Road", "MUS-002", Category.music, "24.90", True, ["vinyl"]),
]
ORDERS = [  # customer, created, status, note, [(sku, quantity)]
    ("Ann Lee", datetime(2024, 1, 5, 10, 0), "shipped", None, [("BOO-001", 2), ("MUS-001", 1)]),
    ("Bob Marsh", datetime(2024, 2, 10, 9, 30), "paid", None, [("GAM-001", 1)]),
    ("Ann Lee", datetime(2024, 3, 1, 17, 45), "new", "Gift wrap, please", [("MUS-002", 1)]),
    ("Chloé Dubois", datetime(2024, 3, 15, 8, 5), "cancelled", None, [("GAM-002", 1)]),
    ("Dan Wu", datetime(2023, 11, 20, 12, 0), "archived", None, [("BOO-002", 3)]),
]


def seed(session) -> bool:
    """Write the sample rows unless the shop already has customers; True when it wrote."""
    if session.query(Customer).first() is not None:
        return False
    customers = {name: Customer(name=name, email=email, country=country, phone=phone,
                                created=datetime(2023, 10, 1))
                 for name, email, country, phone in CUSTOMERS}
    tags = {name: Tag(name=name) for name in TAGS}
    products = {sku: Product(name=name, sku=sku, category=category, price=Decimal(price),
                             in_stock=in_stock, tags=[tags[t] for t in tag_names])
                for name, sku, category, price, in_stock, tag_names in PRODUCTS}
    for customer, created, status, note, lines in ORDERS:
        order = Order(customer=customers[customer], created=created, status=status, note=note)
        order.lines = [OrderLine(product=products[sku], quantity=quantity,
                                 unit_price=products[sku].price) for sku, quantity in lines]
        session.add(order)
    session.add_all([*customers.values(), *products.values()])
    session.commit()
    return True
