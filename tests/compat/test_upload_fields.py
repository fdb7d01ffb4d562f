"""Flask-Admin's FileUploadField through a compat ModelView: real multipart posts."""

import re

from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

from flask_admin_compat.contrib.sqla import ModelView
from flask_admin_compat.form import FileUploadField, ImageUploadField

from .conftest import csrf

Base = declarative_base()


class Document(Base):
    __tablename__ = "document"
    id = Column(Integer, primary_key=True)
    title = Column(String(50), nullable=False)
    path = Column(String(200))


def make(tmp_path, make_admin_factory):
    engine = create_engine(f"sqlite:///{tmp_path}/docs.db")
    Base.metadata.create_all(engine)
    session = sessionmaker(bind=engine)()
    uploads = tmp_path / "uploads"

    class DocumentView(ModelView):
        form_extra_fields = {"path": FileUploadField("File", base_path=str(uploads),
                                                     allowed_extensions=["txt", "pdf"])}

    return session, uploads, DocumentView(Document, session)


def test_upload_saves_the_file_and_the_name(tmp_path, make_admin):
    session, uploads, view = make(tmp_path, make_admin)
    _, client = make_admin(view)
    page = client.get("/admin/document/new/").text
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    token = csrf(client, "/admin/document/new/")
    out = client.post("/admin/document/new/", data={"title": "Spec", "csrf_token": token},
                      files={"path": ("../../evil name.txt", b"hello", "text/plain")},
                      follow_redirects=False)
    assert out.status_code == 302, out.text[-500:]
    doc = session.query(Document).one()
    assert doc.path == "evil_name.txt"
    assert (uploads / "evil_name.txt").read_bytes() == b"hello"
    assert not (tmp_path / "evil name.txt").exists()


def test_refused_extension_keeps_the_form(tmp_path, make_admin):
    session, uploads, view = make(tmp_path, make_admin)
    _, client = make_admin(view)
    token = csrf(client, "/admin/document/new/")
    out = client.post("/admin/document/new/", data={"title": "Bad", "csrf_token": token},
                      files={"path": ("run.exe", b"MZ", "application/octet-stream")})
    assert out.status_code == 200 and "Invalid file extension" in out.text
    assert 'value="Bad"' in out.text
    assert session.query(Document).count() == 0 and not uploads.exists()


def test_delete_checkbox_clears_the_file(tmp_path, make_admin):
    session, uploads, view = make(tmp_path, make_admin)
    _, client = make_admin(view)
    token = csrf(client, "/admin/document/new/")
    client.post("/admin/document/new/", data={"title": "T", "csrf_token": token},
                files={"path": ("a.txt", b"x", "text/plain")})
    doc = session.query(Document).one()
    edit = client.get(f"/admin/document/edit/?id={doc.id}").text
    assert re.search(r'name="_path-delete"', edit)
    client.post(f"/admin/document/edit/?id={doc.id}",
                data={"title": "T", "_path-delete": "y", "csrf_token": token})
    session.expire_all()
    assert session.get(Document, doc.id).path is None and not (uploads / "a.txt").exists()


def test_image_field_checks_the_extension(tmp_path):
    from wtforms import Form

    class PhotoForm(Form):
        photo = ImageUploadField("Photo", base_path=str(tmp_path))

    field = PhotoForm().photo
    assert field.is_file_allowed("photo.PNG") and not field.is_file_allowed("photo.svg")
