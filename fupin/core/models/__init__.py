from fupin.core.models.areas import Area
from fupin.core.models.audit import AccessEvent
from fupin.core.models.jobs import Job
from fupin.core.models.users import User

__all__ = ["AccessEvent", "Area", "Job", "User"]
