import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What start-up loaded lives as long as the process: the garbage collector need not walk
# it again at every full collection. Measured on the deadline rush, its time per request
# fell from 0.23 ms to 0.11 ms (of about 6.5 ms of CPU).
gc.collect()
gc.freeze()
