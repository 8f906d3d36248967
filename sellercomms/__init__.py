"""sellercomms: packing slips, shipping confirmations and follow-ups that earn feedback.

The public API is re-exported here; implementation modules are free to change.
"""

import logging as _logging

from .channels import ChannelRules as ChannelRules
from .channels import get_channel as get_channel
from .checks import CheckFinding as CheckFinding
from .checks import CheckReport as CheckReport
from .checks import check_templates as check_templates
from .context import MessageLinks as MessageLinks
from .exceptions import InputError as InputError
from .exceptions import InputFileError as InputFileError
from .exceptions import PolicyError as PolicyError
from .exceptions import RenderError as RenderError
from .exceptions import SellerCommsError as SellerCommsError
from .exceptions import TemplateError as TemplateError
from .exceptions import TemplateNotFound as TemplateNotFound
from .feedback import FeedbackReport as FeedbackReport
from .feedback import feedback_report as feedback_report
from .feedback import read_feedback as read_feedback
from .formatting import Formatter as Formatter
from .loading import load_orders as load_orders
from .loading import load_seller as load_seller
from .loading import parse_order as parse_order
from .loading import parse_seller as parse_seller
from .loading import read_orders as read_orders
from .mail import RenderedEmail as RenderedEmail
from .marketplaces import MARKETPLACES as MARKETPLACES
from .marketplaces import Marketplace as Marketplace
from .message_data import GiftCertificateData as GiftCertificateData
from .message_data import RefundData as RefundData
from .message_data import ReplacementData as ReplacementData
from .message_data import ReturnData as ReturnData
from .messages import MESSAGES as MESSAGES
from .models import Order as Order
from .models import Seller as Seller
from .planner import Plan as Plan
from .planner import PlanEntry as PlanEntry
from .planner import due_messages as due_messages
from .renderer import Renderer as Renderer
from .samples import sample_orders as sample_orders
from .samples import sample_seller as sample_seller
from .slips import RenderedSlip as RenderedSlip
from .slips import SlipBatch as SlipBatch
from .slips import SlipFailure as SlipFailure
from .tracking import Tracking as Tracking
from .tracking import track as track
from .unsubscribe import verify_unsubscribe_token as verify_unsubscribe_token
from .version import VERSION as _VERSION

__version__ = _VERSION

# Library code only logs; applications (and the command line) decide where records go.
_logging.getLogger("sellercomms").addHandler(_logging.NullHandler())
