# Makes LineBuilder, which the server puts into builtins, known to Pyright and Pylance in this directory.
from influxdb3_plugin import LineBuilder as LineBuilder
