"""A local page that shows every message as buyers will, re-rendered whenever a file is saved.

``sellercomms preview`` runs it; ``import sellercomms`` never imports this package, so code
that only renders messages does not load the web server.
"""

from .server import DEFAULT_HOST as DEFAULT_HOST
from .server import DEFAULT_PORT as DEFAULT_PORT
from .server import PreviewServer as PreviewServer
from .server import loopback_address as loopback_address
from .workspace import LOCALES as LOCALES
from .workspace import Sources as Sources
