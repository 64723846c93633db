import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
application = get_wsgi_application()

# What start-up loaded (Django, the apps, their catalogues: some 130,000 objects) lives as
# long as the worker. Frozen out of the collector's reach, a full collection no longer walks
# it every few requests: that walk added 60-180 ms to every other county compliance page
# (docs/performance.md).
gc.freeze()
