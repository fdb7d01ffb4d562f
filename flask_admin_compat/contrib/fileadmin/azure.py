"""flask_admin.contrib.fileadmin.azure is not provided by flask_admin_compat."""

raise ImportError(
    "flask_admin_compat does not provide flask_admin.contrib.fileadmin.azure (AzureFileAdmin): "
    "write a storage for your store by subclassing "
    "flask_admin_compat.contrib.fileadmin.BaseFileStorage (its interface is documented in "
    "flask_admin_compat.contrib.fileadmin.storage) and pass it as "
    "BaseFileAdmin(storage=...), or keep this view on Flask-Admin."
)
