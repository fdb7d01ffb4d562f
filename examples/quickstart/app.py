"""The README's quick start, kept runnable (tests/core/test_readme.py checks they match)."""

from fastapi import FastAPI
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fasthx_core import Admin, Base, CRUDView, init_db


class Customer(Base):
    __tablename__ = "customers"
    __admin_category__ = "CRM"        # sidebar group (default "Other")
    __admin_icon__ = "building"       # Bootstrap Icons name (default "table")
    __admin_name__ = "Customers"      # label (default: title-cased table name)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    def __str__(self) -> str:         # labels this row in FK selects
        return self.name


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(50))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    customer: Mapped[Customer] = relationship()


engine = init_db("sqlite:///./app.db")
Base.metadata.create_all(engine)

app = FastAPI()
admin = Admin(app, title="Operations")


class CustomerView(CRUDView):
    model = Customer


class DeviceView(CRUDView):
    model = Device
    column_list = ["hostname", "customer", "customer.name"]
    column_searchable = ["hostname", "customer.name"]
    column_filters = ["customer"]


admin.add_view(CustomerView)
admin.add_view(DeviceView)
