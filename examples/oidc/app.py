"""The README's "Authentication" example, kept runnable (tests/auth/test_example.py logs in
to it through a live OpenID Connect provider).  Run it against your Keycloak with
``OIDC_SECRETS=client_secrets.json ALLOWED_GROUPS=staff,admins uvicorn examples.oidc.app:app``."""

import os

from fastapi import FastAPI
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from fasthx_core import Admin, Base, CRUDView, init_db
from fasthx_core.oidc import OIDCBackend


class Ticket(Base):
    __tablename__ = "helpdesk_tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))


class AuditEntry(Base):
    __tablename__ = "helpdesk_audit"
    __admin_name__ = "Audit log"
    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(200))


engine = init_db(os.environ.get("DATABASE_URL", "sqlite:///./helpdesk.db"))
Base.metadata.create_all(engine)

app = FastAPI()
# OIDC_SECRETS, ALLOWED_GROUPS and the OIDC_* variables configure the backend
admin = Admin(app, title="Helpdesk", auth_backend=OIDCBackend(), home_url="/helpdesk_tickets")


class TicketView(CRUDView):
    model = Ticket                    # every user in ALLOWED_GROUPS


class AuditView(CRUDView):
    model = AuditEntry
    allowed_groups = ["admins"]       # hidden from the sidebar and 403 for everyone else
    can_create = can_edit = can_delete = False


admin.add_view(TicketView)
admin.add_view(AuditView)
